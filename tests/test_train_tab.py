"""The Train tab's handlers: real training runs on MNIST, small ones."""
import time

import drawn
import gradio as gr
import numpy as np
import pytest
import torch
from PIL import Image

from model import RowReader
from ui import run_view, training
from ui.draw import EXAMPLES
from ui.tables import curves
from ui.training import OUTPUTS


def named(update: tuple) -> dict:
    """A handler's output tuple by name, without the outputs it leaves alone."""
    return {k: v for k, v in zip(OUTPUTS, update) if not (isinstance(v, dict) and v == gr.skip())}


def page_after(updates) -> dict:
    """What the page shows after a handler's updates: each output as its latest update left it."""
    shown = {}
    for u in updates:
        shown |= u if isinstance(u, dict) else named(u)
    return shown


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
    updates = [named(u) for u in training.train_model(readers, "lstm", 32, 0.01, 64, 1, 20000, 1, False, None, [])]
    final = page_after(updates)
    status, probe_line = run_view.render_board(final["board"])
    assert status.startswith("### Done:") and "on the full MNIST test set" in status and "#1 lstm h32" in status
    assert np.asarray(Image.open(final["confusion"])).ndim == 3 and len(final["mistakes"]) > 0
    assert [p.endswith(ext) for p, ext in zip(final["download"], (".safetensors", ".json"))] == [True, True]
    trained = final["trained"]
    assert isinstance(trained["model"], RowReader) and 0.3 < trained["acc"] <= 1
    assert any("probe" in u and "loss" in u for u in updates[1:-1])  # live updates before the end
    (run,) = final["runs"]
    loss, acc, grads = curves(final["runs"])
    assert sorted(grads["row"].unique()) == list(range(1, 29)) and grads["log10 gradient"].notna().all()
    assert grads[grads.row == 28]["log10 gradient"].eq(0).all()  # relative to row 28, as in the lesson
    assert list(loss.columns) == ["run", "images seen", "loss"] and len(loss) > 10
    assert run["acc"][0] == (0, pytest.approx(run["acc"][0][1])) and run["acc"][0][1] < 0.3  # untrained: chance
    assert run["acc"][-1][1] == pytest.approx(trained["acc"])  # the full test set ends the line
    assert "Test digit #0" in probe_line and "(a **7**)" in probe_line  # no drawing: the probe is test digit #0
    assert final["loss"]["color_map"] == {run["label"]: run_view.PALETTE[0]}


def test_your_drawing_is_the_probe_and_the_strip_marks_when_it_is_read_right(readers, mnist):
    value = drawn.render(3, np.random.default_rng(21), mode="white")
    probe = run_view.probe_digit(readers, value, mnist)
    assert probe["yours"] and probe["target"] == 3 and probe["image"].dtype == torch.uint8
    assert probe["image"].shape == (28, 28) and probe["image"].max() == 255
    assert not run_view.probe_digit(readers, None, mnist)["yours"]
    final = page_after(training.train_model(readers, "lstm", 64, 0.01, 64, 1, 10000, 1, False, value, []))
    status, line = run_view.render_board(final["board"])
    readings = final["board"]["probe"]["readings"]
    assert line.startswith("**Your digit** (the shipped LSTM reads it as **3**)")
    assert len(readings) >= 3 and readings[-1][1] == 3  # it ends up reading your 3
    first_right = next(images for images, top, _ in readings if top == 3)
    assert f"first read right after {first_right:,} images" in line
    zh_status, zh_line = run_view.render_board(final["board"], "zh")
    assert zh_line.startswith("**你写的数字**") and zh_status.startswith("### 完成")  # the board follows the language


def test_the_rnn_vs_lstm_experiment_overlays_both_and_the_rnn_ends_far_below(readers, mnist):
    experiment = next(e for e in training.EXPERIMENTS if e.key == "cells")
    updates = [named(u) for u in training.run_experiment(readers, experiment, None, [])]
    runs = page_after(updates)["runs"]
    assert [r["label"] for r in runs] == ["#1 rnn h64 lr 0.01 b64", "#2 lstm h64 lr 0.01 b64"]
    rnn, lstm = (r["acc"][-1][1] for r in runs)
    assert rnn < lstm - 0.3 and lstm > 0.9
    assert {c for u in updates if "loss" in u for c in u["loss"]["color_map"].values()} == set(run_view.PALETTE[:2])
    assert run_view.render_board(page_after(updates)["board"])[0].startswith("### Done:")


