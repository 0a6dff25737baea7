"""What a run exercised, read from what its steps did (never from what a scenario claims): the
machines' states entered and transitions taken, the reason codes raised, and the rules behind
them. `bindsim explore` and `bindsim run --coverage` both count with this.

A rule is *exercised* ("rule" items) only when a step's outcome depended on it: one of its reason
codes was raised, a transition of its own fired (a timer, as a timer), or a guarded transition
went the way the rule stops things. A rule whose guard was only passed ("checked, held": the
creator's acceptance within 48h, a binding that did not hang) is a "held" item, like a branch
seen one way; entering a state whose description names rules is not evidence of either. A
label on the way along a screen path does the path; the other rules it names are checked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from bindsim.machines import REASONS, Reason
from bindsim.machines.compiled import SPECS
from bindsim.machines.rules import RULE_IDS
from bindsim.machines.spec import MachineSpec, taken
from bindsim.simulator.log import Change, LogEntry

# An item: ("state", machine, state id), ("transition", machine, "source>target:event"),
# ("reason", code), ("rule", rule ID) exercised, or ("held", rule ID) only checked and held.
Item = tuple[str, ...]


@cache
def _machines() -> dict[str, MachineSpec]:
    return {spec.name: spec for spec in SPECS}


def universe() -> set[Item]:
    """Every item there is to exercise: each machine's states and transitions, each reason
    code, each rule ID the machines or reasons name."""
    items: set[Item] = set()
    for name, spec in _machines().items():
        items |= {("state", name, state.id) for state in spec.states}
        items |= {
            ("transition", name, _edge(t.source, t.target, t.event)) for t in spec.transitions
        }
    items |= {("reason", reason.value) for reason in Reason}
    items |= {("rule", rule) for rule in _all_rules()}
    return items


def _all_rules() -> set[str]:
    """Every rule and assumption ID: the rules table's, and any the machines or reasons name."""
    rules: set[str] = set(RULE_IDS)
    for machine in SPECS:
        for node in machine.nodes.values():
            rules.update(node.rules)
        for edge in machine.edges.values():
            rules.update(edge.rules)
    for info in REASONS.values():
        rules.update(info.rules)
    return rules


def of_changes(
    changes: Iterable[Change], reasons: Iterable[str] = (), timer: bool = False
) -> set[Item]:
    """The items a step exercised: what its machine changes entered and took, the reason codes
    it raised (a refusal's or a success's), and the rules of those (see the module's docstring);
    `timer`: the step is a timer coming due."""
    items: set[Item] = set()
    codes = tuple(reasons)
    for change in changes:
        items |= _of_change(change, bool(codes), timer)
    for code in codes:
        items |= _of_reason(code)
    held = {("held", item[1]) for item in items if item[0] == "rule"}
    return items - held


@cache
def _of_change(change: Change, reasons: bool, timer: bool) -> frozenset[Item]:
    """One change's items (changes repeat endlessly in a run: each is read once)."""
    spec = _machines().get(change.machine)
    if spec is None:
        return frozenset()
    items: set[Item] = {("state", change.machine, state) for state in change.after}
    transition = _taken(spec, change)
    if transition is not None:
        items.add(("transition", change.machine, transition))
        rules = _edge_rules(spec, change.event)
        if _only_checked(spec, change, reasons, timer):
            items |= {("held", rule) for rule in rules}
        elif rules and rules[0] in _path_rules(spec):
            # A label on the way along a screen path does the path; the other rules it names
            # are checked on the way (the channel limit on "Channel account"), not done.
            items |= {("rule", rules[0])} | {("held", rule) for rule in rules[1:]}
        else:
            items |= {("rule", rule) for rule in rules}
    return frozenset(items)


