import time

import numpy as np
import pytest
import torch
from PIL import Image

import app
from benchmarks import drawn
from model import ModelConfig, RowReader


def test_empty_canvas_is_a_friendly_state():
    for empty in (None, {"background": None, "layers": [], "composite": None},
                  {"background": np.full((64, 64, 4), 255, np.uint8), "layers": [np.zeros((64, 64, 4), np.uint8)],
                   "composite": np.full((64, 64, 4), 255, np.uint8)}):
        label, picture, belief, caption = app.read_digit(empty)
        assert label is None and picture is None and "Draw a digit" in caption
        assert belief.shape == (280, 3)


def test_a_drawing_is_read_row_by_row():
    value = drawn.render(3, np.random.default_rng(0), mode="sketchpad")
    label, picture, belief, caption = app.read_digit(value)
    assert max(label, key=label.get) == "3" and abs(sum(label.values()) - 1) < 1e-5
    assert picture.dtype == np.uint8 and picture.shape[0] >= 28 * 12 and picture.shape[2] == 3
    assert sorted(belief["row"].unique()) == list(range(1, 29))
    last = belief[belief.row == 28].set_index("digit")["probability"]
    assert np.allclose(last.values, [label[d] for d in last.index], atol=1e-6)
    assert "Read as **3**" in caption


def test_the_selector_changes_the_model_that_reads():
    value = drawn.render(5, np.random.default_rng(1), mode="white")
    mine = {"model": RowReader(ModelConfig(hidden_size=8)).eval(), "acc": 0.5}
    answers = {c: app.read_digit(value, c, mine)[0] for c in ("lstm", "gru", "rnn", "mine")}
    assert len({tuple(sorted(a.items())) for a in answers.values()}) == 4  # four different readers
    assert all(max(answers[c], key=answers[c].get) == "5" for c in ("lstm", "gru"))  # the RNN is the weak one
    assert app.read_digit(value, "mine", None)[0] == answers["lstm"]  # no own model yet: the shipped LSTM
    assert "GRU" in app.read_digit(value, "gru")[3]
    assert "8 hidden units" in app.model_name("mine", mine) and "shipped GRU" in app.model_name("gru")
    assert "你训练的" in app.model_name("mine", mine, "zh")


def test_settings_sent_straight_to_the_api_are_capped_or_refused():
    cfg = app.clean_settings("gru", 10_000, 0.01, 1, 1_000, 10**9, 3, True)
    assert (cfg.hidden_size, cfg.batch_size, cfg.epochs, cfg.train_size) == (256, 8, app.MAX_EPOCHS, 60000)
    with pytest.raises(app.gr.Error):
        app.clean_settings("lstm", "many", 0.01, 64, 1, 1000, 1, False)
    with pytest.raises(app.gr.Error):
        app.clean_settings("lstm", 64, float("nan"), 64, 1, 1000, 1, False)
    with pytest.raises(app.gr.Error):
        app.clean_settings("transformer", 64, 0.01, 64, 1, 1000, 1, False)


def test_train_handler_streams_and_ends_with_results(mnist):
    updates = list(app.train_model("lstm", 32, 0.01, 64, 1, 20000, 1, False, []))
    final = updates[-1]
    assert "Done" in final[app.status_md] and "on the full MNIST test set" in final[app.status_md]
    assert final[app.confusion_image].ndim == 3 and len(final[app.mistakes]) > 0
    assert [p.endswith(ext) for p, ext in zip(final[app.download], (".safetensors", ".json"))] == [True, True]
    trained = final[app.trained_state]
    assert isinstance(trained["model"], RowReader) and 0.3 < trained["acc"] <= 1
    assert any(app.probe_image in u and app.loss_plot in u for u in updates[1:-1])  # live updates before the end
    grads = final[app.train_grad_plot]
    assert sorted(grads["row"].unique()) == list(range(1, 29)) and grads["log10 gradient"].notna().all()
    loss = final[app.loss_plot]
    assert list(loss.columns) == ["run", "images seen", "loss"] and len(loss) > 10


