"""Save a World to plain JSON data and load it back identical, to branch from it.

The dump is generic: every record is written field by field from its dataclass, and read back by
the field's type. Loading checks the content, not just the shape, against what the World itself
keeps true: the facts' values, the machines' states, the invariants (simulator/invariants.py) and
the timers each state must have. A snapshot that breaks any of them is refused, saying which
record and why. Snapshots of format 1 (before records were plain data) are upgraded on load.
"""

from __future__ import annotations

import heapq
import json
import types
import typing
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from bindsim.errors import (
    BindSimError,
    CannotRead,
    InvalidSetting,
    InvalidSnapshot,
    InvariantBroken,
)
from bindsim.machines import Reason, Ruleset
from bindsim.simulator import checks, facts, invariants, queries
from bindsim.simulator.clock import ManualClock, SystemClock, as_instant, read_clock
from bindsim.simulator.engine import ENGINES, table_of
from bindsim.simulator.files import read_capped, write_atomic
from bindsim.simulator.ids import id_problem
from bindsim.simulator.log import LogEntry
from bindsim.simulator.state import (
    AWAITING,
    AppScreen,
    BindingRecord,
    CenterScreen,
    Creator,
    InvitationRecord,
    MachineRecord,
    ScreenRecord,
    Shop,
    State,
    TicketRecord,
    Timer,
    evolve,
)

FORMAT = "bindsim-world/2"
FORMAT_1 = "bindsim-world/1"

# The record kinds of a State, in the order they are loaded (a record's references come first).
RECORDS: dict[str, type[Any]] = {
    "shops": Shop,
    "creators": Creator,
    "invitations": InvitationRecord,
    "bindings": BindingRecord,
    "tickets": TicketRecord,
}
SCREENS: dict[str, type[ScreenRecord]] = {"CreatorApp": AppScreen, "SellerCenter": CenterScreen}
COUNTS = ("invitation_count", "binding_count", "ticket_count", "timer_count")
SECTIONS = ("clock", "engine", "ruleset", "last_seen", "counts", *RECORDS, "screens", "timers")


