"""A run's event log → Timeline: each record's states and windows along simulated time.

Windows come from the machines' own timers (an Edge with a Timer: R-INVITE-48H, R-LOCK-24H,
A-TICKET-TIME) and from R-CHANNEL-10-180D for channel bindings, with durations from the Ruleset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bindsim.diagrams import words
from bindsim.diagrams.extract import extract, machine_classes, screen_label
from bindsim.diagrams.model import Lane, MachineDiagram, Mark, Span, Timeline
from bindsim.diagrams.trace import entries, record_subject
from bindsim.machines.base import BindsimMachine
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.spec import MachineSpec, spec_of
from bindsim.machines.text import Text


def timeline(
    log: Iterable[Any],
    ruleset: Ruleset | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    classes: Mapping[str, type[BindsimMachine]] | None = None,
    actions: Mapping[str, Text] | None = None,
) -> Timeline:
    """The run from `start` (default: its first step) to `end` (default: its last step); its
    marks name the log's actions with `actions` (the simulator's words: diagrams.Run.actions).

    A lane per record created during the run (invitations, bindings, tickets; screens move within
    a step and have none), one per shop that bound channel creators (their 180-day window), and a
    mark per log step.
    """
    rules = ruleset if ruleset is not None else Ruleset()
    items = entries(log)
    known = dict(classes) if classes is not None else machine_classes()
    begin = start if start is not None else (items[0].at if items else datetime.now().astimezone())
    finish = end if end is not None else (items[-1].at if items else begin)
    diagrams: dict[str, MachineDiagram] = {}

    def diagram(name: str) -> MachineDiagram | None:
        if name not in diagrams and name in known:
            diagrams[name] = extract(known[name], ruleset=rules)
        return diagrams.get(name)

    history: dict[str, list[tuple[datetime, tuple[str, ...]]]] = {}
    owners: dict[str, dict[str, str]] = {}
    machine_of: dict[str, str] = {}
    channel_binds: dict[str, list[tuple[int, datetime]]] = {}
    marks: list[Mark] = []
    for entry in items:
        lane = None
        for change in entry.changes:
            if not change.before and change.target not in history:
                history[change.target] = []
                owners[change.target] = record_subject(entry.subject)
                machine_of[change.target] = change.machine
                if change.machine == "Binding" and entry.subject.get("role") == "channel":
                    shop = entry.subject.get("shop", "?")
                    channel_binds.setdefault(shop, []).append((entry.seq, entry.at))
            if change.target in history:
                history[change.target].append((entry.at, change.after))
                lane = lane or change.target
        marks.append(
            Mark(
                seq=entry.seq,
                at=entry.at,
                label=_mark_label(entry.actor, entry.action, entry.subject, actions or {}),
                outcome=entry.outcome,
                reasons=entry.reasons,
                lane=lane,
            )
        )

    lanes: list[Lane] = []
    latest = finish
    for target, changes in history.items():
        shape = diagram(machine_of[target])
        spans: list[Span] = []
        for index, (at, config) in enumerate(changes):
            following = changes[index + 1] if index + 1 < len(changes) else None
            leaf = _leaf(shape, config)
            kind = shape.state(leaf).kind if shape is not None else "normal"
            label = shape.state(leaf).label if shape is not None else Text(leaf, leaf)
            final = shape is not None and _is_final(shape, leaf)
            if following is None and final:
                spans.append(Span(at, at, label, "end", kind))
            elif following is None:
                spans.append(Span(at, max(finish, at), label, "state", kind, open_ended=True))
            elif following[0] > at:  # a state left at the instant it was entered is not drawn
                spans.append(Span(at, following[0], label, "state", kind))
            before = changes[index - 1][1] if index else ()
            machine = known.get(machine_of[target])
            spec = spec_of(machine) if machine is not None else None
            for window in _windows(shape, spec, config, before, at, rules):
                spans.append(window)
                latest = max(latest, window.end)
        title = shape.title if shape is not None else Text(machine_of[target], machine_of[target])
        lanes.append(Lane(target, _lane_label(title, target, owners[target]), tuple(spans)))
    for shop, binds in channel_binds.items():
        spans = []
        duration = words.duration_text(rules.channel_bind_window)
        starts: dict[datetime, list[int]] = {}
        for seq, at in binds:
            starts.setdefault(at, []).append(seq)
        for at, seqs in starts.items():  # binds at one instant share one window
            steps = ", ".join(f"#{seq}" for seq in seqs)
            what = words.CHANNEL_BIND if len(seqs) == 1 else words.CHANNEL_BINDS
            spans.append(
                Span(
                    at,
                    at + rules.channel_bind_window,
                    Text(
                        f"{steps} {what.en}: {duration.en} · R-CHANNEL-10-180D",
                        f"{steps} {what.zh}:{duration.zh} · R-CHANNEL-10-180D",
                    ),
                    "window",
                )
            )
            latest = max(latest, at + rules.channel_bind_window)
        label = Text(f"{shop}: {words.CHANNEL_WINDOW.en}", f"{shop}:{words.CHANNEL_WINDOW.zh}")
        lanes.append(Lane(f"channel:{shop}", label, tuple(spans)))
    return Timeline(start=begin, end=max(latest, finish), lanes=tuple(lanes), marks=tuple(marks))


def _leaf(shape: MachineDiagram | None, config: tuple[str, ...]) -> str:
    if shape is None:
        return config[-1] if config else "?"
    atomic = [x for x in config if not shape.state(x).compound]
    return (atomic or list(config) or ["?"])[0]


def _is_final(shape: MachineDiagram, leaf: str) -> bool:
    state = shape.state(leaf)
    return state.kind == "final" or (
        state.parent is None and not any(t.source == leaf for t in shape.transitions)
    )


def _windows(
    shape: MachineDiagram | None,
    spec: MachineSpec | None,
    config: tuple[str, ...],
    before: tuple[str, ...],
    at: datetime,
    rules: Ruleset,
) -> list[Span]:
    """The timers the move into `config` started (the machines' own rule: spec.armed_by), each
    as its whole window from `at`; a zero-length one (an instant delivery) is no window."""
    if shape is None or spec is None:
        return []
    found: list[Span] = []
    for event in spec.armed_by(before, config):
        transition = next(t for t in shape.transitions if t.event == event)
        if transition.timer_setting is not None:
            duration = getattr(rules, transition.timer_setting, None)
            if not isinstance(duration, timedelta) or not duration:
                continue
            text = words.duration_text(duration)
            rule_ids = " · ".join(transition.rules)
            found.append(
                Span(
                    at,
                    at + duration,
                    Text(f"{text.en} · {rule_ids}", f"{text.zh} · {rule_ids}"),
                    "window",
                )
            )
    return found


def _lane_label(title: Text, target: str, subject: dict[str, str]) -> Text:
    shop, creator = subject.get("shop"), subject.get("creator")
    who = " → ".join(x for x in (shop, creator) if x)
    role = subject.get("role")
    role_text = words.ROLES_TEXT.get(role) if role else None
    en = f"{title.en}: {who}" + (f" ({role_text.en})" if role_text else "")
    zh = f"{title.zh}:{who}" + (f"({role_text.zh})" if role_text else "")
    return Text(f"{en} · {target}", f"{zh} · {target}")


def _mark_label(
    actor: str, action: str, subject: dict[str, str], actions: Mapping[str, Text]
) -> Text:
    """ "gb: invite (kid, channel)": who did what, to whom or on which label."""
    text = words.action_text(action, actions)
    others_en: list[str] = []
    others_zh: list[str] = []
    for key, value in subject.items():
        if value == actor or key == "ticket":
            continue
        shown = words.ROLES_TEXT.get(value) if key == "role" else None
        if key == "label":
            shown = screen_label(value)  # what was tapped, as the screen says it in each language
        others_en.append(shown.en if shown else value)
        others_zh.append(shown.zh if shown else value)
    en = f"{actor}: {text.en}" + (f" ({', '.join(others_en)})" if others_en else "")
    zh = f"{actor}:{text.zh}" + (f"({', '.join(others_zh)})" if others_zh else "")
    return Text(en, zh)
