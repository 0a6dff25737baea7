"""Scenarios, the QA interface: YAML files validated node by node, run step by step, reported.

A file is one case, or one case per row of its `examples:` (load_cases; load_file gives the
first). The format is declared once, in format.py.

>>> from bindsim.simulator.scenario import load_text, run
>>> scenario = load_text('''
... name: the lock
... shops: {gb: {region: GB}}
... creators: {alice: {country: GB, age: 24}}
... steps:
...   - invite: {shop: gb, creator: alice}
...   - accept: {creator: alice, shop: gb}
...   - request_unlink: {creator: alice}
...     expect_error: UNBIND_LOCKED
... ''')
>>> run(scenario).passed
True
"""

from bindsim.errors import InvalidScenario
from bindsim.simulator.scenario.model import Scenario, Step
from bindsim.simulator.scenario.runner import ScenarioResult, StepResult, build_world, run, run_step
from bindsim.simulator.scenario.validate import (
    find_files,
    load_cases,
    load_cases_text,
    load_file,
    load_text,
)

__all__ = [
    "InvalidScenario",
    "Scenario",
    "ScenarioResult",
    "Step",
    "StepResult",
    "build_world",
    "find_files",
    "load_cases",
    "load_cases_text",
    "load_file",
    "load_text",
    "run",
    "run_step",
]
