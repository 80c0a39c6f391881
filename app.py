"""Row by Row: draw a digit and watch a recurrent network read it one pixel row at a time, or train one."""
import copy
import logging
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import gradio as gr
import numpy as np
import pandas as pd
import torch

import checkpoint
import data
import preprocess
import visuals
from model import CELLS, GATES, ModelConfig, RowReader
from texts import LANGUAGES, language, text
from train import TrainConfig, log_gradients, predict
from training_run import TrainingRun

DEFAULTS = TrainConfig()  # the original program's recipe: the Train tab's starting values
HERE = Path(__file__).resolve().parent
EXAMPLES = sorted(str(p) for p in (HERE / "examples").glob("*.png"))
CANVAS = 448
# Server-side caps: whatever a client sends through the API, one run stays small enough for a shared CPU Space.
MAX_EPOCHS = int(os.environ.get("ROWBYROW_MAX_EPOCHS", 3))
MAX_TRAIN_SECONDS = float(os.environ.get("ROWBYROW_MAX_TRAIN_SECONDS", 300))
TRAIN_CONCURRENCY = int(os.environ.get("ROWBYROW_TRAIN_CONCURRENCY", 1))
UPDATE_EVERY_S = 0.5  # the page gets a training update at least this often; more would slow training down
PLOT_POINTS = 300  # per run and curve: enough for a smooth line, few enough to send every update
DIGITS = [str(k) for k in range(10)]
READERS = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}  # the shipped models, in the order they are offered

# With two intra-op threads a training step ran 4x slower than with one on a 2-vCPU machine (BENCHMARKS.md):
# this model's ops are too small to split, and concurrent requests and training use the cores instead.
torch.set_num_threads(1)


def load_shipped(cell: str) -> tuple[RowReader, float, str | None]:
    """A shipped model and its test accuracy; an untrained stand-in and the error if its files are damaged."""
    try:
        return checkpoint.load_pretrained(cell), checkpoint.meta(checkpoint.WEIGHTS_DIR / cell)["test_accuracy"], None
    except (checkpoint.CheckpointError, KeyError) as e:  # a damaged file must not keep the Space from starting
        logging.error("shipped %s weights unusable, serving an untrained model: %s", cell, e)
        return RowReader(ModelConfig(cell=cell)).eval(), float("nan"), str(e)


SHIPPED = {cell: load_shipped(cell) for cell in READERS}  # shared, read-only; a session's own model is in gr.State


def reader(choice: str, mine: dict | None) -> tuple[RowReader, float, str | None]:
    """The model a session reads with: its own trained one, or a shipped one (LSTM when unsure)."""
    if choice == "mine" and mine:
        return mine["model"], mine["acc"], None
    return SHIPPED.get(choice, SHIPPED["lstm"])


def model_name(choice: str = "lstm", mine: dict | None = None, lang: str = "en") -> str:
    model, acc, error = reader(choice, mine)
    if error:
        return text("weights_error", lang)
    key = "trained_model" if choice == "mine" and mine else "shipped_model"
    return text(key, lang, cell=model.config.cell.upper(), h=model.config.hidden_size, acc=acc)


def belief_frame(probs: np.ndarray) -> pd.DataFrame:
    """Long table for the belief plot: probability of each digit after each row."""
    return pd.DataFrame({"row": np.repeat(np.arange(1, 29), 10), "digit": DIGITS * 28, "probability": probs.ravel()})


EMPTY_BELIEF = belief_frame(np.full((28, 10), np.nan))


def settle_row(probs: np.ndarray) -> int:
    """The row (1-based) from which the final answer led at every later row."""
    top = probs.argmax(1)
    changed = np.nonzero(top != top[-1])[0]
    return int(changed[-1]) + 2 if len(changed) else 1


def drawing(sketch) -> torch.Tensor | None:
    """The 28x28 the model sees, as (1, 28, 28); None for an empty canvas; gr.Error for what is not an image."""
    try:
        x = preprocess.to_mnist(sketch)
    except preprocess.BadImage as e:
        raise gr.Error(str(e), print_exception=False) from None
    return None if x is None else torch.from_numpy(x)[None]


def top3(probs: np.ndarray) -> dict[str, float]:
    return {d: float(p) for d, p in zip(DIGITS, probs)}


