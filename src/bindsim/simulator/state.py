"""The World's state as plain, immutable records in a few dictionaries: cheap to copy, compare,
hash and save. No record holds a machine instance: a record's `node` is its atomic state, and the
compiled table of its machine's spec (`MACHINE`) says what that means (`state`, `states`).

Records never change in place; an operation stores a new record under the same id. So copying a
State is copying its dictionaries, and a record handed to a caller stays what it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cache
from operator import attrgetter
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar, cast

from bindsim.machines import Reason, compiled
from bindsim.machines.spec import MachineSpec
from bindsim.simulator.engine import table_of
from bindsim.simulator.facts import CREATOR_FACTS, Role, ShopKind, Status


@dataclass(frozen=True, slots=True)
class Shop:
    """A TikTok Shop. `pending` and `live` are the accounts it invited (pending) and binds (live:
    in progress, stuck or bound), in the order they came."""

    COLLECTION: ClassVar[str] = "shops"
    id: str
    region: str
    kind: ShopKind = "open"
    status: Status = "normal"
    official_unbinds: int = 0
    # R-CHANNEL-10-180D: when each channel binding counted (A-CHANNEL-COUNT), oldest first; only
    # those still inside the window are kept, since time only moves forward.
    channel_binds: tuple[datetime, ...] = ()
    pending: tuple[str, ...] = ()
    live: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Creator:
    """A TikTok account and its phone; `binding` is the id of its one live binding (R-EXCLUSIVE)."""

    COLLECTION: ClassVar[str] = "creators"
    id: str
    country: str
    age: int | None  # a fixed age, or None when the account has a birthdate (A-AGE)
    network: str
    registration_country: str
    home_region: str  # 归属地 (A-HOME-REGION): by default the account's country
    status: Status = "normal"
    followers: int = 0
    ecommerce_permission: bool = True
    birthdate: date | None = None  # the age then follows the simulated clock (A-AGE)
    binding: str | None = None

    def facts(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in CREATOR_FACTS}


# An invitation still awaiting the creator: on its way to the app, or there (A-PENDING-SLOT).
AWAITING: tuple[str, ...] = ("sent", "pending")


S = TypeVar("S", bound=str)  # a machine's outermost state ids, as a Literal (machines/compiled.py)


class MachineRecord(Generic[S]):
    """A record whose life a machine describes; it stores only its atomic state, `node`. `S` is
    the Literal of its machine's outermost state ids, so that `binding.state == "stuk"` is a type
    error (mypy's strict equality)."""

    __slots__ = ()
    MACHINE: ClassVar[MachineSpec]
    COLLECTION: ClassVar[str]  # the State dictionary that holds records of this kind
    # The field that holds the due time of each timed event (set when the timer is armed).
    DEADLINES: ClassVar[dict[str, str]] = {}
    # Ids are f"{ID_PREFIX}-{n}", n counted by the State's counter COUNTER: inv-1, inv-2, ...
    ID_PREFIX: ClassVar[str] = ""
    COUNTER: ClassVar[str] = ""
    id: str
    node: str

    @property
    def state(self) -> S:
        """The outermost active state id: "bound" while "locked"."""
        return cast(S, table_of(self.MACHINE).outer[self.node])

    @property
    def states(self) -> frozenset[str]:
        """Every active state id, at every level: {"bound", "locked"}."""
        return table_of(self.MACHINE).active[self.node]

    def timer_live(self, event: str, due: datetime | None) -> bool:
        """Whether a timer for `event` due at `due` still applies to the record as it is: the
        machine is still in a state the timed event leaves."""
        return table_of(self.MACHINE).timer_live(self.node, event)


@dataclass(frozen=True, slots=True)
class InvitationRecord(MachineRecord[compiled.InvitationState]):
    """One invitation (R-INVITE-48H); `expires_at` is data, fired by the World's timers."""

    MACHINE = compiled.INVITATION
    COLLECTION = "invitations"
    DEADLINES = {"expire": "expires_at", "deliver": "delivered_at"}
    ID_PREFIX, COUNTER = "inv", "invitation_count"
    id: str
    shop: str
    creator: str
    role: Role
    sent_at: datetime
    node: str
    expires_at: datetime | None = None  # R-INVITE-48H: set when the expiry timer is armed
    delivered_at: datetime | None = None  # when it reaches the creator's app (sent → pending)
    ended_at: datetime | None = None
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class BindingRecord(MachineRecord[compiled.BindingState]):
    """One shop × account binding (R-LOCK-24H, R-STUCK, R-UNLINK-APPROVE)."""

    MACHINE = compiled.BINDING
    COLLECTION = "bindings"
    # "birthday" is no machine event: the 18th birthday of an account whose binding is stuck
    # with UNDER_18 among its reasons (A-AGE), when the reasons are looked at again.
    DEADLINES = {"unlock": "unbind_allowed_at", "birthday": "adult_at"}
    ID_PREFIX, COUNTER = "bind", "binding_count"
    id: str
    shop: str
    creator: str
    role: Role
    created_at: datetime
    node: str
    bound_at: datetime | None = None
    unbind_allowed_at: datetime | None = None
    unlink_requested_at: datetime | None = None
    ended_at: datetime | None = None
    reasons: tuple[Reason, ...] = ()
    # A-AGE: while UNDER_18 holds the stuck binding, when the account comes of age.
    adult_at: datetime | None = None

    def timer_live(self, event: str, due: datetime | None) -> bool:
        if event == "birthday":
            return due is not None and self.adult_at == due and self.node == "stuck"
        return MachineRecord.timer_live(self, event, due)

    @property
    def is_live(self) -> bool:
        """In progress, stuck or bound: it holds the account and a slot."""
        return self.state in ("binding", "stuck", "bound")


@dataclass(frozen=True, slots=True)
class TicketRecord(MachineRecord[compiled.SupportTicketState]):
    """A support ticket about one account, opened by a shop (R-TICKET, A-TICKET-TIME)."""

    MACHINE = compiled.SUPPORT_TICKET
    COLLECTION = "tickets"
    DEADLINES = {"resolve": "due_at"}
    ID_PREFIX, COUNTER = "ticket", "ticket_count"
    id: str
    shop: str
    creator: str
    opened_at: datetime
    # What support found: when the ticket was opened, then when it was answered (facts change).
    causes: tuple[Reason, ...]
    unfixable: tuple[Reason, ...]
    node: str
    due_at: datetime | None = None  # A-TICKET-TIME: set when the answer's timer is armed
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ScreenRecord(MachineRecord[S]):
    """One user interface and where it is: a phone's app or a shop's Seller Center."""

    MACHINE: ClassVar[MachineSpec]  # a screen machine's
    COLLECTION = "screens"
    id: str  # "app:alice" or "center:gb"
    owner: str
    node: str
    # Seller Center: whose unlink request is open, and the reasons the last refusal listed.
    viewing: str | None = None
    refusal: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class AppScreen(ScreenRecord[compiled.CreatorAppState]):
    """The creator's TikTok app (R-UNLINK-PATH)."""

    MACHINE = compiled.CREATOR_APP


@dataclass(frozen=True, slots=True)
class CenterScreen(ScreenRecord[compiled.SellerCenterState]):
    """The shop's Seller Center (R-SELLER-NAV, R-UNLINK-APPROVE)."""

    MACHINE = compiled.SELLER_CENTER


class Timer(NamedTuple):
    """A timed event due for a record: a plain tuple, ordered by (due, seq) in the heap."""

    due: datetime
    seq: int
    collection: str  # where the record lives: "invitations", "bindings", "tickets"
    target: str
    event: str


@dataclass(slots=True)
class State:
    """Everything a World knows, as data. The dictionaries map ids to immutable records;
    `latest_*` index the newest invitation and binding of each (shop, creator) pair."""

    last_seen: datetime
    shops: dict[str, Shop] = field(default_factory=dict)
    creators: dict[str, Creator] = field(default_factory=dict)
    invitations: dict[str, InvitationRecord] = field(default_factory=dict)
    bindings: dict[str, BindingRecord] = field(default_factory=dict)
    tickets: dict[str, TicketRecord] = field(default_factory=dict)
    screens: dict[str, ScreenRecord] = field(default_factory=dict)
    latest_invitation: dict[tuple[str, str], str] = field(default_factory=dict)
    latest_binding: dict[tuple[str, str], str] = field(default_factory=dict)
    timers: list[Timer] = field(default_factory=list)  # a heap
    invitation_count: int = 0
    binding_count: int = 0
    ticket_count: int = 0
    timer_count: int = 0

    def copy(self) -> State:
        """An independent State: the same immutable records in new dictionaries."""
        return State(
            self.last_seen,
            dict(self.shops),
            dict(self.creators),
            dict(self.invitations),
            dict(self.bindings),
            dict(self.tickets),
            dict(self.screens),
            dict(self.latest_invitation),
            dict(self.latest_binding),
            list(self.timers),
            self.invitation_count,
            self.binding_count,
            self.ticket_count,
            self.timer_count,
        )

    def live_binding(self, creator: Creator) -> BindingRecord | None:
        return self.bindings[creator.binding] if creator.binding is not None else None

    def pending_invitation(self, shop_id: str, creator_id: str) -> InvitationRecord:
        """The shop's pending invitation to the account (the caller knows there is one)."""
        return self.invitations[self.latest_invitation[shop_id, creator_id]]

    def live_bindings(self, shop: Shop) -> list[BindingRecord]:
        return [self.bindings[self.latest_binding[shop.id, c]] for c in shop.live]


T = TypeVar("T")


def evolve(record: T, **changes: Any) -> T:
    """A copy of an immutable record with some fields changed: dataclasses.replace without its
    __init__ (the fields were checked when the record was made), about 3× faster. The World makes
    a few copies per step, and `bindsim explore` a few per state it tries."""
    cls = type(record)
    setters = _slots(cls)  # type: ignore[arg-type]
    unknown = changes.keys() - setters.keys()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    new = object.__new__(cls)
    for name, slot in setters.items():
        slot.__set__(new, changes[name] if name in changes else slot.__get__(record))
    return new


@cache
def _slots(cls: type) -> dict[str, Any]:
    """The slot descriptors of a record class's fields, by name (found on the class or a base)."""
    return {f.name: getattr(cls, f.name) for f in fields(cls)}  # type: ignore[arg-type]


def _reduce(record: Any) -> tuple[Any, ...]:
    """Pickle a record (or a State) as its class and field values: `bindsim explore --jobs`
    sends states between processes, and the dataclasses' own way (a list of fields looked up
    per record, set back one by one) made a state cost 70 µs to pickle and as much to
    unpickle (now about 30 and 27)."""
    cls: Any = type(record)
    return _rebuilt, (cls, _values(cls)(record))


def _rebuilt(cls: Any, values: tuple[Any, ...]) -> Any:
    new: Any = object.__new__(cls)
    for slot, value in zip(_slots(cls).values(), values, strict=True):
        slot.__set__(new, value)
    return new


@cache
def _values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A record's field values, as a tuple, in field order."""
    names = tuple(_slots(cls))
    getter = attrgetter(*names)
    return getter if len(names) > 1 else lambda record: (getter(record),)


_PICKLED: tuple[Any, ...] = (
    Shop,
    Creator,
    InvitationRecord,
    BindingRecord,
    TicketRecord,
    AppScreen,
    CenterScreen,
    State,
)
for _record_class in _PICKLED:
    _record_class.__reduce__ = _reduce
