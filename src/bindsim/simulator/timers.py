"""Deadlines coming due: the timers a State holds fire in (due, creation) order, each as a step
at its own due time, so that a jump of ten years costs what the timers due in it cost."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator import operations, queries
from bindsim.simulator.engine import Engine
from bindsim.simulator.state import State
from bindsim.simulator.step import Step


def fire_due(
    state: State,
    rules: Ruleset,
    engine: Engine,
    now: datetime,
    commit: Callable[[Step], object],
) -> None:
    """Fire every timer due by `now`, earliest first; `commit` ends each step (the World checks
    invariants and logs it). A stale timer (its record moved on) is dropped. On an error, that
    step is undone and its timer put back, and the error goes on."""
    while state.timers and state.timers[0].due <= now:
        timer = heapq.heappop(state.timers)
        if not queries.timer_live(state, timer):
            continue  # the invitation was answered, or the binding ended, before it came due
        step = Step(state, rules, engine, timer.due)
        try:
            operations.TIMED[timer.event](step, queries.timer_record(state, timer))
            commit(step)
        except BaseException:
            step.undo()
            heapq.heappush(state.timers, timer)
            raise
    if now > state.last_seen:
        state.last_seen = now
