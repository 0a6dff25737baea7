"""What the page shows, read from a session's World: plain data for the templates, in a language.

Labels, screen titles, state names and reason messages come from the machines and
`bindsim.machines.REASONS`, so that the page and the simulator cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bindsim.diagrams import find_machine
from bindsim.diagrams import words as diagram_words
from bindsim.diagrams.extract import screen_label
from bindsim.errors import (
    BadRequest,
    BadUpload,
    InvalidAction,
    InvalidArgument,
    InvalidDurationText,
    InvalidStep,
    NothingToPlay,
    NothingToSave,
    NothingToUndo,
    SessionBusy,
    SessionFull,
    SessionGone,
    StepNotPossible,
    TooLarge,
    UnknownId,
    UnknownMachine,
    UnknownScenario,
)
from bindsim.machines import (
    REASONS,
    Binding,
    BindsimMachine,
    CreatorApp,
    Invitation,
    Reason,
    ScreenMachine,
    SellerCenter,
    SupportTicket,
    Text,
)
from bindsim.machines.spec import spec_of
from bindsim.machines.text import Lang
from bindsim.simulator import facts
from bindsim.simulator.actions import ACTION_WORDS
from bindsim.simulator.log import LogEntry
from bindsim.simulator.serve import actions
from bindsim.simulator.serve.catalog import Catalog
from bindsim.simulator.serve.live import DiagramCache, Wanted, state_notes
from bindsim.simulator.serve.session import MAX_STEPS, Notice, Played, Session
from bindsim.simulator.serve.words import CHOICES, FACTS, WORDS
from bindsim.simulator.world import World

LOG_SHOWN = 30  # the newest entries the page lists (Save as scenario keeps every step)
CHANGES_SHOWN = 12  # the log entries of one action that "What changed" lists
STEPS_SHOWN = 25  # the player lists the newest steps done and the next ones, this many each

# Seller Center labels that act on a TikTok account, and where the account comes from: typed
# into the form (any account) or chosen among the accounts whose unlink request waits.
ACCOUNT_LABELS: dict[str, str] = {
    "click_send_invitation": "typed",
    "click_open_ticket": "typed",
    "click_view_details": "requester",
}


def say(key: str, lang: Lang, **values: object) -> str:
    """One of the page's own phrases, with its values filled in."""
    text = WORDS[key](lang)
    return text.format(**values) if values else text


def reason_view(code: str, lang: Lang) -> dict[str, str]:
    """A reason code with its message and remedy, as the page shows it (in red)."""
    try:
        info = REASONS[Reason(code)]
    except ValueError:
        return {"code": code, "message": "", "remedy": ""}
    return {
        "code": code,
        "message": info.message(lang),
        "remedy": info.remedy(lang) if info.remedy else "",
        "rules": " · ".join(info.rules),
    }


def any_label_text(label: str, lang: Lang) -> str:
    """A label of either screen machine in a language (the log keeps the English label)."""
    return screen_label(label)(lang)


def state_text(machine_name: str, state: str, lang: Lang) -> str:
    """A state's name in a language, from its machine's own labels."""
    try:
        machine = find_machine(machine_name)
    except UnknownMachine:
        return state
    node = spec_of(machine).nodes.get(state)
    return node.label(lang) if node is not None else state


def duration(delta: timedelta, lang: Lang) -> str:
    return diagram_words.duration_text(delta)(lang)


