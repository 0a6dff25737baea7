"""Scenarios as plain data: parsed once, run by one runner, written back to YAML (walk's `save`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from bindsim.machines.durations import format_duration
from bindsim.simulator.clock import DEFAULT_START


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A scenario step; `line`/`column` say where it is written (0 when typed at a prompt)."""

    verb: ClassVar[str] = ""
    expect_error: tuple[str, ...] | None = None
    note: str | None = None
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    def args(self) -> Any:
        """The value under the verb key, as YAML data."""
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {self.verb: self.args()}
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Invite(Step):
    verb: ClassVar[str] = "invite"
    shop: str
    creator: str
    role: str = "official"

    def args(self) -> Any:
        return {"shop": self.shop, "creator": self.creator, "role": self.role}


@dataclass(frozen=True, slots=True, kw_only=True)
class Accept(Step):
    verb: ClassVar[str] = "accept"
    creator: str
    shop: str

    def args(self) -> Any:
        return {"creator": self.creator, "shop": self.shop}


@dataclass(frozen=True, slots=True, kw_only=True)
class Decline(Step):
    verb: ClassVar[str] = "decline"
    creator: str
    shop: str

    def args(self) -> Any:
        return {"creator": self.creator, "shop": self.shop}


@dataclass(frozen=True, slots=True, kw_only=True)
class Withdraw(Step):
    verb: ClassVar[str] = "withdraw"
    shop: str
    creator: str

    def args(self) -> Any:
        return {"shop": self.shop, "creator": self.creator}


@dataclass(frozen=True, slots=True, kw_only=True)
class Advance(Step):
    verb: ClassVar[str] = "advance"
    by: timedelta

    def args(self) -> Any:
        return self.by


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvanceTo(Step):
    verb: ClassVar[str] = "advance_to"
    when: datetime

    def args(self) -> Any:
        return self.when


