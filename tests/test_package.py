"""The package as users get it (issue 9): a wheel that holds only `bindsim`, with its library,
ruleset, types and license, and that works installed anywhere, away from the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from bindsim.extras import EXTRAS
from bindsim.simulator.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the tracked files as plain files (what a checkout without
    symlink support has): setuptools writes build/ and *.egg-info/ beside the sources, which must
    not appear in the repository under test."""
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "bindsim"
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("bindsim-*.whl")
    return found


def test_no_symlink_is_tracked_so_every_checkout_has_the_real_folders() -> None:
    """Issue 20: a checkout without symlink support turned each link into a text file, and its
    wheel held only `__init__.py`. Mode 120000 is git's mark of a symlink."""
    staged = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout.splitlines()
    assert staged and not [line for line in staged if line.startswith("120000 ")]


def test_the_wheel_holds_every_module_of_the_source_tree(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    source = ROOT / "src"
    modules = {p.relative_to(source).as_posix() for p in source.rglob("*.py")}
    assert len(modules) > 100 and modules <= names, sorted(modules - names)[:5]


def test_the_wheel_holds_only_bindsim_with_its_library_ruleset_types_and_license(
    wheel: Path,
) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"bindsim", next(t for t in tops if t.endswith(".dist-info"))}
    assert "bindsim/py.typed" in names
    assert "bindsim/rulesets/seed.toml" in names
    library = [n for n in names if n.startswith("bindsim/scenarios/") and n.endswith(".yaml")]
    # every scenario and the cast files they include (scenarios/casts/*.yaml)
    assert len(library) == len(list((ROOT / "src" / "bindsim" / "scenarios").rglob("*.yaml")))
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "bindsim/simulator/scenario/schema.json" in names


def test_the_wheel_needs_at_runtime_only_what_runtime_code_uses(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    requires = Parser().parsestr(archive.read(metadata).decode()).get_all("Requires-Dist") or []
    runtime = {r.split(">")[0].split("<")[0].strip() for r in requires if "extra ==" not in r}
    assert "freezegun" in runtime  # frozen_world, in the plugin every install registers
    assert "jsonschema" not in runtime  # only the tests validate against the schema


def test_an_installed_wheel_runs_the_shipped_library_away_from_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
        + [str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}

    def bindsim(*args: str) -> subprocess.CompletedProcess[str]:
        code = "import sys; from bindsim.simulator.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )

    where = subprocess.run(
        [sys.executable, "-c", "import bindsim; print(bindsim.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(target)), where  # the wheel's bindsim, not the repository's
    rules = bindsim("rules")
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "R-LOCK-24H" in rules.stdout
    init = bindsim("init", "mine")
    assert init.returncode == 0, init.stderr
    assert (elsewhere / "mine" / "rulesets" / "seed.toml").is_file()
    again = bindsim("init", "mine")
    assert again.returncode == 1 and "use --force" in again.stderr
    ran = bindsim("run", "mine/scenarios", "--ruleset", "mine/rulesets/seed.toml")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    demo = bindsim("demo", "--out", "pictures")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert (elsewhere / "pictures" / "index.html").is_file()


def test_the_core_install_needs_none_of_the_extras(wheel: Path) -> None:
    """Issue 20: `pip install bindsim` is the light core; PDF/PPTX and the server are extras."""
    archive = zipfile.ZipFile(wheel)
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    requires = Parser().parsestr(archive.read(metadata).decode()).get_all("Requires-Dist") or []
    core = {r.split(">")[0].split("<")[0].strip().lower() for r in requires if "extra ==" not in r}
    heavy = {"weasyprint", "python-pptx", "starlette", "uvicorn", "python-multipart", "playwright"}
    assert core and not core & heavy, core & heavy
    extras = Parser().parsestr(archive.read(metadata).decode()).get_all("Provides-Extra") or []
    assert {"slides", "serve", "all"} <= set(extras)


# Each extra's distributions and the module each provides, as the extras table names them.
PROVIDES = {"python-pptx": "pptx", "python-multipart": "python_multipart"}


def test_the_extras_table_names_the_modules_of_pyprojects_extras() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = config["project"]["optional-dependencies"]
    for extra, modules in EXTRAS.items():
        names = [re.split(r"[<>=\[ ]", requirement)[0] for requirement in declared[extra]]
        assert sorted(PROVIDES.get(name, name) for name in names) == sorted(modules), extra


@pytest.mark.parametrize(
    ("blocked", "argv", "extra"),
    [
        ("uvicorn", ["serve", "--port", "0"], "serve"),
        ("starlette", ["serve", "--port", "0"], "serve"),
        ("weasyprint", ["storyboard", "STORY", "-f", "pdf"], "slides"),
        ("pptx", ["storyboard", "STORY", "-f", "html", "-f", "pptx"], "slides"),
        ("pptx", ["demo", "-s", "pptx", "--out", "OUT"], "slides"),
    ],
)
def test_a_command_whose_extra_is_missing_says_which_to_install(
    blocked: str,
    argv: list[str],
    extra: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    story = ROOT / "src" / "bindsim" / "scenarios" / "stories"
    story = story / "official_account_lifecycle.scenario.yaml"
    argv = [str(story) if a == "STORY" else str(tmp_path) if a == "OUT" else a for a in argv]
    monkeypatch.setitem(sys.modules, blocked, None)  # `import blocked` now fails
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"install bindsim[{extra}]" in err and blocked in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())  # refused before any work


def test_bindsim_help_imports_no_command_module_and_no_world() -> None:
    """Issue 20: `bindsim --help` lists the commands from the CLI's table alone."""
    code = (
        "import sys; from bindsim.simulator.cli import main; main(['--help']); "
        "loaded = [m for m in sys.modules if m.startswith('bindsim.simulator.commands.')"
        " or m in ('bindsim.simulator.world', 'starlette', 'jinja2', 'graphviz', 'rich')]; "
        "print('LOADED', loaded)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "LOADED []" in done.stdout, done.stdout
    assert all(f"  {name}" in done.stdout for name in COMMANDS)
