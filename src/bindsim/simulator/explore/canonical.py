"""The canonical form of an explored state: what the rules can still tell apart, and nothing else.

Three things are left out, each of which would make the space larger without making it richer:

- **History and ids.** Finished records (but each pair's latest invitation, which an accept is
  refused on) and ids (inv-3 or inv-7); screen positions, since every verb walks from the home
  page or the profile.
- **Exact distances in time** (the time abstraction). The rules compare moments with the clock
  and with each other; time moves go to one second before, at and after the next deadline, and
  new deadlines are set a ruleset's duration after now (48h, 24h, the ticket time, the 180-day
  window...). So of the moments a state holds (its deadlines, and now) what can matter is their
  order and, for every two of them, whether they lie within `NEAR` seconds of each other, of one
  of those durations, or of the sum or difference of two of them: beyond that, no move can land
  on one from the other. Two states whose moments agree on all of that are one state, as
  timed-automata checkers merge clock values into regions. Without it, the ±1s moves let two
  timers drift a second apart per cycle and the space has no practical end
  (tests/test_explore_abstraction.py compares both searches on small casts).
- **Which of two interchangeable actors is which** (symmetry). Creators, or shops, with the same
  facts, the same ruleset and the same varied values play the same part: a state and the state
  with two of them swapped are one state. The form sorts each group by what each member does and
  holds; `orbit` says how many states of the full space a canonical state stands for.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from functools import cache
from itertools import permutations, product
from math import factorial
from typing import Any

from bindsim.machines import Ruleset
from bindsim.simulator import checks, queries
from bindsim.simulator.state import AWAITING, State

SECOND = timedelta(seconds=1)
# How far apart two moments may be and still be told apart exactly: a time move lands one second
# before, at or after a deadline, so from one moment it reaches another up to 2 s away.
NEAR = 2


@cache
def marks(rules: Ruleset) -> tuple[int, ...]:
    """The distances (in seconds) against which two moments are compared: every duration of the
    ruleset (each sets deadlines), and the sum and difference of every two."""
    durations = {
        int(value / SECOND)
        for value in (getattr(rules, f.name) for f in fields(rules))
        if isinstance(value, timedelta) and value > timedelta(0)
    }
    found = set(durations)
    for a in durations:
        for b in durations:
            found.add(a + b)
            if a != b:
                found.add(abs(a - b))
    return tuple(sorted(found))


@cache
def _bands(rules: Ruleset) -> dict[int, int]:
    """The bands of the distances met so far under these rules (a search meets few)."""
    return {}


def _band(distance: int, found: tuple[int, ...]) -> int:
    """What the rules can tell of a distance ≥ 0 between two moments: itself when it is within
    NEAR of 0 or of a mark, else which marks it lies between."""
    if distance <= NEAR:
        return distance
    at = bisect_left(found, distance - NEAR)
    if at < len(found) and found[at] <= distance + NEAR:
        # near a mark: which, and how far (each mark owns 2·NEAR + 1 codes past 1000·(at + 1))
        return 1000 * (at + 1) + distance - found[at] + NEAR
    return -(at + 1)  # between marks at−1 and at


def _abstract(seconds: list[int], rules: Ruleset) -> tuple[dict[int, int], tuple[int, ...]]:
    """Each moment's rank among the moments (now is rank 0), and the band of every two."""
    points = sorted({0, *seconds})
    cached = _bands(rules)
    found = marks(rules)
    shape = []
    for i, early in enumerate(points):
        for late in points[i + 1 :]:
            distance = late - early
            code = cached.get(distance)
            if code is None:
                code = cached[distance] = _band(distance, found)
            shape.append(code)
    return {point: rank for rank, point in enumerate(points)}, tuple(shape)


def groups(
    state: State, values: dict[tuple[str, str], tuple[Any, ...]]
) -> tuple[tuple[str, ...], ...]:
    """The actors that are interchangeable: creators (then shops) with the same facts, the same
    varied values and, so far, nothing of their own (no invitation, binding or ticket)."""
    found: dict[Any, list[str]] = {}
    touched = {pair[1] for pair in state.latest_invitation} | {
        pair[1] for pair in state.latest_binding
    }
    touched |= {t.creator for t in state.tickets.values()}
    for creator in state.creators.values():
        if creator.id in touched:
            continue
        facts = tuple(getattr(creator, f.name) for f in fields(creator) if f.name != "id")
        varied = tuple(sorted((f, v) for (owner, f), v in values.items() if owner == creator.id))
        found.setdefault(("creator", facts, varied), []).append(creator.id)
    shops_touched = {pair[0] for pair in state.latest_invitation} | {
        pair[0] for pair in state.latest_binding
    }
    for shop in state.shops.values():
        if shop.id in shops_touched or shop.official_unbinds or shop.channel_binds:
            continue
        facts = tuple(getattr(shop, f.name) for f in fields(shop) if f.name != "id")
        varied = tuple(sorted((f, v) for (owner, f), v in values.items() if owner == shop.id))
        found.setdefault(("shop", facts, varied), []).append(shop.id)
    return tuple(tuple(ids) for ids in found.values() if len(ids) > 1)


