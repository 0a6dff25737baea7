"""The diagrams' own words (legends, captions, durations) in English and Chinese."""

from __future__ import annotations

from datetime import timedelta

from bindsim.machines.durations import spoken_duration
from bindsim.machines.reasons import REASONS, Reason
from bindsim.machines.text import Text

CURRENT = Text("current state", "当前状态")
START = Text("start", "开始")
RUN_START = Text("run started", "开始时间")
REFUSED = Text("refused", "被拒绝")
STEPS = Text("steps", "步骤")
NO_STEPS = Text("nothing happened", "没有任何操作")
TIMELINE = Text("Timeline", "时间线")
TRACE = Text("Trace", "运行轨迹")
ACTIONS = Text("actions", "操作")
GALLERY = Text("bindsim diagrams", "bindsim 图集")
MACHINES = Text("State machines", "状态机")
TRACES = Text("Scenario traces", "场景轨迹")
DRAWN_SCENARIOS = Text("Scenarios drawn", "场景图")
CONTENTS = Text("Contents", "目录")
ALL_SCENARIOS = Text("Every scenario of the library", "场景库中的全部场景")
PASSED = Text("passed", "通过")
FAILED = Text("failed", "失败")
STORYBOARD = Text("Storyboard", "分镜")
SAME_PATH = Text("the same path, {count} records", "相同路径,共 {count} 条记录")
SUMMARY = Text("{passed} passed, {failed} failed", "{passed} 个通过,{failed} 个失败")
FOLDER = Text("folder", "目录")
SCENARIO = Text("scenario", "场景")
RESULT = Text("result", "结果")
QUIET_NOTE = Text(
    "dotted arrows without labels: {labels} (on many screens)",
    "无标签的点线箭头:{labels}(多数页面都有)",
)
NO_SCREEN = Text(
    "no screen: time passes, or the facts are checked", "无界面操作:时间流逝或核对状态"
)
TAP = Text("tap", "点击")
CLICK = Text("click", "点击")
HIDDEN = Text("hidden:", "不显示:")
DEADLINES = Text("Running deadlines", "进行中的时限")
NO_DEADLINES = Text("none", "无")
IN = Text("in {left}", "{left}后")
OUTCOMES: dict[str, Text] = {
    "ok": Text("done", "完成"),
    "refused": Text("refused", "被拒绝"),
    "error": Text("not possible", "无法执行"),
    "failed": Text("not as expected", "与预期不符"),
    "checked": Text("as expected", "符合预期"),
    "not applicable": Text("not applicable", "不适用"),
}
SCREEN_INFO: dict[str, Text] = {
    "url": Text("address: {value}", "网址:{value}"),
    "reasons": Text("reasons: {value}", "原因:{value}"),
    "account": Text("unlink request from {value}", "{value} 的解绑申请"),
    "unlink_requests": Text("unlink requests waiting: {value}", "待处理的解绑申请:{value}"),
}
# A scenario step in words, for a storyboard slide; fields come from the step as written.
STEP_TEXT: dict[str, Text] = {
    "invite": Text(
        "{shop} invites {creator} as its {role} account", "{shop} 邀请 {creator} 绑定为{role}"
    ),
    "accept": Text(
        "{creator} confirms {shop}'s invitation in the TikTok app",
        "{creator} 在 TikTok App 中确认 {shop} 的邀请",
    ),
    "decline": Text("{creator} declines {shop}'s invitation", "{creator} 拒绝 {shop} 的邀请"),
    "withdraw": Text(
        "{shop} withdraws the invitation to {creator}", "{shop} 撤回对 {creator} 的邀请"
    ),
    "advance": Text("Time passes: {by}", "时间流逝:{by}"),
    "advance_to": Text("Time passes until {when}", "时间流逝至 {when}"),
    "tap": Text("{creator} taps {on}", "{creator} 点击 {on}"),
    "click": Text("{shop} clicks {on}", "{shop} 点击 {on}"),
    "request_unlink": Text(
        "{creator} sends an unlink request from the phone", "{creator} 在手机上发送解绑申请"
    ),
    "approve_unlink": Text("{shop} agrees to unlink {creator}", "{shop} 同意解绑 {creator}"),
    "decline_unlink": Text(
        "{shop} declines {creator}'s unlink request", "{shop} 拒绝 {creator} 的解绑申请"
    ),
    "set": Text("Facts change for {owner}: {facts}", "{owner} 的信息变化:{facts}"),
    "open_ticket": Text(
        "{shop} opens a support ticket about {creator}", "{shop} 就 {creator} 发起客服工单"
    ),
    "expect": Text("Check: {checks}", "核对:{checks}"),
}
COMMON_RULES = Text("every state: {rules}", "所有状态:{rules}")
COVERAGE = Text(
    "Coverage: {states} states, {transitions} transitions exercised "
    "(solid blue, ×times taken); dashed orange: never exercised",
    "覆盖率:已覆盖状态 {states},已覆盖转换 {transitions}(蓝色实线,×为次数);橙色虚线:从未覆盖",
)
COVERAGE_TITLE = Text("coverage", "覆盖率")
QUOTED = Text(" “{label}”", "“{label}”")
CHANNEL_WINDOW = Text("channel binds counted (180-day window)", "渠道绑定计数(180 天窗口)")
CHANNEL_BIND = Text("channel bind", "渠道绑定")
CHANNEL_BINDS = Text("channel binds", "渠道绑定")

