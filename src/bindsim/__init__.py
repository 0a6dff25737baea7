"""bindsim: simulate, test and teach how a TikTok Shop binds and unbinds TikTok accounts.

The everyday API is this module: `from bindsim import World, ManualClock, Refused`. The parts
are `bindsim.machines` (the state machines), `bindsim.simulator` (the clock-controlled World,
scenarios, the CLI) and `bindsim.diagrams` (Graphviz and Mermaid pictures). Names are loaded on
first use, so that `import bindsim.machines` or the CLI does not pay for the whole World.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names, for type checkers (`X as X` marks a re-export)
    from bindsim.errors import BindSimError as BindSimError
    from bindsim.errors import ClockNotAdjustable as ClockNotAdjustable
    from bindsim.errors import ClockWentBackwards as ClockWentBackwards
    from bindsim.errors import InvalidAction as InvalidAction
    from bindsim.errors import InvalidArgument as InvalidArgument
    from bindsim.errors import InvalidDuration as InvalidDuration
    from bindsim.errors import InvariantBroken as InvariantBroken
    from bindsim.errors import NaiveDatetime as NaiveDatetime
    from bindsim.errors import NotVisible as NotVisible
    from bindsim.errors import Refused as Refused
    from bindsim.errors import ScenarioError as ScenarioError
    from bindsim.errors import UnknownId as UnknownId
    from bindsim.machines import Reason as Reason
    from bindsim.machines import Ruleset as Ruleset
    from bindsim.simulator.clock import ManualClock as ManualClock
    from bindsim.simulator.clock import SystemClock as SystemClock
    from bindsim.simulator.world import World as World

# Each public name and the module that defines it.
_HOMES = {
    "World": "bindsim.simulator.world",
    "ManualClock": "bindsim.simulator.clock",
    "SystemClock": "bindsim.simulator.clock",
    "Reason": "bindsim.machines",
    "Ruleset": "bindsim.machines",
    "BindSimError": "bindsim.errors",
    "ClockNotAdjustable": "bindsim.errors",
    "ClockWentBackwards": "bindsim.errors",
    "InvalidAction": "bindsim.errors",
    "InvalidArgument": "bindsim.errors",
    "InvalidDuration": "bindsim.errors",
    "InvariantBroken": "bindsim.errors",
    "NaiveDatetime": "bindsim.errors",
    "NotVisible": "bindsim.errors",
    "Refused": "bindsim.errors",
    "ScenarioError": "bindsim.errors",
    "UnknownId": "bindsim.errors",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'bindsim' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
