"""The Train tab's handlers: real training runs on MNIST, small ones."""
import time

import gradio as gr
import numpy as np
import pytest
import torch
from PIL import Image

from model import RowReader
from ui import training
from ui.draw import EXAMPLES
from ui.training import OUTPUTS


def named(update: tuple) -> dict:
    """A handler's output tuple by name, without the outputs it leaves alone."""
    return {k: v for k, v in zip(OUTPUTS, update) if not (isinstance(v, dict) and v == gr.skip())}


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


def test_train_handler_streams_and_ends_with_results(mnist):
    updates = [named(u) for u in training.train_model("lstm", 32, 0.01, 64, 1, 20000, 1, False, [])]
    final = updates[-1]
    assert "Done" in final["status"] and "on the full MNIST test set" in final["status"]
    assert np.asarray(Image.open(final["confusion"])).ndim == 3 and len(final["mistakes"]) > 0
    assert [p.endswith(ext) for p, ext in zip(final["download"], (".safetensors", ".json"))] == [True, True]
    trained = final["trained"]
    assert isinstance(trained["model"], RowReader) and 0.3 < trained["acc"] <= 1
    assert any("probe" in u and "loss" in u for u in updates[1:-1])  # live updates before the end
    grads = final["grads"]
    assert sorted(grads["row"].unique()) == list(range(1, 29)) and grads["log10 gradient"].notna().all()
    assert list(final["loss"].columns) == ["run", "images seen", "loss"] and len(final["loss"]) > 10
    assert final["acc"]["test accuracy"].iloc[-1] == pytest.approx(trained["acc"])  # the full test ends the line


def test_a_failed_run_says_so_in_the_pages_language(mnist, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")
        yield

    monkeypatch.setattr("training_run.train_events", broken)
    with pytest.raises(gr.Error, match="训练失败：out of memory"):
        list(training.train_model("lstm", 8, 0.01, 64, 1, 1000, 1, False, [], "zh"))


def test_stop_ends_the_run_after_one_step_and_scores_the_partly_trained_model(mnist):
    updates = training.train_model("gru", 16, 0.01, 64, 1, 60000, 1, False, [])
    job = named(next(updates))["job"]  # the first update hands Stop its run
    next(updates)  # training is under way
    t0 = time.perf_counter()
    job.stop()
    assert time.perf_counter() - t0 < 1  # one training step, then the thread is gone
    assert not job.thread.is_alive() and 0 < job.last.step < job.last.total_steps
    out = named(training.stop_training(job))
    updates.close()  # what Gradio's cancel then does to the generator
    assert out["status"].startswith("### Stopped:")
    assert out["download"][0].endswith("rowbyrow-gru16.safetensors")
    assert out["trained"]["model"].config.cell == "gru" and 0 <= out["trained"]["acc"] <= 1
    assert named(training.stop_training(None)) == {"status": "Nothing is training."}


def test_use_this_model_reads_the_drawing_with_it(readers, mnist):
    model = training.train_model("lstm", 16, 0.01, 64, 1, 2000, 1, False, [])
    trained = named(list(model)[-1])["trained"]
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
