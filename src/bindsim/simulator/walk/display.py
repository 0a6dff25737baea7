"""What the walk prompt shows: the clock, each screen, the pending timers, a step's result."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bindsim.machines.durations import spoken_duration
from bindsim.simulator.scenario.runner import StepResult, caught_up, show
from bindsim.simulator.world import World


def remaining(delta: timedelta) -> str:
    """Time left as the prompt shows it: `12h 03m`, `47h 59m 59s`."""
    return spoken_duration(delta, "countdown").en


# What a pending timer means, by the machine of its record (read from the World's log).
_TIMER_WORDS: dict[str, Callable[[str, str, str, str], str]] = {
    "Invitation": lambda rid, shop, creator, left: (
        f"{creator}'s invitation from {shop} expires in {left} (R-INVITE-48H)"
    ),
    "Binding": lambda rid, shop, creator, left: (
        f"{creator}'s binding to {shop} can be unbound in {left} (R-LOCK-24H)"
    ),
    "SupportTicket": lambda rid, shop, creator, left: (
        f"support answers {rid} ({shop} about {creator}) in {left} (A-TICKET-TIME)"
    ),
}


class RecordOwners:
    """Which machine, shop and account each record id belongs to, learnt from the World's log."""

    def __init__(self) -> None:
        self.owners: dict[str, tuple[str, str, str]] = {}
        self.read = 0

    def update(self, world: World) -> dict[str, tuple[str, str, str]]:
        if self.read > world.logged:  # a rebuilt World: start again
            self.owners, self.read = {}, 0
        for entry in world.log_since(self.read):
            subject = entry.subject
            for change in entry.changes:
                if change.target not in self.owners and change.before == ():
                    if change.machine == "SupportTicket":
                        ticket = world.ticket(change.target)
                        self.owners[change.target] = (change.machine, ticket.shop, ticket.creator)
                    else:
                        shop = subject.get("shop", "?")
                        creator = subject.get("creator") or subject.get("account", "?")
                        self.owners[change.target] = (change.machine, shop, creator)
        self.read = world.logged
        return self.owners


def describe_timers(world: World, owners: RecordOwners | None = None) -> list[str]:
    """Pending timers in words: "alice's invitation from gb expires in 12h 03m"."""
    known = (owners or RecordOwners()).update(world)
    now = caught_up(world)
    lines = []
    for timer in world.pending_timers():
        owner = known.get(timer.target)
        if owner is not None and owner[0] in _TIMER_WORDS:
            machine, shop, creator = owner
            lines.append(
                _TIMER_WORDS[machine](timer.target, shop, creator, remaining(timer.due - now))
            )
    return lines


def state_lines(
    world: World, creators: list[str], shops: list[str], owners: RecordOwners
) -> list[str]:
    """The clock, each phone's screen and each Seller Center page, and the pending timers."""
    now = caught_up(world)
    lines = [f"── {now.strftime('%Y-%m-%d %H:%M:%S')} UTC ({now.strftime('%a')}) ──"]
    for title, ids, verb in (("phones", creators, "tap"), ("seller center", shops, "click")):
        if not ids:
            continue
        lines.append(f"{title}:")
        for owner in dict.fromkeys(ids):
            screen = world.screen(owner)
            line = f"  {owner:<10} {screen.id} ({screen.title})  {verb}: "
            line += ", ".join(screen.visible) or "nothing"
            hidden = [
                f"{label} ({', '.join(why)})" if why else label
                for label, why in screen.hidden.items()
            ]
            if hidden:
                line += f"  · hidden: {', '.join(hidden)}"
            if screen.info:
                line += "  · " + ", ".join(f"{k}: {show(v)}" for k, v in screen.info.items())
            lines.append(line)
    timers = describe_timers(world, owners)
    if timers:
        lines.append("timers:")
        lines += [f"  {text}" for text in timers]
    return lines


def result_lines(result: StepResult) -> list[str]:
    """A step's outcome as the prompt reports it: ✓ ok, ✗ refused with its codes, ⏰ timers."""
    step = result.step
    if result.outcome in ("error", "not applicable"):
        return [f"✗ {result.message}"]
    lines = [f"  ⏰ {entry.describe()}" for entry in result.timers]
    if step.checks:
        if result.passed:
            return [*lines, "✓ holds"]
        return lines + [f"✗ {mismatch.describe()}" for mismatch in result.mismatches]
    expected = step.expect_error
    if expected is not None and not result.passed:
        lines.append(f"✗ expected a refusal with {', '.join(expected)}")
    if result.outcome == "refused":
        lines.append(f"✗ refused: {', '.join(result.reasons)}")
        lines += [f"  {line.strip()}" for line in result.message.splitlines()[1:]]
    else:
        lines.append("✓ ok" + (f" [{', '.join(result.reasons)}]" if result.reasons else ""))
    return lines
