"""Deadlines as data: a heap of due events, fired in (due time, creation order)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, order=True, slots=True)
class Timer:
    """One pending timed event: `event` sent to the machine of object `target` at `due`."""

    due: datetime
    seq: int
    target: str
    event: str


class TimerHeap:
    """Pending timers; popping what is due costs O(k log n) for k due timers, whatever the jump."""

    def __init__(self) -> None:
        # (due, seq, timer): plain tuples compare natively, several times faster than the
        # dataclass ordering of Timer (benchmarks/README.md, time jumps); seq is unique, so the
        # timer itself is never compared.
        self._heap: list[tuple[datetime, int, Timer]] = []
        self._seq = 0

    def schedule(self, due: datetime, target: str, event: str) -> Timer:
        self._seq += 1
        timer = Timer(due, self._seq, target, event)
        heapq.heappush(self._heap, (due, self._seq, timer))
        return timer

    def pop_due(self, now: datetime) -> Iterator[Timer]:
        """Yield every timer due by `now`, earliest first (timers may be added meanwhile)."""
        heap = self._heap
        while heap and heap[0][0] <= now:
            yield heapq.heappop(heap)[2]

    def next_due(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def pending(self) -> list[Timer]:
        return [entry[2] for entry in sorted(self._heap)]

    def __len__(self) -> int:
        return len(self._heap)

    def restore(self, timers: list[Timer], seq: int) -> None:
        self._heap = [(t.due, t.seq, t) for t in timers]
        heapq.heapify(self._heap)
        self._seq = seq

    @property
    def seq(self) -> int:
        return self._seq
