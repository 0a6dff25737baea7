"""`bindsim walk [SCENARIO]`: the scenario verbs at an interactive prompt over one World.

Each command is turned into the same model.Step a scenario file holds, validated by the same
validator and run by the same runner, so `save FILE` writes a scenario that replays exactly.
"""

from __future__ import annotations

import cmd
import re
import sys
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import click

from bindsim.machines import CreatorApp, SellerCenter
from bindsim.simulator.errors import BindSimError, ScenarioError
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.loader import parse_yaml
from bindsim.simulator.scenario.runner import StepResult, build_world, run_step, show
from bindsim.simulator.scenario.validate import (
    CHECK_FIELDS,
    CHECK_KINDS,
    InvalidScenario,
    Validator,
    _Bad,
    load_file,
)
from bindsim.simulator.world import World

PROMPT = "bindsim> "
DURATIONS = ("1s", "1m", "1h", "24h", "47h59m59s", "48h", "2d", "180d")
CREATOR_FIELDS = ("country=", "age=", "network=", "registration_country=", "status=")
SET_CREATOR = (
    "network=",
    "country=",
    "registration_country=",
    "status=",
    "age=",
    "followers=",
    "ecommerce_permission=",
)
# Positional arguments of each verb's one-line form, by kind.
POSITIONAL: dict[str, tuple[str, ...]] = {
    "invite": ("shop", "creator", "role"),
    "accept": ("creator", "shop"),
    "decline": ("creator", "shop"),
    "withdraw": ("shop", "creator"),
    "request_unlink": ("creator",),
    "approve_unlink": ("shop", "creator"),
    "decline_unlink": ("shop", "creator"),
    "open_ticket": ("shop", "creator"),
    "advance": ("duration",),
    "advance_to": ("time",),
}
CHECK_SUBJECTS: dict[str, tuple[str, ...]] = {
    "invitation": ("shop", "creator"),
    "binding": ("shop", "creator"),
    "ticket": ("shop", "creator"),
    "screen": ("id",),
    "shop": ("shop",),
    "creator": ("creator",),
    "time": ("time",),
}
_PAIR = re.compile(r"""(\w+)=(\[[^\]]*\]|\{[^}]*\}|"[^"]*"|'[^']*'|\S+)""")


class InputError(Exception):
    """A command line that cannot be turned into a step; the message says why."""


@dataclass
class Session:
    """What `save` writes: the cast, the start, the rules, and every step that was recorded."""

    name: str = "A bindsim walk session"
    rules: tuple[str, ...] = ()
    start: datetime = model.DEFAULT_START
    ruleset: tuple[tuple[str, Any], ...] = ()
    shops: list[model.ShopSpec] = field(default_factory=list)
    creators: list[model.CreatorSpec] = field(default_factory=list)
    steps: list[model.Step] = field(default_factory=list)

    def scenario(self, path: str = "<walk>") -> model.Scenario:
        return model.Scenario(
            name=self.name,
            steps=tuple(self.steps),
            rules=self.rules,
            start=self.start,
            ruleset=self.ruleset,
            shops=tuple(self.shops),
            creators=tuple(self.creators),
            path=path,
        )

    def copy(self) -> Session:
        return replace(
            self, shops=list(self.shops), creators=list(self.creators), steps=list(self.steps)
        )


def remaining(delta: timedelta) -> str:
    """Time left as the prompt shows it: `12h 03m`, `47h 59m 59s`."""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{hours}h {minutes:02d}m"
    return text + (f" {seconds:02d}s" if seconds else "")


def describe_timers(world: World) -> list[str]:
    """Pending timers in words: "alice's invitation from gb expires in 12h 03m"."""
    now = world.now
    lines = []
    for timer in world.pending_timers():
        left = remaining(timer.due - now)
        if timer.target in world.invitations:
            invitation = world.invitations[timer.target]
            lines.append(
                f"{invitation.creator}'s invitation from {invitation.shop} expires in {left} "
                f"(R-INVITE-48H)"
            )
        elif timer.target in world.bindings:
            binding = world.bindings[timer.target]
            lines.append(
                f"{binding.creator}'s binding to {binding.shop} can be unbound in {left} "
                f"(R-LOCK-24H)"
            )
        elif timer.target in world.tickets:
            ticket = world.tickets[timer.target]
            lines.append(
                f"support answers {ticket.id} ({ticket.shop} about {ticket.creator}) in {left} "
                f"(A-TICKET-TIME)"
            )
    return lines


