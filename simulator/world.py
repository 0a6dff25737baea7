"""The World: shops, accounts and their machines, run against a clock one checked step at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from bindsim.machines import (
    Binding,
    BindsimMachine,
    CreatorApp,
    Invitation,
    Reason,
    Ruleset,
    SellerCenter,
    SupportTicket,
)
from bindsim.simulator import checks, screens
from bindsim.simulator.clock import Clock, ManualClock, SystemClock, as_duration, as_instant
from bindsim.simulator.entities import (
    CREATOR_FACTS,
    ROLES,
    SHOP_KINDS,
    STATUSES,
    BindingRecord,
    Capabilities,
    Creator,
    InvitationRecord,
    Screen,
    ScreenRecord,
    Shop,
    TicketRecord,
)
from bindsim.simulator.errors import (
    ClockNotAdjustable,
    ClockWentBackwards,
    InvalidAction,
    InvalidArgument,
    InvariantBroken,
    Refused,
    UnknownId,
)
from bindsim.simulator.ids import id_problem
from bindsim.simulator.log import Change, LogEntry
from bindsim.simulator.timers import Timer, TimerHeap

Record = InvitationRecord | BindingRecord | TicketRecord | ScreenRecord

# R-TICKET: how support fixes each fixable cause (fact name, value derived from shop and rules).
_TICKET_FIXES: dict[Reason, tuple[str, Any]] = {
    Reason.COUNTRY_MISMATCH: ("country", lambda shop, rules: shop.region),
    Reason.REGISTRATION_REGION_MISMATCH: ("registration_country", lambda shop, rules: shop.region),
    Reason.UNDER_18: ("age", lambda shop, rules: rules.min_age),  # a wrong birth date corrected
    Reason.ACCOUNT_ABNORMAL: ("status", lambda shop, rules: "normal"),
    Reason.ECOMMERCE_PERMISSION_REVOKED: ("ecommerce_permission", lambda shop, rules: True),
}


_PAST = {"accept": "accepted", "decline": "declined", "withdraw": "withdrawn"}


class _Step:
    """What a step's body hands back: reason codes to log with success, and the entry logged."""

    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.entry: LogEntry


