"""What the tabs share: the models a session can read with, translated components, plots and pictures."""
import hashlib
import inspect
import logging
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr
import numpy as np
import torch

import checkpoint
import gradio_compat
import memory_map
import preprocess
import visuals
from model import CELLS, DEFAULT_CELL, ModelConfig, RowReader
from texts import template, text
from ui.canvas import BadDrawing
from ui.tables import DIGITS


# ---- models -----------------------------------------------------------------------------------------------------

MINE = "mine"  # the model choice that reads with the session's own trained model


@dataclass(frozen=True)
class Shipped:
    model: RowReader
    acc: float  # full-test accuracy from the checkpoint's JSON (NaN for a stand-in)
    error: str | None = None  # why the shipped weights could not be used, if they could not
    # the map of its memory (memory_map.py), when it has one; not hashed: Gradio hashes a session's state to see if
    # it changed, and a dict has no hash
    map: dict | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Trained(Shipped):
    """A model this session trained on the Train tab, read with as a shipped one is; `files`, its checkpoint to
    download, in a folder of its own that `remove` deletes (when a newer run replaces it, or the session ends)."""

    files: tuple[str, ...] = ()

    def remove(self) -> None:
        for f in map(Path, self.files):
            f.unlink(missing_ok=True)
            try:
                f.parent.rmdir()
            except OSError:  # not empty, or gone
                pass


def load_shipped(cell: str) -> Shipped:
    """A shipped model and its test accuracy; an untrained stand-in and the error if its files are damaged."""
    try:
        return Shipped(checkpoint.load_pretrained(cell), checkpoint.meta(checkpoint.WEIGHTS_DIR / cell)["test_accuracy"],
                       map=memory_map.load(cell))
    except (checkpoint.CheckpointError, KeyError) as e:  # a damaged file must not keep the Space from starting
        logging.error("shipped %s weights unusable, serving an untrained model: %s", cell, e)
        return Shipped(RowReader(ModelConfig(cell=cell)).eval(), float("nan"), str(e))


@dataclass(frozen=True)
class Readers:
    """The shipped models, read-only and shared by every session; a session's own model lives in its gr.State."""

    shipped: dict[str, Shipped]

    @classmethod
    def load(cls) -> "Readers":
        return cls({cell: load_shipped(cell) for cell in CELLS})

    def get(self, choice: str, mine: Trained | None = None) -> Shipped:
        """The model a session reads with: its own trained one, or a shipped one (the default cell's when unsure)."""
        if choice == MINE and mine:
            return mine
        return self.shipped.get(choice, self.shipped[DEFAULT_CELL])

    def describe(self, choice: str = DEFAULT_CELL, mine: Trained | None = None, lang: str = "en") -> str:
        """One line naming the model that reads, and how well it reads MNIST."""
        reader = self.get(choice, mine)
        if reader.error:
            return text("weights_error", lang)
        key = "trained_model" if isinstance(reader, Trained) else "shipped_model"
        cfg = reader.model.config
        return text(key, lang, cell=CELLS[cfg.cell].name, h=cfg.hidden_size, acc=reader.acc)


def drawing(value, lang: str = "en") -> torch.Tensor | None:
    """The 28x28 the model sees, as (1, 28, 28): the canvas's own digit as it is, an image through to_mnist; None
    when nothing is drawn; gr.Error, in `lang`, for what is neither."""
    if value is None or isinstance(value, torch.Tensor):
        return value
    if isinstance(value, BadDrawing):
        raise gr.Error(text(value.key, lang), print_exception=False)
    try:
        x = preprocess.to_mnist(value)
    except preprocess.BadImage as e:
        raise gr.Error(e.say(lang), print_exception=False) from None
    return None if x is None else torch.from_numpy(x)[None]


def say(key: str, **values) -> dict:
    """A piece of words for the page to write (ui/live.py's Caption): a text key and its values, a value maybe a
    piece itself (numpy numbers become Python's, to travel as JSON)."""
    return {"key": key, "values": {k: v.item() if isinstance(v, np.generic) else v for k, v in values.items()}}


def spoken(lines: list, lang: str = "en") -> str:
    """A Caption's lines in `lang`, as the page writes them (ui/js/texts.js's caption): paragraphs, each a piece or
    a list of pieces on lines of their own."""
    def fill(piece: dict) -> str:
        return text(piece["key"], lang, **{k: fill(v) if isinstance(v, dict) else v for k, v in piece["values"].items()})

    return "\n\n".join("\n".join(map(fill, p)) if isinstance(p, list) else fill(p) for p in lines or [])