def cannot_write(path: str | Path, error: OSError) -> str:
    """Why a file or folder could not be written, in one line."""
    return f"cannot write {path}: {error.strerror or error}"


def _word(value: str) -> str:
    return model.scalar(value)


class WalkShell(cmd.Cmd):
    """The walk prompt. Every verb of the scenario format is a command; see `help VERB`."""

    banner = (
        "bindsim walk: the scenario verbs at a prompt. `help` lists them, `help VERB` shows one;\n"
        "`save FILE` writes this session as a scenario, `undo` steps back, `quit` ends."
    )
    prompt = PROMPT

    def __init__(
        self,
        scenario: model.Scenario | None = None,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
    ) -> None:
        super().__init__(stdin=stdin, stdout=stdout)
        self.use_rawinput = stdin is None
        self.echo = stdin is not None  # a transcript shows what was typed after the prompt
        self.session = Session()
        self.history: list[Session] = []
        if scenario is not None:
            self.session = Session(
                name=scenario.name,
                rules=scenario.rules,
                start=scenario.start,
                ruleset=scenario.ruleset,
                shops=list(scenario.shops),
                creators=list(scenario.creators),
            )
        self.world = build_world(self.session.scenario())
        if scenario is not None:
            for step in scenario.steps:
                result = self._apply(step, quiet=True)
                if result is None or result.passed is False:
                    if result is not None:
                        self.report(result)
                    self.say(f"the scenario stops here (line {step.line}): {step.describe()}")
                    break
            self.history.clear()

    # ------------------------------------------------------------ output

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def show_state(self) -> None:
        world = self.world
        now = world.now
        self.say(f"── {now.strftime('%Y-%m-%d %H:%M:%S')} UTC ({now.strftime('%a')}) ──")
        for title, ids in (("phones", world.creators), ("seller center", world.shops)):
            if not ids:
                continue
            self.say(f"{title}:")
            for owner in ids:
                screen = world.screen(owner)
                verb = "tap" if owner in world.creators else "click"
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
                self.say(line)
        timers = describe_timers(world)
        if timers:
            self.say("timers:")
            for text in timers:
                self.say(f"  {text}")

    def report(self, result: StepResult) -> None:
        step = result.step
        if result.outcome == "error":
            self.say(f"✗ {result.message}")
            return
        for entry in result.timers:
            self.say(f"  ⏰ {entry.describe()}")
        if isinstance(step, model.Expect):
            if result.passed:
                self.say("✓ holds")
            else:
                for mismatch in result.mismatches:
                    self.say(f"✗ {mismatch.describe()}")
            return
        expected = step.expect_error
        if expected is not None and not result.passed:
            self.say(f"✗ expected a refusal with {', '.join(expected)}")
        if result.outcome == "refused":
            self.say(f"✗ refused: {', '.join(result.reasons)}")
            for line in result.message.splitlines()[1:]:
                self.say(f"  {line.strip()}")
        else:
            self.say("✓ ok" + (f" [{', '.join(result.reasons)}]" if result.reasons else ""))

    # ------------------------------------------------------------ steps

    def validator(self) -> Validator:
        return Validator(
            "<input>",
            shops={s.id for s in self.session.shops},
            creators={c.id for c in self.session.creators},
        )

    def parse_step(self, text: str) -> model.Step:
        """A step from YAML text (`invite: {shop: gb, creator: alice}`), validated."""
        try:
            node = parse_yaml(text, "<input>")
        except ScenarioError as error:
            raise InputError(error.text) from None
        if node is not None and node.is_list and len(node.value) == 1:
            node = node.value[0]
        if node is None or not node.is_map:
            raise InputError("a step is a mapping like `invite: {shop: gb, creator: alice}`")
        validator = self.validator()
        try:
            step = validator.step(node)
        except _Bad as bad:
            raise InputError(bad.message) from None
        if validator.errors or step is None:
            raise InputError("; ".join(e.text for e in validator.errors))
        return step

    def _apply(self, step: model.Step, quiet: bool = False) -> StepResult | None:
        """Run a step; record it (a refusal with its codes as expect_error) if it holds or acted."""
        mark = len(self.world.log)
        result = run_step(self.world, step, len(self.session.steps) + 1)
        if not quiet:
            self.report(result)
        acted = len(self.world.log) > mark or isinstance(step, (model.Advance, model.AdvanceTo))
        if result.outcome == "error" or (isinstance(step, model.Expect) and not result.passed):
            if acted and result.outcome == "error":
                self.rebuild()  # part of a tap or click list happened before the error
            return result if result.outcome != "error" else None
        if not isinstance(step, model.Expect) and (result.passed is False or not quiet):
            codes = result.reasons if result.outcome == "refused" else None
            step = replace(step, expect_error=codes)
        self.history.append(self.session.copy())
        self.session.steps.append(step)
        return result

    def run_text(self, text: str) -> None:
        try:
            step = self.parse_step(text)
        except InputError as error:
            self.say(f"✗ {error}")
            return
        self._apply(step)

    def rebuild(self) -> None:
        """A fresh World replayed from the session: how undo steps back."""
        self.world = build_world(self.session.scenario())
        for step in self.session.steps:
            run_step(self.world, step)

    def one_line(self, verb: str, arg: str) -> None:
        """A verb typed as words (`invite gb alice`), or as YAML (`invite: {shop: gb, ...}`)."""
        if arg.startswith(":"):
            self.run_text(f"{verb}{arg}")
            return
        try:
            text = self.translate(verb, arg)
        except InputError as error:
            self.say(f"✗ {error}  (help {verb})")
            return
        self.run_text(text)

    def translate(self, verb: str, arg: str) -> str:
        """The one-line form as YAML flow text for the validator."""
        words = arg.split()
        if verb in POSITIONAL:
            names = POSITIONAL[verb]
            if len(words) > len(names) or len(words) < len(names) - (verb == "invite"):
                raise InputError(f"{verb} takes: {' '.join(n.upper() for n in names)}")
            if verb in ("advance", "advance_to"):
                return f"{verb}: {words[0]}"
            fields = ", ".join(f"{n}: {_word(w)}" for n, w in zip(names, words, strict=False))
            return f"{verb}: {{{fields}}}"
        if verb in ("tap", "click"):
            owner, _, rest = arg.strip().partition(" ")
            if not owner or not rest.strip():
                raise InputError(f"{verb} takes an id and labels: {verb} ID Label, Label")
            account = ""
            match = re.match(r"\s*account=(\S+)\s+(.*)", rest)
            if verb == "click" and match:
                account, rest = f", account: {_word(match.group(1))}", match.group(2)
            labels = ", ".join(_word(label.strip()) for label in rest.split(",") if label.strip())
            key = "creator" if verb == "tap" else "shop"
            return f"{verb}: {{{key}: {_word(owner)}, on: [{labels}]{account}}}"
        if verb == "set":
            owner, _, rest = arg.strip().partition(" ")
            key = "shop" if owner in {s.id for s in self.session.shops} else "creator"
            return f"set: {{{key}: {_word(owner)}, {self._pairs(rest)}}}"
        if verb == "expect":
            return f"expect: {self._check(arg)}"
        raise InputError(f"unknown verb {verb!r}")

    def _pairs(self, text: str) -> str:
        pairs = _PAIR.findall(text)
        leftover = _PAIR.sub("", text).strip()
        if leftover:
            raise InputError(f"expected key=value, got {leftover!r}")
        return ", ".join(f"{key}: {value}" for key, value in pairs)

    def _check(self, arg: str) -> str:
        kind, _, rest = arg.strip().partition(" ")
        if kind not in CHECK_SUBJECTS:
            raise InputError(f"expect what? one of: {', '.join(CHECK_KINDS)}")
        words = rest.split()
        names = CHECK_SUBJECTS[kind]
        if len(words) < len(names):
            raise InputError(f"expect {kind} takes: {' '.join(n.upper() for n in names)} key=value")
        if kind == "time":
            return f"{{time: {words[0]}}}"
        subject_words = words[: len(names)]
        pairs = self._pairs(" ".join(words[len(names) :]) if len(words) > len(names) else "")
        if len(names) == 2:
            subject = f"{{shop: {_word(subject_words[0])}, creator: {_word(subject_words[1])}}}"
        else:
            subject = _word(subject_words[0])
        return f"{{{kind}: {subject}" + (f", {pairs}" if pairs else "") + "}"

    # ------------------------------------------------------------ the cast

    def add(self, kind: str, arg: str) -> None:
        ident, _, rest = arg.strip().partition(" ")
        if not ident:
            raise InputError(f"{kind} takes an id and facts: {kind} ID key=value ...")
        try:
            node = parse_yaml(f"{{{self._pairs(rest)}}}", "<input>")
        except ScenarioError as error:
            raise InputError(error.text) from None
        assert node is not None
        validator = self.validator()
        try:
            validator._new_id(ident, node.pos)
            if kind == "shop":
                shop = validator._shop(ident, node)
                self.world.add_shop(shop.id, region=shop.region, kind=shop.kind, status=shop.status)
                before = self.session.copy()
                self.session.shops.append(shop)
            else:
                creator = validator._creator(ident, node)
                if creator is None:
                    raise InputError("; ".join(e.text for e in validator.errors))
                self.world.add_creator(creator.id, **dict(creator.facts))
                before = self.session.copy()
                self.session.creators.append(creator)
        except _Bad as bad:
            raise InputError(bad.message or "; ".join(e.text for e in validator.errors)) from None
        except BindSimError as error:
            raise InputError(str(error)) from None
        self.history.append(before)
        self.say(f"✓ {kind} {ident} added")

    # ------------------------------------------------------------ cmd.Cmd

    def get_names(self) -> list[str]:
        return [name for name in super().get_names() if name != "do_EOF"]

    def precmd(self, line: str) -> str:
        if self.echo and line.strip() and line != "EOF":
            self.say(line.rstrip("\n"))
        return line

    def emptyline(self) -> bool:
        return False

    def default(self, line: str) -> None:
        text = line.strip()
        if text.startswith(("{", "- ")):
            self.run_text(text)
            self.show_state()
            return
        self.say(f"✗ unknown command {text.split()[0]!r}; `help` lists the commands")

    def do_show(self, arg: str) -> None:
        """show — the clock, each phone's screen, each Seller Center page and the pending timers."""
        self.show_state()

    def do_log(self, arg: str) -> None:
        """log — the World's event log: who did what, when, with which outcome and reasons."""
        for entry in self.world.log:
            self.say(entry.describe())

    def do_diagram(self, arg: str) -> None:
        """diagram invitation|binding|ticket SHOP CREATOR | screen ID [lang=en|zh] [format=svg|png|
        pdf|dot|mermaid] [out=DIR] — draw that machine with its current state highlighted."""
        self._guarded(lambda: self.say(f"✓ wrote {self.draw(arg)}"))

    def draw(self, arg: str) -> Path:
        """Draw one live machine of the World (issue 5: live state); return the file written."""
        from bindsim import diagrams

        words = [w for w in arg.split() if "=" not in w]
        options = dict(w.split("=", 1) for w in arg.split() if "=" in w)
        unknown = set(options) - {"lang", "format", "out"}
        if unknown or not words:
            raise InputError("diagram binding gb alice [lang=zh] [format=png] [out=DIR]")
        kind, ids = words[0], words[1:]
        try:
            if kind == "screen" and len(ids) == 1:
                record: Any = self.world.screens.get(f"app:{ids[0]}") or self.world.screens.get(
                    f"center:{ids[0]}"
                )
                if record is None:
                    self.world.screen(ids[0])  # an unknown id raises; a known one is not open yet
                    raise InputError(f"{ids[0]}'s screen has not been used yet: nothing to draw")
            elif kind in ("invitation", "binding") and len(ids) == 2:
                record = getattr(self.world, kind)(ids[0], ids[1])
            elif kind == "ticket" and len(ids) == 2:
                tickets = [
                    t for t in self.world.tickets.values() if (t.shop, t.creator) == tuple(ids)
                ]
                if not tickets:
                    raise InputError(f"no ticket from {ids[0]} about {ids[1]}")
                record = tickets[-1]
            else:
                raise InputError("diagram invitation|binding|ticket SHOP CREATOR, or screen ID")
            from bindsim.diagrams.output import EXTENSIONS
            from bindsim.simulator.commands.pictures import save

            fmt, lang = options.get("format", "svg"), options.get("lang", "en")
            data = diagrams.render(record, fmt, lang, ruleset=self.world.rules)
            stem = f"{record.id.replace(':', '-')}.{lang}"
            out = options.get("out", "out/walk")
            try:
                path = Path(out) / f"{stem}.{EXTENSIONS[fmt]}"
                return save(path, data)
            except OSError as error:  # CannotWrite: it says which file and why
                raise InputError(str(error)) from None
        except (BindSimError, ValueError, RuntimeError) as error:
            raise InputError(str(error)) from None

    def do_undo(self, arg: str) -> None:
        """undo — step back: the session is replayed without its last step (or cast change)."""
        if not self.history:
            self.say("✗ nothing to undo")
            return
        self.session = self.history.pop()
        self.rebuild()
        self.say("✓ undone")
        self.show_state()

    def do_save(self, arg: str) -> None:
        """save FILE — write the session as a scenario file that replays to the same result."""
        name = arg.strip()
        if not name:
            self.say("✗ save FILE: say where, e.g. save my.scenario.yaml")
            return
        path = Path(name)
        try:
            path.write_text(self.session.scenario(str(path)).to_yaml(), encoding="utf-8")
        except OSError as error:  # the session goes on: save it somewhere else
            self.say(f"✗ {cannot_write(path, error)}")
            return
        self.say(f"✓ saved {len(self.session.steps)} steps to {path}")

    def do_shop(self, arg: str) -> None:
        """shop ID region=GB [kind=open|invited] [status=normal|abnormal] — add a shop."""
        self._guarded(lambda: self.add("shop", arg))

    def do_creator(self, arg: str) -> None:
        """creator ID country=GB age=24 [network=FR registration_country=DE status=... followers=N
        ecommerce_permission=false] — add a TikTok account."""
        self._guarded(lambda: self.add("creator", arg))

    def _guarded(self, action: Any) -> None:
        try:
            action()
        except InputError as error:
            self.say(f"✗ {error}")

    def do_quit(self, arg: str) -> bool:
        """quit — end the walk (Ctrl-D too)."""
        return True

    do_exit = do_quit

    def do_EOF(self, arg: str) -> bool:  # noqa: N802 - cmd.Cmd's name for end of input
        """Ctrl-D ends the walk."""
        self.say()
        return True

    def _verb(self, verb: str, arg: str) -> None:
        self.one_line(verb, arg)
        self.show_state()

    def do_invite(self, arg: str) -> None:
        """invite SHOP CREATOR [official|channel] — the merchant sends an invitation."""
        self._verb("invite", arg)

    def do_accept(self, arg: str) -> None:
        """accept CREATOR SHOP — the creator confirms the invitation in the app."""
        self._verb("accept", arg)

    def do_decline(self, arg: str) -> None:
        """decline CREATOR SHOP — the creator declines the invitation."""
        self._verb("decline", arg)

    def do_withdraw(self, arg: str) -> None:
        """withdraw SHOP CREATOR — the merchant withdraws a pending invitation."""
        self._verb("withdraw", arg)

    def do_advance(self, arg: str) -> None:
        """advance DURATION — move the clock forward: 90s, 15m, 47h59m, 2d, 180d."""
        self._verb("advance", arg)

    def do_advance_to(self, arg: str) -> None:
        """advance_to TIME — move the clock to an aware time: 2024-11-13T12:00:00Z."""
        self._verb("advance_to", arg)

    def do_tap(self, arg: str) -> None:
        """tap CREATOR Label, Label, ... — tap labels on the creator's phone, in order."""
        self._verb("tap", arg)

    def do_click(self, arg: str) -> None:
        """click SHOP [account=CREATOR] Label, Label, ... — click labels in Seller Center."""
        self._verb("click", arg)

    def do_request_unlink(self, arg: str) -> None:
        """request_unlink CREATOR — the whole unlink path on the phone, in one step."""
        self._verb("request_unlink", arg)

    def do_approve_unlink(self, arg: str) -> None:
        """approve_unlink SHOP CREATOR — View details → Agree: the account is unbound."""
        self._verb("approve_unlink", arg)

    def do_decline_unlink(self, arg: str) -> None:
        """decline_unlink SHOP CREATOR — View details → Decline: the binding stays."""
        self._verb("decline_unlink", arg)

    def do_set(self, arg: str) -> None:
        """set CREATOR fact=value ... | set SHOP status=abnormal — change a fact."""
        self._verb("set", arg)

    def do_open_ticket(self, arg: str) -> None:
        """open_ticket SHOP CREATOR — open a support ticket about the account."""
        self._verb("open_ticket", arg)

    def do_expect(self, arg: str) -> None:
        """expect KIND SUBJECT key=value ... — check the World, e.g.
        expect binding gb alice state=bound · expect shop gb official=null channels=[bob]
        expect creator alice bound_shop=gb · expect screen alice id=link_info visible=[Back]
        expect invitation gb alice state=expired · expect ticket gb alice state=resolved
        expect time 2024-11-13T12:00:00Z"""
        self.one_line("expect", arg)

    # ------------------------------------------------------------ completion

    def _ids(self, kind: str) -> list[str]:
        if kind == "shop":
            return [s.id for s in self.session.shops]
        if kind == "creator":
            return [c.id for c in self.session.creators]
        if kind == "id":
            return self._ids("shop") + self._ids("creator")
        if kind == "role":
            return ["official", "channel"]
        if kind == "duration":
            return list(DURATIONS)
        if kind == "time":
            return [model.scalar(self.world.now)]
        return []

    def _complete_words(
        self, kinds: tuple[str, ...], text: str, line: str, begidx: int
    ) -> list[str]:
        index = len(line[:begidx].split()) - 1  # words before this one, minus the verb
        if index >= len(kinds):
            return []
        return [c for c in self._ids(kinds[index]) if c.startswith(text)]

    def _complete_labels(
        self, owner_kind: str, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        words = line[:begidx].split()
        if len(words) < 2:
            return [c for c in self._ids(owner_kind) if c.startswith(text)]
        owner = words[1]
        if owner not in self._ids(owner_kind):
            return []
        labels = list(self.world.screen(owner).visible)
        typed = line[:endidx].split(None, 2)
        rest = typed[2] if len(typed) > 2 else ""
        if owner_kind == "shop" and not rest.startswith("account=") and "," not in rest:
            labels.append("account=")
        if rest.startswith("account=") and " " not in rest:
            return [f"account={c}" for c in self._ids("creator") if f"account={c}".startswith(text)]
        if rest.startswith("account="):
            rest = rest.split(" ", 1)[1]
        partial = rest.split(",")[-1].lstrip()
        cut = len(partial) - len(text)
        return [label[cut:] for label in labels if label.startswith(partial)]

    def completedefault(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        verb = line.split()[0] if line.split() else ""
        if verb in POSITIONAL:
            return self._complete_words(POSITIONAL[verb], text, line, begidx)
        return []

    def complete_tap(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        return self._complete_labels("creator", text, line, begidx, endidx)

    def complete_click(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        return self._complete_labels("shop", text, line, begidx, endidx)

    def complete_set(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        words = line[:begidx].split()
        if len(words) < 2:
            return [c for c in self._ids("id") if c.startswith(text)]
        facts = ("status=",) if words[1] in self._ids("shop") else SET_CREATOR
        return [f for f in facts if f.startswith(text)]

    def complete_creator(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        return [f for f in CREATOR_FIELDS if f.startswith(text)] if len(line.split()) > 1 else []

    def complete_shop(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        fields = ("region=", "kind=", "status=")
        return [f for f in fields if f.startswith(text)] if len(line.split()) > 1 else []

    def complete_expect(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        words = line[:begidx].split()
        if len(words) < 2:
            return [k for k in CHECK_KINDS if k.startswith(text)]
        kind = words[1]
        subjects = CHECK_SUBJECTS.get(kind, ())
        index = len(words) - 2
        if index < len(subjects):
            return [c for c in self._ids(subjects[index]) if c.startswith(text)]
        return [f"{f}=" for f in CHECK_FIELDS.get(kind, ()) if f"{f}=".startswith(text)]

    def help_labels(self) -> None:
        """The labels of the creator app and of Seller Center."""
        self.say("creator app (tap): " + ", ".join(CreatorApp.labels()))
        self.say("Seller Center (click): " + ", ".join(SellerCenter.labels()))

    def preloop(self) -> None:
        if self.use_rawinput:
            try:
                import readline

                readline.set_completer_delims(" \t\n,")
            except ImportError:  # pragma: no cover - no readline on this platform
                pass
        self.say(self.banner)
        self.show_state()


@click.command("walk")
@click.argument("scenario", required=False, type=click.Path(exists=True, dir_okay=False))
def walk(scenario: str | None) -> None:
    """An interactive prompt over a World: the scenario verbs, `undo`, `save FILE`, `help`.

    With SCENARIO, start from its cast and run its steps first.
    """
    loaded = None
    if scenario is not None:
        try:
            loaded = load_file(scenario)
        except InvalidScenario as invalid:
            click.echo(str(invalid), err=True)
            raise click.exceptions.Exit(2) from None
    interactive = sys.stdin.isatty()
    shell = WalkShell(loaded, stdin=None if interactive else sys.stdin, stdout=sys.stdout)
    shell.cmdloop()
