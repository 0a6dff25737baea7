"""Scenario YAML read with YAML 1.2 meaning (`on`/`no` are text, keys unique), positions kept."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from bindsim.simulator.errors import ScenarioError

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

_RESOLVERS: list[tuple[str, re.Pattern[str], list[str]]] = [
    # YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
    (NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    (BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")),
    (
        FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+.0123456789"),
    ),
]


def _yaml12(base: type[Any]) -> type[Any]:
    """PyYAML's safe loader with the YAML 1.2 core schema's resolvers.

    YAML 1.1 reads `on`, `off`, `yes`, `no`, `y`, `n` as booleans, `010` as octal, `1:30` as 90
    and ISO times as dates; the core schema of YAML 1.2 reads all of them as text (or decimal).
    """
    loader: Any = type("Yaml12Loader", (base,), {"yaml_implicit_resolvers": {}})
    for tag, pattern, first in _RESOLVERS:
        loader.add_implicit_resolver(tag, pattern, first)
    return loader


def _pick_loader() -> type[Any]:
    """libyaml's fast parser when it works; the pure-Python one otherwise.

    libyaml compares node kinds with the classes of the first `import yaml`; when yaml was
    imported again (pytester does that) it yields untagged nodes, so it is probed first.
    """
    if getattr(yaml, "__with_libyaml__", False):
        fast = _yaml12(yaml.CSafeLoader)
        probe = yaml.compose("a: [1]", Loader=fast)
        if probe is not None and probe.tag == MAP and probe.value[0][1].tag == SEQ:
            return fast
    return _yaml12(yaml.SafeLoader)


Yaml12Loader = _pick_loader()


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a node is written: 1-based line and column."""

    line: int
    column: int


@dataclass(slots=True)
class Located:
    """A YAML value with its position: scalars as Python values, mappings as dict[str, Located]
    (with `key_pos` for where each key is written), sequences as list[Located].

    Keys are text; a key written as another scalar (`5`, `null`, `true`) is kept as its text,
    with its YAML value in `odd_keys`, so that ids can be required to be text."""

    value: Any
    pos: Pos
    key_pos: dict[str, Pos] = field(default_factory=dict)
    odd_keys: dict[str, Any] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The plain Python value (dicts, lists, scalars), positions dropped."""
        if isinstance(self.value, dict):
            return {key: item.plain() for key, item in self.value.items()}
        if isinstance(self.value, list):
            return [item.plain() for item in self.value]
        return self.value


def _pos(node: yaml.Node) -> Pos:
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(node: yaml.ScalarNode, path: str) -> Any:
    text = node.value
    if node.tag == STR:
        return text
    if node.tag == NULL:
        return None
    if node.tag == BOOL:
        return text.lower() == "true"
    if node.tag == INT:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)  # decimal, even with leading zeros (YAML 1.2)
    if node.tag == FLOAT:
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(text)
    position = _pos(node)
    raise ScenarioError(
        path,
        position.line,
        position.column,
        f"unsupported YAML tag {node.tag!r}; write plain values",
    )


def _convert(node: Any, path: str) -> Located:
    # Nodes are told apart by `id`, not isinstance: libyaml's parser keeps the node classes of the
    # first `import yaml`, which differ from yaml.ScalarNode if yaml was imported again (pytester).
    position = _pos(node)
    if node.id == "scalar":
        return Located(_scalar(node, path), position)
    if node.id == "sequence":
        if node.tag != SEQ:
            raise ScenarioError(path, position.line, position.column, f"unsupported tag {node.tag}")
        return Located([_convert(item, path) for item in node.value], position)
    if node.id == "mapping":
        if node.tag != MAP:
            raise ScenarioError(path, position.line, position.column, f"unsupported tag {node.tag}")
        entries: dict[str, Located] = {}
        keys: dict[str, Pos] = {}
        odd: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = _pos(key_node)
            if key_node.id != "scalar":
                raise ScenarioError(path, key_pos.line, key_pos.column, "a key must be plain text")
            key = _scalar(key_node, path)
            if not isinstance(key, str):
                raw = key
                key = str(key).lower() if isinstance(key, bool) else str(key)
                odd[key] = raw
            if key in entries:
                first = keys[key]
                raise ScenarioError(
                    path,
                    key_pos.line,
                    key_pos.column,
                    f"duplicated key {key!r} (first at line {first.line}); each key once",
                )
            entries[key] = _convert(value_node, path)
            keys[key] = key_pos
        return Located(entries, position, keys, odd)
    raise ScenarioError(path, position.line, position.column, "unsupported YAML node")


def parse_yaml(text: str, path: str = "<string>") -> Located | None:
    """The document in `text` with positions, or None for an empty document.

    Raises ScenarioError at the offending position for bad YAML, duplicated keys or odd tags.
    """
    try:
        node = yaml.compose(text, Loader=Yaml12Loader)
    except Exception as error:
        # By attributes rather than class, for the same reason as in _convert.
        if not any(c.__name__ == "YAMLError" for c in type(error).__mro__):
            raise
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(error, "problem", None) or str(error) or "invalid YAML"
        raise ScenarioError(path, line, column, f"invalid YAML: {problem}") from None
    if node is None:
        return None
    return _convert(node, path)
