"""5. Diagrams: every machine, in both languages and every format, against Graphviz alone.

A drawn format (svg, png, pdf) is set against `dot` drawing the very same DOT source, so the ratio
is our share on top of Graphviz; a text format (dot, mermaid) against extracting the data model.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import time
from collections.abc import Callable
from typing import Any

from benchmarks.harness import Table, fmt_time

DRAWN = ("svg", "png", "pdf")


def entry_points() -> tuple[Callable[..., bytes], tuple[str, ...], tuple[str, ...]] | None:
    """diagrams' public `render(machine, fmt, lang)`, its formats and languages, if it exists."""
    try:
        package = importlib.import_module("diagrams")
    except ImportError:
        return None
    render = getattr(package, "render", None)
    formats = getattr(package, "FORMATS", None)
    if render is None or formats is None:
        try:
            output = importlib.import_module("bindsim.diagrams.output")
        except ImportError:
            return None
        render, formats = getattr(output, "render", None), getattr(output, "FORMATS", None)
    if render is None or formats is None:
        return None
    from bindsim.machines.text import LANGS

    return render, tuple(formats), tuple(LANGS)


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(quick: bool) -> Table:
    found = entry_points()
    if found is None:
        table = Table("5. Diagrams", ("", ""))
        table.note("the diagrams package has no render entry point yet: nothing measured")
        return table
    render, formats, langs = found
    from bindsim.diagrams.drawing import DEFAULT_DPI
    from bindsim.diagrams.extract import extract
    from bindsim.diagrams.render_dot import machine_graph
    from bindsim.machines import MACHINES

    repeat = 1 if quick else 3
    have_dot = shutil.which("dot") is not None
    table = Table(
        f"5. Diagrams: {len(MACHINES)} machines × {len(langs)} languages (best of {repeat})",
        ("format", "ours", "baseline", "ratio", "baseline is", "per picture"),
    )
    grand = 0.0
    for fmt in formats:
        if fmt in DRAWN and not have_dot:
            table.add(fmt, "-", "-", "-", "Graphviz `dot` missing", "-")
            continue
        ours = base = 0.0
        for machine in MACHINES:
            for lang in langs:
                ours += best(lambda m=machine, lg=lang, f=fmt: render(m, f, lg), repeat)
                if fmt in DRAWN:
                    source = machine_graph(extract(machine), lang).source
                    dpi = f"-Gdpi={DEFAULT_DPI:g}"  # what render() draws at
                    base += best(
                        lambda s=source, f=fmt, d=dpi: subprocess.run(
                            ["dot", d, f"-T{f}"], input=s.encode(), capture_output=True, check=True
                        ),
                        repeat,
                    )
                else:
                    base += best(lambda m=machine: extract(m), repeat)
        grand += ours
        pictures = len(MACHINES) * len(langs)
        table.add(
            fmt,
            fmt_time(ours),
            fmt_time(base),
            f"{ours / base:.2f}",
            "dot on the same source" if fmt in DRAWN else "extract() alone",
            fmt_time(ours / pictures),
        )
    table.note(f"every machine in every language and format: {fmt_time(grand)} in all.")
    return table
