"""Save a World to plain JSON data and load it back to an identical World, to branch from it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from machines import (
    Binding,
    CreatorApp,
    Invitation,
    Reason,
    Ruleset,
    SellerCenter,
    SupportTicket,
)
from simulator.clock import ManualClock, SystemClock
from simulator.entities import (
    BindingRecord,
    Creator,
    InvitationRecord,
    ScreenRecord,
    Shop,
    TicketRecord,
)
from simulator.errors import InvalidArgument
from simulator.log import LogEntry
from simulator.timers import Timer

FORMAT = "bindsim-world/1"


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


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


def load(data: dict[str, Any]) -> Any:
    """A World from dump()'s data, with every index rebuilt from the records."""
    from simulator.world import World

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidArgument(f"not a bindsim world snapshot (expected format {FORMAT!r})")
    clock_data = data["clock"]
    clock = ManualClock(clock_data["now"]) if clock_data["kind"] == "manual" else SystemClock()
    world = World(clock=clock, ruleset=Ruleset.from_dict(data["ruleset"]))
    world._last_seen = datetime.fromisoformat(data["last_seen"])
    world._counters = dict(data["counters"])
    for s in data["shops"]:
        shop = Shop(s["id"], s["region"], s["kind"], s["status"], s["official_unbinds"])
        shop.channel_binds = [datetime.fromisoformat(t) for t in s["channel_binds"]]
        world.shops[shop.id] = shop
    for c in data["creators"]:
        world.creators[c["id"]] = Creator(**c)
    for i in data["invitations"]:
        invitation = InvitationRecord(
            id=i["id"],
            shop=i["shop"],
            creator=i["creator"],
            role=i["role"],
            sent_at=datetime.fromisoformat(i["sent_at"]),
            expires_at=datetime.fromisoformat(i["expires_at"]),
            machine=Invitation.restore(i["states"]),  # type: ignore[arg-type]
            ended_at=_parse(i["ended_at"]),
            reasons=tuple(Reason(r) for r in i["reasons"]),
        )
        world.invitations[invitation.id] = invitation
        world._last_invitation[invitation.shop, invitation.creator] = invitation
        if invitation.state == "pending":
            world.shops[invitation.shop].pending[invitation.creator] = invitation
    for b in data["bindings"]:
        binding = BindingRecord(
            id=b["id"],
            shop=b["shop"],
            creator=b["creator"],
            role=b["role"],
            created_at=datetime.fromisoformat(b["created_at"]),
            machine=Binding.restore(b["states"]),  # type: ignore[arg-type]
            bound_at=_parse(b["bound_at"]),
            unbind_allowed_at=_parse(b["unbind_allowed_at"]),
            unlink_requested_at=_parse(b["unlink_requested_at"]),
            ended_at=_parse(b["ended_at"]),
            reasons=tuple(Reason(r) for r in b["reasons"]),
        )
        world.bindings[binding.id] = binding
        world._last_binding[binding.shop, binding.creator] = binding
        if binding.is_live:
            world.shops[binding.shop].active[binding.creator] = binding
            world.creators[binding.creator].active = binding
    for t in data["tickets"]:
        ticket = TicketRecord(
            id=t["id"],
            shop=t["shop"],
            creator=t["creator"],
            opened_at=datetime.fromisoformat(t["opened_at"]),
            due_at=datetime.fromisoformat(t["due_at"]),
            causes=tuple(Reason(r) for r in t["causes"]),
            unfixable=tuple(Reason(r) for r in t["unfixable"]),
            machine=SupportTicket.restore(t["states"]),  # type: ignore[arg-type]
            ended_at=_parse(t["ended_at"]),
        )
        world.tickets[ticket.id] = ticket
    for r in data["screens"]:
        machine = CreatorApp if r["creator"] is not None else SellerCenter
        world.screens[r["id"]] = ScreenRecord(
            id=r["id"],
            shop=r["shop"],
            creator=r["creator"],
            machine=machine.restore(r["states"]),  # type: ignore[arg-type]
            viewing=r["viewing"],
            refusal=tuple(Reason(x) for x in r["refusal"]),
        )
    world.timers.restore(
        [
            Timer(datetime.fromisoformat(t["due"]), t["seq"], t["target"], t["event"])
            for t in data["timers"]["pending"]
        ],
        data["timers"]["seq"],
    )
    world.log = [LogEntry.from_dict(e) for e in data["log"]]
    return world


def save(world: Any, path: str | Path) -> None:
    Path(path).write_text(json.dumps(dump(world), ensure_ascii=False, indent=1), encoding="utf-8")


def load_file(path: str | Path) -> Any:
    return load(json.loads(Path(path).read_text(encoding="utf-8")))
