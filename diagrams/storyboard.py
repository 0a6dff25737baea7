"""A storyboard: a scenario replayed as one slide per step, as plain data, and its formats.

The command layer replays the scenario against a World and fills these records (the screens as
the user saw them, the states, the clock and deadlines, the outcome); this package draws them.
Each format is one function in a registry (html, pdf, pptx), the way python-statemachine's
diagram formatter registers its renderers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bindsim.diagrams.drawing import DEFAULT_DPI, Job
from bindsim.diagrams.extract import extract, file_stem, machine_classes
from bindsim.diagrams.output import LayoutChooser, Planned
from bindsim.diagrams.output import job as graph_job
from bindsim.diagrams.render_dot import machine_graph
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import Lang, Text


@dataclass(frozen=True, slots=True)
class Button:
    """A label on a screen: shown or hidden (with the reason code a user would meet), tapped."""

    label: Text
    visible: bool = True
    hidden_reason: str | None = None
    tapped: bool = False


@dataclass(frozen=True, slots=True)
class MockScreen:
    """A phone screen (kind "app") or a Seller Center page ("center") as the user saw it."""

    kind: str
    owner: str
    title: Text
    buttons: tuple[Button, ...] = ()
    info: tuple[Text, ...] = ()  # the URL, the reasons on a refusal page, whose request is open
    path: tuple[Text, ...] = ()  # the labels tapped before the marked one, in this step
    now_on: Text | None = None  # where the tap led, when it led elsewhere


@dataclass(frozen=True, slots=True)
class Deadline:
    """A timer still running after the step: what happens, to which record, when."""

    what: Text
    target: str
    due: datetime
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagram:
    """The machine of the record the step is about, with the states it is in."""

    machine: str  # class name: "Binding"
    record: str  # "bind-1"
    who: str  # "gb → alice"
    active: frozenset[str] = frozenset()
    ruleset: Ruleset | None = None


@dataclass(frozen=True, slots=True)
class Slide:
    """One step of the scenario."""

    number: int
    total: int
    text: Text  # what happened, in words
    step: str  # the step as written in the file
    note: str | None
    at: datetime
    until: datetime
    elapsed: Text  # "+47h"
    outcome: str  # ok, refused, error, failed, (expect:) ok
    reasons: tuple[str, ...] = ()
    messages: tuple[Text, ...] = ()  # a refusal's reasons, or what an expectation found
    screens: tuple[MockScreen, ...] = ()
    diagram: Diagram | None = None
    deadlines: tuple[Deadline, ...] = ()
    fired: tuple[Text, ...] = ()  # timers that fired during the step


@dataclass(frozen=True, slots=True)
class Storyboard:
    name: str  # file stem
    title: Text
    description: str
    start: datetime
    slides: tuple[Slide, ...] = field(default_factory=tuple)


# ----------------------------------------------------------------- the slides' pictures


def picture_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The picture formats storyboards in `formats` need: svg, and png for PDF and PPTX."""
    return ("svg", "png") if NEEDS_PICTURES.intersection(check_formats(formats)) else ("svg",)


