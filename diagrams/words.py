"""The diagrams' own words (legends, captions, durations) in English and Chinese."""

from __future__ import annotations

from datetime import timedelta

from bindsim.machines.text import Text

CURRENT = Text("current state", "当前状态")
START = Text("start", "开始")
RUN_START = Text("run started", "开始时间")
REFUSED = Text("refused", "被拒绝")
NOT_CREATED = Text("not created", "未创建")
STEPS = Text("steps", "步骤")
NO_STEPS = Text("nothing happened", "没有任何操作")
WINDOW = Text("window", "时限")
TIMELINE = Text("Timeline", "时间线")
TRACE = Text("Trace", "运行轨迹")
ACTIONS = Text("actions", "操作")
GALLERY = Text("bindsim diagrams", "bindsim 图集")
MACHINES = Text("State machines", "状态机")
TRACES = Text("Scenario traces", "场景轨迹")
TIMELINES = Text("Scenario timelines", "场景时间线")
LEGEND_TAKEN = Text("taken, numbered by step", "已走过的转换(按步骤编号)")
LEGEND_UNTAKEN = Text("not taken", "未走过")
LEGEND_TIMER = Text("timer", "定时")
QUIET_NOTE = Text(
    "dotted arrows without labels: {labels} (on many screens)",
    "无标签的点线箭头:{labels}(多数页面都有)",
)
CHANNEL_WINDOW = Text("channel binds counted (180-day window)", "渠道绑定计数(180 天窗口)")
CHANNEL_BIND = Text("channel bind", "渠道绑定")
CHANNEL_BINDS = Text("channel binds", "渠道绑定")

# What each World action is called on a timeline or in a trace's step list.
ACTIONS_TEXT: dict[str, Text] = {
    "invite": Text("invite", "发送邀请"),
    "accept": Text("accept", "确认邀请"),
    "decline": Text("decline", "拒绝邀请"),
    "withdraw": Text("withdraw", "撤回邀请"),
    "expire": Text("expires", "邀请过期"),
    "unlock": Text("lock ends", "锁定结束"),
    "request_unlink": Text("unlink request", "申请解绑"),
    "approve_unlink": Text("agree to unlink", "同意解绑"),
    "decline_unlink": Text("decline unlink", "拒绝解绑"),
    "open_ticket": Text("open ticket", "发起工单"),
    "resolve_ticket": Text("ticket answered", "工单处理完毕"),
    "set_creator": Text("facts change", "账号信息变化"),
    "set_shop": Text("shop changes", "店铺信息变化"),
    "tap": Text("tap", "点击"),
    "click": Text("click", "点击"),
}

ROLES_TEXT: dict[str, Text] = {
    "official": Text("official", "官方达人"),
    "channel": Text("channel", "渠道达人"),
}

_UNITS: tuple[tuple[int, str, str], ...] = (
    (86400, "d", "天"),
    (3600, "h", "小时"),
    (60, "m", "分钟"),
    (1, "s", "秒"),
)


def action_text(action: str) -> Text:
    """A World action's name for people; an unknown action keeps its own name."""
    return ACTIONS_TEXT.get(action, Text(action.replace("_", " "), action.replace("_", " ")))


def duration_text(delta: timedelta) -> Text:
    """A duration as a trainer says it: 48h, 180 days, 90 min; 48 小时, 180 天, 90 分钟."""
    seconds = int(abs(delta.total_seconds()))
    if seconds == 0:
        return Text("0h", "0 小时")
    # Whole days beyond 3 days read as days (180 days); shorter ones as hours (48h, 72h).
    if seconds % 86400 == 0 and seconds > 3 * 86400:
        days = seconds // 86400
        return Text(f"{days} days", f"{days} 天")
    en: list[str] = []
    zh: list[str] = []
    rest = seconds
    for size, en_unit, zh_unit in _UNITS:
        if size == 86400 and seconds <= 3 * 86400:
            continue  # 47h, not 1d23h: the windows of the seed are counted in hours
        count, rest = divmod(rest, size)
        if count:
            en.append(f"{count}{en_unit}" if en_unit != "m" else f"{count}min")
            zh.append(f"{count} {zh_unit}")
    return Text(" ".join(en), " ".join(zh))


def after_text(delta: timedelta) -> Text:
    """A timer's wording: "after 48h" / "48 小时后"."""
    text = duration_text(delta)
    return Text(f"after {text.en}", f"{text.zh}后")


def elapsed_text(delta: timedelta) -> Text:
    """Simulated time since the run started, compactly: "+47h", "+3d 4h" / "+47 小时"."""
    seconds = int(delta.total_seconds())
    if seconds < 0:
        inner = elapsed_text(-delta)
        return Text("-" + inner.en[1:], "-" + inner.zh[1:])
    if seconds == 0:
        return Text("+0", "+0")
    parts: list[tuple[int, int]] = []
    rest = seconds
    for index, (size, _, _) in enumerate(_UNITS):
        if size == 86400 and seconds < 3 * 86400:
            continue
        count, rest = divmod(rest, size)
        if count:
            parts.append((count, index))
    en = " ".join(f"{n}{_UNITS[i][1]}" for n, i in parts[:2])
    zh = " ".join(f"{n} {_UNITS[i][2]}" for n, i in parts[:2])
    return Text(f"+{en}", f"+{zh}")
