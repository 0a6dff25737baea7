"""The JSON Schema of the scenario format, built from the validator's own tables (schema.json).

Editors use the shipped schema.json; bindsim itself validates with validate.py, which knows more
(declared ids, positions). Regenerate the file with `python -m bindsim.simulator.scenario.schema`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from bindsim.machines import CreatorApp, Ruleset, SellerCenter
from bindsim.machines.screens import ScreenMachine
from bindsim.simulator.facts import CREATOR_FACTS, ROLES, SHOP_KINDS, STATUSES
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.rules import RULE_IDS
from bindsim.simulator.scenario.validate import (
    _MACHINE_STATES,
    ACTION_FIELDS,
    CAPABILITIES,
    CHECK_FIELDS,
    CREATOR_ROLES,
    NO_EXPECT_ERROR,
    REASON_CODES,
    SCREENS,
    SHOP_FIELDS,
    ui_labels,
)

SCHEMA_PATH = Path(__file__).with_name("schema.json")

_REF = {name: {"$ref": f"#/$defs/{name}"} for name in ("id", "region", "duration", "time")}
_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"
_REASONS = {"type": "array", "items": {"$ref": "#/$defs/reason"}}


def _fact(name: str) -> dict[str, Any]:
    if name in ("country", "network", "registration_country", "home_region"):
        return _REF["region"]
    if name == "birthdate":
        return {"type": "string", "format": "date"}
    if name == "status":
        return {"enum": list(STATUSES)}
    if name in ("age", "followers"):
        return {"type": "integer", "minimum": 0}
    return {"type": "boolean"}


def _setting(name: str, default: Any) -> dict[str, Any]:
    if name in Ruleset.CHOICES:
        return {"enum": list(Ruleset.CHOICES[name])}
    if name in Ruleset.PATTERNS:
        return {"type": "string", "pattern": f"^{Ruleset.PATTERNS[name][0]}$"}
    if isinstance(default, timedelta):
        return _REF["duration"]
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer", "minimum": 0}
    if name == "ticket_unfixable":
        return _REASONS
    return {"type": "array", "items": _REF["region"]}


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _labels(ui: type[ScreenMachine]) -> dict[str, Any]:
    """One label of `ui` (tap: the creator app, click: Seller Center) or a list of them."""
    label = {"enum": list(ui_labels(ui))}
    return {"oneOf": [label, {"type": "array", "minItems": 1, "items": label}]}


def _action_args(verb: str) -> dict[str, Any]:
    kinds = {
        "shop": _REF["id"],
        "creator": _REF["id"],
        "role": {"enum": list(ROLES)},
        "app_labels": {"$ref": "#/$defs/app_labels"},
        "center_labels": {"$ref": "#/$defs/center_labels"},
    }
    spec = ACTION_FIELDS[verb]
    return _object(
        {name: kinds[kind] for name, (kind, _) in spec.items()},
        [name for name, (_, required) in spec.items() if required],
    )


def _step(verb: str) -> dict[str, Any]:
    args: dict[str, Any]
    if verb == "advance":
        args = _REF["duration"]
    elif verb == "advance_to":
        args = _REF["time"]
    elif verb == "expect":
        check = {"$ref": "#/$defs/check"}
        args = {"oneOf": [check, {"type": "array", "minItems": 1, "items": check}]}
    elif verb == "set":
        args = {
            "oneOf": [
                {
                    **_object(
                        {"creator": _REF["id"], **{f: _fact(f) for f in CREATOR_FACTS}},
                        ["creator"],
                    ),
                    "minProperties": 2,
                },
                _object(
                    {"shop": _REF["id"], "status": {"enum": list(STATUSES)}}, ["shop", "status"]
                ),
            ]
        }
    else:
        args = _action_args(verb)
    properties: dict[str, Any] = {verb: args, "note": {"type": "string"}}
    if verb not in NO_EXPECT_ERROR:
        properties["expect_error"] = {
            "oneOf": [{"$ref": "#/$defs/reason"}, {**_REASONS, "minItems": 1}]
        }
    return _object(properties, [verb])


def _check(kind: str) -> dict[str, Any]:
    pair = _object({"shop": _REF["id"], "creator": _REF["id"]}, ["shop", "creator"])
    if kind == "time":
        return _object({"time": _REF["time"]}, ["time"])
    fields: dict[str, Any] = {}
    for name in CHECK_FIELDS[kind]:
        if name == "state":
            fields[name] = {"enum": list(_MACHINE_STATES[kind])}
        elif name in ("reasons", "causes"):
            fields[name] = _REASONS
        elif name == "id":
            fields[name] = {"enum": [*SCREENS[0], *SCREENS[1]]}
        elif name in ("visible", "hidden"):
            fields[name] = {"type": "array", "items": {"$ref": "#/$defs/label"}}
        elif name in ("official", "bound_shop"):
            fields[name] = {"oneOf": [_REF["id"], {"type": "null"}]}
        elif name == "channels":
            fields[name] = {"type": "array", "items": _REF["id"]}
        elif name in ("official_unbinds_left", "channel_binds_left"):
            fields[name] = {"type": "integer", "minimum": 0}
        elif name == "role":
            fields[name] = {"enum": list(CREATOR_ROLES)}
        elif name == "capabilities":
            fields[name] = {
                "type": "object",
                "properties": {c: {"type": "boolean"} for c in CAPABILITIES},
                "additionalProperties": False,
            }
        else:
            fields[name] = _fact(name)
    subject = pair if kind in ("invitation", "binding", "ticket") else _REF["id"]
    return {**_object({kind: subject, **fields}, [kind]), "minProperties": 2}


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a *.scenario.yaml file."""
    defaults = Ruleset()
    shop = _object(
        {
            "region": _REF["region"],
            "kind": {"enum": list(SHOP_KINDS)},
            "status": {"enum": list(STATUSES)},
        },
        ["region"],
    )
    assert tuple(shop["properties"]) == SHOP_FIELDS
    creator = _object({name: _fact(name) for name in CREATOR_FACTS}, ["country", "age"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:bindsim:scenario",
        "title": "bindsim scenario (*.scenario.yaml)",
        "description": "A scenario of TikTok Shop account binding; see docs/scenarios.md.",
        **_object(
            {
                "name": {"type": "string", "minLength": 1},
                "name_zh": {"type": "string"},
                "description": {"type": "string"},
                "rules": {"type": "array", "items": {"enum": list(RULE_IDS)}},
                "start": _REF["time"],
                "ruleset": {
                    "type": "object",
                    "properties": {
                        name: _setting(name, getattr(defaults, name)) for name in defaults.to_dict()
                    },
                    "additionalProperties": False,
                },
                "shops": {
                    "type": "object",
                    "propertyNames": _REF["id"],
                    "additionalProperties": shop,
                },
                "creators": {
                    "type": "object",
                    "propertyNames": _REF["id"],
                    "additionalProperties": creator,
                },
                "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
            },
            ["name", "steps"],
        ),
        "$defs": {
            "id": {"type": "string", "pattern": "^[^\\s→×]+$"},
            "region": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "duration": {
                "type": "string",
                "pattern": "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$",
                "examples": ["90s", "15m", "47h59m", "2d", "180d"],
            },
            "time": {
                "type": "string",
                "pattern": _TIME_PATTERN,
                "examples": ["2024-11-11T12:00:00Z", "2024-11-11T20:06:00+08:00"],
            },
            "reason": {"enum": list(REASON_CODES)},
            "label": {"enum": list(SCREENS[2])},
            "app_labels": _labels(CreatorApp),
            "center_labels": _labels(SellerCenter),
            "step": {"oneOf": [_step(verb) for verb in model.STEP_TYPES]},
            "check": {"oneOf": [_check(kind) for kind in CHECK_FIELDS]},
        },
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def load_schema() -> dict[str, Any]:
    """The shipped schema.json."""
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
