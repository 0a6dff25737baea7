"""The scenario library and the seed ruleset that ship with bindsim, and where commands find them.

They are package data, in the repository at `src/bindsim/scenarios/` and
`src/bindsim/rulesets/`; an installed wheel carries the same files (`bindsim/scenarios`,
`bindsim/rulesets`), so `bindsim demo`, `bindsim rules` and `bindsim init` work anywhere.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from bindsim.errors import CannotWrite

LIBRARY = "scenarios"


def shipped_library() -> Path:
    """The scenario library inside the installed package."""
    return Path(str(files("bindsim") / "scenarios"))


def seed_ruleset() -> Path:
    """The seed's rules as a TOML file, every setting with its rule ID."""
    return Path(str(files("bindsim") / "rulesets" / "seed.toml"))


def default_library() -> Path:
    """What commands run when given no path: ./scenarios if there is one (your own library, as
    `bindsim init` writes it), else the library that ships with bindsim."""
    local = Path(LIBRARY)
    return local if local.is_dir() else shipped_library()


def init(target: str | Path, force: bool = False) -> list[Path]:
    """Copy the library and the seed ruleset into `target` (scenarios/, rulesets/seed.toml), to
    change and run. Refuses to overwrite a file unless `force`; returns the files written."""
    target = Path(target)
    library = shipped_library()
    sources = {
        path: target / "scenarios" / path.relative_to(library)
        for path in sorted(library.rglob("*"))
        if path.is_file() and (path.suffix == ".yaml" or path.name == "README.md")
    }
    sources[seed_ruleset()] = target / "rulesets" / "seed.toml"
    existing = [dest for dest in sources.values() if dest.exists()]
    if existing and not force:
        raise CannotWrite(
            existing[0],
            f"it exists ({len(existing)} of the files do); use --force to overwrite them",
        )
    for source, dest in sources.items():
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
        except OSError as error:
            raise CannotWrite(dest, error.strerror or str(error)) from None
    return list(sources.values())
