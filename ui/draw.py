"""The Draw tab: a canvas read by the network while you draw, one pixel row per time step."""
import base64
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import gradio as gr
import numpy as np
import torch

import visuals
from model import CELLS
from texts import text
from ui.canvas import DigitCanvas, ExampleStrip, data_url
from ui.common import T, Readers, Texts, class_probs, drawing, line_plot, picture_file
from ui.tables import EMPTY_BELIEF, belief_frame, settle_row

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.png"))
UNSURE = 0.5  # below this top probability the caption says the model is unsure
# The answer for keyboard and screen-reader users: the prediction can be tabbed to, and the caption (the answer in
# words) is announced whenever it changes.
ANNOUNCE = """() => {
  document.querySelector('#prediction')?.setAttribute('tabindex', '0');
  document.querySelector('#caption')?.setAttribute('aria-live', 'polite');
}"""
TABS = ("draw", "inside", "train")  # the tabs a shared link may open


@dataclass
class DrawTab:
    """What other tabs use: the drawing, the model chosen to read it, and how to show a new reading."""

    canvas: DigitCanvas
    choice: gr.Radio
    model_md: gr.Markdown
    reading: list  # read_digit's outputs


@torch.inference_mode()
def read_digit(readers: Readers, image, choice: str = "lstm", mine: dict | None = None, lang: str = "en"):
    """Read a drawing row by row: class probabilities, the row-aligned picture, the belief per row, a caption."""
    x = drawing(image)
    reader = readers.get(choice, mine)
    warning = f"{text('weights_error', lang)}\n\n" if reader.error else ""
    if x is None:
        return None, None, EMPTY_BELIEF, warning + text("empty", lang)
    cell = reader.model.config.cell
    trace = reader.model.trace(x)
    probs, hidden = trace["probs"][0].numpy(), trace["h"][0].numpy()  # (28, 10), (28, H)
    top = int(probs[-1].argmax())
    sure = probs[-1, top] >= UNSURE
    caption = text("caption" if sure else "caption_unsure", lang, top=top, p=probs[-1, top], cell=CELLS[cell].name,
                   row=settle_row(probs), h=hidden.shape[1], second=int(np.argsort(probs[-1])[-2]))
    if cell == "rnn":
        caption += "\n\n" + text("rnn_note", lang)
    picture = picture_file(visuals.reading(x[0].numpy(), hidden, probs), "reading")
    return class_probs(probs[-1]), picture, belief_frame(probs), warning + caption


def read_live(readers: Readers, image, choice: str = "lstm", mine: dict | None = None, lang: str = "en"):
    """What changes while the pen moves: classes, picture and caption (the belief plot follows at pen-up)."""
    label, picture, _, caption = read_digit(readers, image, choice, mine, lang)
    return label, picture, caption


@torch.inference_mode()
def belief(readers: Readers, image, choice: str = "lstm", mine: dict | None = None):
    """The belief-per-row table for the plot, once the drawing has settled (pen up, an example, Undo, Clear)."""
    x = drawing(image)
    if x is None:
        return EMPTY_BELIEF
    return belief_frame(readers.get(choice, mine).model.trace(x)["probs"][0].numpy())


def share_query(image, choice: str = "lstm", tab: str = "draw") -> str:
    """The query string of a link that reopens the app with this drawing (the 28x28 the model sees, 16 grey
    levels), this model and this tab; "" when nothing is drawn."""
    x = drawing(image)
    if x is None:
        return ""
    levels = np.round(x[0].numpy().ravel() * 15).astype(np.uint8)  # (784,) in 0..15
    packed = (levels[0::2] << 4 | levels[1::2]).tobytes()  # two pixels a byte: 392 bytes
    return f"d={base64.urlsafe_b64encode(packed).decode().rstrip('=')}&m={choice}&t={tab}"


