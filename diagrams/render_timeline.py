"""Timeline → graphviz.Graph drawn by `neato` with pinned positions: lanes along simulated time.

The time axis is to scale up to 3 days (the 48h window is twice the 24h lock); longer gaps are
compressed and marked ≈, so that a 180-day window and a one-minute step fit in one picture.
Steps at the same instant share its place on the axis; their marks are stacked upwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import graphviz

from bindsim.diagrams import style as s
from bindsim.diagrams import words
from bindsim.diagrams.model import Mark, Span, Timeline
from bindsim.machines.text import Lang, Text

INCH_PER_HOUR = 0.06
TO_SCALE = timedelta(hours=72)
MIN_GAP = 0.42  # inches between two distinct instants
MARK_STACK = 0.36  # inches between the marks of steps at one instant
LANE_HEIGHT = 0.95
WINDOW_ROW = 0.72  # extra room for each further window that would overlap another
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
                width = _width(gap)
                if gap > TO_SCALE:
                    breaks.append((x + width / 2, gap))
                x += width
            times[when] = x
            previous = when
        return cls(times, tuple(breaks))


def _width(gap: timedelta) -> float:
    hours = gap.total_seconds() / 3600
    if gap <= TO_SCALE:
        return max(MIN_GAP, hours * INCH_PER_HOUR)
    scale = TO_SCALE.total_seconds() / 3600
    return scale * INCH_PER_HOUR + (math.log2(hours / scale) + 1) * 0.55


def _text_width(text: str, size: float) -> float:
    """Roughly how wide a label is, in inches (a Chinese character is about square)."""
    return sum(size / 72 * (1.0 if ord(c) >= 0x2E80 else 0.56) for c in text)


def timeline_graph(timeline: Timeline, lang: Lang = "en") -> graphviz.Graph:
    """The picture of a Timeline: every step marked on top, a lane per record below."""
    return _Drawing(timeline, lang).build()


class _Drawing:
    def __init__(self, timeline: Timeline, lang: Lang) -> None:
        self.tl = timeline
        self.lang = lang
        self.axis = _Axis.of(timeline)
        self.graph = graphviz.Graph(name="timeline", engine="neato")
        self.bottom = -self._height() - 0.4 * LANE_HEIGHT

    def t(self, text: Text) -> str:
        return text(self.lang)

    def pin(self, name: str, x: float, y: float, **attrs: str) -> None:
        self.graph.node(name, pos=f"{x:.3f},{y:.3f}!", **attrs)

    def text(
        self,
        name: str,
        x: float,
        y: float,
        text: str,
        size: float = 9,
        colour: str = s.INK,
        anchor: str = "left",
    ) -> None:
        """A line of text that starts (or, anchored right, ends) at x."""
        width = _text_width(text, size) + 0.12
        centre = x + width / 2 if anchor == "left" else x - width / 2
        self.pin(
            name,
            centre,
            y,
            label=s.html(text),
            shape="plaintext",
            width=f"{width:.3f}",
            height="0.22",
            fontsize=f"{size:g}",
            fontcolor=colour,
        )

    def build(self) -> graphviz.Graph:
        self.graph.attr(
            fontname=s.FONT,
            bgcolor="white",
            pad="0.3",
            outputorder="edgesfirst",
            splines="line",
            labelloc="t",
            labeljust="l",
            label=f"<{self._title()}>",
        )
        self.graph.attr(
            "node",
            fontname=s.FONT,
            fontsize="9",
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
            self.text(f"lane_{row}", -0.2, y, self.t(lane.label), size=10, anchor="right")
            windows = [span for span in lane.spans if span.kind == "window"]
            rows = self._window_rows(windows)
            for index, span in enumerate(windows):
                self._window(span, f"lane_{row}_window_{index}", y - WINDOW_ROW * rows[index])
            states = [span for span in lane.spans if span.kind != "window"]
            for index, span in enumerate(states):
                self._state(span, f"lane_{row}_state_{index}", y)
            y -= WINDOW_ROW * max(rows, default=0)
        self._legend(self.bottom - 0.35)
        return self.graph

    def _window_rows(self, windows: list[Span]) -> list[int]:
        """A sub-row per window, so that overlapping windows and their labels stay apart."""
        taken: list[float] = []  # per sub-row: where its last window and label end
        rows = []
        for span in windows:
            x0, x1 = self.axis.x(span.start), self.axis.x(span.end)
            right = max(x1, x0 + _text_width(self.t(span.label), 8) + 0.1)
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
        start = self.tl.start.strftime("%Y-%m-%d %H:%M %Z").strip()
        caption = f"{self.t(words.RUN_START)} {start} (+0)"
        title = f'<font point-size="16"><b>{s.html(self.t(words.TIMELINE))}</b></font>'
        return title + "<br/>" + s.small(s.html(caption), s.INK, 10)

    def _axis(self) -> None:
        """A baseline with the instants of the run; compressed gaps marked ≈ with their length."""
        right = max(self.axis.times.values()) + 0.4
        self.pin("axis_left", AXIS_START, 0, shape="point", width="0.01", style="invis")
        self.pin("axis_right", right, 0, shape="point", width="0.01", style="invis")
        self.graph.edge("axis_left", "axis_right", color=s.MUTED, penwidth="1.2")
        last_label = -10.0
        for index, (when, x) in enumerate(sorted(self.axis.times.items())):
            self.pin(f"tick_{index}", x, 0, shape="point", width="0.05", color=s.MUTED)
            if x - last_label >= 0.75:
                elapsed = self.t(words.elapsed_text(when - self.tl.start))
                self.text(f"tick_label_{index}", x, 0.2, elapsed, size=8, colour=s.MUTED)
                last_label = x
        for index, (x, gap) in enumerate(self.axis.breaks):
            text = f"≈ {self.t(words.duration_text(gap))}"
            self.text(f"break_{index}", x, -0.18, text, size=8, colour=s.MUTED)

    def _marks(self) -> None:
        """Every step as a numbered mark (refusals red, timers diamonds), a guide line below.

        Marks at one instant are stacked; a run of 3 or more plain steps there (a click path)
        or of timers becomes one mark "13–21".
        """
        base = 0.55
        self.text("marks_title", -0.2, base, self.t(words.ACTIONS), size=10, anchor="right")
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
        stacked: dict[datetime, int] = {}
        for group in groups:
            if len(group) >= 3:
                self._mark(group, base + MARK_STACK * stacked.get(group[0].at, 0))
                stacked[group[0].at] = stacked.get(group[0].at, 0) + 1
                continue
            for mark in group:
                self._mark([mark], base + MARK_STACK * stacked.get(mark.at, 0))
                stacked[mark.at] = stacked.get(mark.at, 0) + 1

    def _mark(self, group: list[Mark], y: float) -> None:
        mark = group[0]
        x = self.axis.x(mark.at)
        refused = mark.outcome == "refused"
        colour = s.REFUSAL_LINE if refused else s.TIMER if mark.outcome == "timer" else s.TAKEN
        if len(group) > 1:
            label = f"{group[0].seq}–{group[-1].seq}"
            shape, width = "box", _text_width(label, 8) + 0.2
        else:
            label = f"×{mark.seq}" if refused else str(mark.seq)
            shape, width = ("diamond" if mark.outcome == "timer" else "circle"), 0.32
        tooltip = "; ".join(self.t(m.label) for m in group)
        if refused:
            tooltip += f": {', '.join(mark.reasons)}"
        name = f"mark_{mark.seq}"
        self.pin(
            name,
            x,
            y,
            label=label,
            tooltip=tooltip,
            shape=shape,
            width=f"{width:.2f}",
            height="0.32",
            style="filled,rounded" if shape == "box" else "filled",
            fillcolor=s.REFUSAL_FILL if refused else "white",
            color=colour,
            fontcolor=colour,
            fontsize="8",
            penwidth="1.6",
            **{"class": "refusal" if refused else "mark"},
        )
        self.pin(f"guide_{mark.seq}", x, self.bottom, shape="point", width="0.01", style="invis")
        self.graph.edge(name, f"guide_{mark.seq}", style="dashed")

    def _window(self, span: Span, name: str, y: float) -> None:
        """A timer's whole window as a dashed frame, its length and rule IDs above it."""
        x0, x1 = self.axis.x(span.start), self.axis.x(span.end)
        width = max(x1 - x0, 0.05)
        self.pin(
            name,
            x0 + width / 2,
            y,
            label="",
            tooltip=self.t(span.label),
            width=f"{width:.3f}",
            height="0.5",
            style="dashed,rounded",
            color=s.TIMER,
            **{"class": "window"},
        )
        self.text(f"{name}_label", x0, y + 0.36, self.t(span.label), size=8, colour=s.TIMER)

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
                tooltip=label,
                shape="circle",
                width="0.16",
                style="filled",
                fillcolor=line,
                color=line,
                **{"class": "end"},
            )
            self.text(f"{name}_label", x0 + 0.1, y - 0.02, label, colour=line)
            return
        width = x1 - x0
        shown = label
        while shown and _text_width(shown, 8.5) > width - 0.1:
            shown = shown[:-2] + "…" if len(shown) > 2 else ""
        self.pin(
            name,
            x0 + width / 2,
            y,
            label=s.html(shown),
            tooltip=label,
            width=f"{width:.3f}",
            height="0.3",
            style="filled,rounded" + (",dashed" if span.open_ended else ""),
            fillcolor=fill,
            color=line,
            fontsize="8.5",
            **{"class": "state"},
        )

    def _legend(self, y: float) -> None:
        """The steps in words: number, time, who did what, and the reason codes of a refusal."""
        rows = []
        for mark in self.tl.marks:
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
        table = (
            '<table border="0" cellborder="0" cellspacing="0" cellpadding="2">'
            f'<tr><td colspan="4" align="left"><b>{s.html(self.t(words.STEPS))}</b></td></tr>'
            + "".join(rows)
            + "</table>"
        )
        columns = [
            [str(m.seq) for m in self.tl.marks],
            [self.t(words.elapsed_text(m.at - self.tl.start)) for m in self.tl.marks],
            [self.t(m.label) for m in self.tl.marks],
            ["× " + ", ".join(m.reasons) for m in self.tl.marks],
        ]
        width = sum(max((_text_width(x, 9.5) for x in c), default=0.5) for c in columns) + 0.6
        height = 0.19 * (len(rows) + 1) + 0.1
        self.pin(
            "legend",
            -3.2 + width / 2,
            y - height / 2,
            label=f"<{table}>",
            shape="plaintext",
            width=f"{width:.2f}",
            height=f"{height:.2f}",
            fixedsize="false",  # the table takes the room it needs; its estimate only places it
        )
