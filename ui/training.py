"""The Train tab: train a network with settings of your choice, or run a one-click experiment, and watch it learn;
every run of the session stays on the charts, in its own colour; the probe is your own drawing.

Its handlers yield `Update`s, typed objects naming what they change (TrainView.page turns each into Gradio's dict
return), and keep a visitor's runs, model and press in one `Session`.
"""
import contextlib
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
from typing import Callable

import gradio as gr
import numpy as np

import checkpoint
import data
import gradio_compat
import limits
import memory_map
import pace
import visuals
from model import CELLS, DEFAULT_CELL
from texts import text
from pace import steps
from train import LONG_MEMORY, LONG_MEMORY_CELLS, TrainConfig
from evaluate import GRADIENT_SAMPLE, as_input, first_row_signal, log_gradients, predict, probe_trace
from training_queue import QueueFull, TrainingQueue
from training_run import TrainingRun
from ui.common import MINE, T, Readers, Texts, Trained
from ui.draw import DrawTab
from ui.live import JS, MAP_TEXTS, specs
from ui.tools import described
from ui.run_view import (CONFUSION_CSS, Board, ChartsView, Probe, ProbeView, Run, Summary, chart_data, confusion_html,
                         probe_digit, probe_maps, probe_numbers)
from ui.tables import PALETTE

DEFAULTS = TrainConfig()  # the original program's recipe: the tab's starting values
# Server-side caps: whatever a client sends through the API, one run stays small enough for a shared CPU Space.
MAX_EPOCHS = int(os.environ.get("ROWBYROW_MAX_EPOCHS", 3))
MAX_TRAIN_SECONDS = float(os.environ.get("ROWBYROW_MAX_TRAIN_SECONDS", 300))
TRAIN_CONCURRENCY = int(os.environ.get("ROWBYROW_TRAIN_CONCURRENCY", 1))
UPDATE_EVERY_S = 0.5  # the page gets a training update at least this often; more would slow training down
MAX_RUNS = 8  # runs kept on the charts; older ones make room
MISTAKES = 24  # misread test digits shown at the end of a run
# The texts the page's charts fill in (ui/js/on_charts.js).
PROBE_MAP_TEXTS = ("probe_maps_title", "map_yours", "map_shipped")  # the probe's maps at a run's end (on_probe.js)
CHART_TEXTS = ("loss_plot", "acc_plot", "grad_plot", "images_seen", "loss", "test_accuracy", "row", "grad_y",
               "legend_run", "numbers", "col_row", "col_loss_last", "col_loss_low")
# Who trains when (one run at a time, one place per visitor, a line as long as 10 minutes of expected work):
# training never fills Gradio's queue, and a class pressing Train at once waits its turn instead of being turned away.
TRAINING_QUEUE = TrainingQueue(TRAIN_CONCURRENCY, float(os.environ.get("ROWBYROW_TRAIN_MAX_WAIT_S", 600)),
                               MAX_TRAIN_SECONDS)

# The tab's styles (app.py adds them to the page's). The status area says what is happening itself: Gradio's own
# progress display is not shown there.
CSS = """
#train-status [data-testid=status-tracker], #probe-strip [data-testid=status-tracker],
#train-estimate [data-testid=status-tracker], #end-title [data-testid=status-tracker] { display: none !important; }
/* The misread digits start below the gallery's label, which Gradio lays over the first row otherwise. */
#mistakes .grid-wrap { padding-top: 36px !important; }
/* A phone: the misread digits wrap onto more lines (the gallery keeps its 6 columns of 100 px or more otherwise,
   scrolled sideways inside itself, with nothing to say so). */
@media (max-width: 640px) {
  #mistakes .grid-container { grid-template-columns: repeat(auto-fill, minmax(72px, 1fr)) !important;
                              grid-template-rows: none !important; }
}
"""
# What a press did is shown where the visitor looks: the status line, scrolled into view if it is not (a phone).
SHOW_STATUS_JS = (JS / "show_status.js").read_text()  # an event's js: one arrow function, no comments


