"""How a training run is shown while it trains: its curves on the charts (one colour per run, on every chart), the
probe digit and the strip of what the network reads it as, the status board (kept as text keys, so the language can
change), and at the end its confusion matrix. The charts and the probe are drawn in the page, from numbers."""
import base64
import math
from dataclasses import dataclass, field

import numpy as np
import torch

import data
import visuals
from model import CELLS, DEFAULT_CELL
from texts import text
from evaluate import probe_trace
from ui.common import Readers, Shipped, drawing
from ui.live import CHART_CSS, MAPS_CSS, NUMBERS_CSS, PANELS_CSS, PageView, view


@dataclass
class Run:
    """One run on the charts: its name and colour, and its curves, by images seen."""

    n: int  # its number in the session, from 1
    label: str
    colour: str
    loss: list[tuple[int, float]] = field(default_factory=list)  # (images seen, smoothed loss)
    acc: list[tuple[int, float]] = field(default_factory=list)  # (images seen, test accuracy)
    grad: np.ndarray | None = None  # (T,) log10 |dL/dh_t| per row, at the latest check (at the end: the final model's)


@dataclass
class Probe:
    """One digit the network is asked to read at every check while it learns: the visitor's drawing, or test
    digit #0. `target` is its label (MNIST's, or the one the visitor gave their drawing), or None: a drawing they gave
    none, which the line then judges by nothing (what the shipped default cell reads it as is no label)."""

    image: torch.Tensor  # (28, 28) uint8, as the training data
    target: int | None
    yours: bool
    shipped: int | None = None  # what the shipped default cell reads the visitor's drawing as
    readings: list[tuple[int, int, float]] = field(default_factory=list)  # (images seen, top digit, its probability)
    run: int = 0  # the number of the run reading it (Run.n), and that run's cell's name
    cell: str = ""

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
        """The probe strip in `lang`, and after how many images it was first read right (with a label to judge by)."""
        if self.target is None:
            return text("probe_unlabelled", lang, strip=self.strip(), shipped=self.shipped,
                        judge=CELLS[DEFAULT_CELL].name)
        words = text("probe_yours" if self.yours else "probe_test", lang, strip=self.strip(),
                     a_target=text(f"a_digit_{self.target}", lang))
        right = self.first_read_right()
        return words if right is None else f"{words}\n\n{text('probe_right', lang, images=right)}"

    def first_read_right(self) -> int | None:
        """The images seen at the first check after training started that read it right, or None."""
        # The reading at 0 images is the untrained network's guess: right or not by chance, nothing it learned.
        return next((images for images, top, _ in self.readings if images > 0 and top == self.target), None)


def probe_digit(readers: Readers, image, mnist: data.MNIST, teaching=None) -> Probe:
    """The probe: the session's drawing when it has one, judged by the label the visitor gave that very 28x28 in
    the teach panel (`teaching`, ui.teach.Teaching; none given, by nothing), else test digit #0 with its label."""
    x = drawing(image) if image is not None else None
    if x is None:
        return Probe(mnist.test_x[0], int(mnist.test_y[0]), yours=False)
    with torch.inference_mode():
        shipped = int(readers.get(DEFAULT_CELL).model(x).argmax())
    label = teaching.label(x[0].float()) if teaching else None
    return Probe((x[0] * 255).round().to(torch.uint8), label, yours=True, shipped=shipped)


def probe_numbers(probe: Probe, h: np.ndarray, probs: np.ndarray, maps: list[dict] | None = None) -> dict:
    """What the page's probe picture paints (ui/js/on_probe.js): the digit with the blank rows the run reads under it
    (T, 28), the hidden state (T, H) and the belief (T, 10) after each row, packed; at a run's end, its `maps`
    (probe_maps); and which run it is (its number and cell) with every reading so far: [images, top, probability]."""
    x = data.blank_rows(probe.image, len(h) - 28).numpy() / 255
    return {"hidden": int(h.shape[1]), "rows": len(h), "x": pack(x), "h": pack(h), "p": pack(probs),
            "maps": maps or [], "run": probe.run, "cell": probe.cell,
            "readings": [[images, top, round(p, 4)] for images, top, p in probe.readings]}


