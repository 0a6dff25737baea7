"""R-SELLER-NAV, R-UNLINK-APPROVE, R-REBIND, R-TICKET: the merchant's Seller Center by page."""

from __future__ import annotations

from statemachine import State

from bindsim.machines.screens import ScreenMachine
from bindsim.machines.text import Edge, Node, Text, described, when

_NAV = ("R-SELLER-NAV",)


class SellerCenter(ScreenMachine):
    """Seller Center of one shop: bind accounts, answer unlink requests, open support tickets."""

    screens = "Seller Center"
    title = Text("Seller Center", "商家后台")

    home = described(State(initial=True), Node(Text("Home (/homepage)", "首页 (/homepage)"), _NAV))
    my_account = described(State(), Node(Text("My Account", "我的账号"), _NAV))
    bind_account = described(
        State(),
        Node(Text("Bind TikTok account", "绑定 TikTok 账号"), (*_NAV, "R-REBIND", "R-SLOT-OPEN")),
    )
    bind_official = described(
        State(),
        Node(Text("Bind official account: guide", "绑定官方经营账号:指引"), (*_NAV, "R-SLOT-OPEN")),
    )
    bind_channel = described(
        State(),
        Node(Text("Channel account: guide", "渠道经营账号:指引"), (*_NAV, "R-SLOT-INVITED")),
    )
    invitation_sent = described(
        State(),
        Node(
            Text("Invitation sent (48h to confirm)", "邀请已发送(48 小时内确认)"), ("R-INVITE-48H",)
        ),
    )
    invitation_refused = described(
        State(),
        Node(
            Text("Cannot send invitation: reasons", "无法发送邀请:原因"),
            ("R-ELIGIBLE", "R-CHANNEL-10-180D"),
            kind="error",
        ),
    )
    help_center = described(State(), Node(Text("Help Center", "帮助中心"), ("R-TICKET",)))
    ticket_opened = described(
        State(), Node(Text("Ticket opened", "工单已提交"), ("R-TICKET", "A-TICKET-TIME"))
    )
    unlink_details = described(
        State(), Node(Text("Unlink request: details", "解绑申请:详情"), ("R-UNLINK-APPROVE",))
    )

    click_my_account = described(home.to(my_account), Edge(Text("My Account", "我的账号"), _NAV))
    click_bind_tiktok_account = described(
        my_account.to(bind_account),
        Edge(Text("Bind TikTok account", "绑定 TikTok 账号"), (*_NAV, "R-REBIND")),
    )
    click_bind_official_account = described(
        bind_account.to(bind_official),
        Edge(Text("Bind official account", "绑定官方经营账号"), (*_NAV, "R-OFFICIAL-UNBIND-3")),
    )
    click_channel_account = described(
        bind_account.to(bind_channel),
        Edge(Text("Channel account", "渠道经营账号"), (*_NAV, "R-CHANNEL-10-180D")),
    )
    click_send_invitation = described(
        when(
            invitation_refused.from_(bind_official, bind_channel, cond="blocked"),
            Text("any reason code applies", "存在任一拒绝原因"),
        )
        | when(
            invitation_sent.from_(bind_official, bind_channel, unless="blocked"),
            Text(
                "account eligible, slot free, limits not reached",
                "账号符合要求,名额未满,次数未用完",
            ),
        ),
        Edge(
            Text("Send invitation", "发送邀请"),
            ("R-ELIGIBLE", "R-SLOT-OPEN", "R-SLOT-INVITED", "R-CHANNEL-10-180D", "R-EXCLUSIVE"),
        ),
    )
    click_help_center = described(
        home.to(help_center) | invitation_refused.to(help_center),
        Edge(Text("Help Center", "帮助中心"), ("R-TICKET",)),
    )
    click_open_ticket = described(
        help_center.to(ticket_opened), Edge(Text("Open ticket", "发起客服工单"), ("R-TICKET",))
    )
    click_view_details = described(
        when(
            home.to(unlink_details, cond="has_unlink_request"),
            Text("an unlink request arrived", "收到解绑申请"),
        ),
        Edge(Text("View details", "查看细节"), ("R-UNLINK-APPROVE",)),
    )
    click_agree = described(
        unlink_details.to(home), Edge(Text("Agree", "同意"), ("R-UNLINK-APPROVE", "R-REBIND"))
    )
    click_decline = described(
        unlink_details.to(home), Edge(Text("Decline", "拒绝"), ("A-DECLINE",))
    )
    click_back = described(
        my_account.to(home)
        | bind_account.to(my_account)
        | bind_official.to(bind_account)
        | bind_channel.to(bind_account)
        | invitation_sent.to(bind_account)
        | invitation_refused.to(bind_account)
        | help_center.to(home)
        | ticket_opened.to(help_center)
        | unlink_details.to(home),
        Edge(Text("Back", "返回"), _NAV),
    )
    click_home = described(
        my_account.to(home)
        | bind_account.to(home)
        | bind_official.to(home)
        | bind_channel.to(home)
        | invitation_sent.to(home)
        | invitation_refused.to(home)
        | help_center.to(home)
        | ticket_opened.to(home)
        | unlink_details.to(home),
        Edge(Text("Home", "首页"), _NAV),
    )
