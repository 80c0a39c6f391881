"""The notes' claim, measured: a plain RNN's error signal vanishes over a long sequence; an LSTM's cell state keeps it.
The long-memory setting: the digit in the first 28 rows, then `--blank-rows` blank rows, then the answer. Each cell is
trained with the same recipe, on 28 rows (the baseline) and in that setting, for each seed; for each run: test
accuracy on the full test set, and the error signal at row 1 (the digit's top row) relative to the last row (log10,
decades), as How it works measures it over 28 rows; and its mean over the digit's 28 rows.

    MNIST_ROOT=../shared/mnist python benchmarks/long_memory.py --seeds 1 2 3          # the figures in BENCHMARKS.md
    MNIST_ROOT=../shared/mnist python benchmarks/long_memory.py --seeds 0 --blank-rows 36 72   # choosing the setting
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import data  # noqa: E402
from evaluate import GRADIENT_SAMPLE, as_input, first_row_signal, log_gradients  # noqa: E402
from train import LONG_MEMORY, TrainConfig, train_events  # noqa: E402

FIGURES = Path(__file__).resolve().parent.parent / "weights" / "long_memory.json"  # what How it works quotes


def measure(cfg: TrainConfig, mnist: data.MNIST) -> dict:
    """Train cfg to the end; its accuracy on the full test set and the error signal at the digit's rows."""
    t0 = time.perf_counter()
    for ev in train_events(cfg, mnist):
        pass
    model = ev.model.eval()
    x, y = mnist.test_x[:GRADIENT_SAMPLE], mnist.test_y[:GRADIENT_SAMPLE]
    grads = log_gradients(model, as_input(model, x, cfg.blank_rows), y)
    return {"cell": cfg.cell, "blank_rows": cfg.blank_rows, "seed": cfg.seed, "lr": cfg.lr, "clip": cfg.clip,
            "init": cfg.recurrent_init, "keeper_bias": cfg.keeper_bias, "steps": ev.step, "acc": round(ev.test_acc, 4),
            "row1": round(first_row_signal(grads), 2), "digit_rows": round(float(grads[:28].mean() - grads[-1]), 2),
            "seconds": round(time.perf_counter() - t0, 1)}


def table(rows: list[dict]) -> str:
    """Mean ± spread (half the range) over seeds, per cell and setting, as a markdown table."""
    out = ["| cell | blank rows | seeds | test accuracy | error signal at row 1 (log10, vs last row) | "
           "mean over the digit's rows 1-28 | s per run |", "| --- | --- | --- | --- | --- | --- | --- |"]
    groups = {}
    for r in rows:
        groups.setdefault((r["cell"], r["blank_rows"], r["lr"], r["clip"], r["init"], r.get("keeper_bias", 0.0)),
                          []).append(r)
    for (cell, blank, *_), rs in groups.items():
        def ms(k, f):
            v = np.array([r[k] for r in rs])
            return f"{f(v.mean())} ± {f((v.max() - v.min()) / 2)}"
        out.append(f"| {cell} | {blank} | {', '.join(str(r['seed']) for r in rs)} | "
                   f"{ms('acc', lambda v: f'{100 * v:.1f}%')} | {ms('row1', lambda v: f'{v:+.2f}')} | "
                   f"{ms('digit_rows', lambda v: f'{v:+.2f}')} | {np.mean([r['seconds'] for r in rs]):.0f} |")
    return "\n".join(out)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    p.add_argument("--blank-rows", type=int, nargs="+", default=[0, LONG_MEMORY["blank_rows"]])
    p.add_argument("--lr", type=float, default=LONG_MEMORY["lr"])
    p.add_argument("--clip", type=float, default=LONG_MEMORY["clip"])
    p.add_argument("--recurrent-init", default="default")
    p.add_argument("--keeper-bias", type=float, default=LONG_MEMORY.get("keeper_bias", 0.0))
    p.add_argument("--train-size", type=int, default=TrainConfig.train_size)
    p.add_argument("--epochs", type=int, default=LONG_MEMORY.get("epochs", TrainConfig.epochs))
    p.add_argument("--out", type=Path, default=None, help="append each run's figures here as JSON lines")
    p.add_argument("--write", action="store_true", help=f"write the figures the app quotes to {FIGURES.name}")
    args = p.parse_args()
    torch.set_num_threads(1)  # a shared machine: one core per run, as the app trains
    mnist = data.load_mnist()
    rows = []
    for seed in args.seeds:
        for blank in args.blank_rows:
            for cell in args.cells:
                cfg = TrainConfig(cell=cell, blank_rows=blank, seed=seed, lr=args.lr, clip=args.clip,
                                  recurrent_init=args.recurrent_init, keeper_bias=args.keeper_bias,
                                  train_size=args.train_size, epochs=args.epochs,
                                  device="cpu")
                rows.append(measure(cfg, mnist))
                print(json.dumps(rows[-1]), flush=True)
                if args.out:
                    with args.out.open("a") as f:
                        f.write(json.dumps(rows[-1]) + "\n")
    print(table(rows))
    if args.write:
        FIGURES.write_text(json.dumps(figures(rows), indent=1) + "\n")


def figures(rows: list[dict]) -> dict:
    """Per setting (blank rows) and cell: the seeds, and the mean and the spread (half the range) of the test accuracy
    and of the error signal at row 1: what How it works says, as measured."""
    out = {"seeds": sorted({r["seed"] for r in rows}), "steps": rows[0]["steps"], "settings": {}}
    for r in rows:
        out["settings"].setdefault(str(r["blank_rows"]), {}).setdefault(r["cell"], []).append(r)
    for setting in out["settings"].values():
        for cell, rs in setting.items():
            acc, sig = np.array([r["acc"] for r in rs]), np.array([r["row1"] for r in rs])
            setting[cell] = {"acc": round(acc.mean(), 4), "acc_spread": round((acc.max() - acc.min()) / 2, 4),
                             "row1": round(sig.mean(), 2), "row1_spread": round((sig.max() - sig.min()) / 2, 2)}
    return out


if __name__ == "__main__":
    main()
