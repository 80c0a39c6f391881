"""The views the page draws itself, from the model run in the page: the Draw tab's answer and its row-by-row
picture, and How it works' look inside the cell. Their code is in ui/js (on_reading.js, on_picture.js,
on_inside.js, each run with the page's library: ES modules served by Library, imported through page.js);
here are their templates, their styles and what the server tells them: the models' specs and texts."""
import base64
import hashlib
import json
import re
from pathlib import Path

import gradio as gr
import numpy as np
from safetensors.torch import save

import checkpoint
import memory_map
import preprocess
import visuals
from model import CELLS, DEFAULT_CELL, RowReader
from texts import TEXTS
from ui import lesson, tables

JS = Path(__file__).resolve().parent / "js"
# The page's own code, a file per job, each an ES module importing what it uses from the others; page.js, the entry,
# names them all for the views (their js_on_load: on_load). Served as they are by Library, at an address versioned
# by their content.
LIBRARY = ("page.js", "shared.js", "texts.js", "mnist28.js", "cells.js", "reader.js", "pen.js", "painter.js",
           "chart.js", "link.js", "views.js", "memmap.js", "keys.js", "lesson.js")
LIBRARY_FILES = {name: (JS / name).read_bytes() for name in LIBRARY}
LIBRARY_VERSION = hashlib.sha256(b"".join(name.encode() + b"\0" + text for name, text in LIBRARY_FILES.items())).hexdigest()[:12]
# Relative to the page, as the weights' address is (weights_url): the app may be served under a prefix.
LIBRARY_URL = f"rbr/{LIBRARY_VERSION}/page.js"
UNSURE = 0.5  # below this top probability the caption says the model is unsure
SURE = 0.8  # from UNSURE up to this, it names its answer and says it is not sure of it (a dash read as 7 at 58%)


def caption_key(p: float) -> str:
    """The Draw caption for a top probability p: sure, leaning (an answer, not sure of it) or unsure."""
    return "caption" if p >= SURE else "caption_leaning" if p >= UNSURE else "caption_unsure"


def weights_url(path: Path) -> str:
    """Where the page fetches a file of weights (served as it is, cached by the browser; see app.py)."""
    return f"gradio_api/file={path.resolve()}"


def model_spec(model: RowReader, acc: float, describe: str, *, label: str | None = None, label_key: str | None = None,
               url: str | None = None, error: str | None = None, **extra) -> dict:
    """What the page needs to read with `model`: its config, its cell's step (model.Cell.program, compiled) and
    gate names, how to name it (a label, or a text key for one; `describe`, the text key of its one-line description,
    filled in with the spec's own values, `extra` ones included), and its weights: a `url` to fetch, else the
    safetensors bytes in base64."""
    cfg, cell = model.config, CELLS[model.config.cell]
    spec = {"cell": cfg.cell, "name": cell.name, "step": cell.lines, "gates": list(cell.gates),
            "keeper": cell.keeper, "hidden": cfg.hidden_size, "layers": cfg.num_layers, "input": cfg.input_size, "classes": cfg.num_classes,
            "acc": None if np.isnan(acc) else acc, "describe": describe, "label": label, "label_key": label_key,
            "error": error, **extra}
    if f"note_{cfg.cell}" in TEXTS["en"]:
        spec["note"] = f"note_{cfg.cell}"
    if url:
        spec["url"] = url
    else:
        tensors = {k: v.detach().float().cpu().contiguous() for k, v in model.state_dict().items()}
        spec["b64"] = base64.b64encode(save(tensors)).decode()
    return spec


def specs(readers, mine=None) -> dict:
    """Every model the Draw tab can read with, by key: the shipped ones (fetched from weights/ by the page, or an
    untrained stand-in's numbers when their files are damaged) and the session's own trained model, if any."""
    out = {}
    for key, shipped in readers.shipped.items():
        url = None if shipped.error else weights_url(checkpoint.WEIGHTS_DIR / f"{key}.safetensors")
        out[key] = model_spec(shipped.model, shipped.acc, "shipped_model", label=CELLS[key].name, url=url,
                              error=shipped.error, map=shipped.map)
    if mine:  # a ui.common.Trained
        out["mine"] = model_spec(mine.model, mine.acc, "trained_model", label_key="mine", map=mine.map)
    return out


