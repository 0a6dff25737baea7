"""`bindsim codes [CODE]`: every reason code with its message (en, zh), remedy, verbs and rules."""

from __future__ import annotations

import json

import click
from rich.markup import escape

from bindsim.simulator import terminal
from bindsim.simulator.commands.run import EXIT_INVALID, stderr
from bindsim.simulator.reference import codes_table
from bindsim.simulator.scenario.format import SCENARIO_CODES, hint


@click.command("codes")
@click.argument("code", required=False)
@click.option("--lang", "-l", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def codes(code: str | None, lang: str, as_json: bool) -> None:
    """List the reason codes that refusals carry and `expect_error` names (or one CODE)."""
    rows = codes_table()
    if code is not None:
        rows = [row for row in rows if row["code"] == code.upper()]
        if not rows and code.upper() not in SCENARIO_CODES:
            known = [row["code"] for row in codes_table()] + list(SCENARIO_CODES)
            stderr().print(escape(f"unknown reason code {code!r}{hint(code.upper(), known)}"))
            raise click.exceptions.Exit(EXIT_INVALID)
    extra = {c: t for c, t in SCENARIO_CODES.items() if code is None or c == code.upper()}
    if as_json:
        data = {"reasons": rows, "scenario_codes": extra}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console = terminal.console()
    for row in rows:
        console.print(
            f"[bold]{row['code']}[/bold]  [dim]{', '.join(row['rules'])}; "
            f"verbs: {', '.join(row['verbs'])}[/dim]"
        )
        console.print(f"  {escape(row[lang])}")
        if row[f"remedy_{lang}"]:
            console.print(f"  → {escape(row[f'remedy_{lang}'])}")
    for scenario_code, text in extra.items():
        console.print(f"[bold]{scenario_code}[/bold]  [dim]the scenario format; any action[/dim]")
        console.print(f"  {escape(text)}")
