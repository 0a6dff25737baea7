"""Contracts of support tickets and stuck bindings: R-TICKET, A-TICKET-COUNTRY, A-TICKET-TIME,
A-HOME-REGION-TICKET, A-TICKET-AGE, R-STUCK."""

from __future__ import annotations

from datetime import datetime

from bindsim.machines import Ruleset
from bindsim.simulator.contracts import recount
from bindsim.simulator.contracts.base import Answers, Step, Verdict, on_state, on_step
from bindsim.simulator.state import BindingRecord, Creator, Shop, State, TicketRecord

COUNTRY_CAUSES = ("COUNTRY_MISMATCH", "REGISTRATION_REGION_MISMATCH")


def _answered(step: Step) -> list[TicketRecord]:
    before = step.before.tickets
    return [
        t
        for t in step.after.tickets.values()
        if t.node != "open" and t.id in before and before[t.id].node == "open"
    ]


def causes(state: State, shop: Shop, creator: Creator, now: datetime, rules: Ruleset) -> set[str]:
    """What support finds about an account for a shop: every cause of R-ELIGIBLE and R-STUCK,
    and a binding with another shop (support changes nothing under it)."""
    found = set()
    if creator.status != "normal":
        found.add("ACCOUNT_ABNORMAL")
    if not recount.adult(creator, now, rules):
        found.add("UNDER_18")
    if creator.country != shop.region:
        found.add("COUNTRY_MISMATCH")
    if creator.registration_country != shop.region:
        found.add("REGISTRATION_REGION_MISMATCH")
    if not creator.ecommerce_permission:
        found.add("ECOMMERCE_PERMISSION_REVOKED")
    if any(b.shop != shop.id for b in recount.live_of_creator(state, creator.id)):
        found.add("ALREADY_BOUND")
    return found


def unfixable(found: set[str], shop: Shop, rules: Ruleset) -> set[str]:
    """Support can resolve every cause except an abnormal account status (and what the ruleset
    adds, ticket_unfixable) and, for a US shop, a registration country (A-TICKET-COUNTRY)."""
    never = {reason.value for reason in rules.ticket_unfixable} | {"ALREADY_BOUND"}
    locked = shop.region in rules.ticket_locked_regions
    return {c for c in found if c in never or (locked and c in COUNTRY_CAUSES)}


def _fixed(cause: str, creator: Creator, shop: Shop, now: datetime, rules: Ruleset) -> bool:
    return {
        "ACCOUNT_ABNORMAL": creator.status == "normal",
        "UNDER_18": recount.adult(creator, now, rules),
        "COUNTRY_MISMATCH": creator.country == shop.region,
        "REGISTRATION_REGION_MISMATCH": creator.registration_country == shop.region,
        "ECOMMERCE_PERMISSION_REVOKED": creator.ecommerce_permission,
    }[cause]


@on_step("R-TICKET")
def support_fixes_every_cause_it_may(step: Step) -> Verdict:
    """For an ineligible account the merchant can open a support ticket to find the cause;
    support resolves every cause except an abnormal account status and a registration country
    it may not change: the ticket is closed when one of those is found, and every other cause
    is fixed when it is answered."""
    answered = _answered(step)
    for ticket in answered:
        shop = step.before.shops[ticket.shop]
        creator = step.before.creators[ticket.creator]
        found = causes(step.before, shop, creator, step.now, step.rules)
        blocked = unfixable(found, shop, step.rules)
        if (ticket.node == "closed") != bool(blocked):
            return f"{ticket.id} was {ticket.node} with {sorted(blocked)} unfixable"
        if "ALREADY_BOUND" in found:
            continue
        after = step.after.creators[ticket.creator]
        for cause in sorted(found - blocked):
            if not _fixed(cause, after, shop, step.now, step.rules):
                return f"{ticket.id} left {cause} unfixed"
    return True if answered else None


