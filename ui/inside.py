"""The How-it-works tab: the chosen cell's gates, cell state and hidden state for the drawing, row by row; which rows
decided the answer; how long each cell remembers a row; how much of the error signal reaches each row."""
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
from ui.probes import decisive_rows, memory, relative_log_gradients, row_importance
from ui.tables import GRAD_Y, MEMORY_Y, gradient_frame, memory_frame

PLAY_STEP_S = 0.12  # between rows when playing
# One colour per cell on every lesson chart (the LSTM's cell state a lighter shade of its hidden state's).
COLOURS = {"LSTM": "#4e79a7", "GRU": "#f28e2b", "RNN": "#e15759"}
STATE_COLOURS = {"LSTM h": "#4e79a7", "LSTM c": "#a0cbe8", "GRU h": "#f28e2b", "RNN h": "#e15759"}
# Brings the picture into view when Play starts, so the rows it reveals are seen (the slider sits beside it).
SHOW_PICTURE = "() => document.querySelector('#inside')?.scrollIntoView({behavior: 'smooth', block: 'center'})"


@torch.inference_mode()
def inside_view(readers: Readers, image, choice: str = "lstm", mine: dict | None = None, row: int = 28,
                lang: str = "en"):
    """The cell's internals for a drawing, revealed up to `row`: picture, belief at that row, caption, title, key."""
    model = readers.get(choice, mine).model
    key = model.config.cell
    cell = CELLS[key]
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


def where(runs: list[tuple[int, int]], x: np.ndarray, lang: str) -> str:
    """Whether rows lie at the top, middle or bottom of the digit's ink (x is (28, 28))."""
    ink = np.nonzero(x.max(1) > 0.15)[0] + 1
    centre = np.mean([(a + b) / 2 for a, b in runs])
    part = (centre - ink[0]) / max(ink[-1] - ink[0], 1)
    return text("where_top" if part < 1 / 3 else "where_middle" if part < 2 / 3 else "where_bottom", lang)