class Saveable(Protocol):
    """What a snapshot holds of a World (this module sits below the World and never imports it)."""

    state: State
    clock: Any
    rules: Ruleset
    engine: Any  # an Engine: its `name`
    log: list[LogEntry]
    log_limit: int | None

    @property
    def logged(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Loaded:
    """A snapshot read and checked: everything World.from_state needs."""

    state: State
    clock: ManualClock | SystemClock
    rules: Ruleset
    engine: str
    log: list[LogEntry]
    logged: int
    log_limit: int | None


# --------------------------------------------------------------------------- dump


def dump(world: Saveable) -> dict[str, Any]:
    """The whole World as JSON-ready data: clock, rules, records, timers and log."""
    state = world.state
    clock = world.clock
    return {
        "format": FORMAT,
        "clock": {"kind": "manual", "now": _time(clock.now())}
        if isinstance(clock, ManualClock)
        else {"kind": "system"},
        "engine": world.engine.name,
        "ruleset": world.rules.to_dict(),
        "last_seen": _time(state.last_seen),
        "counts": {name: getattr(state, name) for name in COUNTS},
        **{name: [_plain(r) for r in getattr(state, name).values()] for name in RECORDS},
        "screens": [{"machine": r.MACHINE.name, **_plain(r)} for r in state.screens.values()],
        "timers": [  # the live ones: a timer whose record moved on would never fire
            [_time(t.due), t.seq, t.collection, t.target, t.event]
            for t in queries.pending_timers(state)
        ],
        "log_limit": world.log_limit,
        "logged": world.logged,
        "log": [entry.to_dict() for entry in world.log],
    }


def _plain(record: Any) -> dict[str, Any]:
    return {f.name: _to_json(getattr(record, f.name)) for f in fields(record)}


def _to_json(value: Any) -> Any:
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


def _time(value: datetime) -> str:
    return value.isoformat()


# --------------------------------------------------------------------------- load


def load(data: Any) -> Loaded:
    """dump()'s data (format 2, or format 1 upgraded), read and checked. InvalidSnapshot says
    which section, record and field is wrong and why; nothing half-loaded is ever returned."""
    if isinstance(data, dict) and data.get("format") == FORMAT_1:
        data = _upgrade_1(data)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise InvalidSnapshot(
            f"not a bindsim world snapshot: expected format {FORMAT!r} (or {FORMAT_1!r}), "
            f"found {found!r}"
        )
    missing = [key for key in SECTIONS if key not in data]
    if missing:
        raise InvalidSnapshot(f"a snapshot needs {', '.join(map(repr, missing))}")
    reader = _Reader()
    clock = reader.section("clock", _clock, data["clock"])
    engine = reader.section("engine", _engine, data["engine"])
    rules = reader.section("ruleset", _ruleset, data["ruleset"])
    last_seen = reader.section("last_seen", _instant, data["last_seen"])
    now = reader.section("clock", read_clock, clock)
    if now < last_seen:
        raise InvalidSnapshot(
            f"last_seen: {last_seen.isoformat()} is after the clock ({now.isoformat()}); "
            "a World cannot have seen a time its clock has not reached"
        )
    state = State(last_seen=last_seen)
    reader.section("counts", _counts, data["counts"], state)
    for name, cls in RECORDS.items():
        reader.records(name, data[name], state, lambda item, cls=cls: _record(cls, item))
    reader.records("screens", data["screens"], state, _screen)
    _check_references(state)
    _check_born(state, rules)
    _rebuild_indexes(state)
    reader.section("timers", _timers, data["timers"], state)
    _arm_birthdays(state, rules)
    try:
        invariants.check_all(state, rules, last_seen)
    except InvariantBroken as broken:
        raise InvalidSnapshot(f"the records break a rule: {broken}") from None
    except KeyError as missing:  # an index names a record of the wrong pair
        raise InvalidSnapshot(f"the records do not agree: nothing for {missing}") from None
    log = reader.section("log", _log, data.get("log", []))
    logged = reader.section("logged", _logged, data.get("logged", len(log)), log)
    log_limit = reader.section("log_limit", _log_limit, data.get("log_limit"))
    return Loaded(state, clock, rules, engine, log, logged, log_limit)


class _Reader:
    """Reads sections and records, turning any failure into InvalidSnapshot saying where."""

    def section(self, where: str, read: Any, *args: Any) -> Any:
        try:
            return read(*args)
        except InvalidSnapshot:
            raise
        except (BindSimError, KeyError, TypeError, ValueError, AttributeError) as error:
            raise InvalidSnapshot(f"{where}: {_why(error)}") from None

    def records(self, name: str, items: Any, state: State, read: Any) -> None:
        if not isinstance(items, list):
            raise InvalidSnapshot(f"{name}: expected a list of records, got {_kind(items)}")
        table = state.screens if name == "screens" else getattr(state, name)
        for index, item in enumerate(items):
            where = f"{name}[{index}]" + (
                f" ({item['id']!r})" if isinstance(item, dict) and "id" in item else ""
            )
            record = self.section(where, read, item)
            if record.id in table:
                raise InvalidSnapshot(f"{where}: the id {record.id!r} appears twice")
            table[record.id] = record


def _why(error: BaseException) -> str:
    if isinstance(error, KeyError):
        return f"missing {error.args[0]!r}"
    return str(error)


def _kind(value: Any) -> str:
    return type(value).__name__


def _clock(data: Any) -> ManualClock | SystemClock:
    if not isinstance(data, dict) or data.get("kind") not in ("manual", "system"):
        raise ValueError(f"expected {{kind: manual, now: ...}} or {{kind: system}}, got {data!r}")
    return ManualClock(data["now"]) if data["kind"] == "manual" else SystemClock()


def _engine(name: Any) -> str:
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; engines: {', '.join(ENGINES)}")
    return str(name)


def _ruleset(data: Any) -> Ruleset:
    try:
        return Ruleset.from_dict(data)
    except InvalidSetting as error:
        raise ValueError(str(error)) from None


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 time, got {value!r}")
    return as_instant(value)


def _counts(data: Any, state: State) -> None:
    if not isinstance(data, dict) or set(data) != set(COUNTS):
        raise ValueError(f"expected {', '.join(COUNTS)}, got {data!r}")
    for name in COUNTS:
        setattr(state, name, _whole(data[name]))


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number ≥ 0, got {value!r}")
    return value


def _fields_of(cls: type[Any]) -> tuple[tuple[str, Any, bool], ...]:
    """Each field of a record class: its name, its declared type, and whether it has a default.
    Read once per class: `typing.get_type_hints` costs more than reading a whole record."""
    # Keyed on today's `datetime` too: under freezegun the name is FakeDatetime, and the hints
    # must name the same class that _from_json compares with.
    return _hints_of(cls, datetime)  # type: ignore[arg-type]  # classes hash


@cache
def _hints_of(cls: type[Any], _datetime: type) -> tuple[tuple[str, Any, bool], ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, hints[f.name], f.default is not MISSING or f.default_factory is not MISSING)
        for f in fields(cls)
    )