def panels() -> dict:
    """visuals.PANELS as the page paints them: each internal's title, range and colour table (an index into
    `luts`: each table once, 256 RGB as hex)."""
    luts, out = {}, {}
    extra = {"x": ("x (28 px)", 0, 1, visuals.GREY), "p": ("p", 0, 1, visuals.SEQUENTIAL)}
    for name, (title, lo, hi, lut) in {**visuals.PANELS, **extra}.items():
        out[name] = {"title": title, "lo": lo, "hi": hi, "lut": luts.setdefault(lut.tobytes().hex(), len(luts))}
    return {"panels": out, "luts": list(luts)}


def manifest() -> dict:
    """What the page's code shares with Python, from Python: MNIST's recipe for the 28x28 (preprocess.py), the
    colours of the digits (a view's own numbers, such as the caption's thresholds, come with the
    view, from Python too). Versioned by its content."""
    shared = {"mnist": {"side": preprocess.SIDE, "box": preprocess.BOX, "pen": preprocess.MNIST_STROKE,
                        "min_ink": preprocess.MIN_INK},
              "digit_colours": tables.DIGIT_COLOURS, "map_colours": memory_map.COLOURS}
    text = json.dumps(shared, sort_keys=True, separators=(",", ":"))
    return {"version": hashlib.sha256(text.encode()).hexdigest()[:12], **shared}


# What a teacher's link hides or locks, and the view a lesson step points at: classes on the page (ui/js/on_lesson.js),
# so styled here, outside any one view's scope.
LESSON_PAGE_CSS = """
html.rbr-hide-train #train-tab-button, html.rbr-hide-inside #inside-tab-button,
html.rbr-hide-share #reading-panel .rbr-share, html.rbr-hide-share #share-link { display: none !important; }
html.rbr-lock-model #reader, html.rbr-lock-model #inside-model { opacity: 0.6; }
.rbr-lesson-focus { outline: 3px solid #2563eb; outline-offset: 4px; border-radius: 8px; scroll-margin-top: 12px; }
.rbr-lesson-veil { filter: blur(8px); pointer-events: none; }
/* Room to scroll any view clear of the lesson's panel: below it, and on a wide screen a column of its own beside it
   (the panel's width and margins: LESSON_CSS). Gradio writes padding: 0 on the body's own style, hence !important. */
html.rbr-lesson-on body { padding-bottom: 50vh !important; }
@media (min-width: 1200px) { html.rbr-lesson-on body { padding-right: 432px !important; box-sizing: border-box; } }
/* The start button and a refused link's note sit in the Draw tab's answer (moved there by on_lesson.js). */
.rbr-lesson-note { margin: 4px 0; font-size: 0.9em; }
.rbr-lesson-start { padding: 6px 14px; border-radius: 8px; cursor: pointer; font-weight: 600;
                    border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; }
@media (max-width: 640px) { .rbr-lesson-focus { scroll-margin-top: 4px; } }
"""


def shared_json() -> str:
    """The manifest and the panels as the page's library reads them (ui/js/shared.js): JSON, safe inside <script>."""
    text = json.dumps({"manifest": manifest(), "panels": panels()}, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The page's <head> (app.py launches with it), once for the whole page (cached with it: first_paint.PageCache): what
# the library shares with Python, as data (no code), and the library itself, loading while Gradio draws the page
# (the views import the same module: one copy of it runs).
HEAD = f'<script type="application/json" id="rbr-shared">{shared_json()}</script>' + \
    f'<script type="module" id="rbr-library" src="{LIBRARY_URL}"></script>' + \
    f"<style>{LESSON_PAGE_CSS}</style>"


class Library:
    """ASGI middleware (app.py): the page's library files, GET <root>/rbr/<LIBRARY_VERSION>/<file>.js, served from
    memory as JavaScript, cached by the browser for good (a new version is a new address). Any other version or
    file under rbr/ is 404; every other request goes on to the app."""

    PATH = re.compile(r"/rbr/([0-9a-f]{12})/([a-z0-9_]+\.js)$")
    HEADERS = [(b"content-type", b"text/javascript; charset=utf-8"),
               (b"cache-control", b"public, max-age=31536000, immutable"), (b"x-content-type-options", b"nosniff")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        match = self.PATH.search(scope.get("path", "")) if scope["type"] == "http" else None
        if not match or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        version, name = match.groups()
        body = LIBRARY_FILES.get(name) if version == LIBRARY_VERSION else None
        if body is None:
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"text/plain"), (b"content-length", b"9")]})
            return await send({"type": "http.response.body", "body": b"not found" if scope["method"] == "GET" else b""})
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*self.HEADERS, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


