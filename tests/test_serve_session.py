"""The parts of `bindsim serve` under its pages: sessions, verbs, the diagram cache, the library,
the command. (The pages themselves: test_serve_http.py and test_serve_browser.py.)"""

from __future__ import annotations

import fnmatch
import shutil
import socket
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bindsim.errors import (
    BadUpload,
    InvalidArgument,
    InvalidScenario,
    InvalidStep,
    NothingToPlay,
    NothingToSave,
    NothingToUndo,
    StepNotPossible,
    UnknownId,
    UnknownScenario,
)
from bindsim.machines import Binding, CreatorApp, Ruleset, SupportTicket
from bindsim.simulator.cli import main
from bindsim.simulator.scenario import load_file, run
from bindsim.simulator.scenario.model import CreatorSpec, ShopSpec
from bindsim.simulator.serve import actions, live
from bindsim.simulator.serve.catalog import Catalog, guarded, read_upload
from bindsim.simulator.serve.recording import Cast, file_name, make_step
from bindsim.simulator.serve.server import allowed_hosts, listen
from bindsim.simulator.serve.session import Session, starter

ROOT = Path(__file__).resolve().parent.parent
STORY = (
    ROOT / "src" / "bindsim" / "scenarios" / "stories" / "official_account_lifecycle.scenario.yaml"
)


@pytest.fixture
def session() -> Session:
    return Session(starter())


def act(session: Session, verb: str, **form: str) -> str:
    return session.act(actions.step_data(session.world, {"verb": verb, **form})).outcome


# ------------------------------------------------------------------------ the session


def test_a_step_that_does_not_apply_changes_nothing_and_leaves_no_undo(session: Session) -> None:
    act(session, "invite", shop="gb", creator="alice", role="official")
    act(session, "withdraw", shop="gb", creator="alice")
    before = (session.world.to_dict(), session.done, len(session.history))
    with pytest.raises(StepNotPossible, match="withdraw"):
        act(session, "withdraw", shop="gb", creator="alice")
    assert (session.world.to_dict(), session.done, len(session.history)) == before


def test_a_refusal_is_a_step_recorded_with_its_codes(session: Session) -> None:
    """R-ELIGIBLE: the refusal is recorded as expect_error, so that the file replays it."""
    assert act(session, "invite", shop="gb", creator="kid", role="official") == "refused"
    (played,) = session.done
    assert played.step.expect_error == ("UNDER_18", "COUNTRY_MISMATCH")
    assert played.passed and played.replays


def test_undo_restores_the_world_as_it_was_before_each_step(session: Session) -> None:
    snapshots = [session.world.to_dict()]
    act(session, "invite", shop="gb", creator="alice", role="official")
    snapshots.append(session.world.to_dict())
    act(session, "advance", by="47h59m59s")
    snapshots.append(session.world.to_dict())
    act(session, "accept", creator="alice", shop="gb")
    for expected in reversed(snapshots):
        session.undo()
        assert session.world.to_dict() == expected
    with pytest.raises(NothingToUndo):
        session.undo()


def test_a_copy_in_the_history_is_never_changed_by_later_steps(session: Session) -> None:
    act(session, "invite", shop="gb", creator="alice", role="official")
    kept = session.history[-1].world
    assert kept is not session.world
    act(session, "accept", creator="alice", shop="gb")
    assert kept.log == [] and kept.invitations == {}


def test_the_clock_jumps_to_the_next_deadline_or_one_second_before_it(session: Session) -> None:
    """R-INVITE-48H, A-WINDOW-BOUNDS: 1 s before the 48h the invitation is still pending."""
    act(session, "invite", shop="gb", creator="alice", role="official")
    act(session, "advance", to="before_next")
    assert session.world.invitation("gb", "alice").state == "pending"
    assert session.done[-1].step.describe() == "advance: 47h59m59s"
    with pytest.raises(actions.NoDeadline, match="1 second away"):
        actions.step_data(session.world, {"verb": "advance", "to": "before_next"})
    act(session, "advance", to="next")
    assert session.world.invitation("gb", "alice").state == "expired"


