"""Drawn digits, held out from training: pen strokes rendered on an 800x800 canvas, the way people draw.

Each digit comes from hand-written stroke templates (several styles per digit), jittered, slanted, rotated
and squeezed, drawn at 15% to 90% of the canvas, anywhere on it, with strokes from 3 px to a 50 px brush, on
a transparent layer, white paper, black paper or in colour. The tests and the benchmarks both draw from here
(benchmarks/drawn_accuracy.py measures the shipped models on them; benchmarks/canvas_accuracy.py draws the
same strokes with the mouse on the app's canvas). Never used for training.
"""

import numpy as np
from PIL import Image, ImageDraw

CANVAS = 800
# Strokes as (x, y) control points in a unit box, y down; several styles per digit.
TEMPLATES: dict[int, list[list[list[tuple[float, float]]]]] = {
    0: [[[(0.5, 0), (0.15, 0.2), (0.1, 0.5), (0.2, 0.85), (0.5, 1), (0.8, 0.85), (0.9, 0.5), (0.8, 0.15), (0.5, 0), (0.4, 0.05)]],
        [[(0.6, 0.02), (0.3, 0.1), (0.12, 0.45), (0.25, 0.9), (0.55, 1), (0.85, 0.75), (0.85, 0.3), (0.6, 0.02)]]],
    1: [[[(0.5, 0), (0.5, 1)]],
        [[(0.25, 0.22), (0.55, 0), (0.55, 1)]],
        [[(0.3, 0.2), (0.55, 0), (0.55, 1)], [(0.3, 1), (0.8, 1)]]],
    2: [[[(0.15, 0.25), (0.3, 0.05), (0.55, 0), (0.8, 0.12), (0.82, 0.35), (0.6, 0.6), (0.1, 1), (0.9, 1)]],
        [[(0.1, 0.2), (0.45, 0), (0.85, 0.2), (0.7, 0.5), (0.15, 0.95), (0.3, 0.9), (0.6, 0.95), (0.9, 0.92)]]],
    3: [[[(0.15, 0.12), (0.5, 0), (0.82, 0.12), (0.8, 0.32), (0.45, 0.48), (0.8, 0.6), (0.85, 0.82), (0.6, 1), (0.3, 1), (0.1, 0.88)]],
        [[(0.15, 0), (0.85, 0), (0.45, 0.38), (0.8, 0.52), (0.85, 0.8), (0.55, 1), (0.15, 0.9)]]],
    4: [[[(0.62, 0), (0.08, 0.66), (0.92, 0.66)], [(0.66, 0.3), (0.66, 1)]],
        [[(0.2, 0), (0.15, 0.55), (0.88, 0.55)], [(0.72, 0), (0.72, 1)]]],
    5: [[[(0.82, 0), (0.25, 0)], [(0.25, 0), (0.2, 0.45), (0.5, 0.38), (0.8, 0.5), (0.85, 0.75), (0.6, 1), (0.3, 1), (0.1, 0.88)]],
        [[(0.85, 0.02), (0.25, 0), (0.2, 0.42), (0.55, 0.38), (0.85, 0.6), (0.75, 0.92), (0.4, 1), (0.12, 0.9)]]],
    6: [[[(0.72, 0), (0.4, 0.2), (0.2, 0.5), (0.15, 0.75), (0.3, 0.97), (0.6, 1), (0.82, 0.8), (0.75, 0.58), (0.5, 0.5), (0.25, 0.6), (0.17, 0.75)]],
        [[(0.6, 0), (0.25, 0.35), (0.18, 0.7), (0.4, 1), (0.75, 0.92), (0.8, 0.65), (0.5, 0.52), (0.2, 0.7)]]],
    7: [[[(0.1, 0), (0.9, 0), (0.4, 1)]],
        [[(0.1, 0.05), (0.9, 0), (0.6, 0.45), (0.45, 1)], [(0.35, 0.5), (0.8, 0.48)]],
        [[(0.12, 0.15), (0.15, 0), (0.88, 0), (0.55, 0.5), (0.45, 1)]]],
    8: [[[(0.55, 0.47), (0.22, 0.3), (0.3, 0.05), (0.5, 0), (0.72, 0.06), (0.78, 0.25), (0.5, 0.48), (0.2, 0.7), (0.25, 0.94), (0.5, 1), (0.76, 0.94), (0.8, 0.7), (0.5, 0.47)]],
        [[(0.5, 0), (0.25, 0.12), (0.28, 0.36), (0.5, 0.46), (0.72, 0.36), (0.75, 0.12), (0.5, 0)],
         [(0.5, 0.46), (0.2, 0.6), (0.18, 0.88), (0.5, 1), (0.82, 0.88), (0.8, 0.6), (0.5, 0.46)]]],
    9: [[[(0.8, 0.22), (0.6, 0.03), (0.35, 0.04), (0.2, 0.25), (0.35, 0.46), (0.62, 0.45), (0.8, 0.22), (0.8, 0.6), (0.72, 1)]],
        [[(0.78, 0.12), (0.5, 0), (0.22, 0.18), (0.3, 0.42), (0.6, 0.4), (0.78, 0.12), (0.78, 1)]]],
}


def _smooth(points: np.ndarray, per_segment: int = 12) -> np.ndarray:
    """Catmull-Rom spline through the control points, as a pen would pass through them."""
    if len(points) < 3:
        return points
    p = np.vstack([points[0], points, points[-1]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3))
    return np.vstack(out + [points[-1:]])


