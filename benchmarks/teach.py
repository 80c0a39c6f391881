"""Teaching it your handwriting: writers with one consistent style, 20 corrections each (2 per digit), and what
`train.teach` makes of them: their other digits before and after, MNIST before and after, time and memory.

    MNIST_ROOT=../shared/mnist python benchmarks/teach.py              # the chosen recipe, with and without MNIST
    MNIST_ROOT=../shared/mnist python benchmarks/teach.py --compare    # and every method tried, for the table
    MNIST_ROOT=../shared/mnist python benchmarks/teach.py --split dev --compare   # where the recipe was chosen
    MNIST_ROOT=../shared/mnist python benchmarks/teach.py --weights weights/gru   # another model

Writers come from tests/drawn.py (WRITERS: strokes bent one way for all of a writer's digits, drawn on an 800x800
canvas in the forms the app receives, through preprocess.to_mnist as the app does), never from MNIST. The
"report" split (the figures in BENCHMARKS.md) uses other drawings and other MNIST test digits (the first 2,000)
than the "dev" split the recipe was chosen on (test digits 2,000-9,999).
"""
import argparse
import copy
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import checkpoint  # noqa: E402
import data  # noqa: E402
import preprocess  # noqa: E402
import train  # noqa: E402
from model import ModelConfig, RowReader  # noqa: E402
from tests.drawn import WRITERS, writer_set  # noqa: E402
from train import TeachRecipe  # noqa: E402

# Drawing seeds (corrections, held-out digits) and MNIST test digits. The dev split measures forgetting on
# 8,000 test digits, so that choices between recipes rest on differences of a few digits less.
SPLITS = {"report": (1, 2, slice(0, 2000)), "dev": (101, 102, slice(2000, 10000))}
CHOSEN = "distillation at T = 3, weight 10 (chosen)"
FALLBACK = "no MNIST: L2-SP pull 0.5 (the fallback)"
LABELS = dict(distill=0.0, label_replay=1.0)  # replay scored by the digits' labels instead of the model's answers
T1 = dict(distill=30.0, temperature=1.0)
METHODS = {  # name: (recipe, whether teach gets MNIST)
    "fine-tune, no MNIST, no pull": (TeachRecipe(pull=0.0), False),
    "label replay, 40 steps x 128, lr 3e-3 (first try)": (TeachRecipe(steps=40, lr=3e-3, replay=128, **LABELS), True),
    "label replay": (TeachRecipe(**LABELS), True),
    "label replay, output layer only": (TeachRecipe(learn="out.", **LABELS), True),
    "label replay, input weights only": (TeachRecipe(learn="rnn.weight_ih", **LABELS), True),
    "label replay + L2-SP pull 0.3": (TeachRecipe(pull=0.3, **LABELS), True),
    "distillation at T = 1, weight 30": (TeachRecipe(**T1), True),
    "distillation at T = 1, weight 30, + label replay": (TeachRecipe(label_replay=1.0, **T1), True),
    "distillation at T = 3, weight 5": (TeachRecipe(distill=5.0), True),
    "distillation at T = 3, weight 20": (TeachRecipe(distill=20.0), True),
    "chosen, corrections only as drawn": (TeachRecipe(augment=False), True),
    "chosen, corrections only augmented": (TeachRecipe(as_drawn=False), True),
    "chosen, replay not augmented": (TeachRecipe(augment_replay=False), True),
    CHOSEN: (TeachRecipe(), True),
    FALLBACK: (TeachRecipe(), False),
}


