"""The reference (docs/reference.md, `bindsim codes`, `bindsim rules`), generated from the data
the code runs on: the rules and assumptions (machines/rules.py), the reason table
(machines/reasons.py), the Ruleset's defaults and the scenario format's declaration.

Regenerate the file with `python -m bindsim.simulator.reference [docs/reference.md]`; a test
keeps it current.
"""

from __future__ import annotations

import sys
from typing import Any

from bindsim.machines import REASONS, Reason, Ruleset
from bindsim.machines.rules import ASSUMPTIONS, RULES, SETTINGS
from bindsim.machines.ruleset import CONTRADICTIONS
from bindsim.simulator.files import write_atomic
from bindsim.simulator.scenario import model
from bindsim.simulator.scenario.expect import CHECKS
from bindsim.simulator.scenario.format import (
    CREATOR_FACTS,
    SCENARIO_CODES,
    SHOP_FIELDS,
    TOP_LEVEL,
    VERBS,
    Checks,
    Fields,
    Scalar,
    SetFacts,
)

DEFAULT_PATH = "docs/reference.md"


def setting_value(value: Any) -> str:
    """A ruleset value as a file writes it: `48h`, `[US]`, `true`, `3`."""
    if isinstance(value, tuple):
        return "[" + ", ".join(str(getattr(v, "value", v)) for v in value) + "]"
    return model.scalar(value)


def settings_table() -> list[dict[str, str]]:
    """Every Ruleset setting: its default, meaning and rules."""
    defaults = Ruleset()
    return [
        {
            "setting": name,
            "default": setting_value(getattr(defaults, name)),
            "meaning": info.meaning,
            "rules": ", ".join(info.rules),
        }
        for name, info in SETTINGS.items()
    ]


def codes_table() -> list[dict[str, Any]]:
    """Every reason code: en, zh, remedy, the verbs that raise it and its rules."""
    rows = []
    for reason in Reason:
        info = REASONS[reason]
        rows.append(
            {
                "code": reason.value,
                "en": info.message("en"),
                "zh": info.message("zh"),
                "remedy_en": info.remedy("en") if info.remedy else "",
                "remedy_zh": info.remedy("zh") if info.remedy else "",
                "verbs": list(info.verbs),
                "rules": list(info.rules),
            }
        )
    return rows


def assumption_default(settings: tuple[str, ...]) -> str:
    defaults = Ruleset()
    if not settings:
        return "as stated"
    return ", ".join(f"`{name} = {setting_value(getattr(defaults, name))}`" for name in settings)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _verb_fields(name: str) -> str:
    shape = VERBS[name].shape
    if isinstance(shape, Fields):
        parts = []
        for spec in shape.items:
            word = f"`{spec.name}`" + ("" if spec.required else " (optional)")
            parts.append(word)
        return ", ".join(parts)
    if isinstance(shape, Scalar):
        return f"a {shape.type.name}: {shape.type.doc}"
    if isinstance(shape, SetFacts):
        return " or ".join(
            f"`{target}` and any of " + ", ".join(f"`{n}`" for n in facts)
            for target, (_, facts) in shape.targets.items()
        )
    assert isinstance(shape, Checks)
    return "a check, or a list of checks (below)"


