"""Teach it your handwriting: under the Draw tab's answer, "Not a 7? It's: 0 1 … 9". A copy of the model reading
learns the visitor's corrections (teacher.teach), its weights go to the page, which reads the drawing again with it;
then the panel shows what it learned and what it forgot. How it works compares it with the model it started from.

One session's corrections and taught model live in one `Teaching`, in a gr.State. Its events, all queued:
- the panel's `submit` {label, model, click}: `add` keeps the canvas's 28x28 and its label, sent back at once; then,
  in the same event (one event per click: chained events opened and closed Gradio's stream between them, and under
  load the page lost its connection), `teach_latest` teaches a copy of the starting model every correction so far
  and sends it to the page in the panel's value (the value the page keeps as newest: a model sent as an update of the
  answer beside it was now and then never applied by the page), and `check_latest` measures it (held-out reading, the
  forgetting meter). Each works on the corrections as they are when it starts and keeps its result only if they have
  not changed meanwhile, and leaves to a running one the version it is already teaching: of two quick corrections the
  later one's teach wins, taught on both, and of two digits clicked for the same drawing the later click;
- `delete` {id} removes one (then teaches again, as above), `clear` forgets all, `download` saves the taught model.
"""
import dataclasses
import os
import secrets
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import gradio as gr
import numpy as np
import torch

import checkpoint
import data
import limits
import preprocess
import evaluate
import teacher
from model import CELLS, DEFAULT_CELL, RowReader
from texts import text
from ui.canvas import BadDrawing
from ui.common import T, Readers, Texts
from ui.live import model_spec, view

CAP = 100  # corrections a session keeps: past 100 the gain levels off (BENCHMARKS.md, "How many corrections")
METER_DIGITS = 2000  # the forgetting meter's MNIST test digits: the first 2,000
TTL_S = 3600  # a session's teaching is freed an hour after its last change (Gradio: an hour after its page closed)
MNIST_RETRY_S = 600  # without MNIST, how long before trying to load it again
TAUGHT = "taught"  # the model choice that reads with the session's taught model
DEFAULT = DEFAULT_CELL  # what teaching starts from when the taught model misread and nothing else is known
FOLDS = 4  # teacher.held_out_reading's folds: four more teach calls per check
# The texts the page's views fill in themselves (ui/js/on_teach.js, on_compare.js); the answer's (Reading) own.
PANEL_TEXTS = ("teach_empty", "teach_not", "teach_digit", "teach_sent", "teach_teaching", "teach_checking",
               "teach_done", "teach_reads_taught", "teach_reads_other", "teach_forgotten", "teach_title",
               "teach_count_shipped", "teach_count_mine", "teach_cap_note", "teach_moved", "teach_legend",
               "teach_right", "teach_wrong", "teach_pending", "teach_remove",
               "teach_held_title", "teach_held", "teach_held_loo", "teach_held_one", "teach_meter_title",
               "teach_meter", "teach_meter_none", "teach_points", "teach_forget", "teach_download",
               # why an action was turned down
               "teach_no_drawing", "teach_bad_label", "teach_cap", "teach_gone", "teach_nothing", "bad_choice",
               "bad_drawing_shape", "bad_drawing_numbers", "bad_drawing_range",
               *(f"a_digit_{d}" for d in range(10)))  # the digits as nouns the questions put in
COMPARE_TEXTS = ("compare_title", "compare_help", "compare_start", "compare_taught", "compare_same", "compare_differ",
                 "compare_none", "compare_draw", "loading", "mine", TAUGHT)
READING_TEXTS = (TAUGHT, "taught_shipped", "taught_mine")
HEX = np.array(list("0123456789abcdef"))


