"""A run's event log → one Trace per record it touched: the steps taken and the refusals met.

The input is the log as data (`World.log`, or its `to_dict()` / `--json` form), so a trace does not
depend on how the World was driven: a scenario file, `walk`, or a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bindsim.diagrams import words
from bindsim.diagrams.extract import machine_classes
from bindsim.diagrams.model import Trace, TraceRefusal, TraceStep
from bindsim.machines.base import BindsimMachine
from bindsim.machines.reasons import REASONS, Reason
from bindsim.machines.spec import spec_of
from bindsim.machines.text import Text


@dataclass(frozen=True, slots=True)
class _Change:
    target: str
    machine: str
    event: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: dict[str, str]
    outcome: str
    reasons: tuple[str, ...]
    changes: tuple[_Change, ...]


def _field(item: Any, key: str) -> Any:
    return item[key] if isinstance(item, Mapping) else getattr(item, key)


def entries(log: Iterable[Any]) -> list[_Entry]:
    """Log entries as plain records, from LogEntry objects or their dict (JSON) form."""
    result = []
    for item in log:
        at = _field(item, "at")
        changes = tuple(
            _Change(
                str(_field(change, "target")),
                str(_field(change, "machine")),
                str(_field(change, "event")),
                tuple(_field(change, "before")),
                tuple(_field(change, "after")),
            )
            for change in _field(item, "changes") or ()
        )
        result.append(
            _Entry(
                seq=int(_field(item, "seq")),
                at=at if isinstance(at, datetime) else datetime.fromisoformat(str(at)),
                actor=str(_field(item, "actor")),
                action=str(_field(item, "action")),
                subject={str(k): str(v) for k, v in dict(_field(item, "subject")).items()},
                outcome=str(_field(item, "outcome")),
                reasons=tuple(str(r) for r in _field(item, "reasons") or ()),
                changes=changes,
            )
        )
    return result


@dataclass
class _Building:
    target: str
    machine: str
    subject: dict[str, str]
    config: tuple[str, ...]
    steps: list[TraceStep] = field(default_factory=list)
    refusals: list[TraceRefusal] = field(default_factory=list)
    synthetic: bool = False  # made for a refusal before the record showed up in any change


def traces(
    log: Iterable[Any],
    start: datetime | None = None,
    classes: Mapping[str, type[BindsimMachine]] | None = None,
    actions: Mapping[str, Text] | None = None,
) -> list[Trace]:
    """One Trace per record the run touched, in order of first appearance; `actions` names the
    log's actions for people (the simulator's actions table: diagrams.Run.actions).

    A step is numbered by its log entry (`seq`); a refused entry is marked on the records it moved
    (screens on the way to the refusal) and on the record whose event it names (an `accept` on
    the invitation, a `request_unlink` on the binding, a `tap` on the app by its label).
    """
    items = entries(log)
    known = dict(classes) if classes is not None else machine_classes()
    said = actions or {}
    begin = start if start is not None else (items[0].at if items else datetime.now().astimezone())
    building: dict[str, _Building] = {}

    def compatible(subject: dict[str, str], other: dict[str, str]) -> bool:
        return all(
            subject[k] == other[k] for k in ("shop", "creator") if k in subject and k in other
        )

    for entry in items:
        moved: dict[str, tuple[str, ...]] = {}
        for change in entry.changes:
            record = building.get(change.target)
            if record is None:
                record = _adopt(building, change, entry, compatible)
            record.steps.append(
                TraceStep(
                    entry.seq,
                    entry.at,
                    entry.actor,
                    entry.action,
                    change.event,
                    change.before,
                    change.after,
                )
            )
            record.config = change.after
            moved[change.target] = change.after
        if entry.outcome != "refused":
            continue
        marked: set[str] = set()
        for target, config in moved.items():
            building[target].refusals.append(_refusal(entry, config, said))
            marked.add(target)
        for name, cls in known.items():
            if not _names(cls, entry):
                continue
            candidates = [
                r
                for r in building.values()
                if r.machine == name and compatible(r.subject, entry.subject)
            ]
            if candidates:
                record = candidates[-1]
            else:
                key = f"{name}?{'/'.join(entry.subject.get(k, '') for k in ('shop', 'creator'))}"
                record = building.setdefault(
                    key,
                    _Building(
                        key, name, record_subject(entry.subject), _initial(cls), synthetic=True
                    ),
                )
            if record.target not in marked:
                record.refusals.append(_refusal(entry, record.config, said))
                marked.add(record.target)
        # A refusal also shows on a record whose current state or way out enforces a rule behind
        # one of its reason codes: UNBIND_LOCKED (R-LOCK-24H) on a binding that is `locked`.
        reason_rules = _reason_rules(entry.reasons)
        for record in list(building.values()):
            if (
                record.target not in marked
                and record.machine in known
                and compatible(record.subject, entry.subject)
                and any(k in record.subject and k in entry.subject for k in ("shop", "creator"))
                and reason_rules & _rules_at(known[record.machine], record.config)
            ):
                record.refusals.append(_refusal(entry, record.config, said))
                marked.add(record.target)
    return [
        Trace(
            target=r.target,
            machine=r.machine,
            subject=r.subject,
            start=begin,
            steps=tuple(_numbered(r.steps)),
            refusals=tuple(r.refusals),
        )
        for r in building.values()
    ]


def _adopt(
    building: dict[str, _Building], change: _Change, entry: _Entry, compatible: Any
) -> _Building:
    """A record seen for the first time; it takes over a placeholder made for an earlier refusal."""
    for key, record in list(building.items()):
        if (
            record.synthetic
            and record.machine == change.machine
            and compatible(record.subject, entry.subject)
        ):
            del building[key]
            record.target, record.synthetic = change.target, False
            record.subject = {**record.subject, **record_subject(entry.subject)}
            building[change.target] = record
            return record
    who = record_subject(entry.subject)
    if change.before:  # there before the run (a phone, a Seller Center): named by its owner
        owned = {k: v for k, v in who.items() if v in change.target.split(":")}
        who = owned or who
    record = _Building(change.target, change.machine, who, change.before)
    building[change.target] = record
    return record


def record_subject(subject: dict[str, str]) -> dict[str, str]:
    """What names a record in a subject: shop, creator (a click's account), role, ticket."""
    named = {k: v for k, v in subject.items() if k in ("shop", "creator", "role", "ticket")}
    if "account" in subject and "creator" not in named:
        named["creator"] = subject["account"]
    return named


def _names(cls: type[BindsimMachine], entry: _Entry) -> bool:
    """Does the refused action name an event of this machine, directly or by an on-screen label?"""
    edges = spec_of(cls).edges
    if entry.action in edges:
        return True
    label = entry.subject.get("label")
    return label is not None and any(label in (e.label.en, e.label.zh) for e in edges.values())


def _reason_rules(codes: tuple[str, ...]) -> set[str]:
    rules: set[str] = set()
    for code in codes:
        info = REASONS.get(Reason(code)) if code in Reason.__members__ else None
        if info is not None:
            rules.update(info.rules)
    return rules


def _rules_at(cls: type[BindsimMachine], config: tuple[str, ...]) -> set[str]:
    """The rule IDs of these states and of the transitions out of them."""
    spec = spec_of(cls)
    rules = {rule for state in config if state in spec.nodes for rule in spec.nodes[state].rules}
    for transition in spec.transitions:
        if transition.source in config:
            rules.update(spec.edges[transition.event].rules)
    return rules


def _initial(cls: type[BindsimMachine]) -> tuple[str, ...]:
    spec = spec_of(cls)
    return tuple(sorted(spec.path(spec.initial)))


def _refusal(entry: _Entry, config: tuple[str, ...], actions: Mapping[str, Text]) -> TraceRefusal:
    label = entry.subject.get("label", "")
    what = words.action_text(entry.action, actions)
    return TraceRefusal(
        entry.seq, entry.at, entry.actor, entry.action, what, entry.reasons, config, label
    )


def _numbered(steps: list[TraceStep]) -> list[TraceStep]:
    """Number several moves of one record within one log entry 1, 2 ... (creation excluded)."""
    moves: dict[int, int] = {}
    for step in steps:
        if step.before:
            moves[step.seq] = moves.get(step.seq, 0) + 1
    result = []
    counter: dict[int, int] = {}
    for step in steps:
        if step.before and moves[step.seq] > 1:
            counter[step.seq] = counter.get(step.seq, 0) + 1
            step = replace(step, sub=counter[step.seq])
        result.append(step)
    return result


def path_of(trace: Trace) -> tuple[object, ...]:
    """What a trace shows, apart from its times and ids: its machine, its moves, where it ended,
    the refusals it met. Two traces with the same path draw nearly the same picture."""
    return (
        trace.machine,
        tuple((step.event, step.before, step.after) for step in trace.steps),
        tuple((refusal.reasons, refusal.states) for refusal in trace.refusals),
    )


def group_traces(found: Iterable[Trace]) -> list[list[Trace]]:
    """Traces grouped by path, in order of first appearance: six channel creators bound the same
    way make one group, shown once with the others named."""
    groups: dict[tuple[object, ...], list[Trace]] = {}
    for trace in found:
        groups.setdefault(path_of(trace), []).append(trace)
    return list(groups.values())
