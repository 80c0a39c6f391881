"""The Draw tab's teaching panel (ui/teach.py), its handlers called as the page's events call them, with the shipped
models, a writer's drawn digits sent as the canvas sends them, and MNIST."""
import base64
import gc
import hashlib
import json
import threading
import weakref
from pathlib import Path

import gradio as gr
import numpy as np
import pytest
import torch
from gradio.state_holder import StateHolder
from safetensors.torch import load

import checkpoint
import data
import drawn
import limits
import preprocess
import evaluate
import teacher
from texts import TEXTS
from ui import common, teach
from ui.canvas import digit
from ui.teach import CAP, TAUGHT, Refused, Teaching

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def drawings() -> tuple[list[torch.Tensor], np.ndarray]:
    """20 digits (2 of each) by the mirrored writer, as the canvas sends them (784 numbers, 3 decimals) and as
    DigitCanvas.preprocess hands them to a handler: (1, 28, 28)."""
    values, labels = drawn.writer_set("mirrored", 20, seed=5)
    return [digit(np.round(preprocess.to_mnist(v), 3).ravel().tolist()) for v in values], labels


def shipped_file_hash() -> str:
    return hashlib.sha256((checkpoint.WEIGHTS_DIR / "lstm.safetensors").read_bytes()).hexdigest()


def state_of(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in model.state_dict().items()}


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def corrected(readers, xs, labels, model: str = "lstm", teaching: Teaching | None = None, mine=None) -> Teaching:
    for x, y in zip(xs, labels):
        teaching, value = teach.add(readers, teaching, x, int(y), model, mine)
        assert value["status"] == "teaching" and value["n"] == len(teaching.corrections)
    return teaching


def own_model(model, acc: float):
    """The session's own trained model as the Train tab keeps it."""
    return common.Trained(model, acc) if hasattr(common, "Trained") else {"model": model, "acc": acc}


def test_corrections_teach_a_copy_that_the_page_reads_with_and_the_meter_measures_it(readers, drawings, mnist):
    xs, labels = drawings
    lstm = readers.shipped["lstm"].model
    before, file_before = state_of(lstm), shipped_file_hash()
    teaching = corrected(readers, xs[:6], labels[:6])
    with torch.inference_mode():
        assert (lstm(torch.cat(xs[:6])).argmax(1).numpy() == labels[:6]).mean() <= 0.5  # misread before

    teaching, value = teach.teach_latest(readers, teaching, None, mnist)
    assert same(state_of(lstm), before) and shipped_file_hash() == file_before  # the shipped model is untouched
    assert teaching.model is not lstm and not same(state_of(teaching.model), before)
    spec = value["model"]  # the page reads with it: its weights inline, its description's values
    assert spec["describe"] == "taught_shipped" and spec["corrections"] == 6 and spec["base"] == "lstm"
    weights = load(base64.b64decode(spec["b64"]))
    assert same(weights, state_of(teaching.model))
    marks = {c["id"]: c["read"] for c in value["corrections"]}
    assert sum(marks[c.id] == c.label for c in teaching.corrections) >= 5  # it reads its corrections now
    assert value["status"] == "checking" and value["held"] is None and value["meter"] is None
    assert all(len(c["ink"]) == 784 for c in value["corrections"])
    x0 = np.array([int(h, 16) for h in value["corrections"][0]["ink"]]).reshape(28, 28) / 15
    np.testing.assert_allclose(x0, xs[0][0].numpy(), atol=1 / 30 + 1e-6)  # the thumbnail is the digit sent

    teaching, value = teach.check_latest(teaching, mnist)
    meter, held = value["meter"], value["held"]
    test_x, test_y = mnist.test_x[:2000], mnist.test_y[:2000]
    start_right = evaluate.predict(lstm, test_x) == test_y
    now_right = evaluate.predict(teaching.model, test_x) == test_y
    assert meter["digits"] == 2000 and meter["before"] == start_right.float().mean().item()
    assert meter["after"] == now_right.float().mean().item()
    assert meter["lost"] == int((start_right & ~now_right).sum()) and meter["gained"] - meter["lost"] == round(
        (meter["after"] - meter["before"]) * 2000)
    assert meter["after"] >= meter["before"] - 0.005  # at most half a point of MNIST forgotten
    x, y = torch.cat(xs[:6]), torch.as_tensor(labels[:6])
    assert held == {"right": int((teacher.held_out_reading(lstm, x, y, mnist) == y).sum()), "n": 6, "folds": 4,
                    "read": None}
    assert value["status"] == "done" and teach.check_latest(teaching, mnist) is None


