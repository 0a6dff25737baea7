"""`bindsim walk`: the scenario verbs at a prompt, driven over stdin; undo, save, completion."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bindsim.simulator.scenario import load_file, load_text, run
from bindsim.simulator.walk.display import remaining
from bindsim.simulator.walk.prompt import WalkShell

CAST = "shop gb region=GB kind=invited\ncreator alice country=GB age=24\n"


def walk(commands: str, scenario_text: str | None = None) -> tuple[WalkShell, str]:
    """Run a walk session over stdin; return the shell and everything it printed."""
    out = io.StringIO()
    scenario = load_text(scenario_text, require_steps=False) if scenario_text else None
    shell = WalkShell(scenario, stdin=io.StringIO(commands), stdout=out)
    shell.cmdloop()
    return shell, out.getvalue()


def test_the_prompt_shows_clock_screens_seller_center_and_pending_timers() -> None:
    _, out = walk(CAST + "invite gb alice\nadvance 35h57m\n")
    assert "── 2024-11-12 23:57:00 UTC (Tue) ──" in out
    assert "alice      profile (Profile)  tap: Showcase" in out
    assert "gb         invitation_sent" in out
    assert "alice's invitation from gb expires in 12h 03m (R-INVITE-48H)" in out


def test_a_binding_lock_and_a_ticket_are_shown_as_timers() -> None:
    _, out = walk(CAST + "invite gb alice\naccept alice gb\nopen_ticket gb alice\nadvance 1h\n")
    assert "alice's binding to gb can be unbound in 23h 00m (R-LOCK-24H)" in out
    assert "support answers ticket-1 (gb about alice) in 23h 00m (A-TICKET-TIME)" in out


def test_remaining_time_is_written_in_hours_minutes_and_seconds() -> None:
    from datetime import timedelta

    assert remaining(timedelta(hours=47, minutes=59, seconds=59)) == "47h 59m 59s"
    assert remaining(timedelta(minutes=3)) == "0h 03m"


def test_every_verb_of_the_one_line_form_becomes_the_yaml_step() -> None:
    shell, out = walk(
        CAST
        + "creator bob country=GB age=30 network=FR\n"
        + "invite gb alice\naccept alice gb\ninvite gb bob channel\nwithdraw gb bob\n"
        + "advance 24h\nadvance_to 2024-11-12T13:00:00Z\n"
        + "tap alice Showcase, Enter\ntap alice Back\n"
        + "click gb Home, My Account, Back\nset bob network=GB\nset gb status=normal\n"
        + "request_unlink alice\ndecline_unlink gb alice\nrequest_unlink alice\n"
        + "click gb account=alice View details, Agree\n"
        + "invite gb bob\ndecline bob gb\nopen_ticket gb bob\n"
        + "expect shop gb official=null channels=[] official_unbinds_left=2\n"
        + "expect invitation gb bob state=declined\nexpect ticket gb bob state=open\n"
        + "expect creator alice bound_shop=null role=affiliate\n"
        + "expect screen gb id=ticket_opened visible=[Back] hidden=[Agree]\n"
        + "expect time 2024-11-12T13:00:00Z\n"
        + "invite: {shop: gb, creator: alice, role: channel}\n"
        + "{withdraw: {shop: gb, creator: alice}, note: typed as YAML}\n"
    )
    assert "✗" not in out, out
    verbs = [step.verb for step in shell.session.steps]
    assert verbs == [
        "invite", "accept", "invite", "withdraw", "advance", "advance_to", "tap", "tap",
        "click", "set", "set", "request_unlink", "decline_unlink", "request_unlink", "click",
        "invite", "decline", "open_ticket", "expect", "expect", "expect", "expect", "expect",
        "expect", "invite", "withdraw",
    ]  # fmt: skip
    assert shell.session.steps[-1].note == "typed as YAML"


def test_a_refusal_is_shown_with_its_reasons_and_recorded_as_expect_error() -> None:
    shell, out = walk(CAST + "creator kid country=FR age=16\ninvite gb kid\n")
    assert "✗ refused: UNDER_18, COUNTRY_MISMATCH" in out
    assert "UNDER_18: the account's user is under 18" in out
    assert shell.session.steps[-1].expect_error == ("UNDER_18", "COUNTRY_MISMATCH")


def test_a_failing_expect_and_bad_input_are_shown_and_not_recorded() -> None:
    shell, out = walk(
        CAST
        + "invite gb alice\nexpect invitation gb alice state=expired\n"
        + "invite gb nobody\nadvance 2w\njump 3\napprove_unlink gb alice\n"
    )
    assert "✗ invitation gb→alice state: expected expired, found pending" in out
    assert "unknown creator 'nobody'; declared under creators: alice" in out
    assert "'2w' is not a duration" in out
    assert "✗ unknown command 'jump'" in out
    assert "✗ gb has no unlink request from alice" in out
    assert [step.verb for step in shell.session.steps] == ["invite"]


def test_undo_steps_back_by_replaying_the_session_without_its_last_step() -> None:
    shell, out = walk(CAST + "invite gb alice\naccept alice gb\nundo\n")
    assert "✓ undid step accept: {creator: alice, shop: gb}" in out
    assert [step.verb for step in shell.session.steps] == ["invite"]
    assert shell.world.invitation("gb", "alice").state == "pending"
    assert len(shell.world.log) == 1
    shell, out = walk(CAST + "undo\nundo\nundo\n")
    assert shell.session.shops == [] and "✗ nothing to undo" in out


def test_save_writes_a_scenario_that_replays_to_the_same_result(tmp_path: Path) -> None:
    target = tmp_path / "session.scenario.yaml"
    shell, out = walk(
        CAST
        + "creator bob country=GB age=30 network=US\n"
        + "invite gb alice\nadvance 47h59m59s\naccept alice gb\n"
        + "tap alice Showcase, Enter, Your Shop, View link info, Send unlink request\n"
        + "invite gb bob channel\naccept bob gb\nadvance 24h\nrequest_unlink alice\n"
        + "click gb View details\nclick gb Home, View details, Agree\n"
        + f"save {target}\n"
    )
    assert f"✓ saved 10 steps to {target}" in out
    saved = load_file(target)
    assert saved.steps[3].expect_error == ("UNBIND_LOCKED",)
    result = run(saved)
    assert result.passed, result.failure and result.failure.message
    replayed = [e.describe() for step in result.steps for e in (*step.timers, *step.entries)]
    assert replayed == [e.describe() for e in shell.world.log]


def test_walk_starts_from_a_scenario_and_stops_at_its_failing_step() -> None:
    scenario = (
        "name: from a file\nshops: {gb: {region: GB}}\ncreators: {alice: {country: GB, age: 24}}\n"
        "steps:\n  - invite: {shop: gb, creator: alice}\n"
        "  - expect: {invitation: {shop: gb, creator: alice}, state: accepted}\n"
        "  - accept: {creator: alice, shop: gb}\n"
    )
    shell, out = walk("show\n", scenario)
    assert "the scenario stops here (line 6)" in out
    assert [step.verb for step in shell.session.steps] == ["invite"]
    assert shell.session.name == "from a file"


def test_help_lists_the_verbs_and_explains_one() -> None:
    _, out = walk("help\nhelp tap\nhelp labels\n")
    for verb in ("invite", "advance_to", "click", "expect", "undo", "save", "request_unlink"):
        assert verb in out
    assert "tap CREATOR LABEL, LABEL, … — taps labels on the creator's phone, in order" in out
    assert "Seller Center (click): My Account" in out
    assert "EOF" not in out


# ------------------------------------------------------------------ completion


@pytest.fixture
def shell() -> WalkShell:
    shell, _ = walk(
        CAST + "creator bob country=GB age=30\ninvite gb alice\naccept alice gb\n"
        "tap alice Showcase, Enter\n"
    )
    return shell


def complete(shell: WalkShell, line: str) -> list[str]:
    """What Tab offers at the end of `line` (readline splits words at spaces and commas)."""
    begidx = max(line.rfind(" "), line.rfind(",")) + 1
    text = line[begidx:]
    if begidx == 0:
        return shell.completenames(text, line, begidx, len(line))
    verb = line.split()[0]
    completer = getattr(shell, f"complete_{verb}", shell.completedefault)
    return list(completer(text, line, begidx, len(line)))


def test_tab_completes_verbs_with_a_space_after_the_word(shell: WalkShell) -> None:
    assert complete(shell, "inv") == ["invite "]
    assert set(complete(shell, "a")) == {"accept ", "advance ", "advance_to ", "approve_unlink "}


def test_tab_completes_shop_and_creator_ids_by_position(shell: WalkShell) -> None:
    assert complete(shell, "invite ") == ["gb "]
    assert complete(shell, "invite gb ") == ["alice ", "bob "]
    assert complete(shell, "invite gb b") == ["bob "]
    assert complete(shell, "invite gb bob ") == ["official ", "channel "]
    assert complete(shell, "invite gb bob role=c") == ["role=channel "]
    assert complete(shell, "accept a") == ["alice "]
    assert complete(shell, "set g") == ["gb "]
    assert complete(shell, "set gb ") == ["status="]
    assert complete(shell, "set gb status=a") == ["status=abnormal "]
    assert complete(shell, "expect bi") == ["binding "]
    assert complete(shell, "expect binding gb al") == ["alice "]
    assert complete(shell, "expect binding gb alice ") == ["state=", "reasons="]
    assert complete(shell, "expect binding gb alice state=unl") == [
        "state=unlockable ",
        "state=unlink_requested ",
    ]


def test_tab_completes_every_creator_fact(shell: WalkShell) -> None:
    from bindsim.simulator.scenario.format import CREATOR_FACTS

    every = [f"{name}=" for name in CREATOR_FACTS]
    assert complete(shell, "set alice ") == every
    assert complete(shell, "creator carol ") == every
    assert {"followers=", "ecommerce_permission="} <= set(complete(shell, "expect creator alice "))
    assert complete(shell, "set alice ecommerce_permission=f") == ["ecommerce_permission=false "]


def test_tab_completes_the_labels_on_the_current_screen(shell: WalkShell) -> None:
    assert complete(shell, "tap alice ") == ["Your Shop", "Back"]
    assert complete(shell, "tap alice Y") == ["Your Shop"]
    assert complete(shell, "tap alice Your S") == ["Shop"]  # readline replaces only "S"
    assert complete(shell, "tap alice Your Shop, B") == ["Back"]
    assert complete(shell, "tap bob ") == ["Showcase"]
    assert complete(shell, "click gb ") == ["Back", "Home", "account="]  # after the invitation
    assert complete(shell, "click gb account=a") == ["account=alice "]
    assert complete(shell, "click gb account=alice H") == ["Home"]


def test_tab_completes_labels_along_the_path_typed_so_far(shell: WalkShell) -> None:
    """`tap alice Enter, Your S<Tab>`: the labels of the screen the earlier labels lead to."""
    assert complete(shell, "tap alice Back, ") == ["Showcase"]
    assert complete(shell, "tap alice Your Shop, V") == ["View link info"]
    assert complete(shell, "tap alice Your Shop, View link info, Send unlink request, ") == []
    assert complete(shell, "tap alice Back, Showcase, Enter, Your S") == ["Shop"]
    assert complete(shell, "click gb Home, My Account, ") == ["Bind TikTok account", "Back", "Home"]
    assert complete(shell, "tap alice Back, Nowhere, ") == []  # a refusal on the way: nothing
    assert shell.world.screen("alice").id == "showcase"  # the World itself did not move


def controlling_terminal() -> None:
    """In the child: a new session whose controlling terminal is its stdin (the pty), started
    as from a background job, which ignores SIGINT (`make test &`, some CI runners): walk itself
    listens to Ctrl-C again at a terminal."""
    import fcntl
    import signal
    import termios

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_tab_completion_works_at_a_real_terminal(tmp_path: Path) -> None:
    import pty

    scenario = tmp_path / "cast.scenario.yaml"
    scenario.write_text(
        "name: cast\nshops: {gb: {region: GB}}\ncreators: {alice: {country: GB, age: 24}}\n"
        "steps: []\n",
        encoding="utf-8",
    )
    bindsim = Path(sys.executable).with_name("bindsim")
    leader, follower = pty.openpty()
    history = tmp_path / "history"
    history.write_text("advance 1h\n", encoding="utf-8")
    env = {**os.environ, "TERM": "xterm", "INPUTRC": "/dev/null", "BINDSIM_HISTORY": str(history)}
    process = subprocess.Popen(
        [str(bindsim), "walk", str(scenario)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
        preexec_fn=controlling_terminal,  # Ctrl-C on the pty sends SIGINT, as at a terminal
    )
    os.close(follower)
    seen, since = b"", 0  # the output so far; where the answer to the latest keys begins

    def read_until(marker: bytes, timeout: float = 20.0) -> None:
        """Wait for `marker` in what the terminal wrote since the latest keys (not earlier:
        "gb" was on screen long before its completion is)."""
        nonlocal seen
        deadline = time.monotonic() + timeout
        while marker not in seen[since:] and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(leader, 4096)
                except OSError:
                    break
        assert marker in seen[since:], seen.decode(errors="replace")

    def type_keys(keys: bytes) -> None:
        nonlocal since
        since = len(seen)
        os.write(leader, keys)

    try:
        read_until(b"bindsim> ")
        type_keys(b"withdraw gb")
        read_until(b"withdraw gb")  # echoed: readline has the terminal
        # Ctrl-C cancels the line, not the session. CPython's readline loop can miss a SIGINT
        # that lands between drawing the echo and blocking in select() (it then waits for the
        # next key), so the test presses Ctrl-C again while no answer has come.
        for attempt in range(10):
            type_keys(b"\x03")
            try:
                read_until(b"^C (line cancelled", timeout=2.0)
                break
            except AssertionError:
                if attempt == 9:
                    raise
        type_keys(b"\x1b[A")  # up: the history of an earlier session
        read_until(b"advance 1h")
        type_keys(b"\x15")  # Ctrl-U: clear the line
        type_keys(b"inv\t")
        read_until(b"invite")
        type_keys(b"g\t")  # Tab put a space after "invite"
        read_until(b"gb")
        type_keys(b"al\t")
        read_until(b"alice")
        type_keys(b"\n")
        read_until(b"expires in 48h 00m")
        type_keys(b"quit\n")
        read_until(b"1 unsaved steps. Save as (FILE, Enter to discard): ")
        type_keys(b"\n")
        read_until(b"discarded 1 unsaved steps")
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert process.returncode == 0
    assert history.read_text(encoding="utf-8").splitlines()[-2:] == ["invite gb alice ", "quit"]


def test_walk_reads_commands_from_a_pipe_and_echoes_them(tmp_path: Path) -> None:
    bindsim = Path(sys.executable).with_name("bindsim")
    done = subprocess.run(
        [str(bindsim), "walk"],
        input=CAST + "invite gb alice\nlog\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "bindsim> invite gb alice\n✓ ok" in done.stdout
    assert "gb         invite(shop=gb, creator=alice, role=official) → ok" in done.stdout


def test_diagram_draws_a_live_machine_with_its_current_state_highlighted(tmp_path: Path) -> None:
    """Issue 5 (live state): `diagram binding gb alice` draws the binding, `locked` highlighted."""
    out = tmp_path / "pictures"
    _, printed = walk(
        CAST + f"invite gb alice\naccept alice gb\ndiagram binding gb alice format=dot out={out}\n"
    )
    written = out / "bind-1.en.dot"
    assert f"✓ wrote {written}" in printed
    assert "current state" in written.read_text(encoding="utf-8")


def test_diagram_says_what_it_can_draw_when_asked_for_something_else(tmp_path: Path) -> None:
    _, printed = walk(CAST + "diagram binding gb nobody\ndiagram screen alice\ndiagram bogus\n")
    assert "✗ unknown creator 'nobody'" in printed
    assert "✗ alice's screen has not been used yet" in printed
    assert "✗ diagram invitation|binding|ticket SHOP CREATOR, or screen ID" in printed


def test_save_to_a_folder_that_does_not_exist_says_so_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    nowhere = tmp_path / "absent" / "x.scenario.yaml"
    saved = tmp_path / "x.scenario.yaml"
    shell, printed = walk(CAST + f"invite gb alice\nsave {nowhere}\nsave {saved}\n")
    assert f"✗ cannot write {nowhere}: No such file or directory" in printed
    assert f"✓ saved 1 steps to {saved}" in printed
    assert run(load_file(saved)).passed


def test_diagram_into_a_folder_that_cannot_be_made_says_so_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    _, printed = walk(
        CAST + f"invite gb alice\ndiagram invitation gb alice format=dot out={a_file}\n"
        "accept alice gb\n"
    )
    assert f"✗ cannot write {a_file}: File exists" in printed
    assert "✓ ok" in printed.split("cannot write", 1)[1]  # the next command still runs


def test_a_walk_cannot_advance_past_the_simulated_range() -> None:
    shell, printed = walk(
        "advance 3000000d\nadvance 2d\nadvance 23h59m59s\n",
        "name: late\nstart: 8999-12-31T00:00:00Z\nsteps: []\n",
    )
    assert "✗ '3000000d' is too long: a duration can be at most 300000d" in printed
    assert "✗ advancing 2d from 8999-12-31T00:00:00Z would reach 9000-01-02T00:00:00Z" in printed
    assert shell.world.now.isoformat() == "8999-12-31T23:59:59+00:00"
    assert len(shell.session.steps) == 1


# ------------------------------------------------------------------ a session that does not die


class InterruptOnce(io.StringIO):
    """stdin whose first read is a Ctrl-C."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.interrupted = False

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if not self.interrupted:
            self.interrupted = True
            raise KeyboardInterrupt
        return super().readline()


