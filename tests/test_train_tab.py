"""The Train tab's handlers: real training runs on MNIST, small ones."""
import base64
import dataclasses
import math
import re
from pathlib import Path

import drawn
import gradio as gr
import numpy as np
import pytest
import torch
from PIL import Image

import checkpoint
import limits
import memory_map
from model import RowReader
from pace import Pace
from texts import TEXTS
from train import LONG_MEMORY, TrainConfig
from evaluate import predict, probe_trace
from ui import draw, run_view, teach, training
from ui.common import MINE, drawing
from ui.draw import EXAMPLES
from ui.tables import PALETTE


def page_after(updates) -> training.Update:
    """What the page shows after a handler's updates: each part as its latest update left it."""
    shown = training.Update()
    for u in updates:
        shown = dataclasses.replace(shown, **{k: v for k, v in vars(u).items() if v is not None})
    return shown


def unpack(packed: str) -> np.ndarray:
    """Numbers as the page unpacks them (ui/js/on_charts.js, on_probe.js)."""
    return np.frombuffer(base64.b64decode(packed), "<f4")


def status(board: run_view.Board, lang: str = "en") -> str:
    return board.render(lang)[0]


def confusion_counts(html: str) -> np.ndarray:
    """The confusion matrix the page shows, read back from its table (an empty cell is 0)."""
    rows = re.findall(r"<tr><th>\d</th>(.*?)</tr>", html)
    return np.array([[int(c or 0) for c in re.findall(r"<td[^>]*>(\d*)</td>", r)] for r in rows])


def test_settings_sent_straight_to_the_api_are_capped_or_refused():
    cfg = training.clean_settings("gru", 10_000, 0.01, 1, 1_000, 10**9, 3, True)
    assert (cfg.hidden_size, cfg.batch_size, cfg.epochs, cfg.train_size) == (256, 8, training.MAX_EPOCHS, 60000)
    for bad in (("lstm", "many", 0.01), ("lstm", 64, float("nan")), ("transformer", 64, 0.01)):
        with pytest.raises(gr.Error):
            training.clean_settings(*bad, 64, 1, 1000, 1, False)


@pytest.mark.parametrize("sent, meant", [(False, False), (True, True), ("False", False), ("false", False),
                                         ("0", False), ("", False), ("True", True), ("1", True), (0, False), (1, True)])
def test_augment_reads_what_a_client_meant(sent, meant):
    assert training.clean_settings("lstm", 64, 0.01, 64, 1, 1000, 1, sent).augment is meant


