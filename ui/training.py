"""The Train tab: train a network with settings of your choice, or run a one-click experiment, and watch it learn;
every run of the session stays on the charts, in its own colour; the probe is your own drawing."""
import copy
import dataclasses
import os
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import gradio as gr
import numpy as np
import torch
from gradio.context import LocalContext

import checkpoint
import data
import limits
import visuals
from model import CELLS, RowReader
from texts import text
from train import TrainConfig, predict
from training_run import QueueFull, TrainingQueue, TrainingRun
from ui.common import T, Readers, Texts, line_plot, picture_file
from ui.draw import DrawTab
from ui.live import specs
from ui.run_view import PALETTE, Charts, board, probe_digit, probe_picture, render_board
from ui.tables import GRAD_Y

DEFAULTS = TrainConfig()  # the original program's recipe: the tab's starting values
# Server-side caps: whatever a client sends through the API, one run stays small enough for a shared CPU Space.
MAX_EPOCHS = int(os.environ.get("ROWBYROW_MAX_EPOCHS", 3))
MAX_TRAIN_SECONDS = float(os.environ.get("ROWBYROW_MAX_TRAIN_SECONDS", 300))
TRAIN_CONCURRENCY = int(os.environ.get("ROWBYROW_TRAIN_CONCURRENCY", 1))
UPDATE_EVERY_S = 0.5  # the page gets a training update at least this often; more would slow training down
MAX_RUNS = 8  # runs kept on the charts; older ones make room
# Who trains when (one run at a time, a few waiting, one per visitor): training never fills Gradio's queue.
TRAINING_QUEUE = TrainingQueue(TRAIN_CONCURRENCY, int(os.environ.get("ROWBYROW_TRAIN_WAITING", 3)), MAX_TRAIN_SECONDS)
# What a training handler updates, in the order of its outputs; `update()` skips what a step leaves alone.
OUTPUTS = ("board", "loss", "acc", "grads", "probe", "confusion", "mistakes", "download", "runs", "trained", "job",
           "use")


# The queue line. Gradio's own (on the status line) adds to the wait an estimate from the average of earlier runs,
# which runs of such different sizes make untrue; this reads the position from it and says only that.
QUEUE_HTML = '<p class="rbr-queue" role="status" hidden></p>'
QUEUE_JS = r"""
const line = element.querySelector('.rbr-queue');
const show = () => {
  const tracker = document.querySelector('#train-status [data-testid=status-tracker]');
  const m = /queue: (\d+)\/(\d+)/.exec(tracker ? tracker.textContent : '');
  line.hidden = !m;
  if (m) line.textContent = (props.template || '').replace('{position}', m[1]).replace('{size}', m[2]);
};
new MutationObserver(show).observe(document.querySelector('#train-status'), {subtree: true, childList: true,
                                                                            characterData: true});
watch('template', show);
"""


@dataclass(frozen=True)
class Experiment:
    """Runs that differ from the original recipe in one setting; texts exp_<key> (button) and exp_<key>_look."""

    key: str
    changes: tuple[dict, ...]


EXPERIMENTS = (
    Experiment("cells", ({"cell": "rnn"}, {"cell": "lstm"})),
    Experiment("lr", ({"lr": 0.1}, {"lr": 0.01}, {"lr": 0.001})),
    Experiment("memory", ({"hidden_size": 8}, {"hidden_size": 64})),
)


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


# ---- training ----------------------------------------------------------------------------------------------------

def results(model: RowReader, mnist: data.MNIST, pred: torch.Tensor, recipe: dict | None, stopped: bool):
    """The end of a run: the model, summary values, confusion matrix, mistakes gallery, a downloadable checkpoint."""
    acc = (pred == mnist.test_y).float().mean().item()
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (mnist.test_y.numpy(), pred.numpy()), 1)
    wrong = (pred != mnist.test_y).nonzero()[:, 0][:24].tolist()
    gallery = [(visuals.digit(mnist.test_x[i].numpy() / 255), f"{mnist.test_y[i]} → {pred[i]}") for i in wrong]
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=limits.cache_folder()))  # swept like every file we write
    files = checkpoint.save(model, folder / f"rowbyrow-{model.config.cell}{model.config.hidden_size}",
                            {"train": recipe, "test_accuracy": round(acc, 4), "stopped_early": stopped})
    summary = ("stopped" if stopped else "done", {"acc": acc, "wrong": int((pred != mnist.test_y).sum())})
    return ({"model": model, "acc": acc}, summary, picture_file(visuals.confusion(cm), "confusion"), gallery,
            [str(f) for f in files])