@on_step("R-TICKET")
def closed_ticket_fails_the_stuck_binding(step: Step) -> Verdict:
    """A stuck binding whose ticket is closed as unfixable can no longer complete: it fails,
    and frees the slot."""
    judged = False
    for ticket in _answered(step):
        stuck = [
            b
            for b in recount.live_of_creator(step.before, ticket.creator)
            if b.shop == ticket.shop and b.node == "stuck"
        ]
        if not stuck:
            continue
        judged = True
        now = step.after.bindings[stuck[0].id]
        if ticket.node == "closed" and now.node != "failed":
            return f"{now.id} is {now.node} after its ticket {ticket.id} was closed"
    return True if judged else None


@on_step("A-TICKET-COUNTRY")
def us_support_keeps_the_registration_country(step: Step) -> Verdict:
    """For a US shop, support cannot change an account registered outside the US: a ticket of a
    shop in ticket_locked_regions never changes the account's country or registration."""
    judged = False
    for ticket in _answered(step):
        if step.before.shops[ticket.shop].region not in step.rules.ticket_locked_regions:
            continue
        judged = True
        old, new = step.before.creators[ticket.creator], step.after.creators[ticket.creator]
        if (old.country, old.registration_country) != (new.country, new.registration_country):
            return f"{ticket.id} changed {ticket.creator}'s country for a {ticket.shop} shop"
    return True if judged else None


@on_step("A-TICKET-TIME")
def ticket_answered_after_the_set_time(step: Step) -> Verdict:
    """A support ticket is resolved after a configurable time (24h): exactly then."""
    answered = _answered(step)
    for ticket in answered:
        due = ticket.opened_at + step.rules.ticket_resolution_time
        if step.now != due:
            return f"{ticket.id} was answered at {step.now}, not at {due}"
    return True if answered else None


def _stuck_causes(shop: Shop, creator: Creator) -> set[str]:
    """R-STUCK (a) a registration address outside the shop's country, (b) e-commerce
    permission revoked."""
    found = set()
    if creator.registration_country != shop.region:
        found.add("REGISTRATION_REGION_MISMATCH")
    if not creator.ecommerce_permission:
        found.add("ECOMMERCE_PERMISSION_REVOKED")
    return found


@on_step("R-STUCK")
def binding_hangs_exactly_when_a_cause_applies(step: Step) -> Verdict:
    """A binding stays "binding in progress" for a long time when the registration address is
    in another country or the e-commerce permission was revoked; otherwise it completes."""
    started = recount.new_records(step.before.bindings, step.after.bindings)
    for binding_id in started:
        binding = step.after.bindings[binding_id]
        found = _stuck_causes(
            step.before.shops[binding.shop], step.before.creators[binding.creator]
        )
        hangs = binding.node == "stuck"
        if hangs != bool(found):
            return f"{binding_id} is {binding.node} with causes {sorted(found)}"
    return True if started else None


