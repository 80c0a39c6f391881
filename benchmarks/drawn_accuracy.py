"""Accuracy on held-out drawn digits (tests/drawn.py): the shipped model through three preprocessing pipelines.

    python benchmarks/drawn_accuracy.py [--n 1000] [--weights weights/lstm]
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import checkpoint  # noqa: E402
import preprocess  # noqa: E402
from tests.drawn import dataset  # noqa: E402


def naive(value) -> np.ndarray | None:
    """The baseline: the whole canvas shrunk to 28x28, no cropping or centring."""
    a = preprocess.sketch_ink(value)
    return None if a is None else np.asarray(Image.fromarray((a * 255).astype(np.uint8)).resize((28, 28), Image.BILINEAR), np.float32) / 255


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--weights", default=str(checkpoint.WEIGHTS_DIR / "lstm"))
    p.add_argument("--save-grid", default="", help="write a PNG of the first digits as the model sees them")
    args = p.parse_args()
    model = checkpoint.load(args.weights)
    values, labels = dataset(args.n)
    pipelines = {"naive resize of the canvas": naive,
                 "MNIST pipeline (crop, 20 px box, centre of mass)": lambda v: preprocess.to_mnist(v, normalize_stroke=False),
                 "MNIST pipeline + stroke-width normalisation (the app)": preprocess.to_mnist}
    for name, fn in pipelines.items():
        x = torch.from_numpy(np.stack([fn(v) for v in values]))
        with torch.inference_mode():
            pred = model(x).argmax(1).numpy()
        acc = (pred == labels).mean()
        per_class = " ".join(f"{d}:{(pred[labels == d] == d).mean():.2f}" for d in range(10))
        print(f"{acc:.4f}  {name}\n        per class {per_class}")
    if args.save_grid:
        x = np.stack([preprocess.to_mnist(v) for v in values[:: max(1, args.n // 100)][:100]])
        grid = x.reshape(10, 10, 28, 28).transpose(0, 2, 1, 3).reshape(280, 280)
        Image.fromarray((grid * 255).astype(np.uint8)).resize((560, 560), Image.NEAREST).save(args.save_grid)


if __name__ == "__main__":
    main()
