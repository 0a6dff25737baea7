"""YAML read for bindsim (scenario files, ruleset files, walk lines): YAML 1.2 meaning, positions
kept, and nothing a hostile file can use to hang or crash the reader.

The tree is built from PyYAML's event stream, one event at a time, never by recursion, so:
- anchors and aliases are refused (a scenario needs none; expanding them is how a 400-byte
  "billion laughs" file grows to gigabytes, and how `&s [*s]` loops forever);
- nesting deeper than MAX_DEPTH is refused as soon as it is read;
- explicit tags are limited to the plain types (`!!str 5` is text; `!!python/...`, `!foo` are not);
- a file larger than MAX_BYTES is refused before it is parsed.
Every refusal is a ScenarioError at FILE:LINE:COL.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bindsim.errors import CannotRead, ScenarioError
from bindsim.simulator.files import MAX_READ, read_capped

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

MAX_DEPTH = 32  # a scenario nests 5 levels deep (steps → step → expect → check → capabilities)
MAX_BYTES = MAX_READ

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), in resolution order.
IMPLICIT: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NULL, re.compile(r"^(?:~|null|Null|NULL|)$")),
    (BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (
        FLOAT,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
    ),
)
_SCALAR_TAGS = (NULL, BOOL, INT, FLOAT, STR)
_MAY_NOT_BE_TEXT = frozenset("~nNtTfF-+.0123456789")  # the first characters of IMPLICIT
_SHORT = {NULL: "!!null", BOOL: "!!bool", INT: "!!int", FLOAT: "!!float", STR: "!!str"}


def _pick_loader() -> type[Any]:
    """libyaml's fast parser when it works; the pure-Python one otherwise.

    libyaml builds its events from the classes of the first `import yaml`; when yaml was imported
    again (pytester does that) they are other classes, so events are told apart by class name.
    """
    if getattr(yaml, "__with_libyaml__", False):
        try:
            names = [type(e).__name__ for e in yaml.parse("a: [1]", Loader=yaml.CSafeLoader)]
        except Exception:  # pragma: no cover - a broken libyaml build
            names = []
        if "SequenceStartEvent" in names:
            return yaml.CSafeLoader  # type: ignore[no-any-return]
    return yaml.SafeLoader  # type: ignore[no-any-return]


_LOADER = _pick_loader()


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a node is written: 1-based line and column, and the file (for included files)."""

    line: int
    column: int
    file: str = field(default="", compare=False)


class Located:
    """A YAML value with its position: scalars as Python values, mappings as dict[str, Located]
    (with `key_pos` for where each key is written), sequences as list[Located].

    Keys are text; a key written as another scalar (`5`, `null`, `true`) is kept as its text,
    with its YAML value in `odd_keys`, so that ids can be required to be text. A file holds many
    more scalars than mappings, so the two dicts are made only when first used."""

    __slots__ = ("value", "pos", "_key_pos", "_odd_keys")

    def __init__(
        self,
        value: Any,
        pos: Pos,
        key_pos: dict[str, Pos] | None = None,
        odd_keys: dict[str, Any] | None = None,
    ) -> None:
        self.value = value
        self.pos = pos
        self._key_pos = key_pos
        self._odd_keys = odd_keys

    @property
    def key_pos(self) -> dict[str, Pos]:
        if self._key_pos is None:
            self._key_pos = {}
        return self._key_pos

    @property
    def odd_keys(self) -> dict[str, Any]:
        if self._odd_keys is None:
            self._odd_keys = {}
        return self._odd_keys

    def __repr__(self) -> str:
        return f"Located({self.value!r}, {self.pos})"

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


def _mark(mark: Any, path: str) -> Pos:
    return Pos(mark.line + 1, mark.column + 1, path)


