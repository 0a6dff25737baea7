"""One self-contained HTML page of a run: pass/fail for every case, and for each failure its
step table, expected against found, and its timeline picture (inline SVG, no outside files)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bindsim.errors import ScenarioError
from bindsim.simulator.actions import ACTION_WORDS
from bindsim.simulator.clock import SystemClock
from bindsim.simulator.scenario.report import version, when
from bindsim.simulator.scenario.runner import ScenarioResult, show

TEMPLATES = Path(__file__).with_name("templates")
_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def timeline_svg(result: ScenarioResult) -> tuple[Markup | None, str]:
    """The run's timeline as inline SVG, or None and why not (Graphviz missing ...)."""
    from bindsim import diagrams
    from bindsim.machines.text import Text

    scenario = result.scenario
    run = diagrams.Run(
        diagrams.scenario_stem(scenario.path),
        list(result.world.log),
        Text(scenario.case_name, scenario.title("zh")),
        result.world.rules,
        result.started,
        result.ended,
        actions=ACTION_WORDS,
    )
    try:
        svg = diagrams.draw(diagrams.timeline_picture(run, "en"), "svg").decode("utf-8")
    except diagrams.GraphvizMissing as missing:
        return None, f"timeline not drawn: {missing}"
    except Exception as error:  # a picture must never cost the report
        return None, f"timeline not drawn: {error}"
    start = svg.find("<svg")
    return Markup(svg[start:] if start >= 0 else svg), ""  # noqa: S704 - Graphviz's own SVG


def _case(result: ScenarioResult, index: int) -> dict[str, Any]:
    scenario = result.scenario
    data: dict[str, Any] = {
        "name": scenario.case_name,
        "path": scenario.path,
        "rules": scenario.rules,
        "passed": result.passed,
        "duration": result.duration,
        "anchor": f"case-{index}",
    }
    failure = result.failure
    if failure is None:
        return data
    data["failure"] = {
        "line": failure.line,
        "index": failure.index,
        "at": when(failure.at),
        "step": failure.step.describe(),
        "message": failure.message,
        "mismatches": [
            {"what": m.what, "expected": show(m.expected), "actual": show(m.actual)}
            for m in failure.mismatches
        ],
    }
    data["steps"] = [
        {
            "index": step.index,
            "line": step.line,
            "at": when(step.at),
            "step": step.step.describe(),
            "outcome": step.outcome,
            "passed": step.passed,
            "reasons": step.reasons,
        }
        for step in result.steps
    ]
    data["timeline"], data["timeline_note"] = timeline_svg(result)
    return data


def html_report(
    results: Sequence[ScenarioResult],
    errors: Sequence[ScenarioError] = (),
    seconds: float = 0.0,
    ruleset_file: str | None = None,
) -> str:
    """The page, as text."""
    passed = sum(1 for r in results if r.passed)
    return _ENVIRONMENT.get_template("report.html.j2").render(
        cases=[_case(result, index) for index, result in enumerate(results, start=1)],
        errors=errors,
        passed=passed,
        failed=len(results) - passed,
        seconds=seconds,
        version=version(),
        generated=SystemClock().now().strftime("%Y-%m-%d %H:%M UTC"),
        ruleset_file=ruleset_file,
    )
