"""The machines of bindsim.machines as machines/spec.py reads them: written by
`python -m bindsim.machines.compile` from the classes, which stay the one definition; do not edit.

A run loads these instead of reading the classes, so that it need not import
python-statemachine; tests/test_compiled.py holds them equal to a fresh reading.
"""

from typing import Literal

from bindsim.machines import guards
from bindsim.machines.spec import Guard, MachineSpec, StateSpec, TransitionSpec
from bindsim.machines.text import Edge, Node, Text, Timer

INVITATION = MachineSpec(
    name="Invitation",
    title=Text(en="Invitation", zh="绑定邀请"),
    states=(
        StateSpec(id="sent", parent=None, children=(), initial=True, final=False),
        StateSpec(id="pending", parent=None, children=(), initial=False, final=False),
        StateSpec(id="accepted", parent=None, children=(), initial=False, final=True),
        StateSpec(id="expired", parent=None, children=(), initial=False, final=True),
        StateSpec(id="declined", parent=None, children=(), initial=False, final=True),
        StateSpec(id="withdrawn", parent=None, children=(), initial=False, final=True),
    ),
    transitions=(
        TransitionSpec(source="sent", target="pending", event="deliver", guards=()),
        TransitionSpec(source="sent", target="expired", event="expire", guards=()),
        TransitionSpec(source="sent", target="withdrawn", event="withdraw", guards=()),
        TransitionSpec(
            source="pending",
            target="accepted",
            event="accept",
            guards=(
                Guard(
                    name="unblocked", expected=True, function=guards.unblocked, params=("blockers",)
                ),
            ),
        ),
        TransitionSpec(source="pending", target="expired", event="expire", guards=()),
        TransitionSpec(source="pending", target="declined", event="decline", guards=()),
        TransitionSpec(source="pending", target="withdrawn", event="withdraw", guards=()),
    ),
    timers={"deliver": "invite_delivery_delay", "expire": "invite_ttl"},
    timer_sources={"deliver": frozenset({"sent"}), "expire": frozenset({"pending", "sent"})},
    nodes={
        "sent": Node(
            label=Text(en="sent (on its way to the app)", zh="已发送(送达 App 中)"),
            rules=("R-SELLER-NAV",),
        ),
        "pending": Node(
            label=Text(en="pending (awaiting creator)", zh="待达人确认"), rules=("R-INVITE-48H",)
        ),
        "accepted": Node(label=Text(en="accepted", zh="已确认"), kind="final"),
        "expired": Node(
            label=Text(en="expired", zh="已过期"), rules=("R-INVITE-48H",), kind="error"
        ),
        "declined": Node(
            label=Text(en="declined", zh="已拒绝"), rules=("A-DECLINE",), kind="final"
        ),
        "withdrawn": Node(
            label=Text(en="withdrawn", zh="已撤回"), rules=("A-DECLINE",), kind="final"
        ),
    },
    edges={
        "deliver": Edge(
            label=Text(en="reaches the creator's app", zh="送达达人 App"),
            rules=("R-INVITE-48H",),
            timer=Timer(setting="invite_delivery_delay"),
            guards={},
        ),
        "accept": Edge(
            label=Text(en="creator confirms in the app", zh="达人在 App 端确认"),
            rules=(
                "R-INVITE-48H",
                "R-FAIL",
                "A-CHECK-AGAIN",
            ),
            guards={
                "accepted": Text(
                    en="account still eligible, network region = shop country",
                    zh="账号仍符合要求,网络地址与经营国家一致",
                )
            },
        ),
        "expire": Edge(
            label=Text(en="no confirmation within 48h of sending", zh="发送后 48 小时内未确认"),
            rules=("R-INVITE-48H",),
            timer=Timer(setting="invite_ttl"),
            guards={},
        ),
        "decline": Edge(
            label=Text(en="creator declines", zh="达人拒绝"), rules=("A-DECLINE",), guards={}
        ),
        "withdraw": Edge(
            label=Text(en="merchant withdraws", zh="商家撤回"), rules=("A-DECLINE",), guards={}
        ),
    },
)

