"""The Draw tab: a canvas the network reads while you draw, one pixel row per time step, in the page itself.

The page makes the 28x28, runs the chosen model and opens shared links (ui/js); the server sends it the models and
the texts, and reads image files for the API (`read_digit`, used by ui/api.py).
"""
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import numpy as np
import torch

import visuals
from evaluate import settle_row
from model import CELLS, DEFAULT_CELL
from texts import TEXTS, text
from ui.canvas import DigitCanvas, ExampleStrip
from ui.common import MINE, T, Readers, Texts, class_probs, drawing, picture_file
from ui.live import Reading, RowPicture, caption_key, specs
from ui import teach
from ui.tables import EMPTY_BELIEF, belief_table

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.png"))
TABS = ("draw", "inside", "train")  # the tabs a shared link may open
KEPT = (MINE, teach.TAUGHT)  # the choices whose model stays in the session: a shared link opens the shipped one
# The texts the page's views fill in themselves (ui/js/on_reading.js, on_picture.js).
READING_TEXTS = ("prediction", "caption", "caption_leaning", "caption_unsure", "empty", "weights_error", "loading",
                 "model_failed", "reader", "mine", "announce", "announce_empty", "shipped_model", "trained_model",
                 "share", "share_copied", "share_select",
                 *(f"{link}_kept_{key}" for link in ("share", "linked") for key in KEPT),
                 *(k for k in TEXTS["en"] if k.startswith("note_")))
PICTURE_TEXTS = ("picture_title", "picture_help", "reading_alt", "belief", "rows_read", "numbers", "col_row", "col_ink",
                 "col_h", "col_top", "col_p", "col_second")


@dataclass
class DrawTab:
    """What other tabs use: the drawing, the answer, whose models and choice they may change, and the session's
    Teaching (the visitor's own labels for their drawings)."""

    canvas: DigitCanvas
    reading: Reading
    teaching: gr.State


def words(probs: np.ndarray, cell: str, hidden: int, lang: str = "en") -> str:
    """The caption of a reading, from its belief per row (28, 10): the answer, how sure, the row it settled at."""
    second, top = (int(d) for d in np.argsort(probs[-1])[-2:])
    said = text(caption_key(probs[-1, top]), lang, top=top, p=probs[-1, top], cell=CELLS[cell].name,
                row=settle_row(probs), h=hidden, second=second, p2=probs[-1, second])
    return said + ("\n\n" + text(f"note_{cell}", lang) if f"note_{cell}" in TEXTS["en"] else "")


@torch.inference_mode()
def read_digit(readers: Readers, image, choice: str = DEFAULT_CELL, mine=None, lang: str = "en"):
    """Read a drawing row by row on the server (the API's /predict): class probabilities, the row-aligned picture,
    the belief per row, a caption."""
    x = drawing(image, lang)
    reader = readers.get(choice, mine)
    warning = f"{text('weights_error', lang)}\n\n" if reader.error else ""
    if x is None:
        return None, None, EMPTY_BELIEF, warning + text("empty", lang)
    cell = reader.model.config.cell
    trace = reader.model.trace(x)
    probs, hidden = trace["probs"][0].numpy(), trace["h"][0].numpy()  # (28, 10), (28, H)
    caption = words(probs, cell, hidden.shape[1], lang)
    picture = picture_file(visuals.reading(x[0].numpy(), hidden, probs), "reading")
    return class_probs(probs[-1]), picture, belief_table(probs), warning + caption


def build(readers: Readers, texts: Texts, mine: gr.State) -> DrawTab:
    """The tab's components and listeners; call inside its gr.Tab."""
    with gr.Row(elem_id="draw-row"):
        with gr.Column(scale=4, min_width=300):
            canvas = texts(DigitCanvas, elem_id="canvas", tabs=TABS,
                           texts={**{k: T(f"canvas_{k}") for k in ("canvas", "hint", "keys", "pen_down", "undo", "clear")},
                                  "bad_link": T("bad_link")})
        with gr.Column(scale=6, min_width=300):
            reading = texts(Reading, texts={k: T(k) for k in (*READING_TEXTS, *teach.READING_TEXTS)},
                            models=specs(readers, None), kept=KEPT, elem_id="reading-panel")
            teaching = teach.build(readers, texts, mine, canvas)  # "Not a 7? It's: ..." right under the answer
    texts(ExampleStrip, EXAMPLES, label=T("examples"), elem_id="examples")
    texts(RowPicture, texts={k: T(k) for k in PICTURE_TEXTS}, elem_id="reading")
    return DrawTab(canvas, reading, teaching)
