"""The common base of bindsim's machines: strict about events, restorable, self-describing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from statemachine import StateChart
from statemachine.model import Model
from statemachine.orderedset import OrderedSet

from bindsim.machines import guards
from bindsim.machines.text import Text


class BindsimMachine(StateChart):
    """A statechart that raises on an event it cannot take and never swallows a callback error.

    Subclasses describe themselves for diagrams and logs in `title`, and each state and event
    where it is declared: `described(State(...), Node(...))`, `described(<transitions>,
    Edge(...))`, a guard's wording with `when` (machines/text.py); spec_of(cls) reads them into
    `nodes` per state id and `edges` per event id. The machines hold no clock: timed events are
    fired by the simulator.
    """

    allow_event_without_transition = False
    catch_errors_as_events = False

    title: ClassVar[Text]

    @classmethod
    def restore(cls, configuration: Iterable[str]) -> BindsimMachine:
        """A machine resumed in a saved configuration (state ids), without entering it again."""
        values = list(configuration)
        model = Model()
        model.state = values[0] if len(values) == 1 else OrderedSet(values)  # type: ignore[attr-defined]
        return cls(model=model)

    @property
    def active_ids(self) -> frozenset[str]:
        """Every active state id, at every level: {"bound", "locked"}."""
        return frozenset(str(s.id) for s in self.configuration)

    # Guards are static methods: pure functions of what the simulator sends with the event,
    # declared in machines/guards.py, so that the simulator's compiled tables (machines/spec.py,
    # machines/compiled.py) call the very same functions without python-statemachine.
    unblocked = staticmethod(guards.unblocked)
    blocked = staticmethod(guards.blocked)
