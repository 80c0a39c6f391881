"""Teaching a model a visitor's handwriting: a copy of it learns their corrections without forgetting MNIST.

The recipe's defaults were chosen by measurement (benchmarks/teach.py; BENCHMARKS.md, "Teaching it your
handwriting"); each cell's own settings are on its registry entry (model.Cell.teach).

    import data, teacher
    from checkpoint import load_pretrained
    mine = teacher.teach(load_pretrained("lstm"), digits, labels, mnist=data.load_mnist())  # a new model
"""
import copy
import dataclasses
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

import data
import preprocess
from model import CELLS, RowReader


@dataclass(frozen=True)
class TeachRecipe:
    """How `teach` learns from corrections. It costs `steps` Adam steps of at most 2 x batch + replay images,
    whatever the number of corrections."""

    steps: int = 30  # Adam steps
    lr: float | None = None  # None here and below: the model's cell's own (model.Cell.teach)
    batch: int = 32  # corrections per step, drawn at random when there are more
    as_drawn: bool = True  # each step sees those corrections as they were drawn,
    augment: bool = True  # and randomly turned, shifted and thickened (data.augment): both, by default
    replay: int = 64  # MNIST training digits per step, when MNIST is given
    augment_replay: bool = True  # the replayed digits augmented too: they then cover more of what a drawing may be
    distill: float | None = None  # weight of keeping the starting model's answers on the replayed digits (KL,
    temperature: float = 3.0  # of both softmaxes at this temperature: the runners-up's odds count, not only the top)
    label_replay: float = 0.0  # weight of the replayed digits' own labels (cross-entropy)
    pull: float | None = None  # L2 pull towards the starting weights; None: 0 with replay, 0.5 without MNIST
    average: bool | None = None  # the taught weights: their mean over every step's (a Polyak average), not the last's
    learn: str = ""  # only the parameters whose name starts with this learn ("": all, "out.": the output layer)

    def __post_init__(self):
        if not (self.as_drawn or self.augment):
            raise ValueError("a recipe needs the corrections as drawn, augmented, or both")


def check_corrections(digits, labels) -> tuple[torch.Tensor, torch.Tensor]:
    """Corrections as float (N, 28, 28) and int64 (N,) CPU tensors; ValueError with a one-line message if unfit."""
    try:
        x = torch.from_numpy(np.array(digits.detach().cpu() if isinstance(digits, torch.Tensor) else digits,
                                      dtype=np.float32))
        y = np.array(labels.detach().cpu() if isinstance(labels, torch.Tensor) else labels)
    except (ValueError, TypeError) as e:
        raise ValueError(f"digits must be numbers of shape (N, 28, 28) and labels one digit each ({e})") from None
    if x.ndim != 3 or tuple(x.shape[1:]) != (28, 28):
        raise ValueError(f"digits must have shape (N, 28, 28), got {tuple(x.shape)}")
    if len(x) == 0:
        raise ValueError("no corrections to learn from")
    if y.shape != (len(x),):
        raise ValueError(f"labels must have shape ({len(x)},), one per digit, got {y.shape}")
    if y.dtype.kind not in "iuf" or (y.dtype.kind == "f" and not np.all(y == np.round(y))):
        raise ValueError(f"labels must be whole numbers 0-9, got {y.dtype} values")
    if not np.all((y >= 0) & (y <= 9)):
        raise ValueError(f"labels must be digits 0-9, got {y[(y < 0) | (y > 9)][0]}")
    if not torch.isfinite(x).all():
        raise ValueError("digits contain NaN or infinite values")
    if x.min() < 0 or x.max() > 1:
        raise ValueError(f"digits must lie in [0, 1] with ink = 1, got values from {x.min():.3g} to {x.max():.3g}")
    blank = (x.amax(dim=(1, 2)) < preprocess.MIN_INK).nonzero()[:, 0]  # corrections with nothing drawn
    if len(blank):
        raise ValueError(f"correction {blank[0].item()} has no drawing in it")
    return x, torch.from_numpy(y.astype(np.int64))


def teach_recipe(cell: str, recipe: TeachRecipe = TeachRecipe()) -> TeachRecipe:
    """`recipe` with the fields it leaves to the cell (None) filled in from the cell's own (model.Cell.teach)."""
    defaults = dataclasses.asdict(CELLS[cell].teach)
    return dataclasses.replace(recipe, **{k: v for k, v in defaults.items() if getattr(recipe, k) is None})


