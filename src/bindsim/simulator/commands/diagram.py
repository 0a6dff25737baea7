"""`bindsim diagram`: machines, scenario traces and timelines as pictures (English, Chinese)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
import graphviz

from bindsim import diagrams
from bindsim.diagrams.drawing import INSTALL_HINT
from bindsim.errors import CannotWrite, InvalidScenario, ScenarioError
from bindsim.simulator.commands.pictures import (
    DrawingOptions,
    InvalidInput,
    drawing_options,
    exercised_by_machine,
    run_picture,
    write_plan,
)
from bindsim.simulator.library import default_library
from bindsim.simulator.scenario import find_files, load_file
from bindsim.simulator.scenario import run as run_scenario
from bindsim.simulator.scenario.report import measured

# The README's stories, where the repository holds them.
STORIES = Path("src") / "bindsim" / "scenarios" / "stories"


def scenario_run(path: str | Path) -> diagrams.Run:
    """Run a scenario file and keep its World's log as a diagrams Run (steps up to a failure)."""
    result = run_scenario(load_file(str(path)))
    if result.failure is not None:
        click.echo(f"{path}: step {result.failure.index} failed; drawn up to there", err=True)
    return run_picture(result)


# The README's pictures (docs/images), kept current by tests/test_diagrams_render.py.
DOCS_IMAGES = Path("docs") / "images"
README_STORY = STORIES / "official_account_lifecycle.scenario.yaml"
README_TICKET = STORIES / "stuck_binding_fixed_by_ticket.scenario.yaml"


def readme_pictures(root: str | Path = ".") -> dict[str, graphviz.Graph | graphviz.Digraph]:
    """The README's pictures by file stem: machines, a trace, two timelines (layout: auto)."""
    root = Path(root)
    layouts = diagrams.LayoutChooser("auto")
    binding = diagrams.extract(diagrams.find_machine("binding"))
    seller_center = diagrams.extract(diagrams.find_machine("seller_center"))
    creator_app = diagrams.extract(diagrams.find_machine("creator_app"))
    story = scenario_run(root / README_STORY)
    ticket = scenario_run(root / README_TICKET)
    stories = [run_scenario(load_file(f)) for f in find_files([str(root / STORIES)])]
    covered = exercised_by_machine(measured(stories)).get(binding.name, diagrams.Exercised())
    [(_, story_trace)] = [
        (trace, graph)
        for trace, graph in diagrams.trace_graphs(story, "en", layouts)
        if trace.target == "bind-1"
    ]
    return {
        "binding.en": diagrams.machine_graph(binding, "en", layouts(binding, "en")),
        "binding.zh": diagrams.machine_graph(binding, "zh", layouts(binding, "zh")),
        "binding.coverage.en": diagrams.coverage_graph(
            binding, covered, "en", layouts(binding, "en")
        ),
        "creator_app.zh": diagrams.machine_graph(creator_app, "zh", layouts(creator_app, "zh")),
        "seller_center.zh": diagrams.machine_graph(
            seller_center, "zh", layouts(seller_center, "zh")
        ),
        "official_account_lifecycle.trace.bind-1.en": story_trace,
        "official_account_lifecycle.timeline.zh": diagrams.timeline_picture(story, "zh"),
        "stuck_binding_fixed_by_ticket.timeline.en": diagrams.timeline_picture(ticket, "en"),
    }


def write_readme_pictures(root: str | Path = ".") -> list[Path]:
    """Write docs/images/<stem>.png and <stem>.dot for every README picture."""
    folder = Path(root) / DOCS_IMAGES
    planned: list[diagrams.Planned] = []
    for stem, graph in readme_pictures(root).items():
        planned.append(diagrams.Drawing(stem, diagrams.output.job(graph, ["png"])))
        planned.append(diagrams.TextFile(f"{stem}.dot", graph.source))
    with diagrams.Renderer() as drawer:
        return write_plan(planned, folder, drawer)


