"""The scenario format: YAML 1.2 reading, validation at FILE:LINE:COL, round trip, JSON Schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bindsim.errors import InvalidScenario
from bindsim.simulator.scenario import load_cases_text, load_text, model, run
from bindsim.simulator.scenario.loader import parse_yaml
from bindsim.simulator.scenario.schema import SCHEMA_PATH, build_schema
from bindsim.simulator.scenario.validate import find_files, load_file

LIBRARY = Path(__file__).resolve().parent.parent / "src" / "bindsim" / "scenarios"

HEADER = """\
name: a scenario
shops:
  gb: {region: GB, kind: invited}
creators:
  alice: {country: GB, age: 24}
steps:
"""


def _shipped_schema() -> dict[str, Any]:
    """schema.json as shipped (what editors read)."""
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def problems(text: str) -> list[str]:
    """Every problem reported for a file, as FILE:LINE:COL: message."""
    with pytest.raises(InvalidScenario) as caught:
        load_text(text, "x.scenario.yaml")
    return str(caught.value).splitlines()


def only_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ YAML 1.2


def test_on_off_yes_no_and_norway_are_plain_text_in_yaml_1_2() -> None:
    data = parse_yaml("a: on\nb: off\nc: yes\nd: no\ne: NO\nf: y\ng: true\nh: ~\n")
    assert data is not None
    assert data.plain() == {
        "a": "on",
        "b": "off",
        "c": "yes",
        "d": "no",
        "e": "NO",
        "f": "y",
        "g": True,
        "h": None,
    }


def test_on_is_a_key_not_a_boolean() -> None:
    data = parse_yaml("on: [Showcase]\n")
    assert data is not None and data.plain() == {"on": ["Showcase"]}


def test_leading_zeros_times_and_sexagesimals_keep_their_yaml_1_2_meaning() -> None:
    data = parse_yaml("a: 010\nb: 2024-11-11T12:00:00Z\nc: 1:30\nd: 0x1F\n")
    assert data is not None
    assert data.plain() == {"a": 10, "b": "2024-11-11T12:00:00Z", "c": "1:30", "d": 31}


def test_a_shop_in_norway_is_declared_with_region_no() -> None:
    scenario = load_text(
        "name: n\nshops: {no: {region: NO}}\ncreators: {ola: {country: NO, age: 30}}\n"
        "steps:\n  - invite: {shop: no, creator: ola}\n"
    )
    assert scenario.shops[0] == model.ShopSpec("no", "NO")


def test_a_duplicated_key_is_an_error_at_the_second_key() -> None:
    assert (
        only_problem(HEADER + "  - invite: {shop: gb, creator: alice, shop: gb}\n")
        == "x.scenario.yaml:7:40: duplicated key 'shop' (first at line 7); each key once"
    )


def test_broken_yaml_is_reported_where_the_parser_stopped() -> None:
    assert only_problem("name: x\nsteps: [a, b\nother: 1\n").startswith("x.scenario.yaml:3:")


def test_an_empty_file_is_invalid() -> None:
    assert "empty" in only_problem("")


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("step", "where", "message"),
    [
        ("  - invit: {shop: gb}\n", "7:5", "unknown verb 'invit'; did you mean 'invite'?"),
        ("  - invite: {shop: gb, creator: alice, rol: x}\n", "7:40", "unknown field of 'invite'"),
        ("  - invite: {shop: fr, creator: alice}\n", "7:20", "unknown shop 'fr'"),
        ("  - accept: {creator: bob, shop: gb}\n", "7:23", "unknown creator 'bob'"),
        ("  - request_unlink: {creator: alice}\n    expect_error: LOCKED\n", "8:19", "reason"),
        ("  - advance: 90\n", "7:14", "a duration is text like 90s"),
        ("  - advance: 2w\n", "7:14", "'2w' is not a duration"),
        ("  - advance: -1h\n", "7:14", "cannot be negative"),
        ("  - advance_to: 2024-11-13T12:00:00\n", "7:17", "has no time zone"),
        ("  - tap: {creator: alice, on: [Showcase, Entr]}\n", "7:42", "did you mean 'Enter'?"),
        ("  - invite: {shop: gb, creator: alice, role: boss}\n", "7:46", "unknown role 'boss'"),
        ("  - set: {creator: alice, height: 2}\n", "7:27", "unknown creator fact 'height'"),
        ("  - set: {shop: gb, network: US}\n", "7:21", "unknown shop fact 'network'"),
        ("  - expect: {binding: {shop: gb, creator: alice}, state: bond}\n", "7:58", "state"),
        ("  - expect: {shop: gb, oficial: alice}\n", "7:24", "did you mean 'official'?"),
        ("  - expect: {shop: gb}\n", "7:13", "nothing to check"),
        ("  - expect: {screen: alice, id: home}\n", "7:33", "unknown screen id 'home'"),
        ("  - advance: 1h\n    expect_error: UNBIND_LOCKED\n", "8:5", "cannot be refused"),
        ("  - invite: {shop: gb, creator: alice}\n    accept: {}\n", "8:5", "one verb per step"),
        ("  - {note: hi}\n", "7:5", "a step needs a verb"),
    ],
)
def test_an_invalid_step_is_reported_at_the_offending_node(
    step: str, where: str, message: str
) -> None:
    problem = only_problem(HEADER + step)
    assert problem.startswith(f"x.scenario.yaml:{where}: "), problem
    assert message in problem


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("rules: [R-LOCK-24H, R-LOCK-48H]\n", "1:21", "unknown rule ID 'R-LOCK-48H'"),
        ("start: 2024-11-11T12:00:00\n", "1:8", "has no time zone"),
        ("ruleset: {invite_tll: 48h}\n", "1:11", "did you mean 'invite_ttl'?"),
        ("ruleset: {invite_ttl: 2 days}\n", "1:23", "is not a duration"),
        ("ruleset: {min_age: -3}\n", "1:20", "whole number"),
        ("ruleset: {ticket_unfixable: [UNDER_18, NOPE]}\n", "1:40", "unknown reason code"),
        ("rulez: []\n", "1:1", "unknown field 'rulez'; did you mean 'rules'?"),
    ],
)
def test_an_invalid_top_level_field_is_reported_at_the_offending_node(
    text: str, where: str, message: str
) -> None:
    problem = only_problem(text + HEADER + "  - advance: 1h\n")
    assert problem.startswith(f"x.scenario.yaml:{where}: "), problem
    assert message in problem


def test_every_problem_of_a_file_is_reported_in_line_order() -> None:
    text = HEADER + "  - advance: 90\n  - invite: {shop: fr, creator: alice}\n  - jump: 1\n"
    lines = [p.split(": ")[0] for p in problems(text)]
    assert lines == ["x.scenario.yaml:7:14", "x.scenario.yaml:8:20", "x.scenario.yaml:9:5"]


def test_shop_and_creator_facts_are_checked() -> None:
    text = (
        "name: x\nshops: {gb: {region: gb}, us: {region: US, kind: closed}}\n"
        "creators: {a: {country: GB}, b: {country: GB, age: old}}\nsteps: []\n"
    )
    found = problems(text)
    assert [p.split(": ")[0] for p in found] == [
        "x.scenario.yaml:2:22",
        "x.scenario.yaml:2:50",
        "x.scenario.yaml:3:15",
        "x.scenario.yaml:3:52",
    ]
    assert "in capitals: GB, not gb" in found[0] and "needs age" in found[2]


def test_a_missing_file_is_reported_as_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidScenario, match="cannot read"):
        load_file(tmp_path / "absent.scenario.yaml")


# ------------------------------------------------------------------ the model


def test_steps_are_parsed_once_into_plain_data() -> None:
    scenario = load_text(
        HEADER
        + "  - advance: 47h59m\n"
        + "  - tap: {creator: alice, on: Showcase}\n    expect_error: [NOT_VISIBLE]\n"
        + "  - expect: {time: 2024-11-13T19:59:00+08:00}\n"
    )
    advance, tap, expect = scenario.steps
    assert advance == model.Step(verb="advance", args=timedelta(hours=47, minutes=59))
    assert tap == model.Step(
        verb="tap",
        args=(("creator", "alice"), ("on", ("Showcase",))),
        expect_error=("NOT_VISIBLE",),
    )
    assert (tap.line, tap.column, tap.arg("creator")) == (8, 5, "alice")
    when = datetime(2024, 11, 13, 11, 59, tzinfo=UTC)
    assert expect == model.Step(verb="expect", args=(model.Check("time", (), (("time", when),)),))


def test_a_scenario_written_back_to_yaml_reads_as_the_same_scenario() -> None:
    original = load_text(
        "name: 'round trip: every verb'\nname_zh: 往返:每个动词\nrules: [R-LOCK-24H, A-DECLINE]\n"
        "start: 2024-11-11T20:06:00+08:00\nruleset: {invite_ttl: 24h, allow_decline: true}\n"
        "shops: {gb: {region: GB, kind: invited}, no: {region: NO, status: abnormal}}\n"
        "creators:\n  alice: {country: GB, age: 24, network: FR}\n  'on': {country: NO, age: 30}\n"
        "steps:\n"
        "  - invite: {shop: gb, creator: alice, role: channel}\n"
        "  - accept: {creator: alice, shop: gb}\n    note: 'hello: world'\n"
        "  - decline: {creator: alice, shop: gb}\n  - withdraw: {shop: gb, creator: alice}\n"
        "  - advance: 47h59m59s\n  - advance_to: 2024-12-01T00:00:00Z\n"
        "  - tap: {creator: alice, on: [Showcase, Enter]}\n"
        "    expect_error: [NOT_VISIBLE, UNDER_18]\n"
        "  - click: {shop: gb, on: [View details, Agree], account: alice}\n"
        "  - request_unlink: {creator: alice}\n  - approve_unlink: {shop: gb, creator: alice}\n"
        "  - decline_unlink: {shop: gb, creator: alice}\n"
        "  - set: {creator: alice, network: GB, ecommerce_permission: false}\n"
        "  - set: {shop: gb, status: abnormal}\n  - open_ticket: {shop: gb, creator: 'on'}\n"
        "  - expect:\n"
        "      - {invitation: {shop: gb, creator: alice}, state: expired, reasons: []}\n"
        "      - {binding: {shop: gb, creator: alice}, state: stuck}\n"
        "      - {ticket: {shop: gb, creator: 'on'}, state: open, causes: [UNDER_18]}\n"
        "      - {screen: alice, id: profile, visible: [Showcase], hidden: [Enter]}\n"
        "      - {shop: gb, official: null, channels: [alice], channel_binds_left: 9}\n"
        "      - {creator: alice, bound_shop: gb, role: channel, network: GB,"
        " capabilities: {auto_sync_showcase: false}}\n"
    )
    again = load_text(original.to_yaml())
    assert again == original
    assert again.to_yaml() == original.to_yaml()


def test_a_scenario_is_titled_in_chinese_by_name_zh_and_in_english_by_name() -> None:
    both = load_text("name: Expired at 48h\nname_zh: 48 小时过期\nsteps: [{advance: 1s}]\n")
    assert (both.title("en"), both.title("zh")) == ("Expired at 48h", "48 小时过期")
    english_only = load_text("name: Expired at 48h\nsteps: [{advance: 1s}]\n")
    assert english_only.title("zh") == "Expired at 48h"


def test_each_case_of_a_table_is_titled_with_its_row_in_both_languages() -> None:
    text = (
        "name: Around 48h\nname_zh: 48 小时前后\nexamples: [{wait: 1s}, {wait: 48h}]\n"
        "steps: [{advance: <wait>}]\n"
    )
    cases = load_cases_text(text)
    assert [(c.title("en"), c.title("zh")) for c in cases] == [
        ("Around 48h [wait=1s]", "48 小时前后 [wait=1s]"),
        ("Around 48h [wait=48h]", "48 小时前后 [wait=48h]"),
    ]
    assert [c.case_name for c in cases] == [c.title("en") for c in cases]


# ------------------------------------------------------------------ the JSON Schema


def test_the_shipped_schema_is_the_one_the_validator_tables_build() -> None:
    assert _shipped_schema() == build_schema(), "run: python -m bindsim.simulator.scenario.schema"
    jsonschema.Draft202012Validator.check_schema(_shipped_schema())


def test_every_library_scenario_validates_against_the_json_schema() -> None:
    validator = jsonschema.Draft202012Validator(_shipped_schema())
    files = find_files([LIBRARY])
    assert files, "the scenario library is empty"
    for path in files:
        data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        assert data is not None
        errors = [e.message for e in validator.iter_errors(data.plain())]
        assert not errors, f"{path}: {errors}"


def test_the_json_schema_rejects_what_the_validator_rejects() -> None:
    validator = jsonschema.Draft202012Validator(_shipped_schema())
    good = {"name": "x", "steps": [{"advance": "47h59m"}, {"tap": {"creator": "a", "on": "Enter"}}]}
    assert validator.is_valid(good)
    for bad_step in (
        {"invit": {"shop": "gb"}},
        {"advance": "2w"},
        {"advance_to": "2024-11-11T12:00:00"},
        {"tap": {"creator": "a", "on": "Entr"}},
        {"tap": {"creator": "a", "on": "Agree"}},
        {"click": {"shop": "gb", "on": ["Home", "Showcase"]}},
        {"advance": "1h", "expect_error": "UNBIND_LOCKED"},
        {"expect": {"shop": "gb"}},
        {"request_unlink": {"creator": "a"}, "expect_error": "LOCKED"},
    ):
        assert not validator.is_valid({"name": "x", "steps": [bad_step]}), bad_step


# ------------------------------------------------------------------ bad input found before running


@pytest.mark.parametrize(
    ("step", "where", "message"),
    [
        (
            "  - tap: {creator: alice, on: Agree}\n",
            "7:31",
            "'Agree' is not a label of the creator app; it is a label of Seller Center, for click",
        ),
        (
            "  - click: {shop: gb, on: [Home, Showcase]}\n",
            "7:34",
            "'Showcase' is not a label of Seller Center; it is a label of the creator app, for tap",
        ),
        (
            "  - expect: {screen: alice, visible: [同意]}\n",
            "7:39",
            "not a label of the creator app",
        ),
        ("  - expect: {screen: gb, hidden: Showcase}\n", "7:34", "not a label of Seller Center"),
    ],
)
def test_tap_labels_belong_to_the_creator_app_and_click_labels_to_seller_center(
    step: str, where: str, message: str
) -> None:
    problem = only_problem(HEADER + step)
    assert problem.startswith(f"x.scenario.yaml:{where}: "), problem
    assert message in problem


def test_labels_are_accepted_in_chinese_on_their_own_ui() -> None:
    scenario = load_text(
        HEADER
        + "  - tap: {creator: alice, on: [账号橱窗]}\n"
        + "  - click: {shop: gb, on: [我的账号]}\n"
    )
    assert [step.verb for step in scenario.steps] == ["tap", "click"]


@pytest.mark.parametrize(
    ("key", "shown"),
    [("5", "5; quote it ('5')"), ("null", "null"), ("~", "null"), ("true", "true"), ("1.5", "1.5")],
)
def test_a_shop_or_creator_id_must_be_yaml_text_reported_at_the_key(key: str, shown: str) -> None:
    for section in ("shops", "creators"):
        facts = "{region: GB}" if section == "shops" else "{country: GB, age: 24}"
        problem = only_problem(f"name: x\n{section}:\n  {key}: {facts}\nsteps: []\n")
        assert problem.startswith("x.scenario.yaml:3:3: an id is a word like gb or alice, got ")
        assert shown in problem


def test_a_quoted_number_is_an_id_like_any_other_word() -> None:
    scenario = load_text("name: x\nshops: {'5': {region: GB}}\nsteps: []\n", require_steps=False)
    assert [shop.id for shop in scenario.shops] == ["5"]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("start: 9999-12-30T00:00:00Z\n", "1:8", "9999-12-30T00:00:00Z is out of range"),
        ("start: 9000-01-01T00:00:00Z\n", "1:8", "up to (not including) 9000-01-01 UTC"),
        ("start: 0999-12-31T23:59:59Z\n", "1:8", "from 1000-01-01"),
        ("start: 9999-12-31T23:00:00-05:00\n", "1:8", "out of range"),
        ("ruleset: {invite_ttl: 99999999999d}\n", "1:23", "a duration can be at most 300000d"),
    ],
)
def test_a_start_or_a_rule_window_beyond_the_simulated_range_is_invalid(
    text: str, where: str, message: str
) -> None:
    problem = only_problem(text + HEADER + "  - advance: 1h\n")
    assert problem.startswith(f"x.scenario.yaml:{where}: "), problem
    assert message in problem


@pytest.mark.parametrize(
    ("start", "steps", "where", "message"),
    [
        ("", "  - advance: 3000000d\n", "7:14", "'3000000d' is too long"),
        ("", "  - advance: 99999999999d\n", "7:14", "at most 300000d (about 821 years)"),
        ("", "  - advance: 9999999999999999999999s\n", "7:14", "too long"),
        (
            "start: 8999-12-01T00:00:00Z\n",
            "  - advance: 15d\n  - advance: 16d\n",
            "9:14",
            "advancing 16d from 8999-12-16T00:00:00Z would reach 9000-01-01T00:00:00Z",
        ),
        (
            "start: 8999-12-01T00:00:00Z\n",
            "  - advance_to: 8999-12-31T00:00:00Z\n  - advance: 1d\n",
            "9:14",
            "simulated time must stay from 1000-01-01 up to (not including) 9000-01-01 UTC",
        ),
        (
            "",
            "  - advance: 1d\n  - advance_to: 2024-11-12T11:59:59Z\n",
            "8:17",
            "2024-11-12T11:59:59Z is before 2024-11-12T12:00:00Z, the scenario's time at this "
            "step; the clock only moves forward",
        ),
    ],
)
def test_a_step_that_would_take_the_clock_out_of_range_or_backwards_is_invalid(
    start: str, steps: str, where: str, message: str
) -> None:
    """The time of every step is known before running: only advance and advance_to move it."""
    problem = only_problem(start + HEADER + steps)
    assert problem.startswith(f"x.scenario.yaml:{where}: "), problem
    assert message in problem


def test_the_clock_may_reach_the_last_second_before_year_9000_and_stay_put() -> None:
    scenario = load_text(
        "start: 8999-12-30T00:00:00Z\n"
        + HEADER
        + "  - advance: 1d23h59m59s\n  - advance_to: 8999-12-31T23:59:59Z\n"
        + "  - invite: {shop: gb, creator: alice}\n"
    )
    result = run(scenario)
    assert result.passed, result.failure
    assert result.ended == datetime(8999, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_hidden_means_not_tappable_now_whether_guarded_here_or_on_another_screen() -> None:
    """`hidden` is judged against the visible labels: a label of a later screen is hidden too."""
    scenario = load_text(
        HEADER
        + "  - expect: {screen: alice, visible: [Showcase], hidden: [Enter, Send unlink request]}\n"
        + "  - set: {creator: alice, network: US}\n"
        + "  - expect: {screen: alice, hidden: Showcase}\n"
        + "  - expect: {screen: alice, hidden: Back}\n"
    )
    assert run(scenario).passed
    failing = load_text(HEADER + "  - expect: {screen: alice, hidden: Showcase}\n")
    failure = run(failing).failure
    assert failure is not None and "visible: [Showcase]" in failure.message


# ------------------------------------------------------------------ the facts of issue 15


def test_a_creator_has_an_age_or_a_birthdate_whose_age_follows_the_clock() -> None:
    """A-AGE: `birthdate` instead of `age`; `expect: {creator, age}` reads the age now."""
    scenario = load_text(
        "name: x\nshops: {gb: {region: GB}}\n"
        "creators: {teen: {country: GB, birthdate: 2006-11-12, home_region: GB}}\nsteps:\n"
        "  - invite: {shop: gb, creator: teen}\n    expect_error: UNDER_18\n"
        "  - expect: {creator: teen, age: 17, birthdate: 2006-11-12}\n"
        "  - advance_to: 2024-11-12T00:00:00Z\n"
        "  - expect: {creator: teen, age: 18}\n  - invite: {shop: gb, creator: teen}\n"
    )
    assert dict(scenario.creators[0].facts)["birthdate"].isoformat() == "2006-11-12"
    result = run(scenario)
    assert result.passed, result.failure and result.failure.message
    assert load_text(scenario.to_yaml()) == scenario  # written back as 2006-11-12


@pytest.mark.parametrize(
    ("facts", "where", "message"),
    [
        ("{country: GB}", "3:17", "needs age or birthdate (one of them, A-AGE)"),
        ("{country: GB, age: 3, birthdate: 2006-11-12}", "3:39", "needs age or birthdate"),
        ("{country: GB, birthdate: 2006-13-01}", "3:42", "a date like 2006-11-11"),
        ("{country: GB, birthdate: 12}", "3:42", "a date like 2006-11-11"),
        (
            "{country: GB, age: 3, home_region: fr}",
            "3:52",
            "two-letter country code in capitals: FR, not fr",
        ),
    ],
)
def test_the_facts_of_a_creator_are_checked_at_their_node(
    facts: str, where: str, message: str
) -> None:
    problem = only_problem(f"name: x\nshops: {{}}\ncreators: {{kid: {facts}}}\nsteps: []\n")
    assert problem.startswith(f"x.scenario.yaml:{where}: "), problem
    assert message in problem


def test_the_format_declares_every_fact_the_world_knows() -> None:
    from bindsim.simulator import facts
    from bindsim.simulator.scenario.format import CREATOR_FACTS, SHOP_FIELDS

    assert set(CREATOR_FACTS) == set(facts.CREATOR_FACTS)
    assert set(SHOP_FIELDS) == set(facts.SHOP_FACTS)
