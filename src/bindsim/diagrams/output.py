"""Pictures as bytes and as plans of files: svg, png, pdf (through Graphviz), DOT and Mermaid text.

Nothing here writes a file: a plan lists what to draw (`Drawing`) and what is text already
(`TextFile`); the command layer draws the plan with a `Renderer` and writes each file atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Any, Literal, TypeAlias

import graphviz

from bindsim.diagrams.drawing import DEFAULT_DPI, DRAWN, Job, Renderer
from bindsim.diagrams.extract import extract, file_stem
from bindsim.diagrams.model import MachineDiagram
from bindsim.diagrams.render_dot import LAYOUTS, machine_graph
from bindsim.diagrams.render_mermaid import mermaid
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import LANGS, Lang

Format = Literal["svg", "png", "pdf", "dot", "mermaid"]
Graph: TypeAlias = graphviz.Graph | graphviz.Digraph


@dataclass(frozen=True, slots=True)
class Source:
    """What a picture is made from: its Graphviz graph, and its Mermaid text where it has one
    (a machine or a timeline; a trace has none)."""

    graph: Graph
    mermaid: Callable[[], str] | None = None


@dataclass(frozen=True, slots=True)
class PictureFormat:
    """A registered picture format: its file extension, and either `drawn` (Graphviz draws it;
    one call draws every drawn format of a picture) or `text` (made from the Source)."""

    name: str
    extension: str
    text: Callable[[Source], str] | None = None

    @property
    def drawn(self) -> bool:
        return self.text is None


# Every picture format by name, as `register_format` adds them (python-statemachine's
# contrib/diagram Formatter does the same): adding a format is one decorated function.
PICTURE_FORMATS: dict[str, PictureFormat] = {name: PictureFormat(name, name) for name in DRAWN}


def register_format(
    name: str, extension: str
) -> Callable[[Callable[[Source], str]], Callable[[Source], str]]:
    """Register a text format: a function from a picture's Source to its text."""

    def register(text: Callable[[Source], str]) -> Callable[[Source], str]:
        PICTURE_FORMATS[name] = PictureFormat(name, extension, text)
        return text

    return register


@register_format("dot", extension="dot")
def as_dot(source: Source) -> str:
    """The DOT source Graphviz draws from."""
    return str(source.graph.source)


@register_format("mermaid", extension="mmd")
def as_mermaid(source: Source) -> str:
    """Mermaid, which GitHub renders; made from a machine or a timeline, not a drawn graph."""
    if source.mermaid is None:
        raise ValueError("Mermaid text is made from a machine or a timeline, not a drawn graph")
    return source.mermaid()


FORMATS: tuple[Format, ...] = tuple(PICTURE_FORMATS)  # type: ignore[arg-type]
EXTENSIONS: dict[str, str] = {name: f.extension for name, f in PICTURE_FORMATS.items()}
# What --layout accepts: a layout of render_dot, or a choice made by measuring them.
LAYOUT_CHOICES: tuple[str, ...] = ("auto", "wrap", *LAYOUTS)
SLIDE = (13.333, 7.5)  # a 16:9 slide in inches (PowerPoint's default)


STEM_BYTES = 80  # a stem, its `.trace.<record>.<lang>.animated.svg` included, fits in 255 bytes


