"""Rulesets in files: when the platform changes a number, QA changes a file, not the code."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from bindsim.machines import InvalidSetting, Ruleset
from bindsim.simulator.errors import InvalidArgument


def load_ruleset(path: str | Path, base: Ruleset | None = None) -> Ruleset:
    """A Ruleset from a TOML or YAML file of settings (flat, or under a `ruleset` table); settings
    not in the file keep `base`'s values (the seed's by default). Durations are text: "48h", "180d".

    A bad file raises ScenarioError (bad YAML, at FILE:LINE:COL) or InvalidArgument naming the
    file and the setting.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidArgument(f"{path}: cannot read the ruleset file: {error.strerror}") from None
    data: Any
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InvalidArgument(f"{path}: invalid TOML: {error}") from None
    elif path.suffix in (".yaml", ".yml"):
        from bindsim.simulator.scenario.loader import (
            parse_yaml,  # YAML 1.2, duplicated keys refused
        )

        located = parse_yaml(text, str(path))
        data = {} if located is None else located.plain()
    else:
        raise InvalidArgument(f"{path}: a ruleset file is .toml, .yaml or .yml")
    if isinstance(data, dict) and set(data) == {"ruleset"}:
        data = data["ruleset"]
    if not isinstance(data, dict):
        raise InvalidArgument(f'{path}: a ruleset file holds settings: invite_ttl = "48h" ...')
    try:
        return (base or Ruleset()).with_overrides(data)
    except InvalidSetting as error:
        raise InvalidArgument(f"{path}: {error}") from None
