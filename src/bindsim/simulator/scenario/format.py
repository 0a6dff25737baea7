"""The scenario format, declared once: value types, the verbs (read from the core's table of
actions, simulator/actions.py) and the fields of shops and creators (read from its table of
facts, simulator/facts.py); what `expect:` checks is expect.py.

Everything else is derived from these tables: the validator (scenario files, walk lines), the JSON
Schema (schema.json), walk's one-line grammar and Tab completion, the runner's dispatch, and the
reference (docs/reference.md). Adding a verb is one row of ACTIONS; a fact, one row of FACTS.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from bindsim.errors import Bad, BindSimError, InvalidDurationText, NaiveDatetime
from bindsim.machines import Reason
from bindsim.machines.compiled import CREATOR_APP, SELLER_CENTER
from bindsim.machines.durations import format_duration, parse_duration
from bindsim.machines.spec import MachineSpec
from bindsim.simulator import facts
from bindsim.simulator.actions import ACTIONS, Action
from bindsim.simulator.clock import DEFAULT_START, LATEST, TIME_RANGE, as_instant
from bindsim.simulator.facts import ROLES, SHOP_KINDS, STATUSES, VARIABLE_FACTS, date_problem
from bindsim.simulator.scenario.loader import Located

if TYPE_CHECKING:
    from bindsim.simulator.world import World

# A code for `expect_error` that is not a platform refusal: the step does not apply at all.
NOT_APPLICABLE = "NOT_APPLICABLE"
SCENARIO_CODES: dict[str, str] = {
    NOT_APPLICABLE: "the step does not apply in the current state: accepting a declined or "
    "withdrawn invitation, approving an unlink request that was never sent, accepting an "
    "invitation that was never sent",
}
REASON_CODES: tuple[str, ...] = tuple(r.value for r in Reason)


class Cast(Protocol):
    """What a value check needs to know: the ids declared so far."""

    shops: set[str]
    creators: set[str]


def hint(word: str, choices: Iterable[str]) -> str:
    """ "; did you mean 'x'?" for a close match, else the list of choices."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; expected one of: {', '.join(choices)}"


def show(node: Located) -> str:
    """A node's value as a message shows it."""
    value = node.value
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


# ------------------------------------------------------------------ value types

Checker = Callable[[Cast, Located, tuple[str, ...]], Any]


@dataclass(frozen=True)
class ValueType:
    """One kind of value: how it is checked, its JSON Schema, its words at the walk prompt.

    `check(cast, node, subject)` returns the value or raises Bad; `subject` is the subject of the
    check being read (a screen's owner decides whose labels are meant). `choices(cast)` lists
    what Tab offers. A `rest` type (label lists) takes the rest of a walk line, comma-separated.
    """

    name: str
    doc: str
    schema: dict[str, Any]
    check: Checker
    choices: Callable[[Cast], Sequence[str]] = lambda cast: ()
    rest: bool = False


def _choice_check(choices: Sequence[str], what: str) -> Checker:
    def check(cast: Cast, node: Located, subject: tuple[str, ...]) -> str:
        if not isinstance(node.value, str) or node.value not in choices:
            raise Bad(node.pos, f"unknown {what} {show(node)}{hint(str(node.value), choices)}")
        return node.value

    return check


def choice(name: str, choices: Sequence[str], doc: str = "") -> ValueType:
    values = tuple(choices)
    return ValueType(
        name,
        doc or " or ".join(f"`{c}`" for c in values),
        {"enum": list(values)},
        _choice_check(values, name),
        lambda cast: values,
    )


def _region(cast: Cast, node: Located, subject: tuple[str, ...]) -> str:
    problem = facts.region_problem(node.value)
    if problem is not None:
        raise Bad(node.pos, f"expected {problem}")
    return str(node.value)


def _count(cast: Cast, node: Located, subject: tuple[str, ...]) -> int:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Bad(node.pos, f"expected a whole number ≥ 0, got {show(node)}")
    return value


def _bool(cast: Cast, node: Located, subject: tuple[str, ...]) -> bool:
    if not isinstance(node.value, bool):
        raise Bad(node.pos, f"expected true or false, got {show(node)}")
    return node.value


def _duration(cast: Cast, node: Located, subject: tuple[str, ...]) -> timedelta:
    if not isinstance(node.value, str):
        raise Bad(node.pos, f"a duration is text like 90s, 15m, 47h59m or 2d, got {show(node)}")
    try:
        return parse_duration(node.value)
    except InvalidDurationText as error:
        raise Bad(node.pos, str(error)) from None


