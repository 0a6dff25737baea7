"""One runner for every scenario step: act on the World or check it, and record what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bindsim.machines import Ruleset
from bindsim.simulator.clock import ManualClock
from bindsim.simulator.errors import BindSimError, Refused, UnknownId
from bindsim.simulator.log import LogEntry
from bindsim.simulator.scenario import model
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

    outcome: "ok", "refused", "error" (the action did not apply), "failed" (an expect did not
    hold) or "not run" (after an earlier failure). `passed` is None for a step not run.
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

    @property
    def passed(self) -> bool:
        return all(step.passed is not False for step in self.steps)

    @property
    def failure(self) -> StepResult | None:
        return next((step for step in self.steps if step.passed is False), None)

    def to_dict(self) -> dict[str, Any]:
        failure = self.failure
        return {
            "path": self.scenario.path,
            "name": self.scenario.name,
            "rules": list(self.scenario.rules),
            "passed": self.passed,
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


def build_world(scenario: model.Scenario, base: Ruleset | None = None) -> World:
    """A World on a ManualClock at the scenario's start, with its rules, shops and creators.

    The scenario's `ruleset:` overrides apply on top of `base` (the seed's rules by default).
    """
    base = base or Ruleset()
    rules = base.with_overrides(dict(scenario.ruleset)) if scenario.ruleset else base
    world = World(clock=ManualClock(scenario.start), ruleset=rules)
    for shop in scenario.shops:
        world.add_shop(shop.id, region=shop.region, kind=shop.kind, status=shop.status)
    for creator in scenario.creators:
        facts = dict(creator.facts)
        world.add_creator(creator.id, **facts)
    return world


def run(scenario: model.Scenario, base: Ruleset | None = None) -> ScenarioResult:
    """Run every step against a fresh World; stop at the first step that fails."""
    world = build_world(scenario, base)
    started = world.now
    results: list[StepResult] = []
    failed = False
    for index, step in enumerate(scenario.steps, start=1):
        if failed:
            results.append(StepResult(index, step))
            continue
        result = run_step(world, step, index)
        results.append(result)
        failed = result.passed is False
    return ScenarioResult(scenario, results, started, world.now, world)


def run_step(world: World, step: model.Step, index: int = 0) -> StepResult:
    """Do one step and judge it: an action against its expect_error, an expect against the World."""
    result = StepResult(index, step, at=world.now)
    mark = len(world.log)
    try:
        if isinstance(step, model.Expect):
            result.mismatches = [m for check in step.checks for m in evaluate(world, check)]
            result.outcome = "failed" if result.mismatches else "ok"
        else:
            perform(world, step)
            result.outcome = "ok"
    except Refused as refusal:
        result.outcome = "refused"
        result.reasons = refusal.codes
        result.message = refusal.message("en")
    except BindSimError as error:
        result.outcome = "error"
        result.message = str(error)
    result.until = world.now
    new = world.log[mark:]
    result.timers = [entry for entry in new if entry.outcome == "timer"]
    result.entries = [entry for entry in new if entry.outcome != "timer"]
    if result.entries and not result.reasons:
        result.reasons = tuple(r for entry in result.entries for r in entry.reasons)
    result.actor = _actor(step, result.entries)
    _judge(result)
    return result


def _judge(result: StepResult) -> None:
    step = result.step
    if result.outcome == "error":
        result.passed = False
        return
    if isinstance(step, model.Expect):
        result.passed = not result.mismatches
        if result.mismatches:
            result.message = "; ".join(m.describe() for m in result.mismatches)
        return
    if step.expect_error is None:
        if result.outcome == "refused":
            result.passed = False
            result.mismatches = [Mismatch("outcome", "ok", _refusal(result.reasons))]
            details = result.message.splitlines()[1:]
            result.message = "\n".join([f"{result.step.verb} refused unexpectedly:", *details])
        else:
            result.passed = True
        return
    expected = sorted(set(step.expect_error))
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
    if isinstance(step, model.Expect):
        return "qa"
    if isinstance(step, (model.Advance, model.AdvanceTo)):
        return "clock"
    for name in ("creator", "shop"):
        value = getattr(step, name, None)
        if isinstance(value, str):
            return value
    return "platform"


def perform(world: World, step: model.Step) -> None:
    """Do an action step on the World (raises Refused or another BindSimError)."""
    match step:
        case model.Invite():
            world.invite(step.shop, step.creator, role=step.role)
        case model.Accept():
            world.accept(step.creator, step.shop)
        case model.Decline():
            world.decline(step.creator, step.shop)
        case model.Withdraw():
            world.withdraw(step.shop, step.creator)
        case model.Advance():
            world.advance(step.by)
        case model.AdvanceTo():
            world.advance_to(step.when)
        case model.Tap():
            for label in step.on:  # stops at the first refusal
                world.tap(step.creator, label)
        case model.Click():
            for label in step.on:
                world.click(step.shop, label, account=step.account)
        case model.RequestUnlink():
            world.request_unlink(step.creator)
        case model.ApproveUnlink():
            world.approve_unlink(step.shop, step.creator)
        case model.DeclineUnlink():
            world.decline_unlink(step.shop, step.creator)
        case model.SetFacts():
            if step.target == "shop":
                world.set_shop(step.id, **dict(step.facts))
            else:
                world.set_creator(step.id, **dict(step.facts))
        case model.OpenTicket():
            world.open_ticket(step.shop, step.creator)
        case _:
            raise TypeError(f"not an action step: {step!r}")


# ------------------------------------------------------------------ expect


def evaluate(world: World, check: model.Check) -> list[Mismatch]:
    """The facts of one check that do not hold now (an empty list when it holds)."""
    label = check.describe()
    if check.kind == "time":
        expected = dict(check.expected)["time"]
        now = world.now
        return [] if now == expected else [Mismatch("time", expected, now)]
    try:
        actual = _actuals(world, check)
    except UnknownId as missing:
        return [Mismatch(label, dict(check.expected), f"nothing: {missing}")]
    mismatches = []
    for key, expected in check.expected:
        found = actual[key]
        if not _holds(key, expected, found):
            mismatches.append(Mismatch(f"{label} {key}", expected, _shown_actual(key, found)))
    return mismatches


def _actuals(world: World, check: model.Check) -> dict[str, Any]:
    """The facts a check can compare, read from the World (lazily only what it asks for)."""
    kind, subject = check.kind, check.subject
    keys = [key for key, _ in check.expected]
    if kind in ("invitation", "binding"):
        shop, creator = subject
        record = (
            world.invitation(shop, creator)
            if kind == "invitation"
            else world.binding(shop, creator)
        )
        return {"state": record.states, "reasons": tuple(r.value for r in record.reasons)}
    if kind == "ticket":
        shop, creator = subject
        tickets = [t for t in world.tickets.values() if t.shop == shop and t.creator == creator]
        if not tickets:
            raise UnknownId("ticket", f"{shop} about {creator}")
        ticket = tickets[-1]
        world.catch_up()  # fire what is due before reading the ticket
        return {"state": ticket.states, "causes": tuple(r.value for r in ticket.causes)}
    if kind == "screen":
        screen = world.screen(subject[0])
        # `hidden: [X]` means "X cannot be tapped now", whether a guard hides it on this screen
        # or it belongs to another screen; screen.hidden only lists the first kind. So both
        # checks read the visible labels, and _holds negates for hidden.
        visible = screen.visible
        return {"id": screen.id, "visible": visible, "hidden": visible}
    if kind == "shop":
        readers = {
            "official": lambda: world.official(subject[0]),
            "channels": lambda: tuple(world.channels(subject[0])),
            "official_unbinds_left": lambda: world.official_unbinds_left(subject[0]),
            "channel_binds_left": lambda: world.channel_binds_left(subject[0]),
            "status": lambda: world.shop(subject[0]).status,
        }
        return {key: readers[key]() for key in keys}
    creator_id = subject[0]
    facts: dict[str, Any] = dict(world.creator(creator_id).facts())
    facts["age"] = world.age(creator_id)  # a birthdate's age follows the clock (A-AGE)
    capabilities = world.capabilities(creator_id)
    facts["bound_shop"] = world.bound_shop(creator_id)
    facts["role"] = capabilities.role
    facts["capabilities"] = {
        name: getattr(capabilities, name)
        for name in ("auto_sync_showcase", "add_from_shop", "sell_in_live_and_video")
    } | {"follower_minimum_applies": capabilities.follower_minimum_applies}
    return facts


def _holds(key: str, expected: Any, actual: Any) -> bool:
    if key == "state":
        return expected in actual  # active at any level: bound holds while locked
    if key in ("reasons", "causes", "channels"):
        return sorted(expected) == sorted(actual)
    if key == "visible":
        return all(label in actual for label in expected)
    if key == "hidden":  # `actual` is the visible labels (see _actuals): none may be among them
        return not any(label in actual for label in expected)
    if key == "capabilities":
        return all(actual[name] == value for name, value in expected.items())
    return bool(expected == actual)


def _shown_actual(key: str, actual: Any) -> Any:
    if key == "state":
        return sorted(actual, key=lambda s: (len(s), s)) if len(actual) > 1 else next(iter(actual))
    if key == "visible":
        return list(actual)
    if key == "hidden":
        return "visible: " + model.flow(list(actual))
    return actual


# ------------------------------------------------------------------ values


def show(value: Any) -> str:
    """A value as a QA engineer writes it in YAML."""
    if isinstance(value, str) and value.startswith(("refused:", "nothing:", "visible:")):
        return value
    return model.flow(jsonable(value) if not isinstance(value, datetime) else value)


def jsonable(value: Any) -> Any:
    """Plain JSON data: times as ISO 8601 UTC, durations as text, sets and tuples as lists."""
    if isinstance(value, datetime):
        return model.scalar(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return model.scalar(value)
