"""The Train tab's time estimates against the runs they promise: for each recipe, what a fresh server estimates from
the step-time table alone (pace.py's weights/pace.json, no run finished yet), and then, after one run of the original
recipe has finished here, what it estimates; against the seconds the tab's own handler took, from the press to its
last update (the run in its training process, its end scored and saved).

    MNIST_ROOT=../shared/mnist python benchmarks/estimates.py [--set report|choose]
"""
import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pace  # noqa: E402
from ui import training  # noqa: E402
from ui.common import Readers  # noqa: E402

D = training.DEFAULTS
SETS = {  # recipes whose estimates a method is chosen on, and the ones it is reported on
    "choose": [D, dataclasses.replace(D, cell="gru", hidden_size=128, batch_size=32, train_size=20000),
               dataclasses.replace(D, cell="rnn", hidden_size=16, batch_size=256)],
    "report": [dataclasses.replace(D, cell="rnn"), dataclasses.replace(D, hidden_size=8),
               dataclasses.replace(D, cell="gru", batch_size=128, train_size=30000),
               dataclasses.replace(D, hidden_size=128, train_size=10000, augment=True),
               dataclasses.replace(D, cell="lstm", hidden_size=256, batch_size=512, train_size=20000)],
}


def run_seconds(readers: Readers, cfg) -> float:
    """Seconds from the press to the last update, through the tab's handler."""
    t0 = time.perf_counter()
    for _ in training.train_model(readers, cfg.cell, cfg.hidden_size, cfg.lr, cfg.batch_size, cfg.epochs,
                                  cfg.train_size, cfg.seed, cfg.augment):
        pass
    return time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", choices=SETS, default="report")
    args = p.parse_args()
    readers = Readers.load()
    run_seconds(readers, dataclasses.replace(D, train_size=1000))  # the training process started and warm
    table_only = pace.Pace.load()
    training.PACE = pace.Pace.load()
    training.PACE.note(D, *first_run(readers))  # a server that has run the original recipe once
    print("| recipe | table only | after one run here | took | ratio (table only) | ratio (after a run) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for cfg in SETS[args.set]:
        before, after = table_only.seconds(cfg), training.PACE.seconds(cfg)
        took = run_seconds(readers, cfg)
        print(f"| {training.run_label(0, cfg)[3:]} {cfg.train_size} | {before:.1f} s | {after:.1f} s | {took:.1f} s "
              f"| {before / took:.2f} | {after / took:.2f} |", flush=True)


def first_run(readers: Readers) -> tuple[float, float]:
    """The original recipe run once: its seconds per step (its own pace) and its seconds in all, as train_runs notes."""
    t0 = time.perf_counter()
    steps_s = None
    for u in training.train_model(readers, D.cell, D.hidden_size, D.lr, D.batch_size, D.epochs, D.train_size, D.seed,
                                  D.augment):
        if u.board and u.board.values and "sps" in u.board.values:
            steps_s = D.batch_size / u.board.values["sps"]
    return steps_s, time.perf_counter() - t0


if __name__ == "__main__":
    main()
