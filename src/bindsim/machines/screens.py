"""What the screen machines share: labels are events, guards decide what is visible."""

from __future__ import annotations

from typing import ClassVar

from bindsim.machines import guards
from bindsim.machines.base import BindsimMachine
from bindsim.machines.spec import spec_of
from bindsim.machines.text import Edge


class ScreenMachine(BindsimMachine):
    """A user interface as a statechart: a state per screen, an event per on-screen label.

    Each event's Edge `label.en` is the label as the UI shows it (the seed's English UI strings);
    `.zh` is its Chinese form, which `label_event` accepts too. An edge that `follows` another
    machine's event is no label: the screen moves by itself when that event happens.
    """

    screens: ClassVar[str]  # "app" or "Seller Center", for messages

    @classmethod
    def label_event(cls, label: str) -> str | None:
        """The event a label triggers, in any language; None if no screen has that label."""
        return spec_of(cls).label_event(label)

    @classmethod
    def labels(cls) -> list[str]:
        return spec_of(cls).labels()

    @classmethod
    def label_edges(cls) -> dict[str, Edge]:
        """The edges a user taps or clicks, by event: every edge but those that follow."""
        return spec_of(cls).label_edges()

    @classmethod
    def follower(cls, event: str) -> str | None:
        """This screen's event that follows `event` ("Binding.approve_unlink"), if any."""
        return spec_of(cls).follower(event)

    # Guards (static: see BindsimMachine) over the facts the simulator hands in.
    showcase_shown = staticmethod(guards.showcase_shown)
    linked = staticmethod(guards.linked)
    can_request_unlink = staticmethod(guards.can_request_unlink)
    has_unlink_request = staticmethod(guards.has_unlink_request)
