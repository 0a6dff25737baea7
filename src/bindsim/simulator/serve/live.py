"""Live diagrams for the page: machines drawn by bindsim.diagrams, current states highlighted.

Drawing takes Graphviz tens of milliseconds, and most steps change one or two machines, so each
SVG is kept per (machine, active states, language, ruleset) and only what changed is drawn again,
the misses in parallel (`dot` runs as a process of its own).
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

from bindsim import diagrams
from bindsim.errors import BindSimError
from bindsim.machines import BindsimMachine, Ruleset
from bindsim.machines.spec import spec_of
from bindsim.machines.text import Lang


@dataclass(frozen=True, slots=True)
class Wanted:
    """A picture to draw: a machine with these states highlighted, in a language."""

    machine: type[BindsimMachine]
    states: frozenset[str]
    lang: Lang
    ruleset: Ruleset


@dataclass(frozen=True, slots=True)
class Drawing:
    """An SVG ready to put into the page, or why there is none (Graphviz missing ...)."""

    svg: str | None
    problem: str | None = None


class DiagramCache:
    """SVGs by what they show; the least recently used go beyond `limit` pictures."""

    def __init__(self, limit: int = 512, workers: int = 2) -> None:
        self.limit = limit
        self._pictures: OrderedDict[Wanted, Drawing] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dot")
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dot-warm")
        self._closed = threading.Event()  # the warm-up stops between two pictures
        self.hits = self.misses = 0

    def draw(self, wanted: Sequence[Wanted]) -> list[Drawing]:
        """A drawing per request, in order: cached ones at once, the others drawn in parallel."""
        found: dict[Wanted, Drawing] = {}
        with self._lock:
            for item in wanted:
                if item in self._pictures:
                    self._pictures.move_to_end(item)
                    found[item] = self._pictures[item]
            self.hits += len(found)
        missing = list(dict.fromkeys(item for item in wanted if item not in found))
        drawn = list(self._pool.map(draw, missing)) if len(missing) > 1 else map(draw, missing)
        with self._lock:
            for item, drawing in zip(missing, drawn, strict=True):
                found[item] = drawing
                if drawing.svg is not None:  # a missing Graphviz may be installed meanwhile
                    self._pictures[item] = drawing
            self.misses += len(missing)
            while len(self._pictures) > self.limit:
                self._pictures.popitem(last=False)
        return [found[item] for item in wanted]

    def warm(self, wanted: Sequence[Wanted]) -> Future[None]:
        """Draw these pictures in the background, one at a time, skipping those drawn already:
        a server draws every state of every machine when it starts, so that a step never
        waits for Graphviz afterwards (on its rules; another ruleset's timers are drawn when
        first shown)."""

        def draw_each() -> None:
            for item in wanted:
                if self._closed.is_set():
                    return
                with self._lock:
                    known = item in self._pictures
                if not known:
                    self.draw([item])

        return self._background.submit(draw_each)

    def forget(self, machine: type[BindsimMachine]) -> None:
        """Drop every picture of a machine (its pictures are drawn again when next shown)."""
        with self._lock:
            for wanted in [w for w in self._pictures if w.machine is machine]:
                del self._pictures[wanted]

    def close(self) -> None:
        """Stop drawing: the warm-up ends after the picture it is drawing (a process that is
        exiting waits for its threads, and Ctrl-C must not wait for hundreds of pictures)."""
        self._closed.set()
        self._background.shutdown(wait=False, cancel_futures=True)
        self._pool.shutdown(wait=False, cancel_futures=True)


_shared: DiagramCache | None = None
_shared_lock = threading.Lock()


def shared_cache() -> DiagramCache:
    """The process's cache: a picture depends only on what it shows, so every app in a
    process (a server, the tests' servers) can share one."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = DiagramCache()
        return _shared


def draw(wanted: Wanted) -> Drawing:
    """One machine drawn as SVG for inlining: no XML prologue, ids unique on the page."""
    try:
        data = diagrams.render(
            wanted.machine, "svg", wanted.lang, highlight=wanted.states, ruleset=wanted.ruleset
        )
    except (BindSimError, OSError) as error:
        return Drawing(None, str(error))
    svg = inline(data.decode("utf-8"), wanted.machine.__name__)
    return Drawing(tooltips(svg, wanted.machine, wanted.lang))


_ID = re.compile(r'\bid="')
_GROUP = re.compile(r'<g id="([^"]*)" class="(node|cluster|edge)([^"]*)">\s*<title>([^<]*)</title>')
_EVENT = re.compile(r":[^\"]*?&#45;(\w+)&#45;&gt;")


def inline(svg: str, prefix: str) -> str:
    """An SVG document as an element of a page: from `<svg` on, its ids prefixed, so that two
    drawings on one page never share an id."""
    start = svg.find("<svg")
    return _ID.sub(f'id="{prefix}-', svg[start:] if start >= 0 else svg)


def tooltips(svg: str, machine: type[BindsimMachine], lang: Lang) -> str:
    """Each state's and transition's tooltip (its `<title>`) in words of the language, not
    Graphviz ids like `binding->stuck`; the state's id stays in the group's `data-id`."""
    labels = {state.id: state.label(lang) for state in diagrams.extract(machine).states}

    def name(ident: str) -> str:
        return "" if ident.startswith("__start") else labels.get(ident, ident)

    def retitle(match: re.Match[str]) -> str:
        group, kind, more, title = match.groups()
        raw = html.unescape(title)
        ident = raw.removeprefix("cluster_") if kind == "cluster" else raw
        text = name(ident)
        if kind == "edge":
            source, _, target = raw.partition("->")
            event = _EVENT.search(group)
            edge = spec_of(machine).edges.get(event.group(1)) if event else None
            text = f"{name(source)} → {name(target)}".strip(" →")
            if edge is not None:
                text = f"{text}: {edge.label(lang)}"
        return (
            f'<g id="{group}" class="{kind}{more}" data-id="{html.escape(ident)}">\n'
            f"<title>{html.escape(text)}</title>"
        )

    return _GROUP.sub(retitle, svg)


def every_picture(
    machines: Sequence[type[BindsimMachine]], langs: Sequence[Lang], ruleset: Ruleset
) -> list[Wanted]:
    """Every picture the page can show of these machines: each atomic state with the compound
    states around it (a record's `states`: {"bound", "locked"}), in each language."""
    wanted = []
    for machine in machines:
        states = {state.id: state for state in diagrams.extract(machine).states}
        for state in states.values():
            if state.compound:
                continue
            active, parent = {state.id}, state.parent
            while parent is not None:
                active.add(parent)
                parent = states[parent].parent
            wanted += [Wanted(machine, frozenset(active), lang, ruleset) for lang in langs]
    return wanted


@cache
def state_notes(machine: type[BindsimMachine], lang: Lang) -> str:
    """What a click on a state shows, as JSON for the page: its label and rule IDs, by state id
    (the `<title>` Graphviz gives the state's node, `cluster_ID` for a compound state)."""
    diagram = diagrams.extract(machine)
    notes = {
        state.id: {"label": state.label(lang), "rules": list(state.rules)}
        for state in diagram.states
    }
    return json.dumps(notes, ensure_ascii=False)
