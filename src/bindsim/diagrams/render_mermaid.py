"""MachineDiagram → Mermaid stateDiagram-v2 text, for Markdown pages that render Mermaid."""

from __future__ import annotations

import re

from bindsim.diagrams import style as s
from bindsim.diagrams.model import MachineDiagram, StateInfo, TransitionInfo
from bindsim.machines.text import Lang

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words Mermaid's state grammar reads as keywords: an id like these gets a suffix.
_RESERVED = {"state", "note", "direction", "class", "classDef", "end", "as", "style", "click"}


def mermaid(diagram: MachineDiagram, lang: Lang = "en") -> str:
    """The machine as `stateDiagram-v2`: compound states as blocks, labels in `lang`."""
    lines = ["stateDiagram-v2", "    direction LR"]
    lines.append(f"    %% {_text(diagram.title(lang))} ({diagram.name})")
    placed: set[tuple[str, str, str]] = set()
    _level(diagram, None, lang, lines, 1, placed)
    for transition in diagram.transitions:
        if transition.key not in placed:  # crosses a compound's border: drawn at the top
            lines.append(f"    {_arrow(transition, lang)}")
    for state in diagram.children(None):
        if state.kind in ("final", "error") and not _has_exit(diagram, state):
            lines.append(f"    {_id(state.id)} --> [*]")
    colours = {
        "final": f"fill:{s.FINAL_FILL},stroke:{s.FINAL_LINE}",
        "error": f"fill:{s.ERROR_FILL},stroke:{s.ERROR_LINE},color:{s.ERROR_INK}",
        "active": f"fill:{s.ACTIVE_FILL},stroke:{s.ACTIVE_LINE},stroke-width:3px",
    }
    for kind, colour in colours.items():
        members = [
            _id(x.id)
            for x in diagram.states
            if not x.compound and (x.id in diagram.active if kind == "active" else x.kind == kind)
        ]
        if members:
            lines.append(f"    classDef {kind} {colour}")
            lines.append(f"    class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"


def _level(
    diagram: MachineDiagram,
    parent: str | None,
    lang: Lang,
    lines: list[str],
    depth: int,
    placed: set[tuple[str, str, str]],
) -> None:
    pad = "    " * depth
    initial = diagram.initial(parent)
    if initial is not None:
        lines.append(f"{pad}[*] --> {_id(initial.id)}")
    for state in diagram.children(parent):
        label = _state_label(state, lang)
        if state.compound:
            lines.append(f'{pad}state "{label}" as {_id(state.id)} {{')
            _level(diagram, state.id, lang, lines, depth + 1, placed)
            lines.append(f"{pad}}}")
        else:
            lines.append(f'{pad}state "{label}" as {_id(state.id)}')
    members = {x.id for x in diagram.children(parent)}
    for transition in diagram.transitions:
        if transition.source in members and transition.target in members:
            lines.append(f"{pad}{_arrow(transition, lang)}")
            placed.add(transition.key)


def _arrow(transition: TransitionInfo, lang: Lang) -> str:
    text = transition.label(lang)
    if transition.guard is not None:
        text += f" [{transition.guard(lang)}]"
    if transition.timer is not None:
        text += f" ({transition.timer(lang)})"
    return f"{_id(transition.source)} --> {_id(transition.target)} : {_text(text)}"


def _state_label(state: StateInfo, lang: Lang) -> str:
    label = _text(state.label(lang))
    if state.rules:
        label += "<br/>" + " ".join(state.rules)
    return label


def _has_exit(diagram: MachineDiagram, state: StateInfo) -> bool:
    return any(t.source == state.id for t in diagram.transitions)


def _id(state_id: str) -> str:
    if not _ID.fullmatch(state_id):
        raise ValueError(f"state id {state_id!r} cannot be a Mermaid state id")
    return f"{state_id}_" if state_id in _RESERVED else state_id


def _text(text: str) -> str:
    """Text Mermaid reads as plain text: no quotes, colons, semicolons, braces or angle brackets."""
    for old, new in (
        ('"', "'"),
        (": ", " – "),
        (":", "："),
        (";", ","),
        ("{", "("),
        ("}", ")"),
        ("<", "‹"),
        (">", "›"),
        ("#", "No."),
        ("\n", " "),
    ):
        text = text.replace(old, new)
    return text
