"""The Train tab: train a network with settings of your choice, or run a one-click experiment, and watch it learn;
every run of the session stays on the charts, in its own colour; the probe is your own drawing.

Its handlers yield `Update`s, typed objects naming what they change; `build` turns each into Gradio's dict return.
"""
import collections
import copy
import dataclasses
import math
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
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
from model import CELLS
from texts import text
from train import TrainConfig, predict, probe_trace, setup, train_step
from training_run import QueueFull, TrainingQueue, TrainingRun
from ui.common import MINE, T, Readers, Texts, Trained, line_plot
from ui.draw import DrawTab
from ui.live import specs
from ui.run_view import (CONFUSION_CSS, PALETTE, Board, Charts, Probe, ProbeView, Run, Summary, confusion_html,
                         probe_digit, probe_numbers)
from ui.tables import GRAD_Y

DEFAULTS = TrainConfig()  # the original program's recipe: the tab's starting values
# Server-side caps: whatever a client sends through the API, one run stays small enough for a shared CPU Space.
MAX_EPOCHS = int(os.environ.get("ROWBYROW_MAX_EPOCHS", 3))
MAX_TRAIN_SECONDS = float(os.environ.get("ROWBYROW_MAX_TRAIN_SECONDS", 300))
TRAIN_CONCURRENCY = int(os.environ.get("ROWBYROW_TRAIN_CONCURRENCY", 1))
UPDATE_EVERY_S = 0.5  # the page gets a training update at least this often; more would slow training down
MAX_RUNS = 8  # runs kept on the charts; older ones make room
MISTAKES = 24  # misread test digits shown at the end of a run
# Who trains when (one run at a time, a few waiting, one per visitor): training never fills Gradio's queue.
TRAINING_QUEUE = TrainingQueue(TRAIN_CONCURRENCY, int(os.environ.get("ROWBYROW_TRAIN_WAITING", 3)), MAX_TRAIN_SECONDS)


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
# What a press did is shown where the visitor looks: the status line, scrolled into view if it is not (a phone).
SHOW_STATUS_JS = "() => document.querySelector('#train-status')?.scrollIntoView({block: 'nearest'})"


@dataclass(frozen=True)
class Experiment:
    """Runs that differ from the original recipe in one setting: texts for its button and for what to look for."""

    key: str  # its button is #exp-<key>
    button: str
    look: str  # filled in with values(): the recipe's lr and epochs, and each run's changes (lr1, lr2...)
    changes: tuple[dict, ...]

    def values(self) -> dict:
        return {"lr": DEFAULTS.lr, "epochs": DEFAULTS.epochs,
                **{f"{k}{i}": v for i, change in enumerate(self.changes, 1) for k, v in change.items()}}


EXPERIMENTS = (
    Experiment("cells", "exp_cells", "exp_cells_look", ({"cell": "rnn"}, {"cell": "lstm"})),
    Experiment("lr", "exp_lr", "exp_lr_look", ({"lr": 0.1}, {"lr": 0.01}, {"lr": 0.001})),
    Experiment("memory", "exp_memory", "exp_memory_look", ({"hidden_size": 8}, {"hidden_size": 64})),
)


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


def steps(cfg: TrainConfig) -> int:
    return math.ceil(min(cfg.train_size, 60000) / cfg.batch_size) * cfg.epochs


class Pace:
    """How long a recipe takes on this server: its steps times the time a step of its network (cell, size, batch)
    took here, from a few steps timed the first time it is asked about, then from each run's own pace; plus a run's
    start and end (loading, the final test on the full test set), as the last run here took them."""

    def __init__(self, keep: int = 64, start_s: float = 1.0):
        self.step_s, self.keep, self.start_s = collections.OrderedDict(), keep, start_s  # network -> s per step

    @staticmethod
    def network(cfg: TrainConfig) -> tuple:
        return cfg.cell, cfg.hidden_size, cfg.num_layers, cfg.batch_size, cfg.augment

    def seconds(self, cfg: TrainConfig) -> float:
        if self.network(cfg) not in self.step_s:
            self.note(cfg, timed_step(cfg))
        return steps(cfg) * self.step_s[self.network(cfg)] + self.start_s

    def note(self, cfg: TrainConfig, step_s: float, run_s: float | None = None) -> None:
        """A step of cfg's network took step_s here; a whole run of cfg, run_s (its start and end included)."""
        if run_s is not None:
            self.start_s = max(0.0, run_s - steps(cfg) * step_s)
        self.step_s[self.network(cfg)] = step_s
        self.step_s.move_to_end(self.network(cfg))
        while len(self.step_s) > self.keep:
            self.step_s.popitem(last=False)