def _time(cast: Cast, node: Located, subject: tuple[str, ...]) -> datetime:
    if not isinstance(node.value, str):
        raise Bad(node.pos, f"a time is text like 2024-11-11T12:00:00Z, got {show(node)}")
    try:
        return as_instant(node.value)
    except NaiveDatetime:
        text = node.value if "T" in node.value else f"{node.value}T00:00:00"
        raise Bad(
            node.pos,
            f"the time {node.value!r} has no time zone; add one: {text}Z (UTC) or {text}+08:00",
        ) from None
    except BindSimError as error:
        raise Bad(node.pos, str(error)) from None


def _date(cast: Cast, node: Located, subject: tuple[str, ...]) -> date:
    text = node.value
    try:
        value = date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        value = None
    problem = date_problem(value)
    if value is None or problem is not None:
        raise Bad(node.pos, f"expected {date_problem(text)}")
    return value


def _declared(kind: str, ids: Callable[[Cast], set[str]], where: str) -> Checker:
    def check(cast: Cast, node: Located, subject: tuple[str, ...]) -> str:
        known = ids(cast)
        if not isinstance(node.value, str) or node.value not in known:
            listed = sorted(known)
            declared = ", ".join(listed[:10]) + (" …" if len(listed) > 10 else "") or "none"
            raise Bad(node.pos, f"unknown {kind} {show(node)}; {where}: {declared}")
        return node.value

    return check


def _ids(name: str, ids: Callable[[Cast], set[str]], kind: str, where: str) -> ValueType:
    return ValueType(
        name,
        f"the id of a {kind} declared in the cast",
        {"$ref": "#/$defs/id"},
        _declared(kind, ids, where),
        lambda cast: sorted(ids(cast)),
    )


def _all_ids(cast: Cast) -> set[str]:
    return cast.shops | cast.creators


UIS: dict[MachineSpec, tuple[str, str]] = {
    CREATOR_APP: ("the creator app", "tap"),
    SELLER_CENTER: ("Seller Center", "click"),
}


def ui_labels(ui: MachineSpec) -> tuple[str, ...]:
    """Every label of one UI in English and Chinese: the labels its label_event accepts."""
    edges = ui.label_edges().values()
    return tuple(dict.fromkeys([e.label.en for e in edges] + [e.label.zh for e in edges]))


def _label_check(ui_of: Callable[[Cast, tuple[str, ...]], MachineSpec]) -> Checker:
    def check(cast: Cast, node: Located, subject: tuple[str, ...]) -> tuple[str, ...]:
        ui = ui_of(cast, subject)
        items = node.value if node.is_list else [node]
        if not items:
            raise Bad(node.pos, "give at least one label")
        labels = []
        for item in items:
            label = item.value
            if not isinstance(label, str) or not label:
                raise Bad(item.pos, f"a label is text, got {show(item)}")
            if ui.label_event(label) is None:
                where = "".join(
                    f"; it is a label of {name}, for {verb}"
                    for other, (name, verb) in UIS.items()
                    if other is not ui and other.label_event(label) is not None
                )
                raise Bad(
                    item.pos,
                    f"{label!r} is not a label of {UIS[ui][0]}{where}{hint(label, ui.labels())}",
                )
            labels.append(label)
        return tuple(labels)

    return check


def _labels(name: str, ui: MachineSpec) -> ValueType:
    one = {"enum": list(ui_labels(ui))}
    return ValueType(
        name,
        f"a label of {UIS[ui][0]} or a list of them, in English or Chinese",
        {"oneOf": [one, {"type": "array", "minItems": 1, "items": one}]},
        _label_check(lambda cast, subject: ui),
        lambda cast: ui.labels(),
        rest=True,
    )


def _owner_ui(cast: Cast, subject: tuple[str, ...]) -> MachineSpec:
    return CREATOR_APP if subject and subject[0] in cast.creators else SELLER_CENTER


def _codes_check(allowed: Sequence[str], one: bool) -> Checker:
    def check(cast: Cast, node: Located, subject: tuple[str, ...]) -> tuple[str, ...]:
        items = node.value if node.is_list else ([node] if one else None)
        if items is None:
            raise Bad(node.pos, f"expected a list of reason codes, got {show(node)}")
        codes = []
        for item in items:
            if not isinstance(item.value, str) or item.value not in allowed:
                raise Bad(
                    item.pos, f"unknown reason code {show(item)}{hint(str(item.value), allowed)}"
                )
            codes.append(item.value)
        return tuple(codes)

    return check