@click.command("diagram")
@click.argument("machine", required=False)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(diagrams.FORMATS),
    help="svg (default), png, pdf, dot or mermaid; repeat for several.",
)
@click.option(
    "-l",
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(["en", "zh"]),
    help="en (default) or zh; repeat for both.",
)
@click.option("-o", "--out", default="out/diagrams", show_default=True, help="Output folder.")
@click.option(
    "--trace",
    "traces",
    multiple=True,
    type=click.Path(exists=True),
    help="Scenario file or folder: draw the path its run took over each machine it touched.",
)
@click.option(
    "--timeline",
    "timelines",
    multiple=True,
    type=click.Path(exists=True),
    help="Scenario file or folder: draw its run along simulated time.",
)
@click.option(
    "--coverage",
    "coverages",
    multiple=True,
    type=click.Path(exists=True),
    help="Scenario file or folder: run it and draw MACHINE (default: all) with the states and "
    "transitions the run exercised in blue and the rest dashed in orange.",
)
@click.option(
    "--gallery",
    is_flag=True,
    help="Write everything (machines, the stories' traces and timelines) and index.html.",
)
@click.option(
    "--slides",
    is_flag=True,
    help="Draw MACHINE, --trace and --timeline pictures as slides: each as the 16:9 slides it "
    "takes with no text under 12 pt (a large machine in parts, a long timeline over several).",
)
@click.option(
    "--readme-images",
    is_flag=True,
    help="Rewrite the README's pictures in docs/images (run from the repository).",
)
@drawing_options
@click.pass_context
def diagram(
    ctx: click.Context,
    machine: str | None,
    formats: tuple[str, ...],
    langs: tuple[str, ...],
    out: str,
    traces: tuple[str, ...],
    timelines: tuple[str, ...],
    coverages: tuple[str, ...],
    gallery: bool,
    slides: bool,
    readme_images: bool,
    drawing: DrawingOptions,
) -> None:
    """Draw MACHINE (invitation, binding, ticket, creator_app, seller_center) or `all`.

    Pictures go to OUT as <machine>.<lang>.<ext>; scenario pictures as
    <scenario>.trace.<record>.<lang>.<ext> (with svg, also .animated.svg: the steps played in
    turn) and <scenario>.timeline.<lang>.<ext> (with mermaid, a gantt chart .mmd); with
    --coverage, <machine>.coverage.<lang>.<ext>; with --slides, <stem>.slide-<n>.<ext> in
    place of <stem>.<ext>.
    """
    if readme_images:
        _readme_images(ctx, machine, formats, langs, traces, timelines, gallery)
        return
    formats = formats or ("svg",)
    langs = langs or ("en",)
    if machine is None and not (traces or timelines or gallery or coverages):
        raise click.UsageError(
            "name a MACHINE (or all), or use --trace, --timeline, --coverage or --gallery"
        )
    if "zh" in langs and not diagrams.font_covers_chinese():
        click.echo(f"warning: no Chinese font found, zh pictures will show boxes; {INSTALL_HINT}")
    picture_dpi = drawing.dpi
    try:
        with drawing.renderer() as drawer:
            layouts = diagrams.LayoutChooser(drawing.layout, drawer)
            options = _Options(formats, langs, layouts, picture_dpi, slides)
            if gallery:
                from bindsim.simulator.commands.demo import write_gallery

                scenarios = [*traces, *timelines] or [str(default_library() / "stories")]
                files = find_files([p for p in scenarios if Path(p).exists()])
                results = [run_scenario(load_file(f)) for f in files]
                written = [write_gallery(results, out, drawer, layouts, picture_dpi)]
            elif slides:
                written = write_plan(_slides_plan(machine, options, traces, timelines), out, drawer)
            else:
                planned = _plan(machine if not coverages else None, options, traces, timelines)
                if coverages:
                    planned += _coverage_plan(machine, options, coverages)
                written = write_plan(planned, out, drawer)
    except diagrams.GraphvizMissing as missing:
        raise click.ClickException(str(missing)) from None
    except diagrams.GraphvizFailed as failed:
        raise click.ClickException(f"{failed} ({diagrams.GRAPHVIZ_BUG})") from None
    except (InvalidScenario, ScenarioError) as invalid:
        raise InvalidInput(str(invalid)) from None
    except diagrams.UnknownMachine as unknown:
        raise click.UsageError(str(unknown)) from None
    except CannotWrite as error:
        raise click.ClickException(cannot_write(error, out)) from None
    for path in written:
        click.echo(str(path))


def cannot_write(error: CannotWrite, out: str) -> str:
    """Why OUT (or a file in it) could not be written, in one line."""
    return f"{error}; choose another folder with -o/--out"


def _readme_images(
    ctx: click.Context,
    machine: str | None,
    formats: Sequence[str],
    langs: Sequence[str],
    traces: Sequence[str],
    timelines: Sequence[str],
    gallery: bool,
) -> None:
    """--readme-images: the README's own pictures, in their own place; nothing else goes with it."""
    given = {
        name: ctx.get_parameter_source(name) != click.core.ParameterSource.DEFAULT
        for name in ("out", "dpi", "scale", "layout", "jobs", "no_cache", "cache_dir")
    }
    others = [
        name
        for name, is_given in (
            ("MACHINE", machine is not None),
            ("-f/--format", bool(formats)),
            ("-l/--lang", bool(langs)),
            ("-o/--out", given["out"]),
            ("--trace", bool(traces)),
            ("--timeline", bool(timelines)),
            ("--gallery", gallery),
            ("--dpi", given["dpi"]),
            ("--scale", given["scale"]),
            ("--layout", given["layout"]),
        )
        if is_given
    ]
    if others:
        raise click.UsageError(
            f"--readme-images takes no {', '.join(others)}: it always writes the README's "
            f"pictures to {DOCS_IMAGES} as png and dot"
        )
    missing = [p for p in (README_STORY, README_TICKET) if not p.is_file()]
    if missing:
        raise click.UsageError(
            "--readme-images rewrites the pictures of the bindsim repository: run it from the "
            f"repository's root ({missing[0]} is not here)"
        )
    try:
        written = write_readme_pictures()
    except diagrams.GraphvizMissing as missing_dot:
        raise click.ClickException(str(missing_dot)) from None
    except CannotWrite as error:
        raise click.ClickException(cannot_write(error, str(DOCS_IMAGES))) from None
    for path in written:
        click.echo(str(path))


