"""How fast the Draw tab answers: the handler in-process, the gradio_client round trip against the framework's
floor (the same Sketchpad with a do-nothing handler), and how soon `python app.py` serves its page.

    python benchmarks/draw_latency.py [--n 200]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The same app, its predict handler swapped for one that returns a ready answer: what Gradio itself costs
# to take a Sketchpad in and send the same four outputs back.
SAME_APP_FLOOR = """
import numpy as np
import app
ready = app.read_digit(np.asarray(__import__("PIL.Image").Image.open(app.EXAMPLES[0])))
fn = next(f for f in app.demo.fns.values() if f.api_name == "predict")
fn.fn = lambda *inputs: ready
app.demo.queue().launch()
"""
# The smallest Sketchpad app: a handler that returns a constant label.
FLOOR_APP = """
import gradio as gr
def nothing(sketch):
    return {"0": 1.0}
with gr.Blocks() as demo:
    sketch = gr.Sketchpad(type="numpy", canvas_size=(448, 448))
    label = gr.Label()
    sketch.change(nothing, sketch, label, api_name="predict")
demo.queue().launch()
"""


def port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args: list[str]) -> tuple[subprocess.Popen, str, float]:
    """Start a server process; return it, its URL and seconds until its page answered."""
    p = port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(p), "GRADIO_ANALYTICS_ENABLED": "False"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{p}/"
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return proc, url, time.perf_counter() - t0
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"{args} exited")
            time.sleep(0.05)


def canvas_values(n: int, seed: int = 0) -> list[dict]:
    """What the app's Sketchpad hands the handler: n drawn digits on a 448x448 canvas, strokes in a layer."""
    from benchmarks import drawn

    rng = np.random.default_rng(seed)
    values = [drawn.render(int(d), rng, mode="sketchpad") for d in rng.integers(0, 10, n)]
    return [{k: (np.asarray(Image.fromarray(v).resize((448, 448))) if k != "layers" else
                 [np.asarray(Image.fromarray(layer).resize((448, 448))) for layer in v])
             for k, v in value.items()} for value in values]


def ms(xs: list[float]) -> str:
    q = np.percentile(xs, [50, 90, 99]) * 1000
    return f"p50 {q[0]:6.1f} ms  p90 {q[1]:6.1f} ms  p99 {q[2]:6.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    values = canvas_values(50)

    import app
    import preprocess

    for v in values[:5]:
        app.read_digit(v)
    t_pre, t_all = [], []
    for i in range(args.n):
        v = values[i % len(values)]
        t0 = time.perf_counter()
        preprocess.to_mnist(v)
        t1 = time.perf_counter()
        app.read_digit(v)
        t2 = time.perf_counter()
        t_pre.append(t1 - t0)
        t_all.append(t2 - t1)
    print(f"in-process  preprocess only          {ms(t_pre)}")
    print(f"in-process  read_digit (all visuals) {ms(t_all)}")

    from gradio_client import Client, handle_file

    tmp = Path(tempfile.mkdtemp())
    files = []
    for i, v in enumerate(values[:10]):
        path = tmp / f"{i}.png"
        Image.fromarray(v["composite"]).save(path)
        files.append({"background": handle_file(str(path)), "layers": [], "composite": handle_file(str(path))})
    (tmp / "floor_app.py").write_text(FLOOR_APP)
    (tmp / "same_app_floor.py").write_text(f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + SAME_APP_FLOOR)
    results = {}
    servers = {"floor: same app, ready answer": str(tmp / "same_app_floor.py"),
               "floor: minimal Sketchpad app": str(tmp / "floor_app.py"), "app.py": "app.py"}
    for name, script in servers.items():
        proc, url, startup = serve([script])
        try:
            client = Client(url, verbose=False)
            for f in files[:3]:
                client.predict(f, api_name="/predict")
            lat = []
            for i in range(args.n):
                t0 = time.perf_counter()
                client.predict(files[i % len(files)], api_name="/predict")
                lat.append(time.perf_counter() - t0)
        finally:
            proc.terminate()
            proc.wait()
        results[name] = (lat, startup)
        print(f"round trip  {name:30s} {ms(lat)}   page served {startup:.1f} s after start")
    ours = statistics.median(results["app.py"][0])
    for name in list(servers)[:2]:
        print(f"round-trip p50 ratio app.py / {name}: {ours / statistics.median(results[name][0]):.3f}")


if __name__ == "__main__":
    main()
