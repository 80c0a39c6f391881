"""A map of a model's memory: one fixed linear projection of its hidden state to 2-D, where each digit's final
state h_28 lands in a region of its own, and a drawing's h_1 ... h_28 is a path across the map.

Fitted once per shipped model (`python memory_map.py` writes weights/<cell>.map.json, a few KB) and loaded at app
start; a model trained on the Train tab gets its own, fitted on a small fixed subset when its run ends. PCA or LDA,
whichever reads more held-out test digits right by their nearest class centre on the map (the map's "regions").
The page projects and describes the path itself (ui/js/memmap.js), from the same stored numbers.
"""
import argparse
import datetime
import json
from pathlib import Path

import numpy as np
import torch

import checkpoint
import data
from evaluate import settle_row
from model import CELLS, RowReader

# Shipped maps: fitted on these MNIST training digits, chosen on these test digits, clouds from the next ones.
FIT, CHOOSE, CLOUD_FROM = 3000, 2000, 2000
CLOUD_PER_DIGIT = 20  # test digits drawn as faint dots per class (the regions)
# A model trained on the Train tab: a smaller fixed subset, so its map costs well under a second at the run's end.
TRAINED = {"fit": 1000, "choose": 500, "cloud": 10}
DECIMALS = 5  # the stored numbers: the page and Python project with these, so they agree exactly
# Paul Tol's "muted" scheme (told apart with every kind of colour blindness) and a dark grey: one per digit. Each
# region is labelled with its digit too, so colour is never the only cue.
COLOURS = ["#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499",
           "#555555"]


def stored(cell: str) -> Path:
    """weights/<cell>.map.json"""
    return checkpoint.WEIGHTS_DIR / f"{cell}.map.json"


@torch.inference_mode()
def hidden(model: RowReader, x: torch.Tensor, batch: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Every row's hidden state (N, 28, H) and belief (N, 28, 10) for uint8 images (N, 28, 28), in float64."""
    hs, ps = [], []
    for i in range(0, len(x), batch):
        t = model.trace(x[i:i + batch].float() / 255)
        hs.append(t["h"].double().numpy())
        ps.append(t["probs"].double().numpy())
    return np.concatenate(hs), np.concatenate(ps)


def fixed_signs(axes: np.ndarray) -> np.ndarray:
    """Each axis (2, H) pointing so that its largest component is positive: an eigenvector's sign is arbitrary."""
    return axes * np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(1)])[:, None]


