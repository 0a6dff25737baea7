"""The root of bindsim's exceptions, here so that machines/ (which imports nothing of ours) can
raise errors that `except BindSimError` catches too."""


class BindSimError(Exception):
    """Base of every error bindsim raises on purpose."""
