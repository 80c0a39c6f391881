"""Who trains when: a line of its own for training runs, admitted by how long the work already in it would keep a
newcomer waiting, so that training never fills the app's event queue (TrainingQueue); a place in it (Turn)."""
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
    """Who trains when. At most `running` runs train at once; a newcomer waits in line if the runs ahead of it are
    expected to end within `max_wait_s` (and the line is under `max_line` long), else it is turned away at once
    (QueueFull). A session or a client address has at most one place (training or waiting).

    What a visitor is told (its place, its wait, when to try again) comes from each turn's expected time (the
    server's estimate of its runs); a turn may take up to its budget (the runs' time limit), and a turn that
    overruns its expectation is expected to end soon after, not at its limit."""

    def __init__(self, running: int = 1, max_wait_s: float = 600.0, run_seconds: float = 300.0, max_line: int = 200,
                 grace_s: float = 120.0, reserve_s: float = 5.0):
        self.running, self.max_wait_s, self.run_seconds, self.max_line = running, max_wait_s, run_seconds, max_line
        self.grace_s, self.reserve_s = grace_s, reserve_s
        self.line: list[Turn] = []  # in order of arrival; the first `running` of them train
        self.changed = threading.Condition()

    def enter(self, session: str | None, client: str | None = None, runs: int = 1,
              expected_s: float | None = None) -> "Turn":
        """A place in line for `runs` runs in a row, expected to take `expected_s` in all (leave it when done);
        QueueFull if the visitor has one already or the wait is too long. A place the door kept for this visitor
        (reserve) is taken up instead: its session's, or, for a join with no session (an API call), its address's."""
        expected_s = self.run_seconds * runs if expected_s is None else expected_s
        with self.changed:
            # An API call's place is its address's; an address unknown on both sides (a loopback call with no
            # public address, as Gradio's MCP server sends each tool call) is the same unknown caller.
            kept = next((t for t in self.line if t.reserved and (
                (session is not None and t.session == session) or (t.session is None and t.client == client))), None)
            if kept:
                kept.reserved, kept.seen = False, time.monotonic()
                kept.budget_s, kept.expected_s = runs * self.run_seconds, expected_s
                return kept
            return self._admit(session, client, runs * self.run_seconds, expected_s)

    def reserve(self, session: str | None, client: str | None, expected_s: float) -> "Turn":
        """Keep a place for a training event about to join Gradio's queue (admission.Door), so that a burst of joins
        is turned away at the HTTP request, before Gradio queues them; its handler takes the place up (enter) within
        milliseconds. QueueFull as enter. The door gives the place back (Turn.leave) when Gradio refuses the join;
        a place not taken up within `reserve_s` goes back by itself, and the same session joining again takes its
        place over."""
        with self.changed:
            if session is not None:
                self.line = [t for t in self.line if not (t.reserved and t.session == session)]
            turn = self._admit(session, client, self.run_seconds, expected_s)
            turn.reserved = True
            return turn

    def _admit(self, session: str | None, client: str | None, budget_s: float, expected_s: float) -> "Turn":
        self._drop_stale()
        _, ends, start = self._expected()
        for turn, end in zip(self.line, ends, strict=True):
            if (session is not None and turn.session == session) or (client is not None and turn.client == client):
                raise QueueFull("train_yours", _minutes(end - time.monotonic()))
        wait = start - time.monotonic()
        if wait > self.max_wait_s or len(self.line) >= self.max_line:
            raise QueueFull("train_queue_full", _minutes(wait - self.max_wait_s))
        turn = Turn(self, session, client, budget_s, expected_s)
        self.line.append(turn)
        return turn

    def _expected(self) -> tuple[list[float], list[float], float]:
        """When each turn in line is expected to start and end (the running ones from when they started, one past its
        expectation a few seconds from now; each waiting one when the earliest of those ahead of it ends), and when
        a newcomer would start."""
        now = time.monotonic()
        starts = [t.started or now for t in self.line[: self.running]]
        ends = [max(s + t.expected_s, now + 5) for s, t in zip(starts, self.line)]
        free = sorted(ends)
        for t in self.line[self.running:]:
            start = free.pop(0)
            starts.append(start)
            ends.append(start + t.expected_s)
            free = sorted(free + [ends[-1]])
        return starts, ends, free[0] if len(free) == self.running else now

    def _drop_stale(self) -> None:
        """Forget turns whose handler is gone without leaving: places kept by the door and never taken up, waiting
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
    expected_s: float  # how long its runs are expected to take (the server's estimate)
    started: float | None = None  # when it began to train
    reserved: bool = False  # kept by the door for its handler, not taken up yet
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

    def wait_s(self) -> float:
        """How long until this turn is expected to train: 0 once it does."""
        with self.queue.changed:
            if self not in self.queue.line or self.place() == 0:
                return 0.0
            starts = self.queue._expected()[0]
            return max(0.0, starts[self.queue.line.index(self)] - time.monotonic())

    def leave(self) -> None:
        with self.queue.changed:
            if self in self.queue.line:
                self.queue.line.remove(self)
                self.queue.changed.notify_all()

    def __enter__(self) -> "Turn":
        return self

    def __exit__(self, *exc) -> None:
        self.leave()


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))