@dataclass(frozen=True)
class Experiment:
    """Runs that differ from the original recipe in one setting: texts for its button and for what to look for, and
    what its runs found, said from their own numbers once they end (`findings`, if it has such words)."""

    key: str  # its button is #exp-<key>
    button: str
    look: str  # filled in with values(): the recipe's lr and epochs, and each run's changes (lr1, lr2...)
    changes: tuple[dict, ...]
    findings: Callable[[list[tuple[TrainConfig, Summary]]], list[tuple[str, dict]]] | None = None

    def values(self) -> dict:
        return {"lr": DEFAULTS.lr, "epochs": DEFAULTS.epochs,
                **{f"{k}{i}": v for i, change in enumerate(self.changes, 1) for k, v in change.items()}}


def carried(plain: Summary, gated: Summary) -> bool:
    """Whether "long_held" is true: the gated cell's run read more test digits right than the plain one's and more of
    its error signal reached row 1 (each difference as the sentence shows it, rounded)."""
    return round(100 * (gated.acc - plain.acc)) > 0 and round(gated.signal - plain.signal, 1) > 0


def long_memory_findings(done: list[tuple[TrainConfig, Summary]]) -> list[tuple[str, dict]]:
    """What the long-memory runs found: each finished run's accuracy and the error signal at row 1, then, with both
    runs ended on their own (not stopped), whether the second cell (the LSTM) was ahead of the first on both counts."""
    found = [("long_run", {"cell": CELLS[cfg.cell].name, "acc": s.acc, "decades": s.signal}) for cfg, s in done]
    if len(done) == 2 and not any(s.stopped for _, s in done):
        (plain_cfg, plain), (gated_cfg, gated) = done
        found.append(("long_held" if carried(plain, gated) else "long_not",
                      {"plain": CELLS[plain_cfg.cell].name, "gated": CELLS[gated_cfg.cell].name,
                       "points": 100 * (gated.acc - plain.acc), "decades": gated.signal - plain.signal}))
    return found