def on_load(name: str) -> str:
    """A view's js_on_load: ui/js/`name` run once the page's library has loaded, with R, its entry module (the
    template, comments aside: ui/js/with_library.js, with LIBRARY_URL put in)."""
    template = "".join(line for line in (JS / "with_library.js").read_text().splitlines(True)
                       if not line.startswith("//"))
    return template.replace("LIBRARY_URL", json.dumps(LIBRARY_URL)).replace("/* the view */\n", (JS / name).read_text())


READING_HTML = """
<div class="rbr-reading">
  <div id="prediction" class="rbr-prediction" tabindex="0">
    <span class="rbr-label"></span>
    <div class="rbr-bars"></div>
  </div>
  <div id="caption" class="rbr-caption"></div>
  <p class="rbr-sr" id="announce" role="status"></p>
  <fieldset class="rbr-choice" id="reader"></fieldset>
  <div id="model-name" class="rbr-model-name"></div>
  <p class="rbr-linked-note" id="linked-note" role="status" hidden></p>
  <div class="rbr-share-row">
    <button type="button" class="rbr-share" id="share" disabled></button>
    <span class="rbr-copied" role="status"></span>
  </div>
  <input class="rbr-link" id="share-link" readonly hidden aria-label="link">
  <p class="rbr-share-note" id="share-note" role="status" hidden></p>
</div>
"""
READING_CSS = """
.rbr-prediction { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px;
                  background: var(--block-background-fill); }
.rbr-label { font-size: max(12px, 0.85em); color: var(--body-text-color); }
.rbr-top { font-size: 2.6em; font-weight: 700; line-height: 1.1; text-align: center; }
.rbr-bar { display: grid; grid-template-columns: 1.2em 1fr 3.2em; gap: 8px; align-items: center; margin: 3px 0; }
.rbr-bar-digit { font-weight: 600; }
.rbr-bar-track { height: 12px; border-radius: 6px; background: var(--border-color-primary); overflow: hidden; }
.rbr-bar-fill { display: block; height: 100%; background: #2563eb; }
.rbr-bar-value { text-align: right; font-variant-numeric: tabular-nums; }
.rbr-caption { margin: 8px 0; }
.rbr-sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
          clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.rbr-caption p { margin: 0 0 6px; }
.rbr-choice { border: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 6px; }
.rbr-choice legend { font-size: max(12px, 0.85em); margin-bottom: 4px; padding: 0; }
.rbr-choice label { display: inline-flex; align-items: center; gap: 6px; padding: 6px 12px; cursor: pointer;
                    border: 1px solid var(--border-color-primary); border-radius: 8px; }
.rbr-choice label:has(input:checked) { border-color: #2563eb; background: rgba(37, 99, 235, 0.08); }
.rbr-model-name p, .rbr-share-note, .rbr-linked-note { margin: 4px 0; font-size: 0.9em; }
.rbr-share-row { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; margin-top: 6px; }
/* Whole words on a phone: the row wraps between its parts, never inside a button (分享链 / 接) */
.rbr-share-row > * { white-space: nowrap; }
.rbr-share { padding: 6px 14px; border-radius: 8px; border: 1px solid var(--border-color-primary); cursor: pointer;
             background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color); }
.rbr-share:disabled { cursor: default; opacity: 0.6; }
.rbr-link { width: 100%; margin-top: 6px; padding: 6px; font-size: 0.85em; border-radius: 6px;
            border: 1px solid var(--border-color-primary); background: var(--input-background-fill);
            color: var(--body-text-color); }
"""

