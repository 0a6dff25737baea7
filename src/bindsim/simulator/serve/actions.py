"""What a browser may ask: each verb once, with the form fields it reads and the checks they pass.

A verb turns a form into scenario step data (`{"invite": {"shop": "gb", ...}}`), which the
session runs through the scenario runner on the World: the same meaning and the same refusals
as the World's API. Every field is checked against the World first, so that bad input gets an
error a person can act on (an unknown id, a label not on the screen) and changes nothing.

>>> from bindsim.simulator.serve.session import Session, starter
>>> world = Session(starter()).world
>>> VERBS["tap"].build(world, {"creator": "alice", "label": "Showcase"})
{'tap': {'creator': 'alice', 'on': ['Showcase']}}
>>> VERBS["tap"].build(world, {"creator": "alice", "label": "Agree"})
Traceback (most recent call last):
...
bindsim.errors.NotOnScreen: “Agree” is not on alice's screen (Profile); ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bindsim.errors import (
    AgeOrBirthdate,
    BadDuration,
    BadFact,
    InvalidArgument,
    InvalidDurationText,
    MissingField,
    NoDeadline,
    NothingChanged,
    NotOnScreen,
    UnknownId,
    UnknownVerb,
)
from bindsim.machines import format_duration, parse_duration
from bindsim.simulator import facts
from bindsim.simulator.actions import ACTIONS
from bindsim.simulator.scenario.model import CreatorSpec, ShopSpec, Step
from bindsim.simulator.world import World

Form = Mapping[str, str]
StepData = dict[str, Any]

# The World's actions that the Actions panel offers, in the order a story meets them.
WORLD_ACTIONS: tuple[str, ...] = tuple(name for name, a in ACTIONS.items() if a.offered)
CLOCK_STEPS: tuple[str, ...] = ("1s", "1h", "24h")


def required(form: Form, name: str, verb: str) -> str:
    value = form.get(name)
    if value is None or not value.strip():
        raise MissingField(name, verb)
    return value.strip()


def shop_id(world: World, value: str) -> str:
    if value not in world.shops:
        raise UnknownId("shop", value, world.shops)
    return value


def creator_id(world: World, value: str) -> str:
    if value not in world.creators:
        raise UnknownId("creator", value, world.creators)
    return value


def role(world: World, value: str) -> str:
    facts.check_choice("role", value, facts.ROLES)
    return value


# How each field of a verb is checked (and what it becomes).
FIELDS: dict[str, Callable[[World, str], Any]] = {
    "shop": shop_id,
    "creator": creator_id,
    "role": role,
}


@dataclass(frozen=True, slots=True)
class Verb:
    """A request's verb: the form fields it reads and how it makes the step."""

    name: str
    fields: tuple[str, ...]
    build: Callable[[World, Form], StepData]


def plain(name: str) -> Verb:
    """A verb whose step takes its fields as they are: `invite: {shop, creator, role}`."""
    fields = tuple(param.name for param in ACTIONS[name].params)

    def build(world: World, form: Form) -> StepData:
        return {
            name: {field: FIELDS[field](world, required(form, field, name)) for field in fields}
        }

    return Verb(name, fields, build)


def on_screen(world: World, owner: str, label: str) -> str:
    """The label, if the owner's screen shows it or greys it out (pressing a greyed label is
    a refusal the World logs, NOT_VISIBLE with its reason); NotOnScreen otherwise."""
    screen = world.screen(owner)
    if label in screen.visible or label in screen.hidden:
        return label
    raise NotOnScreen(owner, label, screen.title, (*screen.visible, *screen.hidden))


def tap(world: World, form: Form) -> StepData:
    creator = creator_id(world, required(form, "creator", "tap"))
    label = on_screen(world, creator, required(form, "label", "tap"))
    return {"tap": {"creator": creator, "on": [label]}}


def click(world: World, form: Form) -> StepData:
    shop = shop_id(world, required(form, "shop", "click"))
    label = on_screen(world, shop, required(form, "label", "click"))
    data: dict[str, Any] = {"shop": shop, "on": [label]}
    if form.get("account", "").strip():
        data["account"] = creator_id(world, form["account"].strip())
    return {"click": data}


