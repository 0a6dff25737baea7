"""The World: the façade over plain state, operations and screens, run one checked step at a time.

A World is a State (simulator/state.py), a clock, a Ruleset, an engine (simulator/engine.py) and
its log. Every public call checks its arguments first (bad input changes nothing), then catches up
on the timers due by the clock's time, then does one step. When a call returns, nothing is due.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from bindsim.errors import (
    ClockNotAdjustable,
    ClockWentBackwards,
    InvalidArgument,
    InvariantBroken,
    Refused,
    UnknownId,
)
from bindsim.machines import Ruleset
from bindsim.machines.compiled import CREATOR_APP, SELLER_CENTER
from bindsim.simulator import (
    checks,
    facts,
    invariants,
    operations,
    queries,
    screens,
    timers,
)
from bindsim.simulator.clock import (
    Clock,
    ManualClock,
    SystemClock,
    as_duration,
    as_instant,
    read_clock,
)
from bindsim.simulator.engine import Engine, engine_named
from bindsim.simulator.facts import Role, ShopKind, Status
from bindsim.simulator.ids import id_problem
from bindsim.simulator.log import LogEntry
from bindsim.simulator.queries import Capabilities
from bindsim.simulator.screens import Screen
from bindsim.simulator.state import (
    BindingRecord,
    Creator,
    InvitationRecord,
    ScreenRecord,
    Shop,
    State,
    TicketRecord,
    Timer,
)
from bindsim.simulator.step import Step

if TYPE_CHECKING:
    from bindsim.simulator import snapshot

T = TypeVar("T")


class World:
    """Everything bindsim simulates. Every public call first fires the timers due by now.

    >>> w = World(clock=ManualClock("2024-11-11T12:00:00Z"))
    >>> w.add_shop("gb", region="GB", kind="open")
    >>> w.add_creator("alice", country="GB", age=24)
    >>> _ = w.invite("gb", "alice", role="official")
    >>> w.advance("48h")
    >>> w.invitation("gb", "alice").state
    'expired'

    `engine="statemachine"` runs python-statemachine itself instead of the compiled tables (the
    reference the tests compare with). `log_limit` keeps only the newest entries in `log`;
    `on_log` is called with every entry, to stream a long run's log elsewhere.
    """

    def __init__(
        self,
        clock: Clock | None = None,
        ruleset: Ruleset | None = None,
        *,
        engine: str = "table",
        log_limit: int | None = None,
        on_log: Callable[[LogEntry], None] | None = None,
    ) -> None:
        if ruleset is not None and not isinstance(ruleset, Ruleset):
            raise InvalidArgument(
                f"ruleset must be a Ruleset, got {ruleset!r}: use Ruleset().with_overrides"
                "({...}) or bindsim.simulator.ruleset_file.load_ruleset(path)"
            )
        if isinstance(clock, type):
            raise InvalidArgument(
                f"clock must be a clock, not the class {clock.__name__}: "
                f"write {clock.__name__}(...), e.g. ManualClock('2024-11-11T12:00:00Z')"
            )
        if clock is not None and not callable(getattr(clock, "now", None)):
            raise InvalidArgument(f"clock must have a now() method (ManualClock), got {clock!r}")
        if log_limit is not None and (
            isinstance(log_limit, bool) or not isinstance(log_limit, int) or log_limit < 1
        ):
            raise InvalidArgument(f"log_limit must be a whole number ≥ 1, got {log_limit!r}")
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.rules = ruleset if ruleset is not None else Ruleset()
        self.engine: Engine = engine_named(engine)
        self.state = State(last_seen=read_clock(self.clock))
        self.log: list[LogEntry] = []  # read only: the newest `log_limit` entries, oldest first
        self.log_limit = log_limit
        self.on_log = on_log
        self._logged = 0  # entries ever logged: the next entry's seq is this + 1
        # Called after every step with (state before, its log entry, state after): see watch.
        self._watchers: list[Callable[[State, LogEntry, State], None]] = []

    # ----------------------------------------------------------------- time

    @property
    def now(self) -> datetime:
        """The clock's time; reading it changes nothing (see catch_up)."""
        return read_clock(self.clock)

    def catch_up(self) -> list[LogEntry]:
        """Fire every timer due by the clock's time, each at its own due time; return their log
        entries. Every call of the World does this first; it is public for a SystemClock moved
        by freezegun between calls. Raises ClockWentBackwards (changing nothing) if the clock
        reads earlier than at the World's last call."""
        return self._fire_due(self._checked_now())

    def advance(self, by: timedelta | str | int | float) -> None:
        """Move a ManualClock forward ("90s", "47h59m", "2d", a timedelta); fire what is due."""
        duration = as_duration(by)
        clock = self._manual_clock()
        self.catch_up()
        clock.advance(duration)
        self.catch_up()

    def advance_to(self, when: datetime | str) -> None:
        """Move a ManualClock forward to an aware time and fire what is due."""
        target = as_instant(when)
        clock = self._manual_clock()
        self.catch_up()
        if target < self.state.last_seen:
            raise ClockWentBackwards(self.state.last_seen, target)
        clock.set(target)
        self.catch_up()

    def _manual_clock(self) -> ManualClock:
        if not isinstance(self.clock, ManualClock):
            raise ClockNotAdjustable()
        return self.clock

    def _checked_now(self) -> datetime:
        now = read_clock(self.clock)
        if now < self.state.last_seen:
            raise ClockWentBackwards(self.state.last_seen, now)
        return now

    # ---------------------------------------------------------- population

    def add_shop(
        self, shop_id: str, region: str, kind: ShopKind = "open", status: Status = "normal"
    ) -> None:
        """A shop in `region` (GB, US, ...), "open" (普招) or "invited" (定邀)."""
        self._check_new_id("shop", shop_id)
        facts.check_choice("shop kind", kind, facts.SHOP_KINDS)
        facts.check_choice("shop status", status, facts.STATUSES)
        facts.check(facts.SHOP_FACTS, "region", region)
        self.catch_up()
        self.state.shops[shop_id] = Shop(shop_id, region, kind, status)

    def add_creator(
        self,
        creator_id: str,
        country: str,
        age: int | None = None,
        network: str | None = None,
        registration_country: str | None = None,
        status: Status = "normal",
        followers: int = 0,
        ecommerce_permission: bool = True,
        home_region: str | None = None,
        birthdate: date | str | None = None,
    ) -> None:
        """A TikTok account with a fixed `age` or a `birthdate` (then its age follows the clock,
        A-AGE); its phone's network, registration and home region (归属地) default to `country`."""
        self._check_new_id("creator", creator_id)
        ages = _age_facts({"age": age, "birthdate": birthdate})
        if not ages:
            raise InvalidArgument(
                f"creator {creator_id!r} needs an age or a birthdate",
                zh=f"达人 {creator_id} 需要年龄或出生日期(A-AGE)",
            )
        creator = Creator(
            creator_id,
            country=country,
            age=ages.get("age"),
            network=network if network is not None else country,
            registration_country=country if registration_country is None else registration_country,
            home_region=country if home_region is None else home_region,
            status=status,
            followers=followers,
            ecommerce_permission=ecommerce_permission,
            birthdate=ages.get("birthdate"),
        )
        for name, value in creator.facts().items():
            if value is not None or name not in AGE_FACTS:
                facts.check(facts.CREATOR_FACTS, name, value, "creator fact")
        self._check_born(creator.birthdate)
        self.catch_up()
        self.state.creators[creator_id] = creator

    def _check_born(self, birthdate: date | None) -> None:
        """A-AGE: InvalidArgument for a birthdate after the clock's date (a user not born yet)."""
        if birthdate is not None:
            now = self._checked_now()
            problem = checks.unborn_problem(birthdate, now, self.rules)
            if problem is not None:
                zh = checks.unborn_problem(birthdate, now, self.rules, "zh")
                raise InvalidArgument(problem, zh=zh)

    def _check_new_id(self, kind: str, value: object) -> None:
        problem = id_problem(value)
        if problem is not None:
            raise InvalidArgument(f"{kind} id: {problem}", zh=id_problem(value, "zh"))
        if value in self.state.shops or value in self.state.creators:
            raise InvalidArgument(
                f"the id {value!r} is taken (shops and creators share one namespace, so that "
                "screen(id) and walk know whose screen you mean)",
                zh=f"编号 {value} 已被使用(店铺和达人共用一套编号)",
            )

    # -------------------------------------------------------------- queries
    # Bad input is refused before the catch-up, so that it changes nothing.

    def shop(self, shop_id: str) -> Shop:
        self._shop(shop_id)
        self.catch_up()
        return self.state.shops[shop_id]

    def creator(self, creator_id: str) -> Creator:
        self._creator(creator_id)
        self.catch_up()
        return self.state.creators[creator_id]

    def invitation(self, shop_id: str, creator_id: str) -> InvitationRecord:
        """The latest invitation from the shop to the account, as it is now."""
        invitation_id = self._latest("invitation", shop_id, creator_id)
        self.catch_up()
        return self.state.invitations[invitation_id]

    def binding(self, shop_id: str, creator_id: str) -> BindingRecord:
        """The latest binding between the shop and the account, as it is now."""
        binding_id = self._latest("binding", shop_id, creator_id)
        self.catch_up()
        return self.state.bindings[binding_id]

    def ticket(self, ticket_id: str) -> TicketRecord:
        if not isinstance(ticket_id, str) or ticket_id not in self.state.tickets:
            raise UnknownId("ticket", str(ticket_id), self.state.tickets)
        self.catch_up()
        return self.state.tickets[ticket_id]

    def latest_ticket(self, shop_id: str, creator_id: str) -> TicketRecord:
        """The newest ticket the shop opened about the account (R-TICKET), as it is now. Read
        from the records, never the log, so it holds with any `log_limit`."""
        self._shop(shop_id), self._creator(creator_id)
        self.catch_up()
        found = [
            t for t in self.state.tickets.values() if (t.shop, t.creator) == (shop_id, creator_id)
        ]
        if not found:
            raise UnknownId("ticket", f"{shop_id} about {creator_id}", detail="no ticket yet")
        return found[-1]  # tickets are kept in the order they were opened (ticket-1, ticket-2, …)

    def official(self, shop_id: str) -> str | None:
        """The shop's bound official account, if any (R-SLOT-OPEN, R-SLOT-INVITED)."""
        return self._read_shop(shop_id, lambda: queries.official(self.state, shop_id))

    def channels(self, shop_id: str) -> list[str]:
        """The shop's bound channel creators, in binding order."""
        return self._read_shop(
            shop_id, lambda: queries.bound_in_role(self.state, shop_id, "channel")
        )

    def official_unbinds_left(self, shop_id: str) -> int:
        """R-OFFICIAL-UNBIND-3: how many more times the official account may ever be unbound."""
        return self._read_shop(
            shop_id, lambda: queries.official_unbinds_left(self.state, shop_id, self.rules)
        )

    def channel_binds_left(self, shop_id: str) -> int:
        """R-CHANNEL-10-180D: channel bindings still possible in the current 180-day window."""
        return self._read_shop(
            shop_id,
            lambda: queries.channel_binds_left(
                self.state, shop_id, self.state.last_seen, self.rules
            ),
        )

    def channel_places_reserved(self, shop_id: str) -> int:
        """A-CHANNEL-COUNT "bound": channel places held by bindings in progress or stuck, not
        counted in the window yet but already taken from channel_binds_left."""
        return self._read_shop(
            shop_id, lambda: queries.channel_places_reserved(self.state, shop_id, self.rules)
        )

    def bound_shop(self, creator_id: str) -> str | None:
        """The shop the account is bound to now (R-EXCLUSIVE), or None."""
        self._creator(creator_id)
        self.catch_up()
        return queries.bound_shop(self.state, creator_id)

    def age(self, creator_id: str) -> int:
        """The account's age now: its fixed age, or as its birthdate makes it (A-AGE)."""
        self._creator(creator_id)
        self.catch_up()
        creator = self.state.creators[creator_id]
        return checks.age_at(creator, self.state.last_seen, self.rules)

    def capabilities(self, creator_id: str) -> Capabilities:
        """What the account may do: R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000, A-AFFILIATE."""
        self._creator(creator_id)
        self.catch_up()
        return queries.capabilities(self.state, creator_id, self.rules)

    def pending_timers(self) -> list[Timer]:
        """Timers still to fire, earliest first."""
        self.catch_up()
        return queries.pending_timers(self.state)

    def screen(self, owner_id: str) -> Screen:
        """What a phone (creator id) or a Seller Center (shop id) shows now: id, visible labels."""
        self._owner(owner_id)
        self.catch_up()
        record = screens.screen_record(self.state, owner_id)
        return screens.view(self.state, self.rules, self.engine, record)

    def _read_shop(self, shop_id: str, read: Callable[[], T]) -> T:
        self._shop(shop_id)
        self.catch_up()
        return read()

    # ---------------------------------------------------------------- views

    @property
    def shops(self) -> Mapping[str, Shop]:
        return MappingProxyType(self.state.shops)

    @property
    def creators(self) -> Mapping[str, Creator]:
        return MappingProxyType(self.state.creators)

    @property
    def invitations(self) -> Mapping[str, InvitationRecord]:
        return MappingProxyType(self.state.invitations)

    @property
    def bindings(self) -> Mapping[str, BindingRecord]:
        return MappingProxyType(self.state.bindings)

    @property
    def tickets(self) -> Mapping[str, TicketRecord]:
        return MappingProxyType(self.state.tickets)

    @property
    def screens(self) -> Mapping[str, ScreenRecord]:
        return MappingProxyType(self.state.screens)

    # -------------------------------------------------------------- screens

    def tap(self, creator_id: str, label: str) -> LogEntry:
        """Tap a label shown in the creator's app (R-UNLINK-PATH); NotVisible if it is not there."""
        self._creator(creator_id)
        screens.label_event(CREATOR_APP, label)
        subject = {"creator": creator_id, "label": label}
        return self._act(
            creator_id, "tap", subject, lambda step: screens.tap(step, creator_id, label)
        )

    def click(self, shop_id: str, label: str, account: str | None = None) -> LogEntry:
        """Click a label shown in the shop's Seller Center (R-SELLER-NAV, R-UNLINK-APPROVE).

        `account` is the TikTok account typed into a guide or ticket form, or whose unlink
        request "View details" opens.
        """
        self._shop(shop_id)
        screens.label_event(SELLER_CENTER, label)
        subject = {"shop": shop_id, "label": label}
        if account is not None:
            self._creator(account)
            subject["account"] = account
        return self._act(
            shop_id, "click", subject, lambda step: screens.click(step, shop_id, label, account)
        )

    # ------------------------------------------------------ merchant actions

    def invite(self, shop_id: str, creator_id: str, role: Role = "official") -> LogEntry:
        """The merchant sends an invitation through Seller Center (R-SELLER-NAV, R-ELIGIBLE).

        My Account → Bind TikTok account → Bind official account | Channel account → Send
        invitation. The creator then has 48 hours (R-INVITE-48H).
        """
        self._shop(shop_id), self._creator(creator_id)
        facts.check_choice("role", role, facts.ROLES)
        subject = {"shop": shop_id, "creator": creator_id, "role": role}
        return self._act(
            shop_id, "invite", subject, lambda step: screens.invite(step, shop_id, creator_id, role)
        )

    def withdraw(self, shop_id: str, creator_id: str) -> LogEntry:
        """The merchant withdraws a pending invitation (A-DECLINE); its slot is free again."""
        return self._end_invitation(shop_id, creator_id, "withdraw", actor=shop_id)

    def approve_unlink(self, shop_id: str, creator_id: str) -> LogEntry:
        """Seller Center: View details → Agree (R-UNLINK-APPROVE); the account is unbound."""
        return self._answer_unlink(shop_id, creator_id, True, "approve_unlink")

    def decline_unlink(self, shop_id: str, creator_id: str) -> LogEntry:
        """Seller Center: View details → Decline (A-DECLINE); the binding stays."""
        operations.require_decline_allowed(self.rules)
        return self._answer_unlink(shop_id, creator_id, False, "decline_unlink")

    def _answer_unlink(self, shop_id: str, creator_id: str, agree: bool, action: str) -> LogEntry:
        self._shop(shop_id), self._creator(creator_id)
        subject = {"shop": shop_id, "creator": creator_id}
        return self._act(
            shop_id,
            action,
            subject,
            lambda step: screens.answer_unlink(step, shop_id, creator_id, agree),
        )

    def open_ticket(self, shop_id: str, creator_id: str) -> TicketRecord:
        """Seller Center → Help Center → Open ticket about the account (R-TICKET).

        Support answers after A-TICKET-TIME: it fixes what it may; the rest closes the ticket.
        """
        self._shop(shop_id), self._creator(creator_id)
        subject = {"shop": shop_id, "creator": creator_id}
        entry = self._act(
            shop_id,
            "open_ticket",
            subject,
            lambda step: screens.open_ticket(step, shop_id, creator_id),
        )
        return self.state.tickets[entry.subject["ticket"]]

    def set_shop(self, shop_id: str, *, status: Status) -> LogEntry:
        """Change a shop fact (its status: R-FAIL(3))."""
        self._shop(shop_id)
        facts.check_choice("shop status", status, facts.STATUSES)
        subject = {"shop": shop_id, "status": status}
        return self._act(
            "platform", "set_shop", subject, lambda step: operations.set_shop(step, shop_id, status)
        )

    # ------------------------------------------------------- creator actions

    def accept(self, creator_id: str, shop_id: str) -> LogEntry:
        """The creator confirms the invitation in the app; R-FAIL and A-CHECK-AGAIN are checked now.

        A refusal leaves the invitation pending, to be tried again until it expires.
        """
        invitation_id = self._latest("invitation", shop_id, creator_id)
        self._require_answerable(invitation_id, "accept")
        role = self.state.invitations[invitation_id].role
        subject = {"shop": shop_id, "creator": creator_id, "role": role}
        return self._act(
            creator_id, "accept", subject, lambda step: operations.accept(step, creator_id, shop_id)
        )

    def decline(self, creator_id: str, shop_id: str) -> LogEntry:
        """The creator declines the invitation (A-DECLINE)."""
        return self._end_invitation(shop_id, creator_id, "decline", actor=creator_id)

    def _end_invitation(self, shop_id: str, creator_id: str, event: str, actor: str) -> LogEntry:
        invitation_id = self._latest("invitation", shop_id, creator_id)
        operations.require_decline_allowed(self.rules)
        self._require_answerable(invitation_id, event)
        role = self.state.invitations[invitation_id].role
        subject = {"shop": shop_id, "creator": creator_id, "role": role}
        return self._act(
            actor,
            event,
            subject,
            lambda step: operations.end_invitation(step, shop_id, creator_id, event),
        )

    def _require_answerable(self, invitation_id: str, action: str) -> None:
        """InvalidAction, before anything moves, if the invitation is over (as it will be after
        the catch-up: an invitation can only end earlier than now, never later)."""
        self.catch_up()
        invitation = self.state.invitations[invitation_id]
        operations.require_pending(self.state, invitation.shop, invitation.creator, action)

    def request_unlink(self, creator_id: str) -> LogEntry:
        """The creator's whole tap path (R-UNLINK-PATH): Showcase → Enter → Your Shop →
        View link info → Send unlink request. Refused where the user would meet the refusal:
        the same outcome as tapping the labels one by one (a hidden showcase button first, then
        A-CHANNEL-UNLINK at "Send unlink request")."""
        self._creator(creator_id)
        self.catch_up()
        binding = self.state.live_binding(self.state.creators[creator_id])
        subject = {"creator": creator_id}
        if binding is not None:
            subject.update(shop=binding.shop, role=binding.role)
        return self._act(
            creator_id,
            "request_unlink",
            subject,
            lambda step: screens.request_unlink(step, creator_id),
        )

    def set_creator(self, creator_id: str, **changes: Any) -> LogEntry:
        """Change facts of an account or its phone: network, status, age, registration_country ...

        A stuck binding whose causes are gone completes now (R-STUCK).
        """
        self._creator(creator_id)
        ages = _age_facts(changes)
        if not ages and any(name in AGE_FACTS for name in changes):
            # As add_creator: an account always has an age or a birthdate (A-AGE).
            raise InvalidArgument(
                f"creator {creator_id!r} needs an age or a birthdate: give one a value "
                f"(got {', '.join(f'{k}={changes[k]!r}' for k in AGE_FACTS if k in changes)})",
                zh=f"达人 {creator_id} 需要年龄或出生日期:请为其中一项填写值(A-AGE)",
            )
        changes = {**changes, **ages}
        for name, value in changes.items():
            if value is not None or name not in AGE_FACTS:
                facts.check(facts.CREATOR_FACTS, name, value, "creator fact")
        self._check_born(changes.get("birthdate"))
        subject = {
            "creator": creator_id,
            **{k: str(v) for k, v in changes.items() if v is not None or k not in AGE_FACTS},
        }
        return self._act(
            "platform",
            "set_creator",
            subject,
            lambda step: operations.set_creator(step, creator_id, changes),
        )

    # ------------------------------------------------------------- stepping

    def _act(
        self, actor: str, action: str, subject: dict[str, str], body: Callable[[Step], object]
    ) -> LogEntry:
        """One logged step: committed with its changes; or logged as refused, with the screen
        moves that led to the refusal, and re-raised; or, on any other error, undone."""
        now = self._checked_now()
        self._fire_due(now)
        before = self.state.copy() if self._watchers else None
        step = Step(self.state, self.rules, self.engine, now, actor, action, subject)
        try:
            body(step)
        except Refused as refusal:
            step.undo(keep_screens=True)
            step.reasons = list(refusal.codes)
            refused = step.entry(self._logged + 1, "refused")
            self._log(refused)
            self._tell(before, refused)
            raise
        except BaseException:
            step.undo()
            raise
        entry = self._commit(step, "ok")
        self._tell(before, entry)
        self._fire_due(now)  # a zero-length window (a 0s setting) ends within the step's time
        return entry

    def _commit(self, step: Step, outcome: str) -> LogEntry:
        """End a step: check the invariants of what it touched (undo it if broken), log it."""
        try:
            invariants.check(
                self.state, self.rules, step.now, step.touched_shops, step.touched_creators
            )
        except InvariantBroken:
            step.undo()
            raise
        entry = step.entry(self._logged + 1, outcome)
        self._log(entry)
        return entry

    def _fire_due(self, now: datetime) -> list[LogEntry]:
        """Fire the timers due by `now`, each as a logged step at its own due time."""
        fired: list[LogEntry] = []
        before = [self.state.copy()] if self._watchers else None

        def commit(step: Step) -> None:
            fired.append(self._commit(step, "timer"))
            if before is not None:
                self._tell(before[0], fired[-1])
                before[0] = self.state.copy()

        timers.fire_due(self.state, self.rules, self.engine, now, commit)
        return fired

    def watch(self, watcher: Callable[[State, LogEntry, State], None]) -> None:
        """Call `watcher(before, entry, after)` after every step from now on (a refused one
        too): the state before the step (a copy), its log entry, and the state after it. The
        contracts (simulator/contracts) judge steps this way; a watcher must not call the World.
        Each step then costs a copy of the state."""
        self._watchers.append(watcher)

    def _tell(self, before: State | None, entry: LogEntry) -> None:
        if before is not None:
            for watcher in self._watchers:
                watcher(before, entry, self.state)

    def _log(self, entry: LogEntry) -> None:
        self._logged = entry.seq
        self.log.append(entry)
        if self.log_limit is not None and len(self.log) >= 2 * self.log_limit:
            del self.log[: len(self.log) - self.log_limit]  # amortised O(1) per entry
        if self.on_log is not None:
            self.on_log(entry)

    def log_since(self, seq: int) -> list[LogEntry]:
        """The entries logged after entry number `seq` (still kept in `log`), oldest first."""
        kept = len(self.log) - (self._logged - seq)
        return self.log[max(kept, 0) :] if seq < self._logged else []

    # -------------------------------------------------------------- checking

    def check_invariants(self) -> None:
        """Check every invariant of the whole World, and every index against a recount."""
        self.catch_up()
        invariants.check_all(self.state, self.rules, self.state.last_seen)

    def _shop(self, shop_id: str) -> Shop:
        if isinstance(shop_id, str) and shop_id in self.state.shops:
            return self.state.shops[shop_id]
        raise UnknownId("shop", _shown(shop_id), self.state.shops)

    def _creator(self, creator_id: str) -> Creator:
        if isinstance(creator_id, str) and creator_id in self.state.creators:
            return self.state.creators[creator_id]
        raise UnknownId("creator", _shown(creator_id), self.state.creators)

    def _owner(self, owner_id: str) -> None:
        if isinstance(owner_id, str) and (
            owner_id in self.state.creators or owner_id in self.state.shops
        ):
            return
        creators, shops = self.state.creators, self.state.shops
        raise UnknownId(
            "creator or shop",
            _shown(owner_id),
            chain(creators, shops),
            contains=lambda key: key in creators or key in shops,
        )

    def _latest(self, kind: str, shop_id: str, creator_id: str) -> str:
        self._shop(shop_id), self._creator(creator_id)
        index = self.state.latest_invitation if kind == "invitation" else self.state.latest_binding
        if (shop_id, creator_id) not in index:
            arrow = "→" if kind == "invitation" else "×"
            raise UnknownId(
                kind,
                f"{shop_id}{arrow}{creator_id}",
                detail=f"{shop_id} and {creator_id} have none",
            )
        return index[shop_id, creator_id]

    # ------------------------------------------------------------ snapshots

    @property
    def logged(self) -> int:
        """How many entries the World has ever logged (`log` may keep fewer: log_limit)."""
        return self._logged

    @classmethod
    def from_state(
        cls,
        state: State,
        clock: Clock,
        ruleset: Ruleset | None = None,
        *,
        engine: str = "table",
        log: list[LogEntry] | None = None,
        logged: int | None = None,
        log_limit: int | None = None,
    ) -> World:
        """A World over an existing State (a snapshot's, or one explored): the caller vouches
        for the state (snapshot.load checks a loaded one first)."""
        world = cls(clock=clock, ruleset=ruleset, engine=engine, log_limit=log_limit)
        world.state = state
        world.log = list(log) if log is not None else []
        world._logged = logged if logged is not None else len(world.log)
        return world

    def copy(self) -> World:
        """An independent World in the same state: its own clock (a ManualClock at the same time;
        the system clock is shared), state and log. Cheap: the records are shared, being
        immutable. The copy does not stream to `on_log`."""
        clock = ManualClock(self.clock.now()) if isinstance(self.clock, ManualClock) else self.clock
        return World.from_state(
            self.state.copy(),
            clock,
            self.rules,
            engine=self.engine.name,
            log=self.log,
            logged=self._logged,
            log_limit=self.log_limit,
        )

    # simulator/snapshot.py is imported by the calls that use it: a run that never saves a World
    # does not load it.

    def to_dict(self) -> dict[str, Any]:
        """The whole World as JSON-ready data (simulator/snapshot.py): clock, rules, records,
        timers and log."""
        from bindsim.simulator import snapshot

        return snapshot.dump(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> World:
        """A World from to_dict()'s data, checked first: InvalidSnapshot says what is wrong."""
        from bindsim.simulator import snapshot

        return cls._from_loaded(snapshot.load(data))

    def save(self, path: str | Path) -> Path:
        """Write the World to a JSON file, whole or not at all (a failure keeps the old file)."""
        from bindsim.simulator import snapshot

        return snapshot.save(self, path)

    @classmethod
    def load(cls, path: str | Path) -> World:
        """A World from a file save() wrote; InvalidSnapshot names the file and the problem."""
        from bindsim.simulator import snapshot

        return cls._from_loaded(snapshot.load_file(path))

    @classmethod
    def _from_loaded(cls, loaded: snapshot.Loaded) -> World:
        return cls.from_state(
            loaded.state,
            loaded.clock,
            loaded.rules,
            engine=loaded.engine,
            log=loaded.log,
            logged=loaded.logged,
            log_limit=loaded.log_limit,
        )

    def __repr__(self) -> str:
        return (
            f"World(clock={self.clock!r}, shops={len(self.state.shops)}, "
            f"creators={len(self.state.creators)}, log={self._logged})"
        )


# An account has one of these two (A-AGE): setting one clears the other.
AGE_FACTS = ("age", "birthdate")


def _age_facts(given: dict[str, Any]) -> dict[str, Any]:
    """The age facts of `given`, one of age and birthdate (an ISO text is read as a date), with
    the other cleared; {} when neither is given."""
    chosen = {k: v for k, v in given.items() if k in AGE_FACTS and v is not None}
    if len(chosen) > 1:
        raise InvalidArgument(
            "give an account an age or a birthdate, not both (A-AGE)",
            zh="请只填写年龄或出生日期中的一项,不要同时填写(A-AGE)",
        )
    if not chosen:
        return {}
    name, value = next(iter(chosen.items()))
    if name == "birthdate" and isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InvalidArgument(
                f"birthdate must be a date like 2006-11-11, got {value!r}",
                zh=f"出生日期应为 2006-11-11 这样的日期,而不是 {value!r}",
            ) from None
    other = "birthdate" if name == "age" else "age"
    return {name: value, other: None}


def _shown(value: object) -> str:
    return value if isinstance(value, str) else repr(value)
