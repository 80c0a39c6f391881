"""How fast the lesson answers, in-process on this machine: reading with each model (what switching the
selector runs), the How-it-works view at a row (what the time slider runs) and the gradient per row.

    python benchmarks/lesson_latency.py [--n 200]
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


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
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    import app
    import preprocess
    from benchmarks.draw_latency import canvas_values

    values = canvas_values(40)
    xs = [torch.from_numpy(preprocess.to_mnist(v))[None] for v in values]
    print(f"{'handler':52s} p50 (target)")
    for cell in app.READERS:
        t = p50(lambda i: app.read_digit(values[i % 40], cell), args.n)
        print(f"read_digit with the {cell.upper():4s} (switching the selector)      {t:6.1f} ms (15)")
    for cell in app.READERS:
        t = p50(lambda i: app.inside_view(values[i % 40], cell, None, 1 + i % 28), args.n)
        print(f"inside_view {cell.upper():4s} at a row (moving the time slider)       {t:6.1f} ms (15)")
    for cell in app.READERS:
        model = app.SHIPPED[cell][0]
        t = p50(lambda i: model.row_gradient_norms(xs[i % 40]), args.n)
        print(f"row_gradient_norms {cell.upper():4s}, one drawing                   {t:6.1f} ms (20)")


if __name__ == "__main__":
    torch.set_num_threads(1)  # as the app runs
    main()
