"""The pictures: PNG files that decode to exactly the pixels drawn, pictures whose parts line up, and the confusion
matrix's colours."""
import io

import numpy as np
import pytest
from PIL import Image

import visuals


@pytest.mark.parametrize("shape", [(1, 1, 3), (3, 5, 3), (364, 942, 3), (17, 1, 3)])
def test_png_decodes_to_the_same_pixels(shape):
    rng = np.random.default_rng(sum(shape))
    for picture in (rng.integers(0, 256, shape, dtype=np.uint8), np.full(shape, 200, np.uint8)):
        decoded = Image.open(io.BytesIO(visuals.png(picture)))
        decoded.load()  # checks every chunk's CRC
        assert decoded.mode == "RGB" and (np.asarray(decoded) == picture).all()


def test_the_reading_pictures_rows_line_up_with_the_digits():
    digit = np.zeros((28, 28), np.float32)
    digit[9] = 1  # one row of ink: row 10
    picture = visuals.reading(digit, np.zeros((28, 64)), np.zeros((28, 10)))
    panel = picture[visuals.TOP : visuals.TOP + 28 * visuals.ROW, visuals.MARGIN : visuals.MARGIN + 28 * visuals.INK_COL]
    rows = np.nonzero((panel > 200).all(2).any(1))[0] // visuals.ROW
    assert len(rows) and (rows == 9).all()  # the ink sits in row 10's band, and nowhere else


def test_the_confusion_matrix_colours_right_answers_blue_and_mistakes_red():
    cm = np.diag(np.full(10, 90))
    cm[3, 5] = 10  # a tenth of the 3s read as 5
    rgb, dark = visuals.confusion_colours(cm)
    assert tuple(rgb[0, 0]) == tuple(visuals.SEQUENTIAL[255]) and dark[0, 0]  # all right: the darkest blue
    assert tuple(rgb[3, 5]) == tuple(visuals.DIVERGING[255]) and dark[3, 5]  # 10% wrong, stretched 20x: full red
    assert tuple(rgb[5, 3]) == tuple(visuals.DIVERGING[128]) and not dark[5, 3]  # no mistake: neutral, black text
    assert int(rgb[3, 3].sum()) > int(rgb[0, 0].sum())  # 90% right is a lighter blue than 100%


def contrast(a, b) -> float:
    lum = [(np.where(c / 255 <= 0.04045, c / 255 / 12.92, ((c / 255 + 0.055) / 1.055) ** 2.4) @ [0.2126, 0.7152, 0.0722])
           for c in (np.asarray(a, float), np.asarray(b, float))]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def test_every_count_in_the_confusion_matrix_stands_out_from_its_colour():
    """Every share from none to all, right and wrong: the count's text (white or black) at 4.5:1 or more."""
    for k in range(0, 101):
        cm = np.diag(np.full(10, 100 - k))
        cm[np.arange(10), (np.arange(10) + 1) % 10] = k  # k% of each digit misread
        rgb, dark = visuals.confusion_colours(cm)
        for i, j in ((0, 0), (0, 1)):
            text = (255, 255, 255) if dark[i, j] else (0, 0, 0)
            assert contrast(rgb[i, j], text) >= 4.5, (k, i, j, rgb[i, j])
