"""Durations as QA writes them: "90s", "15m", "47h59m", "2d", "180d", "1d12h30m15s"."""

from __future__ import annotations

import re
from datetime import timedelta

from bindsim.machines.errors import BindSimError

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")

# The longest duration bindsim takes, about 821 years. Simulated time stays within the years
# 1000..8999 (simulator/clock.py), so a time plus or minus any duration stays a valid datetime:
# the World can add an invitation's TTL or subtract the channel window without overflowing.
MAX_DURATION = timedelta(days=300_000)
MAX_DURATION_TEXT = "300000d"


class InvalidDurationText(BindSimError, ValueError):
    """The text is not a duration like 90s, 15m, 47h59m, 2d."""


def parse_duration(text: str) -> timedelta:
    """A non-negative duration from text; units d, h, m, s in that order, at least one.

    At most MAX_DURATION (300000d, about 821 years).
    """
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
    numbers = match.groups()
    if any(n is not None and len(n) > 12 for n in numbers):  # int() of a huge text is slow
        raise InvalidDurationText(too_long(text))
    seconds = sum(int(n) * _UNITS[u] for n, u in zip(numbers, "dhms", strict=True) if n)
    if seconds > MAX_DURATION.total_seconds():
        raise InvalidDurationText(too_long(text))
    return timedelta(seconds=seconds)


def too_long(value: object) -> str:
    """The message for a duration longer than MAX_DURATION."""
    return f"{value!r} is too long: a duration can be at most {MAX_DURATION_TEXT} (about 821 years)"


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
