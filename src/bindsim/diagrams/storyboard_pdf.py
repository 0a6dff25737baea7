"""Storyboard → PDF: the HTML storyboard printed by WeasyPrint, a slide a page (16:9).

One layout for two formats: what a trainer sees in the browser is what the PDF shows. The pictures
are inside the page (data URIs of the drawn bytes), so the PDF is made before anything is written.
"""

from __future__ import annotations

from bindsim.diagrams.storyboard import Storyboard, register_format
from bindsim.diagrams.storyboard_html import page
from bindsim.machines.text import Lang

BASE = "file:///bindsim-storyboard/"  # a relative link would resolve under it, and be refused


@register_format("pdf", embeds="png")
def storyboard_pdf(
    board: Storyboard,
    lang: Lang,
    stems: dict[int, str],
    drawn: dict[str, dict[str, bytes]],
) -> bytes:
    """The storyboard's slides as PDF pages: text as text, the machine pictures as PNG."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    # PNG, not SVG: WeasyPrint draws an SVG anew on every page (0.2 s each), a PNG once.
    html = page(board, lang, stems, drawn, "png")
    # The page holds its pictures as data URIs: nothing else may be fetched.
    fetcher = URLFetcher(allowed_protocols=["data"], fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=BASE, url_fetcher=fetcher)
    data: bytes = document.write_pdf()
    return data
