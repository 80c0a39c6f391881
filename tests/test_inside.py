"""The How-it-works tab's handlers with the shipped models."""
import numpy as np
from PIL import Image

import data
import drawn
from model import CELLS
from ui import inside


def test_inside_view_reveals_every_cells_internals_row_by_row(readers):
    value = drawn.render(7, np.random.default_rng(2), mode="sketchpad")
    widths = {}
    for cell in CELLS:
        picture, belief, caption, title, panels = inside.inside_view(readers, value, cell, None, 28)
        assert max(belief, key=belief.get) == "7" and CELLS[cell].name in title and "row 28" in caption
        widths[cell] = Image.open(picture).size[0]
    by_panels = sorted(CELLS, key=lambda c: len(CELLS[c].gates))
    assert [widths[c] for c in by_panels] == sorted(widths.values())  # one panel per internal
    assert len(set(widths.values())) == len(set(len(c.gates) for c in CELLS.values()))
    early, _, caption, _, _ = inside.inside_view(readers, value, "lstm", None, 5, "zh")
    assert "第 5 行" in caption and "遗忘门" in caption
    assert (np.asarray(Image.open(early)) != np.asarray(Image.open(inside.inside_view(readers, value)[0]))).any()
    assert inside.inside_view(readers, None)[0] is None


def test_play_reveals_rows_one_to_28(readers, monkeypatch):
    monkeypatch.setattr(inside, "PLAY_STEP_S", 0)
    rows = [frame[0] for frame in inside.play(readers, drawn.render(0, np.random.default_rng(1)))]
    assert rows == list(range(1, 29))


def test_gradients_vanish_toward_early_rows_for_the_rnn_not_the_lstm(readers, mnist):
    value = drawn.render(4, np.random.default_rng(4), mode="white")
    mine, test = inside.gradient_view(readers, inside.TestDigitGradients(readers), value)
    assert len(test) == 28 * len(readers.shipped)
    for frame in (mine, test):
        g = frame.pivot(index="row", columns="model", values="log10 gradient")
        drop = g.loc[28] - g.loc[1]  # how many decades the gradient loses from row 28 back to row 1
        assert drop["RNN"] > drop["LSTM"] + 2  # orders of magnitude more lost on the way back to row 1


def test_test_digit_gradients_are_computed_once_mnist_is_there(readers, mnist, monkeypatch):
    """Without MNIST the plot is empty, and a later call, with MNIST back, fills it (nothing empty is kept)."""
    over_test_digits = inside.TestDigitGradients(readers)

    def missing(*args, **kwargs):
        raise data.DataMissing("no MNIST here")

    with monkeypatch.context() as m:
        m.setattr(data, "load_mnist", missing)
        assert len(over_test_digits()) == 0
    frame = over_test_digits()
    assert len(frame) == 28 * len(readers.shipped) and over_test_digits() is frame
