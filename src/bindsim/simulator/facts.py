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


# What a choice is called in Chinese, for the errors a page in Chinese shows.
CHOICE_ZH: dict[str, str] = {
    "shop kind": "店铺类型",
    "shop status": "店铺状态",
    "account status": "账号状态",
    "role": "角色",
}


@dataclass(frozen=True)
class OneOf:
    """A check that a value is one of `options`: "unknown account status 'banned'; ..."."""

    what: str
    options: tuple[str, ...]

    def __call__(self, value: object) -> str | None:
        if value in self.options:
            return None
        return f"unknown {self.what} {value!r}; choose one of: {', '.join(self.options)}"

    def zh(self, value: object) -> str:
        what = CHOICE_ZH.get(self.what, self.what)
        return f"未知的{what} {value!r};可选:{'、'.join(self.options)}"


def choice(what: str, options: tuple[str, ...]) -> Callable[[object], str | None]:
    return OneOf(what, options)


# What each check wants, in Chinese (its English is in the check's own message).
WANTED_ZH: dict[Callable[[object], str | None], str] = {
    region_problem: "两个大写字母的国家代码(例如 GB、US)",
    whole_problem: "不小于 0 的整数",
    date_problem: " 2006-11-11 这样的日期(1000 至 8999 年)",
    boolean_problem: "true 或 false",
}


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


def problem_zh(check: Callable[[object], str | None], name: str, value: object) -> str:
    """problem_of's message in Chinese."""
    if isinstance(check, OneOf):
        return check.zh(value)
    words = next((f.words.zh for f in FACTS if f.name == name), name)
    return f"{words}{wanted_zh(check)},而不是 {value!r}"


def wanted_zh(check: Callable[[object], str | None]) -> str:
    """What a check wants, in Chinese: "应为不小于 0 的整数", "可选:normal、abnormal"."""
    if isinstance(check, OneOf):
        return f"可选:{'、'.join(check.options)}"
    return f"应为{WANTED_ZH.get(check, '有效的值')}"


def check(
    facts: dict[str, Callable[[object], str | None]], name: str, value: object, what: str = "fact"
) -> None:
    """InvalidArgument unless `name` is one of `facts` and `value` suits it."""
    if name not in facts:
        raise InvalidArgument(
            f"unknown {what} {name!r}; facts: {', '.join(facts)}",
            zh=f"未知的信息 {name!r};可用:{'、'.join(facts)}",
        )
    problem = problem_of(facts[name], name, value)
    if problem is not None:
        raise InvalidArgument(problem, zh=problem_zh(facts[name], name, value))


def check_choice(what: str, value: object, options: tuple[str, ...]) -> None:
    one_of = OneOf(what, options)
    problem = one_of(value)
    if problem is not None:
        raise InvalidArgument(problem, zh=one_of.zh(value))


def one_of(what: str, value: object, options: tuple[Choice, ...]) -> Choice:
    """`value` as one of `options` (typed: a Role, a ShopKind, a Status), or InvalidArgument."""
    check_choice(what, value, options)
    return next(option for option in options if option == value)