def clock_text(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


# ----------------------------------------------------------------------- the errors

KINDS_ZH = {
    "shop": "店铺",
    "creator": "达人",
    "invitation": "邀请",
    "binding": "绑定",
    "ticket": "工单",
}

# What an error says in Chinese, by its class (the first found along its classes), where its
# raiser wrote no Chinese (BindSimError.zh); English is the error's own message.
ERRORS_ZH: dict[type[BaseException], Callable[[Any], str]] = {
    actions.MissingField: lambda e: f"缺少字段 {e.name}:表单没有提供它",
    actions.UnknownVerb: lambda e: f"未知操作 {e.verb}",
    actions.NotOnScreen: lambda e: f"“{any_label_text(e.label, 'zh')}”不在 {e.owner} 当前的页面上",
    actions.NoDeadline: lambda e: (
        "下一个时限只剩 1 秒:请改为前进 1s" if e.soon else "没有待到期的时限:无处可跳"
    ),
    actions.BadFact: lambda e: bad_fact_zh(e.name, e.text),
    actions.AgeOrBirthdate: lambda e: (
        "请只填写年龄或出生日期中的一项,不要同时填写(A-AGE)"
        if e.both
        else "账号需要年龄或出生日期,二者填一项(A-AGE)"
    ),
    actions.BadDuration: lambda e: f"时长无效:{e.text}。请写成 90s、15m、47h59m 或 2d 这样的形式",
    InvalidDurationText: lambda e: "时长无效:请写成 90s、15m、47h59m 或 2d 这样的形式",
    UnknownId: lambda e: f"没有这个{KINDS_ZH.get(e.kind, e.kind)}:{e.key}",
    UnknownScenario: lambda e: "服务器的场景库里没有这个场景",
    NothingToUndo: lambda e: "没有可撤销的操作:这里是会话的起点",
    NothingToPlay: lambda e: "没有待播放的场景步骤:请先加载场景,或后退一步",
    NothingToSave: lambda e: "还没有可保存的内容:场景至少需要一步;请先操作、推进时钟或播放一步",
    SessionFull: lambda e: f"一个会话最多保存 {MAX_STEPS:,} 步:请保存为场景文件,或开始新会话",
    SessionGone: lambda e: (
        "你的会话已失效(已过期,或服务器的会话数据已删除)。这是一个新会话:现在的操作不会改变旧会话。"
    ),
    SessionBusy: lambda e: "另一个窗口同时修改了这个会话:请刷新页面后再试",
    BadRequest: lambda e: "这个请求不是本页面发送的表单,未执行",
    TooLarge: lambda e: (
        f"请求超过 {e.body_limit // 1024} KiB;场景文件最多 {e.upload_limit // 1024} KiB"
    ),
}

# Errors whose details exist in English only (a scenario file's problems, written in the
# scenario format's own English words): a Chinese sentence says what kind of problem it is, and
# the page shows the details marked as English (lang="en"), so that no English reads as Chinese.
HEADINGS_ZH: dict[type[BaseException], str] = {
    StepNotPossible: "此步骤在当前状态下无法执行",
    InvalidStep: "此步骤不符合场景格式",
    BadUpload: "上传的文件不是有效的场景文件",
    InvalidAction: "此操作不适用于当前状态",
    InvalidArgument: "输入无效",
    BaseException: "请求未能执行",
}


def bad_fact_zh(name: str, text: str) -> str:
    """A fact typed in a form that is not of its kind: what it should be, as its check says."""
    said = f"{FACTS[name].zh if name in FACTS else name}的值无效:{text}"
    fact = next((f for f in facts.FACTS if f.name == name), None)
    return f"{said}({facts.wanted_zh(fact.check)})" if fact else said


def error_view(error: BaseException, lang: Lang) -> tuple[str, str]:
    """An error as the page says it, in its language, and its details where they exist in
    English only (else ""): in Chinese, the words its raiser wrote (BindSimError.zh), else
    the words of its class here."""
    if lang != "zh":
        return str(error), ""
    if isinstance(error, StepNotPossible) and error.cause is not None:
        said, english = error_view(error.cause, lang)
        return f"{HEADINGS_ZH[StepNotPossible]}:{said}", english
    zh = getattr(error, "zh", None)
    if zh:
        return str(zh), ""
    for cls in type(error).__mro__:
        if cls in ERRORS_ZH:
            return ERRORS_ZH[cls](error), ""
    heading = next(HEADINGS_ZH[cls] for cls in type(error).__mro__ if cls in HEADINGS_ZH)
    return heading, str(error)


def error_text(error: BaseException, lang: Lang) -> str:
    """The error as one line: its words and, after them, its English-only details."""
    said, english = error_view(error, lang)
    return f"{said}:{english}" if english else said


# ---------------------------------------------------------------------- the screens


@dataclass(frozen=True, slots=True)
class Button:
    """One label of a screen: shown (a button), or greyed with the reason it is hidden."""

    label: str  # English, as the World takes it
    text: str  # in the page's language
    hidden: bool = False
    reasons: tuple[dict[str, str], ...] = ()
    account: str | None = None  # "typed" or "requester": the account a click needs


@dataclass(frozen=True, slots=True)
class ScreenView:
    owner: str
    id: str
    title: str
    buttons: tuple[Button, ...]
    info: dict[str, Any] = field(default_factory=dict)


def guard_reason(edge: Any, lang: Lang) -> dict[str, str]:
    """Why a label with no reason code of its own is greyed: NOT_VISIBLE, and when the
    machine shows it (its guard's words: "an unlink request arrived")."""
    reason = reason_view("NOT_VISIBLE", lang)
    guards = [text(lang) for text in edge.guards.values()]
    if guards:
        reason["message"] = say("shown_when", lang, when="; ".join(guards))
    return reason


def screen_view(world: World, owner: str, machine: type[ScreenMachine], lang: Lang) -> ScreenView:
    """The owner's current screen: its labels in the order the machine declares them."""
    screen = world.screen(owner)
    buttons = []
    for event, edge in spec_of(machine).edges.items():
        label = edge.label.en
        if label in screen.visible:
            buttons.append(Button(label, edge.label(lang), account=ACCOUNT_LABELS.get(event)))
        elif label in screen.hidden:
            reasons = tuple(reason_view(code, lang) for code in screen.hidden[label])
            if not reasons:  # hidden by where the screen is, not by a fact: say when it shows
                reasons = (guard_reason(edge, lang),)
            buttons.append(Button(label, edge.label(lang), hidden=True, reasons=reasons))
    info: dict[str, Any] = {}
    if "url" in screen.info:
        info["url"] = screen.info["url"]
    if "reasons" in screen.info:
        info["reasons"] = [reason_view(str(code), lang) for code in screen.info["reasons"]]  # type: ignore[attr-defined]
    if "account" in screen.info:
        info["account"] = screen.info["account"]
    title = screen.title_zh if lang == "zh" else screen.title
    return ScreenView(owner, screen.id, title, tuple(buttons), info)


def pending_invitations(
    world: World, lang: Lang, states: tuple[str, ...], **owner: str
) -> list[dict[str, str]]:
    """The invitations of one creator or one shop in these states (R-INVITE-48H)."""
    (key, value), now = next(iter(owner.items())), world.now
    return [
        {
            "shop": invitation.shop,
            "creator": invitation.creator,
            "role": CHOICES["role"][invitation.role](lang),
            "left": duration(invitation.expires_at - now, lang) if invitation.expires_at else "",
        }
        for invitation in world.invitations.values()
        if getattr(invitation, key) == value and invitation.state in states
    ]


def in_progress(world: World, lang: Lang, **owner: str) -> list[dict[str, Any]]:
    """The bindings of one creator or one shop that are not bound yet: in progress, or stuck
    with the reasons that hold them (R-STUCK). They hold the account and a place."""
    ((key, value),) = owner.items()
    return [
        {
            "shop": binding.shop,
            "creator": binding.creator,
            "role": CHOICES["role"][binding.role](lang),
            "state": state_text("Binding", binding.state, lang),
            "stuck": binding.state == "stuck",
            "reasons": [reason_view(str(code), lang) for code in binding.reasons],
        }
        for binding in world.bindings.values()
        if getattr(binding, key) == value and binding.state in ("binding", "stuck")
    ]


def phone_view(world: World, creator: str, lang: Lang) -> dict[str, Any]:
    account = world.creator(creator)
    bound = world.bound_shop(creator)
    invitations = pending_invitations(world, lang, ("pending",), creator=creator)  # in the app
    capabilities = world.capabilities(creator)
    return {
        "screen": screen_view(world, creator, CreatorApp, lang),
        "account": account,
        "age": world.age(creator),
        "bound": bound,
        "role": CHOICES["role"][capabilities.role](lang) if bound else "",
        "invitations": invitations,
        "in_progress": in_progress(world, lang, creator=creator),
    }


def center_view(world: World, shop: str, lang: Lang) -> dict[str, Any]:
    pending = pending_invitations(world, lang, ("sent", "pending"), shop=shop)
    requesters = [
        binding.creator
        for binding in world.bindings.values()
        if binding.shop == shop and "unlink_requested" in binding.states
    ]
    tickets = [
        {"id": t.id, "creator": t.creator, "state": state_text("SupportTicket", t.state, lang)}
        for t in world.tickets.values()
        if t.shop == shop
    ]
    return {
        "screen": screen_view(world, shop, SellerCenter, lang),
        "shop": world.shop(shop),
        "official": world.official(shop),
        "channels": world.channels(shop),
        "unbinds_left": world.official_unbinds_left(shop),
        "channel_binds_left": world.channel_binds_left(shop),
        "channel_reserved": _places_reserved(world.channel_places_reserved(shop), lang),
        "pending": pending,
        "requesters": requesters,
        "tickets": tickets,
        "in_progress": in_progress(world, lang, shop=shop),
    }


def _places_reserved(count: int, lang: Lang) -> str:
    """A-CHANNEL-COUNT "bound": "1 place reserved by a binding in progress", or nothing."""
    return diagram_words.places_reserved(count)(lang) if count else ""


# ------------------------------------------------------------------------ the clock


WEEKDAYS = tuple(
    Text(en, zh)
    for en, zh in zip(
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
        strict=True,
    )
)
TIMER_WORDS: dict[str, str] = {
    "deliver": "timer_deliver",
    "expire": "timer_expire",
    "unlock": "timer_unlock",
    "birthday": "timer_birthday",
    "resolve": "timer_resolve",
}
TIMER_RULES: dict[str, str] = {
    "deliver": "R-INVITE-48H",
    "expire": "R-INVITE-48H",
    "unlock": "R-LOCK-24H",
    "birthday": "A-AGE",
    "resolve": "A-TICKET-TIME",
}


def clock_view(session: Session, lang: Lang) -> dict[str, Any]:
    world = session.world
    now = world.now
    deadlines = []
    for timer in world.pending_timers():
        record: Any = {"invitations": world.invitations, "bindings": world.bindings}.get(
            timer.collection, world.tickets
        )[timer.target]
        words = TIMER_WORDS.get(timer.event)
        text = (
            say(words, lang, shop=record.shop, creator=record.creator, ticket=record.id)
            if words
            else f"{timer.target}: {timer.event}"
        )
        deadlines.append(
            {
                "text": text,
                "rule": TIMER_RULES.get(timer.event, ""),
                "due": clock_text(timer.due),
                "left": duration(timer.due - now, lang),
            }
        )
    return {
        "now": clock_text(now),
        "weekday": WEEKDAYS[now.weekday()](lang),
        "elapsed": diagram_words.elapsed_text(now - session.base.start)(lang),
        "deadlines": deadlines,
        "steps": actions.CLOCK_STEPS,
    }


# -------------------------------------------------------------------------- the log


def entry_view(entry: LogEntry, lang: Lang) -> dict[str, Any]:
    subject = " · ".join(
        any_label_text(value, lang) if key == "label" else value
        for key, value in entry.subject.items()
        if key != "role" and value != entry.actor  # "alice taps Showcase", not "alice alice"
    )
    role = entry.subject.get("role")
    if role in CHOICES["role"]:
        subject += f" · {CHOICES['role'][role](lang)}"
    changes = [
        {
            "target": change.target,
            "before": " / ".join(state_text(change.machine, s, lang) for s in change.before),
            "after": " / ".join(state_text(change.machine, s, lang) for s in change.after),
        }
        for change in entry.changes
        if change.machine not in ("CreatorApp", "SellerCenter")
    ]
    return {
        "seq": entry.seq,
        "at": clock_text(entry.at),
        "actor": diagram_words.ACTORS_TEXT[entry.actor](lang)
        if entry.actor in diagram_words.ACTORS_TEXT
        else entry.actor,
        "action": diagram_words.action_text(entry.action, ACTION_WORDS)(lang),
        "subject": subject,
        "outcome": entry.outcome,
        "outcome_text": say(f"outcome_{entry.outcome}", lang)
        if f"outcome_{entry.outcome}" in WORDS
        else entry.outcome,
        "reasons": [reason_view(code, lang) for code in entry.reasons],
        "changes": changes,
    }


def log_view(world: World, lang: Lang) -> list[dict[str, Any]]:
    """The newest entries first: what just happened is at the top."""
    return [entry_view(entry, lang) for entry in reversed(world.log[-LOG_SHOWN:])]


# --------------------------------------------------------------------- the diagrams


@dataclass(frozen=True, slots=True)
class Panel:
    """One live diagram: which record it draws (or the whole machine, when there is none)."""

    key: str
    title: str
    machine: type[BindsimMachine]
    states: frozenset[str]
    live: bool
    expect: dict[str, str] | None  # the form that records "expect this state"
    svg: str | None = None
    problem: str | None = None
    notes: str = "{}"

    @property
    def name(self) -> str:
        return self.machine.__name__

    @property
    def signature(self) -> str:
        """What the panel shows: the page keeps a panel in place while this stays the same."""
        return "|".join((self.title, ",".join(sorted(self.states)), str(self.live), self.notes))


# The machines the page draws, one panel each.
PANEL_MACHINES: tuple[type[BindsimMachine], ...] = (
    Binding,
    Invitation,
    SupportTicket,
    CreatorApp,
    SellerCenter,
)


def panel_records(world: World, shop: str | None, creator: str | None) -> list[Panel]:
    """The five machines of the pair on screen: binding, invitation, ticket, both screens."""
    panels = []
    pair = {"shop": shop or "?", "creator": creator or "?"}
    records: tuple[tuple[str, type[BindsimMachine]], ...] = (
        ("binding", Binding),  # first: the lock, the unlink request, unbound
        ("invitation", Invitation),
    )
    for key, machine in records:
        record = None
        if shop is not None and creator is not None:
            try:
                record = getattr(world, key)(shop, creator)
            except UnknownId:
                record = None
        panels.append(_record_panel(key, machine, record, pair))
    ticket = None
    if shop and creator:
        with suppress(UnknownId):
            ticket = world.latest_ticket(shop, creator)
    panels.append(_record_panel("ticket", SupportTicket, ticket, pair))
    screens: tuple[tuple[str, type[BindsimMachine], str | None], ...] = (
        ("app", CreatorApp, creator),
        ("center", SellerCenter, shop),
    )
    for key, screen_machine, owner in screens:
        states = frozenset({world.screen(owner).id}) if owner is not None else frozenset()
        expect = {"what": "screen", "owner": owner} if owner is not None else None
        panels.append(Panel(key, key, screen_machine, states, owner is not None, expect))
    return panels


def _record_panel(
    key: str, machine: type[BindsimMachine], record: Any, pair: dict[str, str]
) -> Panel:
    if record is None:
        return Panel(key, key, machine, frozenset(), False, None)
    expect = {"what": key, **pair}
    return Panel(key, key, machine, frozenset(record.states), True, expect)


def diagram_views(
    session: Session, cache: DiagramCache, shop: str | None, creator: str | None
) -> list[Panel]:
    lang = session.lang
    world = session.world
    panels = panel_records(world, shop, creator)
    drawings = cache.draw([Wanted(p.machine, p.states, lang, world.rules) for p in panels])
    names = {"shop": shop or "?", "creator": creator or "?"}
    shown = []
    for panel, drawing in zip(panels, drawings, strict=True):
        title = say(f"panel_{panel.key}", lang, **names)
        shown.append(
            Panel(
                panel.key,
                title,
                panel.machine,
                panel.states,
                panel.live,
                panel.expect,
                drawing.svg,
                drawing.problem,
                state_notes(panel.machine, lang),
            )
        )
    return shown


# ----------------------------------------------------------------------- the player


def played_view(played: Played, number: int, lang: Lang) -> dict[str, Any]:
    status = "step_ok" if played.passed else "step_failed"
    if played.outcome in ("error", "not applicable") and not played.passed:
        status = "step_error"
    return {
        "number": number,
        "text": played.step.describe(),
        "by": played.by,
        "outcome": played.outcome,
        "passed": played.passed,
        "status": say(status, lang),
        "reasons": [reason_view(code, lang) for code in played.reasons],
        "message": played.message if played.passed is False else "",
    }


def player_view(session: Session, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    count, waiting = session.done_count, session.queue_count
    newest = session.newest_done(STEPS_SHOWN)
    first = count - len(newest) + 1
    done = [played_view(p, n, lang) for n, p in enumerate(newest, start=first)]
    upcoming = session.steps[session.now.played_to : session.now.played_to + STEPS_SHOWN]
    folders: dict[str, list[dict[str, str]]] = {}
    for entry in catalog.entries.values():
        folders.setdefault(entry.folder, []).append(
            {"key": entry.key, "title": entry.title(lang), "problem": entry.problem or ""}
        )
    return {
        "name": session.base.title(lang),
        "done": done,
        "done_count": count,
        "done_hidden": count - len(newest),
        "queue": [step.describe() for step in upcoming],
        "queue_count": waiting,
        "queue_hidden": waiting - len(upcoming),
        "total": count + waiting,
        "loaded": bool(session.steps),  # a scenario's steps to play: the player bar shows
        "folders": folders,
        "has_library": bool(catalog.entries),
    }


def change_rules(change: Any) -> tuple[str, ...]:
    """The rule IDs of a machine event, as its machine declares them."""
    try:
        machine = find_machine(change.machine)
    except UnknownMachine:
        return ()
    edge = spec_of(machine).edges.get(change.event)
    return tuple(edge.rules) if edge is not None else ()


def change_view(entry: LogEntry, lang: Lang) -> dict[str, Any]:
    """One log entry of an action, as "What changed" lists it: who did what, each record's
    state before and after with the rules of the event, and the reason codes with theirs."""
    view = entry_view(entry, lang)
    records = []
    for change in entry.changes:
        why = ""
        edge = spec_of(CreatorApp).edges[change.event] if change.machine == "CreatorApp" else None
        if edge is not None and edge.follows:
            # Not the user's navigation: the phone moved because of what someone else did.
            title = say("panel_app", lang, creator=change.target.split(":", 1)[1])
            why = edge.label(lang)
        elif change.machine in ("CreatorApp", "SellerCenter"):
            continue
        else:
            try:
                title = find_machine(change.machine).title(lang)
            except UnknownMachine:
                title = change.machine
        records.append(
            {
                "machine": title,
                "before": " / ".join(state_text(change.machine, s, lang) for s in change.before),
                "after": " / ".join(state_text(change.machine, s, lang) for s in change.after),
                "why": why,
                "rules": change_rules(change),
            }
        )
    shown = {rule for record in records for rule in record["rules"]}
    more = {rule for reason in view["reasons"] for rule in reason_rules(reason)}
    if entry.outcome == "timer" and entry.action in TIMER_RULES:
        more.add(TIMER_RULES[entry.action])
    view["records"] = records
    view["rules"] = sorted(more - shown)  # the rules not named beside a record already
    return view


def reason_rules(reason: dict[str, str]) -> list[str]:
    return [rule for rule in reason.get("rules", "").split(" · ") if rule]


def notice_view(session: Session, lang: Lang) -> dict[str, Any] | None:
    """What the last request did: the step (refused with its codes, or done) and every log
    entry it made, timers included, or the step undone, or a line of text."""
    notice: Notice | None = session.notice
    if notice is None:
        return None
    if notice.kind == "text":
        text = say(notice.text, lang) if notice.text in WORDS else notice.text
        return {"kind": "info", "title": "", "text": text, "reasons": [], "entries": []}
    if notice.kind == "undone":
        return {
            "kind": "info",
            "title": say("undone", lang),
            "text": notice.text,
            "reasons": [],
            "entries": [],
        }
    newest = session.newest_done(1)
    if not newest:
        return None
    played = newest[0]
    kind = "refused" if played.outcome == "refused" else "done"
    if played.passed is False:
        kind = "failed"
    entries = [e for e in session.world.log if e.seq > notice.since]
    shown = entries[-CHANGES_SHOWN:]
    return {
        "kind": kind,
        "title": say("refused" if kind == "refused" else "done", lang),
        "text": played.step.describe(),
        "reasons": [reason_view(code, lang) for code in played.reasons],
        "message": played.message if played.passed is False else "",
        "entries": [change_view(entry, lang) for entry in shown],
        "more": len(entries) - len(shown),
    }


# ------------------------------------------------------------------------- the page


def page(
    session: Session,
    catalog: Catalog,
    cache: DiagramCache,
    error: BaseException | None = None,
    gone: SessionGone | None = None,
) -> dict[str, Any]:
    """Everything the page template needs, in the session's language."""
    lang = session.lang
    world = session.world
    creator, shop = session.phone_owner(), session.center_owner()
    return {
        "lang": lang,
        "other_lang": "zh" if lang == "en" else "en",
        "w": {key: text(lang) for key, text in WORDS.items()},
        "facts": {key: text(lang) for key, text in FACTS.items()},
        "choices": {
            name: {value: text(lang) for value, text in options.items()}
            for name, options in CHOICES.items()
        },
        "error": error_view(error, lang) if error is not None else None,
        "gone": error_text(gone, lang) if gone is not None else None,
        "notice": None if error or gone else notice_view(session, lang),
        "creators": list(world.creators.values()),
        "shops": list(world.shops.values()),
        "creator": creator,
        "shop": shop,
        "phone": phone_view(world, creator, lang) if creator else None,
        "center": center_view(world, shop, lang) if shop else None,
        "clock": clock_view(session, lang),
        "log": log_view(world, lang),
        "panels": diagram_views(session, cache, shop, creator),
        "world_actions": [
            (verb, diagram_words.action_text(verb, ACTION_WORDS)(lang))
            for verb in actions.WORLD_ACTIONS
        ],
        "player": player_view(session, catalog, lang),
        "can_undo": session.can_undo,
        "recorded": sum(1 for played in session.done if played.replays),
        "shown_log": LOG_SHOWN,
        "statuses": CHOICES["status"],
    }
