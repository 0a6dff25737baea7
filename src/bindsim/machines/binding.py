"""One shop × account binding: in progress, stuck, bound (locked 24h), unlinked, or failed."""

from __future__ import annotations

from statemachine import State

from bindsim.machines.base import BindsimMachine
from bindsim.machines.text import Edge, Node, Text, Timer, described, when


class Binding(BindsimMachine):
    """The life of a binding, from the creator's acceptance to its unbinding (R-LOCK-24H ...)."""

    title = Text("Binding", "账号绑定")

    binding = described(
        State(initial=True), Node(Text("binding in progress", "绑定中"), ("R-FAIL",))
    )
    stuck = described(
        State(), Node(Text("stuck in binding", "长期绑定中"), ("R-STUCK",), kind="error")
    )

    class bound(State.Compound):
        locked = described(
            State(initial=True),
            Node(Text("locked (no unbinding)", "锁定期(不可解绑)"), ("R-LOCK-24H",)),
        )
        unlockable = described(State(), Node(Text("can be unbound", "可解绑"), ("R-LOCK-24H",)))
        unlink_requested = described(
            State(),
            Node(Text("unlink requested", "已申请解绑"), ("R-UNLINK-PATH", "R-UNLINK-APPROVE")),
        )

        unlock = described(
            locked.to(unlockable),
            Edge(Text("lock ends", "锁定结束"), ("R-LOCK-24H",), timer=Timer("unbind_lock")),
        )
        request_unlink = described(
            when(
                unlockable.to(unlink_requested, cond="unblocked"),
                Text(
                    "phone in shop country; fewer than 3 official unbinds so far",
                    "网络在小店所在国家;官方账号历史解绑少于 3 次",
                ),
            ),
            Edge(
                Text("creator sends unlink request", "达人发送解绑申请"),
                ("R-UNLINK-PATH", "R-OFFICIAL-UNBIND-3", "A-CHANNEL-UNLINK"),
            ),
        )
        decline_unlink = described(
            unlink_requested.to(unlockable),
            Edge(Text("merchant declines", "商家拒绝"), ("A-DECLINE",)),
        )

    described(  # a compound's words follow its class statement
        bound, Node(Text("bound", "已绑定"), ("R-EXCLUSIVE", "R-CAP-OFFICIAL", "R-CAP-CHANNEL"))
    )
    unbound = described(
        State(final=True), Node(Text("unbound", "已解绑"), ("R-RELEASE", "R-REBIND"), kind="final")
    )
    failed = described(
        State(final=True), Node(Text("failed", "绑定失败"), ("R-TICKET", "R-STUCK"), kind="error")
    )

    confirm = described(
        when(
            binding.to(stuck, cond="blocked"),
            Text(
                "registration abroad or e-commerce permission revoked",
                "注册地址在非经营国家或电商权限被回收",
            ),
        )
        | when(
            binding.to(bound, unless="blocked"),
            Text(
                "registration in shop country, e-commerce permission kept",
                "注册地址在经营国家且电商权限正常",
            ),
        ),
        Edge(Text("binding completes", "完成绑定"), ("R-STUCK",)),
    )
    release = described(
        stuck.to(bound),
        Edge(
            Text("cause gone (ticket, fact, 18)", "原因消除(工单、信息、满 18 岁)"),
            ("R-STUCK", "R-TICKET", "A-AGE"),
        ),
    )
    fail = described(
        stuck.to(failed),
        Edge(Text("ticket closed: cannot be fixed", "工单关闭:无法解决"), ("R-STUCK", "R-TICKET")),
    )
    approve_unlink = described(
        bound.unlink_requested.to(unbound),
        Edge(Text("merchant agrees", "商家同意"), ("R-UNLINK-APPROVE", "R-RELEASE")),
    )