def test_the_player_plays_a_scenario_as_bindsim_run_does(session: Session) -> None:
    story = load_file(STORY)
    session.start(story, play=True)
    assert session.play_all() == len(story.steps)
    expected = run(story)
    assert [p.outcome for p in session.done] == [s.outcome for s in expected.steps]
    assert session.world.to_dict()["log"] == expected.world.to_dict()["log"]
    with pytest.raises(NothingToPlay):
        session.play_next()


def test_a_played_step_that_fails_is_shown_but_not_saved(session: Session) -> None:
    text = STORY.read_text(encoding="utf-8").replace("state: unlockable", "state: locked", 1)
    broken = read_upload("broken.scenario.yaml", text.encode())
    session.start(broken, play=True)
    session.play_all()
    failed = [p for p in session.done if p.passed is False]
    assert len(failed) == 1 and not failed[0].replays
    saved = session.scenario()
    assert len(saved.steps) == len(broken.steps) - 1
    assert run(saved).passed


def test_the_saved_cast_declares_only_what_differs_from_the_defaults(session: Session) -> None:
    session.add_creator(
        actions.new_creator({"id": "bob", "country": "gb", "age": "30", "network": "GB"})
    )
    session.add_shop(actions.new_shop({"id": "us", "region": "us", "kind": "invited"}))
    act(session, "invite", shop="us", creator="bob", role="channel")
    saved = session.scenario()
    assert saved.creators[-1] == CreatorSpec("bob", (("country", "GB"), ("age", 30)))
    assert saved.shops[-1] == ShopSpec("us", "US", "invited")
    assert run(saved).passed


def test_a_home_region_abroad_greys_the_showcase_and_the_session_replays(
    session: Session,
) -> None:
    """A-HOME-REGION: the showcase button is hidden while the account's 归属地 is abroad."""
    act(session, "invite", shop="gb", creator="alice", role="official")
    act(session, "accept", creator="alice", shop="gb")
    act(session, "set", creator="alice", home_region="fr")
    assert session.world.screen("alice").hidden["Showcase"] == ("HOME_REGION_MISMATCH",)
    assert act(session, "tap", creator="alice", label="Showcase") == "refused"
    assert set(session.done[-1].step.expect_error or ()) == {"NOT_VISIBLE", "HOME_REGION_MISMATCH"}
    assert run(session.scenario()).passed


def test_an_account_with_a_birthdate_ages_with_the_clock(session: Session) -> None:
    """A-AGE: the kid turns 18 on the birthday; the file keeps the birthdate, not an age."""
    session.add_creator(
        actions.new_creator({"id": "teen", "country": "GB", "birthdate": "2006-11-12"})
    )
    assert session.world.age("teen") == 17
    assert act(session, "invite", shop="gb", creator="teen", role="official") == "refused"
    act(session, "advance", by="1d")
    assert session.world.age("teen") == 18
    assert act(session, "invite", shop="gb", creator="teen", role="official") == "ok"
    saved = session.scenario()
    assert "teen: {country: GB, birthdate: 2006-11-12}" in saved.to_yaml()
    assert run(saved).passed
    with pytest.raises(InvalidArgument, match="an age or a birthdate"):
        actions.new_creator({"id": "x", "country": "GB", "age": "3", "birthdate": "2000-01-01"})


def test_a_step_expected_not_to_apply_plays_and_is_saved(session: Session) -> None:
    text = (
        "name: x\nshops: {gb: {region: GB}}\ncreators: {alice: {country: GB, age: 30}}\n"
        "steps:\n  - accept: {creator: alice, shop: gb}\n    expect_error: NOT_APPLICABLE\n"
        "  - accept: {creator: alice, shop: gb}\n"
    )
    session.start(read_upload("na.scenario.yaml", text.encode()), play=True)
    session.play_all()
    expected, unexpected = session.done
    assert expected.outcome == unexpected.outcome == "not applicable"
    assert expected.passed and expected.replays
    assert not unexpected.passed and not unexpected.replays
    assert [s.describe() for s in session.scenario().steps] == [expected.step.describe()]


