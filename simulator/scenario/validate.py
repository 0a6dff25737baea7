"""Scenario files checked node by node: every problem as FILE:LINE:COL, nothing run until clean."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bindsim.machines import (
    Binding,
    CreatorApp,
    Invitation,
    Reason,
    Ruleset,
    SellerCenter,
    SupportTicket,
)
from bindsim.machines.durations import InvalidDurationText, format_duration, parse_duration
from bindsim.machines.screens import ScreenMachine
from bindsim.simulator.clock import LATEST, TIME_RANGE, as_instant
from bindsim.simulator.errors import BindSimError, NaiveDatetime, ScenarioError
from bindsim.simulator.facts import CREATOR_FACTS, ROLES, SHOP_KINDS, STATUSES
from bindsim.simulator.ids import id_problem
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.loader import Located, Pos, parse_yaml, read_text
from bindsim.simulator.scenario.rules import RULE_IDS

TOP_LEVEL = (
    "name",
    "name_zh",
    "description",
    "rules",
    "start",
    "ruleset",
    "shops",
    "creators",
    "steps",
)
SHOP_FIELDS = ("region", "kind", "status")
STEP_EXTRAS = ("expect_error", "note")
NO_EXPECT_ERROR = ("advance", "advance_to", "expect")
CHECK_KINDS = ("invitation", "binding", "ticket", "screen", "shop", "creator", "time")
CAPABILITIES = (
    "auto_sync_showcase",
    "add_from_shop",
    "sell_in_live_and_video",
    "follower_minimum_applies",
)
CREATOR_ROLES = (*ROLES, "affiliate")
RULESET_SETTINGS = tuple(f.name for f in fields(Ruleset))
REASON_CODES = tuple(r.value for r in Reason)

# The fields of the actions whose arguments are a mapping of ids (and a role / labels).
ACTION_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "invite": {"shop": ("shop", True), "creator": ("creator", True), "role": ("role", False)},
    "accept": {"creator": ("creator", True), "shop": ("shop", True)},
    "decline": {"creator": ("creator", True), "shop": ("shop", True)},
    "withdraw": {"shop": ("shop", True), "creator": ("creator", True)},
    "tap": {"creator": ("creator", True), "on": ("app_labels", True)},
    "click": {"shop": ("shop", True), "on": ("center_labels", True), "account": ("creator", False)},
    "request_unlink": {"creator": ("creator", True)},
    "approve_unlink": {"shop": ("shop", True), "creator": ("creator", True)},
    "decline_unlink": {"shop": ("shop", True), "creator": ("creator", True)},
    "open_ticket": {"shop": ("shop", True), "creator": ("creator", True)},
}

# The facts each kind of check can compare (besides its subject).
CHECK_FIELDS: dict[str, tuple[str, ...]] = {
    "invitation": ("state", "reasons"),
    "binding": ("state", "reasons"),
    "ticket": ("state", "causes"),
    "screen": ("id", "visible", "hidden"),
    "shop": ("official", "channels", "official_unbinds_left", "channel_binds_left", "status"),
    "creator": ("bound_shop", "role", "capabilities", *CREATOR_FACTS),
    "time": (),
}

_MACHINE_STATES: dict[str, tuple[str, ...]] = {
    "invitation": tuple(Invitation.nodes),
    "binding": tuple(Binding.nodes),
    "ticket": tuple(SupportTicket.nodes),
}


def _screen_catalogue() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(creator app screen ids, Seller Center screen ids, every label in English and Chinese)."""
    edges = (*CreatorApp.edges.values(), *SellerCenter.edges.values())
    labels = [e.label.en for e in edges] + [e.label.zh for e in edges]
    return tuple(CreatorApp.nodes), tuple(SellerCenter.nodes), tuple(dict.fromkeys(labels))


SCREENS = _screen_catalogue()

# Where each label can be used: a tap on the creator's phone, a click in Seller Center.
UIS: dict[type[ScreenMachine], tuple[str, str]] = {
    CreatorApp: ("the creator app", "tap"),
    SellerCenter: ("Seller Center", "click"),
}


