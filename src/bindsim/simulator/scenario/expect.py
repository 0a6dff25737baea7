"""What `expect:` can check, declared once: each kind of subject (an invitation, a binding, a
ticket, a screen, a shop, a creator, the time), its facts, how each is read from the World and
when it holds. The validator, the schema, walk's grammar and the runner read CHECKS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bindsim.machines.compiled import BINDING, INVITATION, SUPPORT_TICKET
from bindsim.machines.spec import MachineSpec
from bindsim.simulator.scenario.format import (
    CAPABILITIES,
    CAPABILITY_NAMES,
    COUNT,
    CREATOR_FACTS,
    CREATOR_ID,
    CREATOR_ROLE,
    OWNER_ID,
    REASONS,
    SCREEN_ID,
    SCREEN_LABELS,
    SHOP_ID,
    STATUS,
    TIME,
    Field,
    ValueType,
    list_of,
    optional,
    pair_fields,
    states_of,
)

if TYPE_CHECKING:
    from bindsim.simulator.world import World


@dataclass(frozen=True)
class Fact:
    """One fact a check compares: its type, how it is read, and when it holds.

    `read(world, subject)` returns the actual value; `holds(expected, actual)` compares;
    `shown(actual)` is what a report prints as found.
    """

    type: ValueType
    read: Callable[[World, tuple[str, ...]], Any]
    help: str
    holds: Callable[[Any, Any], bool] = lambda expected, actual: bool(expected == actual)
    shown: Callable[[Any], Any] = lambda actual: actual
    # The rules a check of this fact verifies, when it holds: what `bindsim run --coverage`
    # counts as exercised besides what the steps did (capabilities have no machine of their own).
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckKind:
    """A subject `expect` can check: its subject fields (a pair of ids, one id, or none) and facts.

    With no subject (time), the kind's own key is its one fact.
    """

    name: str
    subject: tuple[Field, ...]
    facts: dict[str, Fact]
    help: str


def _in(expected: Any, actual: Any) -> bool:
    return expected in actual  # a state is active at any level: bound holds while locked


def _same_set(expected: Any, actual: Any) -> bool:
    return sorted(expected) == sorted(actual)


def _shown_states(actual: Any) -> Any:
    return sorted(actual, key=lambda s: (len(s), s)) if len(actual) > 1 else next(iter(actual))


def _record_facts(machine: MachineSpec, reader: str, about: str) -> dict[str, Fact]:
    def record(world: World, subject: tuple[str, ...]) -> Any:
        return getattr(world, reader)(subject[0], subject[1])

    return {
        "state": Fact(
            states_of(machine),
            lambda w, s: record(w, s).states,
            f"the {about}'s state, active at any level",
            _in,
            _shown_states,
        ),
        "reasons": Fact(
            REASONS,
            lambda w, s: tuple(r.value for r in record(w, s).reasons),
            f"the exact set of reason codes on the {about}",
            _same_set,
        ),
    }


def _creator_fact(name: str) -> Callable[[World, tuple[str, ...]], Any]:
    if name == "age":  # a birthdate's age follows the clock (A-AGE)
        return lambda world, subject: world.age(subject[0])
    return lambda world, subject: getattr(world.creator(subject[0]), name)


def _capabilities(world: World, subject: tuple[str, ...]) -> dict[str, bool]:
    found = world.capabilities(subject[0])
    return {name: getattr(found, name) for name in CAPABILITY_NAMES}


def _visible(world: World, subject: tuple[str, ...]) -> tuple[str, ...]:
    return world.screen(subject[0]).visible


CHECKS: dict[str, CheckKind] = {
    kind.name: kind
    for kind in (
        CheckKind(
            "invitation",
            pair_fields("shop", "creator"),
            _record_facts(INVITATION, "invitation", "invitation"),
            "the latest invitation from the shop to the account",
        ),
        CheckKind(
            "binding",
            pair_fields("shop", "creator"),
            _record_facts(BINDING, "binding", "binding"),
            "the latest binding between the shop and the account",
        ),
        CheckKind(
            "ticket",
            pair_fields("shop", "creator"),
            {
                "state": Fact(
                    states_of(SUPPORT_TICKET),
                    lambda w, s: w.latest_ticket(*s).states,
                    "`open`, `resolved` (fixed) or `closed` (cannot be fixed)",
                    _in,
                    _shown_states,
                ),
                "causes": Fact(
                    REASONS,
                    lambda w, s: tuple(r.value for r in w.latest_ticket(*s).causes),
                    "the exact set of reason codes support found",
                    _same_set,
                ),
            },
            "the latest ticket the shop opened about the account",
        ),
        CheckKind(
            "screen",
            (Field("screen", OWNER_ID),),
            {
                "id": Fact(SCREEN_ID, lambda w, s: w.screen(s[0]).id, "the screen shown now"),
                "visible": Fact(
                    SCREEN_LABELS,
                    _visible,
                    "labels that must be tappable / clickable now",
                    lambda expected, actual: all(label in actual for label in expected),
                    list,
                ),
                # `hidden: [X]` means "X cannot be tapped now", whether a guard hides it on this
                # screen or it belongs to another screen, so it is judged against the visible
                # labels too.
                "hidden": Fact(
                    SCREEN_LABELS,
                    _visible,
                    "labels that must not be tappable / clickable now",
                    lambda expected, actual: not any(label in actual for label in expected),
                    lambda actual: "visible: [" + ", ".join(actual) + "]",
                ),
            },
            "what a phone (creator id) or a Seller Center (shop id) shows now",
        ),
        CheckKind(
            "shop",
            (Field("shop", SHOP_ID),),
            {
                "official": Fact(
                    optional(CREATOR_ID),
                    lambda w, s: w.official(s[0]),
                    "the bound official account, or `null`",
                    rules=("R-SLOT-OPEN", "R-SLOT-INVITED"),
                ),
                "channels": Fact(
                    list_of(CREATOR_ID),
                    lambda w, s: tuple(w.channels(s[0])),
                    "the bound channel creators (order does not matter)",
                    _same_set,
                    rules=("R-SLOT-INVITED",),
                ),
                "official_unbinds_left": Fact(
                    COUNT,
                    lambda w, s: w.official_unbinds_left(s[0]),
                    "R-OFFICIAL-UNBIND-3: official unbinds still allowed, ever",
                    rules=("R-OFFICIAL-UNBIND-3",),
                ),
                "channel_binds_left": Fact(
                    COUNT,
                    lambda w, s: w.channel_binds_left(s[0]),
                    "R-CHANNEL-10-180D: channel bindings still possible in the current window",
                    rules=("R-CHANNEL-10-180D",),
                ),
                "channel_places_reserved": Fact(
                    COUNT,
                    lambda w, s: w.channel_places_reserved(s[0]),
                    "A-CHANNEL-COUNT `bound`: channel places held by bindings in progress or "
                    "stuck, not yet counted in the window (what Seller Center says beside the "
                    "places left)",
                    rules=("A-CHANNEL-COUNT",),
                ),
                "status": Fact(STATUS, lambda w, s: w.shop(s[0]).status, "the shop's status"),
            },
            "a shop's accounts and limits",
        ),
        CheckKind(
            "creator",
            (Field("creator", CREATOR_ID),),
            {
                "bound_shop": Fact(
                    optional(SHOP_ID),
                    lambda w, s: w.bound_shop(s[0]),
                    "the shop the account is bound to now (R-EXCLUSIVE), or `null`",
                    rules=("R-EXCLUSIVE",),
                ),
                "role": Fact(
                    CREATOR_ROLE,
                    lambda w, s: w.capabilities(s[0]).role,
                    "`official`, `channel`, or `affiliate` when not bound",
                ),
                "capabilities": Fact(
                    CAPABILITIES,
                    _capabilities,
                    "R-CAP-OFFICIAL, R-CAP-CHANNEL, R-NO-1000, A-AFFILIATE",
                    lambda expected, actual: all(actual[k] == v for k, v in expected.items()),
                    rules=("R-CAP-OFFICIAL", "R-CAP-CHANNEL", "R-NO-1000", "A-AFFILIATE"),
                ),
                **{
                    name: Fact(
                        fact.type,
                        _creator_fact(name),
                        f"the account's {name} now",
                        rules=("A-AGE",) if name == "age" else (),
                    )
                    for name, fact in CREATOR_FACTS.items()
                },
            },
            "an account: its shop, role, capabilities and facts",
        ),
        CheckKind(
            "time",
            (),
            {"time": Fact(TIME, lambda w, s: w.now, "the simulated time now")},
            "the simulated time",
        ),
    )
}
