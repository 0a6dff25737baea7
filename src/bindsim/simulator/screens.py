"""The two user interfaces, label by label: the creator's app and the merchant's Seller Center.

Navigation and visibility only: what a label does to the World is an operation
(simulator/operations.py), reached when the user taps or clicks it. The World's shortcuts
(`invite`, `request_unlink`, `approve_unlink` ...) walk these same paths: one implementation per
concept. What is visible comes from the screen machines' own guards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bindsim.errors import InvalidAction, InvalidArgument, NotVisible, UnknownId
from bindsim.machines import Reason, Ruleset, ScreenFacts
from bindsim.machines.compiled import CREATOR_APP, SELLER_CENTER
from bindsim.machines.reasons import ordered
from bindsim.machines.spec import MachineSpec
from bindsim.simulator import checks, operations, queries
from bindsim.simulator.engine import Engine, table_of
from bindsim.simulator.log import Change
from bindsim.simulator.state import AppScreen, CenterScreen, ScreenRecord, State
from bindsim.simulator.step import Step

# R-UNLINK-PATH, steps 3–6 of the seed.
UNLINK_PATH: tuple[str, ...] = (
    "Showcase",
    "Enter",
    "Your Shop",
    "View link info",
    "Send unlink request",
)


@dataclass(frozen=True, slots=True)
class Screen:
    """What a user sees now: the screen id, the labels they can tap or click, and what is hidden."""

    owner: str
    id: str
    title: str
    title_zh: str
    visible: tuple[str, ...]
    # Labels of this screen hidden now, with the reason codes (maybe none) a user would meet.
    hidden: dict[str, tuple[str, ...]]
    info: dict[str, object]


def label_event(machine: MachineSpec, label: object) -> str:
    """The event of a label, or a clear error listing the labels that exist."""
    event = machine.label_event(label) if isinstance(label, str) else None
    if event is None:
        raise InvalidArgument(
            f"no screen of the {machine.screens} has a label {label!r}; "
            f"labels: {', '.join(machine.labels())}",
            zh=f"{machine.title.zh}的任何页面上都没有“{label}”;"
            f"可用的有:{'、'.join(e.label.zh for e in machine.label_edges().values())}",
        )
    return event


# ------------------------------------------------------------------------ reading


def app_of(state: State, creator_id: str) -> ScreenRecord:
    """The phone's app: as the user left it, or fresh on its profile (opened on first use, so an
    idle account holds no screen record)."""
    record = state.screens.get(f"app:{creator_id}")
    return record or AppScreen(f"app:{creator_id}", creator_id, table_of(CREATOR_APP).initial)


def center_of(state: State, shop_id: str) -> ScreenRecord:
    """The shop's Seller Center, as the merchant left it or fresh on its home page."""
    record = state.screens.get(f"center:{shop_id}")
    return record or CenterScreen(f"center:{shop_id}", shop_id, table_of(SELLER_CENTER).initial)


def app_facts(state: State, rules: Ruleset, creator_id: str) -> ScreenFacts:
    creator = state.creators[creator_id]
    binding = state.live_binding(creator)
    bound = binding is not None and binding.state == "bound"
    region = state.shops[binding.shop].region if binding is not None and bound else creator.country
    return ScreenFacts(
        showcase_blockers=tuple(r.value for r in checks.showcase_blockers(creator, region, rules)),
        bound=bound,
        unlink_requested=bound and binding is not None and "unlink_requested" in binding.states,
    )


def center_facts(state: State, shop_id: str) -> ScreenFacts:
    return ScreenFacts(unlink_requests=len(unlink_requesters(state, shop_id)))


def unlink_requesters(state: State, shop_id: str) -> list[str]:
    """The accounts whose unlink request waits for the shop's answer, in binding order."""
    return [
        binding.creator
        for binding in state.live_bindings(state.shops[shop_id])
        if "unlink_requested" in binding.states
    ]


def facts_of(state: State, rules: Ruleset, record: ScreenRecord) -> ScreenFacts:
    if isinstance(record, AppScreen):
        return app_facts(state, rules, record.owner)
    return center_facts(state, record.owner)


