"""A drawing surface built for digits, and a strip of MNIST examples that start a drawing.

The page makes the 28x28 the model sees itself (ui/js/mnist28.js) and reads it with the model in the page
(ui/js/cells.js): nothing leaves the page while the pen moves. The canvas's value is that 28x28, as 784 numbers
in [0, 1] (ink = 1), set when the drawing settles (pen-up, Undo, Clear, an example, a link); the server sees it
only when an event takes the canvas as input (How it works, the Train tab's probe).
"""
import base64
import io
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import numpy as np
import torch
from PIL import Image

from ui.live import PageView, on_load

JS = Path(__file__).resolve().parent / "js"
ON_LOAD = on_load("on_canvas.js")  # run with the page's library (ui/live.py)
SIDE = 28

HTML = """
<div class="rbr-pad rbr-empty">
  <p class="rbr-link-note" role="status" hidden></p>
  <div class="rbr-surface">
    <canvas class="rbr-canvas" role="application" tabindex="0" aria-describedby="rbr-hint rbr-keys"></canvas>
    <div class="rbr-cursor" aria-hidden="true" hidden></div>
  </div>
  <p class="rbr-hint" id="rbr-hint"></p>
  <p class="rbr-hint rbr-keys" id="rbr-keys"></p>
  <p class="rbr-sr rbr-pen-state" role="status"></p>
  <div class="rbr-tools"><button type="button" class="rbr-undo"></button><button type="button" class="rbr-clear"></button></div>
</div>
"""
CSS = """
.rbr-pad { max-width: 440px; margin: 0 auto; }
.rbr-canvas { display: block; width: 100%; aspect-ratio: 1; background: #fff; border: 2px solid #6b7280;
              border-radius: 10px; touch-action: none; cursor: crosshair; user-select: none; -webkit-user-select: none; }
.rbr-pad.rbr-empty .rbr-canvas { border-style: dashed; }
.rbr-surface { position: relative; }
.rbr-canvas:focus-visible { outline: 3px solid var(--color-accent); outline-offset: 2px; }
/* The keyboard's pen: a ring the pen's width (pen.js's PEN), filled while its ink is down. */
.rbr-cursor { position: absolute; width: 5.5%; aspect-ratio: 1; transform: translate(-50%, -50%); border-radius: 50%;
              border: 2px solid #1d4ed8; box-shadow: 0 0 0 2px #fff; pointer-events: none; }
.rbr-cursor.rbr-ink { background: rgba(29, 78, 216, 0.45); }
.rbr-sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
          clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.rbr-link-note { margin: 0 0 6px; padding: 6px 10px; border-radius: 8px; background: #fef3c7; color: #78350f; }
.rbr-hint { margin: 6px 0 4px; font-size: 0.9em; color: var(--body-text-color); text-align: center; }
/* A touch screen: the keys' line is for a screen reader and a keyboard, shown once the canvas has the keyboard's
   focus; otherwise out of sight, so the answer and "Not a 7?" stay on the first screen. */
@media (pointer: coarse) {
  .rbr-keys:not(.rbr-pad:has(canvas:focus-visible) .rbr-keys) {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
}
.rbr-tools { display: flex; gap: 8px; }
.rbr-tools button { flex: 1; height: 40px; padding: 0 8px; border-radius: 8px; border: 1px solid var(--border-color-primary);
                    background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color);
                    font-weight: 600; cursor: pointer; }
.rbr-tools button:hover { background: var(--button-secondary-background-fill-hover); }
.rbr-tools button:focus-visible { outline: 3px solid var(--color-accent); outline-offset: 2px; }
"""

