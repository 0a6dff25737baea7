"""Scenarios as plain data: parsed once, run by one runner, written back to YAML (walk's `save`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from bindsim.simulator.clock import DEFAULT_START
from bindsim.simulator.facts import ShopKind, Status
from bindsim.simulator.scenario import emit

Args = tuple[tuple[str, Any], ...]
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Check:
    """One check of an `expect`: a subject and the facts expected of it.

    kind is a key of expect.CHECKS: invitation, binding, ticket (subject: shop, creator), screen,
    shop, creator (subject: an id) or time (no subject). `expected` keeps the written order.
    """

    kind: str
    subject: tuple[str, ...]
    expected: Args
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    def to_data(self) -> dict[str, Any]:
        if not self.subject:
            return dict(self.expected)
        subject: Any = (
            {"shop": self.subject[0], "creator": self.subject[1]}
            if len(self.subject) == 2
            else self.subject[0]
        )
        return {self.kind: subject, **dict(self.expected)}

    def describe(self) -> str:
        if not self.subject:
            return self.kind
        if len(self.subject) == 2:
            return f"{self.kind} {self.subject[0]}→{self.subject[1]}"
        return f"{self.kind} {self.subject[0]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A scenario step: a verb of format.VERBS and its validated arguments.

    `args` is a tuple of (field, value) pairs for a verb of named fields (`invite`, `set` …),
    the value itself for a one-value verb (`advance`: a timedelta), and a tuple of Check for
    `expect`. `line`/`column` say where it is written (0 when typed at a prompt).
    """

    verb: str
    args: Any
    expect_error: tuple[str, ...] | None = None
    note: str | None = None
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    def __getattr__(self, name: str) -> Any:
        """A named argument as an attribute (`step.creator`, `step.on`, `step.by`): callers
        that read steps so (the storyboard) need not know how args are kept."""
        if name.startswith("_") or name in ("verb", "args"):
            raise AttributeError(name)
        from bindsim.simulator.scenario.format import VERBS, Scalar

        shape = VERBS[self.verb].shape if self.verb in VERBS else None
        if isinstance(shape, Scalar) and name == shape.name:
            return self.args
        found = self.arg(name, _MISSING)
        if found is _MISSING:
            raise AttributeError(f"a {self.verb} step has no {name!r}")
        return found

    def arg(self, name: str, default: Any = None) -> Any:
        """One named argument (`step.arg("creator")`), or `default`."""
        if isinstance(self.args, tuple):
            for item in self.args:
                if isinstance(item, tuple) and len(item) == 2 and item[0] == name:
                    return item[1]
        return default

    @property
    def checks(self) -> tuple[Check, ...]:
        """The checks of an `expect` step (none for an action)."""
        if isinstance(self.args, tuple) and all(isinstance(c, Check) for c in self.args):
            return self.args
        return ()

    def args_data(self) -> Any:
        """The value under the verb key, as YAML data."""
        checks = self.checks
        if checks:
            return checks[0].to_data() if len(checks) == 1 else [c.to_data() for c in checks]
        if isinstance(self.args, tuple):
            return {name: list(v) if isinstance(v, tuple) else v for name, v in self.args}
        return self.args

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {self.verb: self.args_data()}
        if self.expect_error is not None:
            data["expect_error"] = (
                self.expect_error[0] if len(self.expect_error) == 1 else list(self.expect_error)
            )
        if self.note is not None:
            data["note"] = self.note
        return data

    def describe(self) -> str:
        """The step as one line of YAML flow style, as it could be written in a file."""
        return ", ".join(f"{key}: {flow(value)}" for key, value in self.to_data().items())


@dataclass(frozen=True, slots=True)
class ShopSpec:
    id: str
    region: str
    kind: ShopKind = "open"
    status: Status = "normal"

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"region": self.region, "kind": self.kind}
        if self.status != "normal":
            data["status"] = self.status
        return data


