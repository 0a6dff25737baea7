"""Pictures as bytes and files: svg, png, pdf (through Graphviz `dot`), dot source, Mermaid text."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import graphviz

from bindsim.diagrams.extract import extract, file_stem
from bindsim.diagrams.render_dot import machine_graph
from bindsim.diagrams.render_mermaid import mermaid
from bindsim.machines.errors import BindSimError
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
INSTALL_HINT = "install Graphviz and a CJK font: sudo apt-get install graphviz fonts-noto-cjk"


class GraphvizMissing(BindSimError, RuntimeError):
    """Graphviz `dot` is not installed: nothing can be drawn (DOT and Mermaid text still can)."""

    def __init__(self) -> None:
        super().__init__(f"Graphviz `dot` was not found on PATH; {INSTALL_HINT}")


def dot_available() -> bool:
    return shutil.which("dot") is not None


def check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return fmt  # type: ignore[return-value]


def check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


def draw(graph: graphviz.Graph | graphviz.Digraph, fmt: str) -> bytes:
    """A graph as the bytes of `fmt`: its DOT source for "dot", else drawn by Graphviz."""
    if check_format(fmt) == "dot":
        return graph.source.encode()
    if fmt == "mermaid":
        raise ValueError("Mermaid text is made from a machine, not from a drawn graph")
    try:
        data: bytes = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as missing:
        raise GraphvizMissing() from missing
    return data


def render(
    machine: Any,
    fmt: str = "svg",
    lang: str = "en",
    highlight: Iterable[str] | None = None,
    ruleset: Ruleset | None = None,
) -> bytes:
    """A machine's picture: a class, a live machine (its states highlighted) or a World record.

    >>> from bindsim.machines import Invitation
    >>> render(Invitation, "mermaid").decode().splitlines()[0]
    'stateDiagram-v2'
    """
    diagram = extract(machine, ruleset=ruleset, highlight=highlight)
    lang = check_lang(lang)
    if check_format(fmt) == "mermaid":
        return mermaid(diagram, lang).encode()
    return draw(machine_graph(diagram, lang), fmt)


def write(
    data: bytes,
    out: str | os.PathLike[str],
    stem: str,
    fmt: str,
) -> Path:
    """Write one picture as OUT/STEM.EXT and return its path."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.{EXTENSIONS[check_format(fmt)]}"
    path.write_bytes(data)
    return path


def write_machines(
    machines: Sequence[Any],
    out: str | os.PathLike[str],
    formats: Sequence[str] = ("svg",),
    langs: Sequence[str] = ("en",),
    ruleset: Ruleset | None = None,
) -> list[Path]:
    """Every machine × language × format, as OUT/<machine>.<lang>.<ext> (binding.zh.png)."""
    written = []
    for machine in machines:
        for lang in langs:
            for fmt in formats:
                data = render(machine, fmt, lang, ruleset=ruleset)
                written.append(write(data, out, f"{file_stem(machine)}.{lang}", fmt))
    return written
