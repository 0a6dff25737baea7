"""Expanding states in one process: every action of a state tried, each successor keyed, and a
state new to the process checked and handed on with its digest.

The search (search.py) reads successors level by level through a `Frontier`: this process's own
(`LocalFrontier`), or processes that share each level (pool.py). Either way it sees the same
successors in the same order: by the number of the state they come from, then by action.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from bindsim.errors import InvariantBroken
from bindsim.machines import Ruleset
from bindsim.simulator import contracts, coverage, invariants, properties, queries
from bindsim.simulator.clock import ManualClock
from bindsim.simulator.engine import engine_named
from bindsim.simulator.explore.space import (
    Action,
    Cast,
    actions,
    apply,
    digest,
    held,
    keyed,
)
from bindsim.simulator.state import State


@dataclass
class Context:
    """What expanding a state needs, the same in every process of a search."""

    rules: Ruleset
    cast: Cast
    engine: str
    properties: list[tuple[str, properties.Property]] = field(default_factory=list)


class Found(NamedTuple):
    """One action tried on a state: what it exercised and, when it made a state, its digest.

    `kept` is how the frontier finds the new state again if the search admits it: the state
    itself in this process, a reference to it in another. None when the state is not new to
    the process that made it (it handed it on before) or no state was made."""

    parent: int  # the number of the state the action was tried on
    action: Action
    digest: bytes | None  # None: refused, not applicable, or broke an invariant on the way
    held: int  # the accounts a live binding holds in the new state (space.held)
    orbit: int  # how many states of the whole space the new state stands for (symmetry)
    items: frozenset[coverage.Item]
    violation: tuple[str, str] | None  # (invariant or property name, why)
    kept: Any


class Frontier(Protocol):
    """The states of the level being expanded, wherever they are."""

    def expand(self) -> Iterator[Found]:
        """Every successor of every state of the level, by state number, then action."""
        ...

    def keep(self, found: Found, number: int) -> None:
        """The search admitted `found`'s state as `number`: expand it at the next level."""
        ...

    def next_level(self) -> int:
        """Make the states kept so far the level to expand; returns how many there are."""
        ...

    def close(self) -> None: ...


def check_state(
    state: State, now: datetime, context: Context, judged: set[coverage.Item] | None = None
) -> tuple[str, str] | None:
    """The invariants recounted from the records, the state contracts (each one judged is noted
    in `judged`), and each property, on a new state."""
    try:
        invariants.check_all(state, context.rules, now)
    except InvariantBroken as broken:
        return "invariant", str(broken)
    for contract, problem in contracts.judge_state(
        state, now, context.rules, answers(state, now, context.rules)
    ):
        if judged is not None:
            judged.add(("state contract", contract.rule, contract.name))
        if problem is not None:
            return f"contract {contract.rule}", f"{contract.name}: {problem}"
    if not context.properties:
        return None
    from bindsim.simulator.world import World

    world = World.from_state(state.copy(), ManualClock(now), context.rules)
    return properties.first_broken(world, context.properties)


def answers(state: State, now: datetime, rules: Ruleset) -> contracts.Answers:
    """What the World would answer about a state (its queries), for the state contracts."""

    def capabilities(creator_id: str) -> contracts.Capabilities:
        found = queries.capabilities(state, creator_id, rules)
        return contracts.Capabilities(
            found.role,
            found.auto_sync_showcase,
            found.add_from_shop,
            found.sell_in_live_and_video,
            found.follower_minimum_applies,
        )

    return contracts.Answers(
        capabilities,
        lambda shop_id: queries.channel_binds_left(state, shop_id, now, rules),
        lambda shop_id: queries.official_unbinds_left(state, shop_id, rules),
    )


def collect_garbage() -> None:
    """Run Python's cyclic garbage collector, which a search turns off, once enough objects
    came since the last run (called between levels and every few thousand actions: the
    python-statemachine engine makes cycles at every event), then set what survived aside.

    A search makes few reference cycles (40 in 30,000 states: its records and states are
    acyclic, and reference counting frees them), but it allocates fast and keeps a level's
    states alive, so the collector, left on, walks the whole heap again and again as it grows:
    ≈ 5% of one process's time, ≈ 11% of `--jobs 2`'s, at 10⁵ states. Here each run walks only
    what came since the last (gc.freeze; the search's end calls gc.unfreeze)."""
    if gc.get_count()[0] >= COLLECT_AFTER:
        gc.collect()
        gc.freeze()


COLLECT_AFTER = 100_000  # objects made (net) since the last collection


class Expander:
    """Tries every action on states of one process and remembers the digests it handed on, so
    that each state is checked and handed on once per process."""

    def __init__(self, context: Context, seen: set[bytes] | None = None) -> None:
        self.context = context
        self.engine = engine_named(context.engine)
        self.seen: set[bytes] = seen if seen is not None else set()

    def expand(self, number: int, state: State, now: datetime) -> Iterator[Found]:
        """The successors of one state, in action order; `kept` is (state, now) when new."""
        rules, seen = self.context.rules, self.seen
        for action in list(actions(state, now, self.context.cast, rules)):
            outcome = apply(state, now, rules, self.engine, action)
            items = frozenset(outcome.items)
            if outcome.violation is not None:
                yield Found(number, action, None, 0, 0, items, outcome.violation, None)
            elif outcome.state is None:  # refused or not applicable: no new state
                yield Found(number, action, None, 0, 0, items, None, None)
            else:
                form, orbit = keyed(outcome.state, outcome.now, rules, self.context.cast)
                code = digest(form)
                if code in seen:
                    yield Found(number, action, code, 0, orbit, items, None, None)
                    continue
                seen.add(code)
                judged: set[coverage.Item] = set()
                check = check_state(outcome.state, outcome.now, self.context, judged)
                kept = (outcome.state, outcome.now)
                items = items | judged
                mask = held(outcome.state)
                yield Found(number, action, code, mask, orbit, items, check, kept)


class LocalFrontier:
    """The frontier of a search that runs in one process: the states themselves."""

    def __init__(self, context: Context, root: tuple[State, datetime], seen: set[bytes]) -> None:
        self.expander = Expander(context, seen)
        self.level: list[tuple[int, State, datetime]] = []
        self.upcoming: list[tuple[int, State, datetime]] = [(0, *root)]

    def expand(self) -> Iterator[Found]:
        for number, state, now in self.level:
            yield from self.expander.expand(number, state, now)

    def keep(self, found: Found, number: int) -> None:
        state, now = found.kept
        self.upcoming.append((number, state, now))

    def next_level(self) -> int:
        self.level, self.upcoming = self.upcoming, []
        return len(self.level)

    def close(self) -> None:
        self.level, self.upcoming = [], []
