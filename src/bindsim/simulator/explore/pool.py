"""`bindsim explore --jobs N`: the search's own process and N − 1 workers share each level.

Each process holds a share of the level's states, whole, and expands them round by round. A
worker sends back one small record per action tried (the parent state's number, the action and
item set as numbers it sent once, the 128-bit digest) and keeps the states new to it. The search
merges its own successors with the workers' by parent state number, which is the order one
process reads them in, so the result is the same with any N. With each round it hands out, it
says which kept states it admitted since the last: a process keeps those it expands next, sends
the others at the end of the level to the process that is to (only as many as balance the load),
and lets the rest go. It also passes on the digests the others admitted, so that a process
rarely checks a state another already found.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
import pickle
import queue
import threading
import traceback
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from bindsim.errors import WorkerFailed
from bindsim.simulator import coverage
from bindsim.simulator.explore.expand import Context, Expander, Found, collect_garbage
from bindsim.simulator.explore.space import Action
from bindsim.simulator.state import State

# A worker's record of one action tried: (parent number, action number, digest, held, orbit,
# item set number, violation, the kept state's local number or -1).
_Record = tuple[int, int, bytes | None, int, int, int, tuple[str, str] | None, int]
# An admitted state: its local number in the process that made it, its number, its owner.
_Admitted = tuple[int, int, int]
# What a round's message settles: the states made before a local number, those of them
# admitted, and the digests the other processes admitted.
_Settled = tuple[int, list[_Admitted], list[bytes]]

ROUNDS_PER_LEVEL = 32  # a level is handed out in rounds, AHEAD of them in flight
AHEAD = 2
ROUND_MIN = 8  # states per process and round, at least
# The search's own process also reads every record: it takes this much less of each level
# than a worker does.
OWN_SHARE = 0.9
# How many states (weighted by share) a process may be ahead of the least loaded before a
# state it made is moved: it keeps the processes' shares of every round of the next level even.
BALANCE = 32


class _Share:
    """The states one process holds: the level it expands, the next level's, and the states it
    made that the search has not yet said it admitted (by local number)."""

    def __init__(
        self,
        number: int,
        context: Context,
        root: tuple[State, datetime] | None,
        seen: set[bytes],
    ):
        self.number = number
        self.expander = Expander(context, seen)
        # By number: a state and its time, or pickled when it came from another process.
        self.level: dict[int, tuple[State, datetime] | bytes] = {}
        self.upcoming: dict[int, tuple[State, datetime] | bytes] = (
            {0: root} if root is not None else {}
        )
        self.made: dict[int, tuple[State, datetime]] = {}
        self.made_count = self.settled = 0
        self.moving: list[tuple[int, int, bytes]] = []  # (to whom, number, pickled state)

    def expand(self, numbers: list[int]) -> Iterator[Found]:
        """The successors of these states of the level; `kept` is (process, local number)."""
        for number in numbers:
            held = self.level.pop(number)
            state, now = pickle.loads(held) if isinstance(held, bytes) else held
            for found in self.expander.expand(number, state, now):
                if found.kept is not None:
                    self.made[self.made_count] = found.kept
                    kept = (self.number, self.made_count)
                    found = Found(*found[:-1], kept)
                    self.made_count += 1
                yield found

    def admit(self, local: int, number: int, owner: int) -> None:
        state = self.made.pop(local)
        if owner == self.number:
            self.upcoming[number] = state
        else:  # pickled now, sent at the end of the level, unpickled when it is expanded
            blob = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
            self.moving.append((owner, number, blob))

    def settle(self, through: int, admitted: list[_Admitted], learned: list[bytes]) -> None:
        """What the search admitted of the states made before `through` (the rounds it read):
        keep those, let the others go, and learn what the other processes found."""
        self.expander.seen.update(learned)
        for local, number, owner in admitted:
            self.admit(local, number, owner)
        for local in range(self.settled, through):
            self.made.pop(local, None)
        self.settled = max(self.settled, through)

    def end(self, settled: _Settled) -> list[tuple[int, int, bytes]]:
        """The level's last admissions; the states another process expands next, pickled."""
        self.settle(*settled)
        moving, self.moving = self.moving, []
        return moving

    def arrive(self, moving: list[tuple[int, bytes]]) -> None:
        """The states sent here; then the next level begins."""
        self.upcoming.update(moving)
        self.level, self.upcoming = self.upcoming, {}