def view(state: State, rules: Ruleset, engine: Engine, record: ScreenRecord) -> Screen:
    """The screen as the user sees it: labels in the order the machine declares them, and for a
    hidden one the reasons it is hidden (the facts field its edge names)."""
    table = table_of(record.MACHINE)
    machine = record.MACHINE
    facts = facts_of(state, rules, record)
    enabled = engine.enabled(table, record.node, {"facts": facts})
    allowed = engine.allowed(table, record.node)
    screen_id = table.outer[record.node]
    node = machine.nodes[screen_id]
    info: dict[str, object] = {}
    if record.refusal and screen_id == "invitation_refused":
        info["reasons"] = [r.value for r in record.refusal]
    if record.viewing is not None and screen_id == "unlink_details":
        info["account"] = record.viewing  # not after Back/Home, where `viewing` is stale
    if isinstance(record, CenterScreen) and screen_id == "home":
        info["url"] = f"/homepage?shop_region={state.shops[record.owner].region}"  # R-SELLER-NAV
    if facts.unlink_requests:
        info["unlink_requests"] = facts.unlink_requests
    if isinstance(record, CenterScreen):
        reserved = queries.channel_places_reserved(state, record.owner, rules)
        if reserved:  # A-CHANNEL-COUNT "bound": why channel_binds_left is lower than counted
            info["channel_places_reserved"] = reserved
    edges = machine.label_edges()  # a follower (Edge.follows) is no label: never on screen
    return Screen(
        owner=record.owner,
        id=screen_id,
        title=node.label.en,
        title_zh=node.label.zh,
        visible=tuple(edges[e].label.en for e in edges if e in enabled),
        hidden={
            edges[e].label.en: _hidden_by(facts, edges[e].hidden_by)
            for e in allowed
            if e not in enabled and e in edges
        },
        info=info,
    )


# ------------------------------------------------------------------------ acting


def tap(step: Step, creator_id: str, label: str) -> object:
    """Tap a label on the phone; what it does to the World, if anything, happens first."""
    return _press(step, app_of(step.state, creator_id), label, None)


def click(step: Step, shop_id: str, label: str, account: str | None) -> object:
    """Click a label in Seller Center; `account` is the TikTok account typed into the guide or
    ticket form, or whose unlink request to view. Returns what the click made, if anything."""
    return _press(step, center_of(step.state, shop_id), label, account)


def request_unlink(step: Step, creator_id: str) -> None:
    """The whole creator-side path: back to the profile, then Showcase → … → Send unlink request."""
    walk(step, app_of(step.state, creator_id), UNLINK_PATH, None)


def invite_path(role: str) -> tuple[str, ...]:
    """R-SELLER-NAV: My Account → Bind TikTok account → Bind official account | Channel account →
    Send invitation."""
    entry = "Bind official account" if role == "official" else "Channel account"
    return ("My Account", "Bind TikTok account", entry, "Send invitation")


def answer_path(agree: bool) -> tuple[str, ...]:
    """R-UNLINK-APPROVE: View details → Agree (or Decline, A-DECLINE)."""
    return ("View details", "Agree" if agree else "Decline")


# R-TICKET: Seller Center → Help Center → Open ticket.
TICKET_PATH: tuple[str, ...] = ("Help Center", "Open ticket")


def invite(step: Step, shop_id: str, creator_id: str, role: str) -> object:
    """The merchant's invitation path, with the account typed into the guide."""
    return walk_center(step, shop_id, invite_path(role), creator_id)


def answer_unlink(step: Step, shop_id: str, creator_id: str, agree: bool) -> None:
    """The merchant's answer to the account's unlink request, on its details page."""
    binding = operations.open_unlink_request(step, shop_id, creator_id)
    step.subject["role"] = binding.role
    walk_center(step, shop_id, answer_path(agree), creator_id)


def open_ticket(step: Step, shop_id: str, creator_id: str) -> object:
    """A support ticket about the account, from Help Center."""
    return walk_center(step, shop_id, TICKET_PATH, creator_id)


def walk_center(step: Step, shop_id: str, labels: Sequence[str], account: str | None) -> object:
    """A Seller Center path from the home page; returns what the last click made."""
    return walk(step, center_of(step.state, shop_id), labels, account)


