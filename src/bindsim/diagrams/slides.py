"""Pictures at slide size: each picture as one or more graphs, each of which, fitted to a 16:9
slide (13.33 × 7.5 in), shows no text under 12 pt (issue 26).

A machine that fits is its own slide, in the layout that shows its text largest. One that does
not (Seller Center: ten pages and their links) is cut into parts of consecutive states, each
with the states its arrows lead to drawn pale, and the plain navigation (Back, Home) said once
under the title instead of drawn. A trace shows the states its record visited, and its steps
over several slides when one would be too small. A timeline puts its lanes on as many slides
as it takes, every slide with the whole time axis and every step, and its steps in words on
slides of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from bindsim.diagrams.drawing import batches
from bindsim.diagrams.model import MachineDiagram, Timeline, Trace
from bindsim.diagrams.output import Graph, LayoutChooser, slide_scale
from bindsim.diagrams.render_dot import machine_graph, part_graph, quiet_events, trace_graph
from bindsim.diagrams.render_timeline import steps_graph, timeline_graph
from bindsim.machines.text import Lang, Text

T = TypeVar("T")

SLIDE_TEXT = 12.0  # pt: the least text on a slide the picture fills
PAD = 0.24  # inches: the pictures' pad (0.12 in each side), which -Tplain leaves out
MOST_PARTS = 6


def smallest_text(graph: Graph) -> float:
    """The smallest type size (pt) a graph sets any text in."""
    sizes = re.findall(r'(?:fontsize|point-size)="?([\d.]+)', graph.source)
    return min((float(x) for x in sizes), default=14.0)


class SlideMaker:
    """Makes the slide pictures, measuring candidates with the chooser's Graphviz."""

    def __init__(self, layouts: LayoutChooser | None = None) -> None:
        self.layouts = layouts or LayoutChooser("auto")

    def fit(self, graphs: Sequence[Graph]) -> list[bool]:
        """For each graph: does its smallest text stay ≥ 12 pt when it fills a slide?"""
        return [text >= SLIDE_TEXT for text in self.shown(graphs)]

    def shown(self, graphs: Sequence[Graph]) -> list[float]:
        """For each graph: the size (pt) of its smallest text when it fills a slide."""
        sizes = self.layouts.renderer.measure_all((g.source for g in graphs), graphs[0].engine)
        return [
            slide_scale(width + PAD, height + PAD) * smallest_text(graph)
            for (width, height), graph in zip(sizes, graphs, strict=True)
        ]

    def largest(self, graphs: Sequence[Graph]) -> tuple[Graph, float]:
        """The graph shown largest on a slide, and the size of its smallest text there."""
        shown = self.shown(graphs)
        best = shown.index(max(shown))
        return graphs[best], shown[best]

    # ------------------------------------------------------------------------- machines

    def machine(self, diagram: MachineDiagram, lang: Lang) -> list[Graph]:
        """A machine's slides: itself when it fits, else its parts."""
        whole = [machine_graph(diagram, lang, x) for x in self.layouts.candidates()]
        graph, text = self.largest(whole)
        if text >= SLIDE_TEXT:
            return [graph]
        graph, text = self._part(diagram, lang, _atomic(diagram), None)
        if text >= SLIDE_TEXT:  # without Back and Home
            return [graph]
        parts: list[tuple[Graph, float]] = []
        for count in range(2, MOST_PARTS + 1):
            chunks = _chunks(_atomic(diagram), count)
            parts = [
                self._part(diagram, lang, chunk, (number + 1, len(chunks)))
                for number, chunk in enumerate(chunks)
            ]
            if all(text >= SLIDE_TEXT for _, text in parts):
                break
        return [graph for graph, _ in parts]

    def _part(
        self,
        diagram: MachineDiagram,
        lang: Lang,
        states: list[str],
        part: tuple[int, int] | None,
    ) -> tuple[Graph, float]:
        quiet = quiet_events(diagram)
        unshown = tuple(t.label for t in diagram.transitions if t.event in quiet)
        arrows = tuple(
            t for t in diagram.transitions if t.source in states and t.event not in quiet
        )
        shown = diagram.only(frozenset(states) | {t.target for t in arrows}, arrows)
        elsewhere = frozenset(st.id for st in shown.states if not st.compound) - set(states)
        candidates = [
            part_graph(shown, lang, layout, part, elsewhere, unshown)
            for layout in self.layouts.candidates()
        ]
        clear = [g for g in candidates if not self.layouts.collide(g)] or candidates
        return self.largest(clear)

    # --------------------------------------------------------------------------- traces

    def trace(
        self, diagram: MachineDiagram, trace: Trace, lang: Lang, title: Text | None = None
    ) -> list[Graph]:
        """A trace's slides: over the states it visited, its steps split when need be."""
        moves: list[tuple[int, int, int]] = [  # (step, its sub-step, place): in the run's order
            (step.seq, step.sub, index) for index, step in enumerate(trace.steps)
        ]
        moves += [(r.seq, 0, -1 - index) for index, r in enumerate(trace.refusals)]
        moves.sort()
        slides: list[Graph] = []
        chunk: list[tuple[int, int, int]] = []
        drawn: tuple[Graph, float] | None = None
        for move in moves:  # as many moves to a slide as keep its text at 12 pt or more
            tried = self._trace_part(diagram, trace, [*chunk, move], lang, title)
            if drawn is not None and tried[1] < SLIDE_TEXT:
                slides.append(drawn[0])
                chunk, drawn = [move], self._trace_part(diagram, trace, [move], lang, title)
            else:
                chunk, drawn = [*chunk, move], tried
        if drawn is None:
            drawn = self._trace_part(diagram, trace, [], lang, title)
        return [*slides, drawn[0]]

    def _trace_part(
        self,
        diagram: MachineDiagram,
        trace: Trace,
        chunk: list[tuple[int, int, int]],
        lang: Lang,
        title: Text | None,
    ) -> tuple[Graph, float]:
        part = replace(
            trace,
            steps=tuple(trace.steps[i] for _, _, i in chunk if i >= 0),
            refusals=tuple(trace.refusals[-1 - i] for _, _, i in chunk if i < 0),
        )
        shown = diagram.only(part.visited or _first(diagram))
        hidden = len(_atomic(diagram)) - len(_atomic(shown))
        candidates = [
            trace_graph(shown, part, lang, layout, title, hidden)
            for layout in self.layouts.candidates()
        ]
        clear = [g for g in candidates if not self.layouts.collide(g)] or candidates
        return self.largest(clear)

    # ------------------------------------------------------------------------ timelines

    def timeline(self, timeline: Timeline, lang: Lang, title: Text | None = None) -> list[Graph]:
        """A timeline's slides: its lanes over as many as it takes, then its steps in words."""
        lanes = list(timeline.lanes)
        charts: list[Graph] = []
        for count in range(1, max(2, len(lanes) + 1)):
            charts = [
                timeline_graph(replace(timeline, lanes=tuple(chunk)), lang, title, steps=False)
                for chunk in _chunks(lanes, count)
            ]
            if all(self.fit(charts)):
                break
        marks = list(timeline.marks)
        lists: list[Graph] = []
        for count in range(1, max(2, len(marks) + 1)):
            lists = [steps_graph(timeline, chunk, lang, title) for chunk in _chunks(marks, count)]
            if all(self.fit(lists)):
                break
        return [*charts, *lists]


def _atomic(diagram: MachineDiagram) -> list[str]:
    return [st.id for st in diagram.states if not st.compound]


def _chunks(items: Sequence[T], count: int) -> list[list[T]]:
    """`items` in `count` consecutive runs of lengths as even as can be."""
    return batches(list(items), count) or [[]]


def _first(diagram: MachineDiagram) -> frozenset[str]:
    start = diagram.initial()
    return frozenset({diagram.leaf(start.id)} if start is not None else ())
