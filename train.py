"""Train a row-by-row reader on MNIST. With no flags: the original program's recipe.

    python train.py                                   # LSTM(28->64) -> Linear(64->10), Adam 0.01, batch 64, 1 epoch
    python train.py --augment --epochs 30 --schedule onecycle --out weights/lstm   # the shipped weights

The loop is written once, as the generator `train_events`; this CLI and the app's Train tab both consume it. What a
model makes of test digits is evaluate.py's; teaching a model a visitor's handwriting, teaching.py's.
"""
import argparse
import copy
import dataclasses
import hashlib
import os
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import torch
import torch.nn.functional as F

import checkpoint
import data
from evaluate import Check, check, predict, probe_trace
from model import CELLS, DEFAULT_CELL, ModelConfig, RowReader


def _opt(default, help: str, **kw):
    return field(default=default, metadata={"help": help, **kw})


@dataclass
class TrainConfig:
    cell: str = _opt(DEFAULT_CELL, "recurrent cell", choices=sorted(CELLS))
    hidden_size: int = _opt(64, "hidden units")
    num_layers: int = _opt(1, "stacked recurrent layers")
    lr: float = _opt(0.01, "Adam learning rate (the peak, with --schedule onecycle)")
    batch_size: int = _opt(64, "images per step")
    epochs: int = _opt(1, "passes over the training set")
    schedule: str = _opt("constant", "learning-rate schedule", choices=["constant", "onecycle"])
    clip: float = _opt(0.0, "clip the gradient's global norm to this (0: no clipping)")
    recurrent_init: str = _opt("default", "initial recurrent weights: torch's default, or orthogonal",
                               choices=["default", "orthogonal"])
    keeper_bias: float = _opt(0.0, "initial bias of the gates that keep a state (LSTM forget, GRU update); 0: torch's")
    augment: bool = _opt(False, "random affine and stroke-thickness augmentation")
    blank_rows: int = _opt(0, "blank rows after the digit, read before the answer: the long-memory setting")
    train_size: int = _opt(60000, "training images used (the first N of a fixed shuffle)")
    eval_every: int = _opt(50, "steps between test-accuracy checks")
    eval_size: int = _opt(2000, "test images in each periodic check (the full 10,000 at the end)")
    seed: int = _opt(1, "random seed (init, shuffling, augmentation)")
    device: str = _opt("auto", "auto picks cuda, then mps, then cpu", choices=["auto", "cpu", "cuda", "mps"])
    data_dir: str = _opt(data.default_root(), "MNIST root in torchvision's layout (env MNIST_ROOT)")
    out: str = _opt("", "checkpoint stem to write, e.g. weights/lstm (default: a new folder under runs/)")
    metrics: str = _opt("", "write a JSON file with test_accuracy, train_seconds, samples_per_second")

    def model_config(self) -> ModelConfig:
        return ModelConfig(cell=self.cell, hidden_size=self.hidden_size, num_layers=self.num_layers)

    def recipe(self) -> dict:
        """The settings that shape the result, as recorded beside a checkpoint (not where files go)."""
        return {k: v for k, v in dataclasses.asdict(self).items() if k not in ("out", "metrics", "data_dir")}


# The long-memory setting the notes describe, as the Train tab's experiment runs it for a plain RNN and an LSTM: the
# digit, then 32 blank rows, then the answer; one epoch, Adam 0.003, the gradient clipped, and the gates that keep a
# state starting open (the LSTM's forget gates: with torch's initial biases near 0 the LSTM stayed at chance after one
# epoch from 24 blank rows on). Chosen on seeds 0 and 4 with benchmarks/long_memory.py; the figures, for seeds 1-3, in
# BENCHMARKS.md and weights/long_memory.json.
LONG_MEMORY = {"blank_rows": 32, "lr": 0.003, "clip": 1.0, "keeper_bias": 1.0}
LONG_MEMORY_CELLS = ("rnn", "lstm")  # the notes' comparison, in the experiment's order: a plain RNN, then an LSTM


