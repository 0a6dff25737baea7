"""Breadth-first search over the states of a cast: every state checked, the shortest path to each.

Visited states keep only a 128-bit digest of their canonical form, a parent and the action that
led there; only the frontier holds whole states, so memory per visited state stays flat. The
order is deterministic (actions in a fixed order, the frontier in discovery order), and so are
the state numbers, whether one process explores or several (`jobs`).
"""

from __future__ import annotations

import gc
import resource
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator import coverage, properties
from bindsim.simulator.explore.expand import (
    Context,
    Found,
    Frontier,
    LocalFrontier,
    check_state,
    collect_garbage,
)
from bindsim.simulator.explore.pool import PoolFrontier
from bindsim.simulator.explore.space import Action, Cast, digest, held, keyed
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
    expanded: int  # states whose every action was tried (a bound leaves the last level's out)
    cpu_seconds: float  # this process's and, with jobs > 1, its workers' (once they ended)
    seconds: float  # wall time
    jobs: int  # processes that shared the search
    violations: list[Violation]
    dead_ends: list[DeadEnd]
    exercised: coverage.Coverage
    first: dict[coverage.Item, tuple[int, Action]]  # where each item was first exercised
    parents: array[int]
    via: list[Action | None]
    # Symmetry (canonical.py): the groups of interchangeable actors, and how many states of the
    # space without symmetry the visited states stand for (= states when there is none).
    symmetric: tuple[tuple[str, ...], ...] = ()
    stands_for: int = 0

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


PROGRESS_EVERY = 4096  # actions tried between progress reports within a level (≈ ¼ s)
# (and chances to collect garbage: see expand.collect_garbage)


class _Full(Exception):
    """The search met a new state past its bound: it stops there."""