def test_train_handler_streams_and_ends_with_results(readers, mnist):
    session = training.Session()
    updates = list(training.train_model(readers, "lstm", 32, 0.01, 64, 1, 20000, 1, False, None, None, session))
    assert status(updates[0].board) == "**#1 lstm h32 lr 0.01 b64** · Starting…" and session.job.over
    final = page_after(updates)
    assert final.board is session.board  # what Stop and a language switch start from
    assert status(final.board).startswith("### Done:") and status(final.board).endswith("· #1 lstm h32 lr 0.01 b64")
    trained = session.trained
    assert isinstance(trained.model, RowReader) and 0.3 < trained.acc <= 1
    # The page's results are the model's own, on the full test set: the matrix, the mistakes, the files.
    pred = predict(trained.model, mnist.test_x)
    cm = confusion_counts(final.end.confusion)
    assert cm.sum() == 10000 and np.trace(cm) == (pred == mnist.test_y).sum() == round(trained.acc * 10000)
    assert len(final.end.mistakes) == min(training.MISTAKES, int((pred != mnist.test_y).sum()))
    assert all(caption == f"{mnist.test_y[i]} → {pred[i]}"
               for (_, caption), i in zip(final.end.mistakes, (pred != mnist.test_y).nonzero()[:, 0]))
    weights, config = final.end.files
    assert weights.endswith("rowbyrow-lstm32.safetensors") and config.endswith("rowbyrow-lstm32.json")
    assert torch.equal(predict(checkpoint.load(weights), mnist.test_x), pred)
    assert checkpoint.meta(weights)["train"]["hidden_size"] == 32
    live = [u for u in updates[1:-1] if u.probe and u.charts and u.board.status == "status"]
    assert live and all(unpack(u.probe["h"]).shape == (28 * 32,) for u in live)  # the probe's picture, as it learns
    assert not any(u.probe["maps"] for u in live)  # the maps come at the end: the new model's own, the shipped one's
    yours, shipped = final.probe["maps"]
    assert (yours["who"], yours["map"], shipped["map"]) == ("map_yours", trained.map, readers.get("lstm").map)
    assert trained.map["hidden"] == 32 and trained.map["fitted_on"]["train_digits"] == memory_map.TRAINED["fit"]
    h, probs = probe_trace(trained.model, mnist.test_x[0])
    np.testing.assert_allclose(unpack(yours["h"]).reshape(28, 32), h, rtol=1e-6)
    assert training.specs(readers, trained)["mine"]["map"] == trained.map  # How it works maps it, once read with
    (run,) = session.runs
    assert run.acc[0][0] == 0 and run.acc[0][1] < 0.3  # the untrained network checked first: chance
    assert run.acc[-1] == (313 * 64, trained.acc)  # the full test set ends the line, after ceil(20000 / 64) steps
    assert "Test digit #0" in final.board.probe.line("en") and "(**a 7**)" in final.board.probe.line("en")
    (drawn_run,) = final.charts  # what the page's charts draw: the run's own numbers, in its colour
    assert drawn_run["label"] == run.label and drawn_run["colour"] == PALETTE[0]
    np.testing.assert_allclose(unpack(drawn_run["acc"]).reshape(-1, 2), run.acc, rtol=1e-6)
    loss = unpack(drawn_run["loss"]).reshape(-1, 2)  # 313 points thinned to every second, ending at the last
    np.testing.assert_allclose(loss, run.loss[::-2][::-1], rtol=1e-6)
    grad = unpack(drawn_run["grad"]).reshape(28, 2)
    assert grad[:, 0].tolist() == list(range(1, 29)) and grad[-1, 1] == 0  # per row, relative to row 28
    np.testing.assert_allclose(grad[:, 1], run.grad - run.grad[-1], rtol=1e-5, atol=1e-6)


def test_your_drawing_is_the_probe_judged_by_the_label_you_gave_it(readers, mnist):
    x = drawing(drawn.render(3, np.random.default_rng(21), mode="white"))  # the canvas's 28x28, as the page sends it
    teaching, _ = teach.add(readers, None, x, 3, "lstm", None)  # "Not a …? It's: 3" in the teach panel
    probe = run_view.probe_digit(readers, x, mnist, teaching)
    assert probe.yours and probe.target == 3 and probe.image.dtype == torch.uint8
    assert probe.image.shape == (28, 28) and probe.image.max() == 255
    assert not run_view.probe_digit(readers, None, mnist, teaching).yours
    final = page_after(training.train_model(readers, "lstm", 64, 0.01, 64, 1, 10000, 1, False, x, teaching, None))
    status_en, line, _ = final.board.render()
    readings = final.board.probe.readings
    assert line.startswith("**Your digit** (you said it is **a 3**), as this run reads it: ")
    assert len(readings) >= 3 and readings[-1][1] == 3  # it ends up reading your 3
    first_right = next(images for images, top, _ in readings if images > 0 and top == 3)
    assert f"First read right after {first_right:,} images." in line and "after 0 images" not in line
    zh_status, zh_line, zh_end = final.board.render("zh")
    assert zh_line.startswith("**你写的数字**（你说它是 **3**）") and zh_status.startswith("### 完成")  # the board follows
    assert zh_end.startswith("#### #1 lstm h64 lr 0.01 b64 训练结束时")  # the language