def output_stem(name: str) -> str:
    """A name as the stem of the files made from it, safe in a file name and in a link: letters
    (of any script), digits, `-`, `_` and `.` are kept, anything else becomes `-`, and a name
    that had to change, or is longer than STEM_BYTES of UTF-8, ends in a hash of the whole
    (`issue#13` → `issue-13-5d7a0c1f`), so that two names never share their files."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip(".")
    if safe == name and len(name.encode()) <= STEM_BYTES:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    while len(safe.encode()) > STEM_BYTES - len(digest) - 1:
        safe = safe[:-1]
    return f"{safe}-{digest}" if safe else digest


def scenario_stem(path: str) -> str:
    """The stem of the files made from a scenario file: its name without .scenario.yaml."""
    return output_stem(PurePath(path).name.removesuffix(".scenario.yaml"))


def check_format(fmt: str) -> Format:
    if fmt not in PICTURE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(PICTURE_FORMATS)}")
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
    graph: Graph,
    fmt: str,
    dpi: float = DEFAULT_DPI,
    renderer: Renderer | None = None,
    mermaid_source: Callable[[], str] | None = None,
) -> bytes:
    """A picture as the bytes of `fmt`: drawn by Graphviz, or the text its format makes."""
    picture = PICTURE_FORMATS[check_format(fmt)]
    if picture.text is not None:
        return picture.text(Source(graph, mermaid_source)).encode()
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
        self.choose_all([(diagram, lang, compact)])
        return self._chosen[_layout_key(diagram, lang, compact)]

    def choose_all(self, wanted: Iterable[tuple[MachineDiagram, Lang, bool]]) -> None:
        """Choose the layouts of many pictures at once (diagram, language, compact): their
        candidates are measured together, by as few Graphviz processes as can be."""
        candidates = self.candidates()
        todo: dict[tuple[object, ...], list[str]] = {}
        for diagram, lang, compact in wanted:
            key = _layout_key(diagram, lang, compact)
            if key in self._chosen or key in todo:
                continue
            if len(candidates) == 1:
                self._chosen[key] = candidates[0]
                continue
            plain = diagram if not diagram.active else _without_highlight(diagram)
            todo[key] = [machine_graph(plain, lang, x, compact).source for x in candidates]
        sizes = iter(self.renderer.measure_all(s for sources in todo.values() for s in sources))
        for key in todo:
            scales = [slide_scale(*next(sizes)) for _ in candidates]
            self._chosen[key] = candidates[scales.index(max(scales))]

    def collide(self, graph: Graph) -> bool:
        """Whether any two lines of text of `graph` sit on one another once drawn."""
        from bindsim.diagrams.svg_text import collisions

        return bool(collisions(self.renderer.draw(job(graph, ["svg"]))["svg"].decode()))

    def clear(self, graphs: Sequence[Graph], fallback: Graph) -> Graph:
        """Of `graphs`, the one whose text is largest on a 16:9 slide with no text on other
        text; `fallback` when every one has some."""
        from bindsim.diagrams.svg_text import collisions, size_of

        futures = [self.renderer.submit(job(graph, ["svg"])) for graph in graphs]
        best: tuple[float, Graph] | None = None
        for graph, future in zip(graphs, futures, strict=True):
            svg = future.result()["svg"].decode()
            if collisions(svg):
                continue
            width, height = size_of(svg)
            scale = slide_scale(width / 72, height / 72)
            if best is None or scale > best[0]:
                best = (scale, graph)
        return fallback if best is None else best[1]


def _layout_key(diagram: MachineDiagram, lang: Lang, compact: bool) -> tuple[object, ...]:
    return (diagram.name, lang, compact, tuple(state.id for state in diagram.states))


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
    if PICTURE_FORMATS[check_format(fmt)].drawn or fmt == "dot":
        graph = machine_graph(diagram, lang, LayoutChooser(layout)(diagram, lang))
    else:  # a text made from the machine alone needs no layout measured
        graph = graphviz.Digraph()
    return draw(graph, fmt, dpi, mermaid_source=partial(mermaid, diagram, lang))


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
    """A picture's files: one Drawing for every drawn format, a TextFile for each text format
    (Mermaid only where the picture has a Mermaid source)."""
    planned: list[Planned] = []
    wanted = [PICTURE_FORMATS[check_format(f)] for f in dict.fromkeys(formats)]
    if any(f.drawn for f in wanted):
        planned.append(Drawing(stem, job(graph, formats, dpi)))
    source = Source(graph, mermaid_text)
    for picture in wanted:
        if picture.text is not None and (picture.name != "mermaid" or mermaid_text is not None):
            planned.append(TextFile(f"{stem}.{picture.extension}", picture.text(source)))
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
