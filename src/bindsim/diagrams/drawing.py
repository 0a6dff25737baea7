"""Graphviz as a batch service: one `dot` call per picture for all its formats, calls run in
parallel, and a content-addressed cache so that an unchanged picture is never laid out again.

Layout is what costs (benchmarks/README.md): a picture asked for as svg and png is laid out once,
with `-Tsvg -o … -Tpng -o …`. The cache key is the DOT source, the engine, the resolution and a
fingerprint of the Graphviz version and the fonts fontconfig picks, so a new Graphviz or a newly
installed font draws afresh. Storing the cache is the caller's business (a `Cache`): this package
writes no files of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Protocol, TypeVar

from bindsim.errors import GraphvizFailed, GraphvizMissing

T = TypeVar("T")
R = TypeVar("R")

# Bumped when what is done to Graphviz's output changes (natural_size, png_with_dpi), so old
# pictures go.
OUTPUT_VERSION = "3"
DRAWN: tuple[str, ...] = ("svg", "png", "pdf")
DEFAULT_DPI = 192.0  # twice Graphviz's 96: crisp on a slide, on a projector and on a laptop screen
INSTALL_HINT = (
    "install Graphviz and the fonts: sudo apt-get install graphviz fonts-noto-core fonts-noto-cjk"
)


GRAPHVIZ_BUG = "a bug in bindsim's DOT, not in your input: please report it with the scenario"


def dot_available() -> bool:
    return shutil.which("dot") is not None


@dataclass(frozen=True, slots=True)
class Job:
    """One picture to draw: a DOT source, the formats wanted, the engine and the resolution."""

    source: str
    formats: tuple[str, ...] = ("svg",)
    engine: str = "dot"  # "dot" lays out; "neato" keeps the pinned positions of a timeline
    dpi: float = DEFAULT_DPI

    def __post_init__(self) -> None:
        unknown = [f for f in self.formats if f not in DRAWN]
        if unknown or not self.formats:
            raise ValueError(f"cannot draw {unknown or 'nothing'}; formats: {', '.join(DRAWN)}")
        if not 10 <= self.dpi <= 1200:
            raise ValueError(f"dpi must be between 10 and 1200, not {self.dpi:g}")

    def key(self, fingerprint: str) -> str:
        """The picture's address in a cache: the same input always draws the same bytes."""
        digest = hashlib.sha256()
        for part in (OUTPUT_VERSION, fingerprint, self.engine, f"{self.dpi:g}", self.source):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()


class Cache(Protocol):
    """Where drawn pictures are kept between runs, by key and format."""

    def load(self, key: str, fmt: str) -> bytes | None: ...

    def save(self, key: str, fmt: str, data: bytes) -> None: ...


@cache
def fingerprint() -> str:
    """Graphviz's version and the font files fontconfig resolves our families to."""
    from bindsim.diagrams.style import FONT_FAMILIES

    parts = []
    if dot_available():
        version = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
        parts.append(version.stderr.strip())
    if shutil.which("fc-match"):
        for family in FONT_FAMILIES:
            found = subprocess.run(
                ["fc-match", "--format=%{file}", family],
                capture_output=True,
                text=True,
                check=False,
            )
            parts.append(f"{family}={found.stdout}")
    return "|".join(parts)


