"""R-UNLINK-PATH: the creator's way out, screen by screen, in the TikTok app on the phone.

The merchant's answer (R-UNLINK-APPROVE, A-DECLINE) reaches the phone too: once the merchant
agrees, the screens about the link (Your Shop, Link info, request sent) describe a link that is
gone, and the app is back on the showcase, where "Your Shop" is no longer shown (R-RELEASE);
once the merchant declines, "request sent" is no longer true, and the app is back on Link info,
where "Send unlink request" is shown again. The seed says nothing of what the phone shows then:
these are the least the app can do without claiming what is no longer so.
"""

from __future__ import annotations

from statemachine import State

from bindsim.machines.screens import ScreenMachine
from bindsim.machines.text import Edge, Node, Text, described, when

_PATH = ("R-UNLINK-PATH",)
_LINKED = Text("account bound to a shop", "账号已绑定店铺")  # Your Shop's and Link info's guard


class CreatorApp(ScreenMachine):
    """The TikTok app of one account: profile → showcase → Your Shop → Link info → request."""

    screens = "app"
    title = Text("Creator app: unlink path", "达人 App:解绑路径")

    profile = described(State(initial=True), Node(Text("Profile", "个人主页"), _PATH))
    showcase_menu = described(State(), Node(Text("Showcase menu", "橱窗菜单"), _PATH))
    showcase = described(State(), Node(Text("Showcase", "橱窗"), _PATH))
    your_shop = described(State(), Node(Text("Your Shop", "Your Shop 页面"), _PATH))
    link_info = described(State(), Node(Text("Link info", "Link info 页面"), _PATH))
    request_sent = described(
        State(), Node(Text("Unlink request sent", "解绑申请已发送"), (*_PATH, "R-UNLINK-APPROVE"))
    )

    tap_showcase = described(
        when(
            profile.to(showcase_menu, cond="showcase_shown"),
            Text("network and home region in the shop's country", "网络和归属地在小店所在国家"),
        ),
        Edge(
            Text("Showcase", "账号橱窗"),
            (*_PATH, "A-HOME-REGION"),
            hidden_by="showcase_blockers",
        ),
    )
    tap_enter = described(showcase_menu.to(showcase), Edge(Text("Enter", "Enter(进入)"), _PATH))
    tap_your_shop = described(
        when(showcase.to(your_shop, cond="linked"), _LINKED),
        Edge(Text("Your Shop", "Your Shop(你的店铺)"), _PATH),
    )
    tap_view_link_info = described(
        when(your_shop.to(link_info, cond="linked"), _LINKED),
        Edge(Text("View link info", "View link info(查看绑定信息)"), _PATH),
    )
    tap_send_unlink_request = described(
        when(
            link_info.to(request_sent, cond="can_request_unlink"),
            Text(
                "bound, no request yet; 24h passed, unbinds left",
                "已绑定且未申请;已满 24 小时且仍有解绑次数",
            ),
        ),
        Edge(
            Text("Send unlink request", "Send unlink request(发送解绑申请)"),
            (*_PATH, "R-LOCK-24H", "R-OFFICIAL-UNBIND-3", "A-CHANNEL-UNLINK"),
        ),
    )
    tap_back = described(
        showcase_menu.to(profile)
        | showcase.to(profile)
        | your_shop.to(showcase)
        | link_info.to(your_shop)
        | request_sent.to(link_info),
        Edge(Text("Back", "返回"), _PATH),
    )
    # The merchant's answer, sent by the simulator: no label to tap (Edge.follows).
    unlink_approved = described(
        your_shop.to(showcase) | link_info.to(showcase) | request_sent.to(showcase),
        Edge(
            Text("merchant agreed: link removed", "商家已同意:绑定已解除"),
            ("R-UNLINK-APPROVE", "R-RELEASE"),
            follows="Binding.approve_unlink",
        ),
    )
    unlink_declined = described(
        request_sent.to(link_info),
        Edge(
            Text("merchant declined the request", "商家已拒绝解绑申请"),
            ("A-DECLINE",),
            follows="Binding.decline_unlink",
        ),
    )