def test_your_label_not_the_shipped_models_reading_says_when_it_is_read_right(readers, mnist):
    """A 7 taught as a 7: a run that ends reading 5 never earns the ✓, whatever the shipped model reads it as."""
    x = drawing(drawn.render(7, np.random.default_rng(3), mode="white"))
    teaching, _ = teach.add(readers, None, x, 7, "lstm", None)
    probe = run_view.probe_digit(readers, x, mnist, teaching)
    for images, top in ((0, 7), (640, 8), (1280, 5)):
        probe.read(images, np.eye(10)[[top] * 28])
    assert probe.target == 7 and probe.first_read_right() is None
    assert "✓" not in probe.line("en") and "✓" not in probe.line("zh")
    teaching, _ = teach.add(readers, teaching, x, 5, "lstm", None, click=2)  # a later label for it wins
    assert run_view.probe_digit(readers, x, mnist, teaching).target == 5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_drawing_without_your_label_is_judged_by_nothing_and_says_so(readers, mnist, lang):
    x = drawing(drawn.render(4, np.random.default_rng(8), mode="white"))
    other, _ = teach.add(readers, None, drawing(drawn.render(5, np.random.default_rng(9), mode="white")), 5, "lstm",
                         None)  # a label for another drawing judges nothing here
    for teaching in (None, other):
        probe = run_view.probe_digit(readers, x, mnist, teaching)
        with torch.inference_mode():
            shipped = int(readers.get("lstm").model(x).argmax())
        assert probe.yours and probe.target is None and probe.shipped == shipped
        for images, top in ((0, 1), (640, shipped), (1280, 4)):
            probe.read(images, np.eye(10)[[top] * 28])
        line = probe.line(lang)
        assert probe.first_read_right() is None and "✓" not in line
        assert line == TEXTS[lang]["probe_unlabelled"].format(judge="LSTM", shipped=shipped, strip=probe.strip())
    assert ("No label of yours to judge it by" in line) if lang == "en" else ("没有你的标签可以评判" in line)


def test_the_untrained_guess_is_never_said_to_be_read_right(mnist):
    probe = run_view.Probe(mnist.test_x[0], 7, yours=False)
    probe.read(0, np.eye(10)[[7] * 28])  # the untrained network happens to guess 7
    assert probe.first_read_right() is None and "First read right" not in probe.line("en")
    assert "第一次认对" not in probe.line("zh")
    probe.read(640, np.eye(10)[[1] * 28])
    probe.read(1280, np.eye(10)[[7] * 28])
    assert probe.first_read_right() == 1280 and probe.line("en").endswith("✓ First read right after 1,280 images.")
    assert probe.line("zh").endswith("✓ 训练了 1,280 张图片后第一次认对。")


def test_an_8_is_an_8_wherever_a_digit_is_a_noun(mnist):
    eight = run_view.Probe(mnist.test_x[0], 8, yours=False)
    assert eight.line("en").startswith("**Test digit #0** (**an 8**)")
    assert eight.line("zh").startswith("**测试数字 #0**（是 **8**）")
    assert run_view.Probe(mnist.test_x[0], 7, yours=False).line("en").startswith("**Test digit #0** (**a 7**)")


def test_the_rnn_vs_lstm_experiment_overlays_both_names_both_scores_and_the_rnn_ends_far_below(readers, mnist):
    experiment = next(e for e in training.EXPERIMENTS if e.key == "cells")
    session = training.Session()
    updates = list(training.run_experiment(readers, experiment, None, None, session))
    final = page_after(updates)
    assert [r.label for r in session.runs] == ["#1 rnn h64 lr 0.01 b64", "#2 lstm h64 lr 0.01 b64"]
    rnn, lstm = (r.acc[-1][1] for r in session.runs)
    assert rnn < lstm - 0.3 and lstm > 0.9
    assert [(r["label"], r["colour"]) for r in final.charts] == [(r.label, c) for r, c in
                                                                  zip(session.runs, PALETTE)]
    words = status(final.board)  # the final status names both runs' scores, the RNN's too
    assert words.startswith(f"### Done: {lstm:.2%}") and f"**#1 rnn h64 lr 0.01 b64**: {rnn:.2%}" in words
    assert "gradient chart" in words  # and what to look for
    # While the LSTM trains, the results shown (the RNN's) say whose they are.
    second = [u.board for u in updates if u.board and u.board.status == "status" and "#2" in u.board.values["run"]]
    assert second and all(b.render()[2].startswith("#### At the end of #1 rnn h64") for b in second)


def test_stop_ends_the_whole_experiment_and_keeps_the_runs_name_and_the_probe(readers, mnist):
    experiment = next(e for e in training.EXPERIMENTS if e.key == "lr")
    session = training.Session()
    updates = training.run_experiment(readers, experiment, None, None, session)
    next(updates)
    job = session.job  # the first update hands Stop its press
    while not (u := next(updates)).charts:  # the first of three runs is under way
        pass
    stopping = training.stop_training(session).board
    assert status(stopping).startswith("**#1 lstm h64 lr 0.1 b64** · Stopping after this step")
    assert stopping.probe.line("en").startswith("**Test digit #0**")  # the probe strip stays
    rest = list(updates)
    final = page_after([u, *rest])
    first_line = status(final.board).split("\n\n")[0]
    assert first_line.startswith("### Stopped:") and first_line.endswith("· #1 lstm h64 lr 0.1 b64")
    assert final.board.probe is stopping.probe and final.end and len(session.runs) == 1  # no second run began
    assert not job.training.thread.is_alive() and job.over
    assert training.stop_training(session).board is None  # over: nothing left to stop


