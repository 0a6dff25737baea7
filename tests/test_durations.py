"""Durations become text in one module (machines/durations.py): the machine-readable form that
parse_duration reads back, and the forms people read, in English and Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bindsim.machines.durations import (
    MAX_DURATION,
    format_duration,
    parse_duration,
    spoken_duration,
)

DURATIONS = st.integers(0, int(MAX_DURATION.total_seconds())).map(lambda s: timedelta(seconds=s))


@given(DURATIONS, st.booleans())
def test_every_written_duration_reads_back_the_same(delta: timedelta, in_hours: bool) -> None:
    assert parse_duration(format_duration(delta, in_hours=in_hours)) == delta


@pytest.mark.parametrize(
    ("delta", "short", "as_qa_writes"),
    [
        (timedelta(0), "0s", "0s"),
        (timedelta(hours=48), "2d", "48h"),
        (timedelta(hours=47, minutes=59, seconds=59), "1d23h59m59s", "47h59m59s"),
        (timedelta(days=3), "3d", "3d"),
        (timedelta(days=3, seconds=1), "3d1s", "72h1s"),
        (timedelta(days=180), "180d", "180d"),
        (timedelta(minutes=90), "1h30m", "1h30m"),
    ],
)
def test_a_scenario_writes_the_seeds_windows_in_hours_and_long_ones_in_days(
    delta: timedelta, short: str, as_qa_writes: str
) -> None:
    assert format_duration(delta) == short
    assert format_duration(delta, in_hours=True) == as_qa_writes


@pytest.mark.parametrize(
    ("delta", "style", "en", "zh"),
    [
        (timedelta(hours=48), "span", "48h", "48 小时"),
        (timedelta(days=3), "span", "72h", "72 小时"),
        (timedelta(days=180), "span", "180 days", "180 天"),
        (timedelta(days=4, hours=1), "span", "4d 1h", "4 天 1 小时"),
        (timedelta(minutes=90), "span", "1h 30min", "1 小时 30 分钟"),
        (timedelta(0), "span", "0h", "0 小时"),
        (timedelta(hours=47, minutes=30), "elapsed", "+47h 30m", "+47 小时 30 分钟"),
        (timedelta(days=3, hours=4, minutes=5), "elapsed", "+3d 4h", "+3 天 4 小时"),
        (-timedelta(hours=1), "elapsed", "-1h", "-1 小时"),
        (timedelta(0), "elapsed", "+0", "+0"),
        (timedelta(hours=12, minutes=3), "countdown", "12h 03m", "12 小时 03 分钟"),
        (timedelta(days=2, seconds=1), "countdown", "48h 00m 01s", "48 小时 00 分钟 01 秒"),
        (-timedelta(hours=1), "countdown", "0h 00m", "0 小时 00 分钟"),
    ],
)
def test_people_read_a_duration_in_the_words_of_where_it_is_shown(
    delta: timedelta, style: str, en: str, zh: str
) -> None:
    said = spoken_duration(delta, style)  # type: ignore[arg-type]
    assert (said.en, said.zh) == (en, zh)
