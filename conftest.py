"""Marks for the whole test run (the tests and the scenario library that pytest collects)."""

from __future__ import annotations

import pytest

# Library cases that `bindsim run`'s contracts (issue 21) find broken by a defect of the
# operations fixed on its own branch (issue 24: channel_binds_left does not count the place a
# stuck channel binding reserves under channel_count_from "bound", A-CHANNEL-COUNT). Strict: once
# the fix is merged these pass, the xfail fails, and this list goes.
KNOWN_DEFECTS = {
    "limits/failed_channel_binding_gives_its_count_back.scenario.yaml": "[bound-1]",
    "limits/stuck_channel_binding_counted_from_acceptance_or_completion.scenario.yaml": (
        "[bound-1-0]"
    ),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for path, case in KNOWN_DEFECTS.items():
            if item.nodeid.startswith(f"src/bindsim/scenarios/{path}") and item.nodeid.endswith(
                case
            ):
                item.add_marker(
                    pytest.mark.xfail(
                        reason="issue 24: channel_binds_left misses the reservation",
                        strict=True,
                    )
                )
