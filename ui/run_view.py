"""How a training run is shown while it trains: its curves on the charts (one colour per run, on every chart), the
probe digit and the strip of what the network reads it as, the status board (kept as text keys, so the language can
change), and at the end its confusion matrix."""
from dataclasses import dataclass, field

import gradio as gr
import numpy as np
import pandas as pd
import torch

import data
import visuals
from model import CELLS, DEFAULT_CELL
from texts import text
from ui.common import Readers, drawing
from ui.live import PANELS_CSS, PageView, view
from ui.tables import PALETTE, curves


@dataclass
class Run:
    """One run on the charts: its name and colour, and its curves, by images seen."""

    n: int  # its number in the session, from 1
    label: str
    colour: str
    loss: list[tuple[int, float]] = field(default_factory=list)  # (images seen, smoothed loss)
    acc: list[tuple[int, float]] = field(default_factory=list)  # (images seen, test accuracy)
    grad: np.ndarray | None = None  # (28,) log10 |dL/dh_t| per row, at the latest check


@dataclass
class Probe:
    """One digit the network is asked to read at every check while it learns: the visitor's drawing, or test
    digit #0. `target` is its label, or what the shipped default cell reads the drawing as."""

    image: torch.Tensor  # (28, 28) uint8, as the training data
    target: int
    yours: bool
    readings: list[tuple[int, int, float]] = field(default_factory=list)  # (images seen, top digit, its probability)

    def read(self, images: int, probs: np.ndarray) -> None:
        """Note what the network reads it as after `images` (probs (28, 10): the belief after each row)."""
        top = int(probs[-1].argmax())
        self.readings.append((images, top, float(probs[-1, top])))

    def strip(self) -> str:
        """How the network read it as it learned: 3 (41%) → 8 (60%) → 5 (97%); the first and last changes when many."""
        changes = []
        for images, top, p in self.readings:
            if not changes or changes[-1][1] != top:
                changes.append([images, top, p])
            changes[-1][2] = p
        if len(changes) > 8:
            changes = changes[:3] + [None] + changes[-4:]
        return " → ".join("…" if c is None else f"{c[1]} ({c[2]:.0%})" for c in changes)

    def line(self, lang: str) -> str:
        """The probe strip in `lang`, and after how many images it was first read right."""
        values = {"target": self.target, "strip": self.strip(), "judge": CELLS[DEFAULT_CELL].name}
        words = text("probe_yours" if self.yours else "probe_test", lang, **values)
        right = next((images for images, top, _ in self.readings if top == self.target), None)
        return words if right is None else f"{words}\n\n{text('probe_right', lang, images=right)}"


def probe_digit(readers: Readers, image, mnist: data.MNIST) -> Probe:
    """The probe: the session's drawing when it has one, else test digit #0 with its label."""
    x = drawing(image) if image is not None else None
    if x is None:
        return Probe(mnist.test_x[0], int(mnist.test_y[0]), yours=False)
    with torch.inference_mode():
        target = int(readers.get(DEFAULT_CELL).model(x).argmax())
    return Probe((x[0] * 255).round().to(torch.uint8), target, yours=True)


def probe_numbers(probe: Probe, h: np.ndarray, probs: np.ndarray) -> dict:
    """What the page's probe picture paints (ui/js/on_probe.js): the digit (28, 28), the hidden state (28, H) and the
    belief (28, 10) after each row, flat, to 3 decimals (finer than the colour scales)."""
    flat = lambda a: np.round(np.asarray(a, np.float64).ravel(), 3).tolist()  # noqa: E731
    return {"hidden": int(h.shape[1]), "x": flat(probe.image.numpy() / 255), "h": flat(h), "p": flat(probs)}


class ProbeView(PageView):
    """The probe laid out as the Draw tab shows a reading, drawn in the page from `numbers` (probe_numbers)."""

    DEFAULTS = view('<div class="rbr-probe" role="img" hidden></div>', PANELS_CSS, "on_probe.js", numbers=None)

    def __init__(self, alt: str, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, alt=alt)