def _served_last() -> None:
    """This thread's work (its torch ops run on it: one intra-op thread) only when the cores have nothing else."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except OSError:  # not allowed here: it runs at the server's priority
        pass


# The checks' thread: one at a time (the "check" line), at nice 10 like the training process, so that teaching,
# readings and How it works come first when a class is at it.
CHECKER = ThreadPoolExecutor(1, thread_name_prefix="check", initializer=_served_last)


# ---- a session's teaching -----------------------------------------------------------------------------------------

@dataclass
class Correction:
    id: int
    x: torch.Tensor  # (28, 28) float32 in [0, 1], ink = 1: the 28x28 the page sent
    label: int
    click: int = 0  # the page's count of digit clicks when this label was said: a later click wins


@dataclass
class Job:
    """The corrections as they were when a teach or a check started, and what it starts from."""

    version: int
    ids: list[int]
    x: torch.Tensor  # (N, 28, 28)
    y: torch.Tensor  # (N,)
    start: RowReader
    model: RowReader | None  # the taught model, for a check


@dataclass(eq=False)
class Teaching:
    """One session's corrections and the copy of a model taught on them. Handlers change it in place, under `lock`;
    `version` counts the changes to the corrections, so a result computed for an older version is thrown away."""

    base: str = ""  # the choice the taught model started from: a shipped cell or "mine"
    start: RowReader | None = None  # that model itself (shared and never changed: teach copies it)
    corrections: list[Correction] = field(default_factory=list)
    version: int = 0
    model: RowReader | None = None  # taught on the corrections of version `taught`
    taught: int = 0
    taught_n: int = 0  # how many corrections it was taught on
    seconds: float = 0.0  # how long that took
    # (the cell the corrections taught before, the version a correction moved them to another model): said until
    # the next change
    moved: tuple[str, int] | None = None
    reads: dict[int, int] = field(default_factory=dict)  # correction id -> what the taught model reads it as
    checked: int = 0  # the version `held` and `meter` are for
    held: dict[int, int] = field(default_factory=dict)  # correction id -> read as by a model taught on the others
    folds: int = 0
    meter: dict | None = None  # the forgetting meter; None: not measured (no MNIST)
    start_right: torch.Tensor | None = None  # (METER_DIGITS,) bool: which meter digits the start model reads right
    saved: tuple[int, list[str]] | None = None  # the version last downloaded, and its files
    next_id: int = 0
    seq: int = 0  # numbers the panel's values, so the page keeps the newest
    running: dict[str, int] = field(default_factory=dict)  # "teach" / "check" -> the version an event is working on
    token: str = field(default_factory=lambda: secrets.token_hex(4))  # tells this session's teaching from a later one
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def job(self, model: RowReader | None = None) -> Job:
        with self.lock:
            c = self.corrections
            x = torch.stack([k.x for k in c]) if c else torch.zeros(0, 28, 28)
            return Job(self.version, [k.id for k in c], x, torch.tensor([k.label for k in c], dtype=torch.long),
                       self.start, model)

    def free(self) -> None:
        """Drop the corrections and the models (a session gone); results still being computed are thrown away."""
        with self.lock:
            self.corrections, self.model, self.start, self.start_right = [], None, None, None
            self.reads, self.held, self.meter, self.saved = {}, {}, None, None
            self.version += 1
            self.taught = self.checked = self.version

    def label(self, x: torch.Tensor) -> int | None:
        """The visitor's own label for the 28x28 `x`: the one its correction says (one per drawing), or None."""
        with self.lock:
            return next((c.label for c in self.corrections if torch.equal(c.x, x)), None)

    def nbytes(self) -> int:
        """What this session holds beyond the shared models: its corrections, the taught model and the meter's
        answers (the starting model is a shipped one, shared, or the session's own trained one)."""
        tensors = [c.x for c in self.corrections] + ([*self.model.state_dict().values()] if self.model else []) + \
            ([self.start_right] if self.start_right is not None else [])
        return sum(t.nelement() * t.element_size() for t in tensors)


def new_state() -> gr.State:
    """The session's Teaching (None until its first correction), freed an hour after its last change."""
    return gr.State(None, time_to_live=TTL_S, delete_callback=lambda t: t.free() if t else None)