class _Builder:
    """Turns events into a Located tree with an explicit stack (no recursion, bounded depth)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.stack: list[tuple[Located, Located | None]] = []  # (container, pending key)
        self.root: Located | None = None
        self.documents = 0

    def fail(self, pos: Pos, message: str) -> ScenarioError:
        return ScenarioError(self.path, pos.line, pos.column, message)

    def feed(self, event: Any) -> None:
        kind = type(event).__name__
        if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
            return
        pos = _mark(event.start_mark, self.path)
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise self.fail(pos, "one document per file: remove the second `---`")
            return
        if kind == "AliasEvent":
            raise self.fail(
                pos, f"aliases (*{event.anchor}) are not supported: write the value out in full"
            )
        if getattr(event, "anchor", None) is not None:
            raise self.fail(
                pos, f"anchors (&{event.anchor}) are not supported: write the value out in full"
            )
        if kind == "ScalarEvent":
            self.add(Located(self.scalar(event, pos), pos))
        elif kind in ("SequenceStartEvent", "MappingStartEvent"):
            wanted = SEQ if kind == "SequenceStartEvent" else MAP
            if event.tag not in (None, "!", wanted):
                raise self.fail(pos, f"unsupported YAML tag {event.tag!r}; write plain values")
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(pos, f"nested more than {MAX_DEPTH} levels deep")
            node = Located([] if wanted == SEQ else {}, pos)
            self.add(node)
            self.stack.append((node, None))
        elif kind in ("SequenceEndEvent", "MappingEndEvent"):
            self.stack.pop()

    def add(self, node: Located) -> None:
        if not self.stack:
            self.root = node
            return
        parent, key = self.stack[-1]
        if parent.is_list:
            parent.value.append(node)
        elif key is None:
            if node.is_map or node.is_list:
                raise self.fail(node.pos, "a key must be plain text")
            self.stack[-1] = (parent, node)
        else:
            self.stack[-1] = (parent, None)
            self.put(parent, key, node)

    def put(self, parent: Located, key_node: Located, node: Located) -> None:
        key = key_node.value
        if not isinstance(key, str):
            raw = key
            key = str(key).lower() if isinstance(key, bool) else str(key)
            parent.odd_keys[key] = raw
        if key in parent.value:
            first = parent.key_pos[key]
            raise self.fail(
                key_node.pos, f"duplicated key {key!r} (first at line {first.line}); each key once"
            )
        parent.value[key] = node
        parent.key_pos[key] = key_node.pos

    def scalar(self, event: Any, pos: Pos) -> Any:
        text: str = event.value
        tag = event.tag
        plain = event.implicit[0]
        if tag is None or tag == "!":
            if not plain or tag == "!":
                return text  # quoted or block text, or the non-specific tag "!"
            tag = STR
            if not text or text[0] in _MAY_NOT_BE_TEXT:  # most scalars are words: skip the regexes
                tag = next((t for t, pattern in IMPLICIT if pattern.match(text)), STR)
        elif tag not in _SCALAR_TAGS:
            raise self.fail(pos, f"unsupported YAML tag {tag!r}; write plain values")
        try:
            return _convert_scalar(tag, text)
        except ValueError:
            raise self.fail(pos, f"{text!r} is not a valid {_SHORT[tag]} value") from None


def _convert_scalar(tag: str, text: str) -> Any:
    """A scalar's value under one of the plain tags; ValueError when the text does not fit."""
    if tag == STR:
        return text
    if tag == NULL:
        if not IMPLICIT[0][1].match(text):
            raise ValueError(text)
        return None
    if tag == BOOL:
        if not IMPLICIT[1][1].match(text):
            raise ValueError(text)
        return text.lower() == "true"
    if tag == INT:
        if not IMPLICIT[2][1].match(text):
            raise ValueError(text)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)  # decimal, even with leading zeros (YAML 1.2)
    if not IMPLICIT[3][1].match(text) and not IMPLICIT[2][1].match(text):
        raise ValueError(text)
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


def parse_yaml(text: str, path: str = "<string>") -> Located | None:
    """The document in `text` with positions, or None for an empty document.

    Raises ScenarioError at the offending position for bad YAML, duplicated keys, aliases,
    deep nesting or tags other than the plain ones.
    """
    builder = _Builder(path)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except ScenarioError:
        raise
    except Exception as error:
        # By attributes rather than class, for the same reason as in _pick_loader.
        if not any(c.__name__ == "YAMLError" for c in type(error).__mro__):
            raise
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(error, "problem", None) or str(error) or "invalid YAML"
        raise ScenarioError(path, line, column, f"invalid YAML: {problem}") from None
    return builder.root


def read_text(path: str | Path, what: str = "file") -> str:
    """A UTF-8 text file, or ScenarioError: unreadable or not a regular file (1:1), too large,
    or a byte that is not UTF-8 (at its line and column)."""
    name = str(path)
    try:
        data = read_capped(path, MAX_BYTES)
    except CannotRead as error:
        if error.too_large:
            raise ScenarioError(
                name, 1, 1, f"the {what} is larger than {MAX_BYTES // (1024 * 1024)} MiB"
            ) from None
        raise ScenarioError(name, 1, 1, f"cannot read the {what}: {error.why}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        bad = data[error.start : error.end]
        raise ScenarioError(
            name, line, column, f"the byte {bad!r} is not UTF-8 text; save the {what} as UTF-8"
        ) from None
