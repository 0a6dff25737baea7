"""The optional parts of bindsim (pyproject's extras) and the check that a command makes before
it needs one: a missing extra is a MissingExtra error naming what to install, never a traceback."""

from __future__ import annotations

from importlib.util import find_spec

from bindsim.errors import MissingExtra

# Each extra and the modules its packages provide (pyproject.toml lists the packages themselves;
# tests/test_package.py holds the two to each other).
EXTRAS = {
    "slides": ("weasyprint", "pptx"),
    "serve": ("starlette", "uvicorn", "python_multipart", "anyio"),
}


def require(extra: str, what: str) -> None:
    """Raise MissingExtra unless every module of `extra` can be imported; `what` names the
    feature that needs it ("PDF storyboards")."""
    for module in EXTRAS[extra]:
        if find_spec(module) is None:
            raise MissingExtra(extra, what, module)
