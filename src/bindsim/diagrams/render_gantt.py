"""Timeline → Mermaid gantt chart, so that a run's timeline renders on GitHub pages too.

A section per lane (its states, its windows as `active` bars, where it ended as a milestone) and
a last section with every step as a milestone, refusals `crit` with their reason codes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bindsim.diagrams import words
from bindsim.diagrams.model import Timeline
from bindsim.machines.text import Lang, Text

DATE = "%Y-%m-%d %H:%M:%S"


def gantt(timeline: Timeline, lang: Lang = "en", title: Text | None = None) -> str:
    """The timeline as `gantt` text: dates in UTC, to the second."""
    heading = title(lang) if title is not None else words.TIMELINE(lang)
    lines = [
        "gantt",
        f"    title {_text(heading)}",
        "    dateFormat YYYY-MM-DD HH:mm:ss",
        "    axisFormat %m-%d %H:%M",
        "    todayMarker off",
    ]
    for number, lane in enumerate(timeline.lanes):
        lines.append(f"    section {_text(lane.label(lang))}")
        for index, span in enumerate(lane.spans):
            name = f"l{number}s{index}"
            label = _text(span.label(lang))
            if span.kind == "end":
                lines.append(f"    {label} : milestone, {name}, {_at(span.start)}, 0s")
            else:
                tag = "active, " if span.kind == "window" else ""
                end = span.end if span.end > span.start else span.start
                lines.append(f"    {label} : {tag}{name}, {_at(span.start)}, {_at(end)}")
    if timeline.marks:
        lines.append(f"    section {_text(words.STEPS(lang))}")
    for index, mark in enumerate(timeline.marks):
        label = f"{mark.seq} {mark.label(lang)}"
        if mark.reasons:
            label += f" × {', '.join(mark.reasons)}"
        tag = "crit, milestone" if mark.outcome == "refused" else "milestone"
        lines.append(f"    {_text(label)} : {tag}, m{index}, {_at(mark.at)}, 0s")
    return "\n".join(lines) + "\n"


def _at(when: datetime) -> str:
    return when.astimezone(UTC).strftime(DATE)


def _text(text: str) -> str:
    """Text a gantt line reads as a name: no colon (it ends the name), no # or ; or newline."""
    for old, new in ((":", " –"), ("：", " –"), ("#", "No."), (";", ","), ("\n", " ")):
        text = text.replace(old, new)
    return " ".join(text.split())
