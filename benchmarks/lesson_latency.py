"""The lesson, measured on this machine: how fast each of its server-side views answers for one drawing (in-process,
one torch thread as in the app), and what the shipped models do over MNIST test digits, measured with the tab's own
code (ui/probes.py): the share of a changed row each cell still holds at row 28, the error signal that gets back to
row 1, and which rows the answers rest on.

    MNIST_ROOT=../shared/mnist python benchmarks/lesson_latency.py [--n 200] [--digits 500]
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def p50(fn, n: int) -> float:
    """Median milliseconds of fn(i) over n calls, after a few warm-up calls."""
    for i in range(5):
        fn(i)
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return float(np.median(times) * 1000)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="calls per handler")
    ap.add_argument("--digits", type=int, default=500, help="MNIST test digits for the memory measurement")
    args = ap.parse_args()
    import data
    from model import CELLS
    from benchmarks.draw_latency import canvas_pngs
    from ui import draw, inside, probes
    from ui.common import Readers

    readers = Readers.load()
    values = canvas_pngs(40)  # what the canvas sends: 140x140 PNGs
    over_test_digits = inside.TestDigitGradients(readers)
    over_test_digits()  # computed once per server, on the tab's first view
    print("| handler (one drawing) | p50 | target |\n| --- | --- | --- |")
    for cell in readers.shipped:
        t = p50(lambda i: draw.read_digit(readers, values[i % 40], cell), args.n)
        print(f"| `read_digit` (the API's /predict), {CELLS[cell].name} | {t:.1f} ms | 15 ms |")
    rows = [
        ("`decided_view`: 28 rows blanked, every cell", lambda i: inside.decided_view(readers, values[i % 40])),
        ("`memory_view`: a row changed, every cell (the row slider)",
         lambda i: inside.memory_view(readers, values[i % 40], 1 + i % 28)),
        ("`gradient_view`: relative error signal, every cell",
         lambda i: inside.gradient_view(readers, over_test_digits, values[i % 40])),
    ]
    for name, fn in rows:
        print(f"| {name} | {p50(fn, args.n):.1f} ms | 30 ms |")

    mnist = data.load_mnist()
    x = mnist.test_x[: args.digits].float() / 255
    print(f"\nShare of a change to row r that the state still holds at row 28 (row r inverted; ui.probes.memory, as the "
          f"tab measures it; median over {args.digits} test digits):\n")
    states = [(c, s) for c in readers.shipped for s in CELLS[c].states]
    print("| row r | " + " | ".join(f"{CELLS[c].name} {s}" for c, s in states) + " |")
    print("| --- |" + " --- |" * len(states))
    for row in (5, 10, 14, 20):
        kept = {k: [] for k in states}
        for i in range(len(x)):
            for cell, shipped in readers.shipped.items():
                held = probes.memory(shipped.model, x[i : i + 1], row)
                for s in CELLS[cell].states:
                    kept[cell, s].append(held[s][-1] if held else np.nan)  # None: the change changed nothing
        print(f"| {row} | " + " | ".join(f"{np.nanmedian(kept[k]):.0%}" for k in states) + " |")

    print("\nError signal at row 1 relative to row 28 (256 test digits, as the tab plots it):\n")
    for name, g in over_test_digits().items():
        fall = probes.relative_log_gradients(g)[0]
        print(f"- {name}: {10 ** fall:.2g} ({fall:+.2f} decades)")

    print(f"\nRows the answer rests on (blanked one at a time; mean fall of the answer's probability over "
          f"{min(args.digits, 200)} test digits, the three largest):\n")
    for cell, shipped in readers.shipped.items():
        drops = np.mean([probes.row_importance(shipped.model, x[i : i + 1])[1] for i in range(min(args.digits, 200))], 0)
        top = np.argsort(drops)[::-1][:3] + 1
        print(f"- {CELLS[cell].name}: rows {', '.join(map(str, top))} (largest mean fall {drops.max():.1%})")


if __name__ == "__main__":
    torch.set_num_threads(1)  # as the app runs
    main()