def timed_step(cfg: TrainConfig, n: int = 3) -> float:
    """Seconds per training step of cfg's network here: n steps on random digits, after one to warm up."""
    fake = torch.randint(0, 256, (cfg.batch_size * (n + 1), 28, 28), dtype=torch.uint8, generator=torch.Generator())
    labels = torch.arange(len(fake)) % 10
    with torch.random.fork_rng(), torch.inference_mode(False), torch.enable_grad():
        run = setup(dataclasses.replace(cfg, train_size=len(fake), device="cpu"), data.MNIST(fake, labels, fake, labels))
        batches = torch.arange(len(fake)).view(n + 1, -1)
        train_step(run, batches[0])
        t0 = time.perf_counter()
        for idx in batches[1:]:
            train_step(run, idx)
    return (time.perf_counter() - t0) / n


PACE = Pace()  # what this server has measured (not a visitor's data: every visitor's estimate uses it)


# ---- what a handler changes ----------------------------------------------------------------------------------------

@dataclass(eq=False)
class Job:
    """One press of Train (or of an experiment), for Stop to reach: its runs end after the current step once `stop`
    is set (the thread trains on; a press's handler checks between steps)."""

    stop: threading.Event = field(default_factory=threading.Event)
    training: TrainingRun | None = None  # the run training now
    board: Board | None = None  # what the status says now
    over: bool = False  # its runs have ended

    def halt(self) -> None:
        self.stop.set()
        if self.training:
            self.training.stopping.set()  # ends after its current step, without waiting here


@dataclass
class End:
    """A run's results on the full test set: its confusion matrix (page text), misread digits, checkpoint files."""

    confusion: str
    mistakes: list[tuple[np.ndarray, str]]
    files: list[str]


@dataclass
class Update:
    """What one step of a handler changes on the page; None leaves that part as it is."""

    board: Board | None = None
    charts: dict | None = None  # "loss", "acc", "grads": Charts.update's
    runs: list[Run] | None = None
    probe: dict | None = None  # the probe picture's numbers (run_view.probe_numbers)
    end: End | None = None
    trained: Trained | None = None
    job: Job | None = None
    mine: Trained | None = None  # the Draw tab reads with this model
    reading: dict | None = None  # an update of the Draw tab's answer (its models and choice)


# ---- training ----------------------------------------------------------------------------------------------------

def finish_run(last, cfg: TrainConfig, run: Run, probe: Probe, mnist: data.MNIST) -> tuple[Summary, End, Trained]:
    """The end of a run (done or stopped), scored once: the model on the full test set, its confusion matrix,
    misread digits and a checkpoint to download, the last point of its accuracy line and the probe's last reading."""
    model = copy.deepcopy(last.model).cpu().eval()
    pred = last.test_pred if last.kind == "done" else predict(model, mnist.test_x)
    wrong = pred != mnist.test_y
    summary = Summary(run.label, 1 - wrong.float().mean().item(), int(wrong.sum()), len(pred), last.kind != "done")
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (mnist.test_y.numpy(), pred.numpy()), 1)
    mistakes = [(visuals.digit(mnist.test_x[i].numpy() / 255), f"{mnist.test_y[i]} → {pred[i]}")
                for i in wrong.nonzero()[:MISTAKES, 0].tolist()]
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=limits.cache_folder()))  # removed with its Trained, or swept
    files = [str(f) for f in checkpoint.save(model, folder / f"rowbyrow-{cfg.cell}{cfg.hidden_size}", {
        "train": cfg.recipe(), "test_accuracy": round(summary.acc, 4), "stopped_early": summary.stopped})]
    images = last.step * cfg.batch_size
    run.acc.append((images, summary.acc))  # the full test set ends the line
    probe.read(images, probe_trace(model, probe.image)[1])
    return summary, End(confusion_html(cm), mistakes, files), Trained(model, summary.acc, files=tuple(files))


