"""One runner for every scenario step: act on the World or check it, and record what happened."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bindsim.errors import (
    BindSimError,
    InvalidAction,
    InvariantBroken,
    PrefixFailed,
    Refused,
    ScenarioError,
    UnknownId,
)
from bindsim.machines import Ruleset
from bindsim.simulator.clock import ManualClock
from bindsim.simulator.contracts.watch import Watcher
from bindsim.simulator.log import LogEntry
from bindsim.simulator.properties import Property, first_broken
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.expect import CHECKS
from bindsim.simulator.scenario.format import NOT_APPLICABLE, VERBS
from bindsim.simulator.world import World


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One fact of an expectation that did not hold."""

    what: str  # "binding gb→alice state", "refusal"
    expected: Any
    actual: Any

    def describe(self) -> str:
        return f"{self.what}: expected {show(self.expected)}, found {show(self.actual)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "expected": jsonable(self.expected),
            "actual": jsonable(self.actual),
        }


@dataclass(slots=True)
class StepResult:
    """What one step did: when, who, the outcome, reason codes, changes and the timers it fired.

    outcome: "ok", "refused", "not applicable" (the action does not apply in this state: an
    InvalidAction or a record that does not exist), "error" (any other bad input), "failed" (an
    expect did not hold) or "not run" (after an earlier failure). `passed` is None for a step
    not run.
    """

    index: int
    step: model.Step
    at: datetime | None = None
    until: datetime | None = None
    actor: str = ""
    outcome: str = "not run"
    passed: bool | None = None
    reasons: tuple[str, ...] = ()
    message: str = ""
    error: BindSimError | None = None  # what the World raised, if anything (its words in zh)
    mismatches: list[Mismatch] = field(default_factory=list)
    entries: list[LogEntry] = field(default_factory=list)  # the step's own log entries
    timers: list[LogEntry] = field(default_factory=list)  # timers that fired during the step

    @property
    def line(self) -> int:
        return self.step.line

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "line": self.step.line,
            "verb": self.step.verb,
            "step": jsonable(self.step.to_data()),
            "at": self.at.isoformat() if self.at else None,
            "until": self.until.isoformat() if self.until else None,
            "actor": self.actor,
            "action": self.step.verb,
            "outcome": self.outcome,
            "passed": self.passed,
            "reasons": list(self.reasons),
            "message": self.message,
            "mismatches": [m.to_dict() for m in self.mismatches],
            "changes": [c.to_dict() for entry in self.entries for c in entry.changes],
            "log": [entry.to_dict() for entry in self.entries],
            "timers": [entry.to_dict() for entry in self.timers],
        }


@dataclass(slots=True)
class ScenarioResult:
    """A scenario run: every step's record; the first failing step, if any, ends the run."""

    scenario: model.Scenario
    steps: list[StepResult]
    started: datetime
    ended: datetime
    world: World  # as the run left it: for traces, timelines and a look around afterwards
    seconds: float = 0.0  # the run's own time (building the World and every step)
    load_seconds: float = 0.0  # its share of reading and validating its file (set by callers)

    @property
    def passed(self) -> bool:
        return all(step.passed is not False for step in self.steps)

    @property
    def failure(self) -> StepResult | None:
        return next((step for step in self.steps if step.passed is False), None)

    @property
    def duration(self) -> float:
        """Seconds this case took: its share of loading its file, and its run."""
        return self.load_seconds + self.seconds

    def summary(self) -> dict[str, Any]:
        """The short form: which case, whether it passed, how long, and why not."""
        failure = self.failure
        scenario = self.scenario
        return {
            "path": scenario.path,
            "name": scenario.case_name,
            "example": jsonable(dict(scenario.example_values)) if scenario.example else None,
            "rules": list(scenario.rules),
            "tags": list(scenario.tags),
            "passed": self.passed,
            "duration": round(self.duration, 6),
            "message": None if failure is None else failure.message,
            "line": None if failure is None else failure.line,
        }

    def to_dict(self) -> dict[str, Any]:
        failure = self.failure
        return {
            **self.summary(),
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat(),
            "failure": None
            if failure is None
            else {
                "index": failure.index,
                "line": failure.line,
                "step": failure.step.describe(),
                "at": failure.at.isoformat() if failure.at else None,
                "message": failure.message,
                "mismatches": [m.to_dict() for m in failure.mismatches],
            },
            "steps": [step.to_dict() for step in self.steps],
        }


def caught_up(world: World) -> datetime:
    """The World's time after it fired every timer due: the one place the runner asks for it."""
    world.catch_up()
    return world.now


