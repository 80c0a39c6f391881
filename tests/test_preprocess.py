import base64
import io
import re
import zlib
from pathlib import Path

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


# ---- pictures from files: sized from the header, decoded small -------------------------------------------------

def peak_mib(fn) -> float:
    """This process's peak memory while fn() runs, over its memory before (MiB, from /proc)."""
    status = Path("/proc/self/status")
    Path("/proc/self/clear_refs").write_text("5")  # the peak mark back to now
    before = int(re.search(r"VmRSS:\s+(\d+)", status.read_text())[1])
    fn()
    return (int(re.search(r"VmHWM:\s+(\d+)", status.read_text())[1]) - before) / 1024


def png_header_bomb(side: int) -> bytes:
    """A PNG whose header says side x side (gray), with a few rows of data: under a kilobyte."""
    chunk = lambda kind, data: (len(data).to_bytes(4, "big") + kind + data  # noqa: E731
                                + zlib.crc32(kind + data).to_bytes(4, "big"))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", side.to_bytes(4, "big") * 2 + b"\x08\x00\x00\x00\x00")
            + chunk(b"IDAT", zlib.compress(b"\0" * (side + 1) * 8)) + chunk(b"IEND", b""))


WEBP_BOMB = base64.b64decode("UklGRhoAAABXRUJQVlA4TA4AAAAvx/KxDAcQEf0PRET/Aw==")  # 13000x13000 in 34 bytes


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")  # as preprocess sets it (pytest resets it)
@pytest.mark.parametrize("bomb", [WEBP_BOMB, png_header_bomb(30000), png_header_bomb(4097)],
                         ids=["webp-13000", "png-30000", "png-4097"])
def test_a_decompression_bomb_is_refused_from_its_header(tmp_path, bomb):
    """As bytes or as a file: refused before it is decoded (13000x13000 gray alone would be 161 MiB)."""
    path = tmp_path / "bomb.img"
    path.write_bytes(bomb)
    for value in (bomb, path):
        with pytest.raises(preprocess.BadImage, match="at most 4096 on a side") as e:
            assert peak_mib(lambda value=value: preprocess.to_mnist(value)) < 40
        assert e.value.say("zh").endswith("每边最多 4096 像素。")
    assert Image.MAX_IMAGE_PIXELS == 4096 * 4096


def test_a_phone_photo_is_decoded_small_and_the_right_way_up(tmp_path):
    """A 4000x3000 JPEG stored sideways with an EXIF orientation: decoded at 1/2 scale or less, turned upright,
    read as the digit it shows."""
    upright = Image.fromarray(draw(SEVEN, size=4000, width=120, mode="white")).crop((500, 0, 3500, 4000))
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to show"
    path = tmp_path / "photo.jpg"
    upright.transpose(Image.Transpose.ROTATE_90).save(path, quality=90, exif=exif.tobytes())  # stored sideways
    opened = preprocess._open(path)
    assert opened.height > opened.width and max(opened.size) <= preprocess.REDUCE_TO
    assert read(preprocess.to_mnist(path)) == 7
    assert peak_mib(lambda: preprocess.to_mnist(path)) < 60  # not the 36 MB of the full-size RGB decode, twice


@pytest.mark.parametrize("fmt", ["ICO", "PPM", "TGA", "PCX"])
def test_only_the_formats_of_drawings_and_photos_are_opened(fmt):
    """PIL reads dozens of formats (some through other programs); a visitor's picture may be only one of six."""
    buf = io.BytesIO()
    Image.fromarray(draw(SEVEN, size=64, width=6, mode="white")).save(buf, fmt)
    with pytest.raises(preprocess.BadImage, match="not an image file we can read"):
        preprocess.to_mnist(buf.getvalue())


# ---- preprocess.strokes_to_mnist: the page's 28x28 (ui/js/mnist28.js runs the same; tests/js holds them equal) ----

def test_strokes_make_an_mnist_shaped_digit():
    """A stroke and a cross: longer side 20 px, centre of mass at (14, 14) give or take a pixel, full ink; a dot is
    a digit too; nothing drawn is None."""
    assert preprocess.strokes_to_mnist([]) is None and preprocess.strokes_to_mnist([{"points": []}]) is None
    one = preprocess.strokes_to_mnist([{"points": [[0.5, 0.1], [0.52, 0.9]]}])
    wide = preprocess.strokes_to_mnist([{"points": [[0.1, 0.5], [0.9, 0.55]]}, {"points": [[0.5, 0.45], [0.5, 0.6]]}])
    for x, longer_axis in ((one, 0), (wide, 1)):
        ink = np.nonzero(x.max(1 - longer_axis) >= preprocess.MIN_INK)[0]
        assert 19 <= ink[-1] - ink[0] + 1 <= 21 and x.max() == 1
        ys, xs = np.indices(x.shape)
        assert abs((x * ys).sum() / x.sum() - 14) <= 1 and abs((x * xs).sum() / x.sum() - 14) <= 1
    assert preprocess.strokes_to_mnist([{"points": [[0.3, 0.3]]}]).max() == 1


def test_a_picture_comes_back_as_it_went_in():
    """An MNIST-shaped picture (an example, a shared link) on the canvas is the same 28x28 again, to a grey level."""
    x = preprocess.to_mnist(drawn.render(5, np.random.default_rng(3)))
    again = preprocess.strokes_to_mnist([{"ink": x.ravel().tolist()}])
    assert np.abs(again - x).max() <= 1 / 15  # a share link's 16 levels keep it to this


def test_the_pages_28x28_reads_as_to_mnist_does(readers):
    """300 drawn digits: their strokes made into a 28x28 as the page makes it, against the same drawing as a picture
    through preprocess.to_mnist: the same answer from the shipped LSTM on at least 99% of them, and right as often."""
    import copy

    rng, labels, got, want = np.random.default_rng(2026), [], [], []
    lstm = readers.shipped["lstm"].model
    for d in [d for d in range(10) for _ in range(30)]:
        lines, _, _ = drawn.strokes(d, copy.deepcopy(rng))  # the strokes render() is about to draw
        image = drawn.render(d, rng)
        page = preprocess.strokes_to_mnist([{"points": (line / drawn.CANVAS).tolist()} for line in lines])
        with torch.inference_mode():
            got.append(int(lstm(torch.from_numpy(page)[None]).argmax()))
            want.append(int(lstm(torch.from_numpy(preprocess.to_mnist(image))[None]).argmax()))
        labels.append(d)
    got, want, labels = map(np.array, (got, want, labels))
    same, right_page, right_picture = (got == want).mean(), (got == labels).mean(), (want == labels).mean()
    assert same >= 0.99 and right_page >= right_picture - 0.01, (same, right_page, right_picture)