# The `state` of Invitation records: their outermost state ids, for mypy.
InvitationState = Literal["sent", "pending", "accepted", "expired", "declined", "withdrawn"]

BINDING = MachineSpec(
    name="Binding",
    title=Text(en="Binding", zh="账号绑定"),
    states=(
        StateSpec(id="binding", parent=None, children=(), initial=True, final=False),
        StateSpec(id="stuck", parent=None, children=(), initial=False, final=False),
        StateSpec(
            id="bound",
            parent=None,
            children=(
                "locked",
                "unlockable",
                "unlink_requested",
            ),
            initial=False,
            final=False,
        ),
        StateSpec(id="locked", parent="bound", children=(), initial=True, final=False),
        StateSpec(id="unlockable", parent="bound", children=(), initial=False, final=False),
        StateSpec(id="unlink_requested", parent="bound", children=(), initial=False, final=False),
        StateSpec(id="unbound", parent=None, children=(), initial=False, final=True),
        StateSpec(id="failed", parent=None, children=(), initial=False, final=True),
    ),
    transitions=(
        TransitionSpec(
            source="binding",
            target="stuck",
            event="confirm",
            guards=(
                Guard(name="blocked", expected=True, function=guards.blocked, params=("blockers",)),
            ),
        ),
        TransitionSpec(
            source="binding",
            target="bound",
            event="confirm",
            guards=(
                Guard(
                    name="blocked", expected=False, function=guards.blocked, params=("blockers",)
                ),
            ),
        ),
        TransitionSpec(source="stuck", target="bound", event="release", guards=()),
        TransitionSpec(source="stuck", target="failed", event="fail", guards=()),
        TransitionSpec(source="locked", target="unlockable", event="unlock", guards=()),
        TransitionSpec(
            source="unlockable",
            target="unlink_requested",
            event="request_unlink",
            guards=(
                Guard(
                    name="unblocked", expected=True, function=guards.unblocked, params=("blockers",)
                ),
            ),
        ),
        TransitionSpec(
            source="unlink_requested", target="unlockable", event="decline_unlink", guards=()
        ),
        TransitionSpec(
            source="unlink_requested", target="unbound", event="approve_unlink", guards=()
        ),
    ),
    timers={"unlock": "unbind_lock"},
    timer_sources={"unlock": frozenset({"locked"})},
    nodes={
        "binding": Node(label=Text(en="binding in progress", zh="绑定中"), rules=("R-FAIL",)),
        "stuck": Node(
            label=Text(en="stuck in binding", zh="长期绑定中"), rules=("R-STUCK",), kind="error"
        ),
        "bound": Node(
            label=Text(en="bound", zh="已绑定"),
            rules=(
                "R-EXCLUSIVE",
                "R-CAP-OFFICIAL",
                "R-CAP-CHANNEL",
            ),
        ),
        "locked": Node(
            label=Text(en="locked (no unbinding)", zh="锁定期(不可解绑)"), rules=("R-LOCK-24H",)
        ),
        "unlockable": Node(label=Text(en="can be unbound", zh="可解绑"), rules=("R-LOCK-24H",)),
        "unlink_requested": Node(
            label=Text(en="unlink requested", zh="已申请解绑"),
            rules=(
                "R-UNLINK-PATH",
                "R-UNLINK-APPROVE",
            ),
        ),
        "unbound": Node(
            label=Text(en="unbound", zh="已解绑"),
            rules=(
                "R-RELEASE",
                "R-REBIND",
            ),
            kind="final",
        ),
        "failed": Node(
            label=Text(en="failed", zh="绑定失败"),
            rules=(
                "R-TICKET",
                "R-STUCK",
            ),
            kind="error",
        ),
    },
    edges={
        "unlock": Edge(
            label=Text(en="lock ends", zh="锁定结束"),
            rules=("R-LOCK-24H",),
            timer=Timer(setting="unbind_lock"),
            guards={},
        ),
        "request_unlink": Edge(
            label=Text(en="creator sends unlink request", zh="达人发送解绑申请"),
            rules=(
                "R-UNLINK-PATH",
                "R-OFFICIAL-UNBIND-3",
                "A-CHANNEL-UNLINK",
            ),
            guards={
                "unlink_requested": Text(
                    en="phone in shop country; fewer than 3 official unbinds so far",
                    zh="网络在小店所在国家;官方账号历史解绑少于 3 次",
                )
            },
        ),
        "decline_unlink": Edge(
            label=Text(en="merchant declines", zh="商家拒绝"), rules=("A-DECLINE",), guards={}
        ),
        "confirm": Edge(
            label=Text(en="binding completes", zh="完成绑定"),
            rules=("R-STUCK",),
            guards={
                "stuck": Text(
                    en="registration abroad or e-commerce permission revoked",
                    zh="注册地址在非经营国家或电商权限被回收",
                ),
                "bound": Text(
                    en="registration in shop country, e-commerce permission kept",
                    zh="注册地址在经营国家且电商权限正常",
                ),
            },
        ),
        "release": Edge(
            label=Text(en="cause gone (ticket, fact, 18)", zh="原因消除(工单、信息、满 18 岁)"),
            rules=(
                "R-STUCK",
                "R-TICKET",
                "A-AGE",
            ),
            guards={},
        ),
        "fail": Edge(
            label=Text(en="ticket closed: cannot be fixed", zh="工单关闭:无法解决"),
            rules=(
                "R-STUCK",
                "R-TICKET",
            ),
            guards={},
        ),
        "approve_unlink": Edge(
            label=Text(en="merchant agrees", zh="商家同意"),
            rules=(
                "R-UNLINK-APPROVE",
                "R-RELEASE",
            ),
            guards={},
        ),
    },
)