class World:
    """Everything bindsim simulates. Every public call first fires the timers due by now.

    >>> w = World(clock=ManualClock("2024-11-11T12:00:00Z"))
    >>> w.add_shop("gb", region="GB", kind="open")
    >>> w.add_creator("alice", country="GB", age=24)
    >>> _ = w.invite("gb", "alice", role="official")
    >>> w.advance("48h")
    >>> w.invitation("gb", "alice").state
    'expired'
    """

    def __init__(self, clock: Clock | None = None, ruleset: Ruleset | None = None) -> None:
        if ruleset is not None and not isinstance(ruleset, Ruleset):
            raise InvalidArgument(
                f"ruleset must be a Ruleset, got {ruleset!r}: "
                "use Ruleset().with_overrides({...}) or simulator.ruleset_file.load_ruleset(path)"
            )
        if clock is not None and not callable(getattr(clock, "now", None)):
            raise InvalidArgument(f"clock must have a now() method (ManualClock), got {clock!r}")
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.rules = ruleset if ruleset is not None else Ruleset()
        self.shops: dict[str, Shop] = {}
        self.creators: dict[str, Creator] = {}
        self.invitations: dict[str, InvitationRecord] = {}
        self.bindings: dict[str, BindingRecord] = {}
        self.tickets: dict[str, TicketRecord] = {}
        self.screens: dict[str, ScreenRecord] = {}  # opened on first use: "app:alice", "center:gb"
        self.log: list[LogEntry] = []
        self.timers = TimerHeap()
        self._last_invitation: dict[tuple[str, str], InvitationRecord] = {}
        self._last_binding: dict[tuple[str, str], BindingRecord] = {}
        self._counters: dict[str, int] = {"inv": 0, "bind": 0, "ticket": 0}
        self._last_seen = as_instant(self.clock.now())
        self._changes: list[Change] = []
        self._touched_shops: set[str] = set()
        self._touched_creators: set[str] = set()

    # ----------------------------------------------------------------- time

    @property
    def now(self) -> datetime:
        """The simulated time, after firing every timer due by then."""
        return self._sync()

    def advance(self, by: timedelta | str | int | float) -> None:
        """Move a ManualClock forward ("90s", "47h59m", "2d", a timedelta); fire what is due."""
        duration = as_duration(by)
        clock = self._manual_clock()
        self._sync()
        clock.advance(duration)
        self._sync()

    def advance_to(self, when: datetime | str) -> None:
        """Move a ManualClock forward to an aware time and fire what is due."""
        target = as_instant(when)
        clock = self._manual_clock()
        now = self._sync()
        if target < now:
            raise ClockWentBackwards(now, target)
        clock.set(target)
        self._sync()

    def _manual_clock(self) -> ManualClock:
        if not isinstance(self.clock, ManualClock):
            raise ClockNotAdjustable()
        return self.clock

    def _sync(self) -> datetime:
        """Catch up: fire every timer due by the clock's time, each at its own due time."""
        now = as_instant(self.clock.now())
        if now < self._last_seen:
            raise ClockWentBackwards(self._last_seen, now)
        if self.timers.next_due() is not None:
            for timer in self.timers.pop_due(now):
                self._fire(timer)
        self._last_seen = now
        return now

    # ---------------------------------------------------------- population

    def add_shop(
        self, shop_id: str, region: str, kind: str = "open", status: str = "normal"
    ) -> None:
        """A shop in `region` (GB, US, ...), "open" (普招) or "invited" (定邀)."""
        _check_id("shop", shop_id, self.shops, self.creators)
        _check_choice("shop kind", kind, SHOP_KINDS)
        _check_choice("shop status", status, STATUSES)
        _check_region("region", region)
        self._sync()
        self.shops[shop_id] = Shop(shop_id, region, kind, status)

    def add_creator(
        self,
        creator_id: str,
        country: str,
        age: int,
        network: str | None = None,
        registration_country: str | None = None,
        status: str = "normal",
        followers: int = 0,
        ecommerce_permission: bool = True,
    ) -> None:
        """A TikTok account; its phone's network and its registration default to `country`."""
        _check_id("creator", creator_id, self.shops, self.creators)
        creator = Creator(
            creator_id,
            country=country,
            age=age,
            network=network if network is not None else country,
            registration_country=registration_country
            if registration_country is not None
            else country,
            status=status,
            followers=followers,
            ecommerce_permission=ecommerce_permission,
        )
        for name in CREATOR_FACTS:
            _check_fact(name, getattr(creator, name))
        self._sync()
        self.creators[creator_id] = creator

    # -------------------------------------------------------------- queries

    def shop(self, shop_id: str) -> Shop:
        shop = self._shop(shop_id)  # bad input is refused before the catch-up changes anything
        self._sync()
        return shop

    def creator(self, creator_id: str) -> Creator:
        creator = self._creator(creator_id)
        self._sync()
        return creator

    def invitation(self, shop_id: str, creator_id: str) -> InvitationRecord:
        """The latest invitation from the shop to the account."""
        self._shop(shop_id), self._creator(creator_id)
        invitation = self._invitation(shop_id, creator_id)
        self._sync()
        return invitation

    def binding(self, shop_id: str, creator_id: str) -> BindingRecord:
        """The latest binding between the shop and the account."""
        self._shop(shop_id), self._creator(creator_id)
        binding = self._binding(shop_id, creator_id)
        self._sync()
        return binding

    def official(self, shop_id: str) -> str | None:
        """The shop's bound official account, if any (R-SLOT-OPEN, R-SLOT-INVITED)."""
        shop = self._shop(shop_id)
        self._sync()
        return next(
            (
                b.creator
                for b in shop.active.values()
                if b.role == "official" and b.state == "bound"
            ),
            None,
        )

    def channels(self, shop_id: str) -> list[str]:
        """The shop's bound channel creators, in binding order."""
        shop = self._shop(shop_id)
        self._sync()
        return [
            b.creator for b in shop.active.values() if b.role == "channel" and b.state == "bound"
        ]

    def official_unbinds_left(self, shop_id: str) -> int:
        """R-OFFICIAL-UNBIND-3: how many more times the official account may ever be unbound."""
        shop = self._shop(shop_id)
        self._sync()
        return max(0, self.rules.official_unbind_limit - shop.official_unbinds)

    def channel_binds_left(self, shop_id: str) -> int:
        """R-CHANNEL-10-180D: channel bindings still possible in the current 180-day window."""
        shop = self._shop(shop_id)
        now = self._sync()
        if self.rules.channel_slots(shop.kind) == 0:
            return 0
        used = checks.channel_binds_in_window(shop, now, self.rules)
        return max(0, self.rules.channel_bind_limit - used)

    def bound_shop(self, creator_id: str) -> str | None:
        """The shop the account is bound to now (R-EXCLUSIVE), or None."""
        creator = self._creator(creator_id)
        self._sync()
        live = creator.active
        return live.shop if live is not None and live.state == "bound" else None

    def capabilities(self, creator_id: str) -> Capabilities:
        """What the account may do: R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000, A-AFFILIATE."""
        creator = self._creator(creator_id)
        self._sync()
        live = creator.active
        if live is not None and live.state == "bound":
            return Capabilities(
                role=live.role,
                auto_sync_showcase=live.role == "official",
                add_from_shop=True,
                sell_in_live_and_video=True,
                follower_minimum_applies=False,
            )
        return Capabilities(
            role="affiliate",
            auto_sync_showcase=False,
            add_from_shop=False,
            sell_in_live_and_video=creator.followers >= self.rules.follower_minimum,
            follower_minimum_applies=True,
        )

    def ticket(self, ticket_id: str) -> TicketRecord:
        if not isinstance(ticket_id, str) or ticket_id not in self.tickets:
            raise UnknownId("ticket", str(ticket_id), self.tickets)
        self._sync()
        return self.tickets[ticket_id]

    def pending_timers(self) -> list[Timer]:
        """Timers still to fire, earliest first."""
        self._sync()
        return [t for t in self.timers.pending() if self._timer_is_live(t)]

    # -------------------------------------------------------------- screens

    def screen(self, owner_id: str) -> Screen:
        """What a phone (creator id) or a Seller Center (shop id) shows now: id, visible labels."""
        if not isinstance(owner_id, str):
            raise UnknownId("creator or shop", str(owner_id), [*self.creators, *self.shops])
        if owner_id in self.creators:
            creator = self.creators[owner_id]
            self._sync()
            return screens.view(
                screens.app(self, creator, keep=False), screens.app_facts(self, creator)
            )
        if owner_id in self.shops:
            shop = self.shops[owner_id]
            self._sync()
            center = screens.center(self, shop, keep=False)
            return screens.view(center, screens.center_facts(shop), shop.region)
        raise UnknownId("creator or shop", owner_id, [*self.creators, *self.shops])

    def tap(self, creator_id: str, label: str) -> LogEntry:
        """Tap a label shown in the creator's app (R-UNLINK-PATH); NotVisible if it is not there."""
        creator = self._creator(creator_id)
        screens.label_event(CreatorApp, label)
        now = self._sync()
        with self._step(now, creator_id, "tap", {"creator": creator_id, "label": label}) as step:
            screens.tap(self, creator, label, now)
        return step.entry

    def click(self, shop_id: str, label: str, account: str | None = None) -> LogEntry:
        """Click a label shown in the shop's Seller Center (R-SELLER-NAV, R-UNLINK-APPROVE).

        `account` is the TikTok account typed into a guide or ticket form, or whose unlink
        request "View details" opens.
        """
        shop = self._shop(shop_id)
        screens.label_event(SellerCenter, label)
        if account is not None:
            self._creator(account)
        now = self._sync()
        subject = {"shop": shop_id, "label": label}
        if account is not None:
            subject["account"] = account
        with self._step(now, shop_id, "click", subject) as step:
            screens.click(self, shop, label, account, now)
        return step.entry

    # ------------------------------------------------------ merchant actions

    def invite(self, shop_id: str, creator_id: str, role: str = "official") -> LogEntry:
        """The merchant sends an invitation through Seller Center (R-SELLER-NAV, R-ELIGIBLE).

        My Account → Bind TikTok account → Bind official account | Channel account → Send
        invitation. The creator then has 48 hours (R-INVITE-48H).
        """
        shop, _ = self._shop(shop_id), self._creator(creator_id)
        _check_choice("role", role, ROLES)
        entry = "Bind official account" if role == "official" else "Channel account"
        path = ("My Account", "Bind TikTok account", entry, "Send invitation")
        now = self._sync()
        subject = {"shop": shop_id, "creator": creator_id, "role": role}
        with self._step(now, shop_id, "invite", subject) as step:
            screens.walk_center(self, shop, path, creator_id, now)
        return step.entry

    def withdraw(self, shop_id: str, creator_id: str) -> LogEntry:
        """The merchant withdraws a pending invitation (A-DECLINE); its slot is free again."""
        return self._end_invitation(shop_id, creator_id, "withdraw", actor=shop_id)

    def approve_unlink(self, shop_id: str, creator_id: str) -> LogEntry:
        """Seller Center: View details → Agree (R-UNLINK-APPROVE); the account is unbound."""
        return self._answer_unlink(shop_id, creator_id, "Agree", "approve_unlink")

    def decline_unlink(self, shop_id: str, creator_id: str) -> LogEntry:
        """Seller Center: View details → Decline (A-DECLINE); the binding stays."""
        self._check_decline_allowed()
        return self._answer_unlink(shop_id, creator_id, "Decline", "decline_unlink")

    def _answer_unlink(self, shop_id: str, creator_id: str, label: str, action: str) -> LogEntry:
        shop, _ = self._shop(shop_id), self._creator(creator_id)
        now = self._sync()
        binding = shop.active.get(creator_id)
        subject = {"shop": shop_id, "creator": creator_id}
        if binding is not None:
            subject["role"] = binding.role
        if binding is None or "unlink_requested" not in binding.states:
            raise InvalidAction(f"{shop_id} has no unlink request from {creator_id}")
        with self._step(now, shop_id, action, subject) as step:
            screens.walk_center(self, shop, ("View details", label), creator_id, now)
        return step.entry

    def open_ticket(self, shop_id: str, creator_id: str) -> TicketRecord:
        """Seller Center → Help Center → Open ticket about the account (R-TICKET).

        Support answers after A-TICKET-TIME: it fixes what it may; the rest closes the ticket.
        """
        shop, _ = self._shop(shop_id), self._creator(creator_id)
        now = self._sync()
        subject = {"shop": shop_id, "creator": creator_id}
        with self._step(now, shop_id, "open_ticket", subject) as step:
            ticket = screens.walk_center(
                self, shop, ("Help Center", "Open ticket"), creator_id, now
            )
            assert isinstance(ticket, TicketRecord)
            subject["ticket"] = ticket.id
            step.reasons = [r.value for r in ticket.causes]
        return ticket

    def set_shop(self, shop_id: str, *, status: str) -> LogEntry:
        """Change a shop fact (its status: R-FAIL(3))."""
        shop = self._shop(shop_id)
        _check_choice("shop status", status, STATUSES)
        now = self._sync()
        with self._step(now, "platform", "set_shop", {"shop": shop_id, "status": status}) as step:
            shop.status = status
            self._touch(shop_id, None)
            for binding in list(shop.active.values()):  # R-STUCK: a hung binding may complete now
                self._recheck_stuck(self.creators[binding.creator], now)
        return step.entry

    # ------------------------------------------------------- creator actions

    def accept(self, creator_id: str, shop_id: str) -> LogEntry:
        """The creator confirms the invitation in the app; R-FAIL and A-CHECK-AGAIN are checked now.

        A refusal leaves the invitation pending, to be tried again until it expires.
        """
        shop, creator = self._shop(shop_id), self._creator(creator_id)
        invitation = self._invitation(shop_id, creator_id)
        now = self._sync()
        subject = {"shop": shop_id, "creator": creator_id, "role": invitation.role}
        if invitation.state not in ("pending", "expired"):
            self._require_pending(invitation, "accept")
        with self._step(now, creator_id, "accept", subject) as step:
            if invitation.state == "expired":
                raise Refused("accept", [Reason.INVITATION_EXPIRED])
            reasons = checks.accept_reasons(shop, creator, invitation, now, self.rules)
            if reasons:
                raise Refused("accept", reasons)
            self._send(invitation, "accept", blockers=())
            invitation.ended_at = now
            del shop.pending[creator_id]
            binding = self._start_binding(shop, creator, invitation.role, now)
            step.reasons = [r.value for r in binding.reasons]
        return step.entry

    def decline(self, creator_id: str, shop_id: str) -> LogEntry:
        """The creator declines the invitation (A-DECLINE)."""
        return self._end_invitation(shop_id, creator_id, "decline", actor=creator_id)

    def request_unlink(self, creator_id: str) -> LogEntry:
        """The creator's whole tap path (R-UNLINK-PATH): Showcase → Enter → Your Shop →
        View link info → Send unlink request. Refused where the user would meet the refusal."""
        creator = self._creator(creator_id)
        now = self._sync()
        binding = creator.active
        subject = {"creator": creator_id}
        if binding is not None:
            subject.update(shop=binding.shop, role=binding.role)
        if binding is not None and binding.role == "channel" and not self.rules.channel_unlink:
            raise InvalidAction(
                "channel creators cannot unlink themselves (A-CHANNEL-UNLINK is off)"
            )
        with self._step(now, creator_id, "request_unlink", subject) as step:
            screens.request_unlink(self, creator, now)
        return step.entry

    def set_creator(self, creator_id: str, **facts: Any) -> LogEntry:
        """Change facts of an account or its phone: network, status, age, registration_country ...

        A stuck binding whose causes are gone completes now (R-STUCK).
        """
        creator = self._creator(creator_id)
        for name, value in facts.items():
            if name not in CREATOR_FACTS:
                raise InvalidArgument(
                    f"unknown creator fact {name!r}; facts: {', '.join(CREATOR_FACTS)}"
                )
            _check_fact(name, value)
        now = self._sync()
        subject = {"creator": creator_id, **{k: str(v) for k, v in facts.items()}}
        with self._step(now, "platform", "set_creator", subject) as step:
            for name, value in facts.items():
                setattr(creator, name, value)
            self._touch(None, creator_id)
            self._recheck_stuck(creator, now)
        return step.entry

    # ---------------------------------------------------- the operations
    # One implementation each; reached through the screens (simulator/screens.py).

    def _invite_op(
        self, shop: Shop, creator: Creator, role: str, now: datetime, reasons: list[Reason]
    ) -> InvitationRecord:
        """Send the invitation, or refuse with every reason (R-ELIGIBLE, slots, limits)."""
        if reasons:
            raise Refused("invite", reasons)
        self._counters["inv"] += 1
        invitation = InvitationRecord(
            id=f"inv-{self._counters['inv']}",
            shop=shop.id,
            creator=creator.id,
            role=role,
            sent_at=now,
            expires_at=now + self.rules.invite_ttl,  # R-INVITE-48H
            machine=Invitation(),
        )
        self.invitations[invitation.id] = invitation
        self._last_invitation[shop.id, creator.id] = invitation
        shop.pending[creator.id] = invitation
        self.timers.schedule(invitation.expires_at, invitation.id, "expire")
        self._touch(shop.id, creator.id)
        self._changes.append(Change(invitation.id, "Invitation", "send", (), ("pending",)))
        return invitation

    def _start_binding(
        self, shop: Shop, creator: Creator, role: str, now: datetime
    ) -> BindingRecord:
        """The creator accepted: a binding starts, and completes now or hangs (R-STUCK)."""
        self._counters["bind"] += 1
        binding = BindingRecord(
            id=f"bind-{self._counters['bind']}",
            shop=shop.id,
            creator=creator.id,
            role=role,
            created_at=now,
            machine=Binding(),
        )
        self.bindings[binding.id] = binding
        self._last_binding[shop.id, creator.id] = binding
        shop.active[creator.id] = binding
        creator.active = binding
        if role == "channel":
            # A-CHANNEL-COUNT: counted from acceptance, so a binding that hangs (R-STUCK) keeps
            # its place in the window; one that fails gives it back (see _resolve_ticket).
            shop.channel_binds.append(now)
        self._changes.append(Change(binding.id, "Binding", "start", (), ("binding",)))
        stuck = checks.stuck_causes(shop, creator)
        self._send(binding, "confirm", blockers=stuck)
        binding.reasons = tuple(stuck)
        if not stuck:
            self._bound(binding, now)
        return binding

    def _request_unlink_op(self, creator: Creator, binding: BindingRecord, now: datetime) -> None:
        """The unlink request reaches the shop, unless R-LOCK-24H or R-OFFICIAL-UNBIND-3 refuse."""
        reasons = self._unlink_reasons(creator, binding)
        if reasons:
            raise Refused("request_unlink", reasons)
        self._send(binding, "request_unlink", blockers=())
        binding.unlink_requested_at = now

    def _unlink_reasons(self, creator: Creator, binding: BindingRecord) -> list[Reason]:
        """R-UNLINK-PATH, R-LOCK-24H, R-OFFICIAL-UNBIND-3 (A-UNBIND-COUNT), A-CHANNEL-UNLINK."""
        shop = self.shops[binding.shop]
        reasons = []
        if creator.network != shop.region:
            reasons.append(Reason.NETWORK_REGION_MISMATCH)
        if "locked" in binding.states:
            reasons.append(Reason.UNBIND_LOCKED)
        if binding.role == "official" and shop.official_unbinds >= self.rules.official_unbind_limit:
            reasons.append(Reason.OFFICIAL_UNBIND_LIMIT)
        if binding.role == "channel" and not self.rules.channel_unlink:
            raise InvalidAction(
                "channel creators cannot unlink themselves (A-CHANNEL-UNLINK is off)"
            )
        return reasons

    def _approve_unlink_op(self, shop: Shop, binding: BindingRecord, now: datetime) -> None:
        """R-UNLINK-APPROVE, then R-RELEASE: the account and the slot are free (R-REBIND)."""
        if binding.role == "official" and shop.official_unbinds >= self.rules.official_unbind_limit:
            # Requests are checked when sent; with several official slots two may wait at once.
            raise Refused("approve_unlink", [Reason.OFFICIAL_UNBIND_LIMIT])
        self._send(binding, "approve_unlink")
        binding.ended_at = now
        if binding.role == "official":
            shop.official_unbinds += 1  # A-UNBIND-COUNT: completed unbinds are counted
        self._release_indexes(binding)

    def _decline_unlink_op(self, binding: BindingRecord) -> None:
        self._send(binding, "decline_unlink")
        binding.unlink_requested_at = None

    def _open_ticket_op(self, shop: Shop, creator: Creator, now: datetime) -> TicketRecord:
        """R-TICKET: support looks for every account-side cause and says which it cannot fix."""
        causes = checks.ticket_causes(shop, creator, self.rules)
        self._counters["ticket"] += 1
        ticket = TicketRecord(
            id=f"ticket-{self._counters['ticket']}",
            shop=shop.id,
            creator=creator.id,
            opened_at=now,
            due_at=now + self.rules.ticket_resolution_time,  # A-TICKET-TIME
            causes=tuple(causes),
            unfixable=tuple(checks.ticket_unfixable(shop, causes, self.rules)),
            machine=SupportTicket(),
        )
        self.tickets[ticket.id] = ticket
        self.timers.schedule(ticket.due_at, ticket.id, "resolve")
        self._touch(shop.id, creator.id)
        self._changes.append(Change(ticket.id, "SupportTicket", "open", (), ("open",)))
        return ticket

    # ------------------------------------------------------------ internals

    def _shop(self, shop_id: str) -> Shop:
        try:
            return self.shops[shop_id]
        except (KeyError, TypeError):
            raise UnknownId("shop", shop_id, self.shops) from None

    def _creator(self, creator_id: str) -> Creator:
        try:
            return self.creators[creator_id]
        except (KeyError, TypeError):
            raise UnknownId("creator", creator_id, self.creators) from None

    def _invitation(self, shop_id: str, creator_id: str) -> InvitationRecord:
        try:
            return self._last_invitation[shop_id, creator_id]
        except KeyError:
            known = (f"{s}→{c}" for s, c in self._last_invitation)
            raise UnknownId("invitation", f"{shop_id}→{creator_id}", known) from None

    def _binding(self, shop_id: str, creator_id: str) -> BindingRecord:
        try:
            return self._last_binding[shop_id, creator_id]
        except KeyError:
            known = (f"{s}×{c}" for s, c in self._last_binding)
            raise UnknownId("binding", f"{shop_id}×{creator_id}", known) from None

    def _require_pending(self, invitation: InvitationRecord, action: str) -> None:
        if invitation.state != "pending":
            raise InvalidAction(
                f"the invitation from {invitation.shop} to {invitation.creator} is "
                f"{invitation.state}; only a pending invitation can be {_PAST[action]}"
            )

    def _check_decline_allowed(self) -> None:
        if not self.rules.allow_decline:
            raise InvalidAction("declining and withdrawing are off in this ruleset (A-DECLINE)")

    def _end_invitation(self, shop_id: str, creator_id: str, event: str, actor: str) -> LogEntry:
        shop, _ = self._shop(shop_id), self._creator(creator_id)
        self._check_decline_allowed()
        invitation = self._invitation(shop_id, creator_id)
        now = self._sync()
        self._require_pending(invitation, event)
        subject = {"shop": shop_id, "creator": creator_id, "role": invitation.role}
        with self._step(now, actor, event, subject) as step:
            self._send(invitation, event)
            invitation.ended_at = now
            del shop.pending[creator_id]
        return step.entry

    def _bound(self, binding: BindingRecord, now: datetime) -> None:
        """The binding is established: R-LOCK-24H starts now."""
        binding.bound_at = now
        binding.unbind_allowed_at = now + self.rules.unbind_lock
        binding.reasons = ()
        self.timers.schedule(binding.unbind_allowed_at, binding.id, "unlock")

    def _release_indexes(self, binding: BindingRecord) -> None:
        """R-RELEASE: the account and the shop's slot are free again."""
        del self.shops[binding.shop].active[binding.creator]
        self.creators[binding.creator].active = None

    def _recheck_stuck(self, creator: Creator, now: datetime) -> None:
        binding = creator.active
        if binding is None or binding.state != "stuck":
            return
        causes = checks.hold_causes(self.shops[binding.shop], creator, self.rules)
        if causes:
            binding.reasons = tuple(causes)
        else:
            self._send(binding, "release")
            self._bound(binding, now)

    def _send(self, record: Record, event: str, **kwargs: Any) -> None:
        """Send an event to a record's machine and note the change for the step's log entry."""
        machine: BindsimMachine = record.machine
        before = machine.active_ids
        machine.send(event, **kwargs)
        after = machine.active_ids
        name = type(machine).__name__
        self._changes.append(Change(record.id, name, event, _ordered(before), _ordered(after)))
        if not isinstance(record, ScreenRecord):  # a screen move changes no slot or binding
            self._touch(record.shop, record.creator)

    def _touch(self, shop_id: str | None, creator_id: str | None) -> None:
        if shop_id is not None:
            self._touched_shops.add(shop_id)
        if creator_id is not None:
            self._touched_creators.add(creator_id)

    @contextmanager
    def _step(
        self, now: datetime, actor: str, action: str, subject: dict[str, str]
    ) -> Iterator[_Step]:
        """One logged step: committed with its changes, or logged as refused (with the screen
        moves that led to the refusal) and re-raised. Invariants are checked either way."""
        step = _Step()
        try:
            yield step
        except Refused as refusal:
            changes = tuple(self._changes)
            self._changes.clear()
            self._check_invariants(now)
            self._append(now, actor, action, subject, "refused", refusal.codes, changes)
            raise
        except BaseException:
            self._changes.clear()
            self._check_invariants(now)
            raise
        step.entry = self._commit(now, actor, action, subject, step.reasons)

    def _commit(
        self,
        now: datetime,
        actor: str,
        action: str,
        subject: dict[str, str],
        reasons: Iterable[str] = (),
        outcome: str = "ok",
    ) -> LogEntry:
        """End a step: check the invariants of what it touched, then log it."""
        changes = tuple(self._changes)
        self._changes.clear()
        self._check_invariants(now)
        return self._append(now, actor, action, subject, outcome, tuple(reasons), changes)

    def _append(
        self,
        now: datetime,
        actor: str,
        action: str,
        subject: dict[str, str],
        outcome: str,
        reasons: tuple[str, ...],
        changes: tuple[Change, ...],
    ) -> LogEntry:
        entry = LogEntry(len(self.log) + 1, now, actor, action, subject, outcome, reasons, changes)
        self.log.append(entry)
        return entry

    # -------------------------------------------------------------- timers

    def _timer_is_live(self, timer: Timer) -> bool:
        record = self._record(timer.target)
        if isinstance(record, InvitationRecord):
            return record.state == "pending"
        if isinstance(record, BindingRecord):
            return "locked" in record.states
        return record.state == "open"

    def _record(self, record_id: str) -> Record:
        kind = record_id.split("-", 1)[0]
        table: Any = {
            "inv": self.invitations,
            "bind": self.bindings,
            "ticket": self.tickets,
        }[kind]
        return table[record_id]  # type: ignore[no-any-return]

    def _fire(self, timer: Timer) -> None:
        """A timer comes due: expire an invitation, end a lock, or answer a ticket."""
        if not self._timer_is_live(timer):
            return  # the invitation was answered, or the binding ended, before it came due
        at = timer.due
        record = self._record(timer.target)
        if isinstance(record, InvitationRecord):  # R-INVITE-48H
            self._send(record, "expire")
            record.ended_at = at
            record.reasons = (Reason.INVITATION_EXPIRED,)
            del self.shops[record.shop].pending[record.creator]
            subject = {"shop": record.shop, "creator": record.creator, "role": record.role}
            self._commit(
                at, "platform", "expire", subject, [Reason.INVITATION_EXPIRED.value], "timer"
            )
        elif isinstance(record, BindingRecord):  # R-LOCK-24H
            self._send(record, "unlock")
            subject = {"shop": record.shop, "creator": record.creator, "role": record.role}
            self._commit(at, "platform", "unlock", subject, (), "timer")
        elif isinstance(record, TicketRecord):
            self._resolve_ticket(record, at)

    def _resolve_ticket(self, ticket: TicketRecord, at: datetime) -> None:
        """R-TICKET: support fixes what it may; a stuck binding completes or fails (R-STUCK)."""
        shop, creator = self.shops[ticket.shop], self.creators[ticket.creator]
        # Support answers on the facts as they are now, which may have changed since the opening.
        causes = checks.ticket_causes(shop, creator, self.rules)
        ticket.causes = tuple(causes)
        ticket.unfixable = tuple(checks.ticket_unfixable(shop, causes, self.rules))
        if Reason.ALREADY_BOUND not in causes:  # never change an account under another binding
            for cause in causes:
                if cause not in ticket.unfixable:
                    fact, value = _TICKET_FIXES[cause]
                    setattr(creator, fact, value(shop, self.rules))
        self._send(ticket, "resolve", blockers=ticket.unfixable)
        ticket.ended_at = at
        binding = creator.active
        if binding is not None and binding.shop == shop.id and binding.state == "stuck":
            self._recheck_stuck(creator, at)
            if binding.state == "stuck" and ticket.state == "closed":
                self._send(binding, "fail")
                binding.ended_at = at
                if binding.role == "channel":
                    # A-CHANNEL-COUNT: only established bindings count; a failed one never was.
                    shop.channel_binds.remove(binding.created_at)
                self._release_indexes(binding)
        subject = {"shop": ticket.shop, "creator": ticket.creator, "ticket": ticket.id}
        reasons = [r.value for r in ticket.unfixable]
        self._commit(at, "support", "resolve_ticket", subject, reasons, "timer")

    # ----------------------------------------------------------- invariants

    def _check_invariants(self, now: datetime) -> None:
        """R-EXCLUSIVE, slots and limits, for what the step touched (so a step costs O(touched))."""
        rules = self.rules
        for creator_id in self._touched_creators:
            binding = self.creators[creator_id].active
            if binding is not None and (
                not binding.is_live
                or self.shops[binding.shop].active.get(creator_id) is not binding
            ):
                raise InvariantBroken(f"R-EXCLUSIVE: the live binding of {creator_id} is stale")
        for shop_id in self._touched_shops:
            shop = self.shops[shop_id]
            if checks.holders(shop, "official", rules, None) > rules.official_slots:
                raise InvariantBroken(
                    f"R-SLOT: {shop_id} holds more than {rules.official_slots} official"
                )
            if checks.holders(shop, "channel", rules, None) > rules.channel_slots(shop.kind):
                raise InvariantBroken(f"R-SLOT: {shop_id} holds too many channel creators")
            if shop.official_unbinds > rules.official_unbind_limit:
                raise InvariantBroken(f"R-OFFICIAL-UNBIND-3: {shop_id} unbound too often")
            if checks.channel_binds_in_window(shop, now, rules) > rules.channel_bind_limit:
                raise InvariantBroken(f"R-CHANNEL-10-180D: {shop_id} bound too many channels")
            for creator_id, binding in shop.active.items():
                if self.creators[creator_id].active is not binding or not binding.is_live:
                    raise InvariantBroken(f"R-EXCLUSIVE: {shop_id}×{creator_id} index is stale")
        self._touched_shops.clear()
        self._touched_creators.clear()

    def check_invariants(self) -> None:
        """Check every invariant of the whole World (steps check only what they touch)."""
        self._touched_shops.update(self.shops)
        self._touched_creators.update(self.creators)
        self._check_invariants(self._sync())

    # ------------------------------------------------------------ snapshots

    def to_dict(self) -> dict[str, Any]:
        from bindsim.simulator.snapshot import dump

        return dump(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> World:
        from bindsim.simulator.snapshot import load

        return load(data)

    def __repr__(self) -> str:
        return (
            f"World(clock={self.clock!r}, shops={len(self.shops)}, creators={len(self.creators)}, "
            f"log={len(self.log)})"
        )


def _ordered(states: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(states))


def _check_id(kind: str, value: object, *namespaces: dict[str, Any]) -> None:
    problem = id_problem(value)
    if problem is not None:
        raise InvalidArgument(f"{kind} id: {problem}")
    if any(value in ids for ids in namespaces):  # not a merged copy: O(1) per id added
        raise InvalidArgument(
            f"the id {value!r} is taken (shops and creators share one namespace, so that "
            "screen(id) and walk know whose screen you mean)"
        )


def _check_choice(what: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InvalidArgument(f"unknown {what} {value!r}; choose one of: {', '.join(choices)}")


def _check_region(what: str, value: object) -> None:
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha() or not value.isupper():
        raise InvalidArgument(
            f"{what} must be a two-letter country code like GB or US, got {value!r}"
        )


def _check_fact(name: str, value: object) -> None:
    if name in ("country", "network", "registration_country"):
        _check_region(name, value)
    elif name == "status":
        _check_choice("account status", value, STATUSES)
    elif name in ("age", "followers"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgument(f"{name} must be a whole number ≥ 0, got {value!r}")
    elif name == "ecommerce_permission" and not isinstance(value, bool):
        raise InvalidArgument(f"ecommerce_permission must be true or false, got {value!r}")