def first_state(cast: model.Scenario) -> World:
    """The World after a cast file's steps, the way to the state `bindsim explore` starts from
    (each must hold, as in `bindsim run`), or PrefixFailed."""
    world = build_world(cast)
    for index, step in enumerate(cast.steps, start=1):
        result = run_step(world, step, index)
        if result.passed is False:
            raise PrefixFailed(cast.path, result.line, index, result.message or result.outcome)
    return world


def snapshot_cast(world: World) -> tuple[set[str], set[str]]:
    """The shop and creator ids of a World loaded from a snapshot (for `start_from:`)."""
    return set(world.shops), set(world.creators)


def load_snapshot(path: str) -> World:
    """A World from a snapshot file, or ScenarioError (1:1 of that file) saying why not."""
    try:
        world = World.load(path)
    except BindSimError as error:
        raise ScenarioError(path, 1, 1, f"cannot start from this snapshot: {error}") from None
    except (RecursionError, RuntimeError, TypeError, ValueError) as error:
        raise ScenarioError(path, 1, 1, f"cannot start from this snapshot: {error}") from None
    return world


def build_world(scenario: model.Scenario, base: Ruleset | None = None) -> World:
    """A World on a ManualClock at the scenario's start, with its rules, shops and creators.

    The scenario's `ruleset:` overrides apply on top of `base` (the seed's rules by default).
    A scenario with `start_from:` starts from its snapshot instead (with the snapshot's clock and
    rules), and its own shops and creators are added to it.
    """
    if scenario.start_from is not None:
        world = load_snapshot(scenario.start_from)
    else:
        base = base or Ruleset()
        try:
            rules = base.with_overrides(dict(scenario.ruleset)) if scenario.ruleset else base
        except BindSimError as error:  # the file's settings contradict the base ruleset's
            raise ScenarioError(scenario.path, scenario.line, 1, f"ruleset: {error}") from None
        world = World(clock=ManualClock(scenario.start), ruleset=rules)
    for shop in scenario.shops:
        world.add_shop(shop.id, region=shop.region, kind=shop.kind, status=shop.status)
    for creator in scenario.creators:
        try:
            world.add_creator(creator.id, **dict(creator.facts))
        except BindSimError as error:  # under the base ruleset's birthday_zone, say (A-AGE)
            raise ScenarioError(
                scenario.path, scenario.line, 1, f"creator {creator.id!r}: {error}"
            ) from None
    return world


def run(
    scenario: model.Scenario,
    base: Ruleset | None = None,
    properties: Sequence[tuple[str, Property]] = (),
    contracts: bool = True,
) -> ScenarioResult:
    """Run every step against a fresh World; stop at the first step that fails. With user
    `properties` (simulator/properties.py), a step after which one is broken fails; with
    `contracts` (simulator/contracts), a step or a state that breaks one fails too."""
    began = time.perf_counter()
    world = build_world(scenario, base)
    watcher = Watcher(world) if contracts else None
    started = caught_up(world)
    results: list[StepResult] = []
    failed = False
    for index, step in enumerate(scenario.steps, start=1):
        if failed:
            results.append(StepResult(index, step))
            continue
        result = run_step(world, step, index)
        if watcher is not None:
            _judge_contracts(watcher, result)
        broken = first_broken(world, properties) if properties else None
        if broken is not None and result.passed is not False:
            result.passed = False
            result.message = f"property {broken[0]} is broken: {broken[1]}"
            result.mismatches = [
                *result.mismatches,
                Mismatch(f"property {broken[0]}", "holds", broken[1]),
            ]
        results.append(result)
        failed = result.passed is False
    if results and not failed:
        _recount(world, results[-1])
    ended = caught_up(world)
    return ScenarioResult(
        scenario, results, started, ended, world, seconds=time.perf_counter() - began
    )


def _judge_contracts(watcher: Watcher, result: StepResult) -> None:
    """Fail the step if it, a timer it fired, or the state it left breaks a contract."""
    watcher.check_state()
    broken = watcher.take()
    if broken is not None and result.passed is not False:
        result.passed = False
        result.message = f"contract {broken}"
        result.mismatches = [
            *result.mismatches,
            Mismatch(f"contract {broken.rule} {broken.contract}", "holds", broken.detail),
        ]


def _recount(world: World, last: StepResult) -> None:
    """Once a run has passed every step, recount the whole World (steps check only the records
    they touched): a broken invariant fails the last step, so that a counterexample found by
    `bindsim explore`'s recount replays to the same violation."""
    try:
        world.check_invariants()
    except InvariantBroken as broken:
        last.passed = False
        last.message = f"after the last step: {broken}"
        last.mismatches = [*last.mismatches, Mismatch("invariants", "hold", str(broken))]