def test_api_predict_and_train_through_gradio_client(server, tmp_path, mnist):
    from gradio_client import Client, handle_file

    client = Client(server, verbose=False)
    value = drawn.render(2, np.random.default_rng(3), mode="white")
    path = tmp_path / "two.png"
    Image.fromarray(value).save(path)
    sketch = {"background": handle_file(str(path)), "layers": [], "composite": handle_file(str(path))}
    label, picture, belief, caption = client.predict(sketch, api_name="/predict")
    assert label["label"] == "2" and Image.open(picture).size[0] > 500 and "Read as **2**" in caption

    job = client.submit("lstm", 32, 0.01, 64, 1, 2000, 1, False, api_name="/train")
    outputs = list(job)
    assert len(outputs) >= 2  # streamed: at least one progress update before the result
    status = job.outputs()[-1][0]
    assert status.startswith("### Done:")
    assert float(status.split(":")[1].split("%")[0]) > 30


def test_stop_ends_the_run_within_a_second_and_scores_the_partly_trained_model(mnist):
    updates = app.train_model("gru", 16, 0.01, 64, 1, 60000, 1, False, [])
    job = next(updates)[app.job_state]  # the first update hands Stop its run
    next(updates)  # training is under way
    t0 = time.perf_counter()
    out = app.stop_training(job)
    assert time.perf_counter() - t0 < 3  # stopping itself is one step; the rest is scoring 10,000 digits
    assert not job.thread.is_alive()
    updates.close()  # what Gradio's cancel then does to the generator
    assert out[app.status_md].startswith("### Stopped:")
    assert out[app.download][0].endswith("rowbyrow-gru16.safetensors")
    assert out[app.trained_state]["model"].config.cell == "gru" and 0 <= out[app.trained_state]["acc"] <= 1
    assert 0 < job.last.step < job.last.total_steps
    assert app.stop_training(None) == {app.status_md: "Nothing is training."}


def test_inside_view_reveals_the_gates_row_by_row():
    value = drawn.render(7, np.random.default_rng(2), mode="sketchpad")
    pictures = {}
    for cell, panels in (("lstm", 6), ("gru", 4), ("rnn", 1)):
        picture, belief, caption, title, panel_text = app.inside_view(value, cell, None, 28)
        assert max(belief, key=belief.get) == "7" and cell.upper() in title and "row 28" in caption
        pictures[cell] = picture
    assert pictures["lstm"].shape[1] > pictures["gru"].shape[1] > pictures["rnn"].shape[1]  # one panel per internal
    early, _, caption, _, _ = app.inside_view(value, "lstm", None, 5, "zh")
    assert "第 5 行" in caption and "遗忘门" in caption
    assert (early != pictures["lstm"]).any()  # later rows dimmed
    assert app.inside_view(None)[0] is None


def test_gradients_vanish_toward_early_rows_for_the_rnn_not_the_lstm():
    value = drawn.render(4, np.random.default_rng(4), mode="white")
    mine, test = app.gradient_view(value)
    for frame in (mine, test) if len(test) else (mine,):
        g = frame.pivot(index="row", columns="model", values="log10 gradient")
        drop = g.loc[28] - g.loc[1]  # how many decades the gradient loses from row 28 back to row 1
        assert drop["RNN"] > drop["LSTM"] + 2  # orders of magnitude more lost on the way back to row 1


def test_every_text_exists_in_both_languages_and_every_label_switches():
    from texts import TEXTS

    assert TEXTS["en"].keys() == TEXTS["zh"].keys()
    assert all(v.strip() for lang in TEXTS.values() for v in lang.values())
    en, zh = app.relabel("en"), app.relabel("zh")
    assert len(en) == len(app.TRANSLATED) + 1 > 30  # and the model selector
    assert all(a != b for a, b in zip(en, zh))  # every registered text differs between the languages


def test_training_in_time_boxed_chunks_matches_one_unbroken_run(mnist):
    """How a ZeroGPU Space trains (each chunk one lent-GPU call): same steps, same final weights."""
    from train import train_events
    from training_run import train_in_chunks

    cfg = app.clean_settings("lstm", 16, 0.01, 64, 1, 3000, 1, True)
    unbroken = list(train_events(cfg, mnist))
    chunked = list(train_in_chunks(cfg, mnist, mnist.test_x[0], seconds=0.05))
    assert [e.step for e in chunked] == [e.step for e in unbroken]
    assert len({id(e.model) for e in chunked}) > 2  # it really was cut into several calls
    for a, b in zip(unbroken[-1].model.state_dict().values(), chunked[-1].model.state_dict().values()):
        assert torch.equal(a, b)
