"""The rule and assumption IDs of DOMAIN.md, which scenarios cite in their `rules:` lists."""

from __future__ import annotations

# The rules of the seed article, in DOMAIN.md order. Every one needs a scenario (`bindsim rules`).
RULES: dict[str, str] = {
    "R-SLOT-OPEN": "an open-enrollment shop binds 1 official account and no channel creators",
    "R-SLOT-INVITED": "an invite-only shop binds 1 official account + 4 channel creators",
    "R-EXCLUSIVE": "an account is bound to at most one shop at a time",
    "R-LOCK-24H": "a binding cannot be unbound until 24 hours after it was established",
    "R-RELEASE": "after unbinding, the account and the shop's slot are free again",
    "R-CAP-OFFICIAL": "an official account gets products synced and can Add from shop",
    "R-CAP-CHANNEL": "a channel creator can only Add from shop by hand",
    "R-NO-1000": "a bound account sells in LIVE and video without 1,000 followers",
    "R-ELIGIBLE": "invitations only to normal accounts, 18+, in the shop's country",
    "R-TICKET": "a support ticket finds and fixes the cause, except what support may not fix",
    "R-INVITE-48H": "the creator must confirm within 48 hours",
    "R-OFFICIAL-UNBIND-3": "the official account can be unbound at most 3 times, ever",
    "R-CHANNEL-10-180D": "at most 10 channel bindings in any 180-day window",
    "R-SELLER-NAV": "the merchant's path through Seller Center",
    "R-STUCK": "a binding stuck in progress: registration country, revoked e-commerce permission",
    "R-FAIL": "binding fails: network region, under 18, abnormal status, already bound",
    "R-UNLINK-PATH": "the creator's unlink path in the app, only on the shop country's network",
    "R-UNLINK-APPROVE": "the merchant views the unlink request and agrees",
    "R-REBIND": "after unbinding, the shop binds a new official account",
}

# The assumptions that fill the seed's gaps (each one a ruleset setting).
ASSUMPTIONS: dict[str, str] = {
    "A-WINDOW-BOUNDS": "48h, 24h and 180d are measured exactly",
    "A-CHANNEL-COUNT": "the 10-in-180-days limit counts established channel bindings",
    "A-UNBIND-COUNT": "the 3-unbinds limit counts completed official unbinds",
    "A-INVITE-BOUND": "inviting a bound account is refused at once",
    "A-PENDING-SLOT": "a pending invitation holds its slot",
    "A-CHECK-AGAIN": "everything checked at invitation is checked again at acceptance",
    "A-CHANNEL-UNLINK": "channel creators leave through the same unlink path",
    "A-DECLINE": "creators decline, merchants withdraw and decline unlink requests",
    "A-TICKET-COUNTRY": "a US shop's support cannot change a foreign registration country",
    "A-TICKET-TIME": "a support ticket is answered after a set time",
    "A-AFFILIATE": "an unbound creator needs 1,000 followers to sell in LIVE or video",
}

RULE_IDS: tuple[str, ...] = (*RULES, *ASSUMPTIONS)
