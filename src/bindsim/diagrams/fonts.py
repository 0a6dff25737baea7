"""Is a Chinese picture drawn with real glyphs? Ask fontconfig and Graphviz, not the picture."""

from __future__ import annotations

import re
import shutil
import subprocess

from bindsim.diagrams.style import FONT

_RESOLVED = re.compile(
    r'fontname: "(?P<asked>[^"]*)" resolved to: .*?"(?P<face>[^"]*)"\s*(?P<file>\S*)'
)


def cjk_fonts() -> list[str]:
    """The font families fontconfig has for Simplified Chinese (empty: Chinese becomes boxes)."""
    if shutil.which("fc-list") is None:
        return []
    listed = subprocess.run(
        ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False
    ).stdout
    return sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})


def font_covers_chinese(family: str = FONT) -> bool:
    """Does the font fontconfig picks for `family` cover Simplified Chinese?"""
    if shutil.which("fc-match") is None:
        return False
    langs = subprocess.run(
        ["fc-match", "--format=%{lang}", family], capture_output=True, text=True, check=False
    ).stdout
    return "zh-cn" in langs.split("|")


def dot_fonts(source: str, fmt: str = "png") -> tuple[dict[str, str], list[str]]:
    """Render DOT `source` verbosely: {font asked for: face used} and dot's warning lines."""
    done = subprocess.run(
        ["dot", "-v", f"-T{fmt}", "-o", "/dev/null"],
        input=source.encode(),
        capture_output=True,
        check=False,
    )
    log = done.stderr.decode(errors="replace")
    faces = {m["asked"]: m["face"] for m in _RESOLVED.finditer(log)}
    warnings = [line for line in log.splitlines() if re.match(r"(?i)(warning|error)", line)]
    return faces, warnings
