"""YAML written by PyYAML's emitter, never by hand: text that a YAML 1.2 reader (bindsim's) or a
YAML 1.1 reader would take as something else (`1001`, `true`, `~`, `1e3`, `0o17`, `{x}`, `*a`,
`a\\`) is quoted as the emitter sees fit, so that every file bindsim writes reads back the same.

>>> flow({"shop": "1001", "creator": "alice", "on": ["Show", "*a"]})
"{shop: '1001', creator: alice, on: [Show, '*a']}"
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from typing import Any

import yaml

from bindsim.machines.durations import format_duration
from bindsim.simulator.scenario.loader import IMPLICIT, STR

WIDTH = sys.maxsize  # one line per value: the emitter never folds


class FlowMap(dict[str, Any]):
    """A mapping written on one line: `{region: GB, kind: open}`."""


class FlowList(list[Any]):
    """A list written on one line: `[R-LOCK-24H, R-REBIND]`."""


class _Dumper(yaml.SafeDumper):
    """The safe emitter, with YAML 1.2's plain-scalar types added to YAML 1.1's, and lists
    indented under their key, as people write scenario files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# YAML 1.1's booleans (on, off, yes, no) and timestamps are text in YAML 1.2, which is how
# bindsim reads its files: QA writes `on: [Showcase]`, and an ISO time stays plain.
_YAML_1_1_ONLY = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in _YAML_1_1_ONLY]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
for _tag, _pattern in IMPLICIT:  # text matching these is quoted (the loader reads it so)
    _Dumper.add_implicit_resolver(_tag, _pattern, None)


def _text(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    # A line break or a character that cannot be shown is written escaped, in double quotes,
    # so that a value stays on its line.
    odd = any(not c.isprintable() for c in data)
    return dumper.represent_scalar(STR, data, style='"' if odd else None)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(
    FlowMap, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, True)
)
_Dumper.add_representer(
    FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)


def plain(value: Any) -> Any:
    """A value as the scenario format writes it: durations as `48h`, times as ISO text in the
    offset they were given in, mappings and lists on one line (FlowMap, FlowList)."""
    if isinstance(value, dict):
        return FlowMap((str(key), plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return FlowList(plain(item) for item in value)
    if isinstance(value, timedelta):
        return format_duration(value, in_hours=True)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")  # in the offset it was given
    if isinstance(value, date):
        return value.isoformat()
    return value


def document(data: dict[str, Any]) -> str:
    """A whole file: `data`'s own keys in block style, in order; values as they are given
    (FlowMap and FlowList on one line, dicts and lists in block style)."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH, indent=2
    )


def flow(value: Any) -> str:
    """One value in YAML flow style, on one line: `{a: 1, b: [x, 'true']}`."""
    text = yaml.dump(
        FlowList([plain(value)]), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH
    )
    return text.rstrip("\n")[1:-1]  # the value, without the list around it


def scalar(value: Any) -> str:
    """One value as YAML text on its own (a mapping's value in block style): `2024-11-13T12:00Z`,
    `'1001'`, `null`."""
    text = yaml.dump(plain(value), Dumper=_Dumper, allow_unicode=True, width=WIDTH)
    return text.removesuffix("...\n").rstrip("\n")  # a lone plain scalar ends the document