def teach(model: RowReader, digits, labels, mnist: data.MNIST | None = None,
          recipe: TeachRecipe = TeachRecipe(), seed: int = 0) -> RowReader:
    """A new model: a copy of `model` taught `digits` (N, 28, 28) in [0, 1], ink = 1 (as preprocess.to_mnist
    gives them) as `labels` (N,); `model` itself is left untouched. With `mnist`, each step also replays MNIST
    training digits, on which the copy is held to the starting model's answers (distillation). The same seed
    gives the same model. Runs on the CPU, under inference mode or not; ValueError for unfit corrections."""
    x, y = check_corrections(digits, labels)
    r = teach_recipe(model.config.cell, recipe)
    replay = r.replay if mnist is not None else 0
    pull = r.pull if r.pull is not None else (0.0 if replay else 0.5)
    with torch.inference_mode(False), torch.enable_grad():  # handlers run under inference mode; this trains
        start = copy.deepcopy(model).cpu().eval()  # the teacher, and where the pull pulls to
        taught = copy.deepcopy(start)
        for name, p in taught.named_parameters():
            p.requires_grad_(name.startswith(r.learn))
        params = [p for p in taught.parameters() if p.requires_grad]
        anchors = [p.detach().clone() for p in params]
        opt = torch.optim.Adam(params, lr=r.lr)
        gen = torch.Generator().manual_seed(seed)
        mean = [torch.zeros_like(p) for p in params]
        for _ in range(r.steps):
            pick = torch.randperm(len(x), generator=gen)[: r.batch]
            seen = ([x[pick]] if r.as_drawn else []) + ([data.augment(x[pick], gen)] if r.augment else [])
            xb, yb = torch.cat(seen), y[pick].repeat(len(seen))  # (n, 28, 28), (n,)
            n = len(xb)
            if replay:
                idx = torch.randint(len(mnist.train_x), (replay,), generator=gen)
                xr = mnist.train_x[idx].float() / 255
                xb = torch.cat([xb, data.augment(xr, gen) if r.augment_replay else xr])  # (n + replay, 28, 28)
            logits = taught(xb)
            loss = F.cross_entropy(logits[:n], yb)
            if replay:
                with torch.no_grad():
                    keep = (start(xb[n:]) / r.temperature).log_softmax(1)  # what the starting model answers
                mine = (logits[n:] / r.temperature).log_softmax(1)
                # Times T^2, as Hinton et al. (2015) do, so the gradient's size does not depend on T.
                loss = loss + r.distill * r.temperature**2 * F.kl_div(mine, keep, log_target=True,
                                                                      reduction="batchmean")
                if r.label_replay:
                    loss = loss + r.label_replay * F.cross_entropy(logits[n:], mnist.train_y[idx])
            if pull:
                loss = loss + pull * sum((p - a).pow(2).sum() for p, a in zip(params, anchors))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                for m, p in zip(mean, params) if r.average else ():
                    m.add_(p, alpha=1 / r.steps)
        if r.average:  # the mean strays less from the start than the last step: more learned for what is forgotten
            with torch.no_grad():
                for p, m in zip(params, mean):
                    p.copy_(m)
        taught.zero_grad(set_to_none=True)  # a session keeps the weights only: no gradients, no optimiser state
        for p in taught.parameters():
            p.requires_grad_(True)
    return taught.eval()


def held_out_reading(model: RowReader, digits, labels, mnist: data.MNIST | None = None, folds: int = 4,
                     recipe: TeachRecipe = TeachRecipe(), seed: int = 0) -> torch.Tensor:
    """(N,) what each correction is read as by a model taught on the others, by k-fold cross-validation:
    the corrections are dealt into min(folds, N) folds (each label's corrections spread across them), and
    every fold is read by `teach(model, <the other folds>, mnist, recipe, seed)`. With N <= folds this is exact
    leave-one-out; a lone correction is read by `model` itself. Costs min(folds, N) teach calls."""
    if folds < 1:
        raise ValueError(f"folds must be at least 1, got {folds}")
    x, y = check_corrections(digits, labels)
    k = min(folds, len(x))
    fold = torch.empty(len(x), dtype=torch.long)
    fold[torch.from_numpy(np.argsort(y.numpy(), kind="stable"))] = torch.arange(len(x)) % k
    pred = torch.empty(len(x), dtype=torch.long)
    for f in range(k):
        out = fold == f
        reader = model if out.all() else teach(model, x[~out], y[~out], mnist, recipe, seed)
        with torch.inference_mode():
            pred[out] = reader(x[out].to(next(reader.parameters()).device)).argmax(1).cpu()
    return pred
