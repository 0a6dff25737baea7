"""Storyboard → PDF: the HTML storyboard printed by WeasyPrint, a slide a page (16:9).

One layout for two formats: what a trainer sees in the browser is what the PDF shows. The page
links its pictures (pictures/0.png ...), and WeasyPrint's fetcher hands it their drawn bytes and
nothing else: the PDF is made before anything is written, and nothing is read from elsewhere.
"""

from __future__ import annotations

from bindsim.diagrams.storyboard import Storyboard, register_format
from bindsim.diagrams.storyboard_html import page, picture_links
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
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # PNG, not SVG: WeasyPrint draws an SVG anew on every page (0.2 s each), a PNG once.
    html = page(board, lang, stems, drawn, "png", linked=True)
    pictures = {BASE + link: data for link, data in picture_links(stems, drawn, "png").items()}

    class Pictures(URLFetcher):  # type: ignore[misc]
        """The page's pictures, and nothing else."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url not in pictures:
                raise ValueError(f"a storyboard fetches only its own pictures, not {url}")
            return URLFetcherResponse(url, pictures[url], {"Content-Type": "image/png"})

    fetcher = Pictures(allowed_protocols=["file"], fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=BASE, url_fetcher=fetcher)
    data: bytes = document.write_pdf()
    return data
