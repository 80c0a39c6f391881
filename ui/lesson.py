"""The guided lesson: a few steps that follow the notes, each pointing at a view that already exists, most asking
one question first ("predict, then check"). The page runs it (ui/js/lesson.js, on_lesson.js); here are its steps,
the numbers its questions use, the fields a teacher's link may set, and the questions' true answers in Python,
which the tests check against the page's."""
import numpy as np
import torch

from model import CELLS
from train import LONG_MEMORY_CELLS
from ui.tables import settle_row

# The notes' comparison, as the long-memory experiment runs it: a plain RNN and a gated cell (the LSTM).
CELL_KEYS = dict(zip(("plain", "gated"), LONG_MEMORY_CELLS))

# Each question's numbers: the page gets them as props, the tests from here (one place for both).
QUESTIONS = {
    "settle": {"early": 16, "late": 20},  # settles before row 16, rows 16-19, or from row 20
    "lean": {"row": 16},  # already leaning to its final answer at row 16?
    "blank": {},  # does blanking the row that matters most change the answer?
    "rnn_lean": {"row": 10},  # the plain RNN, a third of the way down
    "forget": {"top": 9},  # the forget gate lowest in rows 1-9, or further down?
}
CHOICES = {"settle": ["early", "middle", "late"], "lean": ["yes", "no"], "blank": ["yes", "no"],
           "rnn_lean": ["yes", "no"], "forget": ["top", "lower"]}
# The steps in order: the tab and the view each shows (an element id), and the question asked first, if any.
STEPS = [
    {"key": "rows", "tab": "draw", "view": "reading", "ask": "settle"},
    {"key": "state", "tab": "inside", "view": "inside-view", "ask": "lean", "row": QUESTIONS["lean"]["row"]},
    {"key": "decided", "tab": "inside", "view": "decided", "ask": "blank"},
    {"key": "forgets", "tab": "inside", "view": "memory-plot", "ask": "rnn_lean"},
    {"key": "gates", "tab": "inside", "view": "inside-view", "ask": "forget", "cell": CELL_KEYS["gated"]},
    {"key": "error", "tab": "inside", "view": "grad-digit", "ask": None},
    {"key": "train", "tab": "train", "view": "train-tab", "ask": None},
]
# What a teacher's link may add to a share link: the step, and controls locked or hidden (each a whitelist).
TEACHER = {"lock": ["model"], "hide": ["train", "inside", "share"]}
# Every field a link to this page may carry; any other opens the plain app with a note.
LINK_FIELDS = ["d", "m", "t", "c", "lang", "view", "lesson", "lock", "hide", "__theme"]
WORDS_PER_MINUTE = 200  # reading speed the lesson's time estimate assumes
ACTION_S = 4  # seconds an action takes (a click, a slider): answering, revealing, going on
LOOK_S = 20  # seconds a step's view is looked at, once shown


def argmax(v) -> int:
    return int(np.argmax(v))


def truths(models: dict, x: torch.Tensor) -> dict[str, str]:
    """Each question's right choice for digit x (1, 28, 28), from the models ({"gated", "plain"}), as
    ui/js/lesson.js finds it."""
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
    return out


def texts_used() -> tuple[str, ...]:
    """The texts the lesson's panel fills in itself: every lesson_ key, and the loading note."""
    from texts import TEXTS

    return (*(k for k in TEXTS["en"] if k.startswith("lesson_")), "loading")