@torch.inference_mode()
def read_digit(sketch, choice: str = "lstm", mine: dict | None = None, lang: str = "en"):
    """Read a drawing row by row: top-3 classes, the row-aligned picture, the belief per row and a caption."""
    x = drawing(sketch)
    model, _, error = reader(choice, mine)
    if x is None:
        return None, None, EMPTY_BELIEF, (f"{text('weights_error', lang)}\n\n" if error else "") + text("empty", lang)
    trace = model.trace(x)
    probs, hidden = trace["probs"][0].numpy(), trace["h"][0].numpy()  # (28, 10), (28, H)
    top = int(probs[-1].argmax())
    caption = text("caption", lang, top=top, p=probs[-1, top], cell=model.config.cell.upper(), row=settle_row(probs),
                   h=hidden.shape[1])
    return top3(probs[-1]), visuals.reading(x[0].numpy(), hidden, probs), belief_frame(probs), caption


@torch.inference_mode()
def inside_view(sketch, choice: str = "lstm", mine: dict | None = None, row: int = 28, lang: str = "en"):
    """The cell's gates, cell state and hidden state for a drawing, revealed up to `row`, with captions."""
    model, _, _ = reader(choice, mine)
    cell = model.config.cell
    title, panels = text("inside_title", lang, cell=cell.upper()), text(f"panels_{cell}", lang)
    x = drawing(sketch)
    if x is None:
        return None, None, text("empty", lang), title, panels
    row = int(np.clip(row, 1, 28))
    trace = model.trace(x)
    maps = {k: trace[k][0].numpy() for k in visuals.PANELS if k in trace}  # each (28, H)
    probs = trace["probs"][0].numpy()
    means = {k: float(trace[k][0, row - 1].mean()) for k in GATES[cell] if k not in ("candidate", "c")}
    top = int(probs[row - 1].argmax())
    keeper = {"lstm": "forget", "gru": "update"}.get(cell)  # the gate that decides what is kept
    low = {}
    if keeper:
        per_row = trace[keeper][0].mean(1)  # (28,)
        low = {"row": int(per_row.argmin()) + 1, "value": float(per_row.min())}
    caption = text("inside_caption", lang, row=row, cell=cell.upper(), top=top, p=probs[row - 1, top],
                   gates=text(f"gates_{cell}", lang, **means) + text(f"low_{cell}", lang, **low))
    return visuals.inside(x[0].numpy(), maps, probs, row), top3(probs[row - 1]), caption, title, panels


def play(sketch, choice: str = "lstm", mine: dict | None = None, lang: str = "en"):
    """Reveal the drawing row by row, as the network read it."""
    for row in range(1, 29):
        yield (row, *inside_view(sketch, choice, mine, row, lang))
        time.sleep(0.12)


