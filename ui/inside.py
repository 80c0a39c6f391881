"""The How-it-works tab: the chosen cell's gates, cell state and hidden state for the drawing, row by row (drawn in
the page, ui/js/on_inside.js); then, measured here for the three shipped cells side by side: which rows decided the
answer, how long each cell remembers a row, how much of the error signal reaches each row."""
import json
import threading
from functools import partial
from pathlib import Path

import gradio as gr
import numpy as np

import data
import preprocess
from model import CELLS, ModelConfig
from texts import CELL_TEXTS, text
from evaluate import log_gradients
from train import LONG_MEMORY, LONG_MEMORY_CELLS
from ui.common import T, Readers, Texts, drawing, say
from ui.draw import DrawTab
from ui.live import MAP_TEXTS, Caption, DecidedView, InsideView, LineChart, MapsView, chart_lines
from ui import teach
from ui.probes import DECISIVE_FLOOR, decisive_rows, memory, relative_log_gradients, row_importance
from ui.tables import PALETTE


def colours() -> dict[str, str]:
    """One colour per cell on every lesson chart, in model.CELLS's order: each cell registered has its line."""
    return {c.name: PALETTE[i % len(PALETTE)] for i, c in enumerate(CELLS.values())}


def state_colours() -> dict[str, str]:
    """One colour per state a cell carries (model.Cell.states): h in its cell's colour, the others (the LSTM's c)
    a lighter shade of it."""
    lighter = lambda hex_: "#" + bytes((255 + v) // 2 for v in bytes.fromhex(hex_[1:])).hex()  # noqa: E731
    return {f"{c.name} {s}": colour if i == 0 else lighter(colour)
            for c, colour in zip(CELLS.values(), colours().values()) for i, s in enumerate(c.states)}


TEST_DIGITS = 256  # MNIST test digits the error-signal curves are averaged over
# The words each view's caption may say (the page fills them in: ui/live.py's Caption).
DECIDED_WORDS = ("empty", "decided_rows", "decided_none", "rows_one", "rows_many", "where_top", "where_middle",
                 "where_bottom")
TABLE_WORDS = ("numbers", "col_row")  # a Caption's table of its chart's numbers (chart_table)
MEMORY_WORDS = (*TABLE_WORDS, "memory_plot", "empty", "memory_caption", "memory_kept", "memory_grew", "memory_above", "memory_below",
                "memory_between", "memory_nothing")
GRADIENT_WORDS = (*TABLE_WORDS, "col_grad", "grad_digit", "grad_test", "grad_title_short", "grad_caption", "grad_fall",
                  "grad_above", "grad_below", "grad_between", "grad_short", "grad_long", "grad_long_held",
                  "grad_long_not", "grad_no_mnist")
# The long-memory experiment's figures, as benchmarks/long_memory.py measured them (--write).
LONG_FIGURES = Path(__file__).resolve().parent.parent / "weights" / "long_memory.json"
ROWS = {"x0": 1, "x1": 28, "xticks": [1, 7, 14, 21, 28]}  # every lesson chart's x axis: the digit's rows
FULL_BAR = 0.25  # the smallest full bar in "which rows decided it": a change of a few points looks small
# The texts the page's inside view fills in itself (ui/js/on_inside.js), besides each cell's panels/gates/low ones.
INSIDE_TEXTS = ("inside_title", "inside_caption", "row_slider", "play", "pause", "inside_alt", "empty", "loading",
                "reader", "mine", "numbers", "col_row", "col_mean", "col_top", "col_p")


def where(runs: list[tuple[int, int]], x: np.ndarray) -> str:
    """The text key for where rows lie in the digit's ink, top, middle or bottom (x is (28, 28))."""
    ink = np.nonzero(x.max(1) > preprocess.MIN_INK)[0] + 1
    centre = np.mean([(a + b) / 2 for a, b in runs])
    part = (centre - ink[0]) / max(ink[-1] - ink[0], 1)
    return "where_top" if part < 1 / 3 else "where_middle" if part < 2 / 3 else "where_bottom"


def decided_view(readers: Readers, image, lang: str = "en"):
    """For each shipped model: the rows its answer rests on (blanked one at a time), as numbers the page draws (the
    digit, each model's answer and the change per row; a full bar is at least FULL_BAR) and a caption's words."""
    x = drawing(image, lang)
    if x is None:
        return gr.update(data=None), gr.update(lines=[say("empty")])
    models, lines = [], []
    for key, shipped in readers.shipped.items():
        name = CELLS[key].name
        top, drops = row_importance(shipped.model, x)
        models.append({"name": name, "top": top, "drops": drops.round(4).tolist()})
        runs = decisive_rows(drops)
        rows = say("rows_one" if runs and runs == [(runs[0][0],) * 2] else "rows_many",
                   rows=", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs))
        lines.append(say("decided_rows", cell=name, top=top, rows=rows, where=say(where(runs, x[0].numpy())))
                     if runs else say("decided_none", cell=name, top=top, points=round(100 * DECISIVE_FLOOR)))
    full = max(FULL_BAR, max(float(np.abs(m["drops"]).max()) for m in models))
    data = {"x": x[0].numpy().round(3).ravel().tolist(), "full": round(full, 4), "models": models}
    return gr.update(data=data), gr.update(lines=lines)


def no_lines(names) -> dict[str, np.ndarray]:
    """Every series a chart can show, with no values (NaN): a table's columns, and a chart's, before there is data."""
    return {name: np.full(28, np.nan) for name in names}


def chart_table(caption: dict, head: list, curves: dict[str, np.ndarray], first: int, cell) -> dict:
    """A chart's numbers as the page's table (ui/live.py's Caption `table`): a row of the table per row of the digit
    from `first` to 28, a column per curve (each written by `cell`)."""
    rows = [[r, *(cell(v[i]) for v in curves.values())] for i, r in enumerate(range(first, 29))]
    return {"caption": caption, "head": [say("col_row"), *head], "rows": rows}


def memory_view(readers: Readers, image, row: int = 8, change: str = "invert", lang: str = "en"):
    """How much of a change to one row each shipped model still holds at every later row: table and caption words."""
    x = drawing(image, lang)
    if x is None:
        return gr.update(data=None), gr.update(lines=[say("empty")], table=None)
    try:
        row = int(np.clip(float(row), 1, 28))
    except (TypeError, ValueError, OverflowError):  # NaN, a string, a list: what a script may send as the row
        raise gr.Error(text("bad_row", lang), print_exception=False) from None
    curves, kept = {}, {}
    for key, shipped in readers.shipped.items():
        held = memory(shipped.model, x, row, change)
        if held is None:
            return gr.update(data=None), gr.update(lines=[say("memory_nothing", row=row)], table=None)
        for state, share in held.items():
            curves[f"{CELLS[key].name} {state}"] = share
            kept[(key, state)] = shown_share(share[-1])
    lines = [say("memory_caption", row=row),
             [say("memory_kept", cell=CELLS[k].name, state=s, share=v) for (k, s), v in kept.items()]]
    if grew(kept):
        lines.append(say("memory_grew"))
    lines += compared("memory", {k: v for (k, s), v in kept.items() if s == "h"})
    table = chart_table(say("memory_plot"), list(curves), curves, row, lambda v: f"{v:.0%}")
    return gr.update(data=chart_lines(curves, row)), gr.update(lines=lines, table=table)


def shown_share(share: float) -> float:
    """A share as the caption shows it ({share:.0%})."""
    # Rounded here, not left to the page's formatter, so that a sentence compares exactly the numbers on screen.
    return round(float(share), 2)


def grew(kept: dict) -> bool:
    """Whether "Above 100%" is true: some state's shown share at row 28 is over 100%."""
    return max(kept.values()) > 1


def standing(kept: dict[str, float]) -> str | None:
    """Where the cell without gates stands among the gated ones in `kept` (cell key -> number shown): above all of
    them, below all, or between."""
    # "between" only with the most and the least each alone at its end, so the sentence can name them; None when no
    # sentence is true of the numbers (a tie at an end) or there is no one plain cell and gated ones to compare.
    plain = [k for k in kept if CELLS[k].keeper is None]
    gated = [v for k, v in kept.items() if CELLS[k].keeper is not None]
    if len(plain) != 1 or not gated:
        return None
    v = kept[plain[0]]
    if v > max(gated):
        return "above"
    if v < min(gated):
        return "below"
    values = sorted(kept.values())
    return "between" if values[0] < values[1] and values[-2] < values[-1] else None


def compared(prefix: str, kept: dict[str, float]) -> list[dict]:
    """The sentence `prefix`_above, _below or _between that `standing` finds true of `kept`, naming its cells, if any."""
    how = standing(kept)
    if how is None:
        return []
    (plain,) = (CELLS[k].name for k in kept if CELLS[k].keeper is None)
    ends = {"most": CELLS[max(kept, key=kept.get)].name, "least": CELLS[min(kept, key=kept.get)].name}
    return [say(f"{prefix}_{how}", cell=plain, **(ends if how == "between" else {}))]


def fades_most(kept: dict[str, float]) -> bool | None:
    """Whether the one cell without gates keeps less than every gated cell in `kept` (the notes' claim, over these
    rows); None when there is no one plain cell and gated ones to compare."""
    plain = [k for k in kept if CELLS[k].keeper is None]
    gated = [v for k, v in kept.items() if CELLS[k].keeper is not None]
    return kept[plain[0]] < min(gated) if len(plain) == 1 and gated else None


def long_memory_figures(path=LONG_FIGURES) -> dict | None:
    """The long-memory experiment's measured figures (benchmarks/long_memory.py): its blank rows, how many seeds, and
    for its plain and its gated cell the mean over seeds of the test accuracy (acc) and of the error signal at row 1
    (row1, decades); None when there are none for the experiment's setting."""
    try:
        measured = json.loads(path.read_text())
        cells = measured["settings"][str(LONG_MEMORY["blank_rows"])]
        plain, gated = LONG_MEMORY_CELLS
        return {"blank": LONG_MEMORY["blank_rows"], "seeds": len(measured["seeds"]), "plain": cells[plain] | {
            "name": CELLS[plain].name}, "gated": cells[gated] | {"name": CELLS[gated].name}}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def long_claim_holds(fig: dict) -> bool:
    """Whether "grad_long_held" is true of the figures as the sentence before it shows them: the gated cell (the LSTM)
    read more of the test set right and kept more error signal at row 1 than the plain one."""
    gated, plain = fig["gated"], fig["plain"]
    return round(gated["acc"], 2) > round(plain["acc"], 2) and round(gated["row1"], 1) > round(plain["row1"], 1)


def long_memory_lines(fig: dict | None) -> list[dict]:
    """What the long-memory experiment measured, and whether the notes' claim holds there; nothing without figures."""
    if fig is None:
        return []
    gated, plain = fig["gated"], fig["plain"]
    return [say("grad_long", blank=fig["blank"], seeds=fig["seeds"], gated=gated["name"], plain=plain["name"],
                gated_acc=gated["acc"], gated_acc_spread=gated["acc_spread"], plain_acc=plain["acc"],
                plain_acc_spread=plain["acc_spread"], gated_decades=gated["row1"], gated_spread=gated["row1_spread"],
                plain_decades=plain["row1"], plain_spread=plain["row1_spread"]),
            say("grad_long_held" if long_claim_holds(fig) else "grad_long_not", gated=gated["name"])]


def percent(share: float) -> str:
    """A share as a percentage to two significant digits, never in exponent form: 0.077 -> "7.7", 1.5 -> "150"."""
    return np.format_float_positional(float(f"{100 * share:.2g}"), trim="-")


class TestDigitGradients:
    """Each shipped model's mean log gradient per row over the first TEST_DIGITS MNIST test digits, computed once MNIST
    can be read (until then None, and the next call tries again)."""

    def __init__(self, readers: Readers):
        self.readers, self.curves = readers, None

    def __call__(self) -> dict[str, np.ndarray] | None:
        if self.curves is None:
            try:
                mnist = data.load_mnist()
            except data.DataMissing:
                return None
            x, y = mnist.test_x[:TEST_DIGITS].float() / 255, mnist.test_y[:TEST_DIGITS]
            self.curves = {CELLS[c].name: log_gradients(s.model, x, y) for c, s in self.readers.shipped.items()}
        return self.curves


def gradient_view(readers: Readers, over_test_digits: TestDigitGradients, image,
                  lang: str = "en") -> tuple[dict, dict, dict]:
    """How much of the error signal reaches each row relative to row 28, for this drawing and over test digits,
    for each shipped cell (a model trained on the Train tab has its own gradient chart there)."""
    x = drawing(image, lang)
    models = {CELLS[c].name: s.model for c, s in readers.shipped.items()}
    drawn = no_lines(models) if x is None else {n: relative_log_gradients(log_gradients(m, x)) for n, m in models.items()}
    test = {name: relative_log_gradients(g) for name, g in (over_test_digits() or no_lines(models)).items()}
    head = [say("col_grad", cell=n, over=say("grad_digit")) for n in drawn] + \
        [say("col_grad", cell=n, over=say("grad_test", n=TEST_DIGITS)) for n in test]
    table = chart_table(say("grad_title_short"), head, {**{f"{n} drawn": v for n, v in drawn.items()}, **test}, 1,
                        lambda v: "–" if np.isnan(v) else f"{v:.2f}")
    if not over_test_digits.curves:
        return *charts(drawn, test), gr.update(lines=[say("grad_no_mnist")], table=table)
    shares = {c: percent(10 ** test[CELLS[c].name][0]) for c in readers.shipped}  # as the caption shows them
    lines = [say("grad_caption", n=TEST_DIGITS),
             [say("grad_fall", cell=CELLS[c].name, decades=test[CELLS[c].name][0], share=f"{share}%")
              for c, share in shares.items()]]
    kept = {c: float(share) for c, share in shares.items()}
    lines += compared("grad", kept)
    if fades_most(kept) is False:  # the notes' claim is not what these 28 rows show
        lines.append(say("grad_short", cell=next(CELLS[c].name for c in kept if CELLS[c].keeper is None)))
    lines += long_memory_lines(long_memory_figures())
    return *charts(drawn, test), gr.update(lines=lines, table=table)


def charts(*curves: dict[str, np.ndarray]) -> list[dict]:
    """An update of a LineChart per set of curves, each curve from row 1."""
    return [gr.update(data=chart_lines(c)) for c in curves]


def build(readers: Readers, texts: Texts, lang: gr.Radio, draw: DrawTab, tab: gr.Tab) -> None:
    """The tab's components and listeners; call inside its gr.Tab (`tab`)."""
    texts(gr.Markdown, T("lesson"))
    cell_texts = [f"{kind}_{key}" for key in CELLS for kind in CELL_TEXTS]
    texts(InsideView, texts={k: T(k) for k in (*INSIDE_TEXTS, *cell_texts, teach.TAUGHT)}, elem_id="inside-view")
    teach.compare(texts)  # the session's taught model against the one it started from, row by row

    # The same hidden states as a path on a map, for the three cells side by side: after the heatmap of h, which it
    # reads, and before the measurements, which compare the cells as it does.
    texts(gr.Markdown, T("map_title"))
    texts(gr.Markdown, T("map_text", h=ModelConfig().hidden_size))
    texts(MapsView, texts={k: T(k) for k in (*MAP_TEXTS, "map_empty", "loading", "mine")}, elem_id="memory-map")

    texts(gr.Markdown, T("decided_title"))
    texts(gr.Markdown, T("decided_text"))
    decided_caption = texts(Caption, texts={k: T(k) for k in DECIDED_WORDS}, elem_id="decided-caption")
    decided_texts = ("decided_alt", "decided_panel", "decided_order", "decided_scale", "numbers", "col_row", "col_ink",
                     "col_drop")
    decided = texts(DecidedView, texts={k: T(k) for k in decided_texts}, elem_id="decided")

    texts(gr.Markdown, T("memory_title"))
    texts(gr.Markdown, T("memory_text"))
    with gr.Row():
        with gr.Column(scale=2, min_width=260):
            memory_row = texts(gr.Slider, 1, 28, value=8, step=1, label=T("memory_row"), elem_id="memory-row")
            change = texts(gr.Radio, [(T("invert"), "invert"), (T("blank"), "blank")], value="invert",
                           label=T("memory_change"), elem_id="memory-change")
            memory_caption = texts(Caption, texts={k: T(k) for k in MEMORY_WORDS}, elem_id="memory-caption")
        memory_plot = texts(LineChart, texts={"title": T("memory_plot"), "x": T("row"), "y": T("memory_y"),
                                              "legend": T("legend_state")},
                            colours=state_colours(), axes=ROWS | {"y0max": 0, "y1min": 1, "height": 300},
                            elem_id="memory-plot", scale=5)

    texts(gr.Markdown, T("grad_title"))
    texts(gr.Markdown, T("grad_text", n=TEST_DIGITS))
    with gr.Row():
        grad_drawn, grad_test = (texts(LineChart, texts={"title": title, "x": T("row"), "y": T("grad_y"),
                                                         "legend": T("legend_model")},
                                       colours=colours(), axes=ROWS | {"y0max": -1, "y1min": 0, "height": 280},
                                       elem_id=elem_id)
                                 for title, elem_id in ((T("grad_digit"), "grad-digit"),
                                                        (T("grad_test", n=TEST_DIGITS), "grad-test")))
    grad_caption = texts(Caption, texts={k: T(k) for k in GRADIENT_WORDS}, elem_id="grad-caption")

    private = {"api_visibility": "private", "show_progress": "hidden"}
    decide = (partial(decided_view, readers), [draw.canvas, lang], [decided, decided_caption])
    remember = (partial(memory_view, readers), [draw.canvas, memory_row, change, lang], [memory_plot, memory_caption])
    over_test_digits = TestDigitGradients(readers)
    # Measured once, in the background from the start, so the first visitor to open this tab (or switch the
    # language) does not wait for it.
    threading.Thread(target=over_test_digits, daemon=True).start()
    gradients = (partial(gradient_view, readers, over_test_digits), [draw.canvas, lang],
                 [grad_drawn, grad_test, grad_caption])
    for fn, ins, outs in (decide, remember, gradients):  # a language switch needs none: the page rewrites the words
        tab.select(fn, ins, outs, **private)
    memory_row.input(*remember, trigger_mode="always_last", **private)
    change.input(*remember, **private)
