"""Breadth-first search over the states of a cast: every state checked, the shortest path to each.

Visited states keep only a 128-bit digest of their canonical form, a parent and the action that
led there; only the frontier holds whole states, so memory per visited state stays flat. The
order is deterministic (actions in a fixed order, the frontier in discovery order), and so are
the state numbers, whether one process explores or several (`jobs`).
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bindsim.machines import Ruleset
from bindsim.simulator import coverage, invariants, properties
from bindsim.simulator.clock import ManualClock
from bindsim.simulator.engine import engine_named
from bindsim.simulator.errors import InvariantBroken
from bindsim.simulator.explore.space import (
    Action,
    Cast,
    actions,
    apply,
    digest,
    held,
    key,
)
from bindsim.simulator.state import State


@dataclass(frozen=True, slots=True)
class Limits:
    """Where a search stops: depth (actions from the start) and states visited."""

    depth: int | None = None
    max_states: int | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """A state or a step that breaks an invariant or a property, at the end of `node`'s path
    (followed by `action`, when it is the step that breaks an invariant)."""

    kind: str  # "invariant" or the property's name
    message: str
    node: int
    action: Action | None


@dataclass(frozen=True, slots=True)
class DeadEnd:
    """A state from which an account can never be free again (whatever anyone does)."""

    creator: str
    node: int


@dataclass
class Report:
    """What a search found: sizes, violations, dead ends, and what was exercised where first."""

    states: int
    transitions: int
    depth: int
    complete: bool  # every reachable state was visited (no limit cut the search)
    cpu_seconds: float  # this process's and, with jobs > 1, its workers' (once they ended)
    violations: list[Violation]
    dead_ends: list[DeadEnd]
    exercised: coverage.Coverage
    first: dict[coverage.Item, tuple[int, Action]]  # where each item was first exercised
    parents: array[int]
    via: list[Action | None]

    def path(self, node: int) -> list[Action]:
        """The actions from the start to a state: the shortest there is (breadth first)."""
        return [action for _, action in self.edges_to(node)]

    def edges_to(self, node: int) -> list[tuple[int, Action]]:
        """The path to a state as (the state an action starts from, the action)."""
        edges = []
        while node > 0:
            action = self.via[node]
            assert action is not None
            parent = self.parents[node]
            edges.append((parent, action))
            node = parent
        return edges[::-1]


@dataclass
class _Found:
    """One successor, as a worker hands it back (the state only when new to the worker)."""

    parent: int
    action: Action
    digest: bytes | None
    state: State | None
    now: datetime
    held: int
    items: frozenset[coverage.Item]
    violation: tuple[str, str] | None = None


@dataclass
class _Context:
    """What expanding a state needs, set once per process."""

    rules: Ruleset
    cast: Cast
    engine: str
    properties: list[tuple[str, properties.Property]] = field(default_factory=list)
    seen: set[bytes] = field(default_factory=set)


_CONTEXT: _Context | None = None


def _check_state(state: State, now: datetime, context: _Context) -> tuple[str, str] | None:
    """The invariants recounted from the records, and each property, on a new state."""
    try:
        invariants.check_all(state, context.rules, now)
    except InvariantBroken as broken:
        return "invariant", str(broken)
    if not context.properties:
        return None
    from bindsim.simulator.world import World

    world = World.from_state(state.copy(), ManualClock(now), context.rules)
    return properties.first_broken(world, context.properties)


def _expand(
    batch: Sequence[tuple[int, State, datetime]], context: _Context, room: int | None = None
) -> Iterator[_Found]:
    """Every successor of every state of a batch, in order.

    `room` is how many new states the search can still admit, given only when this process is
    the search's own (its `seen` then holds every digest the search has met, the start's too):
    past it, a new state is cut, so it is handed on neither checked nor kept. At a bound most
    successors of the last level are cut, and checking and keeping them cost the most."""
    engine = engine_named(context.engine)
    for index, state, now in batch:
        for action in list(actions(state, now, context.cast, context.rules)):
            outcome = apply(state, now, context.rules, engine, action)
            items = frozenset(outcome.items)
            if outcome.violation is not None:
                violation = ("invariant", outcome.violation)
                yield _Found(index, action, None, None, now, 0, items, violation)
                continue
            if outcome.state is None:  # refused or not applicable: no new state
                yield _Found(index, action, None, None, now, 0, items)
                continue
            code = digest(key(outcome.state, outcome.now, context.rules))
            if code in context.seen:  # this process handed it on before: the parent has it
                yield _Found(index, action, code, None, outcome.now, 0, items)
                continue
            context.seen.add(code)
            if room is not None:
                if room <= 0:  # the search cuts it
                    yield _Found(index, action, code, None, outcome.now, 0, items)
                    continue
                room -= 1
            check = _check_state(outcome.state, outcome.now, context)
            mask = held(outcome.state)
            yield _Found(index, action, code, outcome.state, outcome.now, mask, items, check)


def _init_worker(context: _Context) -> None:
    global _CONTEXT
    _CONTEXT = context


def _expand_in_worker(batch: Sequence[tuple[int, State, datetime]]) -> list[_Found]:
    assert _CONTEXT is not None
    return list(_expand(batch, _CONTEXT))


class Explorer:
    """A breadth-first search from one state of a World."""

    def __init__(
        self,
        state: State,
        now: datetime,
        rules: Ruleset,
        cast: Cast,
        properties: Iterable[tuple[str, properties.Property]] = (),
        engine: str = "table",
    ) -> None:
        self.root, self.now = state, now
        self.context = _Context(rules, cast, engine, list(properties))

    def run(
        self,
        limits: Limits = Limits(),
        jobs: int = 1,
        progress: Callable[[int, int, int, float], None] | None = None,
    ) -> Report:
        """Search until every state is visited or a limit is reached; `progress(states, depth,
        frontier, seconds)` is called as the search goes."""
        began, workers = time.process_time(), _children_cpu_seconds()
        context = self.context
        root = digest(key(self.root, self.now, context.rules))
        seen: dict[bytes, int] = {root: 0}
        context.seen = {root}  # what this process met: a second run starts afresh too
        parents, depths, masks = array("q", [0]), array("i", [0]), array("q", [held(self.root)])
        via: list[Action | None] = [None]
        expanded = bytearray()
        sources, targets = array("q"), array("q")
        cover = coverage.Coverage()
        first: dict[coverage.Item, tuple[int, Action]] = {}
        tally: dict[frozenset[coverage.Item], int] = {}
        violations: list[Violation] = []
        root_check = _check_state(self.root, self.now, context)
        if root_check is not None:
            violations.append(Violation(root_check[0], root_check[1], 0, None))
        # A broken root is reported and not expanded, like every other broken state.
        frontier: list[tuple[int, State, datetime]] = (
            [(0, self.root, self.now)] if root_check is None else []
        )
        depth, complete = 0, True
        cut: set[int] = set()  # states with a successor the state limit left out
        pool = _pool(jobs, context) if jobs > 1 else None
        try:
            while frontier:
                if limits.depth is not None and depth >= limits.depth:
                    complete = False
                    break
                upcoming: list[tuple[int, State, datetime]] = []
                room = None if limits.max_states is None else limits.max_states - len(seen)
                for found in _expanded(frontier, context, pool, jobs, room):
                    if found.parent >= len(expanded):
                        expanded.extend(b"\0" * (found.parent + 1 - len(expanded)))
                    expanded[found.parent] = 1
                    # Successors share a few item sets: count the sets, then their items once.
                    tally[found.items] = tally.get(found.items, 0) + 1
                    if not first.keys() >= found.items:
                        for item in found.items:
                            first.setdefault(item, (found.parent, found.action))
                    if found.digest is None:
                        if found.violation is not None:
                            violations.append(
                                Violation(*found.violation, found.parent, found.action)
                            )
                        continue
                    target = seen.get(found.digest)
                    if target is None:
                        if limits.max_states is not None and len(seen) >= limits.max_states:
                            complete = False
                            cut.add(found.parent)
                            continue
                        target = len(seen)
                        seen[found.digest] = target
                        parents.append(found.parent)
                        depths.append(depth + 1)
                        masks.append(found.held)
                        via.append(found.action)
                        assert found.state is not None
                        if found.violation is not None:
                            violations.append(Violation(*found.violation, target, None))
                        else:
                            upcoming.append((target, found.state, found.now))
                    sources.append(found.parent)
                    targets.append(target)
                frontier = upcoming
                if frontier:
                    depth += 1
                if progress is not None:
                    progress(len(seen), depth, len(frontier), time.process_time() - began)
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        for items, times in tally.items():  # in order of first use, as one by one would
            for item in items:
                cover.counts[item] = cover.counts.get(item, 0) + times
        if len(expanded) < len(seen):
            expanded.extend(b"\0" * (len(seen) - len(expanded)))
        for node in cut:  # its successors are not all known: it may lead anywhere
            expanded[node] = 0
        dead = _dead_ends(len(seen), sources, targets, masks, expanded, context.cast)
        return Report(
            states=len(seen),
            transitions=len(sources),
            depth=max(depths),
            complete=complete and not frontier,
            cpu_seconds=time.process_time() - began + _children_cpu_seconds() - workers,
            violations=violations,
            dead_ends=dead,
            exercised=cover,
            first=first,
            parents=parents,
            via=via,
        )


def _children_cpu_seconds() -> float:
    """The CPU time of this process's children that have ended (the pool's, once joined)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pool(jobs: int, context: _Context) -> Any:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(jobs, _init_worker, (context,))


