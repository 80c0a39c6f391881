"""The guided lesson's numbers (ui/lesson.py, ui/js/lesson.js): each question's true answer, the same in the page as
in Python for 100 MNIST test digits and held-out drawn digits, each choice right for at least a tenth of them; a
teacher's link checked against its whitelist; and the lesson short enough to take in ten minutes."""
import copy
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from evaluate import settle_row
from ui.probes import DECISIVE_FLOOR, row_importance
from texts import TEXTS
from ui import lesson
from ui.live import model_spec

ROOT = Path(__file__).resolve().parent.parent
FLOOR = 0.10  # each choice must be the right one for at least this share of digits: a question worth asking
LESSON_MINUTES = 10
needs_node = pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js (node --test)")


def node(folder: Path) -> str:
    """Run tests/js/lesson.test.mjs on the vectors in `folder`; its TAP output."""
    run = subprocess.run(["node", "--test", "--test-reporter=tap", str(ROOT / "tests" / "js" / "lesson.test.mjs")],
                         env={"PATH": "/usr/bin:/usr/local/bin", "VECTORS": str(folder)}, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    return run.stdout


def digit_sets(mnist) -> dict[str, np.ndarray]:
    """100 MNIST test digits and 40 held-out drawn ones, as (n, 28, 28) in [0, 1], in steps of 1/255 as MNIST's and
    the Train tab's probe are."""
    import drawn
    import preprocess

    images, _ = drawn.dataset(40, seed=31)
    return {"mnist": (mnist.test_x[:100].float() / 255).numpy(),
            "drawn": (np.round(np.stack([preprocess.to_mnist(image) for image in images]) * 255) / 255).astype(np.float32)}


@pytest.fixture(scope="module")
def trained(mnist):
    """A new network as the Train tab's starting settings train it, at the check the run's question asks about."""
    from train import train_events

    steps = lesson.QUESTIONS["trained"]["images"] // lesson.START.batch_size
    events = train_events(lesson.START, mnist)
    for ev in events:
        if ev.step == steps:
            model = copy.deepcopy(ev.model).eval()
            events.close()
            return model
    raise AssertionError(f"the run never reached step {steps}")


def shares(readers, sets, trained) -> tuple[dict, dict]:
    """Python's answers per set, and each question's share of digits per choice over all of them."""
    models = {k: readers.shipped[cell].model for k, cell in lesson.CELL_KEYS.items()}
    answers = {name: [lesson.truths(models, torch.from_numpy(x[None]), trained) for x in xs]
               for name, xs in sets.items()}
    every = [a for listed in answers.values() for a in listed]
    return answers, {q: {c: sum(a[q] == c for a in every) / len(every) for c in cs} for q, cs in lesson.CHOICES.items()}


@pytest.fixture(scope="module")
def answered(readers, mnist, trained) -> tuple[dict, dict, dict]:
    """The digit sets, Python's answers per set, and each question's share of digits per choice."""
    sets = digit_sets(mnist)
    return sets, *shares(readers, sets, trained)


def test_every_choice_is_right_for_a_tenth_of_the_digits_at_least(answered):
    _, _, share = answered
    print(json.dumps(share, indent=1))
    for q, by_choice in share.items():
        assert min(by_choice.values()) >= FLOOR, (q, by_choice)


def views(readers, x: np.ndarray, trained, run: int) -> dict:
    """What the page's views show for digit x: How it works' error-signal chart (as inside.gradient_view makes it)
    and the Train tab's probe (as ui/training.py sends it), read by `trained` at the run's question's check."""
    from model import CELLS
    from ui.inside import charts
    from ui.probes import relative_log_gradients
    from ui.run_view import Probe, probe_numbers
    from evaluate import log_gradients, probe_trace

    xt = torch.from_numpy(x[None])
    curves = {CELLS[c].name: relative_log_gradients(log_gradients(readers.shipped[c].model, xt))
              for c in readers.shipped}
    probe = Probe(torch.from_numpy(np.round(x * 255).astype(np.uint8)), None, yours=True, run=run, cell="LSTM")
    images = lesson.QUESTIONS["trained"]["images"]
    h, probs = probe_trace(trained, probe.image)
    for seen in (0, 64, images, images + 3200):  # the run's checks: the question's is the first from `images` on
        probe.read(seen, probs if seen == images else np.roll(probs, 1, axis=1))
    return {"chart": charts(curves)[0]["data"], "probe": probe_numbers(probe, h, probs)}


@needs_node
def test_the_page_finds_the_same_answers_from_the_same_numbers(tmp_path, readers, trained, answered):
    sets, answers, _ = answered
    specs = {k: model_spec(readers.shipped[cell].model, 0.5, "shipped_model")  # the weights inline, for Node
             for k, cell in lesson.CELL_KEYS.items()}
    plain = readers.shipped[lesson.CELL_KEYS["plain"]].model
    with torch.inference_mode():  # the row from which the plain RNN holds its answer: what rnn_lean's "why" states
        settled = {n: [settle_row(plain.trace(torch.from_numpy(x[None]))["probs"][0].numpy()) for x in xs]
                   for n, xs in sets.items()}
    # whether no row decides the LSTM's answer, by the numbers "which rows decided it" shows: blank's other "why"
    gated = readers.shipped[lesson.CELL_KEYS["gated"]].model
    undecided = {n: [bool(row_importance(gated, torch.from_numpy(x[None]))[1].max() < DECISIVE_FLOOR) for x in xs]
                 for n, xs in sets.items()}
    (tmp_path / "lesson.json").write_text(json.dumps({
        "specs": specs, "questions": lesson.QUESTIONS, "choices": lesson.CHOICES, "floor": FLOOR,
        "sets": [{"name": n, "xs": xs.reshape(len(xs), -1).tolist(), "truths": answers[n], "settled": settled[n],
                  "undecided": undecided[n],
                  "views": [views(readers, x, trained, run=2) for x in xs]} for n, xs in sets.items()]}))
    assert "# pass 1" in node(tmp_path)


LINKS = [
    ("", {"step": None, "lock": [], "hide": []}),
    ("?d=AAAA&m=lstm&t=draw&lang=zh", {"step": None, "lock": [], "hide": []}),
    ("?lesson=3&lock=model&hide=train,share", {"step": 3, "lock": ["model"], "hide": ["train", "share"]}),
    ("?lesson=7", {"step": 7, "lock": [], "hide": []}),
    ("?lesson=8", {"refused": ["lesson"]}),
    ("?lesson=0", {"refused": ["lesson"]}),
    ("?lesson=2.5", {"refused": ["lesson"]}),
    ("?lesson=<script>alert(1)</script>", {"refused": ["lesson"]}),
    ("?hide=train,<img src=x onerror=alert(1)>", {"refused": ["hide"]}),
    ("?lock=everything", {"refused": ["lock"]}),
    ("?evil=1&lesson=2", {"refused": ["evil"]}),
    ("?__proto__=1", {"refused": ["__proto__"]}),
    ("?constructor=x&hide=toString", {"refused": ["constructor", "hide"]}),
    ("?" + "&".join(f"f{i}{'x' * 60}=1" for i in range(9)), {"refused": [f"f{i}{'x' * 60}"[:40] for i in range(5)]}),
]


@needs_node
def test_a_teachers_link_is_checked_against_its_whitelist(tmp_path):
    (tmp_path / "link.json").write_text(json.dumps({"fields": lesson.LINK_FIELDS, "teacher": lesson.TEACHER,
                                                    "steps": len(lesson.STEPS), "cases": LINKS}))
    assert "# pass 1" in node(tmp_path)


def minutes(lang: str) -> float:
    """The lesson's time: its words (every step's, every question's, its choices' and its longest answer sentence) at
    lesson.WORDS_PER_MINUTE, lesson.ACTION_S a click (a choice, Check and Next for a question; Next otherwise) and
    lesson.LOOK_S looking at each step's view. (benchmarks/lesson_walk.py times the same walk in a browser.)"""
    t, seconds, actions = TEXTS[lang], 0.0, 1  # the start button
    for step in lesson.STEPS:
        seconds += lesson.reading_seconds(t[f"lesson_{step['key']}_title"] + " " + t[f"lesson_{step['key']}_body"])
        actions += 1
        if step["ask"]:
            q = step["ask"]
            words = [t[f"lesson_q_{q}"], *(t[f"lesson_c_{q}_{c}"] for c in lesson.CHOICES[q]), t["lesson_wrong"]]
            words.append(max((v for k, v in t.items() if k.startswith(f"lesson_why_{q}_")), key=lesson.reading_units))
            seconds += lesson.reading_seconds(" ".join(words))
            actions += 2
    return (seconds + actions * lesson.ACTION_S + len(lesson.STEPS) * lesson.LOOK_S) / 60


def test_reading_counts_words_and_chinese_characters():
    assert lesson.reading_units("Row by row, 28 pixels.") == 5
    assert lesson.reading_units("每一步读一行") == 6
    assert lesson.reading_units("读 28 个像素：LSTM") == 6


@pytest.mark.parametrize("lang", list(TEXTS))
def test_the_lesson_takes_ten_minutes_at_most(lang):
    took = minutes(lang)
    print(f"lesson ({lang}): about {took:.1f} min")
    assert took <= LESSON_MINUTES