def pca(h: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The two directions (2, H) of most variance."""
    _, vecs = np.linalg.eigh(np.cov(h, rowvar=False))
    return vecs[:, ::-1][:, :2].T


def lda(h: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The two directions (2, H) that best separate the digits' means relative to their spread (Fisher's LDA)."""
    mean = h.mean(0)
    within = sum(np.cov(h[y == k], rowvar=False) * (np.sum(y == k) - 1) for k in range(10)) / len(h)
    between = sum(np.sum(y == k) * np.outer(h[y == k].mean(0) - mean, h[y == k].mean(0) - mean) for k in range(10))
    within += 1e-4 * np.trace(within) / len(within) * np.eye(len(within))  # some units barely vary: keep it invertible
    vals, vecs = np.linalg.eigh(within)
    root = vecs / np.sqrt(vals) @ vecs.T  # within^(-1/2): LDA becomes an eigenproblem of a symmetric matrix
    _, top = np.linalg.eigh(root @ (between / len(h)) @ root)
    return (root @ top[:, ::-1][:, :2]).T


METHODS = {"pca": pca, "lda": lda}


def fit_projection(method: str, h: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mean (H,) and axes (2, H), each axis scaled to unit spread on the fitting digits: p = axes @ (h - mean)."""
    mean = h.mean(0)
    axes = fixed_signs(METHODS[method](h - mean, y))
    axes /= (axes @ (h - mean).T).std(1)[:, None]
    return mean.round(DECIMALS), axes.round(DECIMALS)


def project(map_: dict, h: np.ndarray) -> np.ndarray:
    """Points (..., 2) on the map for hidden states (..., H), as the page projects them."""
    return (np.asarray(h, np.float64) - np.asarray(map_["mean"])) @ np.asarray(map_["axes"]).T


def nearest(map_: dict, points: np.ndarray) -> np.ndarray:
    """The digit whose region each point (..., 2) lies in: the nearest class centre."""
    d = ((np.asarray(points)[..., None, :] - np.asarray(map_["centres"])) ** 2).sum(-1)
    return d.argmin(-1)


def centres(points: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.stack([points[y == k].mean(0) for k in range(10)]).round(DECIMALS)


def fit(model: RowReader, mnist: data.MNIST, n_fit: int = FIT, n_choose: int = CHOOSE,
        cloud_per_digit: int = CLOUD_PER_DIGIT, cloud_from: int = CLOUD_FROM) -> dict:
    """The map of `model`'s memory: PCA or LDA fitted on the first `n_fit` training digits' h_28, whichever reads
    more of the first `n_choose` test digits right by their nearest centre; a cloud of later test digits' h_28."""
    fit_h, _ = hidden(model, mnist.train_x[:n_fit])
    fit_y = mnist.train_y[:n_fit].numpy()
    test_h, _ = hidden(model, mnist.test_x[:n_choose])
    test_y = mnist.test_y[:n_choose].numpy()
    tried = {}
    for method in METHODS:
        mean, axes = fit_projection(method, fit_h[:, -1], fit_y)
        m = {"mean": mean, "axes": axes}
        m["centres"] = centres(project(m, fit_h[:, -1]), fit_y)
        tried[method] = (m, float((nearest(m, project(m, test_h[:, -1])) == test_y).mean()))
    method = max(tried, key=lambda k: tried[k][1])  # (a tie keeps PCA, the simpler)
    m = tried[method][0]
    pool_y = mnist.test_y[cloud_from:cloud_from + 20 * cloud_per_digit].numpy()
    picked = np.concatenate([np.nonzero(pool_y == k)[0][:cloud_per_digit] for k in range(10)])
    cloud_h, _ = hidden(model, mnist.test_x[cloud_from + picked])
    cloud = project(m, cloud_h[:, -1])
    blank_h, _ = hidden(model, torch.zeros(1, 28, 28, dtype=torch.uint8))
    frame = np.concatenate([cloud, m["centres"], project(m, blank_h[0])])  # the map holds the empty canvas's path too
    lo, hi = frame.min(0), frame.max(0)
    pad = 0.06 * (hi - lo)
    return {"method": method, "hidden": int(fit_h.shape[-1]),
            "accuracy": {k: round(v, 4) for k, (_, v) in tried.items()},
            "mean": m["mean"].tolist(), "axes": m["axes"].tolist(), "centres": m["centres"].tolist(),
            "box": np.concatenate([lo - pad, hi + pad]).round(3).tolist(),
            "cloud": {"xy": cloud.round(3).tolist(), "digit": pool_y[picked].tolist()},
            "fitted_on": {"train_digits": n_fit, "test_digits_chosen_on": n_choose,
                          "cloud_test_digits": [cloud_from, cloud_from + 20 * cloud_per_digit]}}


def fit_trained(model: RowReader, mnist: data.MNIST) -> dict:
    """A map for a model trained on the Train tab, on a small fixed subset (bounded: ~2,000 digits traced)."""
    return fit(model.cpu().eval(), mnist, TRAINED["fit"], TRAINED["choose"], TRAINED["cloud"], TRAINED["choose"])


def load(cell: str) -> dict | None:
    """A shipped model's stored map, or None when it is missing or unreadable (the app starts without it)."""
    try:
        return json.loads(stored(cell).read_text())
    except (OSError, ValueError):
        return None


def runs(near: np.ndarray) -> list[tuple[int, int, int]]:
    """The path's stretches in one region: (digit, first row, last row), rows 1-based."""
    out = []
    for t, k in enumerate(near.tolist(), 1):
        if out and out[-1][0] == k:
            out[-1][2] = t
        else:
            out.append([k, t, t])
    return [tuple(r) for r in out]


def journey(map_: dict, h: np.ndarray, probs: np.ndarray) -> dict:
    """The path in words, as the page says it (ui/js/memmap.js's journey): a text key and its values. `h` (28, H),
    `probs` (28, 10). The answer is the model's; the regions are the map's nearest centres."""
    near = nearest(map_, project(map_, h))
    top, row = int(probs[-1].argmax()), settle_row(probs)
    stretches = runs(near)
    end, turn, _ = stretches[-1]
    if end != top:
        return {"key": "map_elsewhere", "values": {"top": top, "end": end, "row": row}}
    if turn == 1:
        return {"key": "map_stayed", "values": {"top": top, "row": row}}
    # The longest earlier stretch near another digit (a tie: the later); the one just before the turn is one.
    past = max((r for r in stretches[:-1] if r[0] != top), key=lambda r: (r[2] - r[1], r[2]))
    return {"key": "map_path", "values": {"top": top, "past": past[0], "until": past[2], "turn": turn, "row": row}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", nargs="+", default=list(CELLS))
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args()
    torch.manual_seed(0)
    mnist = data.load_mnist()
    for cell in args.cells:
        m = fit(checkpoint.load_pretrained(cell), mnist)
        m |= {"command": "python memory_map.py", "date": args.date}
        checkpoint.atomic_write(stored(cell), lambda p: Path(p).write_text(json.dumps(m, separators=(",", ":"))))
        print(f"{cell}: {m['method']} (held-out nearest-centre accuracy: PCA {m['accuracy']['pca']:.1%}, "
              f"LDA {m['accuracy']['lda']:.1%}); {stored(cell).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