def strokes(digit: int, rng: np.random.Generator) -> tuple[list[np.ndarray], float, float]:
    """A random style of `digit` as canvas-pixel polylines, with its stroke width and the digit's height."""
    style = TEMPLATES[digit][rng.integers(len(TEMPLATES[digit]))]
    angle, slant = rng.uniform(-0.2, 0.2), rng.uniform(-0.3, 0.15)
    squeeze = rng.uniform(0.55, 1.05)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shaped = []
    for s in style:
        p = np.array(s, float) + rng.normal(0, 0.025, (len(s), 2))
        p = _smooth(p)
        p = (p - 0.5) * [squeeze, 1.0]
        p[:, 0] += slant * -p[:, 1]
        shaped.append(p @ rot.T)
    allp = np.vstack(shaped)
    lo, hi = allp.min(0), allp.max(0)
    height = rng.uniform(0.15, 0.9) * CANVAS
    scale = height / max(hi[1] - lo[1], 1e-6)
    size = (hi - lo) * scale
    if size[0] > 0.9 * CANVAS:  # very wide shapes: shrink to fit
        scale *= 0.9 * CANVAS / size[0]
        size = (hi - lo) * scale
    origin = rng.uniform(0, 1, 2) * (CANVAS - size)
    width = rng.uniform(3, min(50, max(4.0, 0.25 * size[1])))
    return [(p - lo) * scale + origin for p in shaped], width, size[1]


def render(digit: int, rng: np.random.Generator, mode: str | None = None, writer: str | None = None):
    """A drawn `digit` in one of the forms the app receives: a Sketchpad dict or a plain image; `writer` (a key
    of WRITERS) bends the strokes that writer's way."""
    lines, width, _ = strokes(digit, rng)
    if writer is not None:
        lines = restyle(lines, WRITERS[writer])
    mode = mode or rng.choice(["sketchpad", "white", "black", "transparent", "colour"])
    ink_colour = {"white": 0, "sketchpad": (0, 0, 0, 255), "transparent": (20, 20, 20, 255), "black": 255,
                  "colour": tuple(int(c) for c in rng.integers(0, 160, 3))}[mode]
    size = (CANVAS, CANVAS)
    canvas = {"white": Image.new("L", size, 255), "black": Image.new("L", size, 0),
              "colour": Image.new("RGB", size, (250, 248, 240))}.get(mode) or Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    r = width / 2
    for line in lines:
        pts = [tuple(map(float, q)) for q in line]
        draw.line(pts, fill=ink_colour, width=max(1, round(width)), joint="curve")
        for x, y in (pts[0], pts[-1]):  # round caps, as a brush leaves
            draw.ellipse((x - r, y - r, x + r, y + r), fill=ink_colour)
    if mode == "sketchpad":  # what gr.Sketchpad(type="numpy") hands a handler: opaque composite, strokes in a layer
        layer = np.asarray(canvas)
        white = Image.new("RGBA", size, (255, 255, 255, 255))
        composite = np.asarray(Image.alpha_composite(white, canvas))
        return {"background": np.asarray(white), "layers": [layer], "composite": composite}
    return np.asarray(canvas)


def dataset(n: int = 1000, seed: int = 2026):
    """The held-out set: n drawn digits (n / 10 of each class) and their labels."""
    rng = np.random.default_rng(seed)
    labels = [d for d in range(10) for _ in range(n // 10)]
    return [render(d, rng) for d in labels], np.array(labels)


# Writers with one consistent style, the same 2x2 map (x right, y down) applied to every digit they draw, on top
# of strokes()' own jitter. Each is read <= 65% right by the shipped LSTM (benchmarks/teach.py measures it).
WRITERS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "tilted": ((0.5, -0.866), (0.866, 0.5)),  # the whole digit turned 60 degrees clockwise
    "backhand": ((1.0, 1.3), (0.0, 1.0)),  # leaning hard to the left: x shifts right by 1.3 x the drop
    "narrow": ((0.3, 0.0), (0.0, 1.0)),  # a third of the usual width
    "mirrored": ((-1.0, 0.0), (0.0, 1.0)),  # left and right swapped, as a child may write
}


def restyle(lines: list[np.ndarray], shape) -> list[np.ndarray]:
    """Polylines mapped by the 2x2 `shape` about their centre, shrunk only if they no longer fit the canvas."""
    allp = np.vstack(lines)
    centre = (allp.min(0) + allp.max(0)) / 2
    out = [(p - centre) @ np.asarray(shape, float).T for p in lines]
    allp = np.vstack(out)
    scale = min(1.0, 0.95 * CANVAS / max(np.ptp(allp, 0).max(), 1e-6))
    lo, hi = allp.min(0) * scale, allp.max(0) * scale
    centre = np.clip(centre, -lo, CANVAS - hi)  # stays where it was drawn, as far as the canvas allows
    return [p * scale + centre for p in out]


def writer_set(writer: str, n: int, seed: int):
    """n digits (n / 10 of each class, in order 0-9, 0-9...) drawn by `writer`, and their labels."""
    rng = np.random.default_rng(seed)
    labels = [i % 10 for i in range(n)]
    return [render(d, rng, writer=writer) for d in labels], np.array(labels)
