"""The How-it-works tab: the chosen cell's gates, cell state and hidden state for the drawing, row by row, and
how much of the answer's error reaches each row."""
import time
from functools import partial

import gradio as gr
import numpy as np
import pandas as pd
import torch

import data
import visuals
from model import CELLS
from texts import text
from train import log_gradients
from ui.common import T, Readers, Texts, class_probs, drawing, line_plot, picture_file
from ui.draw import DrawTab
from ui.tables import gradient_frame

PLAY_STEP_S = 0.12  # between rows when playing


@torch.inference_mode()
def inside_view(readers: Readers, image, choice: str = "lstm", mine: dict | None = None, row: int = 28,
                lang: str = "en"):
    """The cell's internals for a drawing, revealed up to `row`: picture, belief at that row, caption, title, key."""
    model = readers.get(choice, mine).model
    cell = CELLS[model.config.cell]
    key = model.config.cell
    title, panels = text("inside_title", lang, cell=cell.name), text(f"panels_{key}", lang)
    x = drawing(image)
    if x is None:
        return None, None, text("empty", lang), title, panels
    row = int(np.clip(row, 1, 28))
    trace = model.trace(x)
    maps = {k: trace[k][0].numpy() for k in (*cell.gates, "h")}  # each (28, H)
    probs = trace["probs"][0].numpy()  # (28, 10)
    means = {k: float(trace[k][0, row - 1].mean()) for k in cell.gates if k not in ("candidate", "c")}
    low = {}
    if cell.keeper:
        per_row = trace[cell.keeper][0].mean(1)  # (28,)
        low = {"row": int(per_row.argmin()) + 1, "value": float(per_row.min())}
    top = int(probs[row - 1].argmax())
    caption = text("inside_caption", lang, row=row, cell=cell.name, top=top, p=probs[row - 1, top],
                   gates=text(f"gates_{key}", lang, **means) + text(f"low_{key}", lang, **low))
    picture = picture_file(visuals.inside(x[0].numpy(), maps, probs, row), "inside")
    return picture, class_probs(probs[row - 1]), caption, title, panels


def play(readers: Readers, image, choice: str = "lstm", mine: dict | None = None, lang: str = "en"):
    """Reveal the drawing row by row, as the network read it."""
    for row in range(1, 29):
        yield row, *inside_view(readers, image, choice, mine, row, lang)
        time.sleep(PLAY_STEP_S)


class TestDigitGradients:
    """Each shipped model's mean log gradient per row over the first 256 MNIST test digits, computed once MNIST
    can be read (until then an empty table, and the next call tries again)."""

    def __init__(self, readers: Readers):
        self.readers, self.frame = readers, None

    def __call__(self) -> pd.DataFrame:
        if self.frame is None:
            try:
                mnist = data.load_mnist()
            except data.DataMissing:
                return gradient_frame({})
            x, y = mnist.test_x[:256].float() / 255, mnist.test_y[:256]
            self.frame = gradient_frame({CELLS[c].name: log_gradients(s.model, x, y)
                                         for c, s in self.readers.shipped.items()})
        return self.frame


def gradient_view(readers: Readers, over_test_digits: TestDigitGradients, image, mine: dict | None = None,
                  lang: str = "en"):
    """How much of the answer's error reaches each row, for this drawing and over test digits, per model."""
    x = drawing(image)
    models = {CELLS[c].name: s.model for c, s in readers.shipped.items()}
    if mine:
        models[text("mine", lang)] = mine["model"]
    drawn = gradient_frame({} if x is None else {name: log_gradients(m, x) for name, m in models.items()})
    return drawn, over_test_digits()


def build(readers: Readers, texts: Texts, lang: gr.Radio, mine: gr.State, draw: DrawTab, tab: gr.Tab) -> None:
    """The tab's components and listeners; call inside its gr.Tab (`tab`)."""
    texts(gr.Markdown, T("lesson"))
    with gr.Row(equal_height=True):
        with gr.Column(scale=3):
            row_slider = texts(gr.Slider, 1, 28, value=28, step=1, label=T("row_slider"), elem_id="row")
            play_button = texts(gr.Button, T("play"), size="sm", elem_id="play")
            caption = gr.Markdown(elem_id="inside-caption")
        row_label = gr.Label(num_top_classes=3, show_label=False, elem_id="row-belief", scale=1, min_width=220)
    title = gr.Markdown(text("inside_title", cell="LSTM"))
    picture = texts(gr.Image, show_label=False, type="filepath", interactive=False, height=470, elem_id="inside",
                    elem_classes="reading", buttons=["download", "fullscreen"], alt_text=T("inside_alt"))
    panels = gr.Markdown(text("panels_lstm"))
    texts(gr.Markdown, T("grad_title"))
    texts(gr.Markdown, T("grad_text"))
    with gr.Row():
        grad_drawn = texts(line_plot, x="row", y="log10 gradient", color="model", height=280, x_lim=[1, 28],
                           label=T("grad_digit"), y_title=T("grad_y"), x_title=T("row"),
                           color_title=T("legend_model"), elem_id="grad-digit")
        grad_test = texts(line_plot, x="row", y="log10 gradient", color="model", height=280, x_lim=[1, 28],
                          label=T("grad_test"), y_title=T("grad_y"), x_title=T("row"), color_title=T("legend_model"))

    view = partial(inside_view, readers)
    inputs, outputs = [draw.canvas, draw.choice, mine, row_slider, lang], [picture, row_label, caption, title, panels]
    tab.select(view, inputs, outputs, api_name="inside", show_progress="hidden")
    tab.select(partial(gradient_view, readers, TestDigitGradients(readers)), [draw.canvas, mine, lang],
               [grad_drawn, grad_test], api_name="gradients", show_progress="hidden")
    row_slider.input(view, inputs, outputs, api_visibility="private", show_progress="hidden",
                     trigger_mode="always_last")
    play_button.click(partial(play, readers), [draw.canvas, draw.choice, mine, lang], [row_slider, *outputs],
                      api_visibility="private", show_progress="hidden")
    lang.change(view, inputs, outputs, api_visibility="private", show_progress="hidden")
