"""The belief's long table (the /predict API's) and the palette. Pure."""
import numpy as np

DIGITS = [str(k) for k in range(10)]
# One colour per series (a run, a cell), the same on every chart (Tableau 10, without its grey).
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
DIGIT_COLOURS = [*PALETTE, "#6b6b6b"]  # one per digit, for the belief's ten lines: Tableau 10 with its grey


def belief_table(probs: np.ndarray) -> dict:
    """The belief after each row as a long table, /predict's JSON: {columns: [row, digit, probability], data: a
    [row, digit, probability] per row and digit}; probs is (28, 10), NaN (nothing drawn) as null."""
    rows = [[t + 1, DIGITS[k], None if np.isnan(p) else round(float(p), 6)]
            for t, row in enumerate(probs) for k, p in enumerate(row)]
    return {"columns": ["row", "digit", "probability"], "data": rows}


EMPTY_BELIEF = belief_table(np.full((28, 10), np.nan))