STRIP_HTML = """
<div class="rbr-strip" role="group" aria-label="${label}">
  <span class="rbr-strip-title">${label}</span>
  {{#each value}}<button type="button" class="rbr-example" data-src="{{this.src}}" aria-label="${label}: {{this.digit}}"
    title="${label}: {{this.digit}}"><img src="{{this.src}}" alt=""></button>{{/each}}
</div>
"""
STRIP_CSS = """
.rbr-strip { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.rbr-strip-title { flex-basis: 100%; font-size: 0.9em; color: var(--body-text-color); }
.rbr-example { padding: 0; border: 1px solid var(--border-color-primary); border-radius: 6px; background: #000;
               cursor: pointer; line-height: 0; }
.rbr-example img { width: 42px; height: 42px; image-rendering: pixelated; border-radius: 5px; }
.rbr-example:focus-visible { outline: 3px solid var(--color-accent); }
"""
STRIP_JS = (Path(__file__).resolve().parent / "js" / "on_strip.js").read_text()


@dataclass(frozen=True)
class BadDrawing:
    """A canvas value that is not a 28x28 of ink; `key` names the text that says why (texts.py)."""

    key: str


def digit(payload) -> torch.Tensor | BadDrawing | None:
    """The canvas's 28x28 as the model's input, float32 (1, 28, 28) in [0, 1]; None for an empty canvas; BadDrawing
    for anything that is not 784 finite numbers in [0, 1], flat or as 28 rows (what a script may send)."""
    if payload is None or (isinstance(payload, (str, list)) and len(payload) == 0):
        return None
    if not isinstance(payload, list) or len(payload) not in (SIDE, SIDE * SIDE):
        return BadDrawing("bad_drawing_shape")
    flat = [v for row in payload for v in row] if len(payload) == SIDE and all(
        isinstance(row, list) and len(row) == SIDE for row in payload) else payload
    if len(flat) != SIDE * SIDE:
        return BadDrawing("bad_drawing_shape")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in flat):
        return BadDrawing("bad_drawing_numbers")
    try:
        x = np.asarray(flat, np.float64)
    except OverflowError:  # an integer past float64's range (JSON has no limit): far outside [0, 1]
        return BadDrawing("bad_drawing_range")
    if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        return BadDrawing("bad_drawing_range")
    return torch.from_numpy(x.astype(np.float32).reshape(1, SIDE, SIDE))


def data_url(image: np.ndarray) -> str:
    """A uint8 image as a PNG data URL."""
    with io.BytesIO() as buf:
        Image.fromarray(image).save(buf, "PNG")
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def mnist_style(image: Image.Image) -> np.ndarray:
    """A dark-on-light digit picture as MNIST stores one: 28x28, white ink on black."""
    return 255 - np.asarray(image.convert("L").resize((SIDE, SIDE), Image.Resampling.BOX))


class DigitCanvas(PageView):
    """A square canvas to draw one digit on, with Undo and Clear; `texts` holds its words (canvas, hint, undo,
    clear, bad_link). A handler receives the 28x28 the page made (see `digit`). A shared link (ui/js/link.js) is
    opened in the page: its drawing starts the canvas, its tab (one of `tabs`) is shown."""

    def __init__(self, texts: dict[str, str], tabs: tuple[str, ...] = (), **kwargs):
        # Gradio builds a session's copy of a component from its arguments and an update's: props are parameters.
        kwargs = {"html_template": HTML, "css_template": CSS, "js_on_load": ON_LOAD, **kwargs}
        super().__init__(kwargs.pop("value", None), texts=texts, tabs=list(tabs), **kwargs)

    def preprocess(self, payload) -> torch.Tensor | BadDrawing | None:
        return digit(payload)

    def postprocess(self, value):
        return value

    def api_info(self) -> dict:
        return {"type": "array", "items": {"type": "number"},
                "description": "the 28x28 digit the model reads: 784 numbers in [0, 1], ink = 1, row by row"}


class ExampleStrip(gr.HTML):
    """Buttons with MNIST test digits; a click starts a drawing with one (on the page's DigitCanvas, #canvas)."""

    def __init__(self, examples: list[Path], label: str, **kwargs):
        value = [{"digit": p.stem[-1], "src": data_url(mnist_style(Image.open(p)))} for p in examples]
        super().__init__(value, html_template=STRIP_HTML, css_template=STRIP_CSS, js_on_load=STRIP_JS, label=label,
                         **kwargs)