def train_runs(readers: Readers, cfgs: list[TrainConfig], image, runs: list, lang: str = "en"):
    """Train each config in turn, streaming every run's curves and the probe into the page; the last run's
    results (confusion matrix, mistakes, the model) at the end. Closing the generator (Stop) ends them all."""
    try:
        mnist = data.load_mnist(cfgs[0].data_dir)
    except data.DataMissing as e:
        raise gr.Error(str(e), print_exception=False) from None
    charts = Charts(runs)
    for i, cfg in enumerate(cfgs):
        n = (runs[-1]["n"] if runs else 0) + 1
        probe = probe_digit(readers, image, mnist)
        run = {"n": n, "label": run_label(n, cfg), "colour": PALETTE[(n - 1) % len(PALETTE)], "loss": [], "acc": [],
               "grad": None}
        runs = (runs + [run])[-MAX_RUNS:]
        job, ended, last_check = TrainingRun(cfg, mnist, probe["image"], MAX_TRAIN_SECONDS), False, None
        yield update(job=job, runs=runs, use=gr.Button(interactive=False))  # Stop can reach it now
        try:
            while not ended:
                events, ended = job.next_events(UPDATE_EVERY_S)
                for ev in events:
                    run["loss"].append((ev.step * cfg.batch_size, ev.loss_avg))
                    for c in ev.checks:
                        run["acc"].append((c.step * cfg.batch_size, c.test_acc))
                        run["grad"] = c.log_grads
                        top = int(c.probe_probs[-1].argmax())
                        probe["readings"].append((c.step * cfg.batch_size, top, float(c.probe_probs[-1, top])))
                        last_check = c
                if events and not ended:
                    ev = events[-1]
                    status = ("status", {"run": run["label"], "step": ev.step, "total": ev.total_steps,
                                         "epoch": ev.epoch + 1, "loss": ev.loss_avg, "sps": ev.samples_per_s,
                                         "eta": ev.eta_s})
                    picture = probe_picture(probe, last_check.probe_h, last_check.probe_probs) if last_check else gr.skip()
                    last_check = None
                    yield update(board=board(status, probe), **charts.update(runs), probe=picture, runs=runs)
        finally:
            last = job.stop()  # a cancel (Stop, a closed page) ends the training thread too
        if job.error:
            raise gr.Error(text("train_failed", lang, error=job.error))
        if last is None:
            return
        model = copy.deepcopy(last.model).cpu().eval()
        pred = last.test_pred if last.kind == "done" else predict(model, mnist.test_x)
        trained, summary, cm, gallery, files = results(model, mnist, pred, cfg.recipe(), last.kind != "done")
        run["acc"].append((last.step * cfg.batch_size, trained["acc"]))  # the full test set ends the line
        if last.probe_probs is not None:
            top = int(last.probe_probs[-1].argmax())
            probe["readings"].append((last.step * cfg.batch_size, top, float(last.probe_probs[-1, top])))
        summary = (summary[0], {**summary[1], "run": run["label"]})
        more = i + 1 < len(cfgs)
        yield update(board=board(("next_run", summary[1]) if more else summary, probe), **charts.update(runs),
                     probe=probe_picture(probe, last.probe_h, last.probe_probs) if last.probe_h is not None else gr.skip(),
                     confusion=cm, mistakes=gallery, download=files, runs=runs, trained=trained,
                     job=None, use=gr.Button(interactive=True))
    if charts.behind:
        yield update(**charts.update(runs))


def in_line(runs, n: int, lang: str = "en"):
    """`runs` (a training generator of n runs) once TRAINING_QUEUE lets this visitor in: turned away at once, with
    about how long to wait, when the line is full or the visitor has a run in it; shown its place while it waits.
    The place is given back however the runs end (done, Stop, an error, a closed page). Outside a request (a test,
    a notebook) the runs just run."""
    request = LocalContext.request.get(None)  # Gradio's gr.Request for the event this generator serves
    if request is None:
        yield from runs
        return
    try:
        turn = TRAINING_QUEUE.enter(request.session_hash, limits.client_address(request), n)
    except QueueFull as e:
        raise gr.Error(text(e.key, lang, minutes=e.minutes), print_exception=False) from None
    with turn:
        shown = None
        while place := turn.wait(UPDATE_EVERY_S):
            if (place, turn.waiting()) != shown:
                shown = (place, turn.waiting())
                yield update(board=board(("train_waiting", {"position": place, "size": shown[1]})))
        yield from runs


