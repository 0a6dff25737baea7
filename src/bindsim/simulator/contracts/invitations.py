"""Contracts of invitations: R-INVITE-48H, A-WINDOW-BOUNDS, R-ELIGIBLE, R-SELLER-NAV,
A-INVITE-BOUND, A-PENDING-SLOT, A-DECLINE, R-FAIL, A-CHECK-AGAIN."""

from __future__ import annotations

from datetime import datetime, timedelta

from bindsim.machines import Ruleset
from bindsim.simulator.contracts import recount
from bindsim.simulator.contracts.base import Answers, Step, Verdict, on_state, on_step
from bindsim.simulator.state import InvitationRecord, State


def _entered(step: Step, node: str) -> list[InvitationRecord]:
    """The invitations that reached `node` in this step."""
    before = step.before.invitations
    return [
        i
        for i in step.after.invitations.values()
        if i.node == node and (i.id not in before or before[i.id].node != node)
    ]


def _sent(step: Step) -> list[InvitationRecord]:
    return [
        step.after.invitations[i]
        for i in recount.new_records(step.before.invitations, step.after.invitations)
    ]


@on_step("R-INVITE-48H")
def accepted_strictly_before_48h(step: Step) -> Verdict:
    """After the invitation is sent, the creator must confirm it within 48 hours: an accept
    that succeeds happens strictly before sent + 48h."""
    accepted = _entered(step, "accepted")
    for invitation in accepted:
        deadline = invitation.sent_at + step.rules.invite_ttl
        if not step.now < deadline:
            return f"{invitation.id} was accepted at {step.now}, not before {deadline}"
    return True if accepted else None


@on_step("A-WINDOW-BOUNDS")
def expires_exactly_at_48h(step: Step) -> Verdict:
    """An invitation sent at t is still acceptable at t+48h−1s and expired at t+48h: it
    expires at exactly sent + 48h, never earlier or later."""
    return _exactly_after_sending(step, "expired", step.rules.invite_ttl)


def _exactly_after_sending(step: Step, node: str, wait: timedelta) -> Verdict:
    """Every invitation that reached `node` in this step did so exactly `wait` after sending."""
    moved = _entered(step, node)
    for invitation in moved:
        due = invitation.sent_at + wait
        if step.now != due:
            return f"{invitation.id} became {node} at {step.now}, not at {due}"
    return True if moved else None


