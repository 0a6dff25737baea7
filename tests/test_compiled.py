"""machines/compiled.py, the machines' specs written out as code, against the classes they are
read from (issue 20: a run need not import python-statemachine).

The python-statemachine classes stay the one definition of the machines; the compiled specs are
their reading by machines/spec.py, kept in the repository so that `bindsim run` loads plain data.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from bindsim.machines import MACHINES, BindsimMachine, compiled
from bindsim.machines.compile import literal, source
from bindsim.machines.spec import MachineSpec, spec_of

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "src" / "bindsim" / "scenarios"
ONE = LIBRARY / "invitations" / "expired_at_exactly_48h.scenario.yaml"


def _values(spec: MachineSpec) -> dict[str, object]:
    return {f.name: getattr(spec, f.name) for f in fields(spec)}


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.__name__)
def test_each_compiled_spec_is_a_fresh_reading_of_its_machine_class(
    machine: type[BindsimMachine],
) -> None:
    [written] = [spec for spec in compiled.SPECS if spec.name == machine.__name__]
    assert _values(written) == _values(spec_of(machine)), (
        "a machine changed: run python -m bindsim.machines.compile"
    )


def test_the_compiled_specs_are_every_machine_in_order() -> None:
    assert [spec.name for spec in compiled.SPECS] == [m.__name__ for m in MACHINES]


def test_the_generator_writes_what_is_compiled() -> None:
    """The file's data is what `python -m bindsim.machines.compile` writes now (the file itself
    is that text formatted by ruff)."""
    namespace: dict[str, object] = {}
    exec(compile(source(), "compiled.py", "exec"), namespace)  # noqa: S102 - our own generator
    written = namespace["SPECS"]
    assert isinstance(written, tuple)
    assert [_values(s) for s in written] == [_values(s) for s in compiled.SPECS]


def test_a_guard_outside_the_guards_module_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="a guard outside bindsim.machines.guards"):
        literal(lambda: True)


def test_a_plain_run_imports_no_python_statemachine() -> None:
    probe = (
        "import sys\n"
        "from bindsim.simulator.cli import main\n"
        "try:\n"
        f"    main(['run', {str(ONE)!r}])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'statemachine'))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
