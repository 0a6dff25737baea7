"""Rulesets in files: when the platform changes a number, QA changes a file, not the code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bindsim.errors import (
    ContradictorySettings,
    InvalidRulesetFile,
    InvalidSetting,
    ScenarioError,
)
from bindsim.machines import Ruleset
from bindsim.simulator.scenario.loader import Located, Pos, parse_yaml, read_text

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_NESTING = 64  # tomllib recurses once per nested array or table


def load_ruleset(path: str | Path, base: Ruleset | None = None) -> Ruleset:
    """A Ruleset from a TOML or YAML file of settings (flat, or under a `ruleset` table); settings
    not in the file keep `base`'s values (the seed's by default). Durations are text: "48h", "180d".

    Any problem raises InvalidRulesetFile (an InvalidArgument) at FILE:LINE:COL: an unreadable
    file, bad TOML or YAML, an unknown setting or a bad value.
    """
    name = str(path)
    suffix = Path(name).suffix
    if suffix not in (".toml", ".yaml", ".yml"):
        raise InvalidRulesetFile(name, 1, 1, "a ruleset file is .toml, .yaml or .yml")
    try:
        text = read_text(path, "ruleset file")
    except ScenarioError as error:
        raise InvalidRulesetFile(error.path, error.line, error.column, error.text) from None
    settings = _toml_settings(name, text) if suffix == ".toml" else _yaml_settings(name, text)
    rules = base or Ruleset()
    for key, (value, key_pos, value_pos) in settings.items():
        try:
            rules.with_overrides({key: value})
        except ContradictorySettings:
            continue  # judged with the whole file, below: the file may set the other one too
        except InvalidSetting as error:
            where = key_pos if "unknown ruleset setting" in str(error) else value_pos
            raise InvalidRulesetFile(name, where.line, where.column, str(error)) from None
    try:
        return rules.with_overrides({key: value for key, (value, _, _) in settings.items()})
    except ContradictorySettings as error:
        written = [settings[key][1] for key in error.settings if key in settings]
        where = written[0] if written else Pos(1, 1)
        raise InvalidRulesetFile(name, where.line, where.column, str(error)) from None


# setting → (value, where its key is written, where its value is written)
Settings = dict[str, tuple[Any, Pos, Pos]]


def _toml_settings(name: str, text: str) -> Settings:
    import tomllib  # a run with no TOML ruleset does not import it

    depth = _deepest_bracket(text)
    if depth is not None:
        raise InvalidRulesetFile(name, *depth, f"nested more than {_TOML_NESTING} levels deep")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.search(str(error))
        line, column = (int(found[1]), int(found[2])) if found else (1, 1)
        message = _TOML_POSITION.sub("", str(error)).strip()
        raise InvalidRulesetFile(name, line, column, f"invalid TOML: {message}") from None
    if set(data) == {"ruleset"} and isinstance(data["ruleset"], dict):
        data = data["ruleset"]
    lines = text.splitlines()
    settings: Settings = {}
    for key, value in data.items():
        key_pos = _toml_key(lines, key)
        settings[key] = (value, key_pos, Pos(key_pos.line, _value_column(lines, key_pos)))
    return settings


def _deepest_bracket(text: str) -> tuple[int, int] | None:
    """Where brackets outside strings first nest deeper than tomllib can read, if anywhere."""
    depth, quote = 0, ""
    for line_no, line in enumerate(text.splitlines(), start=1):
        for column, char in enumerate(line, start=1):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > _TOML_NESTING:
                    return line_no, column
            elif char in "]}":
                depth = max(0, depth - 1)
    return None


def _toml_key(lines: list[str], key: str) -> Pos:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return Pos(number, len(line) - len(line.lstrip()) + 1)
    return Pos(1, 1)


def _value_column(lines: list[str], key_pos: Pos) -> int:
    if key_pos.line > len(lines):
        return 1
    line = lines[key_pos.line - 1]
    equals = line.find("=")
    if equals < 0:
        return key_pos.column
    return equals + 2 + len(line[equals + 1 :]) - len(line[equals + 1 :].lstrip())


def _yaml_settings(name: str, text: str) -> Settings:
    try:
        root = parse_yaml(text, name)  # YAML 1.2; aliases, deep nesting, odd tags refused
    except ScenarioError as error:
        raise InvalidRulesetFile(error.path, error.line, error.column, error.text) from None
    if root is None:
        return {}
    if root.is_map and set(root.value) == {"ruleset"} and root.value["ruleset"].is_map:
        root = root.value["ruleset"]
    if not root.is_map:
        raise InvalidRulesetFile(
            name, root.pos.line, root.pos.column, 'a ruleset file holds settings: invite_ttl: "48h"'
        )
    items: dict[str, Located] = root.value
    return {key: (node.plain(), root.key_pos[key], node.pos) for key, node in items.items()}
