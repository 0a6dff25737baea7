"""bindsim's exceptions, all under one base: `except BindSimError` catches every error bindsim
raises on purpose. This module imports nothing of bindsim's, so every layer can raise from it."""

from __future__ import annotations


class BindSimError(Exception):
    """Base of every error bindsim raises on purpose."""


class MissingExtra(BindSimError):
    """A command needs an optional part of bindsim that is not installed."""

    def __init__(self, extra: str, what: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"{what} cannot run here: {module} is not installed; "
            f"install bindsim[{extra}] (pip install 'bindsim[{extra}]')"
        )
