"""Teaching it your handwriting: writers with one consistent style, 20 corrections each (2 per digit), and what
`teacher.teach` makes of them: their other digits before and after, MNIST before and after, time and memory.

    MNIST_ROOT=../shared/mnist python benchmarks/teach.py              # held-out styles: the figures to quote
    MNIST_ROOT=../shared/mnist python benchmarks/teach.py --styles choose --compare   # where the recipe was chosen
    MNIST_ROOT=../shared/mnist python benchmarks/teach.py --weights weights/gru   # another model
    MNIST_ROOT=../shared/mnist python benchmarks/teach.py --kfold --sizes 20 50 100 200   # held_out_reading; the cap

Writers come from tests/drawn.py (STYLES: one way of writing all ten digits, its strokes drawn on an 800x800 canvas
in the forms the app receives, through preprocess.to_mnist as the app does), never from MNIST. The recipe was chosen
on the CHOOSE styles, forgetting measured on MNIST test digits 2,000-9,999; the figures to quote are those of the
HELD_OUT styles, forgetting on the first 2,000 test digits (the forgetting meter's). Each style is taught 3 times:
3 draws of its 20 corrections, each with its own teach seed; its 200 other digits are a draw of their own.
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
import evaluate
import teacher
from model import ModelConfig, RowReader  # noqa: E402
from tests.drawn import CHOOSE, HELD_OUT, writer_set  # noqa: E402
from teacher import TeachRecipe  # noqa: E402

SPLITS = {"held-out": (HELD_OUT, slice(0, 2000)), "choose": (CHOOSE, slice(2000, 10000))}
DRAWS = (11, 12, 13)  # drawing seeds of the corrections, one per teach (also its teach seed)
OTHERS = 21  # drawing seed of each style's 200 other digits
CHOSEN = "Polyak mean, distillation weight 3, lr 1.2e-2 (chosen)"
PREVIOUS = "distillation weight 10, lr 4e-3, last step (the previous recipe)"
FALLBACK = "no MNIST: L2-SP pull 0.5 (the fallback)"
OLD = dict(lr=4e-3, distill=10.0, average=False)
METHODS = {  # name: (recipe, whether teach gets MNIST); tried in this order on the CHOOSE styles
    PREVIOUS: (TeachRecipe(**OLD), True),
    "distillation weight 5": (TeachRecipe(**{**OLD, "distill": 5.0}), True),
    "distillation weight 3": (TeachRecipe(**{**OLD, "distill": 3.0}), True),
    "distillation weight 1": (TeachRecipe(**{**OLD, "distill": 1.0}), True),
    "weight 10, 45 steps": (TeachRecipe(**{**OLD, "steps": 45}), True),
    "weight 3, lr 6e-3": (TeachRecipe(**{**OLD, "distill": 3.0, "lr": 6e-3}), True),
    "weight 3, lr 8e-3": (TeachRecipe(**{**OLD, "distill": 3.0, "lr": 8e-3}), True),
    "weight 2, replay 32": (TeachRecipe(**{**OLD, "distill": 2.0, "replay": 32}), True),
    "weight 2, lr 6e-3": (TeachRecipe(**{**OLD, "distill": 2.0, "lr": 6e-3}), True),
    "weight 2, output layer kept": (TeachRecipe(**{**OLD, "distill": 2.0, "learn": "rnn."}), True),
    "weight 3, temperature 5": (TeachRecipe(**{**OLD, "distill": 3.0, "temperature": 5.0}), True),
    "Polyak mean, weight 1": (TeachRecipe(distill=1.0), True),
    "Polyak mean, weight 1.5": (TeachRecipe(distill=1.5), True),
    "Polyak mean, weight 1.5, temperature 2": (TeachRecipe(distill=1.5, temperature=2.0), True),
    "Polyak mean, weight 2, lr 1.5e-2": (TeachRecipe(distill=2.0, lr=1.5e-2), True),
    "Polyak mean, weight 2, 40 steps, 32 replayed": (TeachRecipe(distill=2.0, steps=40, replay=32), True),
    "Polyak mean, weight 4, lr 1.5e-2": (TeachRecipe(distill=4.0, lr=1.5e-2), True),
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
    """The 20-step yardstick: 20 forward+backward passes of a 192-image batch, the same model."""
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


def run_method(name, model, writers, mnist, eval_x, eval_y, base) -> dict:
    """Teach every style once per draw of its corrections; print the method's row of the table."""
    recipe, with_mnist = METHODS[name]
    rows = []
    for w, (draws, hx, hy) in writers.items():
        for seed, (cx, cy) in zip(DRAWS, draws):
            b = baseline_seconds(model, mnist)  # right before, so both see the machine as it is
            t0 = time.perf_counter()
            taught = teacher.teach(model, cx, cy, mnist if with_mnist else None, recipe, seed)
            t = time.perf_counter() - t0
            right = (evaluate.predict(taught, eval_x) == eval_y).float()
            window = (base["right"] - right).view(-1, 2000).mean(1).max().item()  # as the meter's 2,000 would see it
            rows.append({"writer": w, "seed": seed, "held": accuracy(taught, hx, hy), "own": accuracy(taught, cx, cy),
                         "mnist": right.mean().item(), "window": window, "teach_s": t, "baseline_s": b,
                         "bytes": state_bytes(taught)})
    gains = [r["held"] - base[r["writer"]] for r in rows]
    drops = [base["mnist"] - r["mnist"] for r in rows]
    ratio = statistics.median(r["teach_s"] / r["baseline_s"] for r in rows)
    own = np.mean([r["own"] for r in rows])
    print(f"| {name} | {100 * np.mean(gains):+.1f} | {100 * max(drops):.2f} | "
          f"{100 * max(r['window'] for r in rows):.2f} | {100 * np.mean(drops):.2f} | "
          f"{100 * own:.0f}% | {ratio:.2f} |", flush=True)
    return {"rows": rows, "gains": gains, "drops": drops, "ratio": ratio}


