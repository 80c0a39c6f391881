"""A training run off the request thread: in a training process of its own, or, on a ZeroGPU Space, in time-boxed
GPU calls on a thread of the server's (TrainingRun); the training processes it runs in (Worker, Workers)."""
import contextvars
import copy
import dataclasses
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import torch

import data
from model import CELLS, RowReader
from train import Event, TrainConfig, train_events

try:  # present on Hugging Face ZeroGPU Spaces, where a GPU is lent per decorated call for a limited time
    import spaces
except ImportError:
    spaces = None
ON_ZERO_GPU = spaces is not None and os.environ.get("SPACES_ZERO_GPU") is not None
GPU_CHUNK_S = 40  # training time per lent-GPU call; a run is as many calls as it needs


def train_chunk(cfg: TrainConfig, mnist: data.MNIST, probe: torch.Tensor, resume: dict | None, seconds: float):
    """Up to `seconds` of training, on from `resume`: the events (on the CPU) and where to go on from (None: done)."""
    events, t0 = [], time.perf_counter()
    run = train_events(cfg, mnist, probe, resume=resume)
    for ev in run:
        events.append(ev)
        # Time's up after any step but the last, whose "done" (the full-test check) follows in this call.
        if ev.kind == "done" or (time.perf_counter() - t0 > seconds and ev.step < ev.total_steps):
            break
    state = None if ev.kind == "done" else ev.state()
    run.close()
    model = copy.deepcopy(ev.model).cpu()  # one copy for every event of the chunk: the GPU is given back
    return [dataclasses.replace(e, model=model, state=None, loss_t=e.loss_t.cpu(), loss_avg_t=e.loss_avg_t.cpu())
            for e in events], state


if spaces is not None:
    train_chunk = spaces.GPU(duration=GPU_CHUNK_S + 30)(train_chunk)


def train_in_chunks(cfg: TrainConfig, mnist: data.MNIST, probe: torch.Tensor, seconds: float = GPU_CHUNK_S):
    """The same events as `train_events`, trained in time-boxed calls that each resume where the last stopped."""
    resume = None
    while True:
        events, resume = train_chunk(cfg, mnist, probe, resume, seconds)
        yield from events
        if resume is None:
            return


def run_events(events, put, stopped, max_seconds: float) -> Event | None:
    """Hand each of a run's events to `put` until it ends, `stopped()` says so or `max_seconds` are up (after the
    current step); the last event. Closing `events` ends the training."""
    t0, ev = time.perf_counter(), None
    try:
        for ev in events:
            put(ev)
            if stopped() or time.perf_counter() - t0 > max_seconds:
                break
    finally:
        events.close()
    return ev


class TrainingRun:
    """One training run, off the request thread: in a training process of its own (Worker), or, on a ZeroGPU Space,
    on a thread of the server's (time-boxed GPU calls are lent to the server's process). The Train tab relays its
    events; Stop or a cancel ends it after the current step."""

    def __init__(self, cfg: TrainConfig, mnist: data.MNIST, probe: torch.Tensor, max_seconds: float = float("inf")):
        self.max_seconds = max_seconds
        self.events: queue.Queue[Event | None] = queue.Queue()
        self.stopping = threading.Event()
        self.last: Event | None = None
        self.error: Exception | None = None
        self.worker: Worker | None = None  # the training process, once it has one
        if ON_ZERO_GPU:
            # The thread runs in a copy of the handler's context, so it still belongs to the visitor's request
            # (which a ZeroGPU call needs to know whose quota it spends).
            target, args = contextvars.copy_context().run, (self._on_thread, train_in_chunks(cfg, mnist, probe))
        else:
            target, args = self._in_worker, (cfg, probe)
        self.thread = threading.Thread(target=target, args=args, daemon=True)
        self.thread.start()

    def _keep(self, ev: Event) -> None:
        self.last = ev
        self.events.put(ev)

    def _on_thread(self, events) -> None:
        try:
            run_events(events, self._keep, self.stopping.is_set, self.max_seconds)
        except Exception as e:  # reported to the page by the handler
            self.error = e
        finally:
            self.events.put(None)  # the end

    def _in_worker(self, cfg: TrainConfig, probe: torch.Tensor) -> None:
        """Relay a worker's messages: its events, then the model as trained (joined to the last event), then its
        end. Stop is passed on; a worker that does not end within STOP_WAIT_S of it, or dies, is killed."""
        self.worker = worker = WORKERS.take()
        ended = False
        try:
            worker.send("run", cfg, CELLS[cfg.cell], probe.cpu(), self.max_seconds)
            asked = None
            while not ended:
                if self.stopping.is_set() and asked is None:
                    worker.send("stop")
                    asked = time.monotonic()
                if asked is not None and time.monotonic() - asked > STOP_WAIT_S:
                    raise TimeoutError(f"the training process did not stop within {STOP_WAIT_S:g} s")
                kind, *got = worker.receive(0.1) or ("wait",)
                if kind == "event":
                    self._keep(got[0])
                elif kind == "model":
                    model = RowReader(got[0])
                    model.load_state_dict(got[1])
                    self.last = dataclasses.replace(self.last, model=model)
                elif kind == "error":
                    self.error = RuntimeError(got[0])
                ended = kind == "end"
        except (EOFError, OSError, TimeoutError) as e:  # the worker died or hung: it goes, the page is told
            self.error = self.error or RuntimeError(f"the training process ended ({e or type(e).__name__})")
        finally:
            if ended:
                WORKERS.give(worker)
            else:
                worker.close()
            self.events.put(None)  # the end

    def next_events(self, wait: float) -> tuple[list[Event], bool]:
        """The events that arrive within `wait` seconds, and whether the run has ended."""
        got, deadline = [], time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            try:
                ev = self.events.get(timeout=left)
            except queue.Empty:
                break
            if ev is None:
                return got, True
            got.append(ev)
        return got, False

    def stop(self) -> Event | None:
        """End the run after its current step; its last event (with the model as trained so far)."""
        self.stopping.set()
        self.thread.join()
        return self.last