def canonical(
    state: State,
    now: datetime,
    rules: Ruleset,
    abstract: bool = True,
    symmetric: Sequence[tuple[str, ...]] = (),
) -> tuple[tuple[Any, ...], int]:
    """The canonical form of a state at `now`, and how many states of the whole space it stands
    for (1 without symmetry). `symmetric` are groups of interchangeable creators or shops."""
    window = rules.channel_bind_window
    horizon = now - window

    def seconds(moment: datetime) -> int:
        return (moment - now) // SECOND

    # 1. The moments the rules still read, relative to now.
    invitations = []
    for pair, invitation_id in state.latest_invitation.items():
        invitation = state.invitations[invitation_id]
        awaiting = invitation.state in AWAITING
        expires = invitation.expires_at if awaiting else None
        delivered = invitation.delivered_at if invitation.state == "sent" else None
        invitations.append((pair, invitation.node, invitation.role, expires, delivered))
    bindings = []
    for shop in state.shops.values():
        for creator in shop.live:
            binding = state.bindings[state.latest_binding[shop.id, creator]]
            lock = binding.unbind_allowed_at if "locked" in binding.states else None
            counted = binding.role == "channel" and binding.created_at > horizon
            leaves = binding.created_at + window if counted else None
            bindings.append(((shop.id, creator), binding.node, binding.role, lock, leaves))
    tickets = [(t.shop, t.creator, t.due_at) for t in state.tickets.values() if t.state == "open"]
    timers = [
        (timer.event, queries.timer_record(state, timer), timer.due)
        for timer in queries.pending_timers(state)
    ]
    births = {}
    for account in state.creators.values():
        moment = checks.adult_from(account, rules)
        births[account.id] = moment if moment is not None and moment > now else None
    windows = {
        shop.id: sorted(t + window for t in shop.channel_binds if t > horizon)
        for shop in state.shops.values()
    }
    moments: list[int] = [seconds(m) for _, _, _, e, d in invitations for m in (e, d) if m]
    moments += [seconds(m) for _, _, _, lock, leaves in bindings for m in (lock, leaves) if m]
    moments += [seconds(due) for *_, due in tickets if due is not None]
    moments += [seconds(due) for *_, due in timers]
    moments += [seconds(m) for m in births.values() if m is not None]
    moments += [seconds(m) for ms in windows.values() for m in ms]
    if abstract:
        rank, shape = _abstract(moments, rules)
    else:
        rank, shape = {m: m for m in moments}, ()

    def rel(moment: datetime | None) -> int | None:
        return None if moment is None else rank[seconds(moment)]

    # 2. What each actor is and holds, with the moments as ranks.
    def creator_facts(c: Any) -> tuple[Any, ...]:
        adult = checks.age_at(c, now, rules) >= rules.min_age
        return (
            c.country,
            c.network,
            c.registration_country,
            c.home_region,
            c.status,
            c.ecommerce_permission,
            adult,
            rel(births[c.id]),
        )

    def shop_facts(s: Any) -> tuple[Any, ...]:
        return (s.status, s.official_unbinds, tuple(rel(t) for t in windows[s.id]))

    pairs: list[tuple[tuple[str, str], tuple[Any, ...]]] = [
        (pair, ("i", node, role, rel(e), rel(d))) for pair, node, role, e, d in invitations
    ]
    pairs += [(pair, ("b", node, role, rel(lk), rel(lv))) for pair, node, role, lk, lv in bindings]
    pairs += [((s, c), ("t", rel(due))) for s, c, due in tickets]
    order = [(event, *_pair(record), rel(due)) for event, record, due in timers]
    lists = [(shop.id, shop.pending, shop.live) for shop in state.shops.values()]

    shop_groups = [g for g in symmetric if g[0] in state.shops]
    creator_groups = [g for g in symmetric if g[0] in state.creators]
    best: tuple[Any, ...] | None = None
    forms = set()
    creator_orbit = 1
    for shop_names in _shop_namings(tuple(state.shops), shop_groups):
        names, orbit = _creator_names(
            state, shop_names, creator_groups, pairs, order, lists, creator_facts
        )
        form = _form(state, shop_names, names, pairs, order, lists, creator_facts, shop_facts)
        form = (*form, shape)
        forms.add(form)
        if best is None or form < best:
            best, creator_orbit = form, orbit
    assert best is not None
    return best, creator_orbit * len(forms)


