"""`bindsim diagram`: machines, scenario traces and timelines as pictures (English, Chinese)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click
import graphviz

from bindsim import diagrams
from bindsim.diagrams.output import INSTALL_HINT
from bindsim.diagrams.runs import trace_stem
from bindsim.machines.text import Text
from bindsim.simulator.errors import ScenarioError
from bindsim.simulator.scenario import InvalidScenario, find_files, load_file
from bindsim.simulator.scenario.runner import ScenarioResult
from bindsim.simulator.scenario.runner import run as run_scenario

# The key scenarios of the gallery (`make demo`): the library's stories, when run from the repo.
STORIES = Path("scenarios") / "stories"


def scenario_run(path: str | Path) -> diagrams.Run:
    """Run a scenario file and keep its World's log as a diagrams Run (steps up to a failure)."""
    result = run_scenario(load_file(str(path)))
    if result.failure is not None:
        click.echo(f"{path}: step {result.failure.index} failed; drawn up to there", err=True)
    return run_picture(result)


def run_picture(result: ScenarioResult) -> diagrams.Run:
    """What the pictures need of a scenario run: its World's log, rules and times."""
    scenario, world = result.scenario, result.world
    name = Path(scenario.path).name.removesuffix(".scenario.yaml")
    title = Text(scenario.name, scenario.name)
    return diagrams.Run(name, list(world.log), title, world.rules, result.started, result.ended)


class InvalidInput(click.ClickException):
    """An invalid scenario given to --trace or --timeline: exit 2, as `bindsim run` does."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)  # FILE:LINE:COL first, as `run`


# The README's pictures (docs/images), kept current by tests/test_diagrams_render.py.
DOCS_IMAGES = Path("docs") / "images"
README_STORY = STORIES / "official_account_lifecycle.scenario.yaml"
README_TICKET = STORIES / "stuck_binding_fixed_by_ticket.scenario.yaml"


def readme_pictures(root: str | Path = ".") -> dict[str, graphviz.Graph | graphviz.Digraph]:
    """The README's pictures by file stem: machines in both languages, a trace, two timelines."""
    root = Path(root)
    binding = diagrams.extract(diagrams.find_machine("binding"))
    seller_center = diagrams.extract(diagrams.find_machine("seller_center"))
    story = scenario_run(root / README_STORY)
    ticket = scenario_run(root / README_TICKET)
    [(_, story_trace)] = [
        (trace, graph)
        for trace, graph in diagrams.trace_graphs(story, "en")
        if trace.target == "bind-1"
    ]
    return {
        "binding.en": diagrams.machine_graph(binding, "en"),
        "binding.zh": diagrams.machine_graph(binding, "zh"),
        "seller_center.zh": diagrams.machine_graph(seller_center, "zh"),
        "official_account_lifecycle.trace.bind-1.en": story_trace,
        "official_account_lifecycle.timeline.zh": diagrams.timeline_picture(story, "zh"),
        "stuck_binding_fixed_by_ticket.timeline.en": diagrams.timeline_picture(ticket, "en"),
    }


def write_readme_pictures(root: str | Path = ".") -> list[Path]:
    """Write docs/images/<stem>.png and <stem>.dot for every README picture."""
    written = []
    for stem, graph in readme_pictures(root).items():
        for fmt in ("png", "dot"):
            written.append(
                diagrams.write(diagrams.draw(graph, fmt), Path(root) / DOCS_IMAGES, stem, fmt)
            )
    return written