def train_model(readers: Readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, image,
                runs: list, lang: str = "en"):
    """Train with the chosen settings (capped by the server), streaming curves and the probe into the page."""
    cfg = clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang)
    yield from in_line(train_runs(readers, [cfg], image, runs, lang), 1, lang)


def train_for_api(readers: Readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment,
                  lang: str = "en"):
    """The API's /train: the same run, streamed as its status line and, at the end, the trained model's files."""
    for changes in train_model(readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, None,
                               [], lang):
        shown = dict(zip(OUTPUTS, changes))
        if isinstance(shown["board"], dict) and "status" in shown["board"]:
            yield render_board(shown["board"], lang)[0], shown["download"]


def run_experiment(readers: Readers, experiment: Experiment, image, runs: list, lang: str = "en"):
    """One of the one-click experiments: its runs one after the other, on the same charts."""
    cfgs = [dataclasses.replace(DEFAULTS, **changes) for changes in experiment.changes]
    yield from in_line(train_runs(readers, cfgs, image, runs, lang), len(cfgs), lang)


def stop_training(job: TrainingRun | None, lang: str = "en"):
    """After Stop: end the run, score the partly trained model on the full test set and offer it. With nothing
    running, say so in passing and leave the page (a finished run's result stays)."""
    last = job.stop() if job else None
    if last is None:
        gr.Info(text("nothing_training", lang))
        return update()
    if last.kind == "done":  # it finished: the run's own handler reports the result
        return update()
    model = copy.deepcopy(last.model).cpu().eval()
    mnist = data.load_mnist(DEFAULTS.data_dir)
    trained, summary, cm, gallery, files = results(model, mnist, predict(model, mnist.test_x), None, True)
    summary = (summary[0], {**summary[1], "run": ""})
    return update(board=board(summary), confusion=cm, mistakes=gallery, download=files, trained=trained, job=None,
                  use=gr.Button(interactive=True))


def use_trained(readers: Readers, trained: dict | None, lang: str = "en"):
    """This browser session's Draw tab reads with the model just trained (others keep the shipped ones): its
    weights go to the page once, and the page reads with them from then on."""
    if trained is None:
        raise gr.Error(text("train_first", lang))
    return trained, gr.update(models=specs(readers, trained), choice="mine")


def clear_runs():
    """Empty charts, ready for new runs."""
    return [], *Charts([]).update([]).values()