PICTURE_HTML = """
<div class="rbr-row-picture" hidden>
  <h4 class="rbr-picture-title"></h4>
  <p class="rbr-picture-help"></p>
  <div class="rbr-panels" role="img"></div>
  <h4 class="rbr-belief-title"></h4>
  <div class="rbr-belief"></div>
  <div class="rbr-picture-numbers"></div>
</div>
"""
# Shared by every row-aligned picture (How it works draws the same panels).
PANELS_CSS = """
.rbr-panels { position: relative; display: flex; flex-wrap: wrap; gap: 16px 8px; align-items: flex-start;
              padding-left: 24px; }
.rbr-gutter { position: absolute; left: 0; top: 0; width: 20px; font-size: 12px; color: var(--body-text-color); }
.rbr-break { display: none; flex-basis: 100%; height: 0; order: 1; }
.rbr-stacked .rbr-break { display: block; }
.rbr-stacked .rbr-wide { order: 2; }
.rbr-gutter span { position: absolute; right: 0; display: flex; align-items: center; }
.rbr-panel { position: relative; }
.rbr-title { height: 15px; font-size: 12px; line-height: 15px; white-space: nowrap; overflow: hidden;
             color: var(--body-text-color); }
.rbr-digits { display: flex; height: 15px; font-size: 12px; line-height: 15px; color: var(--body-text-color); }
.rbr-digits span { flex: 1; text-align: center; }
.rbr-frame { position: relative; line-height: 0; }
.rbr-frame canvas { image-rendering: pixelated; image-rendering: crisp-edges; }
.rbr-mark { position: absolute; left: -4px; right: -4px; height: 2px; background: #dc2626; }
"""
# A picture's numbers as text (R.views.numbers): a <details> with tables, for every view that is a picture.
NUMBERS_CSS = """
.rbr-numbers { margin: 8px 0; font-size: 0.9em; }
.rbr-numbers summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
.rbr-numbers summary:focus-visible { outline: 3px solid var(--color-accent); outline-offset: 2px; }
.rbr-numbers > div { max-height: 420px; overflow: auto; }
.rbr-numbers table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
.rbr-numbers caption { text-align: left; font-weight: 600; padding: 2px 0; }
.rbr-numbers th, .rbr-numbers td { border: 1px solid var(--border-color-primary); padding: 2px 8px; text-align: right;
                                    color: var(--body-text-color); }
"""
PANELS_CSS += NUMBERS_CSS
PICTURE_CSS = PANELS_CSS + """
.rbr-picture-title { margin: 12px 0 2px; }
.rbr-picture-help { margin: 0 0 8px; font-size: 0.9em; }
.rbr-belief-title { margin: 16px 0 4px; }
.rbr-grid { stroke: #d1d5db; }
.rbr-axis, .rbr-end { font-size: 12px; fill: #374151; }
.rbr-end { font-weight: 700; }
"""


class PageView(gr.HTML):
    """A gr.HTML the page's code draws (ui/js). Its props are parameters of its class (Gradio builds a session's copy
    of a component from its arguments and an update's) and go to the page once, under "props": gr.HTML would also
    put each parameter at the top of its config, as an event trigger, which every page load then deep-copies."""

    def get_config(self) -> dict:
        config = super().get_config()
        for name in self.props:
            config.pop(name, None)
        return config


def view(html: str, css: str, js: str, **props) -> dict:
    """gr.HTML's arguments for one of the page's views. Gradio builds a session's copy of a component from its
    arguments and an update's, so every prop is a parameter of the view's class and these are defaults."""
    return {"html_template": html, "css_template": css, "js_on_load": on_load(js), "value": None, **props}


class Reading(PageView):
    """The answer, read in the page: top classes (#prediction), caption (#caption), the model choice (#reader),
    which model reads (#model-name) and Share. `models` (key -> model_spec) and `choice` come from the server;
    `kept`, the choices whose model stays in the session, which a shared link opens with the shipped one of its cell
    instead (#share-note and #linked-note say so)."""

    DEFAULTS = view(READING_HTML, READING_CSS, "on_reading.js", unsure=UNSURE, sure=SURE)

    def __init__(self, texts: dict, models: dict, choice: str = DEFAULT_CELL, kept: tuple = (), **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts, models=models, choice=choice, kept=list(kept))


class RowPicture(PageView):
    """The drawing row by row, as the chosen model reads it: input, hidden state, belief; then the belief as lines."""

    DEFAULTS = view(PICTURE_HTML, PICTURE_CSS, "on_picture.js")

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)


