"""The space `bindsim explore` walks: the actions of a state, what one does, and the state's
canonical form.

Actions are scenario verbs (so that a path is a scenario file) run on a copy of the State by the
same code as the World's: screens, operations, timers and the invariants checked after each step.

The canonical form leaves out what cannot change what happens next:
- ids (inv-3 or inv-7) and finished records, except each pair's latest invitation (accepting an
  expired one is refused, a declined one is not there to accept);
- screen positions: every verb walks from the home page or the profile, whatever was on screen;
- absolute times: deadlines, channel windows and birthdays are kept relative to now, which is what
  the rules compare (A-WINDOW-BOUNDS), so the space is finite.
"""

from __future__ import annotations

import hashlib
import heapq
import marshal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bindsim.errors import InvalidAction, InvariantBroken, NotVisible, Refused
from bindsim.machines import Ruleset
from bindsim.simulator import (
    checks,
    contracts,
    coverage,
    facts,
    invariants,
    queries,
    screens,
    timers,
)
from bindsim.simulator.actions import ACTIONS, Args
from bindsim.simulator.engine import Engine
from bindsim.simulator.explore.canonical import canonical, groups
from bindsim.simulator.facts import ROLES, STATUSES
from bindsim.simulator.state import AWAITING, State
from bindsim.simulator.step import Step

SECOND = timedelta(seconds=1)

# The facts `--vary` may change: facts.VARIABLE_FACTS, read from the facts table.
VARIABLE_FACTS = facts.VARIABLE_FACTS


@dataclass(frozen=True, slots=True)
class Action:
    """One step of a path: a scenario verb and its fields, in the order a file writes them."""

    verb: str
    fields: tuple[tuple[str, Any], ...]

    def step(self) -> dict[str, Any]:
        """The action as a scenario step: {verb: {field: value}}."""
        return {self.verb: dict(self.fields) if self.verb != "advance" else self.fields[0][1]}

    def describe(self) -> str:
        if self.verb == "advance":
            return f"advance {self.fields[0][1]}"
        return f"{self.verb} " + " ".join(f"{k}={v}" for k, v in self.fields)


@dataclass(frozen=True, slots=True)
class Cast:
    """Who is explored and which facts vary, with their two values (home and abroad, ...)."""

    shops: tuple[str, ...]
    creators: tuple[str, ...]
    # (creator or shop id, fact) → the values it may take
    values: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)
    # Time moves to the next deadline's −1s, at and +1s (True), or only to it (False). The ±1s
    # moves let deadlines drift apart a second per cycle, which multiplies the states.
    edges: bool = True
    # The time abstraction (explore/canonical.py): distances in time that no rule or move can
    # tell apart are one (True), or every second counts (False: small casts only).
    abstract_time: bool = True
    # Groups of interchangeable creators or shops (canonical.groups): a state and the state with
    # two of a group swapped are one. Empty: no symmetry reduction.
    symmetric: tuple[tuple[str, ...], ...] = ()


def cast_of(
    state: State,
    vary: tuple[str, ...],
    edges: bool = True,
    symmetry: bool = True,
    abstract_time: bool = True,
) -> Cast:
    """The cast of a state, each varied fact taking its first value and one other: a country
    code unused anywhere in the cast for the country facts, the other status or yes/no; with
    `symmetry`, its interchangeable actors grouped."""
    used = {s.region for s in state.shops.values()} | {c.country for c in state.creators.values()}
    abroad = next(code for code in ("FR", "DE", "JP", "BR", "IN", "ZA", "QQ") if code not in used)
    values: dict[tuple[str, str], tuple[Any, ...]] = {}

    def two_values(record: Any, fact: facts.Fact, country: str) -> tuple[Any, ...]:
        if fact.kind == "region":
            home = getattr(record, fact.name)
            return (home, abroad if home != abroad else country)
        return STATUSES if fact.kind == "status" else (True, False)

    for creator in state.creators.values():
        for fact in (f for f in facts.facts_of("creator").values() if f.name in vary):
            values[creator.id, fact.name] = two_values(creator, fact, creator.country)
    for shop in state.shops.values():
        for fact in (f for f in facts.facts_of("shop").values() if f"shop_{f.name}" in vary):
            values[shop.id, fact.name] = two_values(shop, fact, shop.region)
    symmetric = groups(state, values) if symmetry else ()
    return Cast(tuple(state.shops), tuple(state.creators), values, edges, abstract_time, symmetric)