def advance(world: World, form: Form) -> StepData:
    """The clock moves by a duration (`by`), or to the next deadline (`to=next`) or one second
    before it (`to=before_next`): recorded as the duration it took, so that it replays."""
    target = form.get("to", "").strip()
    if target:
        return {"advance": format_duration(to_deadline(world, target))}
    text = required(form, "by", "advance")
    try:
        by = parse_duration(text)
    except InvalidDurationText as error:
        raise BadDuration(text, str(error)) from None
    return {"advance": format_duration(by)}


def to_deadline(world: World, target: str) -> timedelta:
    moves = {"next": timedelta(0), "before_next": timedelta(seconds=1)}
    if target not in moves:
        raise InvalidArgument(
            f"to must be one of {', '.join(moves)}, got {target!r}",
            zh=f"跳转目标只能是 {'、'.join(moves)} 之一,而不是 {target!r}",
        )
    timers = world.pending_timers()
    if not timers:
        raise NoDeadline()
    by = timers[0].due - moves[target] - world.now
    if by <= timedelta(0):
        raise NoDeadline(soon=True)
    return by


# Every fact a form may name, shop's and creator's, with how its text becomes its value.
PARSERS: dict[str, Callable[[str], Any]] = {f.name: f.parse for f in facts.FACTS}
WHAT_IT_IS: dict[str, str] = {"bool": "true or false", "date": "a date like 2006-11-11"}


def fact_value(name: str, text: str) -> Any:
    try:
        return PARSERS.get(name, str.strip)(text)
    except (ValueError, KeyError):
        kind = next(f.kind for f in facts.FACTS if f.name == name)
        wanted = WHAT_IT_IS.get(kind, "a whole number")
        raise BadFact(name, text, f"{name} must be {wanted}, got {text!r}") from None


FactChecks = Mapping[str, Callable[[object], str | None]]


def changed_facts(current: Mapping[str, Any], form: Form, checks: FactChecks) -> dict[str, Any]:
    """The facts the form sets to a new value, each checked as the World checks it."""
    changes = {}
    for name, check in checks.items():
        if name in form and form[name].strip() != "":
            value = fact_value(name, form[name])
            problem = facts.problem_of(check, name, value)
            if problem is not None:
                raise BadFact(name, form[name], problem)
            if value != current[name]:
                changes[name] = value
    return changes


# What World.set_shop may change of a shop once it is declared (its status).
SHOP_CHANGES: FactChecks = {
    name: fact.check for name, fact in facts.facts_of("shop").items() if fact.settable
}


def set_facts(world: World, form: Form) -> StepData:
    """A change of an account's facts (network abroad, status, age ...) or a shop's status."""
    current: dict[str, object]
    if form.get("shop", "").strip():
        shop = shop_id(world, form["shop"].strip())
        current = {"status": world.shop(shop).status}
        changes = changed_facts(current, form, SHOP_CHANGES)
        target = {"shop": shop}
    else:
        creator = creator_id(world, required(form, "creator", "set"))
        current = world.creator(creator).facts()
        changes = changed_facts(current, form, facts.CREATOR_FACTS)
        target = {"creator": creator}
    if not changes:
        raise NothingChanged("nothing changed: every fact already has that value")
    if "age" in changes and "birthdate" in changes:
        raise AgeOrBirthdate(both=True)
    return {"set": {**target, **changes}}


def expect(world: World, form: Form) -> StepData:
    """An expectation of what is true now, for the saved scenario to check on replay."""
    what = required(form, "what", "expect")
    if what == "screen":
        owner = required(form, "owner", "expect")
        if owner not in world.shops:
            creator_id(world, owner)
        return {"expect": {"screen": owner, "id": world.screen(owner).id}}
    if what not in ("invitation", "binding", "ticket"):
        raise InvalidArgument(
            f"what must be invitation, binding, ticket or screen, got {what!r}",
            zh=f"预期的对象只能是 invitation、binding、ticket 或 screen,而不是 {what!r}",
        )
    shop = shop_id(world, required(form, "shop", "expect"))
    creator = creator_id(world, required(form, "creator", "expect"))
    record: Any
    if what == "ticket":
        record = world.latest_ticket(shop, creator)
    else:
        record = getattr(world, what)(shop, creator)
    return {"expect": {what: {"shop": shop, "creator": creator}, "state": innermost(record)}}


