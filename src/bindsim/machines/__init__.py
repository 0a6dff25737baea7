"""Explicit state machines of the TikTok Shop binding flows: pure definitions, no clock, no I/O.

The machine classes (python-statemachine) are loaded on first use: the simulator runs their
compiled specs (machines/compiled.py) and a plain run never imports python-statemachine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from bindsim.errors import InvalidSetting
from bindsim.machines.durations import format_duration, parse_duration
from bindsim.machines.guards import ScreenFacts
from bindsim.machines.reasons import REASONS, Reason
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.text import Edge, Node, Text, Timer

if TYPE_CHECKING:  # the same names, for type checkers (`X as X` marks a re-export)
    from bindsim.machines.base import BindsimMachine as BindsimMachine
    from bindsim.machines.binding import Binding as Binding
    from bindsim.machines.creator_app import CreatorApp as CreatorApp
    from bindsim.machines.invitation import Invitation as Invitation
    from bindsim.machines.screens import ScreenMachine as ScreenMachine
    from bindsim.machines.seller_center import SellerCenter as SellerCenter
    from bindsim.machines.ticket import SupportTicket as SupportTicket

# The machines in the order trainers meet them: what `bindsim diagram all` draws (MACHINES).
_ORDER = ("Invitation", "Binding", "SupportTicket", "CreatorApp", "SellerCenter")
# Each class and the module that defines it.
_HOMES = {
    "Invitation": "bindsim.machines.invitation",
    "Binding": "bindsim.machines.binding",
    "SupportTicket": "bindsim.machines.ticket",
    "CreatorApp": "bindsim.machines.creator_app",
    "SellerCenter": "bindsim.machines.seller_center",
    "BindsimMachine": "bindsim.machines.base",
    "ScreenMachine": "bindsim.machines.screens",
}
MACHINES: tuple[type[BindsimMachine], ...]


def __getattr__(name: str) -> Any:
    if name == "MACHINES":
        value: Any = tuple(__getattr__(n) for n in _ORDER)
    elif name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
    else:
        raise AttributeError(f"module 'bindsim.machines' has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


__all__ = [
    "MACHINES",
    "REASONS",
    "CreatorApp",
    "ScreenFacts",
    "ScreenMachine",
    "SellerCenter",
    "BindsimMachine",
    "Binding",
    "Edge",
    "InvalidSetting",
    "Invitation",
    "Node",
    "Reason",
    "Ruleset",
    "SupportTicket",
    "Text",
    "Timer",
    "format_duration",
    "parse_duration",
]
