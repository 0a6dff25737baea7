"""Each domain operation once, as a function of a Step (the state, the rules, the time).

An operation checks everything before it writes anything: a refusal raises `Refused` with every
reason that applies and leaves the state as it was. The screens (simulator/screens.py) call these
when the user reaches the label that does them; timers call the `TIMED` ones when they come due.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bindsim.errors import InvalidAction, Refused
from bindsim.machines import Reason, Ruleset
from bindsim.machines.compiled import INVITATION
from bindsim.simulator import checks
from bindsim.simulator.state import (
    AWAITING,
    BindingRecord,
    Creator,
    InvitationRecord,
    Shop,
    State,
    TicketRecord,
    evolve,
)
from bindsim.simulator.step import Step

Fix = Callable[[Shop, Creator, Step], dict[str, Any]]


def _corrected_age(shop: Shop, creator: Creator, step: Step) -> dict[str, Any]:
    """UNDER_18: a wrong age, or birth date, is corrected to make the user just min_age now
    (A-TICKET-AGE)."""
    if creator.birthdate is None:
        return {"age": step.rules.min_age}
    today = (step.now + step.rules.birthday_offset).date()
    year = today.year - step.rules.min_age
    try:
        return {"birthdate": today.replace(year=year)}
    except ValueError:  # today is 29 February: the latest such birthday is 28 February
        return {"birthdate": today.replace(year=year, day=28)}


# R-TICKET: how support fixes each fixable cause: the facts it changes.
_TICKET_FIXES: dict[Reason, Fix] = {
    Reason.COUNTRY_MISMATCH: lambda shop, creator, step: {
        "country": shop.region,
        **({"home_region": shop.region} if step.rules.ticket_moves_home_region else {}),
    },  # A-HOME-REGION-TICKET: by default the home region (归属地) stays as declared
    Reason.REGISTRATION_REGION_MISMATCH: lambda shop, creator, step: {
        "registration_country": shop.region
    },
    Reason.UNDER_18: _corrected_age,
    Reason.ACCOUNT_ABNORMAL: lambda shop, creator, step: {"status": "normal"},
    Reason.ECOMMERCE_PERMISSION_REVOKED: lambda shop, creator, step: {"ecommerce_permission": True},
}

_PAST = {"accept": "accepted", "decline": "declined", "withdraw": "withdrawn"}
_VERB_ZH = {"accept": "确认", "decline": "拒绝", "withdraw": "撤回"}


def _state_zh(state: str) -> str:
    return INVITATION.nodes[state].label.zh


# ------------------------------------------------------------------ invitations


def invite(step: Step, shop_id: str, creator_id: str, role: str) -> InvitationRecord:
    """Send the invitation, or refuse with every reason (R-ELIGIBLE, slots, limits, A-…)."""
    state = step.state
    shop, creator = state.shops[shop_id], state.creators[creator_id]
    reasons = checks.invite_reasons(state, shop, creator, role, step.now, step.rules)
    if reasons:
        raise Refused("invite", reasons)
    invitation = step.start(
        InvitationRecord,
        "send",
        shop=shop_id,
        creator=creator_id,
        role=role,
        sent_at=step.now,  # the expiry timer, 48h on (R-INVITE-48H), is armed with it
    )
    step.index(state.latest_invitation, (shop_id, creator_id), invitation.id)
    step.put(evolve(shop, pending=(*shop.pending, creator_id)))
    if not step.rules.invite_delivery_delay:  # it reaches the app at once: within this step
        invitation = step.send(invitation, "deliver")
    return invitation


def deliver(step: Step, invitation: InvitationRecord) -> None:
    """The invitation reaches the creator's app after the ruleset's delivery delay."""
    step.actor, step.action = "platform", "deliver"
    step.subject = _subject(invitation)
    step.send(invitation, "deliver")


def require_pending(state: State, shop_id: str, creator_id: str, action: str) -> InvitationRecord:
    """The invitation an answer is about; InvalidAction if it cannot be answered any more (an
    expired invitation can still be accepted: that is refused INVITATION_EXPIRED)."""
    invitation = state.invitations[state.latest_invitation[shop_id, creator_id]]
    if invitation.state == "sent" and action != "withdraw":
        raise InvalidAction(
            f"the invitation from {shop_id} has not reached {creator_id}'s app yet (it arrives "
            f"at {invitation.delivered_at}, invite_delivery_delay): it cannot be {_PAST[action]}",
            zh=f"{shop_id} 的邀请尚未送达 {creator_id} 的 App(送达时间 {invitation.delivered_at},"
            f"invite_delivery_delay):还不能{_VERB_ZH[action]}",
        )
    allowed = {"accept": ("pending", "expired"), "decline": ("pending",)}
    if invitation.state not in allowed.get(action, AWAITING):
        raise InvalidAction(
            f"the invitation from {shop_id} to {creator_id} is {invitation.state}; "
            f"only a pending invitation can be {_PAST[action]}",
            zh=f"{shop_id} 发给 {creator_id} 的邀请{_state_zh(invitation.state)};"
            f"只有待确认的邀请才能{_VERB_ZH[action]}",
        )
    return invitation


def accept(step: Step, creator_id: str, shop_id: str) -> BindingRecord:
    """The creator confirms: R-FAIL and A-CHECK-AGAIN are checked now; a binding starts."""
    state = step.state
    invitation = require_pending(state, shop_id, creator_id, "accept")
    if invitation.state == "expired":
        raise Refused("accept", [Reason.INVITATION_EXPIRED])
    shop, creator = state.shops[shop_id], state.creators[creator_id]
    reasons = checks.accept_reasons(state, shop, creator, invitation, step.now, step.rules)
    if reasons:
        raise Refused("accept", reasons)
    step.send(invitation, "accept", {"blockers": ()}, ended_at=step.now)
    shop = step.put(evolve(shop, pending=_without(shop.pending, creator_id)))
    binding = _start_binding(step, shop, creator, invitation.role)
    step.reasons = [r.value for r in binding.reasons]
    return binding


def end_invitation(step: Step, shop_id: str, creator_id: str, event: str) -> InvitationRecord:
    """The creator declines or the merchant withdraws a pending invitation (A-DECLINE)."""
    require_decline_allowed(step.rules)
    invitation = require_pending(step.state, shop_id, creator_id, event)
    shop = step.state.shops[shop_id]
    step.put(evolve(shop, pending=_without(shop.pending, creator_id)))
    return step.send(invitation, event, ended_at=step.now)


def require_decline_allowed(rules: Ruleset) -> None:
    if not rules.allow_decline:
        raise InvalidAction(
            "declining and withdrawing are off in this ruleset (A-DECLINE)",
            zh="此规则集不允许拒绝或撤回(A-DECLINE)",
        )


def expire(step: Step, invitation: InvitationRecord) -> None:
    """R-INVITE-48H: the invitation was not confirmed in time."""
    step.actor, step.action = "platform", "expire"
    step.subject = _subject(invitation)
    step.reasons = [Reason.INVITATION_EXPIRED.value]
    shop = step.state.shops[invitation.shop]
    step.put(evolve(shop, pending=_without(shop.pending, invitation.creator)))
    step.send(invitation, "expire", ended_at=step.now, reasons=(Reason.INVITATION_EXPIRED,))


# --------------------------------------------------------------------- bindings


def _start_binding(step: Step, shop: Shop, creator: Creator, role: str) -> BindingRecord:
    """The creator accepted: a binding starts, and completes now or hangs (R-STUCK)."""
    binding = step.start(
        BindingRecord,
        "start",
        shop=shop.id,
        creator=creator.id,
        role=role,
        created_at=step.now,
    )
    step.index(step.state.latest_binding, (shop.id, creator.id), binding.id)
    channel_binds = shop.channel_binds
    if role == "channel" and step.rules.channel_count_from == "accepted":
        # A-CHANNEL-COUNT: counted from acceptance, so a binding that hangs (R-STUCK) keeps its
        # place in the window; one that fails gives it back (see resolve).
        channel_binds = _counted(channel_binds, step)
    shop = step.put(evolve(shop, live=(*shop.live, creator.id), channel_binds=channel_binds))
    creator = step.put(evolve(creator, binding=binding.id))
    stuck = checks.stuck_causes(shop, creator)
    binding = step.send(binding, "confirm", {"blockers": stuck}, reasons=tuple(stuck))
    return binding if stuck else _bound(step, binding)


def _bound(step: Step, binding: BindingRecord) -> BindingRecord:
    """The binding is established: R-LOCK-24H runs from now (entering `locked` armed the unlock
    timer and set unbind_allowed_at); under A-CHANNEL-COUNT "bound", a channel one counts now."""
    if binding.role == "channel" and step.rules.channel_count_from == "bound":
        shop = step.state.shops[binding.shop]
        step.put(evolve(shop, channel_binds=_counted(shop.channel_binds, step)))
    return step.put(evolve(binding, bound_at=step.now, reasons=(), adult_at=None))


def recheck_stuck(step: Step, creator_id: str) -> None:
    """R-STUCK: a hung binding completes once nothing holds it any more. While UNDER_18 holds
    it and the age follows a birthdate, the 18th birthday is armed as a timer (A-AGE)."""
    creator = step.state.creators[creator_id]
    binding = step.state.live_binding(creator)
    if binding is None or binding.state != "stuck":
        return
    causes = checks.hold_causes(step.state.shops[binding.shop], creator, step.now, step.rules)
    if not causes:
        _bound(step, step.send(binding, "release"))
        return
    adult_at = checks.adult_from(creator, step.rules) if Reason.UNDER_18 in causes else None
    binding = step.put(evolve(binding, reasons=tuple(causes), adult_at=adult_at))
    if adult_at is not None and not _birthday_armed(step.state, binding.id, adult_at):
        step.arm_at(binding, "birthday", adult_at)


def _birthday_armed(state: State, binding_id: str, adult_at: datetime) -> bool:
    """Whether the binding's birthday timer for `adult_at` is in the heap already (armed at an
    earlier look, maybe before the birthdate changed and changed back): never armed twice."""
    return any(
        timer.target == binding_id and timer.event == "birthday" and timer.due == adult_at
        for timer in state.timers
    )


def birthday(step: Step, binding: BindingRecord) -> None:
    """A-AGE: the account turns min_age (18) at 00:00 of its birthday in birthday_zone: a stuck
    binding that only UNDER_18 held completes now (bound_at = the birthday, R-LOCK-24H from
    there); one still held for other reasons drops UNDER_18 from them (R-STUCK, R-FAIL(2))."""
    step.actor, step.action = "platform", "birthday"
    step.subject = _subject(binding)
    recheck_stuck(step, binding.creator)
    binding = step.state.bindings[binding.id]
    step.reasons = [r.value for r in binding.reasons] if binding.state == "stuck" else []


def unlock(step: Step, binding: BindingRecord) -> None:
    """R-LOCK-24H: the lock ends; the binding can be unbound from now on."""
    step.actor, step.action = "platform", "unlock"
    step.subject = _subject(binding)
    step.send(binding, "unlock")


def request_unlink(step: Step, creator_id: str) -> BindingRecord:
    """The unlink request reaches the shop, unless R-LOCK-24H, R-OFFICIAL-UNBIND-3 or the
    network refuse (R-UNLINK-PATH); A-CHANNEL-UNLINK says whether channel creators may."""
    state = step.state
    creator = state.creators[creator_id]
    binding = state.live_binding(creator)
    assert binding is not None  # "Send unlink request" is on screen only while bound
    require_channel_unlink(step.rules, binding)
    reasons = checks.unlink_reasons(state, state.shops[binding.shop], creator, step.rules)
    if reasons:
        raise Refused("request_unlink", reasons)
    return step.send(binding, "request_unlink", {"blockers": ()}, unlink_requested_at=step.now)


def require_channel_unlink(rules: Ruleset, binding: BindingRecord) -> None:
    if binding.role == "channel" and not rules.channel_unlink:
        raise InvalidAction(
            "channel creators cannot unlink themselves (A-CHANNEL-UNLINK is off)",
            zh="渠道达人不能自行申请解绑(A-CHANNEL-UNLINK 已关闭)",
        )


def open_unlink_request(step: Step, shop_id: str, creator_id: str) -> BindingRecord:
    """The binding whose unlink request the merchant answers; InvalidAction if there is none."""
    shop = step.state.shops[shop_id]
    if creator_id in shop.live:
        binding = step.state.bindings[step.state.latest_binding[shop_id, creator_id]]
        if "unlink_requested" in binding.states:
            return binding
    raise InvalidAction(
        f"{shop_id} has no unlink request from {creator_id}",
        zh=f"{shop_id} 没有收到 {creator_id} 的解绑申请",
    )


def approve_unlink(step: Step, shop_id: str, creator_id: str) -> None:
    """R-UNLINK-APPROVE, then R-RELEASE: the account and the slot are free (R-REBIND)."""
    binding = open_unlink_request(step, shop_id, creator_id)
    shop = step.state.shops[shop_id]
    official = binding.role == "official"
    if official and shop.official_unbinds >= step.rules.official_unbind_limit:
        # Requests are checked when sent; with several official slots two may wait at once.
        raise Refused("approve_unlink", [Reason.OFFICIAL_UNBIND_LIMIT])
    step.send(binding, "approve_unlink", ended_at=step.now)
    _release(step, binding, official_unbinds=shop.official_unbinds + official)  # A-UNBIND-COUNT


def decline_unlink(step: Step, shop_id: str, creator_id: str) -> None:
    """The merchant declines the unlink request (A-DECLINE): the binding stays."""
    require_decline_allowed(step.rules)
    binding = open_unlink_request(step, shop_id, creator_id)
    step.send(binding, "decline_unlink", unlink_requested_at=None)


def _release(step: Step, binding: BindingRecord, **shop_updates: Any) -> None:
    """R-RELEASE: the account and the shop's slot are free again."""
    shop = step.state.shops[binding.shop]
    step.put(evolve(shop, live=_without(shop.live, binding.creator), **shop_updates))
    step.put(evolve(step.state.creators[binding.creator], binding=None))


