"""A recurrent network that reads a 28x28 digit one pixel row per time step.

Pure: no I/O and no project imports. Checkpoints are read and written by checkpoint.py.
"""
from dataclasses import asdict, dataclass
from typing import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

Tensor = torch.Tensor


def lstm_step(xw: Tensor, hw: Tensor, h: Tensor, c: Tensor) -> tuple[Tensor, Tensor, dict[str, Tensor]]:
    """One row of nn.LSTM; PyTorch's gate order is input, forget, candidate (g), output."""
    i, f, g, o = (xw + hw).chunk(4, dim=1)
    i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
    c = f * c + i * g
    return o * c.tanh(), c, {"forget": f, "input": i, "candidate": g, "output": o, "c": c}


def gru_step(xw: Tensor, hw: Tensor, h: Tensor, c: Tensor) -> tuple[Tensor, Tensor, dict[str, Tensor]]:
    """One row of nn.GRU; gate order reset, update, new. The reset gate scales U·h inside the candidate."""
    xr, xz, xn = xw.chunk(3, dim=1)
    hr, hz, hn = hw.chunk(3, dim=1)
    r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
    cand = (xn + r * hn).tanh()
    return (1 - z) * cand + z * h, c, {"reset": r, "update": z, "candidate": cand}


def rnn_step(xw: Tensor, hw: Tensor, h: Tensor, c: Tensor) -> tuple[Tensor, Tensor, dict[str, Tensor]]:
    """One row of nn.RNN (tanh): the whole state rewritten from the row and the last state."""
    return (xw + hw).tanh(), c, {}


@dataclass(frozen=True)
class Cell:
    """One recurrent cell type, everything the model, the pictures, the lesson and the tests need of it.

    To add a cell type:
      1. write its one-row step (same contract as `lstm_step`, checked against torch by tests/test_model.py)
         and add an entry to CELLS below; a torch layer the page has no step for yet (ui/js/cells.js's STEPS, by
         `module`'s name) gets one there too (tests/test_page.py holds every cell's page step to torch's trace);
      2. give each new internal in `gates` a panel in visuals.PANELS (symbol, range, colours);
      3. add its texts in every language in texts.py: panels_<key>, gates_<key>, low_<key> (texts.CELL_TEXTS);
      4. train its weights: python train.py --cell <key> ... --out weights/<key>. The app offers every cell in
         CELLS, on the Draw tab (an untrained stand-in, with a warning, until its weights are shipped), in the
         lesson (a line on every chart) and on the Train tab; nothing else names a cell (tests/test_app.py registers
         a fourth one and checks the whole app has it, and that cell keys are spelled nowhere else).
    """

    name: str  # shown to people
    module: type[nn.RNNBase]  # the torch layer that runs it fast
    step: Callable[[Tensor, Tensor, Tensor, Tensor], tuple[Tensor, Tensor, dict[str, Tensor]]]
    gates: tuple[str, ...]  # per-row internals besides h that `trace` returns, in picture order
    keeper: str | None  # the gate whose value says how much of the old state is kept (None: nothing decides)
    states: tuple[str, ...] = ("h",)  # what it carries from row to row (h, and c for the LSTM): the lesson's memory
    keeper_block: int | None = None  # which of the torch layer's gate blocks (weights' and biases' order) is the keeper


CELLS: dict[str, Cell] = {
    "lstm": Cell("LSTM", nn.LSTM, lstm_step, ("forget", "input", "candidate", "output", "c"), "forget", ("h", "c"), 1),
    "gru": Cell("GRU", nn.GRU, gru_step, ("reset", "update", "candidate"), "update", keeper_block=1),
    "rnn": Cell("RNN", nn.RNN, rnn_step, (), None),
}
DEFAULT_CELL = "lstm"  # the original program's cell: what the app reads with and trains until told otherwise


