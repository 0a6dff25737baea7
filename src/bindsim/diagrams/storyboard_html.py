"""Storyboard → one HTML page of 16:9 slides (the PDF is this page, printed by WeasyPrint).

The page is self-contained: its pictures are inside it as data URIs, its style and script
inline, so that one file, emailed or copied alone, shows everything.
"""

from __future__ import annotations

import base64
from datetime import datetime
from html import escape

from bindsim.diagrams import words
from bindsim.diagrams.extract import extract, machine_classes
from bindsim.diagrams.gallery import asset
from bindsim.diagrams.storyboard import (
    Deadline,
    Diagram,
    MockScreen,
    Slide,
    Storyboard,
    register_format,
)
from bindsim.machines.text import Lang, Text

OUTCOME_MARK = {"ok": "✓", "checked": "✓", "refused": "×", "error": "!", "failed": "✗"}


MIME = {"svg": "image/svg+xml", "png": "image/png"}


@register_format("html", embeds="svg")
def storyboard_html(
    board: Storyboard,
    lang: Lang,
    stems: dict[int, str],
    drawn: dict[str, dict[str, bytes]],
) -> bytes:
    """The storyboard as a page: a slide per step, arrow keys to move, printable one per page."""
    return page(board, lang, stems, drawn, "svg").encode("utf-8")


def page(
    board: Storyboard,
    lang: Lang,
    stems: dict[int, str],
    drawn: dict[str, dict[str, bytes]],
    picture: str,
    linked: bool = False,
) -> str:
    """The page, with each slide's picture inside it in format `picture` (svg, or png to print).

    `linked`: each picture as a link, `pictures/<n>.<picture>` (the nth of the page's pictures,
    `picture_links` says which), not as a data URI: WeasyPrint then reads the picture's bytes
    from its fetcher instead of finding them in a page of several megabytes of base64."""
    return _Page(board, lang, stems, drawn, picture, linked).build()


def picture_links(
    stems: dict[int, str], drawn: dict[str, dict[str, bytes]], picture: str
) -> dict[str, bytes]:
    """What `page(..., linked=True)` links to: each link and the picture's bytes."""
    order = list(dict.fromkeys(stems.values()))
    return {_link(order.index(stem), picture): drawn[stem][picture] for stem in order}


def _link(index: int, picture: str) -> str:
    return f"pictures/{index}.{picture}"


