"""Scenario files checked node by node: every problem as FILE:LINE:COL, nothing run until clean.

The checks come from the one declaration of the format (format.py): verbs, fields, value types,
creator facts and checks. This module adds what a whole file needs: the cast, the clock's time
at every step, and (with compose.py) `include:`, `start_from:` and `examples:`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bindsim.errors import Bad, ContradictorySettings, InvalidScenario, ScenarioError
from bindsim.machines import Ruleset
from bindsim.machines.rules import RULE_IDS
from bindsim.simulator.facts import VARIABLE_FACTS
from bindsim.simulator.ids import id_problem
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.compose import (
    examples,
    included,
    merge,
    refuse_file_fields,
    start_world,
    substitute,
)
from bindsim.simulator.scenario.expect import CHECKS
from bindsim.simulator.scenario.format import (
    CREATOR_AGE,
    CREATOR_FACTS,
    NOT_APPLICABLE,
    SHOP_FIELDS,
    STEP_EXTRAS,
    TIME,
    TOP_LEVEL,
    VERBS,
    Checks,
    Field,
    Fields,
    Scalar,
    SetFacts,
    Shape,
    Verb,
    hint,
    show,
)
from bindsim.simulator.scenario.loader import Located, Pos, parse_yaml, read_text

RULESET_SETTINGS = tuple(f.name for f in fields(Ruleset))


class _Skip(Bad):
    """A node whose own problems were already collected."""

    def __init__(self) -> None:
        super().__init__(Pos(0, 0), "")


@dataclass
class Validator:
    """Turns a located YAML tree into a model.Scenario, collecting every problem on the way.

    `shops` and `creators` are the declared ids (walk adds to them as the session goes).
    """

    path: str
    shops: set[str] = field(default_factory=set)
    creators: set[str] = field(default_factory=set)
    errors: list[ScenarioError] = field(default_factory=list)
    require_steps: bool = True
    # The scenario's rules and start, once read: a birthdate after the clock is refused (A-AGE).
    rules: Ruleset | None = None
    start: datetime | None = None

    def fail(self, pos: Pos, message: str) -> None:
        self.errors.append(ScenarioError(pos.file or self.path, pos.line, pos.column, message))

    def attempt(self, check: Callable[..., Any], *args: Any) -> Any:
        """Run one check; a Bad becomes a collected error and the result is None."""
        try:
            return check(*args)
        except _Skip:
            return None
        except Bad as bad:
            self.fail(bad.pos, bad.message)
            return None

    # ------------------------------------------------------------ the file

    def scenario(self, root: Located | None, start_world: Any = None) -> model.Scenario | None:
        """One scenario from its tree (includes merged, example values put in).

        `start_world` is the World of `start_from:`, already loaded (its ids are declared).
        """
        if root is None:
            self.fail(Pos(1, 1), "the file is empty; a scenario needs at least name and steps")
            return None
        if not root.is_map:
            self.fail(root.pos, "a scenario is a mapping with name, steps, ...")
            return None
        top = root.value
        for key, pos in root.key_pos.items():
            if key not in TOP_LEVEL:
                self.fail(pos, f"unknown field {key!r}{hint(key, TOP_LEVEL)}")
        name = self.attempt(self._required_text, root, "name")
        name_zh = self.attempt(self._optional_text, top.get("name_zh"))
        description = self.attempt(self._optional_text, top.get("description"))
        description_zh = self.attempt(self._optional_text, top.get("description_zh"))
        rules = self.attempt(self._rules, top.get("rules"))
        tags = self.attempt(self._tags, top.get("tags")) or ()
        start = model.DEFAULT_START
        start_from = None
        utc_offset = timedelta(0)
        if start_world is not None:
            start_from = top["start_from"].value
            start = self._world_start(start_world)
            for key in ("start", "ruleset"):
                if key in top:
                    self.fail(
                        root.key_pos[key],
                        f"{key!r} cannot go with start_from: the snapshot has its own clock "
                        "and rules",
                    )
        elif "start" in top:
            start = self.attempt(self._time, top["start"]) or start
            utc_offset = _written_offset(top["start"].value)
        ruleset = self.attempt(self._ruleset, top.get("ruleset")) or ()
        if start_world is not None:
            self.rules = start_world.rules
        else:
            try:
                self.rules = Ruleset().with_overrides(dict(ruleset))
            except ValueError:  # a contradiction among the settings: already reported
                self.rules = None
        self.start = start
        vary = self.attempt(self._vary, top.get("vary")) if "vary" in top else None
        shops = self._shops(top.get("shops"))
        creators = self._creators(top.get("creators"))
        steps: tuple[model.Step, ...] = ()
        if "steps" in top:
            steps = self.steps(top["steps"], start)
            if not steps and not self.errors and self.require_steps:
                self.fail(top["steps"].pos, "no steps: a scenario needs at least one step")
        elif self.require_steps:
            self.fail(root.pos, "missing field 'steps': the list of steps to run")
        if self.errors or name is None:
            return None
        return model.Scenario(
            name=name,
            steps=steps,
            rules=rules or (),
            tags=tags,
            start=start,
            ruleset=ruleset,
            shops=shops,
            creators=creators,
            description=description,
            name_zh=name_zh or None,
            description_zh=description_zh or None,
            utc_offset=utc_offset,
            start_from=start_from,
            vary=vary,
            path=self.path,
            line=root.pos.line,
        )

    def _world_start(self, world: Any) -> datetime:
        from bindsim.simulator.scenario.runner import caught_up, snapshot_cast

        shops, creators = snapshot_cast(world)
        self.shops |= shops
        self.creators |= creators
        return caught_up(world)

    def _required_text(self, node: Located, key: str) -> str:
        if key not in node.value:
            raise Bad(node.pos, f"missing field {key!r}")
        text = self._optional_text(node.value[key])
        if not text:
            raise Bad(node.value[key].pos, f"{key!r} must be non-empty text")
        return text

    def _optional_text(self, node: Located | None) -> str | None:
        if node is None:
            return None
        if not isinstance(node.value, str):
            raise Bad(node.pos, f"expected text, got {show(node)}")
        return node.value

    def _rules(self, node: Located | None) -> tuple[str, ...]:
        if node is None:
            return ()
        found = []
        for item in self._list(node, "rule IDs"):
            if not isinstance(item.value, str) or item.value not in RULE_IDS:
                self.fail(
                    item.pos, f"unknown rule ID {show(item)}{hint(str(item.value), RULE_IDS)}"
                )
            else:
                found.append(item.value)
        return tuple(found)

    def _tags(self, node: Located | None) -> tuple[str, ...]:
        if node is None:
            return ()
        tags = []
        for item in self._list(node, "tags (words like smoke or slow)"):
            problem = id_problem(item.value)
            if problem is not None:
                self.fail(item.pos, f"a tag is one word: {problem.removeprefix('an id is ')}")
            else:
                tags.append(item.value)
        return tuple(dict.fromkeys(tags))

    def _vary(self, node: Located | None) -> tuple[str, ...]:
        if node is None:
            return ()
        found = []
        for item in self._list(node, "facts that change"):
            if item.value not in VARIABLE_FACTS:
                self.fail(
                    item.pos, f"{show(item)} cannot vary{hint(str(item.value), VARIABLE_FACTS)}"
                )
            else:
                found.append(item.value)
        return tuple(dict.fromkeys(found))

    def _ruleset(self, node: Located | None) -> tuple[tuple[str, Any], ...]:
        if node is None:
            return ()
        self._map(node, "ruleset settings")
        overrides: list[tuple[str, Any]] = []
        for key, value in node.value.items():
            pos = node.key_pos[key]
            if key not in RULESET_SETTINGS:
                self.fail(pos, f"unknown ruleset setting {key!r}{hint(key, RULESET_SETTINGS)}")
                continue
            if key == "ticket_unfixable" and self.attempt(self._codes, value) is None:
                continue
            is_duration = isinstance(getattr(Ruleset(), key), timedelta)
            if is_duration and self.attempt(self._duration, value) is None:
                continue
            try:
                Ruleset().with_overrides({key: value.plain()})
            except ContradictorySettings:
                pass  # judged with every setting of the file, below
            except (KeyError, ValueError, TypeError) as error:
                self.fail(value.pos, str(error).strip("'\""))
                continue
            overrides.append((key, value.plain()))
        try:
            Ruleset().with_overrides(dict(overrides))
        except ContradictorySettings as error:
            named = [node.value[key].pos for key in error.settings if key in node.value]
            raise Bad(named[0] if named else node.pos, str(error)) from None
        return tuple(overrides)

    def _shops(self, node: Located | None) -> tuple[model.ShopSpec, ...]:
        return self._cast(node, "shops: shop id → {region, kind}", self.shops, self._shop)

    def _creators(self, node: Located | None) -> tuple[model.CreatorSpec, ...]:
        return self._cast(node, "creators: id → {country, age}", self.creators, self._creator)

    def _cast(
        self, node: Located | None, what: str, ids: set[str], read: Callable[[str, Located], Any]
    ) -> tuple[Any, ...]:
        if node is None:
            return ()
        if self.attempt(self._map, node, what) is None:
            return ()
        specs = []
        for ident, body in node.value.items():
            if self.attempt(self._declared_id, node, ident) is None:
                continue
            ids.add(ident)
            spec = self.attempt(read, ident, body)
            if spec is not None:
                specs.append(spec)
        return tuple(specs)

    def _shop(self, shop_id: str, body: Located) -> model.ShopSpec:
        facts = self._facts(body, SHOP_FIELDS, f"shop {shop_id!r}", "{region: GB}")
        if facts is None:
            raise _Skip()
        values = {name: f.default for name, f in SHOP_FIELDS.items() if not f.required}
        values.update(facts)
        return model.ShopSpec(shop_id, values["region"], values["kind"], values["status"])

    def _creator(self, creator_id: str, body: Located) -> model.CreatorSpec | None:
        example = "{country: GB, age: 24}"
        facts = self._facts(body, CREATOR_FACTS, f"creator {creator_id!r}", example)
        given = [name for name in CREATOR_AGE if name in body.value]
        if len(given) != 1:
            where = body.key_pos[given[1]] if len(given) > 1 else body.pos
            raise Bad(
                where,
                f"creator {creator_id!r} needs {' or '.join(CREATOR_AGE)} (one of them, A-AGE), "
                f"e.g. {example}",
            )
        if facts is not None and "birthdate" in facts and self.start is not None:
            self._born_by(facts["birthdate"], body.value["birthdate"], self.start)
        return None if facts is None else model.CreatorSpec(creator_id, tuple(facts.items()))

    def _born_by(self, born: Any, node: Located, now: datetime) -> None:
        """A-AGE: a birthdate after the scenario's clock is a user not born yet."""
        from bindsim.simulator.checks import unborn_problem

        problem = unborn_problem(born, now, self.rules) if self.rules is not None else None
        if problem is not None:
            raise Bad(node.pos, problem)

    def _facts(
        self, body: Located, spec: dict[str, Field], who: str, example: str
    ) -> dict[str, Any] | None:
        """The facts written in `body`, each checked; None when one was wrong (collected)."""
        self._map(body, f"facts: {', '.join(spec)}")
        self._known_keys(body, spec, "field")
        for name, fact in spec.items():
            if fact.required and name not in body.value:
                raise Bad(body.pos, f"{who} needs {name}, e.g. {example}")
        facts = {}
        ok = True
        for key, value in body.value.items():
            checked = self.attempt(lambda v, k=key: (spec[k].type.check(self, v, ()),), value)
            if checked is None:
                ok = False
            else:
                facts[key] = checked[0]
        return facts if ok else None

    def _declared_id(self, node: Located, key: str) -> str:
        """A shop or creator id written as a key of `shops:` or `creators:`: YAML text only."""
        if key in node.odd_keys:
            raw = node.odd_keys[key]
            quote = "" if raw is None else f"; quote it ('{key}') to use it as text"
            raise Bad(
                node.key_pos[key],
                f"an id is a word like gb or alice, got {show(Located(raw, Pos(0, 0)))}{quote}",
            )
        return self.new_id(key, node.key_pos[key])

    def new_id(self, value: str, pos: Pos) -> str:
        """A shop or creator id about to be declared: a printable word, not taken yet."""
        problem = id_problem(value)
        if problem is not None:
            raise Bad(pos, problem)
        if value in self.shops or value in self.creators:
            raise Bad(pos, f"{value!r} is already the id of a shop or creator")
        return value

    def shop_spec(self, shop_id: str, body: Located) -> model.ShopSpec:
        """A shop declared at walk's prompt (`shop gb region=GB`)."""
        self.new_id(shop_id, body.pos)
        return self._shop(shop_id, body)

    def creator_spec(self, creator_id: str, body: Located) -> model.CreatorSpec | None:
        """A creator declared at walk's prompt (`creator alice country=GB age=24`)."""
        self.new_id(creator_id, body.pos)
        return self._creator(creator_id, body)

    # ------------------------------------------------------------ steps

    def steps(self, node: Located, start: datetime | None = None) -> tuple[model.Step, ...]:
        """The steps of a file; from `start` on, the time of each is checked (see Verb.clock)."""
        items = self.attempt(self._list, node, "steps")
        if items is None:
            return ()
        steps = []
        now = start
        for item in items:
            step = self.attempt(self.step, item)
            if step is not None:
                steps.append(step)
                if now is not None and step.verb == "set":
                    self.attempt(self._set_born_by, step, item, now)
                if now is not None:
                    now = self.attempt(self._time_after, step, item, now) or now
        return tuple(steps)

    def _set_born_by(self, step: model.Step, node: Located, now: datetime) -> None:
        born = dict(step.args).get("birthdate") if isinstance(step.args, tuple) else None
        if born is not None:
            self._born_by(born, node.value["set"].value["birthdate"], now)

    def _time_after(self, step: model.Step, node: Located, now: datetime) -> datetime:
        """The simulated time after `step`, which was at `now` before it."""
        verb = VERBS[step.verb]
        if verb.clock is None:
            return now
        try:
            return verb.clock(step.args, now)
        except ValueError as error:
            raise Bad(node.value[step.verb].pos, str(error)) from None

    def step(self, node: Located) -> model.Step:
        """One step mapping: one verb, plus expect_error and note."""
        self._map(node, f"a step: one of {', '.join(VERBS)}")
        verbs = [key for key in node.value if key not in STEP_EXTRAS]
        for key in verbs:
            if key not in VERBS:
                raise Bad(node.key_pos[key], f"unknown verb {key!r}{hint(key, VERBS)}")
        if not verbs:
            raise Bad(node.pos, f"a step needs a verb: one of {', '.join(VERBS)}")
        if len(verbs) > 1:
            raise Bad(
                node.key_pos[verbs[1]],
                f"one verb per step: {verbs[0]!r} and {verbs[1]!r}; make them two steps",
            )
        verb = VERBS[verbs[0]]
        extras: dict[str, Any] = {"line": node.pos.line, "column": node.pos.column}
        if "note" in node.value:
            extras["note"] = self._optional_text(node.value["note"])
        if "expect_error" in node.value:
            if not verb.refusable:
                raise Bad(
                    node.key_pos["expect_error"],
                    f"expect_error goes on an action step; {verb.name!r} cannot be refused",
                )
            extras["expect_error"] = self._expected_error(node.value["expect_error"])
        args = _SHAPES[type(verb.shape)](self, verb, node.value[verb.name])
        return model.Step(verb=verb.name, args=args, **extras)

    def _expected_error(self, node: Located) -> tuple[str, ...]:
        from bindsim.simulator.scenario.format import EXPECTED_ERROR

        codes: tuple[str, ...] = EXPECTED_ERROR.check(self, node, ())
        if not codes:
            raise Bad(node.pos, "expect_error needs at least one reason code")
        if NOT_APPLICABLE in codes and len(codes) > 1:
            raise Bad(
                node.pos,
                f"{NOT_APPLICABLE} stands alone: a step that does not apply is not refused",
            )
        return codes

    def _fields(self, verb: Verb, node: Located) -> model.Args:
        spec = verb.shape.fields()
        example = ", ".join(f"{name}: ..." for name, f in spec.items() if f.required)
        self._map(node, f"{verb.name} takes {{{example}}}")
        self._known_keys(node, spec, f"field of {verb.name!r}")
        values: list[tuple[str, Any]] = []
        for name, spec_field in spec.items():
            if name not in node.value:
                if spec_field.required:
                    raise Bad(node.pos, f"{verb.name!r} needs {name!r}: {{{example}}}")
                if spec_field.default is not None:
                    values.append((name, spec_field.default))
                continue
            values.append((name, spec_field.type.check(self, node.value[name], ())))
        return tuple(values)

    def _scalar(self, verb: Verb, node: Located) -> Any:
        assert isinstance(verb.shape, Scalar)
        return verb.shape.type.check(self, node, ())

    def _set(self, verb: Verb, node: Located) -> model.Args:
        assert isinstance(verb.shape, SetFacts)
        targets = verb.shape.targets
        self._map(node, "set takes {creator: ID, fact: value} or {shop: ID, status: ...}")
        named = [key for key in targets if key in node.value]
        if len(named) != 1:
            raise Bad(node.pos, "set names one creator or one shop: {creator: alice, network: US}")
        target = named[0]
        id_type, facts_allowed = targets[target]
        values: list[tuple[str, Any]] = [(target, id_type.check(self, node.value[target], ()))]
        for key, value in node.value.items():
            if key == target:
                continue
            if key not in facts_allowed:
                raise Bad(
                    node.key_pos[key], f"unknown {target} fact {key!r}{hint(key, facts_allowed)}"
                )
            values.append((key, facts_allowed[key].type.check(self, value, ())))
        if len(values) == 1:
            raise Bad(node.pos, f"set needs a fact to change: one of {', '.join(facts_allowed)}")
        return tuple(values)

    def _checks(self, verb: Verb, node: Located) -> tuple[model.Check, ...]:
        items = node.value if node.is_list else [node]
        if not items:
            raise Bad(node.pos, "expect needs at least one check")
        return tuple(self.check(item) for item in items)

    def check(self, node: Located) -> model.Check:
        """One check of an `expect`: a subject and the facts expected of it."""
        self._map(node, "a check like {binding: {shop: gb, creator: alice}, state: bound}")
        found = [key for key in node.value if key in CHECKS]
        if not found:
            raise Bad(node.pos, f"a check names its subject: one of {', '.join(CHECKS)}")
        if len(found) > 1:
            raise Bad(
                node.key_pos[found[1]],
                "one subject per check; put several checks in a list: expect: [{...}, {...}]",
            )
        kind = CHECKS[found[0]]
        subject: tuple[str, ...] = ()
        if len(kind.subject) == 2:
            pair = self._pair(kind.name, node.value[kind.name], kind.subject)
            subject = (pair[0], pair[1])
        elif kind.subject:
            subject = (kind.subject[0].type.check(self, node.value[kind.name], ()),)
        expected = []
        for key, value in node.value.items():
            if key == kind.name and kind.subject:
                continue
            if key not in kind.facts:
                raise Bad(
                    node.key_pos[key],
                    f"a {kind.name} check has no field {key!r}{hint(key, kind.facts)}",
                )
            expected.append((key, kind.facts[key].type.check(self, value, subject)))
        if not expected:
            raise Bad(node.pos, f"nothing to check: add one of {', '.join(kind.facts)}")
        return model.Check(kind.name, subject, tuple(expected), node.pos.line, node.pos.column)

    def _pair(self, verb: str, node: Located, pair: tuple[Field, ...]) -> tuple[str, str]:
        example = ", ".join(f"{f.name}: ..." for f in pair)
        self._map(node, f"{verb} takes {{{example}}}")
        self._known_keys(node, [f.name for f in pair], f"field of {verb!r}")
        values = []
        for spec_field in pair:
            if spec_field.name not in node.value:
                raise Bad(node.pos, f"{verb!r} needs {spec_field.name!r}: {{{example}}}")
            values.append(spec_field.type.check(self, node.value[spec_field.name], ()))
        return values[0], values[1]

    # ------------------------------------------------------------ values

    def _map(self, node: Located, what: str) -> Located:
        if not node.is_map:
            raise Bad(node.pos, f"expected a mapping ({what}), got {show(node)}")
        return node

    def _list(self, node: Located, what: str) -> list[Located]:
        if not node.is_list:
            raise Bad(node.pos, f"expected a list of {what}, got {show(node)}")
        return list(node.value)

    def _known_keys(self, node: Located, allowed: Iterable[str], what: str) -> None:
        allowed = tuple(allowed)
        for key, pos in node.key_pos.items():
            if key not in allowed:
                raise Bad(pos, f"unknown {what} {key!r}{hint(key, allowed)}")

    def _codes(self, node: Located) -> tuple[str, ...]:
        from bindsim.simulator.scenario.format import REASONS

        if not node.is_list:
            raise Bad(node.pos, f"expected a list of reason codes, got {show(node)}")
        codes: tuple[str, ...] = REASONS.check(self, node, ())
        return codes

    def _duration(self, node: Located) -> timedelta:
        from bindsim.simulator.scenario.format import DURATION

        value: timedelta = DURATION.check(self, node, ())
        return value

    def _time(self, node: Located) -> datetime:
        value: datetime = TIME.check(self, node, ())
        return value