@dataclass
class Event:
    """One progress report from the training loop, one per step."""

    kind: str  # "step", "eval" when checks finished since the last event, "done" once at the end
    step: int
    total_steps: int
    epoch: int
    samples_per_s: float
    eta_s: float
    model: RowReader
    # Losses stay tensors on the training device: reading them is the consumer's choice, so a GPU run never
    # waits for the host unless someone looks.
    loss_t: torch.Tensor  # this batch's loss
    loss_avg_t: torch.Tensor  # exponential moving average of the loss
    checks: list[Check] = field(default_factory=list)
    test_acc: float | None = None  # on the full test set, on "done"
    probe_h: np.ndarray | None = None  # (T, H) probe hidden state, on "done"
    probe_probs: np.ndarray | None = None  # (T, 10) the probe's belief per row, on "done"
    test_pred: torch.Tensor | None = None  # (10000,) predictions on the full test set, on "done"
    state: Callable[[], dict] | None = field(default=None, repr=False)  # where to resume from, taken when called

    loss = property(lambda self: self.loss_t.item())
    loss_avg = property(lambda self: self.loss_avg_t.item())


def pick_device(name: str) -> torch.device:
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def to_device(obj, device):
    """The same nested dicts, lists and tuples, with every tensor copied to `device`."""
    if isinstance(obj, torch.Tensor):
        return obj.detach().to(device, copy=True)
    if isinstance(obj, dict):
        return {k: to_device(v, device) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_device(v, device) for v in obj)
    return obj


@dataclass
class Run:
    """One run's model, optimiser, data and position: everything that changes as it trains. `state()` is what
    resuming needs; `restore` puts it back."""

    cfg: TrainConfig
    model: RowReader
    net: torch.nn.Module  # the model, or its DistributedDataParallel wrapper
    opt: torch.optim.Optimizer
    sched: torch.optim.lr_scheduler.LRScheduler | None
    gen: torch.Generator  # shuffling (CPU)
    aug_gen: torch.Generator  # augmentation (on the training device)
    train_x: torch.Tensor  # (n, 28, 28) uint8, on the device
    train_y: torch.Tensor  # (n,)
    global_batch: int
    steps_per_epoch: int
    step: int = 0
    perm: torch.Tensor | None = None  # this epoch's order
    loss_avg: torch.Tensor | None = None  # moving average of the loss

    @property
    def total(self) -> int:
        return self.steps_per_epoch * self.cfg.epochs

    def state(self) -> dict:
        return to_device({"step": self.step, "model": self.model.state_dict(), "opt": self.opt.state_dict(),
                          "sched": self.sched.state_dict() if self.sched else None, "perm": self.perm,
                          "gen": self.gen.get_state(), "aug_gen": self.aug_gen.get_state(),
                          "loss_avg": self.loss_avg}, "cpu")

    def restore(self, state: dict) -> None:
        device = self.train_x.device
        self.step, self.perm, self.loss_avg = state["step"], state["perm"].to(device), state["loss_avg"].to(device)
        self.model.load_state_dict(state["model"])
        self.opt.load_state_dict(state["opt"])
        if self.sched:
            self.sched.load_state_dict(state["sched"])
        self.gen.set_state(state["gen"])
        self.aug_gen.set_state(state["aug_gen"])


def setup(cfg: TrainConfig, mnist: data.MNIST, rank: int = 0, world: int = 1) -> Run:
    """A fresh run: seeded model and optimiser, the training subset on the device."""
    device = pick_device(cfg.device)
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    model = RowReader(cfg.model_config()).to(device)
    if cfg.recurrent_init == "orthogonal":
        model.orthogonal_init_()
    if cfg.keeper_bias:
        model.open_keepers_(cfg.keeper_bias)
    net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model  # averages grads across ranks
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, fused=device.type == "cuda")
    n = min(cfg.train_size, len(mnist.train_x))
    subset = torch.randperm(len(mnist.train_x), generator=gen)[:n] if n < len(mnist.train_x) else slice(None)
    global_batch = cfg.batch_size * world
    steps_per_epoch = -(-n // global_batch)
    sched = None
    if cfg.schedule == "onecycle":
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=steps_per_epoch * cfg.epochs,
                                                    pct_start=0.15)
    return Run(cfg, model, net, opt, sched, gen, torch.Generator(device=device).manual_seed(cfg.seed + rank),
               mnist.train_x[subset].to(device), mnist.train_y[subset].to(device), global_batch, steps_per_epoch)