def relay(job: Job, training: TrainingRun, cfg: TrainConfig, run: Run, probe: Probe, charts: Charts, runs: list,
          board: Board):
    """The run's progress into the page, an update every UPDATE_EVERY_S until it ends ("Stopping…" once Stop was
    pressed); returns its last event."""
    ended, checked = False, None
    try:
        while not ended:
            events, ended = training.next_events(UPDATE_EVERY_S)
            for ev in events:
                run.loss.append((ev.step * cfg.batch_size, ev.loss_avg))
                for c in ev.checks:
                    run.acc.append((c.step * cfg.batch_size, c.test_acc))
                    run.grad, checked = c.log_grads, c
                    probe.read(c.step * cfg.batch_size, c.probe_probs)
            if events and not ended:
                ev = events[-1]
                status = {"run": run.label, "step": ev.step, "total": ev.total_steps, "epoch": ev.epoch + 1,
                          "loss": ev.loss_avg, "sps": ev.samples_per_s, "eta": ev.eta_s}
                job.board = dataclasses.replace(board, status="stopping" if job.stop.is_set() else "status",
                                                values=status)
                yield Update(board=job.board, charts=charts.update(runs), runs=runs,
                             probe=checked and probe_numbers(probe, checked.probe_h, checked.probe_probs))
                checked = None
    finally:
        last = training.stop()  # a cancel (a closed page) ends the training thread too
    return last


def train_runs(readers: Readers, job: Job, cfgs: list[TrainConfig], image, runs: list[Run], trained: Trained | None,
               lang: str = "en", look: tuple[str, dict] | None = None):
    """Train each config in turn, streaming every run's curves and the probe into the page, and each run's results at
    its end; the final status names every run's score. Stop (`job.halt`) ends them all after the current step."""
    try:
        mnist = data.load_mnist(cfgs[0].data_dir)
    except data.DataMissing:
        raise gr.Error(text("no_mnist", lang), print_exception=False) from None
    charts, scores, shown = Charts(runs), [], None
    for i, cfg in enumerate(cfgs):
        if job.stop.is_set():
            break
        n = (runs[-1].n if runs else 0) + 1
        run, probe = Run(n, run_label(n, cfg), PALETTE[(n - 1) % len(PALETTE)]), probe_digit(readers, image, mnist)
        runs = (runs + [run])[-MAX_RUNS:]
        board = Board("status", probe=probe, scores=list(scores), note=look, end=shown)
        t0, job.training = time.perf_counter(), TrainingRun(cfg, mnist, probe.image, MAX_TRAIN_SECONDS)
        last = yield from relay(job, job.training, cfg, run, probe, charts, runs, board)
        if job.training.error:
            raise gr.Error(text("train_failed", lang, error=job.training.error), print_exception=False)
        if last is None:
            return
        if last.kind == "done":  # the loop's own pace (checks run beside it), and what the start and the end cost
            PACE.note(cfg, cfg.batch_size / last.samples_per_s, time.perf_counter() - t0)
        summary, end, new = finish_run(last, cfg, run, probe, mnist)
        if trained:
            trained.remove()  # one checkpoint on disk per session: the latest
        trained, shown = new, summary
        more = i + 1 < len(cfgs) and not job.stop.is_set()
        job.over = not more
        job.board = dataclasses.replace(board, status="next_run" if more else summary_key(summary),
                                        values=dataclasses.asdict(summary), end=summary)
        scores.append(summary)
        yield Update(board=job.board, charts=charts.update(runs), runs=runs, end=end, trained=trained,
                     probe=probe_numbers(probe, *probe_trace(trained.model, probe.image)))
    if charts.behind:  # a chart that has not named the last run's colour yet draws it now
        yield Update(charts=charts.update(runs))


def summary_key(summary: Summary) -> str:
    return "stopped" if summary.stopped else "done"


def in_line(job: Job, runs, n: int, lang: str = "en"):
    """`runs` (a training generator of n runs) once TRAINING_QUEUE lets this visitor in: turned away at once, with
    about how long to wait, when the line is full or the visitor has a run in it; shown its place while it waits,
    until Stop takes it out of the line. The place is given back however the runs end (done, Stop, an error, a
    closed page). Outside a request (a test, a notebook) the runs just run."""
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
            if job.stop.is_set():
                yield Update(board=Board("left_line"))
                return
            if (place, turn.waiting()) != shown:
                shown = (place, turn.waiting())
                yield Update(board=Board("train_waiting", {"position": place, "size": shown[1]}))
        yield from runs


