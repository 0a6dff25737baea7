"""`bindsim walk [SCENARIO]`: the scenario verbs at an interactive prompt over one World.

Each command is turned into the same model.Step a scenario file holds, validated by the same
validator and run by the same runner, so `save FILE` writes a scenario that replays exactly. The
one-line grammar (`invite gb alice`) and Tab completion are derived from the format's declaration
(format.py): a new verb or creator fact appears here without an edit.
"""

from __future__ import annotations

import cmd
import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import click

from bindsim.machines import CreatorApp, SellerCenter
from bindsim.machines.durations import spoken_duration
from bindsim.simulator.errors import BindSimError, ScenarioError
from bindsim.simulator.files import read_capped, write_atomic
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.format import (
    CHECKS,
    CREATOR_FACTS,
    SHOP_FIELDS,
    VERBS,
    Bad,
    Checks,
    Field,
    Fields,
    Scalar,
    SetFacts,
    Shape,
    ValueType,
    Verb,
)
from bindsim.simulator.scenario.loader import parse_yaml
from bindsim.simulator.scenario.runner import StepResult, build_world, caught_up, run_step, show
from bindsim.simulator.scenario.validate import InvalidScenario, Validator, load_file
from bindsim.simulator.terminal import shown
from bindsim.simulator.world import World

PROMPT = "bindsim> "
SUFFIX = ".scenario.yaml"
HISTORY_LENGTH = 1000
MAX_HISTORY_BYTES = 1024 * 1024  # HISTORY_LENGTH lines of a walk fit many times over
SESSION_COMMANDS = ("show", "log", "undo", "save", "diagram", "shop", "creator", "help", "quit")
_PAIR = re.compile(r"""(\w+)=(\[[^\]]*\]|\{[^}]*\}|"[^"]*"|'[^']*'|\S+)""")
_NOT_TEXT = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)


class InputError(BindSimError):
    """A command line that cannot be turned into a step; the message says why."""


@dataclass
class Session:
    """What `save` writes: the cast, the start, the rules, and every step that was recorded."""

    name: str = "A bindsim walk session"
    rules: tuple[str, ...] = ()
    start: datetime = model.DEFAULT_START
    start_from: str | None = None
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
            start_from=self.start_from,
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


def _word(value: str) -> str:
    return model.scalar(value)


def scenario_path(name: str) -> Path:
    """Where `save NAME` writes: NAME with `.scenario.yaml` (replacing a bare .yaml / .yml)."""
    if name.endswith(SUFFIX):
        return Path(name)
    for plain in (".yaml", ".yml"):
        if name.endswith(plain):
            return Path(name[: -len(plain)] + SUFFIX)
    return Path(name + SUFFIX)


def history_file() -> Path:
    """Where the prompt's history is kept between sessions ($BINDSIM_HISTORY, or XDG state)."""
    chosen = os.environ.get("BINDSIM_HISTORY")
    if chosen:
        return Path(chosen)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "bindsim" / "walk_history"


def _usage(verb: Verb) -> str:
    """`invite SHOP CREATOR [ROLE]`: a verb's one-line form, from its declaration."""
    return " ".join([verb.name, *_USAGE[type(verb.shape)](verb.shape)])


def _fields_usage(shape: Shape) -> list[str]:
    words = []
    for spec in shape.fields().values():
        word = "LABEL, LABEL, …" if spec.type.rest else spec.name.upper()
        if spec.named:
            word = f"{spec.name}={spec.name.upper()}"
        words.append(word if spec.required else f"[{word}]")
    return words


_USAGE: dict[type[Shape], Callable[[Shape], list[str]]] = {
    Fields: _fields_usage,
    Scalar: lambda shape: [shape.type.name.upper()] if isinstance(shape, Scalar) else [],
    SetFacts: lambda shape: ["CREATOR|SHOP", "fact=value", "…"],
    Checks: lambda shape: ["KIND", "SUBJECT…", "fact=value", "…"],
}


