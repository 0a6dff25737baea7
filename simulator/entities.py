"""The World's nouns: shops and creator accounts (facts), invitations, bindings and tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bindsim.machines import (
    Binding,
    BindsimMachine,
    Invitation,
    Reason,
    ScreenMachine,
    SupportTicket,
)

Role = Literal["official", "channel"]
ShopKind = Literal["open", "invited"]
ROLES: tuple[str, ...] = ("official", "channel")
SHOP_KINDS: tuple[str, ...] = ("open", "invited")
STATUSES: tuple[str, ...] = ("normal", "abnormal")


class MachineRecord:
    """A record that owns a machine: its state is read from the machine, never copied."""

    __slots__ = ()
    machine: BindsimMachine

    @property
    def state(self) -> str:
        """The outermost active state id: "bound" while "locked"."""
        return self.machine.outer_state

    @property
    def states(self) -> frozenset[str]:
        """Every active state id, at every level: {"bound", "locked"}."""
        return self.machine.active_ids


@dataclass(slots=True)
class Shop:
    """A TikTok Shop. `pending` and `active` index its open invitations and bindings by account."""

    id: str
    region: str
    kind: str = "open"
    status: str = "normal"
    official_unbinds: int = 0
    # R-CHANNEL-10-180D: when each channel binding was accepted (A-CHANNEL-COUNT), in time order.
    channel_binds: list[datetime] = field(default_factory=list)
    pending: dict[str, InvitationRecord] = field(default_factory=dict)
    active: dict[str, BindingRecord] = field(default_factory=dict)


CREATOR_FACTS: tuple[str, ...] = (
    "country",
    "age",
    "network",
    "registration_country",
    "status",
    "followers",
    "ecommerce_permission",
)


@dataclass(slots=True)
class Creator:
    """A TikTok account and its phone; `active` is its one live binding (R-EXCLUSIVE)."""

    id: str
    country: str
    age: int
    network: str
    registration_country: str
    status: str = "normal"
    followers: int = 0
    ecommerce_permission: bool = True
    active: BindingRecord | None = None

    def facts(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in CREATOR_FACTS}


@dataclass(slots=True, eq=False)
class InvitationRecord(MachineRecord):
    """One invitation and its machine; `expires_at` is data, fired by the World's timer heap."""

    id: str
    shop: str
    creator: str
    role: str
    sent_at: datetime
    expires_at: datetime
    machine: Invitation
    ended_at: datetime | None = None
    reasons: tuple[Reason, ...] = ()


@dataclass(slots=True, eq=False)
class BindingRecord(MachineRecord):
    """One shop × account binding and its machine (R-LOCK-24H, R-STUCK, R-UNLINK-APPROVE)."""

    id: str
    shop: str
    creator: str
    role: str
    created_at: datetime
    machine: Binding
    bound_at: datetime | None = None
    unbind_allowed_at: datetime | None = None
    unlink_requested_at: datetime | None = None
    ended_at: datetime | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def is_live(self) -> bool:
        """In progress, stuck or bound: it holds the account and a slot."""
        return self.machine.outer_state in ("binding", "stuck", "bound")


@dataclass(slots=True, eq=False)
class TicketRecord(MachineRecord):
    """A support ticket about one account, opened by a shop (R-TICKET, A-TICKET-TIME)."""

    id: str
    shop: str
    creator: str
    opened_at: datetime
    due_at: datetime
    # What support found: when the ticket was opened, then when it was answered (facts change).
    causes: tuple[Reason, ...]
    unfixable: tuple[Reason, ...]
    machine: SupportTicket
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What an account may do with a shop's products (R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000)."""

    role: str  # "official", "channel" or "affiliate" (not bound)
    auto_sync_showcase: bool
    add_from_shop: bool
    sell_in_live_and_video: bool
    follower_minimum_applies: bool


@dataclass(slots=True, eq=False)
class ScreenRecord(MachineRecord):
    """One user interface and what it shows: a phone's app, or a shop's Seller Center."""

    id: str  # "app:alice" or "center:gb"
    shop: str | None
    creator: str | None
    machine: ScreenMachine
    # Seller Center: whose unlink request is open, and the reasons the last refusal listed.
    viewing: str | None = None
    refusal: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Screen:
    """What a user sees now: the screen id, the labels they can tap or click, and what is hidden."""

    owner: str
    id: str
    title: str
    title_zh: str
    visible: tuple[str, ...]
    # Labels of this screen that are hidden now, with the reason code (or None) a user would meet.
    hidden: dict[str, str | None]
    info: dict[str, object]
