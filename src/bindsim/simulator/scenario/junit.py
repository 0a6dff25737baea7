"""JUnit XML for CI dashboards: one testcase per scenario case, rules and tags as properties.

Dashboards split a classname at its dots into packages: the classname is the file's folder
path and its stem, dotted (`scenarios.invitations.expired_at_exactly_48h`), with the dots of
names turned into `_`, so that a file name never adds a level.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from bindsim.errors import ScenarioError
from bindsim.simulator.scenario.report import failure_lines, trace_lines
from bindsim.simulator.scenario.runner import ScenarioResult

SUFFIX = ".scenario.yaml"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def classname(path: str) -> str:
    """`scenarios/invitations/expired.scenario.yaml` → `scenarios.invitations.expired`."""
    parts = Path(path.removesuffix(SUFFIX)).parts
    words = [re.sub(r"[^\w-]+", "_", part).strip("_") for part in parts if part not in ("/", "..")]
    return ".".join(word for word in words if word) or "scenario"


def _text(value: str) -> str:
    """Text XML 1.0 can hold: control characters and lone surrogates become U+FFFD."""
    return _CONTROL.sub("\ufffd", value)


def junit_xml(
    results: Sequence[ScenarioResult], errors: Sequence[ScenarioError] = (), seconds: float = 0.0
) -> str:
    """The JUnit XML document of a run (or of the invalid files that kept it from running)."""
    failures = sum(1 for r in results if not r.passed)
    suites = ET.Element(
        "testsuites",
        name="bindsim",
        tests=str(len(results) + len({e.path for e in errors})),
        failures=str(failures),
        errors=str(len({e.path for e in errors})),
        time=f"{seconds:.6f}",
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="bindsim scenarios",
        tests=str(len(results) + len({e.path for e in errors})),
        failures=str(failures),
        errors=str(len({e.path for e in errors})),
        skipped="0",
        time=f"{seconds:.6f}",
    )
    for result in results:
        scenario = result.scenario
        case = ET.SubElement(
            suite,
            "testcase",
            classname=_text(classname(scenario.path)),
            name=_text(scenario.case_name),
            file=_text(scenario.path),
            line=str(scenario.line),
            time=f"{result.duration:.6f}",
        )
        properties = ET.SubElement(case, "properties")
        for rule in scenario.rules:
            ET.SubElement(properties, "property", name="rule", value=rule)
        for tag in scenario.tags:
            ET.SubElement(properties, "property", name="tag", value=_text(tag))
        for key, value in scenario.example_values:
            ET.SubElement(properties, "property", name=f"example.{key}", value=_text(str(value)))
        failure = result.failure
        if failure is not None:
            body = ET.SubElement(
                case,
                "failure",
                message=_text(failure.message.splitlines()[0] if failure.message else "failed"),
                type=failure.outcome,
            )
            lines = failure_lines(scenario, failure)
            body.text = _text("\n".join([*lines, "", "steps run:", *trace_lines(result)]))
    by_file: dict[str, list[ScenarioError]] = {}
    for error in errors:
        by_file.setdefault(error.path, []).append(error)
    for path, found in by_file.items():
        case = ET.SubElement(
            suite,
            "testcase",
            classname=_text(classname(path)),
            name=_text(Path(path).name),
            file=_text(path),
            line=str(found[0].line),
            time="0",
        )
        body = ET.SubElement(case, "error", message=_text(found[0].text), type="invalid")
        body.text = _text("\n".join(f"{e.path}:{e.line}:{e.column}: {e.text}" for e in found))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
