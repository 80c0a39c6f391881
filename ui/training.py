"""The Train tab: train a network with settings of your choice and watch it learn; compare it with earlier runs."""
import copy
import os
import tempfile
from functools import partial
from pathlib import Path

import gradio as gr
import numpy as np
import torch

import checkpoint
import data
import visuals
from model import CELLS, RowReader
from texts import text
from train import TrainConfig, predict
from training_run import TrainingRun
from ui.common import T, Readers, Texts, line_plot, picture_file
from ui.draw import DrawTab, read_digit
from ui.tables import GRAD_Y, curves

DEFAULTS = TrainConfig()  # the original program's recipe: the tab's starting values
# Server-side caps: whatever a client sends through the API, one run stays small enough for a shared CPU Space.
MAX_EPOCHS = int(os.environ.get("ROWBYROW_MAX_EPOCHS", 3))
MAX_TRAIN_SECONDS = float(os.environ.get("ROWBYROW_MAX_TRAIN_SECONDS", 300))
TRAIN_CONCURRENCY = int(os.environ.get("ROWBYROW_TRAIN_CONCURRENCY", 1))
UPDATE_EVERY_S = 0.5  # the page gets a training update at least this often; more would slow training down
# What a training handler updates, in the order of its outputs; `update()` skips what a step leaves alone.
OUTPUTS = ("status", "loss", "acc", "grads", "probe", "confusion", "mistakes", "download", "runs", "trained", "job",
           "use")


def update(**changes) -> tuple:
    """A tuple for the OUTPUTS, gr.skip() for each one not named."""
    unknown = set(changes) - set(OUTPUTS)
    assert not unknown, unknown
    return tuple(changes.get(name, gr.skip()) for name in OUTPUTS)


def as_bool(value) -> bool:
    """A checkbox value from the page or an API client ("False" and "0" are false)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang="en") -> TrainConfig:
    """A TrainConfig from what a client sent, within the server's limits; gr.Error on nonsense."""
    try:
        cfg = TrainConfig(cell=str(cell), hidden_size=int(hidden_size), lr=float(lr), batch_size=int(batch_size),
                          epochs=int(epochs), train_size=int(train_size), seed=int(seed), augment=as_bool(augment))
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


def probe_picture(model: RowReader, probe: torch.Tensor, probe_h: np.ndarray) -> str:
    """The probe digit as the Draw tab shows a reading, with the hidden state `probe_h` (28, H) it had."""
    with torch.inference_mode():
        probs = model.out(torch.from_numpy(probe_h).to(next(model.parameters()).device)).softmax(-1).cpu().numpy()
    return picture_file(visuals.reading(probe.numpy() / 255, probe_h, probs), "probe")


def results(model: RowReader, mnist: data.MNIST, pred: torch.Tensor, recipe: dict | None, stopped: bool, lang: str):
    """The end of a run: the model, summary, confusion matrix, mistakes gallery and a downloadable checkpoint."""
    acc = (pred == mnist.test_y).float().mean().item()
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (mnist.test_y.numpy(), pred.numpy()), 1)
    wrong = (pred != mnist.test_y).nonzero()[:, 0][:24].tolist()
    gallery = [(visuals.digit(mnist.test_x[i].numpy() / 255), f"{mnist.test_y[i]} → {pred[i]}") for i in wrong]
    folder = Path(tempfile.mkdtemp(prefix="rowbyrow-"))
    files = checkpoint.save(model, folder / f"rowbyrow-{model.config.cell}{model.config.hidden_size}",
                            {"train": recipe, "test_accuracy": round(acc, 4), "stopped_early": stopped})
    summary = text("stopped" if stopped else "done", lang, acc=acc, wrong=int((pred != mnist.test_y).sum()))
    return ({"model": model, "acc": acc}, summary, picture_file(visuals.confusion(cm), "confusion"), gallery,
            [str(f) for f in files])


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
    yield update(job=job, runs=runs, use=gr.Button(interactive=False))  # Stop can reach it now
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
                loss, acc, grads = curves(runs)
                status = text("status", lang, step=ev.step, total=ev.total_steps, epoch=ev.epoch + 1,
                              loss=ev.loss_avg, sps=ev.samples_per_s, eta=ev.eta_s)
                probe_img = probe_picture(ev.model, probe, probe_h) if probe_h is not None else gr.skip()
                probe_h = None
                yield update(status=status, loss=loss, acc=acc, grads=grads, probe=probe_img, runs=runs)
    finally:
        last = job.stop()  # a cancel (Stop, a closed page) ends the training thread too
    if job.error:
        raise gr.Error(text("train_failed", lang, error=job.error))
    if last is None:
        return
    model = copy.deepcopy(last.model).cpu().eval()
    pred = last.test_pred if last.kind == "done" else predict(model, mnist.test_x)
    trained, summary, cm, gallery, files = results(model, mnist, pred, cfg.recipe(), last.kind != "done", lang)
    run["acc"].append((last.step * cfg.batch_size, trained["acc"]))
    loss, acc, grads = curves(runs)
    probe_img = probe_picture(model, probe, last.probe_h) if last.probe_h is not None else gr.skip()
    yield update(status=summary, loss=loss, acc=acc, grads=grads, probe=probe_img, confusion=cm, mistakes=gallery,
                 download=files, runs=runs, trained=trained, job=None, use=gr.Button(interactive=True))


