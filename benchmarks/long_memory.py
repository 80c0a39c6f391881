"""The notes' claim, measured: a plain RNN's error signal vanishes over a long sequence; an LSTM's cell state carries it.
The long-memory setting: the digit in the first 28 rows, then `--blank-rows` blank rows, then the answer. Each cell is
trained with the same recipe, on 28 rows (the baseline) and in that setting, for each seed; for each run: test
accuracy on the full test set, and the error signal at the digit's rows relative to the last row (log10, decades).

    MNIST_ROOT=../shared/mnist python benchmarks/long_memory.py --seeds 1 2 3          # the figures in BENCHMARKS.md
    MNIST_ROOT=../shared/mnist python benchmarks/long_memory.py --seeds 0 --blank-rows 36 72   # choosing the setting
"""
import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import data  # noqa: E402
from train import GRADIENT_SAMPLE, TrainConfig, as_input, log_gradients, train_events  # noqa: E402

# The Train tab's long-memory experiment uses these (ui/training.py): the figures here are that experiment's.
LONG = dict(blank_rows=72, lr=0.002, clip=1.0, train_size=30000, eval_every=100)


def digit_rows_signal(grads: np.ndarray) -> float:
    """log10 of the error signal at the digit's rows (1-28, their mean on the log scale) relative to the last row's."""
    return float(grads[:28].mean() - grads[-1])


def measure(cfg: TrainConfig, mnist: data.MNIST) -> dict:
    """Train cfg to the end; its accuracy on the full test set and the error signal at the digit's rows."""
    t0 = time.perf_counter()
    for ev in train_events(cfg, mnist):
        pass
    model = ev.model.eval()
    x, y = mnist.test_x[:GRADIENT_SAMPLE], mnist.test_y[:GRADIENT_SAMPLE]
    grads = log_gradients(model, as_input(model, x, cfg.blank_rows), y)
    return {"cell": cfg.cell, "blank_rows": cfg.blank_rows, "seed": cfg.seed, "lr": cfg.lr, "clip": cfg.clip,
            "init": cfg.recurrent_init, "steps": ev.step, "acc": round(ev.test_acc, 4),
            "digit_rows": round(digit_rows_signal(grads), 2), "row1": round(float(grads[0] - grads[-1]), 2),
            "seconds": round(time.perf_counter() - t0, 1)}


def table(rows: list[dict]) -> str:
    """Mean ± spread (half the range) over seeds, per cell and setting, as a markdown table."""
    out = ["| cell | blank rows | seeds | test accuracy | error signal at the digit's rows (log10, vs last row) | "
           "at row 1 | s per run |", "| --- | --- | --- | --- | --- | --- | --- |"]
    groups = {}
    for r in rows:
        groups.setdefault((r["cell"], r["blank_rows"], r["lr"], r["clip"], r["init"]), []).append(r)
    for (cell, blank, *_), rs in groups.items():
        def ms(k, f):
            v = np.array([r[k] for r in rs])
            return f"{f(v.mean())} ± {f((v.max() - v.min()) / 2)}"
        out.append(f"| {cell} | {blank} | {', '.join(str(r['seed']) for r in rs)} | "
                   f"{ms('acc', lambda v: f'{100 * v:.1f}%')} | {ms('digit_rows', lambda v: f'{v:+.2f}')} | "
                   f"{ms('row1', lambda v: f'{v:+.2f}')} | {np.mean([r['seconds'] for r in rs]):.0f} |")
    return "\n".join(out)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    p.add_argument("--blank-rows", type=int, nargs="+", default=[0, LONG["blank_rows"]])
    p.add_argument("--lr", type=float, default=LONG["lr"])
    p.add_argument("--clip", type=float, default=LONG["clip"])
    p.add_argument("--recurrent-init", default="default")
    p.add_argument("--train-size", type=int, default=LONG["train_size"])
    p.add_argument("--out", type=Path, default=None, help="append each run's figures here as JSON lines")
    args = p.parse_args()
    torch.set_num_threads(1)  # a shared machine: one core per run, as the app trains
    mnist = data.load_mnist()
    rows = []
    for seed in args.seeds:
        for blank in args.blank_rows:
            for cell in args.cells:
                cfg = TrainConfig(cell=cell, blank_rows=blank, seed=seed, lr=args.lr, clip=args.clip,
                                  recurrent_init=args.recurrent_init, train_size=args.train_size,
                                  eval_every=LONG["eval_every"], device="cpu")
                rows.append(measure(cfg, mnist))
                print(json.dumps(rows[-1]), flush=True)
                if args.out:
                    with args.out.open("a") as f:
                        f.write(json.dumps(rows[-1]) + "\n")
    print(table(rows))


if __name__ == "__main__":
    main()