def actions(state: State, now: datetime, cast: Cast, rules: Ruleset) -> Iterator[Action]:
    """Every verb on every id that can do something here, refusals included (they are tried, and
    counted, but change nothing); time moves to the next deadline's −1s, at and +1s."""
    for shop in cast.shops:
        for creator in cast.creators:
            for role in ROLES:
                yield Action("invite", (("shop", shop), ("creator", creator), ("role", role)))
            pair = (shop, creator)
            latest = state.latest_invitation.get(pair)
            if latest is not None:
                invitation = state.invitations[latest]
                if invitation.state in AWAITING:
                    yield Action("withdraw", (("shop", shop), ("creator", creator)))
                if invitation.state in ("pending", "expired"):
                    yield Action("accept", (("creator", creator), ("shop", shop)))
                if invitation.state == "pending":
                    yield Action("decline", (("creator", creator), ("shop", shop)))
            if creator in state.shops[shop].live:
                binding = state.bindings[state.latest_binding[pair]]
                if "unlink_requested" in binding.states:
                    yield Action("approve_unlink", (("shop", shop), ("creator", creator)))
                    yield Action("decline_unlink", (("shop", shop), ("creator", creator)))
            if _ticket_worth_opening(state, shop, creator, now, rules):
                yield Action("open_ticket", (("shop", shop), ("creator", creator)))
    for creator in cast.creators:
        yield Action("request_unlink", (("creator", creator),))
    for (owner, fact), values in cast.values.items():
        kind = "creator" if owner in state.creators else "shop"
        record = state.creators[owner] if kind == "creator" else state.shops[owner]
        current = getattr(record, fact)
        for value in values:
            if value != current:
                yield Action("set", ((kind, owner), (fact, value)))
    deadline = next_deadline(state, now, rules)
    if deadline is not None:
        moves = (deadline - SECOND, deadline, deadline + SECOND) if cast.edges else (deadline,)
        for target in moves:
            if target > now:
                yield Action("advance", (("by", _duration(target - now)),))


def _open_tickets(state: State) -> Iterator[Any]:
    return (t for t in state.tickets.values() if t.state == "open")


def _ticket_worth_opening(
    state: State, shop_id: str, creator_id: str, now: datetime, rules: Ruleset
) -> bool:
    """Explore opens a ticket the way a merchant would: about an account with a problem for this
    shop (support finds a cause, or its binding hangs), one open ticket per pair at a time."""
    if any(t.shop == shop_id and t.creator == creator_id for t in _open_tickets(state)):
        return False
    shop, creator = state.shops[shop_id], state.creators[creator_id]
    if checks.ticket_causes(shop, creator, now, rules):
        return True
    binding = state.live_binding(creator)
    return binding is not None and binding.shop == shop_id and binding.state == "stuck"


def next_deadline(state: State, now: datetime, rules: Ruleset) -> datetime | None:
    """The earliest moment after now at which something can change by itself: a live timer, a
    channel binding leaving the 180-day window (A-WINDOW-BOUNDS), an 18th birthday (A-AGE)."""
    return min((moment for moment, _ in deadlines(state, now, rules)), default=None)


