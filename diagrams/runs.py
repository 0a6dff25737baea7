"""Pictures of a run, from its log: a trace per record it touched and one timeline."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import graphviz

from bindsim.diagrams.extract import extract, machine_classes
from bindsim.diagrams.model import Trace
from bindsim.diagrams.output import check_format, check_lang, draw, write
from bindsim.diagrams.render_dot import trace_graph
from bindsim.diagrams.render_timeline import timeline_graph
from bindsim.diagrams.timeline import timeline
from bindsim.diagrams.trace import traces
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import Lang, Text


@dataclass(frozen=True)
class Run:
    """A finished run as data: its log (LogEntry objects or their dicts) and its rules and times.

    `start` is the clock's time when the run began (default: its first step); `end` its time when
    it finished (default: its last step).
    """

    name: str  # a file stem: "official_account_lifecycle"
    log: Sequence[Any]
    title: Text = field(default_factory=lambda: Text("", ""))
    ruleset: Ruleset | None = None
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def of_world(cls, world: Any, name: str, title: Text | None = None) -> Run:
        """A World's run so far: its log, rules and current time (any object with those)."""
        log = list(world.log)
        start = log[0].at if log else None
        return cls(name, log, title or Text(name, name), world.rules, start, world.now)


def trace_graphs(run: Run, lang: Lang = "en") -> list[tuple[Trace, graphviz.Digraph]]:
    """Each record's path over its machine, in the order the run first touched them."""
    classes = machine_classes()
    result = []
    for trace in traces(run.log, start=run.start, classes=classes):
        diagram = extract(classes[trace.machine], ruleset=run.ruleset)
        result.append((trace, trace_graph(diagram, trace, lang)))
    return result


def timeline_picture(run: Run, lang: Lang = "en") -> graphviz.Graph:
    return timeline_graph(timeline(run.log, run.ruleset, run.start, run.end), lang)


def trace_stem(run: Run, trace: Trace, lang: str) -> str:
    target = "".join(c if c.isalnum() or c in "-_" else "-" for c in trace.target)
    return f"{run.name}.trace.{target}.{lang}"


def write_run(
    run: Run,
    out: str | os.PathLike[str],
    formats: Iterable[str] = ("svg",),
    langs: Iterable[str] = ("en",),
) -> list[Path]:
    """OUT/<run>.timeline.<lang>.<ext> and OUT/<run>.trace.<record>.<lang>.<ext>."""
    formats = [check_format(f) for f in formats if f != "mermaid"]
    written = []
    for lang in langs:
        lang = check_lang(lang)
        for fmt in formats:
            written.append(
                write(
                    draw(timeline_picture(run, lang), fmt), out, f"{run.name}.timeline.{lang}", fmt
                )
            )
        for trace, graph in trace_graphs(run, lang):
            for fmt in formats:
                written.append(write(draw(graph, fmt), out, trace_stem(run, trace, lang), fmt))
    return written
