"""The World's actions, declared once: one row per verb, which every surface reads.

A row gives the verb's parameters and their types, the World call it makes, the same operation
on a bare state (what `bindsim explore` applies), the tap/click path a shortcut walks, its words
in English and Chinese, its help and its rule IDs. The scenario format (and so the schema,
walk's grammar and the reference), serve's forms, explore's moves and the storyboards' captions
are all read from ACTIONS: a new verb is one row here (and, where its value is of a new type, one
entry in each surface's map of types).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bindsim.machines.text import Text
from bindsim.simulator import operations, screens
from bindsim.simulator.step import Step

if TYPE_CHECKING:
    from bindsim.simulator.world import World

Args = Mapping[str, Any]
# The types a parameter may have; each surface maps these names to its own reading of a value
# (the scenario format to value types, serve to form parsers).
ParamType = Literal[
    "shop", "creator", "role", "duration", "time", "app labels", "center labels", "facts"
]
Side = Literal["app", "center"]


@dataclass(frozen=True)
class Param:
    """One parameter of an action: `invite`'s `shop`, `creator` and `role`."""

    name: str
    type: ParamType
    required: bool = True
    default: Any = None
    named: bool = False  # walk: only as `name=value`, never by position
    help: str = ""


@dataclass(frozen=True)
class Action:
    """One verb of the World.

    `call(world, args)` is the World's API; `apply(step, args)` the same operation on a state
    being stepped, without the World's argument checks and log (None for the clock, which moves
    time rather than the state). `path(args)` is the labels the shortcut walks on its `side`
    (the app or Seller Center), for the storyboards' screens.
    """

    name: str
    params: tuple[Param, ...]
    call: Callable[[World, Args], object]
    apply: Callable[[Step, Args], object] | None
    label: Text  # what the action is called on a timeline, a log line, a button
    says: Text  # the step as a sentence, the parameters in braces: "{shop} invites {creator}"
    help: str
    rules: tuple[str, ...] = ()
    side: Side | None = None
    path: Callable[[Args], tuple[str, ...]] | None = None
    offered: bool = False  # a button of serve's Actions panel (ids and a role, nothing typed)


def _shop_creator() -> tuple[Param, Param]:
    return Param("shop", "shop"), Param("creator", "creator")


def _creator_shop() -> tuple[Param, Param]:
    return Param("creator", "creator"), Param("shop", "shop")


def _tap(world: World, args: Args) -> None:
    for label in args["on"]:  # stops at the first refusal
        world.tap(args["creator"], label)


def _click(world: World, args: Args) -> None:
    for label in args["on"]:
        world.click(args["shop"], label, account=args.get("account"))


def _set(world: World, args: Args) -> None:
    changes = dict(args)
    if "shop" in changes:
        world.set_shop(changes.pop("shop"), **changes)
    else:
        world.set_creator(changes.pop("creator"), **changes)


def _set_state(step: Step, args: Args) -> None:
    changes = dict(args)
    if "shop" in changes:
        operations.set_shop(step, changes.pop("shop"), changes["status"])
    else:
        operations.set_creator(step, changes.pop("creator"), changes)


