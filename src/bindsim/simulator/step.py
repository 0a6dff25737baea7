"""One World step in the making: every change goes through here, so that a step is logged with the
machine events it took, arms the timers its new states start, and can be undone as a whole."""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bindsim.errors import InvariantBroken
from bindsim.machines import Ruleset
from bindsim.machines.spec import MachineSpec
from bindsim.simulator.engine import Engine, table_of
from bindsim.simulator.log import Change, LogEntry
from bindsim.simulator.state import Creator, MachineRecord, ScreenRecord, Shop, State, Timer, evolve

R = TypeVar("R", bound=MachineRecord)
Stored = TypeVar("Stored", bound=MachineRecord | Shop | Creator)

_COUNTS = ("invitation_count", "binding_count", "ticket_count", "timer_count")


def due(rules: Ruleset, machine: MachineSpec, event: str, at: datetime) -> datetime:
    """When a timed event armed at `at` fires: the duration is the Ruleset setting the machine's
    metadata names for it (Edge.timer), the one place durations come from."""
    duration: timedelta = getattr(rules, table_of(machine).spec.timers[event])
    return at + duration


class Step:
    """The state, the rules and the time of one step, and what the step has done so far.

    `actor`, `action`, `subject` and `reasons` become the step's log entry; `changes` are the
    machine events taken. Until `finish`, every write is journaled: `undo` restores the state.
    """

    __slots__ = (
        "state",
        "rules",
        "engine",
        "now",
        "actor",
        "action",
        "subject",
        "reasons",
        "changes",
        "touched_shops",
        "touched_creators",
        "_journal",
        "_counts",
    )

    def __init__(
        self,
        state: State,
        rules: Ruleset,
        engine: Engine,
        now: datetime,
        actor: str = "platform",
        action: str = "",
        subject: dict[str, str] | None = None,
    ) -> None:
        self.state, self.rules, self.engine, self.now = state, rules, engine, now
        self.actor, self.action = actor, action
        self.subject: dict[str, str] = subject if subject is not None else {}
        self.reasons: list[str] = []
        self.changes: list[Change] = []
        self.touched_shops: set[str] = set()
        self.touched_creators: set[str] = set()
        self._journal: list[tuple[dict[Any, Any], Any, Any]] = []
        self._counts = tuple(getattr(state, name) for name in _COUNTS)

    # ------------------------------------------------------------- writing

    def put(self, record: Stored) -> Stored:
        """Store a record (new, or a changed copy of one) under its id."""
        self._set(getattr(self.state, record.COLLECTION), record.id, record)
        if isinstance(record, Shop):
            self.touched_shops.add(record.id)
        elif isinstance(record, Creator):
            self.touched_creators.add(record.id)
        elif not isinstance(record, ScreenRecord):  # a screen move changes no slot or binding
            self.touched_shops.add(record.shop)  # type: ignore[attr-defined]
            self.touched_creators.add(record.creator)  # type: ignore[attr-defined]
        return record

    def index(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        """Set an index entry (latest_invitation, latest_binding), undoably."""
        self._set(table, key, value)

    def count(self, name: str) -> int:
        """The next number of a counter ("invitation_count" ...): ids are inv-1, inv-2, ..."""
        value: int = getattr(self.state, name) + 1
        setattr(self.state, name, value)
        return value

    def start(self, cls: type[R], event: str, **fields: Any) -> R:
        """A new record, with the next id of its kind, in its machine's initial state; arms the
        timers that state starts."""
        table = table_of(cls.MACHINE)
        record_id = f"{cls.ID_PREFIX}-{self.count(cls.COUNTER)}"
        record = cls(id=record_id, node=table.initial, **fields)  # type: ignore[call-arg]
        self.changes.append(Change(record.id, table.name, event, (), table.ordered[table.initial]))
        return self.put(self._arm(record, table.armed_by(None, table.initial)))

    def send(self, record: R, event: str, given: dict[str, Any] | None = None, **updates: Any) -> R:
        """Send `event` to the record's machine (its guards see `given`), store the record in its
        new state with `updates` to its fields, and arm the timers of the states it enters."""
        table = table_of(record.MACHINE)
        node = self.engine.send(table, record.node, event, given or {})
        self.changes.append(
            Change(record.id, table.name, event, table.ordered[record.node], table.ordered[node])
        )
        moved = evolve(record, node=node, **updates)  # type: ignore[type-var]
        return self.put(self._arm(moved, table.armed_by(record.node, node)))

    def due(self, machine: MachineSpec, event: str) -> datetime:
        return due(self.rules, machine, event, self.now)

    def arm_at(self, record: R, event: str, when: datetime) -> R:
        """Schedule a timed event at a moment the facts give, not a machine's duration (an 18th
        birthday, A-AGE); `when` goes into the record's deadline field for the event. It lies
        after this step (under 18 now, the 18th birthday is later): a moment at or before it is a
        fault of the caller, which would fire at once, again and again, each firing arming it
        anew, so it is refused rather than left to hang the World."""
        if when <= self.now:
            raise InvariantBroken(
                f"{event} of {record.id} armed at {when.isoformat()}, not after the step's time "
                f"{self.now.isoformat()}: a timer the facts give comes due later"
            )
        seq = self.count("timer_count")
        heapq.heappush(self.state.timers, Timer(when, seq, record.COLLECTION, record.id, event))
        return self.put(evolve(record, **{record.DEADLINES[event]: when}))  # type: ignore[type-var]

    def _arm(self, record: R, events: tuple[str, ...]) -> R:
        """Schedule the timed events a move starts; each one's due time goes into the record's
        deadline field (expires_at, unbind_allowed_at, due_at)."""
        deadlines = {}
        for event in events:
            seq = self.count("timer_count")
            when = self.due(record.MACHINE, event)
            heapq.heappush(self.state.timers, Timer(when, seq, record.COLLECTION, record.id, event))
            deadlines[record.DEADLINES[event]] = when
        return evolve(record, **deadlines) if deadlines else record  # type: ignore[type-var]

    def _set(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        self._journal.append((table, key, table.get(key, _ABSENT)))
        table[key] = value

    # ------------------------------------------------------------- ending

    def entry(self, seq: int, outcome: str) -> LogEntry:
        """The step as a log entry."""
        return LogEntry(
            seq,
            self.now,
            self.actor,
            self.action,
            self.subject,
            outcome,
            tuple(self.reasons),
            tuple(self.changes),
        )

    def undo(self, keep_screens: bool = False) -> None:
        """Put the state back as it was before the step; with keep_screens, the screens stay
        where the user met a refusal (and their moves stay in `changes`)."""
        screens = self.state.screens
        kept = []
        for table, key, previous in reversed(self._journal):
            if keep_screens and table is screens:
                kept.append((table, key, previous))
                continue
            if previous is _ABSENT:
                del table[key]
            else:
                table[key] = previous
        self._journal = kept[::-1]
        armed_from = self._counts[_COUNTS.index("timer_count")]
        armed_any = self.state.timer_count != armed_from  # most refusals arm nothing: no scan
        for name, value in zip(_COUNTS, self._counts, strict=True):
            setattr(self.state, name, value)
        timers = self.state.timers
        if armed_any and any(timer.seq > armed_from for timer in timers):
            timers[:] = [timer for timer in timers if timer.seq <= armed_from]
            heapq.heapify(timers)
        if keep_screens:
            self.changes = [c for c in self.changes if c.target in screens]
        else:
            self.changes = []


_ABSENT = object()