EXPERIMENTS = (
    Experiment("cells", "exp_cells", "exp_cells_look", ({"cell": "rnn"}, {"cell": "lstm"})),
    Experiment("lr", "exp_lr", "exp_lr_look", ({"lr": 0.1}, {"lr": 0.01}, {"lr": 0.001})),
    Experiment("memory", "exp_memory", "exp_memory_look", ({"hidden_size": 8}, {"hidden_size": 64})),
    # The notes' setting: the digit, then blank rows the network must carry it across.
    Experiment("long", "exp_long", "exp_long_look", tuple({"cell": c, **LONG_MEMORY} for c in LONG_MEMORY_CELLS),
               long_memory_findings),
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
    return (f"#{n} {cfg.cell} h{cfg.hidden_size} lr {cfg.lr:g} b{cfg.batch_size}" + (" aug" if cfg.augment else "")
            + (f" +{cfg.blank_rows} blank" if cfg.blank_rows else ""))


# What runs take on this server, from a table measured once (pace.py) and what its finished runs took: nothing is
# timed per request (not a visitor's data: every visitor's estimate uses it).
PACE = pace.Pace.load()


def run_seconds(cfgs: list[TrainConfig]) -> float:
    """How long these runs take here, one after the other."""
    return sum(PACE.seconds(cfg) for cfg in cfgs)


def expected_press_s() -> float:
    """How long a press of Train takes here with the original recipe: what the door expects a training join to take."""
    return PACE.seconds(DEFAULTS)


# ---- what a handler changes ----------------------------------------------------------------------------------------

@dataclass(eq=False)
class Job:
    """One press of Train (or of an experiment), for Stop to reach: its runs end after the current step once `stop`
    is set (the thread trains on; a press's handler checks between steps)."""

    stop: threading.Event = field(default_factory=threading.Event)
    training: TrainingRun | None = None  # the run training now
    over: bool = False  # its runs have ended

    def halt(self) -> None:
        self.stop.set()
        if self.training:
            self.training.stopping.set()  # ends after its current step, without waiting here


@dataclass(eq=False)
class Session:
    """What the tab keeps for one visitor: its runs on the charts, its latest model, the press in progress and what
    the status area says. One object per browser session (a gr.State made afresh for each), changed in place by
    the handlers, so no update has to send it back and forth."""

    runs: list[Run] = field(default_factory=list)
    trained: Trained | None = None  # its latest model, and the files to download it
    trained_blank_rows: int = 0  # the blank rows it was trained to read after the digit
    job: Job | None = None
    board: Board | None = None
    lang: str = "en"  # the page's language now: a switch mid-run changes the run's later updates too

    def say(self, board: Board) -> "Update":
        self.board = board
        return Update(board=board)

    def end(self) -> None:
        """The session is over: its run stops, its files go."""
        if self.job:
            self.job.halt()
        if self.trained:
            self.trained.remove()


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
    charts: list[dict] | None = None  # the session's runs as the charts draw them (run_view.chart_data)
    probe: dict | None = None  # the probe picture's numbers (run_view.probe_numbers)
    end: End | None = None
    mine: Trained | None = None  # the Draw tab reads with this model
    reading: dict | None = None  # an update of the Draw tab's answer (its models and choice)


# ---- training ----------------------------------------------------------------------------------------------------

def finish_run(last, cfg: TrainConfig, run: Run, probe: Probe, mnist: data.MNIST) -> tuple[Summary, End, Trained]:
    """The end of a run (done or stopped), scored once: the model on the full test set, its confusion matrix,
    misread digits and a checkpoint to download, the last point of its accuracy line and the probe's last reading."""
    model = copy.deepcopy(last.model).cpu().eval()
    pred = last.test_pred if last.kind == "done" else predict(model, mnist.test_x, blank=cfg.blank_rows)
    wrong = pred != mnist.test_y
    # The error signal per row as the run ended (the gradient chart's last line), on the checks' test digits.
    x, y = mnist.test_x[:GRADIENT_SAMPLE], mnist.test_y[:GRADIENT_SAMPLE]
    run.grad = log_gradients(model, as_input(model, x, cfg.blank_rows), y)
    summary = Summary(run.label, 1 - wrong.float().mean().item(), int(wrong.sum()), len(pred), last.kind != "done",
                      first_row_signal(run.grad))
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (mnist.test_y.numpy(), pred.numpy()), 1)
    mistakes = [(visuals.digit(mnist.test_x[i].numpy() / 255), f"{mnist.test_y[i]} → {pred[i]}")
                for i in wrong.nonzero()[:MISTAKES, 0].tolist()]
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=limits.cache_folder()))  # removed with its Trained, or swept
    files = [str(f) for f in checkpoint.save(model, folder / f"rowbyrow-{cfg.cell}{cfg.hidden_size}", {
        "train": cfg.recipe(), "test_accuracy": round(summary.acc, 4), "stopped_early": summary.stopped})]
    images = last.step * cfg.batch_size
    run.acc.append((images, summary.acc))  # the full test set ends the line
    probe.read(images, probe_trace(model, probe.image, cfg.blank_rows)[1])
    # Its own map of its memory, fitted here once on a small fixed subset (~0.2 s for 64 units), never per request;
    # a model that reads blank rows under the digit has none (a map is of the 28 rows the Draw tab reads).
    fitted = None if cfg.blank_rows else memory_map.fit_trained(model, mnist)
    trained = Trained(model, summary.acc, map=fitted, files=tuple(files))
    return summary, End(confusion_html(cm), mistakes, files), trained


def relay(session: Session, training: TrainingRun, cfg: TrainConfig, run: Run, probe: Probe, board: Board):
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
                u = session.say(dataclasses.replace(board, values=status,
                                                    status="stopping" if session.job.stop.is_set() else "status"))
                u.charts = chart_data(session.runs)
                u.probe = checked and probe_numbers(probe, checked.probe_h, checked.probe_probs)
                yield u
                checked = None
    finally:
        last = training.stop()  # a cancel (a closed page) ends the training thread too
    return last


