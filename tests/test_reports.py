"""CI reports of `bindsim run` (issue 12, item 3): JSON always, JUnit XML, one HTML page."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bindsim.diagrams import dot_available
from bindsim.simulator.cli import main
from bindsim.simulator.scenario.junit import classname

PASSING = """\
name: the lock holds for 24 hours
rules: [R-LOCK-24H]
tags: [smoke]
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: alice}
  - accept: {creator: alice, shop: gb}
  - request_unlink: {creator: alice}
    expect_error: UNBIND_LOCKED
"""

FAILING = """\
name: a wrong expectation <&> "quoted"
rules: [R-INVITE-48H]
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: alice}
  - advance: 47h59m59s
  - expect: {invitation: {shop: gb, creator: alice}, state: expired}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    write(tmp_path, "suite/locks/lock.v2.scenario.yaml", PASSING)
    write(tmp_path, "suite/invitations/early.scenario.yaml", FAILING)
    return tmp_path / "suite"


# ------------------------------------------------------------------ JSON


def test_json_has_the_version_the_ruleset_and_each_duration_validation_included(
    suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write(tmp_path, "rules.toml", 'invite_ttl = "72h"\n')
    assert main(["run", "--json", "--ruleset", str(rules), str(suite)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", data["bindsim"])
    assert data["ruleset"]["file"] == str(rules)
    assert data["ruleset"]["settings"]["invite_ttl"] == 72 * 3600
    assert data["errors"] == []
    for scenario in data["scenarios"]:
        assert scenario["duration"] > 0
        assert scenario["steps"], "the full form carries the trace"
    assert data["summary"]["duration"] >= sum(s["duration"] for s in data["scenarios"])


def test_json_summary_is_the_short_form(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--json=summary", str(suite)]) == 1
    data = json.loads(capsys.readouterr().out)
    failed = next(s for s in data["scenarios"] if not s["passed"])
    assert set(failed) == {
        "path", "name", "example", "rules", "tags", "passed", "duration", "message", "line",
    }  # fmt: skip
    assert failed["line"] == 8
    assert failed["message"] == "invitation gb→alice state: expected expired, found pending"


def test_json_on_invalid_input_is_still_a_document_with_an_errors_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.scenario.yaml", PASSING.replace("UNBIND_LOCKED", "UNBIND_LOCKD"))
    assert main(["run", "--json", str(bad)]) == 2
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["summary"]["errors"] == 1 and data["scenarios"] == []
    (error,) = data["errors"]
    assert (error["file"], error["line"], error["col"]) == (str(bad), 10, 19)
    assert error["message"].startswith("unknown reason code 'UNBIND_LOCKD'; did you mean")
    assert f"{bad}:10:19: unknown reason code" in captured.err  # people still read stderr


def test_a_bad_ruleset_file_is_an_error_of_the_json_document(
    suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write(tmp_path, "rules.toml", "min_age = -1\n")
    assert main(["run", "--json=summary", "--ruleset", str(rules), str(suite)]) == 2
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert (error["file"], error["line"], error["col"]) == (str(rules), 1, 11)


# ------------------------------------------------------------------ JUnit


def test_junit_has_one_testcase_per_case_with_rules_as_properties(
    suite: Path, tmp_path: Path
) -> None:
    report = tmp_path / "out" / "junit.xml"
    report.parent.mkdir()
    assert main(["run", "--junit", str(report), str(suite)]) == 1
    root = ET.parse(report).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "0")
    cases = {case.get("name"): case for case in root.iter("testcase")}
    lock = cases["the lock holds for 24 hours"]
    assert lock.get("classname") == f"{classname(str(suite))}.locks.lock_v2"
    assert [(p.get("name"), p.get("value")) for p in lock.iter("property")] == [
        ("rule", "R-LOCK-24H"),
        ("tag", "smoke"),
    ]
    assert lock.find("failure") is None and float(lock.get("time") or 0) > 0
    early = cases['a wrong expectation <&> "quoted"']
    failure = early.find("failure")
    assert failure is not None
    assert failure.get("message") == "invitation gb→alice state: expected expired, found pending"
    assert "early.scenario.yaml:8: step 3" in (failure.text or "")


def test_a_classname_splits_at_folders_only() -> None:
    assert classname("scenarios/invitations/expired_at_48h.scenario.yaml") == (
        "scenarios.invitations.expired_at_48h"
    )
    assert classname("./a.b/c d.v1.scenario.yaml") == "a_b.c_d_v1"


def test_junit_of_invalid_input_has_an_error_per_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.scenario.yaml", "name: x\nsteps: [{advance: 2w}, {advance: 3w}]\n")
    report = tmp_path / "junit.xml"
    assert main(["run", "--junit", str(report), str(bad)]) == 2
    (case,) = ET.parse(report).getroot().iter("testcase")
    error = case.find("error")
    assert error is not None and (error.text or "").count(str(bad)) == 2


def test_a_report_that_cannot_be_written_keeps_the_old_one_and_exits_2(
    suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--junit", str(tmp_path / "no" / "such" / "dir.xml"), str(suite)]) == 2
    assert "cannot write" in capsys.readouterr().err


# ------------------------------------------------------------------ HTML


def test_the_html_page_is_self_contained_with_each_failure_s_steps(
    suite: Path, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    assert main(["run", "--html", str(page), str(suite)]) == 1
    html = page.read_text(encoding="utf-8")
    assert "1 passed, 1 failed" in html
    assert not re.search(r"""(src|href)=["'](?!#)""", html), "nothing outside the page"
    assert "a wrong expectation &lt;&amp;&gt; &#34;quoted&#34;" in html  # escaped
    section = html.split('class="failure"', 1)[1]
    assert "early.scenario.yaml:8" in section
    assert '<td class="expected"><code>expired</code></td>' in section
    assert '<td class="found"><code>pending</code></td>' in section
    assert section.count("<tr class=") == 3  # the failing case's three steps
    if dot_available():
        assert "<svg" in section and "pending (awaiting creator)" in section  # the timeline
    else:
        assert "timeline not drawn" in section


def test_the_html_page_of_invalid_input_lists_the_problems(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.scenario.yaml", "name: x\nsteps: [{advance: 2w}]\n")
    page = tmp_path / "report.html"
    assert main(["run", "--html", str(page), str(bad)]) == 2
    html = page.read_text(encoding="utf-8")
    assert "Invalid input (nothing ran)" in html and "&#39;2w&#39; is not a duration" in html
