"""Files are written whole or not at all: a failed write keeps the previous file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bindsim import BindSimError
from bindsim.errors import CannotWrite
from bindsim.simulator.files import write_atomic


def test_a_written_file_holds_exactly_the_text_in_utf8(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "a.yaml", "name: 解绑\n")
    assert target.read_bytes() == "name: 解绑\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temporary file left behind


def test_text_that_is_not_valid_unicode_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "snapshot.json"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(CannotWrite, match="not valid Unicode") as error:
        write_atomic(target, "id: \ud800")
    assert isinstance(error.value, BindSimError)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]


def test_a_missing_folder_or_a_nul_in_the_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CannotWrite, match="cannot write .*missing"):
        write_atomic(tmp_path / "missing" / "a.yaml", "x")
    with pytest.raises(CannotWrite, match="NUL"):
        write_atomic(str(tmp_path / "a\x00b"), "x")


def test_a_new_file_gets_the_usual_permissions_not_owner_only(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "a.yaml", "x")
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644
