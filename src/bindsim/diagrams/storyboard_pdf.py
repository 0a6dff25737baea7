"""Storyboard → PDF: the HTML storyboard printed by WeasyPrint, a slide a page (16:9).

One layout for two formats: what a trainer sees in the browser is what the PDF shows. The pictures
come from the drawn bytes, not from files, so the PDF can be made before anything is written.
"""

from __future__ import annotations

from typing import Any

from bindsim.diagrams.storyboard import Storyboard, register_format
from bindsim.diagrams.storyboard_html import page
from bindsim.machines.text import Lang

BASE = "file:///bindsim-storyboard/"  # every relative link resolves under it; never read


@register_format("pdf", needs_pictures=True)
def storyboard_pdf(
    board: Storyboard,
    lang: Lang,
    stems: dict[int, str],
    up: str,
    drawn: dict[str, dict[str, bytes]],
) -> bytes:
    """The storyboard's slides as PDF pages: text as text, the machine pictures as PNG."""
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # PNG, not SVG: WeasyPrint draws an SVG anew on every page (0.2 s each), a PNG once.
    html = page(board, lang, stems, "", "png")
    pictures = {f"{BASE}{stem}.png": files["png"] for stem, files in drawn.items()}

    class Pictures(URLFetcher):  # type: ignore[misc]
        """Serves the storyboard's own pictures from memory; nothing else is fetched."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url not in pictures:
                raise ValueError(f"a storyboard links only its own pictures, not {url}")
            return URLFetcherResponse(url, pictures[url], {"Content-Type": "image/png"})

    fetcher = Pictures(fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=BASE, url_fetcher=fetcher)
    data: bytes = document.write_pdf()
    return data