class StoryboardPictures:
    """The machine pictures the slides show, each drawn once however many slides (and
    storyboards) show it: svg for HTML and PDF, png for PPTX, from one Graphviz call."""

    def __init__(
        self,
        layouts: LayoutChooser | None = None,
        dpi: float = DEFAULT_DPI,
        folder: str = "",
        formats: Sequence[str] = ("svg", "png"),
    ) -> None:
        self.layouts = layouts or LayoutChooser("auto")
        self.dpi = dpi
        self.folder = folder
        self.formats = tuple(formats)  # svg for HTML; png too for PDF and PPTX
        self._jobs: dict[str, Job] = {}
        self._made: dict[tuple[object, ...], tuple[str, Job]] = {}

    def add(self, diagram: Diagram, lang: Lang) -> tuple[str, Job]:
        """The picture's stem (relative to the gallery) and its job."""
        seen = (diagram.machine, diagram.active, lang, diagram.ruleset)
        if seen not in self._made:
            self._made[seen] = self._add(diagram, lang)
        return self._made[seen]

    def _add(self, diagram: Diagram, lang: Lang) -> tuple[str, Job]:
        cls = machine_classes()[diagram.machine]
        shape = extract(cls, ruleset=diagram.ruleset, highlight=diagram.active)
        graph = machine_graph(shape, lang, self.layouts(shape, lang))
        job = graph_job(graph, self.formats, self.dpi)
        states = "-".join(sorted(diagram.active)) or "none"
        digest = hashlib.sha256(graph.source.encode()).hexdigest()[:8]
        stem = f"{self.folder}{file_stem(cls)}.{states}.{lang}.{digest}"
        self._jobs[stem] = job
        return stem, job

    def planned(self) -> list[Planned]:
        from bindsim.diagrams.output import Drawing

        return [Drawing(stem, job) for stem, job in self._jobs.items()]


# ------------------------------------------------------------------------- the formats

# A renderer: (storyboard, lang, picture stems by slide number, relative prefix to the gallery
# root, drawn pictures by stem) → bytes. HTML needs no drawn pictures, PDF and PPTX do.
Render = Callable[[Storyboard, Lang, dict[int, str], str, dict[str, dict[str, bytes]]], bytes]
FORMATS: dict[str, Render] = {}
NEEDS_PICTURES: set[str] = set()


def register_format(name: str, needs_pictures: bool = False) -> Callable[[Render], Render]:
    """Register a storyboard format: `@register_format("pptx", needs_pictures=True)`."""

    def register(render: Render) -> Render:
        FORMATS[name] = render
        if needs_pictures:
            NEEDS_PICTURES.add(name)
        return render

    return register


def check_formats(formats: Sequence[str]) -> list[str]:
    _load_formats()
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown storyboard format {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(formats))


def _load_formats() -> None:
    """Import the renderers, which register themselves (pptx and pdf load their libraries then)."""
    from bindsim.diagrams import storyboard_html, storyboard_pdf, storyboard_pptx  # noqa: F401


def storyboard_files(
    board: Storyboard,
    langs: Sequence[Lang],
    formats: Sequence[str],
    pictures: StoryboardPictures,
    folder: str = "",
) -> list[Planned]:
    """The storyboard's files: <folder><name>.<lang>.<format>; their pictures go to `pictures`.

    `folder` is where the storyboard sits in the gallery; the pictures' stems are relative to
    the gallery's root.
    """
    from bindsim.diagrams.output import Later, TextFile

    chosen = check_formats(formats)
    if NEEDS_PICTURES.intersection(chosen) and "png" not in pictures.formats:
        raise ValueError(f"{', '.join(sorted(NEEDS_PICTURES))} need png pictures")
    planned: list[Planned] = []
    up = "../" * folder.count("/")
    for lang in langs:
        stems: dict[int, str] = {}
        jobs: dict[str, Job] = {}
        for slide in board.slides:
            if slide.diagram is not None:
                stem, job = pictures.add(slide.diagram, lang)
                stems[slide.number] = stem
                jobs[stem] = job
        for fmt in chosen:
            path = f"{folder}{board.name}.{lang}.{fmt}"
            render = FORMATS[fmt]
            if fmt not in NEEDS_PICTURES:
                text = render(board, lang, stems, up, {}).decode("utf-8")
                planned.append(TextFile(path, text))
                continue
            order = list(jobs)

            def make(
                drawn: Sequence[dict[str, bytes]],
                render: Render = render,
                lang: Lang = lang,
                stems: dict[int, str] = stems,
                order: list[str] = order,
            ) -> bytes:
                return render(board, lang, stems, up, dict(zip(order, drawn, strict=True)))

            key = repr((fmt, lang, board, stems, up))
            planned.append(Later(path, tuple(jobs[stem] for stem in order), make, key))
    return planned