def test_the_charts_get_every_run_thinned_to_a_few_hundred_points_in_its_colour():
    long = run_view.Run(1, "#1", PALETTE[0], loss=[(64 * i, 2.0 / i) for i in range(1, 2001)])
    short = run_view.Run(2, "#2", PALETTE[1], loss=[(64, 2.3)], acc=[(0, 0.1), (64, 0.2)])
    drawn_long, drawn_short = run_view.chart_data([long, short])
    loss = unpack(drawn_long["loss"]).reshape(-1, 2)
    assert len(loss) <= run_view.PLOT_POINTS and tuple(loss[-1]) == pytest.approx((128000, 0.001))  # the latest
    assert drawn_long["grad"] == ""  # no check yet: no line
    assert unpack(drawn_short["acc"]).tolist() == pytest.approx([0, 0.1, 64, 0.2])
    assert (drawn_long["colour"], drawn_short["colour"]) == tuple(PALETTE[:2])


def test_a_failed_run_says_so_in_the_pages_language(readers, mnist, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")
        yield

    # The ZeroGPU path trains on a thread of this process, where a failure can be put in (a training process that
    # dies: tests/test_training_run.py).
    monkeypatch.setattr("training_run.ON_ZERO_GPU", True)
    monkeypatch.setattr("training_run.train_events", broken)
    with pytest.raises(gr.Error, match="训练失败：out of memory"):
        list(training.train_model(readers, "lstm", 8, 0.01, 64, 1, 1000, 1, False, lang="zh"))


def test_stop_ends_the_run_and_scores_the_partly_trained_model(readers, mnist):
    session = training.Session()
    updates = training.train_model(readers, "gru", 16, 0.01, 64, 1, 60000, 1, False, None, None, session)
    next(updates)
    job = session.job
    while not next(updates).charts:  # training is under way
        pass
    training.stop_training(session)
    final = page_after(updates)
    assert not job.training.thread.is_alive() and 0 < job.training.last.step < job.training.last.total_steps
    assert status(final.board).startswith("### Stopped:")
    assert final.end.files[0].endswith("rowbyrow-gru16.safetensors") and checkpoint.meta(final.end.files[0])[
        "stopped_early"]
    assert session.trained.model.config.cell == "gru"
    scored = (predict(session.trained.model, mnist.test_x) == mnist.test_y).float().mean().item()
    assert session.trained.acc == pytest.approx(scored, abs=1e-6)  # scored on the full test set (float32 means)
    assert training.stop_training(training.Session()) == training.Update()  # nothing running: the page keeps all


def test_a_sessions_run_files_live_in_the_swept_cache_and_a_newer_run_removes_the_last_ones(readers, mnist):
    session = training.Session()
    first = page_after(training.train_model(readers, "lstm", 8, 0.01, 64, 1, 1000, 1, False, None, None, session))
    folder = Path(first.end.files[0]).parent
    assert folder.parent == limits.cache_folder() and all(Path(f).exists() for f in first.end.files)
    second = page_after(training.train_model(readers, "lstm", 8, 0.01, 64, 1, 1000, 1, False, None, None, session))
    assert not folder.exists() and all(Path(f).exists() for f in second.end.files)  # one checkpoint per session
    assert [r.label for r in session.runs] == ["#1 lstm h8 lr 0.01 b64", "#2 lstm h8 lr 0.01 b64"]
    session.end()  # what the session's end does (the state's delete_callback)
    assert not Path(second.end.files[0]).parent.exists()


def test_use_this_model_reads_the_drawing_with_it(readers, mnist):
    session = training.Session()
    list(training.train_model(readers, "lstm", 16, 0.01, 64, 1, 2000, 1, False, None, None, session))
    trained = session.trained
    u = training.use_trained(readers, session)
    assert u.mine is trained and u.reading["choice"] == MINE and u.reading["models"][MINE]["hidden"] == 16
    assert trained.map and hash(u.mine)  # with its map, and hashable: Gradio hashes the session's state (gr.State)
    seven = np.asarray(Image.open(EXAMPLES[0]))
    label, _, _, caption = draw.read_digit(readers, seven, MINE, u.mine)
    with torch.inference_mode():
        probs = trained.model(draw.drawing(seven)).softmax(-1)[0]
    assert [label[str(d)] for d in range(10)] == pytest.approx(probs.tolist(), abs=1e-6)  # read by this model
    assert "your trained LSTM" in readers.describe(MINE, u.mine)
    with pytest.raises(gr.Error, match="Train a model first"):
        training.use_trained(readers, training.Session())


def test_the_api_handler_streams_the_status_and_ends_with_the_files(readers, mnist):
    shown = list(training.train_for_api(readers, "lstm", 16, 0.01, 64, 1, 2000, 1, False, "zh"))
    assert shown[0] == ("**#1 lstm h16 lr 0.01 b64** · 正在开始……", None)  # at once, in the caller's language
    words, files = shown[-1]
    assert words.startswith("### 完成") and [Path(f).suffix for f in files] == [".safetensors", ".json"]


def test_the_estimate_counts_the_recipes_steps_and_reads_the_table_then_the_runs():
    times = training.estimates("lstm", 64, 0.01, 64, 1, 60000, 1, False)
    assert times["train"].startswith("938 steps of 64 images: about ")
    table = {"hidden": [16, 64], "batch": [16, 64], "cells": {"lstm": {"log_step_s": [[math.log(0.001), math.log(0.004)],
                                                                                    [math.log(0.002), math.log(0.01)]],
                                                                     "augment": 2.0}}}
    pace = Pace(table, start_s=1.0)
    assert pace.seconds(training.DEFAULTS) == pytest.approx(938 * 0.01 + 1.0)  # a grid point, as measured
    between = dataclasses.replace(training.DEFAULTS, hidden_size=32, batch_size=32)  # halfway in logs, both ways
    assert pace.step_s(between) == pytest.approx(math.sqrt(math.sqrt(0.001 * 0.004) * math.sqrt(0.002 * 0.01)))
    assert pace.step_s(dataclasses.replace(training.DEFAULTS, augment=True)) == pytest.approx(0.02)
    pace.note(training.DEFAULTS, 0.02, run_s=938 * 0.02 + 3.0)  # a whole run: twice the table's pace, 3 s besides
    assert pace.seconds(training.DEFAULTS) == pytest.approx(938 * 0.02 + 3.0)
    # A network near it is scaled towards its pace by how near (1/e per e-fold of step time), against the table's
    # own weight: its table step is 0.0028 s, 1.26 e-folds from 0.01 s, so it takes 2 ** (0.28 / (0.28 + 0.25)).
    table_between = math.sqrt(math.sqrt(0.001 * 0.004) * math.sqrt(0.002 * 0.01))
    near = math.exp(-math.log(0.01 / table_between))
    assert pace.step_s(between) == pytest.approx(table_between * 2 ** (near / (near + Pace.PRIOR)))
    assert 1.4 < pace.step_s(between) / table_between < 1.5
    far = dataclasses.replace(training.DEFAULTS, hidden_size=16, batch_size=16)  # 10x faster a step: moved little
    assert 1.0 < pace.step_s(far) / 0.001 < 1.25  # 2 ** (0.1 / 0.35): 1.22
    assert set(times) == {"train", *(e.key for e in training.EXPERIMENTS)}
    assert times["cells"].startswith("2 runs") and times["lr"].startswith("3 runs")


def test_training_in_time_boxed_chunks_matches_one_unbroken_run(mnist):
    """How a ZeroGPU Space trains (each chunk one lent-GPU call): same steps, same final weights."""
    from train import train_events
    from training_run import train_in_chunks

    cfg = training.clean_settings("lstm", 16, 0.01, 64, 1, 3000, 1, True)
    unbroken = list(train_events(cfg, mnist))
    chunked = list(train_in_chunks(cfg, mnist, mnist.test_x[0], seconds=0.05))
    assert [e.step for e in chunked] == [e.step for e in unbroken]
    assert len({id(e.model) for e in chunked}) > 2  # it really was cut into several calls
    for a, b in zip(unbroken[-1].model.state_dict().values(), chunked[-1].model.state_dict().values()):
        assert torch.equal(a, b)


def test_the_long_memory_experiment_is_one_click_and_says_what_its_own_runs_found(readers, mnist):
    experiment = next(e for e in training.EXPERIMENTS if e.key == "long")
    assert [c["cell"] for c in experiment.changes] == ["rnn", "lstm"]
    assert all(c["blank_rows"] == LONG_MEMORY["blank_rows"] > 0 for c in experiment.changes)
    assert training.estimates("lstm", 64, 0.01, 64, 1, 60000, 1, False)["long"].startswith("2 runs")
    # The same press, run small: 16 steps each.
    tiny = dataclasses.replace(experiment, changes=tuple({**c, "train_size": 1000} for c in experiment.changes))
    session = training.Session()
    final = page_after(training.run_experiment(readers, tiny, None, None, session))
    blank = LONG_MEMORY["blank_rows"]
    assert [r.label for r in session.runs] == [f"#1 rnn h64 lr 0.003 b64 +{blank} blank",
                                               f"#2 lstm h64 lr 0.003 b64 +{blank} blank"]
    # The gradient chart has every row, the digit's and the blank ones; the probe too.
    assert all(len(unpack(c["grad"])) == 2 * (28 + blank) for c in final.charts)
    assert final.probe["rows"] == 28 + blank and len(unpack(final.probe["x"])) == (28 + blank) * 28
    rnn, lstm = (r.grad for r in session.runs)
    for lang in ("en", "zh"):
        words = status(final.board, lang)
        for cell, run, grad in (("RNN", session.runs[0], rnn), ("LSTM", session.runs[1], lstm)):
            acc = run.acc[-1][1]  # the full test set's, ending its line
            assert f"{acc:.1%}" in words and f"{grad[0] - grad[-1]:+.1f}" in words, words
    # The verdict is the one its numbers make true.
    rnn_s, lstm_s = final.board.scores[0], final.board.end
    verdict = final.board.found[-1][0]
    assert verdict == ("long_held" if training.carried(rnn_s, lstm_s) else "long_not")
    with pytest.raises(gr.Error, match="answers after"):  # the Draw tab reads 28 rows: not a model for it
        training.use_trained(readers, session)


def test_the_long_memory_verdict_holds_of_the_numbers_it_shows():
    def summary(acc, signal, stopped=False):
        return run_view.Summary("#", acc, 0, 10000, stopped, signal)

    assert training.carried(summary(0.40, -5.0), summary(0.93, -1.0))
    assert not training.carried(summary(0.40, -1.0), summary(0.93, -5.0))  # more right, less signal: not both
    assert not training.carried(summary(0.93, -5.0), summary(0.40, -1.0))
    assert not training.carried(summary(0.931, -1.0), summary(0.934, -0.96))  # level as shown (93%, -1.0)
    rnn, lstm = TrainConfig(cell="rnn"), TrainConfig(cell="lstm")
    found = training.long_memory_findings([(rnn, summary(0.4, -5.0)), (lstm, summary(0.9, -1.0))])
    assert [k for k, _ in found] == ["long_run", "long_run", "long_held"]
    assert found[-1][1]["points"] == pytest.approx(50) and found[-1][1]["decades"] == pytest.approx(4)
    assert (found[-1][1]["plain"], found[-1][1]["gated"]) == ("RNN", "LSTM")
    stopped = training.long_memory_findings([(rnn, summary(0.4, -5.0)), (lstm, summary(0.5, -4.0, stopped=True))])
    assert [k for k, _ in stopped] == ["long_run", "long_run"]  # a stopped run is no verdict


def test_blank_rows_make_a_step_longer_by_the_measured_factor():
    table = {"hidden": [16, 64], "batch": [16, 64], "cells": {"lstm": {"log_step_s": [[math.log(0.001)] * 2,
                                                                                    [math.log(0.01)] * 2],
                                                                     "augment": 2.0, "rows": 1.5}}}
    pace = Pace(table)
    long = dataclasses.replace(training.DEFAULTS, blank_rows=56)
    assert pace.step_s(long) == pytest.approx(0.01 * (1 + 0.5 * 2))
    # A finished 28-row run, twice the table's pace, is not the long one's: its step, half as long, weighs 1/2
    pace.note(training.DEFAULTS, 0.02)
    assert pace.step_s(long) == pytest.approx(0.02 * 2 ** (0.5 / (0.5 + Pace.PRIOR)))
    assert all(cell["rows"] > 1 for cell in Pace.load().table["cells"].values())  # measured for every cell
