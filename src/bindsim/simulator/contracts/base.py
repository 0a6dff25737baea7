"""What a contract is and how contracts are judged: a plain function of one step (the state
before, the action, its outcome, the state after) or of one state, registered under its rule ID.

A contract returns None when it has nothing to judge, True when it judged and the rule held, or
a message saying how the rule was broken. Contracts read the plain records of
simulator/state.py and the Ruleset's numbers; they never call checks, operations or queries
(tests/test_architecture.py holds them to that): they are the second, independent reading.

The Ruleset a contract is handed is seed.judged(rules): a setting the ruleset in use leaves as it
came is the seed's number as the rule states it (contracts/seed.py), not the default the code
declares, so that a changed default cannot move the contracts with it. Only the contracts of the
settings themselves (settings.py, `as_set`) see the ruleset as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from bindsim.machines import Ruleset
from bindsim.simulator.contracts.seed import judged
from bindsim.simulator.state import State

Verdict = bool | str | None


@dataclass(frozen=True, slots=True)
class Step:
    """One step as a contract sees it. `action` is the verb ("invite", "accept", ...) or the
    timed event ("expire", "unlock", ...); `outcome` is "ok", "refused" or "timer"."""

    before: State
    after: State
    now: datetime
    rules: Ruleset
    action: str
    subject: Mapping[str, str]
    outcome: str
    reasons: tuple[str, ...] = ()


class Capabilities(NamedTuple):
    """What the World answers about an account's capabilities (R-CAP-*, R-NO-1000)."""

    role: str
    auto_sync_showcase: bool
    add_from_shop: bool
    sell_in_live_and_video: bool
    follower_minimum_applies: bool


@dataclass(frozen=True, slots=True)
class Answers:
    """What the World answers about a state (its queries), handed to the state contracts that
    judge those answers. The caller supplies them: contracts do not import the queries."""

    capabilities: Callable[[str], Capabilities]
    channel_binds_left: Callable[[str], int]
    official_unbinds_left: Callable[[str], int]


@dataclass(frozen=True, slots=True)
class Contract:
    """A contract: its rule ID, its name, what it judges ("step" or "state"), the rule's words
    (its docstring) and the function."""

    rule: str
    name: str
    kind: str
    words: str
    judge: Callable[..., Verdict]
    as_set: bool = False  # handed the ruleset as it is, not as the contracts judge by (seed.py)


CONTRACTS: list[Contract] = []
_OF_KIND: dict[str, list[Contract]] = {"step": [], "state": []}  # CONTRACTS by kind, in order


def _register(
    rule: str, kind: str, as_set: bool = False
) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    def register(function: Callable[..., Verdict]) -> Callable[..., Verdict]:
        words = " ".join((function.__doc__ or "").split())
        contract = Contract(rule, function.__name__, kind, words, function, as_set)
        CONTRACTS.append(contract)
        _OF_KIND[kind].append(contract)
        return function

    return register


def on_step(rule: str) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Register a contract over one step: judge(step) -> Verdict."""
    return _register(rule, "step")


def on_state(rule: str) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Register a contract over one state: judge(state, now, rules, answers) -> Verdict."""
    return _register(rule, "state")


def on_settings(rule: str) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Register a contract over one state that is handed the ruleset in use as it is."""
    return _register(rule, "state", as_set=True)


class Judged(NamedTuple):
    contract: Contract
    broken: str | None  # None: it held


def judge_step(step: Step) -> Iterator[Judged]:
    """Every step contract that had something to judge in this step, and whether it held."""
    seed = judged(step.rules)
    if seed is not step.rules:
        step = replace(step, rules=seed)
    for contract in _OF_KIND["step"]:
        verdict = contract.judge(step)
        if verdict is not None:
            yield Judged(contract, verdict if isinstance(verdict, str) else None)


def judge_state(
    state: State, now: datetime, rules: Ruleset, answers: Answers | None = None
) -> Iterator[Judged]:
    """Every state contract that had something to judge in this state, and whether it held."""
    seed = judged(rules)
    for contract in _OF_KIND["state"]:
        verdict = contract.judge(state, now, rules if contract.as_set else seed, answers)
        if verdict is not None:
            yield Judged(contract, verdict if isinstance(verdict, str) else None)


def by_rule() -> dict[str, list[Contract]]:
    found: dict[str, list[Contract]] = {}
    for contract in CONTRACTS:
        found.setdefault(contract.rule, []).append(contract)
    return found