# What each World action is called on a timeline or in a trace's step list.
ACTIONS_TEXT: dict[str, Text] = {
    "invite": Text("invite", "发送邀请"),
    "accept": Text("accept", "确认邀请"),
    "decline": Text("decline", "拒绝邀请"),
    "withdraw": Text("withdraw", "撤回邀请"),
    "deliver": Text("reaches the app", "送达 App"),
    "expire": Text("expires", "邀请过期"),
    "unlock": Text("lock ends", "锁定结束"),
    "request_unlink": Text("unlink request", "申请解绑"),
    "approve_unlink": Text("agree to unlink", "同意解绑"),
    "decline_unlink": Text("decline unlink", "拒绝解绑"),
    "open_ticket": Text("open ticket", "发起工单"),
    "resolve_ticket": Text("ticket answered", "工单处理完毕"),
    "resolve": Text("ticket answered", "工单处理完毕"),  # the ticket's timer, by its event
    "set_creator": Text("facts change", "账号信息变化"),
    "set_shop": Text("shop changes", "店铺信息变化"),
    "tap": Text("tap", "点击"),
    "click": Text("click", "点击"),
}

ROLES_TEXT: dict[str, Text] = {
    "official": Text("official", "官方达人"),
    "channel": Text("channel", "渠道达人"),
}

# Who acts besides shops and creators (the log's actor), as every surface names them.
ACTORS_TEXT: dict[str, Text] = {
    "platform": Text("platform", "平台"),
    "support": Text("support", "客服"),
}


def action_text(action: str) -> Text:
    """A World action's name for people; an unknown action keeps its own name."""
    return ACTIONS_TEXT.get(action, Text(action.replace("_", " "), action.replace("_", " ")))


def duration_text(delta: timedelta) -> Text:
    """A duration as a trainer says it: 48h, 180 days, 1h 30min; 48 小时, 180 天, 90 分钟."""
    return spoken_duration(delta, "span")


def after_text(delta: timedelta) -> Text:
    """A timer's wording: "after 48h" / "48 小时后"."""
    text = spoken_duration(delta, "span")
    return Text(f"after {text.en}", f"{text.zh}后")


def elapsed_text(delta: timedelta) -> Text:
    """Simulated time since the run started, compactly: "+47h", "+3d 4h" / "+47 小时"."""
    return spoken_duration(delta, "elapsed")


def reason_message(code: str) -> Text | None:
    """A reason code's message in both languages; None for a code that is not ours."""
    try:
        return REASONS[Reason(code)].message
    except (ValueError, KeyError):
        return None