def test_nothing_to_save_before_the_first_step(session: Session) -> None:
    with pytest.raises(NothingToSave):
        session.scenario()


# --------------------------------------------------------------------------- the verbs


def test_every_verb_makes_a_step_the_scenario_format_accepts(session: Session) -> None:
    world = session.world
    forms = {
        "invite": {"shop": "gb", "creator": "alice", "role": "channel"},
        "accept": {"creator": "alice", "shop": "gb"},
        "decline": {"creator": "alice", "shop": "gb"},
        "withdraw": {"shop": "gb", "creator": "alice"},
        "request_unlink": {"creator": "alice"},
        "approve_unlink": {"shop": "gb", "creator": "alice"},
        "decline_unlink": {"shop": "gb", "creator": "alice"},
        "open_ticket": {"shop": "gb", "creator": "alice"},
        "tap": {"creator": "alice", "label": "Showcase"},
        "click": {"shop": "gb", "label": "My Account"},
        "advance": {"by": "90s"},
        "set": {"creator": "alice", "network": "fr", "followers": "1000"},
        "expect": {"what": "screen", "owner": "gb"},
    }
    assert set(forms) == set(actions.VERBS)
    for verb, form in forms.items():
        data = actions.step_data(world, {"verb": verb, **form})
        step = make_step(session.cast, data)
        assert step.verb == verb
    set_step = actions.step_data(world, {"verb": "set", **forms["set"]})
    assert set_step == {"set": {"creator": "alice", "network": "FR", "followers": 1000}}


def test_a_step_the_format_refuses_is_an_invalid_step() -> None:
    cast = Cast((ShopSpec("gb", "GB"),), ())
    with pytest.raises(InvalidStep, match="unknown creator 'alice'"):
        make_step(cast, {"accept": {"creator": "alice", "shop": "gb"}})


def test_expect_records_the_most_precise_state(session: Session) -> None:
    act(session, "invite", shop="gb", creator="alice", role="official")
    act(session, "accept", creator="alice", shop="gb")
    data = actions.step_data(
        session.world, {"verb": "expect", "what": "binding", "shop": "gb", "creator": "alice"}
    )
    assert data["expect"]["state"] == "locked"  # R-LOCK-24H: bound, and locked inside it
    with pytest.raises(UnknownId, match="no ticket yet"):
        actions.step_data(
            session.world, {"verb": "expect", "what": "ticket", "shop": "gb", "creator": "alice"}
        )


def test_download_names_come_from_the_scenario_name() -> None:
    story = load_file(STORY)
    assert (
        file_name(story)
        == "an-official-account-s-life-invited-accepted-at-47h-locked.scenario.yaml"
    )
    assert file_name(starter().__class__(name="新 会话!", steps=())) == "session.scenario.yaml"


# ------------------------------------------------------------------ the diagram cache


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_a_diagram_is_drawn_once_per_machine_states_and_language() -> None:
    cache = live.DiagramCache()
    rules = Ruleset()
    locked = live.Wanted(Binding, frozenset({"bound", "locked"}), "en", rules)
    zh = live.Wanted(Binding, frozenset({"bound", "locked"}), "zh", rules)
    first = cache.draw([locked, zh])
    assert (cache.hits, cache.misses) == (0, 2)
    again = cache.draw([locked, zh])
    assert again == first and (cache.hits, cache.misses) == (2, 2)
    svg = first[0].svg or ""
    assert svg.startswith("<svg") and 'id="Binding-' in svg and 'class="node active"' in svg
    assert "锁定期" in (first[1].svg or "")
    cache.close()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_warming_draws_every_state_of_a_machine_once() -> None:
    cache = live.DiagramCache()
    every = live.every_picture([SupportTicket, Binding], ["en"], Ruleset())
    assert len(every) == 3 + 7  # the ticket's states; the binding's atomic states
    assert live.Wanted(Binding, frozenset({"bound", "locked"}), "en", Ruleset()) in every
    cache.warm(every).result()
    assert cache.misses == 10
    cache.warm(every).result()
    cache.draw(every)
    assert (cache.misses, cache.hits) == (10, 10)
    cache.close()