def _record(cls: type[Any], item: Any) -> Any:
    """A record of `cls` from its dumped fields, each read by its declared type and checked."""
    if not isinstance(item, dict):
        raise ValueError(f"expected a mapping of fields, got {_kind(item)}")
    plan = _fields_of(cls)
    unknown = sorted(set(item).difference(name for name, _, _ in plan))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(map(repr, unknown))}")
    values = {}
    for name, kind, optional in plan:
        if name not in item:
            if optional:
                continue
            raise KeyError(name)
        try:
            values[name] = _from_json(kind, item[name])
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    record = cls(**values)
    _check_content(record)
    return record


def _from_json(kind: Any, value: Any) -> Any:
    """`value` read as a field of type `kind` (the types records use), strictly."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):  # X | None
        if value is None and type(None) in args:
            return None
        return _from_json(next(a for a in args if a is not type(None)), value)
    if origin is typing.Literal:  # a role, kind or status: text here, its value checked with
        return _from_json(str, value)  # the other facts (_check_content), in the same words
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {value!r}")
        return tuple(_from_json(args[0], v) for v in value)
    if kind is datetime:
        return _instant(value)
    if kind is date:
        if not isinstance(value, str):
            raise ValueError(f"expected a date like 2006-11-11, got {value!r}")
        return date.fromisoformat(value)
    if kind is Reason:
        if value not in Reason.__members__:
            raise ValueError(f"unknown reason code {value!r}")
        return Reason(value)
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind is int:
        return _whole(value)
    if kind is str:
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value
    raise TypeError(f"no reader for {kind!r}")  # a record field of a new type: add it here


def _check_content(record: Any) -> None:
    """The values the World itself would accept: ids, facts, roles, machine states."""
    for name in ("id", "shop", "creator", "owner"):
        value = getattr(record, name, None)
        problem = id_problem(value) if isinstance(value, str) and name != "id" else None
        if problem:
            raise ValueError(f"{name}: {problem}")
    if isinstance(record, Shop):
        for name, check in facts.SHOP_FACTS.items():
            _fact(facts.problem_of(check, name, getattr(record, name)))
    elif isinstance(record, Creator):
        if (record.age is None) == (record.birthdate is None):
            raise ValueError("an account has an age or a birthdate, exactly one of them (A-AGE)")
        for name, value in record.facts().items():
            if value is not None:
                _fact(facts.problem_of(facts.CREATOR_FACTS[name], name, value))
    if isinstance(record, (Shop, Creator)):
        _fact(id_problem(record.id))
    role = getattr(record, "role", None)
    if role is not None and role not in facts.ROLES:
        raise ValueError(f"role must be one of {', '.join(facts.ROLES)}, got {role!r}")
    if isinstance(record, MachineRecord):
        table = table_of(record.MACHINE)
        if record.node not in table.path:
            raise ValueError(
                f"{table.name} has no atomic state {record.node!r}; states: {', '.join(table.path)}"
            )


def _fact(problem: str | None) -> None:
    if problem is not None:
        raise ValueError(problem)


def _screen(item: Any) -> ScreenRecord:
    if not isinstance(item, dict) or item.get("machine") not in SCREENS:
        raise ValueError(f"a screen needs machine: {' or '.join(SCREENS)}")
    record = _record(SCREENS[item["machine"]], {k: v for k, v in item.items() if k != "machine"})
    assert isinstance(record, ScreenRecord)
    return record


def _check_references(state: State) -> None:
    """Every id a record names exists, and every record's id is one its counter has given."""
    for name in ("invitations", "bindings", "tickets"):
        for record in getattr(state, name).values():
            number = _number(record.id)
            if record.id != f"{record.ID_PREFIX}-{number}" or not (
                1 <= number <= getattr(state, record.COUNTER)
            ):
                raise InvalidSnapshot(
                    f"{name} ({record.id!r}): ids here are {record.ID_PREFIX}-1 up to "
                    f"{record.ID_PREFIX}-{getattr(state, record.COUNTER)} (counts.{record.COUNTER})"
                )
            if record.shop not in state.shops or record.creator not in state.creators:
                raise InvalidSnapshot(
                    f"{name} ({record.id!r}): names shop {record.shop!r} and creator "
                    f"{record.creator!r}, which the snapshot does not both have"
                )
    for creator in state.creators.values():
        if creator.binding is not None and creator.binding not in state.bindings:
            raise InvalidSnapshot(f"creators ({creator.id!r}): no binding {creator.binding!r}")
    for shop in state.shops.values():
        for creator_id in (*shop.pending, *shop.live):
            if creator_id not in state.creators:
                raise InvalidSnapshot(f"shops ({shop.id!r}): no creator {creator_id!r}")
    for record in state.screens.values():
        owners = state.creators if isinstance(record, AppScreen) else state.shops
        prefix = "app" if isinstance(record, AppScreen) else "center"
        if record.owner not in owners or record.id != f"{prefix}:{record.owner}":
            raise InvalidSnapshot(f"screens ({record.id!r}): no such owner {record.owner!r}")


