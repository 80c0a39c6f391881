"""Pictures of what the network does, drawn with numpy and PIL in a millisecond or two (the API's reading picture,
the misread digits), and the colour scales the page paints its own pictures with (PANELS, confusion_colours)."""
import struct
import zlib
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROW = 12  # pixel height of one image row (one time step) in every row-aligned picture
MARGIN, TOP, GAP = 26, 22, 14
INK_COL = 12  # width of one input pixel
BELIEF_COL = 16  # width of one digit's column in the belief strip
PAPER = (255, 255, 255)
TEXT = (55, 65, 81)


def _lut(stops: list[tuple[int, int, int]]) -> np.ndarray:
    """A 256-entry colour table interpolating evenly between the given RGB stops."""
    stops = np.array(stops, np.float32)
    pos = np.linspace(0, 255, len(stops))
    return np.stack([np.interp(np.arange(256), pos, stops[:, c]) for c in range(3)], 1).astype(np.uint8)


DIVERGING = _lut([(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)])  # -1 .. 1
SEQUENTIAL = _lut([(247, 251, 255), (158, 202, 225), (33, 113, 181), (8, 48, 107)])  # 0 .. 1
GREY = _lut([(0, 0, 0), (255, 255, 255)])  # ink 0 .. 1, MNIST's white on black


def colour(values: np.ndarray, lut: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Map values in [lo, hi] through a colour table: (...) -> (..., 3) uint8."""
    idx = np.clip((values - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8)
    return lut[idx]


def png(rgb: np.ndarray) -> bytes:
    """A (H, W, 3) uint8 picture as PNG bytes, in 3 ms where PIL's encoder takes 13 for the reading picture.

    PIL tries five row filters on every row and keeps the best; these pictures are blocks of flat colour whose rows
    repeat, which zlib finds unfiltered just as well: same size, lossless, a fifth of the time. That is most of what
    answering one frame of a drawing costs.
    """
    h, w, _ = rgb.shape
    rows = np.concatenate([np.zeros((h, 1), np.uint8), rgb.reshape(h, w * 3)], 1)  # filter byte 0: none

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 3))
            + chunk(b"IEND", b""))


def _blocks(rgb: np.ndarray, h: int, w: int) -> np.ndarray:
    """Enlarge (R, C, 3) to cells of h x w pixels."""
    return rgb.repeat(h, 0).repeat(w, 1)


@lru_cache(maxsize=8)
def _font(size: int):
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=16)
def _reading_frame(hidden: int) -> tuple[np.ndarray, tuple[int, int, int]]:
    """The fixed parts of the reading picture (titles, row numbers, digit labels) and where panels go."""
    hid_col = max(2, min(8, 384 // hidden))
    x_in = MARGIN
    x_hid = x_in + 28 * INK_COL + GAP
    x_bel = x_hid + hidden * hid_col + GAP
    width, height = x_bel + 10 * BELIEF_COL + 8, TOP + 28 * ROW + 6
    img = Image.new("RGB", (width, height), PAPER)
    d = ImageDraw.Draw(img)
    f, small = _font(12), _font(9)
    # Symbols, not words: the picture serves every language; the page's captions say what they mean.
    d.text((x_in, 3), "x  (28 px)", fill=TEXT, font=f)
    d.text((x_hid, 3), f"h  ({hidden})", fill=TEXT, font=f)
    legend = np.asarray(DIVERGING)[None].repeat(8, 0)  # the colour scale, -1 .. +1
    lx = x_hid + hidden * hid_col - 64 - 14
    img.paste(Image.fromarray(np.ascontiguousarray(legend[:, ::4])), (lx, 6))
    d.text((lx - 3, 10), "-1", fill=TEXT, font=small, anchor="rm")
    d.text((lx + 67, 10), "+1", fill=TEXT, font=small, anchor="lm")
    for t in range(28):
        d.text((MARGIN - 3, TOP + t * ROW + ROW // 2), str(t + 1), fill=TEXT, font=small, anchor="rm")
    for k in range(10):
        d.text((x_bel + k * BELIEF_COL + BELIEF_COL // 2, TOP - 1), str(k), fill=TEXT, font=small, anchor="mb")
    return np.asarray(img).copy(), (x_in, x_hid, x_bel)


def reading(image: np.ndarray, hidden: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """One picture, rows aligned: the 28x28 input, a (28, H) state as a heatmap, and the belief (28, 10) after each row.

    Row t of every panel is time step t, so a person sees which rows moved which units and when the
    network made up its mind.
    """
    frame, (x_in, x_hid, x_bel) = _reading_frame(hidden.shape[1])
    out = frame.copy()
    hid_col = (x_bel - GAP - x_hid) // hidden.shape[1]
    y0, y1 = TOP, TOP + 28 * ROW
    ink = _blocks(colour(image, GREY, 0, 1), ROW, INK_COL)
    ink[ROW - 1 :: ROW] = (ink[ROW - 1 :: ROW] * 0.55 + 60).astype(np.uint8)  # row grid lines
    out[y0:y1, x_in : x_in + 28 * INK_COL] = ink
    out[y0:y1, x_hid : x_hid + hidden.shape[1] * hid_col] = _blocks(colour(hidden, DIVERGING, -1, 1), ROW, hid_col)
    out[y0:y1, x_bel : x_bel + 10 * BELIEF_COL] = _blocks(colour(probs, SEQUENTIAL, 0, 1), ROW, BELIEF_COL)
    return out


# Each internal of a cell: its symbol in the picture, its range and colour scale.
PANELS = {
    "forget": ("f  (0..1)", 0, 1, SEQUENTIAL), "input": ("i  (0..1)", 0, 1, SEQUENTIAL),
    "reset": ("r  (0..1)", 0, 1, SEQUENTIAL), "update": ("z  (0..1)", 0, 1, SEQUENTIAL),
    "candidate": ("g  (-1..1)", -1, 1, DIVERGING), "output": ("o  (0..1)", 0, 1, SEQUENTIAL),
    "c": ("c  (-2..2)", -2, 2, DIVERGING), "h": ("h  (-1..1)", -1, 1, DIVERGING),
}


def confusion_colours(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's colour (10, 10, 3) for a confusion matrix (rows: true digit, columns: read as): the share of each
    true digit read right in blue, the mistakes in red, stretched 20x to be seen; and (10, 10) where the count is
    written in white rather than black, whichever stands out more (at least 4.5:1 either way)."""
    share = cm / np.maximum(cm.sum(1, keepdims=True), 1)
    right = np.eye(10, dtype=bool)
    v = np.where(right, share, np.minimum(1.0, share * 20))
    rgb = np.where(right[..., None], SEQUENTIAL[(v * 255).astype(int)], DIVERGING[128 + (v * 127).astype(int)])
    linear = np.where(rgb / 255 <= 0.04045, rgb / 255 / 12.92, ((rgb / 255 + 0.055) / 1.055) ** 2.4)
    luminance = linear @ [0.2126, 0.7152, 0.0722]  # WCAG's relative luminance
    return rgb.astype(np.uint8), 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05


def digit(image: np.ndarray, scale: int = 4) -> np.ndarray:
    """A 28x28 digit enlarged, white on black."""
    return _blocks(colour(image, GREY, 0, 1), scale, scale)