@dataclass(frozen=True, slots=True)
class CreatorSpec:
    """An account as declared: only the facts written (the World fills in the defaults)."""

    id: str
    facts: tuple[tuple[str, Any], ...]

    def to_data(self) -> dict[str, Any]:
        return dict(self.facts)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario file: the cast, the start, rule overrides and the steps."""

    name: str
    steps: tuple[Step, ...]
    rules: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    start: datetime = DEFAULT_START
    ruleset: tuple[tuple[str, Any], ...] = ()
    shops: tuple[ShopSpec, ...] = ()
    creators: tuple[CreatorSpec, ...] = ()
    description: str | None = None
    name_zh: str | None = None  # the name in Chinese, for zh pictures, storyboards and the gallery
    description_zh: str | None = None  # the description in Chinese, for zh storyboards
    # The offset `start:` was written in (+08:00): pictures and storyboards show times in it.
    utc_offset: timedelta = timedelta(0)
    # A snapshot file the World starts from (start_from:), instead of `start` and an empty World.
    start_from: str | None = None
    # For `bindsim explore`: the facts that change (None: not said; explore's --vary decides).
    vary: tuple[str, ...] | None = None
    # For a file with `examples:`: this case's row (1-based) and its values, in column order.
    example: int | None = None
    example_values: Args = ()
    example_label: str = ""  # "[wait=48h]", or "" when the name itself holds the row's values
    path: str = field(default="<scenario>", compare=False)
    line: int = field(default=1, compare=False)

    def title(self, lang: str = "en") -> str:
        """The case's name in a language (`name_zh` for zh when the file gives one), with the
        example row's values for a case of a table, so that its rows tell apart in both."""
        name = self.name_zh if lang == "zh" and self.name_zh else self.name
        return f"{name} {self.example_label}" if self.example_label else name

    @property
    def zone(self) -> timezone:
        """The scenario's own time zone (a fixed offset: the one its `start:` was written in)."""
        return timezone(self.utc_offset) if self.utc_offset else UTC

    def about(self, lang: str = "en") -> str:
        """The description in a language (`description_zh` for zh when the file gives one)."""
        text = self.description_zh if lang == "zh" and self.description_zh else self.description
        return (text or "").strip()

    @property
    def case_name(self) -> str:
        """The name, with the example row's values for a case of a table: `X [wait=48h]`."""
        return self.title("en")

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.name_zh is not None:
            data["name_zh"] = self.name_zh
        if self.description is not None:
            data["description"] = self.description
        if self.description_zh is not None:
            data["description_zh"] = self.description_zh
        data["rules"] = list(self.rules)
        if self.tags:
            data["tags"] = list(self.tags)
        if self.start_from is not None:
            data["start_from"] = self.start_from
        else:
            data["start"] = self.start.astimezone(self.zone)
        if self.ruleset:
            data["ruleset"] = dict(self.ruleset)
        if self.vary is not None:
            data["vary"] = list(self.vary)
        data["shops"] = {shop.id: shop.to_data() for shop in self.shops}
        data["creators"] = {creator.id: creator.to_data() for creator in self.creators}
        data["steps"] = [step.to_data() for step in self.steps]
        return data

    def to_yaml(self) -> str:
        """The scenario as a file: block style on top, one flow-style line per entry and step."""
        return yaml_text(self.to_data())


def yaml_text(data: dict[str, Any]) -> str:
    """Scenario data (Scenario.to_data's form) as a file, written by PyYAML's emitter: block
    style on top, one flow-style line per shop, creator and step."""
    doc: dict[str, Any] = {"name": data["name"]}
    for key in ("name_zh", "description", "description_zh"):
        if data.get(key) is not None:
            doc[key] = data[key]
    doc["rules"] = emit.FlowList(data.get("rules", []))
    if data.get("tags"):
        doc["tags"] = emit.FlowList(data["tags"])
    if data.get("start_from") is not None:
        doc["start_from"] = data["start_from"]
    elif "start" in data:
        doc["start"] = emit.plain(data["start"])
    if data.get("ruleset"):
        doc["ruleset"] = emit.plain(data["ruleset"])
    if data.get("vary") is not None:
        doc["vary"] = emit.FlowList(data["vary"])
    for section in ("shops", "creators"):
        entries = data.get(section) or {}
        doc[section] = {k: emit.plain(v) for k, v in entries.items()} if entries else emit.FlowMap()
    steps = [{key: emit.plain(value) for key, value in step.items()} for step in data["steps"]]
    doc["steps"] = steps or emit.FlowList()
    return emit.document(doc)


def scalar(value: Any) -> str:
    """One value as YAML text, quoted as the emitter sees fit."""
    return emit.scalar(value)


def flow(value: Any) -> str:
    """A value in YAML flow style: {a: 1, b: [x, y]}."""
    return emit.flow(value)