def train_runs(readers: Readers, session: Session, cfgs: list[TrainConfig], image,
               look: tuple[str, dict] | None = None, teaching=None, findings=None):
    """Train each config in turn, streaming every run's curves and the probe (judged by the visitor's label in
    `teaching`, a ui.teach.Teaching) into the page, and each run's results at its end; the final status names every
    run's score, and what `findings` (an Experiment's) makes of them. Stop (`job.halt`) ends them all after the
    current step."""
    job = session.job
    try:
        mnist = data.load_mnist(cfgs[0].data_dir)
    except data.DataMissing:
        raise gr.Error(text("no_mnist", session.lang), print_exception=False) from None
    scores, shown, done = [], None, []
    for i, cfg in enumerate(cfgs):
        if job.stop.is_set():
            break
        n = (session.runs[-1].n if session.runs else 0) + 1
        run = Run(n, run_label(n, cfg), PALETTE[(n - 1) % len(PALETTE)])
        probe = probe_digit(readers, image, mnist, teaching)
        probe.run, probe.cell = n, CELLS[cfg.cell].name
        session.runs = (session.runs + [run])[-MAX_RUNS:]
        board = Board("status", probe=probe, scores=list(scores), note=look, end=shown)
        t0, job.training = time.perf_counter(), TrainingRun(cfg, mnist, probe.image, MAX_TRAIN_SECONDS)
        last = yield from relay(session, job.training, cfg, run, probe, board)
        if job.training.error:
            raise gr.Error(text("train_failed", session.lang, error=job.training.error), print_exception=False)
        if last is None:
            return
        if last.kind == "done":  # the loop's own pace (checks run beside it), and what the start and the end cost
            PACE.note(cfg, cfg.batch_size / last.samples_per_s, time.perf_counter() - t0)
        summary, end, trained = finish_run(last, cfg, run, probe, mnist)
        if session.trained:
            session.trained.remove()  # one checkpoint on disk per session: the latest
        session.trained, session.trained_blank_rows, shown = trained, cfg.blank_rows, summary
        done.append((cfg, summary))
        more = i + 1 < len(cfgs) and not job.stop.is_set()
        job.over = not more
        u = session.say(dataclasses.replace(board, status="next_run" if more else summary_key(summary),
                                            values=dataclasses.asdict(summary), end=summary,
                                            found=[] if more or findings is None else findings(done)))
        scores.append(summary)
        u.charts, u.end = chart_data(session.runs), end
        u.probe = probe_numbers(probe, *probe_trace(trained.model, probe.image, cfg.blank_rows),
                                maps=probe_maps(readers, probe, trained))
        yield u


def summary_key(summary: Summary) -> str:
    return "stopped" if summary.stopped else "done"


def in_line(session: Session, job: Job, runs, n: int, first: Board, expected_s: float | None = None):
    """`runs` (a training generator of n runs for `job`) once TRAINING_QUEUE lets this visitor in: turned away at once,
    with about how long to wait, when the line is full or the visitor has a run in it; else `first` said at once,
    and the visitor's place while it waits, until Stop takes it out of the line. The place is given back however the
    runs end (done, Stop, an error, a closed page). Outside a request (a test, a notebook) the runs just run."""
    # The event's gr.Request: Gradio passes one as a parameter only to a handler whose own signature asks for it,
    # and the training handlers are partials and wrappers, several calls above this generator.
    request = gradio_compat.current_request()
    try:
        turn = request and TRAINING_QUEUE.enter(request.session_hash, limits.client_address(request), n, expected_s)
    except QueueFull as e:
        raise gr.Error(text(e.key, session.lang, minutes=e.minutes), print_exception=False) from None
    session.job = job  # Stop reaches it from now on
    yield session.say(first)
    with turn or contextlib.nullcontext():
        shown = None
        while turn and (place := turn.wait(UPDATE_EVERY_S)):
            if job.stop.is_set():
                yield session.say(Board("left_line"))
                return
            said = (place, turn.waiting(), math.ceil(turn.wait_s() / 10) * 10)  # the wait in tens of seconds
            if said != shown:
                shown = said
                yield session.say(Board("train_waiting", {"position": place, "size": said[1], "seconds": said[2]}))
        yield from runs


def press(readers: Readers, cfgs: list[TrainConfig], image, session: Session, lang: str = "en",
          look: tuple[str, dict] | None = None, teaching=None, findings=None):
    """One press of Train or of an experiment: at once a Job for Stop and a status naming the first run, then the
    runs, once it is this visitor's turn."""
    session.lang, job = lang, Job()
    first = Board("starting", {"run": run_label((session.runs[-1].n if session.runs else 0) + 1, cfgs[0])})
    try:
        yield from in_line(session, job, train_runs(readers, session, cfgs, image, look, teaching, findings),
                           len(cfgs), first, run_seconds(cfgs))
    finally:
        job.over = True


def train_model(readers: Readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, image=None,
                teaching=None, session: Session | None = None, lang: str = "en"):
    """Train with the chosen settings (capped by the server), streaming curves and the probe into the page."""
    cfg = clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang)
    yield from press(readers, [cfg], image, session or Session(), lang, teaching=teaching)