# The `state` of Binding records: their outermost state ids, for mypy.
BindingState = Literal["binding", "stuck", "bound", "unbound", "failed"]

SUPPORT_TICKET = MachineSpec(
    name="SupportTicket",
    title=Text(en="Support ticket", zh="客服工单"),
    states=(
        StateSpec(id="open", parent=None, children=(), initial=True, final=False),
        StateSpec(id="resolved", parent=None, children=(), initial=False, final=True),
        StateSpec(id="closed", parent=None, children=(), initial=False, final=True),
    ),
    transitions=(
        TransitionSpec(
            source="open",
            target="closed",
            event="resolve",
            guards=(
                Guard(name="blocked", expected=True, function=guards.blocked, params=("blockers",)),
            ),
        ),
        TransitionSpec(
            source="open",
            target="resolved",
            event="resolve",
            guards=(
                Guard(
                    name="blocked", expected=False, function=guards.blocked, params=("blockers",)
                ),
            ),
        ),
    ),
    timers={"resolve": "ticket_resolution_time"},
    timer_sources={"resolve": frozenset({"open"})},
    nodes={
        "open": Node(
            label=Text(en="open", zh="处理中"),
            rules=(
                "R-TICKET",
                "A-TICKET-TIME",
            ),
        ),
        "resolved": Node(
            label=Text(en="resolved (fixed)", zh="已解决"), rules=("R-TICKET",), kind="final"
        ),
        "closed": Node(
            label=Text(en="closed (cannot be fixed)", zh="已关闭(无法解决)"),
            rules=(
                "R-TICKET",
                "A-TICKET-COUNTRY",
            ),
            kind="error",
        ),
    },
    edges={
        "resolve": Edge(
            label=Text(en="support answers", zh="客服处理完毕"),
            rules=(
                "R-TICKET",
                "A-TICKET-TIME",
            ),
            timer=Timer(setting="ticket_resolution_time"),
            guards={
                "closed": Text(
                    en="abnormal account, or registration country support may not change",
                    zh="账号状态异常,或注册国家客服无法修改",
                ),
                "resolved": Text(en="every cause can be fixed", zh="所有原因均可解决"),
            },
        )
    },
)

