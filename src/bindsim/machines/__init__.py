"""Explicit state machines of the TikTok Shop binding flows: pure definitions, no clock, no I/O."""

from bindsim.errors import InvalidSetting
from bindsim.machines.base import BindsimMachine
from bindsim.machines.binding import Binding
from bindsim.machines.creator_app import CreatorApp
from bindsim.machines.durations import format_duration, parse_duration
from bindsim.machines.invitation import Invitation
from bindsim.machines.reasons import REASONS, Reason
from bindsim.machines.ruleset import Ruleset
from bindsim.machines.screens import ScreenFacts, ScreenMachine
from bindsim.machines.seller_center import SellerCenter
from bindsim.machines.text import Edge, Node, Text, Timer
from bindsim.machines.ticket import SupportTicket

# Every machine, in the order trainers meet them: what `bindsim diagram all` draws.
MACHINES: tuple[type[BindsimMachine], ...] = (
    Invitation,
    Binding,
    SupportTicket,
    CreatorApp,
    SellerCenter,
)

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
