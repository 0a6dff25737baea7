"""Timeline → graphviz.Graph drawn by `neato` with pinned positions: lanes along simulated time.

The time axis is to scale (the 48h window is twice the 24h lock), except where nothing happens
for more than 3 days: that stretch is cut out, and a break mark (//, "≈ 177 days") says so, on
the axis and on every window that spans it. So a 180-day window and a one-minute step fit in one
picture. Marks of steps too close to tell apart are stacked upwards; a state's name goes inside
its bar when it fits (on two lines if need be), otherwise just below it: never cut short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import graphviz

from bindsim.diagrams import style as s
from bindsim.diagrams import textfit, words
from bindsim.diagrams.model import Mark, Span, Timeline
from bindsim.diagrams.output import slide_scale
from bindsim.machines.text import Lang, Text

INCH_PER_HOUR = 0.06
TO_SCALE = timedelta(hours=72)  # a quiet stretch longer than this is cut out
CUT_WIDTH = 0.7  # inches a cut-out stretch takes
MARK_STACK = 0.46  # inches between stacked marks
LANE_HEIGHT = 1.35
WINDOW_ROW = 0.9  # extra room for each further window that would overlap another
TEXT = s.SIZE_NOTE  # pt: every small text (ticks, windows, bars, marks, the steps)
LANE_TEXT = s.SIZE_EDGE  # pt: the lanes' names
AXIS_START = 0.3


@dataclass(frozen=True, slots=True)
class _Axis:
    """Where each instant sits on the x axis, in inches."""

    times: dict[datetime, float]
    breaks: tuple[tuple[float, timedelta], ...]  # (middle of a compressed gap, its length)

    def x(self, when: datetime) -> float:
        return self.times[when]

    @classmethod
    def of(cls, timeline: Timeline) -> _Axis:
        instants = {timeline.start, timeline.end}
        for lane in timeline.lanes:
            for span in lane.spans:
                instants.update((span.start, span.end))
        instants.update(mark.at for mark in timeline.marks)
        times: dict[datetime, float] = {}
        breaks: list[tuple[float, timedelta]] = []
        x = AXIS_START
        previous: datetime | None = None
        for when in sorted(instants):
            if previous is not None:
                gap = when - previous
                if gap > TO_SCALE:
                    breaks.append((x + CUT_WIDTH / 2, gap))
                    x += CUT_WIDTH
                else:
                    x += gap.total_seconds() / 3600 * INCH_PER_HOUR
            times[when] = x
            previous = when
        return cls(times, tuple(breaks))

    def cuts_within(self, start: datetime, end: datetime) -> list[float]:
        """Where cut-out stretches lie between two instants (x of each break mark)."""
        x0, x1 = self.x(start), self.x(end)
        return [x for x, _ in self.breaks if x0 < x < x1]


def _span_label(group: list[Mark]) -> str:
    """ "13–21" for marks of several steps; "8" for several marks of one step."""
    first, last = group[0].seq, group[-1].seq
    return str(first) if first == last else f"{first}–{last}"


def _text_width(text: str, size: float, lang: Lang) -> float:
    """How wide a label is, in inches, measured with the font it is drawn in."""
    family = s.FONT if lang == "zh" else s.FONT_FAMILIES[0]
    return textfit.text_width(text, size, family) / textfit.POINTS


def timeline_graph(
    timeline: Timeline, lang: Lang = "en", title: Text | None = None, steps: bool = True
) -> graphviz.Graph:
    """The picture of a Timeline: every step marked on top, a lane per record below.

    `title` names the run (a scenario's name), so that a copied picture says which it shows.
    `steps`: the steps in words beside or below the lanes (a slide puts them on slides of
    their own: `steps_graph`).
    """
    return _Drawing(timeline, lang, title, steps).build()


def steps_graph(
    timeline: Timeline, marks: Sequence[Mark], lang: Lang = "en", title: Text | None = None
) -> graphviz.Graph:
    """Some of a timeline's steps in words (number, time, who did what, outcome), titled."""
    drawing = _Drawing(timeline, lang, title, steps=False)
    graph = graphviz.Graph(name="steps")
    graph.attr(
        fontname=drawing.font,
        bgcolor="white",
        pad="0.12",
        labelloc="t",
        labeljust="l",
        label=f"<{drawing._title()}>",
    )
    graph.attr("node", fontname=drawing.font, fontsize=str(TEXT), fontcolor=s.INK)
    graph.node("steps", label=f"<{drawing.steps_table(marks)}>", shape="plaintext")
    return graph


class _Drawing:
    def __init__(
        self, timeline: Timeline, lang: Lang, title: Text | None = None, steps: bool = True
    ) -> None:
        self.tl = timeline
        self.steps = steps
        self.lang = lang
        self.title = title
        self.font = s.font(lang)
        self.axis = _Axis.of(timeline)
        self.graph = graphviz.Graph(name="timeline", engine="neato")
        self.bottom = -self._height() - 0.4 * LANE_HEIGHT
        self._below: dict[float, list[float]] = {}
        self._levels = 1  # rows of stacked marks  # per lane: where labels below bars end

    def t(self, text: Text) -> str:
        return text(self.lang)

    def width(self, text: str, size: float = TEXT) -> float:
        return _text_width(text, size, self.lang)

    def pin(self, name: str, x: float, y: float, **attrs: str) -> None:
        self.graph.node(name, pos=f"{x:.3f},{y:.3f}!", **attrs)

    def text(
        self,
        name: str,
        x: float,
        y: float,
        text: str,
        size: float = TEXT,
        colour: str = s.INK,
        anchor: str = "left",
    ) -> None:
        """A line of text that starts (or, anchored right, ends) at x."""
        width = self.width(text, size) + 0.12
        centre = {"left": x + width / 2, "right": x - width / 2}.get(anchor, x)
        self.pin(
            name,
            centre,
            y,
            label=s.html(text),  # a plain label reads entities and backslashes alike
            shape="plaintext",
            width=f"{width:.3f}",
            height="0.28",
            fontsize=f"{size:g}",
            fontcolor=colour,
        )

    def build(self) -> graphviz.Graph:
        self.graph.attr(
            fontname=self.font,
            bgcolor="white",
            pad="0.12",
            outputorder="edgesfirst",
            splines="line",
            labelloc="t",
            labeljust="l",
            label=f"<{self._title()}>",
        )
        self.graph.attr(
            "node",
            fontname=self.font,
            fontsize=str(TEXT),
            fontcolor=s.INK,
            shape="box",
            fixedsize="true",
            penwidth="1",
        )
        self.graph.attr("edge", color="#e3e8ee", penwidth="1")
        self._axis()
        self._marks()
        y = 0.0
        for row, lane in enumerate(self.tl.lanes):
            y -= LANE_HEIGHT
            self.text(f"lane_{row}", -0.2, y, self.t(lane.label), size=LANE_TEXT, anchor="right")
            windows = [span for span in lane.spans if span.kind == "window"]
            rows = self._window_rows(windows)
            for index, span in enumerate(windows):
                self._window(span, f"lane_{row}_window_{index}", y - WINDOW_ROW * rows[index])
            states = [span for span in lane.spans if span.kind != "window"]
            for index, span in enumerate(states):
                self._state(span, f"lane_{row}_state_{index}", y)
            y -= WINDOW_ROW * max(rows, default=0)
        if self.steps:
            self._legend()
        return self.graph

    def _window_rows(self, windows: list[Span]) -> list[int]:
        """A sub-row per window, so that overlapping windows and their labels stay apart."""
        taken: list[float] = []  # per sub-row: where its last window and label end
        rows = []
        for span in windows:
            x0, x1 = self.axis.x(span.start), self.axis.x(span.end)
            right = max(x1, x0 + self.width(self.t(span.label)) + 0.1)
            row = next((i for i, end in enumerate(taken) if end < x0), len(taken))
            if row == len(taken):
                taken.append(right)
            taken[row] = right
            rows.append(row)
        return rows

    def _height(self) -> float:
        rows = 0
        for lane in self.tl.lanes:
            windows = [span for span in lane.spans if span.kind == "window"]
            rows += max(self._window_rows(windows), default=0)
        return LANE_HEIGHT * len(self.tl.lanes) + WINDOW_ROW * rows

    def _title(self) -> str:
        start, utc = words.clock_text(self.tl.start, self.tl.start.tzinfo or UTC)
        caption = f"{self.t(words.TIMELINE)} · {self.t(words.RUN_START)} {start} (+0)"
        caption += f" · {utc}" if utc else ""
        heading = self.t(self.title) if self.title is not None else self.t(words.TIMELINE)
        lines = [s.heading(line) for line in s.wrap(heading, self.lang, 70)]
        return s.title_block([*lines, s.small(s.html(caption), s.INK, s.SIZE_CAPTION)])

    def _axis(self) -> None:
        """A baseline with the instants of the run; compressed gaps marked ≈ with their length."""
        right = max(self.axis.times.values()) + 0.4
        self.pin("axis_left", AXIS_START, 0, shape="point", width="0.01", style="invis")
        self.pin("axis_right", right, 0, shape="point", width="0.01", style="invis")
        self.graph.edge("axis_left", "axis_right", color=s.MUTED, penwidth="1.2")
        last_label = -10.0
        for index, (when, x) in enumerate(sorted(self.axis.times.items())):
            self.pin(f"tick_{index}", x, 0, shape="point", width="0.05", color=s.MUTED)
            if x - last_label >= 0.95:
                elapsed = self.t(words.elapsed_text(when - self.tl.start))
                self.text(f"tick_label_{index}", x, 0.24, elapsed, colour=s.MUTED)
                last_label = x
        for index, (x, gap) in enumerate(self.axis.breaks):
            text = f"≈ {self.t(words.duration_text(gap))}"
            self.text(f"break_{index}", x, -0.24, text, colour=s.MUTED, anchor="middle")
            self.cut(f"axis_cut_{index}", x, 0, s.MUTED)

    def cut(self, name: str, x: float, y: float, colour: str) -> None:
        """A break mark (//) where a stretch of time is cut out of a line, a bar or a frame."""
        self.pin(
            name,
            x,
            y,
            label="<<b>//</b>>",
            shape="box",
            width="0.14",
            height="0.2",
            style="filled",
            fillcolor="white",
            color="white",
            fontcolor=colour,
            fontsize=str(TEXT),
            **{"class": "cut"},
        )

    def _marks(self) -> None:
        """Every step as a numbered mark (refusals red, timers diamonds), a guide line below.

        Marks at one instant are stacked; a run of 3 or more plain steps there (a click path)
        or of timers becomes one mark "13–21".
        """
        base = 0.68
        self.text("marks_title", -0.2, base, self.t(words.ACTIONS), size=LANE_TEXT, anchor="right")
        groups: list[list[Mark]] = []
        for mark in self.tl.marks:
            last = groups[-1] if groups else None
            if (
                last is not None
                and last[0].at == mark.at
                and last[0].outcome == mark.outcome != "refused"
            ):
                last.append(mark)
            else:
                groups.append([mark])
        placed: list[tuple[float, float, int]] = []  # (left, right, level) of each mark
        for group in groups:
            for part in [group] if len(group) >= 3 else [[mark] for mark in group]:
                x = self.axis.x(part[0].at)
                half = self._mark_width(part) / 2
                level = 0
                while any(
                    lvl == level and x - half < right + 0.04 and x + half > left - 0.04
                    for left, right, lvl in placed
                ):
                    level += 1
                placed.append((x - half, x + half, level))
                self._levels = max(self._levels, level + 1)
                self._mark(part, base + MARK_STACK * level)

    def _mark_width(self, group: list[Mark]) -> float:
        if len(group) > 1:
            return self.width(_span_label(group)) + 0.24
        return max(0.4, self.width(f"×{group[0].seq}") + 0.16)

    def _mark(self, group: list[Mark], y: float) -> None:
        mark = group[0]
        x = self.axis.x(mark.at)
        refused = mark.outcome == "refused"
        colour = s.REFUSAL_LINE if refused else s.TIMER if mark.outcome == "timer" else s.TAKEN
        width = self._mark_width(group)
        if len(group) > 1:
            label, shape = _span_label(group), "box"
        else:
            label = f"×{mark.seq}" if refused else str(mark.seq)
            shape = "diamond" if mark.outcome == "timer" else "circle"
        tooltip = "; ".join(self.t(m.label) for m in group)
        if refused:
            tooltip += f": {', '.join(mark.reasons)}"
        index = self.tl.marks.index(mark)  # a step may have several marks: names by index
        name = f"mark_{index}"
        self.pin(
            name,
            x,
            y,
            label=label,
            tooltip=s.dot_string(tooltip),
            shape=shape,
            width=f"{width:.2f}",
            height="0.4",
            style="filled,rounded" if shape == "box" else "filled",
            fillcolor=s.REFUSAL_FILL if refused else "white",
            color=colour,
            fontcolor=colour,
            fontsize=str(TEXT),
            penwidth="1.6",
            **{"class": "refusal" if refused else "mark"},
        )
        self.pin(f"guide_{index}", x, self.bottom, shape="point", width="0.01", style="invis")
        self.graph.edge(name, f"guide_{index}", style="dashed")

    def _window(self, span: Span, name: str, y: float) -> None:
        """A timer's whole window as a dashed frame, its length and rule IDs above it."""
        x0, x1 = self.axis.x(span.start), self.axis.x(span.end)
        width = max(x1 - x0, 0.05)
        self.pin(
            name,
            x0 + width / 2,
            y,
            label="",
            tooltip=s.dot_string(self.t(span.label)),
            width=f"{width:.3f}",
            height="0.62",
            style="dashed,rounded",
            color=s.TIMER,
            **{"class": "window"},
        )
        self.text(f"{name}_label", x0, y + 0.46, self.t(span.label), colour=s.TIMER)
        for index, x in enumerate(self.axis.cuts_within(span.start, span.end)):
            self.cut(f"{name}_cut_{index}_top", x, y + 0.31, s.TIMER)
            self.cut(f"{name}_cut_{index}_bottom", x, y - 0.31, s.TIMER)

    def _state(self, span: Span, name: str, y: float) -> None:
        """A state lived in as a bar; where a record ended as a dot with the final state's name."""
        fill, line = s.STATE_COLOURS[span.state_kind]
        x0, x1 = self.axis.x(span.start), self.axis.x(span.end)
        label = self.t(span.label)
        if span.kind == "end" or x1 - x0 < 0.05:  # ended here, or the run ended as it began
            self.pin(
                name,
                x0,
                y,
                label="",
                tooltip=s.dot_string(label),
                shape="circle",
                width="0.2",
                style="filled",
                fillcolor=line,
                color=line,
                **{"class": "end"},
            )
            self.text(f"{name}_label", x0 + 0.12, y - 0.02, label, colour=line)
            return
        width = x1 - x0
        lines = self._fit(label, width)
        self.pin(
            name,
            x0 + width / 2,
            y,
            label=f"<{'<br/>'.join(s.html(x) for x in lines)}>" if lines else "",
            tooltip=s.dot_string(label),
            width=f"{width:.3f}",
            height="0.38" if len(lines) < 2 else "0.56",
            style="filled,rounded" + (",dashed" if span.open_ended else ""),
            fillcolor=fill,
            color=line,
            fontsize=str(TEXT),
            **{"class": "state"},
        )
        for index, x in enumerate(self.axis.cuts_within(span.start, span.end)):
            self.cut(f"{name}_cut_{index}", x, y, line)
        if not lines:  # too short a stretch for its name: the name goes just below the bar
            level = self._below.setdefault(y, [])
            row = next((i for i, right in enumerate(level) if right < x0), len(level))
            right = x0 + self.width(label) + 0.15
            if row == len(level):
                level.append(right)
            level[row] = right
            self.text(f"{name}_label", x0, y - 0.5 - 0.24 * row, label, colour=line)

    def _fit(self, label: str, width: float) -> list[str]:
        """The state's name on one line or two inside a bar `width` wide; [] if it cannot fit."""
        inside = width - 0.2  # the bar's rounded ends and a margin
        if self.width(label) <= inside:
            return [label]
        room = max(4, int(inside / self.width("n")))
        lines = s.wrap(label, self.lang, room)
        if len(lines) == 2 and all(self.width(x) <= inside for x in lines):
            return lines
        return []

    def _legend_place(self, width: float, height: float) -> tuple[float, float]:
        """Where the steps go (their top left corner): below the lanes, or to their right when
        the picture then fills a 16:9 slide with larger text (a long run's many steps)."""
        lane_labels = [self.width(self.t(lane.label), LANE_TEXT) for lane in self.tl.lanes]
        left = min(-3.2, -0.3 - max(lane_labels, default=0))
        last = max(self.axis.times)
        last_tick = self.width(self.t(words.elapsed_text(last - self.tl.start)))
        right = self.axis.x(last) + max(0.4, last_tick + 0.3)
        for lane in self.tl.lanes:
            for span in lane.spans:
                right = max(right, self.axis.x(span.end), self.axis.x(span.start) + 2)
        top = 0.68 + MARK_STACK * self._levels + 0.9  # the marks and the title above them
        below = (max(right, left + width) - left, top - self.bottom + 0.35 + height)
        beside = (right + 0.4 + width - left, max(top - self.bottom, height + 0.9))
        if slide_scale(*beside) > slide_scale(*below):
            return right + 0.4, 0.68
        return left, self.bottom - 0.35

    def steps_table(self, marks: Sequence[Mark]) -> str:
        """The steps in words, as an HTML-like table: number, time, who did what, outcome."""
        rows = []
        for mark in marks:
            elapsed = self.t(words.elapsed_text(mark.at - self.tl.start))
            refused = mark.outcome == "refused"
            outcome = {"ok": "✓", "timer": "◆", "refused": "×"}.get(mark.outcome, "")
            colour = s.REFUSAL_LINE if refused else s.TIMER if mark.outcome == "timer" else s.INK
            rows.append(
                f'<tr><td align="right"><font color="{colour}"><b>{mark.seq}</b></font></td>'
                f'<td align="right"><font color="{s.MUTED}">{s.html(elapsed)}</font></td>'
                f'<td align="left">{s.html(self.t(mark.label))}</td>'
                f'<td align="left"><font color="{colour}">{outcome} '
                f"{s.html(', '.join(mark.reasons))}</font></td></tr>"
            )
        if not rows:
            rows.append(f'<tr><td colspan="4">{s.html(self.t(words.NO_STEPS))}</td></tr>')
        return (
            '<table border="0" cellborder="0" cellspacing="0" cellpadding="2">'
            f'<tr><td colspan="4" align="left"><b>{s.html(self.t(words.STEPS))}</b></td></tr>'
            + "".join(rows)
            + "</table>"
        )

    def _legend(self) -> None:
        """The steps in words: number, time, who did what, and the reason codes of a refusal."""
        table = self.steps_table(self.tl.marks)
        count = max(1, len(self.tl.marks))  # the rows, "nothing happened" when none
        columns = [
            [str(m.seq) for m in self.tl.marks],
            [self.t(words.elapsed_text(m.at - self.tl.start)) for m in self.tl.marks],
            [self.t(m.label) for m in self.tl.marks],
            ["× " + ", ".join(m.reasons) for m in self.tl.marks],
        ]
        width = sum(max((self.width(x) for x in c), default=0.5) for c in columns) + 0.6
        height = 0.24 * (count + 1) + 0.1
        x, y = self._legend_place(width, height)
        self.pin(
            "legend",
            x + width / 2,
            y - height / 2,
            label=f"<{table}>",
            shape="plaintext",
            width=f"{width:.2f}",
            height=f"{height:.2f}",
            fixedsize="false",  # the table takes the room it needs; its estimate only places it
        )
