"""Pictures as bytes and as plans of files: svg, png, pdf (through Graphviz), DOT and Mermaid text.

Nothing here writes a file: a plan lists what to draw (`Drawing`) and what is text already
(`TextFile`); the command layer draws the plan with a `Renderer` and writes each file atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import graphviz

from bindsim.diagrams.drawing import DEFAULT_DPI, DRAWN, Job, Renderer
from bindsim.diagrams.extract import extract, file_stem
from bindsim.diagrams.model import MachineDiagram
from bindsim.diagrams.render_dot import LAYOUTS, machine_graph
from bindsim.diagrams.render_mermaid import mermaid
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import LANGS, Lang

Format = Literal["svg", "png", "pdf", "dot", "mermaid"]
FORMATS: tuple[Format, ...] = ("svg", "png", "pdf", "dot", "mermaid")
EXTENSIONS: dict[str, str] = {
    "svg": "svg",
    "png": "png",
    "pdf": "pdf",
    "dot": "dot",
    "mermaid": "mmd",
}
# What --layout accepts: a layout of render_dot, or a choice made by measuring them.
LAYOUT_CHOICES: tuple[str, ...] = ("auto", "wrap", *LAYOUTS)
SLIDE = (13.333, 7.5)  # a 16:9 slide in inches (PowerPoint's default)


def check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return fmt  # type: ignore[return-value]


def check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


def job(
    graph: graphviz.Graph | graphviz.Digraph, formats: Iterable[str], dpi: float = DEFAULT_DPI
) -> Job:
    """The Job that draws `graph` in every drawn format of `formats` with one Graphviz call."""
    drawn = tuple(dict.fromkeys(f for f in formats if f in DRAWN))
    return Job(graph.source, drawn, graph.engine, dpi)


def draw(
    graph: graphviz.Graph | graphviz.Digraph,
    fmt: str,
    dpi: float = DEFAULT_DPI,
    renderer: Renderer | None = None,
) -> bytes:
    """A graph as the bytes of `fmt`: its DOT source for "dot", else drawn by Graphviz."""
    if check_format(fmt) == "dot":
        return graph.source.encode()
    if fmt == "mermaid":
        raise ValueError("Mermaid text is made from a machine or a timeline, not a drawn graph")
    return (renderer or Renderer(jobs=1)).draw(job(graph, [fmt], dpi))[fmt]


def slide_scale(width: float, height: float) -> float:
    """How much a picture of this size (inches) is scaled to fit a 16:9 slide."""
    return min(SLIDE[0] / width, SLIDE[1] / height)


class LayoutChooser:
    """The layout of each machine: the one asked for, or (auto, wrap) the one whose text comes
    out largest when the picture is fitted to a 16:9 slide, measured with Graphviz (cached).

    A trace is drawn in its machine's layout, so that the two pictures look alike.
    """

    def __init__(self, wanted: str = "auto", renderer: Renderer | None = None) -> None:
        if wanted not in LAYOUT_CHOICES:
            raise ValueError(
                f"unknown layout {wanted!r}; choose one of: {', '.join(LAYOUT_CHOICES)}"
            )
        self.wanted = wanted
        self.renderer = renderer or Renderer(jobs=1)
        self._chosen: dict[tuple[object, ...], str] = {}

    def candidates(self) -> tuple[str, ...]:
        if self.wanted == "auto":
            return LAYOUTS
        if self.wanted == "wrap":
            return tuple(layout for layout in LAYOUTS if layout.startswith("wrap"))
        return (self.wanted,)

    def __call__(self, diagram: MachineDiagram, lang: Lang, compact: bool = False) -> str:
        """The layout for `diagram` (its compact picture's, when `compact`: a storyboard's)."""
        states = tuple(state.id for state in diagram.states)
        key = (diagram.name, lang, compact, states)
        if key not in self._chosen:
            candidates = self.candidates()
            if len(candidates) == 1:
                self._chosen[key] = candidates[0]
            else:
                plain = diagram if not diagram.active else _without_highlight(diagram)
                sizes = self.renderer.measure_all(
                    machine_graph(plain, lang, layout, compact).source for layout in candidates
                )
                scales = [slide_scale(*size) for size in sizes]
                self._chosen[key] = candidates[scales.index(max(scales))]
        return self._chosen[key]


def _without_highlight(diagram: MachineDiagram) -> MachineDiagram:
    from dataclasses import replace

    return replace(diagram, active=frozenset())


def render(
    machine: Any,
    fmt: str = "svg",
    lang: str = "en",
    highlight: Iterable[str] | None = None,
    ruleset: Ruleset | None = None,
    layout: str = "lr",
    dpi: float = DEFAULT_DPI,
) -> bytes:
    """A machine's picture: a class (states named in `highlight` highlighted) or a World record.

    >>> from bindsim.machines import Invitation
    >>> render(Invitation, "mermaid").decode().splitlines()[0]
    'stateDiagram-v2'
    """
    diagram = extract(machine, ruleset=ruleset, highlight=highlight)
    lang = check_lang(lang)
    if check_format(fmt) == "mermaid":
        return mermaid(diagram, lang).encode()
    chosen = LayoutChooser(layout)(diagram, lang)
    return draw(machine_graph(diagram, lang, chosen), fmt, dpi)


# ------------------------------------------------------------------------- plans of files


@dataclass(frozen=True, slots=True)
class Derived:
    """A further file made from one format of a drawing (an animated SVG from the SVG)."""

    path: str
    source: str  # the format it is made from
    make: Callable[[bytes], bytes]


@dataclass(frozen=True, slots=True)
class Drawing:
    """A picture to draw into STEM.<ext> for each format of its job, and the files derived."""

    stem: str
    job: Job
    derived: tuple[Derived, ...] = ()

    def files(self, drawn: dict[str, bytes]) -> list[tuple[str, bytes]]:
        """The files of this drawing once drawn: (path, bytes)."""
        files = [(f"{self.stem}.{EXTENSIONS[fmt]}", data) for fmt, data in drawn.items()]
        files += [(d.path, d.make(drawn[d.source])) for d in self.derived]
        return files

    def paths(self) -> list[str]:
        return [f"{self.stem}.{EXTENSIONS[f]}" for f in self.job.formats] + [
            d.path for d in self.derived
        ]


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file whose text is known already: DOT source, Mermaid, HTML."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Later:
    """A file made from pictures once they are drawn (a storyboard's PDF or PPTX).

    `key` names everything the file is made of but the pictures (whose jobs are `needs`), so
    that a Renderer's cache can keep the file too."""

    path: str
    needs: tuple[Job, ...]
    make: Callable[[Sequence[dict[str, bytes]]], bytes]
    key: str = ""

    def paths(self) -> list[str]:
        return [self.path]


Planned = Drawing | TextFile | Later


def graph_files(
    graph: graphviz.Graph | graphviz.Digraph,
    stem: str,
    formats: Sequence[str],
    dpi: float = DEFAULT_DPI,
    mermaid_text: Callable[[], str] | None = None,
) -> list[Planned]:
    """A graph's files: one Drawing for the drawn formats, the DOT source, Mermaid if made."""
    planned: list[Planned] = []
    if any(f in DRAWN for f in formats):
        planned.append(Drawing(stem, job(graph, formats, dpi)))
    if "dot" in formats:
        planned.append(TextFile(f"{stem}.dot", graph.source))
    if "mermaid" in formats and mermaid_text is not None:
        planned.append(TextFile(f"{stem}.mmd", mermaid_text()))
    return planned


def machine_files(
    machines: Sequence[Any],
    formats: Sequence[str] = ("svg",),
    langs: Sequence[str] = ("en",),
    ruleset: Ruleset | None = None,
    layouts: LayoutChooser | None = None,
    dpi: float = DEFAULT_DPI,
    folder: str = "",
) -> list[Planned]:
    """Every machine × language, as <folder>/<machine>.<lang>.<ext> (binding.zh.png)."""
    formats = [check_format(f) for f in formats]
    choose = layouts or LayoutChooser("lr")
    planned: list[Planned] = []
    for machine in machines:
        diagram = extract(machine, ruleset=ruleset)
        for lang in (check_lang(x) for x in langs):
            stem = f"{folder}{file_stem(machine)}.{lang}"
            graph = machine_graph(diagram, lang, choose(diagram, lang))
            planned += graph_files(graph, stem, formats, dpi, partial(mermaid, diagram, lang))
    return planned
