"""Row by Row: draw a digit and watch an LSTM read it one pixel row at a time, or train one and watch it learn."""
import copy
import logging
import os
import tempfile
import time
from pathlib import Path

import gradio as gr
import numpy as np
import pandas as pd
import torch

import checkpoint
import data
import preprocess
import visuals
from model import CELLS, ModelConfig, RowReader
from train import TrainConfig, predict, train_events

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
EMPTY_TEXT = "✏️ **Draw a digit (0-9)** in the box, or click one of the MNIST examples below it."

# Gradio runs handlers in worker threads, where torch with two intra-op threads ran 3-4x slower than with
# one on a 2-vCPU machine (see BENCHMARKS.md); the model is small enough that one thread per op is best.
torch.set_num_threads(1)
try:  # shared and read-only; a session's own model lives in gr.State
    SHIPPED = checkpoint.load_pretrained("lstm")
    SHIPPED_ACCURACY, SHIPPED_ERROR = checkpoint.meta(checkpoint.WEIGHTS_DIR / "lstm")["test_accuracy"], None
except (checkpoint.CheckpointError, KeyError) as e:  # a damaged file must not keep the Space from starting
    logging.error("shipped weights unusable, serving an untrained model: %s", e)
    SHIPPED, SHIPPED_ACCURACY = RowReader(ModelConfig()).eval(), 0.1  # untrained: chance level
    SHIPPED_ERROR = "⚠️ The trained weights could not be loaded, so this model is untrained and guesses."
    EMPTY_TEXT = f"{SHIPPED_ERROR}\n\n{EMPTY_TEXT}"  # the caption every visitor sees first


def belief_frame(probs: np.ndarray) -> pd.DataFrame:
    """Long table for the belief plot: probability of each digit after each row."""
    return pd.DataFrame({"row": np.repeat(np.arange(1, 29), 10), "digit": DIGITS * 28, "probability": probs.ravel()})


EMPTY_BELIEF = belief_frame(np.full((28, 10), np.nan))


def settle_row(probs: np.ndarray) -> int:
    """The row (1-based) from which the final answer led at every later row."""
    top = probs.argmax(1)
    changed = np.nonzero(top != top[-1])[0]
    return int(changed[-1]) + 2 if len(changed) else 1


@torch.inference_mode()
def read_digit(sketch, model: RowReader | None = None):
    """Read a drawing row by row: top-3 classes, the row-aligned picture, the belief per row and a caption."""
    try:
        x = preprocess.to_mnist(sketch)
    except preprocess.BadImage as e:
        raise gr.Error(str(e), print_exception=False) from None
    if x is None:
        return None, None, EMPTY_BELIEF, EMPTY_TEXT
    model = model or SHIPPED
    trace = model.trace(torch.from_numpy(x)[None])
    probs, hidden = trace["probs"][0].numpy(), trace["h"][0].numpy()  # (28, 10), (28, H)
    final = probs[-1]
    top = int(final.argmax())
    row = settle_row(probs)
    caption = (f"Read as **{top}** ({final[top]:.0%}). The network settled on {top} at **row {row}** of 28 "
               f"and kept it for every row after. Each row of the picture is one time step: the pixels the "
               f"LSTM read, the {hidden.shape[1]} hidden units it passed on, and its belief so far.")
    return {d: float(p) for d, p in zip(DIGITS, final)}, visuals.reading(x, hidden, probs), belief_frame(probs), caption


def model_name(model: RowReader | None, accuracy: float | None = None) -> str:
    if model is None:
        model, whose, accuracy = SHIPPED, "the **shipped", SHIPPED_ACCURACY
    else:
        whose = "**your trained"
    c = model.config
    return f"Reading with {whose} {c.cell.upper()}** ({c.hidden_size} hidden units, {accuracy:.1%} on the MNIST test set)."


# ---- Train tab -------------------------------------------------------------------------------------------------

def clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment) -> TrainConfig:
    """A TrainConfig from what a client sent, within the server's limits; gr.Error on nonsense."""
    try:
        cfg = TrainConfig(cell=str(cell), hidden_size=int(hidden_size), lr=float(lr), batch_size=int(batch_size),
                          epochs=int(epochs), train_size=int(train_size), seed=int(seed), augment=bool(augment))
    except (TypeError, ValueError) as e:
        raise gr.Error(f"Training settings must be numbers: {e}") from None
    if cfg.cell not in CELLS:
        raise gr.Error(f"Cell type must be one of {', '.join(CELLS)}, not {cell!r}.")
    if not (np.isfinite(cfg.lr) and 0 < cfg.lr <= 1):
        raise gr.Error("Learning rate must be between 0 and 1.")
    cfg.hidden_size = int(np.clip(cfg.hidden_size, 4, 256))
    cfg.batch_size = int(np.clip(cfg.batch_size, 8, 1024))
    cfg.epochs = int(np.clip(cfg.epochs, 1, MAX_EPOCHS))
    cfg.train_size = int(np.clip(cfg.train_size, 500, 60000))
    return cfg


def run_label(n: int, cfg: TrainConfig) -> str:
    return f"#{n} {cfg.cell} h{cfg.hidden_size} lr {cfg.lr:g} b{cfg.batch_size}" + (" aug" if cfg.augment else "")


