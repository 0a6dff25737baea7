"""Save a World to plain JSON data and load it back to an identical World, to branch from it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bindsim.machines import (
    Binding,
    CreatorApp,
    Invitation,
    Reason,
    Ruleset,
    SellerCenter,
    SupportTicket,
)
from bindsim.simulator.clock import ManualClock, SystemClock
from bindsim.simulator.entities import (
    BindingRecord,
    Creator,
    InvitationRecord,
    ScreenRecord,
    Shop,
    TicketRecord,
)
from bindsim.simulator.errors import InvalidArgument
from bindsim.simulator.log import LogEntry
from bindsim.simulator.timers import Timer

FORMAT = "bindsim-world/1"


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _states(record: Any) -> list[str]:
    # Outer state first, so that restoring a compound configuration enters the parent first.
    return sorted(record.machine.active_ids, key=lambda s: s != record.machine.outer_state)


def dump(world: Any) -> dict[str, Any]:
    """The whole World as JSON-ready data: clock, rules, facts, machines, timers and log."""
    clock = world.clock
    return {
        "format": FORMAT,
        "clock": {"kind": "manual", "now": _time(clock.now())}
        if isinstance(clock, ManualClock)
        else {"kind": "system"},
        "last_seen": _time(world._last_seen),
        "ruleset": world.rules.to_dict(),
        "counters": dict(world._counters),
        "shops": [
            {
                "id": s.id,
                "region": s.region,
                "kind": s.kind,
                "status": s.status,
                "official_unbinds": s.official_unbinds,
                "channel_binds": [_time(t) for t in s.channel_binds],
            }
            for s in world.shops.values()
        ],
        "creators": [{"id": c.id, **c.facts()} for c in world.creators.values()],
        "invitations": [
            {
                "id": i.id,
                "shop": i.shop,
                "creator": i.creator,
                "role": i.role,
                "sent_at": _time(i.sent_at),
                "expires_at": _time(i.expires_at),
                "ended_at": _time(i.ended_at),
                "reasons": [r.value for r in i.reasons],
                "states": _states(i),
            }
            for i in world.invitations.values()
        ],
        "bindings": [
            {
                "id": b.id,
                "shop": b.shop,
                "creator": b.creator,
                "role": b.role,
                "created_at": _time(b.created_at),
                "bound_at": _time(b.bound_at),
                "unbind_allowed_at": _time(b.unbind_allowed_at),
                "unlink_requested_at": _time(b.unlink_requested_at),
                "ended_at": _time(b.ended_at),
                "reasons": [r.value for r in b.reasons],
                "states": _states(b),
            }
            for b in world.bindings.values()
        ],
        "tickets": [
            {
                "id": t.id,
                "shop": t.shop,
                "creator": t.creator,
                "opened_at": _time(t.opened_at),
                "due_at": _time(t.due_at),
                "ended_at": _time(t.ended_at),
                "causes": [r.value for r in t.causes],
                "unfixable": [r.value for r in t.unfixable],
                "states": _states(t),
            }
            for t in world.tickets.values()
        ],
        "screens": [
            {
                "id": r.id,
                "shop": r.shop,
                "creator": r.creator,
                "states": _states(r),
                "viewing": r.viewing,
                "refusal": [x.value for x in r.refusal],
            }
            for r in world.screens.values()
        ],
        "timers": {
            "seq": world.timers.seq,
            "pending": [
                {"due": _time(t.due), "seq": t.seq, "target": t.target, "event": t.event}
                for t in world.timers.pending()
            ],
        },
        "log": [e.to_dict() for e in world.log],
    }


# The top-level fields of a snapshot, each required.
SECTIONS = (
    "clock",
    "last_seen",
    "ruleset",
    "counters",
    "shops",
    "creators",
    "invitations",
    "bindings",
    "tickets",
    "screens",
    "timers",
    "log",
)


class _Broken(Exception):
    """A field of a snapshot that cannot be read back; load() says where."""


def load(data: dict[str, Any]) -> Any:
    """A World from dump()'s data, with every index rebuilt from the records.

    Raises InvalidArgument, saying which field is missing or wrong, for anything else.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidArgument(f"not a bindsim world snapshot (expected format {FORMAT!r})")
    missing = [key for key in SECTIONS if key not in data]
    if missing:
        raise InvalidArgument(
            f"not a valid bindsim snapshot: missing {', '.join(repr(k) for k in missing)}"
        )
    from bindsim.simulator.world import World

    where = "clock"
    try:
        clock = _clock(data["clock"])
        where = "ruleset"
        world = World(clock=clock, ruleset=Ruleset.from_dict(data["ruleset"]))
        where = "last_seen"
        world._last_seen = _instant(data["last_seen"])
        where = "counters"
        world._counters = dict(data["counters"])
        for section, restore in _RECORDS:
            where = section
            items = data[section]
            if not isinstance(items, list):
                raise _Broken(f"expected a list, got {_kind(items)}")
            for index, item in enumerate(items):
                where = f"{section}[{index}]"
                if not isinstance(item, dict):
                    raise _Broken(f"expected a mapping, got {_kind(item)}")
                restore(world, item)
        where = "timers"
        timers = data["timers"]
        world.timers.restore([_timer(world, t) for t in timers["pending"]], timers["seq"])
        where = "log"
        world.log = [LogEntry.from_dict(e) for e in data["log"]]
    except _Broken as broken:
        raise InvalidArgument(f"not a valid bindsim snapshot: {where}: {broken}") from None
    except KeyError as error:
        raise InvalidArgument(
            f"not a valid bindsim snapshot: {where}: missing {error.args[0]!r}"
        ) from None
    except (TypeError, ValueError, AttributeError, IndexError) as error:
        raise InvalidArgument(f"not a valid bindsim snapshot: {where}: {error}") from None
    return world


