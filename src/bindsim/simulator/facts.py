"""The facts of shops and accounts: their names, the values each may take, and the one check of
each, shared by the World, snapshots and scenario files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from bindsim.simulator.errors import InvalidArgument

ROLES: tuple[str, ...] = ("official", "channel")
SHOP_KINDS: tuple[str, ...] = ("open", "invited")
STATUSES: tuple[str, ...] = ("normal", "abnormal")
# The facts `bindsim explore` may vary (a cast's `vary:`, or --vary), each over two values.
VARIABLE_FACTS: tuple[str, ...] = (
    "network",
    "home_region",
    "registration_country",
    "status",
    "ecommerce_permission",
    "shop_status",
)


def region_problem(value: object) -> str | None:
    if isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha():
        return None if value.isupper() else f"a two-letter country code in capitals, got {value!r}"
    return f"a two-letter country code like GB or US, got {value!r}"


def whole_problem(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return None
    return f"a whole number ≥ 0, got {value!r}"


def date_problem(value: object) -> str | None:
    """A calendar date (not a time) within simulated time's years."""
    if isinstance(value, date) and not isinstance(value, datetime) and 1000 <= value.year < 9000:
        return None
    return f"a date like 2006-11-11 (years 1000 to 8999), got {value!r}"


def boolean_problem(value: object) -> str | None:
    return None if isinstance(value, bool) else f"true or false, got {value!r}"


def choice(what: str, options: tuple[str, ...]) -> Callable[[object], str | None]:
    """A check that a value is one of `options`: "unknown account status 'banned'; ..."."""

    def problem(value: object) -> str | None:
        if value in options:
            return None
        return f"unknown {what} {value!r}; choose one of: {', '.join(options)}"

    return problem


# Each fact of an account (and its phone) that set_creator may change, and what it must be.
CREATOR_FACTS: dict[str, Callable[[object], str | None]] = {
    "country": region_problem,
    "age": whole_problem,
    "network": region_problem,
    "registration_country": region_problem,
    "home_region": region_problem,
    "status": choice("account status", STATUSES),
    "followers": whole_problem,
    "ecommerce_permission": boolean_problem,
    "birthdate": date_problem,  # instead of age: A-AGE
}

SHOP_FACTS: dict[str, Callable[[object], str | None]] = {
    "region": region_problem,
    "kind": choice("shop kind", SHOP_KINDS),
    "status": choice("shop status", STATUSES),
}


def problem_of(check: Callable[[object], str | None], name: str, value: object) -> str | None:
    """The message for a fact's value that fails its check, or None."""
    problem = check(value)
    if problem is None or problem.startswith("unknown "):
        return problem
    return f"{name} must be {problem}"


def check(
    facts: dict[str, Callable[[object], str | None]], name: str, value: object, what: str = "fact"
) -> None:
    """InvalidArgument unless `name` is one of `facts` and `value` suits it."""
    if name not in facts:
        raise InvalidArgument(f"unknown {what} {name!r}; facts: {', '.join(facts)}")
    problem = problem_of(facts[name], name, value)
    if problem is not None:
        raise InvalidArgument(problem)


def check_choice(what: str, value: object, options: tuple[str, ...]) -> None:
    problem = choice(what, options)(value)
    if problem is not None:
        raise InvalidArgument(problem)
