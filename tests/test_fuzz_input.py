"""Fuzzing what users type and write (issue 14, tests): mutated library files, alias bombs and
deep nesting for the scenario loader, random byte lines for walk. Whatever comes in, the answer
is exit 2 (FILE:LINE:COL) or a valid run, never a traceback, in bounded memory.

Examples are derandomized and few, so that `make test` stays fast and every run is the same.
"""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bindsim.simulator.cli import main
from bindsim.simulator.scenario.validate import find_files
from bindsim.simulator.walk.prompt import WalkShell

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = [
    path.read_text(encoding="utf-8")
    for path in find_files([ROOT / "src" / "bindsim" / "scenarios"])
]
SNIPPETS = [
    "&a ", "*a", "!!int ", "!!float ", "!!python/object:os.system ", "!foo ", "[[[[[[", "{a: {b: ",
    ": ", "- ", "\t", "\x00", "\x1b", "\ud800", "<wait>", "---\n", "? ", "|\n", '"', "'", "~",
    "null", "1e999", "-1", "99999999999999999999d", "NOT_APPLICABLE", "examples: [{a: 1}]\n",
    "include: x.yaml\n", "start_from: x.json\n", "9999-12-31T23:59:59Z",
    "include: /dev/zero\n", "start_from: /dev/zero\n", "include: /etc/passwd\n",
    "start_from: /etc/hostname\n", "include: [/proc/self/environ]\n",
]  # fmt: skip
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated_library_files(draw: st.DrawFn) -> str:
    """A library scenario with a few lines deleted, doubled, swapped, cut or spliced."""
    lines = draw(st.sampled_from(LIBRARY)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "double", "swap", "cut", "splice", "insert"]))
        if action == "delete":
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "cut":
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
        else:
            at = draw(st.integers(0, len(lines[index])))
            text = draw(st.sampled_from(SNIPPETS) if action == "splice" else st.text(max_size=8))
            lines[index] = lines[index][:at] + text + lines[index][at:]
    return "".join(lines)


@st.composite
def alias_bombs(draw: st.DrawFn) -> str:
    levels, width = draw(st.integers(2, 12)), draw(st.integers(2, 12))
    lines = ["name: bomb", 'a0: &a0 ["lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    where = draw(st.sampled_from(["steps", "rules", "ruleset", "shops"]))
    return "\n".join([*lines, f"{where}: *a{levels - 1}"]) + "\n"


@st.composite
def deep_nesting(draw: st.DrawFn) -> str:
    depth = draw(st.integers(20, 3000))
    open_, close = draw(st.sampled_from([("[", "]"), ("{a: ", "}"), ("- ", "")]))
    where = draw(st.sampled_from(["steps", "rules", "ruleset", "creators", "examples"]))
    if open_ == "- ":
        body = "".join("  " * i + "- \n" for i in range(min(depth, 400)))
        return f"name: deep\n{where}:\n{body}"
    return f"name: deep\n{where}: {open_ * depth}1{close * depth}\n"


def run_file(folder: Path, text: str) -> tuple[int, int]:
    """`bindsim run` on a file of `text`: its exit code and the peak memory it took (after a
    first run that imports what `run` needs, so that imports are not counted)."""
    path = folder / "fuzz.scenario.yaml"
    path.write_text(LIBRARY[0], encoding="utf-8")
    main(["run", str(path)])
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    tracemalloc.start()
    try:
        code = main(["run", str(path)])  # any exception but exit codes fails the test
        return code, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@FUZZ
@given(text=mutated_library_files())
def test_a_mutated_library_file_runs_or_is_refused_never_crashes(tmp_path: Path, text: str) -> None:
    code, peak = run_file(tmp_path, text)
    assert code in (0, 1, 2)
    assert peak < 64 * 1024 * 1024


@FUZZ
@given(text=st.one_of(alias_bombs(), deep_nesting()))
def test_alias_bombs_and_deep_nesting_are_refused_in_bounded_memory(
    tmp_path: Path, text: str
) -> None:
    code, peak = run_file(tmp_path, text)
    assert code == 2
    assert peak < 16 * 1024 * 1024, f"{peak / 1e6:.1f} MB for {len(text)} bytes"


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_scenario_file_are_refused_or_run(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bytes.scenario.yaml"
    path.write_bytes(data)
    assert main(["check", str(path)]) in (0, 2)


@FUZZ
@given(text=mutated_library_files())
def test_a_mutated_upload_is_read_from_memory_only(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Issue 23 items 1 and 2: whatever an upload holds, the server opens no file for it."""
    from bindsim.errors import BadUpload
    from bindsim.simulator.scenario import compose, validate
    from bindsim.simulator.serve.catalog import read_upload

    def no_file(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError(f"an upload made the server open {args!r}")

    monkeypatch.setattr(validate, "read_text", no_file)
    monkeypatch.setattr(compose, "read_text", no_file)  # an include:
    monkeypatch.setattr(validate, "start_world", lambda root, path: no_file(root, path))
    data = text.encode("utf-8", "surrogatepass")
    try:
        read_upload("fuzz.scenario.yaml", data)
    except BadUpload as bad:
        assert "Traceback" not in str(bad)


WORDS = [
    "invite", "accept", "decline", "withdraw", "advance", "advance_to", "tap", "click", "set",
    "request_unlink", "approve_unlink", "decline_unlink", "open_ticket", "expect", "undo",
    "show", "log", "help", "shop", "creator", "gb", "alice", "bob", "Showcase,", "Enter",
    "Your Shop", "48h", "1s", "-1h", "2024-11-11T12:00:00Z", "state=bound", "binding",
    "network=US", "age=17", "region=GB", "country=GB", "{", "}", "[", ":", "&a", "*a", "!!int",
    "invite:", "- ", "{advance: 1h}", "official", "channel", "account=alice", "status=abnormal",
]  # fmt: skip
LINES = st.one_of(
    st.binary(max_size=40).filter(lambda b: b"\n" not in b and b"\r" not in b),
    st.lists(st.sampled_from(WORDS), max_size=6).map(lambda w: " ".join(w).encode()),
)


@FUZZ
@given(lines=st.lists(LINES, max_size=12))
def test_walk_survives_random_byte_lines(lines: list[bytes]) -> None:
    cast = b"shop gb region=GB kind=invited\ncreator alice country=GB age=24\n"
    data = cast + b"\n".join(lines) + b"\nshow\n"
    out = io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
    shell = WalkShell(stdin=stdin, stdout=out)
    shell.cmdloop()  # any exception fails the test
    printed = out.getvalue()
    assert printed.count("bindsim> ") >= len(lines) + 3
    assert "── " in printed.rsplit("bindsim> show", 1)[-1]  # the session was alive at the end