def test_ctrl_c_cancels_the_line_and_the_session_goes_on() -> None:
    out = io.StringIO()
    shell = WalkShell(stdin=InterruptOnce(CAST + "invite gb alice\n"), stdout=out)
    shell.cmdloop()
    assert "^C (line cancelled; `quit` ends the walk)" in out.getvalue()
    assert [step.verb for step in shell.session.steps] == ["invite"]


def test_ctrl_c_during_a_command_keeps_the_world_as_the_session_says() -> None:
    shell, _ = walk(CAST + "invite gb alice\n")

    real = shell.onecmd

    def interrupted(line: str) -> bool:
        if line.startswith("advance"):
            shell.world.advance("1h")  # half done when Ctrl-C came
            raise KeyboardInterrupt
        return bool(real(line))

    shell.stdin = io.StringIO("advance 1h\n")
    shell.onecmd = interrupted  # type: ignore[method-assign]
    shell.cmdloop()
    assert shell.world.now.isoformat() == "2024-11-11T12:00:00+00:00"
    assert shell.world.invitation("gb", "alice").state == "pending"


def test_the_end_of_piped_input_with_unsaved_steps_says_they_were_not_saved() -> None:
    _, out = walk(CAST + "invite gb alice\n")
    assert "⚠ 1 steps were not saved: end the input with `save FILE` to keep them" in out
    _, out = walk(CAST + "invite gb alice\nquit\n")
    assert "⚠ 1 steps were not saved" in out


