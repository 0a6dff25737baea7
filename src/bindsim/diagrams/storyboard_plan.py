"""A storyboard as files: the machine pictures its slides show (each drawn once) and a file per
language and format, made by the renderers registered in `storyboard`."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from bindsim.diagrams import storyboard_html, storyboard_pdf  # noqa: F401
from bindsim.diagrams.drawing import DEFAULT_DPI, Job
from bindsim.diagrams.extract import extract, file_stem, machine_classes
from bindsim.diagrams.model import MachineDiagram
from bindsim.diagrams.output import Drawing, Later, LayoutChooser, Planned
from bindsim.diagrams.output import job as graph_job
from bindsim.diagrams.render_dot import machine_graph
from bindsim.diagrams.storyboard import EMBEDS, FORMATS, Diagram, Render, Storyboard
from bindsim.diagrams.storyboard_pptx import training_deck
from bindsim.machines.text import Lang


def picture_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The picture formats storyboards in `formats` embed (svg for HTML, png for PDF and PPTX);
    svg always, the picture a trainer takes from the pictures folder."""
    return tuple(dict.fromkeys(["svg", *(EMBEDS[f] for f in check_formats(formats))]))


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
        self.formats = tuple(formats)  # what the storyboards embed: picture_formats
        self._jobs: dict[str, Job] = {}
        self._made: dict[tuple[object, ...], tuple[str, Job]] = {}

    def add(self, diagram: Diagram, lang: Lang) -> tuple[str, Job]:
        """The picture's stem (relative to the gallery) and its job."""
        seen = (diagram.machine, diagram.active, lang, diagram.ruleset)
        if seen not in self._made:
            self._made[seen] = self._add(diagram, lang)
        return self._made[seen]

    def prepare(self, boards: Sequence[Storyboard], langs: Sequence[Lang]) -> None:
        """Choose the layouts of every picture the boards show at once (measured together)."""
        self.layouts.choose_all(
            (_shape(slide.diagram), lang, True)
            for lang in langs
            for board in boards
            for slide in board.slides
            if slide.diagram is not None
        )

    def _add(self, diagram: Diagram, lang: Lang) -> tuple[str, Job]:
        cls = machine_classes()[diagram.machine]
        shape = _shape(diagram)
        graph = machine_graph(shape, lang, self.layouts(shape, lang, compact=True), compact=True)
        job = graph_job(graph, self.formats, self.dpi)
        states = "-".join(sorted(diagram.active)) or "none"
        digest = hashlib.sha256(graph.source.encode()).hexdigest()[:8]
        stem = f"{self.folder}{file_stem(cls)}.{states}.{lang}.{digest}"
        self._jobs[stem] = job
        return stem, job

    def planned(self) -> list[Planned]:
        return [Drawing(stem, job) for stem, job in self._jobs.items()]


def _shape(diagram: Diagram) -> MachineDiagram:
    """The part of the machine a slide shows: around the states the record is in."""
    cls = machine_classes()[diagram.machine]
    whole = extract(cls, ruleset=diagram.ruleset, highlight=diagram.active)
    return whole.around(diagram.active)


def stable_key(*parts: object) -> str:
    """What a storyboard file is made of, as text that is the same in every process: repr()
    is not (a frozenset's order follows string hashing, which changes from run to run), and a
    cache key that changes never finds what the last run made."""

    def plain(value: object) -> object:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if isinstance(value, frozenset | set):
            return sorted(value, key=repr)
        return repr(value)

    return json.dumps([_code(), *parts], default=plain, sort_keys=True, ensure_ascii=False)


@functools.cache
def _code() -> str:
    """The storyboard renderers' own source and style sheet: a changed renderer makes anew."""
    from bindsim.diagrams import storyboard_pptx, textfit

    digest = hashlib.sha256()
    modules = (storyboard_html, storyboard_pdf, storyboard_pptx, textfit)
    files = [Path(m.__file__ or "") for m in modules]
    files += [Path(storyboard_html.__file__ or "").parent / "assets" / "storyboard.css"]
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()


def check_formats(formats: Sequence[str]) -> list[str]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown storyboard format {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(formats))


def storyboard_files(
    board: Storyboard,
    langs: Sequence[Lang],
    formats: Sequence[str],
    pictures: StoryboardPictures,
    folder: str = "",
) -> list[Planned]:
    """The storyboard's files: <folder><name>.<lang>.<format>, each with its pictures inside;
    the pictures are also drawn as files by `pictures` (its stems are relative to the gallery's
    root), once however many storyboards show them."""
    chosen = check_formats(formats)
    missing = {EMBEDS[f] for f in chosen} - set(pictures.formats)
    if missing:
        raise ValueError(f"{', '.join(chosen)} need {', '.join(sorted(missing))} pictures")
    pictures.prepare([board], langs)
    planned: list[Planned] = []
    for lang in langs:
        stems: dict[int, str] = {}
        jobs: dict[str, Job] = {}
        for slide in board.slides:
            if slide.diagram is not None:
                stem, job = pictures.add(slide.diagram, lang)
                stems[slide.number] = stem
                jobs[stem] = job
        order = list(jobs)
        for fmt in chosen:
            render = FORMATS[fmt]

            def make(
                drawn: Sequence[dict[str, bytes]],
                render: Render = render,
                lang: Lang = lang,
                stems: dict[int, str] = stems,
                order: list[str] = order,
            ) -> bytes:
                return render(board, lang, stems, dict(zip(order, drawn, strict=True)))

            key = stable_key(fmt, lang, board, stems)
            path = f"{folder}{board.name}.{lang}.{fmt}"
            planned.append(Later(path, tuple(jobs[stem] for stem in order), make, key))
    return planned


def deck_file(
    boards: Sequence[Storyboard],
    langs: Sequence[Lang],
    pictures: StoryboardPictures,
    path: str,
) -> Planned:
    """One PPTX of several storyboards, in each language of `langs` (by language, then by
    story): a contents slide and a section per story."""
    if "png" not in pictures.formats:
        raise ValueError("a deck needs png pictures")
    pictures.prepare(boards, langs)
    stories: list[tuple[Storyboard, Lang, dict[int, str]]] = []
    jobs: dict[str, Job] = {}
    for lang in langs:
        for board in boards:
            stems: dict[int, str] = {}
            for slide in board.slides:
                if slide.diagram is not None:
                    stem, job = pictures.add(slide.diagram, lang)
                    stems[slide.number] = stem
                    jobs[stem] = job
            stories.append((board, lang, stems))
    order = list(jobs)

    def make(drawn: Sequence[dict[str, bytes]]) -> bytes:
        return training_deck(stories, dict(zip(order, drawn, strict=True)), langs)

    key = stable_key("deck", stories)
    return Later(path, tuple(jobs[stem] for stem in order), make, key)
