"""MachineDiagram (and optionally a Trace over it) → graphviz.Digraph, in English or Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

import graphviz

from bindsim.diagrams import style as s
from bindsim.diagrams import words
from bindsim.diagrams.model import (
    Exercised,
    MachineDiagram,
    StateInfo,
    Trace,
    TraceRefusal,
    TraceStep,
    TransitionInfo,
)
from bindsim.machines.spec import taken
from bindsim.machines.text import Lang, Text

START = "__start"

# How a machine is laid out: left to right, top to bottom, or wrapped into rows of N states
# (rank=same rows in a top-to-bottom layout), so that a long chain of screens fits a 16:9 slide.
LAYOUTS: tuple[str, ...] = ("lr", "tb", "wrap2", "wrap3")


def check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    return layout


def machine_graph(
    diagram: MachineDiagram, lang: Lang = "en", layout: str = "lr", compact: bool = False
) -> graphviz.Digraph:
    """The state diagram of a machine; active states (a live machine's) highlighted.

    `compact` leaves out the title, the guards and the rule IDs: the picture a storyboard slide
    shows beside its screens, small enough to stay readable there (the slide's caption names
    the machine, its deadlines and outcome give the rules).
    """
    return _Builder(diagram, lang, None, check_layout(layout), compact=compact).build()


def part_graph(
    diagram: MachineDiagram,
    lang: Lang,
    layout: str,
    part: tuple[int, int] | None,
    elsewhere: frozenset[str] = frozenset(),
    unshown: tuple[Text, ...] = (),
) -> graphviz.Digraph:
    """One part of a machine too large for one slide (`part`: its number and how many; None:
    the whole machine, without its plain navigation).

    The states in `elsewhere` are drawn dashed and pale: the arrows of this part lead there,
    and another part shows them. `unshown` names the plain navigation (Back, Home) left out,
    said once under the title.
    """
    builder = _Builder(diagram, lang, None, check_layout(layout))
    builder.part, builder.elsewhere, builder.unshown = part, elsewhere, unshown
    return builder.build()


def trace_graph(
    diagram: MachineDiagram,
    trace: Trace,
    lang: Lang = "en",
    layout: str = "lr",
    scenario: Text | None = None,
    unvisited: int = 0,
) -> graphviz.Digraph:
    """The path a record took over its machine: numbered steps, faded rest, refusals marked.

    `scenario` names the run in the title, so that a copied picture says where it comes from.
    `unvisited`: how many states of the machine were left out (a slide shows only the states
    the record visited), said under the title.
    """
    overlay = _Overlay.of(diagram, trace)
    builder = _Builder(diagram, lang, overlay, check_layout(layout), scenario)
    builder.unvisited = unvisited
    return builder.build()


def coverage_graph(
    diagram: MachineDiagram, exercised: Exercised, lang: Lang = "en", layout: str = "lr"
) -> graphviz.Digraph:
    """The machine with what runs exercised in blue (each arrow with how often it was taken)
    and what they never exercised dashed in orange."""
    return _Builder(diagram, lang, None, check_layout(layout), coverage=exercised).build()


def common_rules(diagram: MachineDiagram) -> tuple[str, ...]:
    """Rule IDs every state of a machine cites (R-UNLINK-PATH on every screen): said once."""
    atomic = [state for state in diagram.states if not state.compound]
    if len(atomic) < 3:
        return ()
    shared = set(atomic[0].rules).intersection(*(state.rules for state in atomic[1:]))
    return tuple(rule for rule in atomic[0].rules if rule in shared)


@dataclass
class _Overlay:
    """Which arrows a trace took (with its steps), where it ended, and what was refused where."""

    trace: Trace
    taken: dict[tuple[str, str, str], list[TraceStep]] = field(default_factory=dict)
    entered: list[TraceStep] = field(default_factory=list)  # steps that created the record
    refusals: dict[str, list[TraceRefusal]] = field(default_factory=dict)  # by state (or START)

    @classmethod
    def of(cls, diagram: MachineDiagram, trace: Trace) -> _Overlay:
        overlay = cls(trace)
        for step in trace.steps:
            if not step.before:
                overlay.entered.append(step)
                continue
            arrow = taken(diagram.transitions, diagram.leaf, step.event, step.before, step.after)
            if arrow is not None:
                overlay.taken.setdefault(arrow.key, []).append(step)
        for refusal in trace.refusals:
            anchor = _innermost(diagram, refusal.states) if refusal.states else START
            overlay.refusals.setdefault(anchor, []).append(refusal)
        return overlay


def quiet_events(diagram: MachineDiagram) -> frozenset[str]:
    """Events drawn without labels: plain navigation (Back, Home) found on 3 or more arrows."""
    counts: dict[str, int] = {}
    loud: set[str] = set()
    for transition in diagram.transitions:
        counts[transition.event] = counts.get(transition.event, 0) + 1
        if transition.guard or transition.timer or transition.follows:
            loud.add(transition.event)
    return frozenset(e for e, n in counts.items() if n >= 3 and e not in loud)


def _innermost(diagram: MachineDiagram, states: tuple[str, ...]) -> str:
    known = [x for x in states if any(st.id == x for st in diagram.states)]
    atomic = [x for x in known if not diagram.state(x).compound]
    return (atomic or known or [START])[0]


class _Builder:
    def __init__(
        self,
        diagram: MachineDiagram,
        lang: Lang,
        overlay: _Overlay | None = None,
        layout: str = "lr",
        scenario: Text | None = None,
        coverage: Exercised | None = None,
        compact: bool = False,
    ):
        self.d = diagram
        self.compact = compact
        self.coverage = coverage
        self.lang = lang
        self.overlay = overlay
        self.layout = layout
        self.scenario = scenario
        self.font = s.font(lang)
        self.common = common_rules(diagram)
        self.active = (
            frozenset(overlay.trace.final) if overlay is not None else frozenset(diagram.active)
        )
        self.visited = overlay.trace.visited if overlay is not None else frozenset()
        self.quiet = quiet_events(diagram)
        # An event's rule IDs are printed once, on its first arrow.
        self.first_of_event: dict[str, tuple[str, str, str]] = {}
        for transition in diagram.transitions:
            self.first_of_event.setdefault(transition.event, transition.key)
        self.part: tuple[int, int] | None = None  # (number, of): a part of a large machine
        self.elsewhere: frozenset[str] = frozenset()  # states another part shows
        self.unshown: tuple[Text, ...] = ()  # plain navigation left out
        self.unvisited = 0  # states a trace's slide leaves out

    def t(self, text: Text) -> str:
        return text(self.lang)

    def _on_screen(self, label: str) -> str:
        """A tapped or clicked label (as the log keeps it, in English) in the picture's language."""
        for transition in self.d.transitions:
            if label in (transition.label.en, transition.label.zh):
                return self.t(transition.label)
        return label

    def _own(self, rules: tuple[str, ...]) -> tuple[str, ...]:
        """Rule IDs without those the title gives for the whole machine (none when compact)."""
        if self.compact:
            return ()
        return tuple(rule for rule in rules if rule not in self.common)

    # ------------------------------------------------------------------ the graph

    def build(self) -> graphviz.Digraph:
        name = self.d.name if self.overlay is None else f"{self.d.name}_{self.overlay.trace.target}"
        if self.coverage is not None:
            name += "_coverage"
        graph = graphviz.Digraph(name=s.dot_string(name))
        graph.attr(
            rankdir="LR" if self.layout == "lr" else "TB",
            fontname=self.font,
            fontsize=str(s.SIZE_NOTE),
            fontcolor=s.INK,
            labelloc="t",
            labeljust="l",
            label="" if self.compact else f"<{self._title()}>",
            compound="true",
            newrank="true",
            nodesep="0.3" if self.compact else "0.45",
            ranksep="0.4" if self.compact else "0.55",
            pad="0.12",  # a slide has margins of its own
            bgcolor="white",
        )
        graph.attr(
            "node",
            fontname=self.font,
            fontsize=str(s.SIZE_NODE),
            fontcolor=s.INK,
            shape="box",
            style="rounded,filled",
            margin="0.16,0.08",
            penwidth="1.4",
        )
        graph.attr(
            "edge", fontname=self.font, fontsize=str(s.SIZE_EDGE), fontcolor=s.INK, color=s.EDGE
        )
        self._level(graph, None)
        for transition in self.d.transitions:
            self._edge(graph, transition)
        if self.overlay is not None:
            self._refusals(graph)
        self._rows(graph)
        return graph

    def _rows(self, graph: graphviz.Digraph) -> None:
        """wrapN: the atomic states, in the order the machine declares them, N to a row."""
        if not self.layout.startswith("wrap"):
            return
        per_row = int(self.layout.removeprefix("wrap"))
        atomic = [state.id for state in self.d.states if not state.compound]
        for first in range(0, len(atomic), per_row):
            with graph.subgraph() as row:
                row.attr(rank="same")
                for state_id in atomic[first : first + per_row]:
                    row.node(state_id)

    def _title(self) -> str:
        heading = self.t(self.d.title)
        if self.part is not None:
            heading += f" ({self.part[0]}/{self.part[1]})"
        if self.overlay is not None and self.scenario is not None:
            heading = f"{self.t(self.scenario)} · {heading}"
        if self.coverage is not None:
            heading = f"{heading} · {self.t(words.COVERAGE_TITLE)}"
        lines = [s.heading(line) for line in s.wrap(heading, self.lang, 60)]
        if self.common:
            note = self.t(words.COMMON_RULES).format(rules=" · ".join(self.common))
            lines += [s.small(s.html(x)) for x in s.wrap(note, self.lang, 100)]
        for state in self.d.states:
            own = self._own(state.rules) if state.compound else ()
            if own:
                note = f"{self.t(state.label)}: {' · '.join(own)}"
                lines += [s.small(s.html(x)) for x in s.wrap(note, self.lang, 100)]
        if self.quiet:
            labels = " · ".join(
                dict.fromkeys(self.t(t.label) for t in self.d.transitions if t.event in self.quiet)
            )
            note = self.t(words.QUIET_NOTE).format(labels=labels)
            lines += [s.small(s.html(x)) for x in s.wrap(note, self.lang, 100)]
        if self.unvisited:
            note = self.t(words.UNVISITED_NOTE).format(count=self.unvisited)
            lines.append(s.small(s.html(note)))
        if self.unshown:
            labels = " · ".join(dict.fromkeys(self.t(label) for label in self.unshown))
            note = self.t(words.UNSHOWN_NOTE).format(labels=labels)
            lines += [s.small(s.html(x)) for x in s.wrap(note, self.lang, 100)]
        followers = dict.fromkeys(self.t(t.label) for t in self.d.transitions if t.follows)
        if followers:
            note = self.t(words.FOLLOW_NOTE).format(labels=" · ".join(followers))
            lines += [s.small(s.html(x)) for x in s.wrap(note, self.lang, 100)]
        if self.coverage is not None:
            (states, of_states), (moves, of_moves) = self.d.covered(self.coverage)
            note = self.t(words.COVERAGE).format(
                states=f"{states}/{of_states}", transitions=f"{moves}/{of_moves}"
            )
            lines.append(s.small(s.html(note), colour=s.INK, size=s.SIZE_CAPTION))
        if self.overlay is not None:
            trace = self.overlay.trace
            who = " · ".join(
                s.html(self._subject_value(key, value)) for key, value in trace.subject.items()
            )
            start, utc = words.clock_text(trace.start, trace.start.tzinfo or UTC)
            when = f"{s.html(self.t(words.RUN_START))} {s.html(start)} (+0)"
            when += f" · {s.html(utc)}" if utc else ""
            caption = f"{s.html(self.t(words.TRACE))}: {s.html(trace.target)} · {who} · {when}"
            lines.append(s.small(caption, colour=s.INK, size=s.SIZE_CAPTION))
        return s.title_block(lines)

    def _subject_value(self, key: str, value: str) -> str:
        if key == "role" and value in words.ROLES_TEXT:
            return self.t(words.ROLES_TEXT[value])
        return value

    # ----------------------------------------------------------------- the states

    def _level(self, graph: graphviz.Digraph, parent: str | None) -> None:
        initial = self.d.initial(parent)
        if initial is not None:
            self._start(graph, parent, initial)
        for state in self.d.children(parent):
            if state.compound:
                with graph.subgraph(name=f"cluster_{state.id}") as cluster:
                    self._cluster(cluster, state)
                    self._level(cluster, state.id)
            else:
                self._node(graph, state)

    def _start(self, graph: graphviz.Digraph, parent: str | None, initial: StateInfo) -> None:
        start = START if parent is None else f"{START}_{parent}"
        graph.node(
            start,
            label="",
            shape="circle",
            style="filled",
            fillcolor=s.INK,
            color=s.INK,
            width="0.18",
            height="0.18",
            fixedsize="true",
        )
        attrs: dict[str, str] = {"arrowsize": "0.8"}
        if initial.compound:
            attrs["lhead"] = f"cluster_{initial.id}"
        if self.overlay is not None and parent is None:
            entered = self.overlay.entered
            trace = self.overlay.trace
            first = trace.steps[0].before if trace.steps else ()
            if entered:
                attrs.update(self._taken_attrs(entered))
                attrs["label"] = f"<{self._steps_line(entered)}>"
            elif self.d.leaf(initial.id) in first or (not trace.steps and trace.refusals):
                attrs.update(self._taken_attrs())  # there from the start: a screen, say
            else:
                attrs.update(color=s.FADED)
        graph.edge(start, self.d.leaf(initial.id), **attrs)
        if parent is not None and not initial.compound:
            # Beside its target, not a rank before it: the cluster then starts where its states
            # do, and the labels of arrows coming into the cluster stay outside it.
            with graph.subgraph() as same:
                same.attr(rank="same")
                same.node(start)
                same.node(initial.id)

    def _cluster(self, cluster: graphviz.Digraph, state: StateInfo) -> None:
        line = s.STATE_COLOURS[state.kind][1]
        active = state.id in self.active
        faded = self.overlay is not None and state.id not in self.visited
        # Its rule IDs go under the title (cluster_rules): a wide cluster label is where
        # Graphviz puts edge labels over it.
        parts = [f"<b>{s.html(self.t(state.label))}</b>"]
        if active and not self.compact:  # compact: the colour says it, the caption and alt text too
            parts.append(s.small("● " + s.html(self.t(words.CURRENT)), s.ACTIVE_LINE))
        cluster.attr(
            label=f"<{s.lines(parts)}>",
            labeljust="l",
            style="rounded,filled",
            fillcolor="#fff8e1" if active else s.CLUSTER_FILL,
            color=s.ACTIVE_LINE if active else (s.FADED if faded else line),
            penwidth="2.4" if active else "1.4",
            fontcolor=s.FADED_INK if faded else s.INK,
            fontsize=str(s.SIZE_NODE),
            margin="14",
            **({"class": "active"} if active else {}),
        )

    def _node(self, graph: graphviz.Digraph, state: StateInfo) -> None:
        fill, line = s.STATE_COLOURS[state.kind]
        ink = s.ERROR_INK if state.kind == "error" else s.INK
        attrs: dict[str, str] = {"fillcolor": fill, "color": line, "fontcolor": ink}
        parts = [s.html(x) for x in s.wrap(self.t(state.label), self.lang, 22)]
        parts += [s.small(r) for r in s.rule_lines(self._own(state.rules))]
        if state.kind == "final":
            attrs["peripheries"] = "2"
        if state.kind == "error":
            attrs["style"] = "rounded,filled,bold"
        faded = state.id in self.elsewhere
        if faded or (self.overlay is not None and state.id not in self.visited):
            attrs.update(fillcolor=s.FADED_FILL, color=s.FADED, fontcolor=s.FADED_INK)
            parts = [s.html(x) for x in s.wrap(self.t(state.label), self.lang, 22)]
        if faded:
            attrs["style"] = "rounded,filled,dashed"
        if self.coverage is not None:
            if state.id in self.coverage.states:
                attrs.update(color=s.TAKEN, penwidth="2.4")
            else:
                attrs.update(fillcolor=s.MISSED_FILL, color=s.MISSED, style="rounded,filled,dashed")
                attrs["class"] = "missed"
        if state.id in self.active:
            attrs.update(fillcolor=s.ACTIVE_FILL, color=s.ACTIVE_LINE, penwidth="3")
            attrs["class"] = "active"
            if not self.compact:
                parts.append(s.small("● " + s.html(self.t(words.CURRENT)), s.ACTIVE_LINE))
        graph.node(state.id, label=f"<{s.lines(parts)}>", **attrs)

    # ---------------------------------------------------------------- the arrows

    def _edge(self, graph: graphviz.Digraph, transition: TransitionInfo) -> None:
        source, target = self.d.state(transition.source), self.d.state(transition.target)
        attrs: dict[str, str] = {}
        if source.compound:
            attrs["ltail"] = f"cluster_{source.id}"
        timer_colour = s.TIMER
        guard_colour = s.GUARD
        parts: list[str] = []
        attrs["id"] = f"{self.d.name}:{transition.source}-{transition.event}->{transition.target}"
        quiet = transition.event in self.quiet
        if transition.timer is not None:
            attrs.update(style="dashed", color=s.TIMER)
        if transition.follows is not None:  # no label is tapped: the screen follows the World
            attrs.update(style="dashed", color=s.FOLLOW, fontcolor=s.FOLLOW, minlen="2")
        if quiet:
            # Back, Home ...: on many screens; unlabelled, so that the forward path stands out.
            attrs.update(style="dotted", color=s.QUIET, arrowsize="0.6")
        steps = self.overlay.taken.get(transition.key, []) if self.overlay is not None else []
        if steps:
            attrs.update(self._taken_attrs(steps))
            parts.append(self._steps_line(steps))
        elif self.overlay is not None:
            attrs.update(color=s.FADED, fontcolor=s.FADED_INK, **{"class": "untaken"})
            timer_colour = guard_colour = s.FADED_INK
        if self.coverage is not None:
            count = self.coverage.transitions.get(transition.key, 0)
            if count:
                attrs.update(color=s.TAKEN, penwidth="2.4", style="solid", **{"class": "taken"})
                parts.append(f'<font color="{s.TAKEN_INK}"><b>×{count}</b></font>')
            else:
                attrs.update(color=s.MISSED, fontcolor=s.MISSED, style="dashed")
                attrs["class"] = "missed"
        # A screen's move after another machine's event is labelled on one arrow only.
        repeated = transition.follows and self.first_of_event[transition.event] != transition.key
        if (quiet or repeated) and not steps:
            attrs["tooltip"] = self.t(transition.label)
            graph.edge(self.d.leaf(source.id), self.d.leaf(target.id), **attrs)
            return
        width = 18 if self.compact else 30  # a compact picture is narrower: shorter lines
        parts += [s.html(x) for x in s.wrap(self.t(transition.label), self.lang, width)]
        if transition.guard is not None and not self.compact:
            guard = s.wrap(self.t(transition.guard), self.lang, 30)
            # Brackets join the text: graphviz rejects a line that is a lone "]".
            guard[0] = "[" + guard[0]
            guard[-1] += "]"
            # Italic in English only: CJK fonts have no italic, a slanted fake crowds the lines.
            slant = ("<i>", "</i>") if self.lang == "en" else ("", "")
            parts += [
                f'<font color="{guard_colour}">{slant[0]}{s.html(x)}{slant[1]}</font>'
                for x in guard
            ]
        if transition.timer is not None:
            parts.append(f'<font color="{timer_colour}">{s.html(self.t(transition.timer))}</font>')
        if self.first_of_event.get(transition.event) == transition.key:
            parts += [s.small(r) for r in s.rule_lines(self._own(transition.rules))]
        graph.edge(
            self.d.leaf(source.id), self.d.leaf(target.id), label=f"<{s.lines(parts)}>", **attrs
        )

    def _taken_attrs(self, steps: list[TraceStep] | None = None) -> dict[str, str]:
        """A taken arrow; its classes name its steps (step-4), which an animation reads."""
        classes = " ".join(["taken", *dict.fromkeys(f"step-{x.seq}" for x in steps or [])])
        return {"color": s.TAKEN, "penwidth": "2.6", "style": "solid", "class": classes}

    def _steps_line(self, steps: list[TraceStep]) -> str:
        """ "#3 +47h", several steps at one time together: "#6.1 #6.3 +71h"."""
        start = self.overlay.trace.start if self.overlay is not None else steps[0].at
        groups: dict[str, list[str]] = {}
        for step in steps:
            when = self.t(words.elapsed_text(step.at - start))
            groups.setdefault(when, []).append(f"#{step.number}")
        marks = [f"{' '.join(numbers)} {when}" for when, numbers in groups.items()]
        text = "<br/>".join(s.html(", ".join(marks[i : i + 2])) for i in range(0, len(marks), 2))
        return f'<font color="{s.TAKEN_INK}"><b>{text}</b></font>'

    # ------------------------------------------------------------------ refusals

    def _refusals(self, graph: graphviz.Digraph) -> None:
        assert self.overlay is not None
        start = self.overlay.trace.start
        for anchor, refusals in self.overlay.refusals.items():
            for refusal in refusals:
                node = f"refusal_{refusal.seq}"
                when = self.t(words.elapsed_text(refusal.at - start))
                action = self.t(refusal.what)
                if refusal.label:
                    label = self._on_screen(refusal.label)
                    action += self.t(words.QUOTED).format(label=label)
                parts = [
                    f"<b>× #{refusal.seq} {s.html(when)}</b>",
                    f"{s.html(action)}: {s.html(self.t(words.REFUSED))}",
                ]
                for code in refusal.reasons:
                    parts.append(f"<b>{s.html(code)}</b>")
                    message = words.reason_message(code)
                    if message is not None:
                        parts += [
                            s.small(s.html(x), s.ERROR_INK)
                            for x in s.wrap(message(self.lang), self.lang, 34)
                        ]
                graph.node(
                    node,
                    label=f"<{s.lines(parts)}>",
                    shape="box",
                    style="rounded,filled,dashed",
                    fillcolor=s.REFUSAL_FILL,
                    color=s.REFUSAL_LINE,
                    fontcolor=s.ERROR_INK,
                    fontsize=str(s.SIZE_EDGE),
                    **{"class": f"refusal step-{refusal.seq}"},
                )
                graph.edge(
                    anchor,
                    node,
                    color=s.REFUSAL_LINE,
                    style="dashed",
                    arrowhead="tee",
                    **{"class": f"refusal step-{refusal.seq}"},
                )
