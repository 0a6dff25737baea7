"""The clock-controlled world of bindsim: `from simulator import World, ManualClock` is the API."""

from bindsim.machines import Reason, Ruleset
from bindsim.simulator.clock import ManualClock, SystemClock
from bindsim.simulator.errors import (
    BindSimError,
    ClockNotAdjustable,
    ClockWentBackwards,
    InvalidAction,
    InvalidArgument,
    InvalidDuration,
    InvariantBroken,
    NaiveDatetime,
    NotVisible,
    Refused,
    ScenarioError,
    UnknownId,
)
from bindsim.simulator.world import World

__all__ = [
    "BindSimError",
    "ClockNotAdjustable",
    "ClockWentBackwards",
    "InvalidAction",
    "InvalidArgument",
    "InvalidDuration",
    "InvariantBroken",
    "ManualClock",
    "NaiveDatetime",
    "NotVisible",
    "Reason",
    "Refused",
    "Ruleset",
    "ScenarioError",
    "SystemClock",
    "UnknownId",
    "World",
]
