"""What a model makes of test digits: its predictions, its belief and hidden state per row, the error signal that
reaches each row, and a periodic check of all of them while it trains (train.py's loop; the app's views)."""
from dataclasses import dataclass

import numpy as np
import torch

import data
from model import RowReader

GRADIENT_SAMPLE = 256  # checked test images whose error signal per row each check averages (the lesson uses as many)


@dataclass
class Check:
    """A periodic test check of the model as it was after `step` (step 0: before training)."""

    step: int
    test_acc: float  # on the first eval_size test images
    probe_h: np.ndarray  # (T, H) hidden state of the probe digit per row (T = 28 + blank rows)
    probe_probs: np.ndarray  # (T, 10) what the network reads the probe as, after each row
    log_grads: np.ndarray  # (T,) log10 |d loss/d h_t| per row, averaged over the first GRADIENT_SAMPLE checked images


def as_input(model: RowReader, x: torch.Tensor, blank: int = 0) -> torch.Tensor:
    """uint8 images (..., 28, 28) as the model reads them: floats in [0, 1] on its device, `blank` blank rows below."""
    return data.blank_rows(x.to(next(model.parameters()).device).float() / 255, blank)


@torch.inference_mode()
def predict(model: RowReader, x: torch.Tensor, batch: int = 2000, blank: int = 0) -> torch.Tensor:
    """Class predictions for uint8 images (N, 28, 28), read with `blank` blank rows below each."""
    return torch.cat([model(as_input(model, x[i : i + batch], blank)).argmax(1).cpu()
                      for i in range(0, len(x), batch)])


@torch.inference_mode()
def probe_trace(model: RowReader, probe: torch.Tensor, blank: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Hidden state (T, H) and belief (T, 10) per row for one uint8 image (28, 28), T = 28 + blank rows."""
    trace = model.trace(as_input(model, probe[None], blank))
    return trace["h"][0].cpu().numpy(), trace["probs"][0].cpu().numpy()


def log_gradients(model: RowReader, x: torch.Tensor, y: torch.Tensor | None = None) -> np.ndarray:
    """(T,) log10 |d loss/d h_t| per row, averaged over the images as logs: the typical image, not the loudest."""
    return model.row_gradient_norms(x, y).clamp_min(1e-30).log10().mean(0).cpu().numpy()


def settle_row(probs: np.ndarray) -> int:
    """The row (1-based) from which the final answer led at every later row."""
    top = probs.argmax(1)
    changed = np.nonzero(top != top[-1])[0]
    return int(changed[-1]) + 2 if len(changed) else 1


def first_row_signal(log_grads: np.ndarray) -> float:
    """How much error signal reaches row 1 (the digit's top row) from the last row, in decades: log10 |dL/dh_1| less
    log10 |dL/dh_T| (0: as much as at the last row; -2: a hundredth). How it works measures the same over 28 rows."""
    return float(log_grads[0] - log_grads[-1])


def check(model: RowReader, x: torch.Tensor, y: torch.Tensor, probe: torch.Tensor, step: int, blank: int = 0) -> Check:
    """Test accuracy on (x, y), the probe's hidden state and the gradient reaching each row, for a snapshot."""
    sample = slice(GRADIENT_SAMPLE)
    grads = log_gradients(model, as_input(model, x[sample], blank), y[sample].to(next(model.parameters()).device))
    return Check(step, (predict(model, x, blank=blank) == y).float().mean().item(),
                 *probe_trace(model, probe, blank), grads)
