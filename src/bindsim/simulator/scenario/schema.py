"""The JSON Schema of the scenario format (schema.json), derived from its declaration (format.py).

Editors use the shipped schema.json; bindsim itself validates with validate.py, which knows more
(declared ids, positions, the clock). Regenerate the file with
`python -m bindsim.simulator.scenario.schema` (a test keeps it current).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bindsim.machines import Ruleset
from bindsim.machines.compiled import CREATOR_APP, SELLER_CENTER
from bindsim.machines.rules import RULE_IDS
from bindsim.simulator.facts import VARIABLE_FACTS
from bindsim.simulator.files import write_atomic
from bindsim.simulator.scenario.expect import CHECKS, CheckKind
from bindsim.simulator.scenario.format import (
    CREATOR_AGE,
    CREATOR_FACTS,
    NOT_APPLICABLE,
    REASON_CODES,
    SHOP_FIELDS,
    TOP_LEVEL,
    VERBS,
    Checks,
    Field,
    Fields,
    Scalar,
    SetFacts,
    Shape,
    ui_labels,
)

SCHEMA_PATH = Path(__file__).with_name("schema.json")

_ID = {"$ref": "#/$defs/id"}
_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"


def _value(schema: dict[str, Any]) -> dict[str, Any]:
    """A value as written: itself, or a `<placeholder>` that a row of examples fills in."""
    return {"anyOf": [schema, {"$ref": "#/$defs/placeholder"}]}


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _fields(spec: dict[str, Field]) -> dict[str, Any]:
    return _object(
        {name: _value(f.type.schema) for name, f in spec.items()},
        [name for name, f in spec.items() if f.required],
    )


def _fields_shape(shape: Shape) -> dict[str, Any]:
    return _fields(shape.fields())


def _scalar_shape(shape: Shape) -> dict[str, Any]:
    assert isinstance(shape, Scalar)
    return _value(shape.type.schema)


def _set_shape(shape: Shape) -> dict[str, Any]:
    assert isinstance(shape, SetFacts)
    variants = []
    for target, (id_type, facts) in shape.targets.items():
        properties = {
            target: _value(id_type.schema),
            **{n: _value(f.type.schema) for n, f in facts.items()},
        }
        variants.append({**_object(properties, [target]), "minProperties": 2})
    return {"oneOf": variants}


def _checks_shape(shape: Shape) -> dict[str, Any]:
    check = {"$ref": "#/$defs/check"}
    return {"oneOf": [check, {"type": "array", "minItems": 1, "items": check}]}


# How each shape of a verb's value is written as a schema.
_SHAPES: dict[type[Shape], Callable[[Shape], dict[str, Any]]] = {
    Fields: _fields_shape,
    Scalar: _scalar_shape,
    SetFacts: _set_shape,
    Checks: _checks_shape,
}


def _step(name: str) -> dict[str, Any]:
    verb = VERBS[name]
    properties: dict[str, Any] = {
        name: _SHAPES[type(verb.shape)](verb.shape),
        "note": {"type": "string"},
    }
    if verb.refusable:
        one = _value({"$ref": "#/$defs/expected_error"})
        properties["expect_error"] = _value(
            {"oneOf": [one, {"type": "array", "minItems": 1, "items": one}]}
        )
    return _object(properties, [name])


def _check(kind: CheckKind) -> dict[str, Any]:
    facts = {name: _value(fact.type.schema) for name, fact in kind.facts.items()}
    if not kind.subject:
        return _object(facts, list(facts))
    if len(kind.subject) == 2:
        subject = _object(
            {f.name: _value(f.type.schema) for f in kind.subject}, [f.name for f in kind.subject]
        )
    else:
        subject = _value(kind.subject[0].type.schema)
    return {**_object({kind.name: subject, **facts}, [kind.name]), "minProperties": 2}


def _setting(name: str, default: Any) -> dict[str, Any]:
    if name in Ruleset.CHOICES:
        return {"enum": list(Ruleset.CHOICES[name])}
    if name in Ruleset.PATTERNS:
        return {"type": "string", "pattern": f"^{Ruleset.PATTERNS[name][0]}$"}
    if isinstance(default, timedelta):
        return {"$ref": "#/$defs/duration"}
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer", "minimum": 0}
    if name == "ticket_unfixable":
        return {"type": "array", "items": {"$ref": "#/$defs/reason"}}
    return {"type": "array", "items": {"$ref": "#/$defs/region"}}


def _top_level() -> dict[str, Any]:
    defaults = Ruleset()
    mapping_of = {"type": "object", "propertyNames": _ID}
    files = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    known: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1},
        "rules": {"type": "array", "items": {"enum": list(RULE_IDS)}},
        "tags": {"type": "array", "items": _ID},
        "vary": {"type": "array", "items": {"enum": list(VARIABLE_FACTS)}},
        "include": files,
        "start": {"$ref": "#/$defs/time"},
        "start_from": {"type": "string"},
        "ruleset": {
            "type": "object",
            "properties": {
                name: _value(_setting(name, getattr(defaults, name))) for name in defaults.to_dict()
            },
            "additionalProperties": False,
        },
        "shops": {**mapping_of, "additionalProperties": _fields(SHOP_FIELDS)},
        "creators": {
            **mapping_of,
            "additionalProperties": {
                **_fields(CREATOR_FACTS),
                "oneOf": [{"required": [name]} for name in CREATOR_AGE],
            },
        },
        "examples": {"type": "array", "minItems": 1, "items": {"type": "object"}},
        "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
    }
    properties = {
        name: {**known.get(name, top.schema), "description": top.help}
        for name, top in TOP_LEVEL.items()
    }
    return _object(properties, [name for name, top in TOP_LEVEL.items() if top.required])


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a *.scenario.yaml file.

    With `examples:`, a value may be a `<placeholder>`; the schema checks the file as written,
    so editors may flag a placeholder where a number is due. bindsim checks each row.
    """
    labels = dict.fromkeys([*ui_labels(CREATOR_APP), *ui_labels(SELLER_CENTER)])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:bindsim:scenario",
        "title": "bindsim scenario (*.scenario.yaml)",
        "description": "A scenario of TikTok Shop account binding; see docs/scenarios.md.",
        **_top_level(),
        "$defs": {
            "id": {"type": "string", "pattern": "^[^\\s→×]+$", "maxLength": 64},
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
            "placeholder": {"type": "string", "pattern": "^<[A-Za-z_][A-Za-z0-9_]*>$"},
            "reason": {"enum": list(REASON_CODES)},
            "expected_error": {"enum": [*REASON_CODES, NOT_APPLICABLE]},
            "label": {"enum": list(labels)},
            "step": {"oneOf": [_step(name) for name in VERBS]},
            "check": {"oneOf": [_check(kind) for kind in CHECKS.values()]},
        },
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    write_atomic(SCHEMA_PATH, schema_text())
    print(f"wrote {SCHEMA_PATH}")
