"""Text for a terminal: user text (names, ids, file names) prints as written, never as commands.

A scenario name holding ESC[2J would clear the user's screen, U+202E would turn the line around,
and rich would turn `:ok:` into an emoji. So every console bindsim prints through shows control
and format characters escaped (`\\x1b[2J`), and leaves `:name:` alone.

>>> shown("evil \\x1b[2J :ok:")
'evil \\\\x1b[2J :ok:'
"""

from __future__ import annotations

import io
import unicodedata
from typing import IO, Any

from rich.console import Console
from rich.text import Text

_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))  # characters a terminal acts on
_KEPT = frozenset("\n\t")


def shown(text: str) -> str:
    """`text` with every control, format or unpaired surrogate character written as an escape
    (`\\x1b`, `\\u202e`); line breaks and tabs are kept."""
    if text.isprintable():  # the common case, at C speed
        return text
    return "".join(
        c if c in _KEPT or unicodedata.category(c) not in _HIDDEN else _escape(c) for c in text
    )


def _escape(character: str) -> str:
    code = ord(character)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


class TerminalConsole(Console):
    """A rich Console for bindsim's output: no emoji codes, no highlighting, and text shown
    escaped (see `shown`); markup is still read, so user text goes in through rich's escape()."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("emoji", False)
        options.setdefault("highlight", False)
        super().__init__(**options)

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(shown(text), **options)


def console(stderr: bool = False, soft_wrap: bool = True) -> Console:
    """The console a command prints through (stderr=True: for errors and progress)."""
    return TerminalConsole(stderr=stderr, soft_wrap=soft_wrap)


class Escaped(io.TextIOBase):
    """A text stream that writes what it is given through `shown` (for click's messages)."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(shown(text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False
