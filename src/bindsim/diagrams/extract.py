"""A machine class or a live machine → MachineDiagram: its structure, read once by
machines.spec (what the engine compiles), plus our metadata (labels, rule IDs, timers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from bindsim import machines
from bindsim.diagrams.model import MachineDiagram, StateInfo, TransitionInfo
from bindsim.diagrams.words import after_text
from bindsim.errors import UnknownMachine
from bindsim.machines.base import BindsimMachine
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.spec import MachineSpec, TransitionSpec, spec_of
from bindsim.machines.text import Edge, Text


def machine_class(machine: Any) -> type[BindsimMachine]:
    """The machine class behind a class, a live machine, or a World record (its `MACHINE`)."""
    if isinstance(machine, type) and issubclass(machine, BindsimMachine):
        return machine
    if isinstance(machine, BindsimMachine):
        return type(machine)
    spec = getattr(machine, "MACHINE", None)  # a record holds its machine's spec
    if isinstance(spec, MachineSpec):
        return machine_classes()[spec.name]
    raise TypeError(
        f"expected a bindsim machine class, a machine, or a World record; got {machine!r}"
    )


def live_states(machine: Any) -> frozenset[str]:
    """The active states of a live machine or a World record; none for a class."""
    if isinstance(machine, BindsimMachine):
        return machine.active_ids
    if isinstance(machine, type):
        return frozenset()
    return frozenset(getattr(machine, "states", ()))


def extract(
    machine: Any,
    ruleset: Ruleset | None = None,
    highlight: Iterable[str] | None = None,
) -> MachineDiagram:
    """The diagram of a machine class, a live machine or a World record (R-… IDs included).

    A live machine's active states are highlighted unless `highlight` names others; timers read
    their durations from `ruleset` (the seed's defaults when None).
    """
    cls = machine_class(machine)
    rules = ruleset if ruleset is not None else Ruleset()
    spec = spec_of(cls)  # the one reading of the machine, which the engine compiles too
    states = [
        StateInfo(
            id=state.id,
            label=spec.nodes[state.id].label,
            kind=spec.nodes[state.id].kind,
            parent=state.parent,
            rules=spec.nodes[state.id].rules,
            initial=state.initial,
            compound=bool(state.children),
        )
        for state in spec.states
    ]
    transitions = [_transition(t, spec.edges[t.event], rules) for t in spec.transitions]
    active = live_states(machine) if highlight is None else frozenset(highlight)
    known = {s.id for s in states}
    unknown = sorted(active - known)
    if unknown:
        raise KeyError(f"{cls.__name__} has no state {', '.join(unknown)}; states: {sorted(known)}")
    return MachineDiagram(
        name=cls.__name__,
        title=spec.title,
        states=tuple(states),
        transitions=tuple(_unique(transitions)),
        active=frozenset(active),
    )


def _transition(transition: TransitionSpec, edge: Edge, rules: Ruleset) -> TransitionInfo:
    timer_setting = edge.timer.setting if edge.timer else None
    return TransitionInfo(
        source=transition.source,
        target=transition.target,
        event=transition.event,
        label=edge.label,
        guard=edge.guards.get(transition.target),
        timer=_timer_text(timer_setting, rules) if timer_setting else None,
        timer_setting=timer_setting,
        rules=edge.rules,
        follows=edge.follows,
    )


def _timer_text(setting: str, rules: Ruleset) -> Text:
    value = getattr(rules, setting, None)
    if isinstance(value, timedelta):
        return after_text(value)
    return Text(f"after {setting}", f"{setting} 后")


def _unique(transitions: list[TransitionInfo]) -> list[TransitionInfo]:
    seen: set[tuple[str, str, str]] = set()
    result = []
    for transition in transitions:
        if transition.key not in seen:
            seen.add(transition.key)
            result.append(transition)
    return result


# ------------------------------------------------------------------------- the registry


def machine_classes() -> dict[str, type[BindsimMachine]]:
    """Every bindsim machine by class name, in the order of `bindsim.machines.MACHINES`."""
    return {cls.__name__: cls for cls in machines.MACHINES}


def screen_label(label: str) -> Text:
    """A label on a screen (as the log keeps it, in English) in both languages, from the screen
    machines' own metadata; the label itself in both when no screen has it."""
    for cls in machines.MACHINES:
        spec = spec_of(cls)
        if spec.screens is not None and spec.label_event(label) is not None:
            return spec.label_words(label)
    return Text(label, label)


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def find_machine(name: str) -> type[BindsimMachine]:
    """A machine class by a name people type: "Binding", "binding", "support_ticket", "ticket".

    Raises UnknownMachine, listing the machines, for any other name.
    """
    classes = machine_classes()
    wanted = _slug(name)
    for cls in classes.values():
        module = cls.__module__.rsplit(".", 1)[-1]
        title = getattr(cls, "title", None)
        names = {_slug(cls.__name__), _slug(module)}
        if isinstance(title, Text):
            names |= {_slug(title.en), _slug(title.zh)}
        if wanted in names:
            return cls
    raise UnknownMachine(name, classes)


def file_stem(machine: Any) -> str:
    """The file name of a machine's pictures: "binding", "support_ticket", "creator_app"."""
    name = machine_class(machine).__name__
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))
