"""The app's API through gradio_client, against `python app.py`: what README's snippet does, and many at once."""
import io
import re
import threading
import urllib.request

import numpy as np
from PIL import Image

import drawn


def test_predict_takes_an_image_file_and_train_streams_a_run(server, tmp_path, mnist):
    from gradio_client import Client, handle_file

    client = Client(server, verbose=False)
    path = tmp_path / "two.png"
    Image.fromarray(drawn.render(2, np.random.default_rng(3), mode="white")).save(path)
    label, picture, belief, caption = client.predict(handle_file(str(path)), api_name="/predict")
    assert label["label"] == "2" and Image.open(picture).size[0] > 500 and "Read as **2**" in caption
    # the belief after each row as numbers (JSON, no plot): a row per row and digit, each row's beliefs summing to 1
    assert belief["columns"] == ["row", "digit", "probability"] and len(belief["data"]) == 28 * 10
    last = [p for row, _, p in belief["data"] if row == 28]
    assert abs(sum(last) - 1) < 1e-4 and max(last) == last[2], last
    gru = client.predict(handle_file(str(path)), "gru", "zh", api_name="/predict")
    assert gru[0]["label"] == "2" and "GRU" in gru[3] and "识别为" in gru[3]

    # 188 steps: several progress lines (one each half second) whatever the machine's speed
    job = client.submit("lstm", 32, 0.01, 64, 1, 12000, 1, False, api_name="/train")
    statuses = [status for status, _ in job]
    assert any(re.search(r"step \d+ of 188 .* images/s", s) for s in statuses[:-1]), statuses  # streamed
    status, files = job.outputs()[-1]
    score = re.match(r"### Done: (\d+\.\d+)% on the full MNIST test set", status)
    assert score and float(score[1]) > 50, status
    assert sorted(f.rsplit(".", 1)[1] for f in files) == ["json", "safetensors"]


def test_predict_reads_a_transparent_png_by_its_ink(server, tmp_path):
    """What a canvas exports, dark ink on a transparent layer, is read by its alpha (not flattened to a black
    square), from an upload; and gradio_client's own image input with it."""
    from gradio_client import Client, handle_file

    client = Client(server, verbose=False)
    for k in (2, 7):
        path = tmp_path / f"{k}.png"
        layer = drawn.render(k, np.random.default_rng(k), mode="transparent")  # (800, 800, 4), ink only in alpha
        assert layer[..., :3].max() <= 20 and layer[..., 3].min() == 0
        Image.fromarray(layer).save(path)
        label, _, _, caption = client.predict(handle_file(str(path)), api_name="/predict")
        assert label["label"] == str(k) and f"Read as **{k}**" in caption


def test_many_visitors_sending_the_same_drawing_all_get_whole_answers(server, tmp_path):
    """8 clients, one drawing (the same example clicked by many): every answer and every picture arrives whole."""
    from gradio_client import Client, handle_file

    path = tmp_path / "same.png"
    Image.fromarray(drawn.render(8, np.random.default_rng(8), mode="white")).save(path)
    clients = [Client(server, verbose=False, download_files=False) for _ in range(8)]
    errors, pictures = [], []

    def visitor(client):
        for _ in range(6):
            try:
                label, picture, _, _ = client.predict(handle_file(str(path)), api_name="/predict")
                png = urllib.request.urlopen(picture["url"], timeout=30).read()  # as a browser fetches it
                Image.open(io.BytesIO(png)).load()
                pictures.append(len(png))
                assert label["label"] == "8"
            except Exception as e:  # noqa: BLE001 - every failure counts
                errors.append(repr(e)[:200])

    threads = [threading.Thread(target=visitor, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(pictures) == 48 and len(set(pictures)) == 1
