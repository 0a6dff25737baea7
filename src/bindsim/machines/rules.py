"""The rules of the seed article and the assumptions that fill its gaps: the one definition that
scenarios cite, `bindsim rules` and `bindsim codes` print, and docs/reference.md is generated from.

The seed is a Chinese help article (2024-11-11, "小店后台如何绑定解绑TikTok账号"); `seed` quotes the
words each rule rests on. Every assumption is a Ruleset setting (or a stated reading of the seed),
so that a user can change it when the platform changes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the seed article: what it says, in short and in full, and the seed's words."""

    id: str
    summary: str
    statement: str
    seed: str


@dataclass(frozen=True, slots=True)
class Assumption:
    """A choice made where the seed is silent; `settings` are the Ruleset settings that hold it."""

    id: str
    summary: str
    statement: str
    settings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SettingInfo:
    """What one Ruleset setting means and which rule or assumption it is the number of."""

    meaning: str
    rules: tuple[str, ...]


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


def _assumptions(*assumptions: Assumption) -> dict[str, Assumption]:
    return {assumption.id: assumption for assumption in assumptions}


RULES: dict[str, Rule] = _rules(
    Rule(
        "R-SLOT-OPEN",
        "an open-enrollment shop binds 1 official account and no channel creators",
        "An open-enrollment shop (普招) can bind exactly 1 official account and no channel "
        "creators.",
        "若店铺初始为普招商家,每个小店仅可绑定 1 个官方达人/官方账号的 TikTok 账号",
    ),
    Rule(
        "R-SLOT-INVITED",
        "an invite-only shop binds 1 official account + 4 channel creators",
        "An invite-only shop (定邀) can bind 1 official account and 4 channel creators.",
        "若店铺初始为定邀商家,每个小店可绑定 1 个官方达人/官方账号+4 个渠道达人账号",
    ),
    Rule(
        "R-EXCLUSIVE",
        "an account is bound to at most one shop at a time",
        "A creator account is bound to at most one shop at any time, as official or as channel.",
        "无论是渠道达人还是官方达人,1 个达人只能同时被一个店铺绑定",
    ),
    Rule(
        "R-LOCK-24H",
        "a binding cannot be unbound until 24 hours after it was established",
        "A binding cannot be unbound until 24 hours after it was established.",
        "绑定后 24 小时才可解绑",
    ),
    Rule(
        "R-RELEASE",
        "after unbinding, the account and the shop's slot are free again",
        "After unbinding, other shops can bind the account, and the shop can bind other accounts.",
        "解绑后该账号可被其他店铺绑定,店铺也可绑定其他达人",
    ),
    Rule(
        "R-CAP-OFFICIAL",
        "an official account gets products synced and can Add from shop",
        "An official account gets the shop's products synced into its showcase automatically, and "
        'can also add products by hand with "Add from shop" to showcase, videos and LIVE.',
        "官方达人可直接将商家商品同步到官方达人橱窗,也能通过 Add from shop 将商品手动添加到橱窗、"
        "视频和直播中",
    ),
    Rule(
        "R-CAP-CHANNEL",
        "a channel creator can only Add from shop by hand",
        'A channel creator can only add products by hand with "Add from shop" to showcase, videos '
        "and LIVE (no automatic sync).",
        "渠道达人则可直接在渠道达人橱窗中,通过 Add from shop 将商品手动添加到橱窗、视频和直播中",
    ),
    Rule(
        "R-NO-1000",
        "a bound account sells in LIVE and video without 1,000 followers",
        "A creator account bound to the shop may sell through LIVE and short videos without the "
        "usual 1,000-follower minimum.",
        "绑定在店铺上的达人账号无需 1000 粉丝即可进行带货直播或短视频直播带货",
    ),
    Rule(
        "R-ELIGIBLE",
        "invitations only to normal accounts, 18+, in the shop's country",
        "The merchant can only invite an account in normal status, whose user is at least 18 and "
        "whose country is the shop's; otherwise sending the invitation is refused with the "
        "reasons.",
        "账号状态正常,账号使用者需年满 18 周岁,账号所在国家与店铺所在国家一致。"
        "若达人账号不符合要求,商家无法发送邀请",
    ),
    Rule(
        "R-TICKET",
        "a support ticket finds and fixes the cause, except what support may not fix",
        "For an ineligible account the merchant can open a support ticket (Seller Center → Help "
        "Center) to find the cause. Support resolves every cause except an abnormal account status "
        "and a registration country it may not change (A-TICKET-COUNTRY).",
        "可在商家后台-帮助中心发起客服工单定位原因和解决,除账号状态异常以及账号注册国家在美国以外,"
        "其它客服可帮忙解决",
    ),
    Rule(
        "R-INVITE-48H",
        "the creator must confirm within 48 hours",
        "After the invitation is sent, the creator must confirm it in the TikTok app within 48 "
        "hours; otherwise it expires.",
        "达人 48 小时内在客户端确认即可 / 需 TikTok 端 48 小时内在 app 端操作确认",
    ),
    Rule(
        "R-OFFICIAL-UNBIND-3",
        "the official account can be unbound at most 3 times, ever",
        "Over the whole history of a shop, its official account can be unbound at most 3 times.",
        "官方账号绑定操作流程:历史总共可解绑 3 次",
    ),
    Rule(
        "R-CHANNEL-10-180D",
        "at most 10 channel bindings in any 180-day window",
        "A shop can bind channel accounts at most 10 times in any 180-day window.",
        "渠道账号绑定操作流程:180 天内可绑定 10 次渠道账号",
    ),
    Rule(
        "R-SELLER-NAV",
        "the merchant's path through Seller Center",
        "Merchant path: Seller Center home (/homepage?shop_region=GB) → My Account → Bind TikTok "
        "account → Bind official account or Channel account → follow the guide.",
        "Step1:打开 TikTokShop 商家后台 https://seller.tiktokglobalshop.com/homepage?shop_region=GB。"
        "Step2:我的账号-绑定 TikTok 账号-绑定官方经营账号 / 渠道经营账号。Step3:根据指引完成操作",
    ),
    Rule(
        "R-STUCK",
        "a binding stuck in progress: registration country, revoked e-commerce permission",
        'A binding can stay "binding in progress" (绑定中) for a long time when (a) the account\'s '
        "registration address is in another country than the shop's (a support ticket changes "
        "it), or (b) its e-commerce permission was revoked for violations.",
        "Q1:长期显示绑定中是什么原因及如何解决?1、可能是账号的注册地址在非经营国家导致,"
        "可商家后台发客服工单联系客服修改解决;2、经营行为违规,导致电商权限被回收",
    ),
    Rule(
        "R-FAIL",
        "binding fails: network region, under 18, abnormal status, already bound",
        "Binding fails when (1) the phone's network (IP) location differs from the shop's country; "
        "(2) the account's user is under 18; (3) the shop's or the account's status is abnormal; "
        "(4) the account is already bound.",
        "Q2:绑定失败是什么原因?1、当前网络地址与经营国家不一致;2、TikTok 账号未满 18 岁;"
        "3、店铺状态或 TikTok 账号状态异常;4、TikTok 账号已被绑定",
    ),
    Rule(
        "R-UNLINK-PATH",
        "the creator's unlink path in the app, only on the shop country's network",
        "Creator-side unlink on the phone: log in to the bound account; the network must be in "
        'the shop\'s country, or the showcase button is not shown; tap it, tap "Enter", tap '
        '"Your Shop", scroll down to "View link info", and tap "Send unlink request".',
        "1、用手机登录之前绑定的 TikTok 官方达人号。2、确保网络和归属地都在小店所在国家,如英国,"
        "这样才能看到账号橱窗按钮。3、点击账号橱窗按钮,在出来的菜单中点击“Enter”。"
        "4、进入后点击“Your Shop”的入口。5、进入的页面拉到底部,会有一个“View link info”的入口。"
        "6、在 Link info 页面底部点击“Send unlink request”,主动申请解绑",
    ),
    Rule(
        "R-UNLINK-APPROVE",
        "the merchant views the unlink request and agrees",
        'The shop receives the unlink request; the merchant taps "View details" (查看细节), then '
        '"Agree" (同意), and the account is unbound.',
        "7、回到对应小店,会收到解绑申请,点击“查看细节”,进入后点“同意”即可",
    ),
    Rule(
        "R-REBIND",
        "after unbinding, the shop binds a new official account",
        'After that, "Bind TikTok account" in Seller Center can bind a new official account.',
        "8、这时候再点击小店后台的绑定 TikTok 账号,又可绑定一个新的账号作为“官方达人号”",
    ),
)