class PoolFrontier:
    """The frontier of a search shared out over its own process and `jobs` − 1 workers."""

    def __init__(
        self, context: Context, root: tuple[State, datetime], seen: set[bytes], jobs: int
    ) -> None:
        """`seen`: the digests known before the search (the start's)."""
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        processes: Any = multiprocessing.get_context(method)
        self.jobs = jobs
        self.own = _Share(0, context, root, set(seen))
        self.pipes: list[Any] = [None]  # by process number; 0 is this one
        self.workers: list[Any] = []
        gc.freeze()  # the workers' collections then leave what they inherit alone
        try:
            for number in range(1, jobs):
                ours, theirs = processes.Pipe()
                self.pipes.append(ours)
                worker = processes.Process(
                    target=_serve, args=(theirs, number, context, set(seen)), daemon=True
                )
                worker.start()
                self.workers.append(worker)
                theirs.close()
        except BaseException:
            self.close()
            raise
        finally:
            gc.unfreeze()
        self.actions: list[list[Action]] = [[] for _ in range(jobs)]
        self.items: list[list[frozenset[coverage.Item]]] = [[] for _ in range(jobs)]
        self.level: list[tuple[int, int]] = []  # (state number, process) in number order
        self.upcoming: list[tuple[int, int]] = [(0, 0)]
        self.admitted: list[list[_Admitted]] = [[] for _ in range(jobs)]
        self.learned: list[list[bytes]] = [[] for _ in range(jobs)]
        # How many states each worker made in the rounds answered, and in those read.
        self.answered, self.read = [0] * jobs, [0] * jobs
        self.load = [0.0] * jobs
        self.cost = [1 / OWN_SHARE] + [1.0] * (jobs - 1)  # what a state adds to a load

    def expand(self) -> Iterator[Found]:
        size = max(ROUND_MIN * self.jobs, -(-len(self.level) // ROUNDS_PER_LEVEL))
        rounds = [self.level[i : i + size] for i in range(0, len(self.level), size)]
        for ahead in rounds[:AHEAD]:
            self._send_round(ahead)
        for number, states in enumerate(rounds):
            # This process's share, while the workers expand theirs (rounds are small, so at
            # the bound little of it is expanded for nothing).
            own = list(self.own.expand([n for n, process in states if process == 0]))
            answers = [self._receive(worker) for worker in range(1, self.jobs)]
            if number + AHEAD < len(rounds):  # keep the workers busy while this one is read
                self._send_round(rounds[number + AHEAD])
            yield from heapq.merge(own, *answers, key=_parent)
            self.own.settle(self.own.made_count, [], [])  # what it did not admit goes
            self.read = list(self.answered)  # what the next round's message settles

    def keep(self, found: Found, number: int) -> None:
        maker, local = found.kept
        # The maker expands it next, unless it is ahead of the least loaded by BALANCE.
        load = self.load
        least = min(range(self.jobs), key=load.__getitem__)
        owner = maker if load[maker] - load[least] < BALANCE else least
        load[owner] += self.cost[owner]
        if maker == 0:
            self.own.admit(local, number, owner)
        else:
            self.admitted[maker].append((local, number, owner))
            assert found.digest is not None
            self.own.expander.seen.add(found.digest)
        self.upcoming.append((number, owner))
        for worker in range(1, self.jobs):
            if worker != maker:
                self.learned[worker].append(found.digest)  # type: ignore[arg-type]

    def next_level(self) -> int:
        for worker in range(1, self.jobs):
            settled = (self.answered[worker], self.admitted[worker], self.learned[worker])
            self._send(worker, "end", settled)
        moving: list[list[tuple[int, bytes]]] = [[] for _ in range(self.jobs)]
        for owner, number, blob in self.own.end((self.own.made_count, [], [])):
            moving[owner].append((number, blob))
        for worker in range(1, self.jobs):
            for owner, number, blob in self._answer(worker):
                moving[owner].append((number, blob))
        self.own.arrive(moving[0])
        for worker in range(1, self.jobs):
            self._send(worker, "arrive", moving[worker])
        self.level, self.upcoming = self.upcoming, []
        self.admitted = [[] for _ in range(self.jobs)]
        self.learned = [[] for _ in range(self.jobs)]
        self.load = [0.0] * self.jobs
        return len(self.level)

    def close(self) -> None:
        for worker in self.workers:
            worker.terminate()  # a search stopped at its bound does not wait for the round
        for worker in self.workers:
            worker.join()
        for pipe in self.pipes[1:]:
            pipe.close()
        self.workers, self.pipes = [], [None]

    def _send_round(self, states: list[tuple[int, int]]) -> None:
        """Hand a round out to the workers, with what the search admitted of the rounds it read
        since the last."""
        shares: list[list[int]] = [[] for _ in range(self.jobs)]
        for number, process in states:
            shares[process].append(number)
        for worker in range(1, self.jobs):
            settled = (self.read[worker], self.admitted[worker], self.learned[worker])
            self._send(worker, "round", (shares[worker], settled))
            self.admitted[worker], self.learned[worker] = [], []

    def _receive(self, worker: int) -> list[Found]:
        records, actions, items, made = self._answer(worker)
        self.answered[worker] = made
        known_actions, known_items = self.actions[worker], self.items[worker]
        known_actions += actions
        known_items += items
        return [
            Found(
                parent,
                known_actions[action],
                code,
                mask,
                orbit,
                known_items[item],
                violation,
                (worker, local) if local >= 0 else None,
            )
            for parent, action, code, mask, orbit, item, violation, local in records
        ]

    def _send(self, worker: int, kind: str, body: Any) -> None:
        try:
            self.pipes[worker].send((kind, body))
        except OSError:  # it died
            raise WorkerFailed(worker, "") from None

    def _answer(self, worker: int) -> Any:
        try:
            kind, body = self.pipes[worker].recv()
        except EOFError:
            raise WorkerFailed(worker, "") from None
        if kind == "failed":
            raise WorkerFailed(worker, body)
        return body


def _parent(found: Found) -> int:
    return found.parent


def _serve(pipe: Any, number: int, context: Context, seen: set[bytes]) -> None:
    """A worker: expands the states it is given, round by round, until it is stopped."""
    gc.disable()  # collected as the search's own process does: see collect_garbage
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    # Messages are read as they come, by a thread of their own: the search may send a round
    # while this worker sends its answer to an earlier one, and if each waited for the other to
    # read a message larger than the pipe's buffer, neither would.
    threading.Thread(target=_read, args=(pipe, inbox), daemon=True).start()
    try:
        share = _Share(number, context, None, seen)
        actions: dict[Action, int] = {}
        items: dict[frozenset[coverage.Item], int] = {}
        while True:
            kind, body = inbox.get()
            if kind == "round":
                numbers, settled = body
                share.settle(*settled)
                pipe.send(("found", _records(share, numbers, actions, items)))
                collect_garbage()
            elif kind == "end":
                pipe.send(("moving", share.end(body)))
            elif kind == "arrive":
                share.arrive(body)
                collect_garbage()
            else:  # the search's process ended: so does this one
                return
    except KeyboardInterrupt:  # Ctrl-C reaches every process: the search's says so
        return
    except Exception:  # the search reports it; a worker never dies silently
        pipe.send(("failed", traceback.format_exc()))


def _read(pipe: Any, inbox: queue.SimpleQueue[Any]) -> None:
    try:
        while True:
            inbox.put(pipe.recv())
    except (EOFError, OSError):
        inbox.put(("closed", None))


def _records(
    share: _Share,
    numbers: list[int],
    actions: dict[Action, int],
    items: dict[frozenset[coverage.Item], int],
) -> tuple[list[_Record], list[Action], list[frozenset[coverage.Item]], int]:
    """A round's successors as records, with the actions and item sets numbered for the first
    time, and how many states the worker has made so far."""
    records: list[_Record] = []
    new_actions: list[Action] = []
    new_items: list[frozenset[coverage.Item]] = []
    for found in share.expand(numbers):
        action = actions.get(found.action)
        if action is None:
            action = actions[found.action] = len(actions)
            new_actions.append(found.action)
        item = items.get(found.items)
        if item is None:
            item = items[found.items] = len(items)
            new_items.append(found.items)
        local = found.kept[1] if found.kept is not None else -1
        records.append(
            (
                found.parent,
                action,
                found.digest,
                found.held,
                found.orbit,
                item,
                found.violation,
                local,
            )
        )
    return records, new_actions, new_items, share.made_count
