"""The Draw tab's handlers with the shipped models: reading, the canvas's value, share links, pictures."""
import io
import threading

import gradio as gr
import numpy as np
import pytest
import torch
from PIL import Image

import drawn
import preprocess
from model import CELLS, ModelConfig, RowReader
from ui import draw
from ui.live import UNSURE
from ui.canvas import BadDrawing, DigitCanvas, data_url, mnist_style
from ui.common import Trained, drawing, picture_file


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
        assert len(belief["data"]) == 280 and all(p is None for _, _, p in belief["data"])


def test_a_drawing_is_read_row_by_row(readers):
    value = drawn.render(3, np.random.default_rng(0), mode="sketchpad")
    label, picture, belief, caption = draw.read_digit(readers, value)
    assert max(label, key=label.get) == "3" and abs(sum(label.values()) - 1) < 1e-5
    image = np.asarray(Image.open(picture))
    assert image.dtype == np.uint8 and image.shape[0] >= 28 * 12 and image.shape[2] == 3
    assert belief["columns"] == ["row", "digit", "probability"]
    assert sorted({row for row, _, _ in belief["data"]}) == list(range(1, 29))
    last = {digit: p for row, digit, p in belief["data"] if row == 28}
    assert sorted(last) == [str(d) for d in range(10)]
    assert np.allclose([last[d] for d in label], list(label.values()), atol=1e-5)
    assert "Read as **3**" in caption


def test_the_canvas_value_is_the_28x28_the_model_reads_as_it_is(readers):
    """What the page sends (784 numbers, flat or as 28 rows) reaches the handlers as the model's input, unchanged:
    nothing is cropped or centred again, so the server's views read exactly what the page read."""
    x = preprocess.to_mnist(drawn.render(6, np.random.default_rng(5), mode="transparent"))
    for sent in (x.ravel().tolist(), x.tolist()):
        got = DigitCanvas(texts={}).preprocess(sent)
        assert got.shape == (1, 28, 28) and torch.equal(got[0], torch.from_numpy(x))
        assert drawing(got) is got
    label = draw.read_digit(readers, got)[0]
    assert max(label, key=label.get) == "6"
    for empty in (None, "", []):
        assert DigitCanvas(texts={}).preprocess(empty) is None


@pytest.mark.parametrize("payload, key", [
    ([0.5] * 783, "bad_drawing_shape"), ([0.5] * 785, "bad_drawing_shape"), ([0.5] * 10**6, "bad_drawing_shape"),
    ([[0.5] * 28] * 27 + [[0.5] * 27], "bad_drawing_shape"), ("data:image/png;base64,AAAA", "bad_drawing_shape"),
    ({"background": None}, "bad_drawing_shape"), (5, "bad_drawing_shape"),
    (["0.5"] * 784, "bad_drawing_numbers"), ([True] * 784, "bad_drawing_numbers"), ([None] * 784, "bad_drawing_numbers"),
    ([float("nan")] * 784, "bad_drawing_range"), ([float("inf")] + [0] * 783, "bad_drawing_range"),
    ([-0.1] + [0] * 783, "bad_drawing_range"), ([1.5] + [0] * 783, "bad_drawing_range"),
    ([10**400] + [0] * 783, "bad_drawing_range"),  # JSON integers have no limit; float64 does
])
def test_anything_but_784_numbers_in_0_1_is_refused_in_the_visitors_language(payload, key):
    bad = DigitCanvas(texts={}).preprocess(payload)
    assert bad == BadDrawing(key)
    for lang, words in (("en", "drawing"), ("zh", "手写数字")):
        with pytest.raises(gr.Error) as e:
            drawing(bad, lang)
        assert words in e.value.message and "\n" not in e.value.message


def test_the_selector_changes_the_model_that_reads(readers):
    value = drawn.render(5, np.random.default_rng(1), mode="white")
    mine = Trained(RowReader(ModelConfig(hidden_size=8)).eval(), 0.5)
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
    guesser = Trained(RowReader(ModelConfig(hidden_size=8)).eval(), 0.1)
    label, _, _, caption = draw.read_digit(readers, drawn.render(2, np.random.default_rng(2)), "mine", guesser)
    assert max(label.values()) < UNSURE and "unsure" in caption and "settled" not in caption
    zh = draw.read_digit(readers, drawn.render(2, np.random.default_rng(2)), "mine", guesser, "zh")[3]
    assert "拿不准" in zh


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
