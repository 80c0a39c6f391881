"""The Draw tab's handlers with the shipped models: reading, the canvas's value, share links, pictures."""
import base64
import io
import threading

import gradio as gr
import numpy as np
import pytest
import torch
from PIL import Image

import drawn
from model import CELLS, ModelConfig, RowReader
from ui import draw
from ui.canvas import DigitCanvas, data_url, mnist_style
from ui.common import picture_file


def png(image: np.ndarray) -> bytes:
    with io.BytesIO() as buf:
        Image.fromarray(image).save(buf, "PNG")
        return buf.getvalue()


def test_an_empty_canvas_is_a_friendly_state(readers):
    for empty in (None, {"background": None, "layers": [], "composite": None},
                  {"background": np.full((64, 64, 4), 255, np.uint8), "layers": [np.zeros((64, 64, 4), np.uint8)],
                   "composite": np.full((64, 64, 4), 255, np.uint8)}):
        label, picture, belief, caption = draw.read_digit(readers, empty)
        assert label is None and picture is None and "Draw a digit" in caption
        assert belief.shape == (280, 3) and belief["probability"].isna().all()


def test_a_drawing_is_read_row_by_row(readers):
    value = drawn.render(3, np.random.default_rng(0), mode="sketchpad")
    label, picture, belief, caption = draw.read_digit(readers, value)
    assert max(label, key=label.get) == "3" and abs(sum(label.values()) - 1) < 1e-5
    image = np.asarray(Image.open(picture))
    assert image.dtype == np.uint8 and image.shape[0] >= 28 * 12 and image.shape[2] == 3
    assert sorted(belief["row"].unique()) == list(range(1, 29))
    last = belief[belief.row == 28].set_index("digit")["probability"]
    assert np.allclose(last.values, [label[d] for d in last.index], atol=1e-6)
    assert "Read as **3**" in caption


def test_the_canvas_value_is_read_like_the_same_picture_as_a_file(readers):
    """What the page's canvas sends (a PNG data URL) reads exactly as the same PNG sent to /predict."""
    value = drawn.render(6, np.random.default_rng(5), mode="transparent")
    url = "data:image/png;base64," + base64.b64encode(png(value)).decode()
    from_canvas = draw.read_digit(readers, DigitCanvas(texts={}).preprocess(url))
    from_file = draw.read_digit(readers, value)
    assert from_canvas[0] == from_file[0] and max(from_canvas[0], key=from_canvas[0].get) == "6"
    assert DigitCanvas(texts={}).preprocess("") is None


@pytest.mark.parametrize("payload", ["/etc/passwd", "data:text/plain;base64,aGk=", "data:image/png;base64,%%%",
                                     "data:image/png;base64," + "A" * 2_000_000])
def test_the_canvas_refuses_anything_but_an_image_data_url(payload):
    with pytest.raises(gr.Error) as e:
        DigitCanvas(texts={}).preprocess(payload)
    assert "\n" not in e.value.message


def test_the_selector_changes_the_model_that_reads(readers):
    value = drawn.render(5, np.random.default_rng(1), mode="white")
    mine = {"model": RowReader(ModelConfig(hidden_size=8)).eval(), "acc": 0.5}
    answers = {c: draw.read_digit(readers, value, c, mine)[0] for c in [*CELLS, "mine"]}
    assert len({tuple(sorted(a.items())) for a in answers.values()}) == len(CELLS) + 1  # all different readers
    assert all(max(answers[c], key=answers[c].get) == "5" for c in CELLS)
    assert draw.read_digit(readers, value, "mine", None)[0] == answers["lstm"]  # no own model yet: the LSTM
    assert "The GRU" in draw.read_digit(readers, value, "gru")[3]
    assert "8 hidden units" in readers.describe("mine", mine) and "shipped GRU" in readers.describe("gru")
    assert "你训练的" in readers.describe("mine", mine, "zh")


def test_a_model_that_is_unsure_says_so(readers):
    """An untrained model spreads its belief: the caption says it is unsure instead of "settled"."""
    torch.manual_seed(0)
    guesser = {"model": RowReader(ModelConfig(hidden_size=8)).eval(), "acc": 0.1}
    label, _, _, caption = draw.read_digit(readers, drawn.render(2, np.random.default_rng(2)), "mine", guesser)
    assert max(label.values()) < draw.UNSURE and "unsure" in caption and "settled" not in caption
    zh = draw.read_digit(readers, drawn.render(2, np.random.default_rng(2)), "mine", guesser, "zh")[3]
    assert "拿不准" in zh


def test_a_shared_link_reopens_the_same_reading(readers):
    value = drawn.render(4, np.random.default_rng(7), mode="sketchpad")
    query = draw.share_query(value, "gru", "inside")
    params = dict(p.split("=", 1) for p in query.split("&"))
    assert params["m"] == "gru" and params["t"] == "inside" and len(query) < 600
    canvas, choice, tabs, note = draw.open_link(readers, params)
    assert choice == "gru" and tabs.selected == "inside" and note.visible is False
    reopened = DigitCanvas(texts={}).preprocess(canvas)
    before, after = draw.read_digit(readers, value, "gru"), draw.read_digit(readers, reopened, "gru")
    assert max(before[0], key=before[0].get) == max(after[0], key=after[0].get) == "4"
    x_before, x_after = draw.drawing(value)[0], draw.drawing(reopened)[0]
    assert (x_before - x_after).abs().mean() < 0.05  # the same 28x28, up to 16 grey levels and re-centring
    assert draw.share_query(None) == ""


@pytest.mark.parametrize("d", ["", "abc", "!!!!", base64.urlsafe_b64encode(bytes(391)).decode()])
def test_a_malformed_link_gives_a_message_and_an_empty_canvas(readers, d):
    canvas, choice, tabs, note = draw.open_link(readers, {"d": d, "m": "nonsense", "t": "nowhere"})
    assert canvas == "" and note.visible and "damaged" in note.value
    assert draw.open_link(readers, {}) == (gr.skip(),) * 4  # no link: nothing changes


def test_a_link_with_an_unknown_model_or_tab_opens_the_lstm_on_the_draw_tab(readers):
    query = draw.share_query(drawn.render(1, np.random.default_rng(3), mode="white"))
    params = dict(p.split("=", 1) for p in query.split("&")) | {"m": "mine", "t": "elsewhere"}
    _, choice, tabs, _ = draw.open_link(readers, params)
    assert choice == "lstm" and tabs.selected == "draw"


def test_examples_are_mnist_style_digits():
    """The example strip holds white-on-black 28x28 digits, as the canvas expects to paint them."""
    digit = mnist_style(Image.open(draw.EXAMPLES[0]))
    assert digit.shape == (28, 28) and digit[0].max() == 0 and digit.max() > 200
    assert data_url(digit).startswith("data:image/png;base64,")


def test_the_same_picture_written_by_many_visitors_at_once_is_never_half_a_file():
    """Many visitors getting the same picture at once: every read of the file is a whole PNG."""
    picture = np.random.default_rng(0).integers(0, 255, (400, 700, 3), dtype=np.uint8)
    paths, broken = set(), []

    def visitor():
        for _ in range(20):
            path = picture_file(picture, "same")
            paths.add(path)
            try:
                Image.open(path).load()
            except Exception as e:  # a truncated or empty file
                broken.append(e)

    threads = [threading.Thread(target=visitor) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not broken and len(paths) == 1
    assert (np.asarray(Image.open(paths.pop())) == picture).all()