def run_experiment(readers: Readers, experiment: Experiment, image=None, teaching=None,
                   session: Session | None = None, lang: str = "en"):
    """One of the one-click experiments: its runs one after the other, on the same charts."""
    cfgs = [dataclasses.replace(DEFAULTS, **changes) for changes in experiment.changes]
    yield from press(readers, cfgs, image, session or Session(), lang, (experiment.look, experiment.values()),
                     teaching, experiment.findings)


def train_for_api(readers: Readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment,
                  lang: str = "en"):
    """The API's /train: the same run, streamed as its status line and, at the end, the trained model's files."""
    files = None
    for u in train_model(readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang=lang):
        files = u.end.files if u.end else files
        if u.board:
            yield u.board.render(lang)[0], files


def train_short_run(readers: Readers):
    """/train's handler, named and described as an MCP tool (Gradio takes a tool's name and description from these)."""
    def train_short_run(cell: str = DEFAULT_CELL, hidden_size: float = 64, lr: float = 0.01, batch_size: float = 64,
                        epochs: float = 1, train_size: float = 6000, seed: float = 1, augment: bool = False,
                        lang: str = "en"):
        """Train a recurrent network on MNIST, as the Train tab does, within the server's caps (epochs, images, time)
        and its training line (one run per visitor at a time; turned away with how long to wait when the line is
        long). To stop it early, cancel the call.

        Args:
            cell: the cell, by its key: {cells}.
            hidden_size: hidden units.
            lr: learning rate.
            batch_size: images per step.
            epochs: passes over the training images.
            train_size: training images (fewer is faster: 2000 trains in seconds).
            seed: random seed.
            augment: bend the training digits at random.
            lang: the language of the status: "en" or "zh".
        Returns:
            The status (the final test accuracy) and the trained model's files (safetensors and JSON).
        """
        yield from train_for_api(readers, cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang)

    return described(train_short_run)


def stop_training(session: Session, lang: str = "en") -> Update:
    """Stop: the press's runs end after their current step, and the status says so at once ("Stopping…", keeping
    the run's name and the probe); its handler then reports the result. With nothing running, say so in passing."""
    job = session.job
    if job is None or job.over:
        gr.Info(text("nothing_training", lang))
        return Update()
    job.halt()
    if session.board is None or session.board.status not in ("status", "starting"):
        return Update()
    return session.say(dataclasses.replace(session.board, status="stopping"))


def use_trained(readers: Readers, session: Session, lang: str = "en") -> Update:
    """This browser session's Draw tab reads with the model just trained (others keep the shipped ones): its
    weights go to the page once, and the page reads with them from then on."""
    if session.trained is None:
        raise gr.Error(text("train_first", lang))
    blank = session.trained_blank_rows
    if blank:  # it answers after its blank rows: read after 28 rows, its answer would be no answer of it
        raise gr.Error(text("use_long", lang, rows=28 + blank, blank=blank), print_exception=False)
    return Update(mine=session.trained, reading=gr.update(models=specs(readers, session.trained), choice=MINE))


def clear_runs(session: Session) -> Update:
    """Empty charts, ready for new runs."""
    session.runs = []
    return Update(charts=[])


def estimates(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang: str = "en") -> dict:
    """How long the chosen settings and each experiment take on this server now, by what they time: "train", and
    each experiment's key."""
    cfg = clean_settings(cell, hidden_size, lr, batch_size, epochs, train_size, seed, augment, lang)
    out = {"train": text("estimate", lang, steps=steps(cfg), batch=cfg.batch_size, seconds=PACE.seconds(cfg))}
    for e in EXPERIMENTS:
        seconds = run_seconds([dataclasses.replace(DEFAULTS, **c) for c in e.changes])
        out[e.key] = text("exp_time", lang, runs=len(e.changes), seconds=seconds)
    return out


def new_session() -> Session:
    return Session()


def switch_language(session: Session, lang: str) -> tuple[str, str, str]:
    """The status area in the language just chosen (the status line, the probe strip, the results' title), and the
    press's later updates in it too."""
    session.lang = lang
    return session.board.render(lang) if session.board else ("", "", "")


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