class Renderer:
    """Draws Jobs with Graphviz: `jobs` calls at a time (1: one after another, in the caller's
    thread), each picture from `cache` when it was drawn before. Counts what it did."""

    def __init__(self, jobs: int | None = None, cache: Cache | None = None) -> None:
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self.cache = cache
        self.calls = 0  # Graphviz processes started
        self.hits = 0  # pictures taken from the cache
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def submit(self, job: Job) -> Future[dict[str, bytes]]:
        """Start drawing `job`; the future holds its bytes by format."""
        return self._submit(self._draw, job)

    def draw(self, job: Job) -> dict[str, bytes]:
        return self.submit(job).result()

    def made(self, key: str, needs: Iterable[Job], fmt: str, make: Callable[[], bytes]) -> bytes:
        """A file made from drawn pictures (a PDF of slides), from the cache when the same
        inputs (`key` and the pictures' jobs) made it before."""
        if self.cache is None or not key:
            return make()
        digest = hashlib.sha256(key.encode())
        for job in needs:
            digest.update(job.key(fingerprint()).encode())
        address = digest.hexdigest()
        found = self.cache.load(address, fmt)
        if found is not None:
            with self._lock:
                self.hits += 1
            return found
        data = make()
        self.cache.save(address, fmt, data)
        return data

    def measure_all(self, sources: Iterable[str], engine: str = "dot") -> list[tuple[float, float]]:
        """The laid-out sizes of graphs in inches (width, height), without drawing them.

        The graphs not in the cache are laid out by as few Graphviz processes as there are
        jobs, several graphs to a process: starting `dot` (Pango and fontconfig finding the
        fonts) costs more than laying out a small graph."""
        sources = list(sources)
        keys = [Job(source, ("svg",), engine).key(fingerprint()) for source in sources]
        plain: list[bytes | None] = [
            self.cache.load(key, "plain") if self.cache is not None else None for key in keys
        ]
        with self._lock:
            self.hits += sum(found is not None for found in plain)
        missing = [index for index, found in enumerate(plain) if found is None]
        missing.sort(key=lambda index: "subgraph cluster_" in sources[index])  # see together
        futures = [
            (batch, self._submit(self._measure_batch, (engine, [sources[i] for i in batch])))
            for batch in batches(missing, self.jobs)
        ]
        for batch, future in futures:
            for index, laid_out in zip(batch, future.result(), strict=True):
                plain[index] = laid_out
                if self.cache is not None:
                    self.cache.save(keys[index], "plain", laid_out)
        return [_plain_size(found or b"") for found in plain]

    def draw_all(self, jobs: Iterable[Job]) -> list[Future[dict[str, bytes]]]:
        """Start drawing every job: those not in the cache by as few Graphviz processes as there
        are jobs at once, several pictures to a process (as `measure_all`); the futures hold
        each job's bytes by format, in the order given."""
        jobs = list(jobs)
        keys = [job.key(fingerprint()) if self.cache is not None else "" for job in jobs]
        done: list[Future[dict[str, bytes]] | None] = [None] * len(jobs)
        waiting: dict[tuple[str, tuple[str, ...], float], list[int]] = {}
        for index, job in enumerate(jobs):
            found = self._cached(job, keys[index])
            if found is not None:
                done[index] = _resolved(found)
            else:
                waiting.setdefault((job.engine, job.formats, job.dpi), []).append(index)
        for group in waiting.values():
            group.sort(key=lambda index: "subgraph cluster_" in jobs[index].source)
            for batch in batches(group, self.jobs):
                drawing = self._submit(self._draw_batch, [jobs[i] for i in batch])
                for place, index in enumerate(batch):
                    done[index] = _part_of(drawing, place)
        result = [future for future in done if future is not None]
        for job, key, future in zip(jobs, keys, result, strict=True):
            if self.cache is not None:
                future.add_done_callback(partial(self._keep, job, key))
        return result

    def _submit(self, work: Callable[[T], R], argument: T) -> Future[R]:
        if self.jobs == 1:
            done: Future[R] = Future()
            try:
                done.set_result(work(argument))
            except BaseException as error:  # handed to the caller through the future
                done.set_exception(error)
            return done
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.jobs, thread_name_prefix="dot")
        return self._pool.submit(work, argument)

    # ------------------------------------------------------------------ inside

    def _measure_batch(self, work: tuple[str, list[str]]) -> list[bytes]:
        """Several graphs laid out by one Graphviz process: each one's -Tplain output."""
        engine, sources = work
        laid_out: list[bytes] = []
        for run in together(sources, lambda source: source):
            out = b""
            if len(run) > 1:
                with contextlib.suppress(GraphvizFailed):  # laid out one by one below
                    out = self._run(engine, "\n".join(run), ["-Tplain"])
            parts = [part + b"stop\n" for part in out.split(b"stop\n")[:-1]]
            if len(parts) != len(run):
                parts = [self._run(engine, source, ["-Tplain"]) for source in run]
            laid_out += parts
        return laid_out

    def _cached(self, job: Job, key: str) -> dict[str, bytes] | None:
        if self.cache is None:
            return None
        found = {fmt: self.cache.load(key, fmt) for fmt in job.formats}
        if any(data is None for data in found.values()):
            return None
        with self._lock:
            self.hits += 1
        return {fmt: data for fmt, data in found.items() if data is not None}

    def _keep(self, job: Job, key: str, future: Future[dict[str, bytes]]) -> None:
        if self.cache is not None and future.exception() is None:
            for fmt, data in future.result().items():
                self.cache.save(key, fmt, data)

    def _draw_batch(self, jobs: list[Job]) -> list[dict[str, bytes]]:
        """Several pictures of one engine, formats and resolution drawn by one Graphviz
        process (`-O`: picture.gv.svg, picture.gv.2.svg ...); one by one when that fails, so
        that the error names the picture."""
        if len(jobs) > 1 and len(together(jobs, lambda job: job.source)) > 1:
            return [
                drawn
                for run in together(jobs, lambda job: job.source)
                for drawn in self._draw_batch(run)
            ]
        if len(jobs) > 1:
            first = jobs[0]
            with tempfile.TemporaryDirectory(prefix="bindsim-dot-") as scratch:
                source = Path(scratch) / "picture.gv"
                source.write_text("\n".join(job.source for job in jobs), encoding="utf-8")
                arguments = [f"-Gdpi={first.dpi:g}", *(f"-T{fmt}" for fmt in first.formats)]
                try:
                    self._run(first.engine, "", [*arguments, "-O", str(source)])
                except GraphvizFailed:
                    pass
                else:
                    names = ["picture.gv", *(f"picture.gv.{n}" for n in range(2, len(jobs) + 1))]
                    files = [
                        {fmt: Path(scratch) / f"{name}.{fmt}" for fmt in first.formats}
                        for name in names
                    ]
                    if all(path.is_file() for paths in files for path in paths.values()):
                        return [
                            _finished(
                                {fmt: _alone(path.read_bytes()) for fmt, path in paths.items()},
                                first.dpi,
                            )
                            for paths in files
                        ]
        return [_finished(self._render(job), job.dpi) for job in jobs]

    def _draw(self, job: Job) -> dict[str, bytes]:
        key = job.key(fingerprint()) if self.cache is not None else ""
        found = self._cached(job, key)
        if found is not None:
            return found
        drawn = _finished(self._render(job), job.dpi)
        if self.cache is not None:
            for fmt, data in drawn.items():
                self.cache.save(key, fmt, data)
        return drawn

    def _render(self, job: Job) -> dict[str, bytes]:
        with tempfile.TemporaryDirectory(prefix="bindsim-dot-") as scratch:
            paths = {fmt: Path(scratch) / f"picture.{fmt}" for fmt in job.formats}
            arguments = [f"-Gdpi={job.dpi:g}"]
            for fmt, path in paths.items():
                arguments += [f"-T{fmt}", "-o", str(path)]
            self._run(job.engine, job.source, arguments)
            return {fmt: path.read_bytes() for fmt, path in paths.items()}

    def _run(self, engine: str, source: str, arguments: list[str]) -> bytes:
        if shutil.which(engine) is None:
            raise GraphvizMissing(INSTALL_HINT)
        with self._lock:
            self.calls += 1
        done = subprocess.run(
            [engine, *arguments], input=source.encode(), capture_output=True, check=False
        )
        if done.returncode != 0:
            raise GraphvizFailed(engine, done.stderr.decode(errors="replace"))
        return done.stdout


