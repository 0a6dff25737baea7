"""The seed's numbers and settings as the rules state them in words, declared here again, apart
from machines/ruleset.py, and the ruleset the contracts judge by.

A Ruleset's defaults claim to be the seed's (ruleset.py: "the seed's values as defaults"; the
seed.toml file says the same). A contract that read only the Ruleset in use would move with a
changed default: with the lock's default at 23 hours, "at or after bound_at + unbind_lock" holds
at 23 hours. So the contracts judge by `judged(rules)`: each setting a ruleset leaves as it came
(equal to the Ruleset's default) is taken at the seed's value written below, from the rule's
words; each setting a scenario or ruleset file changed is taken as it is. On the correct code
the two readings are the same ruleset (its defaults are the seed's), so no contract can break
because of this. The contracts of settings.py say outright that a setting left as it came has
the seed's value.

What it cannot see: a scenario that sets a setting to exactly a wrong default's value is judged
by the seed's number (it looks left alone); a default changed to the value a cast sets is not
seen in that cast. Both need the mistake and the cast to agree to the second or the unit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from bindsim.machines import Reason, Ruleset


@dataclass(frozen=True, slots=True)
class Setting:
    """A setting of the seed: its value, the rule (or assumption) that states it, the words."""

    name: str
    value: Any
    rule: str
    words: str


SEED: tuple[Setting, ...] = (
    Setting(
        "official_slots",
        1,
        "R-SLOT-OPEN",
        "An open-enrollment shop can bind exactly 1 official account (an invite-only shop 1 "
        "official account too, R-SLOT-INVITED).",
    ),
    Setting(
        "channel_slots_open",
        0,
        "R-SLOT-OPEN",
        "An open-enrollment shop can bind no channel creators.",
    ),
    Setting(
        "channel_slots_invited",
        4,
        "R-SLOT-INVITED",
        "An invite-only shop can bind 1 official account + 4 channel creators.",
    ),
    Setting(
        "unbind_lock",
        timedelta(hours=24),
        "R-LOCK-24H",
        "A binding cannot be unbound until 24 hours after it was established.",
    ),
    Setting(
        "invite_ttl",
        timedelta(hours=48),
        "R-INVITE-48H",
        "After the invitation is sent, the creator must confirm it within 48 hours.",
    ),
    Setting(
        "invite_delivery_delay",
        timedelta(0),
        "R-INVITE-48H",
        "The seed shows the invitation in the creator's app as soon as it is sent: no delay.",
    ),
    Setting(
        "official_unbind_limit",
        3,
        "R-OFFICIAL-UNBIND-3",
        "Over the whole history of a shop, its official account can be unbound at most 3 times.",
    ),
    Setting(
        "channel_bind_limit",
        10,
        "R-CHANNEL-10-180D",
        "A shop can bind channel accounts at most 10 times in any 180-day window.",
    ),
    Setting(
        "channel_bind_window",
        timedelta(days=180),
        "R-CHANNEL-10-180D",
        "A shop can bind channel accounts at most 10 times in any 180-day window.",
    ),
    Setting(
        "channel_count_from",
        "accepted",
        "A-CHANNEL-COUNT",
        "A channel binding counts from the creator's acceptance by default.",
    ),
    Setting(
        "min_age",
        18,
        "R-ELIGIBLE",
        "The account's user must be at least 18.",
    ),
    Setting(
        "birthday_zone",
        "UTC",
        "A-AGE",
        "The user is 18 from 00:00:00 UTC of the 18th birthday.",
    ),
    Setting(
        "leap_day_birthday",
        "march_1",
        "A-AGE",
        "A 29 February birthday counts from 1 March in non-leap years.",
    ),
    Setting(
        "follower_minimum",
        1000,
        "R-NO-1000",
        "A bound account may sell through LIVE and short videos without the usual 1,000-follower "
        "minimum (A-AFFILIATE: an affiliate needs at least 1,000).",
    ),
    Setting(
        "ticket_resolution_time",
        timedelta(hours=24),
        "A-TICKET-TIME",
        "A support ticket is resolved after a configurable time: 24 hours by default.",
    ),
    Setting(
        "ticket_locked_regions",
        ("US",),
        "A-TICKET-COUNTRY",
        "For a US shop, support cannot change an account registered outside the US.",
    ),
    Setting(
        "ticket_unfixable",
        (Reason.ACCOUNT_ABNORMAL, Reason.ECOMMERCE_PERMISSION_REVOKED),
        "R-TICKET",
        "Support can resolve every cause except an abnormal account status (and, the seed "
        "giving no remedy, a revoked e-commerce permission).",
    ),
    Setting(
        "invite_rejects_bound",
        True,
        "A-INVITE-BOUND",
        "An invitation to an account that is already bound is refused at once (on).",
    ),
    Setting(
        "pending_holds_slot",
        True,
        "A-PENDING-SLOT",
        "A pending invitation holds its slot (on).",
    ),
    Setting(
        "check_again_on_accept",
        True,
        "A-CHECK-AGAIN",
        "Everything checked at invitation time is checked again when the creator accepts (on).",
    ),
    Setting(
        "channel_unlink",
        True,
        "A-CHANNEL-UNLINK",
        "A channel creator leaves through the same creator-side path and merchant approval (on).",
    ),
    Setting(
        "allow_decline",
        True,
        "A-DECLINE",
        "The creator may decline an invitation; the merchant may withdraw one or decline an "
        "unlink request (allowed).",
    ),
    Setting(
        "showcase_checks_home_region",
        True,
        "A-HOME-REGION",
        "The showcase button is hidden while the network or the home region is outside the "
        "shop's country (both checked).",
    ),
    Setting(
        "ticket_moves_home_region",
        False,
        "A-HOME-REGION-TICKET",
        "A country fixed by support leaves the home region as it was declared.",
    ),
)

SEED_VALUES: dict[str, Any] = {s.name: s.value for s in SEED}

# A search judges thousands of states under one ruleset: what is read off a ruleset (the settings
# it leaves alone, the ruleset judged by) is kept per ruleset object (identity, checked, since an
# id is reused once its object is gone).
_READ: dict[int, tuple[Ruleset, frozenset[str], Ruleset]] = {}


def defaults() -> Ruleset:
    """The Ruleset as it comes, with no setting changed: what claims to be the seed's."""
    return Ruleset()