@dataclass
class TrainView:
    """The tab's components: the ones its handlers change, and the ones that start them."""

    train: gr.Button
    stop: gr.Button
    estimate: gr.Markdown  # how long the chosen settings take here
    status: gr.Markdown
    strip: gr.Markdown  # the probe strip
    experiments: dict[str, tuple[gr.Button, gr.Markdown]]  # by key: its button, and how long it takes here
    settings: list  # TrainConfig's settings, in clean_settings' order
    charts: ChartsView
    clear: gr.Button
    probe: ProbeView
    results: gr.Column  # hidden until a run has results
    end_title: gr.Markdown
    confusion: gr.HTML
    mistakes: gr.Gallery
    use: gr.Button
    download: gr.File

    @classmethod
    def layout(cls, texts: Texts) -> "TrainView":
        """Train, Stop and the status line first (on a phone too, what a press did shows under the finger), then the
        experiments and the settings; the charts, the probe and the results beside them on a wide screen, below on a
        phone."""
        with gr.Row():
            with gr.Column(scale=4, min_width=320):
                with gr.Row(elem_id="train-buttons"):
                    train = texts(gr.Button, T("train"), variant="primary", elem_id="train")
                    stop = texts(gr.Button, T("stop"), variant="stop", elem_id="stop")
                estimate = gr.Markdown(elem_id="train-estimate", elem_classes="experiment-note")
                status, strip = gr.Markdown(elem_id="train-status"), gr.Markdown(elem_id="probe-strip")
                texts(gr.Markdown, T("experiments_title"), elem_classes="heading")
                with gr.Row(elem_id="experiments"):
                    experiments = {e.key: experiment_button(texts, e) for e in EXPERIMENTS}
                texts(gr.Markdown, T("train_intro", **intro_values()), elem_id="train-intro",
                      elem_classes="experiment-note")
                with texts(gr.Accordion, T("settings"), open=False, elem_id="settings"):  # the recipe above says them
                    settings = settings_panel(texts)
            with gr.Column(scale=6, min_width=320):
                charts = texts(ChartsView, texts={k: T(k) for k in CHART_TEXTS} | {
                    "acc_plot": T("acc_plot", eval_size=DEFAULTS.eval_size)}, elem_id="train-charts")
                clear = texts(gr.Button, T("clear_runs"), size="sm", elem_id="clear-runs")
                texts(gr.Markdown, T("probe_title"), elem_classes="heading")
                probe = texts(ProbeView, alt=T("probe_alt"), texts={k: T(k) for k in (*MAP_TEXTS, *PROBE_MAP_TEXTS)}, elem_id="probe")
                with gr.Column(visible=False, elem_id="end") as results:
                    end_title = gr.Markdown(elem_id="end-title")
                    texts(gr.Markdown, T("confusion"), elem_classes="experiment-note")
                    confusion = gr.HTML(css_template=CONFUSION_CSS, elem_id="confusion")
                    mistakes = texts(gr.Gallery, label=T("mistakes"), columns=6, height="auto", object_fit="contain",
                                     elem_id="mistakes")
                    use = texts(gr.Button, T("use"), elem_id="use")
                    download = texts(gr.File, label=T("download"), file_count="multiple", interactive=False)
        return cls(train, stop, estimate, status, strip, experiments, settings, charts, clear, probe, results,
                   end_title, confusion, mistakes, use, download)

    @property
    def said(self) -> list:
        """What a board is rendered into: the status line, the probe strip, the results' title."""
        return [self.status, self.strip, self.end_title]

    @property
    def outputs(self) -> list:
        """Everything a training handler's Update may change."""
        return [*self.said, self.probe, self.charts, self.confusion, self.mistakes, self.download, self.results,
                *self.presses]

    @property
    def presses(self) -> list:
        """The buttons that start runs: Train and the experiments (Stop is not one)."""
        return [self.train, *(b for b, _ in self.experiments.values())]

    def pressable(self, yes: bool) -> dict:
        """Train and the experiments enabled, or not while this visitor's press is in line or training."""
        return {b: gr.Button(interactive=yes) for b in self.presses}

    def page(self, u: Update, lang: str, draw: DrawTab | None = None, mine: gr.State | None = None) -> dict:
        """An Update as Gradio's dict return: each part it changes, by component; its board rendered in `lang`."""
        parts = {self.probe: u.probe and gr.update(numbers=u.probe),
                 self.charts: gr.update(runs=u.charts) if u.charts is not None else None}
        if u.board:
            parts |= dict(zip(self.said, u.board.render(lang)))
        if u.end:
            parts |= {self.confusion: u.end.confusion, self.mistakes: u.end.mistakes, self.download: u.end.files,
                      self.results: gr.Column(visible=True)}
        if u.mine:
            parts |= {mine: u.mine, draw.reading: u.reading}
        return {c: v for c, v in parts.items() if v is not None} or {self.status: gr.skip()}  # ({} is no dict)

    def streamed(self, handler):
        """A training handler's Updates as Gradio's dict returns, in the page's language at each update; Train and
        the experiments disabled from its first update until it ends, however it ends (a press turned away at once
        never disabled them)."""
        def updates(*args):
            visitor, started = args[-2], False  # every training handler's inputs end with the session and language
            try:
                for u in handler(*args):
                    yield self.page(u, visitor.lang) | ({} if started else self.pressable(False))
                    started = True
            except Exception:  # (a closed page is GeneratorExit: nothing to enable there)
                if started:
                    yield self.pressable(True)
                raise
            yield self.pressable(True)
        return updates


