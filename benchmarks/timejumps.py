"""3. Time jumps: the cost of `advance` depends on the timers due, never on the jump's length."""

from __future__ import annotations

import random
from datetime import timedelta

from benchmarks.harness import Table, best_of, best_of_interleaved, fmt_time, loglog_slope, verdict
from bindsim.simulator import ManualClock, World

START = "2024-11-11T12:00:00Z"
SECOND = timedelta(seconds=1)
TEN_YEARS = timedelta(days=3653)
CALLS = 200  # advances per timing when nothing is due (200 × 10 years stays below year 9999)


def idle_world(pending: int = 0) -> World:
    """A World with `pending` timers, all due after any jump made here (so none fires)."""
    world = World(clock=ManualClock(START))
    far = world.now + TEN_YEARS * (CALLS + 1)
    for n in range(pending):
        world.timers.schedule(far + timedelta(seconds=n), "inv-1", "expire")
    return world


def advance_many(world: World, by: timedelta) -> None:
    for _ in range(CALLS):
        world.advance(by)


def world_with_due_timers(count: int, seed: int = 6) -> World:
    """A World with one accepted invitation and `count` timers aimed at it, due within 48h.

    The timers come due and are found stale (the invitation was answered): what is timed is the
    World's scheduler, heap and catch-up loop, without any machine work.
    """
    world = World(clock=ManualClock(START))
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.accept("alice", "gb")
    rng = random.Random(seed)
    now = world.now
    for _ in range(count):
        world.timers.schedule(now + timedelta(seconds=rng.randrange(1, 48 * 3600)), "inv-1", "x")
    return world


def world_with_live_invitations(count: int) -> World:
    """`count` shops, each with a pending invitation: `count` real expiries due at +48h."""
    world = World(clock=ManualClock(START))
    for i in range(count):
        world.add_shop(f"s{i}", region="GB")
        world.add_creator(f"c{i}", country="GB", age=24)
        world.invite(f"s{i}", f"c{i}")
    return world


def run(quick: bool) -> Table:
    repeat = 5 if quick else 9
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    live = 200 if quick else 1_000
    table = Table(
        f"3. Time jumps (best of {repeat})",
        ("case", "1 s jump", "10 y jump", "10 y / 1 s", "per call or timer", "check"),
    )

    # Nothing due: one advance costs the same, whatever the jump and however many timers wait.
    for pending in (0, 100_000 if not quick else 10_000):
        one_s, ten_y = best_of_interleaved(
            [
                (lambda p=pending: idle_world(p), lambda w: advance_many(w, SECOND)),
                (lambda p=pending: idle_world(p), lambda w: advance_many(w, TEN_YEARS)),
            ],
            repeat,
        )
        ratio = ten_y / one_s
        per_call = max(one_s, ten_y) / CALLS
        table.add(
            f"nothing due, {pending} timers pending",
            fmt_time(one_s / CALLS),
            fmt_time(ten_y / CALLS),
            f"{ratio:.2f}",
            fmt_time(per_call),
            verdict(0.8 <= ratio <= 1.25 and per_call < 1e-4),
        )

    # k timers due: the cost grows with k (k log k for the heap), not with the jump.
    per_k: list[float] = []
    for k in sizes:
        short, long = best_of_interleaved(
            [
                (lambda k=k: world_with_due_timers(k), lambda w: w.advance("49h")),
                (lambda k=k: world_with_due_timers(k), lambda w: w.advance(TEN_YEARS)),
            ],
            repeat if k < 100_000 else 3,
        )
        per_k.append(min(short, long))
        ratio = long / short
        table.add(
            f"k = {k} stale timers due",
            fmt_time(short),
            fmt_time(long),
            f"{ratio:.2f}",
            fmt_time(min(short, long) / k),
            verdict(0.8 <= ratio <= 1.25),
        )
    slope = loglog_slope(sizes, per_k)
    table.note(
        f"k timers due: fitted exponent of time against k = {slope:.2f} "
        f"[{verdict(slope <= 1.2)}] (k log k over 10³–10⁵ fits ≈ 1.1)."
    )
    table.note(
        "'1 s jump' for k timers means a 49h jump, the shortest that fires them all "
        "(they are spread over 48h)."
    )

    # Real expiries: each fired timer sends `expire` to its invitation and logs the step.
    fire = best_of(lambda: world_with_live_invitations(live), lambda w: w.advance("48h"), 3)
    table.add(
        f"k = {live} invitations expire",
        fmt_time(fire),
        "",
        "",
        fmt_time(fire / live),
        "",
    )
    table.note(
        "stale timers (the invitation was answered) cost the scheduler only; a live expiry adds "
        "one python-statemachine send and a log entry."
    )
    return table
