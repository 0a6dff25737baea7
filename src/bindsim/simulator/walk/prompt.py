"""The walk prompt: a cmd.Cmd shell over one World whose every line becomes the model.Step a
scenario file holds, validated by the same validator and run by the same runner, so that `save
FILE` writes a scenario that replays exactly. The grammar, completion and display are modules of
their own beside this one."""

from __future__ import annotations

import cmd
import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from bindsim.errors import Bad, BindSimError, InputError, ScenarioError
from bindsim.machines.compiled import CREATOR_APP, SELLER_CENTER
from bindsim.simulator.files import read_capped, write_atomic, write_file
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.expect import CHECKS
from bindsim.simulator.scenario.format import VERBS, Checks
from bindsim.simulator.scenario.loader import parse_yaml
from bindsim.simulator.scenario.runner import StepResult, build_world, run_step
from bindsim.simulator.scenario.validate import Validator
from bindsim.simulator.terminal import shown
from bindsim.simulator.walk.completion import Completion
from bindsim.simulator.walk.display import RecordOwners, result_lines, state_lines
from bindsim.simulator.walk.grammar import pairs, translate, usage

PROMPT = "bindsim> "
SUFFIX = ".scenario.yaml"
HISTORY_LENGTH = 1000
MAX_HISTORY_BYTES = 1024 * 1024  # HISTORY_LENGTH lines of a walk fit many times over
SESSION_COMMANDS = ("show", "log", "undo", "save", "diagram", "shop", "creator", "help", "quit")
_NOT_TEXT = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)


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


class WalkShell(Completion, cmd.Cmd):
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
        creators = [c.id for c in self.session.creators] + self._snapshot_ids(self.world.creators)
        shops = [s.id for s in self.session.shops] + self._snapshot_ids(self.world.shops)
        for line in state_lines(self.world, creators, shops, self.owners):
            self.say(line)

    def _snapshot_ids(self, ids: Any) -> list[str]:
        """Ids a snapshot brought (start_from): shown too, after the declared ones."""
        return list(ids) if self.session.start_from is not None else []

    def report(self, result: StepResult) -> None:
        for line in result_lines(result):
            self.say(line)

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
            text = translate(verb, arg, self.validator().shops)
        except InputError as error:
            self.say(f"✗ {error}  (help {verb})")
            return
        self.run_text(text)

    # ------------------------------------------------------------ the cast

    def add(self, kind: str, arg: str) -> None:
        ident, _, rest = arg.strip().partition(" ")
        if not ident:
            raise InputError(f"{kind} takes an id and facts: {kind} ID key=value ...")
        try:
            node = parse_yaml(f"{{{pairs(rest)}}}", "<input>")
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
                self.say(f"  {usage(verb):<44} {verb.help}")
            self.say("session: " + ", ".join(SESSION_COMMANDS) + "  ·  help labels")
            return
        if topic in VERBS:
            verb = VERBS[topic]
            rules = f" ({', '.join(verb.rules)})" if verb.rules else ""
            self.say(f"{usage(verb)} — {verb.help}{rules}")
            if topic == "expect":
                for kind in CHECKS.values():
                    subject = " ".join(f.name.upper() for f in kind.subject) or kind.name.upper()
                    facts = " ".join(f"{name}=…" for name in kind.facts if name != kind.name)
                    self.say(f"  expect {kind.name} {subject} {facts}".rstrip())
            return
        if topic == "labels":
            self.say("creator app (tap): " + ", ".join(CREATOR_APP.labels()))
            self.say("Seller Center (click): " + ", ".join(SELLER_CENTER.labels()))
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

            fmt, lang = options.get("format", "svg"), options.get("lang", "en")
            data = diagrams.render(record, fmt, lang, ruleset=self.world.rules)
            stem = f"{record.id.replace(':', '-')}.{lang}"
            out = options.get("out", "out/walk")
            try:
                return write_file(Path(out) / f"{stem}.{EXTENSIONS[fmt]}", data)
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
            write_file(target, "".join(f"{line}\n" for line in lines[-HISTORY_LENGTH:]))
        except (OSError, BindSimError) as error:
            self.say(f"(the history was not kept: {error})")
