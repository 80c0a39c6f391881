"""A drawing surface built for digits, and a strip of MNIST examples that start a drawing.

Gradio's Sketchpad waits ~0.7 s after a stroke and uploads three layer images before an event is queued;
this canvas sends a 140x140 PNG about ten times a second while the pen moves (pointer events: mouse, touch
and pen), so the reading follows the pen. Its value is that PNG as a data URL ("" when empty).
"""
import base64
import io
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
MAX_VALUE = 2_000_000  # characters: a 140x140 PNG is a few thousand; anything near this is not from the canvas

HTML = """
<div class="rbr-pad rbr-empty">
  <canvas class="rbr-canvas" role="img" aria-describedby="rbr-hint"></canvas>
  <p class="rbr-hint" id="rbr-hint"></p>
  <div class="rbr-tools"><button type="button" class="rbr-undo"></button><button type="button" class="rbr-clear"></button></div>
</div>
"""
CSS = """
.rbr-pad { max-width: 440px; margin: 0 auto; }
.rbr-canvas { display: block; width: 100%; aspect-ratio: 1; background: #fff; border: 2px solid #9ca3af;
              border-radius: 10px; touch-action: none; cursor: crosshair; user-select: none; -webkit-user-select: none; }
.rbr-pad.rbr-empty .rbr-canvas { border-style: dashed; }
.rbr-hint { margin: 6px 0 4px; font-size: 0.9em; color: var(--body-text-color-subdued); text-align: center; }
.rbr-tools { display: flex; gap: 8px; }
.rbr-tools button { flex: 1; height: 40px; padding: 0 8px; border-radius: 8px; border: 1px solid var(--border-color-primary);
                    background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color);
                    font-weight: 600; cursor: pointer; }
.rbr-tools button:hover { background: var(--button-secondary-background-fill-hover); }
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
.rbr-strip-title { flex-basis: 100%; font-size: 0.9em; color: var(--body-text-color-subdued); }
.rbr-example { padding: 0; border: 1px solid var(--border-color-primary); border-radius: 6px; background: #000;
               cursor: pointer; line-height: 0; }
.rbr-example img { width: 42px; height: 42px; image-rendering: pixelated; border-radius: 5px; }
.rbr-example:focus-visible { outline: 3px solid var(--color-accent); }
"""
STRIP_JS = """
element.addEventListener('click', e => {
  const button = e.target.closest('.rbr-example');
  const pad = document.querySelector('#canvas .rbr-pad');
  if (button && pad) pad.dispatchEvent(new CustomEvent('rbr-start', {detail: button.dataset.src}));
});
"""


def data_url(image: np.ndarray) -> str:
    """A uint8 image as a PNG data URL."""
    with io.BytesIO() as buf:
        Image.fromarray(image).save(buf, "PNG")
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def mnist_style(image: Image.Image) -> np.ndarray:
    """A dark-on-light digit picture as MNIST stores one: 28x28, white ink on black."""
    return 255 - np.asarray(image.convert("L").resize((28, 28), Image.Resampling.BOX))


class DigitCanvas(gr.HTML):
    """A square canvas to draw one digit on, with Undo and Clear; `texts` holds its words (canvas, hint, undo,
    clear). A handler receives the drawing as PNG bytes, or None when the canvas is empty."""

    def __init__(self, texts: dict[str, str], **kwargs):
        super().__init__("", html_template=HTML, css_template=CSS, js_on_load=(HERE / "canvas.js").read_text(),
                         texts=texts, **kwargs)

    def preprocess(self, payload: str | None) -> bytes | None:
        """The PNG bytes of a data URL; None for an empty canvas; gr.Error for anything else."""
        if not payload:
            return None
        head, _, body = str(payload).partition(",")
        if len(payload) > MAX_VALUE or not head.startswith("data:image/") or not head.endswith(";base64"):
            raise gr.Error("The drawing must be a base64 image data URL of at most 2 MB.", print_exception=False)
        try:
            return base64.b64decode(body, validate=True)
        except ValueError:
            raise gr.Error("The drawing's data URL is not valid base64.", print_exception=False) from None

    def api_info(self) -> dict:
        return {"type": "string", "description": "a PNG data URL, or an empty string for an empty canvas"}


class ExampleStrip(gr.HTML):
    """Buttons with MNIST test digits; a click starts a drawing with one (on the page's DigitCanvas, #canvas)."""

    def __init__(self, examples: list[Path], label: str, **kwargs):
        value = [{"digit": p.stem[-1], "src": data_url(mnist_style(Image.open(p)))} for p in examples]
        super().__init__(value, html_template=STRIP_HTML, css_template=STRIP_CSS, js_on_load=STRIP_JS, label=label,
                         **kwargs)
