"""R-TICKET: a support ticket fixes what support may fix, and closes on what it may not."""

from __future__ import annotations

from statemachine import State

from bindsim.machines.base import BindsimMachine
from bindsim.machines.text import Edge, Node, Text, Timer, described, when


class SupportTicket(BindsimMachine):
    """A ticket opened from Seller Center → Help Center about one account."""

    title = Text("Support ticket", "客服工单")

    open = described(
        State(initial=True), Node(Text("open", "处理中"), ("R-TICKET", "A-TICKET-TIME"))
    )
    resolved = described(
        State(final=True), Node(Text("resolved (fixed)", "已解决"), ("R-TICKET",), kind="final")
    )
    closed = described(
        State(final=True),
        Node(
            Text("closed (cannot be fixed)", "已关闭(无法解决)"),
            ("R-TICKET", "A-TICKET-COUNTRY"),
            kind="error",
        ),
    )

    resolve = described(
        when(
            open.to(closed, cond="blocked"),
            Text(
                "abnormal account, or registration country support may not change",
                "账号状态异常,或注册国家客服无法修改",
            ),
        )
        | when(
            open.to(resolved, unless="blocked"),
            Text("every cause can be fixed", "所有原因均可解决"),
        ),
        Edge(
            Text("support answers", "客服处理完毕"),
            ("R-TICKET", "A-TICKET-TIME"),
            timer=Timer("ticket_resolution_time"),
        ),
    )
