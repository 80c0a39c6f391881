"""Who trains when: a line of its own for training runs, a few places long, so that training never fills the
app's event queue (TrainingQueue); a place in it (Turn)."""
import dataclasses
import math
import threading
import time


class QueueFull(Exception):
    """The training queue turned a visitor away: why (a texts.py key) and about how many minutes until it would not."""

    def __init__(self, key: str, minutes: int):
        super().__init__(f"{key}: about {minutes} min")
        self.key, self.minutes = key, minutes


class TrainingQueue:
    """Who trains when. At most `running` runs train at once and `waiting` more wait in line, and a session or a
    client address has at most one run training or waiting; anyone else is turned away at once (QueueFull). So
    training waits in a line of its own, a few places long, and never fills the app's event queue.

    The minutes a refusal gives assume every run ahead takes its whole time limit: an upper bound."""

    def __init__(self, running: int = 1, waiting: int = 3, run_seconds: float = 300.0, grace_s: float = 120.0,
                 reserve_s: float = 5.0):
        self.running, self.waiting, self.run_seconds, self.grace_s = running, waiting, run_seconds, grace_s
        self.reserve_s = reserve_s
        self.line: list[Turn] = []  # in order of arrival; the first `running` of them train
        self.changed = threading.Condition()

    def enter(self, session: str | None, client: str | None = None, runs: int = 1) -> "Turn":
        """A place in line for `runs` runs in a row (leave it when done); QueueFull if the visitor has one already
        or the line is full. A place the gate kept for this session (reserve) is taken up instead."""
        with self.changed:
            kept = next((t for t in self.line if t.reserved and t.session == session), None) if session else None
            if kept:
                kept.reserved, kept.seen, kept.budget_s = False, time.monotonic(), runs * self.run_seconds
                return kept
            return self._admit(session, client, runs)

    def reserve(self, session: str, client: str | None) -> None:
        """Keep a place for a training event about to join Gradio's queue (limits.TrainGate), so that a burst of
        joins is turned away at the HTTP request, before Gradio queues them; its handler takes the place up
        (enter) within milliseconds. QueueFull as enter; a place not taken up within `reserve_s` (its join failed
        before the handler ran: Gradio's own checks of the values) is given back, and the same session joining
        again takes its place over."""
        with self.changed:
            self.line = [t for t in self.line if not (t.reserved and t.session == session)]
            self._admit(session, client, 1).reserved = True

    def _admit(self, session: str | None, client: str | None, runs: int) -> "Turn":
        self._drop_stale()
        ends = self._ends()
        for turn, end in zip(self.line, ends, strict=True):
            if (session is not None and turn.session == session) or (client is not None and turn.client == client):
                raise QueueFull("train_yours", _minutes(end))
        if len(self.line) >= self.running + self.waiting:
            raise QueueFull("train_queue_full", _minutes(min(ends[: self.running])))
        turn = Turn(self, session, client, runs * self.run_seconds)
        self.line.append(turn)
        return turn

    def _ends(self) -> list[float]:
        """When each turn in line ends at the latest: the running ones their time limit after they started, each
        waiting one its time limit after the earliest of those ends."""
        now = time.monotonic()
        ends = [(t.started or now) + t.budget_s for t in self.line[: self.running]]
        free = sorted(ends)
        for t in self.line[self.running :]:
            ends.append(free.pop(0) + t.budget_s)
            free = sorted(free + [ends[-1]])
        return ends

    def _drop_stale(self) -> None:
        """Forget turns whose handler is gone without leaving: places kept by the gate and never taken up, waiting
        ones that stopped asking, running ones long past their time limit (a run stops itself at its limit), so that
        a lost turn cannot hold a place for ever."""
        now = time.monotonic()
        stale = [t for t in self.line if (t.reserved and now - t.seen > self.reserve_s)
                 or (t.started is None and now - t.seen > self.grace_s)
                 or (t.started is not None and now - t.started > t.budget_s + self.grace_s)]
        for t in stale:
            self.line.remove(t)
        if stale:
            self.changed.notify_all()


@dataclasses.dataclass(eq=False)
class Turn:
    """A visitor's place in a TrainingQueue: wait() until it trains, then leave() (or use it in a with block)."""

    queue: TrainingQueue
    session: str | None
    client: str | None
    budget_s: float  # the longest its runs may take together
    started: float | None = None  # when it began to train
    reserved: bool = False  # kept by the gate for its session's handler, not taken up yet
    seen: float = dataclasses.field(default_factory=time.monotonic)  # when it last asked about its place

    def place(self) -> int:
        """0 while it trains (or once it left), else its place among those waiting (1: next)."""
        q = self.queue
        return max(0, q.line.index(self) - q.running + 1) if self in q.line else 0

    def wait(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for this turn to train: 0 once it does, else its place in line."""
        with self.queue.changed:
            self.seen = time.monotonic()
            self.queue.changed.wait_for(lambda: self.place() == 0, timeout)
            place = self.place()
            if place == 0 and self.started is None:
                self.started = time.monotonic()
            return place

    def waiting(self) -> int:
        """How many turns wait in line now."""
        return max(0, len(self.queue.line) - self.queue.running)

    def leave(self) -> None:
        with self.queue.changed:
            if self in self.queue.line:
                self.queue.line.remove(self)
                self.queue.changed.notify_all()

    def __enter__(self) -> "Turn":
        return self

    def __exit__(self, *exc) -> None:
        self.leave()


def _minutes(end: float) -> int:
    return max(1, math.ceil((end - time.monotonic()) / 60))