def write_demo_gallery(out: str | Path, scenarios: Sequence[str | Path] = (STORIES,)) -> Path:
    """The whole gallery (`make demo`): every machine in en and zh, the scenarios' traces and
    timelines, and OUT/index.html linking them all. Returns the index's path."""
    files = find_files([str(p) for p in scenarios if Path(p).exists()])
    return diagrams.write_gallery(out, [scenario_run(f) for f in files])


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
    "--gallery",
    is_flag=True,
    help="Write everything (machines, the stories' traces and timelines) and index.html.",
)
@click.option(
    "--readme-images",
    is_flag=True,
    help="Rewrite the README's pictures in docs/images (run from the repository).",
)
@click.pass_context
def diagram(
    ctx: click.Context,
    machine: str | None,
    formats: tuple[str, ...],
    langs: tuple[str, ...],
    out: str,
    traces: tuple[str, ...],
    timelines: tuple[str, ...],
    gallery: bool,
    readme_images: bool,
) -> None:
    """Draw MACHINE (invitation, binding, ticket, creator_app, seller_center) or `all`.

    Pictures go to OUT as <machine>.<lang>.<ext>; scenario pictures as
    <scenario>.trace.<record>.<lang>.<ext> and <scenario>.timeline.<lang>.<ext>.
    """
    if readme_images:
        _readme_images(ctx, machine, formats, langs, traces, timelines, gallery)
        return
    formats = formats or ("svg",)
    langs = langs or ("en",)
    if machine is None and not (traces or timelines or gallery):
        raise click.UsageError("name a MACHINE (or all), or use --trace, --timeline or --gallery")
    if "zh" in langs and not diagrams.font_covers_chinese():
        click.echo(f"warning: no Chinese font found, zh pictures will show boxes; {INSTALL_HINT}")
    try:
        written = _draw(machine, formats, langs, out, traces, timelines, gallery)
    except diagrams.GraphvizMissing as missing:
        raise click.ClickException(str(missing)) from None
    except (InvalidScenario, ScenarioError) as invalid:
        raise InvalidInput(str(invalid)) from None
    except diagrams.UnknownMachine as unknown:
        raise click.UsageError(str(unknown)) from None
    except OSError as error:
        raise click.ClickException(cannot_write(error, out)) from None
    for path in written:
        click.echo(str(path))


def cannot_write(error: OSError, out: str) -> str:
    """Why OUT (or a file in it) could not be written, in one line."""
    where = error.filename or out
    return f"cannot write {where}: {error.strerror or error}; choose another folder with -o/--out"


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
    others = [
        name
        for name, given in (
            ("MACHINE", machine is not None),
            ("-f/--format", bool(formats)),
            ("-l/--lang", bool(langs)),
            ("-o/--out", ctx.get_parameter_source("out") != click.core.ParameterSource.DEFAULT),
            ("--trace", bool(traces)),
            ("--timeline", bool(timelines)),
            ("--gallery", gallery),
        )
        if given
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
    except OSError as error:
        raise click.ClickException(cannot_write(error, str(DOCS_IMAGES))) from None
    for path in written:
        click.echo(str(path))


def _draw(
    machine: str | None,
    formats: Sequence[str],
    langs: Sequence[str],
    out: str,
    traces: Sequence[str],
    timelines: Sequence[str],
    gallery: bool,
) -> list[Path]:
    written: list[Path] = []
    if gallery:
        written.append(write_demo_gallery(out, [*traces, *timelines] or [STORIES]))
        return written
    if machine is not None:
        if machine.lower() == "all":
            chosen = list(diagrams.machine_classes().values())
        else:
            chosen = [diagrams.find_machine(machine)]
        written += diagrams.write_machines(chosen, out, formats, langs)
    pictures = [f for f in formats if f != "mermaid"]
    if (traces or timelines) and not pictures:
        raise click.UsageError("traces and timelines need --format svg, png, pdf or dot")
    for path in find_files(list(traces)):
        run = scenario_run(path)
        for lang in langs:
            for trace, graph in diagrams.trace_graphs(run, lang):  # type: ignore[arg-type]
                for fmt in pictures:
                    stem = trace_stem(run, trace, lang)
                    written.append(diagrams.write(diagrams.draw(graph, fmt), out, stem, fmt))
    for path in find_files(list(timelines)):
        run = scenario_run(path)
        for lang in langs:
            graph = diagrams.timeline_picture(run, lang)  # type: ignore[arg-type]
            for fmt in pictures:
                stem = f"{run.name}.timeline.{lang}"
                written.append(diagrams.write(diagrams.draw(graph, fmt), out, stem, fmt))
    return written
