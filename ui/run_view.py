"""How a training run is shown while it trains: its charts (one colour per run, on every chart), the probe digit
and the strip of what the network reads it as, and the status board, kept as text keys so the language can change."""
import gradio as gr
import numpy as np
import pandas as pd
import torch

import data
import visuals
from texts import text
from ui.common import Readers, drawing, picture_file
from ui.tables import curves

# One colour per run, the same on every chart (Tableau 10, without its grey).
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]


class Charts:
    """The loss, accuracy and gradient charts of a session's runs: their data, and each run's colour, the same on
    every chart.

    A LinePlot works out which series it shows only when its colour map changes, and then from the data it held
    before that update; given new data alone it keeps the series it had. So each chart's colour map names the
    runs its previous update held: a run's colour follows its first points one update later, and the chart then
    draws it, with its legend entry.
    """

    def __init__(self, runs: list[dict]):
        self.held = [set(frame["run"]) for frame in curves(runs)]  # the runs each chart holds now
        self.mapped = [set(held) for held in self.held]  # the runs its last colour map named
        self.sent = [None, None, None]  # a fingerprint of the data each chart was last sent

    def update(self, runs: list[dict]) -> dict:
        """The three charts' updates for `runs`: gr.skip() for a chart whose data and colours have not changed
        (between checks only the loss moves), which spares the page redrawing it and the run the work."""
        colour = {r["label"]: r["colour"] for r in runs}
        plots = []
        for i, frame in enumerate(curves(runs)):
            mapped = self.held[i] & set(colour)
            sent = (int(pd.util.hash_pandas_object(frame, index=False).sum()), tuple(sorted(mapped)))
            if sent == self.sent[i]:
                plots.append(gr.skip())
                continue
            self.mapped[i], self.sent[i] = mapped, sent
            plots.append(gr.update(value=frame, color_map={s: colour[s] for s in sorted(mapped)}))
            self.held[i] = set(frame["run"])
        return dict(zip(("loss", "acc", "grads"), plots))

    @property
    def behind(self) -> bool:
        """Whether a chart holds a run its colour map has not named yet: one more update draws it."""
        return self.mapped != self.held


# ---- the probe: what the network makes of one digit as it learns -------------------------------------------------

def probe_digit(readers: Readers, image, mnist: data.MNIST) -> dict:
    """The probe: the session's drawing when it has one (the target being what the shipped LSTM reads it as),
    else test digit #0 with its label. Its image is uint8 (28, 28), as the training data."""
    x = drawing(image) if image is not None else None
    if x is None:
        return {"image": mnist.test_x[0], "target": int(mnist.test_y[0]), "yours": False, "readings": []}
    with torch.inference_mode():
        target = int(readers.get("lstm").model(x).argmax())
    return {"image": (x[0] * 255).round().to(torch.uint8), "target": target, "yours": True, "readings": []}


def probe_line(probe: dict, lang: str) -> str:
    """A strip of how the network read the probe as it learned: 3 (41%) → 8 (60%) → 5 (97%), and when it got it."""
    changes = []
    for images, top, p in probe["readings"]:
        if not changes or changes[-1][1] != top:
            changes.append([images, top, p])
        changes[-1][2] = p
    if len(changes) > 8:  # the first and the last ones tell the story
        changes = changes[:3] + [None] + changes[-4:]
    strip = " → ".join("…" if c is None else f"{c[1]} ({c[2]:.0%})" for c in changes)
    head = text("probe_yours" if probe["yours"] else "probe_test", lang, target=probe["target"])
    right = next((images for images, top, _ in probe["readings"] if top == probe["target"]), None)
    tail = text("probe_right", lang, images=right) if right is not None else ""
    return f"{head} {strip}{tail}" if changes else head


def probe_picture(probe: dict, probe_h: np.ndarray, probe_probs: np.ndarray) -> str:
    """The probe digit laid out as the Draw tab shows a reading: rows, hidden state, belief."""
    return picture_file(visuals.reading(probe["image"].numpy() / 255, probe_h, probe_probs), "probe")


# ---- the board: status line and probe strip, kept as texts keys so a language switch redoes them -----------------

def board(status: tuple[str, dict], probe: dict | None = None) -> dict:
    return {"status": status, "probe": probe}


def render_board(state: dict | None, lang: str = "en") -> tuple[str, str]:
    """The status line and the probe strip in `lang`."""
    if not state:
        return text("train_intro", lang), ""
    key, values = state["status"]
    return text(key, lang, **values), probe_line(state["probe"], lang) if state["probe"] else ""