def probe_maps(readers: Readers, probe: Probe, trained: Shipped) -> list[dict]:
    """The probe's path on the trained model's own map, and on the shipped default cell's (each that has one): its
    map, whose it is (a text key and the cell's name), and the hidden state (28, H) and belief (28, 10), packed."""
    out = []
    for who, model in (("map_yours", trained), ("map_shipped", readers.get(DEFAULT_CELL))):
        if model.map:
            h, probs = probe_trace(model.model, probe.image)
            out.append({"who": who, "cell": CELLS[model.model.config.cell].name, "map": model.map, "h": pack(h),
                        "p": pack(probs)})
    return out


PROBE_HTML = """
<div class="rbr-probe" role="img" hidden></div>
<div class="rbr-probe-maps" hidden><h4 class="rbr-probe-maps-title"></h4><div class="rbr-map-list"></div></div>
"""


class ProbeView(PageView):
    """The probe laid out as the Draw tab shows a reading, drawn in the page from `numbers` (probe_numbers); at a
    run's end, its path on the maps of the trained model's memory and the shipped one's (`texts`: theirs)."""

    DEFAULTS = view(PROBE_HTML, PANELS_CSS + MAPS_CSS + ".rbr-probe-maps-title { margin: 12px 0 6px; }",
                    "on_probe.js", numbers=None)

    def __init__(self, alt: str, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, alt=alt, texts=texts)


# ---- the end of a run ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    """How a run scored on the full test set at its end (or when it was stopped)."""

    run: str
    acc: float
    wrong: int
    total: int
    stopped: bool = False
    signal: float | None = None  # error signal at the digit's rows, decades against the last row (first_row_signal)


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
.rbr-confusion td { height: 30px; color: #000; }
.rbr-confusion td.dark { color: #fff; }
@media (max-width: 640px) { .rbr-confusion { font-size: 12px; } .rbr-confusion td { height: 26px; } }
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
    found: list[tuple[str, dict]] = field(default_factory=list)  # what an experiment's runs found, once they ended

    def render(self, lang: str = "en") -> tuple[str, str, str]:
        """The status (with the earlier runs' scores and the note), the probe strip and the end's title in `lang`."""
        lines = [text(self.status, lang, **self.values)]
        lines += [text("earlier_run", lang, run=s.run, acc=s.acc) for s in self.scores]
        if self.note:
            lines.append(text(self.note[0], lang, **self.note[1]))
        lines += [text(key, lang, **values) for key, values in self.found]
        end = text("end_title", lang, run=self.end.run, total=self.end.total) if self.end else ""
        return "\n\n".join(lines), self.probe.line(lang) if self.probe else "", end


# ---- the charts ---------------------------------------------------------------------------------------------------

PLOT_POINTS = 300  # per run and curve: enough for a smooth line, few enough to send every update
CHARTS_HTML = """
<div class="rbr-charts">
  <figure class="rbr-chart" id="loss-plot"></figure>
  <figure class="rbr-chart" id="acc-plot"></figure>
  <figure class="rbr-chart rbr-wide" id="train-grad-plot"></figure>
  <div class="rbr-legend" id="runs-legend"></div>
  <div class="rbr-charts-numbers"></div>
</div>
"""
CHARTS_CSS = CHART_CSS + """
.rbr-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 8px 16px; }
.rbr-wide, .rbr-charts .rbr-legend, .rbr-charts-numbers { grid-column: 1 / -1; }
"""


def pack(points) -> str:
    """Numbers as the page unpacks them: float32, little-endian, in base64 (one string: the page's framework copies
    every number of a prop one by one at each update, a string at once)."""
    return base64.b64encode(np.asarray(points, "<f4").tobytes()).decode()


def chart_data(runs: list[Run]) -> list[dict]:
    """The runs as the page's charts draw them (ui/js/on_charts.js): each curve as packed (x, y) pairs, the loss
    thinned to at most PLOT_POINTS (its latest kept); the error signal per row relative to row 28, as the lesson
    shows it."""
    out = []
    for r in runs:
        every = max(1, math.ceil(len(r.loss) / PLOT_POINTS))
        grad = [] if r.grad is None else np.stack([np.arange(1, len(r.grad) + 1), r.grad - r.grad[-1]], 1)  # (T,2)
        out.append({"label": r.label, "colour": r.colour, "loss": pack(r.loss[::-1][::every][::-1]),
                    "acc": pack(r.acc), "grad": pack(grad)})
    return out


class ChartsView(PageView):
    """The loss, accuracy and error-signal charts of the session's runs, drawn in the page from `runs` (chart_data)."""

    DEFAULTS = view(CHARTS_HTML, CHARTS_CSS + NUMBERS_CSS, "on_charts.js", runs=[])

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)