# The `state` of SupportTicket records: their outermost state ids, for mypy.
SupportTicketState = Literal["open", "resolved", "closed"]

CREATOR_APP = MachineSpec(
    name="CreatorApp",
    title=Text(en="Creator app: unlink path", zh="达人 App:解绑路径"),
    states=(
        StateSpec(id="profile", parent=None, children=(), initial=True, final=False),
        StateSpec(id="showcase_menu", parent=None, children=(), initial=False, final=False),
        StateSpec(id="showcase", parent=None, children=(), initial=False, final=False),
        StateSpec(id="your_shop", parent=None, children=(), initial=False, final=False),
        StateSpec(id="link_info", parent=None, children=(), initial=False, final=False),
        StateSpec(id="request_sent", parent=None, children=(), initial=False, final=False),
    ),
    transitions=(
        TransitionSpec(
            source="profile",
            target="showcase_menu",
            event="tap_showcase",
            guards=(
                Guard(
                    name="showcase_shown",
                    expected=True,
                    function=guards.showcase_shown,
                    params=("facts",),
                ),
            ),
        ),
        TransitionSpec(source="showcase_menu", target="showcase", event="tap_enter", guards=()),
        TransitionSpec(source="showcase_menu", target="profile", event="tap_back", guards=()),
        TransitionSpec(
            source="showcase",
            target="your_shop",
            event="tap_your_shop",
            guards=(
                Guard(name="linked", expected=True, function=guards.linked, params=("facts",)),
            ),
        ),
        TransitionSpec(source="showcase", target="profile", event="tap_back", guards=()),
        TransitionSpec(
            source="your_shop",
            target="link_info",
            event="tap_view_link_info",
            guards=(
                Guard(name="linked", expected=True, function=guards.linked, params=("facts",)),
            ),
        ),
        TransitionSpec(source="your_shop", target="showcase", event="tap_back", guards=()),
        TransitionSpec(source="your_shop", target="showcase", event="unlink_approved", guards=()),
        TransitionSpec(
            source="link_info",
            target="request_sent",
            event="tap_send_unlink_request",
            guards=(
                Guard(
                    name="can_request_unlink",
                    expected=True,
                    function=guards.can_request_unlink,
                    params=("facts",),
                ),
            ),
        ),
        TransitionSpec(source="link_info", target="your_shop", event="tap_back", guards=()),
        TransitionSpec(source="link_info", target="showcase", event="unlink_approved", guards=()),
        TransitionSpec(source="request_sent", target="link_info", event="tap_back", guards=()),
        TransitionSpec(
            source="request_sent", target="showcase", event="unlink_approved", guards=()
        ),
        TransitionSpec(
            source="request_sent", target="link_info", event="unlink_declined", guards=()
        ),
    ),
    timers={},
    timer_sources={},
    nodes={
        "profile": Node(label=Text(en="Profile", zh="个人主页"), rules=("R-UNLINK-PATH",)),
        "showcase_menu": Node(
            label=Text(en="Showcase menu", zh="橱窗菜单"), rules=("R-UNLINK-PATH",)
        ),
        "showcase": Node(label=Text(en="Showcase", zh="橱窗"), rules=("R-UNLINK-PATH",)),
        "your_shop": Node(
            label=Text(en="Your Shop", zh="Your Shop 页面"), rules=("R-UNLINK-PATH",)
        ),
        "link_info": Node(
            label=Text(en="Link info", zh="Link info 页面"), rules=("R-UNLINK-PATH",)
        ),
        "request_sent": Node(
            label=Text(en="Unlink request sent", zh="解绑申请已发送"),
            rules=(
                "R-UNLINK-PATH",
                "R-UNLINK-APPROVE",
            ),
        ),
    },
    edges={
        "tap_showcase": Edge(
            label=Text(en="Showcase", zh="账号橱窗"),
            rules=(
                "R-UNLINK-PATH",
                "A-HOME-REGION",
            ),
            guards={
                "showcase_menu": Text(
                    en="network and home region in the shop's country",
                    zh="网络和归属地在小店所在国家",
                )
            },
            hidden_by="showcase_blockers",
        ),
        "tap_enter": Edge(
            label=Text(en="Enter", zh="Enter(进入)"), rules=("R-UNLINK-PATH",), guards={}
        ),
        "tap_your_shop": Edge(
            label=Text(en="Your Shop", zh="Your Shop(你的店铺)"),
            rules=("R-UNLINK-PATH",),
            guards={"your_shop": Text(en="account bound to a shop", zh="账号已绑定店铺")},
        ),
        "tap_view_link_info": Edge(
            label=Text(en="View link info", zh="View link info(查看绑定信息)"),
            rules=("R-UNLINK-PATH",),
            guards={"link_info": Text(en="account bound to a shop", zh="账号已绑定店铺")},
        ),
        "tap_send_unlink_request": Edge(
            label=Text(en="Send unlink request", zh="Send unlink request(发送解绑申请)"),
            rules=(
                "R-UNLINK-PATH",
                "R-LOCK-24H",
                "R-OFFICIAL-UNBIND-3",
                "A-CHANNEL-UNLINK",
            ),
            guards={
                "request_sent": Text(
                    en="bound, no request yet; 24h passed, unbinds left",
                    zh="已绑定且未申请;已满 24 小时且仍有解绑次数",
                )
            },
        ),
        "tap_back": Edge(label=Text(en="Back", zh="返回"), rules=("R-UNLINK-PATH",), guards={}),
        "unlink_approved": Edge(
            label=Text(en="merchant agreed: link removed", zh="商家已同意:绑定已解除"),
            rules=(
                "R-UNLINK-APPROVE",
                "R-RELEASE",
            ),
            guards={},
            follows="Binding.approve_unlink",
        ),
        "unlink_declined": Edge(
            label=Text(en="merchant declined the request", zh="商家已拒绝解绑申请"),
            rules=("A-DECLINE",),
            guards={},
            follows="Binding.decline_unlink",
        ),
    },
    screens="app",
)