def ui_labels(ui: type[ScreenMachine]) -> tuple[str, ...]:
    """Every label of one UI in English and Chinese: the labels its label_event accepts."""
    edges = ui.edges.values()
    return tuple(dict.fromkeys([e.label.en for e in edges] + [e.label.zh for e in edges]))


class InvalidScenario(ScenarioError):
    """One or more problems in scenario files; `errors` lists each at its FILE:LINE:COL."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.path, e.line, e.column))
        first = self.errors[0]
        super().__init__(first.path, first.line, first.column, first.text)

    def __str__(self) -> str:
        return "\n".join(f"{e.path}:{e.line}:{e.column}: {e.text}" for e in self.errors)


class _Bad(Exception):
    """A problem at one node, collected by the validator."""

    def __init__(self, pos: Pos, message: str) -> None:
        self.pos, self.message = pos, message
        super().__init__(message)


def _hint(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; expected one of: {', '.join(choices)}"


@dataclass
class Validator:
    """Turns a located YAML tree into a model.Scenario, collecting every problem on the way.

    `shops` and `creators` are the declared ids (walk adds to them as the session goes).
    """

    path: str
    shops: set[str] = field(default_factory=set)
    creators: set[str] = field(default_factory=set)
    errors: list[ScenarioError] = field(default_factory=list)

    def fail(self, pos: Pos, message: str) -> None:
        self.errors.append(ScenarioError(self.path, pos.line, pos.column, message))

    def attempt(self, check: Callable[..., Any], *args: Any) -> Any:
        """Run one check; a _Bad becomes a collected error and the result is None."""
        try:
            return check(*args)
        except _Skip:
            return None
        except _Bad as bad:
            self.fail(bad.pos, bad.message)
            return None

    # ------------------------------------------------------------ the file

    def scenario(self, root: Located | None) -> model.Scenario | None:
        if root is None:
            self.fail(Pos(1, 1), "the file is empty; a scenario needs at least name and steps")
            return None
        if not root.is_map:
            self.fail(root.pos, "a scenario is a mapping with name, steps, ...")
            return None
        top = root.value
        for key, pos in root.key_pos.items():
            if key not in TOP_LEVEL:
                self.fail(pos, f"unknown field {key!r}{_hint(key, TOP_LEVEL)}")
        name = self.attempt(self._required_text, root, "name")
        name_zh = self.attempt(self._optional_text, top.get("name_zh"))
        description = self.attempt(self._optional_text, top.get("description"))
        rules = self.attempt(self._rules, top.get("rules"))
        start = model.DEFAULT_START
        if "start" in top:
            start = self.attempt(self._time, top["start"]) or start
        ruleset = self.attempt(self._ruleset, top.get("ruleset")) or ()
        shops = self._shops(top.get("shops"))
        creators = self._creators(top.get("creators"))
        steps: tuple[model.Step, ...] = ()
        if "steps" not in top:
            self.fail(root.pos, "missing field 'steps': the list of steps to run")
        else:
            steps = self.steps(top["steps"], start)
        if self.errors or name is None:
            return None
        return model.Scenario(
            name=name,
            steps=steps,
            rules=rules or (),
            start=start,
            ruleset=ruleset,
            shops=shops,
            creators=creators,
            description=description,
            name_zh=name_zh or None,
            path=self.path,
            line=root.pos.line,
        )

    def _required_text(self, node: Located, key: str) -> str:
        if key not in node.value:
            raise _Bad(node.pos, f"missing field {key!r}")
        text = self._optional_text(node.value[key])
        if not text:
            raise _Bad(node.value[key].pos, f"{key!r} must be non-empty text")
        return text

    def _optional_text(self, node: Located | None) -> str | None:
        if node is None:
            return None
        if not isinstance(node.value, str):
            raise _Bad(node.pos, f"expected text, got {_show(node)}")
        return node.value

    def _rules(self, node: Located | None) -> tuple[str, ...]:
        if node is None:
            return ()
        items = self._list(node, "rule IDs")
        found = []
        for item in items:
            rule = self.attempt(self._rule_id, item)
            if rule is not None:
                found.append(rule)
        return tuple(found)

    def _rule_id(self, node: Located) -> str:
        if not isinstance(node.value, str) or node.value not in RULE_IDS:
            raise _Bad(node.pos, f"unknown rule ID {_show(node)}{_hint(str(node.value), RULE_IDS)}")
        return node.value

    def _ruleset(self, node: Located | None) -> tuple[tuple[str, Any], ...]:
        if node is None:
            return ()
        self._map(node, "ruleset settings")
        overrides: list[tuple[str, Any]] = []
        for key, value in node.value.items():
            pos = node.key_pos[key]
            if key not in RULESET_SETTINGS:
                self.fail(pos, f"unknown ruleset setting {key!r}{_hint(key, RULESET_SETTINGS)}")
                continue
            if key == "ticket_unfixable":
                codes = self.attempt(self._codes, value)
                if codes is None:
                    continue
            is_duration = isinstance(getattr(Ruleset(), key), timedelta)
            if is_duration and self.attempt(self._duration, value) is None:
                continue
            try:
                Ruleset().with_overrides({key: value.plain()})
            except (KeyError, ValueError, TypeError) as error:
                self.fail(value.pos, str(error).strip("'\""))
                continue
            overrides.append((key, value.plain()))
        return tuple(overrides)

    def _shops(self, node: Located | None) -> tuple[model.ShopSpec, ...]:
        if node is None:
            return ()
        if self.attempt(self._map, node, "shops: shop id → {region, kind}") is None:
            return ()
        specs = []
        for shop_id, body in node.value.items():
            if self.attempt(self._declared_id, node, shop_id) is None:
                continue
            self.shops.add(shop_id)
            spec = self.attempt(self._shop, shop_id, body)
            if spec is not None:
                specs.append(spec)
        return tuple(specs)

    def _shop(self, shop_id: str, body: Located) -> model.ShopSpec:
        self._map(body, "shop facts {region, kind, status}")
        self._known_keys(body, SHOP_FIELDS, "shop field")
        if "region" not in body.value:
            raise _Bad(body.pos, f"shop {shop_id!r} needs a region, e.g. {{region: GB}}")
        region = self.attempt(self._region, body.value["region"])
        kind = "open"
        if "kind" in body.value:
            kind = self.attempt(self._choice, body.value["kind"], SHOP_KINDS, "shop kind")
        status = "normal"
        if "status" in body.value:
            status = self.attempt(self._choice, body.value["status"], STATUSES, "status")
        if region is None or kind is None or status is None:
            raise _Skip()
        return model.ShopSpec(shop_id, region, kind, status)

    def _creators(self, node: Located | None) -> tuple[model.CreatorSpec, ...]:
        if node is None:
            return ()
        if self.attempt(self._map, node, "creators: id → {country, age}") is None:
            return ()
        specs = []
        for creator_id, body in node.value.items():
            if self.attempt(self._declared_id, node, creator_id) is None:
                continue
            self.creators.add(creator_id)
            spec = self.attempt(self._creator, creator_id, body)
            if spec is not None:
                specs.append(spec)
        return tuple(specs)

    def _creator(self, creator_id: str, body: Located) -> model.CreatorSpec | None:
        self._map(body, "creator facts {country, age, ...}")
        self._known_keys(body, CREATOR_FACTS, "creator field")
        for required in ("country", "age"):
            if required not in body.value:
                raise _Bad(
                    body.pos,
                    f"creator {creator_id!r} needs {required}, e.g. {{country: GB, age: 24}}",
                )
        facts = []
        ok = True
        for key, value in body.value.items():
            if key in CREATOR_FACTS:
                checked = self.attempt(lambda k, v: (self._fact(k, v),), key, value)
                if checked is None:
                    ok = False
                else:
                    facts.append((key, checked[0]))
        return model.CreatorSpec(creator_id, tuple(facts)) if ok else None

    def _declared_id(self, node: Located, key: str) -> str:
        """A shop or creator id written as a key of `shops:` or `creators:`: YAML text only."""
        if key in node.odd_keys:
            raw = node.odd_keys[key]
            quote = "" if raw is None else f"; quote it ('{key}') to use it as text"
            raise _Bad(
                node.key_pos[key],
                f"an id is a word like gb or alice, got {_show(Located(raw, Pos(0, 0)))}{quote}",
            )
        return self._new_id(key, node.key_pos[key])

    def _new_id(self, value: str, pos: Pos) -> str:
        problem = id_problem(value)
        if problem is not None:
            raise _Bad(pos, problem)
        if value in self.shops or value in self.creators:
            raise _Bad(pos, f"{value!r} is already the id of a shop or creator")
        return value

    # ------------------------------------------------------------ steps

    def steps(self, node: Located, start: datetime | None = None) -> tuple[model.Step, ...]:
        """The steps of a file; from `start` on, the time of each is checked (see _time_after)."""
        items = self.attempt(self._list, node, "steps")
        if items is None:
            return ()
        steps = []
        now = start
        for item in items:
            step = self.attempt(self.step, item)
            if step is not None:
                steps.append(step)
                if now is not None:
                    now = self.attempt(self._time_after, step, item, now) or now
        return tuple(steps)

    def _time_after(self, step: model.Step, node: Located, now: datetime) -> datetime:
        """The simulated time after `step`, which was at `now` before it.

        Only advance and advance_to move a scenario's clock, so the time of every step is known
        before anything runs: a step that would take it backwards or out of range is invalid.
        """
        if isinstance(step, model.Advance):
            later = now + step.by  # cannot overflow: now < LATEST and step.by ≤ MAX_DURATION
            if later >= LATEST:
                raise _Bad(
                    node.value["advance"].pos,
                    f"advancing {format_duration(step.by)} from {model.scalar(now)} would reach "
                    f"{model.scalar(later)}; {TIME_RANGE}",
                )
            return later
        if isinstance(step, model.AdvanceTo):
            if step.when < now:
                raise _Bad(
                    node.value["advance_to"].pos,
                    f"{model.scalar(step.when)} is before {model.scalar(now)}, the scenario's "
                    "time at this step; the clock only moves forward",
                )
            return step.when
        return now

    def step(self, node: Located) -> model.Step | None:
        """One step mapping: one verb, plus expect_error and note."""
        self._map(node, f"a step: one of {', '.join(model.STEP_TYPES)}")
        verbs = [key for key in node.value if key not in STEP_EXTRAS]
        for key in verbs:
            if key not in model.STEP_TYPES:
                raise _Bad(node.key_pos[key], f"unknown verb {key!r}{_hint(key, model.STEP_TYPES)}")
        if not verbs:
            raise _Bad(node.pos, f"a step needs a verb: one of {', '.join(model.STEP_TYPES)}")
        if len(verbs) > 1:
            raise _Bad(
                node.key_pos[verbs[1]],
                f"one verb per step: {verbs[0]!r} and {verbs[1]!r}; make them two steps",
            )
        verb = verbs[0]
        args = node.value[verb]
        extras: dict[str, Any] = {"line": node.pos.line, "column": node.pos.column}
        if "note" in node.value:
            extras["note"] = self._optional_text(node.value["note"])
        if "expect_error" in node.value:
            if verb in NO_EXPECT_ERROR:
                raise _Bad(
                    node.key_pos["expect_error"],
                    f"expect_error goes on an action step; {verb!r} cannot be refused",
                )
            extras["expect_error"] = self._codes(node.value["expect_error"], allow_one=True)
        if verb == "advance":
            return model.Advance(by=self._duration(args), **extras)
        if verb == "advance_to":
            return model.AdvanceTo(when=self._time(args), **extras)
        if verb == "set":
            return self._set(args, extras)
        if verb == "expect":
            return model.Expect(checks=self._checks(args), **extras)
        values = self._fields(args, verb, ACTION_FIELDS[verb])
        return model.STEP_TYPES[verb](**values, **extras)

    def _fields(
        self, node: Located, verb: str, spec: dict[str, tuple[str, bool]]
    ) -> dict[str, Any]:
        example = ", ".join(f"{name}: ..." for name, (_, required) in spec.items() if required)
        self._map(node, f"{verb} takes {{{example}}}")
        self._known_keys(node, spec, f"field of {verb!r}")
        values: dict[str, Any] = {}
        for name, (kind, required) in spec.items():
            if name not in node.value:
                if required:
                    raise _Bad(node.pos, f"{verb!r} needs {name!r}: {{{example}}}")
                continue
            values[name] = self._typed(kind, node.value[name])
        return values

    def _typed(self, kind: str, node: Located) -> Any:
        if kind == "shop":
            return self._shop_id(node)
        if kind == "creator":
            return self._creator_id(node)
        if kind == "role":
            return self._choice(node, ROLES, "role")
        if kind == "app_labels":
            return self._labels(node, CreatorApp)
        if kind == "center_labels":
            return self._labels(node, SellerCenter)
        raise AssertionError(kind)

    def _set(self, node: Located, extras: dict[str, Any]) -> model.SetFacts:
        self._map(node, "set takes {creator: ID, fact: value} or {shop: ID, status: ...}")
        targets = [key for key in ("creator", "shop") if key in node.value]
        if len(targets) != 1:
            raise _Bad(node.pos, "set names one creator or one shop: {creator: alice, network: US}")
        target = targets[0]
        facts_allowed = tuple(CREATOR_FACTS) if target == "creator" else ("status",)
        ident = self._creator_id(node.value[target]) if target == "creator" else None
        if target == "shop":
            ident = self._shop_id(node.value[target])
        facts = []
        for key, value in node.value.items():
            if key == target:
                continue
            if key not in facts_allowed:
                raise _Bad(
                    node.key_pos[key],
                    f"unknown {target} fact {key!r}{_hint(key, facts_allowed)}",
                )
            facts.append((key, self._fact(key, value)))
        if not facts:
            raise _Bad(node.pos, f"set needs a fact to change: one of {', '.join(facts_allowed)}")
        assert ident is not None
        return model.SetFacts(target=target, id=ident, facts=tuple(facts), **extras)

    # ------------------------------------------------------------ expect

    def _checks(self, node: Located) -> tuple[model.Check, ...]:
        items = node.value if node.is_list else [node]
        if not items:
            raise _Bad(node.pos, "expect needs at least one check")
        return tuple(self._check(item) for item in items)

    def _check(self, node: Located) -> model.Check:
        self._map(node, "a check like {binding: {shop: gb, creator: alice}, state: bound}")
        found = [key for key in CHECK_KINDS if key in node.value]
        if not found:
            raise _Bad(node.pos, f"a check names its subject: one of {', '.join(CHECK_KINDS)}")
        kind = found[0]
        if kind in ("shop", "creator") and len(found) > 1:
            raise _Bad(
                node.key_pos[found[1]],
                "one subject per check; put several checks in a list: expect: [{...}, {...}]",
            )
        subject_node = node.value[kind]
        subject: tuple[str, ...]
        if kind == "time":
            self._known_keys(node, ("time",), "field of a time check")
            when = self._time(subject_node)
            return model.Check("time", (), (("time", when),), node.pos.line, node.pos.column)
        if kind in ("invitation", "binding", "ticket"):
            pair = self._fields(
                subject_node, kind, {"shop": ("shop", True), "creator": ("creator", True)}
            )
            subject = (pair["shop"], pair["creator"])
        elif kind == "screen":
            subject = (self._any_id(subject_node),)
        elif kind == "shop":
            subject = (self._shop_id(subject_node),)
        else:
            subject = (self._creator_id(subject_node),)
        allowed = CHECK_FIELDS[kind]
        expected = []
        for key, value in node.value.items():
            if key == kind:
                continue
            if key not in allowed:
                raise _Bad(
                    node.key_pos[key],
                    f"a {kind} check has no field {key!r}{_hint(key, allowed)}",
                )
            expected.append((key, self._expected(kind, key, value, subject)))
        if not expected:
            raise _Bad(node.pos, f"nothing to check: add one of {', '.join(allowed)}")
        return model.Check(kind, subject, tuple(expected), node.pos.line, node.pos.column)

    def _expected(self, kind: str, key: str, node: Located, subject: tuple[str, ...]) -> Any:
        if key == "state":
            return self._choice(node, _MACHINE_STATES[kind], f"{kind} state")
        if key in ("reasons", "causes"):
            return self._codes(node)
        if key == "id":
            ids = SCREENS[0] if subject[0] in self.creators else SCREENS[1]
            return self._choice(node, ids, "screen id")
        if key in ("visible", "hidden"):
            return self._labels(node, CreatorApp if subject[0] in self.creators else SellerCenter)
        if key in ("official", "bound_shop"):
            if node.value is None:
                return None
            return self._creator_id(node) if key == "official" else self._shop_id(node)
        if key == "channels":
            return tuple(self._creator_id(item) for item in self._list(node, "creator ids"))
        if key in ("official_unbinds_left", "channel_binds_left"):
            return self._count(node, key)
        if key == "status":
            return self._choice(node, STATUSES, "status")
        if key == "role":
            return self._choice(node, CREATOR_ROLES, "role")
        if key == "capabilities":
            self._map(node, f"capabilities: any of {', '.join(CAPABILITIES)}")
            self._known_keys(node, CAPABILITIES, "capability")
            return {name: self._bool(value, name) for name, value in node.value.items()}
        return self._fact(key, node)

    # ------------------------------------------------------------ values

    def _map(self, node: Located, what: str) -> Located:
        if not node.is_map:
            raise _Bad(node.pos, f"expected a mapping ({what}), got {_show(node)}")
        return node

    def _list(self, node: Located, what: str) -> list[Located]:
        if not node.is_list:
            raise _Bad(node.pos, f"expected a list of {what}, got {_show(node)}")
        return list(node.value)

    def _known_keys(self, node: Located, allowed: Iterable[str], what: str) -> None:
        allowed = tuple(allowed)
        for key, pos in node.key_pos.items():
            if key not in allowed:
                raise _Bad(pos, f"unknown {what} {key!r}{_hint(key, allowed)}")

    def _text(self, node: Located) -> str:
        if not isinstance(node.value, str) or not node.value:
            raise _Bad(node.pos, f"expected text, got {_show(node)}")
        return node.value

    def _choice(self, node: Located, choices: Iterable[str], what: str) -> str:
        choices = tuple(choices)
        if not isinstance(node.value, str) or node.value not in choices:
            raise _Bad(node.pos, f"unknown {what} {_show(node)}{_hint(str(node.value), choices)}")
        return node.value

    def _shop_id(self, node: Located) -> str:
        if not isinstance(node.value, str) or node.value not in self.shops:
            declared = ", ".join(sorted(self.shops)) or "none"
            raise _Bad(node.pos, f"unknown shop {_show(node)}; declared under shops: {declared}")
        return node.value

    def _creator_id(self, node: Located) -> str:
        if not isinstance(node.value, str) or node.value not in self.creators:
            declared = ", ".join(sorted(self.creators)) or "none"
            raise _Bad(
                node.pos, f"unknown creator {_show(node)}; declared under creators: {declared}"
            )
        return node.value

    def _any_id(self, node: Located) -> str:
        if not isinstance(node.value, str) or node.value not in self.shops | self.creators:
            declared = ", ".join(sorted(self.shops | self.creators)) or "none"
            raise _Bad(node.pos, f"unknown shop or creator {_show(node)}; declared: {declared}")
        return node.value

    def _labels(self, node: Located, ui: type[ScreenMachine]) -> tuple[str, ...]:
        """Labels of one UI (English or Chinese): a tap in Seller Center can never happen."""
        items = node.value if node.is_list else [node]
        if not items:
            raise _Bad(node.pos, "give at least one label")
        labels = []
        for item in items:
            label = self._text(item)
            if ui.label_event(label) is None:
                where = "".join(
                    f"; it is a label of {name}, for {verb}"
                    for other, (name, verb) in UIS.items()
                    if other is not ui and other.label_event(label) is not None
                )
                raise _Bad(
                    item.pos,
                    f"{label!r} is not a label of {UIS[ui][0]}{where}{_hint(label, ui.labels())}",
                )
            labels.append(label)
        return tuple(labels)

    def _codes(self, node: Located, allow_one: bool = False) -> tuple[str, ...]:
        items = node.value if node.is_list else ([node] if allow_one else None)
        if items is None:
            raise _Bad(node.pos, f"expected a list of reason codes, got {_show(node)}")
        codes = []
        for item in items:
            if not isinstance(item.value, str) or item.value not in REASON_CODES:
                raise _Bad(
                    item.pos,
                    f"unknown reason code {_show(item)}{_hint(str(item.value), REASON_CODES)}",
                )
            codes.append(item.value)
        if allow_one and not codes:
            raise _Bad(node.pos, "expect_error needs at least one reason code")
        return tuple(codes)

    def _duration(self, node: Located) -> timedelta:
        if not isinstance(node.value, str):
            raise _Bad(
                node.pos, f"a duration is text like 90s, 15m, 47h59m or 2d, got {_show(node)}"
            )
        try:
            return parse_duration(node.value)
        except InvalidDurationText as error:
            raise _Bad(node.pos, str(error)) from None

    def _time(self, node: Located) -> datetime:
        if not isinstance(node.value, str):
            raise _Bad(node.pos, f"a time is text like 2024-11-11T12:00:00Z, got {_show(node)}")
        try:
            return as_instant(node.value)
        except NaiveDatetime:
            text = node.value if "T" in node.value else f"{node.value}T00:00:00"
            raise _Bad(
                node.pos,
                f"the time {node.value!r} has no time zone; add one: {text}Z (UTC) or {text}+08:00",
            ) from None
        except BindSimError as error:
            raise _Bad(node.pos, str(error)) from None

    def _region(self, node: Located) -> str:
        value = node.value
        if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
            raise _Bad(
                node.pos, f"a country is two capital letters like GB or US, got {_show(node)}"
            )
        if not value.isupper():
            raise _Bad(node.pos, f"a country is two capital letters: {value.upper()}, not {value}")
        return value

    def _count(self, node: Located, what: str) -> int:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _Bad(node.pos, f"{what} is a whole number ≥ 0, got {_show(node)}")
        return value

    def _bool(self, node: Located, what: str) -> bool:
        if not isinstance(node.value, bool):
            raise _Bad(node.pos, f"{what} is true or false, got {_show(node)}")
        return node.value

    def _fact(self, name: str, node: Located) -> Any:
        if name in ("country", "network", "registration_country"):
            return self._region(node)
        if name == "status":
            return self._choice(node, STATUSES, "status")
        if name in ("age", "followers"):
            return self._count(node, name)
        if name == "ecommerce_permission":
            return self._bool(node, name)
        raise AssertionError(name)


class _Skip(_Bad):
    """A node whose own problems were already collected."""

    def __init__(self) -> None:
        super().__init__(Pos(0, 0), "")


def _show(node: Located) -> str:
    value = node.value
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def load_text(text: str, path: str = "<string>") -> model.Scenario:
    """A validated scenario from YAML text; InvalidScenario lists every problem."""
    try:
        root = parse_yaml(text, path)
    except ScenarioError as error:
        raise InvalidScenario([error]) from None
    validator = Validator(path)
    scenario = validator.scenario(root)
    errors = validator.errors
    if errors or scenario is None:
        raise InvalidScenario(errors or [ScenarioError(path, 1, 1, "invalid scenario")])
    return scenario


def load_file(path: str | Path) -> model.Scenario:
    """A validated scenario from a file; InvalidScenario lists every problem."""
    try:
        text = read_text(path)
    except ScenarioError as error:
        raise InvalidScenario([error]) from None
    return load_text(text, str(path))


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The scenario files named, and every *.scenario.yaml under the folders named, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.scenario.yaml") if p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))