def batches(items: list[T], count: int) -> list[list[T]]:
    """`items` in at most `count` consecutive runs of even length (none when there are none)."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    runs: list[list[T]] = []
    start = 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            runs.append(items[start:end])
        start = end
    return runs


def together(items: list[T], source: Callable[[T], str]) -> list[list[T]]:
    """`items` in runs that one Graphviz process can lay out one after another: Graphviz 2.43
    aborts (a double free) on a graph that follows one with clusters, so such a graph ends
    its run."""
    runs: list[list[T]] = [[]]
    for item in items:
        runs[-1].append(item)
        if "subgraph cluster_" in source(item):
            runs.append([])
    return [run for run in runs if run]


def _plain_size(plain: bytes) -> tuple[float, float]:
    first = plain.split(b"\n", 1)[0].split()
    return float(first[2]), float(first[3])


def _finished(drawn: dict[str, bytes], dpi: float) -> dict[str, bytes]:
    """Graphviz's output as kept: an SVG at its own size, a PNG that says its resolution."""
    if "svg" in drawn:
        drawn["svg"] = natural_size(drawn["svg"])
    if "png" in drawn:
        drawn["png"] = png_with_dpi(drawn["png"], dpi)
    return drawn


_LATER_PAGE = re.compile(rb'<g id="page\d+,\d+_graph0"')


