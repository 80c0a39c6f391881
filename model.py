"""A recurrent network that reads a 28x28 digit one pixel row per time step."""
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}
# Names of the per-row internals each cell exposes in `trace`, besides "h" and "probs".
GATES = {"lstm": ("forget", "input", "output", "candidate", "c"), "gru": ("reset", "update", "candidate"), "rnn": ()}


@dataclass
class ModelConfig:
    cell: str = "lstm"  # lstm | gru | rnn (tanh)
    hidden_size: int = 64
    num_layers: int = 1
    input_size: int = 28  # pixels per row
    num_classes: int = 10

    def to_dict(self) -> dict:
        return asdict(self)


class RowReader(nn.Module):
    """The original program's network: a recurrent layer over rows, then a linear layer on the last step."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        if config.cell not in CELLS:
            raise ValueError(f"unknown cell {config.cell!r}; choose one of {sorted(CELLS)}")
        self.config = config
        self.rnn = CELLS[config.cell](config.input_size, config.hidden_size, config.num_layers, batch_first=True)
        self.out = nn.Linear(config.hidden_size, config.num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (B, 10) for images (B, 28, 28) in [0, 1], ink = 1."""
        r_out, _ = self.rnn(x)  # (B, 28, H)
        return self.out(r_out[:, -1])

    def trace(self, x: torch.Tensor, h_offset: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """Every row's internals of the top layer, recomputed step by step from the same weights.

        Returns tensors of shape (B, 28, H): "h" and the cell's gates (see GATES), plus "probs" (B, 28, 10),
        the class probabilities the output layer gives after each row. `h_offset` (B, 28, H), if given, is
        added to the top layer's hidden state at each row: zeros that require grad make autograd give
        d(loss)/d(h_t) for every row (see `row_gradient_norms`).
        """
        cell, n = self.config.cell, self.config.num_layers
        layer_in = x
        for layer in range(n):
            w_ih, w_hh = getattr(self.rnn, f"weight_ih_l{layer}"), getattr(self.rnn, f"weight_hh_l{layer}")
            b_ih, b_hh = getattr(self.rnn, f"bias_ih_l{layer}"), getattr(self.rnn, f"bias_hh_l{layer}")
            xw = F.linear(layer_in, w_ih, b_ih)  # (B, T, G*H), all rows at once
            h = x.new_zeros(x.shape[0], self.config.hidden_size)
            c = torch.zeros_like(h)
            steps = []
            nudge = h_offset if layer == n - 1 and h_offset is not None else x.new_zeros(1, x.shape[1], 1)
            for t in range(x.shape[1]):
                hw = F.linear(h, w_hh, b_hh)  # (B, G*H)
                if cell == "lstm":  # PyTorch's gate order: input, forget, candidate (g), output
                    i, f, g, o = (xw[:, t] + hw).chunk(4, dim=1)
                    i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
                    c = f * c + i * g
                    h = o * c.tanh() + nudge[:, t]
                    steps.append({"h": h, "forget": f, "input": i, "output": o, "candidate": g, "c": c})
                elif cell == "gru":  # gate order: reset, update, new
                    xr, xz, xn = xw[:, t].chunk(3, dim=1)
                    hr, hz, hn = hw.chunk(3, dim=1)
                    r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
                    cand = (xn + r * hn).tanh()
                    h = (1 - z) * cand + z * h + nudge[:, t]
                    steps.append({"h": h, "reset": r, "update": z, "candidate": cand})
                else:
                    h = (xw[:, t] + hw).tanh() + nudge[:, t]
                    steps.append({"h": h})
            out = {k: torch.stack([s[k] for s in steps], dim=1) for k in steps[0]}  # each (B, T, H)
            layer_in = out["h"]
        out["probs"] = self.out(out["h"]).softmax(-1)  # (B, T, 10)
        return out

    def row_gradient_norms(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """(B, 28) |d loss / d h_t| for each image and row t: how strongly the answer's error reaches back to
        row t. `y` defaults to the model's own answer."""
        with torch.enable_grad():
            offset = x.new_zeros(x.shape[0], x.shape[1], self.config.hidden_size, requires_grad=True)
            logits = self.out(self.trace(x, offset)["h"][:, -1])  # (B, 10)
            y = logits.argmax(1) if y is None else y
            # Summed, not averaged: each image's loss depends only on its own h, so this gives per-image grads.
            (grad,) = torch.autograd.grad(F.cross_entropy(logits, y, reduction="sum"), offset)
        return grad.norm(dim=2)  # (B, T, H) -> (B, T)


def load_pretrained(cell: str = "lstm") -> RowReader:
    """The shipped model for `cell`, in eval mode (the file reading lives in checkpoint.py)."""
    import checkpoint  # imported here so this module stays free of I/O

    return checkpoint.load_pretrained(cell)