class _Options:
    """What every picture of one `bindsim diagram` call is drawn with."""

    def __init__(
        self,
        formats: Sequence[str],
        langs: Sequence[str],
        layouts: diagrams.LayoutChooser,
        dpi: float,
        slides: bool = False,
    ) -> None:
        self.formats, self.langs, self.layouts, self.dpi = formats, langs, layouts, dpi
        self.slides = slides


def _slides_plan(
    machine: str | None,
    options: _Options,
    traces: Sequence[str],
    timelines: Sequence[str],
) -> list[diagrams.Planned]:
    """--slides: each picture as the slides it takes, <stem>.slide-<n>.<ext>."""
    formats = [f for f in options.formats if f != "mermaid"]
    if not formats:
        raise click.UsageError("slides need --format svg, png, pdf or dot")
    maker = diagrams.SlideMaker(options.layouts)
    pictures: list[tuple[str, Sequence[diagrams.output.Graph]]] = []
    for lang in (diagrams.output.check_lang(x) for x in options.langs):
        for cls in _chosen(machine) if machine is not None else []:
            stem = f"{diagrams.file_stem(cls)}.{lang}"
            pictures.append((stem, maker.machine(diagrams.extract(cls), lang)))
        for path in find_files(list(traces)):
            run = scenario_run(path)
            for trace, shown in diagrams.trace_slides(run, lang, maker):
                pictures.append((diagrams.runs.trace_stem(run, trace, lang), shown))
        for path in find_files(list(timelines)):
            run = scenario_run(path)
            stem = f"{run.name}.timeline.{lang}"
            pictures.append((stem, diagrams.timeline_slides(run, lang, maker)))
    planned: list[diagrams.Planned] = []
    for stem, graphs in pictures:
        for number, graph in enumerate(graphs, 1):
            slide = f"{stem}.slide-{number}"
            planned += diagrams.output.graph_files(graph, slide, formats, options.dpi)
    return planned


def _plan(
    machine: str | None,
    options: _Options,
    traces: Sequence[str],
    timelines: Sequence[str],
) -> list[diagrams.Planned]:
    planned: list[diagrams.Planned] = []
    if machine is not None:
        planned += diagrams.machine_files(
            _chosen(machine),
            options.formats,
            options.langs,
            layouts=options.layouts,
            dpi=options.dpi,
        )
    pictures = [f for f in options.formats if f != "mermaid"]
    if traces and not pictures:
        raise click.UsageError("traces need --format svg, png, pdf or dot")
    for path in find_files(list(traces)):
        run = scenario_run(path)
        every = diagrams.run_files(run, pictures, options.langs, options.layouts, options.dpi)
        planned += [item for item in every if ".timeline." not in _stem(item)]
    for path in find_files(list(timelines)):
        run = scenario_run(path)
        every = diagrams.run_files(
            run, options.formats, options.langs, options.layouts, options.dpi
        )
        planned += [item for item in every if ".timeline." in _stem(item)]
    return planned


def _chosen(machine: str) -> list[type]:
    if machine.lower() == "all":
        return list(diagrams.machine_classes().values())
    return [diagrams.find_machine(machine)]


def _coverage_plan(
    machine: str | None, options: _Options, coverages: Sequence[str]
) -> list[diagrams.Planned]:
    """Each chosen machine (all by default) drawn with what the runs of `coverages` exercised,
    measured from their logs (as `bindsim run --coverage` counts it)."""
    files = find_files(list(coverages))
    if not files:
        raise click.UsageError(f"--coverage: no *.scenario.yaml in {', '.join(coverages)}")
    results = [run_scenario(load_file(path)) for path in files]
    for result in results:
        if result.failure is not None:
            click.echo(f"{result.scenario.path}: step {result.failure.index} failed", err=True)
    exercised = exercised_by_machine(measured(results))
    planned: list[diagrams.Planned] = []
    for cls in _chosen(machine or "all"):
        diagram = diagrams.extract(cls)
        found = exercised.get(diagram.name, diagrams.Exercised())
        for lang in (diagrams.output.check_lang(x) for x in options.langs):
            graph = diagrams.coverage_graph(diagram, found, lang, options.layouts(diagram, lang))
            stem = f"{diagrams.file_stem(cls)}.coverage.{lang}"
            planned += diagrams.output.graph_files(graph, stem, options.formats, options.dpi)
    return planned


def _stem(item: diagrams.Planned) -> str:
    return item.stem if isinstance(item, diagrams.Drawing) else item.path
