"""Authoring at scale: examples tables, include, start_from, tags and -k, check, empty steps,
and expect_error: NOT_APPLICABLE (issue 12, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bindsim.errors import InvalidScenario
from bindsim.simulator import snapshot
from bindsim.simulator.cli import main
from bindsim.simulator.scenario import load_text, run
from bindsim.simulator.scenario.validate import load_cases, load_cases_text
from bindsim.simulator.world import World

pytest_plugins = ["pytester"]

OUTLINE = """\
name: The invitation at the 48h boundary
rules: [R-INVITE-48H, A-WINDOW-BOUNDS]
tags: [boundary, smoke]
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
examples:
  - {wait: 47h59m59s, state: pending}
  - {wait: 48h, state: expired}
  - {wait: 48h1s, state: expired}
steps:
  - invite: {shop: gb, creator: alice}
  - advance: <wait>
  - expect: {invitation: {shop: gb, creator: alice}, state: <state>}
"""


def problems(text: str, path: str = "x.scenario.yaml") -> list[str]:
    with pytest.raises(InvalidScenario) as caught:
        load_cases_text(text, path)
    return str(caught.value).splitlines()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ examples


def test_each_example_row_is_its_own_case_with_its_values_substituted() -> None:
    cases = load_cases_text(OUTLINE, "x.scenario.yaml")
    assert [c.case_name for c in cases] == [
        "The invitation at the 48h boundary [wait=47h59m59s, state=pending]",
        "The invitation at the 48h boundary [wait=48h, state=expired]",
        "The invitation at the 48h boundary [wait=48h1s, state=expired]",
    ]
    assert [c.example for c in cases] == [1, 2, 3]
    assert [c.steps[1].args.total_seconds() for c in cases] == [172799, 172800, 172801]
    assert all(run(case).passed for case in cases)  # R-INVITE-48H, A-WINDOW-BOUNDS


def test_a_placeholder_in_the_name_names_the_case_by_itself() -> None:
    cases = load_cases_text(OUTLINE.replace("at the 48h boundary", "after <wait>"))
    assert [c.case_name for c in cases[:2]] == [
        "The invitation after 47h59m59s",
        "The invitation after 48h",
    ]


def test_a_bad_value_in_a_row_is_reported_at_the_row() -> None:
    text = OUTLINE.replace("{wait: 48h, state: expired}", "{wait: 2w, state: expird}")
    assert problems(text) == [
        "x.scenario.yaml:8:12: '2w' is not a duration; write it like 90s, 15m, 47h59m, 2d or 180d",
        "x.scenario.yaml:8:23: unknown invitation state 'expird'; did you mean 'expired'?",
    ]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (("state: <state>}", "state: <sate>}"), "13:61", "<sate> is not a column of examples"),
        (("  - {wait: 48h1s, state: expired}\n", "  - {wait: 48h1s}\n"), "9:5", "missing state"),
        (("{wait: 48h, state: expired}", "{wait: 48h, state: expired, x: 1}"), "8:33", "unknown x"),
        (("advance: <wait>", "advance: 1h"), "7:6", "column 'wait' is used by no <wait>"),
        (
            ("  - {wait: 47h59m59s, state: pending}", "  - [47h59m59s, pending]"),
            "7:5",
            "an example row is a mapping",
        ),
    ],
)
def test_a_broken_examples_table_is_reported_where_it_is_broken(
    change: tuple[str, str], where: str, message: str
) -> None:
    (problem,) = problems(OUTLINE.replace(*change))
    assert problem.startswith(f"x.scenario.yaml:{where}: "), problem
    assert message in problem


def test_each_row_is_reported_as_its_own_case_by_run_junit_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, "outline.scenario.yaml", OUTLINE.replace("state: expired}", "state: pending}", 1)
    )
    junit = tmp_path / "report.xml"
    assert main(["run", "--json=summary", "--junit", str(junit), str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(s["name"].split(" [")[1], s["passed"]) for s in data["scenarios"]] == [
        ("wait=47h59m59s, state=pending]", True),
        ("wait=48h, state=pending]", False),
        ("wait=48h1s, state=expired]", True),
    ]
    assert data["scenarios"][1]["example"] == {"wait": "48h", "state": "pending"}
    assert junit.read_text(encoding="utf-8").count("<testcase ") == 3


def test_pytest_collects_one_item_per_example_row(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", boundary=OUTLINE)
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "boundary.scenario.yaml::the-invitation-at-the-48h-boundary[47h59m59s-pending]",
            "boundary.scenario.yaml::the-invitation-at-the-48h-boundary[48h-expired]",
            "boundary.scenario.yaml::the-invitation-at-the-48h-boundary[48h1s-expired]",
        ]
    )
    pytester.runpytest("-k", "smoke and 48h1s").assert_outcomes(passed=1, deselected=2)


# ------------------------------------------------------------------ include


CAST = """\
name: the GB cast
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
ruleset: {invite_ttl: 72h}
"""


def test_include_brings_a_shared_cast_and_ruleset(tmp_path: Path) -> None:
    write(tmp_path, "casts/gb.yaml", CAST)
    path = write(
        tmp_path,
        "a.scenario.yaml",
        "name: with a cast\ninclude: casts/gb.yaml\ncreators: {bob: {country: GB, age: 30}}\n"
        "steps:\n  - invite: {shop: gb, creator: alice}\n  - advance: 48h\n"
        "  - expect: {invitation: {shop: gb, creator: alice}, state: pending}\n"
        "  - invite: {shop: gb, creator: bob}\n    expect_error: OFFICIAL_SLOT_TAKEN\n",
    )
    (scenario,) = load_cases(path)
    assert [s.id for s in scenario.shops] == ["gb"]
    assert [c.id for c in scenario.creators] == ["alice", "bob"]
    assert dict(scenario.ruleset) == {"invite_ttl": "72h"}
    assert run(scenario).passed


def test_the_scenario_s_own_ruleset_wins_over_an_included_one(tmp_path: Path) -> None:
    write(tmp_path, "gb.yaml", CAST)
    path = write(
        tmp_path,
        "a.scenario.yaml",
        "name: x\ninclude: [gb.yaml]\nruleset: {invite_ttl: 1h}\nsteps: [{advance: 1s}]\n",
    )
    assert dict(load_cases(path)[0].ruleset) == {"invite_ttl": "1h"}


@pytest.mark.parametrize(
    ("cast", "scenario", "expected"),
    [
        (
            CAST,
            "creators: {alice: {country: GB, age: 30}}\n",
            "a.scenario.yaml:3:12: 'alice' is declared twice (first at ",
        ),
        (
            CAST.replace("age: 24", "age: old"),
            "",
            "gb.yaml:3:38: expected a whole number ≥ 0, got 'old'",
        ),
        (
            CAST + "steps: []\n",
            "",
            "gb.yaml:5:1: a cast file holds name, description, include, ruleset, shops, "
            "creators; not 'steps'",
        ),
        ("include: gb.yaml\n", "", "gb.yaml:1:10: gb.yaml includes itself"),
        (
            None,
            "",
            "a.scenario.yaml:2:10: cannot read the included file: No such file or directory",
        ),
    ],
)
def test_a_bad_include_is_reported_in_the_file_where_it_is_wrong(
    tmp_path: Path, cast: str | None, scenario: str, expected: str
) -> None:
    if cast is not None:
        write(tmp_path, "gb.yaml", cast)
    path = write(
        tmp_path,
        "a.scenario.yaml",
        f"name: x\ninclude: gb.yaml\n{scenario}steps: [{{advance: 1s}}]\n",
    )
    with pytest.raises(InvalidScenario) as caught:
        load_cases(path)
    assert f"{tmp_path}/{expected}" in str(caught.value), str(caught.value)


# ------------------------------------------------------------------ start_from


def test_start_from_a_snapshot_continues_that_world(tmp_path: Path) -> None:
    world = (
        World.from_dict(
            load_text(
                CAST.replace("ruleset: {invite_ttl: 72h}\n", "")
                + "steps: [{invite: {shop: gb, creator: alice}}]\n"
            ).steps
            and {}
        )
        if False
        else None
    )  # noqa: E501
    from bindsim import ManualClock

    world = World(clock=ManualClock())
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    snapshot.save(world, tmp_path / "pending.json")
    path = write(
        tmp_path,
        "from.scenario.yaml",
        "name: from a snapshot\nstart_from: pending.json\ncreators: {bob: {country: GB, age: 30}}\n"
        "steps:\n  - advance: 48h\n"
        "  - expect: {invitation: {shop: gb, creator: alice}, state: expired}\n"
        "  - invite: {shop: gb, creator: bob}\n  - expect: {time: 2024-11-13T12:00:00Z}\n",
    )
    (scenario,) = load_cases(path)
    assert scenario.start.isoformat() == "2024-11-11T12:00:00+00:00"
    result = run(scenario)
    assert result.passed, result.failure and result.failure.message


@pytest.mark.parametrize(
    ("snapshot_text", "extra", "message"),
    [
        (None, "", "cannot start from this snapshot: cannot read the snapshot"),
        ('{"format": 1}', "", "not a bindsim world snapshot"),
        ("[" * 100000, "", "cannot start from this snapshot"),
        ("{}", "start: 2024-11-11T12:00:00Z\n", "not a bindsim world snapshot"),
    ],
)
def test_a_bad_start_from_is_invalid_input_at_its_line(
    tmp_path: Path, snapshot_text: str | None, extra: str, message: str
) -> None:
    if snapshot_text is not None:
        (tmp_path / "s.json").write_text(snapshot_text, encoding="utf-8")
    path = write(
        tmp_path,
        "a.scenario.yaml",
        f"name: x\nstart_from: s.json\n{extra}steps: [{{advance: 1s}}]\n",
    )
    with pytest.raises(InvalidScenario) as caught:
        load_cases(path)
    assert f"{path}:2:13: " in str(caught.value) and message in str(caught.value)


def test_start_from_refuses_its_own_start_and_ruleset(tmp_path: Path) -> None:
    from bindsim import ManualClock

    world = World(clock=ManualClock())
    snapshot.save(world, tmp_path / "s.json")
    path = write(
        tmp_path,
        "a.scenario.yaml",
        "name: x\nstart_from: s.json\nstart: 2024-11-11T12:00:00Z\nruleset: {min_age: 21}\n"
        "steps: [{advance: 1s}]\n",
    )
    with pytest.raises(InvalidScenario) as caught:
        load_cases(path)
    assert [line.split(": ", 1)[1][:30] for line in str(caught.value).splitlines()] == [
        "'start' cannot go with start_f",
        "'ruleset' cannot go with start",
    ]


# ------------------------------------------------------------------ tags, -k, check, steps


def test_run_selects_by_tag_and_by_keyword(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a.scenario.yaml", OUTLINE)
    write(tmp_path, "b.scenario.yaml", "name: other\ntags: [slow]\nsteps: [{advance: 1s}]\n")
    assert main(["run", "--json=summary", "--tag", "slow", str(tmp_path)]) == 0
    assert [s["name"] for s in json.loads(capsys.readouterr().out)["scenarios"]] == ["other"]
    assert main(["run", "--json=summary", "-k", "wait=48h,", "-k", "R-INVITE", str(tmp_path)]) == 0
    (only,) = json.loads(capsys.readouterr().out)["scenarios"]
    assert only["example"] == {"wait": "48h", "state": "expired"}
    assert main(["run", "--json=summary", "-k", "not boundary", str(tmp_path)]) == 0
    assert [s["name"] for s in json.loads(capsys.readouterr().out)["scenarios"]] == ["other"]
    assert main(["run", "--tag", "nothing", str(tmp_path)]) == 2
    assert "no scenario matches --tag/-k (4 found)" in capsys.readouterr().err


def test_a_tag_is_one_word() -> None:
    assert problems("name: x\ntags: [smoke, two words]\nsteps: [{advance: 1s}]\n") == [
        "x.scenario.yaml:2:15: a tag is one word: one word of printable characters (no spaces, "
        "control characters or → ×), got 'two words'"
    ]


def test_check_validates_without_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a.scenario.yaml", OUTLINE.replace("state: pending}", "state: expired}"))
    assert main(["check", str(tmp_path)]) == 0  # the wrong expectation is not run
    assert "✓ 1 files valid (3 scenarios)" in capsys.readouterr().out
    bad = write(tmp_path, "b.scenario.yaml", "name: b\nsteps: [{advance: 2w}]\n")
    assert main(["check", "--json", str(tmp_path)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == [
        {
            "file": str(bad),
            "line": 2,
            "col": 19,
            "message": "'2w' is not a duration; write it like 90s, 15m, 47h59m, 2d or 180d",
        }
    ]


@pytest.mark.parametrize("steps", ["steps: []\n", ""])
def test_run_refuses_a_scenario_without_steps_but_a_cast_file_may_leave_them_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], steps: str
) -> None:
    path = write(tmp_path, "cast.scenario.yaml", CAST + steps)
    assert main(["run", str(path)]) == 2
    assert "steps" in capsys.readouterr().err
    assert main(["check", "--cast", str(path)]) == 0
    assert load_cases(path, require_steps=False)[0].steps == ()


def test_not_applicable_stands_alone_and_only_on_actions() -> None:
    head = "name: x\nshops: {gb: {region: GB}}\ncreators: {a: {country: GB, age: 24}}\nsteps:\n"
    assert problems(
        head + "  - accept: {creator: a, shop: gb}\n    expect_error: [NOT_APPLICABLE, UNDER_18]\n"
    ) == [
        "x.scenario.yaml:6:19: NOT_APPLICABLE stands alone: "
        "a step that does not apply is not refused"
    ]
    assert (
        "cannot be refused"
        in problems(head + "  - advance: 1h\n    expect_error: NOT_APPLICABLE\n")[0]
    )
