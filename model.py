"""A recurrent network that reads a 28x28 digit one pixel row per time step.

Pure: no I/O and no project imports. Checkpoints are read and written by checkpoint.py.
"""
import ast
import functools
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

Tensor = torch.Tensor


# ---- a cell's step, written once --------------------------------------------------------------------------------
# A step is a short program over one row: x0, x1, ... are W·x_t + b for each of the cell's blocks (torch's order), u0,
# u1, ... the same of U·h + b, h and c the state before the row. Each line names a value; `h` (and `c`) are the state
# after the row, and every name in the cell's `gates` is an internal the pictures show. Python's ast reads it; torch
# runs it here (RowReader.trace, and the Recurrent layer of a cell with no torch layer), and the page runs the same
# program (ui/js/cells.js), sent with the model: one definition of each cell on both sides.
OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
FUNCTIONS = ("sigmoid", "tanh")


def compile_step(program: str) -> list:
    """A step's lines as [name, expression] pairs, each expression a number, a name, [op, a, b] or [function, a]."""
    def expr(node):
        if isinstance(node, ast.BinOp) and type(node.op) in OPS:
            return [OPS[type(node.op)], expr(node.left), expr(node.right)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS \
                and len(node.args) == 1:
            return [node.func.id, expr(node.args[0])]
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        raise ValueError(f"not a step expression: {ast.unparse(node)}")

    lines = []
    for line in filter(None, (ln.strip() for ln in program.strip().splitlines())):
        name, _, right = line.partition("=")
        lines.append([name.strip(), expr(ast.parse(right.strip(), mode="eval").body)])
    return lines


def blocks(lines: list) -> int:
    """How many blocks of W·x (and of U·h) a step reads: one more than its highest x<k> or u<k>."""
    def names(e):
        return [e] if isinstance(e, str) else [n for a in e[1:] for n in names(a)] if isinstance(e, list) else []
    used = [int(n[1:]) for _, e in lines for n in names(e) if n[:1] in "xu" and n[1:].isdigit()]
    return max(used) + 1


def run_step(lines: list, xw: Tensor, hw: Tensor, h: Tensor, c: Tensor,
             gates: tuple[str, ...]) -> tuple[Tensor, Tensor, dict[str, Tensor]]:
    """One row of a compiled step in torch: the new h and c, and the internals named in `gates`."""
    n = xw.shape[1] // h.shape[1]  # the cell's blocks, as its weights hold them
    env = {"h": h, "c": c, **{f"x{k}": v for k, v in enumerate(xw.chunk(n, 1))},
           **{f"u{k}": v for k, v in enumerate(hw.chunk(n, 1))}}

    def value(e):
        if isinstance(e, float):
            return e
        if isinstance(e, str):
            return env[e]
        op, *args = e
        if op in FUNCTIONS:
            return getattr(torch, op)(value(args[0]))
        a, b = value(args[0]), value(args[1])
        return a + b if op == "+" else a - b if op == "-" else a * b

    for name, e in lines:
        env[name] = value(e)
    return env["h"], env["c"], {g: env[g] for g in gates}


class Recurrent(nn.Module):
    """A recurrent layer for a cell torch has no layer for: its step, row by row, with nn.RNNBase's parameter names
    and initialisation, so checkpoints, the page and every view read it as they read torch's own."""

    def __init__(self, cell: "Cell", input_size: int, hidden_size: int, num_layers: int = 1, batch_first: bool = True):
        super().__init__()
        self.cell, self.hidden_size, self.num_layers = cell, hidden_size, num_layers
        g, bound = blocks(cell.lines) * hidden_size, hidden_size ** -0.5
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size
            for name, shape in ((f"weight_ih_l{layer}", (g, width)), (f"weight_hh_l{layer}", (g, hidden_size)),
                                (f"bias_ih_l{layer}", (g,)), (f"bias_hh_l{layer}", (g,))):
                self.register_parameter(name, nn.Parameter(torch.empty(shape).uniform_(-bound, bound)))

    def forward(self, x: Tensor) -> tuple[Tensor, None]:
        """(B, T, H) the top layer's h after each row, as nn.RNNBase returns it (batch first)."""
        for layer in range(self.num_layers):
            xw = F.linear(x, getattr(self, f"weight_ih_l{layer}"), getattr(self, f"bias_ih_l{layer}"))  # (B, T, G*H)
            h = x.new_zeros(x.shape[0], self.hidden_size)
            c, out = torch.zeros_like(h), []
            for t in range(x.shape[1]):
                hw = F.linear(h, getattr(self, f"weight_hh_l{layer}"), getattr(self, f"bias_hh_l{layer}"))
                h, c, _ = self.cell.step(xw[:, t], hw, h, c)
                out.append(h)
            x = torch.stack(out, 1)
        return x, None


@dataclass(frozen=True)
class TeachSettings:
    """How a copy of a model of this cell learns a visitor's handwriting (teacher.teach), as measured for it."""

    lr: float = 4e-3  # Adam's rate
    distill: float = 10.0  # the hold on the starting model's answers, on replayed MNIST digits
    average: bool = False  # keep the mean of the steps' weights rather than the last step's


@dataclass(frozen=True)
class Cell:
    """One recurrent cell type, everything the model, the pictures, the lesson and the tests need of it.

    To add a cell type:
      1. write its one-row step as a program (below; tests/test_model.py holds a cell with a torch layer to it, and
         the page runs the same program: tests/js holds the page's trace of every cell to torch's); `module` is
         torch's layer for it if there is one, else None (the `Recurrent` layer runs the program);
      2. give each new internal in `gates` a panel in visuals.PANELS (symbol, range, colours);
      3. add its texts in every language in texts.py: panels_<key>, gates_<key>, low_<key> (texts.CELL_TEXTS);
      4. train its weights: python train.py --cell <key> ... --out weights/<key>. The app offers every cell in
         CELLS, on the Draw tab (an untrained stand-in, with a warning, until its weights are shipped), in the
         lesson (a line on every chart) and on the Train tab; nothing else names a cell (tests/test_app.py registers
         a new kind of cell, a minimal gated unit, and checks the whole app and the page have it, with no code
         changed, and that cell keys are spelled nowhere else).
    """

    name: str  # shown to people
    program: str  # its step, one row (see compile_step)
    gates: tuple[str, ...]  # per-row internals besides h that `trace` returns, in picture order
    keeper: str | None  # the gate whose value says how much of the old state is kept (None: nothing decides)
    states: tuple[str, ...] = ("h",)  # what it carries from row to row (h, and c for the LSTM): the lesson's memory
    module: type[nn.RNNBase] | None = None  # torch's layer that runs it fast, if torch has one
    teach: TeachSettings = TeachSettings()  # how a copy of it learns a visitor's handwriting

    @functools.cached_property
    def lines(self) -> list:
        return compile_step(self.program)

    @functools.cached_property
    def keeper_block(self) -> int | None:
        """Which block of its weights and biases (x<k>, u<k>) its keeper gate reads, from its program."""
        if self.keeper is None:
            return None
        (line,) = [e for name, e in self.lines if name == self.keeper]
        return blocks([["", line]]) - 1

    def step(self, xw: Tensor, hw: Tensor, h: Tensor, c: Tensor) -> tuple[Tensor, Tensor, dict[str, Tensor]]:
        """One row: the new h and c, and its internals by the names in `gates`."""
        return run_step(self.lines, xw, hw, h, c, self.gates)

    def layer(self, input_size: int, hidden_size: int, num_layers: int) -> nn.Module:
        if self.module is None:
            return Recurrent(self, input_size, hidden_size, num_layers)
        return self.module(input_size, hidden_size, num_layers, batch_first=True)


CELLS: dict[str, Cell] = {
    # Teaching (BENCHMARKS.md, "Teaching it your handwriting"), chosen on the CHOOSE writer styles (tests/drawn.py):
    # the LSTM's previous hold (10) forgot a fifth of the 0.5 point of MNIST allowed; a lighter hold and a faster
    # rate learn more of a writer's style, and the mean of the steps keeps what that costs within the budget. With
    # those, the GRU forgot 0.6 point and the plain RNN 1.5, so they keep the previous recipe; the plain RNN's
    # recurrence is fragile: at 4e-3 it forgot up to 3.2 points, at 5e-4 0.4 at most.
    # nn.LSTM, its gates in torch's order: input, forget, candidate (g), output
    "lstm": Cell("LSTM", """
        input = sigmoid(x0 + u0)
        forget = sigmoid(x1 + u1)
        candidate = tanh(x2 + u2)
        output = sigmoid(x3 + u3)
        c = forget * c + input * candidate
        h = output * tanh(c)
        """, ("forget", "input", "candidate", "output", "c"), "forget", ("h", "c"), nn.LSTM,
        TeachSettings(lr=1.2e-2, distill=3.0, average=True)),
    # nn.GRU: reset, update, new; the reset gate scales U·h inside the candidate
    "gru": Cell("GRU", """
        reset = sigmoid(x0 + u0)
        update = sigmoid(x1 + u1)
        candidate = tanh(x2 + reset * u2)
        h = (1 - update) * candidate + update * h
        """, ("reset", "update", "candidate"), "update", module=nn.GRU),
    # nn.RNN (tanh): the whole state rewritten from the row and the last state
    "rnn": Cell("RNN", "h = tanh(x0 + u0)", (), None, module=nn.RNN, teach=TeachSettings(lr=5e-4)),
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
        self.rnn = CELLS[config.cell].layer(config.input_size, config.hidden_size, config.num_layers)
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
        cell, n = CELLS[self.config.cell], self.config.num_layers
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
                h, c, internals = cell.step(xw[:, t], F.linear(h, w_hh, b_hh), h, c)
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
