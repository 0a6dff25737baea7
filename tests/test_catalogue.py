"""The cast catalogue and what explore makes of it (issue 21): every cast explores to its bound,
together they reach every rule family, every contract is judged; a generated suite keeps the
−1s / at / +1s steps around each deadline it reaches, with an expect on each, so that a deadline
moved by one second fails it; coverage tells "exercised" from "checked, held"."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bindsim.machines.durations import format_duration
from bindsim.machines.rules import RULES
from bindsim.simulator import checks, step
from bindsim.simulator.cli import main
from bindsim.simulator.scenario import load_file
from bindsim.simulator.scenario.runner import run

ROOT = Path(__file__).resolve().parent.parent
CASTS = ROOT / "src" / "bindsim" / "scenarios" / "casts"
BOUND = 500  # states per cast: enough to reach every rule family, small enough for make test
TIMED = ("R-INVITE-48H", "R-LOCK-24H", "R-TICKET", "R-CHANNEL-10-180D", "A-AGE")
SIDES = ["1s before", "at", "1s after"]


def _explore(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = main(["explore", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_every_cast_declares_what_it_varies_and_its_steps_hold() -> None:
    files = sorted(CASTS.glob("*.cast.yaml"))
    assert len(files) >= 6
    for path in files:
        cast = load_file(path, require_steps=False)
        assert cast.vary is not None, f"{path.name} has no vary:"
        # Steps, where a cast has them, are the way to its first state (bindsim explore starts
        # after them): each holds, with no expectation of its own.
        assert all(step.verb != "expect" for step in cast.steps)
        assert run(cast).passed, path.name


def test_the_catalogue_explores_to_its_bound_and_reaches_every_rule_family(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _explore(
        [str(CASTS), "--max-states", str(BOUND), "--out", str(tmp_path)], capsys
    )
    assert code == 0, [c["violations"] for c in report["casts"]]
    for cast in report["casts"]:
        assert cast["states"] <= BOUND and (cast["complete"] or cast["states"] == BOUND)
        assert not cast["violations"]
    rules = report["rules"]
    assert {r for r in RULES if rules[r]["reached"] == "no"} == set()
    exercised = {r for r in RULES if rules[r]["reached"] == "exercised"}
    # What only a query answers (no step depends on it) is judged by contracts, never exercised.
    assert set(RULES) - exercised == {"R-CAP-OFFICIAL", "R-CAP-CHANNEL", "R-NO-1000"}
    for rule in TIMED:
        assert rules[rule]["boundaries"] == SIDES, rule
    from bindsim.simulator.contracts import by_rule

    for rule, listed in by_rule().items():
        assert rules[rule]["contracts"] > 0, f"no contract of {rule} was judged ({listed})"


# ------------------------------------------------------------------ boundary suites


LOCK = """\
name: one open shop, one account, a 24h lock
vary: []
ruleset: {allow_decline: false, official_unbind_limit: 0}
shops: {gb: {region: GB, kind: open}}
creators: {ann: {country: GB, age: 24}}
"""

WINDOW = """\
name: an invite-only shop, one channel binding in a 3-day window
vary: []
ruleset: {allow_decline: false, channel_bind_limit: 1, channel_bind_window: 3d,
          channel_unlink: false, official_slots: 0, unbind_lock: 0s}
shops: {gbi: {region: GB, kind: invited}}
creators: {ann: {country: GB, age: 24}}
"""


def _suite(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    cast = tmp_path / "cast.cast.yaml"
    cast.write_text(text, encoding="utf-8")
    folder = tmp_path / "suite"
    code, _ = _explore([str(cast), "--suite", str(folder), "--out", str(tmp_path)], capsys)
    assert code == 0
    return sorted(folder.glob("*.scenario.yaml"))


def _steps_around(files: list[Path], expected: dict[str, str]) -> None:
    """Each advance in `expected` (its duration → the state expected after it) is a step of
    some suite file, followed by an expect saying that state."""
    found: dict[str, set[str]] = {}
    for path in files:
        steps = load_file(path).to_data()["steps"]
        for here, after in zip(steps, steps[1:], strict=False):
            if "advance" in here and "expect" in after:
                expects = (
                    after["expect"] if isinstance(after["expect"], list) else [after["expect"]]
                )
                found.setdefault(format_duration(here["advance"]), set()).update(
                    str(e.get("state", e.get("channel_binds_left"))) for e in expects
                )
    for duration, state in expected.items():
        assert state in found.get(duration, set()), (duration, state, found)


def _fails(files: list[Path]) -> bool:
    return any(not run(load_file(path), contracts=False).passed for path in files)


def shifted(event: str, by: timedelta) -> Any:
    real = step.due

    def due(rules: Any, machine: Any, name: str, at: Any) -> Any:
        return real(rules, machine, name, at) + (by if name == event else timedelta(0))

    return due


def test_a_suite_keeps_the_24h_lock_boundary_and_a_lock_one_second_off_fails_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-LOCK-24H, a timer: 23h59m59s locked, 24h and 24h00m01s unlockable, each expected."""
    files = _suite(LOCK, tmp_path, capsys)
    _steps_around(files, {"23h59m59s": "locked", "1d": "unlockable", "1d1s": "unlockable"})
    assert not _fails(files)
    for moved in (timedelta(seconds=1), -timedelta(seconds=1)):
        with monkeypatch.context() as patch:
            patch.setattr(step, "due", shifted("unlock", moved))
            assert _fails(files), moved