def _kind(value: Any) -> str:
    return type(value).__name__


def _instant(value: Any) -> datetime:
    """An aware time as dump() writes it (later than the clock is fine: a deadline may be)."""
    if not isinstance(value, str):
        raise _Broken(f"expected an ISO 8601 time, got {value!r}")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise _Broken(f"the time {value!r} has no time zone")
    return parsed


def _parse(value: Any) -> datetime | None:
    return _instant(value) if value is not None else None


def _machine(cls: Any, states: Any) -> Any:
    if not isinstance(states, list) or not states or not all(isinstance(s, str) for s in states):
        raise _Broken(f"'states' must be a non-empty list of state ids, got {states!r}")
    unknown = [state for state in states if state not in cls.states_map]
    if unknown:
        raise _Broken(f"{cls.__name__} has no state {', '.join(map(repr, unknown))}")
    return cls.restore(states)


def _known(table: dict[str, Any], key: Any, kind: str) -> Any:
    if not isinstance(key, str) or key not in table:
        raise _Broken(f"unknown {kind} {key!r}")
    return table[key]


def _clock(data: Any) -> ManualClock | SystemClock:
    if not isinstance(data, dict) or data.get("kind") not in ("manual", "system"):
        raise _Broken(f"expected {{kind: manual, now: ...}} or {{kind: system}}, got {data!r}")
    return ManualClock(data["now"]) if data["kind"] == "manual" else SystemClock()


def _timer(world: Any, t: dict[str, Any]) -> Timer:
    target = t["target"]
    if not any(target in table for table in (world.invitations, world.bindings, world.tickets)):
        raise _Broken(f"a timer for {target!r}, which is no invitation, binding or ticket")
    return Timer(_instant(t["due"]), t["seq"], target, t["event"])


def _shop(world: Any, s: dict[str, Any]) -> None:
    shop = Shop(s["id"], s["region"], s["kind"], s["status"], s["official_unbinds"])
    shop.channel_binds = [_instant(t) for t in s["channel_binds"]]
    world.shops[shop.id] = shop


def _creator(world: Any, c: dict[str, Any]) -> None:
    world.creators[c["id"]] = Creator(**c)


def _invitation(world: Any, i: dict[str, Any]) -> None:
    shop = _known(world.shops, i["shop"], "shop")
    _known(world.creators, i["creator"], "creator")
    invitation = InvitationRecord(
        id=i["id"],
        shop=i["shop"],
        creator=i["creator"],
        role=i["role"],
        sent_at=_instant(i["sent_at"]),
        expires_at=_instant(i["expires_at"]),
        machine=_machine(Invitation, i["states"]),
        ended_at=_parse(i["ended_at"]),
        reasons=tuple(Reason(r) for r in i["reasons"]),
    )
    world.invitations[invitation.id] = invitation
    world._last_invitation[invitation.shop, invitation.creator] = invitation
    if invitation.state == "pending":
        shop.pending[invitation.creator] = invitation


def _binding(world: Any, b: dict[str, Any]) -> None:
    shop = _known(world.shops, b["shop"], "shop")
    creator = _known(world.creators, b["creator"], "creator")
    binding = BindingRecord(
        id=b["id"],
        shop=b["shop"],
        creator=b["creator"],
        role=b["role"],
        created_at=_instant(b["created_at"]),
        machine=_machine(Binding, b["states"]),
        bound_at=_parse(b["bound_at"]),
        unbind_allowed_at=_parse(b["unbind_allowed_at"]),
        unlink_requested_at=_parse(b["unlink_requested_at"]),
        ended_at=_parse(b["ended_at"]),
        reasons=tuple(Reason(r) for r in b["reasons"]),
    )
    world.bindings[binding.id] = binding
    world._last_binding[binding.shop, binding.creator] = binding
    if binding.is_live:
        shop.active[binding.creator] = binding
        creator.active = binding


def _ticket(world: Any, t: dict[str, Any]) -> None:
    _known(world.shops, t["shop"], "shop")
    _known(world.creators, t["creator"], "creator")
    ticket = TicketRecord(
        id=t["id"],
        shop=t["shop"],
        creator=t["creator"],
        opened_at=_instant(t["opened_at"]),
        due_at=_instant(t["due_at"]),
        causes=tuple(Reason(r) for r in t["causes"]),
        unfixable=tuple(Reason(r) for r in t["unfixable"]),
        machine=_machine(SupportTicket, t["states"]),
        ended_at=_parse(t["ended_at"]),
    )
    world.tickets[ticket.id] = ticket


def _screen(world: Any, r: dict[str, Any]) -> None:
    machine = CreatorApp if r["creator"] is not None else SellerCenter
    world.screens[r["id"]] = ScreenRecord(
        id=r["id"],
        shop=r["shop"],
        creator=r["creator"],
        machine=_machine(machine, r["states"]),
        viewing=r["viewing"],
        refusal=tuple(Reason(x) for x in r["refusal"]),
    )


_RECORDS = (
    ("shops", _shop),
    ("creators", _creator),
    ("invitations", _invitation),
    ("bindings", _binding),
    ("tickets", _ticket),
    ("screens", _screen),
)


def save(world: Any, path: str | Path) -> None:
    Path(path).write_text(json.dumps(dump(world), ensure_ascii=False, indent=1), encoding="utf-8")


def load_file(path: str | Path) -> Any:
    """A World from a file save() wrote; InvalidArgument names the file if it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidArgument(f"cannot read the snapshot {str(path)!r}: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidArgument(f"{path}: not a bindsim snapshot, not even JSON: {error}") from None
    try:
        return load(data)
    except InvalidArgument as error:
        raise InvalidArgument(f"{path}: {error}") from None