def train_step(run: Run, idx: torch.Tensor) -> torch.Tensor:
    """One optimiser step on the images at `idx`; the batch's loss, left on the device."""
    x, y = run.train_x[idx].float() / 255, run.train_y[idx]  # (B, 28, 28), (B,)
    if run.cfg.augment:
        x = data.augment(x, run.aug_gen)
    x = data.blank_rows(x, run.cfg.blank_rows)
    loss = F.cross_entropy(run.net(x), y)
    run.opt.zero_grad(set_to_none=True)
    loss.backward()
    if run.cfg.clip > 0:
        torch.nn.utils.clip_grad_norm_(run.model.parameters(), run.cfg.clip)
    run.opt.step()
    if run.sched:
        run.sched.step()
    run.step += 1
    loss = loss.detach()
    run.loss_avg = loss if run.loss_avg is None else run.loss_avg.lerp(loss, 0.05)
    return loss


def train_events(cfg: TrainConfig, mnist: data.MNIST, probe: torch.Tensor | None = None,
                 rank: int = 0, world: int = 1, resume: dict | None = None) -> Iterator[Event]:
    """Train as `cfg` says, yielding an Event per step. Closing the generator stops training; the model
    (in every event) keeps what it learned so far, and `event.state()` is everything needed to go on exactly
    from there (pass it as `resume`). Under DistributedDataParallel (world > 1) each rank trains on its own
    share of every batch."""
    run = setup(cfg, mnist, rank, world)
    if resume:
        run.restore(resume)
    probe = mnist.test_x[0] if probe is None else probe
    eval_x, eval_y = mnist.test_x[: cfg.eval_size], mnist.test_y[: cfg.eval_size]
    # Periodic checks run on a snapshot in a second thread: on a 2-core machine they take the other core
    # instead of stalling training, and their results do not depend on when they finish.
    checker, pending = ThreadPoolExecutor(1, thread_name_prefix="check"), []
    if run.step == 0:  # a fresh run: the untrained network checked too, so every curve starts at the start
        pending.append(checker.submit(check, copy.deepcopy(run.model).eval(), eval_x, eval_y, probe, 0, cfg.blank_rows))
    first, t0, n = run.step, time.perf_counter(), len(run.train_x)
    try:
        for epoch in range(run.step // run.steps_per_epoch, cfg.epochs):
            run.model.train()
            if run.perm is None or run.step % run.steps_per_epoch == 0:  # a new epoch, not one resumed halfway
                run.perm = torch.randperm(n, generator=run.gen).to(run.train_x.device)
            for i in range(run.step % run.steps_per_epoch, run.steps_per_epoch):
                loss = train_step(run, run.perm[i * run.global_batch : (i + 1) * run.global_batch][rank::world])
                # Check at step 1 and every eval_every steps, as the original did at its step % 50 == 0.
                if run.step % cfg.eval_every == 1 or cfg.eval_every == 1:
                    snapshot = copy.deepcopy(run.model).eval()
                    pending.append(checker.submit(check, snapshot, eval_x, eval_y, probe, run.step, cfg.blank_rows))
                checks = []
                while pending and (run.step == run.total or pending[0].done()):  # in order; all of them at the end
                    checks.append(pending.pop(0).result())
                elapsed = time.perf_counter() - t0
                ev = Event(kind="eval" if checks else "step", step=run.step, total_steps=run.total, epoch=epoch,
                           samples_per_s=(run.step - first) * run.global_batch / elapsed,
                           eta_s=elapsed / (run.step - first) * (run.total - run.step), model=run.model,
                           loss_t=loss, loss_avg_t=run.loss_avg, checks=checks, state=run.state)
                yield ev
    finally:
        checker.shutdown(wait=False, cancel_futures=True)
    yield finish(run.model, mnist, probe, ev, cfg.blank_rows)


def finish(model: RowReader, mnist: data.MNIST, probe: torch.Tensor, last: Event, blank: int = 0) -> Event:
    """The closing event: accuracy and predictions on the full test set, the probe's final hidden state."""
    model.eval()
    pred = predict(model, mnist.test_x, blank=blank)
    return dataclasses.replace(last, kind="done", eta_s=0.0, checks=[], test_pred=pred,
                               test_acc=(pred == mnist.test_y).float().mean().item(),
                               **dict(zip(("probe_h", "probe_probs"), probe_trace(model, probe, blank))))


def parse_args(argv: list[str] | None = None) -> TrainConfig:
    """CLI flags generated from TrainConfig's fields."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for f in dataclasses.fields(TrainConfig):
        flag = "--" + f.name.replace("_", "-")
        if f.type is bool or f.type == "bool":
            p.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default, help=f.metadata["help"])
        else:
            kind = {"int": int, "float": float, "str": str}.get(f.type if isinstance(f.type, str) else f.type.__name__)
            p.add_argument(flag, type=kind, default=f.default, choices=f.metadata.get("choices"),
                           help=f.metadata["help"] + " (default: %(default)s)")
    return TrainConfig(**vars(p.parse_args(argv)))


def main(argv: list[str] | None = None) -> int:
    from tqdm import tqdm

    cfg = parse_args(argv)
    rank, world = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    if world > 1:  # started by torchrun
        import torch.distributed as dist

        if pick_device(cfg.device).type == "cuda":
            torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        dist.init_process_group("nccl" if pick_device(cfg.device).type == "cuda" else "gloo")
    if pick_device(cfg.device).type == "cpu":
        # One thread per op: this model's ops are too small to split, and the periodic checks take the other core.
        torch.set_num_threads(1)
    try:
        mnist = data.load_mnist(cfg.data_dir)
    except data.DataMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    stem = Path(cfg.out or f"runs/{datetime.now():%Y%m%d-%H%M%S}-{cfg.cell}{cfg.hidden_size}/model")
    events = train_events(cfg, mnist, rank=rank, world=world)
    last, interrupted, t0 = None, False, time.perf_counter()
    bar = tqdm(total=None, unit="step", dynamic_ncols=True, disable=rank > 0)
    try:
        for ev in events:
            if ev.kind == "done":
                last = ev
                break
            if last is None:
                bar.reset(total=ev.total_steps)
            last = ev
            bar.update(1)
            for c in ev.checks:
                bar.set_postfix(loss=f"{ev.loss_avg:.3f}", acc=f"{c.test_acc:.3f}", sps=f"{ev.samples_per_s:.0f}")
                if rank == 0:
                    tqdm.write(f"Epoch: {ev.epoch} | step {c.step:5d} | train loss (avg): {ev.loss_avg:.4f} | "
                               f"test accuracy: {c.test_acc:.4f}")
    except KeyboardInterrupt:
        interrupted = True
        events.close()
        tqdm.write("interrupted: keeping the model trained so far")
    bar.close()
    if last is None:
        return 1
    train_seconds = time.perf_counter() - t0
    if last.kind != "done":
        last = finish(last.model, mnist, mnist.test_x[0], last, cfg.blank_rows)
    model = last.model.cpu()
    if world > 1:  # every rank must end with the same weights; say so where a test or a person can check
        digest = hashlib.sha256(b"".join(t.numpy().tobytes() for t in model.state_dict().values())).hexdigest()
        print(f"rank {rank} weights sha256 {digest}", flush=True)
        torch.distributed.destroy_process_group()
        if rank > 0:
            return 0
    first10 = predict(model, mnist.test_x[:10]).numpy()
    print(first10, "prediction number")
    print(mnist.test_y[:10].numpy(), "real number")
    print(f"test accuracy (10,000 images): {last.test_acc:.4f}  train time: {train_seconds:.1f} s  "
          f"({last.samples_per_s:.0f} samples/s)")
    meta = {
        "command": "python train.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "train": cfg.recipe(),
        "data": f"MNIST, {min(cfg.train_size, 60000)} training images; tested on the full 10,000-image test set",
        "steps": last.step,
        "interrupted": interrupted,
        "test_accuracy": round(last.test_acc, 4),
        "date": date.today().isoformat(),
    }
    weights, _ = checkpoint.save(model, stem, meta)
    print(f"saved {weights}")
    if cfg.metrics:
        metrics = {"test_accuracy": last.test_acc, "train_seconds": train_seconds,
                   "samples_per_second": last.samples_per_s, "steps": last.step, "interrupted": interrupted,
                   "device": str(pick_device(cfg.device)), "processes": world}
        checkpoint.atomic_write(Path(cfg.metrics), lambda p: Path(p).write_text(json.dumps(metrics, indent=2)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
