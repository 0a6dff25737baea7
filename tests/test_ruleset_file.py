"""Rulesets in TOML and YAML files (DESIGN: loadable from TOML/YAML); `bindsim run --ruleset`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bindsim import InvalidArgument, Ruleset, ScenarioError
from bindsim.simulator.cli import main
from bindsim.simulator.ruleset_file import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
EXPIRY = (
    ROOT / "src" / "bindsim" / "scenarios" / "invitations" / "expired_at_exactly_48h.scenario.yaml"
)


def test_the_shipped_seed_ruleset_is_exactly_the_default_ruleset() -> None:
    assert load_ruleset(ROOT / "src" / "bindsim" / "rulesets" / "seed.toml") == Ruleset()


def test_a_toml_file_changes_only_the_settings_it_names(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('invite_ttl = "72h"\nofficial_unbind_limit = 5\n')
    rules = load_ruleset(path)
    assert rules.invite_ttl == timedelta(hours=72)  # R-INVITE-48H as a setting
    assert rules.official_unbind_limit == 5  # R-OFFICIAL-UNBIND-3 as a setting
    assert rules.unbind_lock == Ruleset().unbind_lock


def test_a_yaml_file_under_a_ruleset_key_is_read_with_yaml_1_2(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("ruleset:\n  channel_bind_window: 90d\n  ticket_locked_regions: [US, NO]\n")
    rules = load_ruleset(path)
    assert rules.channel_bind_window == timedelta(days=90)
    assert rules.ticket_locked_regions == ("US", "NO")  # NO is Norway, not false


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("r.toml", 'invite_tl = "72h"\n', "unknown ruleset setting 'invite_tl'"),
        ("r.toml", "invite_ttl = \n", "invalid TOML"),
        ("r.toml", 'invite_ttl = "-2h"\n', "invite_ttl"),
        ("r.toml", "min_age = true\n", "min_age"),
        ("r.json", "{}", "a ruleset file is .toml, .yaml or .yml"),
        ("r.yaml", "- 1\n- 2\n", "a ruleset file holds settings"),
    ],
)
def test_a_bad_ruleset_file_is_refused_with_its_name_and_the_problem(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidArgument, match=message) as raised:
        load_ruleset(path)
    assert str(path) in str(raised.value)


def test_bad_yaml_in_a_ruleset_file_is_located_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("invite_ttl: 48h\ninvite_ttl: 72h\n")
    with pytest.raises(ScenarioError) as raised:
        load_ruleset(path)
    assert (raised.value.line, raised.value.column) == (2, 1)


def test_run_with_a_ruleset_file_applies_it_under_every_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(EXPIRY)]) == 0
    longer = tmp_path / "longer.toml"
    longer.write_text('invite_ttl = "72h"\n')
    assert main(["run", "--ruleset", str(longer), str(EXPIRY)]) == 1  # it no longer expires at 48h
    broken = tmp_path / "broken.toml"
    broken.write_text("invite_ttl = [\n")
    assert main(["run", "--ruleset", str(broken), str(EXPIRY)]) == 2
    assert "invalid TOML" in capsys.readouterr().err


def test_the_seed_ruleset_file_names_every_setting() -> None:
    """rulesets/seed.toml is the list to copy: no setting may be missing from it."""
    import tomllib

    from bindsim.machines import Ruleset as Rules

    with open(ROOT / "src" / "bindsim" / "rulesets" / "seed.toml", "rb") as file:
        named = set(tomllib.load(file))
    assert named == set(Rules().to_dict())