def gradient_frame(curves: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long table of log10 gradient per row for each named curve."""
    rows = [(name, t + 1, float(v)) for name, g in curves.items() for t, v in enumerate(g)]
    # Typed even when empty: a plot that first gets untyped columns draws them as categories from then on.
    return pd.DataFrame(rows, columns=["model", "row", "log10 gradient"]).astype({"row": int, "log10 gradient": float})


@lru_cache(maxsize=1)
def gradients_over_test_digits() -> pd.DataFrame:
    """Each shipped model's mean gradient per row over the first 256 MNIST test digits (empty without MNIST)."""
    try:
        mnist = data.load_mnist(DEFAULTS.data_dir)
    except data.DataMissing:
        return gradient_frame({})
    x, y = mnist.test_x[:256].float() / 255, mnist.test_y[:256]
    return gradient_frame({READERS[c]: log_gradients(SHIPPED[c][0], x, y) for c in READERS})


def gradient_view(sketch, mine: dict | None = None, lang: str = "en"):
    """How much of the answer's error reaches each row, for this drawing and over test digits, per model."""
    x = drawing(sketch)
    models = {READERS[c]: SHIPPED[c][0] for c in READERS} | ({text("mine", lang): mine["model"]} if mine else {})
    drawn_frame = gradient_frame({} if x is None else {k: log_gradients(m, x) for k, m in models.items()})
    return drawn_frame, gradients_over_test_digits()


def reader_choices(mine: dict | None, lang: str) -> list[tuple[str, str]]:
    return list((v, k) for k, v in READERS.items()) + ([(text("mine", lang), "mine")] if mine else [])


# ---- Train tab -------------------------------------------------------------------------------------------------

def clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang="en") -> TrainConfig:
    """A TrainConfig from what a client sent, within the server's limits; gr.Error on nonsense."""
    try:
        cfg = TrainConfig(cell=str(cell), hidden_size=int(hidden_size), lr=float(lr), batch_size=int(batch_size),
                          epochs=int(epochs), train_size=int(train_size), seed=int(seed), augment=bool(augment))
    except (TypeError, ValueError, OverflowError) as e:
        raise gr.Error(text("bad_numbers", lang, error=e), print_exception=False) from None
    if cfg.cell not in CELLS:
        raise gr.Error(text("bad_cell", lang, cells=", ".join(CELLS), cell=cell), print_exception=False)
    if not (np.isfinite(cfg.lr) and 0 < cfg.lr <= 1):
        raise gr.Error(text("bad_lr", lang), print_exception=False)
    cfg.hidden_size = int(np.clip(cfg.hidden_size, 4, 256))
    cfg.batch_size = int(np.clip(cfg.batch_size, 8, 1024))
    cfg.epochs = int(np.clip(cfg.epochs, 1, MAX_EPOCHS))
    cfg.train_size = int(np.clip(cfg.train_size, 500, 60000))
    cfg.seed = int(np.clip(cfg.seed, 0, 2**31 - 1))
    return cfg


def run_label(n: int, cfg: TrainConfig) -> str:
    return f"#{n} {cfg.cell} h{cfg.hidden_size} lr {cfg.lr:g} b{cfg.batch_size}" + (" aug" if cfg.augment else "")