ASSUMPTIONS: dict[str, Assumption] = _assumptions(
    Assumption(
        "A-WINDOW-BOUNDS",
        "48h, 24h and 180d are measured exactly",
        "Windows are measured exactly: an invitation sent at t is acceptable at t+48h−1s and "
        "expired at t+48h; unbinding is allowed from bound_at+24h on; the 180-day window at t is "
        "(t−180d, t].",
    ),
    Assumption(
        "A-CHANNEL-COUNT",
        "the 10-in-180-days limit counts channel bindings, from the creator's acceptance",
        "The 10-per-180-days limit counts channel bindings, not invitations sent; it is checked "
        "when the invitation is sent and again when the creator accepts. When a binding counts "
        "is a setting: from the creator's acceptance (a stuck binding holds its count, a failed "
        "one gives it back) or from the moment it is bound (a stuck one reserves its place, so "
        "that the limit still holds when it completes; `channel_binds_left` counts the "
        "reservation, and gives the place back if the binding fails).",
        ("channel_count_from", "channel_bind_limit", "channel_bind_window"),
    ),
    Assumption(
        "A-UNBIND-COUNT",
        "the 3-unbinds limit counts completed official unbinds",
        "The 3-unbinds limit counts completed unbinds of the official account; a 4th unlink "
        "request is refused with OFFICIAL_UNBIND_LIMIT.",
        ("official_unbind_limit",),
    ),
    Assumption(
        "A-INVITE-BOUND",
        "inviting a bound account is refused at once",
        "An invitation to an account that is already bound (to any shop) is refused at once with "
        "ALREADY_BOUND, not only at acceptance.",
        ("invite_rejects_bound",),
    ),
    Assumption(
        "A-PENDING-SLOT",
        "a pending invitation holds its slot",
        "A pending invitation holds its slot: pending + binding + bound official accounts ≤ 1, "
        "channel ≤ 4 per shop. A shop has at most one pending invitation per account (a second "
        "is refused with INVITATION_PENDING).",
        ("pending_holds_slot",),
    ),
    Assumption(
        "A-CHECK-AGAIN",
        "everything checked at invitation is checked again at acceptance",
        "Everything checked when the invitation is sent is checked again when the creator "
        "accepts, since facts can change in 48h.",
        ("check_again_on_accept",),
    ),
    Assumption(
        "A-CHANNEL-UNLINK",
        "channel creators leave through the same unlink path",
        "A channel creator leaves through the same creator-side path and merchant approval as the "
        "official account; channel unbinds do not count towards R-OFFICIAL-UNBIND-3.",
        ("channel_unlink",),
    ),
    Assumption(
        "A-DECLINE",
        "creators decline, merchants withdraw and decline unlink requests",
        "The creator may decline an invitation; the merchant may withdraw a pending invitation "
        "and decline an unlink request. The seed only shows the happy paths.",
        ("allow_decline",),
    ),
    Assumption(
        "A-TICKET-COUNTRY",
        "a US shop's support cannot change a foreign registration country",
        "“账号注册国家在美国以外” is read as: for a US shop, support cannot change an account "
        "registered outside the US; for other regions support can change the registration.",
        ("ticket_locked_regions",),
    ),
    Assumption(
        "A-TICKET-TIME",
        "a support ticket is answered after a set time",
        "A support ticket is resolved after a configurable time.",
        ("ticket_resolution_time",),
    ),
    Assumption(
        "A-HOME-REGION",
        "the showcase needs the phone's network and the home region in the shop's country",
        "R-UNLINK-PATH's “网络和归属地都在小店所在国家” needs two facts: the phone's network "
        "and the account's home region (归属地, a creator fact that defaults to the account's "
        "country). The showcase button is hidden while either is outside the shop's country; "
        "the refusal lists NOT_VISIBLE with NETWORK_REGION_MISMATCH and/or HOME_REGION_MISMATCH.",
        ("showcase_checks_home_region",),
    ),
    Assumption(
        "A-HOME-REGION-TICKET",
        "support's change of an account's country leaves its home region as declared",
        "The seed lets support fix an account's country (R-TICKET) and hides the showcase while "
        "the 归属地 is abroad (R-UNLINK-PATH), but never says support changes the 归属地: it is "
        "read as a fact of its own (where the account belongs, not a setting of it). So a "
        "ticket that moves the country leaves the home region where it was, the showcase stays "
        "hidden (HOME_REGION_MISMATCH), and no ticket finds or fixes that cause. The setting "
        "makes support move the home region with the country instead.",
        ("ticket_moves_home_region",),
    ),
    Assumption(
        "A-TICKET-AGE",
        "support corrects a wrong age to make the user just 18 at the answer",
        "Support fixes UNDER_18 (R-TICKET) by the least change that makes the user min_age when "
        "the ticket is answered: a fixed age becomes min_age; a birthdate becomes that day "
        "min_age years earlier in birthday_zone, and on 29 February it becomes 28 February (the "
        "latest birthdate old enough: 1 March would still be under age that day).",
        ("min_age", "birthday_zone"),
    ),
    Assumption(
        "A-AGE",
        "an account has a fixed age, or a birthdate whose age follows the simulated clock",
        "A creator has a fixed `age`, or a `birthdate` from which the age follows the simulated "
        "clock: the user is 18 from 00:00:00 of the 18th birthday in birthday_zone (a 29 "
        "February birthday counts from 1 March in other years, or as leap_day_birthday says). "
        "The 18th birthday is an event like a deadline: a timer fires at that instant; a stuck "
        "binding held only by UNDER_18 completes then (bound_at = the birthday, R-LOCK-24H from "
        "there), and one still held for other reasons has its reasons recomputed. A pending "
        "invitation is judged by the age at the moment of the accept. A birthdate after the "
        "simulated clock (a user not born yet) is refused.",
        ("birthday_zone", "leap_day_birthday"),
    ),
    Assumption(
        "A-AFFILIATE",
        "an unbound creator needs 1,000 followers to sell in LIVE or video",
        "An unbound (affiliate) creator needs at least 1,000 followers to sell through LIVE or "
        "short video.",
        ("follower_minimum",),
    ),
)

