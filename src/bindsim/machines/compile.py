"""`python -m bindsim.machines.compile`: write machines/compiled.py, the machines' specs as code.

machines/spec.py reads each machine class (python-statemachine) into plain data; this writes that
reading out as Python literals, so that the simulator loads the specs without importing
python-statemachine. tests/test_compiled.py holds the file equal to a fresh reading: change a
machine, run this again.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from types import FunctionType
from typing import Any

from bindsim.machines import MACHINES, guards
from bindsim.machines.spec import MachineSpec, spec_of

TARGET = Path(__file__).with_name("compiled.py")

HEADER = '''"""The machines of bindsim.machines as machines/spec.py reads them: written by
`python -m bindsim.machines.compile` from the classes, which stay the one definition; do not edit.

A run loads these instead of reading the classes, so that it need not import
python-statemachine; tests/test_compiled.py holds them equal to a fresh reading.
"""

from typing import Literal

from bindsim.machines import guards
from bindsim.machines.spec import Guard, MachineSpec, StateSpec, TransitionSpec
from bindsim.machines.text import Edge, Node, Text, Timer
'''


def constant(spec: MachineSpec) -> str:
    """The module constant of a machine: CreatorApp → CREATOR_APP."""
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(spec.name)).upper()


def literal(value: Any) -> str:
    """Python source that evaluates to `value` in compiled.py's namespace."""
    if isinstance(value, FunctionType):
        name = value.__name__
        if getattr(guards, name, None) is not value:
            raise ValueError(f"a guard outside bindsim.machines.guards: {value!r}")
        return f"guards.{name}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        args = [
            f"{field.name}={literal(getattr(value, field.name))}"
            for field in dataclasses.fields(value)
            if field.default is dataclasses.MISSING or getattr(value, field.name) != field.default
        ]
        return f"{type(value).__name__}({', '.join(args)})"
    if isinstance(value, tuple):
        return "(" + "".join(f"{literal(item)}, " for item in value) + ")"
    if isinstance(value, frozenset):
        return "frozenset({" + ", ".join(literal(item) for item in sorted(value)) + "})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, str | bool | int):
        return repr(value)
    raise ValueError(f"cannot write {value!r} as a literal")


def source() -> str:
    """compiled.py's text (before formatting): a constant per machine, and SPECS in order."""
    specs = [spec_of(machine) for machine in MACHINES]
    lines = [HEADER]
    for spec in specs:
        lines.append(f"{constant(spec)} = {literal(spec)}\n")
        outer = ", ".join(repr(state.id) for state in spec.states if state.parent is None)
        lines.append(
            f"# The `state` of {spec.name} records: their outermost state ids, for mypy.\n"
            f"{spec.name}State = Literal[{outer}]\n"
        )
    names = "".join(f"{constant(spec)}, " for spec in specs)
    lines.append(
        "# Every machine, in the order of bindsim.machines.MACHINES.\n"
        f"SPECS: tuple[MachineSpec, ...] = ({names})\n"
    )
    return "\n".join(lines)


def write(path: Path = TARGET) -> None:
    """Write compiled.py, formatted by ruff when it is at hand (as `make lint` checks)."""
    path.write_text(source(), encoding="utf-8")
    beside = Path(sys.executable).with_name("ruff")  # the venv's own ruff first
    ruff = str(beside) if beside.exists() else shutil.which("ruff")
    if ruff is not None:
        subprocess.run([ruff, "format", "--quiet", str(path)], check=True)


if __name__ == "__main__":
    write()
    print(f"wrote {TARGET}")