# Play's pace, ms a row. In the template, not a prop: a view drawn first after an update (its tab opened after a
# language switch) gets only the props the update named.
PLAY_MS = 120
INSIDE_HTML = """
<div class="rbr-inside">
  <h4 class="rbr-inside-title"></h4>
  <div class="rbr-inside-controls">
    <fieldset class="rbr-choice" id="inside-model"></fieldset>
    <label class="rbr-row-box"><span class="rbr-row-label"></span> <strong class="rbr-row-value"></strong>
      <input class="rbr-row" id="row" type="range" min="1" max="28" step="1" value="28"></label>
    <button type="button" class="rbr-play" id="play" data-ms="{play_ms}"></button>
  </div>
  <div class="rbr-inside-picture rbr-panels" id="inside" role="img"></div>
  <div class="rbr-inside-words">
    <div class="rbr-inside-bars" id="row-belief"></div>
    <div class="rbr-inside-caption" id="inside-caption" aria-live="polite"></div>
  </div>
  <div class="rbr-inside-panels"></div>
  <div class="rbr-inside-numbers"></div>
</div>
"""
INSIDE_CSS = PANELS_CSS + READING_CSS + """
.rbr-inside-title { margin: 8px 0; }
.rbr-inside-controls { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 8px 20px; margin-bottom: 10px; }
.rbr-inside-controls .rbr-choice { margin: 0; }
.rbr-row-box { flex: 1 1 220px; max-width: 420px; }
.rbr-row { width: 100%; accent-color: #2563eb; }
.rbr-play { padding: 6px 16px; border-radius: 8px; border: 1px solid var(--border-color-primary); cursor: pointer;
            background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color);
            font-weight: 600; }
.rbr-inside-words { display: flex; flex-wrap: wrap; gap: 8px 24px; margin-top: 12px; }
.rbr-inside-bars { flex: 0 1 260px; }
.rbr-inside-bars .rbr-top { font-size: 1.8em; text-align: left; }
.rbr-inside-caption { flex: 1 1 320px; }
.rbr-inside-caption p, .rbr-inside-panels p { margin: 0 0 6px; }
.rbr-inside-panels { font-size: 0.9em; margin-top: 8px; }
"""


class InsideView(PageView):
    """How it works: the chosen cell's every internal, row by row, for the drawing; a row slider and Play."""

    DEFAULTS = view(INSIDE_HTML.replace("{play_ms}", str(PLAY_MS)), INSIDE_CSS, "on_inside.js")

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)


DECIDED_HTML = """
<div class="rbr-decided" hidden>
  <div class="rbr-decided-panels rbr-panels" role="img"></div>
  <p class="rbr-decided-scale"></p>
  <div class="rbr-decided-numbers"></div>
</div>
"""


class DecidedView(PageView):
    """Which rows decided it: the digit, and for each shipped model a bar per row (ui/js/on_decided.js); `data` comes
    from ui/inside.py's decided_view."""

    DEFAULTS = view(DECIDED_HTML, PANELS_CSS + ".rbr-decided-scale { font-size: 0.9em; margin: 6px 0 0; }",
                    "on_decided.js", data=None)

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)


class Caption(PageView):
    """Words the page writes from text keys and numbers (ui/js/on_caption.js): a handler sends `lines` (ui/common.py's
    `say` pieces, paragraph by paragraph) and maybe the numbers of the chart beside it, `table` ({caption, head, rows}:
    the caption and each column name a piece or plain words; shown as a table under the words); `texts` holds every
    key they may name, so a language switch rewrites them in the page, with no handler run again."""

    DEFAULTS = view('<div class="rbr-words" aria-live="polite"></div><div class="rbr-words-numbers"></div>',
                    ".rbr-words p { margin: 0 0 8px; } .rbr-words ul { margin: 0 0 8px; padding-left: 1.2em; }" +
                    NUMBERS_CSS, "on_caption.js", lines=None, table=None)

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)


# The words every map of the memory says (ui/js/memmap.js's figure).
MAP_TEXTS = ("map_panel", "map_path", "map_stayed", "map_elsewhere", "map_settled", "map_alt")
MAPS_HTML = '<div class="rbr-maps"><div class="rbr-map-list"></div></div>'
# Shared by every map of the memory (the Train tab draws them too): side by side, stacked on a phone.
MAPS_CSS = """
.rbr-map-list { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px 16px; }
.rbr-map { margin: 0; min-width: 0; }
.rbr-map figcaption p, .rbr-map-words p { margin: 0 0 4px; }
.rbr-map figcaption, .rbr-map-words { font-size: 0.9em; }
.rbr-map svg { display: block; margin: 4px 0; }
.rbr-map-bg { fill: #fafafa; stroke: #d1d5db; }
.rbr-map-cloud { opacity: 0.55; }
.rbr-map-regions text { font-size: 13px; font-weight: 700; fill: #111; text-anchor: middle; }
.rbr-map-line { fill: none; stroke: #111; stroke-width: 2; stroke-linejoin: round; opacity: 0.85; }
.rbr-map-row { fill: #fff; stroke: #111; stroke-width: 1.2; }
.rbr-map-end { fill: #111; }
.rbr-map-settle { fill: none; stroke: #111; stroke-width: 2.5; stroke-dasharray: 4 2; }
.rbr-map-num { font-size: 12px; font-weight: 600; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
"""