class _Visited:
    """What the search keeps of every state it visited and every action it tried there."""

    def __init__(self, root: bytes, held: int, orbit: int, limits: Limits) -> None:
        self.limit = limits.max_states
        self.stands_for = orbit  # states of the whole space the visited ones stand for
        self.seen: dict[bytes, int] = {root: 0}
        self.parents, self.depths = array("q", [0]), array("i", [0])
        self.masks = array("q", [held])
        self.via: list[Action | None] = [None]
        self.expanded = bytearray(1)
        self.sources, self.targets = array("q"), array("q")
        self.first: dict[coverage.Item, tuple[int, Action]] = {}
        self.firsts_known: set[frozenset[coverage.Item]] = set()
        self.tally: dict[frozenset[coverage.Item], int] = {}
        self.violations: list[Violation] = []
        self.cut: int | None = None  # the state whose successors the bound left out
        self.full = self.limit is not None and self.limit <= 1

    def reached(self) -> tuple[int, int]:
        """States visited, and the depth of the deepest (the last: breadth first)."""
        return len(self.seen), self.depths[-1]

    def take(self, found: Found, depth: int) -> bool:
        """Count one action tried; True when its state is new and is to be expanded."""
        parent, code = found.parent, found.digest
        target = None if code is None else self.seen.get(code)
        if code is not None and target is None and self.full:
            self.cut = parent  # not all of its successors are known: it may lead anywhere
            raise _Full
        self.expanded[parent] = 1
        items = found.items
        if target is not None and found.kept is not None:
            # Judged on a state new to its process, not to the search: counted once, when new.
            items = frozenset(item for item in items if item[0] != "state contract")
        self.tally[items] = self.tally.get(items, 0) + 1
        if items not in self.firsts_known:
            for item in sorted(items):  # a set's order depends on its process's history
                self.first.setdefault(item, (parent, found.action))
            self.firsts_known.add(items)
        if code is None:
            if found.violation is not None:
                self.violations.append(Violation(*found.violation, parent, found.action))
            return False
        new = target is None
        if target is None:
            target = self.seen[code] = len(self.seen)
            self.parents.append(parent)
            self.depths.append(depth + 1)
            self.masks.append(found.held)
            self.stands_for += found.orbit
            self.via.append(found.action)
            self.expanded.append(0)
            self.full = self.limit is not None and len(self.seen) >= self.limit
            if found.violation is not None:  # reported, and not expanded
                self.violations.append(Violation(*found.violation, target, None))
                new = False
        self.sources.append(parent)
        self.targets.append(target)
        return new


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
        self.context = Context(rules, cast, engine, list(properties))

    def run(
        self,
        limits: Limits = Limits(),
        jobs: int = 1,
        progress: Callable[[int, int, int, float], None] | None = None,
    ) -> Report:
        """Search until every state is visited or a limit is reached; `progress(states, depth,
        frontier, seconds)` is called as the search goes."""
        began, workers = time.process_time(), _children_cpu_seconds()
        started = time.perf_counter()
        context = self.context
        form, orbit = keyed(self.root, self.now, context.rules, context.cast)
        root = digest(form)
        visited = _Visited(root, held(self.root), orbit, limits)
        root_check = check_state(self.root, self.now, context)
        if root_check is not None:  # reported and not expanded, like every other broken state
            visited.violations.append(Violation(root_check[0], root_check[1], 0, None))
        start = (self.root, self.now)
        frontier: Frontier = (
            PoolFrontier(context, start, {root}, jobs)
            if jobs > 1
            else LocalFrontier(context, start, {root})
        )
        depth = waiting = 0
        collecting = gc.isenabled()
        gc.disable()  # see expand.collect_garbage
        try:
            waiting = 0 if root_check is not None else frontier.next_level()
            while waiting:
                if limits.depth is not None and depth >= limits.depth:
                    break
                for tried, found in enumerate(frontier.expand(), start=1):
                    if visited.take(found, depth):
                        frontier.keep(found, len(visited.seen) - 1)
                    if tried % PROGRESS_EVERY == 0:  # a long level
                        collect_garbage()
                        if progress is not None:
                            progress(*visited.reached(), waiting, time.process_time() - began)
                waiting = frontier.next_level()
                collect_garbage()
                if waiting:
                    depth += 1
                if progress is not None:
                    progress(*visited.reached(), waiting, time.process_time() - began)
        except _Full:
            pass
        finally:
            frontier.close()
            gc.unfreeze()
            if collecting:
                gc.enable()
        if progress is not None:  # the line ends on the result
            progress(*visited.reached(), waiting, time.process_time() - began)
        count = len(visited.seen)
        exercised = coverage.Coverage()
        for items, times in visited.tally.items():  # in order of first use, as one by one would
            for item in sorted(items):
                exercised.counts[item] = exercised.counts.get(item, 0) + times
        expanded = visited.expanded
        if visited.cut is not None:
            expanded[visited.cut] = 0
        return Report(
            states=count,
            transitions=len(visited.sources),
            depth=max(visited.depths),
            complete=visited.cut is None and not waiting,
            expanded=sum(expanded),
            cpu_seconds=time.process_time() - began + _children_cpu_seconds() - workers,
            seconds=time.perf_counter() - started,
            jobs=jobs,
            violations=visited.violations,
            dead_ends=_dead_ends(
                count, visited.sources, visited.targets, visited.masks, expanded, context.cast
            ),
            exercised=exercised,
            first=visited.first,
            parents=visited.parents,
            via=visited.via,
            symmetric=context.cast.symmetric,
            stands_for=visited.stands_for,
        )


def _children_cpu_seconds() -> float:
    """The CPU time of this process's children that have ended (the pool's, once joined)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    # An account of a group of interchangeable ones has no identity in the search with symmetry
    # (a state stands for the ones with its members swapped): its dead ends need --no-symmetry.
    grouped = {member for group in cast.symmetric for member in group}
    for bit, creator in enumerate(cast.creators):
        if creator in grouped:
            continue
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
