"""A-AGE: a birthdate after the simulated clock (a user not born yet) is refused with a clear
error that changes nothing, in the API, scenario files (FILE:LINE:COL), walk and serve."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import SECOND

from bindsim import InvalidArgument, ManualClock, Ruleset, World
from bindsim.errors import InvalidScenario
from bindsim.simulator.cli import main
from bindsim.simulator.clock import DEFAULT_START as START
from bindsim.simulator.scenario import load_text
from bindsim.simulator.serve import actions
from bindsim.simulator.serve.session import Session, starter
from bindsim.simulator.walk.prompt import WalkShell

MIDNIGHT = START.replace(hour=0) + timedelta(days=1)  # 2024-11-12T00:00:00Z
TOMORROW = date(2024, 11, 12)


def _world(**overrides: object) -> World:
    world = World(clock=ManualClock(START), ruleset=Ruleset().with_overrides(overrides))
    world.add_creator("alice", country="GB", age=24)
    return world


@pytest.mark.parametrize(
    ("offset", "born"), [(-SECOND, False), (timedelta(0), True), (SECOND, True)]
)
def test_a_birthdate_is_accepted_from_00_00_of_that_day_on(offset: timedelta, born: bool) -> None:
    world = _world()
    world.advance_to(MIDNIGHT + offset)
    if born:
        world.add_creator("baby", country="GB", birthdate=TOMORROW)
        assert world.age("baby") == 0
        return
    with pytest.raises(InvalidArgument, match="2024-11-12 is after .* not born yet"):
        world.add_creator("baby", country="GB", birthdate=TOMORROW)
    assert "baby" not in world.creators


def test_setting_a_birthdate_after_the_clock_is_refused_and_changes_nothing() -> None:
    world = _world()
    before, logged = world.creator("alice"), world.logged
    with pytest.raises(InvalidArgument, match="not born yet"):
        world.set_creator("alice", birthdate="2030-01-01")
    assert (world.creator("alice"), world.logged) == (before, logged)


def test_the_birthday_zone_decides_which_day_it_is() -> None:
    """A-AGE with UTC+08:00: at 16:00 UTC it is already the next day there."""
    world = _world(birthday_zone="UTC+08:00")
    world.advance_to(MIDNIGHT - timedelta(hours=8) - SECOND)
    with pytest.raises(InvalidArgument, match="in UTC\\+08:00"):
        world.set_creator("alice", birthdate=TOMORROW)
    world.advance(SECOND)
    world.set_creator("alice", birthdate=TOMORROW)


def test_a_scenario_with_an_unborn_creator_or_set_is_invalid_at_its_line_and_column() -> None:
    text = (
        "name: x\n"
        "shops: {gb: {region: GB}}\n"
        "creators:\n"
        "  baby: {country: GB, birthdate: 2024-11-12}\n"
        "  alice: {country: GB, age: 24}\n"
        "steps:\n"
        "  - set: {creator: alice, birthdate: 2024-11-12}\n"
        "  - advance_to: 2024-11-12T00:00:00Z\n"
        "  - set: {creator: alice, birthdate: 2024-11-12}\n"
    )
    with pytest.raises(InvalidScenario) as invalid:
        load_text(text, "x.scenario.yaml")
    found = [(e.line, e.column, "not born yet" in e.text) for e in invalid.value.errors]
    assert found == [(4, 34, True), (7, 38, True)]


def test_walk_refuses_an_unborn_creator_and_an_unborn_birthdate() -> None:
    out = io.StringIO()
    commands = (
        "shop gb region=GB\ncreator baby country=GB birthdate=2030-01-01\n"
        "creator alice country=GB age=24\nset alice birthdate=2030-01-01\n"
    )
    shell = WalkShell(None, stdin=io.StringIO(commands), stdout=out)
    shell.cmdloop()
    assert out.getvalue().count("not born yet") == 2
    assert "baby" not in shell.world.creators
    assert shell.world.creator("alice").age == 24


def test_serve_refuses_an_unborn_creator_and_changes_nothing() -> None:
    session = Session(starter())
    before = session.world.to_dict()
    with pytest.raises(InvalidArgument, match="not born yet"):
        session.add_creator(
            actions.new_creator({"id": "baby", "country": "GB", "birthdate": "2030-01-01"})
        )
    assert session.world.to_dict() == before


def test_a_file_valid_alone_but_unborn_under_the_ruleset_file_is_invalid_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file is checked under its own rules (UTC); `--ruleset` moves birthdays to UTC−12:00,
    where at 05:00 UTC it is still 10 November: the run says so at the file's line, exit 2."""
    scenario = tmp_path / "baby.scenario.yaml"
    scenario.write_text(
        "name: baby\nstart: 2024-11-11T05:00:00Z\nshops: {gb: {region: GB}}\n"
        "creators: {baby: {country: GB, birthdate: 2024-11-11}}\nsteps:\n  - advance: 1s\n",
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text('birthday_zone = "UTC-12:00"\n', encoding="utf-8")
    assert main(["run", str(scenario)]) == 0
    capsys.readouterr()
    assert main(["run", "--ruleset", str(rules), str(scenario)]) == 2
    err = capsys.readouterr().err
    assert f"{scenario}:1:1" in err and "not born yet" in err