def optional(inner: ValueType) -> ValueType:
    def check(cast: Cast, node: Located, subject: tuple[str, ...]) -> Any:
        return None if node.value is None else inner.check(cast, node, subject)

    return ValueType(
        f"{inner.name} or null",
        f"{inner.doc}, or `null`",
        {"oneOf": [inner.schema, {"type": "null"}]},
        check,
        lambda cast: [*inner.choices(cast), "null"],
    )


def list_of(inner: ValueType) -> ValueType:
    def check(cast: Cast, node: Located, subject: tuple[str, ...]) -> tuple[Any, ...]:
        if not node.is_list:
            raise Bad(node.pos, f"expected a list of {inner.name}s, got {show(node)}")
        return tuple(inner.check(cast, item, subject) for item in node.value)

    return ValueType(
        f"list of {inner.name}s",
        f"a list: {inner.doc}",
        {"type": "array", "items": inner.schema},
        check,
    )


def _mapping_of_bools(names: Sequence[str], what: str) -> ValueType:
    def check(cast: Cast, node: Located, subject: tuple[str, ...]) -> dict[str, bool]:
        if not node.is_map:
            raise Bad(node.pos, f"expected a mapping of {what}: {', '.join(names)}")
        found = {}
        for key, value in node.value.items():
            if key not in names:
                raise Bad(node.key_pos[key], f"unknown {what} {key!r}{hint(key, names)}")
            found[key] = _bool(cast, value, subject)
        return found

    return ValueType(
        what,
        "a mapping of " + ", ".join(f"`{n}`" for n in names) + " to true or false",
        {
            "type": "object",
            "properties": {n: {"type": "boolean"} for n in names},
            "additionalProperties": False,
        },
        check,
    )