def walk(step: Step, record: ScreenRecord, labels: Sequence[str], account: str | None) -> object:
    """A path of labels from the screen's start (the app's profile, Seller Center's home page);
    returns what the last label made.

    The labels before the first that acts on the World only move the screen, and where they
    lead reads nothing but the screen record, its facts and the engine: each such walk is walked
    once per process and replayed after (the same moves, logged the same, in one write). An
    explorer walks the same few paths from the same few screens hundreds of thousands of times."""
    machine = record.MACHINE
    lead = 0
    while lead < len(labels) and label_event(machine, labels[lead]) not in _EFFECTS:
        lead += 1
    path = tuple(labels[:lead])
    memo = (step.engine.name, machine, record, facts_of(step.state, step.rules, record), path)
    known = _WALKS.get(memo)
    if known is not None:
        moved, changes = known
        if changes:
            step.changes.extend(changes)
            step.put(moved)
    else:
        before, armed = len(step.changes), step.state.timer_count
        table = table_of(machine)
        while table.outer[record.node] != _START[machine]:
            record = step.send(record, _BACK[machine])
        for label in path:
            _press(step, record, label, account)
            record = step.state.screens[record.id]
        if step.state.timer_count == armed:  # a screen arms no timer; if one did, walk again
            if len(_WALKS) >= _WALKS_KEPT:
                _WALKS.clear()
            _WALKS[memo] = (record, tuple(step.changes[before:]))
    made: object = None
    for label in labels[lead:]:
        made = _press(step, screen_record(step.state, record.owner), label, account)
    return made


# Where a path starts on each interface, and the label event that goes back there.
_START: dict[MachineSpec, str] = {CREATOR_APP: "profile", SELLER_CENTER: "home"}
_BACK: dict[MachineSpec, str] = {CREATOR_APP: "tap_back", SELLER_CENTER: "click_home"}
# Walked paths: (engine, machine, record, facts, labels) → the record at their end and the moves.
_WALKS: dict[tuple[Any, ...], tuple[ScreenRecord, tuple[Change, ...]]] = {}
_WALKS_KEPT = 4096  # a long-running World with many shops and accounts starts over past this


def _hidden_by(facts: ScreenFacts, field: str | None) -> tuple[str, ...]:
    return tuple(getattr(facts, field)) if field is not None else ()


def _press(step: Step, record: ScreenRecord, label: str, account: str | None) -> object:
    event = label_event(record.MACHINE, label)
    if event in table_of(record.MACHINE).unguarded[record.node]:
        given: dict[str, Any] = {}  # most labels have no guard: no facts to read, always shown
    else:
        facts = facts_of(step.state, step.rules, record)
        _require_visible(step, record, event, label, facts)
        given = {"facts": facts}
    effect = _EFFECTS.get(event)
    if effect is None:
        step.send(record, event, given)
        return None
    return effect(step, record, given, account)


def _require_visible(
    step: Step, record: ScreenRecord, event: str, label: str, facts: ScreenFacts
) -> None:
    table = table_of(record.MACHINE)
    if event in step.engine.enabled(table, record.node, {"facts": facts}):
        return
    shown = view(step.state, step.rules, step.engine, record)
    why = [Reason(code) for code in shown.hidden.get(label, ())]
    verb = "tap" if isinstance(record, AppScreen) else "click"
    raise NotVisible(record.owner, label, shown.id, shown.visible, Reason.NOT_VISIBLE, why, verb)


# What the labels that act on the World do, after the visibility check; each moves the screen.


def _send_unlink_request(
    step: Step, record: ScreenRecord, given: dict[str, Any], account: str | None
) -> None:
    operations.request_unlink(step, record.owner)  # refused: the app stays on Link info
    step.send(record, "tap_send_unlink_request", given)


