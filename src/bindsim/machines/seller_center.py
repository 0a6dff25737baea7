"""R-SELLER-NAV, R-UNLINK-APPROVE, R-REBIND, R-TICKET: the merchant's Seller Center by page."""

from __future__ import annotations

from statemachine import State

from bindsim.machines.screens import ScreenMachine
from bindsim.machines.text import Edge, Node, Text

_NAV = ("R-SELLER-NAV",)


class SellerCenter(ScreenMachine):
    """Seller Center of one shop: bind accounts, answer unlink requests, open support tickets."""

    home = State(initial=True)
    my_account = State()
    bind_account = State()
    bind_official = State()
    bind_channel = State()
    invitation_sent = State()
    invitation_refused = State()
    help_center = State()
    ticket_opened = State()
    unlink_details = State()

    click_my_account = home.to(my_account)
    click_bind_tiktok_account = my_account.to(bind_account)
    click_bind_official_account = bind_account.to(bind_official)
    click_channel_account = bind_account.to(bind_channel)
    click_send_invitation = (
        bind_official.to(invitation_refused, cond="blocked")
        | bind_official.to(invitation_sent, unless="blocked")
        | bind_channel.to(invitation_refused, cond="blocked")
        | bind_channel.to(invitation_sent, unless="blocked")
    )
    click_help_center = home.to(help_center) | invitation_refused.to(help_center)
    click_open_ticket = help_center.to(ticket_opened)
    click_view_details = home.to(unlink_details, cond="has_unlink_request")
    click_agree = unlink_details.to(home)
    click_decline = unlink_details.to(home)
    click_back = (
        my_account.to(home)
        | bind_account.to(my_account)
        | bind_official.to(bind_account)
        | bind_channel.to(bind_account)
        | invitation_sent.to(bind_account)
        | invitation_refused.to(bind_account)
        | help_center.to(home)
        | ticket_opened.to(help_center)
        | unlink_details.to(home)
    )
    click_home = (
        my_account.to(home)
        | bind_account.to(home)
        | bind_official.to(home)
        | bind_channel.to(home)
        | invitation_sent.to(home)
        | invitation_refused.to(home)
        | help_center.to(home)
        | ticket_opened.to(home)
        | unlink_details.to(home)
    )

    screens = "Seller Center"
    title = Text("Seller Center", "商家后台")
    nodes = {
        "home": Node(Text("Home (/homepage)", "首页 (/homepage)"), _NAV),
        "my_account": Node(Text("My Account", "我的账号"), _NAV),
        "bind_account": Node(
            Text("Bind TikTok account", "绑定 TikTok 账号"), (*_NAV, "R-REBIND", "R-SLOT-OPEN")
        ),
        "bind_official": Node(
            Text("Bind official account: guide", "绑定官方经营账号:指引"), (*_NAV, "R-SLOT-OPEN")
        ),
        "bind_channel": Node(
            Text("Channel account: guide", "渠道经营账号:指引"), (*_NAV, "R-SLOT-INVITED")
        ),
        "invitation_sent": Node(
            Text("Invitation sent (48h to confirm)", "邀请已发送(48 小时内确认)"),
            ("R-INVITE-48H",),
        ),
        "invitation_refused": Node(
            Text("Cannot send invitation: reasons", "无法发送邀请:原因"),
            ("R-ELIGIBLE", "R-CHANNEL-10-180D"),
            kind="error",
        ),
        "help_center": Node(Text("Help Center", "帮助中心"), ("R-TICKET",)),
        "ticket_opened": Node(Text("Ticket opened", "工单已提交"), ("R-TICKET", "A-TICKET-TIME")),
        "unlink_details": Node(
            Text("Unlink request: details", "解绑申请:详情"), ("R-UNLINK-APPROVE",)
        ),
    }
    edges = {
        "click_my_account": Edge(Text("My Account", "我的账号"), _NAV),
        "click_bind_tiktok_account": Edge(
            Text("Bind TikTok account", "绑定 TikTok 账号"), (*_NAV, "R-REBIND")
        ),
        "click_bind_official_account": Edge(
            Text("Bind official account", "绑定官方经营账号"), (*_NAV, "R-OFFICIAL-UNBIND-3")
        ),
        "click_channel_account": Edge(
            Text("Channel account", "渠道经营账号"), (*_NAV, "R-CHANNEL-10-180D")
        ),
        "click_send_invitation": Edge(
            Text("Send invitation", "发送邀请"),
            ("R-ELIGIBLE", "R-SLOT-OPEN", "R-SLOT-INVITED", "R-CHANNEL-10-180D", "R-EXCLUSIVE"),
            guards={
                "invitation_sent": Text(
                    "account eligible, slot free, limits not reached",
                    "账号符合要求,名额未满,次数未用完",
                ),
                "invitation_refused": Text("any reason code applies", "存在任一拒绝原因"),
            },
        ),
        "click_help_center": Edge(Text("Help Center", "帮助中心"), ("R-TICKET",)),
        "click_open_ticket": Edge(Text("Open ticket", "发起客服工单"), ("R-TICKET",)),
        "click_view_details": Edge(
            Text("View details", "查看细节"),
            ("R-UNLINK-APPROVE",),
            guards={"unlink_details": Text("an unlink request arrived", "收到解绑申请")},
        ),
        "click_agree": Edge(Text("Agree", "同意"), ("R-UNLINK-APPROVE", "R-REBIND")),
        "click_decline": Edge(Text("Decline", "拒绝"), ("A-DECLINE",)),
        "click_back": Edge(Text("Back", "返回"), _NAV),
        "click_home": Edge(Text("Home", "首页"), _NAV),
    }
