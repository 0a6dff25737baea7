"""The scenario runner: actions against expect_error, every expect form, and the step records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bindsim.simulator.scenario import ScenarioResult, load_text, run

CAST = """\
name: runner
shops:
  gb: {region: GB, kind: open}
  inv: {region: GB, kind: invited}
  us: {region: US}
creators:
  alice: {country: GB, age: 24}
  bob: {country: GB, age: 31, followers: 5000}
  kid: {country: GB, age: 16}
  expat: {country: US, age: 30, registration_country: DE}
steps:
"""


def run_steps(steps: str) -> ScenarioResult:
    return run(load_text(CAST + steps, "r.scenario.yaml"))


def outcomes(result: ScenarioResult) -> list[tuple[str, bool | None]]:
    return [(step.outcome, step.passed) for step in result.steps]


def test_an_expected_state_holds_at_any_level_bound_while_locked() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: alice}\n  - accept: {creator: alice, shop: gb}\n"
        "  - expect: {binding: {shop: gb, creator: alice}, state: bound}\n"
        "  - expect: {binding: {shop: gb, creator: alice}, state: locked}\n"
        "  - advance: 24h\n"
        "  - expect: {binding: {shop: gb, creator: alice}, state: unlockable}\n"
    )
    assert result.passed, result.failure and result.failure.message


def test_a_state_that_is_not_active_fails_with_the_active_states() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: alice}\n  - accept: {creator: alice, shop: gb}\n"
        "  - expect: {binding: {shop: gb, creator: alice}, state: unlockable}\n"
    )
    failure = result.failure
    assert failure is not None and failure.index == 3 and failure.line == 14
    (mismatch,) = failure.mismatches
    assert (mismatch.what, mismatch.expected, mismatch.actual) == (
        "binding gb→alice state",
        "unlockable",
        ["bound", "locked"],
    )


def test_expect_error_holds_only_for_exactly_those_codes() -> None:
    exact = run_steps(
        "  - invite: {shop: us, creator: kid}\n    expect_error: [UNDER_18, COUNTRY_MISMATCH]\n"
    )
    assert exact.passed
    fewer = run_steps("  - invite: {shop: us, creator: kid}\n    expect_error: UNDER_18\n")
    assert not fewer.passed
    assert fewer.steps[0].reasons == ("UNDER_18", "COUNTRY_MISMATCH")
    assert "refused: COUNTRY_MISMATCH, UNDER_18" in fewer.steps[0].message


def test_expect_error_on_a_step_that_succeeds_fails() -> None:
    result = run_steps("  - invite: {shop: gb, creator: alice}\n    expect_error: UNDER_18\n")
    assert outcomes(result) == [("ok", False)]
    assert result.steps[0].mismatches[0].actual == "ok"


def test_an_unexpected_refusal_fails_the_step_and_later_steps_do_not_run() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: kid}\n  - advance: 1h\n"
        "  - expect: {time: 2024-11-11T13:00:00Z}\n"
    )
    assert outcomes(result) == [("refused", False), ("not run", None), ("not run", None)]
    assert result.failure is not None
    assert "UNDER_18" in result.failure.message
    assert result.ended == datetime(2024, 11, 11, 12, 0, tzinfo=UTC)


def test_an_action_that_does_not_apply_fails_the_step() -> None:
    result = run_steps("  - approve_unlink: {shop: gb, creator: alice}\n")
    assert outcomes(result) == [("not applicable", False)]
    assert "no unlink request" in result.steps[0].message


def test_expect_error_not_applicable_expects_a_step_that_does_not_apply() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: alice}\n  - decline: {creator: alice, shop: gb}\n"
        "  - accept: {creator: alice, shop: gb}\n    expect_error: NOT_APPLICABLE\n"
        "  - approve_unlink: {shop: gb, creator: alice}\n    expect_error: NOT_APPLICABLE\n"
        "  - accept: {creator: bob, shop: gb}\n    expect_error: NOT_APPLICABLE\n"
    )
    assert outcomes(result) == [("ok", True), ("ok", True)] + [("not applicable", True)] * 3


def test_not_applicable_fails_a_step_that_applies_or_is_refused() -> None:
    applies = run_steps(
        "  - invite: {shop: gb, creator: alice}\n    expect_error: NOT_APPLICABLE\n"
    )
    assert outcomes(applies) == [("ok", False)]
    assert applies.steps[0].message == "outcome: expected does not apply, found ok"
    refused = run_steps(
        "  - invite: {shop: gb, creator: alice}\n"
        "  - invite: {shop: gb, creator: alice}\n    expect_error: NOT_APPLICABLE\n"
    )
    assert refused.steps[1].message == (
        "outcome: expected does not apply, found refused: OFFICIAL_SLOT_TAKEN, INVITATION_PENDING"
    )
    refusal_expected = run_steps(
        "  - approve_unlink: {shop: gb, creator: alice}\n    expect_error: UNBIND_LOCKED\n"
    )
    assert outcomes(refusal_expected) == [("not applicable", False)]
    mismatch = refusal_expected.steps[0].mismatches[0]
    assert (mismatch.expected, mismatch.actual) == (
        "refused: UNBIND_LOCKED",
        "does not apply: gb has no unlink request from alice",
    )


def test_a_refused_action_changes_nothing_and_the_scenario_goes_on() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: alice}\n"
        "  - invite: {shop: gb, creator: bob}\n    expect_error: OFFICIAL_SLOT_TAKEN\n"
        "  - accept: {creator: alice, shop: gb}\n"
        "  - expect: {shop: gb, official: alice}\n"
    )
    assert result.passed


def test_a_tap_list_stops_at_the_first_refusal() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: alice}\n  - accept: {creator: alice, shop: gb}\n"
        "  - tap: {creator: alice, on: [Showcase, Enter, Your Shop, View link info,"
        " Send unlink request, Back]}\n    expect_error: UNBIND_LOCKED\n"
        "  - expect: {screen: alice, id: link_info, visible: [Send unlink request, Back]}\n"
    )
    assert result.passed, result.failure and result.failure.message
    assert [e.subject["label"] for e in result.steps[2].entries] == [
        "Showcase",
        "Enter",
        "Your Shop",
        "View link info",
        "Send unlink request",
    ]


def test_a_phone_abroad_hides_the_showcase_button() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: alice}\n  - accept: {creator: alice, shop: gb}\n"
        "  - set: {creator: alice, network: US}\n"
        "  - expect: {screen: alice, id: profile, hidden: [Showcase]}\n"
        "  - tap: {creator: alice, on: Showcase}\n"
        "    expect_error: [NOT_VISIBLE, NETWORK_REGION_MISMATCH]\n"
    )
    assert result.passed, result.failure and result.failure.message


def test_a_screen_check_reports_what_is_visible() -> None:
    result = run_steps("  - expect: {screen: alice, hidden: [Showcase]}\n")
    assert result.failure is not None
    assert result.failure.mismatches[0].actual == "visible: [Showcase]"


def test_clicks_in_seller_center_invite_an_account() -> None:
    result = run_steps(
        "  - click: {shop: gb, on: [My Account, Bind TikTok account, Bind official account,"
        " Send invitation], account: alice}\n"
        "  - expect: {invitation: {shop: gb, creator: alice}, state: pending}\n"
    )
    assert result.passed, result.failure and result.failure.message


def test_the_trace_records_timers_at_their_own_due_time_and_the_state_changes() -> None:
    result = run_steps(
        "  - invite: {shop: gb, creator: alice}\n  - advance: 3d\n"
        "  - expect: {invitation: {shop: gb, creator: alice}, state: expired,"
        " reasons: [INVITATION_EXPIRED]}\n"
    )
    assert result.passed
    invite, advance, _ = result.steps
    assert invite.actor == "gb"
    assert any(
        c.machine == "Invitation" and c.after == ("pending",)
        for e in invite.entries
        for c in e.changes
    )
    (timer,) = advance.timers
    assert timer.action == "expire"
    assert timer.at == datetime(2024, 11, 13, 12, 0, tzinfo=UTC)  # sent + 48h, not +3d
    assert advance.until == datetime(2024, 11, 14, 12, 0, tzinfo=UTC)
    data = advance.to_dict()
    assert data["timers"][0]["reasons"] == ["INVITATION_EXPIRED"]
    assert data["actor"] == "clock"


def test_shop_and_creator_checks_cover_limits_roles_and_capabilities() -> None:
    result = run_steps(
        "  - invite: {shop: inv, creator: alice}\n  - accept: {creator: alice, shop: inv}\n"
        "  - invite: {shop: inv, creator: bob, role: channel}\n"
        "  - accept: {creator: bob, shop: inv}\n"
        "  - expect:\n"
        "      - {shop: inv, official: alice, channels: [bob], official_unbinds_left: 3,"
        " channel_binds_left: 9, status: normal}\n"
        "      - {creator: alice, bound_shop: inv, role: official, capabilities:"
        " {auto_sync_showcase: true, add_from_shop: true, sell_in_live_and_video: true}}\n"
        "      - {creator: bob, role: channel, capabilities: {auto_sync_showcase: false,"
        " follower_minimum_applies: false}}\n"
        "      - {creator: kid, bound_shop: null, role: affiliate,"
        " capabilities: {sell_in_live_and_video: false}}\n"
    )
    assert result.passed, result.failure and result.failure.message


def test_a_failing_check_lists_every_fact_that_does_not_hold() -> None:
    result = run_steps(
        "  - expect: {shop: gb, official: alice, official_unbinds_left: 3, channel_binds_left: 1}\n"
    )
    assert result.failure is not None
    assert [(m.what, m.expected, m.actual) for m in result.failure.mismatches] == [
        ("shop gb official", "alice", None),
        ("shop gb channel_binds_left", 1, 0),
    ]


def test_a_stuck_binding_and_its_ticket_are_checked_by_state_and_reasons() -> None:
    result = run_steps(
        "  - invite: {shop: us, creator: expat}\n  - accept: {creator: expat, shop: us}\n"
        "  - expect: {binding: {shop: us, creator: expat}, state: stuck,"
        " reasons: [REGISTRATION_REGION_MISMATCH]}\n"
        "  - open_ticket: {shop: us, creator: expat}\n"
        "  - expect: {ticket: {shop: us, creator: expat}, state: open,"
        " causes: [REGISTRATION_REGION_MISMATCH]}\n"
        "  - advance: 24h\n"
        "  - expect:\n"
        "      - {ticket: {shop: us, creator: expat}, state: closed}\n"
        "      - {binding: {shop: us, creator: expat}, state: failed}\n"
        "      - {creator: expat, registration_country: DE, bound_shop: null}\n"
    )
    assert result.passed, result.failure and result.failure.message


def test_a_check_of_something_that_does_not_exist_fails_clearly() -> None:
    result = run_steps("  - expect: {invitation: {shop: gb, creator: alice}, state: pending}\n")
    assert result.failure is not None
    assert "nothing: unknown invitation" in result.failure.message


@pytest.mark.parametrize(("at", "holds"), [("12:00:00Z", True), ("12:00:01Z", False)])
def test_a_time_check_compares_the_simulated_clock(at: str, holds: bool) -> None:
    result = run_steps(f"  - expect: {{time: 2024-11-11T{at}}}\n")
    assert result.passed is holds


def test_the_start_time_and_ruleset_come_from_the_file() -> None:
    scenario = load_text(
        "name: short ttl\nstart: 2024-11-11T20:06:00+08:00\nruleset: {invite_ttl: 1h}\n"
        "shops: {gb: {region: GB}}\ncreators: {alice: {country: GB, age: 24}}\nsteps:\n"
        "  - invite: {shop: gb, creator: alice}\n  - advance: 59m59s\n"
        "  - expect: {invitation: {shop: gb, creator: alice}, state: pending}\n"
        "  - advance: 1s\n"
        "  - expect: [{invitation: {shop: gb, creator: alice}, state: expired},"
        " {time: 2024-11-11T13:06:00Z}]\n"
    )
    assert run(scenario).passed
