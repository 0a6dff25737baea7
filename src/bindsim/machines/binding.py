"""One shop × account binding: in progress, stuck, bound (locked 24h), unlinked, or failed."""

from __future__ import annotations

from statemachine import State

from bindsim.machines.base import BindsimMachine
from bindsim.machines.text import Edge, Node, Text, Timer


class Binding(BindsimMachine):
    """The life of a binding, from the creator's acceptance to its unbinding (R-LOCK-24H ...)."""

    binding = State(initial=True)
    stuck = State()

    class bound(State.Compound):
        locked = State(initial=True)
        unlockable = State()
        unlink_requested = State()

        unlock = locked.to(unlockable)
        request_unlink = unlockable.to(unlink_requested, cond="unblocked")
        decline_unlink = unlink_requested.to(unlockable)

    unbound = State(final=True)
    failed = State(final=True)

    confirm = binding.to(stuck, cond="blocked") | binding.to(bound, unless="blocked")
    release = stuck.to(bound)
    fail = stuck.to(failed)
    approve_unlink = bound.unlink_requested.to(unbound)

    title = Text("Binding", "账号绑定")
    nodes = {
        "binding": Node(Text("binding in progress", "绑定中"), ("R-FAIL",)),
        "stuck": Node(Text("stuck in binding", "长期绑定中"), ("R-STUCK",), kind="error"),
        "bound": Node(Text("bound", "已绑定"), ("R-EXCLUSIVE", "R-CAP-OFFICIAL", "R-CAP-CHANNEL")),
        "locked": Node(Text("locked (no unbinding)", "锁定期(不可解绑)"), ("R-LOCK-24H",)),
        "unlockable": Node(Text("can be unbound", "可解绑"), ("R-LOCK-24H",)),
        "unlink_requested": Node(
            Text("unlink requested", "已申请解绑"), ("R-UNLINK-PATH", "R-UNLINK-APPROVE")
        ),
        "unbound": Node(Text("unbound", "已解绑"), ("R-RELEASE", "R-REBIND"), kind="final"),
        "failed": Node(Text("failed", "绑定失败"), ("R-TICKET", "R-STUCK"), kind="error"),
    }
    edges = {
        "confirm": Edge(
            Text("binding completes", "完成绑定"),
            ("R-STUCK",),
            guards={
                "bound": Text(
                    "registration in shop country, e-commerce permission kept",
                    "注册地址在经营国家且电商权限正常",
                ),
                "stuck": Text(
                    "registration abroad or e-commerce permission revoked",
                    "注册地址在非经营国家或电商权限被回收",
                ),
            },
        ),
        "release": Edge(
            Text("cause gone (ticket, fact, 18)", "原因消除(工单、信息、满 18 岁)"),
            ("R-STUCK", "R-TICKET", "A-AGE"),
        ),
        "fail": Edge(
            Text("ticket closed: cannot be fixed", "工单关闭:无法解决"), ("R-STUCK", "R-TICKET")
        ),
        "unlock": Edge(Text("lock ends", "锁定结束"), ("R-LOCK-24H",), timer=Timer("unbind_lock")),
        "request_unlink": Edge(
            Text("creator sends unlink request", "达人发送解绑申请"),
            ("R-UNLINK-PATH", "R-OFFICIAL-UNBIND-3", "A-CHANNEL-UNLINK"),
            guards={
                "unlink_requested": Text(
                    "phone in shop country; fewer than 3 official unbinds so far",
                    "网络在小店所在国家;官方账号历史解绑少于 3 次",
                )
            },
        ),
        "decline_unlink": Edge(Text("merchant declines", "商家拒绝"), ("A-DECLINE",)),
        "approve_unlink": Edge(
            Text("merchant agrees", "商家同意"), ("R-UNLINK-APPROVE", "R-RELEASE")
        ),
    }