def reference_markdown() -> str:
    """docs/reference.md, as text."""
    out = [
        "# bindsim reference",
        "",
        "Generated from the code by `python -m bindsim.simulator.reference`; do not edit by hand.",
        "The same data answers `bindsim rules`, `bindsim codes` and the scenario validator.",
        "",
        "The rules come from a Chinese help article of 2024-11-11, "
        "“小店后台如何绑定解绑TikTok账号” (how a TikTok Shop binds and unbinds TikTok accounts); "
        "each rule quotes the words it rests on. Where the article is silent, an assumption "
        "(`A-…`) fills the gap, and each one is a ruleset setting or a stated reading.",
        "",
        "## Rules",
        "",
    ]
    out += _table(
        ["ID", "rule", "the seed's words"],
        [[f"`{r.id}`", r.statement, r.seed] for r in RULES.values()],
    )
    out += ["## Reason codes", ""]
    out += [
        "Every refusal and failure carries one or more codes; `expect_error` and `reasons` "
        "name them. *Verbs* are the scenario verbs whose step can be refused with the code "
        "(or, for a stuck binding and a ticket's causes, records it).",
        "",
    ]
    out += _table(
        ["code", "English", "中文", "remedy", "verbs", "rules"],
        [
            [
                f"`{row['code']}`",
                row["en"],
                row["zh"],
                f"{row['remedy_en']} / {row['remedy_zh']}" if row["remedy_en"] else "",
                ", ".join(row["verbs"]),
                ", ".join(row["rules"]),
            ]
            for row in codes_table()
        ],
    )
    out += ["`expect_error` also takes one code of the scenario format itself:", ""]
    out += _table(
        ["code", "meaning"], [[f"`{code}`", text] for code, text in SCENARIO_CODES.items()]
    )
    out += ["## Assumptions", ""]
    out += _table(
        ["ID", "assumption", "default"],
        [[f"`{a.id}`", a.statement, assumption_default(a.settings)] for a in ASSUMPTIONS.values()],
    )
    out += ["## Ruleset settings", ""]
    out += [
        "Set them in a scenario's `ruleset:` or in a file for `bindsim run --ruleset FILE` "
        "(see `rulesets/seed.toml`). Durations are written like `90s`, `47h59m`, `180d`.",
        "",
    ]
    out += _table(
        ["setting", "default", "meaning", "rules"],
        [
            [f"`{r['setting']}`", f"`{r['default']}`", r["meaning"], r["rules"]]
            for r in settings_table()
        ],
    )
    out += [
        "Settings that contradict each other are refused when the ruleset is read (a scenario's "
        "`ruleset:`, a `--ruleset` file, a snapshot), naming each setting and its value:",
        "",
    ]
    out += [f"- {', '.join(f'`{name}`' for name in c.settings)}: {c.why}." for c in CONTRADICTIONS]
    out += ["", "## The scenario format", "", "### Top-level fields", ""]
    out += _table(
        ["field", "required", "meaning"],
        [[f"`{f.name}`", "yes" if f.required else "no", f.help] for f in TOP_LEVEL.values()],
    )
    out += ["### Shops", ""]
    out += _table(
        ["field", "required", "value", "default"],
        [
            [f"`{f.name}`", "yes" if f.required else "no", f.type.doc, _default(f.default)]
            for f in SHOP_FIELDS.values()
        ],
    )
    out += ["### Creator facts", ""]
    out += [
        "Declared under `creators:`, changed by `set`, compared by `expect: {creator: …}`.",
        "",
    ]
    out += _table(
        ["fact", "required", "value", "meaning", "default"],
        [
            [f"`{f.name}`", "yes" if f.required else "no", f.type.doc, f.help, _default(f.default)]
            for f in CREATOR_FACTS.values()
        ],
    )
    out += ["### Verbs", ""]
    out += [
        "Each step has one verb, and optionally `note:` and (on a verb that acts) `expect_error:`.",
        "",
    ]
    out += _table(
        ["verb", "takes", "what happens", "rules"],
        [[f"`{v.name}`", _verb_fields(v.name), v.help, ", ".join(v.rules)] for v in VERBS.values()],
    )
    out += ["### Checks of `expect`", ""]
    rows = []
    for kind in CHECKS.values():
        subject = ", ".join(f"`{f.name}`" for f in kind.subject) if len(kind.subject) == 2 else ""
        subject = subject or ("an id" if kind.subject else "the time itself")
        for name, fact in kind.facts.items():
            rows.append([f"`{kind.name}`", subject, f"`{name}`", fact.type.doc, fact.help])
    out += _table(["check", "subject", "fact", "value", "meaning"], rows)
    return "\n".join(out).rstrip() + "\n"


def _default(value: Any) -> str:
    return "" if value is None else f"`{model.scalar(value)}`"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else DEFAULT_PATH
    write_atomic(path, reference_markdown())
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
