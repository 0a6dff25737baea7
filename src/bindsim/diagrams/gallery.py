"""The gallery to teach from: every machine, the drawn scenarios, every scenario's result, and an
index.html with contents, an en/中文 switch, pan and zoom for wide pictures, near-identical traces
grouped, and links to the storyboards.

The page's style and script are files of their own (assets/gallery.css, gallery.js), inlined, so
that index.html is one file that works from disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import PurePosixPath
from urllib.parse import quote

from bindsim.diagrams import words
from bindsim.diagrams.drawing import DEFAULT_DPI
from bindsim.diagrams.extract import file_stem, machine_classes
from bindsim.diagrams.output import EXTENSIONS, LayoutChooser, Planned, TextFile, machine_files
from bindsim.diagrams.runs import Run, run_files, trace_stem
from bindsim.diagrams.trace import group_traces
from bindsim.machines.text import LANGS, Lang, Text

MACHINES_FOLDER = "machines/"
RUNS_FOLDER = "runs/"


@dataclass(frozen=True, slots=True)
class Entry:
    """One scenario of the gallery: its result, and what was made of it."""

    name: str  # the file stem: "official_account_lifecycle"
    title: Text  # name, name_zh
    path: str  # the scenario file, as given
    group: str  # the library folder it sits in: "stories", "invitations" ...
    passed: bool
    rules: tuple[str, ...] = ()
    run: Run | None = None  # drawn: its traces and timeline are in the gallery
    storyboards: tuple[str, ...] = ()  # links relative to the gallery, one per language or format
    failure: str = ""


def asset(name: str) -> str:
    """A file of diagrams/assets (style sheets, scripts), as text."""
    return (resources.files("bindsim.diagrams") / "assets" / name).read_text(encoding="utf-8")


def gallery_files(
    entries: Sequence[Entry],
    langs: Sequence[Lang] = LANGS,
    formats: Sequence[str] = ("svg", "png"),
    layouts: LayoutChooser | None = None,
    dpi: float = DEFAULT_DPI,
) -> list[Planned]:
    """Everything the gallery holds: machines/*, runs/* and index.html linking them all."""
    machines = list(machine_classes().values())
    pictures = [*dict.fromkeys([*formats, "dot", "mermaid"])]
    planned = machine_files(
        machines, pictures, langs, layouts=layouts, dpi=dpi, folder=MACHINES_FOLDER
    )
    for entry in entries:
        if entry.run is not None:
            planned += run_files(entry.run, pictures, langs, layouts, dpi, folder=RUNS_FOLDER)
    made = {path for item in planned for path in _paths(item)}
    planned.append(TextFile("index.html", index_html(entries, langs, formats, made)))
    return planned


def _paths(item: Planned) -> list[str]:
    return [item.path] if isinstance(item, TextFile) else item.paths()  # Drawing, Later


# ------------------------------------------------------------------------------ the page


def _both(text: Text, langs: Sequence[Lang], tag: str = "span") -> str:
    """Text in every language, each in an element the switch shows or hides."""
    return "".join(f'<{tag} lang="{lang}">{escape(text(lang))}</{tag}>' for lang in langs)


def _href(path: str) -> str:
    """A relative link to a file of the gallery, for an href or src: URL-encoded (a `#`, `?`
    or `%` in a name is part of the name, not of the URL), then HTML-escaped."""
    return escape(quote(path, safe="/"))


def _anchor(kind: str, name: str) -> str:
    return f"{kind}-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def index_html(
    entries: Sequence[Entry], langs: Sequence[Lang], formats: Sequence[str], made: set[str]
) -> str:
    """The gallery's page. `made` is every file the gallery holds, so that no link is dead."""
    shown = "svg" if "svg" in formats else next((f for f in formats if f in ("png",)), "png")
    page = _Page(langs, shown, made)
    return page.build(entries)


class _Page:
    def __init__(self, langs: Sequence[Lang], shown: str, made: set[str]) -> None:
        self.langs = langs
        self.shown = shown
        self.made = made

    def t(self, text: Text, tag: str = "span") -> str:
        return _both(text, self.langs, tag)

    def build(self, entries: Sequence[Entry]) -> str:
        machines = list(machine_classes().values())
        drawn = [e for e in entries if e.run is not None]
        body = [
            '<header><h1 id="top">' + self.t(words.GALLERY) + "</h1>",
            self._switch(),
            "</header>",
            self._contents(machines, drawn, entries),
            '<main><section id="machines"><h2>' + self.t(words.MACHINES) + "</h2>",
            *(self._machine(cls) for cls in machines),
            "</section>",
        ]
        if drawn:
            body.append('<section id="runs"><h2>' + self.t(words.DRAWN_SCENARIOS) + "</h2>")
            body += [self._run(entry) for entry in drawn]
            body.append("</section>")
        if entries:
            body.append(self._results(entries))
        body.append("</main>")
        return "\n".join(
            [
                "<!doctype html>",
                '<html lang="en"><head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{escape(' · '.join(words.GALLERY(lang) for lang in self.langs))}</title>",
                f"<style>\n{asset('gallery.css')}</style>",
                f"</head><body>\n{chr(10).join(body)}",
                f"<script>\n{asset('gallery.js')}</script>",
                "</body></html>",
            ]
        )

    def _switch(self) -> str:
        names = {"en": "English", "zh": "中文"}
        buttons = "".join(
            f'<button type="button" data-lang="{lang}">{names[lang]}</button>'
            for lang in self.langs
        )
        return f'<nav class="switch" aria-label="language">{buttons}</nav>'

    def _contents(self, machines: list[type], drawn: Sequence[Entry], all_: Sequence[Entry]) -> str:
        items = ['<nav class="contents"><h2>' + self.t(words.CONTENTS) + "</h2><ol>"]
        items.append(f'<li><a href="#machines">{self.t(words.MACHINES)}</a><ol>')
        for cls in machines:
            title = getattr(cls, "title", Text(cls.__name__, cls.__name__))
            items.append(f'<li><a href="#{_anchor("machine", file_stem(cls))}">{self.t(title)}</a>')
        items.append("</ol></li>")
        if drawn:
            items.append(f'<li><a href="#runs">{self.t(words.DRAWN_SCENARIOS)}</a><ol>')
            for entry in drawn:
                link = _anchor("run", entry.name)
                items.append(f'<li><a href="#{link}">{self.t(entry.title)}</a></li>')
            items.append("</ol></li>")
        if all_:
            items.append(f'<li><a href="#results">{self.t(words.ALL_SCENARIOS)}</a></li>')
        items.append("</ol></nav>")
        return "".join(items)

    def _figure(self, stem: str, caption: str, lang: Lang) -> str:
        """A picture at its own size in a pan-and-zoom frame, with links to its other files."""
        path = f"{stem}.{self.shown}"
        others = " ".join(
            f'<a href="{_href(f"{stem}.{ext}")}">{ext}</a>'
            for ext in ("svg", "png", "pdf", "dot", "mmd", "animated.svg")
            if f"{stem}.{ext}" in self.made
        )
        return (
            f'<figure lang="{lang}"><div class="zoom" tabindex="0">'
            f'<img src="{_href(path)}" alt="{escape(caption)}" loading="lazy"></div>'
            f"<figcaption>{escape(caption)} · {others}</figcaption></figure>"
        )

    def _machine(self, cls: type) -> str:
        stem = file_stem(cls)
        title = getattr(cls, "title", Text(cls.__name__, cls.__name__))
        parts = [f'<article id="{_anchor("machine", stem)}"><h3>{self.t(title)}</h3>']
        for lang in self.langs:
            parts.append(self._figure(f"{MACHINES_FOLDER}{stem}.{lang}", title(lang), lang))
        parts.append("</article>")
        return "".join(parts)

    def _badge(self, entry: Entry) -> str:
        word = words.PASSED if entry.passed else words.FAILED
        css = "passed" if entry.passed else "failed"
        return f'<span class="badge {css}">{"✓" if entry.passed else "✗"} {self.t(word)}</span>'

    def _storyboards(self, entry: Entry) -> str:
        if not entry.storyboards:
            return ""
        links = []
        for link in entry.storyboards:
            name = PurePosixPath(link).name.removeprefix(f"{entry.name}.")
            lang = name.split(".", 1)[0]
            attr = f' lang="{lang}"' if lang in self.langs else ""
            links.append(f'<a class="storyboard" href="{_href(link)}"{attr}>{escape(name)}</a>')
        return f'<p class="storyboards">{self.t(words.STORYBOARD)}: {" ".join(links)}</p>'

    def _run(self, entry: Entry) -> str:
        assert entry.run is not None
        run = entry.run
        parts = [
            f'<article id="{_anchor("run", entry.name)}">',
            f"<h3>{self.t(entry.title)} {self._badge(entry)}</h3>",
            f'<p class="path">{escape(entry.path)}</p>',
            self._storyboards(entry),
            f"<h4>{self.t(words.TIMELINE)}</h4>",
        ]
        for lang in self.langs:
            stem = f"{RUNS_FOLDER}{run.name}.timeline.{lang}"
            parts.append(self._figure(stem, f"{run.title(lang)} · {words.TIMELINE(lang)}", lang))
        parts.append(f"<h4>{self.t(words.TRACES)}</h4>")
        for group in group_traces(run.traces()):
            first = group[0]
            for lang in self.langs:
                stem = f"{RUNS_FOLDER}{trace_stem(run, first, lang)}"
                who = " · ".join(first.subject.values())
                caption = f"{first.target} ({who})"
                figure = self._figure(stem, caption, lang)
                if len(group) > 1:
                    same = words.SAME_PATH(lang).format(count=len(group))
                    others = ", ".join(
                        f'<a href="{_href(RUNS_FOLDER + trace_stem(run, t, lang))}.'
                        f'{EXTENSIONS[self.shown]}">{escape(t.target)}</a>'
                        for t in group[1:]
                    )
                    figure = figure.replace(
                        "</figcaption>",
                        f'<br><span class="same">{escape(same)}: {others}</span></figcaption>',
                    )
                parts.append(figure)
        parts.append("</article>")
        return "".join(parts)

    def _results(self, entries: Sequence[Entry]) -> str:
        passed = sum(1 for e in entries if e.passed)
        summary = {
            lang: words.SUMMARY(lang).format(passed=passed, failed=len(entries) - passed)
            for lang in self.langs
        }
        rows = [
            '<section id="results"><h2>' + self.t(words.ALL_SCENARIOS) + "</h2>",
            "<p>" + "".join(f'<span lang="{k}">{escape(v)}</span>' for k, v in summary.items()),
            "</p><table><thead><tr>",
            f"<th>{self.t(words.FOLDER)}</th><th>{self.t(words.SCENARIO)}</th>",
            f"<th>{self.t(words.RESULT)}</th><th>{self.t(words.STORYBOARD)}</th></tr></thead><tbody>",
        ]
        for entry in entries:
            title = self.t(entry.title)
            if entry.run is not None:
                title = f'<a href="#{_anchor("run", entry.name)}">{title}</a>'
            failure = f'<div class="why">{escape(entry.failure)}</div>' if entry.failure else ""
            links = " ".join(
                f'<a href="{_href(link)}">'
                f"{escape(PurePosixPath(link).name.removeprefix(entry.name + '.'))}</a>"
                for link in entry.storyboards
            )
            rows.append(
                f'<tr id="{_anchor("scenario", entry.name)}"><td>{escape(entry.group)}</td>'
                f'<td>{title}<div class="path">{escape(entry.path)}</div>{failure}</td>'
                f"<td>{self._badge(entry)}</td><td>{links}</td></tr>"
            )
        rows.append("</tbody></table></section>")
        return "".join(rows)