def test_remove_one_and_forget_all(readers, drawings, mnist):
    xs, labels = drawings
    teaching = corrected(readers, xs[:3], labels[:3], model="gru")
    teaching, value = teach.teach_latest(readers, teaching, None, mnist)
    assert value["model"]["corrections"] == 3 and teaching.model.config.cell == "gru"
    first = teaching.corrections[0].id
    teaching, value = teach.remove(teaching, first)
    assert value["n"] == 2 and first not in [c["id"] for c in value["corrections"]] and value["status"] == "teaching"
    with pytest.raises(Refused) as why:  # already gone: said so, nothing else changes
        teach.remove(teaching, first)
    assert why.value.text("zh") == TEXTS["zh"]["teach_gone"] and len(teaching.corrections) == 2
    teaching, value = teach.teach_latest(readers, teaching, None, mnist)
    assert value["model"]["corrections"] == 2 and value["taught_n"] == 2

    for c in list(teaching.corrections):  # the last one removed: no taught model, the GRU reads again
        teaching, _ = teach.remove(teaching, c.id)
    teaching, value = teach.teach_latest(readers, teaching, None, mnist)
    assert teaching.model is None and value["model"] is None and value["fallback"] == "gru"
    assert value["n"] == 0 and value["status"] == "empty"

    teaching = corrected(readers, xs[3:5], labels[3:5], teaching=teaching)
    teach.teach_latest(readers, teaching, None, mnist)
    model = weakref.ref(teaching.model)
    teaching, value, files = teach.forget(readers, teaching, None)
    assert value["n"] == 0 and value["status"] == "forgotten" and files.visible is False
    assert value["model"] is None and value["fallback"] == "lstm"
    gc.collect()
    assert model() is None  # the taught model is gone from memory
    assert teach.teach_latest(readers, teaching, None, mnist) is None


def test_the_event_data_the_page_sends_is_read_and_any_other_is_none():
    sent = {"label": 3, "model": "gru", "click": 2, "id": 7}
    assert [teach.sent(gr.EventData(None, sent), k) for k in ("label", "model", "click", "id")] == [3, "gru", 2, 7]
    assert teach.sent(gr.EventData(None, {}), "click", 0) == 0
    for other in (None, "label", ["label"], 5, 1.5, True):  # a client may send any JSON as the event's data
        assert teach.sent(gr.EventData(None, other), "label") is None, other
        assert teach.sent(gr.EventData(None, other), "click", 0) == 0, other