def class_probs(probs: np.ndarray) -> dict[str, float]:
    """A gr.Label value: every class with its probability (the Label shows the top ones)."""
    return {d: float(p) for d, p in zip(DIGITS, probs)}


# ---- translated components --------------------------------------------------------------------------------------

class T(str):
    """A text key where a component wants text: `texts(gr.Button, T("train"))` shows text("train") in the page's
    language, and again in the other language after a switch; `T("acc_plot", eval_size=2000)` fills in its
    placeholders (from the constants they describe)."""

    def __new__(cls, key: str, **values):
        self = super().__new__(cls, key)
        self.values = values
        return self


def _in(lang: str, v):
    """v with its text keys in `lang`: a T, a dict of T, or choices [(T, value), ...]; anything else as it is."""
    if isinstance(v, T):
        return text(v, lang, **v.values)
    if isinstance(v, dict) and v and all(isinstance(x, T) for x in v.values()):  # templates, for the page to fill
        return {k: text(x, lang, **x.values) if x.values else template(x, lang) for k, x in v.items()}
    if isinstance(v, list) and v and all(isinstance(c, tuple) and isinstance(c[0], T) for c in v):
        return [(_in(lang, c[0]), *c[1:]) for c in v]
    return v


def _english(v):
    return _in("en", v)


class Texts:
    """The components whose texts come from text keys, so that the language switch can redo all of them."""

    def __init__(self):
        self.components: list[tuple[gr.components.Component, dict]] = []

    def __call__(self, make, *args, **kwargs):
        """`make(*args, **kwargs)` with each T(key) (or dict of them) in English, remembering which keys went where."""
        names = list(inspect.signature(make).parameters)
        keys = {names[i]: a for i, a in enumerate(args) if _english(a) is not a}
        keys |= {k: v for k, v in kwargs.items() if _english(v) is not v}
        component = make(*map(_english, args), **{k: _english(v) for k, v in kwargs.items()})
        self.components.append((component, keys))
        return component

    def updates(self, lang: str) -> list[dict]:
        """An update per registered component with every one of its texts in `lang`."""
        return [gr.update(**{attr: _in(lang, v) for attr, v in keys.items()}) for _, keys in self.components]

    @property
    def outputs(self) -> list:
        return [c for c, _ in self.components]

    def translate(self, config: dict, lang: str) -> dict:
        """A copy of the page's config (Blocks.config) with every registered component's texts in `lang`: each
        component built again with its texts in `lang`, as Gradio does for an update, and its changed props kept."""
        config = {**config, "components": [{**c, "props": dict(c["props"])} for c in config["components"]]}
        props = {c["id"]: c["props"] for c in config["components"]}
        for (component, _), update in zip(self.components, self.updates(lang)):
            update = {k: v for k, v in update.items() if k != "__type__"}
            translated = type(component)(**{**gradio_compat.built_with(component), **update, "render": False})
            before, after = component.get_config(), translated.get_config()
            props[gradio_compat.component_id(component)].update({k: v for k, v in after.items()
                                          if v is not None and not callable(v) and v != before.get(k)})
        return config


def line_plot(**kwargs) -> gr.LinePlot:
    """A LinePlot whose legend shows: with a label and a height it clips the legend unless given the flex layout
    of .legend-plot (see CSS in app.py)."""
    return gr.LinePlot(elem_classes="legend-plot", **kwargs)


# ---- pictures ---------------------------------------------------------------------------------------------------

def picture_file(rgb: np.ndarray, name: str = "picture") -> str:
    """The picture as a PNG in Gradio's cache, named by its content and written atomically.

    Gradio's own numpy-to-file step writes the same content-named file in place, so when many visitors get the
    same picture at once one of them can be served half a file; a rename is atomic, so here none can.
    """
    png = visuals.png(np.ascontiguousarray(rgb))
    path = gradio_compat.upload_folder() / hashlib.sha256(png).hexdigest()[:32] / f"{name}.png"
    if not path.exists():
        checkpoint.atomic_write(path, lambda tmp: Path(tmp).write_bytes(png))
    return str(path)