# Every Ruleset setting: what it means and the rule IDs it is the number or switch of.
SETTINGS: dict[str, SettingInfo] = {
    "official_slots": SettingInfo(
        "official accounts a shop may bind (0: none, channel creators only)",
        ("R-SLOT-OPEN", "R-SLOT-INVITED"),
    ),
    "channel_slots_invited": SettingInfo(
        "channel creators an invite-only shop may bind", ("R-SLOT-INVITED",)
    ),
    "channel_slots_open": SettingInfo(
        "channel creators an open-enrollment shop may bind", ("R-SLOT-OPEN",)
    ),
    "unbind_lock": SettingInfo(
        "how long a new binding cannot be unbound; it may be longer than `channel_bind_window` "
        "(a channel binding then leaves the window still locked)",
        ("R-LOCK-24H",),
    ),
    "invite_ttl": SettingInfo("how long the creator has to confirm", ("R-INVITE-48H",)),
    "invite_delivery_delay": SettingInfo(
        "how long an invitation takes to reach the creator's app (sent → pending). Allowed at or "
        "beyond `invite_ttl`, where no invitation can be answered: the 48h run from the sending, "
        "so it expires on arriving (equal) or while still `sent` (longer)",
        ("R-INVITE-48H",),
    ),
    "official_unbind_limit": SettingInfo(
        "official unbinds a shop may make, ever", ("R-OFFICIAL-UNBIND-3", "A-UNBIND-COUNT")
    ),
    "channel_bind_limit": SettingInfo(
        "channel bindings allowed in one window", ("R-CHANNEL-10-180D", "A-CHANNEL-COUNT")
    ),
    "channel_bind_window": SettingInfo(
        "the sliding window of the channel limit", ("R-CHANNEL-10-180D", "A-CHANNEL-COUNT")
    ),
    "channel_count_from": SettingInfo(
        "when a channel binding counts: `accepted` or `bound`", ("A-CHANNEL-COUNT",)
    ),
    "min_age": SettingInfo(
        "the youngest age that may be invited or bound", ("R-ELIGIBLE", "R-FAIL")
    ),
    "birthday_zone": SettingInfo(
        "the time zone of birthdays: `UTC` or an offset such as `UTC+08:00`", ("A-AGE",)
    ),
    "leap_day_birthday": SettingInfo(
        "when a 29 February birthday counts in other years: `march_1` or `february_28`",
        ("A-AGE",),
    ),
    "follower_minimum": SettingInfo(
        "followers an unbound creator needs to sell in LIVE and video", ("R-NO-1000", "A-AFFILIATE")
    ),
    "ticket_resolution_time": SettingInfo("how long support takes to answer", ("A-TICKET-TIME",)),
    "ticket_locked_regions": SettingInfo(
        "shop regions whose support may not change an account's country", ("A-TICKET-COUNTRY",)
    ),
    "ticket_unfixable": SettingInfo("causes support cannot fix", ("R-TICKET",)),
    "invite_rejects_bound": SettingInfo(
        "refuse an invitation to a bound account at once", ("A-INVITE-BOUND",)
    ),
    "pending_holds_slot": SettingInfo("a pending invitation holds its slot", ("A-PENDING-SLOT",)),
    "check_again_on_accept": SettingInfo(
        "check the invitation's conditions again when the creator accepts", ("A-CHECK-AGAIN",)
    ),
    "channel_unlink": SettingInfo(
        "channel creators may leave through the unlink path", ("A-CHANNEL-UNLINK",)
    ),
    "allow_decline": SettingInfo(
        "creators may decline, merchants withdraw and decline unlink requests", ("A-DECLINE",)
    ),
    "showcase_checks_home_region": SettingInfo(
        "the showcase button needs the home region in the shop's country too", ("A-HOME-REGION",)
    ),
    "ticket_moves_home_region": SettingInfo(
        "support's change of an account's country moves its home region (归属地) with it",
        ("A-HOME-REGION-TICKET", "R-TICKET"),
    ),
}

RULE_IDS: tuple[str, ...] = (*RULES, *ASSUMPTIONS)
