"""A machine class or a live machine → MachineDiagram: its structure plus our metadata."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from bindsim import machines
from bindsim.diagrams.model import MachineDiagram, StateInfo, TransitionInfo
from bindsim.diagrams.words import after_text
from bindsim.machines.base import BindsimMachine
from bindsim.machines.errors import BindSimError
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import Edge, Node, Text


class UnknownMachine(BindSimError, ValueError):
    """A machine name that find_machine does not know; `choices` are the names it does."""

    def __init__(self, name: str, choices: Iterable[str]) -> None:
        self.name, self.choices = name, tuple(choices)
        super().__init__(
            f"no machine called {name!r}; machines: {', '.join(self.choices)}, or 'all'"
        )


def machine_class(machine: Any) -> type[BindsimMachine]:
    """The machine class behind a class, a live machine, or a World record (its `MACHINE`)."""
    if isinstance(machine, type) and issubclass(machine, BindsimMachine):
        return machine
    if isinstance(machine, BindsimMachine):
        return type(machine)
    cls = getattr(machine, "MACHINE", None)
    if isinstance(cls, type) and issubclass(cls, BindsimMachine):
        return cls
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
    nodes: dict[str, Node] = getattr(cls, "nodes", {}) or {}
    edges: dict[str, Edge] = getattr(cls, "edges", {}) or {}
    states: list[StateInfo] = []
    transitions: list[TransitionInfo] = []

    def visit(level: Iterable[Any], parent: str | None) -> None:
        level = list(level)
        explicit = any(getattr(s, "initial", False) for s in level)
        for index, state in enumerate(level):
            node = nodes.get(state.id)
            children = list(state.states)
            states.append(
                StateInfo(
                    id=state.id,
                    label=node.label if node else _fallback_label(str(state.name or state.id)),
                    kind=_kind(state, node),
                    parent=parent,
                    rules=node.rules if node else (),
                    initial=bool(state.initial) if explicit else index == 0,
                    compound=bool(children),
                )
            )
            for transition in state.transitions:
                transitions.extend(_transitions(transition, edges, rules))
            if children:
                visit(children, state.id)

    visit(cls.states, None)
    active = live_states(machine) if highlight is None else frozenset(highlight)
    known = {s.id for s in states}
    unknown = sorted(active - known)
    if unknown:
        raise KeyError(f"{cls.__name__} has no state {', '.join(unknown)}; states: {sorted(known)}")
    title = getattr(cls, "title", None)
    return MachineDiagram(
        name=cls.__name__,
        title=title if isinstance(title, Text) else _fallback_label(cls.__name__),
        states=tuple(states),
        transitions=tuple(_unique(transitions)),
        active=frozenset(active),
    )


def _kind(state: Any, node: Node | None) -> Any:
    if node is not None:
        return node.kind
    return "final" if state.final else "normal"


def _fallback_label(name: str) -> Text:
    words = name.replace("_", " ")
    return Text(words, words)


def _transitions(transition: Any, edges: dict[str, Edge], rules: Ruleset) -> list[TransitionInfo]:
    """One TransitionInfo per event and target; a compound's implicit entry arrow is no event."""
    events = [str(e) for e in transition.events if "." not in str(e)]
    if not events:
        return []  # the initial transition of a compound state: drawn as its start dot
    targets = [t.id for t in transition.targets] or [transition.source.id]
    result = []
    for event in events:
        edge = edges.get(event)
        label = edge.label if edge else _fallback_label(event)
        for target in targets:
            guard = edge.guards.get(target) if edge else None
            timer_setting = edge.timer.setting if edge and edge.timer else None
            result.append(
                TransitionInfo(
                    source=transition.source.id,
                    target=target,
                    event=event,
                    label=label,
                    guard=guard,
                    timer=_timer_text(timer_setting, rules) if timer_setting else None,
                    timer_setting=timer_setting,
                    rules=edge.rules if edge else (),
                )
            )
    return result


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
        find = getattr(cls, "label_event", None)
        event = find(label) if find is not None else None
        if event is not None and event in cls.edges:
            found: Text = cls.edges[event].label
            return found
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