# The `state` of CreatorApp records: their outermost state ids, for mypy.
CreatorAppState = Literal[
    "profile", "showcase_menu", "showcase", "your_shop", "link_info", "request_sent"
]

SELLER_CENTER = MachineSpec(
    name="SellerCenter",
    title=Text(en="Seller Center", zh="商家后台"),
    states=(
        StateSpec(id="home", parent=None, children=(), initial=True, final=False),
        StateSpec(id="my_account", parent=None, children=(), initial=False, final=False),
        StateSpec(id="bind_account", parent=None, children=(), initial=False, final=False),
        StateSpec(id="bind_official", parent=None, children=(), initial=False, final=False),
        StateSpec(id="bind_channel", parent=None, children=(), initial=False, final=False),
        StateSpec(id="invitation_sent", parent=None, children=(), initial=False, final=False),
        StateSpec(id="invitation_refused", parent=None, children=(), initial=False, final=False),
        StateSpec(id="help_center", parent=None, children=(), initial=False, final=False),
        StateSpec(id="ticket_opened", parent=None, children=(), initial=False, final=False),
        StateSpec(id="unlink_details", parent=None, children=(), initial=False, final=False),
    ),
    transitions=(
        TransitionSpec(source="home", target="my_account", event="click_my_account", guards=()),
        TransitionSpec(source="home", target="help_center", event="click_help_center", guards=()),
        TransitionSpec(
            source="home",
            target="unlink_details",
            event="click_view_details",
            guards=(
                Guard(
                    name="has_unlink_request",
                    expected=True,
                    function=guards.has_unlink_request,
                    params=("facts",),
                ),
            ),
        ),
        TransitionSpec(
            source="my_account", target="bind_account", event="click_bind_tiktok_account", guards=()
        ),
        TransitionSpec(source="my_account", target="home", event="click_back", guards=()),
        TransitionSpec(source="my_account", target="home", event="click_home", guards=()),
        TransitionSpec(
            source="bind_account",
            target="bind_official",
            event="click_bind_official_account",
            guards=(),
        ),
        TransitionSpec(
            source="bind_account", target="bind_channel", event="click_channel_account", guards=()
        ),
        TransitionSpec(source="bind_account", target="my_account", event="click_back", guards=()),
        TransitionSpec(source="bind_account", target="home", event="click_home", guards=()),
        TransitionSpec(
            source="bind_official",
            target="invitation_refused",
            event="click_send_invitation",
            guards=(
                Guard(name="blocked", expected=True, function=guards.blocked, params=("blockers",)),
            ),
        ),
        TransitionSpec(
            source="bind_official",
            target="invitation_sent",
            event="click_send_invitation",
            guards=(
                Guard(
                    name="blocked", expected=False, function=guards.blocked, params=("blockers",)
                ),
            ),
        ),
        TransitionSpec(
            source="bind_official", target="bind_account", event="click_back", guards=()
        ),
        TransitionSpec(source="bind_official", target="home", event="click_home", guards=()),
        TransitionSpec(
            source="bind_channel",
            target="invitation_refused",
            event="click_send_invitation",
            guards=(
                Guard(name="blocked", expected=True, function=guards.blocked, params=("blockers",)),
            ),
        ),
        TransitionSpec(
            source="bind_channel",
            target="invitation_sent",
            event="click_send_invitation",
            guards=(
                Guard(
                    name="blocked", expected=False, function=guards.blocked, params=("blockers",)
                ),
            ),
        ),
        TransitionSpec(source="bind_channel", target="bind_account", event="click_back", guards=()),
        TransitionSpec(source="bind_channel", target="home", event="click_home", guards=()),
        TransitionSpec(
            source="invitation_sent", target="bind_account", event="click_back", guards=()
        ),
        TransitionSpec(source="invitation_sent", target="home", event="click_home", guards=()),
        TransitionSpec(
            source="invitation_refused", target="help_center", event="click_help_center", guards=()
        ),
        TransitionSpec(
            source="invitation_refused", target="bind_account", event="click_back", guards=()
        ),
        TransitionSpec(source="invitation_refused", target="home", event="click_home", guards=()),
        TransitionSpec(
            source="help_center", target="ticket_opened", event="click_open_ticket", guards=()
        ),
        TransitionSpec(source="help_center", target="home", event="click_back", guards=()),
        TransitionSpec(source="help_center", target="home", event="click_home", guards=()),
        TransitionSpec(source="ticket_opened", target="help_center", event="click_back", guards=()),
        TransitionSpec(source="ticket_opened", target="home", event="click_home", guards=()),
        TransitionSpec(source="unlink_details", target="home", event="click_agree", guards=()),
        TransitionSpec(source="unlink_details", target="home", event="click_decline", guards=()),
        TransitionSpec(source="unlink_details", target="home", event="click_back", guards=()),
        TransitionSpec(source="unlink_details", target="home", event="click_home", guards=()),
    ),
    timers={},
    timer_sources={},
    nodes={
        "home": Node(
            label=Text(en="Home (/homepage)", zh="首页 (/homepage)"), rules=("R-SELLER-NAV",)
        ),
        "my_account": Node(label=Text(en="My Account", zh="我的账号"), rules=("R-SELLER-NAV",)),
        "bind_account": Node(
            label=Text(en="Bind TikTok account", zh="绑定 TikTok 账号"),
            rules=(
                "R-SELLER-NAV",
                "R-REBIND",
                "R-SLOT-OPEN",
            ),
        ),
        "bind_official": Node(
            label=Text(en="Bind official account: guide", zh="绑定官方经营账号:指引"),
            rules=(
                "R-SELLER-NAV",
                "R-SLOT-OPEN",
            ),
        ),
        "bind_channel": Node(
            label=Text(en="Channel account: guide", zh="渠道经营账号:指引"),
            rules=(
                "R-SELLER-NAV",
                "R-SLOT-INVITED",
            ),
        ),
        "invitation_sent": Node(
            label=Text(en="Invitation sent (48h to confirm)", zh="邀请已发送(48 小时内确认)"),
            rules=("R-INVITE-48H",),
        ),
        "invitation_refused": Node(
            label=Text(en="Cannot send invitation: reasons", zh="无法发送邀请:原因"),
            rules=(
                "R-ELIGIBLE",
                "R-CHANNEL-10-180D",
            ),
            kind="error",
        ),
        "help_center": Node(label=Text(en="Help Center", zh="帮助中心"), rules=("R-TICKET",)),
        "ticket_opened": Node(
            label=Text(en="Ticket opened", zh="工单已提交"),
            rules=(
                "R-TICKET",
                "A-TICKET-TIME",
            ),
        ),
        "unlink_details": Node(
            label=Text(en="Unlink request: details", zh="解绑申请:详情"),
            rules=("R-UNLINK-APPROVE",),
        ),
    },
    edges={
        "click_my_account": Edge(
            label=Text(en="My Account", zh="我的账号"), rules=("R-SELLER-NAV",), guards={}
        ),
        "click_bind_tiktok_account": Edge(
            label=Text(en="Bind TikTok account", zh="绑定 TikTok 账号"),
            rules=(
                "R-SELLER-NAV",
                "R-REBIND",
            ),
            guards={},
        ),
        "click_bind_official_account": Edge(
            label=Text(en="Bind official account", zh="绑定官方经营账号"),
            rules=(
                "R-SELLER-NAV",
                "R-OFFICIAL-UNBIND-3",
            ),
            guards={},
        ),
        "click_channel_account": Edge(
            label=Text(en="Channel account", zh="渠道经营账号"),
            rules=(
                "R-SELLER-NAV",
                "R-CHANNEL-10-180D",
            ),
            guards={},
        ),
        "click_send_invitation": Edge(
            label=Text(en="Send invitation", zh="发送邀请"),
            rules=(
                "R-ELIGIBLE",
                "R-SLOT-OPEN",
                "R-SLOT-INVITED",
                "R-CHANNEL-10-180D",
                "R-EXCLUSIVE",
            ),
            guards={
                "invitation_refused": Text(en="any reason code applies", zh="存在任一拒绝原因"),
                "invitation_sent": Text(
                    en="account eligible, slot free, limits not reached",
                    zh="账号符合要求,名额未满,次数未用完",
                ),
            },
        ),
        "click_help_center": Edge(
            label=Text(en="Help Center", zh="帮助中心"), rules=("R-TICKET",), guards={}
        ),
        "click_open_ticket": Edge(
            label=Text(en="Open ticket", zh="发起客服工单"), rules=("R-TICKET",), guards={}
        ),
        "click_view_details": Edge(
            label=Text(en="View details", zh="查看细节"),
            rules=("R-UNLINK-APPROVE",),
            guards={"unlink_details": Text(en="an unlink request arrived", zh="收到解绑申请")},
        ),
        "click_agree": Edge(
            label=Text(en="Agree", zh="同意"),
            rules=(
                "R-UNLINK-APPROVE",
                "R-REBIND",
            ),
            guards={},
        ),
        "click_decline": Edge(label=Text(en="Decline", zh="拒绝"), rules=("A-DECLINE",), guards={}),
        "click_back": Edge(label=Text(en="Back", zh="返回"), rules=("R-SELLER-NAV",), guards={}),
        "click_home": Edge(label=Text(en="Home", zh="首页"), rules=("R-SELLER-NAV",), guards={}),
    },
    screens="Seller Center",
)

# The `state` of SellerCenter records: their outermost state ids, for mypy.
SellerCenterState = Literal[
    "home",
    "my_account",
    "bind_account",
    "bind_official",
    "bind_channel",
    "invitation_sent",
    "invitation_refused",
    "help_center",
    "ticket_opened",
    "unlink_details",
]

# Every machine, in the order of bindsim.machines.MACHINES.
SPECS: tuple[MachineSpec, ...] = (
    INVITATION,
    BINDING,
    SUPPORT_TICKET,
    CREATOR_APP,
    SELLER_CENTER,
)