def press(readers: Readers, cfgs: list[TrainConfig], image, runs: list[Run], trained: Trained | None,
          lang: str = "en", look: tuple[str, dict] | None = None):
    """One press of Train or of an experiment: at once a Job for Stop and a status naming the first run, then the
    runs, once it is this visitor's turn."""
    job = Job(board=Board("starting", {"run": run_label((runs[-1].n if runs else 0) + 1, cfgs[0])}))
    yield Update(job=job, board=job.board)
    try:
        yield from in_line(job, train_runs(readers, job, cfgs, image, runs, trained, lang, look), len(cfgs), lang)
    finally:
        job.over = True


def train_model(readers: Readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, image=None,
                runs: list[Run] = (), trained: Trained | None = None, lang: str = "en"):
    """Train with the chosen settings (capped by the server), streaming curves and the probe into the page."""
    cfg = clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang)
    yield from press(readers, [cfg], image, list(runs), trained, lang)


def run_experiment(readers: Readers, experiment: Experiment, image=None, runs: list[Run] = (),
                   trained: Trained | None = None, lang: str = "en"):
    """One of the one-click experiments: its runs one after the other, on the same charts."""
    cfgs = [dataclasses.replace(DEFAULTS, **changes) for changes in experiment.changes]
    yield from press(readers, cfgs, image, list(runs), trained, lang, (experiment.look, experiment.values()))


def train_for_api(readers: Readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment,
                  lang: str = "en"):
    """The API's /train: the same run, streamed as its status line and, at the end, the trained model's files."""
    files = None
    for u in train_model(readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang=lang):
        files = u.end.files if u.end else files
        if u.board:
            yield u.board.render(lang)[0], files


def stop_training(job: Job | None, lang: str = "en") -> Update:
    """Stop: the press's runs end after their current step, and the status says so at once ("Stopping…", keeping
    the run's name and the probe); its handler then reports the result. With nothing running, say so in passing."""
    if job is None or job.over:
        gr.Info(text("nothing_training", lang))
        return Update()
    job.halt()
    if job.board is None or job.board.status not in ("status", "starting"):
        return Update()
    job.board = dataclasses.replace(job.board, status="stopping")
    return Update(board=job.board)


def use_trained(readers: Readers, trained: Trained | None, lang: str = "en") -> Update:
    """This browser session's Draw tab reads with the model just trained (others keep the shipped ones): its
    weights go to the page once, and the page reads with them from then on."""
    if trained is None:
        raise gr.Error(text("train_first", lang))
    return Update(mine=trained, reading=gr.update(models=specs(readers, trained), choice=MINE))


def clear_runs() -> Update:
    """Empty charts, ready for new runs."""
    return Update(runs=[], charts=Charts([]).update([]))


def estimates(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang: str = "en") -> dict:
    """How long the chosen settings and each experiment take on this server now, by what they time: "train", and
    each experiment's key."""
    cfg = clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang)
    out = {"train": text("estimate", lang, steps=steps(cfg), batch=cfg.batch_size, seconds=PACE.seconds(cfg))}
    for e in EXPERIMENTS:
        seconds = sum(PACE.seconds(dataclasses.replace(DEFAULTS, **c)) for c in e.changes)
        out[e.key] = text("exp_time", lang, runs=len(e.changes), seconds=seconds)
    return out


def render_board(board: Board | None, lang: str = "en") -> tuple[str, str, str]:
    """The status line, the probe strip and the end's title in `lang` (nothing before the first press)."""
    return board.render(lang) if board else ("", "", "")


# ---- the tab ------------------------------------------------------------------------------------------------------

