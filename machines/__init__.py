"""Explicit state machines of the TikTok Shop binding flows: pure definitions, no clock, no I/O."""

from machines.base import BindsimMachine
from machines.binding import Binding
from machines.durations import format_duration, parse_duration
from machines.invitation import Invitation
from machines.reasons import REASONS, Reason
from machines.ruleset import Ruleset
from machines.text import Edge, Node, Text, Timer
from machines.ticket import SupportTicket

__all__ = [
    "REASONS",
    "BindsimMachine",
    "Binding",
    "Edge",
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
