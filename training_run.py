"""A training run off the request thread: on a thread of its own, or, on a ZeroGPU Space, in time-boxed GPU calls."""
import contextvars
import copy
import dataclasses
import os
import queue
import threading
import time

import torch

import data
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


class TrainingRun:
    """One training run on a thread of its own; the Train tab relays its events, and Stop or a cancel ends it after
    the current step. (Gradio moves a generator between worker threads; torch runs slower that way.)"""

    def __init__(self, cfg: TrainConfig, mnist: data.MNIST, probe: torch.Tensor, max_seconds: float = float("inf")):
        self.max_seconds = max_seconds
        self.events: queue.Queue[Event | None] = queue.Queue()
        self.stopping = threading.Event()
        self.last: Event | None = None
        self.error: Exception | None = None
        events = (train_in_chunks if ON_ZERO_GPU else train_events)(cfg, mnist, probe)
        # The thread runs in a copy of the handler's context, so it still belongs to the visitor's request
        # (which a ZeroGPU call needs to know whose quota it spends).
        self.thread = threading.Thread(target=contextvars.copy_context().run, args=(self._run, events), daemon=True)
        self.thread.start()

    def _run(self, events) -> None:
        t0 = time.perf_counter()
        try:  # lower this thread's CPU priority (Linux: per thread), so Draw answers first when both want a core
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        try:
            for ev in events:
                self.last = ev
                self.events.put(ev)
                if self.stopping.is_set() or time.perf_counter() - t0 > self.max_seconds:
                    break
        except Exception as e:  # reported to the page by the handler
            self.error = e
        finally:
            events.close()
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