@on_state("R-STUCK")
def a_stuck_binding_has_a_cause(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """A binding hangs only while something holds it: R-STUCK's causes, or R-FAIL's that arose
    while it hung (an abnormal account or shop, a user under 18)."""
    judged = False
    for binding in state.bindings.values():
        if binding.node != "stuck":
            continue
        judged = True
        shop, creator = state.shops[binding.shop], state.creators[binding.creator]
        held = _stuck_causes(shop, creator)
        if creator.status != "normal" or shop.status != "normal":
            held.add("ABNORMAL")
        if not recount.adult(creator, now, rules):
            held.add("UNDER_18")
        if not held:
            return f"{binding.id} is stuck at {now} though nothing holds it"
    return True if judged else None


def _holds(state: State, binding: BindingRecord, now: datetime, rules: Ruleset) -> set[str]:
    """What holds a binding in progress: R-STUCK's causes, and R-FAIL's that arose while it
    hung (R-FAIL(3) an abnormal account or shop, R-FAIL(2) a user under 18)."""
    shop, creator = state.shops[binding.shop], state.creators[binding.creator]
    held = _stuck_causes(shop, creator)
    if creator.status != "normal":
        held.add("ACCOUNT_ABNORMAL")
    if shop.status != "normal":
        held.add("SHOP_ABNORMAL")
    if not recount.adult(creator, now, rules):
        held.add("UNDER_18")
    return held


@on_step("R-STUCK")
def completes_only_when_nothing_holds(step: Step) -> Verdict:
    """A binding stays "binding in progress" while its registration address is abroad or its
    e-commerce permission is revoked, and binding fails while the user is under 18 or the shop
    or the account is abnormal: a stuck binding is established only once none of these holds."""
    done = [
        b
        for b in step.after.bindings.values()
        if b.node in recount.BOUND_NODES
        and b.id in step.before.bindings
        and step.before.bindings[b.id].node == "stuck"
    ]
    for binding in done:
        held = _holds(step.after, binding, step.now, step.rules)
        if held:
            return f"{binding.id} was established at {step.now} while {sorted(held)} hold it"
    return True if done else None


@on_state("R-STUCK")
def a_stuck_binding_shows_what_holds_it(
    state: State, now: datetime, rules: Ruleset, _: Answers | None
) -> Verdict:
    """A binding can stay "binding in progress" for a long time, for a reason the user is shown
    (REGISTRATION_REGION_MISMATCH, ECOMMERCE_PERMISSION_REVOKED, and R-FAIL's that arose while
    it hung): a stuck binding's reasons are exactly what holds it now."""
    judged = False
    for binding in state.bindings.values():
        if binding.node != "stuck":
            continue
        judged = True
        held = _holds(state, binding, now, rules)
        shown = {reason.value for reason in binding.reasons}
        if shown != held:
            return f"{binding.id} shows {sorted(shown)} at {now}; {sorted(held)} hold it"
    return True if judged else None


@on_step("R-TICKET")
def a_binding_fails_only_by_a_closed_ticket(step: Step) -> Verdict:
    """A stuck binding fails when support closes its ticket as unfixable, and only then: a
    binding that hangs for a cause support can fix, or for the shop's status, stays in progress."""
    failed = [
        b
        for b in step.after.bindings.values()
        if b.node == "failed" and b.id in step.before.bindings
    ]
    failed = [b for b in failed if step.before.bindings[b.id].node != "failed"]
    closed = {(t.shop, t.creator) for t in _answered(step) if t.node == "closed"}
    for binding in failed:
        if (binding.shop, binding.creator) not in closed:
            return f"{binding.id} failed at {step.now} with no ticket of its own closed"
    return True if failed else None


@on_step("A-HOME-REGION-TICKET")
def a_ticket_moves_the_home_region_only_when_set_to(step: Step) -> Verdict:
    """A ticket that moves the account's country leaves its home region (归属地) where it was;
    with ticket_moves_home_region, support moves the home region with the country instead. A
    ticket that leaves the country alone never moves the home region."""
    judged = False
    for ticket in _answered(step):
        old, new = step.before.creators[ticket.creator], step.after.creators[ticket.creator]
        judged = True
        moved = new.country != old.country
        if moved and step.rules.ticket_moves_home_region:
            if new.home_region != new.country:
                return f"{ticket.id} moved the country to {new.country}, not the home region"
        elif new.home_region != old.home_region:
            return f"{ticket.id} moved {ticket.creator}'s home region to {new.home_region}"
    return True if judged else None


@on_step("A-TICKET-AGE")
def support_makes_the_user_just_of_age(step: Step) -> Verdict:
    """Support fixes UNDER_18 by the least change that makes the user min_age when the ticket
    is answered: a fixed age becomes min_age; a birthdate becomes that day min_age years
    earlier in birthday_zone, and 29 February becomes 28 February."""
    judged = False
    for ticket in _answered(step):
        old, new = step.before.creators[ticket.creator], step.after.creators[ticket.creator]
        if ticket.node != "resolved" or recount.adult(old, step.now, step.rules):
            continue  # no UNDER_18 to fix (or the ticket could fix nothing)
        judged = True
        if old.birthdate is None:
            if new.age != step.rules.min_age:
                return f"{ticket.id} set {ticket.creator}'s age to {new.age}, not min_age"
            continue
        today = (step.now + recount.zone_offset(step.rules)).date()
        year = today.year - step.rules.min_age
        day = 28 if (today.month, today.day) == (2, 29) else today.day
        wanted = today.replace(year=year, day=day)
        if new.birthdate != wanted:
            return f"{ticket.id} set {ticket.creator}'s birthdate to {new.birthdate}, not {wanted}"
    return True if judged else None