def curves(runs: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All runs' loss and accuracy curves as long tables, coloured by run."""
    loss, acc = [], []
    for r in runs:
        keep = max(1, len(r["loss"]) // PLOT_POINTS)
        loss += [(r["label"], x, y) for x, y in r["loss"][::keep]]
        acc += [(r["label"], x, y) for x, y in r["acc"]]
    cols = ["run", "images seen", "loss"], ["run", "images seen", "test accuracy"]
    return pd.DataFrame(loss, columns=cols[0]), pd.DataFrame(acc, columns=cols[1])


def probe_picture(model: RowReader, probe: torch.Tensor, probe_h: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        probs = model.out(torch.from_numpy(probe_h)).softmax(-1).numpy()
    return visuals.reading(probe.numpy() / 255, probe_h, probs)


def results(model: RowReader, mnist: data.MNIST, pred: torch.Tensor, recipe: dict | None, stopped: bool):
    """The end of a run: summary, confusion matrix, mistakes gallery and a downloadable checkpoint."""
    acc = (pred == mnist.test_y).float().mean().item()
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (mnist.test_y.numpy(), pred.numpy()), 1)
    wrong = (pred != mnist.test_y).nonzero()[:, 0][:24].tolist()
    gallery = [(visuals.digit(mnist.test_x[i].numpy() / 255), f"{mnist.test_y[i]} → {pred[i]}") for i in wrong]
    folder = Path(tempfile.mkdtemp(prefix="rowbyrow-"))
    files = checkpoint.save(model, folder / f"rowbyrow-{model.config.cell}{model.config.hidden_size}",
                            {"train": recipe, "test_accuracy": round(acc, 4), "stopped_early": stopped})
    summary = (f"### {'Stopped' if stopped else 'Done'}: {acc:.2%} on the full MNIST test set "
               f"({int((pred != mnist.test_y).sum())} of 10,000 digits misread)")
    return acc, summary, visuals.confusion(cm), gallery, [str(f) for f in files]


def train_model(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, runs: list):
    """Train with the chosen settings, streaming curves and the probe digit's hidden state into the page."""
    cfg = clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment)
    try:
        mnist = data.load_mnist(cfg.data_dir)
    except data.DataMissing as e:
        raise gr.Error(str(e)) from None
    probe = mnist.test_x[0]
    run = {"label": run_label(len(runs) + 1, cfg), "loss": [], "acc": []}
    runs = runs + [run]
    last_update, t0, ev, probe_h = 0.0, time.perf_counter(), None, None
    for ev in train_events(cfg, mnist, probe):
        seen = ev.step * cfg.batch_size
        run["loss"].append((seen, ev.loss_avg))
        if ev.kind == "eval":
            run["acc"].append((seen, ev.test_acc))
            probe_h = ev.probe_h
        if ev.kind == "done" or time.perf_counter() - t0 > MAX_TRAIN_SECONDS:
            break
        # Updates go out on a clock, not per step or per check, so drawing them never slows training much.
        if time.perf_counter() - last_update >= UPDATE_EVERY_S:
            last_update = time.perf_counter()
            loss_df, acc_df = curves(runs)
            status = (f"Step {ev.step:,} of {ev.total_steps:,} · epoch {ev.epoch + 1} · loss {ev.loss_avg:.3f} · "
                      f"{ev.samples_per_s:,.0f} images/s · about {ev.eta_s:.0f} s left")
            probe_img = probe_picture(ev.model, probe, probe_h) if probe_h is not None else gr.skip()
            probe_h = None
            yield {status_md: status, loss_plot: loss_df, acc_plot: acc_df, probe_image: probe_img,
                   runs_state: runs, trained_state: ev.model}
    if ev is None:
        return
    model = ev.model.cpu().eval()
    pred = ev.test_pred if ev.kind == "done" else predict(model, mnist.test_x)
    acc, summary, cm, gallery, files = results(model, mnist, pred, cfg.recipe(), stopped=ev.kind != "done")
    run["acc"].append((ev.step * cfg.batch_size, acc))
    loss_df, acc_df = curves(runs)
    probe_h = ev.probe_h if ev.kind == "done" else None
    yield {status_md: summary, loss_plot: loss_df, acc_plot: acc_df, confusion_image: cm, mistakes: gallery,
           download: files, runs_state: runs, trained_state: model, trained_acc: acc,
           probe_image: probe_picture(model, probe, probe_h) if probe_h is not None else gr.skip(),
           use_button: gr.Button(interactive=True)}


def stop_training(model: RowReader | None, runs: list):
    """After Stop: score the partly trained model on the full test set and offer it like a finished one."""
    if model is None or not runs:
        return {status_md: "Nothing is training."}
    model = copy.deepcopy(model).cpu().eval()
    mnist = data.load_mnist(DEFAULTS.data_dir)
    acc, summary, cm, gallery, files = results(model, mnist, predict(model, mnist.test_x), None, stopped=True)
    return {status_md: summary, confusion_image: cm, mistakes: gallery, download: files, trained_state: model,
            trained_acc: acc, use_button: gr.Button(interactive=True)}


def use_trained(trained: RowReader | None, acc: float | None, sketch):
    """Switch this browser session's Draw tab to the model just trained (others keep the shipped one)."""
    if trained is None:
        raise gr.Error("Train a model first.")
    return (trained, model_name(trained, acc), *read_digit(sketch, trained), gr.Tabs(selected="draw"))


def use_shipped(sketch):
    return (None, model_name(None), *read_digit(sketch, None))


# ---- Layout ----------------------------------------------------------------------------------------------------

# The Sketchpad opens with no tool chosen and drops the brush after Clear; pick it whenever that happens.
ARM_BRUSH = """
() => {
  const arm = () => {
    const pad = document.querySelector('#sketch');
    if (!pad) return;
    const brush = pad.querySelector('button[aria-label="Brush"], button[title="Brush"]');
    if (brush && !brush.classList.contains('selected') && brush.getAttribute('aria-pressed') !== 'true') brush.click();
  };
  new MutationObserver(arm).observe(document.body, {subtree: true, childList: true});
  setTimeout(arm, 300);
}
"""
CSS = """
#sketch { max-width: 480px; }
.reading img { image-rendering: pixelated; }
"""

with gr.Blocks(title="Row by Row: watch an LSTM read your handwriting") as demo:
    model_state = gr.State(None)  # this session's model for the Draw tab; None = shipped
    trained_state, trained_acc = gr.State(None), gr.State(None)
    runs_state = gr.State([])
    gr.Markdown("# Row by Row\nDraw a digit. An LSTM reads it like a sentence: **one pixel row per time step**, "
                "top to bottom, carrying a hidden state from row to row, and only answers after row 28.")
    with gr.Tabs() as tabs:
        with gr.Tab("Draw", id="draw"):
            with gr.Row():
                with gr.Column(scale=4, min_width=360):
                    sketch = gr.Sketchpad(
                        elem_id="sketch", label="Draw here", type="numpy", canvas_size=(CANVAS, CANVAS),
                        fixed_canvas=True, height=CANVAS + 110, layers=False, transforms=(),
                        brush=gr.Brush(default_size=16, colors=["#111111"], color_mode="fixed"),
                    )
                    clear_button = gr.ClearButton(sketch, value="Clear", elem_id="clear")
                with gr.Column(scale=6):
                    label = gr.Label(num_top_classes=3, label="Prediction", elem_id="prediction")
                    caption = gr.Markdown(EMPTY_TEXT, elem_id="caption")
                    belief_plot = gr.LinePlot(EMPTY_BELIEF, x="row", y="probability", color="digit",
                                              x_lim=[1, 28], y_lim=[0, 1], height=300,
                                              label="Belief after each row", x_title="rows read",
                                              y_title="probability")
                    model_md = gr.Markdown(model_name(None))
                    shipped_button = gr.Button("Back to the shipped model", size="sm")
            gr.Markdown("#### Row by row: the pixels read at each time step · the hidden state passed on · "
                        "the belief so far (each band is one row)")
            picture = gr.Image(show_label=False, type="numpy", format="png", interactive=False, height=380,
                               elem_id="reading", elem_classes="reading", buttons=["download", "fullscreen"])
            gr.Examples(EXAMPLES, inputs=sketch, label="MNIST test digits (click one)", examples_per_page=10)
        with gr.Tab("Train", id="train"):
            with gr.Row():
                with gr.Column(scale=3, min_width=300):
                    cell = gr.Radio(sorted(CELLS, key=["lstm", "gru", "rnn"].index), value=DEFAULTS.cell,
                                    label="Cell")
                    hidden_size = gr.Slider(8, 256, value=DEFAULTS.hidden_size, step=8, label="Hidden units")
                    lr = gr.Number(DEFAULTS.lr, label="Learning rate (Adam)", minimum=1e-5, maximum=1)
                    batch_size = gr.Slider(16, 512, value=DEFAULTS.batch_size, step=16, label="Batch size")
                    epochs = gr.Slider(1, MAX_EPOCHS, value=DEFAULTS.epochs, step=1, label="Epochs")
                    train_size = gr.Slider(1000, 60000, value=DEFAULTS.train_size, step=1000,
                                           label="Training images", elem_id="train-size")
                    seed = gr.Number(DEFAULTS.seed, precision=0, label="Seed")
                    augment = gr.Checkbox(DEFAULTS.augment, label="Augment (random affine, stroke width)")
                    with gr.Row():
                        train_button = gr.Button("Train", variant="primary", elem_id="train")
                        stop_button = gr.Button("Stop", variant="stop", elem_id="stop")
                with gr.Column(scale=7):
                    status_md = gr.Markdown(elem_id="train-status", value="Defaults are the original program's recipe: LSTM(28→64) → "
                                            "Linear(64→10), Adam 0.01, batch 64, one epoch (about 3 s here).")
                    with gr.Row():
                        loss_plot = gr.LinePlot(x="images seen", y="loss", color="run", height=260,
                                                label="Training loss (smoothed)", y_lim=[0, 2.5],
                                                elem_id="loss-plot")
                        acc_plot = gr.LinePlot(x="images seen", y="test accuracy", color="run", height=260,
                                               label="Test accuracy (first 2,000 test digits)", y_lim=[0, 1])
                    gr.Markdown("#### A probe digit, read by the network as it learns (same layout as the Draw tab)")
                    probe_image = gr.Image(show_label=False, type="numpy", format="png", interactive=False,
                                           height=380, elem_classes="reading")
                    gr.Markdown("#### At the end: confusion matrix and misread digits (full 10,000-image test set)")
                    with gr.Row():
                        confusion_image = gr.Image(show_label=False, type="numpy", format="png", interactive=False,
                                                   height=470)
                        mistakes = gr.Gallery(label="Misread: true → read", columns=6, height=470, object_fit="contain")
                    with gr.Row():
                        use_button = gr.Button("Use this model in the Draw tab", interactive=False)
                        download = gr.File(label="Download the trained model (safetensors + JSON config)",
                                           file_count="multiple", interactive=False)

    reading_outputs = [label, picture, belief_plot, caption]
    sketch.change(read_digit, [sketch, model_state], reading_outputs, api_name="predict",
                  show_progress="hidden", concurrency_limit=4, trigger_mode="always_last")
    settings = [cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment]
    train_event = train_button.click(
        train_model, settings + [runs_state],
        [status_md, loss_plot, acc_plot, probe_image, confusion_image, mistakes, download, runs_state,
         trained_state, trained_acc, use_button],
        api_name="train", concurrency_limit=TRAIN_CONCURRENCY, concurrency_id="train",
    )
    stop_button.click(stop_training, [trained_state, runs_state],
                      [status_md, confusion_image, mistakes, download, trained_state, trained_acc, use_button],
                      cancels=[train_event], api_name="stop")
    use_button.click(use_trained, [trained_state, trained_acc, sketch],
                     [model_state, model_md, *reading_outputs, tabs], api_name=False)
    shipped_button.click(use_shipped, [sketch], [model_state, model_md, *reading_outputs], api_name=False)
    demo.load(None, js=ARM_BRUSH)

if __name__ == "__main__":
    demo.queue(max_size=64).launch(css=CSS, max_file_size="5mb")
