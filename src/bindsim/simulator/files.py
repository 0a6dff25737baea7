"""Writing files so that a failure never destroys what was there: a temporary file, a rename."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bindsim.errors import BindSimError


class CannotWrite(BindSimError, OSError):
    """A file could not be written; the previous file, if any, is kept as it was."""

    def __init__(self, path: str | os.PathLike[str], why: str) -> None:
        self.path = str(path)
        super().__init__(f"cannot write {self.path}: {why}; nothing was changed there")

    def __str__(self) -> str:
        return str(self.args[0])


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write `data` (text is encoded as UTF-8) to `path` all at once, or not at all.

    The bytes go to a temporary file in the same folder, which then replaces `path` in one rename:
    a reader sees the old file or the new one, never half of one, and a failure (a text that is
    not valid Unicode, a full disk, a folder that does not exist) leaves the old file as it was.
    """
    target = Path(path)
    try:
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end]
        raise CannotWrite(target, f"the text holds {bad!r}, which is not valid Unicode") from None
    if "\x00" in str(target):
        raise CannotWrite(target.as_posix().replace("\x00", "\\x00"), "a path cannot hold NUL")
    # Created like any new file (0666 less the umask), unlike mkstemp's owner-only 0600.
    temporary = target.with_name(f".{target.name[:100]}.{secrets.token_hex(4)}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise CannotWrite(target, error.strerror or str(error)) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CannotWrite(target, error.strerror or str(error)) from None
    return target
