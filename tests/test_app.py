import numpy as np
import pytest
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


def test_the_session_model_is_used_when_given():
    value = drawn.render(5, np.random.default_rng(1), mode="white")
    untrained = RowReader(ModelConfig(hidden_size=8)).eval()
    shipped, _, _, _ = app.read_digit(value)
    own, picture, _, _ = app.read_digit(value, untrained)
    assert own != shipped
    assert "8 hidden units" not in app.model_name(None) and "8 hidden units" in app.model_name(untrained, 0.5)


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
    updates = list(app.train_model("lstm", 32, 0.01, 64, 1, 2000, 1, False, []))
    final = updates[-1]
    assert "Done" in final[app.status_md] and "on the full MNIST test set" in final[app.status_md]
    assert final[app.confusion_image].ndim == 3 and len(final[app.mistakes]) > 0
    assert [p.endswith(ext) for p, ext in zip(final[app.download], (".safetensors", ".json"))] == [True, True]
    assert isinstance(final[app.trained_state], RowReader) and 0.3 < final[app.trained_acc] <= 1
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


def test_stop_scores_the_partly_trained_model(mnist):
    updates = app.train_model("gru", 16, 0.01, 64, 1, 60000, 1, False, [])
    first = next(updates)  # the first update streams after one step
    updates.close()  # what Gradio's cancel does to the generator
    out = app.stop_training(first[app.trained_state], first[app.runs_state])
    assert out[app.status_md].startswith("### Stopped:")
    assert out[app.download][0].endswith("rowbyrow-gru16.safetensors")
    assert out[app.trained_state].config.cell == "gru" and 0 <= out[app.trained_acc] <= 1
