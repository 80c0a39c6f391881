"""From a drawing (Sketchpad value, numpy or PIL image, image file) to a 28x28 MNIST-style digit.

MNIST's makers cropped each digit to its ink, scaled the longer side to 20 px with anti-aliasing and put
its centre of mass at the centre of a 28x28 field. We do the same, and also bring the stroke width to
MNIST's (about 2.3 px at that scale): a thick brush on a small digit would otherwise arrive as a blob.

A file is decoded only after its header said how big it is: a decompression bomb (a few bytes that decode to
gigabytes) is refused in milliseconds and kilobytes. A picture within the limits is decoded one at a time, at most
REDUCE_TO a side where the format allows it (JPEG), and box-averaged down to that size before anything else.
"""
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps

from texts import text

SIDE = 28  # MNIST's field: 28x28 pixels
BOX = 20  # MNIST's digit box inside the 28x28 field
WORK = 4 * BOX  # resolution at which strokes are measured and thinned
MNIST_STROKE = 2.3  # mean stroke width of MNIST digits in the 20 px box (2 * area / boundary of ink > 0.5)
MIN_INK = 0.15  # below this nothing counts as drawn
MAX_SIDE = 4096  # refused above this: more than any photo of a digit needs, and costly to hold in memory
REDUCE_TO = 1024  # pictures bigger than this are box-averaged down first: the digit ends up 20 px anyway
EDITOR_KEYS = ("background", "layers", "composite")  # a Sketchpad value; Gradio may add others such as "id"
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")  # a drawing or a photo (JPEG covers MPO); PIL tries no other

# PIL checks every opened image's pixel count against this, from the header, before decoding: above it a warning,
# made an error here, and above twice it an error.
Image.MAX_IMAGE_PIXELS = MAX_SIDE * MAX_SIDE
warnings.simplefilter("error", Image.DecompressionBombWarning)
# One picture decodes at a time, always on the same thread: the memory of a large one (up to 64 MB, 4 bytes a pixel
# at MAX_SIDE) is then reused by the next, where decodes on many threads would each keep their own.
_decoder = ThreadPoolExecutor(1, thread_name_prefix="decode")


class BadImage(ValueError):
    """Input that is not a picture we can read: a texts.py key and its values; str() is the English line, fit to
    show to a user, and say(lang) the same in another language."""

    def __init__(self, key: str, **values):
        super().__init__(text(key, "en", **values))
        self.key, self.values = key, values

    def say(self, lang: str) -> str:
        return text(self.key, lang, **self.values)


def _unreadable(img) -> BadImage:
    """The refusal of what is not an image, naming the file as a visitor sent it: printable, at most 60 characters."""
    name = "" if isinstance(img, (bytes, bytearray)) else "".join(c for c in Path(img).name if c.isprintable()).strip()
    if not name:
        return BadImage("img_bytes_unreadable")
    return BadImage("img_unreadable", name=name if len(name) <= 60 else name[:59] + "…")


