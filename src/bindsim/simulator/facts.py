"""The facts of shops and accounts, declared once (FACTS): their names, the values each may take,
the one check of each, how typed text becomes each, defaults and words, read by the World,
snapshots, scenario files, walk, serve and explore."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeVar, get_args

from bindsim.errors import InvalidArgument
from bindsim.machines.text import Text

# Typed, so that mypy catches `role="offical"`; the tuples of values are read from the types.
Role = Literal["official", "channel"]  # R-SLOT-OPEN, R-SLOT-INVITED
ShopKind = Literal["open", "invited"]  # 普招, 定邀
Status = Literal["normal", "abnormal"]  # R-ELIGIBLE, R-FAIL(3)
ROLES: tuple[Role, ...] = get_args(Role)
Choice = TypeVar("Choice", bound=str)
SHOP_KINDS: tuple[ShopKind, ...] = get_args(ShopKind)
STATUSES: tuple[Status, ...] = get_args(Status)


def region_problem(value: object) -> str | None:
    if isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha():
        if value.isupper():
            return None
        return f"a two-letter country code in capitals: {value.upper()}, not {value}"
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


def _region_text(text: str) -> str:
    return text.strip().upper()  # "gb" typed at a prompt or in a form means GB


def _whole_text(text: str) -> int:
    return int(text.strip())


def _date_text(text: str) -> date:
    return date.fromisoformat(text.strip())


def _bool_text(text: str) -> bool:
    return {"true": True, "false": False}[text.strip().lower()]


def _country(given: Mapping[str, object]) -> object:
    return given["country"]


@dataclass(frozen=True)
class Fact:
    """One fact of a shop or an account, declared once: what it is, the one check of its value,
    how typed text becomes it, its default, whether it can change later, and its words.

    Every surface reads this table: the World's checks, snapshots, the scenario format (and so
    its schema, walk's grammar and the reference), serve's cast editor and `bindsim explore`'s
    `--vary`."""

    name: str
    owner: Literal["creator", "shop"]
    kind: str  # the value's kind, which the scenario format maps to its value type
    check: Callable[[object], str | None]
    parse: Callable[[str], object]  # text typed at a prompt or into a form → the value
    default: Callable[[Mapping[str, object]], object] | None  # from the facts given; None: needed
    words: Text
    help: str = ""
    settable: bool = True  # set_creator / set_shop may change it once declared
    varies: bool = False  # `bindsim explore --vary` may move it between a home and another value
    rules: tuple[str, ...] = ()


def _constant(value: object) -> Callable[[Mapping[str, object]], object]:
    return lambda given: value


FACTS: tuple[Fact, ...] = (
    Fact(
        "region",
        "shop",
        "region",
        region_problem,
        _region_text,
        None,
        Text("region", "地区"),
        "the shop's country",
        settable=False,
    ),
    Fact(
        "kind",
        "shop",
        "shop kind",
        choice("shop kind", SHOP_KINDS),
        str.strip,
        _constant("open"),
        Text("kind", "类型"),
        "how the shop joined",
        settable=False,
        rules=("R-SLOT-OPEN", "R-SLOT-INVITED"),
    ),
    Fact(
        "status",
        "shop",
        "status",
        choice("shop status", STATUSES),
        str.strip,
        _constant("normal"),
        Text("status", "状态"),
        "the shop's status",
        varies=True,
        rules=("R-FAIL",),
    ),
    Fact(
        "country",
        "creator",
        "region",
        region_problem,
        _region_text,
        None,
        Text("country", "国家"),
        "the account's country",
        rules=("R-ELIGIBLE",),
    ),
    Fact(
        "age",
        "creator",
        "count",
        whole_problem,
        _whole_text,
        None,
        Text("age", "年龄"),
        "the user's age, fixed",
        rules=("R-ELIGIBLE", "R-FAIL"),
    ),
    Fact(
        "birthdate",
        "creator",
        "date",
        date_problem,
        _date_text,
        None,
        Text("birthdate", "出生日期"),
        "instead of `age`: the age then follows the simulated clock (A-AGE)",
        rules=("A-AGE",),
    ),
    Fact(
        "network",
        "creator",
        "region",
        region_problem,
        _region_text,
        _country,
        Text("network", "网络所在地"),
        "where the phone's network (IP) is now; default: `country`",
        varies=True,
        rules=("R-FAIL", "R-UNLINK-PATH"),
    ),
    Fact(
        "registration_country",
        "creator",
        "region",
        region_problem,
        _region_text,
        _country,
        Text("registration country", "注册国家"),
        "the account's registration address; default: `country`",
        varies=True,
        rules=("R-STUCK",),
    ),
    Fact(
        "home_region",
        "creator",
        "region",
        region_problem,
        _region_text,
        _country,
        Text("home region (归属地)", "归属地"),
        "the account's home region (归属地, A-HOME-REGION); default: `country`",
        varies=True,
        rules=("A-HOME-REGION",),
    ),
    Fact(
        "status",
        "creator",
        "status",
        choice("account status", STATUSES),
        str.strip,
        _constant("normal"),
        Text("status", "状态"),
        "the account's status",
        varies=True,
        rules=("R-ELIGIBLE", "R-FAIL"),
    ),
    Fact(
        "followers",
        "creator",
        "count",
        whole_problem,
        _whole_text,
        _constant(0),
        Text("followers", "粉丝数"),
        rules=("R-NO-1000", "A-AFFILIATE"),
    ),
    Fact(
        "ecommerce_permission",
        "creator",
        "bool",
        boolean_problem,
        _bool_text,
        _constant(True),
        Text("e-commerce permission", "电商权限"),
        "`false` when revoked for violations",
        varies=True,
        rules=("R-STUCK",),
    ),
)
CREATOR_AGE = ("age", "birthdate")  # an account has exactly one of them (A-AGE)
# The facts `bindsim explore` may vary (a cast's `vary:`, or --vary), each over its value and one
# other: a creator's by its name, a shop's as shop_<name>.
VARIABLE_FACTS: tuple[str, ...] = tuple(
    [f.name for f in FACTS if f.varies and f.owner == "creator"]
    + [f"shop_{f.name}" for f in FACTS if f.varies and f.owner == "shop"]
)

# Each fact's one check, by owner: what the World, snapshots and serve call.
CREATOR_FACTS: dict[str, Callable[[object], str | None]] = {
    f.name: f.check for f in FACTS if f.owner == "creator"
}
SHOP_FACTS: dict[str, Callable[[object], str | None]] = {
    f.name: f.check for f in FACTS if f.owner == "shop"
}


def fixed_default(fact: Fact) -> object:
    """The value a fact takes when not given, if it is the same for every account (None when
    the fact is needed, or its default follows another fact: the network follows the country)."""
    try:
        return None if fact.default is None else fact.default({})
    except KeyError:
        return None


def facts_of(owner: Literal["creator", "shop"]) -> dict[str, Fact]:
    """The facts of a creator or of a shop, in the table's order."""
    return {f.name: f for f in FACTS if f.owner == owner}


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


def one_of(what: str, value: object, options: tuple[Choice, ...]) -> Choice:
    """`value` as one of `options` (typed: a Role, a ShopKind, a Status), or InvalidArgument."""
    check_choice(what, value, options)
    return next(option for option in options if option == value)
