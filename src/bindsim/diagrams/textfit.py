"""Text measured with the font it is set in (fontconfig finds the file, Pillow measures): how
tall a text is once wrapped in a box, and the largest size at which it fits.

A PPTX text box does not grow with its text: text that does not fit runs out of it, over its
neighbours. So every box of a storyboard deck is measured before it is written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

POINTS = 72.0  # per inch
CJK = "Noto Sans CJK SC"
_CJK_CHARS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK = re.compile(f"[{_CJK_CHARS}]")
_SCRIPT = re.compile(f"[{_CJK_CHARS}]+|[^{_CJK_CHARS}]+")
# Where a line may break: after a space, and between CJK characters.
_TOKEN = re.compile(f"[{_CJK_CHARS}]|[^\\s{_CJK_CHARS}]+\\s*|\\s+")


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text in one size and weight; `end` ends its paragraph."""

    text: str
    size: float  # pt
    bold: bool = False
    end: bool = False


@cache
def font_file(family: str, bold: bool) -> tuple[str, int]:
    """The file (and index in a collection) fontconfig picks for a family, as Pango would."""
    if shutil.which("fc-match") is None:
        raise RuntimeError("fontconfig's fc-match is needed to measure text; install fontconfig")
    pattern = f"{family}:weight=bold" if bold else family
    found = subprocess.run(
        ["fc-match", "--format=%{file}|%{index}", pattern],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path, _, index = found.partition("|")
    return path, int(index or 0)


@cache
def _font(family: str, bold: bool, quarter_points: int) -> Any:
    from PIL import ImageFont

    path, index = font_file(family, bold)
    # BASIC: advance widths, no shaping (raqm fails on some symbols, and is not needed here)
    basic = ImageFont.Layout.BASIC
    return ImageFont.truetype(path, quarter_points, index=index, layout_engine=basic)


def _quarters(size: float) -> int:
    return max(1, round(size * 4))


@lru_cache(maxsize=1 << 16)  # a deck measures the same words at the same sizes again and again
def text_width(text: str, size: float, family: str, bold: bool = False) -> float:
    """How wide `text` is in pt; in a Latin family, CJK characters in the CJK font, where
    PowerPoint and LibreOffice fall back to."""
    width = 0.0
    for piece in _SCRIPT.findall(text):
        face = CJK if "CJK" not in family and _CJK.match(piece) else family
        width += _font(face, bold, _quarters(size)).getlength(piece) / 4
    return width


@lru_cache(maxsize=256)
def line_height(size: float, family: str, bold: bool = False) -> float:
    """A line's height in pt: the font's ascent and descent, as PowerPoint and LibreOffice
    space single lines, and never less than 1.2 times the size."""
    ascent, descent = _font(family, bold, _quarters(size)).getmetrics()
    return max((ascent + descent) / 4, 1.2 * size)


def paragraphs(runs: Sequence[Run]) -> list[list[Run]]:
    found: list[list[Run]] = [[]]
    for run in runs:
        found[-1].append(run)
        if run.end:
            found.append([])
    return [paragraph for paragraph in found if paragraph] or [[]]


def height(runs: Sequence[Run], width: float, family: str) -> float:
    """The height in pt of `runs` wrapped `width` pt wide (by words; CJK between characters).
    A word wider than the box counts as infinitely tall: it would be cut."""
    total = 0.0
    for paragraph in paragraphs(runs):
        lines: list[float] = []  # the tallest size on each line
        x = 0.0
        tallest = 0.0
        for run in paragraph:
            tallest_run = line_height(run.size, family, run.bold)
            for token in _TOKEN.findall(run.text) or [""]:
                word = text_width(token.rstrip(), run.size, family, run.bold)
                if word > width + 0.5:
                    return float("inf")
                if x and x + word > width:
                    lines.append(tallest)
                    x, tallest = 0.0, 0.0
                    if not token.strip():
                        continue
                x += text_width(token, run.size, family, run.bold)
                tallest = max(tallest, tallest_run)
        lines.append(tallest or line_height(paragraph[0].size if paragraph else 12, family))
        total += sum(lines)
    return total


def fitted(
    runs: Sequence[Run], width: float, room: float, family: str, smallest: float = 9
) -> tuple[list[Run], bool]:
    """`runs` made smaller, all alike, until they fit `width` × `room` pt (but never smaller than
    `smallest` pt); and whether they fit."""
    scale = 1.0
    while True:
        sized = [
            Run(r.text, max(smallest, round(r.size * scale * 2) / 2), r.bold, r.end) for r in runs
        ]
        if height(sized, width, family) <= room:
            return sized, True
        if all(r.size <= smallest for r in sized):
            return sized, False
        scale *= 0.93
