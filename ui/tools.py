"""The app's functions as tools for an AI tutor (MCP: app.py launches with mcp_server=True, and Gradio serves every
public API event as a tool, its docstring and type hints as the tool's description). Each tool is the page's or
/predict's own code path, answering in words and numbers; each is a queued event, so admission.Door admits it as it
admits the page's events (one MCP call is one join of Gradio's queue, sent by Gradio's own client on loopback)."""
import inspect

import gradio as gr
import numpy as np

from evaluate import settle_row
from model import CELLS, DEFAULT_CELL
from texts import LANGUAGES, text
from ui import inside
from ui.canvas import digit as canvas_digit
from ui.common import Readers, drawing, spoken
from ui.draw import read_digit


class Digit28(gr.JSON):
    """A 28x28 digit as a tool sends it: 784 numbers in [0, 1] (ink = 1), flat or as 28 rows; checked by the handler
    as the canvas's value is (ui/canvas.py's digit), with the same errors."""

    def preprocess(self, payload):
        return canvas_digit(payload)

    def api_info(self) -> dict:
        return {"type": "array", "items": {}, "description": "784 numbers in [0, 1], ink = 1, row by row (or 28 rows "
                                                            "of 28), as MNIST's 28x28"}


def _lang(lang) -> str:
    return lang if lang in LANGUAGES else "en"


def _x(value, lang: str):
    x = drawing(value, lang)
    if x is None or not x.any():  # no ink: the page says the same of an empty canvas
        raise gr.Error(text("empty_digit", lang), print_exception=False)
    return x


def read_28x28(readers: Readers, digit: list, model: str = DEFAULT_CELL, lang: str = "en") -> str:
    """Read a 28x28 digit row by row, as the Draw tab reads a drawing: the answer, and the belief after every row.

    Args:
        digit: 784 numbers in [0, 1] (ink = 1), row by row, or 28 rows of 28: MNIST's 28x28.
        model: which shipped network reads it, by its key: {cells}.
        lang: the language of the answer: "en" or "zh".
    Returns:
        The caption the page shows, then one line per row: the leading digit and its probability after that row.
    """
    lang = _lang(lang)
    if model not in readers.shipped:
        raise gr.Error(text("bad_choice", lang, choices=", ".join(readers.shipped), value=repr(model)[:40]),
                       print_exception=False)
    x = _x(digit, lang)
    _, _, belief, caption = read_digit(readers, x, model, None, lang)
    probs = np.array([p for _, _, p in belief["data"]], float).reshape(28, 10)  # ui.tables.belief_table's rows
    rows = [text("tool_row", lang, row=t + 1, top=int(p.argmax()), p=float(p.max())) for t, p in enumerate(probs)]
    return caption + "\n\n" + "\n".join(rows) + "\n\n" + text("tool_settled", lang, row=settle_row(probs))


def rows_that_decided(readers: Readers, digit: list, lang: str = "en") -> str:
    """Which rows of a 28x28 digit decided each shipped network's answer (LSTM, GRU, plain RNN): every row blanked in
    turn, and how much the probability of the network's answer falls.

    Args:
        digit: 784 numbers in [0, 1] (ink = 1), row by row, or 28 rows of 28: MNIST's 28x28.
        lang: the language of the answer: "en" or "zh".
    Returns:
        How it works' caption, then for each network the change of its answer's probability per row, in points.
    """
    lang = _lang(lang)
    view, words = inside.decided_view(readers, _x(digit, lang), lang)
    out = [spoken(words["lines"], lang)]
    for m in view["data"]["models"]:
        drops = ", ".join(f"{t + 1}: {-100 * d:+.1f}" for t, d in enumerate(m["drops"]) if abs(d) >= 0.005)
        out.append(text("tool_drops", lang, cell=m["name"], top=m["top"], drops=drops or "-"))
    return "\n\n".join(out)


def how_long_it_remembers(readers: Readers, digit: list, row: int = 8, change: str = "invert", lang: str = "en") -> str:
    """How long each shipped network remembers a changed row: change one row of a 28x28 digit (invert or blank it)
    and follow how much of the difference each network's state still holds at every later row.

    Args:
        digit: 784 numbers in [0, 1] (ink = 1), row by row, or 28 rows of 28: MNIST's 28x28.
        row: the row to change, 1 to 28.
        change: "invert" or "blank".
        lang: the language of the answer: "en" or "zh".
    Returns:
        How it works' caption, then per row from the changed one to 28, the share of the change each state holds.
    """
    lang = _lang(lang)
    if change not in ("invert", "blank"):
        raise gr.Error(text("bad_change", lang), print_exception=False)
    _, words = inside.memory_view(readers, _x(digit, lang), row, change, lang)
    out = spoken(words["lines"], lang)
    table = words.get("table")
    if table:
        heads = [h for h in table["head"][1:]]
        out += "\n\n" + "\n".join(f"{r[0]}: " + ", ".join(f"{h} {v}" for h, v in zip(heads, r[1:])) for r in table["rows"])
    return out


def described(fn):
    """`fn`, its docstring with the model keys (model.CELLS) filled in."""
    fn.__doc__ = fn.__doc__.replace("{cells}", ", ".join(CELLS))
    return fn


def with_readers(fn, readers: Readers):
    """`fn` with `readers` given, named, described and signed as `fn` less that parameter: Gradio makes a tool's
    name, description and parameters from these (a partial would have no name)."""
    def tool(*args):
        return fn(readers, *args)

    signature = inspect.signature(fn)
    tool.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])
    tool.__name__ = tool.__qualname__ = fn.__name__
    tool.__doc__ = fn.__doc__
    return described(tool)


def build(readers: Readers) -> None:
    """The tools' events, each with hidden components of its own (inputs and a Markdown answer)."""
    model = gr.Textbox(value=DEFAULT_CELL, visible=False)
    lang = gr.Textbox(value="en", visible=False)
    answer = gr.Markdown(visible=False)
    common = {"show_progress": "hidden", "concurrency_limit": 4, "concurrency_id": "read"}
    for fn, ins in ((read_28x28, [Digit28(visible=False), model, lang]),
                    (rows_that_decided, [Digit28(visible=False), lang]),
                    (how_long_it_remembers, [Digit28(visible=False), gr.Number(8, visible=False, precision=0),
                                             gr.Textbox("invert", visible=False), lang])):
        tool = with_readers(fn, readers)
        gr.Button(visible=False).click(tool, ins, answer, api_name=fn.__name__, **common)
