"""The event log: who did what, when, with which outcome, reason codes and state changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    """One machine event taken: object `target` (its `machine`) went from `before` to `after`."""

    target: str
    machine: str
    event: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "machine": self.machine,
            "event": self.event,
            "before": list(self.before),
            "after": list(self.after),
        }


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One step of the World: an action (ok or refused) or a timer firing, at its own time."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: dict[str, str]
    outcome: str  # "ok", "refused" or "timer"
    reasons: tuple[str, ...] = ()
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "subject": dict(self.subject),
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "changes": [c.to_dict() for c in self.changes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogEntry:
        return cls(
            seq=data["seq"],
            at=datetime.fromisoformat(data["at"]),
            actor=data["actor"],
            action=data["action"],
            subject=dict(data["subject"]),
            outcome=data["outcome"],
            reasons=tuple(data["reasons"]),
            changes=tuple(
                Change(c["target"], c["machine"], c["event"], tuple(c["before"]), tuple(c["after"]))
                for c in data["changes"]
            ),
        )

    def describe(self) -> str:
        who = ", ".join(f"{k}={v}" for k, v in self.subject.items())
        text = f"{self.at.isoformat()}  {self.actor:<10} {self.action}({who}) → {self.outcome}"
        if self.reasons:
            text += " [" + ", ".join(self.reasons) + "]"
        return text