# How each shape of a verb's value is read (format.py declares which verb has which shape).
_SHAPES: dict[type[Shape], Callable[[Validator, Verb, Located], Any]] = {
    Fields: Validator._fields,
    Scalar: Validator._scalar,
    SetFacts: Validator._set,
    Checks: Validator._checks,
}


def _written_offset(text: object) -> timedelta:
    """The UTC offset a time was written with ("…+08:00"), zero when it has none to read."""
    try:
        written = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return timedelta(0)
    return written.utcoffset() or timedelta(0)


# ------------------------------------------------------------------ include, start_from, examples


def load_cases_text(
    text: str, path: str = "<string>", require_steps: bool = True, *, reads_files: bool = True
) -> list[model.Scenario]:
    """Every case of a scenario text: one, or one per row of `examples:`.

    InvalidScenario lists every problem (of every row). With require_steps=False, `steps` may be
    missing or empty: a cast file (for `bindsim walk` or exploration) is then valid. With
    reads_files=False (a text that came from elsewhere, such as an upload to `bindsim serve`),
    `include:` and `start_from:` are refused before any file is opened.
    """
    try:
        root = parse_yaml(text, path)
        if not reads_files and root is not None:
            refuse_file_fields(root, path)
        casts = included(root, path, (path,)) if root is not None else []
        snapshot = start_world(root, path) if root is not None else None
    except ScenarioError as error:
        raise InvalidScenario([error]) from None
    if root is not None and casts:
        try:
            root = merge(root, casts)
        except ScenarioError as error:
            raise InvalidScenario([error]) from None
    try:
        rows = examples(root) if root is not None else []
    except Bad as bad:
        raise InvalidScenario(
            [ScenarioError(bad.pos.file or path, *_at(bad.pos), bad.message)]
        ) from None
    cases = []
    errors: list[ScenarioError] = []
    for index, row in enumerate(rows or [{}], start=1):
        tree = root
        if rows and root is not None:
            try:
                tree = substitute(root, row, {})
            except Bad as bad:
                errors.append(ScenarioError(bad.pos.file or path, *_at(bad.pos), bad.message))
                continue
        validator = Validator(path, require_steps=require_steps)
        scenario = validator.scenario(tree, snapshot)
        errors += validator.errors
        if scenario is None:
            if not validator.errors:
                errors.append(ScenarioError(path, 1, 1, "invalid scenario"))
            continue
        if rows:
            scenario = _as_case(scenario, root, index, row)
        cases.append(scenario)
    if errors:
        raise InvalidScenario(errors)
    return cases


