"""What a shop or creator id may be, checked the same way by the World and the scenario files.

Ids appear in logs, file names, pictures and terminals, so they are one short word of printable
characters: no spaces, control characters, lone surrogates, nor the arrows the log uses.
"""

from __future__ import annotations

ID_MAX_LENGTH = 64
_RESERVED = "→×"  # the log writes "gb→alice" (invitation) and "gb×alice" (binding)


def id_problem(value: object) -> str | None:
    """Why `value` cannot be an id, or None when it can."""
    if not isinstance(value, str):
        return f"an id is text, got {_short(value)}"
    if not value:
        return "an id cannot be empty"
    if len(value) > ID_MAX_LENGTH:
        return f"an id has at most {ID_MAX_LENGTH} characters, got {len(value)}: {_short(value)}"
    if any(c.isspace() or not c.isprintable() or c in _RESERVED for c in value):
        return (
            "an id is one word of printable characters (no spaces, control characters "
            f"or {' '.join(_RESERVED)}), got {_short(value)}"
        )
    return None


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 50 else shown[:47] + "..."
