"""The scenarios a server may open: the folders and files it was given, listed once at start.

A browser names a scenario by its key in this list, never by a path, so nothing outside the
given folders is ever listed or read. Uploaded files are read from memory, with a size limit,
and may not name a file (`include:`, `start_from:`): the server opens nothing for an upload.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bindsim.errors import BadUpload, InvalidScenario, ScenarioError, UnknownScenario
from bindsim.simulator.scenario import Scenario, find_files, load_file, load_text

MAX_UPLOAD = 256 * 1024  # bytes: the library's largest file is under 4 KiB


@dataclass(frozen=True, slots=True)
class Entry:
    """A scenario file of the library: its key (its path under the folder given) and title."""

    key: str
    path: Path
    folder: str
    name: str
    name_zh: str | None
    problem: str | None = None  # the file is invalid: why, at FILE:LINE:COL

    def title(self, lang: str) -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name


class Catalog:
    """Scenario files found under the given folders (and files), by key."""

    def __init__(self, roots: Sequence[str | os.PathLike[str]] = ()) -> None:
        self.roots = [Path(root) for root in roots]
        self.entries: dict[str, Entry] = {}
        for number, root in enumerate(self.roots, start=1):
            for path in find_files([root]):
                key = self._key(root, path)
                if key in self.entries:  # two folders of one name: number the later one
                    key = f"{number}:{key}"
                self.entries[key] = self._entry(key, path)

    @staticmethod
    def _key(root: Path, path: Path) -> str:
        if root.is_dir():
            return f"{root.name}/{path.relative_to(root).as_posix()}"
        return path.name

    @staticmethod
    def _entry(key: str, path: Path) -> Entry:
        folder = key.rsplit("/", 1)[0] if "/" in key else ""
        try:
            scenario = guarded(lambda: load_file(path), str(path))
        except InvalidScenario as invalid:
            return Entry(key, path, folder, path.name, None, str(invalid))
        return Entry(key, path, folder, scenario.name, scenario.name_zh)

    def load(self, key: str) -> Scenario:
        """The scenario of a key, read again now (it may have been edited since the start)."""
        if key not in self.entries:
            raise UnknownScenario(key)
        path = self.entries[key].path
        return guarded(lambda: load_file(path), str(path))

    def __len__(self) -> int:
        return len(self.entries)


def guarded(read: Callable[[], Scenario], where: str) -> Scenario:
    """A scenario read by the format's reader, whose every failure is an InvalidScenario:
    should the reader ever crash on a file (it once did on creator facts it did not know yet),
    the browser is told the file cannot be read, and the request ends without a traceback."""
    try:
        return read()
    except InvalidScenario:
        raise
    except Exception as error:  # noqa: BLE001 - any crash of the reader is the file's problem
        problem = f"the scenario format cannot read this file ({type(error).__name__}: {error})"
        raise InvalidScenario([ScenarioError(where, 1, 1, problem)]) from None


def read_upload(name: str, data: bytes) -> Scenario:
    """A scenario from an uploaded file's bytes; BadUpload says what is wrong."""
    base = Path(name.replace("\\", "/")).name
    shown = "".join(c for c in base if c.isprintable())[:100] or "upload.scenario.yaml"
    if len(data) > MAX_UPLOAD:
        raise BadUpload(
            f"{shown} is larger than {MAX_UPLOAD // 1024} KiB, the most a scenario file may be",
            zh=f"{shown} 超过 {MAX_UPLOAD // 1024} KiB,场景文件最多这么大",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadUpload(
            f"{shown} is not UTF-8 text (byte {error.start} is {data[error.start]:#04x}): "
            "save it as UTF-8",
            zh=f"{shown} 不是 UTF-8 文本(第 {error.start} 字节为 {data[error.start]:#04x}):"
            "请另存为 UTF-8",
        ) from None
    try:
        return guarded(lambda: load_text(text, shown, reads_files=False), shown)
    except InvalidScenario as invalid:
        raise BadUpload(str(invalid)) from None
