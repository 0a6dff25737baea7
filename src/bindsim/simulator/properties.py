"""User properties: Python functions of a World that say whether a state is acceptable.

Given as "package.module:function" to `bindsim explore --property` (checked in every state it
reaches) and `bindsim run --property` (checked after every step), so that a counterexample
explore writes replays to the same failure. A property fails by returning False or raising
(AssertionError, or any other exception, sys.exit() included: its message is reported); anything
else it returns counts as holding. Explore checks each distinct state once, on a World rebuilt
from it with an empty log: a property should read the World's state, not its log, ids or
absolute time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from bindsim.errors import InvalidArgument

Property = Callable[[Any], object]


def load(spec: str) -> tuple[str, Property]:
    """A property from "package.module:function"; InvalidArgument says what is wrong."""
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise InvalidArgument(f"a property is given as package.module:function, got {spec!r}")
    if "/" in module_name or "\\" in module_name or module_name.endswith(".py"):
        raise InvalidArgument(
            f"cannot load the property {spec!r}: give a module's name, not a file's path "
            "(package.module:function, importable through PYTHONPATH)"
        )
    try:
        function = getattr(importlib.import_module(module_name), name)
    except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure of user code to load
        why = str(error) if isinstance(error, (ImportError, AttributeError)) else _failure(error)
        raise InvalidArgument(f"cannot load the property {spec!r}: {why}") from None
    if not callable(function):
        raise InvalidArgument(f"the property {spec!r} is not a function")
    return spec, function


def _failure(error: BaseException) -> str:
    """What user code did instead of returning: `raised SyntaxError: ...`, `called sys.exit(0)`."""
    if isinstance(error, SystemExit):
        return f"called sys.exit({error.code!r}) (a property returns; it does not exit)"
    return f"raised {type(error).__name__}: {error}"


def first_broken(world: Any, properties: Iterable[tuple[str, Property]]) -> tuple[str, str] | None:
    """The first property the World's state breaks, as (name, why), or None."""
    for name, function in properties:
        try:
            held_up = function(world)
        except AssertionError as error:
            return name, str(error) or "the property failed"
        except (Exception, SystemExit) as error:  # a bug in the property is its failure
            # sys.exit() in a property must not end the run as if it had passed.
            return name, f"the property {_failure(error)}"
        if held_up is False:
            return name, "the property returned False"
    return None
