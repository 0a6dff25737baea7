"""Reading and writing files safely: every read has a size cap and takes regular files only;
every write replaces a regular file whole or not at all (a temporary file, a rename)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bindsim.errors import CannotRead, CannotWrite

MAX_READ = 16 * 1024 * 1024  # bytes: the most bindsim reads from any one file it is given
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to wait on


def read_capped(path: str | os.PathLike[str], cap: int = MAX_READ) -> bytes:
    """The bytes of a regular file of at most `cap` bytes; CannotRead otherwise.

    A device, FIFO or socket is refused before a byte is read (`/dev/zero` never ends, a FIFO
    may never answer), and so is a file larger than `cap`, whatever its size says: a file that
    grows while it is read is stopped at cap + 1 bytes.
    """
    if "\x00" in str(path):
        raise CannotRead(str(path).replace("\x00", "\\x00"), "a path cannot hold NUL")
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        handle = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise CannotRead(path, error.strerror or str(error)) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise CannotRead(path, "it is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise CannotRead(path, "it is not a regular file (a device, FIFO or socket)")
        if info.st_size > cap:
            raise CannotRead(path, f"it is larger than {_size(cap)}", too_large=True)
        if _NONBLOCK:
            os.set_blocking(handle, True)
        chunks: list[bytes] = []
        left = cap + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        if isinstance(error, CannotRead):
            raise
        raise CannotRead(path, error.strerror or str(error)) from None
    finally:
        os.close(handle)
    if left <= 0:
        raise CannotRead(path, f"it is larger than {_size(cap)}", too_large=True)
    return b"".join(chunks)


def _size(cap: int) -> str:
    if cap % (1024 * 1024) == 0:
        return f"{cap // (1024 * 1024)} MiB"
    return f"{cap // 1024} KiB" if cap % 1024 == 0 else f"{cap} bytes"


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write `data` (text is encoded as UTF-8) to `path` all at once, or not at all.

    For a regular file (or a new one) the bytes go to a temporary file in the same folder, which
    then replaces `path` in one rename: a reader sees the old file or the new one, never half of
    one, and a failure (a text that is not valid Unicode, a full disk, a folder that does not
    exist) leaves the old file as it was. A symbolic link to a file is followed: the file it
    names is replaced, the link stays. A device, FIFO or socket (`/dev/null`, `/dev/stdout`, a
    pipe) is written directly: replacing it would destroy it, and nothing is created beside it.
    """
    target = Path(path)
    try:
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end]
        raise CannotWrite(target, f"the text holds {bad!r}, which is not valid Unicode") from None
    if "\x00" in str(target):
        raise CannotWrite(target.as_posix().replace("\x00", "\\x00"), "a path cannot hold NUL")
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = None  # a new file (or one that cannot be looked at: creating it says why)
    if mode is not None and stat.S_ISDIR(mode):
        raise CannotWrite(target, "it is a folder")
    if mode is not None and not stat.S_ISREG(mode):
        _write_directly(target, payload)
        return target
    if mode is not None and target.is_symlink():
        target = Path(os.path.realpath(target))
    # Created like any new file (0666 less the umask), unlike mkstemp's owner-only 0600.
    temporary = target.with_name(f".{target.name[:100]}.{os.urandom(4).hex()}.tmp")
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


def _write_directly(target: Path, payload: bytes) -> None:
    """Bytes written into a device, FIFO or socket as it is: no temporary file, no rename."""
    try:
        handle = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise CannotWrite(target, error.strerror or str(error)) from None
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(handle, view) :]
    except OSError as error:
        raise CannotWrite(target, error.strerror or str(error)) from None
    finally:
        os.close(handle)


def write_file(path: Path, data: str | bytes) -> Path:
    """Write one file atomically (write_atomic), making its folder first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CannotWrite(error.filename or path.parent, error.strerror or str(error)) from None
    return write_atomic(path, data)
