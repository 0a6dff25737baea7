"""The whole gallery in one folder: every machine in both languages, runs, and an index.html."""

from __future__ import annotations

import os
from collections.abc import Sequence
from html import escape
from pathlib import Path

from bindsim.diagrams import words
from bindsim.diagrams.extract import file_stem, machine_classes
from bindsim.diagrams.output import write_machines
from bindsim.diagrams.runs import Run, write_run
from bindsim.machines.text import LANGS, Lang, Text


def write_gallery(
    out: str | os.PathLike[str],
    runs: Sequence[Run] = (),
    langs: Sequence[Lang] = LANGS,
    formats: Sequence[str] = ("svg", "png"),
) -> Path:
    """Write OUT/machines/*, OUT/runs/* and OUT/index.html linking them all; return the index.

    Every machine × language × format (plus its DOT and Mermaid text), and for each run its
    timeline and the trace of every record it touched.
    """
    folder = Path(out)
    machines = list(machine_classes().values())
    write_machines(machines, folder / "machines", [*formats, "dot", "mermaid"], langs)
    run_files = {run.name: write_run(run, folder / "runs", formats, langs) for run in runs}
    index = folder / "index.html"
    index.write_text(_index(folder, machines, runs, run_files, langs, formats), encoding="utf-8")
    return index


def _index(
    folder: Path,
    machines: list[type],
    runs: Sequence[Run],
    run_files: dict[str, list[Path]],
    langs: Sequence[Lang],
    formats: Sequence[str],
) -> str:
    shown = "svg" if "svg" in formats else formats[0]

    def both(text: Text) -> str:
        return " · ".join(escape(text(lang)) for lang in langs)

    def figure(path: str, caption: str) -> str:
        others = " ".join(
            f'<a href="{escape(str(Path(path).with_suffix("." + fmt)))}">{fmt}</a>'
            for fmt in formats
        )
        return (
            f'<figure><a href="{escape(path)}"><img src="{escape(path)}" loading="lazy" '
            f'alt="{escape(caption)}"></a><figcaption>{escape(caption)} · {others}</figcaption>'
            "</figure>"
        )

    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{both(words.GALLERY)}</title>",
        "<style>",
        "body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;margin:2em;color:#263238}",
        "h2{border-bottom:1px solid #cfd6df;padding-bottom:.2em;margin-top:2em}",
        "figure{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top;max-width:100%}",
        "img{max-width:min(1100px,95vw);border:1px solid #e3e8ee;background:#fff}",
        "figcaption{font-size:.85em;color:#607d8b}",
        "</style></head><body>",
        f"<h1>{both(words.GALLERY)}</h1>",
        f"<h2>{both(words.MACHINES)}</h2>",
    ]
    for cls in machines:
        stem = file_stem(cls)
        title = getattr(cls, "title", Text(cls.__name__, cls.__name__))
        parts.append(f"<h3>{both(title)}</h3>")
        for lang in langs:
            parts.append(figure(f"machines/{stem}.{lang}.{shown}", f"{title(lang)} ({lang})"))
        text_links = " ".join(
            f'<a href="machines/{stem}.{lang}.{ext}">{lang}.{ext}</a>'
            for lang in langs
            for ext in ("dot", "mmd")
        )
        parts.append(f"<p>{text_links}</p>")
    if runs:
        parts.append(f"<h2>{both(words.TIMELINES)} · {both(words.TRACES)}</h2>")
    for run in runs:
        parts.append(f"<h3>{both(run.title)}</h3>")
        files = [p for p in run_files[run.name] if p.suffix == f".{shown}"]
        for path in files:
            relative = path.relative_to(folder).as_posix()
            caption = path.name.removesuffix(f".{shown}").removeprefix(f"{run.name}.")
            parts.append(figure(relative, caption))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
