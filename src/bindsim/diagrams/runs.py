"""Pictures of a run, from its log: a trace per record it touched and one timeline."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

import graphviz

from bindsim.diagrams.animate import animated_trace
from bindsim.diagrams.drawing import DEFAULT_DPI
from bindsim.diagrams.extract import extract, machine_classes
from bindsim.diagrams.model import Trace
from bindsim.diagrams.output import (
    Derived,
    Drawing,
    Graph,
    LayoutChooser,
    Planned,
    check_format,
    check_lang,
    graph_files,
)
from bindsim.diagrams.render_dot import trace_graph
from bindsim.diagrams.render_gantt import gantt
from bindsim.diagrams.render_timeline import timeline_graph
from bindsim.diagrams.slides import SlideMaker
from bindsim.diagrams.timeline import timeline
from bindsim.diagrams.trace import traces
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import Lang, Text


@dataclass(frozen=True)
class Run:
    """A finished run as data: its log (LogEntry objects or their dicts) and its rules and times.

    `start` is the clock's time when the run began (default: its first step); `end` its time when
    it finished (default: its last step). `title` names it in both languages (a scenario's
    `name` and `name_zh`): every picture of the run carries it.
    """

    name: str  # a file stem: "official_account_lifecycle"
    log: Sequence[Any]
    title: Text = field(default_factory=lambda: Text("", ""))
    ruleset: Ruleset | None = None
    start: datetime | None = None
    end: datetime | None = None
    # Log entry (seq) → the scenario step it belongs to: the pictures then number steps as the
    # scenario, its storyboard and its report do (a log may hold several entries for one step,
    # and none for an `advance` or an `expect`). Empty: the log's own numbers.
    steps: Mapping[int, int] = field(default_factory=dict)
    # What each action of the log is called, in both languages: the simulator hands its actions
    # table's words (bindsim.simulator.actions.ACTION_WORDS); an action without words keeps its
    # own name.
    actions: Mapping[str, Text] = field(default_factory=dict)

    @classmethod
    def of_world(
        cls,
        world: Any,
        name: str,
        title: Text | None = None,
        actions: Mapping[str, Text] | None = None,
    ) -> Run:
        """A World's run so far: its log, rules and current time (any object with those)."""
        log = list(world.log)
        start = log[0].at if log else None
        title = title or Text(name, name)
        return cls(name, log, title, world.rules, start, world.now, actions=actions or {})

    def traces(self) -> list[Trace]:
        """Each record's path, in the order the run first touched them."""
        return traces(
            self.numbered_log(), self.start, classes=machine_classes(), actions=self.actions
        )

    def numbered_log(self) -> list[Any]:
        """The log with each entry numbered by its scenario step (`steps`), when known."""
        if not self.steps:
            return list(self.log)
        numbered: list[Any] = []
        for entry in self.log:
            seq = entry["seq"] if isinstance(entry, dict) else entry.seq
            step = self.steps.get(int(seq), int(seq))
            if isinstance(entry, dict):
                numbered.append({**entry, "seq": step})
            else:
                numbered.append(replace(entry, seq=step))
        return numbered


def trace_graphs(
    run: Run, lang: Lang = "en", layouts: LayoutChooser | None = None
) -> list[tuple[Trace, graphviz.Digraph]]:
    """Each record's path over its machine, in its machine's layout, titled with the run.

    When the layout is chosen (auto, wrap) and the trace's own labels (its steps, its refusals)
    would sit on one another in the machine's layout, the trace is drawn in the candidate
    layout where none do that shows its text largest on a slide.
    """
    classes = machine_classes()
    choose = layouts or LayoutChooser("lr")
    result = []
    for trace in run.traces():
        diagram = extract(classes[trace.machine], ruleset=run.ruleset)
        layout = choose(diagram, lang)
        graph = trace_graph(diagram, trace, lang, layout, _title(run))
        others = [x for x in choose.candidates() if x != layout]
        if others and choose.collide(graph):
            graph = choose.clear(
                [trace_graph(diagram, trace, lang, x, _title(run)) for x in others], graph
            )
        result.append((trace, graph))
    return result


def trace_slides(
    run: Run,
    lang: Lang = "en",
    slides: SlideMaker | None = None,
    targets: Collection[str] | None = None,
) -> list[tuple[Trace, list[Graph]]]:
    """Each record's path as slides (`SlideMaker.trace`): no text under 12 pt on a 16:9 slide.
    `targets`: only these records' paths ("bind-1", "app:alice", or one as a string); None:
    every one."""
    classes = machine_classes()
    maker = slides or SlideMaker()
    wanted = None if targets is None else {targets} if isinstance(targets, str) else set(targets)
    return [
        (
            trace,
            maker.trace(
                extract(classes[trace.machine], ruleset=run.ruleset), trace, lang, _title(run)
            ),
        )
        for trace in run.traces()
        if wanted is None or trace.target in wanted
    ]


def timeline_slides(run: Run, lang: Lang = "en", slides: SlideMaker | None = None) -> list[Graph]:
    """The run along simulated time as slides (`SlideMaker.timeline`)."""
    return (slides or SlideMaker()).timeline(_timeline(run), lang, _title(run))


def timeline_picture(run: Run, lang: Lang = "en") -> graphviz.Graph:
    """The run along simulated time, titled with the run's name in `lang`."""
    return timeline_graph(_timeline(run), lang, _title(run))


def timeline_gantt(run: Run, lang: Lang = "en") -> str:
    """The run along simulated time as a Mermaid gantt chart (GitHub renders it)."""
    return gantt(_timeline(run), lang, _title(run))


def _timeline(run: Run) -> Any:
    return timeline(run.numbered_log(), run.ruleset, run.start, run.end, actions=run.actions)


def _title(run: Run) -> Text | None:
    return run.title if run.title.en or run.title.zh else None


def trace_stem(run: Run, trace: Trace, lang: str) -> str:
    target = "".join(c if c.isalnum() or c in "-_" else "-" for c in trace.target)
    return f"{run.name}.trace.{target}.{lang}"


def run_files(
    run: Run,
    formats: Sequence[str] = ("svg",),
    langs: Sequence[str] = ("en",),
    layouts: LayoutChooser | None = None,
    dpi: float = DEFAULT_DPI,
    folder: str = "",
) -> list[Planned]:
    """<folder><run>.timeline.<lang>.<ext> (and .mmd, a Mermaid gantt chart) and
    <folder><run>.trace.<record>.<lang>.<ext>; with svg, each trace also as .animated.svg."""
    formats = [check_format(f) for f in formats]
    planned: list[Planned] = []
    for lang in (check_lang(x) for x in langs):
        stem = f"{folder}{run.name}.timeline.{lang}"
        gantt_text = partial(timeline_gantt, run, lang)
        planned += graph_files(timeline_picture(run, lang), stem, formats, dpi, gantt_text)
        for trace, graph in trace_graphs(run, lang, layouts):
            stem = f"{folder}{trace_stem(run, trace, lang)}"
            files = graph_files(graph, stem, [f for f in formats if f != "mermaid"], dpi)
            planned += [
                _with_animation(item, trace) if isinstance(item, Drawing) else item
                for item in files
            ]
    return planned


def _animate(trace: Trace, svg: bytes) -> bytes:
    return animated_trace(svg, trace)


def _with_animation(drawing: Drawing, trace: Trace) -> Drawing:
    if "svg" not in drawing.job.formats or not trace.steps:
        return drawing
    animated = Derived(f"{drawing.stem}.animated.svg", "svg", partial(_animate, trace))
    return Drawing(drawing.stem, drawing.job, (animated,))