def open_link(readers: Readers, params: dict, lang: str = "en"):
    """What a shared link reopens: the canvas value, the model, the tab and a note ("" when all went well)."""
    if "d" not in params:
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    try:
        packed = np.frombuffer(base64.urlsafe_b64decode(params["d"] + "=" * (-len(params["d"]) % 4)), np.uint8)
        if packed.shape != (392,):
            raise ValueError(f"{packed.size} bytes")
    except ValueError:
        return "", gr.skip(), gr.skip(), gr.Markdown(text("bad_link", lang), visible=True)
    levels = np.stack([packed >> 4, packed & 15], 1).reshape(28, 28)
    choice = params.get("m") if params.get("m") in readers.shipped else "lstm"
    tab = params.get("t") if params.get("t") in TABS else "draw"
    image = (levels.astype(np.float32) * (255 / 15)).round().astype(np.uint8)
    return data_url(image), choice, gr.Tabs(selected=tab), gr.Markdown(visible=False)


def build(demo: gr.Blocks, readers: Readers, texts: Texts, lang: gr.Radio, mine: gr.State, tabs: gr.Tabs) -> DrawTab:
    """The tab's components and listeners; call inside its gr.Tab."""
    with gr.Row(elem_id="draw-row"):
        with gr.Column(scale=4, min_width=300):
            canvas = texts(DigitCanvas, elem_id="canvas",
                           texts={k: T(f"canvas_{k}") for k in ("canvas", "hint", "undo", "clear")})
            link_note = gr.Markdown(visible=False, elem_id="link-note")
        with gr.Column(scale=6, min_width=300):
            label = texts(gr.Label, num_top_classes=3, label=T("prediction"), elem_id="prediction")
            caption = gr.Markdown(read_digit(readers, None)[3], elem_id="caption")
            choice = gr.Radio(readers.choices(None, "en"), value="lstm", label=text("reader"), elem_id="reader")
            model_md = gr.Markdown(readers.describe(), elem_id="model-name")
            with gr.Row(equal_height=True):
                share_button = texts(gr.Button, T("share"), size="sm", elem_id="share", scale=0, min_width=120)
                share_box = texts(gr.Textbox, label=T("share_link"), show_label=False, buttons=["copy"],
                                  placeholder=T("share_placeholder"),
                                  interactive=False, elem_id="share-link", scale=4, max_lines=1)
    texts(ExampleStrip, EXAMPLES, label=T("examples"), elem_id="examples")
    texts(gr.Markdown, T("picture_title"))
    picture = texts(gr.Image, show_label=False, type="filepath", interactive=False, height=380, elem_id="reading",
                    elem_classes="reading", buttons=["download", "fullscreen"], alt_text=T("reading_alt"))
    belief_plot = texts(line_plot, value=EMPTY_BELIEF, x="row", y="probability", color="digit", x_lim=[1, 28],
                        y_lim=[0, 1], height=300, label=T("belief"), x_title=T("rows_read"),
                        y_title=T("probability"), color_title=T("legend_digit"))

    reading = [label, picture, belief_plot, caption]
    read = partial(read_digit, readers)
    # While drawing, ten pictures a second: the plot, the slowest output for a browser to redraw, waits for pen-up.
    canvas.change(partial(read_live, readers), [canvas, choice, mine, lang], [label, picture, caption],
                  api_visibility="private", show_progress="hidden", trigger_mode="always_last", concurrency_limit=4,
                  concurrency_id="read")
    canvas.settle(partial(belief, readers), [canvas, choice, mine], belief_plot, api_visibility="private",
                  show_progress="hidden", trigger_mode="always_last", concurrency_limit=4, concurrency_id="read")
    choice.change(read, [canvas, choice, mine, lang], reading, api_visibility="private", show_progress="hidden") \
        .then(readers.describe, [choice, mine, lang], model_md, api_visibility="private")
    lang.change(read, [canvas, choice, mine, lang], reading, api_visibility="private", show_progress="hidden") \
        .then(readers.describe, [choice, mine, lang], model_md, api_visibility="private") \
        .then(lambda m, lg: gr.Radio(choices=readers.choices(m, lg), label=text("reader", lg)), [mine, lang], choice,
              api_visibility="private")
    share_button.click(share_query, [canvas, choice], share_box, api_visibility="private").then(
        None, share_box, share_box, js="(q) => q ? location.origin + location.pathname + '?' + q : ''")

    def opened(lg: str, request: gr.Request):
        return open_link(readers, dict(request.query_params), lg)

    demo.load(opened, lang, [canvas, choice, tabs, link_note], api_visibility="private")
    demo.load(None, js=ANNOUNCE)
    return DrawTab(canvas, choice, model_md, reading)
