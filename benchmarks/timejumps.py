"""3. Time jumps: the cost of `advance` depends on the timers that fire, never on the jump's length.

The Worlds hold pending invitations (R-INVITE-48H) whose time to live is lifted to 300,000 days
(the longest a setting may be), so that no 10-year jump made here reaches them unless it is
meant to. Each is built once through
the public API and copied (`w.copy()`) before every timed run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from benchmarks import workloads
from benchmarks.harness import Case, Ratio, Table, compare, fmt_time, loglog_slope, median, verdict
from bindsim import World

TTL = "300000d"  # ≈ 821 years: beyond every jump of this section but the ones meant to fire
TEN_YEARS = timedelta(days=3653)
JUMPS = 60  # jumps per World: 60 × 10 years stays inside the TTL and before 9000-01-01
COPIES = 10  # Worlds per timed run: 600 jumps in all
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


def idle_row(base: World, size: int, count: int) -> tuple[str, ...]:
    ratio = compare(idle_jumps(base, TEN_YEARS), idle_jumps(base, timedelta(seconds=1)), count)
    calls = JUMPS * COPIES
    return (
        f"nothing due, {size:,} timers pending",
        fmt_time(median(ratio.baseline) / calls),
        fmt_time(median(ratio.subject) / calls),
        ratio.show(),
        fmt_time(median(ratio.subject) / calls),
        same_cost(ratio),
    )


def firing_row(kind: str, base: World, size: int, count: int) -> tuple[tuple[str, ...], float]:
    """The row of a jump that fires `size` timers, and its cost per timer."""
    ratio = compare(
        firing_jump(base, size, TEN_YEARS), firing_jump(base, size, timedelta(0)), count
    )
    copies = copies_for(size)
    per_timer = median(ratio.baseline) / size / copies
    row = (
        f"k = {size:,} {kind} due",
        fmt_time(median(ratio.baseline) / copies),
        fmt_time(median(ratio.subject) / copies),
        ratio.show(),
        fmt_time(per_timer),
        same_cost(ratio),
    )
    return row, per_timer


STALE, LIVE = "stale timers", "live expiries"


def run(quick: bool) -> Table:
    count = 3 if quick else 5
    sizes = {
        "idle": (0, 10_000) if quick else (0, 100_000),
        STALE: (100, 1_000, 10_000) if quick else (1_000, 10_000, 100_000),
        LIVE: (100, 1_000) if quick else (100, 1_000, 10_000),
    }
    rows: dict[str, list[tuple[str, ...]]] = {kind: [] for kind in sizes}
    per_timer: dict[str, list[float]] = {STALE: [], LIVE: []}
    # Each World is built once, used for every case of its size, then dropped: the collection
    # before each timed run walks only the Worlds alive.
    for size in sorted({size for group in sizes.values() for size in group}):
        base = workloads.pending_invitations(size, TTL)
        if size in sizes["idle"]:
            rows["idle"].append(idle_row(base, size, count))
        if size in sizes[LIVE]:
            row, cost = firing_row(LIVE, base, size, count)
            rows[LIVE].append(row)
            per_timer[LIVE].append(cost)
        if size in sizes[STALE]:
            row, cost = firing_row(STALE, workloads.withdraw_all(base, size), size, count)
            rows[STALE].append(row)
            per_timer[STALE].append(cost)
        del base
    table = Table(
        f"3. Time jumps (median of {count} rounds)",
        ("case", "short jump", "+10 years", "long/short", "per call or timer", "same cost"),
    )
    for group in rows.values():
        for cells in group:
            table.add(*cells)
    for kind, costs in per_timer.items():
        table.note(
            f"{kind}: cost per timer from k = {sizes[kind][0]:,} to {sizes[kind][-1]:,} grows as "
            f"k^{loglog_slope(sizes[kind], costs):.2f} (a heap: log k, i.e. ≈ k^0.1 over this "
            "range)"
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
