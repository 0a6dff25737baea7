"""Explicit state machines of the TikTok Shop binding flows: pure definitions, no clock, no I/O."""

from machines.base import BindsimMachine
from machines.binding import Binding
from machines.creator_app import CreatorApp
from machines.durations import format_duration, parse_duration
from machines.invitation import Invitation
from machines.reasons import REASONS, Reason
from machines.ruleset import InvalidSetting, Ruleset
from machines.screens import ScreenFacts, ScreenMachine
from machines.seller_center import SellerCenter
from machines.text import Edge, Node, Text, Timer
from machines.ticket import SupportTicket

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