def _check_born(state: State, rules: Ruleset) -> None:
    """A-AGE: no account born after the World's time."""
    for creator in state.creators.values():
        if creator.birthdate is not None:
            problem = checks.unborn_problem(creator.birthdate, state.last_seen, rules)
            if problem is not None:
                raise InvalidSnapshot(f"creators ({creator.id!r}): {problem}")


def _arm_birthdays(state: State, rules: Ruleset) -> None:
    """A snapshot saved before the 18th birthday was a timer (issue 24) has stuck bindings held
    by UNDER_18 with no birthday armed: arm it, as the World would have (A-AGE)."""
    for binding in list(state.bindings.values()):
        if binding.state != "stuck" or binding.adult_at is not None:
            continue
        if Reason.UNDER_18 not in binding.reasons:
            continue
        adult_at = checks.adult_from(state.creators[binding.creator], rules)
        if adult_at is None or adult_at <= state.last_seen:
            continue  # a fixed age never grows; a past birthday is seen at the next look
        state.timer_count += 1
        state.bindings[binding.id] = evolve(binding, adult_at=adult_at)
        heapq.heappush(
            state.timers, Timer(adult_at, state.timer_count, "bindings", binding.id, "birthday")
        )


def _rebuild_indexes(state: State) -> None:
    """The latest invitation and binding of each pair: the highest id number wins."""
    pairs: tuple[tuple[dict[str, Any], dict[tuple[str, str], str]], ...] = (
        (state.invitations, state.latest_invitation),
        (state.bindings, state.latest_binding),
    )
    for records, index in pairs:
        for record in sorted(records.values(), key=lambda r: _number(r.id)):
            index[record.shop, record.creator] = record.id


