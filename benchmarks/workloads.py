"""The Worlds the benchmarks time, built through the World's public API only.

Shops are s0, s1, ... and accounts c0, c1, ...: pair i is shop s{i} with account c{i}, an
eligible open shop and account in GB. Each builder says which rule its workload walks through.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bindsim import BindSimError, ManualClock, Ruleset, World
from bindsim.simulator.scenario import find_files, load_file, run

START = "2024-11-11T12:00:00Z"
LIBRARY = Path(__file__).resolve().parent.parent / "src" / "bindsim" / "scenarios"
# R-UNLINK-PATH: the creator's taps from the profile to the unlink request.
UNLINK_TAPS = ("Showcase", "Enter", "Your Shop", "View link info", "Send unlink request")
# R-OFFICIAL-UNBIND-3 would end a shop's cycles after three unbinds; runs that cycle a fixed
# cast for a long time lift it (the limit changes a number, not what a step stores).
ENDLESS_UNBINDS = Ruleset().with_overrides({"official_unbind_limit": 10**9})


def pairs_world(
    pairs: int,
    *,
    engine: str = "table",
    rules: Ruleset | None = None,
    log_limit: int | None = None,
) -> World:
    """`pairs` open shops and as many eligible accounts, nothing done yet."""
    world = World(clock=ManualClock(START), ruleset=rules, engine=engine, log_limit=log_limit)
    for i in range(pairs):
        world.add_shop(f"s{i}", region="GB", kind="open")
        world.add_creator(f"c{i}", country="GB", age=24)
    return world


def on_engine(world: World, engine: str) -> World:
    """The same state run by another engine (World.from_state: the records are shared)."""
    return World.from_state(world.state, world.clock, world.rules, engine=engine)


# The official-account cycle (R-INVITE-48H, R-LOCK-24H, R-UNLINK-PATH, R-UNLINK-APPROVE), phase
# by phase over every pair. The phases are also the states the per-action benchmarks start from.


def invite_all(world: World, pairs: int) -> None:
    for i in range(pairs):
        world.invite(f"s{i}", f"c{i}", role="official")


def accept_all(world: World, pairs: int) -> None:
    for i in range(pairs):
        world.accept(f"c{i}", f"s{i}")


def unlock_all(world: World, pairs: int) -> None:
    world.advance("24h")  # R-LOCK-24H: one jump fires every pair's unlock timer


def tap_unlink_path_all(world: World, pairs: int) -> None:
    for i in range(pairs):
        for label in UNLINK_TAPS:
            world.tap(f"c{i}", label)


def request_unlink_all(world: World, pairs: int) -> None:
    for i in range(pairs):
        world.request_unlink(f"c{i}")


def approve_all(world: World, pairs: int) -> None:
    for i in range(pairs):
        world.approve_unlink(f"s{i}", f"c{i}")


Phase = Callable[[World, int], None]
CYCLE: tuple[Phase, ...] = (invite_all, accept_all, unlock_all, tap_unlink_path_all, approve_all)
# A cycle that can repeat: request_unlink goes back to the profile first, wherever the app is.
REPEATABLE_CYCLE: tuple[Phase, ...] = (
    invite_all,
    accept_all,
    unlock_all,
    request_unlink_all,
    approve_all,
)


def run_phases(world: World, pairs: int, phases: tuple[Phase, ...]) -> World:
    for phase in phases:
        phase(world, pairs)
    return world


def pending_invitations(count: int, ttl: str) -> World:
    """`count` pairs, each with a pending invitation (R-INVITE-48H, here with a `ttl` to expire);
    the invitations are sent one second apart, so their expiries are spread over `count` s."""
    world = pairs_world(count, rules=Ruleset().with_overrides({"invite_ttl": ttl}))
    for i in range(count):
        world.invite(f"s{i}", f"c{i}")
        world.advance(timedelta(seconds=1))
    return world


def withdraw_all(world: World, pairs: int) -> World:
    """A-DECLINE: every pending invitation withdrawn; their expiry timers stay, stale."""
    for i in range(pairs):
        world.withdraw(f"s{i}", f"c{i}")
    return world


def history_world(pairs: int) -> World:
    """`pairs` pairs invited and bound: 4 records a pair (shop, account, invitation, binding),
    plus each shop's Seller Center, and 2 timers a pair still pending."""
    world = pairs_world(pairs)
    invite_all(world, pairs)
    accept_all(world, pairs)
    return world


# ---------------------------------------------------------------- a seeded random World

REGIONS = ("GB", "US", "DE")
YEAR = timedelta(days=365)


def random_world(shops: int, seed: int = 6) -> tuple[World, int]:
    """S shops, 10·S accounts and 10·S seeded actions over a simulated year, refusals and bad
    calls included (they are part of a real workload). Returns the World and how many calls
    were refused or invalid."""
    rng = random.Random(seed)
    world = World(clock=ManualClock(START))
    for s in range(shops):
        kind = "invited" if rng.random() < 0.3 else "open"
        world.add_shop(f"s{s}", region=rng.choice(REGIONS), kind=kind)
    accounts = 10 * shops
    for c in range(accounts):
        country = rng.choice(REGIONS)
        world.add_creator(
            f"c{c}",
            country=country,
            age=16 if rng.random() < 0.05 else 24,
            network=country if rng.random() < 0.9 else rng.choice(REGIONS),
            followers=rng.choice((0, 500, 5000)),
        )
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
                shop, creator = _take(invited, rng)
                world.accept(creator, shop)
                accepted.append((shop, creator))
            elif roll < 0.85 and accepted:
                shop, creator = _take(accepted, rng)
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
            refused += 1
    return world, refused


def _take(pairs: list[tuple[str, str]], rng: random.Random) -> tuple[str, str]:
    """Remove and return a random pair in O(1) (the last one moves into its place)."""
    index = rng.randrange(len(pairs))
    pairs[index], pairs[-1] = pairs[-1], pairs[index]
    return pairs.pop()


# ---------------------------------------------------------------- the scenario library


def library_files() -> list[Path]:
    return find_files([LIBRARY]) if LIBRARY.is_dir() else []


def longest_story() -> tuple[str, World]:
    """The library scenario whose run logs the most entries, and the World it ends with."""
    best: tuple[int, str, World] | None = None
    for path in library_files():
        world = run(load_file(path)).world
        if best is None or world.logged > best[0]:
            name = str(path.relative_to(LIBRARY)).removesuffix(".scenario.yaml")
            best = (world.logged, name, world)
    if best is None:
        raise FileNotFoundError(f"no scenario library at {LIBRARY}")
    return best[1], best[2]


def record_count(world: World) -> int:
    """Shops, accounts, invitations, bindings, tickets and screens."""
    return sum(
        len(records)
        for records in (
            world.shops,
            world.creators,
            world.invitations,
            world.bindings,
            world.tickets,
            world.screens,
        )
    )
