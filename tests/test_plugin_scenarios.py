"""The pytest plugin: *.scenario.yaml files as test items (-k, -x, -n), and the world fixtures."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

PASSING = """\
name: The lock holds for 24 hours
rules: [R-LOCK-24H]
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: alice}
  - accept: {creator: alice, shop: gb}
  - request_unlink: {creator: alice}
    expect_error: UNBIND_LOCKED
"""

FAILING = """\
name: The invitation expires early (wrong)
rules: [R-INVITE-48H]
shops: {gb: {region: GB}}
creators: {alice: {country: GB, age: 24}}
steps:
  - invite: {shop: gb, creator: alice}
  - advance: 47h59m59s
  - expect: {invitation: {shop: gb, creator: alice}, state: expired}
"""


def make(pytester: pytest.Pytester, **files: str) -> None:
    pytester.makefile(".scenario.yaml", **files)


def test_a_scenario_file_is_collected_as_one_test_with_a_short_slug_id(
    pytester: pytest.Pytester,
) -> None:
    make(pytester, lock=PASSING)
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["lock.scenario.yaml::the-lock-holds-for-24-hours"])
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_failing_scenario_shows_its_step_line_expected_found_and_time(
    pytester: pytest.Pytester,
) -> None:
    make(pytester, early=FAILING)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*early.scenario.yaml:8: step 3: expect: {invitation: {shop: gb, creator: alice}*",
            "*simulated time: 2024-11-13T11:59:59Z",
            "*invitation gb→alice state:",
            "*expected: expired",
            "*found:    pending",
            "*✓ line 7 * advance: 47h59m59s*",
            "*✗ line 8 * expect: *",
        ]
    )
    result.stdout.fnmatch_lines(["*scenario: The invitation expires early (wrong)*"])


def test_an_invalid_scenario_is_a_collection_error_with_file_line_col(
    pytester: pytest.Pytester,
) -> None:
    make(pytester, bad=PASSING.replace("UNBIND_LOCKED", "UNBIND_LOCKD"))
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*bad.scenario.yaml:9:19: unknown reason code 'UNBIND_LOCKD'; did you mean*"]
    )


def test_k_selects_scenarios_by_rule_id_or_name(pytester: pytest.Pytester) -> None:
    make(pytester, lock=PASSING, early=FAILING)
    pytester.runpytest("-k", "R-LOCK-24H").assert_outcomes(passed=1, deselected=1)
    pytester.runpytest("-k", "expires").assert_outcomes(failed=1, deselected=1)


def test_x_stops_at_the_first_failing_scenario(pytester: pytest.Pytester) -> None:
    make(pytester, a_early=FAILING, b_lock=PASSING)
    pytester.runpytest("-x").assert_outcomes(failed=1)


def test_scenarios_run_in_parallel_under_xdist(pytester: pytest.Pytester) -> None:
    make(pytester, lock=PASSING, early=FAILING, lock2=PASSING.replace("24 hours", "a day"))
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)


def test_scenario_items_carry_the_scenario_marker(pytester: pytest.Pytester) -> None:
    make(pytester, lock=PASSING)
    pytester.makepyfile(test_other="def test_plain():\n    pass\n")
    pytester.runpytest("-m", "scenario").assert_outcomes(passed=1, deselected=1)


def test_the_world_fixtures_serve_hand_written_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fixtures="""
from datetime import timedelta

def test_manual(world):
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    world.advance("48h")
    assert world.invitation("gb", "alice").state == "expired"

def test_frozen(frozen_world):
    world = frozen_world.world
    world.add_shop("gb", region="GB")
    world.add_creator("alice", country="GB", age=24)
    world.invite("gb", "alice")
    frozen_world.tick(timedelta(hours=47, minutes=59, seconds=59))
    assert world.invitation("gb", "alice").state == "pending"
    frozen_world.tick("1s")
    assert world.invitation("gb", "alice").state == "expired"
    assert world.log[-1].at.isoformat() == "2024-11-13T12:00:00+00:00"
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)