def _send_invitation(
    step: Step, record: ScreenRecord, given: dict[str, Any], account: str | None
) -> object:
    creator_id = _typed_account(step, account, "Send invitation")
    role = "official" if record.node == "bind_official" else "channel"
    state = step.state
    reasons = checks.invite_reasons(
        state, state.shops[record.owner], state.creators[creator_id], role, step.now, step.rules
    )
    shown = ordered(reasons)  # as Refused lists them
    step.send(record, "click_send_invitation", {**given, "blockers": reasons}, refusal=shown)
    return operations.invite(step, record.owner, creator_id, role)  # raises Refused on reasons


def _open_ticket(
    step: Step, record: ScreenRecord, given: dict[str, Any], account: str | None
) -> object:
    ticket = operations.open_ticket(
        step, record.owner, _typed_account(step, account, "Open ticket")
    )
    step.send(record, "click_open_ticket", given)
    return ticket


def _view_details(
    step: Step, record: ScreenRecord, given: dict[str, Any], account: str | None
) -> None:
    requesters = unlink_requesters(step.state, record.owner)
    if account is None and len(requesters) > 1:
        raise InvalidArgument(
            f"{record.owner} has unlink requests from {', '.join(requesters)}: "
            "say whose details to view with account=...",
            zh=f"{record.owner} 收到了 {'、'.join(requesters)} 的解绑申请:"
            "请选择要查看哪个账号的申请",
        )
    viewing = account if account is not None else requesters[0]
    if viewing not in requesters:
        raise InvalidAction(
            f"{record.owner} has no unlink request from {viewing}; "
            f"requests from: {', '.join(requesters)}",
            zh=f"{record.owner} 没有收到 {viewing} 的解绑申请;"
            f"收到的申请来自:{'、'.join(requesters)}",
        )
    step.send(record, "click_view_details", given, viewing=viewing)


def _answer(agree: bool) -> Callable[[Step, ScreenRecord, dict[str, Any], str | None], None]:
    event = "click_agree" if agree else "click_decline"

    def answer(
        step: Step, record: ScreenRecord, given: dict[str, Any], account: str | None
    ) -> None:
        assert record.viewing is not None  # unlink_details is reached through View details only
        if account is not None and account != record.viewing:
            raise InvalidAction(
                f"the details open are {record.viewing}'s unlink request, not {account}'s: "
                f"click View details with account={account} first",
                zh=f"当前打开的是 {record.viewing} 的解绑申请,不是 {account} 的:"
                f"请先点击“查看细节”并选择 {account}",
            )
        creator_id = record.viewing
        if agree:
            operations.approve_unlink(step, record.owner, creator_id)
        else:
            operations.decline_unlink(step, record.owner, creator_id)
        step.send(record, event, given, viewing=None)
        follow(step, creator_id, "Binding.approve_unlink" if agree else "Binding.decline_unlink")

    return answer


def follow(step: Step, creator_id: str, event: str) -> None:
    """The phone after `event` of the account's binding: if the app is on a screen that the
    event leaves (CreatorApp's edge that follows it), it moves; an app never opened stays so."""
    record = step.state.screens.get(f"app:{creator_id}")
    follower = CREATOR_APP.follower(event)
    if record is None or follower is None:
        return
    if follower in step.engine.allowed(table_of(CREATOR_APP), record.node):
        step.send(record, follower)


_EFFECTS: dict[str, Callable[[Step, ScreenRecord, dict[str, Any], str | None], Any]] = {
    "tap_send_unlink_request": _send_unlink_request,
    "click_send_invitation": _send_invitation,
    "click_open_ticket": _open_ticket,
    "click_view_details": _view_details,
    "click_agree": _answer(agree=True),
    "click_decline": _answer(agree=False),
}


def _typed_account(step: Step, account: str | None, label: str) -> str:
    if account is None:
        raise InvalidArgument(
            f"{label!r} needs the TikTok account: pass account=...",
            zh=f"“{SELLER_CENTER.label_edges()[label_event(SELLER_CENTER, label)].label.zh}”"
            "需要填写 TikTok 账号",
        )
    if account not in step.state.creators:
        raise UnknownId("creator", account, step.state.creators)
    return account


def screen_record(state: State, owner_id: str) -> ScreenRecord:
    """The screen of a creator (their phone) or a shop (its Seller Center)."""
    if owner_id in state.creators:
        return app_of(state, owner_id)
    return center_of(state, owner_id)