def forget() -> None:
    """Drop what was read off rulesets so far: for a caller that changes what `defaults` gives
    (a test standing in for a default changed in the code)."""
    _READ.clear()


def left_alone(rules: Ruleset) -> frozenset[str]:
    """The settings of the seed that `rules` leaves as they came (equal to the defaults)."""
    return _read(rules)[1]


def judged(rules: Ruleset) -> Ruleset:
    """The ruleset the contracts judge by: the seed's values for the settings `rules` leaves as
    they came, `rules`' own for the ones it changed. Built without Ruleset's checks of settings
    together (the seed's values with a scenario's are what the scenario asked for)."""
    return _read(rules)[2]


def _read(rules: Ruleset) -> tuple[Ruleset, frozenset[str], Ruleset]:
    kept = _READ.get(id(rules))
    if kept is not None and kept[0] is rules:
        return kept
    came = defaults()
    alone = frozenset(s.name for s in SEED if getattr(rules, s.name) == getattr(came, s.name))
    if all(getattr(rules, name) == SEED_VALUES[name] for name in alone):
        result = rules
    else:
        result = object.__new__(Ruleset)
        for f in fields(Ruleset):
            value = SEED_VALUES[f.name] if f.name in alone else getattr(rules, f.name)
            object.__setattr__(result, f.name, value)
    if len(_READ) > 256:
        _READ.clear()
    _READ[id(rules)] = kept = (rules, alone, result)
    return kept
