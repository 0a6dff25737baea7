"""Contracts judged on a World as it runs (`bindsim run`): every step through World.watch, every
state after a scenario step. The one module of the package that sees the World: it hands the
contracts the state records and the World's answers, and keeps what they found."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bindsim.errors import ContractBroken
from bindsim.simulator.contracts.base import (
    Answers,
    Capabilities,
    Judged,
    Step,
    judge_state,
    judge_step,
)
from bindsim.simulator.log import LogEntry
from bindsim.simulator.state import State


def answers_of(world: Any) -> Answers:
    """What a World answers about its state, as the contracts judge it."""

    def capabilities(creator_id: str) -> Capabilities:
        found = world.capabilities(creator_id)
        return Capabilities(
            found.role,
            found.auto_sync_showcase,
            found.add_from_shop,
            found.sell_in_live_and_video,
            found.follower_minimum_applies,
        )

    return Answers(capabilities, world.channel_binds_left, world.official_unbinds_left)


def step_of(world: Any, before: State, entry: LogEntry, after: State) -> Step:
    """What the contracts judge of one step of a World, from what World.watch hands on."""
    return Step(
        before,
        after,
        entry.at,
        world.rules,
        entry.action,
        entry.subject,
        entry.outcome,
        entry.reasons,
    )


class Watcher:
    """Judges every step of a World and, when asked, its state; keeps the first broken contract
    and how often each contract was judged (by (rule, name))."""

    def __init__(self, world: Any) -> None:
        self.world = world
        self.broken: ContractBroken | None = None
        self.checked: Counter[tuple[str, str]] = Counter()
        world.watch(self._step)

    def _step(self, before: State, entry: LogEntry, after: State) -> None:
        self._keep(judge_step(step_of(self.world, before, entry, after)))

    def check_state(self) -> None:
        """Judge the World's state now (call between World calls, never inside one)."""
        world = self.world
        world.catch_up()
        self._keep(judge_state(world.state, world.now, world.rules, answers_of(world)))

    def _keep(self, judged: Any) -> None:
        for found in judged:
            contract = found.contract
            self.checked[contract.rule, contract.name] += 1
            if found.broken is not None and self.broken is None:
                self.broken = ContractBroken(contract.rule, contract.name, found.broken)

    def take(self) -> ContractBroken | None:
        """The first broken contract since the last take, if any."""
        broken, self.broken = self.broken, None
        return broken


__all__ = ["Judged", "Watcher", "answers_of", "step_of"]
