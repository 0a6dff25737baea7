"""Storyboard → PowerPoint (python-pptx): a 16:9 slide per step, with native shapes for the
mock-ups (a trainer can move or retype a button) and the machine picture as a PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from bindsim.diagrams import textfit, words
from bindsim.diagrams.storyboard import MockScreen, Slide, Storyboard, register_format
from bindsim.diagrams.storyboard_html import OUTCOME_MARK
from bindsim.machines.text import Lang, Text

WIDTH, HEIGHT = 13.333, 7.5  # inches: PowerPoint's 16:9
INSET_X, INSET_Y = 0.1, 0.05  # inches: a PPTX text frame's default margins
SMALLEST = 9  # pt: no text of a storyboard is smaller
RED, BLUE, MUTED, INK, PURPLE = "C62828", "1565C0", "607D8B", "263238", "6A1B9A"


@register_format("pptx", embeds="png")
def storyboard_pptx(
    board: Storyboard,
    lang: Lang,
    stems: dict[int, str],
    drawn: dict[str, dict[str, bytes]],
) -> bytes:
    """A deck: a title slide, then a slide per step; the step's YAML in the speaker notes."""
    deck = _presentation()
    _story(deck, board, lang, stems, drawn)
    return _saved(deck)


def training_deck(
    stories: Sequence[tuple[Storyboard, Lang, dict[int, str]]],
    drawn: dict[str, dict[str, bytes]],
    langs: Sequence[Lang],
) -> bytes:
    """One deck of several storyboards (each in one language): a contents slide, then a
    section per story (PowerPoint's sections: the slide sorter groups and names them)."""
    if not stories:
        raise ValueError("a deck needs at least one storyboard")
    deck = _presentation()
    _contents(deck, [(board, lang) for board, lang, _ in stories], langs)
    sections: list[tuple[str, list[int]]] = [(_both(words.CONTENTS, langs), [_last_id(deck)])]
    for board, lang, stems in stories:
        first = len(deck.slides)
        _story(deck, board, lang, stems, drawn)
        ids = [slide.slide_id for slide in list(deck.slides)[first:]]
        name = board.title(lang) + (f" ({lang})" if len(langs) > 1 else "")
        sections.append((name, ids))
    _add_sections(deck, sections)
    return _saved(deck)


def _presentation() -> Any:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
    return deck


def _story(
    deck: Any,
    board: Storyboard,
    lang: Lang,
    stems: dict[int, str],
    drawn: dict[str, dict[str, bytes]],
) -> None:
    _Deck(deck, board, lang).cover()
    for slide in board.slides:
        picture = drawn.get(stems.get(slide.number, ""), {}).get("png")
        _Deck(deck, board, lang).slide(slide, picture)


def _saved(deck: Any) -> bytes:
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _both(text: Text, langs: Sequence[Lang]) -> str:
    return " · ".join(dict.fromkeys(text(lang) for lang in langs))


def _last_id(deck: Any) -> int:
    return int(list(deck.slides)[-1].slide_id)


def _contents(deck: Any, stories: Sequence[tuple[Storyboard, Lang]], langs: Sequence[Lang]) -> None:
    """The first slide: every story of the deck, with its steps, in the order they come."""
    page = _Deck(deck, stories[0][0], langs[0])
    runs = [(_both(words.CONTENTS, langs) + "\n", 32, INK, True)]
    for number, (board, lang) in enumerate(stories, start=1):
        steps = words.STEP_COUNT(lang).format(count=len(board.slides))
        runs.append((f"{number}. {board.title(lang)}  ", 16, INK, False))
        runs.append((f"({steps})\n", 12, MUTED, False))
    page.text(0.8, 0.6, 11.7, 6.4, runs)


_SECTIONS = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"  # PowerPoint 2010's extension: sections
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"


def _add_sections(deck: Any, sections: Sequence[tuple[str, list[int]]]) -> None:
    """Name the deck's sections (PowerPoint 2010's p14:sectionLst; python-pptx has no API)."""
    import uuid

    from lxml import etree
    from pptx.oxml.ns import qn

    presentation = deck.element
    ext_list = presentation.find(qn("p:extLst"))
    if ext_list is None:
        ext_list = etree.SubElement(presentation, qn("p:extLst"))
    ext = etree.SubElement(ext_list, qn("p:ext"), uri=_SECTIONS)
    listing = etree.SubElement(ext, f"{{{_P14}}}sectionLst", nsmap={"p14": _P14})
    for index, (name, ids) in enumerate(sections):
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"bindsim-section:{index}:{name}")  # reproducible
        section = etree.SubElement(
            listing, f"{{{_P14}}}section", name=name, id="{" + str(key).upper() + "}"
        )
        slides = etree.SubElement(section, f"{{{_P14}}}sldIdLst")
        for slide_id in ids:
            etree.SubElement(slides, f"{{{_P14}}}sldId", id=str(slide_id))