# ---- a training process ----------------------------------------------------------------------------------------------
# A run trains in a process of its own, so that it shares neither the server's interpreter lock nor more than its
# one core: the Draw tab's /predict, How it works and the teach panel answer at the pace they do when nothing trains
# (BENCHMARKS.md, "Fit for the public internet"). Starting Python, torch and MNIST takes about 3.5 s here, so a
# worker is started once and trains run after run. Messages are pickled over a pipe between this server and the
# process it started (never a file or a visitor's bytes).

STOP_WAIT_S = 30.0  # a worker asked to stop ends after its current step: far less than this


class Worker:
    """A training process (`python -m training_run`) and the pipes to it."""

    def __init__(self):
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        self.proc = subprocess.Popen([sys.executable, "-m", "training_run", str(to_child), str(from_child)],
                                     cwd=Path(__file__).resolve().parent, pass_fds=(to_child, from_child))
        os.close(to_child), os.close(from_child)
        self.outbox, self.inbox = Connection(from_parent, readable=False), Connection(to_parent, writable=False)

    def send(self, *message) -> None:
        self.outbox.send_bytes(pickle.dumps(message))

    def receive(self, wait: float) -> tuple | None:
        """The next message, or None if none comes within `wait` seconds; EOFError once the process is gone."""
        if self.inbox.poll(wait):
            return pickle.loads(self.inbox.recv_bytes())
        if self.proc.poll() is not None:
            raise EOFError(f"exit code {self.proc.returncode}")
        return None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        self.outbox.close(), self.inbox.close()
        self.proc.kill()
        self.proc.wait()


class Workers:
    """Training processes kept between runs: at most `keep` idle ones (a run takes one, or starts one)."""

    def __init__(self, keep: int = 1):
        self.keep, self.idle, self.lock = keep, [], threading.Lock()

    def take(self) -> Worker:
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.alive():
                    return worker
        return Worker()

    def give(self, worker: Worker) -> None:
        with self.lock:
            if worker.alive() and len(self.idle) < self.keep:
                return self.idle.append(worker)
        worker.close()

    def warm(self) -> None:
        """Start a worker in the background, so that the first run does not wait for one."""
        threading.Thread(target=lambda: self.give(Worker()), daemon=True).start()


WORKERS = Workers(int(os.environ.get("ROWBYROW_TRAIN_CONCURRENCY", 1)))


def serve(inbox: Connection, outbox: Connection) -> None:
    """A worker's loop: for each ("run", cfg, cell, probe, max_seconds), the run's events (without the model), then
    ("model", config, weights) and ("end",); ("error", why) if it failed. ("stop",) ends a run after its step."""
    torch.set_num_threads(1)  # one core, as the server's own training thread had
    os.nice(10)  # the server's handlers first when both want a core

    def send(*message) -> None:
        outbox.send_bytes(pickle.dumps(message))

    mnists = {}  # data_dir -> MNIST, loaded once
    while True:
        try:
            kind, *got = pickle.loads(inbox.recv_bytes())
        except EOFError:  # the server is gone
            return
        if kind != "run":  # a stop that came after its run had ended
            continue
        cfg, cell, probe, max_seconds = got
        CELLS[cfg.cell] = cell  # the server's (a cell registered there at run time is known here too)
        try:
            mnist = mnists.get(cfg.data_dir) or mnists.setdefault(cfg.data_dir, data.load_mnist(cfg.data_dir))
            last = run_events(train_events(cfg, mnist, probe), lambda ev: send("event", portable(ev)), inbox.poll,
                              max_seconds)
            if last is not None:
                send("model", last.model.config, {k: v.cpu() for k, v in last.model.state_dict().items()})
        except Exception as e:  # said to the page by the handler
            send("error", f"{type(e).__name__}: {e}")
        while inbox.poll():  # the stop that ended it (the next run is sent only after "end")
            inbox.recv_bytes()
        send("end")


def portable(ev: Event) -> Event:
    """An event as it crosses to the server: on the CPU, without the model (sent once, at the end) or its state."""
    return dataclasses.replace(ev, model=None, state=None, loss_t=ev.loss_t.cpu(), loss_avg_t=ev.loss_avg_t.cpu(),
                               test_pred=None if ev.test_pred is None else ev.test_pred.cpu())


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
