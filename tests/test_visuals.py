"""The pictures: PNG files that decode to exactly the pixels drawn, and pictures whose parts line up."""
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


def test_row_bars_leave_rows_without_change_blank_and_share_one_scale():
    digit = np.zeros((28, 28), np.float32)
    drops = {"LSTM": np.zeros(28), "RNN": np.zeros(28)}
    drops["RNN"][9] = 0.4  # one row matters, to the RNN only
    picture = visuals.row_bars(digit, drops, {"LSTM": 3, "RNN": 3})
    red = (picture[..., 0] > 150) & (picture[..., 1] < 60)
    rows = np.nonzero(red.any(1))[0]
    top = visuals.TOP + 14
    assert len(rows) and ((rows - top) // visuals.ROW == 9).all()  # the bar sits in row 10's band
    assert red.any(0).sum() >= visuals.BAR_W - 2  # the largest change fills a whole bar