def _at(pos: Pos) -> tuple[int, int]:
    return pos.line, pos.column


def _as_case(
    scenario: model.Scenario, root: Located | None, index: int, row: dict[str, Located]
) -> model.Scenario:
    values = tuple((key, node.plain()) for key, node in row.items())
    template = root.value.get("name") if root is not None and root.is_map else None
    named = template is not None and isinstance(template.value, str) and "<" in template.value
    shown = [f"{k}={v if isinstance(v, str) else model.flow(v)}" for k, v in values]
    label = "" if named else "[" + ", ".join(shown) + "]"
    return replace(scenario, example=index, example_values=values, example_label=label)


def load_text(
    text: str, path: str = "<string>", require_steps: bool = True, *, reads_files: bool = True
) -> model.Scenario:
    """A validated scenario from YAML text (for a file with examples: its first case)."""
    return load_cases_text(text, path, require_steps, reads_files=reads_files)[0]


def load_cases(path: str | Path, require_steps: bool = True) -> list[model.Scenario]:
    """Every case of a scenario file: one, or one per row of its `examples:`."""
    try:
        text = read_text(path)
    except ScenarioError as error:
        raise InvalidScenario([error]) from None
    return load_cases_text(text, str(path), require_steps)


def load_file(path: str | Path, require_steps: bool = True) -> model.Scenario:
    """A validated scenario from a file (for a file with examples: its first case; load_cases
    gives every case); InvalidScenario lists every problem."""
    return load_cases(path, require_steps)[0]


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The scenario files named, and every *.scenario.yaml under the folders named, sorted.

    A path that cannot even be looked at (too long, not readable) is kept: loading it then
    reports why.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except (OSError, ValueError):
            is_dir = False
        if is_dir:
            found += sorted(p for p in path.rglob("*.scenario.yaml") if p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))
