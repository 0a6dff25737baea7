"""What bindsim writes and prints, tried with hostile names and ids (issue 23, items 9-18): every
saved file reads back, every picture draws, no file is replaced that is not a regular file, a
second suite leaves nothing stale, user code cannot turn a run green or crash it, a name prints
as written, and a World setter validates as its constructor does.

`ids()` draws ids from the whole valid alphabet (YAML-significant tokens, backslashes, quotes,
markup, any script) and pushes them through each writer and renderer.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import stat
import sys
import threading
import urllib.parse
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bindsim import World
from bindsim.errors import CannotRead, InvalidArgument
from bindsim.simulator.cli import main
from bindsim.simulator.clock import ManualClock
from bindsim.simulator.files import read_capped, write_atomic
from bindsim.simulator.ids import ID_MAX_LENGTH, id_problem
from bindsim.simulator.scenario import load_file, load_text, model
from bindsim.simulator.walk.prompt import WalkShell

# Text that YAML (1.1 or 1.2) reads as something else, or that cannot start a plain scalar: the
# 29 ids of issue 23 that broke a saved file, and their neighbours.
YAML_TOKENS = [
    "1001", "42", "-1", "+1", "0", "007", "1_000", "true", "True", "FALSE", "null", "NULL", "~",
    "1e3", "1E-3", "-.5", ".5", "0x10", "0o17", "0b1", ".inf", "-.Inf", ".NaN", "yes", "No",
    "on", "OFF", "y", "{x}", "[a", "]a", "a]", "'q", '"q', "q'", "*a", "&a", "!a", "!!str", "%a",
    "@a", "`a", "#a", "a#b", ",a", "a,b", "a:b", "a:", ":a", "-", "--", "---", "...", "?a", "?",
    "|a", ">a", "=", "<<", "a\\", "\\", "\\N", "\\l", 'a\\"', "<b>", "&amp;", ":ok:",
    "[bold]x[/]", "2024-11-11", "12:30", "1:20", "null~", "%YAML", "解绑", "ا", "🙂",
]  # fmt: skip

ID_CHARACTERS = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"),
    blacklist_characters="→×",
)


def ids() -> st.SearchStrategy[str]:
    """Valid ids: the tokens above, random text of the whole valid alphabet, and both mixed."""
    token = st.sampled_from(YAML_TOKENS)
    text = st.text(ID_CHARACTERS, min_size=1, max_size=ID_MAX_LENGTH)
    mixed = st.lists(st.one_of(token, text), min_size=1, max_size=3).map("".join)
    return st.one_of(token, text, mixed).filter(lambda value: id_problem(value) is None)


def two_ids() -> st.SearchStrategy[tuple[str, str]]:
    return st.tuples(ids(), ids()).filter(lambda pair: pair[0] != pair[1])


@pytest.fixture(autouse=True)
def picture_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pictures are drawn into a cache of the tests' own, never the user's."""
    monkeypatch.setenv("BINDSIM_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "pictures"))


FAST = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SLOW = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def quoted(text: str) -> str:
    """Text as a JSON string, which YAML 1.2 reads as it is (not the writer under test)."""
    return json.dumps(text, ensure_ascii=False)


def scenario_text(shop: str, creator: str, name: str = "hostile ids") -> str:
    """A scenario in which `shop` invites `creator`, who accepts and later asks to leave: ids
    written as JSON strings (which YAML 1.2 reads as they are), so the writer is the one tried."""
    s, c = quoted(shop), quoted(creator)
    return (
        f"name: {quoted(name)}\n"
        f"shops: {{{s}: {{region: GB, kind: invited}}}}\n"
        f"creators: {{{c}: {{country: GB, age: 24}}}}\n"
        "steps:\n"
        f"  - invite: {{shop: {s}, creator: {c}, role: channel}}\n"
        f"  - accept: {{creator: {c}, shop: {s}}}\n"
        f"  - expect: {{binding: {{shop: {s}, creator: {c}}}, state: bound}}\n"
        "  - advance: 24h\n"
        f"  - request_unlink: {{creator: {c}}}\n"
        f"  - expect: {{creator: {c}, bound_shop: {s}}}\n"
    )


def ids_of(scenario: model.Scenario) -> tuple[list[str], list[str]]:
    return [s.id for s in scenario.shops], [c.id for c in scenario.creators]


# ------------------------------------------------------------------ item 9: saved files


@pytest.mark.parametrize("token", YAML_TOKENS)
def test_every_yaml_significant_id_reads_back_from_a_saved_scenario(token: str) -> None:
    """Issue 23 item 9: 29 of 57 valid ids broke a saved file; the emitter quotes as needed."""
    if id_problem(token) is not None:
        pytest.skip("not a valid id")
    original = load_text(scenario_text(token, "c" if token != "c" else "d"))
    saved = original.to_yaml()
    again = load_text(saved)
    assert ids_of(again) == ids_of(original)
    assert again.steps == original.steps
    assert again.to_yaml() == saved  # written once, written the same


@FAST
@given(pair=two_ids())
def test_any_valid_ids_read_back_from_a_saved_scenario(pair: tuple[str, str]) -> None:
    shop, creator = pair
    original = load_text(scenario_text(shop, creator, name=f"{shop} & {creator}"))
    again = load_text(original.to_yaml())
    assert ids_of(again) == ([shop], [creator])
    assert again.name == original.name and again.steps == original.steps


def walk(lines: list[str]) -> tuple[WalkShell, str]:
    out = io.StringIO()
    shell = WalkShell(stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    shell.cmdloop()
    return shell, out.getvalue()


@FAST
@given(pair=two_ids())
def test_walk_save_of_any_valid_ids_replays_under_run(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[str, str]
) -> None:
    """walk said "✓ saved", then `bindsim run` exited 2: now the file replays."""
    shop, creator = pair
    target = tmp_path_factory.mktemp("walk") / "s.scenario.yaml"
    invite = model.flow({"shop": shop, "creator": creator})
    accept = model.flow({"creator": creator, "shop": shop})
    _, out = walk(
        [
            f"shop {shop} region=GB",
            f"creator {creator} country=GB age=24",
            f"invite: {invite}",
            f"accept: {accept}",
            f"save {target}",
        ]
    )
    assert f"✓ saved 2 steps to {target}" in out, out
    saved = load_file(target)
    assert ids_of(saved) == ([shop], [creator])
    assert main(["run", str(target)]) == 0


@SLOW
@given(pair=two_ids())
def test_explore_suite_of_any_valid_ids_is_written_and_replays(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[str, str]
) -> None:
    """`explore --suite` ended in a traceback on such ids."""
    shop, creator = pair
    folder = tmp_path_factory.mktemp("explore")
    cast = folder / "cast.scenario.yaml"
    cast.write_text(
        f"name: cast\nshops: {{{quoted(shop)}: {{region: GB}}}}\n"
        f"creators: {{{quoted(creator)}: {{country: GB, age: 24}}}}\n",
        encoding="utf-8",
    )
    suite = folder / "suite"
    code = main(["explore", str(cast), "--depth", "2", "--vary", "none", "--suite", str(suite)])
    assert code == 0
    files = sorted(suite.glob("*.scenario.yaml"))
    assert files
    for path in files:
        assert ids_of(load_file(path)) == ([shop], [creator])
    assert main(["run", str(suite)]) == 0


# ------------------------------------------------------------ item 15: pictures


@SLOW
@given(pair=two_ids())
def test_any_valid_ids_draw_as_dot_svg_and_animated_svg(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[str, str]
) -> None:
    """Issue 23 item 15: a creator id ending in a backslash wrote invalid DOT."""
    folder = tmp_path_factory.mktemp("pictures")
    path = folder / "ids.scenario.yaml"
    path.write_text(scenario_text(*pair), encoding="utf-8")
    out = folder / "out"
    args = ["diagram", "binding", "--trace", str(path), "--timeline", str(path), "-o", str(out)]
    assert main([*args, "-f", "svg", "-f", "dot", "-f", "mermaid", "-l", "en"]) == 0
    svgs = sorted(out.glob("ids.*.svg"))
    assert any(".animated." in p.name for p in svgs) and any("timeline" in p.name for p in svgs)
    shown = html.escape(pair[1], quote=False)
    assert any(shown in p.read_text(encoding="utf-8") for p in svgs)
    assert (out / "ids.timeline.en.mmd").read_text(encoding="utf-8").startswith("gantt")
    # the reports of `bindsim run`: an HTML page (with the timeline) and JUnit XML
    page, junit = folder / "report.html", folder / "junit.xml"
    assert main(["run", str(path), "--html", str(page), "--junit", str(junit)]) == 0
    assert "1 passed, 0 failed" in page.read_text(encoding="utf-8")
    ElementTree.parse(junit)  # well-formed, whatever the ids


def test_the_fixed_tokens_draw_as_png_and_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "ids.scenario.yaml"
    path.write_text(scenario_text("a\\", '\\"x\\N\\l'), encoding="utf-8")
    out = tmp_path / "out"
    args = ["diagram", "binding", "--timeline", str(path), "-o", str(out), "--dpi", "48"]
    assert main([*args, "-f", "png", "-l", "zh"]) == 0
    assert (out / "ids.timeline.zh.png").read_bytes().startswith(b"\x89PNG")


def test_a_trace_shows_a_backslash_id_as_written_not_as_a_graphviz_escape(tmp_path: Path) -> None:
    """`\\N` in an id is Graphviz's escape for the node's name: it must show as written."""
    path = tmp_path / "ids.scenario.yaml"
    path.write_text(scenario_text("g\\", "al\\N"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["diagram", "binding", "--timeline", str(path), "-l", "en", "-o", str(out)]) == 0
    svg = (out / "ids.timeline.en.svg").read_text(encoding="utf-8")
    assert "al\\N" in svg and "g\\" in svg


@SLOW
@given(pair=two_ids())
def test_any_valid_ids_make_a_storyboard(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[str, str]
) -> None:
    folder = tmp_path_factory.mktemp("board")
    path = folder / "ids.scenario.yaml"
    path.write_text(scenario_text(*pair), encoding="utf-8")
    assert main(["storyboard", str(path), "-l", "en", "-o", str(folder / "out")]) == 0
    page = (folder / "out" / "ids.en.html").read_text(encoding="utf-8")
    assert html.escape(pair[1]) in page


# ------------------------------------------------------------ item 16: the gallery


def links_of(page: str) -> list[str]:
    found = re.findall(r'(?:href|src)="([^"#][^"]*)"', page)
    return [urllib.parse.unquote(html.unescape(link)) for link in found]


def test_a_gallery_of_odd_and_long_file_names_has_no_dead_link(tmp_path: Path) -> None:
    """Issue 23 item 16: `#`, `?`, `%` in a story's file name broke 66 of 116 links, and a legal
    239-byte name made demo fail; names are made safe and short, links URL-encoded."""
    stories = tmp_path / "library" / "stories"
    stories.mkdir(parents=True)
    odd = "issue#13?x%y&z"
    (stories / f"{odd}.scenario.yaml").write_text(scenario_text("gb", "a\\"), encoding="utf-8")
    long_name = "a" * (255 - len(".scenario.yaml"))
    (stories / f"{long_name}.scenario.yaml").write_text(
        scenario_text("1001", ":ok:"), encoding="utf-8"
    )
    out = tmp_path / "gallery"
    library = str(tmp_path / "library")
    assert main(["demo", "--scenarios", library, "--out", str(out), "--dpi", "48"]) == 0
    links = links_of((out / "index.html").read_text(encoding="utf-8"))
    assert len(links) > 50
    assert [link for link in links if not (out / link).is_file()] == []
    for path in out.rglob("*"):
        assert len(path.name.encode()) <= 255
        assert not set(path.name) & set("#?%&")


def test_an_output_name_is_safe_short_and_distinct() -> None:
    from bindsim.diagrams import output_stem, scenario_stem

    assert output_stem("official_account_lifecycle") == "official_account_lifecycle"
    assert output_stem("解绑") == "解绑"  # letters of any script are kept
    odd = [output_stem(name) for name in ("a#b", "a?b", "a%b", "a-b", "a\nb", "..")]
    assert len(set(odd)) == len(odd) and odd[3] == "a-b"
    for name in odd:
        assert re.fullmatch(r"[\w.-]+", name) and not name.startswith(".")
    long = output_stem("长" * 200)
    assert len(long.encode()) <= 80 and long != output_stem("长" * 201)
    assert scenario_stem("x/issue#13.scenario.yaml") == output_stem("issue#13")


# ----------------------------------------------------------- item 10: special files


def test_writing_to_dev_null_writes_through_and_keeps_the_device(tmp_path: Path) -> None:
    """Issue 23 item 10: atomic replace is for regular files; /dev/null is written directly,
    stays a device, and nothing is created beside it."""
    write_atomic("/dev/null", "ignored")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    scenario = tmp_path / "a.scenario.yaml"
    scenario.write_text(scenario_text("gb", "alice"), encoding="utf-8")
    for option in ("--junit", "--html"):
        assert main(["run", str(scenario), option, "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_writing_to_a_fifo_writes_into_it_and_keeps_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary beside it


def test_writing_through_a_link_replaces_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.xml"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.xml"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"


def test_a_folder_is_no_file_to_write(tmp_path: Path) -> None:
    from bindsim.errors import CannotWrite

    with pytest.raises(CannotWrite, match="it is a folder"):
        write_atomic(tmp_path, "x")


# ------------------------------------------------------------ item 2: capped reads


def test_a_read_takes_regular_files_only_and_never_waits_on_a_fifo(tmp_path: Path) -> None:
    """Issue 23 item 2: /dev/zero grew the server by gigabytes; a FIFO would hang it."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for special in ("/dev/zero", fifo, tmp_path):
        with pytest.raises(CannotRead, match="not a regular file|is a folder"):
            read_capped(special)
    big = tmp_path / "big"
    with open(big, "wb") as handle:
        handle.truncate(2000)  # sparse: its size says it all
    with pytest.raises(CannotRead, match="larger than 1 KiB") as raised:
        read_capped(big, 1024)
    assert raised.value.too_large
    assert read_capped(big, 2000) == b"\0" * 2000


@pytest.mark.parametrize("field", ["include", "start_from"])
@pytest.mark.parametrize("command", ["check", "run"])
def test_a_scenario_that_names_an_endless_file_is_invalid_input_not_a_memory_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, command: str
) -> None:
    path = tmp_path / "z.scenario.yaml"
    path.write_text(f"name: x\n{field}: /dev/zero\nsteps:\n  - advance: 1s\n", encoding="utf-8")
    assert main([command, str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2:" in err and "not a regular file" in err
    assert "Traceback" not in err and "MemoryError" not in err


def test_a_snapshot_larger_than_the_cap_is_refused_unread(tmp_path: Path) -> None:
    from bindsim.errors import InvalidSnapshot
    from bindsim.simulator.files import MAX_READ

    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(MAX_READ + 1)
    with pytest.raises(InvalidSnapshot, match="larger than 16 MiB"):
        World.load(big)


# --------------------------------------------------------------- item 11: the suite


def test_a_second_suite_into_the_same_folder_leaves_nothing_stale(tmp_path: Path) -> None:
    """Issue 23 item 11: the second run replaces the files the first wrote (its manifest);
    a file of the user's own is left alone, and a manifest cannot delete anything else."""
    cast = tmp_path / "cast.scenario.yaml"
    cast.write_text(
        "name: cast\nshops: {gb: {region: GB}}\ncreators: {alice: {country: GB, age: 24}}\n",
        encoding="utf-8",
    )
    suite = tmp_path / "suite"
    assert (
        main(["explore", str(cast), "--depth", "3", "--vary", "none", "--suite", str(suite)]) == 0
    )
    first = {p.name for p in suite.glob("*.scenario.yaml")}
    own = suite / "mine.scenario.yaml"
    own.write_text("name: mine\nsteps:\n  - advance: 1s\n", encoding="utf-8")
    outside = tmp_path / "outside.scenario.yaml"
    outside.write_text("kept", encoding="utf-8")
    manifest = suite / ".bindsim-suite"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "../outside.scenario.yaml\n", encoding="utf-8"
    )
    assert (
        main(["explore", str(cast), "--depth", "1", "--vary", "none", "--suite", str(suite)]) == 0
    )
    second = {p.name for p in suite.glob("*.scenario.yaml")} - {own.name}
    assert second and len(second) < len(first)
    assert set(manifest.read_text(encoding="utf-8").split()) == second
    assert own.is_file() and outside.read_text(encoding="utf-8") == "kept"


# ------------------------------------------------------ items 12-14: user code, Ctrl-C


@pytest.fixture
def property_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "broken_syntax.py").write_text("def f(world):\n    return (\n", encoding="utf-8")
    (tmp_path / "broken_import.py").write_text("import no_such_module_at_all\n", encoding="utf-8")
    (tmp_path / "exits_on_import.py").write_text("import sys\nsys.exit(0)\n", encoding="utf-8")
    (tmp_path / "exits_in_check.py").write_text(
        "import sys\n\ndef green(world):\n    sys.exit(0)\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("broken_syntax", "broken_import", "exits_on_import", "exits_in_check"):
        sys.modules.pop(name, None)
    scenario = tmp_path / "a.scenario.yaml"
    scenario.write_text(scenario_text("gb", "alice"), encoding="utf-8")
    return scenario


@pytest.mark.parametrize("command", ["run", "explore"])
@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("broken_syntax:f", "raised SyntaxError"),
        ("broken_import:f", "No module named 'no_such_module_at_all'"),
        ("exits_on_import:f", "called sys.exit(0)"),
        ("./props.py:f", "give a module's name, not a file's path"),
    ],
)
def test_a_property_that_cannot_load_is_invalid_input_exit_2(
    property_modules: Path, capsys: pytest.CaptureFixture[str], command: str, spec: str, why: str
) -> None:
    """Issue 23 item 12: a SyntaxError in a property module was a traceback and exit 1."""
    args = [command, str(property_modules), "--property", spec]
    if command == "explore":
        args += ["--depth", "1", "--out", str(property_modules.parent / "found")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"cannot load the property '{spec}'" in err and why in err
    assert "Traceback" not in err


def test_a_property_that_calls_sys_exit_fails_the_run_instead_of_passing_it(
    property_modules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23 item 13: sys.exit(0) in a property turned a failing run green."""
    report = property_modules.parent / "report.xml"
    code = main(
        ["run", str(property_modules), "--property", "exits_in_check:green", "--junit", str(report)]
    )
    assert code == 1
    assert "called sys.exit(0)" in capsys.readouterr().out
    assert "sys.exit(0)" in report.read_text(encoding="utf-8")


def test_explore_stopped_by_ctrl_c_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23 item 14: Ctrl-C is no violation found (1): it is 130, quietly."""
    from bindsim.simulator.explore.search import Explorer

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Explorer, "run", interrupted)
    cast = tmp_path / "cast.scenario.yaml"
    cast.write_text(scenario_text("gb", "alice"), encoding="utf-8")
    assert main(["explore", str(cast), "--out", str(tmp_path / "found")]) == 130
    assert "Aborted" not in capsys.readouterr().err


# ------------------------------------------------------------ item 17: the terminal


def test_a_name_prints_as_written_with_control_characters_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23 item 17: a name holding ESC[2J cleared the terminal; `:ok:` became an emoji."""
    name = "evil \x1b[2J :ok: [bold]b[/bold] \u202e end"
    path = tmp_path / "e\x1b[31m:ok:.scenario.yaml"
    path.write_text(scenario_text(":ok:", "alice", name=name), encoding="utf-8")
    assert main(["run", str(path)]) == 0
    assert main(["check", str(path)]) == 0
    broken = tmp_path / "b\x1b[2J.scenario.yaml"
    broken.write_text("name: [\n", encoding="utf-8")
    assert main(["check", str(broken)]) == 2
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\u202e" not in out
    assert "evil \\x1b[2J :ok: [bold]b[/bold] \\u202e end" in out
    assert "e\\x1b[31m:ok:.scenario.yaml" in out and "b\\x1b[2J.scenario.yaml" in err
    assert "🆗" not in out


def test_walk_shows_a_name_with_control_characters_escaped() -> None:
    scenario = load_text('name: "a\\e[2Jb"\nshops: {gb: {region: GB}}\n', require_steps=False)
    out = io.StringIO()
    shell = WalkShell(scenario, stdin=io.StringIO("say\nsave\n"), stdout=out)
    shell.cmdloop()
    assert "\x1b" not in out.getvalue()


# ---------------------------------------------------------------- item 18: setters


@pytest.mark.parametrize(
    "changes",
    [{"age": None}, {"birthdate": None}, {"age": None, "birthdate": None}, {"age": -1}],
)
def test_set_creator_refuses_what_add_creator_refuses_and_changes_nothing(
    changes: dict[str, object],
) -> None:
    """Issue 23 item 18: set_creator(c, age=None) left an account no rule could judge (A-AGE)."""
    world = World(clock=ManualClock("2024-11-11T12:00:00Z"))
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    before = world.to_dict()
    with pytest.raises(InvalidArgument):
        world.set_creator("alice", **changes)
    assert world.to_dict() == before
    world.invite("gb", "alice")  # the World still works, and saves and loads
    assert World.from_dict(world.to_dict()).invitation("gb", "alice").state == "pending"
    with pytest.raises(InvalidArgument):
        world.add_creator("bob", country="GB", **changes)  # type: ignore[arg-type]


def test_set_creator_may_swap_an_age_for_a_birthdate() -> None:
    world = World(clock=ManualClock("2024-11-11T12:00:00Z"))
    world.add_creator("alice", country="GB", age=24)
    world.set_creator("alice", age=None, birthdate="2000-01-01")
    assert world.creator("alice").birthdate == date(2000, 1, 1)