@dataclass
class ModelConfig:
    cell: str = DEFAULT_CELL  # a key of CELLS
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
        self.rnn = CELLS[config.cell].module(config.input_size, config.hidden_size, config.num_layers,
                                             batch_first=True)
        self.out = nn.Linear(config.hidden_size, config.num_classes)

    def forward(self, x: Tensor) -> Tensor:
        """Logits (B, 10) for images (B, 28, 28) in [0, 1], ink = 1."""
        r_out, _ = self.rnn(x)  # (B, 28, H)
        return self.out(r_out[:, -1])

    def trace(self, x: Tensor, h_offset: Tensor | None = None) -> dict[str, Tensor]:
        """Every row's internals of the top layer, recomputed step by step from the same weights.

        Returns tensors of shape (B, 28, H): "h" and the cell's gates (CELLS[cell].gates), plus "probs"
        (B, 28, 10), the class probabilities the output layer gives after each row. `h_offset` (B, 28, H), if
        given, is added to the top layer's hidden state at each row: zeros that require grad make autograd
        give d(loss)/d(h_t) for every row (see `row_gradient_norms`).
        """
        step, n = CELLS[self.config.cell].step, self.config.num_layers
        layer_in = x
        for layer in range(n):
            w_ih, w_hh = getattr(self.rnn, f"weight_ih_l{layer}"), getattr(self.rnn, f"weight_hh_l{layer}")
            b_ih, b_hh = getattr(self.rnn, f"bias_ih_l{layer}"), getattr(self.rnn, f"bias_hh_l{layer}")
            xw = F.linear(layer_in, w_ih, b_ih)  # (B, T, G*H), all rows at once
            h = x.new_zeros(x.shape[0], self.config.hidden_size)
            c = torch.zeros_like(h)
            nudge = h_offset if layer == n - 1 and h_offset is not None else x.new_zeros(1, x.shape[1], 1)
            steps = []
            for t in range(x.shape[1]):
                h, c, internals = step(xw[:, t], F.linear(h, w_hh, b_hh), h, c)
                h = h + nudge[:, t]
                steps.append({"h": h, **internals})
            out = {k: torch.stack([s[k] for s in steps], dim=1) for k in steps[0]}  # each (B, T, H)
            layer_in = out["h"]
        out["probs"] = self.out(out["h"]).softmax(-1)  # (B, T, 10)
        return out

    def row_gradient_norms(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """(B, 28) |d loss / d h_t| for each image and row t: how strongly the answer's error reaches back to
        row t. `y` defaults to the model's own answer."""
        with torch.enable_grad():
            offset = x.new_zeros(x.shape[0], x.shape[1], self.config.hidden_size, requires_grad=True)
            logits = self.out(self.trace(x, offset)["h"][:, -1])  # (B, 10)
            y = logits.argmax(1) if y is None else y
            # Summed, not averaged: each image's loss depends only on its own h, so this gives per-image grads.
            (grad,) = torch.autograd.grad(F.cross_entropy(logits, y, reduction="sum"), offset)
        return grad.norm(dim=2)  # (B, T, H) -> (B, T)

    def open_keepers_(self, bias: float = 1.0) -> "RowReader":
        """The gates that keep a state (the LSTM's forget gates, the GRU's update gates) start mostly open: their input
        bias set to `bias`, so that at first a state and the error signal along it pass from row to row (Gers et al.,
        2000). A cell without such a gate is left as it is."""
        block, size = CELLS[self.config.cell].keeper_block, self.config.hidden_size
        if block is not None:
            for name, b in self.rnn.named_parameters():
                if name.startswith("bias_ih"):
                    b.data[block * size : (block + 1) * size] = bias
        return self

    def orthogonal_init_(self) -> "RowReader":
        """Orthogonal recurrent weights, one block per gate: repeated products of U neither grow nor shrink a
        state at first, which is what a plain RNN needs to carry the top rows to the answer."""
        for name, w in self.rnn.named_parameters():
            if name.startswith("weight_hh"):
                for block in w.data.chunk(w.shape[0] // w.shape[1]):
                    nn.init.orthogonal_(block)
        return self
