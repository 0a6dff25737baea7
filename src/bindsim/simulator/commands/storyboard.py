"""`bindsim storyboard`: a scenario replayed step by step as slides (HTML, PDF, PPTX), for trainers.

The replay uses the scenario runner's `build_world` and `run_step`, and reads the World only
through its public API after each step: the screens (`world.screen`), the records' `.states`,
`world.pending_timers()` and the step's log entries. The slides are plain data
(`diagrams.storyboard`); the diagrams package draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bindsim import World, diagrams
from bindsim.diagrams import words
from bindsim.diagrams.storyboard import (
    Button,
    Deadline,
    Diagram,
    MockScreen,
    Slide,
    Storyboard,
)
from bindsim.diagrams.storyboard_plan import StoryboardPictures, deck_file, picture_formats
from bindsim.diagrams.storyboard_plan import storyboard_files as board_files
from bindsim.errors import BindSimError, CannotWrite, InvalidScenario, ScenarioError
from bindsim.extras import require
from bindsim.machines import CreatorApp, SellerCenter
from bindsim.machines.spec import spec_of
from bindsim.machines.text import LANGS, Lang, Text
from bindsim.simulator.actions import ACTION_WORDS, ACTIONS
from bindsim.simulator.commands.pictures import (
    DrawingOptions,
    InvalidInput,
    drawing_options,
    write_plan,
)
from bindsim.simulator.scenario import Scenario, Step, StepResult, build_world, load_file, run_step

DOMAIN = ("Invitation", "Binding", "SupportTicket")  # records a slide's diagram prefers
SCREENS = {"app": CreatorApp, "center": SellerCenter}


# Which side of the flow each verb acts on: the phone (creator) or Seller Center (shop).
def _side(verb: str) -> str | None:
    """The screen a step acts on: the creator's app or the shop's Seller Center (or none)."""
    action = ACTIONS.get(verb)
    return action.side if action is not None else None


def _shortcut_labels(step: Step) -> tuple[str, ...]:
    """The labels a shortcut walks (the World's own paths, read from the actions table)."""
    action = ACTIONS.get(step.verb)
    if action is None or action.path is None:
        return ()
    args = step.to_data()[step.verb]
    return action.path(args if isinstance(args, dict) else {})


def replay(scenario: Scenario) -> Storyboard:
    """Run the scenario step by step and describe each step as a slide (up to a failed step:
    the run stops there, as `bindsim run` does)."""
    world = build_world(scenario)
    start = world.now
    slides: list[Slide] = []
    focus: _Focus | None = None
    total = len(scenario.steps)
    for index, step in enumerate(scenario.steps, start=1):
        before = _before_last_label(world, step)
        result = run_step(world, step, index)
        focus = _focus(world, step, result, focus)
        slides.append(
            Slide(
                number=index,
                total=total,
                text=_step_text(step),
                step=step.describe(),
                note=step.note,
                at=result.at or world.now,
                until=result.until or world.now,
                elapsed=words.elapsed_text((result.until or world.now) - start),
                outcome=_outcome(step, result),
                reasons=result.reasons if result.outcome == "refused" else (),
                messages=_messages(result),
                screens=_screens(world, step, before),
                diagram=focus.diagram(world) if focus is not None else None,
                deadlines=_deadlines(world),
                fired=tuple(_fired(entry, start) for entry in result.timers),
            )
        )
        if result.passed is False:
            break
    return Storyboard(
        name=diagrams.scenario_stem(scenario.path),
        title=Text(scenario.title("en"), scenario.title("zh")),
        description=Text(scenario.about("en"), scenario.about("zh")),
        start=start,
        slides=tuple(slides),
        zone=scenario.zone,
    )


def storyboard_files(
    scenario: Scenario,
    langs: Sequence[Lang],
    formats: Sequence[str],
    pictures: StoryboardPictures,
    folder: str = "",
) -> list[diagrams.Planned]:
    """The scenario's storyboard files (<folder><name>.<lang>.<format>)."""
    return board_files(replay(scenario), langs, formats, pictures, folder)


# ----------------------------------------------------------------------- the screens


def _labels(step: Step) -> tuple[str, ...]:
    if step.verb not in ("tap", "click"):
        return ()
    on = step.to_data()[step.verb]["on"]
    return tuple(on) if isinstance(on, list) else (on,)


def _owner(step: Step, side: str) -> str | None:
    value = getattr(step, "creator" if side == "app" else "shop", None)
    return value if isinstance(value, str) else None


def _before_last_label(world: World, step: Step) -> Any:
    """The screen on which a tap or click step's last label is met (on a copy of the World)."""
    labels = _labels(step)
    side = _side(step.verb)
    owner = _owner(step, side) if side else None
    if not labels or owner is None:
        return None
    try:
        if len(labels) == 1:
            return world.screen(owner)
        copy = World.from_dict(world.to_dict())
        for label in labels[:-1]:
            if side == "app":
                copy.tap(owner, label)
            else:
                copy.click(owner, label, getattr(step, "account", None))
        return copy.screen(owner)
    except BindSimError:
        return None  # the step fails before its last label: the slide shows where it stopped


def _screens(world: World, step: Step, before: Any) -> tuple[MockScreen, ...]:
    side = _side(step.verb)
    if step.verb == "set":
        side = "app" if step.to_data()["set"].get("creator") is not None else "center"
        owner = step.to_data()["set"].get("creator") or step.to_data()["set"].get("shop")
    else:
        owner = _owner(step, side) if side else None
    if side is None or not isinstance(owner, str):
        return ()
    try:
        after = world.screen(owner)
    except BindSimError:
        return ()
    labels = _labels(step)
    machine = SCREENS[side]
    if before is not None and labels:
        shown = before
        now_on = None if after.id == before.id else Text(after.title, after.title_zh)
        path = tuple(spec_of(machine).label_words(label) for label in labels[:-1])
        return (_mock(side, owner, shown, machine, labels[-1], path, now_on),)
    last = (labels or _shortcut_labels(step) or ("",))[-1]
    on_screen = last in after.visible or last in after.hidden  # a refused last tap stays there
    return (_mock(side, owner, after, machine, last if on_screen else None, (), None),)


def _mock(
    side: str,
    owner: str,
    screen: Any,
    machine: Any,
    tapped: str | None,
    path: tuple[Text, ...],
    now_on: Text | None,
) -> MockScreen:
    tapped_event = machine.label_event(tapped) if tapped else None
    buttons = [
        Button(
            spec_of(machine).label_words(label),
            tapped=tapped_event is not None and machine.label_event(label) == tapped_event,
        )
        for label in screen.visible
    ]
    buttons += [
        Button(
            spec_of(machine).label_words(label),
            visible=False,
            hidden_reason=_codes(reason),
            tapped=tapped_event is not None and machine.label_event(label) == tapped_event,
        )
        for label, reason in screen.hidden.items()
    ]
    return MockScreen(
        kind=side,
        owner=owner,
        title=Text(screen.title, screen.title_zh),
        buttons=tuple(buttons),
        info=tuple(_info(key, value) for key, value in screen.info.items()),
        path=path,
        now_on=now_on,
    )


def _codes(reasons: object) -> str | None:
    """Why a label is hidden, as the reason codes in one line (a screen may give one or several)."""
    if reasons is None or isinstance(reasons, str):
        return reasons
    return ", ".join(str(code) for code in reasons if code) or None  # type: ignore[attr-defined]


def _info(key: str, value: object) -> Text:
    if key in words.SCREEN_COUNTS and isinstance(value, int):
        return words.SCREEN_COUNTS[key](value)
    shown = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    template = words.SCREEN_INFO.get(key, Text(f"{key}: {{value}}", f"{key}:{{value}}"))
    return Text(template.en.format(value=shown), template.zh.format(value=shown))


# ----------------------------------------------------------------------- the diagram


class _Focus:
    """The record a slide's diagram shows: the last one the steps moved, or the binding (or
    invitation) a refused step was about."""

    def __init__(
        self, machine: str, target: str, subject: dict[str, str], states: frozenset[str]
    ) -> None:
        self.machine, self.target, self.subject = machine, target, subject
        self.moved = states  # as the step left it; None-moving steps read the World again

    def states(self, world: World) -> frozenset[str]:
        shop, creator = self.subject.get("shop", ""), self.subject.get("creator", "")
        readers = {
            "Invitation": lambda: world.invitation(shop, creator).states,
            "Binding": lambda: world.binding(shop, creator).states,
            "SupportTicket": lambda: world.ticket(self.target).states,
            "CreatorApp": lambda: frozenset({world.screen(creator).id}),
            "SellerCenter": lambda: frozenset({world.screen(shop).id}),
        }
        try:
            return frozenset(readers[self.machine]())
        except (BindSimError, KeyError):
            return self.moved

    def diagram(self, world: World) -> Diagram:
        who = " → ".join(v for k, v in self.subject.items() if k in ("shop", "creator"))
        return Diagram(self.machine, self.target, who, self.states(world), world.rules)


def _focus(world: World, step: Step, result: StepResult, focus: _Focus | None) -> _Focus | None:
    changes = [
        (change, entry.subject)
        for entry in [*result.entries, *result.timers]
        for change in entry.changes
    ]
    domain = [(c, s) for c, s in changes if c.machine in DOMAIN]
    if result.outcome == "refused" or not changes:
        refused = _refused_record(world, step) if result.outcome == "refused" else None
        return refused or focus
    change, subject = (domain or changes)[-1]
    who = _who(world, change.target, subject)
    return _Focus(change.machine, change.target, who, frozenset(change.after))


def _refused_record(world: World, step: Step) -> _Focus | None:
    """The binding or invitation a refused step was about (UNBIND_LOCKED: the locked binding)."""
    creator = getattr(step, "creator", None)
    shop = getattr(step, "shop", None)
    if not isinstance(shop, str) and isinstance(creator, str):
        shop = _quietly(lambda: world.bound_shop(creator))
    if not (isinstance(shop, str) and isinstance(creator, str)):
        return None
    for machine, read in (("Binding", world.binding), ("Invitation", world.invitation)):
        record = _quietly(lambda read=read: read(shop, creator))
        if record is not None:
            subject = {"shop": shop, "creator": creator}
            return _Focus(machine, str(record.id), subject, frozenset(record.states))
    return None


def _quietly(read: Any) -> Any:
    try:
        return read()
    except BindSimError:
        return None


def _who(world: World, target: str, subject: dict[str, str]) -> dict[str, str]:
    """Shop and creator of a record; a tap names only the creator, the shop is hers."""
    if target.startswith("app:"):
        return {"creator": target.removeprefix("app:")}
    if target.startswith("center:"):
        return {"shop": target.removeprefix("center:")}
    who = {k: v for k, v in subject.items() if k in ("shop", "creator")}
    if "account" in subject and "creator" not in who:
        who["creator"] = subject["account"]
    if "shop" not in who and "creator" in who:
        shop = _quietly(lambda: world.bound_shop(who["creator"]))
        if isinstance(shop, str):
            who = {"shop": shop, **who}
    return who


# ------------------------------------------------------------------- words and times


def _step_text(step: Step) -> Text:
    action = ACTIONS.get(step.verb)
    template = action.says if action is not None else words.CHECK_STEP
    if step.verb != "expect" and action is None:
        return Text(step.describe(), step.describe())
    return Text(
        template.en.format(**_fields(step, "en")), template.zh.format(**_fields(step, "zh"))
    )


def _fields(step: Step, lang: Lang) -> dict[str, str]:
    args = step.to_data()[step.verb]
    if step.verb == "advance":
        return {"by": words.duration_text(args)(lang)}
    if step.verb == "advance_to":
        return {"when": str(args)}
    if step.verb == "expect":
        checks = getattr(step, "checks", ())
        return {"checks": "; ".join(check.describe() for check in checks)}
    fields = {k: str(v) for k, v in args.items()} if isinstance(args, dict) else {}
    if step.verb in ("tap", "click"):
        machine = SCREENS[str(_side(step.verb))]
        fields["on"] = " → ".join(
            spec_of(machine).label_words(label)(lang) for label in _labels(step)
        )
    if step.verb == "invite":
        role = words.ROLES_TEXT.get(args.get("role", "official"))
        fields["role"] = role(lang) if role else str(args.get("role"))
    if step.verb == "set":
        owner = args.get("creator") or args.get("shop")
        facts = ", ".join(f"{k} = {v}" for k, v in args.items() if k not in ("creator", "shop"))
        fields = {"owner": str(owner), "facts": facts}
    return fields


def _outcome(step: Step, result: StepResult) -> str:
    if step.verb == "expect":
        return "checked" if result.passed else "failed"
    if result.passed is False and result.outcome == "ok":
        return "failed"  # an expected refusal did not come
    return result.outcome


def _messages(result: StepResult) -> tuple[Text, ...]:
    if result.outcome == "refused":
        found = [words.reason_message(code) for code in result.reasons]
        return tuple(message for message in found if message is not None)
    if result.passed is False and result.message:
        return (Text(result.message, result.message),)
    return ()


def _deadlines(world: World) -> tuple[Deadline, ...]:
    classes = diagrams.machine_classes().values()
    found = []
    for timer in world.pending_timers():
        edges = (spec_of(cls).edges.get(timer.event) for cls in classes)
        edge = next((e for e in edges if e is not None), None)
        found.append(
            Deadline(
                what=words.action_text(timer.event, ACTION_WORDS),
                target=timer.target,
                due=timer.due,
                rules=edge.rules if edge is not None else (),
            )
        )
    return tuple(found)


def _fired(entry: Any, start: datetime) -> Text:
    what = words.action_text(entry.action, ACTION_WORDS)
    who = " → ".join(v for k, v in entry.subject.items() if k in ("shop", "creator"))
    when = words.elapsed_text(entry.at - start)
    return Text(f"{what.en}: {who} ({when.en})", f"{what.zh}:{who}({when.zh})")


# -------------------------------------------------------------------------- the command


@click.command("storyboard")
@click.argument("scenario", type=click.Path(exists=True))
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["html", "pdf", "pptx"]),
    help="html (default), pdf or pptx; repeat for several.",
)
@click.option(
    "-l",
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(list(LANGS)),
    help="en (default) or zh; repeat for both.",
)
@click.option("-o", "--out", default="out/storyboards", show_default=True, help="Output folder.")
@click.option(
    "--deck",
    type=click.Path(dir_okay=False),
    default=None,
    help="Make one PPTX of every scenario given (SCENARIO a folder): a contents slide and a "
    "section per story, in each language asked for.",
)
@drawing_options
def storyboard(
    scenario: str,
    formats: tuple[str, ...],
    langs: tuple[Lang, ...],
    out: str,
    deck: str | None,
    drawing: DrawingOptions,
) -> None:
    """Replay SCENARIO (a file, or a folder of them) as slides, one per step: the phone screen
    or Seller Center page with the tapped label marked, the machine with its current state, the
    clock and the running deadlines, and the step's outcome with its reason codes. Writes
    OUT/<scenario>.<lang>.<format> and the pictures in OUT/pictures/; with --deck, one PPTX."""
    files = (
        sorted(str(p) for p in Path(scenario).rglob("*.scenario.yaml"))
        if Path(scenario).is_dir()
        else [scenario]
    )
    if not files:
        raise click.UsageError(f"no *.scenario.yaml files in {scenario}")
    if deck is not None and set(formats) - {"pptx"}:
        raise click.UsageError("--deck makes one PPTX: give -f pptx or no -f at all")
    if deck is not None or {"pdf", "pptx"} & set(formats):
        require("slides", "PDF and PPTX storyboards")
    try:
        loaded = [load_file(path) for path in files]
    except (InvalidScenario, ScenarioError) as invalid:
        raise InvalidInput(str(invalid)) from None
    chosen = ("pptx",) if deck is not None else (formats or ("html",))
    try:
        with drawing.renderer() as drawer:
            layouts = diagrams.LayoutChooser(drawing.layout, drawer)
            pictures = StoryboardPictures(
                layouts, drawing.dpi, "pictures/", picture_formats(chosen)
            )
            boards = [replay(one) for one in loaded]
            if deck is not None:
                planned = [deck_file(boards, langs or ("en",), pictures, str(Path(deck).resolve()))]
            else:
                planned = [
                    file
                    for board in boards
                    for file in board_files(board, langs or ("en",), chosen, pictures)
                ]
            written = write_plan([*pictures.planned(), *planned], out, drawer)
    except diagrams.GraphvizMissing as missing:
        raise click.ClickException(str(missing)) from None
    except diagrams.GraphvizFailed as graphviz_failed:
        raise click.ClickException(f"{graphviz_failed} ({diagrams.GRAPHVIZ_BUG})") from None
    except CannotWrite as error:
        raise click.ClickException(f"{error}; choose another folder with -o/--out") from None
    for path, board in zip(files, boards, strict=True):
        failed = next((s for s in board.slides if s.outcome == "failed"), None)
        if failed is not None:
            click.echo(f"{path}: step {failed.number} failed; the storyboard ends there", err=True)
    for written_path in written:
        if written_path.suffix in (".html", ".pdf", ".pptx"):
            click.echo(str(written_path))
