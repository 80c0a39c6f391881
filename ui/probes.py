"""Questions asked of a model about one digit: which rows decided its answer, how long it remembers a row, how much
of the error signal reaches each row. Pure: a model and a (1, 28, 28) digit in, numbers out."""
import numpy as np
import torch

from model import CELLS, RowReader


@torch.inference_mode()
def row_importance(model: RowReader, x: torch.Tensor) -> tuple[int, np.ndarray]:
    """The answer, and for each row r how much the answer's probability falls when row r is blanked: (28,).
    Negative where blanking a row makes the model surer of its answer."""
    batch = x.repeat(29, 1, 1)  # (29, 28, 28): the digit, then the digit with row r blank
    rows = torch.arange(28)
    batch[rows + 1, rows] = 0
    probs = model(batch).softmax(-1)  # (29, 10)
    top = int(probs[0].argmax())
    return top, (probs[0, top] - probs[1:, top]).numpy()


@torch.inference_mode()
def memory(model: RowReader, x: torch.Tensor, row: int, change: str = "invert") -> dict[str, np.ndarray] | None:
    """How much of a change to one row (1-based; "invert" or "blank" it) the state still holds at each later row:
    |h'_t - h_t| / |h'_row - h_row| for t = row..28, for each state the cell carries (model.Cell.states).
    None when the change changes nothing (blanking an empty row)."""
    changed = x.clone()
    changed[0, row - 1] = 1 - x[0, row - 1] if change == "invert" else 0
    trace = model.trace(torch.cat([x, changed]))
    out = {}
    for state in CELLS[model.config.cell].states:
        diff = (trace[state][1] - trace[state][0]).norm(dim=-1)[row - 1 :]  # (29 - row,)
        if diff[0] <= 1e-7:
            return None
        out[state] = (diff / diff[0]).numpy()
    return out


def relative_log_gradients(log_grads: np.ndarray) -> np.ndarray:
    """log10 |dL/dh_t| per row (28,), made relative to row 28: 0 at row 28, and how many decades of the error
    signal are lost on the way back to each earlier row."""
    return log_grads - log_grads[-1]


def ranges(rows: np.ndarray) -> list[tuple[int, int]]:
    """Sorted 1-based row numbers as runs: [5, 6, 7, 9] -> [(5, 7), (9, 9)]."""
    runs = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


DECISIVE_FLOOR = 0.05  # a blanked row that changes the answer's probability less than this decides nothing


def decisive_rows(drops: np.ndarray, share: float = 0.5, floor: float = DECISIVE_FLOOR) -> list[tuple[int, int]]:
    """The runs of rows whose blanking costs the answer at least `share` of the largest drop; [] when no row costs
    more than `floor` (no single row matters)."""
    if drops.max() < floor:
        return []
    return ranges(np.nonzero(drops >= share * drops.max())[0] + 1)