def _open(img) -> Image.Image:
    """A file path or the bytes of a file as a decoded PIL image, upright, at most REDUCE_TO on a side."""
    try:
        opened = Image.open(io.BytesIO(img) if isinstance(img, (bytes, bytearray)) else img, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # the header's size, nothing decoded
        raise BadImage("img_too_many_pixels", pixels=Image.MAX_IMAGE_PIXELS, side=MAX_SIDE) from None
    except Exception:  # not found, not an image, not one of FORMATS
        raise _unreadable(img) from None
    with opened:
        if max(opened.size) > MAX_SIDE:
            raise BadImage("img_too_big", w=opened.width, h=opened.height, side=MAX_SIDE)
        try:
            return _decoder.submit(_decode, opened).result()
        except Exception:  # truncated, corrupt
            raise _unreadable(img) from None


def _decode(im: Image.Image) -> Image.Image:
    """Decode an opened image, at most REDUCE_TO on a side and upright (always a new image)."""
    im.draft(None, (REDUCE_TO, REDUCE_TO))  # JPEG: decoded at 1/2, 1/4 or 1/8 scale while that is big enough
    im.load()  # decode now, so a truncated file fails here and not later
    if im.mode not in ("L", "LA", "RGB", "RGBA", "I", "I;16", "F"):  # palette, CMYK, 1-bit...
        im = im.convert("L" if im.mode == "1" else "RGBA")
    k = -(-max(im.size) // REDUCE_TO)
    small = im.reduce(k) if k > 1 and im.mode != "I;16" else im  # I;16: _as_float reduces it
    return ImageOps.exif_transpose(small)  # a phone photo the right way up


def _as_float(img) -> np.ndarray:
    """Any image-like to float32 (H, W) or (H, W, C) in [0, 1]; BadImage if it is not one."""
    if isinstance(img, (str, Path, bytes, bytearray)):
        img = _open(img)
    if isinstance(img, Image.Image):
        if max(img.size) > MAX_SIDE:  # before a copy of it is made
            raise BadImage("img_too_big", w=img.width, h=img.height, side=MAX_SIDE)
        img = np.asarray(img if img.mode in ("1", "L", "RGB", "RGBA", "I", "I;16", "F") else img.convert("RGBA"))
    try:
        a = np.asarray(img)
    except ValueError:  # ragged nested lists
        raise BadImage("img_ragged") from None
    if a.dtype.kind not in "biuf":
        raise BadImage("img_not_numbers", kind=type(img).__name__, dtype=str(a.dtype))
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (2, 3, 4)) or min(a.shape[:2]) < 1:
        raise BadImage("img_shape", shape=str(a.shape))
    if max(a.shape[:2]) > MAX_SIDE:
        raise BadImage("img_too_big", w=a.shape[1], h=a.shape[0], side=MAX_SIDE)
    k = -(-max(a.shape[:2]) // REDUCE_TO)  # a phone photo: box-average it down before ink()'s full-size copies
    if a.dtype == np.uint8:
        a = np.asarray(Image.fromarray(a).reduce(k)) if k > 1 else a  # PIL: 10x faster than torch here
        a = a.astype(np.float32) / 255
    elif a.dtype == np.uint16:
        a = a.astype(np.float32) / 65535
    elif a.dtype == bool:
        a = a.astype(np.float32)
    else:
        with np.errstate(over="ignore"):  # values beyond float32 become inf, then 0 like NaN
            a = np.nan_to_num(a.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        if a.max(initial=0) > 1:
            a = a / 255
    if a.shape[0] > REDUCE_TO or a.shape[1] > REDUCE_TO:  # the rarer dtypes, one channel at a time
        chans = [np.asarray(Image.fromarray(np.ascontiguousarray(c)).reduce(k))
                 for c in np.atleast_3d(a).transpose(2, 0, 1)]
        a = np.stack(chans, -1) if a.ndim == 3 else chans[0]
    return np.clip(a, 0, 1)


def ink(img) -> np.ndarray:
    """Ink amount (H, W) in [0, 1]: alpha where there is real alpha, else contrast against the paper."""
    a = _as_float(img)
    if a.ndim == 3 and a.shape[2] in (2, 4):
        alpha = a[:, :, -1]
        if alpha.min() < 1:  # transparent pixels are not ink, whatever their colour
            return alpha
        a = a[:, :, :-1]
    gray = a if a.ndim == 2 else a[:, :, 0] if a.shape[2] == 1 else a[:, :, :3] @ np.array([0.299, 0.587, 0.114], np.float32)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    paper = float(np.median(border))
    if paper > 0.5:  # dark ink on light paper
        return np.clip((paper - gray) / paper, 0, 1)
    return np.clip((gray - paper) / max(1 - paper, 1e-6), 0, 1)  # light ink on dark paper (MNIST itself)


def sketch_ink(value) -> np.ndarray | None:
    """Ink of whatever a Sketchpad, an upload or a caller hands us; None when there is no image at all."""
    if value is None:
        return None
    if isinstance(value, dict):
        if not any(k in value for k in EDITOR_KEYS):
            raise BadImage("img_sketch_keys", keys=str(sorted(map(str, value))))
        layers = value.get("layers") or []
        if not isinstance(layers, (list, tuple)):
            raise BadImage("img_sketch_layers", kind=type(layers).__name__)
        parts = [ink(layer) for layer in layers if layer is not None]
        if value.get("background") is not None:
            parts.append(ink(value["background"]))
        if not parts and value.get("composite") is not None:
            parts.append(ink(value["composite"]))
        if not parts:
            return None
        shape = parts[0].shape
        parts = [p for p in parts if p.shape == shape]
        return np.maximum.reduce(parts)
    return ink(value)


def _resize(x: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """Anti-aliased resize of a (H, W) tensor."""
    return F.interpolate(x[None, None], size=(h, w), mode="bilinear", antialias=True, align_corners=False)[0, 0]


def _stroke_width(x: torch.Tensor) -> float:
    """Mean stroke width in pixels: twice the inked area over its boundary length."""
    b = (x > 0.5).float()[None, None]
    area, boundary = b.sum().item(), (b - (-F.max_pool2d(-b, 3, 1, 1))).sum().item()
    # A stroke of length L and width w has area L*w and boundary 2*(L + w): solve for w.
    half = boundary / 2
    return (half - max(half * half - 4 * area, 0.0) ** 0.5) / 2


def _fit(x: torch.Tensor, longer: int) -> torch.Tensor:
    h, w = x.shape
    s = longer / max(h, w)
    return _resize(x, max(1, round(h * s)), max(1, round(w * s)))


def strokes_box(items: list[dict], s: float) -> list[float] | None:
    """The ink's box [x0, y0, x1, y1] in the unit square when the field has `s` pixels per unit: strokes reach half a
    pen (MNIST_STROKE pixels, whatever the scale) beyond their points; a picture's box is its own."""
    r, boxes = MNIST_STROKE / 2 / s, []
    for item in items:
        if item.get("points"):
            p = np.asarray(item["points"], float)
            boxes.append([*(p.min(0) - r), *(p.max(0) + r)])
        elif item.get("box"):
            boxes.append(list(item["box"]))
    if not boxes:
        return None
    b = np.array(boxes)
    return [*b[:, :2].min(0), *b[:, 2:].max(0)]


def picture_box(ink: np.ndarray) -> list[float] | None:
    """A picture's (a 28x28 filling the unit square) ink box in the unit square: its pixels at MIN_INK or more."""
    rows, cols = np.nonzero(ink.max(1) >= MIN_INK)[0], np.nonzero(ink.max(0) >= MIN_INK)[0]
    if not len(rows):
        return None
    return [cols[0] / SIDE, rows[0] / SIDE, (cols[-1] + 1) / SIDE, (rows[-1] + 1) / SIDE]


def strokes_to_mnist(items: list[dict]) -> np.ndarray | None:
    """What the page's canvas holds as the model's float32 (28, 28), ink = 1, or None when nothing is drawn; the page
    runs the same algorithm (ui/js/mnist28.js; tests/js hold it to this). `items`: strokes ({"points": [[x, y], ...]}
    in the unit square, y down) and pictures ({"ink": 784 numbers, a 28x28 digit filling the square}).

    MNIST's recipe, for strokes: the scale that makes the ink's longer side BOX pixels, each stroke drawn at that
    scale straight into the field with MNIST's pen (so the visitor's pen width does not matter), a pixel's ink its
    coverage by the pen (1 within the pen's radius less half a pixel of the pixel's centre, falling to 0 a pixel
    further out), a picture sampled bilinearly; where items overlap the most ink; full ink at its strongest; the
    centre of mass at pixel (14, 14), the whole box kept on the field."""
    items = [dict(item, box=picture_box(np.reshape(item["ink"], (SIDE, SIDE)))) if "ink" in item else item
             for item in items]
    first = strokes_box(items, np.inf)
    if first is None:
        return None
    side = lambda b: max(b[2] - b[0], b[3] - b[1])  # noqa: E731
    s = BOX / max(side(first), MNIST_STROKE / BOX)
    for _ in range(6):  # strokes' ink grows by a pen whatever the scale: a few rounds settle the scale
        s = BOX / side(strokes_box(items, s))
    box = strokes_box(items, s)
    ys, xs = np.mgrid[0:SIDE, 0:SIDE] + 0.5  # the pixels' centres, in field pixels
    field = np.zeros((SIDE, SIDE))
    for item in items:
        if item.get("points"):
            p = (np.asarray(item["points"], float) - box[:2]) * s  # (n, 2), field pixels
            a, b = p[:-1] if len(p) > 1 else p, p[1:] if len(p) > 1 else p
            d = np.full((SIDE, SIDE), np.inf)
            for (ax, ay), (bx, by) in zip(a, b):  # each segment's distance to every pixel's centre
                vx, vy = bx - ax, by - ay
                length2 = vx * vx + vy * vy
                t = np.clip(((xs - ax) * vx + (ys - ay) * vy) / length2, 0, 1) if length2 > 0 else 0.0
                dx, dy = xs - ax - t * vx, ys - ay - t * vy
                d = np.minimum(d, np.sqrt(dx * dx + dy * dy))
            field = np.maximum(field, np.clip(MNIST_STROKE / 2 + 0.5 - d, 0, 1))
        elif item.get("box"):
            ink = np.reshape(np.asarray(item["ink"], float), (SIDE, SIDE))
            u, v = (box[0] + xs / s) * SIDE - 0.5, (box[1] + ys / s) * SIDE - 0.5  # in the picture's pixels
            x0, y0 = np.floor(u).astype(int), np.floor(v).astype(int)
            fx, fy = u - x0, v - y0
            at = lambda yy, xx: np.where((yy >= 0) & (yy < SIDE) & (xx >= 0) & (xx < SIDE),  # noqa: E731
                                         ink[np.clip(yy, 0, SIDE - 1), np.clip(xx, 0, SIDE - 1)], 0.0)
            sampled = ((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
                       fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1)))
            field = np.maximum(field, sampled)
    ink = field.astype(np.float32)
    top = float(ink.max())
    if top < MIN_INK:
        return None
    ink = (ink.astype(float) / top).astype(np.float32)  # full ink at its strongest
    mass = float(ink.sum(dtype=float))
    cy = float((ink.sum(1, dtype=float) * np.arange(SIDE)).sum()) / mass
    cx = float((ink.sum(0, dtype=float) * np.arange(SIDE)).sum()) / mass
    h, w = (np.ceil((box[3] - box[1]) * s - 1e-6), np.ceil((box[2] - box[0]) * s - 1e-6))
    dy = int(min(max(np.floor(SIDE / 2 - cy + 0.5), 0), SIDE - h))  # rounded as the page's Math.round does
    dx = int(min(max(np.floor(SIDE / 2 - cx + 0.5), 0), SIDE - w))
    out = np.zeros((SIDE, SIDE), np.float32)
    out[dy:, dx:] = ink[: SIDE - dy, : SIDE - dx]
    return out


def to_mnist(value, normalize_stroke: bool = True) -> np.ndarray | None:
    """A drawing as float32 (28, 28) in [0, 1] with ink = 1, or None when nothing is drawn."""
    a = sketch_ink(value)
    if a is None or a.max(initial=0) < MIN_INK:
        return None
    rows, cols = np.nonzero(a.max(1) >= MIN_INK)[0], np.nonzero(a.max(0) >= MIN_INK)[0]
    x = torch.from_numpy(np.ascontiguousarray(a[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]))
    if normalize_stroke:
        x = _fit(x, WORK)
        x = x / x.max()  # a thin pen shrinks to faint grey; bring its peak back to full ink
        x = F.pad(x, (WORK // 8,) * 4)  # room for strokes to grow
        target = MNIST_STROKE * WORK / BOX
        k = round(_stroke_width(x) - target)  # a k x k min/max filter changes the width by about k - 1
        if k >= 2:
            x = -F.max_pool2d(-x[None, None], k + 1, 1, (k + 1) // 2)[0, 0, : x.shape[0], : x.shape[1]]
        elif k <= -2:
            x = F.max_pool2d(x[None, None], 1 - k, 1, (1 - k) // 2)[0, 0, : x.shape[0], : x.shape[1]]
            # A thin pen's anti-aliased line stays grey even after widening: make typical ink full ink.
            x = (x / x[x > MIN_INK].quantile(0.75).clamp(min=MIN_INK)).clamp(0, 1)
        keep = x >= MIN_INK
        if not keep.any():
            return None
        r, c = keep.any(1).nonzero()[:, 0], keep.any(0).nonzero()[:, 0]
        x = x[r[0] : r[-1] + 1, c[0] : c[-1] + 1]
    digit = _fit(x, BOX).clamp(0, 1).numpy()  # longer side 20 px
    digit = digit / max(digit.max(), 1e-6)
    out = np.zeros((SIDE, SIDE), np.float32)
    h, w = digit.shape
    ys, xs = np.arange(h), np.arange(w)
    mass = digit.sum()
    cy, cx = (digit.sum(1) @ ys) / mass, (digit.sum(0) @ xs) / mass
    # Put the centre of mass where MNIST has it (pixel 14, 14), keeping the whole box on the field.
    top = int(np.clip(round(SIDE / 2 - cy), 0, SIDE - h))
    left = int(np.clip(round(SIDE / 2 - cx), 0, SIDE - w))
    out[top : top + h, left : left + w] = digit
    return out
