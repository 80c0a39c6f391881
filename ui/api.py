"""The API's /predict: an image file read as the Draw tab reads a drawing (gradio_client: handle_file(path)).

gr.Image would decode the file before the handler runs, and would open a path that no upload made (a payload
without Gradio's `meta` skips its upload check). Here the handler gets the path unopened and reads only files inside
Gradio's upload folder; preprocess.py checks the picture's size from its header before decoding it.
"""
import base64
import binascii
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.data_classes import ImageData

import gradio_compat
from model import DEFAULT_CELL
from texts import LANGUAGES, text
from ui.common import MINE, Readers, Trained
from ui.draw import read_digit
from ui.tools import described


class UploadedImage(gradio_compat.UrlsNotFetched, gr.Image):
    """An image input that hands the handler what was sent, undecoded: an upload's path, a data URL's bytes, and
    anything else as it came (the handler says what is wrong with it, in the caller's language). Gradio would
    download a URL sent as a file's path (any size, from any public host): here it stays a URL (UrlsNotFetched),
    which the handler refuses like any path that is not an upload."""

    data_model = None  # no validation by Gradio, whose error for a number here would be a generic one

    def api_info(self) -> dict:
        schema = ImageData.model_json_schema()  # what gradio_client sends: a file, as for any image input
        schema["additional_description"] = schema.pop("description", None)
        return schema

    def preprocess(self, payload: Any) -> Any:
        if isinstance(payload, dict):
            payload = payload.get("url") if str(payload.get("url")).startswith("data:") else payload.get("path")
        if isinstance(payload, str) and payload.startswith("data:"):  # within the request size limit (limits.py)
            try:
                return base64.b64decode(payload.partition(",")[2], validate=True)
            except (binascii.Error, ValueError):
                return b""  # bytes that are not an image
        return payload


class ModelChoice(gr.Radio):
    """The model choice as sent, checked by the handler (with a message in the caller's language)."""

    def preprocess(self, payload: Any) -> Any:
        return payload


def is_upload(path: str) -> bool:
    """Whether `path` is a file inside Gradio's upload folder, after resolving symlinks and '..'."""
    folder = gradio_compat.upload_folder().resolve()
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL byte
        return False
    return resolved.is_relative_to(folder) and resolved.is_file()


def predict(readers: Readers, image: Any, choice: Any = DEFAULT_CELL, mine: Trained | None = None, lang: str = "en"):
    """/predict: the Draw tab's reading of an uploaded image, with errors in the caller's language."""
    lang = lang if lang in LANGUAGES else "en"
    if choice not in (*readers.shipped, MINE):
        raise gr.Error(text("bad_choice", lang, choices=", ".join(readers.shipped), value=_short(choice)),
                       print_exception=False)
    if not isinstance(image, (str, bytes, type(None))):
        raise gr.Error(text("not_a_file", lang, value=_short(image)), print_exception=False)
    if isinstance(image, str) and not is_upload(image):
        raise gr.Error(text("not_uploaded", lang), print_exception=False)
    return read_digit(readers, image, choice, mine, lang)  # a picture it cannot read: a gr.Error in `lang`


def read_digit_image(readers: Readers):
    """/predict's handler, named and described as an MCP tool (Gradio takes a tool's name and description from these)."""
    def read_digit_image(image: str, model: str = DEFAULT_CELL, mine=None, lang: str = "en"):
        """Read a picture of one handwritten digit (PNG or JPEG, dark on light or light on dark) as the Draw tab
        reads a drawing: made into MNIST's 28x28, then read one pixel row per time step.

        Args:
            image: the picture file (uploaded to the app first).
            model: which shipped network reads it, by its key: {cells}.
            lang: the language of the answer: "en" or "zh".
        Returns:
            The top classes, the row-by-row picture, the belief after each row (row, digit, probability) and a caption.
        """
        return predict(readers, image, model, mine, lang)

    return described(read_digit_image)


def _short(value: Any) -> str:
    r = repr(value)
    return r if len(r) <= 40 else r[:37] + "..."


def build(readers: Readers, lang: gr.Radio, mine: gr.State) -> None:
    """The /predict listener and its hidden components (the page reads drawings itself, in the browser): inputs an
    image, a model choice, the session's own model and the page's language; outputs as the Draw tab once showed them
    (label, picture file, belief per row, caption). The belief is the numbers (ui/tables.py's belief_table, JSON):
    the page draws every chart itself, and an output plot would bring a second chart library to it."""
    upload = UploadedImage(type="filepath", visible=False)
    choice = ModelChoice(list(readers.shipped), value=DEFAULT_CELL, visible=False)
    outputs = [gr.Label(visible=False), gr.Image(type="filepath", visible=False),
               gr.JSON(visible=False), gr.Markdown(visible=False)]
    upload.change(read_digit_image(readers), [upload, choice, mine, lang], outputs, api_name="predict",
                  show_progress="hidden", concurrency_limit=4, concurrency_id="read")