def test_a_suite_keeps_the_48h_boundary_and_an_expiry_one_second_off_fails_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-INVITE-48H, a timer: pending at 47h59m59s, expired at 48h."""
    files = _suite(LOCK, tmp_path, capsys)
    _steps_around(files, {"1d23h59m59s": "pending", "2d": "expired", "2d1s": "expired"})
    for moved in (timedelta(seconds=1), -timedelta(seconds=1)):
        with monkeypatch.context() as patch:
            patch.setattr(step, "due", shifted("expire", moved))
            assert _fails(files), moved


def test_a_suite_keeps_the_channel_window_boundary_and_a_closed_window_end_fails_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-CHANNEL-10-180D, a window (t − 3d, t]: the binding counts until exactly 3 days after
    it, then no more; a window that keeps its end (`<` read as `<=`) fails the suite."""
    files = _suite(WINDOW, tmp_path, capsys)
    _steps_around(files, {"2d23h59m59s": "0", "3d": "1", "3d1s": "1"})
    assert not _fails(files)
    real = checks.channel_binds_in_window

    def keeps_its_end(shop: Any, now: Any, rules: Any) -> int:
        start = now - rules.channel_bind_window
        return real(shop, now, rules) + sum(1 for t in shop.channel_binds if t == start)

    monkeypatch.setattr(checks, "channel_binds_in_window", keeps_its_end)
    assert _fails(files)


def test_a_suite_ends_with_what_the_world_answers_and_a_wrong_answer_fails_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file of a generated suite ends with an expect on what the World answers about every
    shop and account (no step's outcome shows them): official unbinds left answered one too
    many, or a bound account answered as no shop's, fails the suite of the correct code."""
    from bindsim.simulator import queries

    files = _suite(LOCK, tmp_path, capsys)
    for path in files:
        last = load_file(path).to_data()["steps"][-1]
        facts = {key for check in last["expect"] for key in check}
        assert {"official", "official_unbinds_left", "bound_shop", "capabilities"} <= facts
    assert not _fails(files)
    real = queries.official_unbinds_left
    with monkeypatch.context() as patch:
        patch.setattr(queries, "official_unbinds_left", lambda *a: real(*a) + 1)
        assert _fails(files)
    with monkeypatch.context() as patch:
        patch.setattr(queries, "bound_shop", lambda state, creator_id: None)
        assert _fails(files)


# ------------------------------------------------------------------ honest coverage

TWO_STEPS = """\
name: an invitation and its acceptance
shops: {gb: {region: GB, kind: open}}
creators: {alice: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: alice, role: official}
  - accept: {creator: alice, shop: gb}
"""


def test_an_invite_and_an_accept_check_rules_but_exercise_only_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Coverage like branch coverage: the 48h window, R-STUCK and the channel limit were
    checked and held; nothing depended on them, so they are not exercised."""
    path = tmp_path / "two.scenario.yaml"
    path.write_text(TWO_STEPS, encoding="utf-8")
    assert main(["run", "--coverage", "--json", str(path)]) == 0
    coverage = json.loads(capsys.readouterr().out)["coverage"]
    exercised = {item[1] for item in coverage["exercised"] if item[0] == "rule"}
    assert exercised == {"R-SELLER-NAV"}
    held = set(coverage["checked_held"])
    assert {"R-STUCK", "R-CHANNEL-10-180D", "R-INVITE-48H", "R-ELIGIBLE", "R-FAIL"} <= held
    assert not held & exercised


def test_a_refusal_exercises_the_rules_of_its_reasons_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "minor.scenario.yaml"
    path.write_text(
        TWO_STEPS.replace("age: 24", "age: 16")
        .replace("  - accept: {creator: alice, shop: gb}\n", "")
        .replace("role: official}", "role: official}\n    expect_error: UNDER_18"),
        encoding="utf-8",
    )
    assert main(["run", "--coverage", "--json", str(path)]) == 0
    coverage = json.loads(capsys.readouterr().out)["coverage"]
    exercised = {item[1] for item in coverage["exercised"] if item[0] == "rule"}
    assert {"R-ELIGIBLE", "R-FAIL"} <= exercised  # UNDER_18's rules
    assert "R-SLOT-OPEN" not in exercised and "R-CHANNEL-10-180D" not in exercised


def test_a_folder_explores_each_cast_as_that_cast_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`vary: []` varies nothing in a folder too (it was read as "no vary:", the default)."""
    folder = tmp_path / "casts"
    folder.mkdir()
    (folder / "lock.cast.yaml").write_text(LOCK, encoding="utf-8")
    _, alone = _explore([str(folder / "lock.cast.yaml"), "--out", str(tmp_path)], capsys)
    _, together = _explore([str(folder), "--out", str(tmp_path)], capsys)
    assert together["casts"][0]["states"] == alone["states"]
    varied = LOCK.replace("vary: []", "vary: [network, status]")
    (folder / "lock.cast.yaml").write_text(varied, encoding="utf-8")
    _, more = _explore([str(folder), "--out", str(tmp_path)], capsys)
    assert more["casts"][0]["states"] > alone["states"]