class _Deck:
    def __init__(self, deck: object, board: Storyboard, lang: Lang) -> None:
        from pptx.util import Inches

        self.deck = deck
        self.board = board
        self.lang = lang
        self.font = "Noto Sans CJK SC" if lang == "zh" else "Noto Sans"
        self.inches = Inches
        blank = deck.slide_layouts[6]  # type: ignore[attr-defined]
        self.page = deck.slides.add_slide(blank)  # type: ignore[attr-defined]

    def t(self, text: Text) -> str:
        return text(self.lang)

    # ------------------------------------------------------------------ text boxes

    def text(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        runs: Sequence[tuple[str, float, str, bool]],
    ) -> object:
        """A text box; each run is (text, size in pt, colour, bold), a run ending in \\n
        ends its paragraph. The text is made smaller until it fits the box (measured with
        its font), but never below 9 pt."""
        box = self.page.shapes.add_textbox(
            self.inches(x), self.inches(y), self.inches(w), self.inches(h)
        )
        self._fill(box.text_frame, runs, w, h)
        return box

    def _fill(
        self, frame: Any, runs: Sequence[tuple[str, float, str, bool]], w: float, h: float
    ) -> None:
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_AUTO_SIZE
        from pptx.util import Pt

        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        room_w = (w - 2 * INSET_X) * textfit.POINTS
        room_h = (h - 2 * INSET_Y) * textfit.POINTS
        sized, _ = textfit.fitted(_measured(runs), room_w, room_h, self.font, SMALLEST)
        paragraph = frame.paragraphs[0]
        for index, (run_of, (_, _, colour, _)) in enumerate(zip(sized, runs, strict=True)):
            run = paragraph.add_run()
            run.text = run_of.text
            run.font.size = Pt(run_of.size)
            run.font.bold = run_of.bold
            run.font.name = self.font
            run.font.color.rgb = RGBColor.from_string(colour)
            if run_of.end and index < len(sized) - 1:  # no empty last line
                paragraph = frame.add_paragraph()

    def shape(
        self, x: float, y: float, w: float, h: float, fill: str, line: str, width: float = 1.0
    ) -> object:
        from pptx.dml.color import RGBColor
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Pt

        box = self.page.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE,
            self.inches(x),
            self.inches(y),
            self.inches(w),
            self.inches(h),
        )
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(fill)
        box.line.color.rgb = RGBColor.from_string(line)
        box.line.width = Pt(width)
        box.shadow.inherit = False
        return box

    def label(self, box: Any, text: str, size: float, colour: str, bold: bool = False) -> None:
        """Text inside a shape, made to fit it as a text box's is."""
        w, h = box.width / 914400, box.height / 914400  # EMU per inch
        self._fill(box.text_frame, [(text, size, colour, bold)], w, h)

    # ---------------------------------------------------------------------- slides

    def cover(self) -> None:
        board = self.board
        self.text(0.8, 2.2, 11.7, 1.6, [(self.t(board.title), 36, INK, True)])
        start, utc = words.clock_text(board.start, board.zone)
        line = (
            f"{self.t(words.STORYBOARD)} · "
            f"{self.t(words.STEP_COUNT).format(count=len(board.slides))} · "
            f"{self.t(words.RUN_START)} {start}" + (f" ({utc})" if utc else "")
        )
        self.text(0.8, 4.0, 11.7, 0.5, [(line, 18, MUTED, False)])
        if self.t(board.description):
            self.text(0.8, 4.6, 11.7, 2.4, [(self.t(board.description), 14, MUTED, False)])

    def slide(self, slide: Slide, picture: bytes | None) -> None:
        self._header(slide)
        screens = slide.screens or ()
        if screens:
            width = 4.3 / len(screens)
            for index, screen in enumerate(screens):
                self._mock(screen, 0.35 + index * (width + 0.05), 0.75, width - 0.05, 4.6)
        else:
            box = self.shape(0.35, 0.75, 4.25, 4.6, "FFFFFF", "CFD6DF", 1.5)
            self.label(box, self.t(words.NO_SCREEN), 14, MUTED)
        if picture is not None:
            self._picture(picture, 4.8, 0.75, 8.2, 4.4)
        if slide.diagram is not None:
            caption = f"{slide.diagram.record} · {slide.diagram.who}"
            self.text(4.8, 5.12, 8.2, 0.3, [(caption, 10, MUTED, False)])
        self._footer(slide)
        self.page.notes_slide.notes_text_frame.text = slide.step + (
            f"\n{slide.note}" if slide.note else ""
        )

    def _header(self, slide: Slide) -> None:
        self.text(
            0.35,
            0.05,
            8.6,
            0.65,
            [
                (f"{slide.number} / {slide.total}   ", 16, BLUE, True),
                (self.t(self.board.title), 14, INK, False),
            ],
        )
        clock, utc = words.clock_text(slide.until, self.board.zone, seconds=True)
        runs = [(f"{clock}  ", 13, INK, False), (self.t(slide.elapsed) + "\n", 14, INK, True)]
        if utc:
            runs.append((utc, 9, MUTED, False))
        self.text(9.0, 0.05, 4.0, 0.65, runs)

    def _mock(self, screen: MockScreen, x: float, y: float, w: float, h: float) -> None:
        app = screen.kind == "app"
        frame = self.shape(x, y, w, h, "FAFAFA", "37474F", 3 if app else 2)
        del frame
        owner = screen.owner if app else f"{self.t(words.SELLER_CENTER)} · {screen.owner}"
        self.text(x + 0.1, y + 0.05, w - 0.2, 0.3, [(owner, 9, MUTED, False)])
        runs = [(self.t(screen.title) + "\n", 16, INK, True)]
        if screen.path:
            runs.append((" › ".join(self.t(p) for p in screen.path) + " ›\n", 9, MUTED, False))
        runs += [(self.t(line) + "\n", 9, INK, False) for line in screen.info]
        room = (w - 0.2 - 2 * INSET_X) * textfit.POINTS
        needed = textfit.height(_measured(runs), room, self.font)
        tall = min(needed / textfit.POINTS + 2 * INSET_Y + 0.05, h - 1.3)
        self.text(x + 0.1, y + 0.3, w - 0.2, tall, runs)
        top = y + 0.3 + tall + 0.1
        for button in screen.buttons:
            if top > y + h - 0.5:
                break
            if button.tapped:
                box = self.shape(x + 0.15, top, w - 0.3, 0.42, "FFEBEE", RED, 3)
                verb = words.TAP if app else words.CLICK
                self.label(box, f"{self.t(button.label)}  ☛ {self.t(verb)}", 12, RED, True)
            elif not button.visible:
                box = self.shape(x + 0.15, top, w - 0.3, 0.42, "FFFFFF", "BDBDBD", 1)
                box.line.dash_style = 4  # type: ignore[attr-defined]  # MSO_LINE.DASH
                hidden = f"{self.t(button.label)} ({self.t(words.HIDDEN)} {button.hidden_reason})"
                self.label(box, hidden, 10, "9E9E9E")
            else:
                box = self.shape(x + 0.15, top, w - 0.3, 0.42, "FFFFFF", "90A4AE", 1)
                self.label(box, self.t(button.label), 12, INK)
            top += 0.5
        if screen.now_on is not None:
            self.text(
                x + 0.1,
                y + h - 0.45,
                w - 0.2,
                0.35,
                [("→ " + self.t(screen.now_on), 12, BLUE, True)],
            )

    def _picture(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
        scale = min(w / width, h / height)
        pw, ph = width * scale, height * scale
        self.page.shapes.add_picture(
            io.BytesIO(png),
            self.inches(x + (w - pw) / 2),
            self.inches(y + (h - ph) / 2),
            self.inches(pw),
            self.inches(ph),
        )

    def _footer(self, slide: Slide) -> None:
        outcome_word = words.OUTCOMES.get(slide.outcome)
        outcome = self.t(outcome_word) if outcome_word else slide.outcome
        bad = slide.outcome in ("refused", "error", "failed")
        runs = [(self.t(slide.text) + "\n", 18, INK, True)]
        if slide.note:
            runs.append((slide.note + "\n", 11, MUTED, False))
        mark = OUTCOME_MARK.get(slide.outcome, "")
        runs.append((f"{mark} {outcome}  ", 14, RED if bad else INK, bad))
        runs.append(("  ".join(slide.reasons) + "\n", 14, RED, True))
        runs += [(self.t(m) + "\n", 11, RED, False) for m in slide.messages]
        runs += [(f"◆ {self.t(f)}\n", 11, PURPLE, False) for f in slide.fired]
        self.text(0.35, 5.45, 8.4, 2.0, runs)
        lines = [(self.t(words.DEADLINES) + "\n", 12, INK, True)]
        if not slide.deadlines:
            lines.append((self.t(words.NO_DEADLINES), 11, MUTED, False))
        for deadline in slide.deadlines:
            left = words.duration_text(deadline.due - slide.until)(self.lang)
            when = self.t(words.IN).format(left=left)
            lines.append((f"{deadline.target} {self.t(deadline.what)} ", 11, INK, False))
            lines.append((f"{when}  ", 11, PURPLE, True))
            lines.append((" · ".join(deadline.rules) + "\n", 9, MUTED, False))
        self.text(8.9, 5.45, 4.1, 2.0, lines)


def _measured(runs: Sequence[tuple[str, float, str, bool]]) -> list[textfit.Run]:
    return [
        textfit.Run(text.rstrip("\n"), size, bold, text.endswith("\n"))
        for text, size, _, bold in runs
    ]