def deadlines(state: State, now: datetime, rules: Ruleset) -> list[tuple[datetime, str]]:
    """Every moment after now at which something can change by itself, with the rule whose
    deadline it is: a timer's (its event's first rule: R-INVITE-48H, R-LOCK-24H, R-TICKET), a
    channel binding leaving the window (R-CHANNEL-10-180D), an 18th birthday (A-AGE)."""
    found = [
        (t.due, _timer_rule(queries.timer_record(state, t).MACHINE, t.event))
        for t in state.timers
        if t.due > now and queries.timer_live(state, t)
    ]
    horizon = now - rules.channel_bind_window
    for shop in state.shops.values():
        found += [
            (t + rules.channel_bind_window, "R-CHANNEL-10-180D")
            for t in shop.channel_binds
            if t > horizon
        ]
    for creator in state.creators.values():
        moment = checks.adult_from(creator, rules)
        if moment is not None and moment > now:
            found.append((moment, "A-AGE"))
    return found


def _timer_rule(machine: Any, event: str) -> str:
    """The rule whose deadline a timer is: its machine event's first rule; the 18th birthday of
    an account whose stuck binding waits for it is no machine event (A-AGE)."""
    edge = machine.edges.get(event)
    rules: tuple[str, ...] = edge.rules if edge is not None else ()
    return rules[0] if rules else NON_MACHINE_TIMERS.get(event, event)


NON_MACHINE_TIMERS = {"birthday": "A-AGE"}  # timers that are no machine's event, by rule


# The sides of a deadline the time moves try (A-WINDOW-BOUNDS): one second before, at, after.
SIDES = {-SECOND: "1s before", timedelta(0): "at", SECOND: "1s after"}


def boundaries(state: State, now: datetime, rules: Ruleset, target: datetime) -> set[Any]:
    """The ("boundary", rule, side) items of a move of the clock to `target`: the deadlines due
    next that it lands one second before, at or after."""
    found = deadlines(state, now, rules)
    if not found:
        return set()
    first = min(moment for moment, _ in found)
    side = SIDES.get(target - first)
    if side is None:
        return set()
    return {("boundary", rule, side) for moment, rule in found if moment == first}


def _duration(delta: timedelta) -> str:
    from bindsim.machines.durations import format_duration

    return format_duration(delta)


# ------------------------------------------------------------------------- applying


@dataclass(slots=True)
class Outcome:
    """What an action did: `state` is the new State (None when refused or not applicable)."""

    state: State | None
    now: datetime
    items: set[coverage.Item]
    refused: tuple[str, ...] = ()
    violation: tuple[str, str] | None = None  # (what broke: "invariant", "contract R-…"; why)


# The verbs, each the code the World runs for it (the World adds argument checks and a log).
OPERATIONS: dict[str, Callable[[Step, Args], object]] = {
    name: action.apply for name, action in ACTIONS.items() if action.apply is not None
}


# Refused unlink walks: `request_unlink` walks the app (screens.request_unlink) and, before its
# last label, only moves the app's screen; whether a label on the way is hidden reads the screen
# and the account's screen facts alone (screens.app_facts). So a walk stopped by a hidden label
# (NOT_VISIBLE: most of them, by accounts with no binding) ends the same way whenever it starts
# from the same screen with the same facts, rules and machines: what it exercised and its reason
# codes are kept, and such a walk is not walked again. Few keys: screens × facts.
# Refused invitations likewise: the Seller Center path to "Send invitation" reads the shop's
# screen and screen facts, and its refusal is checks.invite_reasons (decided without a copy).
_REFUSED_WALKS: dict[tuple[Any, ...], tuple[frozenset[coverage.Item], tuple[str, ...]]] = {}


def _unlink_walk(state: State, rules: Ruleset, engine: Engine, creator_id: str) -> tuple[Any, ...]:
    """What an unlink walk reads until its last label."""
    record = screens.app_of(state, creator_id)
    facts = screens.app_facts(state, rules, creator_id)
    return ("request_unlink", rules, type(engine), record.MACHINE, record.node, facts)