def innermost(record: Any) -> str:
    """The most precise active state of a record: "locked" rather than "bound"."""
    inner = sorted(set(record.states) - {record.state})
    return inner[0] if inner else str(record.state)


VERBS: dict[str, Verb] = {
    verb.name: verb
    for verb in (
        *(plain(name) for name in WORLD_ACTIONS),
        Verb("tap", ("creator", "label"), tap),
        Verb("click", ("shop", "label", "account"), click),
        Verb("advance", ("by", "to"), advance),
        Verb("set", ("creator", "shop"), set_facts),
        Verb("expect", ("what", "shop", "creator", "owner"), expect),
    )
}


def actors(step: Step) -> dict[str, str]:
    """Whom a scenario step acts on or checks, as {"shop": ..., "creator": ...} (either may be
    missing; a screen's owner may be either, and is offered as both).

    >>> from bindsim.simulator.serve.recording import Cast, make_step
    >>> from bindsim.simulator.serve.session import starter
    >>> cast = Cast(starter().shops, starter().creators)
    >>> actors(make_step(cast, {"accept": {"creator": "alice", "shop": "gb"}}))
    {'creator': 'alice', 'shop': 'gb'}
    """
    found: dict[str, str] = {}
    if step.verb == "expect":
        for check in step.args:
            subject = tuple(getattr(check, "subject", ()))
            if check.kind in ("invitation", "binding") and len(subject) == 2:
                found.setdefault("shop", str(subject[0]))
                found.setdefault("creator", str(subject[1]))
            elif check.kind in ("shop", "creator", "screen") and subject:
                if check.kind != "creator":
                    found.setdefault("shop", str(subject[0]))
                if check.kind != "shop":
                    found.setdefault("creator", str(subject[0]))
    elif isinstance(step.args, tuple):
        for pair in step.args:
            if isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], str):
                name, value = pair
                if name == "shop":
                    found.setdefault("shop", value)
                elif name in ("creator", "account"):
                    found.setdefault("creator", value)
    return found


def step_data(world: World, form: Form) -> StepData:
    """The scenario step a form asks for, every field checked against the World."""
    verb = required(form, "verb", "a request")
    if verb not in VERBS:
        raise UnknownVerb(verb, VERBS)
    return VERBS[verb].build(world, form)


# ------------------------------------------------------------------------ the cast


def new_shop(form: Form) -> ShopSpec:
    """A shop from the cast editor's form; a kind or status that is none is InvalidArgument."""
    return ShopSpec(
        required(form, "id", "add a shop"),
        fact_value("region", required(form, "region", "add a shop")),
        facts.one_of("shop kind", form.get("kind", "").strip() or "open", facts.SHOP_KINDS),
        facts.one_of("shop status", form.get("status", "").strip() or "normal", facts.STATUSES),
    )


# A creator's facts the form may leave out, and what the World then takes.
CREATOR_DEFAULTS: dict[str, Callable[[Mapping[str, object]], object]] = {
    name: fact.default
    for name, fact in facts.facts_of("creator").items()
    if fact.default is not None
}


def new_creator(form: Form) -> CreatorSpec:
    """An account from the cast editor's form, declaring only the facts that differ from what
    the World would take anyway (so the saved file stays short)."""
    ident = required(form, "id", "add a creator")
    given = {"country": fact_value("country", required(form, "country", "add a creator"))}
    ages = [name for name in ("age", "birthdate") if form.get(name, "").strip()]
    if len(ages) != 1:
        raise AgeOrBirthdate(both=len(ages) > 1)
    given[ages[0]] = fact_value(ages[0], form[ages[0]])
    for name in CREATOR_DEFAULTS:
        if form.get(name, "").strip():
            given[name] = fact_value(name, form[name])
    declared = {
        name: value
        for name, value in given.items()
        if name not in CREATOR_DEFAULTS or value != CREATOR_DEFAULTS[name](given)
    }
    return CreatorSpec(ident, tuple(declared.items()))
