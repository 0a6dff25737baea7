"""Contracts per rule ID: pre/post conditions over one step and invariants over one state, written
from the rules' words (docs/reference.md), sharing no code with operations, checks or queries.
`bindsim explore` checks every one on every step and every state; `bindsim run` too (unless
--no-contracts); `bindsim rules --contracts` lists them. One module per rule family."""

from __future__ import annotations

from bindsim.simulator.contracts import (  # noqa: F401  (each module registers its contracts)
    ages,
    capabilities,
    invitations,
    limits,
    settings,
    slots,
    tickets,
    unbinding,
)
from bindsim.simulator.contracts.base import (
    CONTRACTS,
    Answers,
    Capabilities,
    Contract,
    Judged,
    Step,
    by_rule,
    judge_state,
    judge_step,
)

__all__ = [
    "CONTRACTS",
    "Answers",
    "Capabilities",
    "Contract",
    "Judged",
    "Step",
    "by_rule",
    "judge_state",
    "judge_step",
]
