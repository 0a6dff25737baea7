"""The two clocks: one moved by hand, one read from the system (so freezegun controls it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from machines.durations import InvalidDurationText, parse_duration
from simulator.errors import ClockWentBackwards, InvalidArgument, InvalidDuration, NaiveDatetime


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
    return value.astimezone(UTC)


def as_duration(value: timedelta | str | int | float) -> timedelta:
    """A non-negative timedelta from a timedelta, seconds, or text like "47h59m"."""
    if isinstance(value, bool):
        raise InvalidDuration(f"expected a duration, got {value!r}")
    if isinstance(value, (int, float)):
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
    return value


class ManualClock:
    """Simulated time that moves only when told to, and only forward."""

    def __init__(self, start: datetime | str = "2024-11-11T12:06:00Z") -> None:
        self._now = as_instant(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta | str | int | float) -> datetime:
        self._now += as_duration(by)
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