def test_nothing_unsaved_ends_quietly(tmp_path: Path) -> None:
    _, out = walk(CAST + f"invite gb alice\nsave {tmp_path / 'x'}\nquit\n")
    assert "not saved" not in out


def test_save_adds_the_suffix_and_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    base = tmp_path / "lock"
    shell, out = walk(
        CAST
        + f"invite gb alice\nsave {base}\naccept alice gb\nsave {base}.yaml\n"
        + f"save --force {base}.yaml\nsave {tmp_path / 'other.scenario.yaml'}\n"
    )
    target = tmp_path / "lock.scenario.yaml"
    assert f"✓ saved 1 steps to {target}" in out
    assert f"✗ {target} exists; `save --force {base}.yaml` replaces it" in out
    assert f"✓ saved 2 steps to {target}" in out
    assert f"✓ saved 2 steps to {tmp_path / 'other.scenario.yaml'}" in out
    assert [step.verb for step in load_file(target).steps] == ["invite", "accept"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lock.scenario.yaml",
        "other.scenario.yaml",
    ]


def test_undo_says_what_it_undid_for_steps_and_the_cast() -> None:
    _, out = walk(CAST + "invite gb alice\nundo\nundo\n")
    assert "✓ undid step invite: {shop: gb, creator: alice, role: official}" in out
    assert "✓ undid creator alice" in out


def test_a_cast_file_without_steps_starts_a_walk(tmp_path: Path) -> None:
    cast = tmp_path / "cast.scenario.yaml"
    cast.write_text("name: cast\nshops: {gb: {region: GB}}\n", encoding="utf-8")
    bindsim = Path(sys.executable).with_name("bindsim")
    done = subprocess.run(
        [str(bindsim), "walk", str(cast)],
        input=b"show\nadvance \xff1h\n",
        capture_output=True,
        timeout=60,
        check=True,
    )
    out = done.stdout.decode()
    assert "gb         home" in out
    assert "✗ that line holds bytes that are not UTF-8 text" in out
