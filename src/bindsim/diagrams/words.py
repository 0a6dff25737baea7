"""The diagrams' own words (legends, captions, durations) in English and Chinese."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo

from bindsim.machines.durations import spoken_duration
from bindsim.machines.reasons import REASONS, Reason
from bindsim.machines.text import Text

CURRENT = Text("current state", "当前状态")
START = Text("start", "开始")
RUN_START = Text("run started", "开始时间")
REFUSED = Text("refused", "被拒绝")
STEPS = Text("steps", "步骤")
STEP_COUNT = Text("{count} steps", "{count} 个步骤")
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
FOLLOW_NOTE = Text(
    "dashed green arrows: the screen moves by itself, nothing is tapped ({labels})",
    "绿色虚线箭头:页面自行变化,无需点击({labels})",
)
NO_SCREEN = Text(
    "no screen: time passes, or the facts are checked", "无界面操作:时间流逝或核对状态"
)
PICTURE_ALT = Text(
    "{machine} diagram: {record} in {states}", "{machine}状态图:{record} 处于「{states}」"
)
SELLER_CENTER = Text("Seller Center", "商家后台")
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


def places_reserved(count: int) -> Text:
    """A-CHANNEL-COUNT "bound": Seller Center's words for the channel places that bindings in
    progress hold (screen info `channel_places_reserved`)."""
    if count == 1:
        return Text("1 place reserved by a binding in progress", "1 个名额已被绑定中的账号预留")
    return Text(
        f"{count} places reserved by bindings in progress", f"{count} 个名额已被绑定中的账号预留"
    )


# Screen info given as a count, each in words of its own (plurals).
SCREEN_COUNTS: dict[str, Callable[[int], Text]] = {"channel_places_reserved": places_reserved}
# An `expect` step in words, for a storyboard slide (the World's actions say themselves: each
# row of the simulator's actions table has its sentence).
CHECK_STEP = Text("Check: {checks}", "核对:{checks}")
UNSHOWN_NOTE = Text(
    "not drawn: {labels} (on many screens)",
    "未画出:{labels}(多数页面都有)",
)
UNVISITED_NOTE = Text("{count} states not visited: not drawn", "{count} 个未经过的状态未画出")
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

ROLES_TEXT: dict[str, Text] = {
    "official": Text("official", "官方达人"),
    "channel": Text("channel", "渠道达人"),
}

# Who acts besides shops and creators (the log's actor), as every surface names them.
ACTORS_TEXT: dict[str, Text] = {
    "platform": Text("platform", "平台"),
    "support": Text("support", "客服"),
}


def action_text(action: str, known: Mapping[str, Text]) -> Text:
    """A logged action's name for people, from the words the run was handed with (`known`: the
    simulator's actions table); an action without words keeps its own name."""
    found = known.get(action)
    return found if found is not None else Text(action.replace("_", " "), action.replace("_", " "))


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


def clock_text(when: datetime, zone: tzinfo, seconds: bool = False) -> tuple[str, str]:
    """A time as the scenario's people read it, in its own offset ("2024-11-13 19:06 +08:00"),
    and the same time in UTC for small print ("UTC 11:06", with the date when it differs); the
    second is empty when the offset is UTC's."""
    shape = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    local = when.astimezone(zone)
    offset = local.strftime("%z")
    named = "UTC" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}"
    if named == "UTC":
        return f"{local.strftime(shape)} UTC", ""
    utc = when.astimezone(UTC)
    short = shape if utc.date() != local.date() else shape.removeprefix("%Y-%m-%d ")
    return f"{local.strftime(shape)} {named}", f"UTC {utc.strftime(short)}"