def _decline_unlink(step: Step, args: Args) -> None:
    operations.require_decline_allowed(step.rules)
    screens.answer_unlink(step, args["shop"], args["creator"], False)


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "invite",
            (*_shop_creator(), Param("role", "role", required=False, default="official")),
            lambda w, a: w.invite(a["shop"], a["creator"], role=a["role"]),
            lambda s, a: screens.invite(s, a["shop"], a["creator"], a["role"]),
            Text("invite", "发送邀请"),
            Text(
                "{shop} invites {creator} as its {role} account",
                "{shop} 邀请 {creator} 绑定为{role}",
            ),
            "the merchant sends an invitation; the creator has 48h to confirm",
            ("R-ELIGIBLE", "R-SELLER-NAV", "R-INVITE-48H"),
            "center",
            lambda a: screens.invite_path(a.get("role", "official")),
            offered=True,
        ),
        Action(
            "accept",
            _creator_shop(),
            lambda w, a: w.accept(a["creator"], a["shop"]),
            lambda s, a: operations.accept(s, a["creator"], a["shop"]),
            Text("accept", "确认邀请"),
            Text(
                "{creator} confirms {shop}'s invitation in the TikTok app",
                "{creator} 在 TikTok App 中确认 {shop} 的邀请",
            ),
            "the creator confirms the latest invitation from the shop in the app",
            ("R-FAIL", "A-CHECK-AGAIN"),
            "app",
            offered=True,
        ),
        Action(
            "decline",
            _creator_shop(),
            lambda w, a: w.decline(a["creator"], a["shop"]),
            lambda s, a: operations.end_invitation(s, a["shop"], a["creator"], "decline"),
            Text("decline", "拒绝邀请"),
            Text("{creator} declines {shop}'s invitation", "{creator} 拒绝 {shop} 的邀请"),
            "the creator declines the invitation",
            ("A-DECLINE",),
            "app",
            offered=True,
        ),
        Action(
            "withdraw",
            _shop_creator(),
            lambda w, a: w.withdraw(a["shop"], a["creator"]),
            lambda s, a: operations.end_invitation(s, a["shop"], a["creator"], "withdraw"),
            Text("withdraw", "撤回邀请"),
            Text("{shop} withdraws the invitation to {creator}", "{shop} 撤回对 {creator} 的邀请"),
            "the merchant withdraws a pending invitation",
            ("A-DECLINE",),
            "center",
            offered=True,
        ),
        Action(
            "advance",
            (Param("by", "duration"),),
            lambda w, a: w.advance(a["by"]),
            None,
            Text("time passes", "时间流逝"),
            Text("Time passes: {by}", "时间流逝:{by}"),
            "the clock moves forward; timers that come due fire, each at its own due time",
        ),
        Action(
            "advance_to",
            (Param("when", "time"),),
            lambda w, a: w.advance_to(a["when"]),
            None,
            Text("time passes", "时间流逝"),
            Text("Time passes until {when}", "时间流逝至 {when}"),
            "the clock moves forward to that time (never backwards)",
        ),
        Action(
            "tap",
            (Param("creator", "creator"), Param("on", "app labels")),
            _tap,
            lambda s, a: [screens.tap(s, a["creator"], label) for label in a["on"]],
            Text("tap", "点击"),
            Text("{creator} taps {on}", "{creator} 点击 {on}"),
            "taps labels on the creator's phone, in order, as shown; stops at the first refusal",
            ("R-UNLINK-PATH",),
            "app",
        ),
        Action(
            "click",
            (
                Param("shop", "shop"),
                Param("on", "center labels"),
                Param(
                    "account",
                    "creator",
                    required=False,
                    named=True,
                    help="the account typed into a guide, or whose unlink request to view",
                ),
            ),
            _click,
            lambda s, a: [screens.click(s, a["shop"], x, a.get("account")) for x in a["on"]],
            Text("click", "点击"),
            Text("{shop} clicks {on}", "{shop} 点击 {on}"),
            "clicks labels in the shop's Seller Center, in order",
            ("R-SELLER-NAV",),
            "center",
        ),
        Action(
            "request_unlink",
            (Param("creator", "creator"),),
            lambda w, a: w.request_unlink(a["creator"]),
            lambda s, a: screens.request_unlink(s, a["creator"]),
            Text("unlink request", "申请解绑"),
            Text(
                "{creator} sends an unlink request from the phone", "{creator} 在手机上发送解绑申请"
            ),
            "the whole creator-side tap path in one step",
            ("R-UNLINK-PATH",),
            "app",
            lambda a: screens.UNLINK_PATH,
            offered=True,
        ),
        Action(
            "approve_unlink",
            _shop_creator(),
            lambda w, a: w.approve_unlink(a["shop"], a["creator"]),
            lambda s, a: screens.answer_unlink(s, a["shop"], a["creator"], True),
            Text("agree to unlink", "同意解绑"),
            Text("{shop} agrees to unlink {creator}", "{shop} 同意解绑 {creator}"),
            "View details → Agree: the account is unbound",
            ("R-UNLINK-APPROVE",),
            "center",
            lambda a: screens.answer_path(True),
            offered=True,
        ),
        Action(
            "decline_unlink",
            _shop_creator(),
            lambda w, a: w.decline_unlink(a["shop"], a["creator"]),
            _decline_unlink,
            Text("decline unlink", "拒绝解绑"),
            Text("{shop} declines {creator}'s unlink request", "{shop} 拒绝 {creator} 的解绑申请"),
            "View details → Decline: the binding stays",
            ("A-DECLINE",),
            "center",
            lambda a: screens.answer_path(False),
            offered=True,
        ),
        Action(
            "set",
            (Param("creator", "creator", required=False), Param("shop", "shop", required=False)),
            _set,
            _set_state,
            Text("facts change", "信息变化"),
            Text("Facts change for {owner}: {facts}", "{owner} 的信息变化:{facts}"),
            "a fact changes: a creator's facts, or a shop's status",
        ),
        Action(
            "open_ticket",
            _shop_creator(),
            lambda w, a: w.open_ticket(a["shop"], a["creator"]),
            lambda s, a: screens.open_ticket(s, a["shop"], a["creator"]),
            Text("open ticket", "发起工单"),
            Text(
                "{shop} opens a support ticket about {creator}", "{shop} 就 {creator} 发起客服工单"
            ),
            "the merchant opens a support ticket about the account; answered after "
            "ticket_resolution_time",
            ("R-TICKET",),
            "center",
            lambda a: screens.TICKET_PATH,
            offered=True,
        ),
    )
}

_ANSWERED = Text("ticket answered", "工单处理完毕")

# What the log calls the moves that are no verb above, with their words for people: the timers
# the World fires (by their machine event) and the World's fact setters.
LOG_ONLY: dict[str, Text] = {
    "deliver": Text("reaches the app", "送达 App"),
    "expire": Text("expires", "邀请过期"),
    "unlock": Text("lock ends", "锁定结束"),
    "birthday": Text("turns 18", "年满 18 岁"),
    "resolve_ticket": _ANSWERED,
    "resolve": _ANSWERED,  # the ticket's timer, by its event
    "set_creator": Text("facts change", "账号信息变化"),
    "set_shop": Text("shop changes", "店铺信息变化"),
}

# Every name the log gives an action, and what a timeline, a trace or a storyboard calls it: the
# words the simulator hands the diagrams with a run (diagrams.Run.actions).
ACTION_WORDS: dict[str, Text] = {
    **{name: action.label for name, action in ACTIONS.items()},
    **LOG_ONLY,
}