def _invite_walk(
    state: State, rules: Ruleset, engine: Engine, shop_id: str, role: str, codes: tuple[str, ...]
) -> tuple[Any, ...]:
    """What a refused invitation's walk reads: the shop's screen and facts, the role, the codes."""
    record = screens.center_of(state, shop_id)
    facts = screens.center_facts(state, shop_id)
    return ("invite", rules, type(engine), record.node, facts, role, codes)


def apply(state: State, now: datetime, rules: Ruleset, engine: Engine, action: Action) -> Outcome:
    """Do `action` on a copy of `state`, then check what the World checks after a step."""
    walk = None
    if action.verb == "request_unlink":
        walk = _unlink_walk(state, rules, engine, action.fields[0][1])
    if action.verb == "invite":
        # The Seller Center path to "Send invitation" has no guard, and what it refuses is
        # checks.invite_reasons: a refusal is decided without copying the state, and its walk
        # is walked once per screen, facts and codes (tests/test_explore.py holds this to the
        # whole path).
        args = dict(action.fields)
        shop, creator = state.shops[args["shop"]], state.creators[args["creator"]]
        reasons = checks.invite_reasons(state, shop, creator, args["role"], now, rules)
        if reasons:
            codes = Refused("invite", reasons).codes
            walk = _invite_walk(state, rules, engine, shop.id, args["role"], codes)
    if walk is not None:
        known = _REFUSED_WALKS.get(walk)
        if known is not None:
            cached = set(known[0])
            broken = _judge(cached, _refusal(state, state, now, rules, action, known[1]))
            return Outcome(None, now, cached, refused=known[1], violation=broken)
    before, state = state, state.copy()
    items: set[coverage.Item] = set()
    verb_action = action.verb

    def commit(step: Step) -> None:
        invariants.check(state, rules, step.now, step.touched_shops, step.touched_creators)
        items.update(coverage.of_changes(step.changes, step.reasons, timer=timing))
        timed = step.action if timing else ""
        judged = contracts.judge_step(
            contracts.Step(
                before_step[0],
                state,
                step.now,
                rules,
                timed or verb_action,
                dict(action.fields) if not timed else step.subject,
                "timer" if timed else "ok",
                tuple(step.reasons),
            )
        )
        broken = _judge(items, judged)
        if broken is not None:
            raise _Broken(broken)
        before_step[0] = state.copy()

    before_step = [before]
    timing = action.verb == "advance"  # then every step is a timer's
    try:
        if timing:
            target = now + _seconds(action.fields[0][1])
            items |= boundaries(before, now, rules, target)
            timers.fire_due(state, rules, engine, target, commit)
            now = target
        else:
            step = Step(state, rules, engine, now)
            try:
                OPERATIONS[action.verb](step, dict(action.fields))
            except Refused as refusal:
                items.update(coverage.of_changes(step.changes, refusal.codes))
                if walk is not None and (walk[0] == "invite" or isinstance(refusal, NotVisible)):
                    _REFUSED_WALKS[walk] = (frozenset(items), refusal.codes)
                judged = _refusal(before, before, now, rules, action, refusal.codes)
                broken = _judge(items, judged)
                return Outcome(None, now, items, refused=refusal.codes, violation=broken)
            commit(step)
            timing = True
            timers.fire_due(state, rules, engine, now, commit)
    except InvalidAction:
        return Outcome(None, now, items)
    except InvariantBroken as broken:
        return Outcome(None, now, items, violation=("invariant", str(broken)))
    except _Broken as broken:
        return Outcome(None, now, items, violation=broken.found)
    forget(state, now, rules)
    return Outcome(state, now, items)


