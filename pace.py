"""How long a training run takes on this server, with nothing timed per request: seconds per training step, measured
once on a grid of networks (`python pace.py` writes weights/pace.json) and interpolated between its points, scaled
by what finished runs took here (this server may be faster or slower than the machine that measured the table).

    python pace.py                      # measure the grid on this machine (one torch thread, as a run trains)
    python pace.py --rows-only          # only what blank rows after the digit cost, into the table
"""
import argparse
import collections
import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np
import torch

import data
from model import CELLS
from train import TrainConfig, setup, train_step

TABLE = Path(__file__).resolve().parent / "weights" / "pace.json"
HIDDEN = (8, 32, 64, 128, 256)  # the grid: the Train tab's hidden sizes and batch sizes span it
BATCH = (16, 64, 256, 1024)


def steps(cfg: TrainConfig) -> int:
    return math.ceil(min(cfg.train_size, 60000) / cfg.batch_size) * cfg.epochs


def timed_step(cfg: TrainConfig, n: int = 6) -> float:
    """Seconds per training step of cfg's network here: the median of n steps on random digits, after one to warm up
    (the median: a step slowed by something else on the machine is not the network's pace)."""
    fake = torch.randint(0, 256, (cfg.batch_size * (n + 1), 28, 28), dtype=torch.uint8, generator=torch.Generator())
    labels = torch.arange(len(fake)) % 10
    with torch.random.fork_rng(), torch.inference_mode(False), torch.enable_grad():
        fake_mnist = data.MNIST(fake, labels, fake, labels)
        run = setup(dataclasses.replace(cfg, train_size=len(fake), device="cpu"), fake_mnist)
        batches = torch.arange(len(fake)).view(n + 1, -1)
        train_step(run, batches[0])
        times = []
        for idx in batches[1:]:
            t0 = time.perf_counter()
            train_step(run, idx)
            times.append(time.perf_counter() - t0)
    return float(np.median(times))


def rows_factor(cell: str, tries: int = 5) -> float:
    """What 28 more rows (blank rows after the digit: TrainConfig.blank_rows) multiply a step's time by, for cell's
    default network: the median of `tries` pairs timed one after the other (a busy machine slows both alike)."""
    plain = TrainConfig(cell=cell)
    longer = dataclasses.replace(plain, blank_rows=28)
    return float(np.median([timed_step(longer) / timed_step(plain) for _ in range(tries)]))


def measure(cells=tuple(CELLS)) -> dict:
    """The table: per cell, log seconds per step on the (hidden, batch) grid, and augmentation's and 28 more rows'
    costs as factors."""
    torch.set_num_threads(1)
    table = {"hidden": list(HIDDEN), "batch": list(BATCH), "cells": {}}
    for cell in cells:
        grid = [[math.log(timed_step(TrainConfig(cell=cell, hidden_size=h, batch_size=b))) for b in BATCH]
                for h in HIDDEN]
        plain = TrainConfig(cell=cell)
        augment = timed_step(dataclasses.replace(plain, augment=True)) / timed_step(plain)
        table["cells"][cell] = {"log_step_s": np.round(grid, 4).tolist(), "augment": round(augment, 3),
                                "rows": round(rows_factor(cell), 3)}
    return table


class Pace:
    """Seconds a recipe takes here: its steps times the table's step time for its network, times how this server's
    finished runs of networks near it compared with the table (`scale`), plus a run's start and end as the last run
    here took them."""

    PRIOR = 0.25  # the table's own weight against finished runs': a run of a far network moves an estimate little

    def __init__(self, table: dict, start_s: float = 1.0, keep: int = 64):
        self.table, self.start_s = table, start_s
        self.seen = collections.OrderedDict()  # network -> (step seconds a finished run took here, the table's)
        self.keep = keep

    @classmethod
    def load(cls, path: Path = TABLE) -> "Pace":
        return cls(json.loads(path.read_text()))

    @staticmethod
    def network(cfg: TrainConfig) -> tuple:
        return cfg.cell, cfg.hidden_size, cfg.num_layers, cfg.batch_size, cfg.augment, cfg.blank_rows

    def table_s(self, cfg: TrainConfig) -> float:
        """A training step of cfg's network as the table has it (log-log between its points)."""
        t = self.table
        cell = t["cells"].get(cfg.cell) or next(iter(t["cells"].values()))  # a cell the table never met: its first
        log_h = np.interp(math.log(cfg.hidden_size), np.log(t["hidden"]), range(len(t["hidden"])))
        log_b = math.log(cfg.batch_size)
        rows = [np.interp(log_b, np.log(t["batch"]), row) for row in cell["log_step_s"]]  # each hidden size's
        i = int(min(log_h, len(rows) - 2))
        log_s = rows[i] + (log_h - i) * (rows[i + 1] - rows[i])
        # Rows cost in proportion, above what a step costs whatever its length (the optimiser, the output layer): a
        # table without the measured factor takes the whole step as proportional to its rows.
        longer = 1 + (cell.get("rows", 2.0) - 1) * cfg.blank_rows / 28
        return math.exp(log_s) * (cell["augment"] if cfg.augment else 1.0) * longer * cfg.num_layers

    def scale(self, table_s: float) -> float:
        """How runs here compare with the table for a network whose table step is table_s: each finished run's ratio,
        weighted by how near its network's step is (a weight of 1/e per e-fold apart), against the table's PRIOR.
        A small network's pace says little about a large one's: its step is mostly Python's overhead, not compute."""
        near = [(math.exp(-abs(math.log(table_s / t))), math.log(np.clip(s / t, 0.25, 4.0)))
                for s, t in self.seen.values()]
        return math.exp(sum(w * r for w, r in near) / (self.PRIOR + sum(w for w, _ in near)))

    def step_s(self, cfg: TrainConfig) -> float:
        """A training step of cfg's network here: as a finished run of it took, else the table's, scaled."""
        if self.network(cfg) in self.seen:
            return self.seen[self.network(cfg)][0]
        table_s = self.table_s(cfg)
        return table_s * self.scale(table_s)

    def seconds(self, cfg: TrainConfig) -> float:
        return steps(cfg) * self.step_s(cfg) + self.start_s

    def note(self, cfg: TrainConfig, step_s: float, run_s: float | None = None) -> None:
        """A run of cfg took step_s per step here (run_s in all, its start and end included): later estimates of
        its network use it, and those of networks near it are scaled by how it compares with the table."""
        self.seen.pop(self.network(cfg), None)
        if run_s is not None:
            self.start_s = max(0.0, run_s - steps(cfg) * step_s)
        self.seen[self.network(cfg)] = (step_s, self.table_s(cfg))
        while len(self.seen) > self.keep:
            self.seen.popitem(last=False)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=TABLE)
    p.add_argument("--rows-only", action="store_true", help="measure only the rows factors, into the table at --out")
    args = p.parse_args()
    t0 = time.perf_counter()
    if args.rows_only:
        torch.set_num_threads(1)
        table = json.loads(args.out.read_text())
        for cell, entry in table["cells"].items():
            entry["rows"] = round(rows_factor(cell), 3)
    else:
        table = measure()
    args.out.write_text(json.dumps(table, indent=1) + "\n")
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
