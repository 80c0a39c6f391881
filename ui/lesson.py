"""The guided lesson: a few steps that follow the notes, each pointing at a view that already exists, most asking
one question first ("predict, then check"). The page runs it (ui/js/lesson.js, on_lesson.js); here are its steps,
the numbers its questions use, the fields a teacher's link may set, and the questions' true answers in Python,
which the tests check against the page's."""
import re

import numpy as np
import torch

from evaluate import log_gradients, settle_row
from model import CELLS
from train import LONG_MEMORY_CELLS, TrainConfig
from ui.probes import DECISIVE_FLOOR, relative_log_gradients

# The notes' comparison, as the long-memory experiment runs it: a plain RNN and a gated cell (the LSTM).
CELL_KEYS = dict(zip(("plain", "gated"), LONG_MEMORY_CELLS))

START = TrainConfig()  # the Train tab's starting settings (the original program's recipe)
# Each question's numbers: the page gets them as props, the tests from here (one place for both).
QUESTIONS = {
    "settle": {"early": 16, "late": 20},  # settles before row 16, rows 16-19, or from row 20
    "lean": {"row": 16},  # already leaning to its final answer at row 16?
    # does blanking the row that matters most change the answer? (under `points` points of the answer's probability
    # no row decides it, as "which rows decided it" says)
    "blank": {"points": round(100 * DECISIVE_FLOOR)},
    "rnn_lean": {"row": 10},  # the plain RNN, a third of the way down
    "forget": {"top": 9},  # the forget gate lowest in rows 1-9, or further down?
    # which cell keeps more of the error signal at row 1, as How it works' chart shows it (its lines by cell name)
    "error": {"row": 1, **{k: CELLS[cell].name for k, cell in CELL_KEYS.items()}},
    # a new network, the Train tab's starting settings: reads the digit as the shipped one does at its second check
    # (train.py checks at step 1, then every eval_every steps)?
    "trained": {"images": (START.eval_every + 1) * START.batch_size, "cell": CELLS[START.cell].name},
}
CHOICES = {"settle": ["early", "middle", "late"], "lean": ["yes", "no"], "blank": ["yes", "no"],
           "rnn_lean": ["yes", "no"], "forget": ["top", "lower"], "error": ["plain", "gated"], "trained": ["yes", "no"]}
# The steps in order: the tab and the view each shows (an element id), and the question asked first, if any.
STEPS = [
    {"key": "rows", "tab": "draw", "view": "reading", "ask": "settle"},
    {"key": "state", "tab": "inside", "view": "inside-view", "ask": "lean", "row": QUESTIONS["lean"]["row"]},
    {"key": "decided", "tab": "inside", "view": "decided", "ask": "blank"},
    {"key": "plain", "tab": "inside", "view": "inside-view", "ask": "rnn_lean", "cell": CELL_KEYS["plain"],
     "row": QUESTIONS["rnn_lean"]["row"]},
    {"key": "gates", "tab": "inside", "view": "inside-view", "ask": "forget", "cell": CELL_KEYS["gated"]},
    # `reads`: the view whose numbers answer the question (its elem_id: the name it shows them under, reader.show)
    {"key": "error", "tab": "inside", "view": "grad-digit", "ask": "error", "reads": "grad-digit"},
    # answered before a run, checked at its second check: the answer waits for the visitor to press Train
    {"key": "train", "tab": "train", "view": "train-tab", "ask": "trained", "after": "train", "reads": "probe"},
]
# What a teacher's link may add to a share link: the step, and controls locked or hidden (each a whitelist).
TEACHER = {"lock": ["model"], "hide": ["train", "inside", "share"]}
# Every field a link to this page may carry; any other opens the plain app with a note.
LINK_FIELDS = ["d", "m", "t", "c", "lang", "view", "lesson", "lock", "hide", "__theme"]
# The lesson's time: its words read at this speed (an English word, or a Chinese character: a slow pace for adult
# readers of either), each action (a click: answering, revealing, going on) ACTION_S, each step's view looked at LOOK_S.
WORDS_PER_MINUTE = 200
ACTION_S = 4
LOOK_S = 20


def reading_units(text: str) -> int:
    """What a reader reads in `text`: each run of letters or digits as a word, each Chinese character on its own."""
    return len(re.findall(r"[\u3400-\u9fff]|[^\W\u3400-\u9fff]+", text))


def reading_seconds(text: str) -> float:
    """Seconds to read `text` at WORDS_PER_MINUTE."""
    return 60 * reading_units(text) / WORDS_PER_MINUTE


def argmax(v) -> int:
    return int(np.argmax(v))


def truths(models: dict, x: torch.Tensor, trained: torch.nn.Module | None = None) -> dict[str, str]:
    """Each question's right choice for digit x (1, 28, 28), from the models ({"gated", "plain"}; `trained`, a new
    network at the "trained" question's check, if any), as ui/js/lesson.js finds it."""
    with torch.inference_mode():
        t = {k: m.trace(x) for k, m in models.items()}
        lp, rp = t["gated"]["probs"][0].numpy(), t["plain"]["probs"][0].numpy()
        top = argmax(lp[-1])
        s = QUESTIONS["settle"]
        row = settle_row(lp)
        out = {"settle": "early" if row < s["early"] else "middle" if row < s["late"] else "late"}
        out["lean"] = "yes" if argmax(lp[QUESTIONS["lean"]["row"] - 1]) == top else "no"
        blanked = x.repeat(28, 1, 1)
        blanked[torch.arange(28), torch.arange(28)] = 0
        p = models["gated"].trace(blanked)["probs"][:, -1].numpy()  # (28, 10): row r blank
        worst = argmax(lp[-1, top] - p[:, top])  # the row that matters most, as the decided view measures
        out["blank"] = "yes" if argmax(p[worst]) != top else "no"
        out["rnn_lean"] = "yes" if argmax(rp[QUESTIONS["rnn_lean"]["row"] - 1]) == argmax(rp[-1]) else "no"
        keeper = CELLS[models["gated"].config.cell].keeper  # the LSTM's forget gate
        low = argmax(-t["gated"][keeper][0].mean(-1).numpy()) + 1
        out["forget"] = "top" if low <= QUESTIONS["forget"]["top"] else "lower"
    # How it works' chart of the error signal: each cell's log10 at row 1 relative to row 28, for its own answer
    signal = {k: round(float(relative_log_gradients(log_gradients(m, x))[QUESTIONS["error"]["row"] - 1]), 4)
              for k, m in models.items()}  # rounded as the chart's numbers are (ui/live.py's chart_lines)
    out["error"] = "plain" if signal["plain"] > signal["gated"] else "gated"
    if trained is not None:
        with torch.inference_mode():
            out["trained"] = "yes" if argmax(trained(x)[0]) == top else "no"
    return out


def texts_used() -> tuple[str, ...]:
    """The texts the lesson's panel fills in itself: every lesson_ key, and the loading note."""
    from texts import TEXTS

    return (*(k for k in TEXTS["en"] if k.startswith("lesson_")), "loading")
