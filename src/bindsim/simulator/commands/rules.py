"""`bindsim rules [PATH...]`: every rule and assumption, what it says, the seed's words, which
scenarios claim it and which really exercise it; exit 1 while a rule is exercised by none."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape

from bindsim.machines.rules import ASSUMPTIONS, RULE_IDS, RULES
from bindsim.simulator import terminal
from bindsim.simulator.commands.run import EXIT_FAILED, EXIT_INVALID, EXIT_PASSED, stderr
from bindsim.simulator.library import default_library
from bindsim.simulator.reference import assumption_default
from bindsim.simulator.scenario.format import hint
from bindsim.simulator.scenario.report import (
    claims,
    exercised_by,
    print_coverage,
    print_errors,
    uncovered_rules,
    unexercised_claims,
)
from bindsim.simulator.scenario.suite import load_suite


@click.command("rules")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print every rule and its scenarios as JSON.")
@click.option("--show", "rule_id", metavar="ID", help="Print one rule or assumption in full.")
@click.option(
    "--contracts",
    "list_contracts",
    is_flag=True,
    help="List each rule's contracts (what run and explore judge), instead of its scenarios.",
)
def rules(paths: tuple[str, ...], as_json: bool, rule_id: str | None, list_contracts: bool) -> None:
    """List every rule ID (R-…) and assumption (A-…) with the scenarios that cover it
    (default: ./scenarios, else the library shipped with bindsim).

    "claimed" counts the scenarios whose `rules:` name it; "exercised", those whose run depended
    on it (its reason codes raised, its transitions or timers fired, facts of it checked by an
    expect); "checked, held", those whose run only checked it and found it held.
    A scenario that claims an R-… rule its run never exercises is flagged.

    Exit status: 0 every R-… rule is exercised by a scenario, 1 one is not, 2 invalid input.
    """
    if rule_id is not None and rule_id.upper() not in RULE_IDS:
        stderr().print(escape(f"unknown rule ID {rule_id!r}{hint(rule_id.upper(), RULE_IDS)}"))
        raise click.exceptions.Exit(EXIT_INVALID)
    if list_contracts:
        print_contracts(Console(highlight=False, soft_wrap=True), rule_id, as_json)
        raise click.exceptions.Exit(EXIT_PASSED)
    suite = load_suite(paths or (str(default_library()),))
    if suite.errors:
        print_errors(stderr(), suite.errors)
        raise click.exceptions.Exit(EXIT_INVALID)
    covered = claims(suite.cases)
    results = suite.run()
    done = exercised_by(results)
    missing = uncovered_rules(done)
    unproven = {
        r.scenario.path: claimed
        for r in results
        if (claimed := [rule for rule in unexercised_claims(r) if rule in RULES])
    }
    console = terminal.console()
    if rule_id is not None:
        show_one(console, rule_id.upper(), covered[rule_id.upper()])
    elif as_json:
        described = {
            **{r.id: {"says": r.statement, "seed": r.seed} for r in RULES.values()},
            **{
                a.id: {"says": a.statement, "default": assumption_default(a.settings)}
                for a in ASSUMPTIONS.values()
            },
        }
        data = {
            "rules": covered,
            "exercised": done,
            "checked_held": exercised_by(results, "held"),
            "uncovered": missing,
            "claimed_not_exercised": unproven,
            "described": described,
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_coverage(console, covered, done, exercised_by(results, "held"))
        for path, claimed in unproven.items():
            console.print(
                f"[yellow]{escape(path)} claims {', '.join(claimed)} but its run never "
                "exercises it[/yellow]"
            )
    raise click.exceptions.Exit(EXIT_FAILED if missing else EXIT_PASSED)


def print_contracts(console: Console, rule_id: str | None, as_json: bool) -> None:
    """Each rule's contracts (simulator/contracts): its name, what it judges, the rule's words."""
    from bindsim.simulator import contracts

    found = contracts.by_rule()
    chosen = [rule_id.upper()] if rule_id is not None else list(RULE_IDS)
    if as_json:
        data = {
            rule: [
                {"name": c.name, "judges": c.kind, "words": c.words} for c in found.get(rule, [])
            ]
            for rule in chosen
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for rule in chosen:
        listed = found.get(rule, [])
        console.print(f"[bold]{rule}[/bold] ({len(listed)} contract{'s' * (len(listed) != 1)})")
        for contract in listed:
            judges = "each step" if contract.kind == "step" else "each state"
            console.print(f"  {contract.name} [dim]({judges})[/dim]: {escape(contract.words)}")


def show_one(console: Console, rule_id: str, paths: list[str]) -> None:
    """One rule or assumption: what it says, the seed's words or its default, its scenarios."""
    if rule_id in RULES:
        rule = RULES[rule_id]
        console.print(f"[bold]{rule.id}[/bold]: {escape(rule.statement)}")
        console.print(f"  seed: {escape(rule.seed)}")
    else:
        assumption = ASSUMPTIONS[rule_id]
        console.print(f"[bold]{assumption.id}[/bold]: {escape(assumption.statement)}")
        console.print(f"  default: {escape(assumption_default(assumption.settings))}")
    console.print(f"  scenarios ({len(paths)}):")
    for path in paths:
        console.print(f"    {escape(path)}")
