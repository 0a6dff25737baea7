"""R-INVITE-48H: an invitation waits for the creator's confirmation, 48 hours at most."""

from __future__ import annotations

from statemachine import State

from bindsim.machines.base import BindsimMachine
from bindsim.machines.text import Edge, Node, Text, Timer


class Invitation(BindsimMachine):
    """A shop's invitation to one TikTok account, from sending to its end.

    The merchant's "Send invitation" creates it `sent`; it is `pending` once the creator's app
    has it (at once, unless the ruleset delays delivery). The 48 hours run from the sending:
    `expire` leaves both states, so its timer starts when the invitation is sent.
    """

    sent = State(initial=True)
    pending = State()
    accepted = State(final=True)
    expired = State(final=True)
    declined = State(final=True)
    withdrawn = State(final=True)

    deliver = sent.to(pending)
    accept = pending.to(accepted, cond="unblocked")
    expire = sent.to(expired) | pending.to(expired)
    decline = pending.to(declined)
    withdraw = sent.to(withdrawn) | pending.to(withdrawn)

    title = Text("Invitation", "绑定邀请")
    nodes = {
        "sent": Node(
            Text("sent (on its way to the app)", "已发送(送达 App 中)"), ("R-SELLER-NAV",)
        ),
        "pending": Node(Text("pending (awaiting creator)", "待达人确认"), ("R-INVITE-48H",)),
        "accepted": Node(Text("accepted", "已确认"), kind="final"),
        "expired": Node(Text("expired", "已过期"), ("R-INVITE-48H",), kind="error"),
        "declined": Node(Text("declined", "已拒绝"), ("A-DECLINE",), kind="final"),
        "withdrawn": Node(Text("withdrawn", "已撤回"), ("A-DECLINE",), kind="final"),
    }
    edges = {
        "accept": Edge(
            Text("creator confirms in the app", "达人在 App 端确认"),
            ("R-INVITE-48H", "R-FAIL", "A-CHECK-AGAIN"),
            guards={
                "accepted": Text(
                    "account still eligible, network region = shop country",
                    "账号仍符合要求,网络地址与经营国家一致",
                )
            },
        ),
        "deliver": Edge(
            Text("reaches the creator's app", "送达达人 App"),
            ("R-INVITE-48H",),
            timer=Timer("invite_delivery_delay"),
        ),
        "expire": Edge(
            Text("no confirmation within 48h of sending", "发送后 48 小时内未确认"),
            ("R-INVITE-48H",),
            timer=Timer("invite_ttl"),
        ),
        "decline": Edge(Text("creator declines", "达人拒绝"), ("A-DECLINE",)),
        "withdraw": Edge(Text("merchant withdraws", "商家撤回"), ("A-DECLINE",)),
    }
