"""What the picture commands share: drawing options, the picture cache on disk, writing a plan.

`diagram`, `demo` and `storyboard` draw through one Renderer (parallel Graphviz calls, cached by
content) and write every file with `write_atomic`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from bindsim import diagrams
from bindsim.errors import CannotWrite
from bindsim.machines.text import Text
from bindsim.simulator import coverage
from bindsim.simulator.actions import ACTION_WORDS
from bindsim.simulator.files import read_capped, write_file
from bindsim.simulator.scenario import ScenarioResult

F = TypeVar("F", bound=Callable[..., Any])
WRITERS = 8  # files written at once


class InvalidInput(click.ClickException):
    """An invalid scenario given to a picture command: exit 2, as `bindsim run` does."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)  # FILE:LINE:COL first, as `run`


def default_cache_dir() -> Path:
    """$BINDSIM_CACHE_DIR, else $XDG_CACHE_HOME/bindsim/pictures, else ~/.cache/bindsim/pictures."""
    if os.environ.get("BINDSIM_CACHE_DIR"):
        return Path(os.environ["BINDSIM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bindsim" / "pictures"


MAX_PICTURE = 256 * 1024 * 1024  # bytes: a 1200-dpi PNG of the largest machine is far less


class FileCache:
    """Drawn pictures by content address: <folder>/<key[:2]>/<key>.<fmt>.

    A cache that cannot be written is said once and then left alone: pictures are still drawn.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.broken: str | None = None

    def _path(self, key: str, fmt: str) -> Path:
        return self.folder / key[:2] / f"{key}.{fmt}"

    def load(self, key: str, fmt: str) -> bytes | None:
        try:  # a regular file of a sane size only: the cache folder is not ours alone
            return read_capped(self._path(key, fmt), MAX_PICTURE)
        except OSError:  # CannotRead too
            return None

    def save(self, key: str, fmt: str, data: bytes) -> None:
        if self.broken is not None:
            return
        path = self._path(key, fmt)
        try:
            write_file(path, data)
        except (OSError, CannotWrite) as error:
            self.broken = str(error)
            click.echo(f"warning: picture cache off: {error}", err=True)


@dataclass(frozen=True)
class DrawingOptions:
    """How a command draws: resolution, layout, Graphviz calls at once, the cache."""

    dpi: float
    layout: str
    jobs: int | None
    no_cache: bool
    cache_dir: str | None

    def renderer(self) -> diagrams.Renderer:
        cache = None if self.no_cache else FileCache(self.cache_dir or default_cache_dir())
        return diagrams.Renderer(jobs=self.jobs, cache=cache)


def drawing_options(command: F) -> F:
    """--dpi/--scale, --layout, --jobs, --no-cache, --cache-dir, handed to the command as one
    `drawing: DrawingOptions`."""

    @functools.wraps(command)
    def with_drawing(*args: Any, **kwargs: Any) -> Any:
        dpi, scale = kwargs.pop("dpi"), kwargs.pop("scale")
        kwargs["drawing"] = DrawingOptions(
            resolution(dpi, scale),
            kwargs.pop("layout"),
            kwargs.pop("jobs"),
            kwargs.pop("no_cache"),
            kwargs.pop("cache_dir"),
        )
        return command(*args, **kwargs)

    options = [
        click.option(
            "--dpi",
            type=click.FloatRange(10, 1200),
            default=None,
            help=f"Resolution of png pictures (default {diagrams.DEFAULT_DPI:g}, 2× Graphviz's).",
        ),
        click.option(
            "--scale",
            type=click.FloatRange(0.1, 12.5),
            default=None,
            help="The same as --dpi, as a multiple of 96 dpi: --scale 3 is --dpi 288.",
        ),
        click.option(
            "--layout",
            type=click.Choice(diagrams.LAYOUT_CHOICES),
            default="auto",
            show_default=True,
            help="How machines are laid out: left to right (lr), top to bottom (tb), wrapped into "
            "rows (wrap2, wrap3, or wrap: the better of the two), or auto: whichever shows the "
            "text largest on a 16:9 slide.",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(1, 256),
            default=None,
            help="Graphviz calls at once (default: one per CPU core).",
        ),
        click.option(
            "--no-cache", is_flag=True, help="Draw every picture afresh; do not keep them."
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            default=None,
            help="Where drawn pictures are kept (default: $BINDSIM_CACHE_DIR or "
            "~/.cache/bindsim/pictures).",
        ),
    ]
    wrapped: Any = with_drawing
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped  # type: ignore[no-any-return]


def resolution(dpi: float | None, scale: float | None) -> float:
    if dpi is not None and scale is not None:
        raise click.UsageError("give --dpi or --scale, not both")
    if scale is not None:
        return 96 * scale
    return dpi if dpi is not None else diagrams.DEFAULT_DPI


def write_plan(
    planned: Iterable[diagrams.Planned], out: str | os.PathLike[str], drawer: diagrams.Renderer
) -> list[Path]:
    """Draw and write every planned file under OUT.

    Every distinct picture is drawn once, all of them at once (the Renderer's jobs); text files
    are written meanwhile, drawings as they come, and files made from drawings (storyboards'
    PDF and PPTX) last.
    """
    folder = Path(out)
    items = list(planned)
    wanted: dict[diagrams.Job, None] = {}
    for item in items:
        jobs = [item.job] if isinstance(item, diagrams.Drawing) else []
        jobs += list(item.needs) if isinstance(item, diagrams.Later) else []
        wanted.update(dict.fromkeys(jobs))
    futures = dict(zip(wanted, drawer.draw_all(wanted), strict=True))
    # Each file is synced to disk before its rename (write_atomic): many at once, so that the
    # disk's waits overlap instead of adding up.
    with ThreadPoolExecutor(WRITERS, thread_name_prefix="write") as writer:
        saved = [
            writer.submit(write_file, folder / item.path, item.text)
            for item in items
            if isinstance(item, diagrams.TextFile)
        ]
        drawings: dict[Future[dict[str, bytes]], list[diagrams.Drawing]] = {}
        for item in items:
            if isinstance(item, diagrams.Drawing):
                drawings.setdefault(futures[item.job], []).append(item)
        for future in as_completed(drawings):
            for drawing in drawings[future]:
                for path, data in drawing.files(future.result()):
                    saved.append(writer.submit(write_file, folder / path, data))
        for item in items:
            if isinstance(item, diagrams.Later):
                drawn = [futures[job].result() for job in item.needs]
                fmt = Path(item.path).suffix.lstrip(".")
                data = drawer.made(item.key, item.needs, fmt, partial(item.make, drawn))
                saved.append(writer.submit(write_file, folder / item.path, data))
        return [future.result() for future in saved]


def exercised_by_machine(found: coverage.Coverage) -> dict[str, diagrams.Exercised]:
    """Measured coverage as the pictures need it: per machine class name, the states entered
    and how often each transition (source, target, event) was taken."""
    states: dict[str, set[str]] = {}
    moves: dict[str, dict[tuple[str, str, str], int]] = {}
    for item, count in found.counts.items():
        if item[0] == "state":
            states.setdefault(item[1], set()).add(item[2])
        elif item[0] == "transition":
            source, target, event = coverage.transition_parts(item[2])
            moves.setdefault(item[1], {})[source, target, event] = count
    return {
        name: diagrams.Exercised(frozenset(states.get(name, ())), moves.get(name, {}))
        for name in {*states, *moves}
    }


def run_picture(result: ScenarioResult) -> diagrams.Run:
    """What the pictures need of a scenario run: its World's log, rules, times and names."""
    scenario, world = result.scenario, result.world
    name = diagrams.scenario_stem(scenario.path)
    title = Text(scenario.title("en"), scenario.title("zh"))
    steps = {
        entry.seq: number
        for number, step in enumerate(result.steps, start=1)
        for entry in [*step.entries, *step.timers]
    }
    zone = scenario.zone
    started, ended = result.started.astimezone(zone), result.ended.astimezone(zone)
    log = list(world.log)
    return diagrams.Run(name, log, title, world.rules, started, ended, steps, ACTION_WORDS)