# ---------------------------------------------------------------------- tickets


def open_ticket(step: Step, shop_id: str, creator_id: str) -> TicketRecord:
    """R-TICKET: support looks for every account-side cause and says which it cannot fix."""
    state = step.state
    shop, creator = state.shops[shop_id], state.creators[creator_id]
    causes = checks.ticket_causes(shop, creator, step.now, step.rules)
    ticket = step.start(
        TicketRecord,
        "open",
        shop=shop_id,
        creator=creator_id,
        opened_at=step.now,  # support answers after A-TICKET-TIME (armed with it)
        causes=tuple(causes),
        unfixable=tuple(checks.ticket_unfixable(shop, causes, step.rules)),
    )
    step.subject["ticket"] = ticket.id
    step.reasons = [r.value for r in causes]
    return ticket


def resolve(step: Step, ticket: TicketRecord) -> None:
    """R-TICKET: support fixes what it may; a stuck binding completes or fails (R-STUCK)."""
    state, rules = step.state, step.rules
    step.actor, step.action = "support", "resolve_ticket"
    step.subject = {"shop": ticket.shop, "creator": ticket.creator, "ticket": ticket.id}
    shop, creator = state.shops[ticket.shop], state.creators[ticket.creator]
    # Support answers on the facts as they are now, which may have changed since the opening.
    causes = checks.ticket_causes(shop, creator, step.now, rules)
    unfixable = checks.ticket_unfixable(shop, causes, rules)
    if Reason.ALREADY_BOUND not in causes:  # never change an account under another binding
        fixes = {
            fact: value
            for cause in causes
            if cause not in unfixable
            for fact, value in _TICKET_FIXES[cause](shop, creator, step).items()
        }
        if fixes:
            creator = step.put(evolve(creator, **fixes))
    ticket = step.send(
        ticket,
        "resolve",
        {"blockers": unfixable},
        causes=tuple(causes),
        unfixable=tuple(unfixable),
        ended_at=step.now,
    )
    step.reasons = [r.value for r in unfixable]
    binding = state.live_binding(creator)
    if binding is None or binding.shop != shop.id or binding.state != "stuck":
        return
    recheck_stuck(step, creator.id)
    binding = state.bindings[binding.id]
    if binding.state == "stuck" and ticket.state == "closed":
        step.send(binding, "fail", ended_at=step.now)
        shop = state.shops[shop.id]
        channel_binds = shop.channel_binds
        counted = step.rules.channel_count_from == "accepted"
        if binding.role == "channel" and counted and binding.created_at in channel_binds:
            # A-CHANNEL-COUNT "accepted": a binding that fails gives its count back.
            index = channel_binds.index(binding.created_at)
            channel_binds = channel_binds[:index] + channel_binds[index + 1 :]
        _release(step, binding, channel_binds=channel_binds)


