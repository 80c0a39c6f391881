"""Load on the Draw tab's reading: gradio_client users sending drawn digits (PNG files) to `/predict` of
`python app.py`, taking each answer as a browser does (then fetching its picture), side by side with the
framework's floor (a do-nothing Image -> Label app) and the same app with a ready answer (what Gradio costs
for the four outputs); eight users all sending the same drawing (many visitors clicking one example); the same
load while a run trains; and the app's memory after 100 and after 2,000 predictions.

    MNIST_ROOT=../shared/mnist python benchmarks/load.py [--seconds 20] [--levels 1 8 32] [--same 20]
"""
import argparse
import contextlib
import io
import itertools
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import drawn  # noqa: E402
from tests.conftest import serve  # noqa: E402

# The framework's floor: an image in, a constant label out.
FLOOR_APP = """
import gradio as gr
with gr.Blocks() as demo:
    image, label = gr.Image(type="numpy"), gr.Label()
    image.change(lambda image: {"0": 1.0}, image, label, api_name="predict")
demo.queue().launch()
"""
# The same app, its predict handler swapped for one that returns a ready answer: what Gradio itself costs to
# take the image in and send the same four outputs back.
SAME_APP_FLOOR = """
import numpy as np
from PIL import Image
import app
from ui import draw
ready = draw.read_digit(app.Readers.load(), np.asarray(Image.open(draw.EXAMPLES[0])))
demo, _ = app.create_app()
fn = next(f for f in demo.fns.values() if f.api_name == "predict")
fn.fn = lambda *inputs: ready
demo.queue().launch()
"""


def drawings(n: int, folder: Path) -> list[str]:
    """n held-out drawn digits, dark on white, 448x448, saved as PNG files."""
    rng = np.random.default_rng(2026)
    paths = []
    for i in range(n):
        paths.append(str(folder / f"digit{i}.png"))
        Image.fromarray(drawn.render(i % 10, rng, mode="white")).resize((448, 448)).save(paths[-1])
    return paths


def fetch_picture(outputs) -> None:
    """What a browser does with an answer: load the picture in it (if there is one)."""
    import urllib.request

    picture = outputs[1] if isinstance(outputs, (list, tuple)) and len(outputs) > 1 else None
    if isinstance(picture, dict) and picture.get("url"):
        data = urllib.request.urlopen(picture["url"], timeout=60).read()
        Image.open(io.BytesIO(data)).load()  # a cut-short file fails here


def load(clients: list, files: list[str], seconds: float = 1e9, requests: int = 1 << 62) -> dict:
    """All clients call /predict in a loop, each from its own thread, until time or requests run out. The latency
    is the time to the answer; each client then fetches the answer's picture, as a browser would, before its next
    request (a failed or cut-short fetch counts as an error)."""
    from gradio_client import handle_file

    lat, errors, ticket = [], [], itertools.count()
    start, end = threading.Barrier(len(clients) + 1), time.perf_counter() + 1e9

    def user(k: int, client) -> None:
        start.wait()
        for i in itertools.count(k):
            if time.perf_counter() >= end or next(ticket) >= requests:
                return
            t0 = time.perf_counter()
            try:
                outputs = client.predict(handle_file(files[i % len(files)]), api_name="/predict")
                lat.append(time.perf_counter() - t0)
                fetch_picture(outputs)
            except Exception as e:  # noqa: BLE001 - every failure counts as an error
                errors.append(f"{type(e).__name__}: {e}"[:200])

    threads = [threading.Thread(target=user, args=(7 * k, c)) for k, c in enumerate(clients)]
    for t in threads:
        t.start()
    end = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    return {"lat": lat, "errors": errors, "wall": time.perf_counter() - t0}


def summary(runs: list[dict]) -> dict:
    """Requests/s, p50 and p99 (ms) and errors of one or more load() runs together."""
    lat, wall = sum((r["lat"] for r in runs), []), sum(r["wall"] for r in runs)
    p50, p99 = (np.percentile(lat, [50, 99]) * 1000) if lat else (float("nan"),) * 2
    return {"n": len(lat), "rps": len(lat) / wall, "p50": p50, "p99": p99, "errors": sum((r["errors"] for r in runs), [])}