class WalkShell(cmd.Cmd):
    """The walk prompt. Every verb of the scenario format is a command; see `help VERB`."""

    banner = (
        "bindsim walk: the scenario verbs at a prompt. `help` lists them, `help VERB` shows one;\n"
        "`save FILE` writes this session as a scenario, `undo` steps back, `quit` ends.\n"
        "Ctrl-C cancels the line; Tab completes."
    )
    prompt = PROMPT

    def __init__(
        self,
        scenario: model.Scenario | None = None,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        interactive: bool | None = None,
    ) -> None:
        super().__init__(stdin=stdin, stdout=stdout)
        self.use_rawinput = stdin is None
        self.interactive = self.use_rawinput if interactive is None else interactive
        self.echo = stdin is not None  # a transcript shows what was typed after the prompt
        self.session = Session()
        self.history: list[tuple[Session, str]] = []  # (the session before, what changed it)
        self.changed = False  # unsaved changes since the start or the last save
        self.owners = RecordOwners()
        if scenario is not None:
            self.session = Session(
                name=scenario.name,
                rules=scenario.rules,
                start=scenario.start,
                start_from=scenario.start_from,
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
            self.changed = False

    # ------------------------------------------------------------ output

    def say(self, text: str = "") -> None:
        self.stdout.write(shown(text) + "\n")  # a name's ESC[2J must not clear the screen

    def show_state(self) -> None:
        world = self.world
        now = caught_up(world)
        self.say(f"── {now.strftime('%Y-%m-%d %H:%M:%S')} UTC ({now.strftime('%a')}) ──")
        creators = [c.id for c in self.session.creators] + self._snapshot_ids(world.creators)
        shops = [s.id for s in self.session.shops] + self._snapshot_ids(world.shops)
        for title, ids, verb in (("phones", creators, "tap"), ("seller center", shops, "click")):
            if not ids:
                continue
            self.say(f"{title}:")
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
                self.say(line)
        timers = describe_timers(world, self.owners)
        if timers:
            self.say("timers:")
            for text in timers:
                self.say(f"  {text}")

    def _snapshot_ids(self, ids: Any) -> list[str]:
        """Ids a snapshot brought (start_from): shown too, after the declared ones."""
        return list(ids) if self.session.start_from is not None else []

    def report(self, result: StepResult) -> None:
        step = result.step
        if result.outcome in ("error", "not applicable"):
            self.say(f"✗ {result.message}")
            return
        for entry in result.timers:
            self.say(f"  ⏰ {entry.describe()}")
        if step.checks:
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
        shops = {s.id for s in self.session.shops} | set(self._snapshot_ids(self.world.shops))
        creators = {c.id for c in self.session.creators}
        creators |= set(self._snapshot_ids(self.world.creators))
        return Validator("<input>", shops=shops, creators=creators)

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
        except Bad as bad:
            raise InputError(bad.message) from None
        if validator.errors:
            raise InputError("; ".join(e.text for e in validator.errors))
        return step

    def _apply(self, step: model.Step, quiet: bool = False) -> StepResult | None:
        """Run a step; record it (a refusal with its codes as expect_error) if it holds or acted."""
        mark = self.world.logged
        result = run_step(self.world, step, len(self.session.steps) + 1)
        if not quiet:
            self.report(result)
        verb = VERBS[step.verb]
        acted = self.world.logged > mark or verb.clock is not None
        failed = result.outcome in ("error", "not applicable")
        if failed or (step.checks and not result.passed):
            if acted and failed:
                self.rebuild()  # part of a tap or click list happened before the error
            return result if not failed else None
        if not step.checks and (result.passed is False or not quiet):
            codes = result.reasons if result.outcome == "refused" else None
            step = replace(step, expect_error=codes)
        self._record(f"step {step.describe()}")
        self.session.steps.append(step)
        return result

    def _record(self, what: str) -> None:
        """Keep the session as it was before a change, for undo."""
        self.history.append((self.session.copy(), what))
        self.changed = True

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

    def translate(self, verb_name: str, arg: str) -> str:
        """The one-line form as YAML flow text for the validator."""
        verb = VERBS.get(verb_name)
        if verb is None:
            raise InputError(f"unknown verb {verb_name!r}")
        return f"{verb_name}: {_TRANSLATE[type(verb.shape)](self, verb, arg.strip())}"

    def _fields_text(self, verb: Verb, arg: str) -> str:
        spec = verb.shape.fields()
        positional = [f for f in spec.values() if not f.named and not f.type.rest]
        rest_field = next((f for f in spec.values() if f.type.rest), None)
        values: dict[str, str] = {}
        remaining_text = arg
        while remaining_text:
            word, _, after = remaining_text.partition(" ")
            key, equals, value = word.partition("=")
            if equals and key in spec and not spec[key].type.rest:
                values[key] = _word(value)
            elif positional:
                values[positional.pop(0).name] = _word(word)
            elif rest_field is not None:
                labels = [_word(label.strip()) for label in remaining_text.split(",")]
                values[rest_field.name] = "[" + ", ".join(label for label in labels if label) + "]"
                break
            else:
                raise InputError(f"{verb.name} takes: {_usage(verb).partition(' ')[2]}")
            remaining_text = after.strip()
        missing = [f.name for f in spec.values() if f.required and f.name not in values]
        if missing:
            raise InputError(f"{verb.name} takes: {_usage(verb).partition(' ')[2]}")
        return "{" + ", ".join(f"{key}: {value}" for key, value in values.items()) + "}"

    def _scalar_text(self, verb: Verb, arg: str) -> str:
        words = arg.split()
        if len(words) != 1:
            raise InputError(f"{verb.name} takes: {_usage(verb).partition(' ')[2]}")
        return words[0]

    def _set_text(self, verb: Verb, arg: str) -> str:
        owner, _, rest = arg.partition(" ")
        if not owner:
            raise InputError("set takes an id and facts: set alice network=US")
        key = "shop" if owner in self.validator().shops else "creator"
        return f"{{{key}: {_word(owner)}, {self._pairs(rest)}}}"

    def _checks_text(self, verb: Verb, arg: str) -> str:
        kind_name, _, rest = arg.partition(" ")
        if kind_name not in CHECKS:
            raise InputError(f"expect what? one of: {', '.join(CHECKS)}")
        kind = CHECKS[kind_name]
        words = rest.split()
        subject_words = words[: len(kind.subject)] if kind.subject else words[:1]
        names = [f.name.upper() for f in kind.subject] or [kind_name.upper()]
        if len(subject_words) < len(names):
            raise InputError(f"expect {kind_name} takes: {' '.join(names)} fact=value …")
        if not kind.subject:
            return f"{{{kind_name}: {subject_words[0]}}}"
        pairs = self._pairs(" ".join(words[len(names) :]))
        if len(kind.subject) == 2:
            subject = ", ".join(
                f"{f.name}: {_word(w)}" for f, w in zip(kind.subject, subject_words, strict=True)
            )
            subject = "{" + subject + "}"
        else:
            subject = _word(subject_words[0])
        return f"{{{kind_name}: {subject}" + (f", {pairs}" if pairs else "") + "}"

    def _pairs(self, text: str) -> str:
        pairs = _PAIR.findall(text)
        leftover = _PAIR.sub("", text).strip()
        if leftover:
            raise InputError(f"expected key=value, got {leftover!r}")
        return ", ".join(f"{key}: {value}" for key, value in pairs)

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
            if kind == "shop":
                shop = validator.shop_spec(ident, node)
                self.world.add_shop(shop.id, region=shop.region, kind=shop.kind, status=shop.status)
                self._record(f"shop {ident}")
                self.session.shops.append(shop)
            else:
                creator = validator.creator_spec(ident, node)
                if creator is None:
                    raise InputError("; ".join(e.text for e in validator.errors))
                self.world.add_creator(creator.id, **dict(creator.facts))
                self._record(f"creator {ident}")
                self.session.creators.append(creator)
        except Bad as bad:
            raise InputError(bad.message or "; ".join(e.text for e in validator.errors)) from None
        except BindSimError as error:
            raise InputError(str(error)) from None
        self.say(f"✓ {kind} {ident} added")

    # ------------------------------------------------------------ the loop

    def cmdloop(self, intro: Any = None) -> None:
        """cmd.Cmd's loop, except that Ctrl-C cancels the line (or the command) instead of
        ending the session, and a line that is not UTF-8 text is refused."""
        if self.use_rawinput and sys.stdin.isatty():
            # Started from a shell that ignores SIGINT (a background job), Python would never
            # raise KeyboardInterrupt; at a terminal, Ctrl-C should cancel the line.
            with contextlib.suppress(ValueError):  # not the main thread: leave it
                if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
                    signal.signal(signal.SIGINT, signal.default_int_handler)
        self.preloop()
        stop = False
        while not stop:
            try:
                line = self.read_line()
            except KeyboardInterrupt:
                self.say("^C (line cancelled; `quit` ends the walk)")
                continue
            line = self.precmd(line)
            try:
                stop = bool(self.onecmd(line))
            except KeyboardInterrupt:
                self.rebuild()
                self.say("^C (command interrupted; the World is as the session says)")
                continue
            stop = self.postcmd(stop, line)
        self.postloop()

    def read_line(self) -> str:
        if self.use_rawinput:
            try:
                return input(self.prompt)
            except EOFError:
                return "EOF"
        self.stdout.write(self.prompt)
        self.stdout.flush()
        try:
            line = self.stdin.readline()
        except UnicodeDecodeError:
            return "\udcff"  # refused by precmd, like any line that is not UTF-8
        return line.rstrip("\r\n") if line else "EOF"

    def get_names(self) -> list[str]:
        return [name for name in super().get_names() if name != "do_EOF"]

    def precmd(self, line: str) -> str:
        if _NOT_TEXT.search(line):
            self.say("✗ that line holds bytes that are not UTF-8 text; nothing was done")
            return ""
        if self.echo and line.strip() and line != "EOF":
            self.say(line.rstrip("\n"))
        return line

    def emptyline(self) -> bool:
        return False

    def default(self, line: str) -> None:
        text = line.strip()
        match = re.match(r"(\w+)\s*(.*)", text, re.S)
        verb, arg = (match[1], match[2]) if match else ("", text)
        if verb in VERBS:
            self.one_line(verb, arg)
            if not isinstance(VERBS[verb].shape, Checks):
                self.show_state()
            return
        if text.startswith(("{", "- ")):
            self.run_text(text)
            self.show_state()
            return
        self.say(f"✗ unknown command {text.split()[0]!r}; `help` lists the commands")

    def completenames(self, text: str, *ignored: Any) -> list[str]:
        names = [*VERBS, *SESSION_COMMANDS, "exit"]
        return [f"{name} " for name in names if name.startswith(text)]

    def do_help(self, arg: str) -> None:
        """help [VERB] — the commands, or one of them."""
        topic = arg.strip()
        if not topic:
            self.say("verbs (as in scenario files; `help VERB` for one):")
            for verb in VERBS.values():
                self.say(f"  {_usage(verb):<44} {verb.help}")
            self.say("session: " + ", ".join(SESSION_COMMANDS) + "  ·  help labels")
            return
        if topic in VERBS:
            verb = VERBS[topic]
            rules = f" ({', '.join(verb.rules)})" if verb.rules else ""
            self.say(f"{_usage(verb)} — {verb.help}{rules}")
            if topic == "expect":
                for kind in CHECKS.values():
                    subject = " ".join(f.name.upper() for f in kind.subject) or kind.name.upper()
                    facts = " ".join(f"{name}=…" for name in kind.facts if name != kind.name)
                    self.say(f"  expect {kind.name} {subject} {facts}".rstrip())
            return
        if topic == "labels":
            self.say("creator app (tap): " + ", ".join(CreatorApp.labels()))
            self.say("Seller Center (click): " + ", ".join(SellerCenter.labels()))
            return
        handler = getattr(self, f"do_{topic}", None)
        if handler is None or not handler.__doc__:
            self.say(f"✗ no help on {topic!r}; `help` lists the commands")
            return
        self.say(" ".join(handler.__doc__.split()))

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
        """Draw one live machine of the World; return the file written."""
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
                record = self.world.latest_ticket(ids[0], ids[1])
            else:
                raise InputError("diagram invitation|binding|ticket SHOP CREATOR, or screen ID")
            from bindsim.diagrams.output import EXTENSIONS
            from bindsim.simulator.commands.pictures import save

            fmt, lang = options.get("format", "svg"), options.get("lang", "en")
            data = diagrams.render(record, fmt, lang, ruleset=self.world.rules)
            stem = f"{record.id.replace(':', '-')}.{lang}"
            out = options.get("out", "out/walk")
            try:
                return save(Path(out) / f"{stem}.{EXTENSIONS[fmt]}", data)
            except OSError as error:  # CannotWrite: it says which file and why
                raise InputError(str(error)) from None
        except (BindSimError, ValueError, RuntimeError) as error:
            raise InputError(str(error)) from None

    def do_undo(self, arg: str) -> None:
        """undo — step back: the session is replayed without its last step (or cast change)."""
        if not self.history:
            self.say("✗ nothing to undo")
            return
        self.session, what = self.history.pop()
        self.changed = True
        self.rebuild()
        self.say(f"✓ undid {what}")
        self.show_state()

    def do_save(self, arg: str) -> None:
        """save [--force] FILE — write the session as a scenario file that replays to the same
        result (.scenario.yaml is added when missing; --force replaces an existing file)."""
        words = arg.split()
        force = "--force" in words
        names = [w for w in words if w != "--force"]
        if len(names) != 1:
            self.say("✗ save FILE: say where, e.g. save lock (written as lock.scenario.yaml)")
            return
        self.save(names[0], force)

    def save(self, name: str, force: bool = False) -> bool:
        """Write the session to `name` (see scenario_path); False when it was not written."""
        path = scenario_path(name)
        try:
            exists = path.exists()
        except (OSError, ValueError):
            exists = False
        if exists and not force:
            self.say(f"✗ {path} exists; `save --force {name}` replaces it")
            return False
        try:
            write_atomic(path, self.session.scenario(str(path)).to_yaml())
        except BindSimError as error:  # the session goes on: save it somewhere else
            self.say(f"✗ {error}")
            return False
        self.changed = False
        self.say(f"✓ saved {len(self.session.steps)} steps to {path}")
        return True

    def do_shop(self, arg: str) -> None:
        """shop ID region=GB [kind=open|invited] [status=normal|abnormal] — add a shop."""
        self._guarded(lambda: self.add("shop", arg))

    def do_creator(self, arg: str) -> None:
        """creator ID country=GB age=24 [network=FR registration_country=DE status=... followers=N
        ecommerce_permission=false] — add a TikTok account."""
        self._guarded(lambda: self.add("creator", arg))

    def _guarded(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except InputError as error:
            self.say(f"✗ {error}")

    def do_quit(self, arg: str) -> bool:
        """quit — end the walk (Ctrl-D too); unsaved steps are offered for saving first."""
        return self.leave()

    do_exit = do_quit

    def do_EOF(self, arg: str) -> bool:  # noqa: N802 - cmd.Cmd's name for end of input
        """Ctrl-D ends the walk."""
        self.say()
        return self.leave()

    def leave(self) -> bool:
        """True to end the session; with unsaved changes, ask where to save them first."""
        if not self.changed:
            return True
        count = len(self.session.steps)
        if not self.interactive:
            self.say(f"⚠ {count} steps were not saved: end the input with `save FILE` to keep them")
            return True
        while True:
            try:
                answer = input(f"{count} unsaved steps. Save as (FILE, Enter to discard): ")
            except KeyboardInterrupt:
                self.say("\n(back to the walk)")
                return False
            except EOFError:
                answer = ""
            words = answer.split()
            if not words:
                self.say(f"discarded {count} unsaved steps")
                return True
            if self.save(words[-1], force="--force" in words):
                return True

    def _verb(self, verb: str, arg: str) -> None:
        self.one_line(verb, arg)
        self.show_state()

    # ------------------------------------------------------------ completion

    def completedefault(self, text: str, line: str, begidx: int, endidx: int) -> list[str]:
        words = line[:begidx].split()
        verb = words[0] if words else ""
        if verb in VERBS:
            shape = VERBS[verb].shape
            return _COMPLETE[type(shape)](self, VERBS[verb], text, line, begidx, endidx)
        if verb in ("shop", "creator") and len(words) >= 2:
            spec = SHOP_FIELDS if verb == "shop" else CREATOR_FACTS
            return self._complete_pairs(spec, text)
        return []

    def _values(
        self, value_type: ValueType, prefix: str, text: str, space: bool = True
    ) -> list[str]:
        end = " " if space else ""
        return [
            f"{prefix}{choice}{end}"
            for choice in value_type.choices(self.validator())
            if f"{prefix}{choice}".startswith(text)
        ]

    def _complete_pairs(self, spec: dict[str, Field], text: str) -> list[str]:
        """`name=` for each field, or `name=value` once the name is typed."""
        name, equals, _ = text.partition("=")
        if equals and name in spec:
            return self._values(spec[name].type, f"{name}=", text)
        return [f"{n}=" for n in spec if f"{n}=".startswith(text)]

    def _complete_fields(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        spec = verb.shape.fields()
        positional = [f for f in spec.values() if not f.named and not f.type.rest]
        rest_field = next((f for f in spec.values() if f.type.rest), None)
        typed = line[len(verb.name) : begidx].split()
        given = [w for w in typed if not ("=" in w and w.partition("=")[0] in spec)]
        name, equals, _ = text.partition("=")
        if equals and name in spec:
            return self._values(spec[name].type, f"{name}=", text)
        if len(given) < len(positional):
            spec_field = positional[len(given)]
            return self._values(spec_field.type, "", text)
        if rest_field is None:
            named = [f for f in spec.values() if f.named and f"{f.name}=" not in line]
            return [f"{f.name}=" for f in named if f"{f.name}=".startswith(text)]
        return self._complete_labels(verb, spec, len(positional), text, line, endidx)

    def _complete_labels(
        self, verb: Verb, spec: dict[str, Field], owners: int, text: str, line: str, endidx: int
    ) -> list[str]:
        """The labels shown after tapping (clicking) the labels typed before, on a copy."""
        parts = line[len(verb.name) : endidx].lstrip().split(" ", owners)
        if len(parts) <= owners:
            return []
        owner, rest = parts[0], parts[owners].lstrip()
        named: dict[str, str] = {}
        while True:
            word, space, after = rest.partition(" ")
            key, equals, value = word.partition("=")
            if not (equals and space and key in spec and not spec[key].type.rest):
                break
            named[key], rest = value, after.lstrip()
        earlier = [label.strip() for label in rest.split(",")[:-1]]
        partial = rest.split(",")[-1].lstrip()
        labels = self._labels_after(verb.name, owner, earlier, named.get("account"))
        if not earlier and not partial:
            labels += [f"{f.name}=" for f in spec.values() if f.named and f.name not in named]
        cut = len(partial) - len(text)
        if cut < 0:
            return []
        return [label[cut:] for label in labels if label.startswith(partial)]

    def _labels_after(
        self, verb: str, owner: str, earlier: list[str], account: str | None
    ) -> list[str]:
        if owner not in self.validator().shops | self.validator().creators:
            return []
        world = self.world
        if earlier:
            try:
                world = self.world.copy()  # cheap: the records are shared, being immutable
                for label in earlier:
                    if verb == "tap":
                        world.tap(owner, label)
                    else:
                        world.click(owner, label, account=account)
            except BindSimError:
                return []
        try:
            return list(world.screen(owner).visible)
        except BindSimError:
            return []

    def _complete_scalar(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        assert isinstance(verb.shape, Scalar)
        if len(line[:begidx].split()) > 1:
            return []
        if verb.shape.type.name == "time":
            return [f"{model.scalar(caught_up(self.world))} "]
        return self._values(verb.shape.type, "", text)

    def _complete_set(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        assert isinstance(verb.shape, SetFacts)
        words = line[:begidx].split()
        cast = self.validator()
        if len(words) < 2:
            return [f"{i} " for i in sorted(cast.shops | cast.creators) if i.startswith(text)]
        target = "shop" if words[1] in cast.shops else "creator"
        return self._complete_pairs(verb.shape.targets[target][1], text)

    def _complete_checks(
        self, verb: Verb, text: str, line: str, begidx: int, endidx: int
    ) -> list[str]:
        words = line[:begidx].split()
        if len(words) < 2:
            return [f"{k} " for k in CHECKS if k.startswith(text)]
        kind = CHECKS.get(words[1])
        if kind is None:
            return []
        index = len(words) - 2
        if kind.subject and index < len(kind.subject):
            return self._values(kind.subject[index].type, "", text)
        if not kind.subject:
            return self._values(kind.facts[kind.name].type, "", text) if index == 0 else []
        spec = {name: Field(name, fact.type) for name, fact in kind.facts.items()}
        return self._complete_pairs(spec, text)

    def preloop(self) -> None:
        if self.use_rawinput:
            try:
                import readline

                readline.set_completer(self.complete)  # type: ignore[arg-type]  # typeshed
                readline.parse_and_bind(f"{self.completekey}: complete")
                readline.set_completer_delims(" \t\n,")
                readline.set_history_length(HISTORY_LENGTH)
                # No history yet, or one that cannot be read: start a new one. Read as any
                # file bindsim reads: a regular file, with a cap.
                with contextlib.suppress(OSError, ValueError):
                    history = read_capped(history_file(), MAX_HISTORY_BYTES)
                    for line in history.decode("utf-8", "replace").splitlines():
                        readline.add_history(line)
            except ImportError:  # pragma: no cover - no readline on this platform
                pass
        self.say(self.banner)
        self.show_state()

    def postloop(self) -> None:
        if not self.use_rawinput:
            return
        try:
            import readline
        except ImportError:  # pragma: no cover
            return
        count = readline.get_current_history_length()
        lines = [readline.get_history_item(i) or "" for i in range(1, count + 1)]
        target = history_file()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, "".join(f"{line}\n" for line in lines[-HISTORY_LENGTH:]))
        except (OSError, BindSimError) as error:
            self.say(f"(the history was not kept: {error})")


_TRANSLATE: dict[type[Shape], Callable[[WalkShell, Verb, str], str]] = {
    Fields: WalkShell._fields_text,
    Scalar: WalkShell._scalar_text,
    SetFacts: WalkShell._set_text,
    Checks: WalkShell._checks_text,
}
_COMPLETE: dict[type[Shape], Callable[..., list[str]]] = {
    Fields: WalkShell._complete_fields,
    Scalar: WalkShell._complete_scalar,
    SetFacts: WalkShell._complete_set,
    Checks: WalkShell._complete_checks,
}


@click.command("walk")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
def walk(scenario: str | None) -> None:
    """An interactive prompt over a World: the scenario verbs, `undo`, `save FILE`, `help`.

    With SCENARIO, start from its cast and run its steps first (a cast file without steps
    works too).
    """
    loaded = None
    if scenario is not None:
        try:
            loaded = load_file(scenario, require_steps=False)
        except InvalidScenario as invalid:
            click.echo(str(invalid), err=True)
            raise click.exceptions.Exit(2) from None
    stdin = sys.stdin
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="surrogateescape")  # a non-UTF-8 line is refused, not fatal
    interactive = stdin.isatty()
    shell = WalkShell(loaded, stdin=None if interactive else stdin, stdout=sys.stdout)
    shell.cmdloop()