class _Page:
    def __init__(
        self,
        board: Storyboard,
        lang: Lang,
        stems: dict[int, str],
        drawn: dict[str, dict[str, bytes]],
        picture: str,
        linked: bool = False,
    ) -> None:
        self.board, self.lang, self.stems, self.drawn = board, lang, stems, drawn
        self.picture = picture
        self.linked = list(dict.fromkeys(stems.values())) if linked else None
        self._uris: dict[str, str] = {}

    def _uri(self, stem: str) -> str:
        """The picture as a data URI (made once, however many slides show it), or its link."""
        if self.linked is not None:
            return _link(self.linked.index(stem), self.picture)
        if stem not in self._uris:
            data = base64.b64encode(self.drawn[stem][self.picture]).decode("ascii")
            self._uris[stem] = f"data:{MIME[self.picture]};base64,{data}"
        return self._uris[stem]

    def t(self, text: Text) -> str:
        return escape(text(self.lang))

    def _clock(self, when: datetime, seconds: bool = True) -> str:
        """The time in the scenario's own offset, and in UTC in small print."""
        local, utc = words.clock_text(when, self.board.zone, seconds)
        return escape(local) + (f' <small class="utc">{escape(utc)}</small>' if utc else "")

    def build(self) -> str:
        title = self.t(self.board.title)
        slides = "\n".join(self._slide(slide) for slide in self.board.slides)
        cover = (
            f'<section class="slide cover"><h1>{title}</h1>'
            f"<p>{self.t(words.STORYBOARD)} · "
            f"{self.t(words.STEP_COUNT).format(count=len(self.board.slides))} · "
            f"{self.t(words.RUN_START)} "
            f"{self._clock(self.board.start, seconds=False)}</p>"
            f'<p class="description">{self.t(self.board.description)}</p></section>'
        )
        return "\n".join(
            [
                "<!doctype html>",
                f'<html lang="{"zh-Hans" if self.lang == "zh" else "en"}" data-lang="{self.lang}">',
                '<head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{title} · {self.t(words.STORYBOARD)}</title>",
                f"<style>\n{asset('storyboard.css')}</style></head>",
                f'<body><main class="deck">\n{cover}\n{slides}\n</main>',
                f"<script>\n{asset('storyboard.js')}</script>",
                "</body></html>",
            ]
        )

    def _slide(self, slide: Slide) -> str:
        outcome = slide.outcome
        return (
            f'<section class="slide outcome-{escape(outcome)}" id="step-{slide.number}">'
            f'<header><span class="number">{slide.number} / {slide.total}</span>'
            f'<span class="title">{self.t(self.board.title)}</span>'
            f'<span class="clock">{self._clock(slide.until)} '
            f"<b>{self.t(slide.elapsed)}</b></span></header>"
            f'<div class="screens">{"".join(self._screen(x) for x in slide.screens)}'
            f"{self._no_screen(slide)}</div>"
            f'<div class="diagram">{self._diagram(slide)}</div>'
            f'<footer><div class="what">{self._what(slide)}</div>'
            f'<div class="deadlines">{self._deadlines(slide)}</div></footer>'
            "</section>"
        )

    def _no_screen(self, slide: Slide) -> str:
        if slide.screens:
            return ""
        return f'<div class="no-screen">{self.t(words.NO_SCREEN)}</div>'

    def _screen(self, screen: MockScreen) -> str:
        buttons = []
        for button in screen.buttons:
            classes = ["button"]
            extra = ""
            if button.tapped:
                classes.append("tapped")
                verb = words.TAP if screen.kind == "app" else words.CLICK
                extra = f'<span class="finger">{self.t(verb)}</span>'
            if not button.visible:
                classes.append("hidden")
                reason = button.hidden_reason or ""
                extra += f'<small class="reason">{self.t(words.HIDDEN)} {escape(reason)}</small>'
            buttons.append(f'<li class="{" ".join(classes)}">{self.t(button.label)}{extra}</li>')
        info = "".join(f'<p class="info">{self.t(line)}</p>' for line in screen.info)
        path = ""
        if screen.path:
            path = (
                '<p class="path">' + " › ".join(self.t(label) for label in screen.path) + " ›</p>"
            )
        now_on = ""
        if screen.now_on is not None:
            now_on = f'<p class="now-on">→ {self.t(screen.now_on)}</p>'
        head = (
            f'<div class="bar">{escape(screen.owner)}</div>'
            if screen.kind == "app"
            else f'<div class="bar">{self.t(words.SELLER_CENTER)} · {escape(screen.owner)}</div>'
        )
        return (
            f'<div class="mock {escape(screen.kind)}">{head}'
            f'<div class="screen-title">{self.t(screen.title)}</div>{path}{info}'
            f'<ul class="buttons">{"".join(buttons)}</ul>{now_on}</div>'
        )

    def _diagram(self, slide: Slide) -> str:
        if slide.diagram is None or slide.number not in self.stems:
            return ""
        diagram = slide.diagram
        alt = escape(alt_text(diagram, self.lang))
        return (
            f'<img src="{self._uri(self.stems[slide.number])}" alt="{alt}">'
            f'<p class="caption">{escape(diagram.record)} · {escape(diagram.who)}</p>'
        )

    def _what(self, slide: Slide) -> str:
        mark = OUTCOME_MARK.get(slide.outcome, "")
        outcome_word = words.OUTCOMES.get(slide.outcome)
        outcome = self.t(outcome_word) if outcome_word else escape(slide.outcome)
        parts = [
            f'<p class="text">{self.t(slide.text)}</p>',
            f'<p class="step">{escape(slide.step)}</p>',
        ]
        if slide.note:
            parts.append(f'<p class="note">{escape(slide.note)}</p>')
        codes = "".join(f'<span class="code">{escape(code)}</span>' for code in slide.reasons)
        parts.append(f'<p class="outcome">{mark} {outcome} {codes}</p>')
        for message in slide.messages:
            parts.append(f'<p class="message">{self.t(message)}</p>')
        for fired in slide.fired:
            parts.append(f'<p class="fired">◆ {self.t(fired)}</p>')
        return "".join(parts)

    def _deadlines(self, slide: Slide) -> str:
        head = f"<h4>{self.t(words.DEADLINES)}</h4>"
        if not slide.deadlines:
            return head + f'<p class="none">{self.t(words.NO_DEADLINES)}</p>'
        rows = "".join(self._deadline(slide, deadline) for deadline in slide.deadlines)
        return head + f"<ul>{rows}</ul>"

    def _deadline(self, slide: Slide, deadline: Deadline) -> str:
        left = words.duration_text(deadline.due - slide.until)
        rules = " · ".join(deadline.rules)
        return (
            f"<li><b>{escape(deadline.target)}</b> {self.t(deadline.what)} "
            f"<span class=left>{self.t(words.IN).format(left=left(self.lang))}</span> "
            f"<small>{self._clock(deadline.due)} {escape(rules)}</small></li>"
        )


def alt_text(diagram: Diagram, lang: Lang) -> str:
    """What a slide's picture shows, in words of its language: the machine, the record and the
    states it is in."""
    shape = extract(machine_classes()[diagram.machine])
    known = {state.id for state in shape.states}
    states = [shape.state(x).label(lang) for x in sorted(diagram.active) if x in known]
    return words.PICTURE_ALT(lang).format(
        machine=shape.title(lang), record=diagram.record, states=", ".join(states) or "-"
    )