def stop_training(job: TrainingRun | None, lang: str = "en"):
    """After Stop: end the run, score the partly trained model on the full test set and offer it."""
    last = job.stop() if job else None
    if last is None:
        return update(status=text("nothing_training", lang))
    if last.kind == "done":  # it finished: the run's own handler reports the result
        return update()
    model = copy.deepcopy(last.model).cpu().eval()
    mnist = data.load_mnist(DEFAULTS.data_dir)
    trained, summary, cm, gallery, files = results(model, mnist, predict(model, mnist.test_x), None, True, lang)
    return update(status=summary, confusion=cm, mistakes=gallery, download=files, trained=trained, job=None,
                  use=gr.Button(interactive=True))


def use_trained(readers: Readers, trained: dict | None, image, lang: str = "en"):
    """This browser session's Draw tab reads with the model just trained (others keep the shipped ones)."""
    if trained is None:
        raise gr.Error(text("train_first", lang))
    return (trained, gr.Radio(choices=readers.choices(trained, lang), value="mine"),
            readers.describe("mine", trained, lang), *read_digit(readers, image, "mine", trained, lang))


def build(readers: Readers, texts: Texts, lang: gr.Radio, mine: gr.State, draw: DrawTab, tabs: gr.Tabs) -> None:
    """The tab's components and listeners; call inside its gr.Tab."""
    runs = gr.State([])  # this session's runs, for the overlaid curves
    trained = gr.State(None)  # {"model", "acc"}: the session's latest trained model
    job = gr.State(None)  # the TrainingRun in progress, for Stop
    with gr.Row():
        with gr.Column(scale=3, min_width=300):
            cell = texts(gr.Radio, [(c.name, k) for k, c in CELLS.items()], value=DEFAULTS.cell, label=T("cell"))
            hidden_size = texts(gr.Slider, 8, 256, value=DEFAULTS.hidden_size, step=8, label=T("hidden"))
            lr = texts(gr.Number, DEFAULTS.lr, label=T("lr"), minimum=1e-5, maximum=1)
            batch_size = texts(gr.Slider, 16, 512, value=DEFAULTS.batch_size, step=16, label=T("batch"))
            epochs = texts(gr.Slider, 1, MAX_EPOCHS, value=DEFAULTS.epochs, step=1, label=T("epochs"))
            train_size = texts(gr.Slider, 1000, 60000, value=DEFAULTS.train_size, step=1000, label=T("train_size"),
                               elem_id="train-size")
            seed = texts(gr.Number, DEFAULTS.seed, precision=0, label=T("seed"))
            augment = texts(gr.Checkbox, DEFAULTS.augment, label=T("augment"))
            with gr.Row():
                train_button = texts(gr.Button, T("train"), variant="primary", elem_id="train")
                stop_button = texts(gr.Button, T("stop"), variant="stop", elem_id="stop")
        with gr.Column(scale=7):
            status = texts(gr.Markdown, T("train_intro"), elem_id="train-status")
            with gr.Row():
                loss_plot = texts(line_plot, x="images seen", y="loss", color="run", height=260, y_lim=[0, 2.5],
                                  label=T("loss_plot"), x_title=T("images_seen"), y_title=T("loss"),
                                  color_title=T("legend_run"), elem_id="loss-plot")
                acc_plot = texts(line_plot, x="images seen", y="test accuracy", color="run", height=260, y_lim=[0, 1],
                                 label=T("acc_plot"), x_title=T("images_seen"), y_title=T("test_accuracy"),
                                 color_title=T("legend_run"), elem_id="acc-plot")
            grad_plot = texts(line_plot, x="row", y="log10 gradient", color="run", height=220, x_lim=[1, 28],
                              label=T("grad_plot"), x_title=T("row"), y_title=GRAD_Y,
                              color_title=T("legend_run"), elem_id="train-grad-plot")
            texts(gr.Markdown, T("probe_title"))
            probe = texts(gr.Image, show_label=False, type="filepath", interactive=False, height=380,
                          elem_classes="reading", alt_text=T("probe_alt"))
            texts(gr.Markdown, T("end_title"))
            with gr.Row():
                confusion = texts(gr.Image, label=T("confusion"), type="filepath", interactive=False, height=470)
                mistakes = texts(gr.Gallery, label=T("mistakes"), columns=4, height=470, object_fit="contain",
                                 elem_id="mistakes")
            with gr.Row():
                use_button = texts(gr.Button, T("use"), interactive=False)
                download = texts(gr.File, label=T("download"), file_count="multiple", interactive=False)

    outputs = [status, loss_plot, acc_plot, grad_plot, probe, confusion, mistakes, download, runs, trained, job,
               use_button]
    settings = [cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment]
    train_event = train_button.click(train_model, [*settings, runs, lang], outputs, api_name="train",
                                     concurrency_limit=TRAIN_CONCURRENCY, concurrency_id="train")
    stop_button.click(stop_training, [job, lang], outputs, cancels=[train_event], api_name="stop")
    use_button.click(lambda: gr.Tabs(selected="draw"), None, tabs, queue=False, api_visibility="private").then(
        partial(use_trained, readers), [trained, draw.canvas, lang],
        [mine, draw.choice, draw.model_md, *draw.reading], api_visibility="private")