def _only_checked(machine: MachineSpec, change: Change, reasons: bool, timer: bool) -> bool:
    """Whether taking this transition only checked its rules: a timed event not fired by its
    timer (an invitation delivered at once), or a guarded event that went the way the rules let
    through (into a state that is not an error), or into an error state whose reason codes say
    which rules stopped it."""
    edge = machine.edges.get(change.event)
    if edge is None:
        return False
    if edge.timer is not None:
        return not timer
    if not edge.guards:
        return False
    target = machine.nodes.get(change.after[-1]) if change.after else None
    return target is None or target.kind != "error" or reasons


@cache
def _of_reason(code: str) -> frozenset[Item]:
    if code not in Reason.__members__:
        return frozenset()
    return frozenset({("reason", code)} | {("rule", r) for r in REASONS[Reason(code)].rules})


def of_entry(entry: LogEntry) -> set[Item]:
    return of_changes(entry.changes, entry.reasons, timer=entry.outcome == "timer")


def _taken(spec: MachineSpec, change: Change) -> str | None:
    """The declared transition a change took ("source>target:event"), None for a creation."""
    arrow = taken(spec.transitions, spec.leaf, change.event, change.before, change.after)
    return None if arrow is None else _edge(arrow.source, arrow.target, arrow.event)


def _edge(source: str, target: str, event: str) -> str:
    return f"{source}>{target}:{event}"


def transition_parts(edge: str) -> tuple[str, str, str]:
    """(source, target, event) of a transition item's "source>target:event"."""
    route, event = edge.rsplit(":", 1)
    source, target = route.split(">", 1)
    return source, target, event


@cache
def _path_rules(machine: MachineSpec) -> tuple[str, ...]:
    """A screen machine's path rules: those of its first screen (R-SELLER-NAV, R-UNLINK-PATH)."""
    if machine.screens is None:
        return ()
    node = machine.nodes.get(machine.initial)
    return node.rules if node is not None else ()


@cache
def _edge_rules(machine: MachineSpec, event: str) -> tuple[str, ...]:
    edge = machine.edges.get(event)
    return edge.rules if edge is not None else ()


@dataclass
class Coverage:
    """Items exercised so far, and how many times each was."""

    counts: dict[Item, int] = field(default_factory=dict)

    def add(self, items: Iterable[Item]) -> None:
        for item in items:
            self.counts[item] = self.counts.get(item, 0) + 1

    def add_log(self, entries: Iterable[LogEntry]) -> None:
        for entry in entries:
            self.add(of_entry(entry))

    @property
    def items(self) -> set[Item]:
        return set(self.counts)

    def held_only(self) -> list[str]:
        """The rules only checked and held, never exercised (branch coverage seen one way)."""
        exercised = {item[1] for item in self.counts if item[0] == "rule"}
        return sorted({item[1] for item in self.counts if item[0] == "held"} - exercised)

    def missing(self) -> set[Item]:
        """What nothing exercised, out of every item there is."""
        return universe() - self.items

    def missing_words(self, kind: str) -> list[str]:
        """What nothing exercised of one kind, as words; a rule only checked and held says so."""
        held = set(self.held_only())
        return sorted(
            " ".join(item[1:]) + (" (checked, held)" if kind == "rule" and item[1] in held else "")
            for item in self.missing()
            if item[0] == kind
        )

    def summary(self) -> dict[str, tuple[int, int]]:
        """Per kind (state, transition, reason, rule): (exercised, of all)."""
        everything = universe()
        return {
            kind: (
                sum(1 for item in self.items & everything if item[0] == kind),
                sum(1 for item in everything if item[0] == kind),
            )
            for kind in ("state", "transition", "reason", "rule")
        }

    def to_dict(self) -> dict[str, object]:
        missing = sorted(self.missing())
        return {
            "summary": {k: {"exercised": e, "of": n} for k, (e, n) in self.summary().items()},
            "exercised": [list(item) for item in sorted(self.items)],
            "checked_held": self.held_only(),
            "missing": [list(item) for item in missing],
        }