class MapsView(PageView):
    """A map of each model's memory (the shipped ones, one trained here), side by side, and the drawing's path across each (ui/js/on_memmap.js):
    the maps come with the models' specs; a colour per digit with the manifest."""

    DEFAULTS = view(MAPS_HTML, MAPS_CSS, "on_memmap.js")

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)


# Every line chart of the page (ui/js/chart.js): the Train tab's and the lesson's.
CHART_CSS = """
.rbr-chart { margin: 0; min-width: 0; }
.rbr-chart figcaption { font-size: 13px; font-weight: 600; color: var(--body-text-color); }
.rbr-ytitle { font-size: 12px; color: var(--body-text-color); }
.rbr-chart svg { display: block; }
.rbr-grid { stroke: #d1d5db; }
.rbr-mark-line { stroke: #6b7280; stroke-dasharray: 4 3; }
.rbr-axis { font-size: 12px; fill: var(--body-text-color); }
.rbr-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--body-text-color); }
.rbr-legend-title { font-weight: 600; }
.rbr-legend-run i { display: inline-block; width: 14px; height: 3px; margin: 0 5px 3px 0; vertical-align: middle; }
"""


class LineChart(PageView):
    """A view's curves, a line per series, drawn in the page as the Train tab's charts are (ui/js/on_line_chart.js):
    `data` from the view ({first: the row of each curve's first value, lines: {series: values, None for none}}),
    `colours` (series -> colour, every series the chart may show, named in its legend), `axes` (chart.js's ranges),
    `texts` (title, x, y, legend)."""

    DEFAULTS = view("", CHART_CSS, "on_line_chart.js", data=None, elem_classes="rbr-line-chart")
    # A gr.HTML's block is given no min_width (Gradio sets min-width: 0), so in a row beside another block it shrank
    # to a sliver on a phone instead of wrapping below: the page's CSS (app.py) gives it this one.
    PAGE_CSS = ".rbr-line-chart { min-width: min(300px, 100%) !important; }"

    def __init__(self, texts: dict, colours: dict, axes: dict, **kwargs):
        # colours and axes in the template too: a view first drawn after an update (its tab opened after a language
        # switch) gets only the props the update named
        spec = json.dumps({"colours": colours, "axes": axes}).replace("&", "&amp;").replace('"', "&quot;")
        spec = spec.replace("{", "&#123;").replace("}", "&#125;").replace("$", "&#36;")  # no template syntax
        html = f'<figure class="rbr-chart" data-spec="{spec}"></figure><div class="rbr-legend"></div>'
        super().__init__(**{**self.DEFAULTS, "html_template": html, **kwargs}, texts=texts, colours=colours,
                         axes=axes)


def chart_lines(curves: dict[str, np.ndarray], first: int = 1) -> dict:
    """Curves as a LineChart draws them: each from row `first`, rounded; NaN (no value) as None."""
    return {"first": first, "lines": {name: [None if np.isnan(v) else round(float(v), 4) for v in values]
                                      for name, values in curves.items()}}