def digits_of(writer: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    values, labels = writer_set(writer, n, seed)
    return np.stack([preprocess.to_mnist(v) for v in values]), labels


@torch.inference_mode()
def accuracy(model: RowReader, x, y) -> float:
    return (model(torch.as_tensor(x)).argmax(1).numpy() == np.asarray(y)).mean().item()


def baseline_seconds(model: RowReader, mnist: data.MNIST) -> float:
    """20 forward+backward passes of a 192-image batch, the same model."""
    m = copy.deepcopy(model).train()
    x, y = mnist.train_x[:192].float() / 255, mnist.train_y[:192]
    t0 = time.perf_counter()
    for _ in range(20):
        m.zero_grad(set_to_none=True)
        F.cross_entropy(m(x), y).backward()
    return time.perf_counter() - t0


def state_bytes(model: RowReader) -> int:
    """What a session holds for a taught model: its tensors, plus any gradients left on it."""
    grads = sum(p.grad.nbytes for p in model.parameters() if p.grad is not None)
    return sum(t.nbytes for t in model.state_dict().values()) + grads


def run_method(name, model, writers, mnist, eval_x, eval_y, base, seeds) -> dict:
    recipe, with_mnist = METHODS[name]
    rows = []
    for w, (cx, cy, hx, hy) in writers.items():
        for seed in range(seeds):
            b = baseline_seconds(model, mnist)  # right before, so both see the machine as it is
            t0 = time.perf_counter()
            taught = train.teach(model, cx, cy, mnist if with_mnist else None, recipe, seed)
            t = time.perf_counter() - t0
            mn = (train.predict(taught, eval_x) == eval_y).float().mean().item()
            rows.append({"writer": w, "seed": seed, "held": accuracy(taught, hx, hy), "own": accuracy(taught, cx, cy),
                         "mnist": mn, "teach_s": t, "baseline_s": b, "bytes": state_bytes(taught)})
    gains = [r["held"] - base[r["writer"]]["held"] for r in rows]
    drops = [base["mnist"] - r["mnist"] for r in rows]
    ratio = statistics.median(r["teach_s"] / r["baseline_s"] for r in rows)
    own = np.mean([r["own"] for r in rows])
    print(f"| {name} | {100 * np.mean(gains):+.1f} | {100 * max(drops):.2f} | {100 * np.mean(drops):.2f} | "
          f"{100 * own:.0f}% | {ratio:.2f} |", flush=True)
    return {"rows": rows, "gains": gains, "drops": drops, "ratio": ratio}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", default=str(checkpoint.WEIGHTS_DIR / "lstm"))
    ap.add_argument("--split", default="report", choices=sorted(SPLITS))
    ap.add_argument("--seeds", type=int, default=3, help="teach seeds per writer")
    ap.add_argument("--compare", action="store_true", help="every method in METHODS, not only what teach does "
                    "with MNIST and without")
    ap.add_argument("--lr", type=float, default=None, help="Adam's rate for every method (default: the recipes')")
    ap.add_argument("--sizes", type=int, nargs="*", default=[],
                    help="also teach two writers this many corrections each (e.g. 20 50 100 200), for the cap")
    args = ap.parse_args()
    if args.lr:
        METHODS.update({k: (dataclasses.replace(r, lr=args.lr), m) for k, (r, m) in METHODS.items()})
    torch.set_num_threads(1)  # as the app runs
    model = checkpoint.load(args.weights)
    mnist = data.load_mnist()
    c_seed, h_seed, test = SPLITS[args.split]
    eval_x, eval_y = mnist.test_x[test], mnist.test_y[test]
    t0 = time.perf_counter()
    writers = {w: (*digits_of(w, 20, c_seed), *digits_of(w, 200, h_seed)) for w in WRITERS}
    print(f"{args.weights} ({model.config.cell}, {model.config.hidden_size} hidden), split {args.split}; "
          f"{len(WRITERS)} writers drawn and preprocessed in {time.perf_counter() - t0:.1f} s")
    base = {"mnist": (train.predict(model, eval_x) == eval_y).float().mean().item()}
    for w, (cx, cy, hx, hy) in writers.items():
        base[w] = {"held": accuracy(model, hx, hy), "own": accuracy(model, cx, cy)}
        print(f"  {w:9s} the model reads {100 * base[w]['held']:.1f}% of 200 held-out digits right, "
              f"{100 * base[w]['own']:.0f}% of the 20 corrections" + ("" if base[w]["held"] <= 0.65 else "  (> 65%!)"))
    print(f"  MNIST test digits {test.start}-{test.stop - 1}: {100 * base['mnist']:.2f}%\n")
    t0 = time.perf_counter()
    train.teach(model, *writers[next(iter(WRITERS))][:2], mnist)  # the first call in a process is slower
    print(f"first teach call in this process (a warm-up, not counted below): {time.perf_counter() - t0:.2f} s\n")
    print("| method | mean held-out gain (points) | worst MNIST drop | mean MNIST drop | corrections read right "
          "| teach / baseline |")
    print("| --- | --- | --- | --- | --- | --- |")
    results = {name: run_method(name, model, writers, mnist, eval_x, eval_y, base, args.seeds)
               for name in (METHODS if args.compare else [CHOSEN, FALLBACK])}

    chosen = results[CHOSEN]
    print(f"\nThe chosen recipe, {dataclasses.asdict(METHODS[CHOSEN][0])}, per writer "
          f"(mean of {args.seeds} teach seeds; MNIST drop: the worst seed):\n")
    print("| writer | held-out before | after | corrections read right after | MNIST before | after (worst) "
          "| teach | baseline | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for w in writers:
        rs = [r for r in chosen["rows"] if r["writer"] == w]
        teach_s, base_s = statistics.median(r["teach_s"] for r in rs), statistics.median(r["baseline_s"] for r in rs)
        print(f"| {w} | {100 * base[w]['held']:.1f}% | {100 * np.mean([r['held'] for r in rs]):.1f}% | "
              f"{100 * np.mean([r['own'] for r in rs]):.0f}% | {100 * base['mnist']:.2f}% | "
              f"{100 * min(r['mnist'] for r in rs):.2f}% | {teach_s:.2f} s | {base_s:.2f} s | "
              f"{statistics.median(r['teach_s'] / r['baseline_s'] for r in rs):.2f} |")
    print(f"\nmean held-out gain {100 * np.mean(chosen['gains']):+.1f} points (target >= 20); worst MNIST drop "
          f"{100 * max(chosen['drops']):.2f} points (target <= 0.5); teach / baseline {chosen['ratio']:.2f} "
          "(target <= 2)")

    # Cost whatever the number of corrections: 200 of one writer's digits in one teach call.
    w = next(iter(writers))
    b = baseline_seconds(model, mnist)
    t0 = time.perf_counter()
    train.teach(model, writers[w][2], writers[w][3], mnist)
    print(f"200 corrections in one teach call: {time.perf_counter() - t0:.2f} s, baseline {b:.2f} s")

    # "Digits of yours it never trained on": k-fold reading of the 20 corrections against the 200 truly held out.
    for w, (cx, cy, hx, hy) in writers.items():
        t0 = time.perf_counter()
        pred = train.held_out_reading(model, cx, cy, mnist)
        t = time.perf_counter() - t0
        taught_held = np.mean([r["held"] for r in chosen["rows"] if r["writer"] == w and r["seed"] == 0])
        print(f"held_out_reading {w:9s}: {100 * (pred.numpy() == cy).mean():.0f}% of the 20 corrections right "
              f"(taught on 15 at a time; the model taught on all 20 reads {100 * taught_held:.1f}% of 200 new ones) "
              f"in {t:.2f} s")

    for w in ("mirrored", "narrow") if args.sizes else ():
        # Other drawings of the same writer (seed 301): the first N are corrections, the last 200 are read.
        x, y = digits_of(w, max(args.sizes) + 200, 301)
        for n in args.sizes:
            taught = train.teach(model, x[:n], y[:n], mnist)
            drop = base["mnist"] - (train.predict(taught, eval_x) == eval_y).float().mean().item()
            print(f"{w:9s} {n:4d} corrections: {100 * accuracy(taught, x[-200:], y[-200:]):.1f}% of 200 others right, "
                  f"{100 * accuracy(taught, x[:n], y[:n]):.0f}% of the corrections, MNIST drop {100 * drop:.2f}")

    sizes = {r["bytes"] for r in chosen["rows"]}
    big = RowReader(ModelConfig(cell="lstm", hidden_size=256))
    print(f"memory per taught model: {max(sizes) / 1024:.1f} KiB of tensors (no gradients or optimiser state kept); "
          f"the largest model the Train tab makes (LSTM, 256 hidden): {state_bytes(big) / 2**20:.2f} MiB; "
          f"each correction kept as float32 28x28: {28 * 28 * 4 / 1024:.1f} KiB")


if __name__ == "__main__":
    os.environ.setdefault("MNIST_ROOT", str(ROOT.parent / "shared" / "mnist"))
    main()