def build(readers: Readers, texts: Texts, lang: gr.Radio, mine: gr.State, draw: DrawTab, tabs: gr.Tabs,
          tab: gr.Tab) -> None:
    """The tab's components and listeners; call inside its gr.Tab (`tab`)."""
    runs = gr.State([])  # this session's runs, for the overlaid curves
    trained = gr.State(None)  # {"model", "acc"}: the session's latest trained model
    job = gr.State(None)  # the TrainingRun in progress, for Stop
    board_state = gr.State(None)  # the status line and probe strip as text keys, redone on a language switch
    probe_image = gr.State(None)  # the Draw tab's drawing when this tab was opened: the probe
    with gr.Row():
        with gr.Column(scale=3, min_width=300):
            cell = texts(gr.Radio, [(c.name, k) for k, c in CELLS.items()], value=DEFAULTS.cell, label=T("cell"))
            hidden_size = texts(gr.Slider, 8, 256, value=DEFAULTS.hidden_size, step=8, label=T("hidden"),
                                elem_id="hidden-size")
            lr = texts(gr.Number, DEFAULTS.lr, label=T("lr"), minimum=1e-5, maximum=1, elem_id="lr")
            batch_size = texts(gr.Slider, 16, 512, value=DEFAULTS.batch_size, step=16, label=T("batch"),
                               elem_id="batch-size")
            epochs = texts(gr.Slider, 1, MAX_EPOCHS, value=DEFAULTS.epochs, step=1, label=T("epochs"))
            train_size = texts(gr.Slider, 1000, 60000, value=DEFAULTS.train_size, step=1000, label=T("train_size"),
                               elem_id="train-size")
            seed = texts(gr.Number, DEFAULTS.seed, precision=0, label=T("seed"))
            augment = texts(gr.Checkbox, DEFAULTS.augment, label=T("augment"))
            with gr.Row():
                train_button = texts(gr.Button, T("train"), variant="primary", elem_id="train")
                stop_button = texts(gr.Button, T("stop"), variant="stop", elem_id="stop")
            texts(gr.Markdown, T("experiments_title"))
            experiment_buttons = []
            for experiment in EXPERIMENTS:
                experiment_buttons.append(texts(gr.Button, T(f"exp_{experiment.key}"), size="sm",
                                                elem_id=f"exp-{experiment.key}"))
                texts(gr.Markdown, T(f"exp_{experiment.key}_look"), elem_classes="experiment-note")
        with gr.Column(scale=7):
            status = gr.Markdown(text("train_intro"), elem_id="train-status")  # rendered from board_state
            texts(gr.HTML, html_template=QUEUE_HTML, js_on_load=QUEUE_JS, template=T("queue_line"),
                  elem_id="queue-line")
            probe_md = gr.Markdown(elem_id="probe-strip")
            with gr.Row():
                loss_plot = texts(line_plot, x="images seen", y="loss", color="run", height=260, y_lim=[0, 2.5],
                                  y_aggregate="mean", label=T("loss_plot"), x_title=T("images_seen"),
                                  y_title=T("loss"), color_title=T("legend_run"), elem_id="loss-plot")
                acc_plot = texts(line_plot, x="images seen", y="test accuracy", color="run", height=260, y_lim=[0, 1],
                                 y_aggregate="mean", label=T("acc_plot"), x_title=T("images_seen"),
                                 y_title=T("test_accuracy"), color_title=T("legend_run"), elem_id="acc-plot")
            grad_plot = texts(line_plot, x="row", y="log10 gradient", color="run", height=280, x_lim=[1, 28],
                              y_aggregate="mean", label=T("grad_plot"), x_title=T("row"), y_title=GRAD_Y,
                              color_title=T("legend_run"), elem_id="train-grad-plot")
            clear_button = texts(gr.Button, T("clear_runs"), size="sm", elem_id="clear-runs")
            texts(gr.Markdown, T("probe_title"))
            probe = texts(gr.Image, show_label=False, type="filepath", interactive=False, height=380,
                          elem_classes="reading", elem_id="probe", alt_text=T("probe_alt"))
            texts(gr.Markdown, T("end_title"))
            with gr.Row():
                confusion = texts(gr.Image, label=T("confusion"), type="filepath", interactive=False, height=470)
                mistakes = texts(gr.Gallery, label=T("mistakes"), columns=3, height=470, object_fit="contain",
                                 elem_id="mistakes")
            with gr.Row():
                use_button = texts(gr.Button, T("use"), interactive=False, elem_id="use")
                download = texts(gr.File, label=T("download"), file_count="multiple", interactive=False)

    outputs = [board_state, loss_plot, acc_plot, grad_plot, probe, confusion, mistakes, download, runs, trained, job,
               use_button]
    private = {"api_visibility": "private", "show_progress": "hidden"}
    # Gradio starts every training event at once: TRAINING_QUEUE (in_line) decides who trains, shows those waiting
    # their place on the status line and turns the rest away, so no training event waits in Gradio's queue.
    training = {"concurrency_limit": None, "concurrency_id": "train", "show_progress": "minimal",
                "show_progress_on": status}
    tab.select(lambda image: image, draw.canvas, probe_image, **private)
    settings = [cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment]

    events = [train_button.click(partial(train_model, readers), [*settings, probe_image, runs, lang], outputs,
                                 api_visibility="private", **training)]
    for experiment, button in zip(EXPERIMENTS, experiment_buttons):
        events.append(button.click(partial(run_experiment, readers, experiment), [probe_image, runs, lang], outputs,
                                   api_visibility="private", **training))
    stop_button.click(stop_training, [job, lang], outputs, cancels=events, api_visibility="private")
    # For API clients, /train is the same run without the page around it (a client stops it by cancelling its job).
    api_status, api_files = gr.Markdown(visible=False), gr.File(visible=False, file_count="multiple")
    gr.Button(visible=False).click(partial(train_for_api, readers), [*settings, lang], [api_status, api_files],
                                   api_name="train", **training)
    board_state.change(render_board, [board_state, lang], [status, probe_md], queue=False, **private)
    lang.change(render_board, [board_state, lang], [status, probe_md], queue=False, **private)
    clear_button.click(clear_runs, None, [runs, loss_plot, acc_plot, grad_plot], **private)
    use_button.click(lambda: gr.Tabs(selected="draw"), None, tabs, queue=False, **private).then(
        partial(use_trained, readers), [trained, lang], [mine, draw.reading],
        **private)