@dataclass(frozen=True, slots=True, kw_only=True)
class Tap(Step):
    """Labels tapped in order on the creator's phone (R-UNLINK-PATH)."""

    verb: ClassVar[str] = "tap"
    creator: str
    on: tuple[str, ...]

    def args(self) -> Any:
        return {"creator": self.creator, "on": list(self.on)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Click(Step):
    """Labels clicked in order in the shop's Seller Center (R-SELLER-NAV)."""

    verb: ClassVar[str] = "click"
    shop: str
    on: tuple[str, ...]
    account: str | None = None

    def args(self) -> Any:
        data: dict[str, Any] = {"shop": self.shop, "on": list(self.on)}
        if self.account is not None:
            data["account"] = self.account
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestUnlink(Step):
    verb: ClassVar[str] = "request_unlink"
    creator: str

    def args(self) -> Any:
        return {"creator": self.creator}


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproveUnlink(Step):
    verb: ClassVar[str] = "approve_unlink"
    shop: str
    creator: str

    def args(self) -> Any:
        return {"shop": self.shop, "creator": self.creator}


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclineUnlink(Step):
    verb: ClassVar[str] = "decline_unlink"
    shop: str
    creator: str

    def args(self) -> Any:
        return {"shop": self.shop, "creator": self.creator}


@dataclass(frozen=True, slots=True, kw_only=True)
class SetFacts(Step):
    """A fact changes: a creator's (network, status, age ...) or a shop's status."""

    verb: ClassVar[str] = "set"
    target: str  # "creator" or "shop"
    id: str
    facts: tuple[tuple[str, Any], ...]

    def args(self) -> Any:
        return {self.target: self.id, **dict(self.facts)}


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenTicket(Step):
    verb: ClassVar[str] = "open_ticket"
    shop: str
    creator: str

    def args(self) -> Any:
        return {"shop": self.shop, "creator": self.creator}


@dataclass(frozen=True, slots=True)
class Check:
    """One check of an `expect`: a subject and the facts expected of it.

    kind is invitation, binding, ticket (subject: shop, creator), screen, shop, creator (subject:
    an id) or time (no subject). `expected` keeps the facts in the order they were written.
    """

    kind: str
    subject: tuple[str, ...]
    expected: tuple[tuple[str, Any], ...]
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    def to_data(self) -> dict[str, Any]:
        if self.kind == "time":
            return {"time": dict(self.expected)["time"]}
        subject: Any = (
            {"shop": self.subject[0], "creator": self.subject[1]}
            if len(self.subject) == 2
            else self.subject[0]
        )
        return {self.kind: subject, **dict(self.expected)}

    def describe(self) -> str:
        if self.kind == "time":
            return "time"
        if len(self.subject) == 2:
            return f"{self.kind} {self.subject[0]}→{self.subject[1]}"
        return f"{self.kind} {self.subject[0]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Expect(Step):
    verb: ClassVar[str] = "expect"
    checks: tuple[Check, ...]

    def args(self) -> Any:
        if len(self.checks) == 1:
            return self.checks[0].to_data()
        return [check.to_data() for check in self.checks]


STEP_TYPES: dict[str, type[Step]] = {
    cls.verb: cls
    for cls in (
        Invite,
        Accept,
        Decline,
        Withdraw,
        Advance,
        AdvanceTo,
        Tap,
        Click,
        RequestUnlink,
        ApproveUnlink,
        DeclineUnlink,
        SetFacts,
        OpenTicket,
        Expect,
    )
}


@dataclass(frozen=True, slots=True)
class ShopSpec:
    id: str
    region: str
    kind: str = "open"
    status: str = "normal"

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
    start: datetime = DEFAULT_START
    ruleset: tuple[tuple[str, Any], ...] = ()
    shops: tuple[ShopSpec, ...] = ()
    creators: tuple[CreatorSpec, ...] = ()
    description: str | None = None
    name_zh: str | None = None  # the name in Chinese, for zh pictures, storyboards and the gallery
    path: str = field(default="<scenario>", compare=False)
    line: int = field(default=1, compare=False)

    def title(self, lang: str = "en") -> str:
        """The scenario's name in a language: `name_zh` for zh when the file gives one."""
        return self.name_zh if lang == "zh" and self.name_zh else self.name

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.name_zh is not None:
            data["name_zh"] = self.name_zh
        if self.description is not None:
            data["description"] = self.description
        data["rules"] = list(self.rules)
        data["start"] = self.start
        if self.ruleset:
            data["ruleset"] = dict(self.ruleset)
        data["shops"] = {shop.id: shop.to_data() for shop in self.shops}
        data["creators"] = {creator.id: creator.to_data() for creator in self.creators}
        data["steps"] = [step.to_data() for step in self.steps]
        return data

    def to_yaml(self) -> str:
        """The scenario as a file: block style on top, one flow-style line per entry and step."""
        data = self.to_data()
        lines = [f"name: {scalar(self.name)}"]
        if self.name_zh is not None:
            lines.append(f"name_zh: {scalar(self.name_zh)}")
        if self.description is not None:
            lines.append(f"description: {scalar(self.description)}")
        lines.append(f"rules: {flow(data['rules'])}")
        lines.append(f"start: {scalar(self.start)}")
        if self.ruleset:
            lines.append(f"ruleset: {flow(data['ruleset'])}")
        for section in ("shops", "creators"):
            if data[section]:
                lines.append(f"{section}:")
                lines += [f"  {key}: {flow(value)}" for key, value in data[section].items()]
            else:
                lines.append(f"{section}: {{}}")
        lines.append("steps:" if self.steps else "steps: []")
        for step in self.steps:
            entries = list(step.to_data().items())
            verb, args = entries[0]
            lines.append(f"  - {verb}: {flow(args)}")
            lines += [f"    {key}: {flow(value)}" for key, value in entries[1:]]
        return "\n".join(lines) + "\n"


# Text that YAML (1.2 here, but also 1.1 readers) would take as something else, or cannot be plain.
_NOT_PLAIN = re.compile(
    r"^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+.0-9].*|.*[:#,\[\]{}&*!|>'\"%@`].*"
    r"|\s.*|.*\s)$"
)


def scalar(value: Any) -> str:
    """One value as YAML text (flow context)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, timedelta):
        return duration_text(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    text = str(value)
    if _NOT_PLAIN.match(text) or "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return text


def duration_text(delta: timedelta) -> str:
    """A duration as QA writes it: `180d`, `48h`, `47h59m` (not `1d23h59m`)."""
    seconds = int(delta.total_seconds())
    if seconds and seconds % 86400 == 0 and seconds >= 3 * 86400:
        return f"{seconds // 86400}d"
    hours, rest = divmod(seconds, 3600)
    text = f"{hours}h" if hours else ""
    return text + (format_duration(timedelta(seconds=rest)) if rest or not text else "")


def flow(value: Any) -> str:
    """A value in YAML flow style: {a: 1, b: [x, y]}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)
