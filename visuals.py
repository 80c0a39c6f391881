"""Pictures of what the network does, drawn with numpy and PIL in a millisecond or two."""
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
INSIDE_TOP = 34  # room for a panel title above the digit labels


def inside(image: np.ndarray, maps: dict[str, np.ndarray], probs: np.ndarray, upto: int = 28) -> np.ndarray:
    """The input, each internal (28, H) of the cell and the belief (28, 10), rows aligned; rows after `upto`
    (not yet read) are dimmed and the current row is marked."""
    hidden = next(iter(maps.values())).shape[1]
    col = max(1, min(4, 160 // hidden))
    frame, xs = _inside_frame(tuple(maps), hidden, col)
    out = frame.copy()
    y0 = INSIDE_TOP
    panels = [_blocks(colour(image, GREY, 0, 1), ROW, 6)]
    for name, m in maps.items():
        _, lo, hi, lut = PANELS[name]
        panels.append(_blocks(colour(m, lut, lo, hi), ROW, col))
    panels.append(_blocks(colour(probs, SEQUENTIAL, 0, 1), ROW, BELIEF_COL))
    for x, p in zip(xs, panels):
        out[y0 : y0 + 28 * ROW, x : x + p.shape[1]] = p
    unread = out[y0 + upto * ROW : y0 + 28 * ROW, MARGIN:]
    unread[:] = unread // 4 + 191  # fade toward white (in integers: no float copy of the picture)
    line = y0 + upto * ROW - 1
    out[line : line + 2, MARGIN - 4 :] = (220, 38, 38)  # the row just read
    return out


@lru_cache(maxsize=16)
def _inside_frame(names: tuple[str, ...], hidden: int, col: int) -> tuple[np.ndarray, list[int]]:
    """Titles, row numbers and digit labels for `inside`, and the left edge of each panel."""
    widths = [28 * 6] + [hidden * col] * len(names) + [10 * BELIEF_COL]
    xs = np.cumsum([MARGIN] + [w + GAP for w in widths[:-1]])
    img = Image.new("RGB", (int(xs[-1] + widths[-1] + 8), INSIDE_TOP + 28 * ROW + 6), PAPER)
    d = ImageDraw.Draw(img)
    f, small = _font(11), _font(9)
    for x, title in zip(xs, ["x", *(PANELS[n][0] for n in names), "p"]):
        d.text((int(x), 4), title, fill=TEXT, font=f)
    for t in range(28):
        d.text((MARGIN - 3, INSIDE_TOP + t * ROW + ROW // 2), str(t + 1), fill=TEXT, font=small, anchor="rm")
    for k in range(10):
        d.text((int(xs[-1]) + k * BELIEF_COL + BELIEF_COL // 2, INSIDE_TOP - 1), str(k), fill=TEXT, font=small,
               anchor="mb")
    return np.asarray(img), [int(x) for x in xs]


def confusion(cm: np.ndarray) -> np.ndarray:
    """A 10x10 confusion matrix with digit labels (rows: true digit, columns: read as; the page's caption says so
    in its language)."""
    cell, left, top = 40, 30, 26
    img = Image.new("RGB", (left + 10 * cell + 8, top + 10 * cell + 8), PAPER)
    d = ImageDraw.Draw(img)
    f, small = _font(13), _font(11)
    norm = cm / np.maximum(cm.sum(1, keepdims=True), 1)
    for i in range(10):
        d.text((left + i * cell + cell // 2, top - 6), str(i), fill=TEXT, font=f, anchor="mb")
        d.text((left - 8, top + i * cell + cell // 2), str(i), fill=TEXT, font=f, anchor="rm")
        for j in range(10):
            v = norm[i, j] if i == j else min(1.0, norm[i, j] * 20)  # errors are rare: stretch them to be seen
            rgb = tuple(int(c) for c in (SEQUENTIAL[int(v * 255)] if i == j else DIVERGING[128 + int(v * 127)]))
            box = (left + j * cell, top + i * cell, left + (j + 1) * cell - 1, top + (i + 1) * cell - 1)
            d.rectangle(box, fill=rgb)
            if cm[i, j]:
                dark = i == j and v > 0.5 or i != j and v > 0.6
                d.text((box[0] + cell // 2, box[1] + cell // 2), str(int(cm[i, j])), anchor="mm",
                       fill=(255, 255, 255) if dark else TEXT, font=small)
    return np.asarray(img)


def digit(image: np.ndarray, scale: int = 4) -> np.ndarray:
    """A 28x28 digit enlarged, white on black."""
    return _blocks(colour(image, GREY, 0, 1), scale, scale)


BAR_W = 120  # the largest change in the row-bars picture
BAR_ZERO = 24  # room left of the zero line for rows whose blanking raises the answer's probability


def row_bars(image: np.ndarray, drops: dict[str, np.ndarray], answers: dict[str, int]) -> np.ndarray:
    """The digit's rows, and for each model a bar per row: how much blanking that row lowers the probability of the
    model's answer (red, rightwards; blue, leftwards where it raises it). Rows are aligned with the digit's; every
    panel has the same scale, printed under its title (a full bar is the largest change, at least 2 points)."""
    names = list(drops)
    scale = max(0.02, max(float(np.abs(v).max()) for v in drops.values()))
    x_digit = MARGIN
    xs = [x_digit + 28 * 8 + GAP + i * (BAR_ZERO + BAR_W + GAP) for i in range(len(names))]
    img = Image.new("RGB", (xs[-1] + BAR_ZERO + BAR_W + 8, TOP + 14 + 28 * ROW + 6), PAPER)
    d = ImageDraw.Draw(img)
    f, small = _font(12), _font(9)
    top = TOP + 14
    d.text((x_digit, 3), "x", fill=TEXT, font=f)
    for t in range(28):
        d.text((MARGIN - 3, top + t * ROW + ROW // 2), str(t + 1), fill=TEXT, font=small, anchor="rm")
    for x, name in zip(xs, names):
        zero = x + BAR_ZERO
        d.text((zero, 3), f"{name}: {answers[name]}", fill=TEXT, font=f)
        d.line([(zero, TOP + 6), (zero + BAR_W, TOP + 6)], fill=TEXT)  # the scale: 0 to a full bar
        d.text((zero, TOP + 8), "0", fill=TEXT, font=small, anchor="mt")
        d.text((zero + BAR_W, TOP + 8), f"Δp {scale:.0%}", fill=TEXT, font=small, anchor="rt")
        d.line([(zero, top), (zero, top + 28 * ROW)], fill=(156, 163, 175))
        for t, v in enumerate(np.clip(drops[name] / scale, -BAR_ZERO / BAR_W, 1)):
            if abs(v) * BAR_W >= 0.5:
                y = top + t * ROW + 1
                left, right = sorted((zero, zero + v * BAR_W))
                d.rectangle((left, y, right, y + ROW - 3), fill=(178, 24, 43) if v > 0 else (33, 102, 172))
    out = np.asarray(img).copy()
    out[top : top + 28 * ROW, x_digit : x_digit + 28 * 8] = _blocks(colour(image, GREY, 0, 1), ROW, 8)
    return out
