"""The contracts' own small reading of the records: who holds whom, what counts, how old. Written
again from the rules' words on purpose, apart from simulator/checks.py and queries.py, so that a
bug there cannot hide from a contract."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta

from bindsim.machines import Ruleset
from bindsim.simulator.state import BindingRecord, Creator, InvitationRecord, State

# A binding holds its account and a slot while it is in progress, stuck or bound (any sub-state).
LIVE_NODES = ("binding", "stuck", "locked", "unlockable", "unlink_requested")
BOUND_NODES = ("locked", "unlockable", "unlink_requested")
AWAITING_NODES = ("sent", "pending")


def live(binding: BindingRecord) -> bool:
    return binding.node in LIVE_NODES


def live_bindings(state: State) -> Iterator[BindingRecord]:
    return (b for b in state.bindings.values() if b.node in LIVE_NODES)


def live_of_creator(state: State, creator_id: str) -> list[BindingRecord]:
    return [b for b in live_bindings(state) if b.creator == creator_id]


def awaiting(state: State, shop_id: str) -> list[InvitationRecord]:
    return [i for i in state.invitations.values() if i.shop == shop_id and i.node in AWAITING_NODES]


def held(state: State, shop_id: str, role: str, rules: Ruleset, excluding: str = "") -> int:
    """Slots of a role the shop holds: its live bindings, and (A-PENDING-SLOT) its invitations
    still awaiting an answer, but not the one from `excluding` (being accepted)."""
    count = sum(1 for b in live_bindings(state) if b.shop == shop_id and b.role == role)
    if rules.pending_holds_slot:
        count += sum(
            1 for i in awaiting(state, shop_id) if i.role == role and i.creator != excluding
        )
    return count


def channel_slots(rules: Ruleset, kind: str) -> int:
    """R-SLOT-OPEN, R-SLOT-INVITED: 4 channel creators for an invite-only shop, none for an
    open one (the Ruleset's numbers)."""
    return rules.channel_slots_invited if kind == "invited" else rules.channel_slots_open


def counted_channel_binds(state: State, shop_id: str, rules: Ruleset) -> list[datetime]:
    """A-CHANNEL-COUNT: when each channel binding of the shop counted: from the creator's
    acceptance (a failed binding gave its count back) or from the moment it was bound."""
    times = []
    for binding in state.bindings.values():
        if binding.shop != shop_id or binding.role != "channel":
            continue
        if rules.channel_count_from == "accepted":
            if binding.node != "failed":
                times.append(binding.created_at)
        elif binding.bound_at is not None:
            times.append(binding.bound_at)
    return sorted(times)


def reserved(state: State, shop_id: str, rules: Ruleset) -> int:
    """A-CHANNEL-COUNT "bound": channel bindings in progress or stuck hold a place."""
    if rules.channel_count_from != "bound":
        return 0
    return sum(
        1
        for b in live_bindings(state)
        if b.shop == shop_id and b.role == "channel" and b.node in ("binding", "stuck")
    )


def in_window(times: list[datetime], end: datetime, rules: Ruleset) -> int:
    """How many of the times fall in the window (end − 180 days, end] (A-WINDOW-BOUNDS)."""
    start = end - rules.channel_bind_window
    return sum(1 for t in times if start < t <= end)


def adult_from(born: date, rules: Ruleset) -> datetime:
    """A-AGE: the instant the user reaches min_age: 00:00:00 of that birthday in the birthday
    zone; a 29 February birthday falls on 1 March (or 28 February) in a year without one."""
    year = born.year + rules.min_age
    if born.month == 2 and born.day == 29 and not _leap(year):
        day = date(year, 3, 1) if rules.leap_day_birthday == "march_1" else date(year, 2, 28)
    else:
        day = date(year, born.month, born.day)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - zone_offset(rules)


def adult(creator: Creator, moment: datetime, rules: Ruleset) -> bool:
    """Whether the account's user is at least min_age at a moment (R-ELIGIBLE, A-AGE)."""
    if creator.birthdate is None:
        return creator.age is not None and creator.age >= rules.min_age
    return moment >= adult_from(creator.birthdate, rules)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def zone_offset(rules: Ruleset) -> timedelta:
    """The birthday zone's offset from UTC ("UTC", "UTC+08:00", "UTC-05:30")."""
    zone = rules.birthday_zone
    if zone == "UTC":
        return timedelta(0)
    hours, minutes = zone[4:].split(":")
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    return -offset if zone[3] == "-" else offset


def new_records(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    return [key for key in after if key not in before]