def settings_panel(texts: Texts) -> list:
    """The settings a run is trained with, starting at the original recipe's, in TrainConfig's order."""
    return [texts(gr.Radio, [(c.name, k) for k, c in CELLS.items()], value=DEFAULTS.cell, label=T("cell"),
                  elem_id="cell"),
            texts(gr.Slider, 8, 256, value=DEFAULTS.hidden_size, step=8, label=T("hidden"), elem_id="hidden-size"),
            texts(gr.Number, DEFAULTS.lr, label=T("lr"), minimum=1e-5, maximum=1, elem_id="lr"),
            texts(gr.Slider, 16, 512, value=DEFAULTS.batch_size, step=16, label=T("batch"), elem_id="batch-size"),
            texts(gr.Slider, 1, MAX_EPOCHS, value=DEFAULTS.epochs, step=1, label=T("epochs"), elem_id="epochs"),
            texts(gr.Slider, 1000, 60000, value=DEFAULTS.train_size, step=1000, label=T("train_size"),
                  elem_id="train-size"),
            texts(gr.Number, DEFAULTS.seed, precision=0, label=T("seed"), elem_id="seed"),
            texts(gr.Checkbox, DEFAULTS.augment, label=T("augment"), elem_id="augment")]


def charts_panel(texts: Texts) -> dict:
    """The loss, accuracy and gradient charts, every run on each in its own colour, by Charts.update's keys."""
    legend = {"color": "run", "y_aggregate": "mean", "color_title": T("legend_run"), "min_width": 260}
    with gr.Row():
        plots = {"loss": texts(line_plot, x="images seen", y="loss", height=260, y_lim=[0, 2.5], label=T("loss_plot"),
                               x_title=T("images_seen"), y_title=T("loss"), elem_id="loss-plot", **legend),
                 "acc": texts(line_plot, x="images seen", y="test accuracy", height=260, y_lim=[0, 1],
                              label=T("acc_plot", eval_size=DEFAULTS.eval_size), x_title=T("images_seen"),
                              y_title=T("test_accuracy"), elem_id="acc-plot", **legend)}
    plots["grads"] = texts(line_plot, x="row", y="log10 gradient", height=280, x_lim=[1, 28], label=T("grad_plot"),
                           x_title=T("row"), y_title=GRAD_Y, elem_id="train-grad-plot", **legend)
    return plots