# ---- the end of a run ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    """How a run scored on the full test set at its end (or when it was stopped)."""

    run: str
    acc: float
    wrong: int
    total: int
    stopped: bool = False


def confusion_html(cm: np.ndarray) -> str:
    """The confusion matrix (rows: true digit, columns: read as) as a table of page text, coloured as
    visuals.confusion_colours colours it."""
    rgb, dark = visuals.confusion_colours(cm)
    head = "<tr><th></th>" + "".join(f"<th>{j}</th>" for j in range(10)) + "</tr>"
    rows = []
    for i in range(10):
        cells = "".join(f'<td style="background:#{rgb[i, j].tobytes().hex()}"{" class=dark" if dark[i, j] else ""}>'
                        f'{cm[i, j] or ""}</td>' for j in range(10))
        rows.append(f"<tr><th>{i}</th>{cells}</tr>")
    return f'<table class="rbr-confusion">{head}{"".join(rows)}</table>'


CONFUSION_CSS = """
.rbr-confusion { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; margin: 0 auto;
                 table-layout: fixed; width: 100%; max-width: 460px; }
.rbr-confusion th, .rbr-confusion td { padding: 0; border: 1px solid #fff !important; text-align: center; }
.rbr-confusion th { font-weight: 600; color: var(--body-text-color); background: none; }
.rbr-confusion td { height: 30px; color: #1f2937; }
.rbr-confusion td.dark { color: #fff; }
@media (max-width: 640px) { .rbr-confusion { font-size: 11px; } .rbr-confusion td { height: 26px; } }
"""


# ---- the board: status line, probe strip and the end's title, kept as text keys ----------------------------------

@dataclass
class Board:
    """What the status area says, as a texts.py key and its values, so that a language switch redoes it."""

    status: str  # the status line's key
    values: dict = field(default_factory=dict)
    probe: Probe | None = None
    scores: list[Summary] = field(default_factory=list)  # runs this press finished before the one `status` is about
    note: tuple[str, dict] | None = None  # what to look for (an experiment's): a text key and its values
    end: Summary | None = None  # the run whose confusion matrix and mistakes are shown

    def render(self, lang: str = "en") -> tuple[str, str, str]:
        """The status (with the earlier runs' scores and the note), the probe strip and the end's title in `lang`."""
        lines = [text(self.status, lang, **self.values)]
        lines += [text("earlier_run", lang, run=s.run, acc=s.acc) for s in self.scores]
        if self.note:
            lines.append(text(self.note[0], lang, **self.note[1]))
        end = text("end_title", lang, run=self.end.run, total=self.end.total) if self.end else ""
        return "\n\n".join(lines), self.probe.line(lang) if self.probe else "", end


# ---- the charts ---------------------------------------------------------------------------------------------------

class Charts:
    """The loss, accuracy and gradient charts of a session's runs: their data, and each run's colour, the same on
    every chart.

    A LinePlot works out which series it shows only when its colour map changes, and then from the data it held
    before that update; given new data alone it keeps the series it had. So each chart's colour map names the
    runs its previous update held: a run's colour follows its first points one update later, and the chart then
    draws it, with its legend entry.
    """

    def __init__(self, runs: list[Run]):
        self.held = [set(frame["run"]) for frame in curves(runs)]  # the runs each chart holds now
        self.mapped = [set(held) for held in self.held]  # the runs its last colour map named
        self.sent = [None, None, None]  # a fingerprint of the data each chart was last sent

    def update(self, runs: list[Run]) -> dict:
        """The three charts' updates for `runs`: gr.skip() for a chart whose data and colours have not changed
        (between checks only the loss moves), which spares the page redrawing it and the run the work."""
        colour = {r.label: r.colour for r in runs}
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
