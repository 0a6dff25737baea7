"""Contracts of the settings themselves: a ruleset that leaves a setting as it came has the seed's
value for it, as the rule states it in words (contracts/seed.py). One contract per rule or
assumption that states a number or a setting; each is handed the ruleset in use as it is.

Judged on every state, they hold trivially on a ruleset whose defaults are the seed's; they break
at once, in every cast that leaves the setting alone, when a default is not the rule's number
(the lock's 24 hours made 23), before any behaviour has to reach the boundary. The behavioural
contracts see such a change too, where a cast reaches it: they judge by the seed's numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bindsim.machines import Ruleset
from bindsim.simulator.contracts.base import Answers, Verdict, on_settings
from bindsim.simulator.contracts.seed import SEED, Setting, left_alone
from bindsim.simulator.state import State


def _shown(value: Any) -> str:
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        if seconds and seconds % 3600 == 0:  # the rules' own unit: "24 hours", "180 days"
            hours = seconds // 3600
            return f"{hours // 24}d" if hours > 72 and hours % 24 == 0 else f"{hours}h"
        return f"{seconds}s"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(getattr(v, "value", v)) for v in value) + "]"
    return repr(value)


def _contract(rule: str, settings: list[Setting]) -> Callable[..., Verdict]:
    names = {s.name for s in settings}

    def keeps_the_seeds_settings(
        state: State, now: datetime, rules: Ruleset, _: Answers | None
    ) -> Verdict:
        alone = left_alone(rules) & names
        for setting in settings:
            if setting.name in alone and getattr(rules, setting.name) != setting.value:
                return (
                    f"{setting.name} is {_shown(getattr(rules, setting.name))} in a ruleset that "
                    f"leaves it as it came; {rule} says {_shown(setting.value)}"
                )
        return True if alone else None

    words = " ".join(dict.fromkeys(s.words for s in settings))
    listed = ", ".join(f"{s.name} = {_shown(s.value)}" for s in settings)
    keeps_the_seeds_settings.__doc__ = (
        f"{words} A ruleset that leaves these settings as they came has the seed's values: "
        f"{listed}."
    )
    return keeps_the_seeds_settings


def _register_all() -> None:
    by_rule: dict[str, list[Setting]] = {}
    for setting in SEED:
        by_rule.setdefault(setting.rule, []).append(setting)
    for rule, settings in by_rule.items():
        on_settings(rule)(_contract(rule, settings))


_register_all()
