"""A trace that plays itself: its SVG with a stylesheet that shows the steps one after another.

Graphviz draws the trace once; the arrows taken and the refusals carry classes naming their steps
(`step-4`), and CSS keyframes fade each in at its turn, the final state last, then start over.
Browsers (and GitHub) play CSS animations inside an SVG shown as an image.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from bindsim.diagrams.model import Trace

SVG = "http://www.w3.org/2000/svg"
SECONDS_PER_STEP = 1.2
DIM = 0.12  # how visible a step is before its turn


def step_order(trace: Trace) -> list[int]:
    """The log steps of a trace (moves and refusals) in the order they happened."""
    return sorted({step.seq for step in trace.steps} | {r.seq for r in trace.refusals})


def animated_trace(svg: bytes, trace: Trace) -> bytes:
    """The trace's SVG, playing its steps in order (one every 1.2 s), then its final state."""
    root = ET.fromstring(svg)
    order = step_order(trace)
    frames = len(order) + 2  # the steps, the final state, a pause before it starts again
    rules: list[str] = []
    for turn, seq in enumerate(order, start=1):
        rules.append(_appear(f".step-{seq}", turn, frames))
    rules.append(_appear(".active", len(order) + 1, frames))
    style = ET.Element(f"{{{SVG}}}style")
    style.text = "\n".join(rules)
    root.insert(0, style)
    _keep_only_first_step(root)
    # Registered here, not once at import: another library (WeasyPrint's) may register the SVG
    # namespace under a prefix of its own meanwhile, and every tag would come out as ns0:svg.
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _appear(selector: str, turn: int, frames: int) -> str:
    """A rule that keeps `selector` dim until its turn, then shown until the loop starts over."""
    name = "bindsim-" + re.sub(r"\W", "", selector)
    start = 100 * turn / frames
    return (
        f"@keyframes {name} {{ 0%, {start - 0.01:.2f}% {{ opacity: {DIM}; }} "
        f"{start:.2f}%, 100% {{ opacity: 1; }} }}\n"
        f"{selector} {{ animation: {name} {frames * SECONDS_PER_STEP:.1f}s linear infinite; }}"
    )


def _keep_only_first_step(root: ET.Element) -> None:
    """An element taken at several steps (class "taken step-4 step-9") appears at the first."""
    for element in root.iter(f"{{{SVG}}}g"):
        classes = element.get("class", "").split()
        steps = [c for c in classes if c.startswith("step-")]
        if len(steps) > 1:
            keep = min(steps, key=lambda c: int(c.removeprefix("step-")))
            element.set("class", " ".join(c for c in classes if c not in steps or c == keep))