def forget(state: State, now: datetime, rules: Ruleset) -> None:
    """Drop the history no rule, contract or invariant reads any more, so that an explored state
    holds what its canonical form needs and its cost stays flat along a path: finished
    invitations but each pair's latest (an accept of an expired one is refused), finished
    tickets, finished bindings but each pair's latest, the official unbinds (counted for ever,
    R-OFFICIAL-UNBIND-3) and the channel bindings still in the 180-day window
    (R-CHANNEL-10-180D); and the timers of what is dropped. Every path explore writes is
    replayed through the full World (tests/test_explore_abstraction.py holds the two equal)."""
    latest = set(state.latest_invitation.values())
    if len(state.invitations) > len(latest):
        state.invitations = {
            k: i for k, i in state.invitations.items() if k in latest or i.state in AWAITING
        }
    if any(t.state != "open" for t in state.tickets.values()):
        state.tickets = {k: t for k, t in state.tickets.items() if t.state == "open"}
    bound = set(state.latest_binding.values())
    horizon = now - rules.channel_bind_window
    if len(state.bindings) > len(bound):
        state.bindings = {
            k: b
            for k, b in state.bindings.items()
            if k in bound
            or b.is_live
            or (b.role == "official" and b.node == "unbound")
            or (b.role == "channel" and max(b.created_at, b.bound_at or b.created_at) > horizon)
        }
    kept = [t for t in state.timers if t.target in getattr(state, t.collection)]
    if len(kept) < len(state.timers):
        heapq.heapify(kept)
        state.timers = kept


class _Broken(Exception):
    """A step broke a contract: the action's outcome is that violation."""

    def __init__(self, found: tuple[str, str]) -> None:
        self.found = found


def _refusal(
    before: State,
    after: State,
    now: datetime,
    rules: Ruleset,
    action: Action,
    codes: tuple[str, ...],
) -> Iterator[contracts.Judged]:
    """The step contracts on a refused action (a refusal changes nothing but screens)."""
    fields = dict(action.fields)
    step = contracts.Step(before, after, now, rules, action.verb, fields, "refused", codes)
    return contracts.judge_step(step)


def contract_item(contract: contracts.Contract) -> coverage.Item:
    """The coverage item that says a contract was judged (and held, or broke)."""
    return ("contract", contract.rule, contract.name)


def _judge(items: set[coverage.Item], judged: Iterator[contracts.Judged]) -> tuple[str, str] | None:
    """Note every contract judged in `items`; the first one broken, as a violation."""
    broken = None
    for contract, problem in judged:
        items.add(contract_item(contract))
        if problem is not None and broken is None:
            broken = (f"contract {contract.rule}", f"{contract.name}: {problem}")
    return broken


def _seconds(text: str) -> timedelta:
    from bindsim.machines.durations import parse_duration

    return parse_duration(text)


# ------------------------------------------------------------------------ the key


def key(state: State, now: datetime, rules: Ruleset, cast: Cast | None = None) -> tuple[Any, ...]:
    """The canonical form of a state at `now` (explore/canonical.py), under the cast's time
    abstraction and symmetry (both on when no cast is given: no symmetry then)."""
    return canonical(state, now, rules, *_form_of(cast))[0]


def keyed(state: State, now: datetime, rules: Ruleset, cast: Cast) -> tuple[tuple[Any, ...], int]:
    """The canonical form, and how many states of the whole space it stands for (its orbit
    under the cast's symmetry)."""
    return canonical(state, now, rules, *_form_of(cast))


def _form_of(cast: Cast | None) -> tuple[bool, tuple[tuple[str, ...], ...]]:
    return (True, ()) if cast is None else (cast.abstract_time, cast.symmetric)


def digest(canonical: tuple[Any, ...]) -> bytes:
    """128 bits of the canonical form: what the explorer keeps of each visited state.

    From marshal's version 2 bytes, which depend on the values only (as repr's, at a third of
    the cost): pickle's, and marshal's from version 3, also depend on which equal strings are
    one object, and that differs between processes (and between copies)."""
    return hashlib.blake2b(marshal.dumps(canonical, 2), digest_size=16).digest()


def held(state: State) -> int:
    """A bit per creator (in cast order) that is held by a live binding: not free."""
    return sum(1 << i for i, c in enumerate(state.creators.values()) if c.binding is not None)
