"""The text of a Graphviz SVG as boxes on the page, measured with the font it is set in: for
tests, and for layouts chosen so that no label sits on another."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import unescape

from bindsim.diagrams import textfit

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class TextBox:
    text: str
    size: float
    left: float
    right: float
    top: float
    bottom: float
    node: str  # the title of the node or edge group it belongs to, "" for the graph's own

    def overlaps(self, other: TextBox, slack: float = 0.5) -> bool:
        return (
            self.left < other.right - slack
            and other.left < self.right - slack
            and self.top < other.bottom - slack
            and other.top < self.bottom - slack
        )


def size_of(svg: str) -> tuple[float, float]:
    """The picture's width and height in pt."""
    found = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if found is None:
        raise ValueError("not an SVG drawn by Graphviz: no size in pt")
    return float(found[1]), float(found[2])


def text_boxes(svg: str) -> list[TextBox]:
    """Every line of text, as the box its glyphs take (ascent to baseline and a little below)."""
    root = ET.fromstring(svg)
    boxes: list[TextBox] = []
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        owner = unescape(title.text or "") if title is not None else ""
        if group.get("id") == "graph0":
            owner = ""
        for text in group.findall(f"{SVG}text"):
            content = "".join(text.itertext())
            if not content.strip():
                continue
            size = float(text.get("font-size", "14"))
            family = (text.get("font-family") or "Noto Sans").split(",")[0]
            bold = text.get("font-weight") == "bold" or any(
                child.get("font-weight") == "bold" for child in text
            )
            width = textfit.text_width(content, size, family, bold)
            x, y = float(text.get("x", "0")), float(text.get("y", "0"))
            anchor = text.get("text-anchor", "start")
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            boxes.append(
                TextBox(content, size, left, left + width, y - 0.75 * size, y + 0.1 * size, owner)
            )
    return boxes


def shape_boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Each node's outline (polygon or path) as a box: left, right, top, bottom."""
    root = ET.fromstring(svg)
    found: dict[str, tuple[float, float, float, float]] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class", "").split()[:1] != ["node"]:
            continue
        title = group.find(f"{SVG}title")
        shape = group.find(f"{SVG}polygon")
        if shape is None:
            shape = group.find(f"{SVG}path")
        if title is None or shape is None:
            continue
        points = shape.get("points") or shape.get("d") or ""
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", points)]
        xs, ys = numbers[0::2], numbers[1::2]
        if xs and ys:
            found[unescape(title.text or "")] = (min(xs), max(xs), min(ys), max(ys))
    return found


def collisions(svg: str) -> list[tuple[str, str]]:
    """Pairs of text lines drawn over one another."""
    boxes = text_boxes(svg)
    return [
        (a.text, b.text)
        for index, a in enumerate(boxes)
        for b in boxes[index + 1 :]
        if a.overlaps(b)
    ]


def spilling(svg: str) -> list[str]:
    """Text inside a node (a state, a bar) that runs out of the node's outline."""
    shapes = shape_boxes(svg)
    out = []
    for box in text_boxes(svg):
        if box.node in shapes:
            left, right, _, _ = shapes[box.node]
            if box.left < left - 0.5 or box.right > right + 0.5:
                out.append(f"{box.node}: {box.text}")
    return out


def smallest_on_slide(svg: str, slide: tuple[float, float] = (960, 540)) -> float:
    """The smallest text in pt once the picture fills a slide (16:9: 960 × 540 pt)."""
    width, height = size_of(svg)
    scale = min(slide[0] / width, slide[1] / height)
    return min(box.size for box in text_boxes(svg)) * scale