def _alone(data: bytes) -> bytes:
    """A picture of a batch as if drawn alone: Graphviz names the drawing of the second and
    later graphs of one call page0,1_graph0, not graph0."""
    return _LATER_PAGE.sub(b'<g id="graph0"', data, count=1) if data.startswith(b"<?xml") else data


def _resolved(value: dict[str, bytes]) -> Future[dict[str, bytes]]:
    done: Future[dict[str, bytes]] = Future()
    done.set_result(value)
    return done


def _part_of(batch: Future[list[dict[str, bytes]]], place: int) -> Future[dict[str, bytes]]:
    """A future of one picture of a batch's future."""
    part: Future[dict[str, bytes]] = Future()

    def settle(done: Future[list[dict[str, bytes]]]) -> None:
        error = done.exception()
        if error is not None:
            part.set_exception(error)
        else:
            part.set_result(done.result()[place])

    batch.add_done_callback(settle)
    return part


_SVG_SIZE = re.compile(
    rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"(\s+viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)")'
)
_SVG_SCALE = re.compile(rb'(<g id="graph0" class="graph" transform=")scale\(([\d.]+) ([\d.]+)\)')


def natural_size(svg: bytes) -> bytes:
    """An SVG at its own size, whatever `-Gdpi` the png of the same call asked for.

    Graphviz 2.43 answers -Gdpi=192 in SVG with a width and height 2.67 times the view box and a
    scale(2.67) on the drawing: shown at 2.67 times its size, cut at the view box. An SVG should
    not depend on a raster resolution: the scale goes and the size is the view box's, in pt.
    """
    size = _SVG_SIZE.search(svg)
    scale = _SVG_SCALE.search(svg)
    if size is None or scale is None or float(scale[2]) == 1:
        return svg
    width, box_width = float(size[1]), float(size[4])
    if abs(width - box_width * float(scale[2])) > 0.01 * width:  # not the shape we know
        return svg
    svg = _SVG_SCALE.sub(lambda m: m[1] + b"scale(1 1)", svg, count=1)
    return _SVG_SIZE.sub(
        lambda m: b'<svg width="' + m[4] + b'pt" height="' + m[5] + b'pt"' + m[3], svg, count=1
    )


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_with_dpi(png: bytes, dpi: float) -> bytes:
    """A PNG that says its resolution (a pHYs chunk), so that PowerPoint, python-pptx and
    browsers place it at its intended size: Graphviz's cairo PNG says none, and a 192 dpi
    picture then goes in at 72 dpi, 2.67 times too large.

    The chunk goes right after IHDR (the PNG specification wants it before the first IDAT); the
    pixels are not touched. A PNG that has a pHYs already is left as it is.
    """
    if not png.startswith(_PNG_SIGNATURE) or b"pHYs" in png[: png.find(b"IDAT")]:
        return png
    header_end = len(_PNG_SIGNATURE) + 8 + 13 + 4  # length, type, IHDR's 13 bytes, crc
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)  # unit 1: the metre
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    return png[:header_end] + chunk + png[header_end:]
