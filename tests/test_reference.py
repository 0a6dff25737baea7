"""The reference in the repository (issue 12, item 1): docs/reference.md generated from the
code's own tables, `bindsim codes`, `bindsim rules`, and nothing pointing outside the repo."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import fields
from pathlib import Path

import pytest

from bindsim.machines import REASONS, Reason, Ruleset
from bindsim.machines.rules import ASSUMPTIONS, RULES, SETTINGS
from bindsim.simulator.cli import main
from bindsim.simulator.reference import reference_markdown
from bindsim.simulator.scenario import run
from bindsim.simulator.scenario.format import VERBS
from bindsim.simulator.scenario.validate import find_files, load_cases

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"


def test_docs_reference_md_is_what_the_code_generates() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(), (
        "run: python -m bindsim.simulator.reference"
    )


def test_the_reference_lists_every_rule_code_assumption_setting_and_verb() -> None:
    text = reference_markdown()
    for name in [*RULES, *ASSUMPTIONS, *(r.value for r in Reason), *SETTINGS, *VERBS]:
        assert f"`{name}`" in text, name
    assert "绑定后 24 小时才可解绑" in text  # the seed's words of R-LOCK-24H
    assert "| `invite_ttl` | `48h` |" in text  # a default


def test_every_ruleset_setting_is_described_and_every_assumption_names_real_settings() -> None:
    assert list(SETTINGS) == [f.name for f in fields(Ruleset)]
    for assumption in ASSUMPTIONS.values():
        assert all(name in SETTINGS for name in assumption.settings), assumption.id
    for info in SETTINGS.values():
        assert all(rule in RULES or rule in ASSUMPTIONS for rule in info.rules), info


def test_every_rule_quotes_words_of_the_seed() -> None:
    for rule in RULES.values():
        assert re.search(r"[\u4e00-\u9fff]", rule.seed), rule.id


def test_the_verbs_of_each_code_cover_every_refusal_the_library_meets() -> None:
    """Each (verb, code) a library step is refused with, or records, is in the reason table."""
    met: set[tuple[str, str]] = set()
    for path in find_files([ROOT / "src" / "bindsim" / "scenarios"]):
        for case in load_cases(path):
            for step in run(case).steps:
                for code in step.reasons:
                    met.add((step.step.verb, code))
    assert len(met) > 20
    missing = sorted((v, c) for v, c in met if v not in REASONS[Reason(c)].verbs)
    assert not missing, f"add these verbs to machines/reasons.py: {missing}"
    for info in REASONS.values():
        assert set(info.verbs) <= set(VERBS), info.verbs


def test_codes_prints_every_code_and_one_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codes", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["code"] for row in data["reasons"]] == [r.value for r in Reason]
    assert "NOT_APPLICABLE" in data["scenario_codes"]
    assert main(["codes", "unbind_locked", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["reasons"]
    assert (row["code"], row["zh"], row["verbs"]) == (
        "UNBIND_LOCKED",
        "绑定后 24 小时才可解绑",
        ["tap", "request_unlink"],
    )
    assert main(["codes", "--lang", "zh"]) == 0
    assert "TikTok 账号状态异常" in capsys.readouterr().out
    assert main(["codes", "UNBIND_LOCKD"]) == 2
    assert "did you mean 'UNBIND_LOCKED'?" in capsys.readouterr().err


def test_rules_show_prints_one_rule_with_its_seed_words_and_scenarios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(["rules", str(ROOT / "src" / "bindsim" / "scenarios"), "--show", "R-INVITE-48H"]) == 0
    )
    out = capsys.readouterr().out
    assert "must confirm it in the TikTok app within 48 hours" in out
    assert "达人 48 小时内在客户端确认即可" in out
    assert "expired_at_exactly_48h.scenario.yaml" in out
    assert (
        main(["rules", "--show", "A-TICKET-TIME", str(ROOT / "src" / "bindsim" / "scenarios")]) == 0
    )
    assert "default: `ticket_resolution_time = 24h`" in capsys.readouterr().out
    assert main(["rules", "--show", "R-LOCK-48H"]) == 2


def test_rules_json_says_what_each_rule_says(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--json", str(ROOT / "src" / "bindsim" / "scenarios")]) == 0
    described = json.loads(capsys.readouterr().out)["described"]
    assert described["R-LOCK-24H"]["seed"] == "绑定后 24 小时才可解绑"


def test_nothing_in_the_repository_points_to_the_shared_docs() -> None:
    """The repository stands alone: the reference is docs/reference.md."""
    pattern = re.compile(r"\.\./shared|shared docs|DOMAIN\.md")
    offenders = []
    # The repository's own files (not build output or the venv): what git tracks.
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for path in (ROOT / name for name in listed.split("\0") if name):
        if path.is_dir() or path.is_symlink():
            continue
        if path.suffix not in (".md", ".py", ".yaml", ".toml", ".j2", ".json", ".txt"):
            continue
        if "tests" in path.relative_to(ROOT).parts and path.name == Path(__file__).name:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}" for _ in pattern.finditer(text)][:1]
    assert not offenders, offenders