class MnistOrNone:
    """MNIST for replay and the meter, loaded once; None while it cannot be (tried again every MNIST_RETRY_S)."""

    def __init__(self, load=data.load_mnist):
        self.load, self.mnist, self.failed = load, None, -np.inf

    def __call__(self) -> data.MNIST | None:
        if self.mnist is None and time.monotonic() - self.failed > MNIST_RETRY_S:
            try:
                self.mnist = self.load()
            except data.DataMissing:
                self.failed = time.monotonic()
        return self.mnist


class Refused(Exception):
    """A correction or an action turned down; `key` names the text that says why (texts.py), shown in the panel."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str = "en") -> str:
        return text(self.key, lang, **self.values)


# ---- what the page is sent ------------------------------------------------------------------------------------------

def ink(x: torch.Tensor) -> str:
    """A 28x28 in [0, 1] as 784 hex digits, 16 grey levels: the thumbnail the page draws."""
    return "".join(HEX[(x.numpy() * 15).round().astype(np.int64).ravel()])


def panel(teaching: Teaching | None, status: str | None = None, refused: Refused | None = None) -> dict:
    """The panel's value: every correction (as a thumbnail, and how the taught model reads it), what is going on,
    the held-out reading and the meter, and why an action was turned down. `status` overrides the one worked out
    from the versions."""
    note = {"key": refused.key, "values": refused.values} if refused else None
    if teaching is None:
        return {"seq": 0, "token": "", "n": 0, "cap": CAP, "corrections": [], "status": status or "empty", "note": note}
    with teaching.lock:
        t = teaching
        t.seq += 1
        n = len(t.corrections)
        if status is None:
            status = "empty" if not n else "teaching" if t.taught != t.version else \
                "checking" if t.checked != t.version else "done"
        current = t.checked == t.version and n > 0
        right = sum(t.held.get(c.id) == c.label for c in t.corrections)
        return {
            "seq": t.seq, "token": t.token, "note": note, "n": n, "cap": CAP, "status": status,
            "seconds": round(t.seconds, 1), "taught_n": t.taught_n,
            "base_cell": CELLS[t.start.config.cell].name if t.start else "",
            "earlier": t.moved[0] if t.moved and t.moved[1] == t.version else "",
            "base_kind": "mine" if t.base == "mine" else "shipped",
            "corrections": [{"id": c.id, "label": c.label, "ink": ink(c.x), "read": t.reads.get(c.id)}
                            for c in t.corrections],
            "held": {"right": right, "n": n, "folds": t.folds,
                     "read": t.held.get(t.corrections[0].id) if n == 1 else None} if current else None,
            "meter": (t.meter or "none") if current else None,
        }


def taught_spec(teaching: Teaching) -> dict | None:
    """The taught model as the page reads it (ui/live.py's model_spec, its weights inline): its one-line
    description says how many corrections it was taught and what it started from."""
    if teaching is None or teaching.model is None:
        return None
    describe = "taught_mine" if teaching.base == "mine" else "taught_shipped"
    return model_spec(teaching.model, float("nan"), describe, label_key=TAUGHT, corrections=teaching.taught_n,
                      base=teaching.base)


def with_model(value: dict, readers: Readers, teaching: Teaching, mine) -> dict:
    """The panel's value carrying the taught model to the page (`model`: its spec, None once it is gone) and what
    to read with instead when it is gone (`fallback`). The page reads with it from the value it keeps as newest, so
    the model it reads with and the panel it shows are always of the same teach."""
    return {**value, "model": taught_spec(teaching), "fallback": fallback(readers, teaching, mine)}


# ---- handlers -------------------------------------------------------------------------------------------------------

def label_of(value) -> int:
    """A correction's label from what the page sent: a digit 0-9, as a number or one character."""
    if isinstance(value, str) and len(value) == 1 and value.isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 9:
        raise Refused("teach_bad_label", value=repr(value)[:20])
    return value


def start_model(readers: Readers, key: str, mine) -> RowReader:
    """The model a correction was made against: a shipped one, or the session's own trained one."""
    if key in readers.shipped or (key == "mine" and mine):
        return readers.get(key, mine).model
    raise Refused("bad_choice", choices=", ".join([*readers.shipped, "mine", TAUGHT]), value=repr(key)[:20])


def add(readers: Readers, teaching: Teaching | None, image, label, model: str, mine, click: int = 0):
    """Keep a correction: the canvas's 28x28 (torch (1, 28, 28), as DigitCanvas.preprocess gives it) is a `label`,
    said while `model` (a choice key) read it, at the page's `click`-th digit click. A copy of `model` is what learns
    (of the model the taught one started from, when it is the taught one that misread); the same drawing corrected
    again takes the label of the later click, whichever event gets here first."""
    label = label_of(label)
    click = click if isinstance(click, int) and not isinstance(click, bool) else 0
    if isinstance(image, BadDrawing):
        raise Refused(image.key)
    if not isinstance(image, torch.Tensor) or image.shape != (1, 28, 28) or image.max() < preprocess.MIN_INK:
        raise Refused("teach_no_drawing")
    teaching = teaching or Teaching()
    if model == TAUGHT and teaching.start is not None:
        base, start = teaching.base, teaching.start
    else:
        base = DEFAULT if model == TAUGHT else model
        start = start_model(readers, base, mine)
    x = image[0].detach().float().clone()
    with teaching.lock:
        same = next((c for c in teaching.corrections if torch.equal(c.x, x)), None)
        if same is None and len(teaching.corrections) >= CAP:
            raise Refused("teach_cap", cap=CAP)
        later = same is None or click == 0 or click > same.click
        if later and not (same is not None and same.label == label and start is teaching.start):  # else: nothing new
            if start is not teaching.start:  # a new starting model: every correction is taught to it
                if teaching.start is not None and teaching.corrections:
                    teaching.moved = CELLS[teaching.start.config.cell].name, teaching.version + 1
                teaching.start, teaching.start_right = start, None
            teaching.base = base
            if same is not None:
                same.label, same.click = label, click
            else:
                teaching.corrections.append(Correction(teaching.next_id, x, label, click))
                teaching.next_id += 1
            teaching.version += 1
    return teaching, panel(teaching)


def sent(evt: gr.EventData, name: str, default=None):
    """What the page sent with the event under `name` (an attribute of gr.EventData), else `default`."""
    try:
        return getattr(evt, name)
    except (AttributeError, TypeError):  # not sent; or what was sent is no dict (a client may send any JSON)
        return default


def remove(teaching: Teaching | None, correction: int):
    """Drop one correction by its id (then teach again)."""
    if teaching is None:
        raise Refused("teach_gone")
    with teaching.lock:
        gone = [c for c in teaching.corrections if c.id == correction]
        if not gone:
            raise Refused("teach_gone")
        teaching.corrections.remove(gone[0])
        teaching.version += 1
    return teaching, panel(teaching)


def fallback(readers: Readers, teaching: Teaching, mine) -> str:
    """The choice to read with when the taught model goes: the one it started from, if the page still has it."""
    return teaching.base if teaching.base in readers.shipped or (teaching.base == "mine" and mine) else DEFAULT


def forget(readers: Readers, teaching: Teaching | None, mine):
    """Forget every correction and the taught model: the page reads with the model it started from again."""
    if teaching is None:
        return teaching, panel(None), gr.File(value=None, visible=False)
    teaching.free()
    value = with_model(panel(teaching, "forgotten"), readers, teaching, mine)
    return teaching, value, gr.File(value=None, visible=False)


@torch.inference_mode()
def reads(model: RowReader, x: torch.Tensor) -> list[int]:
    return model(x).argmax(1).tolist() if len(x) else []


def claim(teaching: Teaching | None, work: str, done: int) -> Job | None:
    """The corrections to work on now, if `work` ("teach" or "check") is not done (`done` is not the latest version)
    and no other event is doing it for that version."""
    if teaching is None:
        return None
    with teaching.lock:
        if done == teaching.version or teaching.running.get(work) == teaching.version:
            return None
        teaching.running[work] = teaching.version
        return teaching.job(teaching.model)


def release(teaching: Teaching, work: str, job: Job) -> None:
    with teaching.lock:
        if teaching.running.get(work) == job.version:
            del teaching.running[work]


def teach_latest(readers: Readers, teaching: Teaching | None, mine, mnist: data.MNIST | None):
    """Teach a copy of the starting model every correction so far (teacher.teach, MNIST replayed when there is MNIST):
    the session's state and the panel's value, with the taught model for the page to read with (with_model);
    None when there is nothing new to teach, another event is teaching it, or the corrections changed meanwhile."""
    job = claim(teaching, "teach", teaching.taught if teaching else 0)
    if job is None:
        return None
    try:
        t0 = time.perf_counter()
        model = teacher.teach(job.start, job.x, job.y, mnist) if len(job.x) else None
        seconds = time.perf_counter() - t0
        answers = reads(model, job.x) if model is not None else []
    finally:
        release(teaching, "teach", job)
    with teaching.lock:
        if job.version != teaching.version:
            return None
        teaching.model, teaching.taught, teaching.taught_n, teaching.seconds = model, job.version, len(job.ids), seconds
        teaching.reads = dict(zip(job.ids, answers))
        if model is None:  # the last correction removed: nothing left to check
            teaching.checked, teaching.held, teaching.meter = job.version, {}, None
    return teaching, with_model(panel(teaching), readers, teaching, mine)


def check_latest(teaching: Teaching | None, mnist: data.MNIST | None):
    """What the taught model learned and forgot: each correction read by a copy taught on the others
    (teacher.held_out_reading), and the forgetting meter: the session's state and the panel's value; None when the
    latest model is checked already, not taught yet, being checked by another event, or changed meanwhile."""
    if teaching is None or teaching.taught != teaching.version or teaching.model is None:
        return None
    job = claim(teaching, "check", teaching.checked)
    if job is None:
        return None
    if job.model is None or job.start is None:  # forgotten meanwhile
        release(teaching, "check", job)
        return None
    try:
        held = teacher.held_out_reading(job.start, job.x, job.y, mnist, folds=FOLDS).tolist()
        meter, start_right = None, teaching.start_right
        if mnist is not None:
            test_x, test_y = mnist.test_x[:METER_DIGITS], mnist.test_y[:METER_DIGITS]
            if start_right is None:
                start_right = evaluate.predict(job.start, test_x) == test_y
            now_right = evaluate.predict(job.model, test_x) == test_y
            meter = {"digits": len(test_y), "before": start_right.float().mean().item(),
                     "after": now_right.float().mean().item(), "lost": int((start_right & ~now_right).sum()),
                     "gained": int((~start_right & now_right).sum())}
    finally:
        release(teaching, "check", job)
    with teaching.lock:
        if job.version != teaching.version or job.start is not teaching.start or job.model is not teaching.model:
            return None
        teaching.held, teaching.folds, teaching.meter = dict(zip(job.ids, held)), min(FOLDS, len(held)), meter
        teaching.start_right, teaching.checked = start_right, job.version
    return teaching, panel(teaching)


def rebase(readers: Readers, teaching: Teaching | None, mine):
    """The session's own trained model changed (the Train tab's "use this model"): a taught model that started from
    the earlier one is taught again from the new one. The session's state and the panel's value (teaching), or None
    when the taught model did not start from it."""
    if teaching is None or teaching.model is None or teaching.base != "mine" or not mine:
        return None
    with teaching.lock:
        new = readers.get("mine", mine).model
        if new is teaching.start:
            return None
        teaching.start, teaching.start_right = new, None
        teaching.version += 1
    return teaching, panel(teaching)


def download(teaching: Teaching | None) -> list[str]:
    """The taught model as safetensors + JSON, in a folder of its own in the swept cache (limits.py); the same
    files again while the model is the same."""
    if teaching is None or teaching.model is None:
        raise Refused("teach_nothing")
    with teaching.lock:
        model, version, n, base = teaching.model, teaching.taught, teaching.taught_n, teaching.base
        labels = [c.label for c in teaching.corrections] if version == teaching.version else None
        meter = teaching.meter if teaching.checked == version else None
        if teaching.saved and teaching.saved[0] == version and all(Path(p).exists() for p in teaching.saved[1]):
            return teaching.saved[1]
    folder = Path(tempfile.mkdtemp(prefix="taught-", dir=limits.cache_folder()))
    cfg = model.config
    files = checkpoint.save(model, folder / f"rowbyrow-taught-{cfg.cell}{cfg.hidden_size}", {"taught": {
        "from": f"{'trained' if base == 'mine' else 'shipped'} {CELLS[cfg.cell].name}", "corrections": n,
        "labels": labels, "recipe": dataclasses.asdict(teacher.teach_recipe(cfg.cell)),
        "mnist_replay": meter is not None},
        **({f"mnist_first_{METER_DIGITS}": meter} if meter else {})})
    paths = [str(f) for f in files]
    with teaching.lock:
        teaching.saved = (version, paths)
    return paths


# ---- components -----------------------------------------------------------------------------------------------------

PANEL_HTML = """
<div class="rbr-teach">
  <div class="rbr-teach-bar" role="group" aria-labelledby="teach-ask">
    <span class="rbr-teach-ask" id="teach-ask"></span>
    <div class="rbr-teach-digits">""" + "".join(
    f'<button type="button" class="rbr-teach-digit" data-digit="{d}" disabled>{d}</button>' for d in range(10)) + """
    </div>
  </div>
  <p class="rbr-teach-status" role="status" aria-live="polite"></p>
  <section class="rbr-teach-panel" hidden>
    <h4 class="rbr-teach-title"></h4>
    <div class="rbr-teach-count"></div>
    <p class="rbr-teach-legend"></p>
    <ul class="rbr-teach-thumbs"></ul>
    <div class="rbr-teach-held"></div>
    <div class="rbr-teach-meter"></div>
    <div class="rbr-teach-actions">
      <button type="button" class="rbr-teach-forget" id="teach-forget"></button>
      <button type="button" class="rbr-teach-download" id="teach-download"></button>
    </div>
  </section>
</div>
"""
BUTTON_CSS = """border-radius: 8px; border: 1px solid var(--border-color-primary); cursor: pointer;
  background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color);"""
PANEL_CSS = """
.rbr-teach { margin-top: 4px; }
.rbr-teach-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
.rbr-teach-ask { font-weight: 600; }
.rbr-teach-digits { display: flex; gap: 4px; flex-wrap: nowrap; }
.rbr-teach-digit { width: 32px; height: 36px; padding: 0; font-size: 1.05em; font-weight: 600; """ + BUTTON_CSS + """ }
@media (max-width: 640px) {  /* a phone: the ten digits on two lines of five, each a 44 px target for a finger */
  .rbr-teach-digits { flex-basis: 100%; display: grid; grid-template-columns: repeat(5, 1fr); gap: 6px; }
  .rbr-teach-digit { width: auto; height: 44px; }
}
.rbr-teach-digit.rbr-teach-top { border-style: dashed; }
.rbr-teach-digit:disabled { cursor: default; opacity: 0.5; }
.rbr-teach-digit:not(:disabled):hover { border-color: #2563eb; }
.rbr-teach-status { margin: 6px 0; min-height: 1.2em; font-size: 0.9em; }
.rbr-teach-status p { margin: 0; }
.rbr-teach-panel { border-top: 1px solid var(--border-color-primary); margin-top: 8px; padding-top: 4px; }
.rbr-teach-title { margin: 6px 0; }
.rbr-teach-panel p { margin: 4px 0; font-size: 0.9em; }
.rbr-teach-thumbs { list-style: none; display: flex; flex-wrap: wrap; gap: 14px 8px; padding: 10px 0 0; margin: 6px 0; }
.rbr-thumb { position: relative; display: flex; flex-direction: column; align-items: center; width: 52px;
             border: 2px solid var(--border-color-primary); border-radius: 8px; padding: 3px 2px 2px;
             font-size: max(12px, 0.8em); line-height: 1.2; }
.rbr-thumb canvas { width: 40px; height: 40px; image-rendering: pixelated; border-radius: 4px; }
.rbr-thumb.rbr-right { border-color: #16a34a; }
.rbr-thumb.rbr-wrong { border-color: #dc2626; }
.rbr-thumb-mark { font-weight: 600; white-space: nowrap; }
.rbr-right .rbr-thumb-mark { color: #15803d; }
.rbr-wrong .rbr-thumb-mark { color: #b91c1c; }
/* ✕ drawn as a 22 px disc, on a 44 px target (a finger's) that reaches past the thumbnail's corner. */
.rbr-thumb-remove { position: absolute; top: -18px; right: -18px; width: 44px; height: 44px; padding: 0;
                    border: none; background: none; cursor: pointer; z-index: 1; }
.rbr-thumb-remove span { display: block; width: 22px; height: 22px; margin: 11px; border-radius: 11px;
                         line-height: 20px; font-size: 13px; """ + BUTTON_CSS + """ }
.rbr-teach-held p, .rbr-teach-meter p { margin: 4px 0; font-size: 0.9em; }
.rbr-gauge { position: relative; height: 12px; max-width: 420px; border-radius: 6px; margin-top: 6px;
             background: var(--border-color-primary); }
.rbr-gauge-fill { position: absolute; top: 0; bottom: 0; border-radius: 6px; }
.rbr-gauge-fill.rbr-lost { background: #dc2626; }
.rbr-gauge-fill.rbr-kept { background: #16a34a; }
.rbr-gauge-zero { position: absolute; left: 50%; top: -3px; bottom: -3px; width: 2px; background: var(--body-text-color); }
.rbr-gauge-scale { display: flex; justify-content: space-between; max-width: 420px; font-size: 12px;
                   color: var(--body-text-color-subdued); }
.rbr-teach-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
.rbr-teach-actions button { padding: 6px 14px; """ + BUTTON_CSS + """ }
"""

COMPARE_HTML = """
<div class="rbr-compare">
  <h4 class="rbr-compare-title"></h4>
  <p class="rbr-compare-help"></p>
  <div class="rbr-compare-grid" id="compare-rows" role="table"></div>
  <div class="rbr-compare-caption" id="compare-caption" aria-live="polite"></div>
</div>
"""
COMPARE_CSS = """
.rbr-compare-title { margin: 12px 0 2px; }
.rbr-compare-help, .rbr-compare-caption p { margin: 2px 0 6px; font-size: 0.9em; }
.rbr-compare-grid { display: grid; grid-template-columns: minmax(4.5em, auto) repeat(28, minmax(11px, 1fr));
                    gap: 2px 1px; align-items: center; max-width: 980px; font-variant-numeric: tabular-nums; }
.rbr-compare-grid > span { text-align: center; font-size: 12px; line-height: 20px; border-radius: 3px; }
.rbr-compare-grid .rbr-cmp-name { text-align: left; font-size: 12px; padding-right: 6px; white-space: nowrap;
                                  overflow: hidden; text-overflow: ellipsis; }
.rbr-compare-grid .rbr-cmp-head { font-size: 12px; color: var(--body-text-color-subdued); }
.rbr-compare-grid .rbr-cmp-diff { outline: 2px solid #dc2626; outline-offset: -1px; }
@media (max-width: 640px) {
  .rbr-compare-grid { grid-template-columns: repeat(28, minmax(0, 1fr)); }
  .rbr-compare-grid .rbr-cmp-name { grid-column: 1 / -1; }
  .rbr-compare-grid .rbr-cmp-lead { display: none; }
  .rbr-compare-grid > span { font-size: 12px; line-height: 16px; }
}
"""


class TeachPanel(gr.HTML):
    """Under the answer: "Not a 7? It's a: 0-9" (`submit` {label, model}), then the corrections and what the taught
    model learned and forgot (`delete` {id}, `clear`, `download`). Its value is `panel`'s."""

    DEFAULTS = view(PANEL_HTML, PANEL_CSS, "on_teach.js")

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)