def build(readers: Readers, texts: Texts, lang: gr.Radio, mine: gr.State, draw: DrawTab, tabs: gr.Tabs,
          tab: gr.Tab) -> None:
    """The tab's components and listeners; call inside its gr.Tab (`tab`). Train, Stop and the status line come
    first (on a phone too, what a press did shows under the finger), then the experiments and the settings; the
    charts, the probe and the results beside them on a wide screen, below on a phone."""
    runs, job, board, image = gr.State([]), gr.State(None), gr.State(None), gr.State(None)
    trained = gr.State(None, delete_callback=lambda t: t and t.remove())  # the session's latest model and files
    with gr.Row():
        with gr.Column(scale=4, min_width=320):
            with gr.Row(elem_id="train-buttons"):
                train_button = texts(gr.Button, T("train"), variant="primary", elem_id="train")
                stop_button = texts(gr.Button, T("stop"), variant="stop", elem_id="stop")
            estimate = gr.Markdown(elem_id="train-estimate", elem_classes="experiment-note")
            status, strip = gr.Markdown(elem_id="train-status"), gr.Markdown(elem_id="probe-strip")
            texts(gr.HTML, html_template=QUEUE_HTML, js_on_load=QUEUE_JS, template=T("queue_line"), elem_id="queue-line")
            texts(gr.Markdown, T("experiments_title"))
            with gr.Row(elem_id="experiments"):
                experiments = {e.key: experiment_button(texts, e) for e in EXPERIMENTS}
            texts(gr.Markdown, T("train_intro", **intro_values()), elem_id="train-intro", elem_classes="experiment-note")
            with texts(gr.Accordion, T("settings"), open=True):
                settings = settings_panel(texts)
        with gr.Column(scale=6, min_width=320):
            plots = charts_panel(texts)
            clear_button = texts(gr.Button, T("clear_runs"), size="sm", elem_id="clear-runs")
            texts(gr.Markdown, T("probe_title"))
            probe = texts(ProbeView, alt=T("probe_alt"), elem_id="probe")
            end_title = gr.Markdown(elem_id="end-title")
            texts(gr.Markdown, T("confusion"), elem_classes="experiment-note")
            confusion = gr.HTML(css_template=CONFUSION_CSS, elem_id="confusion")
            mistakes = texts(gr.Gallery, label=T("mistakes"), columns=6, height="auto", object_fit="contain",
                             elem_id="mistakes")
            use_button = texts(gr.Button, T("use"), interactive=False, elem_id="use")
            download = texts(gr.File, label=T("download"), file_count="multiple", interactive=False)

    def page(u: Update) -> dict:
        """An Update as Gradio's dict return: each part it changes, by component."""
        end = u.end and {confusion: u.end.confusion, mistakes: u.end.mistakes, download: u.end.files,
                         use_button: gr.Button(interactive=True)}
        parts = {board: u.board, runs: u.runs, trained: u.trained, job: u.job, mine: u.mine, draw.reading: u.reading,
                 probe: u.probe and gr.update(numbers=u.probe), **(end or {}),
                 **{plots[k]: v for k, v in (u.charts or {}).items()}}
        return {c: v for c, v in parts.items() if v is not None}

    def streamed(handler):
        def updates(*args):
            for u in handler(*args):
                yield page(u)
        return updates

    private = {"api_visibility": "private", "show_progress": "hidden"}
    outputs = [board, runs, trained, job, probe, confusion, mistakes, download, use_button, *plots.values()]
    # Gradio starts every training event at once: TRAINING_QUEUE (in_line) decides who trains, shows those waiting
    # their place on the status line and turns the rest away, so no training event waits in Gradio's queue.
    training = {"concurrency_limit": None, "concurrency_id": "train", "show_progress": "minimal",
                "show_progress_on": status, "api_visibility": "private"}
    tab.select(lambda drawn: drawn, draw.canvas, image, **private)
    train_button.click(streamed(partial(train_model, readers)), [*settings, image, runs, trained, lang], outputs,
                       **training)
    for e in EXPERIMENTS:
        experiments[e.key][0].click(streamed(partial(run_experiment, readers, e)), [image, runs, trained, lang],
                                    outputs, **training)
    for button in (train_button, *(b for b, _ in experiments.values())):
        button.click(None, js=SHOW_STATUS_JS)
    stop_button.click(lambda *a: page(stop_training(*a)), [job, lang], [board], queue=False, **private)
    # For API clients, /train is the same run without the page around it (a client stops it by cancelling its job).
    api_status, api_files = gr.Markdown(visible=False), gr.File(visible=False, file_count="multiple")
    gr.Button(visible=False).click(partial(train_for_api, readers), [*settings, lang], [api_status, api_files],
                                   api_name="train", **{**training, "api_visibility": "public"})
    for trigger in (board.change, lang.change):
        trigger(render_board, [board, lang], [status, strip, end_title], queue=False, **private)
    gr.on([tab.select, lang.change, *(s.change for s in settings)],
          lambda *a: show_estimates(estimates(*a), estimate, experiments), [*settings, lang],
          [estimate, *(t for _, t in experiments.values())], trigger_mode="always_last", concurrency_limit=1,
          concurrency_id="estimate", **private)
    clear_button.click(lambda: page(clear_runs()), None, [runs, *plots.values()], **private)
    use_button.click(None, js="() => window.scrollTo({top: 0})")  # the Draw tab from its top: canvas and answer
    use_button.click(lambda: gr.Tabs(selected="draw"), None, tabs, queue=False, **private).then(
        lambda *a: page(use_trained(readers, *a)), [trained, lang], [mine, draw.reading], **private)


def intro_values() -> dict:
    """The original recipe, as the intro states it."""
    d, cfg = DEFAULTS, DEFAULTS.model_config()
    return {"cell": CELLS[d.cell].name, "input": cfg.input_size, "hidden": d.hidden_size, "classes": cfg.num_classes,
            "lr": d.lr, "batch": d.batch_size, "epochs": d.epochs}


def experiment_button(texts: Texts, e: Experiment) -> tuple[gr.Button, gr.Markdown]:
    """An experiment's button, and under it how long it takes here."""
    with gr.Column(min_width=140):
        return (texts(gr.Button, T(e.button), size="sm", elem_id=f"exp-{e.key}"),
                gr.Markdown(elem_classes="experiment-note", elem_id=f"exp-{e.key}-time"))


def show_estimates(times: dict, estimate: gr.Markdown, experiments: dict) -> dict:
    return {estimate: times["train"], **{experiments[k][1]: v for k, v in times.items() if k != "train"}}