def decided_view(readers: Readers, image, lang: str = "en"):
    """For each shipped model: the rows its answer rests on (blanked one at a time), as a picture and a caption."""
    x = drawing(image)
    if x is None:
        return None, text("empty", lang)
    drops, answers, lines = {}, {}, []
    for key, shipped in readers.shipped.items():
        name = CELLS[key].name
        answers[name], drops[name] = row_importance(shipped.model, x)
        runs = decisive_rows(drops[name])
        rows = text("rows_one" if runs and runs == [(runs[0][0],) * 2] else "rows_many", lang,
                    rows=", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs))
        lines.append(text("decided_rows", lang, cell=name, top=answers[name], rows=rows,
                          where=where(runs, x[0].numpy(), lang)) if runs
                     else text("decided_none", lang, cell=name, top=answers[name]))
    return picture_file(visuals.row_bars(x[0].numpy(), drops, answers), "rows"), " ".join(lines)


def no_lines(names) -> dict[str, np.ndarray]:
    """Every series a chart can show, with no points yet: a LinePlot works out its series from its first data, so
    each chart names all of them from the start."""
    return {name: np.full(28, np.nan) for name in names}


def memory_view(readers: Readers, image, row: int = 8, change: str = "invert", lang: str = "en"):
    """How much of a change to one row each shipped model still holds at every later row: table and caption."""
    x = drawing(image)
    if x is None:
        return memory_frame(no_lines(STATE_COLOURS)), text("empty", lang)
    row = int(np.clip(row, 1, 28))
    curves, kept = {}, {}
    for key, shipped in readers.shipped.items():
        held = memory(shipped.model, x, row, change)
        if held is None:
            return memory_frame(no_lines(STATE_COLOURS)), text("memory_nothing", lang, row=row)
        for state, share in held.items():
            curves[f"{CELLS[key].name} {state}"] = share
            kept[(key, state)] = float(share[-1])
    caption = text("memory_caption", lang, row=row, kept=", ".join(
        text("memory_kept", lang, cell=CELLS[k].name, state=s, share=v) for (k, s), v in kept.items()))
    if kept.get(("rnn", "h"), 0) > kept.get(("lstm", "h"), np.inf):
        caption += text("memory_against", lang)
    return memory_frame(curves), caption


def words_only(view, *inputs):
    """A view's outputs with only its last one, the caption, filled in."""
    *pictures, caption = view(*inputs)
    return *(gr.skip() for _ in pictures), caption


class TestDigitGradients:
    """Each shipped model's mean log gradient per row over the first 256 MNIST test digits, computed once MNIST
    can be read (until then None, and the next call tries again)."""

    def __init__(self, readers: Readers):
        self.readers, self.curves = readers, None

    def __call__(self) -> dict[str, np.ndarray] | None:
        if self.curves is None:
            try:
                mnist = data.load_mnist()
            except data.DataMissing:
                return None
            x, y = mnist.test_x[:256].float() / 255, mnist.test_y[:256]
            self.curves = {CELLS[c].name: log_gradients(s.model, x, y) for c, s in self.readers.shipped.items()}
        return self.curves


def gradient_view(readers: Readers, over_test_digits: TestDigitGradients, image,
                  lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """How much of the error signal reaches each row relative to row 28, for this drawing and over test digits,
    for each shipped cell (a model trained on the Train tab has its own gradient chart there)."""
    x = drawing(image)
    models = {CELLS[c].name: s.model for c, s in readers.shipped.items()}
    drawn = no_lines(models) if x is None else {n: relative_log_gradients(log_gradients(m, x)) for n, m in models.items()}
    test = {name: relative_log_gradients(g) for name, g in (over_test_digits() or no_lines(models)).items()}
    falls = "; ".join(text("grad_fall", lang, cell=name, decades=g[0], share=f"{10 ** g[0]:.2g}")
                      for name, g in test.items())
    caption = text("grad_caption", lang, falls=falls) if over_test_digits.curves else text("grad_no_mnist", lang)
    if over_test_digits.curves and test.get("RNN", [-np.inf])[0] > test.get("LSTM", [np.inf])[0]:
        caption += text("grad_against", lang)
    return gradient_frame(drawn), gradient_frame(test), caption


def build(readers: Readers, texts: Texts, lang: gr.Radio, mine: gr.State, draw: DrawTab, tab: gr.Tab) -> None:
    """The tab's components and listeners; call inside its gr.Tab (`tab`)."""
    texts(gr.Markdown, T("lesson"))
    title = gr.Markdown(text("inside_title", cell="LSTM"))
    with gr.Row():
        with gr.Column(scale=2, min_width=260):
            row_slider = texts(gr.Slider, 1, 28, value=28, step=1, label=T("row_slider"), elem_id="row")
            play_button = texts(gr.Button, T("play"), size="sm", elem_id="play")
            row_label = gr.Label(num_top_classes=3, show_label=False, elem_id="row-belief")
            caption = gr.Markdown(elem_id="inside-caption")
        with gr.Column(scale=5):
            picture = texts(gr.Image, show_label=False, type="filepath", interactive=False, height=380,
                            elem_id="inside", elem_classes="reading", buttons=["download", "fullscreen"],
                            alt_text=T("inside_alt"))
            panels = gr.Markdown(text("panels_lstm"))

    texts(gr.Markdown, T("decided_title"))
    texts(gr.Markdown, T("decided_text"))
    decided_caption = gr.Markdown(elem_id="decided-caption")
    decided = texts(gr.Image, show_label=False, type="filepath", interactive=False, height=390, elem_id="decided",
                    elem_classes="reading", buttons=["download", "fullscreen"], alt_text=T("decided_alt"))

    texts(gr.Markdown, T("memory_title"))
    texts(gr.Markdown, T("memory_text"))
    with gr.Row():
        with gr.Column(scale=2, min_width=260):
            memory_row = texts(gr.Slider, 1, 28, value=8, step=1, label=T("memory_row"), elem_id="memory-row")
            change = texts(gr.Radio, [(T("invert"), "invert"), (T("blank"), "blank")], value="invert",
                           label=T("memory_change"), elem_id="memory-change")
            memory_caption = gr.Markdown(elem_id="memory-caption")
        memory_plot = texts(line_plot, value=memory_frame(no_lines(STATE_COLOURS)), x="row", y="share kept",
                            color="state", color_map=STATE_COLOURS, height=300, x_lim=[1, 28],
                            label=T("memory_plot"), x_title=T("row"), y_title=MEMORY_Y,
                            color_title=T("legend_state"), elem_id="memory-plot", scale=5)

    texts(gr.Markdown, T("grad_title"))
    texts(gr.Markdown, T("grad_text"))
    with gr.Row():
        no_gradients = gradient_frame(no_lines(COLOURS))
        grad_drawn = texts(line_plot, value=no_gradients, x="row", y="log10 gradient", color="model",
                           color_map=COLOURS, height=280, x_lim=[1, 28], min_width=300,
                           label=T("grad_digit"), y_title=GRAD_Y, x_title=T("row"), color_title=T("legend_model"),
                           elem_id="grad-digit")
        grad_test = texts(line_plot, value=no_gradients, x="row", y="log10 gradient", color="model",
                          color_map=COLOURS, height=280, x_lim=[1, 28], min_width=300,
                          label=T("grad_test"), y_title=GRAD_Y, x_title=T("row"), color_title=T("legend_model"))
    grad_caption = gr.Markdown(elem_id="grad-caption")

    private = {"api_visibility": "private", "show_progress": "hidden"}
    view = partial(inside_view, readers)
    inputs, outputs = [draw.canvas, draw.choice, mine, row_slider, lang], [picture, row_label, caption, title, panels]
    decide = (partial(decided_view, readers), [draw.canvas, lang], [decided, decided_caption])
    remember = (partial(memory_view, readers), [draw.canvas, memory_row, change, lang], [memory_plot, memory_caption])
    gradients = (partial(gradient_view, readers, TestDigitGradients(readers)), [draw.canvas, lang],
                 [grad_drawn, grad_test, grad_caption])
    for fn, ins, outs in ((view, inputs, outputs), decide, remember, gradients):
        tab.select(fn, ins, outs, **private)
    # A language switch redoes the words only: a plot given data while its tab is hidden would draw nothing.
    lang.change(view, inputs, outputs, **private)
    for fn, ins, outs in (decide, remember, gradients):
        lang.change(partial(words_only, fn), ins, outs, **private)
    row_slider.input(view, inputs, outputs, trigger_mode="always_last", **private)
    memory_row.input(*remember, trigger_mode="always_last", **private)
    change.input(*remember, **private)
    play_button.click(None, js=SHOW_PICTURE).then(partial(play, readers), [draw.canvas, draw.choice, mine, lang],
                                                  [row_slider, *outputs], **private)
