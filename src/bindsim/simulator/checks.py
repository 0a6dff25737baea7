"""The reason checks of the rules as pure functions of the state, the ruleset and the time."""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime

from bindsim.machines import Reason, Ruleset
from bindsim.machines.text import Lang
from bindsim.simulator.state import Creator, InvitationRecord, Shop, State


def age_at(creator: Creator, now: datetime, rules: Ruleset) -> int:
    """The account's age now (A-AGE): its fixed age, or whole years since its birthdate, one
    more from 00:00:00 of each birthday in rules.birthday_zone (UTC by default)."""
    if creator.birthdate is None:
        assert creator.age is not None  # an account has one or the other (World.add_creator)
        return creator.age
    today = (now + rules.birthday_offset).date()
    born = creator.birthdate
    years = today.year - born.year
    if today < birthday_in(born, today.year, rules):
        years -= 1
    return max(years, 0)


def adult_from(creator: Creator, rules: Ruleset) -> datetime | None:
    """The instant the account reaches min_age (A-AGE: 00:00 of that birthday in
    rules.birthday_zone), or None for an account with a fixed age, which never changes."""
    born = creator.birthdate
    if born is None:
        return None
    day = birthday_in(born, born.year + rules.min_age, rules)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - rules.birthday_offset


def unborn_problem(born: date, now: datetime, rules: Ruleset, lang: Lang = "en") -> str | None:
    """A-AGE: a birthdate after the simulated clock's date (in rules.birthday_zone) is a user not
    born yet; what is wrong with it, or None. Born today is age 0."""
    today = (now + rules.birthday_offset).date()
    if born <= today:
        return None
    if lang == "zh":
        return (
            f"出生日期 {born.isoformat()} 晚于模拟时钟的日期({rules.birthday_zone} 时区的 "
            f"{today.isoformat()}):该用户尚未出生(A-AGE)"
        )
    return (
        f"birthdate {born.isoformat()} is after the simulated clock's date ({today.isoformat()} "
        f"in {rules.birthday_zone}): that user is not born yet (A-AGE)"
    )


