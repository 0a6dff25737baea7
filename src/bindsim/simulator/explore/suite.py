"""Paths of a search written as scenario files: counterexamples, dead ends, and a covering suite.

A path is replayed with the scenario runner (the World, as `bindsim run` runs it), so the file it
becomes carries what really happened: `expect_error` on every refusal, after each step an
`expect` on the state of every invitation, binding and ticket the step moved, and after the last
step an `expect` on what the World answers about every shop and account (its official account,
channel creators and limits left; each account's shop, role and capabilities). Every file
written is then checked to pass (or, for a counterexample, to fail where the violation is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bindsim.errors import CannotRead
from bindsim.simulator import coverage
from bindsim.simulator.explore.search import Report
from bindsim.simulator.explore.space import Action
from bindsim.simulator.files import read_capped, write_atomic
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.loader import read_text
from bindsim.simulator.scenario.runner import build_world, run_step
from bindsim.simulator.scenario.validate import load_text


@dataclass
class Written:
    """A scenario file a search wrote, and what its run exercised."""

    path: Path
    scenario: model.Scenario
    exercised: set[coverage.Item] = field(default_factory=set)


def scenario_data(
    cast: model.Scenario,
    actions: Sequence[Action],
    name: str,
    description: str,
    tags: Iterable[str] = (),
) -> dict[str, Any]:
    """A scenario of the cast's shops, creators, ruleset and first steps, then `actions`, with
    the expectations a replay finds (see the module's docstring)."""
    data = cast.to_data()
    data["name"], data["description"] = name, description
    data.pop("name_zh", None)
    data.pop("vary", None)  # for explore only
    data["tags"] = sorted({*data.get("tags", []), *tags})
    prefix = [step.to_data() for step in cast.steps]
    data["steps"] = prefix + [action.step() for action in actions]
    probe = load_text(model.yaml_text(data), require_steps=False)
    world = build_world(probe)
    steps: list[dict[str, Any]] = []
    exercised: set[coverage.Item] = set()
    for index, step in enumerate(probe.steps, start=1):
        mark = world.logged
        result = run_step(world, step, index)
        entries = world.log_since(mark)
        exercised |= {item for entry in entries for item in coverage.of_entry(entry)}
        written = step.to_data()
        if result.outcome == "refused":
            written["expect_error"] = sorted(result.reasons)
        elif result.outcome == "error":
            written["note"] = f"bindsim reports an error here: {result.message}"
        steps.append(written)
        if index > len(prefix) and result.outcome == "ok":
            checks = _checks(world, entries)
            if step.verb == "advance":  # a time boundary: where every deadline stands now
                checks = _standing(world, checks)
            if checks:
                steps.append({"expect": checks if len(checks) > 1 else checks[0]})
        if result.outcome == "error":
            break
    else:
        if len(probe.steps) > len(prefix):
            steps.append({"expect": _answers(world)})
    data["steps"] = steps
    data["rules"] = sorted(item[1] for item in exercised if item[0] == "rule")
    return data


def _checks(world: Any, entries: Iterable[Any]) -> list[dict[str, Any]]:
    """An expect per invitation, binding or ticket the step moved: the state it is in now."""
    kinds = {"inv": "invitation", "bind": "binding", "ticket": "ticket"}
    tables = {"inv": world.invitations, "bind": world.bindings, "ticket": world.tickets}
    found: dict[tuple[str, str, str], str] = {}
    for entry in entries:
        for change in entry.changes:
            prefix = change.target.split("-")[0]
            if prefix not in kinds:
                continue
            record = tables[prefix][change.target]
            pair = (kinds[prefix], record.shop, record.creator)
            found[pair] = _deepest(record)
    return [
        {kind: {"shop": shop, "creator": creator}, "state": state}
        for (kind, shop, creator), state in found.items()
    ]


def _deepest(record: Any) -> str:
    """The record's innermost state ("locked", not "bound"): what a boundary tells apart."""
    return str(record.node)


def _standing(world: Any, checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """After a move of the clock, an expect on every deadline that could have come due: each
    pair's latest invitation, binding and ticket, and each invite-only shop's channel bindings
    left (A-WINDOW-BOUNDS: −1s, at and +1s each say something)."""
    written = {
        (next(iter(c)), c[next(iter(c))].get("shop"), c[next(iter(c))].get("creator"))
        for c in checks
        if "state" in c
    }
    found = list(checks)
    for kind, table in (
        ("invitation", world.invitations),
        ("binding", world.bindings),
        ("ticket", world.tickets),
    ):
        latest: dict[tuple[str, str], Any] = {}
        for record in table.values():
            latest[record.shop, record.creator] = record
        for (shop, creator), record in latest.items():
            if (kind, shop, creator) not in written:
                pair = {"shop": shop, "creator": creator}
                found.append({kind: pair, "state": _deepest(record)})
    for shop_id, shop in world.shops.items():
        if shop.kind == "invited":
            found.append({"shop": shop_id, "channel_binds_left": world.channel_binds_left(shop_id)})
    return found


def _answers(world: Any) -> list[dict[str, Any]]:
    """What the World answers at the end of a path: each shop's official account, channel
    creators and limits left, each account's shop, role and capabilities (the queries that no
    step's outcome shows, R-CAP-*, R-NO-1000, A-AFFILIATE, R-OFFICIAL-UNBIND-3)."""
    found: list[dict[str, Any]] = []
    for shop_id, shop in world.shops.items():
        check: dict[str, Any] = {
            "shop": shop_id,
            "official": world.official(shop_id),
            "official_unbinds_left": world.official_unbinds_left(shop_id),
        }
        if shop.kind == "invited":
            check["channels"] = sorted(world.channels(shop_id))
            check["channel_binds_left"] = world.channel_binds_left(shop_id)
            check["channel_places_reserved"] = world.channel_places_reserved(shop_id)
        found.append(check)
    for creator_id in world.creators:
        capabilities = world.capabilities(creator_id)
        found.append(
            {
                "creator": creator_id,
                "bound_shop": world.bound_shop(creator_id),
                "role": capabilities.role,
                "capabilities": {
                    "auto_sync_showcase": capabilities.auto_sync_showcase,
                    "add_from_shop": capabilities.add_from_shop,
                    "sell_in_live_and_video": capabilities.sell_in_live_and_video,
                    "follower_minimum_applies": capabilities.follower_minimum_applies,
                },
            }
        )
    return found


def write(folder: Path, stem: str, data: dict[str, Any]) -> Written:
    """Write a scenario (checked by reading it back) as FOLDER/STEM.scenario.yaml."""
    text = model.yaml_text(data)
    scenario = load_text(text, require_steps=False)
    path = folder / f"{stem}.scenario.yaml"
    write_atomic(path, scenario.to_yaml())
    return Written(path, load_text(read_text(path), str(path)))


def slug(text: str, limit: int = 60) -> str:
    words = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return words[:limit].rstrip("_") or "path"


# ----------------------------------------------------------------------- the suite


def covering_paths(report: Report) -> list[tuple[int, Action, set[coverage.Item]]]:
    """Few, short paths that together exercise every item the search exercised: for each item
    the shortest path to its first occurrence, then a greedy set cover over those paths (a path
    covers every item first seen on any of its steps)."""
    by_edge: dict[tuple[int, Action], set[coverage.Item]] = {}
    for item, edge in report.first.items():
        by_edge.setdefault(edge, set()).add(item)
    candidates = []
    for node, action in by_edge:
        edges = report.edges_to(node) + [(node, action)]
        covered = set().union(*(by_edge.get(edge, set()) for edge in edges))
        candidates.append((len(edges), node, action, covered))
    candidates.sort(key=lambda c: (c[0], c[1], c[2].describe()))
    chosen: list[tuple[int, Action, set[coverage.Item]]] = []
    remaining = set(report.first)
    while remaining:
        best = max(candidates, key=lambda c: (len(c[3] & remaining), -c[0]))
        gain = best[3] & remaining
        if not gain:
            break
        chosen.append((best[1], best[2], gain))
        remaining -= best[3]
    return chosen


def headline(items: set[coverage.Item]) -> str:
    """A name for what a path shows: its reason codes first, then a deadline's boundary, then
    states, then transitions."""
    order = {"reason": 0, "boundary": 1, "state": 2, "transition": 3, "rule": 4, "held": 5}
    order |= {"contract": 6, "state contract": 7}
    shown = sorted(items, key=lambda item: (order[item[0]], item))
    words = []
    for item in shown[:3]:
        if item[0] == "reason":
            words.append(f"refused {item[1]}")
        elif item[0] == "state":
            words.append(f"{item[1]} {item[2]}")
        elif item[0] == "transition":
            words.append(f"{item[1]} {item[2].split(':')[-1]}")
        elif item[0] == "boundary":
            words.append(f"{item[2]} {item[1]}'s deadline")
        else:
            words.append(item[1])
    more = f" (+{len(items) - 3} more)" if len(items) > 3 else ""
    return ", ".join(words) + more


MANIFEST = ".bindsim-suite"  # the files the last suite in a folder was: replaced by the next


def write_suite(report: Report, cast: model.Scenario, folder: Path) -> list[Written]:
    """The covering suite as numbered scenario files in FOLDER, each checked to pass.

    The files a previous suite wrote there (named in FOLDER/.bindsim-suite) and this one does
    not are removed, so that a second run leaves no stale file for `bindsim run FOLDER`; any
    other file in the folder is left alone.
    """
    folder.mkdir(parents=True, exist_ok=True)
    before = _previous_suite(folder)
    written = []
    for number, (node, action, gain) in enumerate(covering_paths(report), start=1):
        actions = report.path(node) + [action]
        name = f"Explored: {headline(gain)}"
        description = (
            f"Written by bindsim explore from {cast.path}: the shortest path found to what it "
            "shows first. Every expectation is what the World did when the path was replayed."
        )
        data = scenario_data(cast, actions, name, description, tags=("explored",))
        result = write(folder, f"{number:02d}_{slug(headline(gain), 48)}", data)
        written.append(result)
    names = [item.path.name for item in written]
    write_atomic(folder / MANIFEST, "".join(f"{name}\n" for name in names))
    for stale in sorted(before - set(names)):
        (folder / stale).unlink(missing_ok=True)
    return written


def _previous_suite(folder: Path) -> set[str]:
    """The scenario files the manifest of a previous suite names (only plain names of
    scenario files in the folder itself: a manifest cannot make bindsim delete anything else)."""
    try:
        text = read_capped(folder / MANIFEST, 1024 * 1024).decode("utf-8", "replace")
    except CannotRead:
        return set()
    return {
        name
        for name in text.splitlines()
        if name.endswith(".scenario.yaml")
        and "/" not in name
        and "\\" not in name
        and name not in (".", "..")
    }