def _pair(record: Any) -> tuple[str, str]:
    """The shop and creator of a timed record (an invitation, a binding or a ticket)."""
    return record.shop, record.creator


def _shop_namings(
    shops: tuple[str, ...], shop_groups: list[tuple[str, ...]]
) -> list[dict[str, int]]:
    """Every way of numbering the shops that swaps members of a group (just one without)."""
    index = {shop: n for n, shop in enumerate(shops)}
    if not shop_groups:
        return [index]
    namings = []
    for choice in product(*(permutations(group) for group in shop_groups)):
        naming = dict(index)
        for group, order in zip(shop_groups, choice, strict=True):
            slots = sorted(index[s] for s in group)
            for slot, shop in zip(slots, order, strict=True):
                naming[shop] = slot
        namings.append(naming)
    return namings


def _creator_names(
    state: State,
    shop_names: dict[str, int],
    creator_groups: list[tuple[str, ...]],
    pairs: list[tuple[tuple[str, str], tuple[Any, ...]]],
    order: list[tuple[str, str, str, int | None]],
    lists: list[tuple[str, tuple[str, ...], tuple[str, ...]]],
    creator_facts: Any,
) -> tuple[dict[str, int], int]:
    """Number the creators: in cast order, but within a group by what each is and holds (its
    facts, its records by shop, its places in the shops' lists and in the timers' order). Two
    members alike in all of that are alike in everything: either numbering gives one form.
    Returns the numbering and how many numberings of the groups give other forms (the orbit)."""
    names = {creator: n for n, creator in enumerate(state.creators)}
    if not creator_groups:
        return names, 1
    orbit = 1
    for group in creator_groups:
        signature: dict[str, list[Any]] = {c: [creator_facts(state.creators[c])] for c in group}
        for (shop, creator), entry in pairs:
            if creator in signature:
                signature[creator].append((shop_names[shop], entry))
        for place, (event, shop, creator, due) in enumerate(order):
            if creator in signature:
                signature[creator].append(("timer", place, event, shop_names[shop], due))
        for shop, pending, live in lists:
            for kind, members in (("pending", pending), ("live", live)):
                for place, creator in enumerate(members):
                    if creator in signature:
                        signature[creator].append((kind, shop_names[shop], place))
        told = {c: repr(sorted(signature[c], key=repr)) for c in group}
        keyed = sorted(group, key=told.__getitem__)
        slots = sorted(names[c] for c in group)
        for slot, creator in zip(slots, keyed, strict=True):
            names[creator] = slot
        orbit *= factorial(len(group))
        for count in Counter(told.values()).values():
            orbit //= factorial(count)
    return names, orbit


def _form(
    state: State,
    shop_names: dict[str, int],
    names: dict[str, int],
    pairs: list[tuple[tuple[str, str], tuple[Any, ...]]],
    order: list[tuple[str, str, str, int | None]],
    lists: list[tuple[str, tuple[str, ...], tuple[str, ...]]],
    creator_facts: Any,
    shop_facts: Any,
) -> tuple[Any, ...]:
    """The form under one numbering of the shops and creators."""
    shops: list[Any] = [None] * len(shop_names)
    for shop_id, pending, live in lists:
        shops[shop_names[shop_id]] = (
            shop_facts(state.shops[shop_id]),
            tuple(names[c] for c in pending),
            tuple(names[c] for c in live),
        )
    creators: list[Any] = [None] * len(names)
    for creator_id, creator in state.creators.items():
        creators[names[creator_id]] = creator_facts(creator)
    records = sorted(((shop_names[s], names[c]), entry) for (s, c), entry in pairs)
    timers = tuple((event, shop_names[s], names[c], due) for event, s, c, due in order)
    return (tuple(shops), tuple(creators), tuple(records), timers)