def events(demo: gr.Blocks) -> frozenset[int]:
    """The ids of the events that train (the page's Train and experiments, the API's /train): admission.Door's."""
    return frozenset(k for k, fn in demo.fns.items() if fn.concurrency_id == "train")


def build(readers: Readers, texts: Texts, lang: gr.Radio, mine: gr.State, draw: DrawTab, tabs: gr.Tabs,
          tab: gr.Tab) -> None:
    """The tab's components and listeners; call inside its gr.Tab (`tab`)."""
    session = gr.State(new_session, delete_callback=Session.end)  # one Session per visitor, made when the page loads
    image = gr.State(None)  # the Draw tab's drawing when this tab was opened: the probe
    v = TrainView.layout(texts)
    private = {"api_visibility": "private", "show_progress": "hidden"}
    # Gradio starts every training event at once: TRAINING_QUEUE (in_line) decides who trains, shows those waiting
    # their place on the status line and turns the rest away, so no training event waits in Gradio's queue. The
    # status line says what a press did from its first moment: Gradio's own progress display is not needed.
    training = {"concurrency_limit": None, "concurrency_id": "train", **private}
    tab.select(lambda drawn: drawn, draw.canvas, image, **private)
    # The probe is judged by the label the visitor gave the drawing, as the teach panel holds it when Train is pressed.
    v.train.click(v.streamed(partial(train_model, readers)), [*v.settings, image, draw.teaching, session, lang],
                  v.outputs, **training)
    for e in EXPERIMENTS:
        v.experiments[e.key][0].click(v.streamed(partial(run_experiment, readers, e)),
                                      [image, draw.teaching, session, lang], v.outputs, **training)
    for button in v.presses:
        button.click(None, js=SHOW_STATUS_JS)
    # Stop never waits for a worker (it only flags the press), and is queued so that it can say "nothing is training".
    v.stop.click(lambda s, lg: v.page(stop_training(s, lg), lg), [session, lang], v.said, concurrency_limit=None,
                 concurrency_id="stop", **private)
    # For API clients, /train is the same run without the page around it (a client stops it by cancelling its job).
    api_status, api_files = gr.Markdown(visible=False), gr.File(visible=False, file_count="multiple")
    gr.Button(visible=False).click(train_short_run(readers), [*v.settings, lang], [api_status, api_files],
                                   api_name="train", **{**training, "api_visibility": "public"})
    lang.change(switch_language, [session, lang], v.said, queue=False, **private)
    gr.on([tab.select, lang.change, *(s.change for s in v.settings)], partial(show_estimates, v), [*v.settings, lang],
          [v.estimate, *(t for _, t in v.experiments.values())], trigger_mode="always_last", concurrency_limit=1,
          concurrency_id="estimate", **private)
    v.clear.click(lambda s, lg: v.page(clear_runs(s), lg), [session, lang], [v.charts], **private)
    v.use.click(None, js=(JS / "to_top.js").read_text())  # the Draw tab from its top: canvas and answer
    v.use.click(lambda: gr.Tabs(selected="draw"), None, tabs, queue=False, **private).then(
        lambda s, lg: v.page(use_trained(readers, s, lg), lg, draw, mine), [session, lang], [mine, draw.reading],
        **private)


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


def show_estimates(v: TrainView, *settings_and_lang) -> dict:
    """The estimates (`estimates`) into the tab: the chosen settings' beside Train, each experiment's under it."""
    times = estimates(*settings_and_lang)
    return {v.estimate: times.pop("train"), **{v.experiments[k][1]: words for k, words in times.items()}}
