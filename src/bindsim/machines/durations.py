"""Durations as text: read from and written as QA writes them ("90s", "47h59m", "180d"), and
said for people in English and Chinese ("48h", "180 天"). The one place durations become text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bindsim.errors import InvalidDurationText
from bindsim.machines.text import Text

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DAY = _UNITS["d"]
# Up to 3 days a duration is said in hours (48h, 72h): the seed counts its windows in hours.
_HOURS_UP_TO = 3 * _DAY
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")

# The longest duration bindsim takes, about 821 years. Simulated time stays within the years
# 1000..8999 (simulator/clock.py), so a time plus or minus any duration stays a valid datetime:
# the World can add an invitation's TTL or subtract the channel window without overflowing.
MAX_DURATION = timedelta(days=300_000)
MAX_DURATION_TEXT = "300000d"


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


def format_duration(delta: timedelta, *, in_hours: bool = False) -> str:
    """Machine-readable text that parse_duration reads back to the same duration: "1d12h", "90s".

    With in_hours, as QA writes a duration in a scenario: whole days from 3 days on in days
    ("180d"), anything else in hours ("48h", "47h59m", not "2d" or "1d23h59m"), since the seed
    counts its windows in hours.
    """
    seconds = int(delta.total_seconds())
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if in_hours and seconds % _DAY == 0 and seconds >= _HOURS_UP_TO:
        return f"{sign}{seconds // _DAY}d"
    units = "hms" if in_hours else "dhms"
    return sign + "".join(f"{count}{unit}" for count, unit in _split(seconds, units) if count)


def _split(seconds: int, units: str) -> list[tuple[int, str]]:
    """Whole seconds (≥ 0) as counts of the given units, largest first, zeros kept."""
    parts = []
    for unit in units:
        count, seconds = divmod(seconds, _UNITS[unit])
        parts.append((count, unit))
    return parts


# ----------------------------------------------------------------- durations for people


@dataclass(frozen=True, slots=True)
class _Style:
    """How one kind of display says a duration (see SPOKEN)."""

    days_from: int | None  # days are a unit only from this many seconds on (None: never)
    minute: str  # the English minute unit: "min" in a sentence, "m" where room is short
    limit: int | None = None  # say at most this many units, the largest first
    whole_days: bool = False  # whole days beyond 3 days as "180 days"
    padded: bool = False  # a clock face: hours and minutes always, "03m"
    signed: bool = False  # "+47h" after the start, "-1h" before it
    zero: Text = Text("0h", "0 小时")


_ZH_UNITS = {"d": "天", "h": "小时", "m": "分钟", "s": "秒"}

SpokenStyle = Literal["span", "elapsed", "countdown"]

SPOKEN: dict[SpokenStyle, _Style] = {
    # a window or a timer: 48h, 1h 30min, 180 days; 48 小时, 180 天
    "span": _Style(days_from=_HOURS_UP_TO + 1, minute="min", whole_days=True),
    # time since a run started, compact: +47h, +3d 4h; +47 小时
    "elapsed": _Style(
        days_from=_HOURS_UP_TO, minute="m", limit=2, signed=True, zero=Text("+0", "+0")
    ),
    # time left on walk's prompt: 12h 03m, 47h 59m 59s
    "countdown": _Style(days_from=None, minute="m", padded=True),
}


def spoken_duration(delta: timedelta, style: SpokenStyle = "span") -> Text:
    """A duration as people read it, in English and Chinese, in one of the SPOKEN styles."""
    how = SPOKEN[style]
    seconds = int(delta.total_seconds())
    prefix = ("-" if seconds < 0 else "+") if how.signed else ""
    seconds = max(0, seconds) if how.padded else abs(seconds)  # no time left is 0h 00m
    if seconds == 0 and not how.padded:
        return how.zero
    if how.whole_days and seconds % _DAY == 0 and seconds > _HOURS_UP_TO:
        days = seconds // _DAY
        return Text(f"{days} days", f"{days} 天")
    with_days = how.days_from is not None and seconds >= how.days_from
    parts = _split(seconds, "dhms" if with_days else "hms")
    if how.padded:
        hours, minutes, rest = (count for count, _ in parts)
        shown = [(hours, "h", ""), (minutes, "m", "02d")] + ([(rest, "s", "02d")] if rest else [])
        en = " ".join(f"{count:{width}}{unit}" for count, unit, width in shown)
        zh = " ".join(f"{count:{width}} {_ZH_UNITS[unit]}" for count, unit, width in shown)
        return Text(en, zh)
    said = [(count, unit) for count, unit in parts if count][: how.limit]
    en = " ".join(f"{count}{how.minute if unit == 'm' else unit}" for count, unit in said)
    zh = " ".join(f"{count} {_ZH_UNITS[unit]}" for count, unit in said)
    return Text(prefix + en, prefix + zh)