def _number(record_id: str) -> int:
    tail = record_id.rpartition("-")[2]
    return int(tail) if tail.isascii() and tail.isdigit() and len(tail) < 19 else 0


def _timers(items: Any, state: State) -> None:
    """The pending timers: each must belong to a record still in the state its event leaves,
    due after last_seen at the record's own deadline; each such state must have its timer."""
    if not isinstance(items, list):
        raise ValueError(f"expected a list of timers, got {_kind(items)}")
    armed: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        where = f"[{index}]"
        if not isinstance(item, list) or len(item) != 5:
            raise ValueError(f"{where}: expected [due, seq, collection, target, event]")
        due, seq, collection, target, event = item
        if collection not in ("invitations", "bindings", "tickets"):
            raise ValueError(f"{where}: unknown collection {collection!r}")
        record = getattr(state, collection).get(target)
        if record is None:
            raise ValueError(f"{where}: no record {target!r} in {collection}")
        if event not in record.DEADLINES:
            name = table_of(record.MACHINE).name
            raise ValueError(f"{where}: {name} has no timed event {event!r}")
        timer = Timer(_instant(due), _whole(seq), collection, target, event)
        deadline = getattr(record, record.DEADLINES[event])
        if not record.timer_live(event, deadline):
            continue  # its record moved on before it came due: it would never fire
        if timer.due <= state.last_seen:
            raise ValueError(f"{where}: {event} of {target} was due before last_seen, unfired")
        if deadline != timer.due:
            raise ValueError(f"{where}: due {due}, but {target} says otherwise")
        if timer.seq > state.timer_count:
            raise ValueError(f"{where}: seq {seq} is beyond counts.timer_count")
        armed.add((target, event))
        state.timers.append(timer)
    state.timers.sort()
    for name in ("invitations", "bindings", "tickets"):
        for record in getattr(state, name).values():
            for event, deadline in record.DEADLINES.items():
                live = record.timer_live(event, getattr(record, deadline))
                if live and (record.id, event) not in armed:
                    raise ValueError(
                        f"{record.id} is {record.state} but has no {event} timer: "
                        "it would never move on"
                    )


def _log(items: Any) -> list[LogEntry]:
    if not isinstance(items, list):
        raise ValueError(f"expected a list of entries, got {_kind(items)}")
    entries = []
    for index, item in enumerate(items):
        try:
            entries.append(LogEntry.from_dict(item))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"[{index}]: {_why(error)}") from None
    return entries


def _logged(value: Any, log: list[LogEntry]) -> int:
    logged = _whole(value)
    if logged < len(log):
        raise ValueError(f"{logged} entries logged, but the log keeps {len(log)}")
    return logged


def _log_limit(value: Any) -> int | None:
    if value is None:
        return None
    if _whole(value) < 1:
        raise ValueError(f"expected a whole number ≥ 1 or null, got {value!r}")
    return int(value)


# ------------------------------------------------------------------- format 1


