"""One look for every picture: fonts, colours, and text helpers shared by the graphviz renderers."""

from __future__ import annotations

import math
import textwrap
from html import escape

from bindsim.machines.text import Lang

# Chinese pictures are set in Noto Sans CJK (Debian: fonts-noto-cjk; without it Chinese turns
# into boxes). English ones in Noto Sans (fonts-noto-core), the same design in Latin: a CJK font
# sets Latin punctuation full width (tap “Send unlink request” with wide gaps). Pango falls back
# along the list, so a Chinese shop or creator name in an English picture is still drawn.
FONT = "Noto Sans CJK SC"
FONT_FAMILIES: tuple[str, ...] = ("Noto Sans", FONT)
FONTS: dict[Lang, str] = {"en": ",".join(FONT_FAMILIES), "zh": FONT}


def font(lang: Lang) -> str:
    """The Graphviz fontname (a Pango family list) of a picture in `lang`."""
    return FONTS[lang]


# The type sizes of every picture, in pt: one place, so that a picture's smallest text (what
# limits it on a slide) is set here. Rule IDs and notes were 8-9 pt; at 11 pt they stay
# readable when a picture is shrunk to a slide or a storyboard.
SIZE_TITLE = 16
SIZE_NODE = 14
SIZE_EDGE = 12
SIZE_NOTE = 11  # rule IDs, "current state", notes under the title
SIZE_CAPTION = 12

INK = "#263238"
MUTED = "#8a94a6"
NORMAL_FILL, NORMAL_LINE = "#eef3fb", "#3d5a80"
FINAL_FILL, FINAL_LINE = "#e6f4ea", "#2e7d32"
ERROR_FILL, ERROR_LINE, ERROR_INK = "#fdecea", "#c62828", "#8e1b1b"
ACTIVE_FILL, ACTIVE_LINE = "#ffe082", "#e65100"
CLUSTER_FILL = "#f7f9fc"
EDGE = "#607d8b"
QUIET = "#b0bec5"
GUARD = "#1e5b8a"
TIMER = "#6a1b9a"
FOLLOW = "#00695c"  # a screen that moves by itself after another machine's event
TAKEN, TAKEN_INK = "#1565c0", "#0d47a1"
# Never exercised: orange beside the blue of what was (told apart in colour-blind eyes too).
MISSED, MISSED_FILL = "#e65100", "#fff3e0"
FADED, FADED_INK, FADED_FILL = "#cfd6df", "#a7b0bc", "#f7f8fa"
REFUSAL_FILL, REFUSAL_LINE = "#ffebee", "#c62828"

STATE_COLOURS = {
    "normal": (NORMAL_FILL, NORMAL_LINE),
    "final": (FINAL_FILL, FINAL_LINE),
    "error": (ERROR_FILL, ERROR_LINE),
}


def html(text: str) -> str:
    """Text made safe inside a graphviz HTML-like label: markup escaped, and backslashes
    doubled, since Graphviz reads `\\N` there as the node's name and `\\\\` as one backslash."""
    return escape(text, quote=True).replace("\\", "\\\\")


def dot_string(text: str) -> str:
    """Text made safe as a quoted DOT string (a graph's name, a tooltip, a plain label):
    Graphviz reads a backslash as an escape (`\\l`, `\\N`), and one at the end of an id (`al\\`)
    would end the string early; the graphviz package leaves an escaped quote as it is."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def wrap(text: str, lang: Lang, width: int = 26) -> list[str]:
    """Short lines for a label: by words in English; in Chinese only at punctuation and spaces,
    never inside a word ("24 小时" stays whole), with lines of even length.

    `width` counts Latin characters; a Chinese character is as wide as two. A phrase longer than
    `width` is kept whole: a wider label beats a word cut in two.
    """
    if lang == "en" or text.isascii():
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    greedy = _wrap_cjk(text, width)
    if len(greedy) > 1:  # even lines: no last line of one or two characters
        even = _wrap_cjk(text, math.ceil(_width(text) / len(greedy)) + 2)
        if len(even) == len(greedy):
            return even
    return greedy


def phrases(text: str) -> list[str]:
    """Chinese text cut where a line may break: after punctuation and at spaces, except the
    space of a number and its unit ("24 小时", "180 天")."""
    chunks: list[str] = []
    chunk = ""
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else ""
        joins_unit = char == " " and chunk[-1:].isdigit() and not following.isascii()
        if char == " " and not joins_unit and chunk:
            chunks.append(chunk + " ")
            chunk = ""
            continue
        chunk += char
        if char in _BREAK_AFTER:
            chunks.append(chunk)
            chunk = ""
    if chunk:
        chunks.append(chunk)
    return chunks


def _wrap_cjk(text: str, width: int) -> list[str]:
    result: list[str] = []
    line = ""
    for piece in phrases(text):
        if line.strip() and _width(line + piece.rstrip()) > width:
            result.append(line.strip())
            line = ""
        line += piece
    if line.strip():
        result.append(line.strip())
    return result or [""]


_BREAK_AFTER = set(",;:、\uff0c\uff1b\uff1a\u3002)\uff09")


def _width(text: str) -> int:
    return sum(1 if ord(c) < 0x2E80 else 2 for c in text)


def lines(parts: list[str]) -> str:
    """Lines of an HTML-like label, one table row each: CJK glyphs are taller than Graphviz's
    own line spacing allows for, so each row gets a little room of its own."""
    rows = "".join(f"<tr><td>{part}</td></tr>" for part in parts)
    return f'<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{rows}</table>'


def title_block(lines: list[str]) -> str:
    """A picture's title: lines of HTML-like text, each in a table row of its own, so that a
    wrapped title and the notes below it never sit on one another (Graphviz spaces the <br/>
    lines of mixed sizes by the first line's size)."""
    rows = "".join(f'<tr><td align="left" balign="left">{line}</td></tr>' for line in lines)
    return f'<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{rows}</table>'


def heading(text: str) -> str:
    return f'<font point-size="{SIZE_TITLE}"><b>{html(text)}</b></font>'


def small(text: str, colour: str = MUTED, size: int = SIZE_NOTE) -> str:
    return f'<font point-size="{size}" color="{colour}">{text}</font>'


def rule_lines(rules: tuple[str, ...], per_line: int = 2) -> list[str]:
    """Rule IDs in small print, a few per line."""
    return [
        " · ".join(html(r) for r in rules[i : i + per_line]) for i in range(0, len(rules), per_line)
    ]