def birthday_in(born: date, year: int, rules: Ruleset) -> date:
    """The birthday in a year; a 29 February one falls on 1 March or 28 February in a year
    without it (rules.leap_day_birthday)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1) if rules.leap_day_birthday == "march_1" else date(year, 2, 28)


def eligibility(shop: Shop, creator: Creator, now: datetime, rules: Ruleset) -> list[Reason]:
    """R-ELIGIBLE: normal status, user at least 18, account country = shop country."""
    reasons = []
    if creator.status != "normal":
        reasons.append(Reason.ACCOUNT_ABNORMAL)
    if age_at(creator, now, rules) < rules.min_age:
        reasons.append(Reason.UNDER_18)
    if creator.country != shop.region:
        reasons.append(Reason.COUNTRY_MISMATCH)
    return reasons


def stuck_causes(shop: Shop, creator: Creator) -> list[Reason]:
    """R-STUCK: what keeps a binding "in progress" for a long time."""
    reasons = []
    if creator.registration_country != shop.region:
        reasons.append(Reason.REGISTRATION_REGION_MISMATCH)
    if not creator.ecommerce_permission:
        reasons.append(Reason.ECOMMERCE_PERMISSION_REVOKED)
    return reasons


def hold_causes(shop: Shop, creator: Creator, now: datetime, rules: Ruleset) -> list[Reason]:
    """What keeps a stuck binding from completing: R-STUCK's causes, and R-FAIL(2)/(3) causes that
    arose while it hung (an account turned abnormal or found under 18, a shop turned abnormal)."""
    reasons = stuck_causes(shop, creator)
    if creator.status != "normal":
        reasons.append(Reason.ACCOUNT_ABNORMAL)
    if age_at(creator, now, rules) < rules.min_age:
        reasons.append(Reason.UNDER_18)
    if shop.status != "normal":
        reasons.append(Reason.SHOP_ABNORMAL)
    return reasons


def ticket_causes(shop: Shop, creator: Creator, now: datetime, rules: Ruleset) -> list[Reason]:
    """R-TICKET: the account-side causes support finds for this shop. An account bound (or binding)
    with another shop is a cause too: support will not change it under that other binding."""
    causes = eligibility(shop, creator, now, rules)
    causes += [c for c in stuck_causes(shop, creator) if c not in causes]
    if creator.binding is not None and creator.id not in shop.live:
        causes.append(Reason.ALREADY_BOUND)
    return causes


def holders(state: State, shop: Shop, role: str, rules: Ruleset, excluding: str | None) -> int:
    """Slots of the role held: live bindings, plus pending invitations (A-PENDING-SLOT) other than
    the one from the account `excluding` (the invitation being accepted)."""
    count = sum(1 for binding in state.live_bindings(shop) if binding.role == role)
    if rules.pending_holds_slot:
        count += sum(
            1
            for creator in shop.pending
            if creator != excluding and state.pending_invitation(shop.id, creator).role == role
        )
    return count


def slot_reasons(
    state: State, shop: Shop, role: str, rules: Ruleset, excluding: str | None = None
) -> list[Reason]:
    """R-SLOT-OPEN, R-SLOT-INVITED: 1 official; 4 channel creators for invite-only shops only."""
    if role == "official":
        if holders(state, shop, role, rules, excluding) >= rules.official_slots:
            return [Reason.OFFICIAL_SLOT_TAKEN]
        return []
    slots = rules.channel_slots(shop.kind)
    if slots == 0:
        return [Reason.CHANNEL_NOT_ALLOWED]
    if holders(state, shop, role, rules, excluding) >= slots:
        return [Reason.CHANNEL_SLOTS_FULL]
    return []


def channel_binds_in_window(shop: Shop, now: datetime, rules: Ruleset) -> int:
    """R-CHANNEL-10-180D: channel bindings in (now − window, now] (A-WINDOW-BOUNDS); a read,
    so it changes nothing, and costs O(log n)."""
    binds = shop.channel_binds
    return bisect_right(binds, now) - bisect_right(binds, now - rules.channel_bind_window)


def channel_reserved(state: State, shop: Shop, rules: Ruleset) -> int:
    """A-CHANNEL-COUNT "bound": channel bindings in progress or stuck, not counted yet but
    holding their place, so that the limit still holds when they complete."""
    if rules.channel_count_from != "bound":
        return 0
    return sum(
        1
        for binding in state.live_bindings(shop)
        if binding.role == "channel" and binding.bound_at is None
    )


def channel_limit(
    state: State, shop: Shop, role: str, now: datetime, rules: Ruleset
) -> list[Reason]:
    """R-CHANNEL-10-180D, checked at invitation and again at acceptance (A-CHANNEL-COUNT)."""
    if role != "channel" or rules.channel_slots(shop.kind) == 0:
        return []
    taken = channel_binds_in_window(shop, now, rules) + channel_reserved(state, shop, rules)
    if taken >= rules.channel_bind_limit:
        return [Reason.CHANNEL_BIND_LIMIT]
    return []


def invite_reasons(
    state: State, shop: Shop, creator: Creator, role: str, now: datetime, rules: Ruleset
) -> list[Reason]:
    """Why the merchant may not send this invitation (R-ELIGIBLE, slots, limits, A-…)."""
    reasons = eligibility(shop, creator, now, rules)
    if shop.status != "normal":
        reasons.append(Reason.SHOP_ABNORMAL)
    if rules.invite_rejects_bound and creator.binding is not None:
        reasons.append(Reason.ALREADY_BOUND)
    if creator.id in shop.pending:
        reasons.append(Reason.INVITATION_PENDING)
    reasons += slot_reasons(state, shop, role, rules)
    reasons += channel_limit(state, shop, role, now, rules)
    return reasons


def accept_reasons(
    state: State,
    shop: Shop,
    creator: Creator,
    invitation: InvitationRecord,
    now: datetime,
    rules: Ruleset,
) -> list[Reason]:
    """Why the creator's confirmation fails: R-FAIL (1)–(4), and A-CHECK-AGAIN's re-checks."""
    reasons = [
        reason
        for reason in eligibility(shop, creator, now, rules)  # R-FAIL(2)/(3), A-CHECK-AGAIN
        if reason is not Reason.COUNTRY_MISMATCH or rules.check_again_on_accept
    ]
    if creator.network != shop.region:
        reasons.append(Reason.NETWORK_REGION_MISMATCH)  # R-FAIL(1)
    if shop.status != "normal":
        reasons.append(Reason.SHOP_ABNORMAL)  # R-FAIL(3)
    if creator.binding is not None:
        reasons.append(Reason.ALREADY_BOUND)  # R-FAIL(4)
    # Slots and the channel limit always hold, whatever A-CHECK-AGAIN says: they are invariants.
    reasons += slot_reasons(state, shop, invitation.role, rules, excluding=creator.id)
    reasons += channel_limit(state, shop, invitation.role, now, rules)
    return reasons


def showcase_blockers(creator: Creator, region: str, rules: Ruleset) -> list[Reason]:
    """R-UNLINK-PATH step 2, A-HOME-REGION: the network and the home region must be in the shop's
    country ("网络和归属地都在小店所在国家"), or the showcase button is not shown."""
    reasons = []
    if creator.network != region:
        reasons.append(Reason.NETWORK_REGION_MISMATCH)
    if rules.showcase_checks_home_region and creator.home_region != region:
        reasons.append(Reason.HOME_REGION_MISMATCH)
    return reasons


def unlink_reasons(state: State, shop: Shop, creator: Creator, rules: Ruleset) -> list[Reason]:
    """R-UNLINK-PATH, R-LOCK-24H, R-OFFICIAL-UNBIND-3 (A-UNBIND-COUNT) for a bound account."""
    binding = state.live_binding(creator)
    assert binding is not None  # the unlink request is only on screen while bound
    reasons = showcase_blockers(creator, shop.region, rules)
    if "locked" in binding.states:
        reasons.append(Reason.UNBIND_LOCKED)
    if binding.role == "official" and shop.official_unbinds >= rules.official_unbind_limit:
        reasons.append(Reason.OFFICIAL_UNBIND_LIMIT)
    return reasons


def ticket_unfixable(shop: Shop, causes: list[Reason], rules: Ruleset) -> list[Reason]:
    """R-TICKET with A-TICKET-COUNTRY: the causes support may not fix for this shop."""
    unfixable = [c for c in causes if c in rules.ticket_unfixable or c is Reason.ALREADY_BOUND]
    if shop.region in rules.ticket_locked_regions:
        unfixable += [
            c
            for c in causes
            if c in (Reason.COUNTRY_MISMATCH, Reason.REGISTRATION_REGION_MISMATCH)
            and c not in unfixable
        ]
    return unfixable
