"""What a shop or creator id may be, checked the same way by the World and the scenario files.

Ids appear in logs, file names, pictures and terminals, so they are one short word of printable
characters: no spaces, control characters, lone surrogates, nor the arrows the log uses.
"""

from __future__ import annotations

ID_MAX_LENGTH = 64
_RESERVED = "→×"  # the log writes "gb→alice" (invitation) and "gb×alice" (binding)


# Why a value is no id, in English and Chinese (the errors a page in Chinese shows).
_PROBLEMS = {
    "en": {
        "text": "an id is text, got {shown}",
        "empty": "an id cannot be empty",
        "long": "an id has at most {most} characters, got {length}: {shown}",
        "word": "an id is one word of printable characters (no spaces, control characters "
        "or {reserved}), got {shown}",
    },
    "zh": {
        "text": "编号应为文字,而不是 {shown}",
        "empty": "编号不能为空",
        "long": "编号最多 {most} 个字符,这里有 {length} 个:{shown}",
        "word": "编号应为一个由可打印字符组成的词(不含空格、控制字符或 {reserved}):{shown}",
    },
}


def id_problem(value: object, lang: str = "en") -> str | None:
    """Why `value` cannot be an id (in English, or "zh"), or None when it can."""
    if not isinstance(value, str):
        problem = "text"
    elif not value:
        problem = "empty"
    elif len(value) > ID_MAX_LENGTH:
        problem = "long"
    elif any(c.isspace() or not c.isprintable() or c in _RESERVED for c in value):
        problem = "word"
    else:
        return None
    return _PROBLEMS[lang][problem].format(
        shown=_short(value),
        most=ID_MAX_LENGTH,
        length=len(value) if isinstance(value, str) else 0,
        reserved=" ".join(_RESERVED),
    )


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 50 else shown[:47] + "..."
