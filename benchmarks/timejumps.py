"""3. Time jumps: the cost of `advance` depends on the timers that fire, never on the jump's length.

The Worlds hold pending invitations (R-INVITE-48H) whose time to live is lifted to 100,000 days,
so that no 10-year jump made here reaches them unless it is meant to. Each is built once through
the public API and copied (`w.copy()`) before every timed run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from benchmarks import workloads
from benchmarks.harness import Case, Ratio, Table, compare, fmt_time, loglog_slope, median, verdict
from bindsim import World

TTL = "100000d"  # ≈ 274 years: beyond every jump of this section but the ones meant to fire
TEN_YEARS = timedelta(days=3653)
JUMPS = 20  # jumps per World: 20 × 10 years stays well inside the TTL and before 9000-01-01
COPIES = 10  # Worlds per timed run: 200 jumps in all
LENGTH_BAND = (0.8, 1.25)  # "costs the same": the long jump within this band of the short one


def last_expiry(world: World, count: int) -> datetime:
    expires_at = world.invitation(f"s{count - 1}", f"c{count - 1}").expires_at
    assert expires_at is not None
    return expires_at


def idle_jumps(base: World, by: timedelta) -> Case:
    """JUMPS jumps of `by` on each of COPIES copies of `base`: nothing comes due."""

    def run(worlds: list[World]) -> None:
        for world in worlds:
            for _ in range(JUMPS):
                world.advance(by)

    return Case(f"advance {by}", run, setup=lambda: [base.copy() for _ in range(COPIES)])


def firing_jump(base: World, count: int, extra: timedelta) -> Case:
    """One jump that fires every timer of `base`: to its last timer's due time, plus `extra`;
    made on copies_for(count) copies of `base` in a timed run."""
    target = last_expiry(base, count) + extra

    def run(worlds: list[World]) -> None:
        for world in worlds:
            world.advance_to(target)

    return Case(
        f"advance to +{extra}", run, setup=lambda: [base.copy() for _ in range(copies_for(count))]
    )


def copies_for(timers: int) -> int:
    """Enough Worlds that a timed run fires at least 10,000 timers."""
    return max(1, 10_000 // timers)


def same_cost(ratio: Ratio) -> str:
    low, high = LENGTH_BAND
    return verdict(low <= ratio.value <= high)


def run(quick: bool) -> Table:
    count = 3 if quick else 5
    idle_sizes = (0, 10_000) if quick else (0, 100_000)
    stale_sizes = (100, 1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    live_sizes = (100, 1_000) if quick else (100, 1_000, 10_000)
    built = {
        size: workloads.pending_invitations(size, TTL)
        for size in sorted({*idle_sizes, *stale_sizes, *live_sizes})
    }
    table = Table(
        f"3. Time jumps (median of {count} rounds)",
        ("case", "short jump", "+10 years", "long/short", "per call or timer", "same cost"),
    )
    for size in idle_sizes:
        ratio = compare(
            idle_jumps(built[size], TEN_YEARS), idle_jumps(built[size], timedelta(seconds=1)), count
        )
        table.add(
            f"nothing due, {size:,} timers pending",
            fmt_time(median(ratio.baseline) / JUMPS / COPIES),
            fmt_time(median(ratio.subject) / JUMPS / COPIES),
            ratio.show(),
            fmt_time(median(ratio.subject) / JUMPS / COPIES),
            same_cost(ratio),
        )

    def firing_rows(kind: str, sizes: tuple[int, ...], worlds: dict[int, World]) -> list[float]:
        per_timer = []
        for size in sizes:
            ratio = compare(
                firing_jump(worlds[size], size, TEN_YEARS),
                firing_jump(worlds[size], size, timedelta(0)),
                count,
            )
            copies = copies_for(size)
            per_timer.append(median(ratio.baseline) / size / copies)
            table.add(
                f"k = {size:,} {kind} due",
                fmt_time(median(ratio.baseline) / copies),
                fmt_time(median(ratio.subject) / copies),
                ratio.show(),
                fmt_time(per_timer[-1]),
                same_cost(ratio),
            )
        return per_timer

    stale = {size: workloads.withdraw_all(built[size].copy(), size) for size in stale_sizes}
    stale_per_timer = firing_rows("stale timers", stale_sizes, stale)
    live_per_timer = firing_rows("live expiries", live_sizes, built)
    for kind, sizes, per_timer in (
        ("stale timers", stale_sizes, stale_per_timer),
        ("live expiries", live_sizes, live_per_timer),
    ):
        table.note(
            f"{kind}: cost per timer from k = {sizes[0]:,} to {sizes[-1]:,} grows as "
            f"k^{loglog_slope(sizes, per_timer):.2f} (a heap: log k, i.e. ≈ k^0.1 over this range)"
        )
    table.note(
        f"short jump: 1 s for 'nothing due' ({JUMPS * COPIES} calls per run); for k timers, "
        "the jump to the last one's due time (the shortest that fires them all), on enough "
        "copies to fire 10,000 timers per run. +10 years: the same jump 10 years longer. "
        f"'same cost': long/short within {LENGTH_BAND[0]}–{LENGTH_BAND[1]}."
    )
    table.note(
        "stale timers belong to withdrawn invitations (A-DECLINE): each costs the heap and a "
        "check; a live expiry also moves its invitation, frees its slot and logs a step."
    )
    return table