class TaughtRows(gr.HTML):
    """How it works: the taught model against the one it started from on the drawing, row by row: the digit each
    believes after each row, and the rows where they disagree (drawn in the page, ui/js/on_compare.js)."""

    DEFAULTS = view(COMPARE_HTML, COMPARE_CSS, "on_compare.js")

    def __init__(self, texts: dict, **kwargs):
        super().__init__(**{**self.DEFAULTS, **kwargs}, texts=texts)


def compare(texts: Texts) -> TaughtRows:
    """How it works' comparison of the taught model with the one it started from; call inside its tab."""
    return texts(TaughtRows, texts={k: T(k) for k in COMPARE_TEXTS}, elem_id="taught-rows")


def build(readers: Readers, texts: Texts, mine: gr.State, canvas: gr.HTML, mnist=None) -> gr.State:
    """The panel and its listeners; call right under the Draw tab's answer. `mnist` gives MNIST or
    None (default: MnistOrNone()). Returns the session's Teaching (its labels judge the Train tab's probe)."""
    mnist = mnist or MnistOrNone()
    teaching = new_state()
    teach_panel = texts(TeachPanel, texts={k: T(k) for k in PANEL_TEXTS}, elem_id="teach")
    files = texts(gr.File, label=T("teach_files"), file_count="multiple", interactive=False, visible=False,
                  elem_id="teach-files")

    def then_teach(first: tuple, t: Teaching | None, m):
        """`first` at once, then the taught model when it is ready (what it learned and forgot: `checked`, after)."""
        yield first
        taught = teach_latest(readers, t, m, mnist())
        if taught:
            yield taught

    def checked(t):
        """What the taught model learned and forgot, in a line of its own, on a thread the machine serves last: a
        check takes several teachings' time, and a class's corrections are taught first."""
        return CHECKER.submit(check_latest, t, mnist()).result() or (gr.skip(), gr.skip())

    def added(t, image, m, evt: gr.EventData):
        try:
            t, value = add(readers, t, image, sent(evt, "label"), sent(evt, "model"), m, sent(evt, "click", 0))
        except Refused as why:
            yield gr.skip(), panel(t, refused=why)
            return
        yield from then_teach((t, value), t, m)

    def removed(t, m, evt: gr.EventData):
        try:
            t, value = remove(t, sent(evt, "id"))
        except Refused as why:
            yield gr.skip(), panel(t, refused=why)
            return
        yield from then_teach((t, value), t, m)

    def rebased(t, m):
        first = rebase(readers, t, m)
        yield from then_teach(first or (gr.skip(), gr.skip()), t, m)

    def downloaded(t):
        try:
            return gr.File(value=download(t), visible=True), gr.skip()
        except Refused as why:
            return gr.skip(), panel(t, refused=why)

    private = {"api_visibility": "private", "show_progress": "hidden"}
    # Each click is one event, all kept (trigger "multiple"), in a line of their own: two at once (two cores); the
    # checks after them in another line, one at a time, so that a crowd's teaching never waits behind its checks.
    teaching_line = {"concurrency_id": "teach", "concurrency_limit": 2, **private}
    checking_line = {"concurrency_id": "check", "concurrency_limit": 1, **private}
    outputs = [teaching, teach_panel]
    for taught in (teach_panel.submit(added, [teaching, canvas, mine], outputs, trigger_mode="multiple",
                                      **teaching_line),
                   teach_panel.delete(removed, [teaching, mine], outputs, trigger_mode="multiple", **teaching_line),
                   mine.change(rebased, [teaching, mine], outputs, **teaching_line)):
        taught.then(checked, teaching, outputs, **checking_line)
    teach_panel.clear(partial(forget, readers), [teaching, mine], [teaching, teach_panel, files], **private)
    teach_panel.download(downloaded, teaching, [files, teach_panel], **private)
    return teaching