SHOP_ID = _ids("shop id", lambda cast: cast.shops, "shop", "declared under shops")
CREATOR_ID = _ids("creator id", lambda cast: cast.creators, "creator", "declared under creators")
OWNER_ID = _ids("shop or creator id", _all_ids, "shop or creator", "declared")
REGION = ValueType(
    "country", "two capital letters: `GB`, `US`, `NO` …", {"$ref": "#/$defs/region"}, _region
)
COUNT = ValueType("number", "a whole number ≥ 0", {"type": "integer", "minimum": 0}, _count)
BOOL = ValueType(
    "true/false", "`true` or `false`", {"type": "boolean"}, _bool, lambda c: ("true", "false")
)
DURATION = ValueType(
    "duration",
    "text with the units d, h, m, s: `90s`, `15m`, `47h59m`, `2d`, `180d`",
    {"$ref": "#/$defs/duration"},
    _duration,
    lambda cast: ("1s", "1m", "1h", "24h", "47h59m59s", "48h", "2d", "180d"),
)
DATE = ValueType(
    "date",
    "a calendar date: `2006-11-11`",
    {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
    _date,
)
TIME = ValueType(
    "time",
    "ISO 8601 with a time zone: `2024-11-11T12:00:00Z`",
    {"$ref": "#/$defs/time"},
    _time,
)
STATUS = choice("status", STATUSES)
ROLE = choice("role", ROLES)
CREATOR_ROLE = choice("role", (*ROLES, "affiliate"))
SHOP_KIND = choice("shop kind", SHOP_KINDS, "`open` (普招) or `invited` (定邀)")
APP_LABELS = _labels("creator app label", CREATOR_APP)
CENTER_LABELS = _labels("Seller Center label", SELLER_CENTER)
SCREEN_LABELS = ValueType(
    "label",
    "labels of the subject's screen: the creator app for a creator, Seller Center for a shop",
    {"type": "array", "items": {"$ref": "#/$defs/label"}},
    _label_check(_owner_ui),
    lambda cast: [*CREATOR_APP.labels(), *SELLER_CENTER.labels()],
)
SCREEN_ID = ValueType(
    "screen id",
    "a screen of the creator app (for a creator) or of Seller Center (for a shop)",
    {"enum": [*CREATOR_APP.nodes, *SELLER_CENTER.nodes]},
    lambda cast, node, subject: _choice_check(tuple(_owner_ui(cast, subject).nodes), "screen id")(
        cast, node, subject
    ),
    lambda cast: [*CREATOR_APP.nodes, *SELLER_CENTER.nodes],
)
REASONS = ValueType(
    "reason codes",
    "a list of reason codes (`[]` for none)",
    {"type": "array", "items": {"$ref": "#/$defs/reason"}},
    _codes_check(REASON_CODES, one=False),
)
EXPECTED_ERROR = ValueType(
    "reason code",
    "a reason code or a list of them, or `NOT_APPLICABLE`",
    {
        "oneOf": [
            {"$ref": "#/$defs/expected_error"},
            {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/expected_error"}},
        ]
    },
    _codes_check((*REASON_CODES, NOT_APPLICABLE), one=True),
    lambda cast: (*REASON_CODES, NOT_APPLICABLE),
)
CAPABILITY_NAMES = (
    "auto_sync_showcase",
    "add_from_shop",
    "sell_in_live_and_video",
    "follower_minimum_applies",
)
CAPABILITIES = _mapping_of_bools(CAPABILITY_NAMES, "capability")


def states_of(machine: MachineSpec) -> ValueType:
    return choice(f"{machine.name.lower()} state", tuple(machine.nodes))


# ------------------------------------------------------------------ the cast


@dataclass(frozen=True)
class Field:
    """One field of a mapping: a verb's argument, a shop or creator fact."""

    name: str
    type: ValueType
    required: bool = True
    help: str = ""
    named: bool = False  # walk: only as `name=value`, never by position
    default: Any = None


# The value type of each kind of fact (facts.FACTS names the kind of each).
FACT_TYPES: dict[str, ValueType] = {
    "region": REGION,
    "count": COUNT,
    "date": DATE,
    "bool": BOOL,
    "status": STATUS,
    "shop kind": SHOP_KIND,
}


def _fact_fields(owner: Literal["creator", "shop"]) -> dict[str, Field]:
    return {
        fact.name: Field(
            fact.name,
            FACT_TYPES[fact.kind],
            required=fact.default is None and fact.name not in facts.CREATOR_AGE,
            help=fact.help,
            default=facts.fixed_default(fact),
        )
        for fact in facts.facts_of(owner).values()
    }


# A shop as declared under `shops:`; what `set` may change of it is facts.FACTS' settable ones.
SHOP_FIELDS: dict[str, Field] = _fact_fields("shop")
SHOP_SETTABLE = tuple(name for name, f in facts.facts_of("shop").items() if f.settable)

# A creator account's facts (R-ELIGIBLE, R-FAIL, R-STUCK, R-NO-1000, A-HOME-REGION, A-AGE):
# declared under `creators:`, changed by `set`, compared by `expect: {creator: ...}`, offered by
# walk's Tab. One of CREATOR_AGE is required (an account has a fixed age or a birthdate).
CREATOR_FACTS: dict[str, Field] = _fact_fields("creator")
CREATOR_AGE = facts.CREATOR_AGE


# ------------------------------------------------------------------ verbs


class Shape:
    """How a verb's value is written: what validates it, its schema, its walk form."""

    def fields(self) -> dict[str, Field]:
        return {}


@dataclass(frozen=True)
class Fields(Shape):
    """A mapping of named fields: `invite: {shop: gb, creator: alice}`."""

    items: tuple[Field, ...]

    def fields(self) -> dict[str, Field]:
        return {f.name: f for f in self.items}


@dataclass(frozen=True)
class Scalar(Shape):
    """One value: `advance: 47h59m`; `name` is what code calls it (`step.by`)."""

    type: ValueType
    name: str


@dataclass(frozen=True)
class SetFacts(Shape):
    """`set: {creator: alice, network: US}` or `set: {shop: gb, status: abnormal}`."""

    targets: dict[str, tuple[ValueType, dict[str, Field]]]


@dataclass(frozen=True)
class Checks(Shape):
    """`expect:` one check or a list of them (CHECKS)."""


Operation = Callable[["World", Any], Any]


@dataclass(frozen=True)
class Verb:
    """A step verb: its shape, the World operation it calls, its help, and whether it acts.

    `operation(world, args)` gets the validated args (a dict for Fields, the value for Scalar).
    `clock(args, now)` is the simulated time after the step, for verbs that move the clock:
    only they do, so the time of every step is known before anything runs.
    """

    name: str
    shape: Shape
    operation: Operation | None
    help: str
    rules: tuple[str, ...] = ()
    clock: Callable[[Any, datetime], datetime] | None = None

    @property
    def refusable(self) -> bool:
        """Whether `expect_error` may go on it: actions that do something, not the clock."""
        return self.operation is not None and self.clock is None


def pair_fields(first: str, second: str) -> tuple[Field, Field]:
    ids = {"shop": SHOP_ID, "creator": CREATOR_ID}
    return Field(first, ids[first]), Field(second, ids[second])


def _after(by: timedelta, now: datetime) -> datetime:
    later = now + by  # cannot overflow: now < LATEST and by ≤ MAX_DURATION
    if later >= LATEST:
        raise ValueError(
            f"advancing {format_duration(by)} from {_iso(now)} would reach {_iso(later)}; "
            f"{TIME_RANGE}"
        )
    return later


def _until(when: datetime, now: datetime) -> datetime:
    if when < now:
        raise ValueError(
            f"{_iso(when)} is before {_iso(now)}, the scenario's time at this step; "
            "the clock only moves forward"
        )
    return when


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


# The value type of each type of parameter that actions.ACTIONS names.
PARAM_TYPES: dict[str, ValueType] = {
    "shop": SHOP_ID,
    "creator": CREATOR_ID,
    "role": ROLE,
    "duration": DURATION,
    "time": TIME,
    "app labels": APP_LABELS,
    "center labels": CENTER_LABELS,
}
# Verbs written as one value (`advance: 47h59m`), and the time after the step for each: only
# they move the clock, so the time of every step is known before anything runs.
CLOCKS: dict[str, Callable[[Any, datetime], datetime]] = {"advance": _after, "advance_to": _until}


def _shape(action: Action) -> Shape:
    if action.name in CLOCKS:
        (param,) = action.params
        return Scalar(PARAM_TYPES[param.type], param.name)
    if action.name == "set":  # a shop's or a creator's facts: the facts table says which
        return SetFacts(
            {
                "creator": (CREATOR_ID, CREATOR_FACTS),
                "shop": (SHOP_ID, {name: SHOP_FIELDS[name] for name in SHOP_SETTABLE}),
            }
        )
    return Fields(
        tuple(
            Field(p.name, PARAM_TYPES[p.type], p.required, p.help, p.named, p.default)
            for p in action.params
        )
    )


def _operation(action: Action) -> Operation:
    if action.name in CLOCKS:  # the step's value is the one argument
        (param,) = action.params
        return lambda world, value: action.call(world, {param.name: value})
    return action.call


VERBS: dict[str, Verb] = {
    **{
        name: Verb(
            name,
            _shape(action),
            _operation(action),
            action.help,
            action.rules,
            CLOCKS.get(name),
        )
        for name, action in ACTIONS.items()
    },
    "expect": Verb("expect", Checks(), None, "checks the World and changes nothing"),
}
STEP_EXTRAS = ("expect_error", "note")


@dataclass(frozen=True)
class TopField:
    """A top-level field of a scenario file, for the reference and the schema."""

    name: str
    required: bool
    help: str
    schema: dict[str, Any] = field(default_factory=dict)


TOP_LEVEL: dict[str, TopField] = {
    f.name: f
    for f in (
        TopField("name", True, "one line saying what the scenario shows", {"type": "string"}),
        TopField("name_zh", False, "the name in Chinese, for Chinese pictures", {"type": "string"}),
        TopField("description", False, "free text", {"type": "string"}),
        TopField(
            "description_zh",
            False,
            "the description in Chinese, for Chinese storyboards",
            {"type": "string"},
        ),
        TopField("rules", False, "the rule IDs the scenario demonstrates"),
        TopField("tags", False, "words to select scenarios by: `bindsim run --tag smoke`"),
        TopField("include", False, "cast files whose shops, creators and ruleset are used"),
        TopField("start", False, f"the time the clock starts at; default {_iso(DEFAULT_START)}"),
        TopField("start_from", False, "a World snapshot (JSON) to start from, instead of start"),
        TopField("ruleset", False, "overrides of ruleset settings"),
        TopField(
            "vary",
            False,
            "for `bindsim explore` (a cast): the facts that change, each over two values ("
            + ", ".join(VARIABLE_FACTS)
            + "); [] for none",
        ),
        TopField("shops", False, "shop id → shop facts"),
        TopField("creators", False, "creator id → account facts"),
        TopField("examples", False, "rows of values for <placeholders>: one case per row"),
        TopField("steps", True, "the steps, run in order"),
    )
}
