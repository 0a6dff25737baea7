"""Durations as QA writes them: "90s", "15m", "47h59m", "2d", "180d", "1d12h30m15s"."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


class InvalidDurationText(ValueError):
    """The text is not a duration like 90s, 15m, 47h59m, 2d."""


def parse_duration(text: str) -> timedelta:
    """A non-negative duration from text; units d, h, m, s in that order, at least one."""
    if not isinstance(text, str):
        raise InvalidDurationText(f"a duration must be text like '47h59m', got {text!r}")
    cleaned = text.strip().replace(" ", "")
    match = _DURATION.fullmatch(cleaned)
    if not cleaned or match is None or not any(match.groups()):
        if cleaned.startswith("-"):
            raise InvalidDurationText(f"a duration cannot be negative: {text!r}")
        raise InvalidDurationText(
            f"{text!r} is not a duration; write it like 90s, 15m, 47h59m, 2d or 180d"
        )
    seconds = sum(int(n) * _UNITS[u] for n, u in zip(match.groups(), "dhms", strict=True) if n)
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest text that parse_duration reads back to the same duration."""
    seconds = int(delta.total_seconds())
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    parts = []
    for unit, size in _UNITS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)