def per_writer(name: str, result: dict, writers, base, cell: str) -> None:
    """A method's table per writer: mean of its teaches; MNIST drop the worst of them."""
    recipe = dataclasses.asdict(teacher.teach_recipe(cell, METHODS[name][0]))
    print(f"\n{name}, {recipe}, per writer (mean of {len(DRAWS)} teaches):\n")
    print("| writer | other 200 before | after | gain | corrections read right after | MNIST drop (worst) "
          "| teach | yardstick | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for w in writers:
        rs = [r for r in result["rows"] if r["writer"] == w]
        after, worst = np.mean([r["held"] for r in rs]), base["mnist"] - min(r["mnist"] for r in rs)
        teach_s, base_s = (statistics.median(r[k] for r in rs) for k in ("teach_s", "baseline_s"))
        print(f"| {w} | {100 * base[w]:.1f}% | {100 * after:.1f}% | {100 * (after - base[w]):+.1f} | "
              f"{100 * np.mean([r['own'] for r in rs]):.0f}% | {100 * worst:.2f} | {teach_s:.2f} s | {base_s:.2f} s | "
              f"{statistics.median(r['teach_s'] / r['baseline_s'] for r in rs):.2f} |")
    print(f"\nmean gain {100 * np.mean(result['gains']):+.1f} points (target >= 25); worst MNIST drop "
          f"{100 * max(result['drops']):.2f} points (target <= 0.5 for every writer); teach / yardstick "
          f"{result['ratio']:.2f} (median; target <= 2)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", default=str(checkpoint.WEIGHTS_DIR / "lstm"))
    ap.add_argument("--styles", default="held-out", choices=sorted(SPLITS))
    ap.add_argument("--compare", action="store_true", help="every method in METHODS, not only the chosen recipe, "
                    "the previous one and the fallback")
    ap.add_argument("--only", nargs="*", default=[], help="with --compare: only the methods whose name holds one of "
                    "these (the previous recipe and the chosen one always run)")
    ap.add_argument("--kfold", action="store_true", help="also teacher.held_out_reading for each writer")
    ap.add_argument("--sizes", type=int, nargs="*", default=[],
                    help="also teach each writer this many corrections (e.g. 20 50 100 200), for the cap")
    args = ap.parse_args()
    torch.set_num_threads(1)  # as the app runs
    model = checkpoint.load(args.weights)
    mnist = data.load_mnist()
    styles, test = SPLITS[args.styles]
    eval_x, eval_y = mnist.test_x[test], mnist.test_y[test]
    t0 = time.perf_counter()
    writers = {w: ([digits_of(w, 20, d) for d in DRAWS], *digits_of(w, 200, OTHERS)) for w in styles}
    print(f"{args.weights} ({model.config.cell}, {model.config.hidden_size} hidden), {args.styles} styles; "
          f"{len(styles)} writers drawn and preprocessed in {time.perf_counter() - t0:.1f} s")
    right = (evaluate.predict(model, eval_x) == eval_y).float()
    base = {"mnist": right.mean().item(), "right": right}
    for w, (_, hx, hy) in writers.items():
        base[w] = accuracy(model, hx, hy)
        print(f"  {w:12s} the model reads {100 * base[w]:.1f}% of its 200 other digits right")
    print(f"  MNIST test digits {test.start}-{test.stop - 1}: {100 * base['mnist']:.2f}%\n")
    t0 = time.perf_counter()
    first = writers[styles[0]][0][0]
    teacher.teach(model, *first, mnist)  # the first call in a process is slower
    print(f"first teach call in this process (a warm-up, not counted below): {time.perf_counter() - t0:.2f} s\n")
    print("| method | mean gain on other digits (points) | worst MNIST drop | worst on 2,000 of them | mean MNIST drop "
          "| corrections read right | teach / yardstick |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    names = [n for n in METHODS if n in (PREVIOUS, CHOSEN) or not args.only or any(o in n for o in args.only)]
    results = {name: run_method(name, model, writers, mnist, eval_x, eval_y, base)
               for name in (names if args.compare else [PREVIOUS, CHOSEN, FALLBACK])}
    for name in (PREVIOUS, CHOSEN):
        per_writer(name, results[name], writers, base, model.config.cell)
    gain = {k: np.mean(results[k]["gains"]) for k in (PREVIOUS, CHOSEN)}
    print(f"\nchosen / previous: gain {gain[CHOSEN] / gain[PREVIOUS]:.2f}x, teach / yardstick "
          f"{results[CHOSEN]['ratio'] / results[PREVIOUS]['ratio']:.2f}x")

    # Cost whatever the number of corrections: 200 of one writer's digits in one teach call.
    w = styles[0]
    b = baseline_seconds(model, mnist)
    t0 = time.perf_counter()
    teacher.teach(model, writers[w][1], writers[w][2], mnist)
    print(f"200 corrections in one teach call: {time.perf_counter() - t0:.2f} s, yardstick {b:.2f} s")

    # "Digits of yours it never trained on": k-fold reading of the 20 corrections against the 200 truly held out.
    for w, (draws, hx, hy) in writers.items() if args.kfold else ():
        cx, cy = draws[0]
        pred = teacher.held_out_reading(model, cx, cy, mnist)
        taught = np.mean([r["held"] for r in results[CHOSEN]["rows"] if r["writer"] == w and r["seed"] == DRAWS[0]])
        print(f"held_out_reading {w:12s}: {100 * (pred.numpy() == cy).mean():.0f}% of the 20 corrections right "
              f"(taught on 15 at a time; the model taught on all 20 reads {100 * taught:.1f}% of 200 others)")

    if args.sizes:  # the cap: the same recipe taught more of each writer's digits (other drawings, seed 301)
        print(f"\n| writer | its 200 others before | {' | '.join(f'after {n} corrections' for n in args.sizes)} "
              f"| most it could gain |")
        print("| --- " * (len(args.sizes) + 3) + "|")
        gains = {n: [] for n in args.sizes}
        for w in styles:
            x, y = digits_of(w, max(args.sizes) + 200, 301)  # the first N are corrections, the last 200 are read
            before, cells = accuracy(model, x[-200:], y[-200:]), []
            for n in args.sizes:
                taught = teacher.teach(model, x[:n], y[:n], mnist)
                drop = base["mnist"] - (evaluate.predict(taught, eval_x) == eval_y).float().mean().item()
                after = accuracy(taught, x[-200:], y[-200:])
                gains[n].append(after - before)
                cells.append(f"{100 * after:.1f}% ({100 * (after - before):+.1f}; MNIST drop {100 * drop:.2f})")
            print(f"| {w} | {100 * before:.1f}% | {' | '.join(cells)} | {100 * (1 - before):+.1f} |")
        print("mean gain: " + ", ".join(f"{n} corrections {100 * np.mean(g):+.1f}" for n, g in gains.items()))

    sizes = {r["bytes"] for r in results[CHOSEN]["rows"]}
    big = RowReader(ModelConfig(cell="lstm", hidden_size=256))
    print(f"memory per taught model: {max(sizes) / 1024:.1f} KiB of tensors (no gradients or optimiser state kept); "
          f"the largest model the Train tab makes (LSTM, 256 hidden): {state_bytes(big) / 2**20:.2f} MiB")


if __name__ == "__main__":
    os.environ.setdefault("MNIST_ROOT", str(ROOT.parent / "shared" / "mnist"))
    main()