def test_stop_ends_the_whole_experiment(readers, mnist):
    experiment = next(e for e in training.EXPERIMENTS if e.key == "lr")
    updates = training.run_experiment(readers, experiment, None, [])
    job = named(next(updates))["job"]
    next(updates)  # the first of three runs is under way
    out = named(training.stop_training(job))
    updates.close()  # what Gradio's cancel does to the experiment's generator
    assert run_view.render_board(out["board"])[0].startswith("### Stopped:")
    assert next(updates, None) is None and not job.thread.is_alive()


def test_a_chart_names_a_run_in_its_colours_one_update_after_its_first_points():
    """A Gradio LinePlot redraws its series only when its colour map changes, from the data it already held."""
    def run(n, points):
        return {"n": n, "label": f"#{n}", "colour": run_view.PALETTE[n - 1], "loss": points, "acc": [], "grad": None}

    first = run(1, [(64, 2.0), (128, 1.5)])
    charts = run_view.Charts([])
    assert charts.update([first])["loss"]["color_map"] == {} and charts.behind
    assert charts.update([first])["loss"]["color_map"] == {"#1": run_view.PALETTE[0]} and not charts.behind
    assert charts.update([first])["loss"] == gr.skip()  # nothing new: the chart is left alone
    second = run(2, [(64, 2.1)])
    assert charts.update([first, second])["loss"]["color_map"] == {"#1": run_view.PALETTE[0]} and charts.behind
    assert set(charts.update([first, second])["loss"]["color_map"]) == {"#1", "#2"} and not charts.behind
    first["loss"].append((192, 1.2))
    assert len(charts.update([first, second])["loss"]["value"]) == 4  # new points go out
    assert not run_view.Charts([first, second]).behind  # a new handler starts from what the charts hold


def test_a_failed_run_says_so_in_the_pages_language(readers, mnist, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")
        yield

    monkeypatch.setattr("training_run.train_events", broken)
    with pytest.raises(gr.Error, match="训练失败：out of memory"):
        list(training.train_model(readers, "lstm", 8, 0.01, 64, 1, 1000, 1, False, None, [], "zh"))


def test_stop_ends_the_run_after_one_step_and_scores_the_partly_trained_model(readers, mnist):
    updates = training.train_model(readers, "gru", 16, 0.01, 64, 1, 60000, 1, False, None, [])
    job = named(next(updates))["job"]  # the first update hands Stop its run
    next(updates)  # training is under way
    t0 = time.perf_counter()
    job.stop()
    assert time.perf_counter() - t0 < 1  # one training step, then the thread is gone
    assert not job.thread.is_alive() and 0 < job.last.step < job.last.total_steps
    out = named(training.stop_training(job))
    updates.close()  # what Gradio's cancel then does to the generator
    assert run_view.render_board(out["board"])[0].startswith("### Stopped:")
    assert out["download"][0].endswith("rowbyrow-gru16.safetensors")
    assert out["trained"]["model"].config.cell == "gru" and 0 <= out["trained"]["acc"] <= 1
    assert named(training.stop_training(None)) == {}  # nothing running: the page keeps what it shows


def test_use_this_model_reads_the_drawing_with_it(readers, mnist):
    model = training.train_model(readers, "lstm", 16, 0.01, 64, 1, 2000, 1, False, None, [])
    trained = page_after(model)["trained"]
    seven = np.asarray(Image.open(EXAMPLES[0]))
    mine, choice, describe, label, picture, belief, caption = training.use_trained(readers, trained, seven)
    assert mine is trained and choice.value == "mine" and "your trained LSTM" in describe
    assert label is not None and "Read as" in caption
    with pytest.raises(gr.Error):
        training.use_trained(readers, None, None)


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
