"""`bindsim demo`: the main job, run by `make demo`: the scenario library, then the gallery.

The gallery (OUT/index.html) holds every machine in English and Chinese, the traces, timelines
and storyboards of the library's stories, and every scenario's result with its storyboard.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import click

from bindsim import diagrams
from bindsim.errors import CannotWrite
from bindsim.extras import require
from bindsim.machines.text import LANGS, Text
from bindsim.simulator import terminal
from bindsim.simulator.commands.pictures import (
    DrawingOptions,
    drawing_options,
    run_picture,
    write_plan,
)
from bindsim.simulator.commands.run import EXIT_FAILED, EXIT_INVALID, EXIT_PASSED, load_all
from bindsim.simulator.library import default_library
from bindsim.simulator.scenario import ScenarioResult
from bindsim.simulator.scenario import run as run_scenario
from bindsim.simulator.scenario.report import print_errors, print_results

STORIES = "stories"  # the library's folder of stories: drawn in full, with PDF and PPTX storyboards
STORYBOARDS = "storyboards/"


def write_gallery(
    results: Sequence[ScenarioResult],
    out: str | os.PathLike[str],
    drawer: diagrams.Renderer,
    layouts: diagrams.LayoutChooser,
    dpi: float,
    library: str | os.PathLike[str] | None = None,
    storyboards: Sequence[str] = ("html",),
) -> Path:
    """The whole gallery in OUT; returns its index.html.

    Runs in the library's stories folder (or all, without a library) are drawn in full. Every
    scenario gets an HTML storyboard in both languages; the stories also get the other formats
    in `storyboards` (pdf, pptx: a few seconds each, so asked for, not made by default).
    """
    from bindsim.simulator.commands.storyboard import storyboard_files

    root = Path(library).resolve() if library is not None else None
    entries: list[diagrams.Entry] = []
    planned: list[diagrams.Planned] = []
    from bindsim.diagrams.storyboard_plan import picture_formats

    pictures = diagrams.StoryboardPictures(
        layouts, dpi, f"{STORYBOARDS}pictures/", picture_formats(storyboards or ["html"])
    )
    for result in results:
        path = Path(result.scenario.path).resolve()
        group = _group(path, root)
        story = root is None or group == STORIES
        run = run_picture(result)
        links: list[str] = []
        if storyboards:
            formats = tuple(storyboards) if story else ("html",)
            files = storyboard_files(result.scenario, LANGS, formats, pictures, STORYBOARDS)
            planned += files
            links = [item.path for item in files if isinstance(item, diagrams.TextFile)]
            links += [
                path for item in files if isinstance(item, diagrams.Later) for path in item.paths()
            ]
        entries.append(
            diagrams.Entry(
                name=run.name,
                title=Text(result.scenario.title("en"), result.scenario.title("zh")),
                path=result.scenario.path,
                group=group,
                passed=result.passed,
                rules=tuple(result.scenario.rules),
                run=run if story else None,
                storyboards=tuple(sorted(links, key=_storyboard_order)),
                failure=_failure(result),
            )
        )
    planned = [
        *diagrams.gallery_files(entries, LANGS, ("svg", "png"), layouts, dpi),
        *pictures.planned(),
        *planned,
    ]
    # index.html last, once every file it links to is written: a failure on the way (a full
    # disk, a name the file system refuses) leaves no page that links to missing files.
    last = [isinstance(item, diagrams.TextFile) and item.path == "index.html" for item in planned]
    write_plan(
        [item for item, is_index in zip(planned, last, strict=True) if not is_index], out, drawer
    )
    write_plan(
        [item for item, is_index in zip(planned, last, strict=True) if is_index], out, drawer
    )
    return Path(out) / "index.html"


def _storyboard_formats(asked: Sequence[str]) -> tuple[str, ...]:
    if "none" in asked:
        return ()
    return tuple(dict.fromkeys(["html", *asked]))


def _group(path: Path, root: Path | None) -> str:
    if root is not None and path.is_relative_to(root):
        parts = path.relative_to(root).parts
        return parts[0] if len(parts) > 1 else "."
    return path.parent.name


def _storyboard_order(link: str) -> tuple[int, str]:
    order = {".html": 0, ".pdf": 1, ".pptx": 2}
    return order.get(Path(link).suffix, 3), link


def _failure(result: ScenarioResult) -> str:
    failure = result.failure
    if failure is None:
        return ""
    return f"step {failure.index} (line {failure.line}): {failure.message}"


@click.command()
@click.option("--out", default="out", show_default=True, help="Folder for the gallery.")
@click.option(
    "--scenarios",
    "library",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="The scenario library to run [default: ./scenarios, else the one shipped with bindsim].",
)
@click.option(
    "-s",
    "--storyboard-format",
    "storyboard_formats",
    multiple=True,
    type=click.Choice(["html", "pdf", "pptx", "none"]),
    help="Storyboards to make: html (default) for every scenario; pdf and pptx for the stories; "
    "none for no storyboards. Repeat for several.",
)
@drawing_options
def demo(
    out: str,
    library: str | None,
    storyboard_formats: tuple[str, ...],
    drawing: DrawingOptions,
) -> None:
    """Run the scenario library, then write the gallery into OUT: every machine (en, zh), the
    stories' traces, timelines and storyboards, every scenario's result; open OUT/index.html."""
    if {"pdf", "pptx"} & set(storyboard_formats):
        require("slides", "PDF and PPTX storyboards")
    library = library or str(default_library())
    console = terminal.console()
    scenarios, errors = load_all([library])
    if errors:
        print_errors(terminal.console(stderr=True), errors)
        raise click.exceptions.Exit(EXIT_INVALID)
    began = time.perf_counter()
    results = [run_scenario(scenario) for scenario in scenarios]
    print_results(console, results, time.perf_counter() - began)
    failed = any(not result.passed for result in results)

    if not diagrams.dot_available():
        from bindsim.diagrams.drawing import INSTALL_HINT

        if os.environ.get("CI"):
            raise click.ClickException(f"Graphviz `dot` is missing: {INSTALL_HINT}")
        console.print(f"[yellow]No pictures: Graphviz `dot` is missing; {INSTALL_HINT}[/]")
        raise click.exceptions.Exit(EXIT_FAILED if failed else EXIT_PASSED)
    began = time.perf_counter()
    try:
        with drawing.renderer() as drawer:
            layouts = diagrams.LayoutChooser(drawing.layout, drawer)
            index = write_gallery(
                results,
                out,
                drawer,
                layouts,
                drawing.dpi,
                library,
                storyboards=_storyboard_formats(storyboard_formats),
            )
    except diagrams.GraphvizFailed as failed:
        raise click.ClickException(f"{failed} ({diagrams.GRAPHVIZ_BUG})") from None
    except CannotWrite as error:
        raise click.ClickException(f"{error}; choose another folder with --out") from None
    files = sum(1 for path in Path(out).rglob("*") if path.is_file())
    console.print(
        f"{files} files in {time.perf_counter() - began:.1f} s ({drawer.calls} Graphviz calls, "
        f"{drawer.hits} pictures from the cache): {index}"
    )
    raise click.exceptions.Exit(EXIT_FAILED if failed else EXIT_PASSED)