def run_step(world: World, step: model.Step, index: int = 0) -> StepResult:
    """Do one step and judge it: an action against its expect_error, an expect against the World."""
    result = StepResult(index, step, at=caught_up(world))
    mark = world.logged
    verb = VERBS[step.verb]
    try:
        if verb.operation is None:
            result.mismatches = [m for check in step.checks for m in evaluate(world, check)]
            result.outcome = "failed" if result.mismatches else "ok"
        else:
            args = dict(step.args) if isinstance(step.args, tuple) else step.args
            verb.operation(world, args)
            result.outcome = "ok"
    except Refused as refusal:
        result.outcome = "refused"
        result.reasons = refusal.codes
        result.message = refusal.message("en")
        result.error = refusal
    except (InvalidAction, UnknownId) as error:
        result.outcome = "not applicable"
        result.message = str(error)
        result.error = error
    except BindSimError as error:
        result.outcome = "error"
        result.message = str(error)
        result.error = error
    result.until = caught_up(world)
    new = world.log_since(mark)
    result.timers = [entry for entry in new if entry.outcome == "timer"]
    result.entries = [entry for entry in new if entry.outcome != "timer"]
    if result.entries and not result.reasons:
        result.reasons = tuple(r for entry in result.entries for r in entry.reasons)
    result.actor = _actor(step, result.entries)
    _judge(result)
    return result


def _judge(result: StepResult) -> None:
    step = result.step
    expected_error = step.expect_error
    if result.outcome == "error":
        result.passed = False
        return
    if result.outcome == "not applicable" or expected_error == (NOT_APPLICABLE,):
        result.passed = result.outcome == "not applicable" and expected_error == (NOT_APPLICABLE,)
        if not result.passed:
            found = (
                f"does not apply: {result.message}"
                if result.outcome == "not applicable"
                else (_refusal(result.reasons) if result.outcome == "refused" else result.outcome)
            )
            wanted = (
                "does not apply"
                if expected_error == (NOT_APPLICABLE,)
                else (_refusal(expected_error) if expected_error else "ok")
            )
            result.mismatches = [Mismatch("outcome", wanted, found)]
            if result.outcome != "not applicable":
                result.message = result.mismatches[0].describe()
        return
    if VERBS[step.verb].operation is None:
        result.passed = not result.mismatches
        if result.mismatches:
            result.message = "; ".join(m.describe() for m in result.mismatches)
        return
    if expected_error is None:
        if result.outcome == "refused":
            result.passed = False
            result.mismatches = [Mismatch("outcome", "ok", _refusal(result.reasons))]
            details = result.message.splitlines()[1:]
            result.message = "\n".join([f"{result.step.verb} refused unexpectedly:", *details])
        else:
            result.passed = True
        return
    expected = sorted(set(expected_error))
    actual = sorted(set(result.reasons)) if result.outcome == "refused" else None
    result.passed = actual == expected
    if not result.passed:
        result.mismatches = [
            Mismatch(
                "outcome",
                _refusal(tuple(expected)),
                "ok" if actual is None else _refusal(tuple(actual)),
            )
        ]
        result.message = result.mismatches[0].describe()


def _refusal(codes: tuple[str, ...] | list[str]) -> str:
    return "refused: " + ", ".join(codes)


def _actor(step: model.Step, entries: list[LogEntry]) -> str:
    if entries:
        return entries[0].actor
    verb = VERBS[step.verb]
    if verb.operation is None:
        return "qa"
    if verb.clock is not None:
        return "clock"
    for name in ("creator", "shop"):
        value = step.arg(name)
        if isinstance(value, str):
            return value
    return "platform"


# ------------------------------------------------------------------ expect


def evaluate(world: World, check: model.Check) -> list[Mismatch]:
    """The facts of one check that do not hold now (an empty list when it holds)."""
    kind = CHECKS[check.kind]
    label = check.describe()
    mismatches = []
    for key, expected in check.expected:
        fact = kind.facts[key]
        try:
            actual = fact.read(world, check.subject)
        except UnknownId as missing:
            return [Mismatch(label, dict(check.expected), f"nothing: {missing}")]
        if not fact.holds(expected, actual):
            what = label if not check.subject else f"{label} {key}"
            mismatches.append(Mismatch(what, expected, fact.shown(actual)))
    return mismatches


# ------------------------------------------------------------------ values


def show(value: Any) -> str:
    """A value as a QA engineer writes it in YAML."""
    if isinstance(value, str) and value.startswith(("refused:", "nothing:", "visible:")):
        return value
    return model.flow(jsonable(value) if not isinstance(value, datetime) else value)


def jsonable(value: Any) -> Any:
    """Plain JSON data: times as ISO 8601 UTC, durations as text, sets and tuples as lists."""
    if isinstance(value, (datetime, date)):
        return model.scalar(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return model.scalar(value)