@on_state("R-INVITE-48H")
def nothing_awaits_past_48h(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """An invitation not confirmed within 48 hours has expired: none still awaits an answer at
    or after sent + 48h."""
    for invitation in state.invitations.values():
        awaiting = invitation.node in recount.AWAITING_NODES
        if awaiting and now >= invitation.sent_at + rules.invite_ttl:
            return f"{invitation.id} still awaits an answer at {now}, 48h after it was sent"
    return True if state.invitations else None


@on_step("R-INVITE-48H")
def delivered_exactly_after_the_delay(step: Step) -> Verdict:
    """After the invitation is sent, the creator confirms it in the TikTok app: it reaches the
    app (sent → pending) invite_delivery_delay after the sending (at once in the seed), exactly
    then."""
    return _exactly_after_sending(step, "pending", step.rules.invite_delivery_delay)


@on_state("R-INVITE-48H")
def nothing_waits_to_be_delivered_past_the_delay(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """An invitation still on its way to the app (sent) is younger than invite_delivery_delay:
    none is still undelivered once the delay has passed (it is pending, or expired at 48h)."""
    judged = False
    for invitation in state.invitations.values():
        if invitation.node != "sent":
            continue
        judged = True
        if now >= invitation.sent_at + rules.invite_delivery_delay:
            return f"{invitation.id} (sent at {invitation.sent_at}) is still undelivered at {now}"
    return True if judged else None


@on_step("R-ELIGIBLE")
def invitations_only_to_eligible_accounts(step: Step) -> Verdict:
    """The merchant can only send an invitation to an account in normal status, whose user is
    at least 18, and whose country equals the shop's country."""
    sent = _sent(step)
    for invitation in sent:
        creator = step.before.creators[invitation.creator]
        shop = step.before.shops[invitation.shop]
        if creator.status != "normal":
            return f"{invitation.id} went to an account in {creator.status} status"
        if not recount.adult(creator, step.now, step.rules):
            return f"{invitation.id} went to an account under {step.rules.min_age}"
        if creator.country != shop.region:
            return f"{invitation.id} went to a {creator.country} account from a {shop.region} shop"
    return True if sent else None


def invite_reasons(step: Step) -> set[str]:
    """Every reason an invitation is refused for, read from the rules' words."""
    state, rules, now = step.before, step.rules, step.now
    shop = state.shops[step.subject["shop"]]
    creator = state.creators[step.subject["creator"]]
    role = step.subject["role"]
    codes = set()
    if creator.status != "normal":
        codes.add("ACCOUNT_ABNORMAL")  # R-ELIGIBLE
    if not recount.adult(creator, now, rules):
        codes.add("UNDER_18")
    if creator.country != shop.region:
        codes.add("COUNTRY_MISMATCH")
    if shop.status != "normal":
        codes.add("SHOP_ABNORMAL")  # R-FAIL(3)
    if rules.invite_rejects_bound and recount.live_of_creator(state, creator.id):
        codes.add("ALREADY_BOUND")  # A-INVITE-BOUND
    if any(i.creator == creator.id for i in recount.awaiting(state, shop.id)):
        codes.add("INVITATION_PENDING")  # A-PENDING-SLOT
    codes |= slot_reasons(state, shop.id, role, rules, "")
    codes |= limit_reasons(state, shop.id, role, now, rules)
    return codes


def slot_reasons(state: State, shop_id: str, role: str, rules: Ruleset, excluding: str) -> set[str]:
    """R-SLOT-OPEN, R-SLOT-INVITED (A-PENDING-SLOT): the slot of the role is taken."""
    shop = state.shops[shop_id]
    if role == "official":
        taken = recount.held(state, shop_id, role, rules, excluding) >= rules.official_slots
        return {"OFFICIAL_SLOT_TAKEN"} if taken else set()
    slots = recount.channel_slots(rules, shop.kind)
    if slots == 0:
        return {"CHANNEL_NOT_ALLOWED"}
    if recount.held(state, shop_id, role, rules, excluding) >= slots:
        return {"CHANNEL_SLOTS_FULL"}
    return set()


def limit_reasons(state: State, shop_id: str, role: str, now: datetime, rules: Ruleset) -> set[str]:
    """R-CHANNEL-10-180D: 10 channel bindings (with A-CHANNEL-COUNT's reservations) already in
    the 180-day window."""
    if role != "channel" or recount.channel_slots(rules, state.shops[shop_id].kind) == 0:
        return set()
    counted = recount.in_window(recount.counted_channel_binds(state, shop_id, rules), now, rules)
    taken = counted + recount.reserved(state, shop_id, rules)
    return {"CHANNEL_BIND_LIMIT"} if taken >= rules.channel_bind_limit else set()


@on_step("R-ELIGIBLE")
def invite_refusal_lists_every_reason(step: Step) -> Verdict:
    """If the account does not meet the requirements the merchant cannot send the invitation,
    and the reasons are shown: a refusal lists every reason code that applies, and no other."""
    if step.action != "invite" or step.outcome != "refused" or "NOT_VISIBLE" in step.reasons:
        return None
    expected, listed = invite_reasons(step), set(step.reasons)
    if expected != listed:
        return f"refused with {sorted(listed)}; the rules give {sorted(expected)}"
    return True


@on_step("R-ELIGIBLE")
def invite_sent_when_nothing_applies(step: Step) -> Verdict:
    """An invitation is refused only when a reason applies: one that none applies to is sent."""
    if step.action != "invite" or step.outcome != "ok":
        return None
    expected = invite_reasons(step)
    if expected:
        return f"the invitation was sent although {sorted(expected)} apply"
    return True


@on_step("R-SELLER-NAV")
def invitations_sent_from_the_guide(step: Step) -> Verdict:
    """Merchant path: Seller Center home → My Account → Bind TikTok account → Bind official
    account or Channel account → follow the guide: an invitation is sent from the guide, and the
    Seller Center shows it sent."""
    sent = _sent(step)
    for invitation in sent:
        screen = step.after.screens.get(f"center:{invitation.shop}")
        if screen is None or screen.node != "invitation_sent":
            where = "nowhere" if screen is None else screen.node
            return f"{invitation.id} was sent with {invitation.shop}'s Seller Center on {where}"
    return True if sent else None


@on_step("A-INVITE-BOUND")
def no_invitation_to_a_bound_account(step: Step) -> Verdict:
    """An invitation to an account that is already bound (to any shop) is refused at once."""
    if not step.rules.invite_rejects_bound:
        return None
    sent = _sent(step)
    for invitation in sent:
        if recount.live_of_creator(step.before, invitation.creator):
            return f"{invitation.id} went to {invitation.creator}, bound already"
    return True if sent else None


@on_state("A-PENDING-SLOT")
def one_awaiting_invitation_per_account(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """A shop has at most one pending invitation per account."""
    seen: set[tuple[str, str]] = set()
    for invitation in state.invitations.values():
        if invitation.node in recount.AWAITING_NODES:
            pair = (invitation.shop, invitation.creator)
            if pair in seen:
                return f"{pair[0]} has two invitations awaiting {pair[1]}"
            seen.add(pair)
    return True if seen else None


@on_step("A-DECLINE")
def declines_only_when_allowed(step: Step) -> Verdict:
    """The creator may decline, the merchant may withdraw an invitation or decline an unlink
    request only where the ruleset allows it (allow_decline)."""
    ended = _entered(step, "declined") + _entered(step, "withdrawn")
    declined_unlinks = [
        b
        for b in step.after.bindings.values()
        if b.node == "unlockable"
        and b.id in step.before.bindings
        and step.before.bindings[b.id].node == "unlink_requested"
    ]
    if not ended and not declined_unlinks:
        return None
    if not step.rules.allow_decline:
        return "a decline or withdrawal happened with allow_decline off"
    return True


def accept_reasons(step: Step) -> set[str]:
    """Every reason the creator's confirmation is refused for (R-FAIL, A-CHECK-AGAIN)."""
    state, rules, now = step.before, step.rules, step.now
    shop = state.shops[step.subject["shop"]]
    creator = state.creators[step.subject["creator"]]
    invitation = [
        i for i in state.invitations.values() if i.shop == shop.id and i.creator == creator.id
    ][-1]
    if invitation.node == "expired" or now >= invitation.sent_at + rules.invite_ttl:
        return {"INVITATION_EXPIRED"}
    codes = set()
    if creator.status != "normal":
        codes.add("ACCOUNT_ABNORMAL")  # R-FAIL(3)
    if not recount.adult(creator, now, rules):
        codes.add("UNDER_18")  # R-FAIL(2)
    if rules.check_again_on_accept and creator.country != shop.region:
        codes.add("COUNTRY_MISMATCH")  # A-CHECK-AGAIN
    if creator.network != shop.region:
        codes.add("NETWORK_REGION_MISMATCH")  # R-FAIL(1)
    if shop.status != "normal":
        codes.add("SHOP_ABNORMAL")  # R-FAIL(3)
    if recount.live_of_creator(state, creator.id):
        codes.add("ALREADY_BOUND")  # R-FAIL(4)
    codes |= slot_reasons(state, shop.id, invitation.role, rules, creator.id)
    codes |= limit_reasons(state, shop.id, invitation.role, now, rules)
    return codes


@on_step("R-FAIL")
def accept_refusal_lists_every_reason(step: Step) -> Verdict:
    """Binding fails when the network location differs from the shop's country, the user is
    under 18, the shop or the account is abnormal, or the account is already bound: a refused
    confirmation lists every reason that applies, and no other."""
    if step.action != "accept" or step.outcome != "refused":
        return None
    expected, listed = accept_reasons(step), set(step.reasons)
    if expected != listed:
        return f"refused with {sorted(listed)}; the rules give {sorted(expected)}"
    return True


@on_step("R-FAIL")
def binding_starts_only_when_nothing_fails(step: Step) -> Verdict:
    """A binding starts only when none of R-FAIL's causes applies at the creator's
    confirmation."""
    if step.action != "accept" or step.outcome != "ok":
        return None
    expected = accept_reasons(step)
    if expected:
        return f"the confirmation went through although {sorted(expected)} apply"
    return True


@on_step("A-CHECK-AGAIN")
def acceptance_rechecks_the_country(step: Step) -> Verdict:
    """Everything checked at invitation time is checked again when the creator accepts: the
    account's country still equals the shop's when a binding starts."""
    started = recount.new_records(step.before.bindings, step.after.bindings)
    if not started or not step.rules.check_again_on_accept:
        return None
    for binding_id in started:
        binding = step.after.bindings[binding_id]
        creator = step.before.creators[binding.creator]
        if creator.country != step.before.shops[binding.shop].region:
            return f"{binding_id} started for a {creator.country} account"
    return True