def app_process(url: str) -> int:
    """The pid of the process listening on url's port (the app started by serve())."""
    port = url.rstrip("/").rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    return int(re.search(r"pid=(\d+)", out)[1])


def rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc, in MiB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        status = Path(f"/proc/{p}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        for task in Path(f"/proc/{p}/task").iterdir():
            todo += [int(c) for c in (task / "children").read_text().split()]
    return total / 1024


class Training(threading.Thread):
    """One /train run in the background, recording (time, step) from its streamed status."""

    def __init__(self, client, settings: tuple):
        super().__init__(daemon=True)
        self.client, self.settings, self.steps, self.last = client, settings, [], ""
        self.total = 0

    def run(self) -> None:
        try:
            for out in self.client.submit(*self.settings, api_name="/train"):
                self.last = str(out[0])
                m = re.search(r"step ([\d,]+) of ([\d,]+)", self.last)
                if m:
                    self.steps.append((time.perf_counter(), int(m[1].replace(",", ""))))
                    self.total = int(m[2].replace(",", ""))
        except Exception as e:  # noqa: BLE001 - the server is stopped under a running job at the end
            self.last = self.last or f"{type(e).__name__}: {e}"

    def step_at(self, t: float) -> tuple[float, int]:
        """The last (time, step) reported before time t."""
        return max((s for s in self.steps if s[0] <= t), default=(t, 0))

    def images_per_s(self, t0: float, t1: float, batch: int) -> float:
        """Training speed between two moments, from the steps reported nearest to them."""
        (a, sa), (b, sb) = self.step_at(t0), self.step_at(t1)
        return (sb - sa) * batch / (b - a) if b > a else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20, help="measurement time per level and server")
    ap.add_argument("--same", type=float, default=20, help="seconds of eight clients sending one drawing")
    ap.add_argument("--rounds", type=int, default=2, help="floors/app alternations per level")
    ap.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32], help="concurrent clients")
    ap.add_argument("--memory-requests", type=int, default=2000, help="predictions before the second RSS read")
    ap.add_argument("--train-hidden", type=int, default=256, help="hidden units of the background training run")
    ap.add_argument("--train-epochs", type=int, default=3, help="epochs of the background training run (60,000 images)")
    ap.add_argument("--alone", type=float, default=5, help="seconds the run trains with no load, for its own baseline")
    args = ap.parse_args()
    os.environ.setdefault("MNIST_ROOT", str(ROOT.parent / "shared" / "mnist"))
    from gradio_client import Client

    tmp = Path(tempfile.mkdtemp())
    files = drawings(400, tmp)  # as many as people would draw: identical outputs at once hit a Gradio race
    (tmp / "floor_app.py").write_text(FLOOR_APP)
    (tmp / "ready_app.py").write_text(f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + SAME_APP_FLOOR)
    stack = contextlib.ExitStack()
    servers = {name: stack.enter_context(serve(script)) for name, script in
               (("floor", tmp / "floor_app.py"), ("ready", tmp / "ready_app.py"), ("app", "app.py"))}
    with stack:
        # Like a browser, a client takes the answer as it arrives and leaves the picture in it to be fetched
        # on its own: the latency is the time to the answer.
        clients = {name: [Client(url, verbose=False, download_files=False) for _ in range(max(args.levels))]
                   for name, (url, _) in servers.items()}
        app_pid = app_process(servers["app"][0])
        same = summary([load(clients["app"][:8], files[:1], seconds=args.same)])
        print(f"8 clients, one drawing, {args.same:.0f} s: {same}"[:300], flush=True)
        load(clients["floor"][:1], files, requests=20)
        load(clients["ready"][:1], files, requests=20)
        # Memory first, at one steady load (8 users), so a leak is not confused with a busier moment's peak.
        load(clients["app"][:8], files, requests=100)
        rss = {100: rss_mib(app_pid)}
        print(f"app RSS after 100 predictions: {rss[100]:.0f} MiB", flush=True)
        load(clients["app"][:8], files, requests=args.memory_requests - 100)
        served = args.memory_requests
        rss[served] = rss_mib(app_pid)
        print(f"app RSS after {served} predictions: {rss[served]:.0f} MiB", flush=True)

        res = {}
        for n in args.levels:  # the servers take turns in short slices, so all see the same background load
            runs = {"floor": [], "ready": [], "app": []}
            for r in range(args.rounds):
                for name in (list(runs) if r % 2 == 0 else list(runs)[::-1]):
                    runs[name].append(load(clients[name][:n], files, seconds=args.seconds / args.rounds))
            for name, rs in runs.items():
                res[name, n] = summary(rs)
                print(f"{name:5s} {n:2d} clients: {res[name, n]}"[:300], flush=True)
            print(f"app RSS after {n} clients: {rss_mib(app_pid):.0f} MiB", flush=True)

        batch = 64
        training = Training(Client(servers["app"][0], verbose=False),
                            ("lstm", args.train_hidden, 0.01, batch, args.train_epochs, 60000, 1, False))
        training.start()
        while not training.steps and training.is_alive():
            time.sleep(0.1)
        t_alone = time.perf_counter()
        time.sleep(args.alone)
        marks = [t_alone, time.perf_counter()]
        for n in args.levels:
            res["train", n] = summary([load(clients["app"][:n], files, seconds=args.seconds)])
            marks.append(time.perf_counter())
            print(f"app+training {n:2d} clients: {res['train', n]}"[:300], flush=True)
        still_training = training.is_alive()
        steps_done = training.step_at(marks[-1])[1]
        last_status = training.last

    print("\n| clients | server | req/s | p50 | p99 | p50 / floor p50 | errors |\n| --- | --- | --- | --- | --- | --- | --- |")
    for n in args.levels:
        for name, label in [("floor", "floor: do-nothing Image -> Label app"), ("ready", "same app, ready answer"),
                            ("app", "**app.py**")]:
            r = res[name, n]
            print(f"| {n} | {label} | {r['rps']:.1f} | {r['p50']:.0f} ms | {r['p99']:.0f} ms "
                  f"| {r['p50'] / res['floor', n]['p50']:.2f} | {len(r['errors'])} |")
    print(f"\nWhile training (LSTM {args.train_hidden}, batch {batch}, {args.train_epochs} epochs of 60,000; "
          f"alone: {training.images_per_s(marks[0], marks[1], batch):,.0f} images/s):\n")
    print("| clients | app req/s | app p50 | app p99 | p99 / floor p99 | errors | training images/s |\n"
          "| --- | --- | --- | --- | --- | --- | --- |")
    for i, n in enumerate(args.levels):
        a = res["train", n]
        print(f"| {n} | {a['rps']:.1f} | {a['p50']:.0f} ms | {a['p99']:.0f} ms | **{a['p99'] / res['floor', n]['p99']:.2f}** "
              f"| {len(a['errors'])} | {training.images_per_s(marks[i + 1], marks[i + 2], batch):,.0f} |")
    print(f"\nTraining: step {steps_done:,} of {training.total:,} when measuring ended; "
          f"{'still running' if still_training else 'had ended'}. Last status: {last_status[:150]}")
    (a, b) = rss.values()
    print(f"App RSS at 8 clients: {a:.0f} MiB after 100 predictions, {b:.0f} MiB after {served:,}: **{b / a - 1:+.1%}**")
    print(f"\nEight clients sending the same drawing for {args.same:.0f} s: {same['n']} answers and pictures, "
          f"**{len(same['errors'])} errors**" + (f" (first: {same['errors'][0]})" if same["errors"] else ""))
    errors = [e for r in res.values() for e in r["errors"]]
    print(f"Errors: {len(errors)}" + (f", first: {errors[0]}" if errors else ""))


if __name__ == "__main__":
    main()
