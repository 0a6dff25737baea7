"""The two clocks: one moved by hand, one read from the system (so freezegun controls it)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bindsim.errors import (
    ClockWentBackwards,
    InvalidArgument,
    InvalidClock,
    InvalidDuration,
    InvalidDurationText,
    NaiveDatetime,
)
from bindsim.machines.durations import MAX_DURATION, format_duration, parse_duration, too_long

# Simulated time stays within [EARLIEST, LATEST), and no duration exceeds MAX_DURATION (about
# 821 years), so a time plus or minus any duration is still a datetime: the World never overflows
# when it adds an invitation's TTL, a lock or a ticket's delay, or subtracts the channel window.
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
TIME_RANGE = "simulated time must stay from 1000-01-01 up to (not including) 9000-01-01 UTC"


class Clock(Protocol):
    def now(self) -> datetime: ...


def as_instant(value: datetime | str) -> datetime:
    """An aware UTC datetime from a datetime or an ISO 8601 text; naive times are an error."""
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise InvalidArgument(
                f"{value!r} is not an ISO 8601 time; write it like 2024-11-11T12:00:00Z"
            ) from None
        value = parsed
    if not isinstance(value, datetime):
        raise InvalidArgument(f"expected a datetime or an ISO 8601 text, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(value)
    if not EARLIEST <= value < LATEST:
        raise InvalidArgument(f"{_show_time(value)} is out of range: {TIME_RANGE}")
    return value.astimezone(UTC)


def _show_time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def as_duration(value: timedelta | str | int | float) -> timedelta:
    """A non-negative timedelta from a timedelta, seconds, or text like "47h59m"."""
    if isinstance(value, bool):
        raise InvalidDuration(f"expected a duration, got {value!r}")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            raise InvalidDuration("nan is not a duration; give seconds as a number, or '47h59m'")
        if value < 0:
            raise InvalidDuration(
                f"a duration cannot be negative: {value!r}; time only moves forward"
            )
        if value > MAX_DURATION.total_seconds():
            raise InvalidDuration(too_long(value))
        value = timedelta(seconds=value)
    elif isinstance(value, str):
        try:
            value = parse_duration(value)
        except InvalidDurationText as error:
            raise InvalidDuration(str(error)) from None
    if not isinstance(value, timedelta):
        raise InvalidDuration(f"expected a duration like '47h59m' or a timedelta, got {value!r}")
    if value < timedelta(0):
        raise InvalidDuration(f"a duration cannot be negative: {value}; time only moves forward")
    if value > MAX_DURATION:
        raise InvalidDuration(too_long(format_duration(value)))
    return value


def read_clock(clock: Clock) -> datetime:
    """The clock's time as an aware UTC datetime; InvalidClock for anything else it returns (or
    raises), such as a naive time, a time zone offset of a day or more, or a broken tzinfo."""
    try:
        return as_instant(clock.now())
    except InvalidArgument as error:
        raise InvalidClock(clock, f"returned a time bindsim cannot use: {error}") from None
    except Exception as error:  # a clock is the user's code: it may fail in any way
        raise InvalidClock(clock, f"failed: {type(error).__name__}: {error}") from None


# Where simulated time starts unless told otherwise: the seed article's date, noon UTC.
DEFAULT_START = datetime(2024, 11, 11, 12, 0, tzinfo=UTC)


class ManualClock:
    """Simulated time that moves only when told to, and only forward."""

    def __init__(self, start: datetime | str = DEFAULT_START) -> None:
        self._now = as_instant(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta | str | int | float) -> datetime:
        duration = as_duration(by)
        target = self._now + duration  # cannot overflow: now < LATEST, duration ≤ MAX_DURATION
        if target >= LATEST:
            raise InvalidDuration(
                f"advancing {format_duration(duration)} from {_show_time(self._now)} would reach "
                f"{_show_time(target)}; {TIME_RANGE}"
            )
        self._now = target
        return self._now

    def set(self, to: datetime | str) -> datetime:
        target = as_instant(to)
        if target < self._now:
            raise ClockWentBackwards(self._now, target)
        self._now = target
        return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()!r})"


class SystemClock:
    """The system's UTC time; under freezegun or time-machine, the frozen time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"