def test_at_most_cap_corrections_and_the_page_says_so(readers, drawings):
    xs, labels = drawings
    teaching = None
    for i in range(CAP):  # distinct drawings: one pixel of ink moved along
        x = xs[i % 20].clone()
        x[0, i // 28, i % 28] = 1.0 if x[0, i // 28, i % 28] < 1 else 0.5
        teaching, value = teach.add(readers, teaching, x, int(labels[i % 20]), "lstm", None)
    assert value["n"] == CAP == 100 and value["cap"] == CAP
    with pytest.raises(Refused) as why:
        teach.add(readers, teaching, torch.zeros(1, 28, 28).index_fill_(1, torch.tensor([5]), 1.0), 3, "lstm", None)
    assert why.value.text() == "This page keeps at most 100 corrections: remove one to add another."
    assert "100" in why.value.text("zh") and len(teaching.corrections) == CAP  # nothing lost
    version = teaching.version
    again = teaching.corrections[0].x[None].clone()
    teaching, value = teach.add(readers, teaching, again, 9, "lstm", None)  # one corrected again: still allowed
    assert value["n"] == CAP and teaching.version == version + 1
    assert "teach_cap_note" in teach.PANEL_TEXTS and "{cap}" in TEXTS["en"]["teach_cap_note"]


def test_bad_input_is_refused_with_a_message_and_nothing_changes(readers, drawings):
    xs, labels = drawings
    teaching = corrected(readers, xs[:2], labels[:2])
    version, kept = teaching.version, [(c.id, c.label) for c in teaching.corrections]
    cases = {
        "no drawing": (None, 3, "lstm", "teach_no_drawing"),
        "an empty canvas": (digit([]), 3, "lstm", "teach_no_drawing"),
        "a blank 28x28": (torch.zeros(1, 28, 28), 3, "lstm", "teach_no_drawing"),
        "not 784 numbers": (digit([0.5] * 100), 3, "lstm", "bad_drawing_shape"),
        "numbers out of range": (digit([2.0] * 784), 3, "lstm", "bad_drawing_range"),
        "label 10": (xs[5], 10, "lstm", "teach_bad_label"),
        "label -1": (xs[5], -1, "lstm", "teach_bad_label"),
        "label 2.5": (xs[5], 2.5, "lstm", "teach_bad_label"),
        "label true": (xs[5], True, "lstm", "teach_bad_label"),
        "no label": (xs[5], None, "lstm", "teach_bad_label"),
        "a long label": (xs[5], "7" * 10_000, "lstm", "teach_bad_label"),
        "an unknown model": (xs[5], 3, "cnn", "bad_choice"),
        "mine, never trained": (xs[5], 3, "mine", "bad_choice"),
    }
    for case, (x, label, model, key) in cases.items():
        with pytest.raises(Refused) as why:
            teach.add(readers, teaching, x, label, model, None)
        assert why.value.key == key, case
        for lang in TEXTS:  # one line, in the visitor's language, never the whole of what was sent
            words = why.value.text(lang)
            assert "\n" not in words and len(words) < 200, case
        assert teaching.version == version and [(c.id, c.label) for c in teaching.corrections] == kept, case
    assert teach.label_of("7") == 7 and teach.label_of(7.0) == 7  # what a script may send for a digit


def test_two_quick_corrections_the_later_wins_and_none_is_lost(readers, drawings, mnist):
    xs, labels = drawings
    # The same drawing, two digits clicked: the later label is the correction; the same digit again changes nothing.
    teaching, _ = teach.add(readers, None, xs[0], 3, "lstm", None)
    teaching, value = teach.add(readers, teaching, xs[0].clone(), int(labels[0]), "lstm", None)
    assert [(c["label"]) for c in value["corrections"]] == [labels[0]]
    version, again = teaching.version, []
    clicked = threading.Thread(target=lambda: again.append(teach.add(readers, teaching, xs[0].clone(),
                                                                     int(labels[0]), TAUGHT, None)))
    clicked.start()
    clicked.join(timeout=60)  # a handler that never returns would hold up every visitor's corrections
    assert again and teaching.version == version and again[0][1]["n"] == 1
    # Two drawings corrected before the first teach ran: both events teach; the first teaches both, the second
    # finds nothing new.
    teaching, _ = teach.add(readers, teaching, xs[1], int(labels[1]), "lstm", None)
    first = teach.teach_latest(readers, teaching, None, mnist)
    assert first[1]["model"]["corrections"] == 2 and teaching.reads.keys() == {0, 1}
    assert teach.teach_latest(readers, teaching, None, mnist) is None
    # A correction while a teach runs (another queued event): whichever teach started before it keeps nothing, the
    # one after teaches all three; an older result never replaces a newer one.
    results = []
    running = threading.Thread(target=lambda: results.append(teach.teach_latest(readers, teaching, None, mnist)))
    teaching, _ = teach.add(readers, teaching, xs[2], int(labels[2]), "lstm", None)
    running.start()
    teaching, _ = teach.add(readers, teaching, xs[3], int(labels[3]), "lstm", None)
    running.join()
    results.append(teach.teach_latest(readers, teaching, None, mnist))
    sent = [r[1]["model"]["corrections"] for r in results if r is not None]
    assert sent[-1] == 4 and sent == sorted(sent)
    assert teaching.taught == teaching.version and teaching.taught_n == 4 and len(teaching.corrections) == 4
    assert [c.label for c in teaching.corrections] == [int(v) for v in labels[:4]]
    # Two events on the same corrections at once (two places in the teaching line): one teaches, one leaves it.
    teaching, _ = teach.add(readers, teaching, xs[4], int(labels[4]), "lstm", None)
    both = []
    events = [threading.Thread(target=lambda: both.append(teach.teach_latest(readers, teaching, None, mnist)))
              for _ in range(2)]
    for event in events:
        event.start()
    for event in events:
        event.join()
    assert sorted(r is None for r in both) == [False, True] and teaching.taught_n == 5 and not teaching.running
    # Two digits clicked for the same drawing whose events arrive the other way round: the later click wins.
    teaching, _ = teach.add(readers, teaching, xs[5], 8, "lstm", None, click=12)
    teaching, value = teach.add(readers, teaching, xs[5].clone(), 6, "lstm", None, click=11)
    assert value["corrections"][-1]["label"] == 8


def test_without_mnist_teaching_works_and_the_meter_says_it_cannot_measure(readers, drawings):
    xs, labels = drawings
    teaching = corrected(readers, xs[:4], labels[:4])
    teaching, value = teach.teach_latest(readers, teaching, None, None)
    assert value["model"]["corrections"] == 4 and sum(c["read"] == c["label"] for c in value["corrections"]) >= 3
    teaching, value = teach.check_latest(teaching, None)
    assert value["meter"] == "none" and value["held"]["n"] == 4 and value["status"] == "done"
    assert "cannot measure forgetting" in TEXTS["en"]["teach_meter_none"]

    calls = []

    def missing():
        calls.append(1)
        raise data.DataMissing("no MNIST here")

    mnist = teach.MnistOrNone(missing)
    assert mnist() is None and mnist() is None and len(calls) == 1  # not tried again at every correction


def test_a_correction_of_the_taught_model_teaches_the_model_it_started_from(readers, drawings, mnist):
    xs, labels = drawings
    teaching = corrected(readers, xs[:2], labels[:2], model="rnn")
    teach.teach_latest(readers, teaching, None, mnist)
    teaching, value = teach.add(readers, teaching, xs[2], int(labels[2]), TAUGHT, None)
    assert teaching.base == "rnn" and teaching.start is readers.shipped["rnn"].model and value["base_cell"] == "RNN"
    assert value["earlier"] == ""  # the same model taught: nothing moved
    teaching, value = teach.add(readers, teaching, xs[3], int(labels[3]), "gru", None)  # now read by the GRU
    assert teaching.start is readers.shipped["gru"].model and teaching.start_right is None
    assert value["earlier"] == "RNN" and value["base_cell"] == "GRU"  # the panel says the corrections moved
    teaching, value = teach.teach_latest(readers, teaching, None, mnist)
    assert teaching.model.config.cell == "gru" and value["model"]["corrections"] == 4
    assert value["earlier"] == "RNN"  # still said once taught: nothing changed since
    teaching, value = teach.add(readers, teaching, xs[4], int(labels[4]), "gru", None)
    assert value["earlier"] == ""  # the next correction of the same model: said once, not again


def test_from_the_visitors_own_model_and_when_it_changes(readers, drawings, mnist):
    xs, labels = drawings
    mine = own_model(readers.shipped["gru"].model, 0.98)
    teaching = corrected(readers, xs[:2], labels[:2], model="mine", mine=mine)
    teaching, value = teach.teach_latest(readers, teaching, mine, mnist)
    assert value["model"]["describe"] == "taught_mine" and value["model"]["base"] == "mine"
    assert value["base_kind"] == "mine" and value["fallback"] == "mine"
    newer = own_model(readers.shipped["lstm"].model, 0.99)  # the Train tab's "use this model": a newer one
    teaching, value = teach.rebase(readers, teaching, newer)
    assert value["status"] == "teaching" and "model" not in value  # the page reads with the taught one meanwhile
    assert teaching.start is readers.shipped["lstm"].model and teaching.taught != teaching.version
    assert teach.rebase(readers, teaching, newer) is None  # the same one again: nothing to teach again
    teaching, value = teach.teach_latest(readers, teaching, newer, mnist)  # taught again from the newer one
    assert teaching.model.config.cell == "lstm" and value["model"]["corrections"] == 2


def test_download_saves_the_taught_model_in_the_swept_cache(readers, drawings, mnist):
    xs, labels = drawings
    with pytest.raises(Refused) as why:
        teach.download(None)
    assert why.value.key == "teach_nothing"
    teaching = corrected(readers, xs[:3], labels[:3])
    teach.teach_latest(readers, teaching, None, mnist)
    teach.check_latest(teaching, mnist)
    files = teach.download(teaching)
    paths = [Path(p) for p in files]
    assert [p.suffix for p in paths] == [".safetensors", ".json"]
    assert limits.cache_folder() in paths[0].parents  # swept by limits.py like every file the app writes
    loaded = checkpoint.load(paths[0])
    assert same(state_of(loaded), state_of(teaching.model))
    meta = json.loads(paths[1].read_text())
    assert meta["taught"]["corrections"] == 3 and meta["taught"]["labels"] == [int(v) for v in labels[:3]]
    assert meta["mnist_first_2000"]["after"] == teaching.meter["after"]
    assert teach.download(teaching) == files  # the same model again: no new files


def test_a_session_with_a_taught_model_holds_under_5_mb_and_is_freed_when_its_visitor_left(readers, drawings, mnist):
    xs, labels = drawings
    teaching = None
    for i in range(CAP):  # the most a session keeps
        x = xs[i % 20].clone()
        x[0, i // 28, i % 28] = 1.0 if x[0, i // 28, i % 28] < 1 else 0.5
        teaching, _ = teach.add(readers, teaching, x, int(labels[i % 20]), "lstm", None)
    teaching, value = teach.teach_latest(readers, teaching, None, None)
    # What it keeps, and what Gradio keeps of what it sent (a session's copy of each updated component).
    held = teaching.nbytes() + len(json.dumps(value))
    assert held <= 5 * 1024 * 1024, held
    assert teaching.nbytes() < 500 * 1024  # 100 corrections of 3 KiB and a 97 KiB model

    with gr.Blocks() as demo:
        state = teach.new_state()
    assert state.time_to_live == teach.TTL_S
    holder = StateHolder()
    holder.set_blocks(demo)
    session = holder["a visitor"]
    session[state._id] = teaching  # as Gradio stores a handler's output
    model = weakref.ref(teaching.model)
    holder.delete_all_expired_state()
    assert teaching.model is not None  # still here while the visitor is
    session.is_closed, session.STATE_TTL_WHEN_CLOSED = True, 0  # the page closed, and Gradio's wait is over
    holder.delete_all_expired_state()
    gc.collect()
    assert model() is None and teaching.corrections == [] and teaching.nbytes() == 0
