import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

import preprocess
import drawn
from checkpoint import load_pretrained


def draw(lines, size=800, width=30, mode="transparent", offset=(0, 0), scale=1.0):
    """Polylines given in a unit box, drawn at `scale` of the canvas and moved by `offset` pixels."""
    ink = {"transparent": (0, 0, 0, 255), "white": 0, "black": 255}[mode]
    img = {"white": Image.new("L", (size, size), 255), "black": Image.new("L", (size, size), 0)}.get(
        mode, Image.new("RGBA", (size, size), (0, 0, 0, 0)))
    d = ImageDraw.Draw(img)
    for line in lines:
        pts = [(offset[0] + size * (0.5 + (x - 0.5) * scale), offset[1] + size * (0.5 + (y - 0.5) * scale)) for x, y in line]
        d.line(pts, fill=ink, width=width, joint="curve")
        for x, y in (pts[0], pts[-1]):
            d.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=ink)
    return np.asarray(img)


SEVEN = [[(0.3, 0.2), (0.7, 0.2), (0.45, 0.8)]]
ZERO = [[(0.5, 0.2), (0.35, 0.3), (0.32, 0.5), (0.38, 0.75), (0.5, 0.8), (0.62, 0.72), (0.66, 0.5), (0.62, 0.28), (0.5, 0.2)]]


def sketchpad(layer):
    white = np.full((*layer.shape[:2], 4), 255, np.uint8)
    alpha = layer[..., 3:4] / 255
    composite = (white * (1 - alpha) + layer * alpha).astype(np.uint8)
    composite[..., 3] = 255
    return {"background": white, "layers": [layer], "composite": composite}


def close(a, b, tol=0.06):
    """Mean absolute difference after a 3x3 blur, so a one-pixel shift of a thin stroke is not a failure."""
    blur = lambda v: F.avg_pool2d(torch.from_numpy(v)[None, None], 3, 1, 1)[0, 0].numpy()
    return np.abs(blur(a) - blur(b)).mean() < tol


def read(x):
    with torch.inference_mode():
        return load_pretrained()(torch.from_numpy(x)[None]).argmax().item()


def test_nothing_drawn_gives_none():
    blank = np.zeros((400, 400, 4), np.uint8)
    white = np.full((400, 400, 4), 255, np.uint8)
    assert preprocess.to_mnist(None) is None
    assert preprocess.to_mnist({"background": None, "layers": [], "composite": None}) is None
    assert preprocess.to_mnist({"background": white, "layers": [blank], "composite": white}) is None
    assert preprocess.to_mnist(white[..., :3]) is None
    assert preprocess.to_mnist(np.zeros((28, 28), np.uint8)) is None


def test_output_is_a_centred_mnist_style_digit():
    x = preprocess.to_mnist(draw(SEVEN))
    assert x.shape == (28, 28) and x.dtype == np.float32 and x.min() >= 0 and x.max() <= 1
    rows, cols = np.nonzero(x > 0.1)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 in (19, 20, 21)  # longer side scaled to MNIST's 20 px box
    ys, xs = np.mgrid[:28, :28]
    assert abs((x * ys).sum() / x.sum() - 14) < 1 and abs((x * xs).sum() / x.sum() - 14) < 1


@pytest.mark.parametrize("shape, label", [(SEVEN, 7), (ZERO, 0)])
@pytest.mark.parametrize("variant", [
    dict(offset=(-200, 150)), dict(offset=(250, -250), scale=0.3), dict(scale=1.5), dict(scale=0.25, width=8),
    dict(width=3), dict(width=6), dict(width=50, scale=1.2), dict(mode="white"), dict(mode="black"),
])
def test_same_digit_gives_the_same_28x28(shape, label, variant):
    """Shifted, scaled, thin or thick (up to a quarter of the digit's height), on any paper."""
    reference = preprocess.to_mnist(draw(shape))
    x = preprocess.to_mnist(draw(shape, **variant))
    assert close(x, reference, 0.08)
    assert read(x) == read(reference) == label


def test_a_blob_still_gives_a_digit_image():
    """A tiny digit in Gradio's 50 px default brush is a blob; it still comes out as a valid 28x28."""
    x = preprocess.to_mnist(draw(SEVEN, scale=0.2, width=50))
    assert x.shape == (28, 28) and 0.5 < x.max() <= 1


def test_sketchpad_value_alpha_and_composite_agree():
    layer = draw(ZERO)
    via_dict = preprocess.to_mnist(sketchpad(layer))
    assert close(via_dict, preprocess.to_mnist(layer), 0.01)
    assert close(via_dict, preprocess.to_mnist(sketchpad(layer)["composite"][..., :3]), 0.03)
    assert close(via_dict, preprocess.to_mnist(Image.fromarray(layer)), 0.01)


def test_several_strokes_make_one_digit():
    four = [[(0.6, 0.2), (0.3, 0.6), (0.75, 0.6)], [(0.6, 0.4), (0.6, 0.85)]]
    assert read(preprocess.to_mnist(draw(four))) == 4


def test_an_mnist_digit_survives_the_pipeline(mnist):
    original = mnist.test_x[0].numpy() / 255
    again = preprocess.to_mnist(mnist.test_x[0].numpy())  # light ink on dark paper, already 28x28
    assert np.corrcoef(original.ravel(), again.ravel())[0, 1] > 0.85


def test_drawn_digits_are_read():
    values, labels = drawn.dataset(200, seed=7)
    x = torch.from_numpy(np.stack([preprocess.to_mnist(v) for v in values]))
    with torch.inference_mode():
        acc = (load_pretrained()(x).argmax(1).numpy() == labels).mean()
    assert acc >= 0.95
