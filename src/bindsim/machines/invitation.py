"""R-INVITE-48H: an invitation waits for the creator's confirmation, 48 hours at most."""

from __future__ import annotations

from statemachine import State

from bindsim.machines.base import BindsimMachine
from bindsim.machines.text import Edge, Node, Text, Timer, described, when


class Invitation(BindsimMachine):
    """A shop's invitation to one TikTok account, from sending to its end.

    The merchant's "Send invitation" creates it `sent`; it is `pending` once the creator's app
    has it (at once, unless the ruleset delays delivery). The 48 hours run from the sending:
    `expire` leaves both states, so its timer starts when the invitation is sent.
    """

    title = Text("Invitation", "绑定邀请")

    sent = described(
        State(initial=True),
        Node(Text("sent (on its way to the app)", "已发送(送达 App 中)"), ("R-SELLER-NAV",)),
    )
    pending = described(
        State(), Node(Text("pending (awaiting creator)", "待达人确认"), ("R-INVITE-48H",))
    )
    accepted = described(State(final=True), Node(Text("accepted", "已确认"), kind="final"))
    expired = described(
        State(final=True), Node(Text("expired", "已过期"), ("R-INVITE-48H",), kind="error")
    )
    declined = described(
        State(final=True), Node(Text("declined", "已拒绝"), ("A-DECLINE",), kind="final")
    )
    withdrawn = described(
        State(final=True), Node(Text("withdrawn", "已撤回"), ("A-DECLINE",), kind="final")
    )

    deliver = described(
        sent.to(pending),
        Edge(
            Text("reaches the creator's app", "送达达人 App"),
            ("R-INVITE-48H",),
            timer=Timer("invite_delivery_delay"),
        ),
    )
    accept = described(
        when(
            pending.to(accepted, cond="unblocked"),
            Text(
                "account still eligible, network region = shop country",
                "账号仍符合要求,网络地址与经营国家一致",
            ),
        ),
        Edge(
            Text("creator confirms in the app", "达人在 App 端确认"),
            ("R-INVITE-48H", "R-FAIL", "A-CHECK-AGAIN"),
        ),
    )
    expire = described(
        sent.to(expired) | pending.to(expired),
        Edge(
            Text("no confirmation within 48h of sending", "发送后 48 小时内未确认"),
            ("R-INVITE-48H",),
            timer=Timer("invite_ttl"),
        ),
    )
    decline = described(
        pending.to(declined), Edge(Text("creator declines", "达人拒绝"), ("A-DECLINE",))
    )
    withdraw = described(
        sent.to(withdrawn) | pending.to(withdrawn),
        Edge(Text("merchant withdraws", "商家撤回"), ("A-DECLINE",)),
    )
