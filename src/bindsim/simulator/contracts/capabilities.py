"""Contracts of what an account may do: R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000, A-AFFILIATE.
They judge the World's answers (Answers.capabilities) against the records."""

from __future__ import annotations

from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator.contracts import recount
from bindsim.simulator.contracts.base import Answers, Verdict, on_state
from bindsim.simulator.state import State


def _bound_role(state: State, creator_id: str) -> str | None:
    held = [b for b in recount.live_of_creator(state, creator_id) if b.node in recount.BOUND_NODES]
    return held[0].role if held else None


def _each(state: State, answers: Answers | None, role: str | None, judge: object) -> Verdict:
    if answers is None:
        return None
    judged = False
    for creator in state.creators.values():
        if _bound_role(state, creator.id) != role:
            continue
        judged = True
        problem = judge(creator, answers.capabilities(creator.id))  # type: ignore[operator]
        if problem:
            return f"{creator.id}: {problem}"
    return True if judged else None


@on_state("R-CAP-OFFICIAL")
def official_gets_sync_and_add_from_shop(
    state: State, now: datetime, rules: Ruleset, answers: Answers | None
) -> Verdict:
    """An official account gets the shop's products synced into its showcase automatically, and
    can also add products by hand with "Add from shop"."""
    return _each(
        state,
        answers,
        "official",
        lambda c, cap: (
            ""
            if cap.role == "official" and cap.auto_sync_showcase and cap.add_from_shop
            else f"answered {cap}"
        ),
    )


@on_state("R-CAP-CHANNEL")
def channel_adds_by_hand_only(
    state: State, now: datetime, rules: Ruleset, answers: Answers | None
) -> Verdict:
    """A channel creator can only add products by hand with "Add from shop" (no automatic
    sync)."""
    return _each(
        state,
        answers,
        "channel",
        lambda c, cap: (
            ""
            if cap.role == "channel" and not cap.auto_sync_showcase and cap.add_from_shop
            else f"answered {cap}"
        ),
    )


@on_state("R-NO-1000")
def bound_accounts_sell_without_1000_followers(
    state: State, now: datetime, rules: Ruleset, answers: Answers | None
) -> Verdict:
    """A creator account bound to the shop may sell through LIVE and short videos without the
    usual 1,000-follower minimum."""
    if answers is None:
        return None
    judged = False
    for creator in state.creators.values():
        if _bound_role(state, creator.id) is None:
            continue
        judged = True
        cap = answers.capabilities(creator.id)
        if not cap.sell_in_live_and_video or cap.follower_minimum_applies:
            return f"{creator.id}, bound, answered {cap}"
    return True if judged else None


@on_state("A-AFFILIATE")
def unbound_accounts_need_1000_followers(
    state: State, now: datetime, rules: Ruleset, answers: Answers | None
) -> Verdict:
    """An unbound (affiliate) creator needs at least 1,000 followers to sell through LIVE or
    short video, and cannot Add from shop."""
    return _each(
        state,
        answers,
        None,
        lambda c, cap: (
            ""
            if cap.role == "affiliate"
            and not cap.add_from_shop
            and cap.follower_minimum_applies
            and cap.sell_in_live_and_video == (c.followers >= rules.follower_minimum)
            else f"with {c.followers} followers answered {cap}"
        ),
    )