def _upgrade_1(data: dict[str, Any]) -> dict[str, Any]:
    """A format-1 snapshot (machine states as lists, indexes implicit) as format 2."""
    try:
        return _upgraded(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise InvalidSnapshot(
            f"a format-1 snapshot that cannot be upgraded: {_why(error)}"
        ) from None


def _upgraded(data: dict[str, Any]) -> dict[str, Any]:
    def node(machine: Any, states: Any) -> str:
        """The atomic state of a format-1 configuration: a child needs its parent listed."""
        table = table_of(machine)
        if not isinstance(states, list):
            raise ValueError(f"states must be a list, got {states!r}")
        leaves = [s for s in states if s in table.path]
        if len(leaves) != 1 or set(table.path[leaves[0]]) != set(states):
            raise ValueError(f"{table.name} states {states!r} are not one state with its parents")
        return leaves[0]

    converted: dict[str, list[dict[str, Any]]] = {}
    for name, record in (
        ("invitations", InvitationRecord),
        ("bindings", BindingRecord),
        ("tickets", TicketRecord),
    ):
        items = [
            {
                **{k: v for k, v in item.items() if k != "states"},
                "node": node(record.MACHINE, item["states"]),
            }
            for item in data[name]
        ]
        converted[name] = sorted(items, key=lambda r: _number(r["id"]))

    def outer(record: type[MachineRecord], item: dict[str, Any]) -> str:
        return table_of(record.MACHINE).outer[item["node"]]

    live = {
        b["creator"]: b
        for b in converted["bindings"]
        if outer(BindingRecord, b) in ("binding", "stuck", "bound")
    }
    pending = [i for i in converted["invitations"] if outer(InvitationRecord, i) in AWAITING]
    shops = []
    for shop in data["shops"]:
        shop = dict(shop)
        shop["pending"] = [i["creator"] for i in pending if i["shop"] == shop["id"]]
        shop["live"] = [b["creator"] for b in live.values() if b["shop"] == shop["id"]]
        shops.append(shop)
    creators = []
    for creator in data["creators"]:
        creator = dict(creator)
        creator["binding"] = live[creator["id"]]["id"] if creator["id"] in live else None
        creator.setdefault("home_region", creator.get("country"))  # no such fact in format 1
        creators.append(creator)
    screens = []
    for screen in data["screens"]:
        app = screen["creator"] is not None
        machine = AppScreen if app else CenterScreen
        screens.append(
            {
                "machine": machine.MACHINE.name,
                "id": screen["id"],
                "owner": screen["creator"] if app else screen["shop"],
                "node": node(machine.MACHINE, screen["states"]),
                "viewing": screen["viewing"],
                "refusal": screen["refusal"],
            }
        )
    prefixes = {"inv": "invitations", "bind": "bindings", "ticket": "tickets"}
    timers = [
        [t["due"], t["seq"], prefixes[t["target"].split("-")[0]], t["target"], t["event"]]
        for t in data["timers"]["pending"]
    ]
    counters = data["counters"]
    return {
        "format": FORMAT,
        "clock": data["clock"],
        "engine": "table",
        "ruleset": data["ruleset"],
        "last_seen": data["last_seen"],
        "counts": {
            "invitation_count": counters["inv"],
            "binding_count": counters["bind"],
            "ticket_count": counters["ticket"],
            "timer_count": data["timers"]["seq"],
        },
        "shops": shops,
        "creators": creators,
        **converted,
        "screens": screens,
        "timers": timers,
        "log": data["log"],
    }


# ---------------------------------------------------------------------- files


def save(world: Saveable, path: str | Path) -> Path:
    """Write the World to a JSON file, whole or not at all (a failure keeps the old file)."""
    return write_atomic(path, json.dumps(dump(world), ensure_ascii=False, indent=1))


def load_file(path: str | Path) -> Loaded:
    """A snapshot file save() wrote; InvalidSnapshot names the file if it cannot be read."""
    try:
        text = read_capped(path).decode("utf-8")
    except CannotRead as error:
        raise InvalidSnapshot(f"cannot read the snapshot {str(path)!r}: {error.why}") from None
    except UnicodeDecodeError as error:
        raise InvalidSnapshot(f"cannot read the snapshot {str(path)!r}: {error}") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise InvalidSnapshot(f"{path}: not a bindsim snapshot, not even JSON: {error}") from None
    try:
        return load(data)
    except InvalidSnapshot as error:
        raise InvalidSnapshot(f"{path}: {error}") from None
