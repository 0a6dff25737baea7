"""Every number and assumption of the rules as a setting, the seed's values as defaults."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import timedelta
from typing import Any, ClassVar

from bindsim.errors import ContradictorySettings, InvalidSetting
from bindsim.machines.reasons import Reason


@dataclass(frozen=True, slots=True)
class Ruleset:
    """The platform's rules as data, so that a user can change them when the platform does.

    Windows are measured exactly (A-WINDOW-BOUNDS): an invitation sent at t is acceptable up to
    t + invite_ttl − 1s and expired at t + invite_ttl; unbinding is allowed from
    bound_at + unbind_lock on; the channel window at t is (t − channel_bind_window, t].
    """

    # R-SLOT-OPEN, R-SLOT-INVITED
    official_slots: int = 1
    channel_slots_invited: int = 4
    channel_slots_open: int = 0
    # R-LOCK-24H
    unbind_lock: timedelta = timedelta(hours=24)
    # R-INVITE-48H: from the sending. The invitation reaches the creator's app (sent → pending)
    # after invite_delivery_delay: at once by default (the seed shows no delay).
    invite_ttl: timedelta = timedelta(hours=48)
    invite_delivery_delay: timedelta = timedelta(0)
    # R-OFFICIAL-UNBIND-3, A-UNBIND-COUNT
    official_unbind_limit: int = 3
    # R-CHANNEL-10-180D, A-CHANNEL-COUNT
    channel_bind_limit: int = 10
    channel_bind_window: timedelta = timedelta(days=180)
    # A-CHANNEL-COUNT: a channel binding counts from the creator's acceptance (a stuck one
    # holds its count, a failed one gives it back) or from the moment it is bound ("established";
    # a stuck one then holds only a reservation, so that the limit still holds when it completes).
    channel_count_from: str = "accepted"
    # R-ELIGIBLE, R-FAIL(2)
    min_age: int = 18
    # A-AGE: an account with a birthdate is a year older from 00:00:00 of each birthday in this
    # zone ("UTC", or an offset such as "UTC+08:00"); a 29 February birthday counts from 1 March
    # ("march_1") or from 28 February ("february_28") in years without one.
    birthday_zone: str = "UTC"
    leap_day_birthday: str = "march_1"
    # R-NO-1000, A-AFFILIATE
    follower_minimum: int = 1000
    # A-TICKET-TIME
    ticket_resolution_time: timedelta = timedelta(hours=24)
    # A-TICKET-COUNTRY: shop regions where support may not change an account's country.
    ticket_locked_regions: tuple[str, ...] = ("US",)
    # R-TICKET: causes support cannot fix. The seed names the abnormal status; it gives no remedy
    # for revoked e-commerce permission (R-STUCK(b)), so that one is unfixable too by default.
    ticket_unfixable: tuple[Reason, ...] = (
        Reason.ACCOUNT_ABNORMAL,
        Reason.ECOMMERCE_PERMISSION_REVOKED,
    )
    # A-INVITE-BOUND
    invite_rejects_bound: bool = True
    # A-PENDING-SLOT
    pending_holds_slot: bool = True
    # A-CHECK-AGAIN
    check_again_on_accept: bool = True
    # A-CHANNEL-UNLINK
    channel_unlink: bool = True
    # A-DECLINE
    allow_decline: bool = True
    # A-HOME-REGION: the showcase button needs the account's home region (归属地) in the shop's
    # country as well as the phone's network (R-UNLINK-PATH: "网络和归属地都在小店所在国家").
    showcase_checks_home_region: bool = True
    # A-HOME-REGION-TICKET: when support changes an account's country (R-TICKET), its home region
    # (归属地) keeps its declared value (False), or moves to the shop's country with it (True).
    ticket_moves_home_region: bool = False

    # The settings whose value is one of a few words.
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "channel_count_from": ("accepted", "bound"),
        "leap_day_birthday": ("march_1", "february_28"),
    }
    # The text settings of a fixed form: (regular expression, an example for messages).
    PATTERNS: ClassVar[dict[str, tuple[str, str]]] = {
        "birthday_zone": (r"UTC([+-](0\d|1[0-4]):[0-5]\d)?", "UTC or UTC+08:00"),
    }

    def __post_init__(self) -> None:
        """Settings that contradict each other are refused, naming both (CONTRADICTIONS)."""
        for contradiction in CONTRADICTIONS:
            if contradiction.found(self):
                values = ", ".join(
                    f"{name} = {_shown(getattr(self, name))}" for name in contradiction.settings
                )
                raise ContradictorySettings(
                    contradiction.settings,
                    f"ruleset settings contradict each other: {values}: {contradiction.why}",
                )

    def channel_slots(self, shop_kind: str) -> int:
        return self.channel_slots_invited if shop_kind == "invited" else self.channel_slots_open

    @property
    def birthday_offset(self) -> timedelta:
        """birthday_zone as an offset from UTC: "UTC+08:00" → 8 hours."""
        if self.birthday_zone == "UTC":
            return timedelta(0)
        sign = -1 if self.birthday_zone[3] == "-" else 1
        hours, minutes = self.birthday_zone[4:].split(":")
        return sign * timedelta(hours=int(hours), minutes=int(minutes))

    def to_dict(self) -> dict[str, Any]:
        """Plain data: durations in seconds, reasons as codes (the snapshot and JSON form)."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, timedelta):
                data[key] = int(value.total_seconds())
        data["ticket_unfixable"] = [r.value for r in self.ticket_unfixable]
        data["ticket_locked_regions"] = list(self.ticket_locked_regions)
        return data

    def with_overrides(self, overrides: dict[str, Any]) -> Ruleset:
        """A copy with some settings changed; values are checked and coerced to each setting's type.

        Durations accept a timedelta, seconds as a number, or a string such as "48h" or "2d".
        Raises InvalidSetting, naming the setting and what it needs.
        """
        if not isinstance(overrides, dict):
            raise InvalidSetting(f"ruleset overrides are a mapping of settings, got {overrides!r}")
        known = {f.name for f in fields(self)}
        changes: dict[str, Any] = {}
        for key, value in overrides.items():
            if key not in known:
                raise InvalidSetting(
                    f"unknown ruleset setting {key!r}; settings: {', '.join(sorted(known))}"
                )
            changes[key] = _coerce(
                key, getattr(self, key), value, self.CHOICES.get(key), self.PATTERNS.get(key)
            )
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ruleset:
        return cls().with_overrides(data)


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Settings that cannot hold together: `found` says whether a Ruleset has them so."""

    settings: tuple[str, ...]
    why: str
    found: Callable[[Ruleset], bool]


# Refused when a Ruleset is made (docs/reference.md lists them). Combinations that only look odd
# are allowed and their meaning documented instead (machines/rules.py SETTINGS): an
# invite_delivery_delay at or beyond invite_ttl (no invitation can be answered: R-INVITE-48H runs
# from the sending, and the library shows an invitation expiring while `sent`), an unbind_lock
# longer than channel_bind_window (a channel binding leaves the window still locked), and
# official_slots = 0 (no official account: an official invitation is refused OFFICIAL_SLOT_TAKEN,
# as channel slots 0 allow no channel creators; explore's casts use it to study channels alone).
CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        ("channel_bind_limit", "channel_slots_invited", "channel_slots_open"),
        "channel slots that no channel binding could ever fill (R-CHANNEL-10-180D); to allow no "
        "channel creators, set the channel slots to 0",
        lambda rules: (
            rules.channel_bind_limit == 0
            and max(rules.channel_slots_invited, rules.channel_slots_open) > 0
        ),
    ),
)


def _shown(value: Any) -> str:
    from bindsim.machines.durations import format_duration

    return format_duration(value) if isinstance(value, timedelta) else str(value)


def _coerce(
    key: str,
    current: Any,
    value: Any,
    choices: tuple[str, ...] | None = None,
    pattern: tuple[str, str] | None = None,
) -> Any:
    """The value as the setting's type, or InvalidSetting saying what the setting needs."""
    from bindsim.machines.durations import MAX_DURATION, parse_duration, too_long

    if isinstance(current, str):
        if choices is not None and value not in choices:
            raise InvalidSetting(
                f"ruleset setting {key!r} needs one of {', '.join(choices)}, got {value!r}"
            )
        if pattern is not None and not (isinstance(value, str) and re.fullmatch(pattern[0], value)):
            raise InvalidSetting(f"ruleset setting {key!r} needs {pattern[1]}, got {value!r}")
        return value
    if isinstance(current, timedelta):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                value = timedelta(seconds=value)
            except (OverflowError, ValueError):
                raise InvalidSetting(
                    f"ruleset setting {key!r}: {value!r} is out of range"
                ) from None
        elif isinstance(value, str):
            try:
                value = parse_duration(value)
            except (ValueError, OverflowError) as error:
                raise InvalidSetting(f"ruleset setting {key!r}: {error}") from None
        if not isinstance(value, timedelta) or value < timedelta(0):
            raise InvalidSetting(
                f"ruleset setting {key!r} needs a duration like '48h', got {value!r}"
            )
        if value > MAX_DURATION:
            raise InvalidSetting(f"ruleset setting {key!r}: {too_long(value)}")
        if value % timedelta(seconds=1):
            raise InvalidSetting(
                f"ruleset setting {key!r} needs whole seconds (windows are measured to the "
                f"second, A-WINDOW-BOUNDS), got {value.total_seconds()!r}s"
            )
        return value
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise InvalidSetting(f"ruleset setting {key!r} needs true or false, got {value!r}")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidSetting(f"ruleset setting {key!r} needs a whole number ≥ 0, got {value!r}")
        return value
    if not isinstance(value, (list, tuple)):  # a bare "US" would otherwise become ("U", "S")
        raise InvalidSetting(f"ruleset setting {key!r} needs a list, e.g. [US], got {value!r}")
    if key == "ticket_unfixable":
        try:
            return tuple(Reason(v) for v in value)
        except ValueError:
            valid = ", ".join(r.value for r in Reason)
            raise InvalidSetting(
                f"ruleset setting {key!r} needs reason codes ({valid}), got {value!r}"
            ) from None
    regions = tuple(value)
    if not all(isinstance(r, str) and len(r) == 2 and r.isalpha() and r.isupper() for r in regions):
        raise InvalidSetting(
            f"ruleset setting {key!r} needs two-letter country codes like [US], got {value!r}"
        )
    return regions
