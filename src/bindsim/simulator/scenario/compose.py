"""How scenario files compose: `include:` (cast files merged in, depth-limited, never a cycle),
`start_from:` (a saved World to start from), `examples:` (one case per row, `<placeholders>`
filled in); and, for uploads, the refusal of every field that would name a file on this computer.

Every node keeps its FILE:LINE:COL, so a problem in an included file is reported where it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bindsim.errors import Bad, ScenarioError
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.format import show
from bindsim.simulator.scenario.loader import Located, Pos, parse_yaml, read_text

CAST_FILE_FIELDS = ("name", "description", "include", "ruleset", "shops", "creators")
MAX_INCLUDE_DEPTH = 8
_PLACEHOLDER = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")


FILE_FIELDS = ("include", "start_from")  # the fields that name a file on this computer


def refuse_file_fields(root: Located, path: str) -> None:
    """For a text read from memory: a field that names a file is refused, and no file opened.

    An upload to a server must not make it read its own disk (a cast, a snapshot, a system
    file whose first line an error would quote), so there is nothing to resolve these against.
    """
    if not root.is_map:
        return
    for key in FILE_FIELDS:
        if key in root.value:
            pos = root.key_pos[key]
            raise ScenarioError(
                path,
                pos.line,
                pos.column,
                f"{key}: names a file, and this scenario was not read from a file (an upload "
                "is read from memory only): write the shops, creators and steps in it instead",
            )


def included(root: Located, path: str, seen: tuple[str, ...]) -> list[Located]:
    """The cast files `root` includes (and theirs), parsed; a problem raises ScenarioError."""
    node = root.value.get("include") if root.is_map else None
    if node is None:
        return []
    items = node.value if node.is_list else [node]
    found: list[Located] = []
    for item in items:
        if not isinstance(item.value, str) or not item.value:
            raise ScenarioError(path, item.pos.line, item.pos.column, "include names a file")
        target = Path(path).parent / item.value
        key = str(target.resolve()) if _exists(target) else str(target)
        if key in seen:
            raise ScenarioError(
                path, item.pos.line, item.pos.column, f"{item.value} includes itself"
            )
        if len(seen) >= MAX_INCLUDE_DEPTH:
            raise ScenarioError(
                path,
                item.pos.line,
                item.pos.column,
                f"includes nest deeper than {MAX_INCLUDE_DEPTH}",
            )
        try:
            text = read_text(target, "included file")
        except ScenarioError as error:
            raise ScenarioError(path, item.pos.line, item.pos.column, error.text) from None
        cast = parse_yaml(text, str(target))
        if cast is None or not cast.is_map:
            where = cast.pos if cast is not None else Pos(1, 1)
            raise ScenarioError(
                str(target), where.line, where.column, "a cast file is a mapping: shops, creators"
            )
        for key_name, pos in cast.key_pos.items():
            if key_name not in CAST_FILE_FIELDS:
                raise ScenarioError(
                    str(target),
                    pos.line,
                    pos.column,
                    f"a cast file holds {', '.join(CAST_FILE_FIELDS)}; not {key_name!r}",
                )
        found += included(cast, str(target), (*seen, key))
        found.append(cast)
    return found


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def merge(root: Located, casts: list[Located]) -> Located:
    """The scenario with the included shops, creators and ruleset merged under its own."""
    merged = Located(dict(root.value), root.pos, dict(root.key_pos), dict(root.odd_keys))
    for section in ("shops", "creators", "ruleset"):
        parts = [cast.value[section] for cast in casts if section in cast.value]
        own = root.value.get(section)
        if own is not None:
            parts.append(own)
        if not parts:
            continue
        combined = Located({}, parts[-1].pos)
        for part in parts:
            if not part.is_map:
                combined = part  # reported as not a mapping by the validator
                break
            for key, value in part.value.items():
                if key in combined.value and section != "ruleset":
                    first = combined.key_pos[key]
                    where = f"{first.file or '?'}:{first.line}"
                    raise ScenarioError(
                        part.key_pos[key].file or "",
                        part.key_pos[key].line,
                        part.key_pos[key].column,
                        f"{key!r} is declared twice (first at {where})",
                    )
                combined.value[key] = value  # a ruleset setting of the scenario wins
                combined.key_pos[key] = part.key_pos[key]
                if key in part.odd_keys:
                    combined.odd_keys[key] = part.odd_keys[key]
        merged.value[section] = combined
        merged.key_pos.setdefault(section, combined.pos)
    return merged


def start_world(root: Located, path: str) -> Any:
    """The World of `start_from:` (loaded from its snapshot file), or None."""
    node = root.value.get("start_from") if root.is_map else None
    if node is None:
        return None
    if not isinstance(node.value, str) or not node.value:
        raise ScenarioError(path, node.pos.line, node.pos.column, "start_from names a snapshot")
    target = Path(path).parent / node.value
    from bindsim.simulator.scenario.runner import load_snapshot

    try:
        world = load_snapshot(str(target))
    except ScenarioError as error:
        raise ScenarioError(path, node.pos.line, node.pos.column, error.text) from None
    node.value = str(target)
    return world


def examples(root: Located) -> list[dict[str, Located]]:
    """The rows of `examples:` (each a mapping of the same columns); problems raise Bad."""
    node = root.value.get("examples") if root.is_map else None
    if node is None:
        return []
    if not node.is_list or not node.value:
        raise Bad(node.pos, "examples is a list of rows: - {wait: 48h, state: expired}")
    rows: list[dict[str, Located]] = []
    columns: list[str] | None = None
    for row in node.value:
        if not row.is_map or not row.value:
            raise Bad(row.pos, "an example row is a mapping of values: {wait: 48h}")
        for key, pos in row.key_pos.items():
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                raise Bad(pos, f"a column is a word like wait or state, got {key!r}")
        if columns is None:
            columns = list(row.value)
        elif list(row.value) != columns:
            missing = [c for c in columns if c not in row.value]
            extra = [k for k in row.value if k not in columns]
            where = row.key_pos[extra[0]] if extra else row.pos
            raise Bad(
                where,
                f"every row has the columns {', '.join(columns)} in that order"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(extra)}" if extra else ""),
            )
        rows.append(row.value)
    used: dict[str, Pos] = {}
    substitute(root, {}, used, collect=True)
    for name, pos in used.items():
        if name not in (columns or []):
            raise Bad(pos, f"<{name}> is not a column of examples: {', '.join(columns or [])}")
    first = node.value[0]
    for column in columns or []:
        if column not in used:
            raise Bad(first.key_pos[column], f"column {column!r} is used by no <{column}>")
    return rows


def substitute(
    node: Located, row: dict[str, Located], used: dict[str, Pos], collect: bool = False
) -> Located:
    """A copy of `node` with each <column> replaced by the row's value (a whole-text
    placeholder takes the row's node, with its type and position). With `collect`, only note
    in `used` where each placeholder is first written."""
    if node.is_map:
        copy = Located({}, node.pos, dict(node.key_pos), dict(node.odd_keys))
        for key, value in node.value.items():
            copy.value[key] = value if key == "examples" else substitute(value, row, used, collect)
        return copy
    if node.is_list:
        return Located([substitute(v, row, used, collect) for v in node.value], node.pos)
    if not isinstance(node.value, str) or "<" not in node.value:
        return node
    names = _PLACEHOLDER.findall(node.value)
    if not names:
        return node
    for name in names:
        used.setdefault(name, node.pos)
    if collect:
        return node
    whole = _PLACEHOLDER.fullmatch(node.value.strip())
    if whole:
        value = row[whole[1]]
        return value  # the row's own node: its type and its position

    def text(match: re.Match[str]) -> str:
        value = row[match[1]].value
        if isinstance(value, (dict, list)):
            raise Bad(node.pos, f"<{match[1]}> is a {show(row[match[1]])}, not text to put here")
        return value if isinstance(value, str) else model.scalar(value)

    return Located(_PLACEHOLDER.sub(text, node.value), node.pos)


# ------------------------------------------------------------------ loading