LESSON_HTML = """
<div class="rbr-lesson">
  <p class="rbr-lesson-note" role="status" hidden></p>
  <button type="button" class="rbr-lesson-start" hidden></button>
  <section class="rbr-lesson-panel" hidden aria-labelledby="lesson-title">
    <div class="rbr-lesson-head">
      <span class="rbr-lesson-count"></span>
      <span><button type="button" class="rbr-lesson-fold" aria-expanded="true"></button>
        <button type="button" class="rbr-lesson-close"><span aria-hidden="true">×</span></button></span>
    </div>
    <h3 class="rbr-lesson-title" id="lesson-title" tabindex="-1"></h3>
    <div class="rbr-lesson-body"></div>
    <fieldset class="rbr-lesson-ask" hidden>
      <legend></legend>
      <div class="rbr-lesson-choices"></div>
      <p class="rbr-lesson-wait"></p>
      <button type="button" class="rbr-lesson-check"></button>
      <div class="rbr-lesson-result" tabindex="-1" role="status"></div>
    </fieldset>
    <div class="rbr-lesson-tally"></div>
    <div class="rbr-lesson-nav">
      <button type="button" class="rbr-lesson-back"></button>
      <button type="button" class="rbr-lesson-next"></button>
    </div>
  </section>
</div>
"""
# Docked at the bottom right of the screen while it runs (across the bottom on a phone), over every tab.
LESSON_CSS = """
.rbr-lesson-panel { position: fixed; right: 16px; bottom: 16px; z-index: 50; width: min(400px, calc(100vw - 32px));
                    max-height: min(70vh, 640px); overflow: auto; padding: 12px 16px; border-radius: 10px;
                    border: 2px solid #2563eb; background: var(--background-fill-primary);
                    color: var(--body-text-color); box-shadow: 0 6px 24px rgba(0, 0, 0, 0.25); }
.rbr-lesson-head { display: flex; justify-content: space-between; align-items: center; font-size: 0.9em; }
.rbr-lesson-close { font-size: 1.4em; line-height: 1; padding: 2px 10px; border: none; background: none;
                    cursor: pointer; color: var(--body-text-color); }
.rbr-lesson-title { margin: 4px 0 6px; }
.rbr-lesson-fold { padding: 2px 8px; border-radius: 6px; font-size: 0.9em; font-weight: normal; border: 1px solid var(--border-color-primary);
                   background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color);
                   cursor: pointer; }
/* Folded: only its first line, so the whole view shows; a tap opens it again. */
.rbr-lesson-folded > :not(.rbr-lesson-head) { display: none; }
.rbr-lesson-body p, .rbr-lesson-result p, .rbr-lesson-tally p { margin: 0 0 6px; }
.rbr-lesson-ask { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
.rbr-lesson-ask legend { font-weight: 700; padding: 0 4px; }
.rbr-lesson-choices { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 8px; }
.rbr-lesson-choice { display: inline-flex; align-items: center; gap: 6px; padding: 6px 10px; cursor: pointer;
                     border: 1px solid var(--border-color-primary); border-radius: 8px; }
.rbr-lesson-choice:has(input:checked) { border-color: #2563eb; background: rgba(37, 99, 235, 0.08); }
.rbr-lesson-truth { border: 2px solid #15803d !important; }
.rbr-lesson-miss { border: 2px dashed #b91c1c !important; }
.rbr-lesson-wait { margin: 0 0 6px; font-size: 0.9em; }
.rbr-lesson-wait[hidden] { display: none; }
.rbr-lesson-check, .rbr-lesson-nav button {
  padding: 6px 14px; border-radius: 8px; cursor: pointer; font-weight: 600;
  border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; }
.rbr-lesson-nav .rbr-lesson-back { background: var(--button-secondary-background-fill);
                                   color: var(--button-secondary-text-color); border-color: var(--border-color-primary); }
.rbr-lesson-panel button:disabled { opacity: 0.55; cursor: default; }
.rbr-lesson-nav { display: flex; justify-content: space-between; margin-top: 8px; }
.rbr-lesson-answers { border-collapse: collapse; font-size: 0.9em; margin: 6px 0; }
.rbr-lesson-answers caption { text-align: left; font-weight: 700; }
.rbr-lesson-answers th, .rbr-lesson-answers td { border: 1px solid var(--border-color-primary); padding: 2px 6px;
                                                 text-align: left; font-weight: normal; }
@media (max-width: 640px) {
  .rbr-lesson-panel { left: 0; right: 0; bottom: 0; width: auto; max-height: 48vh; border-radius: 10px 10px 0 0;
                      padding: 8px 12px; }
}
"""


class LessonView(PageView):
    """The guided lesson (ui/js/on_lesson.js, ui/lesson.py): its steps, its questions' numbers and choices, and
    the fields a teacher's link may set."""

    DEFAULTS = view(LESSON_HTML, LESSON_CSS, "on_lesson.js")

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts, steps=lesson.STEPS, questions=lesson.QUESTIONS,
                         choices=lesson.CHOICES, cells=lesson.CELL_KEYS, fields=lesson.LINK_FIELDS, teacher=lesson.TEACHER)