def curves(runs: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """All runs' loss, accuracy and latest gradient-per-row curves as long tables, coloured by run."""
    loss, acc = [], []
    for r in runs:
        keep = max(1, len(r["loss"]) // PLOT_POINTS)
        loss += [(r["label"], x, y) for x, y in r["loss"][::keep]]
        acc += [(r["label"], x, y) for x, y in r["acc"]]
    grads = gradient_frame({r["label"]: r["grad"] for r in runs if r["grad"] is not None})
    # Typed even when empty, as in gradient_frame.
    loss = pd.DataFrame(loss, columns=["run", "images seen", "loss"]).astype({"images seen": int, "loss": float})
    acc = pd.DataFrame(acc, columns=["run", "images seen", "test accuracy"]).astype({"images seen": int,
                                                                                  "test accuracy": float})
    return loss, acc, grads.rename(columns={"model": "run"})


def probe_picture(model: RowReader, probe: torch.Tensor, probe_h: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        probs = model.out(torch.from_numpy(probe_h).to(next(model.parameters()).device)).softmax(-1).cpu().numpy()
    return visuals.reading(probe.numpy() / 255, probe_h, probs)


def results(model: RowReader, mnist: data.MNIST, pred: torch.Tensor, recipe: dict | None, stopped: bool, lang: str):
    """The end of a run: summary, confusion matrix, mistakes gallery and a downloadable checkpoint."""
    acc = (pred == mnist.test_y).float().mean().item()
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (mnist.test_y.numpy(), pred.numpy()), 1)
    wrong = (pred != mnist.test_y).nonzero()[:, 0][:24].tolist()
    gallery = [(visuals.digit(mnist.test_x[i].numpy() / 255), f"{mnist.test_y[i]} → {pred[i]}") for i in wrong]
    folder = Path(tempfile.mkdtemp(prefix="rowbyrow-"))
    files = checkpoint.save(model, folder / f"rowbyrow-{model.config.cell}{model.config.hidden_size}",
                            {"train": recipe, "test_accuracy": round(acc, 4), "stopped_early": stopped})
    summary = text("stopped" if stopped else "done", lang, acc=acc, wrong=int((pred != mnist.test_y).sum()))
    return {"model": model, "acc": acc}, summary, visuals.confusion(cm), gallery, [str(f) for f in files]


def train_model(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, runs: list, lang: str = "en"):
    """Train with the chosen settings, streaming curves and the probe digit's hidden state into the page."""
    cfg = clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang)
    try:
        mnist = data.load_mnist(cfg.data_dir)
    except data.DataMissing as e:
        raise gr.Error(str(e), print_exception=False) from None
    probe = mnist.test_x[0]
    run = {"label": run_label(len(runs) + 1, cfg), "loss": [], "acc": [], "grad": None}
    runs = runs + [run]
    job, probe_h, ended = TrainingRun(cfg, mnist, probe, MAX_TRAIN_SECONDS), None, False
    yield {job_state: job, runs_state: runs, use_button: gr.Button(interactive=False)}  # Stop can reach it now
    try:
        while not ended:
            events, ended = job.next_events(UPDATE_EVERY_S)
            for ev in events:
                run["loss"].append((ev.step * cfg.batch_size, ev.loss_avg))
                for c in ev.checks:
                    run["acc"].append((c.step * cfg.batch_size, c.test_acc))
                    probe_h, run["grad"] = c.probe_h, c.log_grads
            if events and not ended:
                ev = events[-1]
                loss_df, acc_df, grad_df = curves(runs)
                status = text("status", lang, step=ev.step, total=ev.total_steps, epoch=ev.epoch + 1,
                              loss=ev.loss_avg, sps=ev.samples_per_s, eta=ev.eta_s)
                probe_img = probe_picture(ev.model, probe, probe_h) if probe_h is not None else gr.skip()
                probe_h = None
                yield {status_md: status, loss_plot: loss_df, acc_plot: acc_df, train_grad_plot: grad_df,
                       probe_image: probe_img, runs_state: runs}
    finally:
        last = job.stop()  # a cancel (Stop, a closed page) ends the training thread too
    if job.error:
        raise gr.Error(f"Training failed: {job.error}")
    if last is None:
        return
    model = copy.deepcopy(last.model).cpu().eval()
    pred = last.test_pred if last.kind == "done" else predict(model, mnist.test_x)
    trained, summary, cm, gallery, files = results(model, mnist, pred, cfg.recipe(), last.kind != "done", lang)
    run["acc"].append((last.step * cfg.batch_size, trained["acc"]))
    loss_df, acc_df, grad_df = curves(runs)
    yield {status_md: summary, loss_plot: loss_df, acc_plot: acc_df, train_grad_plot: grad_df, confusion_image: cm,
           mistakes: gallery, download: files, runs_state: runs, trained_state: trained, job_state: None,
           probe_image: probe_picture(model, probe, last.probe_h) if last.probe_h is not None else gr.skip(),
           use_button: gr.Button(interactive=True)}


def stop_training(job: TrainingRun | None, lang: str = "en"):
    """After Stop: end the run, score the partly trained model on the full test set and offer it."""
    last = job.stop() if job else None
    if last is None or last.kind == "done":  # nothing running, or it finished and reports by itself
        return {status_md: text("nothing_training", lang)} if last is None else {}
    model = copy.deepcopy(last.model).cpu().eval()
    mnist = data.load_mnist(DEFAULTS.data_dir)
    trained, summary, cm, gallery, files = results(model, mnist, predict(model, mnist.test_x), None, True, lang)
    return {status_md: summary, confusion_image: cm, mistakes: gallery, download: files, trained_state: trained,
            job_state: None, use_button: gr.Button(interactive=True)}


def use_trained(trained: dict | None, sketch, lang: str = "en"):
    """Switch this browser session's Draw tab to the model just trained (others keep the shipped ones)."""
    if trained is None:
        raise gr.Error(text("train_first", lang))
    return (trained, gr.Radio(choices=reader_choices(trained, lang), value="mine"),
            model_name("mine", trained, lang), *read_digit(sketch, "mine", trained, lang), gr.Tabs(selected="draw"))


# ---- Layout ----------------------------------------------------------------------------------------------------

# The Sketchpad opens with no tool chosen and drops the brush after a clear; pick it whenever that happens.
# Its buttons are found by their labels in the browser's language (Gradio translates them; English elsewhere).
SKETCH_BUTTON = """
const sketchButton = (labels) => {
  const pad = document.querySelector('#sketch');
  return pad && labels.map(l => pad.querySelector(`button[aria-label="${l}"]`)).find(b => b);
};
"""
ARM_BRUSH = "() => {" + SKETCH_BUTTON + """
  const arm = () => {
    const brush = sketchButton(['Brush', '使用画笔', '使用筆刷']);
    if (brush && !brush.classList.contains('selected') && brush.getAttribute('aria-pressed') !== 'true') brush.click();
  };
  new MutationObserver(arm).observe(document.body, {subtree: true, childList: true});
  setTimeout(arm, 300);
}
"""
# The canvas's own clear: gr.ClearButton resets the value, which the editor ignores the second time.
CLEAR_CANVAS = "() => {" + SKETCH_BUTTON + "sketchButton(['Clear canvas', '清除画布'])?.click(); }"
CSS = """
#sketch { max-width: 480px; }
.reading img { image-rendering: pixelated; }
/* A LinePlot with a label and a fixed height clips its last rows, the legend: give the chart only what is left. */
.legend-plot { display: flex; flex-direction: column; }
.legend-plot > .vega-embed { flex: 1 1 0; min-height: 0; }
"""
TRANSLATED: list[tuple[gr.components.Component, dict[str, str]]] = []  # (component, {attribute: text key})


def line_plot(*args, color: str, **kwargs) -> gr.LinePlot:
    """A LinePlot whose legend shows (see .legend-plot above), titled from the text key legend_<color>."""
    return gr.LinePlot(*args, color=color, color_title=text(f"legend_{color}"), elem_classes="legend-plot", **kwargs)


def tr(component, **keys: str):
    """Register which of a component's texts come from which text keys, so the language switch can redo them."""
    TRANSLATED.append((component, keys))
    return component


def relabel(lang: str, mine: dict | None = None):
    """Every registered text in `lang`, and the model selector (whose choices depend on the session)."""
    texts = [gr.update(**{attr: text(key, lang) for attr, key in keys.items()}) for _, keys in TRANSLATED]
    return *texts, gr.Radio(choices=reader_choices(mine, lang), label=text("reader", lang))


def detect_language(request: gr.Request) -> str:
    return language(request.headers.get("accept-language") if request else None)


with gr.Blocks(title="Row by Row: watch a recurrent network read your handwriting") as demo:
    mine_state = gr.State(None)  # {"model", "acc"}: this session's own model once it chose to use it
    trained_state = gr.State(None)  # {"model", "acc"}: the session's latest trained model
    runs_state = gr.State([])  # this session's runs, for the overlaid curves
    job_state = gr.State(None)  # the TrainingRun in progress, for Stop
    with gr.Row(equal_height=True):
        with gr.Column(scale=5):
            tr(gr.Markdown(text("title")), value="title")
        with gr.Column(scale=1, min_width=200):
            lang = gr.Radio([(v, k) for k, v in LANGUAGES.items()], value="en", label="Language / 语言",
                            elem_id="language")
    with gr.Tabs() as tabs:
        with tr(gr.Tab(text("tab_draw"), id="draw"), label="tab_draw"):
            with gr.Row():
                with gr.Column(scale=4, min_width=360):
                    sketch = tr(gr.Sketchpad(
                        elem_id="sketch", label=text("sketch"), type="numpy", canvas_size=(CANVAS, CANVAS),
                        fixed_canvas=True, height=CANVAS + 110, layers=False, transforms=(),
                        brush=gr.Brush(default_size=16, colors=["#111111"], color_mode="fixed"),
                    ), label="sketch")
                    clear_button = tr(gr.Button(text("clear"), elem_id="clear"), value="clear")
                    choice = gr.Radio(reader_choices(None, "en"), value="lstm", label=text("reader"),
                                      elem_id="reader")  # relabelled with its session's choices by relabel()
                with gr.Column(scale=6):
                    label = tr(gr.Label(num_top_classes=3, label=text("prediction"), elem_id="prediction"),
                               label="prediction")
                    caption = gr.Markdown(read_digit(None)[3], elem_id="caption")
                    belief_plot = tr(line_plot(EMPTY_BELIEF, x="row", y="probability", color="digit",
                                                 x_lim=[1, 28], y_lim=[0, 1], height=300, label=text("belief"),
                                                 x_title=text("rows_read"), y_title=text("probability")),
                                     label="belief", x_title="rows_read", y_title="probability",
                                     color_title="legend_digit")
                    model_md = gr.Markdown(model_name(), elem_id="model-name")
            tr(gr.Markdown(text("picture_title")), value="picture_title")
            picture = gr.Image(show_label=False, type="numpy", format="png", interactive=False, height=380,
                               elem_id="reading", elem_classes="reading", buttons=["download", "fullscreen"])
            examples = tr(gr.Examples(EXAMPLES, inputs=sketch, label=text("examples"), examples_per_page=10).dataset,
                          label="examples")
        with tr(gr.Tab(text("tab_inside"), id="inside", elem_id="inside-tab"), label="tab_inside") as inside_tab:
            tr(gr.Markdown(text("lesson")), value="lesson")
            with gr.Row(equal_height=True):
                with gr.Column(scale=3):
                    row_slider = tr(gr.Slider(1, 28, value=28, step=1, label=text("row_slider"), elem_id="row"),
                                    label="row_slider")
                    play_button = tr(gr.Button(text("play"), size="sm"), value="play")
                    inside_caption = gr.Markdown(elem_id="inside-caption")
                row_label = gr.Label(num_top_classes=3, show_label=False, elem_id="row-belief", scale=1, min_width=220)
            inside_title = gr.Markdown(text("inside_title", cell="LSTM"))
            inside_image = gr.Image(show_label=False, type="numpy", format="png", interactive=False, height=470,
                                    elem_id="inside", elem_classes="reading", buttons=["download", "fullscreen"])
            panels_md = gr.Markdown(text("panels_lstm"))
            tr(gr.Markdown(text("grad_title")), value="grad_title")
            tr(gr.Markdown(text("grad_text")), value="grad_text")
            with gr.Row():
                grad_mine = tr(line_plot(x="row", y="log10 gradient", color="model", height=280, x_lim=[1, 28],
                                           label=text("grad_digit"), y_title=text("grad_y"), x_title=text("row"),
                                           elem_id="grad-digit"),
                               label="grad_digit", y_title="grad_y", x_title="row", color_title="legend_model")
                grad_test = tr(line_plot(x="row", y="log10 gradient", color="model", height=280, x_lim=[1, 28],
                                           label=text("grad_test"), y_title=text("grad_y"), x_title=text("row")),
                               label="grad_test", y_title="grad_y", x_title="row", color_title="legend_model")
        with tr(gr.Tab(text("tab_train"), id="train"), label="tab_train"):
            with gr.Row():
                with gr.Column(scale=3, min_width=300):
                    cell = tr(gr.Radio([(v, k) for k, v in READERS.items()], value=DEFAULTS.cell,
                                       label=text("cell")), label="cell")
                    hidden_size = tr(gr.Slider(8, 256, value=DEFAULTS.hidden_size, step=8, label=text("hidden")),
                                     label="hidden")
                    lr = tr(gr.Number(DEFAULTS.lr, label=text("lr"), minimum=1e-5, maximum=1), label="lr")
                    batch_size = tr(gr.Slider(16, 512, value=DEFAULTS.batch_size, step=16, label=text("batch")),
                                    label="batch")
                    epochs = tr(gr.Slider(1, MAX_EPOCHS, value=DEFAULTS.epochs, step=1, label=text("epochs")),
                                label="epochs")
                    train_size = tr(gr.Slider(1000, 60000, value=DEFAULTS.train_size, step=1000,
                                              label=text("train_size"), elem_id="train-size"), label="train_size")
                    seed = tr(gr.Number(DEFAULTS.seed, precision=0, label=text("seed")), label="seed")
                    augment = tr(gr.Checkbox(DEFAULTS.augment, label=text("augment")), label="augment")
                    with gr.Row():
                        train_button = tr(gr.Button(text("train"), variant="primary", elem_id="train"), value="train")
                        stop_button = tr(gr.Button(text("stop"), variant="stop", elem_id="stop"), value="stop")
                with gr.Column(scale=7):
                    status_md = gr.Markdown(text("train_intro"), elem_id="train-status")
                    with gr.Row():
                        loss_plot = tr(line_plot(x="images seen", y="loss", color="run", height=260,
                                                   label=text("loss_plot"), y_lim=[0, 2.5], elem_id="loss-plot",
                                                   x_title=text("images_seen"), y_title=text("loss")),
                                       label="loss_plot", x_title="images_seen", y_title="loss",
                                       color_title="legend_run")
                        acc_plot = tr(line_plot(x="images seen", y="test accuracy", color="run", height=260,
                                                  label=text("acc_plot"), y_lim=[0, 1], x_title=text("images_seen"),
                                                  y_title=text("test_accuracy")),
                                      label="acc_plot", x_title="images_seen", y_title="test_accuracy",
                                      color_title="legend_run")
                    train_grad_plot = tr(line_plot(x="row", y="log10 gradient", color="run", height=220,
                                                     x_lim=[1, 28], label=text("grad_plot"), x_title=text("row"),
                                                     y_title=text("grad_y")),
                                         label="grad_plot", x_title="row", y_title="grad_y", color_title="legend_run")
                    tr(gr.Markdown(text("probe_title")), value="probe_title")
                    probe_image = gr.Image(show_label=False, type="numpy", format="png", interactive=False,
                                           height=380, elem_classes="reading")
                    tr(gr.Markdown(text("end_title")), value="end_title")
                    with gr.Row():
                        confusion_image = gr.Image(show_label=False, type="numpy", format="png", interactive=False,
                                                   height=470)
                        mistakes = tr(gr.Gallery(label=text("mistakes"), columns=4, height=470, object_fit="contain"),
                                      label="mistakes")
                    with gr.Row():
                        use_button = tr(gr.Button(text("use"), interactive=False), value="use")
                        download = tr(gr.File(label=text("download"), file_count="multiple", interactive=False),
                                      label="download")

    reading_outputs = [label, picture, belief_plot, caption]
    inside_outputs = [inside_image, row_label, inside_caption, inside_title, panels_md]
    sketch.change(read_digit, [sketch, choice, mine_state, lang], reading_outputs, api_name="predict",
                  show_progress="hidden", concurrency_limit=4, trigger_mode="always_last")
    choice.change(read_digit, [sketch, choice, mine_state, lang], reading_outputs, api_name=False,
                  show_progress="hidden").then(model_name, [choice, mine_state, lang], model_md, api_name=False)
    inside_inputs = [sketch, choice, mine_state, row_slider, lang]
    inside_tab.select(inside_view, inside_inputs, inside_outputs, api_name="inside", show_progress="hidden")
    inside_tab.select(gradient_view, [sketch, mine_state, lang], [grad_mine, grad_test], api_name="gradients",
                      show_progress="hidden")
    row_slider.input(inside_view, inside_inputs, inside_outputs, api_name=False, show_progress="hidden",
                     trigger_mode="always_last")
    play_button.click(play, [sketch, choice, mine_state, lang], [row_slider, *inside_outputs], api_name=False,
                      show_progress="hidden")
    settings = [cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment]
    train_event = train_button.click(
        train_model, settings + [runs_state, lang],
        [status_md, loss_plot, acc_plot, train_grad_plot, probe_image, confusion_image, mistakes, download,
         runs_state, trained_state, job_state, use_button],
        api_name="train", concurrency_limit=TRAIN_CONCURRENCY, concurrency_id="train",
    )
    stop_button.click(stop_training, [job_state, lang],
                      [status_md, confusion_image, mistakes, download, trained_state, job_state, use_button],
                      cancels=[train_event], api_name="stop")
    use_button.click(use_trained, [trained_state, sketch, lang], [mine_state, choice, model_md, *reading_outputs, tabs],
                     api_name=False)
    lang.change(relabel, [lang, mine_state], [c for c, _ in TRANSLATED] + [choice], api_name=False,
                show_progress="hidden").then(
        read_digit, [sketch, choice, mine_state, lang], reading_outputs, api_name=False, show_progress="hidden").then(
        model_name, [choice, mine_state, lang], model_md, api_name=False, show_progress="hidden").then(
        inside_view, inside_inputs, inside_outputs, api_name=False, show_progress="hidden")
    clear_button.click(None, js=CLEAR_CANVAS)
    demo.load(None, js=ARM_BRUSH)
    demo.load(detect_language, None, lang, api_name=False)

if __name__ == "__main__":
    # Caps on what one visitor can send or queue: uploads of 5 MB, 64 waiting events.
    demo.queue(max_size=64).launch(css=CSS, max_file_size="5mb", show_error=True)
