"""The How-it-works tab's server-side views with the shipped models (the cell's internals row by row are drawn in the
page: tests/test_page.py holds its numbers to torch's, tests/test_browser.py its slider and Play)."""
import gradio as gr
import numpy as np
import pytest

import data
import drawn
from model import CELLS
from ui import draw, inside, probes
from ui.common import spoken


def test_the_error_signal_is_measured_relative_to_row_28(readers, mnist):
    value = drawn.render(4, np.random.default_rng(4), mode="white")
    mine, test, words = inside.gradient_view(readers, inside.TestDigitGradients(readers), value)
    caption = spoken(words["lines"])
    for chart in (mine, test):
        g = np.array(list(chart["data"]["lines"].values()), float)  # (models, 28) from row 1
        assert chart["data"]["first"] == 1 and g.shape == (len(readers.shipped), 28)
        assert (g[:, -1] == 0).all() and np.isfinite(g).all()
    first = {name: values[0] for name, values in test["data"]["lines"].items()}
    for name, decades in first.items():  # the caption states each model's measured fall, from the numbers
        said = f"the {name}'s: **{100 * 10 ** decades:.2g}%** ({decades:+.2f} on the chart's log scale, as in its table)"
        assert said in caption
    assert f"Measured on the first {inside.TEST_DIGITS} MNIST test digits" in caption


def test_blanking_an_empty_row_changes_nothing_and_the_decisive_rows_carry_ink(readers):
    value = drawn.render(7, np.random.default_rng(11), mode="white")
    x = draw.drawing(value)
    empty = (x[0].amax(1) == 0).numpy()
    assert empty.any() and not empty.all()
    for shipped in readers.shipped.values():
        top, drops = probes.row_importance(shipped.model, x)
        assert top == 7 and (drops[empty] == 0).all()  # the model reads exactly the same digit
        for a, b in probes.decisive_rows(drops):
            assert not empty[a - 1 : b].all()
    view, words = inside.decided_view(readers, value)
    caption = spoken(words["lines"])
    data = view["data"]  # what the page draws: the digit, and each model's answer and change per row
    np.testing.assert_allclose(np.reshape(data["x"], (28, 28)), x[0].numpy(), atol=1e-3)
    for model, shipped in zip(data["models"], readers.shipped.values()):
        top, drops = probes.row_importance(shipped.model, x)
        assert model["top"] == top and np.allclose(model["drops"], drops, atol=1e-4)
    # A full bar is never less than FULL_BAR: a change of a few points is drawn small, not stretched to the width.
    assert data["full"] == max(inside.FULL_BAR, max(np.abs(m["drops"]).max() for m in data["models"]))
    assert all(f"{c.name}'s answer (7)" in caption for c in CELLS.values())
    assert inside.decided_view(readers, None)[0]["data"] is None


def test_memory_starts_whole_at_the_changed_row_and_the_caption_reads_the_numbers(readers):
    value = drawn.render(2, np.random.default_rng(12), mode="white")
    x = draw.drawing(value)
    for shipped in readers.shipped.values():
        held = probes.memory(shipped.model, x, 9)
        assert set(held) == ({"h", "c"} if shipped.model.config.cell == "lstm" else {"h"})
        for share in held.values():
            assert len(share) == 20 and share[0] == 1 and (share >= 0).all()
    chart, words = inside.memory_view(readers, value, 9)
    caption = spoken(words["lines"])
    assert chart["data"]["first"] == 9 and {len(v) for v in chart["data"]["lines"].values()} == {20}  # rows 9 to 28
    kept = {state: values[-1] for state, values in chart["data"]["lines"].items()}
    assert f"- the RNN's h: **{kept['RNN h']:.0%}**" in caption and "- the LSTM's c: **" in caption
    # "Above 100%" said when a share shown is over 100%
    assert ("Above 100%" in caption) == (max(round(v, 2) for v in kept.values()) > 1)
    empty_row = int(np.nonzero((x[0].amax(1) == 0).numpy())[0][0]) + 1
    assert probes.memory(readers.shipped["lstm"].model, x, empty_row, "blank") is None
    assert "is empty" in spoken(inside.memory_view(readers, value, empty_row, "blank")[1]["lines"])
    inverted = inside.memory_view(readers, value, empty_row, "invert")[0]["data"]  # inverting an empty row is a
    assert inverted["first"] == empty_row and inverted["lines"].keys() == inside.state_colours().keys()  # change
    assert {len(v) for v in inverted["lines"].values()} == {29 - empty_row}  # every state, from that row to row 28


def test_decisive_rows_are_runs_of_the_largest_drops():
    drops = np.zeros(28)
    drops[[4, 5, 6, 19]] = [0.5, 0.9, 0.6, 0.46]
    assert probes.decisive_rows(drops) == [(5, 7), (20, 20)]
    assert probes.decisive_rows(np.full(28, 0.01)) == []


def test_test_digit_gradients_are_computed_once_mnist_is_there(readers, mnist, monkeypatch):
    """Without MNIST the plot is empty, and a later call, with MNIST back, fills it (nothing empty is kept)."""
    over_test_digits = inside.TestDigitGradients(readers)

    def missing(*args, **kwargs):
        raise data.DataMissing("no MNIST here")

    with monkeypatch.context() as m:
        m.setattr(data, "load_mnist", missing)
        assert over_test_digits() is None
        drawn_chart, test_chart, words = inside.gradient_view(readers, over_test_digits, None)
        lines = test_chart["data"]["lines"]
        assert all(v is None for values in lines.values() for v in values)  # no line yet
        assert "could not be loaded" in spoken(words["lines"], "en")
        assert set(lines) == set(drawn_chart["data"]["lines"]) == set(inside.colours())  # every series named
    curves = over_test_digits()
    assert set(curves) == {c.name for c in CELLS.values()} and over_test_digits() is curves


def test_a_row_that_is_no_number_is_refused_in_the_visitors_language(readers):
    seven = draw.drawing(drawn.render(7, np.random.default_rng(7), mode="white"))
    for row, lang, words in ((float("nan"), "en", "from 1 to 28"), ("abc", "zh", "1 到 28"), ([3], "en", "from 1")):
        with pytest.raises(gr.Error) as e:
            inside.memory_view(readers, seven, row, "invert", lang)
        assert words in e.value.message
    assert inside.memory_view(readers, seven, "5", "invert")  # a number as text is still a row