def test_a_diagram_that_cannot_be_drawn_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from bindsim.diagrams.drawing import INSTALL_HINT
    from bindsim.errors import GraphvizMissing

    def missing(*args: object, **kwargs: object) -> bytes:
        raise GraphvizMissing(INSTALL_HINT)

    monkeypatch.setattr("bindsim.diagrams.render", missing)
    cache = live.DiagramCache()
    wanted = live.Wanted(CreatorApp, frozenset({"profile"}), "en", Ruleset())
    (drawing,) = cache.draw([wanted])
    assert drawing.svg is None and "apt-get install graphviz" in (drawing.problem or "")
    cache.draw([wanted])
    assert cache.misses == 2  # not cached: Graphviz may be installed meanwhile
    cache.close()


# ------------------------------------------------------------------------ the library


def test_the_library_lists_files_by_key_and_reads_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(STORY, folder / "sub" / "story.scenario.yaml")
    (folder / "bad.scenario.yaml").write_text("name: [\n", encoding="utf-8")
    catalog = Catalog([folder])
    assert sorted(catalog.entries) == ["lib/bad.scenario.yaml", "lib/sub/story.scenario.yaml"]
    assert "invalid YAML" in (catalog.entries["lib/bad.scenario.yaml"].problem or "")
    assert catalog.load("lib/sub/story.scenario.yaml").name == load_file(STORY).name
    for key in ("lib/../lib/sub/story.scenario.yaml", str(STORY), "story.scenario.yaml"):
        with pytest.raises(UnknownScenario):
            catalog.load(key)


def test_a_crash_of_the_scenario_reader_is_reported_as_an_invalid_file() -> None:
    def crashing() -> Any:
        raise AssertionError("home_region")

    with pytest.raises(InvalidScenario) as raised:
        guarded(crashing, "x.scenario.yaml")
    assert str(raised.value) == (
        "x.scenario.yaml:1:1: the scenario format cannot read this file "
        "(AssertionError: home_region)"
    )


def test_an_upload_name_is_cut_to_a_printable_base_name() -> None:
    with pytest.raises(BadUpload) as raised:
        read_upload("../x/\x1b[31mred\n.scenario.yaml", b"name: [\n")
    assert str(raised.value).startswith("[31mred.scenario.yaml:")


# ------------------------------------------------------------------------ the command


def test_the_command_answers_only_local_host_names_on_a_loopback_address() -> None:
    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost"]
    assert allowed_hosts("localhost")[:2] == ["127.0.0.1", "localhost"]
    assert allowed_hosts("::1") == ["::1", "localhost"]  # issue 23 item 6
    assert allowed_hosts("0.0.0.0") == ["*"]


def test_a_taken_port_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        assert main(["serve", "--no-library", "--port", str(port)]) == 1
    finally:
        taken.close()
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    free = listen("127.0.0.1", 0)
    assert free.getsockname()[1] > 0
    free.close()


def test_an_invalid_scenario_is_reported_before_the_server_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text("name: x\nsteps:\n  - invite: {shop: nope}\n", encoding="utf-8")
    assert main(["serve", str(bad)]) == 2
    assert f"{bad}:3:20: unknown shop 'nope'" in capsys.readouterr().err


def test_the_wheel_ships_the_pages_templates_and_static_files() -> None:
    """pyproject's package data covers every file the app reads from its package."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bindsim.simulator.serve"]
    serve = ROOT / "src" / "bindsim" / "simulator" / "serve"
    files = [p.relative_to(serve).as_posix() for p in serve.rglob("*") if p.is_file()]
    data = [f for f in files if not f.endswith(".py") and "__pycache__" not in f]
    assert data and all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in data)