def _expanded(
    frontier: list[tuple[int, State, datetime]],
    context: _Context,
    pool: Any,
    jobs: int,
    room: int | None,
) -> Iterator[_Found]:
    """The successors of a whole frontier, in frontier order (also when several processes
    share it: batches are handed out in order and read back in order). `room` is for the search's
    own process alone: a worker's `seen` lacks what the others found, nor does the parent's hold
    what the workers found."""
    if pool is None:
        yield from _expand(frontier, context, room)
        return
    if len(frontier) < 64:
        yield from _expand(frontier, context)
        return
    size = max(16, len(frontier) // (jobs * 8))
    batches = [frontier[i : i + size] for i in range(0, len(frontier), size)]
    for found in pool.imap(_expand_in_worker, batches):
        yield from found


def _dead_ends(
    count: int,
    sources: array[int],
    targets: array[int],
    masks: array[int],
    expanded: bytearray,
    cast: Cast,
) -> list[DeadEnd]:
    """For each account, the first visited state (the nearest) from which no path leads to one
    where it is free. A state the search did not expand may lead anywhere: it counts as free."""
    incoming: list[list[int]] = [[] for _ in range(count)]
    for source, target in zip(sources, targets, strict=True):
        incoming[target].append(source)
    found = []
    for bit, creator in enumerate(cast.creators):
        can_free = bytearray(count)
        queue = [n for n in range(count) if not masks[n] >> bit & 1 or not expanded[n]]
        for node in queue:
            can_free[node] = 1
        while queue:
            node = queue.pop()
            for source in incoming[node]:
                if not can_free[source]:
                    can_free[source] = 1
                    queue.append(source)
        stuck = next((n for n in range(count) if not can_free[n]), None)
        if stuck is not None:
            found.append(DeadEnd(creator, stuck))
    return found
