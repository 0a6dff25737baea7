"""Hostile input is normal input (issue 14, items 1, 2, 4, 5): YAML aliases, recursion, deep
nesting and odd tags in scenario files, ruleset files and walk lines; bytes that are not UTF-8;
paths too long to open; ids with control characters; files that cannot be written. Each is a
clear message (FILE:LINE:COL for a file) and exit 2, never a traceback, in bounded memory."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

from bindsim.simulator.cli import main
from bindsim.simulator.scenario import load_text
from bindsim.simulator.walk.prompt import WalkShell

CAST = "shop gb region=GB\ncreator alice country=GB age=24\n"


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["name: x", 'a0: &a0 ["lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join([*lines, "steps: [{advance: 1s}]"]) + "\n"


HOSTILE: dict[str, tuple[str, str]] = {
    # name: (file text, the start of the message after FILE:LINE:COL)
    "billion laughs": (billion_laughs(), "2:5: anchors (&a0) are not supported"),
    "recursive alias": ("name: x\nsteps: &s [*s]\n", "2:8: anchors (&s) are not supported"),
    "alias only": ("name: x\nsteps: *s\n", "2:8: aliases (*s) are not supported"),
    "deep steps": ("name: x\nsteps: " + "[" * 500 + "]" * 500 + "\n", "2:39: nested more than 32"),
    "deep rules": (
        "name: x\nrules: " + "[" * 250 + "]" * 250 + "\nsteps: []\n",
        "2:39: nested more than 32",
    ),
    "deep mappings": (
        "name: x\nsteps: " + "{a: " * 100 + "1" + "}" * 100 + "\n",
        "2:132: nested more than 32",
    ),
    "int tag": ("name: x\nsteps:\n  - advance: !!int 1h\n", "3:14: '1h' is not a valid !!int"),
    "float tag": ("name: x\nsteps:\n  - advance: !!float x\n", "3:14: 'x' is not a valid !!float"),
    "python tag": (
        "name: x\nsteps: !!python/object:os.system [ls]\n",
        "2:8: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'",
    ),
    "local tag": ("name: !foo x\nsteps: [{advance: 1s}]\n", "1:7: unsupported YAML tag '!foo'"),
    "two documents": ("name: x\nsteps: []\n---\nname: y\n", "3:1: one document per file"),
    "control id": (
        'name: x\nshops: {"a\\x1bb": {region: GB}}\nsteps: [{advance: 1s}]\n',
        "2:9: an id is one word of printable characters",
    ),
    "long id": (
        "name: x\ncreators: {" + "a" * 300 + ": {country: GB, age: 3}}\nsteps: []\n",
        "2:12: an id has at most 64 characters",
    ),
}


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_scenario_file_exits_2_at_file_line_col_in_bounded_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    text, message = HOSTILE[name]
    path = write(tmp_path, "h.scenario.yaml", text)
    tracemalloc.start()
    try:
        code = main(["run", str(path)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2
    assert f"{path}:{message}" in capsys.readouterr().err
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB for a {len(text)}-byte file"


@pytest.mark.parametrize("command", [["check"], ["rules"], ["walk"], ["diagram", "--trace"]])
def test_every_command_that_reads_scenarios_refuses_aliases_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = write(tmp_path, "h.scenario.yaml", billion_laughs())
    args = [*command, str(path)] + (["--out", str(tmp_path)] if "diagram" in command else [])
    assert main(args) == 2
    assert f"{path}:2:5: anchors (&a0) are not supported" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("r.yaml", "invite_ttl: &t 48h\nunbind_lock: *t\n", "1:13: anchors (&t) are not supported"),
        ("r.yaml", "invite_ttl: " + "[" * 300 + "]" * 300 + "\n", "1:44: nested more than 32"),
        ("r.yaml", "invite_ttl: !!int 48h\n", "1:13: '48h' is not a valid !!int value"),
        ("r.toml", "a = " + "[" * 600 + "]" * 600 + "\n", "1:69: nested more than 64"),
        ("r.toml", b'invite_ttl = "\xff48h"\n', "1:15: the byte b'\\xff' is not UTF-8 text"),
        ("r.yaml", b"invite_ttl: \xc3\x28\n", "1:13: the byte b'\\xc3' is not UTF-8 text"),
        ("r.toml", "invite_ttl = \n", "1:14: invalid TOML: Invalid value"),
        ("r.toml", "min_age = 18\ninvite_tll = 1\n", "2:1: unknown ruleset setting 'invite_tll'"),
    ],
)
def test_a_hostile_ruleset_file_exits_2_at_file_line_col(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: str | bytes, message: str
) -> None:
    rules = write(tmp_path, name, data)
    scenario = write(tmp_path, "a.scenario.yaml", "name: a\nsteps: [{advance: 1s}]\n")
    assert main(["run", "--ruleset", str(rules), str(scenario)]) == 2
    assert f"{rules}:{message}" in capsys.readouterr().err


def test_a_scenario_with_a_byte_that_is_not_utf8_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "b.scenario.yaml", b"name: x\nsteps:\n  - advance: 1h\n  # caf\xe9\n")
    assert main(["run", str(path)]) == 2
    assert f"{path}:4:8: the byte b'\\xe9' is not UTF-8 text" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [["run"], ["check"], ["rules"], ["walk"], ["diagram", "--trace"], ["run", "--ruleset"]],
)
def test_a_path_longer_than_the_system_allows_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    long = str(tmp_path / ("x" * 300 + ".scenario.yaml"))
    if command == ["run", "--ruleset"]:
        ok = write(tmp_path, "a.scenario.yaml", "name: a\nsteps: [{advance: 1s}]\n")
        args = ["run", "--ruleset", long.replace(".scenario.yaml", ".toml"), str(ok)]
    else:
        args = [*command, long]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    # `diagram` checks that the file exists first (click); the others say why it cannot be read
    assert "File name too long" in err or "does not exist" in err


def test_a_file_larger_than_16_mib_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.scenario.yaml"
    with path.open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: nothing is written
    assert main(["run", str(path)]) == 2
    assert f"{path}:1:1: the file is larger than 16 MiB" in capsys.readouterr().err


def test_a_scenario_path_with_a_nul_is_invalid_input_not_a_crash() -> None:
    from bindsim.errors import InvalidScenario
    from bindsim.simulator.scenario.validate import load_cases

    with pytest.raises(InvalidScenario, match="cannot read the file"):
        load_cases("a\x00b.scenario.yaml")


# ------------------------------------------------------------------ walk


def walk_bytes(data: bytes) -> tuple[WalkShell, str]:
    """A walk session over raw bytes, decoded as `bindsim walk` decodes its stdin."""
    out = io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
    shell = WalkShell(stdin=stdin, stdout=out)
    shell.cmdloop()
    return shell, out.getvalue()


def test_walk_refuses_a_line_that_is_not_utf8_and_goes_on() -> None:
    shell, out = walk_bytes(CAST.encode() + b"invite gb al\xffice\ninvite gb alice\n")
    assert "✗ that line holds bytes that are not UTF-8 text; nothing was done" in out
    assert [step.verb for step in shell.session.steps] == ["invite"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("invite: &a {shop: gb, creator: alice}", "✗ anchors (&a) are not supported"),
        ("invite: *a", "✗ aliases (*a) are not supported"),
        ("{advance: " + "[" * 100 + "]" * 100 + "}", "✗ nested more than 32 levels deep"),
        ("advance: !!int 1h", "✗ '1h' is not a valid !!int value"),
        ("expect shop gb channels=[&x a]", "✗ anchors (&x) are not supported"),
        ("creator b\x1bx country=GB age=20", "✗ an id is one word of printable characters"),
        ("creator bob country=GB age=&a", "✗ anchors (&a) are not supported"),
    ],
)
def test_walk_refuses_aliases_tags_and_deep_nesting_in_a_line_and_goes_on(
    line: str, message: str
) -> None:
    shell, out = walk_bytes((CAST + line + "\ninvite gb alice\n").encode())
    assert message in out
    assert [step.verb for step in shell.session.steps] == ["invite"]


def test_walk_save_of_a_name_that_cannot_be_written_says_so_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "kept"
    shell, out = walk_bytes(
        (
            CAST
            + "invite gb alice\n"
            + "save a\x00b\n"
            + f"save {tmp_path / ('y' * 300)}\n"
            + f"save {tmp_path / 'no' / 'dir'}\n"
            + f"save {good}\n"
        ).encode()
    )
    assert "✗ cannot write a\\x00b.scenario.yaml: a path cannot hold NUL" in out
    assert "File name too long" in out and "No such file or directory" in out
    assert f"✓ saved 1 steps to {good}.scenario.yaml" in out


def test_a_failed_save_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """walk's save writes through write_atomic: a disk that fails mid-save keeps the old file."""
    target = tmp_path / "s.scenario.yaml"
    target.write_text("the previous save\n", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    shell, out = walk_bytes((CAST + f"invite gb alice\nsave --force {target}\n").encode())
    assert f"✗ cannot write {target}: No space left on device" in out
    assert target.read_text(encoding="utf-8") == "the previous save\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.scenario.yaml"]  # no temporary left
    assert shell.changed  # still unsaved: the end of the session says so


def test_load_text_of_a_hostile_walk_scenario_is_invalid_not_a_crash() -> None:
    from bindsim.errors import InvalidScenario

    with pytest.raises(InvalidScenario):
        load_text(billion_laughs())
