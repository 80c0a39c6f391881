"""Training speed: `python train.py` against the original program, as whole processes, and a run in the
Train tab (through gradio_client) against the same run headless.

    MNIST_ROOT=../shared/mnist python benchmarks/train_speed.py [--seeds 3]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT.parent / "shared" / "original" / "original_lstm_mnist.py"
sys.path.insert(0, str(ROOT))


def timed(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--original", default=str(ORIGINAL))
    ap.add_argument("--ui-only", action="store_true", help="only the Train tab against headless")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    rows = {"original program": [], "python train.py": []}
    for seed in range(1, 0 if args.ui_only else args.seeds + 1):
        wall, out = timed([sys.executable, args.original])
        m = re.search(r"train_seconds=([\d.]+) full_test_acc=([\d.]+)", out)
        rows["original program"].append((wall, float(m[1]), float(m[2])))
        metrics = tmp / f"m{seed}.json"
        wall, _ = timed([sys.executable, "train.py", "--seed", str(seed), "--out", str(tmp / f"run{seed}"),
                         "--metrics", str(metrics)])
        m = json.loads(metrics.read_text())
        rows["python train.py"].append((wall, m["train_seconds"], m["test_accuracy"]))
    for name, r in rows.items() if not args.ui_only else ():
        wall, train_s, acc = (statistics.mean(c) for c in zip(*r))
        print(f"{name:18s} process {wall:5.1f} s  training loop {train_s:4.1f} s  "
              f"test accuracy {acc:.4f} (mean of {len(r)}: {', '.join(f'{x[2]:.4f}' for x in r)})")
    if not args.ui_only:
        speedup = statistics.mean(r[0] for r in rows["original program"]) / statistics.mean(r[0] for r in rows["python train.py"])
        print(f"whole-process speed-up: {speedup:.2f}x")

    # The Train tab against the same run headless, both in a warm process with MNIST already loaded.
    import data
    import train

    import torch

    torch.set_num_threads(1)  # as `python train.py` and the app both run on a CPU
    cfg = train.TrainConfig(device="cpu")
    mnist = data.load_mnist(cfg.data_dir)
    headless = []
    for _ in range(3):
        t0 = time.perf_counter()
        for _ev in train.train_events(cfg, mnist):
            pass
        headless.append(time.perf_counter() - t0)
    from gradio_client import Client

    from tests.conftest import serve

    with serve() as (url, _):
        # Like a browser, the client takes each update as it arrives and leaves the pictures and files in it
        # to be fetched on their own; the clock stops when the final summary has arrived.
        client = Client(url, verbose=False, download_files=False)
        client.predict("lstm", 64, 0.01, 64, 1, 2000, 1, False, api_name="/train")  # warm-up: loads MNIST
        ui, updates = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            job = client.submit("lstm", 64, 0.01, 64, 1, 60000, 1, False, api_name="/train")
            updates.append(sum(1 for _ in job))
            ui.append(time.perf_counter() - t0)
            assert job.outputs()[-1][0].startswith("### Done")
    h, u = statistics.median(headless), statistics.median(ui)
    print(f"original recipe, one epoch (median of {len(ui)}): headless {h:.2f} s, Train tab {u:.2f} s "
          f"({statistics.mean(updates):.0f} streamed updates), ratio {u / h:.3f}")


if __name__ == "__main__":
    os.environ.setdefault("MNIST_ROOT", str(ROOT.parent / "shared" / "mnist"))
    main()
