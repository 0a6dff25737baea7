"""Graphviz as a batch service: one `dot` call per picture for all its formats, calls run in
parallel, and a content-addressed cache so that an unchanged picture is never laid out again.

Layout is what costs (benchmarks/README.md): a picture asked for as svg and png is laid out once,
with `-Tsvg -o … -Tpng -o …`. The cache key is the DOT source, the engine, the resolution and a
fingerprint of the Graphviz version and the fonts fontconfig picks, so a new Graphviz or a newly
installed font draws afresh. Storing the cache is the caller's business (a `Cache`): this package
writes no files of its own.
"""

from __future__ import annotations

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
from functools import cache
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
        """The laid-out sizes of graphs in inches (width, height), without drawing them."""
        futures = [self._submit(self._measure, (source, engine)) for source in sources]
        return [future.result() for future in futures]

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

    def _measure(self, graph: tuple[str, str]) -> tuple[float, float]:
        source, engine = graph
        key = Job(source, ("svg",), engine).key(fingerprint())
        cached = self.cache.load(key, "plain") if self.cache is not None else None
        if cached is None:
            cached = self._run(engine, source, ["-Tplain"])
            if self.cache is not None:
                self.cache.save(key, "plain", cached)
        else:
            with self._lock:
                self.hits += 1
        first = cached.split(b"\n", 1)[0].split()
        return float(first[2]), float(first[3])

    def _draw(self, job: Job) -> dict[str, bytes]:
        key = job.key(fingerprint()) if self.cache is not None else ""
        if self.cache is not None:
            found = {fmt: self.cache.load(key, fmt) for fmt in job.formats}
            if all(data is not None for data in found.values()):
                with self._lock:
                    self.hits += 1
                return {fmt: data for fmt, data in found.items() if data is not None}
        drawn = self._render(job)
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
            drawn = {fmt: path.read_bytes() for fmt, path in paths.items()}
        if "svg" in drawn:
            drawn["svg"] = natural_size(drawn["svg"])
        if "png" in drawn:
            drawn["png"] = png_with_dpi(drawn["png"], job.dpi)
        return drawn

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