# ------------------------------------------------------------------------ facts


def set_shop(step: Step, shop_id: str, status: str) -> None:
    """Change a shop fact (its status: R-FAIL(3)); a stuck binding may complete now (R-STUCK)."""
    shop = step.put(evolve(step.state.shops[shop_id], status=status))
    for creator_id in shop.live:
        recheck_stuck(step, creator_id)


def set_creator(step: Step, creator_id: str, facts: dict[str, Any]) -> None:
    """Change facts of an account or its phone; a stuck binding may complete now (R-STUCK)."""
    step.put(evolve(step.state.creators[creator_id], **facts))
    recheck_stuck(step, creator_id)


# ------------------------------------------------------------------------ timers

# What a timer does when it comes due, by event name (the machines' timed events).
TIMED: dict[str, Callable[[Step, Any], None]] = {
    "deliver": deliver,
    "expire": expire,
    "unlock": unlock,
    "resolve": resolve,
    "birthday": birthday,
}


def _subject(record: InvitationRecord | BindingRecord) -> dict[str, str]:
    return {"shop": record.shop, "creator": record.creator, "role": record.role}


def _without(ids: tuple[str, ...], removed: str) -> tuple[str, ...]:
    return tuple(i for i in ids if i != removed)


def _counted(times: tuple[datetime, ...], step: Step) -> tuple[datetime, ...]:
    """R-CHANNEL-10-180D: one more channel binding counted now; the times already out of the
    window are dropped, since they never count again (time only moves forward)."""
    start = step.now - step.rules.channel_bind_window
    return (*(t for t in times if t > start), step.now)
