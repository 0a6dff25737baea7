"""4. Growth: a seeded random world of S shops, 10·S accounts and 10·S actions over a year.

Time and peak memory per size, and the fitted growth exponent (log-log slope): a World whose
steps cost O(what they touch) grows linearly (exponent ≈ 1).
"""

from __future__ import annotations

import random
import time
import tracemalloc
from datetime import timedelta
from functools import cache

from benchmarks.harness import Table, fmt_bytes, fmt_time, loglog_slope, verdict
from bindsim.machines import BindsimMachine, CreatorApp
from bindsim.simulator import BindSimError, ManualClock, World

TARGET = 1.1
START = "2024-01-01T00:00:00Z"
YEAR = timedelta(days=365)
REGIONS = ("GB", "US", "DE")


def build(shops: int, seed: int = 6) -> tuple[World, random.Random]:
    """S shops and 10·S accounts, most of them eligible somewhere."""
    rng = random.Random(seed)
    world = World(clock=ManualClock(START))
    for s in range(shops):
        kind = "invited" if rng.random() < 0.3 else "open"
        world.add_shop(f"s{s}", region=rng.choice(REGIONS), kind=kind)
    for c in range(10 * shops):
        country = rng.choice(REGIONS)
        world.add_creator(
            f"c{c}",
            country=country,
            age=16 if rng.random() < 0.05 else 24,
            network=country if rng.random() < 0.9 else rng.choice(REGIONS),
            followers=rng.choice((0, 500, 5000)),
        )
    return world, rng


def take(pairs: list[tuple[str, str]], rng: random.Random) -> tuple[str, str]:
    """Remove and return a random pair in O(1) (the last one moves into its place)."""
    index = rng.randrange(len(pairs))
    pairs[index], pairs[-1] = pairs[-1], pairs[index]
    return pairs.pop()


def play(world: World, rng: random.Random, shops: int) -> int:
    """10·S seeded actions spread over a simulated year; returns how many were refused."""
    accounts = 10 * shops
    actions = 10 * shops
    step = YEAR / actions
    invited: list[tuple[str, str]] = []  # (shop, creator) pairs invited, candidates to accept
    accepted: list[tuple[str, str]] = []  # candidates to unlink
    refused = 0
    for _ in range(actions):
        world.advance(step)
        roll = rng.random()
        shop = f"s{rng.randrange(shops)}"
        creator = f"c{rng.randrange(accounts)}"
        try:
            if roll < 0.35:
                kind = world.shops[shop].kind
                role = "official" if kind == "open" or rng.random() < 0.3 else "channel"
                world.invite(shop, creator, role=role)
                invited.append((shop, creator))
            elif roll < 0.65 and invited:
                shop, creator = take(invited, rng)
                world.accept(creator, shop)
                accepted.append((shop, creator))
            elif roll < 0.85 and accepted:
                shop, creator = take(accepted, rng)
                world.request_unlink(creator)
                if rng.random() < 0.9:
                    world.approve_unlink(shop, creator)
                else:
                    world.decline_unlink(shop, creator)
                    accepted.append((shop, creator))
            elif roll < 0.92:
                world.set_creator(creator, network=rng.choice(REGIONS))
            elif roll < 0.96:
                world.open_ticket(shop, creator)
            else:
                world.screen(creator)
                world.capabilities(creator)
        except BindSimError:
            refused += 1  # refusals and invalid actions are part of the workload
    return refused


def run_once(shops: int) -> tuple[float, int]:
    start = time.perf_counter()
    world, rng = build(shops)
    refused = play(world, rng, shops)
    return time.perf_counter() - start, refused


def peak_memory(shops: int) -> tuple[int, int]:
    """Peak traced memory of a whole run, and the memory held by its machines at the end."""
    tracemalloc.start()
    try:
        world, rng = build(shops)
        play(world, rng, shops)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    records = [
        *world.invitations.values(),
        *world.bindings.values(),
        *world.tickets.values(),
        *world.screens.values(),
    ]
    held = sum(machine_bytes(type(record.machine)) for record in records)
    return peak, int(held)


@cache
def machine_bytes(machine: type[BindsimMachine], count: int = 100) -> float:
    """Memory of one fresh instance of a machine class (python-statemachine's own state)."""
    tracemalloc.start()
    try:
        kept = [machine() for _ in range(10)]  # class-level caches are filled once, not counted
        before = tracemalloc.get_traced_memory()[0]
        kept += [machine() for _ in range(count)]
        return (tracemalloc.get_traced_memory()[0] - before) / count
    finally:
        tracemalloc.stop()


def idle_account_bytes(count: int = 2000) -> tuple[float, float, bool]:
    """Bytes per idle account, bytes of one CreatorApp machine, and whether any app was opened."""
    world = World(clock=ManualClock(START))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for c in range(count):
            world.add_creator(f"idle{c}", country="GB", age=24)
        per_account = (tracemalloc.get_traced_memory()[0] - before) / count
    finally:
        tracemalloc.stop()
    per_machine = machine_bytes(CreatorApp)
    return per_account, per_machine, not world.screens


def run(quick: bool) -> Table:
    sizes = (25, 50, 100, 200) if quick else (100, 200, 400, 800)
    repeat = 3
    table = Table(
        "4. Growth: S shops, 10·S accounts, 10·S actions over a simulated year (seeded)",
        (
            "S",
            "time",
            "time/S vs first",
            "peak memory",
            "memory/S vs first",
            "in machines",
            "refused",
        ),
    )
    times: list[float] = []
    peaks: list[int] = []
    held: list[int] = []
    run_once(sizes[0])  # warm-up: first-call costs are not growth
    for shops in sizes:
        seconds, refused = min(run_once(shops) for _ in range(repeat))
        times.append(seconds)
        peak, machines = peak_memory(shops)
        peaks.append(peak)
        held.append(machines)
        table.add(
            shops,
            fmt_time(seconds),
            f"{(seconds / shops) / (times[0] / sizes[0]):.2f}",
            fmt_bytes(peaks[-1]),
            f"{(peaks[-1] / shops) / (peaks[0] / sizes[0]):.2f}",
            f"{held[-1] / peaks[-1]:.0%}",
            refused,
        )
    time_slope = loglog_slope(sizes, times)
    memory_slope = loglog_slope(sizes, peaks)
    table.note(
        f"growth exponent (log-log slope): time {time_slope:.2f} "
        f"[{verdict(time_slope <= TARGET)}], memory {memory_slope:.2f} "
        f"[{verdict(memory_slope <= TARGET)}] (target ≤ {TARGET})"
    )
    per_account, per_machine, lazy = idle_account_bytes()
    table.note(
        f"an idle account holds {fmt_bytes(per_account)}; one CreatorApp machine alone is "
        f"{fmt_bytes(per_machine)}; app machines opened for idle accounts: "
        f"{'none' if lazy else 'some'} [{verdict(lazy and per_account < per_machine)}]"
    )
    table.note(
        "time is best of the runs without tracemalloc; memory is one traced run; 'in machines' "
        "is the share of the peak held by python-statemachine instances at the end (their count × "
        "the size of a fresh instance of each class)."
    )
    return table
