"""The reason codes: every refusal and failure names one or more of them (docs/reference.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bindsim.machines.text import Text


class Reason(StrEnum):
    """A stable reason code, as used in scenario files, JSON output and tests."""

    ACCOUNT_ABNORMAL = "ACCOUNT_ABNORMAL"
    SHOP_ABNORMAL = "SHOP_ABNORMAL"
    UNDER_18 = "UNDER_18"
    COUNTRY_MISMATCH = "COUNTRY_MISMATCH"
    NETWORK_REGION_MISMATCH = "NETWORK_REGION_MISMATCH"
    HOME_REGION_MISMATCH = "HOME_REGION_MISMATCH"
    ALREADY_BOUND = "ALREADY_BOUND"
    OFFICIAL_SLOT_TAKEN = "OFFICIAL_SLOT_TAKEN"
    CHANNEL_NOT_ALLOWED = "CHANNEL_NOT_ALLOWED"
    CHANNEL_SLOTS_FULL = "CHANNEL_SLOTS_FULL"
    CHANNEL_BIND_LIMIT = "CHANNEL_BIND_LIMIT"
    OFFICIAL_UNBIND_LIMIT = "OFFICIAL_UNBIND_LIMIT"
    UNBIND_LOCKED = "UNBIND_LOCKED"
    INVITATION_PENDING = "INVITATION_PENDING"
    INVITATION_EXPIRED = "INVITATION_EXPIRED"
    NOT_VISIBLE = "NOT_VISIBLE"
    REGISTRATION_REGION_MISMATCH = "REGISTRATION_REGION_MISMATCH"
    ECOMMERCE_PERMISSION_REVOKED = "ECOMMERCE_PERMISSION_REVOKED"

    @property
    def info(self) -> ReasonInfo:
        return REASONS[self]


@dataclass(frozen=True, slots=True)
class ReasonInfo:
    """The message a user sees for a reason code, the rules behind it, where known a remedy, and
    the scenario verbs whose step can be refused with it (or, for a stuck binding or a ticket's
    causes, whose step records it)."""

    rules: tuple[str, ...]
    message: Text
    remedy: Text | None = None
    verbs: tuple[str, ...] = ()


_TICKET = Text(
    "open a support ticket: Seller Center → Help Center",
    "在商家后台-帮助中心发起客服工单",
)

# Inviting is the invite shortcut, or the click on "Send invitation" in Seller Center.
_INVITING = ("invite", "click")

REASONS: dict[Reason, ReasonInfo] = {
    Reason.ACCOUNT_ABNORMAL: ReasonInfo(
        ("R-ELIGIBLE", "R-FAIL"),
        Text("the TikTok account's status is abnormal", "TikTok 账号状态异常"),
        Text("support cannot fix an abnormal account status", "账号状态异常客服无法处理"),
        verbs=_INVITING + ("accept", "open_ticket"),
    ),
    Reason.SHOP_ABNORMAL: ReasonInfo(
        ("R-FAIL",),
        Text("the shop's status is abnormal", "店铺状态异常"),
        verbs=_INVITING + ("accept",),
    ),
    Reason.UNDER_18: ReasonInfo(
        ("R-ELIGIBLE", "R-FAIL"),
        Text("the account's user is under 18", "TikTok 账号未满 18 岁"),
        _TICKET,
        verbs=_INVITING + ("accept", "open_ticket"),
    ),
    Reason.COUNTRY_MISMATCH: ReasonInfo(
        ("R-ELIGIBLE",),
        Text("the account's country differs from the shop's", "账号所在国家与店铺所在国家不一致"),
        _TICKET,
        verbs=_INVITING + ("accept", "open_ticket"),
    ),
    Reason.NETWORK_REGION_MISMATCH: ReasonInfo(
        ("R-FAIL", "R-UNLINK-PATH"),
        Text(
            "the phone's current network (IP) location differs from the shop's country",
            "当前网络地址与经营国家不一致",
        ),
        Text("connect from a network in the shop's country", "使用店铺所在国家的网络"),
        verbs=("accept", "tap", "request_unlink"),
    ),
    Reason.ALREADY_BOUND: ReasonInfo(
        ("R-EXCLUSIVE", "R-FAIL"),
        Text("the TikTok account is already bound to a shop", "TikTok 账号已被绑定"),
        Text("the account must be unbound first", "需先解绑该账号"),
        verbs=_INVITING + ("accept", "open_ticket"),
    ),
    Reason.OFFICIAL_SLOT_TAKEN: ReasonInfo(
        ("R-SLOT-OPEN", "R-SLOT-INVITED"),
        Text(
            "the shop already has (or is binding) an official account",
            "店铺已绑定(或正在绑定)官方账号",
        ),
        verbs=_INVITING + ("accept",),
    ),
    Reason.CHANNEL_NOT_ALLOWED: ReasonInfo(
        ("R-SLOT-OPEN",),
        Text(
            "an open-enrollment shop cannot bind channel creators",
            "普招商家不能绑定渠道达人",
        ),
        verbs=_INVITING + ("accept",),
    ),
    Reason.CHANNEL_SLOTS_FULL: ReasonInfo(
        ("R-SLOT-INVITED",),
        Text(
            "the shop already has (or is binding) 4 channel creators",
            "店铺已绑定(或正在绑定)4 个渠道达人",
        ),
        verbs=_INVITING + ("accept",),
    ),
    Reason.CHANNEL_BIND_LIMIT: ReasonInfo(
        ("R-CHANNEL-10-180D",),
        Text(
            "the shop bound 10 channel accounts in the last 180 days",
            "店铺 180 天内已绑定 10 次渠道账号",
        ),
        verbs=_INVITING + ("accept",),
    ),
    Reason.OFFICIAL_UNBIND_LIMIT: ReasonInfo(
        ("R-OFFICIAL-UNBIND-3",),
        Text(
            "the shop's official account was unbound 3 times already",
            "官方账号历史解绑次数已用完(3 次)",
        ),
        verbs=("tap", "request_unlink", "click", "approve_unlink"),
    ),
    Reason.UNBIND_LOCKED: ReasonInfo(
        ("R-LOCK-24H",),
        Text(
            "less than 24 hours since the binding was established",
            "绑定后 24 小时才可解绑",
        ),
        Text("wait until 24 hours after binding", "绑定满 24 小时后再解绑"),
        verbs=("tap", "request_unlink"),
    ),
    Reason.INVITATION_PENDING: ReasonInfo(
        ("A-PENDING-SLOT",),
        Text(
            "the shop already has a pending invitation to this account",
            "店铺已向该账号发出待确认的邀请",
        ),
        verbs=_INVITING,
    ),
    Reason.INVITATION_EXPIRED: ReasonInfo(
        ("R-INVITE-48H",),
        Text(
            "the invitation was not confirmed within 48 hours",
            "邀请未在 48 小时内确认,已过期",
        ),
        Text("send a new invitation", "重新发送邀请"),
        verbs=("accept",),
    ),
    Reason.NOT_VISIBLE: ReasonInfo(
        ("R-UNLINK-PATH", "R-SELLER-NAV"),
        Text("that label is not on the current screen", "当前页面上没有该入口"),
        verbs=("tap", "click", "request_unlink"),
    ),
    Reason.HOME_REGION_MISMATCH: ReasonInfo(
        ("R-UNLINK-PATH", "A-HOME-REGION"),
        Text(
            "the account's home region is outside the shop's country",
            "账号归属地不在小店所在国家",
        ),
        Text(
            "the showcase button shows only when the home region is the shop's country",
            "确保网络和归属地都在小店所在国家,才能看到账号橱窗按钮",
        ),
        verbs=("tap", "request_unlink"),
    ),
    Reason.REGISTRATION_REGION_MISMATCH: ReasonInfo(
        ("R-STUCK",),
        Text(
            "the account's registration address is outside the shop's country",
            "账号的注册地址在非经营国家",
        ),
        _TICKET,
        verbs=("accept", "open_ticket", "click"),
    ),
    Reason.ECOMMERCE_PERMISSION_REVOKED: ReasonInfo(
        ("R-STUCK",),
        Text(
            "the account's e-commerce permission was revoked for violations",
            "经营行为违规,电商权限被回收",
        ),
        verbs=("accept", "open_ticket", "click"),
    ),
}


_ORDER = {reason: index for index, reason in enumerate(Reason)}


def ordered(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """Reason codes without repeats, in the order of the table: how refusals list them."""
    return tuple(sorted(set(reasons), key=_ORDER.__getitem__))
