"""The page's own words in English and Chinese; labels, titles and reasons come from the machines.

>>> WORDS["undo"]("zh")
'撤销'
"""

from __future__ import annotations

from bindsim.diagrams.words import ROLES_TEXT
from bindsim.machines import Text
from bindsim.simulator import facts

WORDS: dict[str, Text] = {
    "app": Text("bindsim serve", "bindsim 模拟器"),
    "tagline": Text(
        "The creator's phone and the merchant's Seller Center, on one simulated clock",
        "达人手机与商家后台,共用一个模拟时钟",
    ),
    "lang_switch": Text("中文", "English"),
    "phone": Text("Phone", "手机"),
    "seller_center": Text("Seller Center", "商家后台"),
    "whose_phone": Text("Phone of", "手机账号"),
    "which_shop": Text("Shop", "店铺"),
    "show": Text("Show", "显示"),
    "hidden_because": Text("hidden", "不显示"),
    "shown_when": Text("shown only when {when}", "仅在{when}时显示"),
    "try_anyway": Text("tap to see the refusal", "点击查看拒绝原因"),
    "no_creators": Text("No creator yet: add one in the cast.", "还没有达人:请在角色中添加。"),
    "no_shops": Text("No shop yet: add one in the cast.", "还没有店铺:请在角色中添加。"),
    "account": Text("TikTok account", "TikTok 账号"),
    "invitations": Text("Invitations", "邀请"),
    "no_invitations": Text("No invitation waiting.", "没有待确认的邀请。"),
    "from_shop": Text(
        "from {shop}, as {role}, expires in {left}", "来自 {shop},{role},{left}后过期"
    ),
    "to_creator": Text(
        "to {creator}, as {role}, expires in {left}", "发给 {creator},{role},{left}后过期"
    ),
    "accept": Text("Accept", "确认"),
    "decline": Text("Decline", "拒绝"),
    "withdraw": Text("Withdraw", "撤回"),
    "pending_invitations": Text("Pending invitations", "待确认的邀请"),
    "bound_accounts": Text("Bound accounts", "已绑定账号"),
    "official": ROLES_TEXT["official"],  # one glossary: the diagrams' words for the roles
    "channels": ROLES_TEXT["channel"],
    "none": Text("none", "无"),
    "unbinds_left": Text("official unbinds left", "官方达人剩余解绑次数"),
    "channel_binds_left": Text("channel binds left (180 days)", "渠道绑定剩余次数(180 天)"),
    "bound_to": Text("bound to", "已绑定"),
    "not_bound": Text("not bound (affiliate)", "未绑定(联盟达人)"),
    "network": Text("network", "网络所在地"),
    "tickets": Text("Tickets", "工单"),
    "clock": Text("Clock", "时钟"),
    "deadlines": Text("Pending deadlines", "待到期时限"),
    "no_deadlines": Text("No deadline pending.", "没有待到期的时限。"),
    "in": Text("in {left}", "{left}后"),
    "next_deadline": Text("Jump to the next deadline", "跳到下一个时限"),
    "before_deadline": Text("1 second before the next deadline", "下一个时限前 1 秒"),
    "advance_by": Text("Advance by", "前进"),
    "go": Text("Go", "执行"),
    "timer_expire": Text(
        "{creator}'s invitation from {shop} expires", "{shop} 对 {creator} 的邀请过期"
    ),
    "timer_deliver": Text(
        "{shop}'s invitation reaches {creator}'s app", "{shop} 的邀请送达 {creator} 的 App"
    ),
    "timer_unlock": Text(
        "{creator}'s binding to {shop} can be unbound", "{creator} 与 {shop} 的绑定可解绑"
    ),
    "timer_birthday": Text(
        "{creator} turns 18: the binding to {shop} is looked at again",
        "{creator} 年满 18 岁:重新检查与 {shop} 的绑定",
    ),
    "timer_resolve": Text(
        "support answers {ticket} ({shop} about {creator})",
        "客服答复工单 {ticket}({shop} 关于 {creator})",
    ),
    "diagrams": Text("Live diagrams", "实时状态图"),
    "diagrams_hint": Text(
        "Current states are highlighted. Click a state to see its rules.",
        "高亮为当前状态。点击状态可查看对应规则。",
    ),
    "panel_invitation": Text("Invitation {shop} → {creator}", "邀请 {shop} → {creator}"),
    "panel_binding": Text("Binding {shop} × {creator}", "绑定 {shop} × {creator}"),
    "panel_ticket": Text("Support ticket {shop} about {creator}", "客服工单 {shop} 关于 {creator}"),
    "panel_app": Text("{creator}'s app", "{creator} 的 App"),
    "panel_center": Text("{shop}'s Seller Center", "{shop} 的商家后台"),
    "not_yet": Text("none yet: the machine as a whole", "尚未创建:整个状态机"),
    "open_svg": Text("open", "打开"),
    "expect_this": Text("Expect this", "记为预期"),
    "rules_of": Text("Rules of “{state}”", "“{state}”的规则"),
    "no_rules": Text("no rule ID on this state", "该状态没有规则编号"),
    "log": Text("Event log", "事件日志"),
    "log_empty": Text("Nothing has happened yet.", "尚未发生任何事件。"),
    "outcome_ok": Text("ok", "完成"),
    "outcome_refused": Text("refused", "被拒绝"),
    "outcome_timer": Text("timer", "定时"),
    "actions": Text("Actions", "操作"),
    "actions_hint": Text(
        "The World's actions, with the same refusals as its API.",
        "与 World API 含义和拒绝原因相同的操作。",
    ),
    "do": Text("Do it", "执行"),
    "role": Text("role", "角色"),
    "shop": Text("shop", "店铺"),
    "creator": Text("creator", "达人"),
    "cast": Text("Cast", "角色"),
    "add_shop": Text("Add a shop", "添加店铺"),
    "add_creator": Text("Add a creator", "添加达人"),
    "add": Text("Add", "添加"),
    "change_facts": Text("Change facts", "修改信息"),
    "change": Text("Change", "修改"),
    "id": Text("id", "编号"),
    "session": Text("Session", "会话"),
    "undo": Text("Undo", "撤销"),
    "save": Text("Save as scenario", "保存为场景文件"),
    "new_session": Text("New session", "新会话"),
    "steps_so_far": Text("{count} steps recorded", "已记录 {count} 步"),
    "player": Text("Scenario player", "场景播放器"),
    "library": Text("Library", "场景库"),
    "no_library": Text("No scenario folder was given to the server.", "服务器未指定场景目录。"),
    "load": Text("Load", "加载"),
    "upload": Text("Upload a scenario file", "上传场景文件"),
    "step_forward": Text("Step ▶", "下一步 ▶"),
    "step_back": Text("◀ Back", "◀ 上一步"),
    "run_to_end": Text("Run to end ▶▶", "运行到底 ▶▶"),
    "playing": Text("Playing", "正在播放"),
    "no_scenario": Text(
        "Load a scenario to play it step by step, forward and back.",
        "加载场景后可逐步播放,前进或后退。",
    ),
    "step_ok": Text("as expected", "符合预期"),
    "step_failed": Text("not as expected", "与预期不符"),
    "step_error": Text("not possible", "无法执行"),
    "by_you": Text("by you", "手动"),
    "error": Text("Not done", "未执行"),
    "refused": Text("Refused", "被拒绝"),
    "done": Text("Done", "完成"),
    "undone": Text("Undone", "已撤销"),
    "what_changed": Text("What changed", "发生了什么"),
    "no_record_changed": Text("no record changed state", "没有记录改变状态"),
    "more_changes": Text("and {count} more in the event log", "另有 {count} 条见事件日志"),
    "in_progress": Text("Binding in progress", "绑定中"),
    "in_progress_to": Text("binding in progress with {shop} ({role})", "与 {shop} 绑定中({role})"),
    "stuck_because": Text("stuck because", "卡住原因"),
    "session_gone": Text("Session gone", "会话已失效"),
    "step_of": Text("step {done} of {total}", "第 {done} 步,共 {total} 步"),
    "next_step": Text("next", "下一步"),
    "steps_hidden": Text("… {count} earlier steps", "… 之前的 {count} 步"),
    "steps_more": Text("… {count} more steps", "… 之后还有 {count} 步"),
    "close": Text("Close", "关闭"),
    "nothing_changed": Text(
        "Nothing changed: every fact already has that value.", "没有变化:各项信息已是该值。"
    ),
}

# Values people pick from, by field: what the page shows for each stored value.
CHOICES: dict[str, dict[str, Text]] = {
    "kind": {
        "open": Text("open (普招)", "普招商家"),
        "invited": Text("invite-only (定邀)", "定邀商家"),
    },
    "status": {"normal": Text("normal", "正常"), "abnormal": Text("abnormal", "异常")},
    "role": ROLES_TEXT,
    "ecommerce_permission": {"true": Text("yes", "有"), "false": Text("revoked", "已回收")},
}

# The facts of shops and accounts as the cast editor names them (their words are the table's).
FACTS: dict[str, Text] = {fact.name: fact.words for fact in facts.FACTS}
