"""What one visitor can do to `python app.py`: every attack of issue 15, sent as an attacker would (raw HTTP, Gradio's
own protocol), each measured for the time to its refusal, the server's peak memory against its level before (VmHWM,
reset through /proc/<pid>/clear_refs), a normal /predict answered during and after, and the cache (the server's
own Gradio folder) against its bound. tests/test_abuse.py runs the fast ones with asserts.

    MNIST_ROOT=../shared/mnist python benchmarks/abuse.py [--joins 65] [--answers 2000] [--runs 20]
"""
import argparse
import base64
import contextlib
import io
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import drawn  # noqa: E402
from tests.conftest import serve  # noqa: E402

META = {"_type": "gradio.FileData"}
# 71 characters that decode to 13000x13000 (the bomb), and a PNG whose header says 30000x30000.
WEBP_BOMB_URL = "data:image/webp;base64,UklGRhoAAABXRUJQVlA4TA4AAAAvx/KxDAcQEf0PRET/Aw=="
WEBP_BOMB = base64.b64decode(WEBP_BOMB_URL.partition(",")[2])
PROXY = "1.2.3.4"  # one client seen through a proxy (X-Forwarded-For), as on a Space
# Small bounds for the server under attack, so that the sweep is seen holding them within a run of this script.
SMALL_CACHE = {"ROWBYROW_CACHE_MAX_BYTES": str(8 << 20), "ROWBYROW_SWEEP_EVERY_S": "1"}


def png_bomb(side: int = 30000) -> bytes:
    """A PNG whose header says side x side, gray, with its first rows of zeros: a few hundred bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    rows = zlib.compress(b"\0" * (side + 1) * 16)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", side.to_bytes(4, "big") * 2 + b"\x08\x00\x00\x00\x00")
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def big_png(side: int = 4096) -> bytes:
    """The largest picture the app decodes: side x side RGBA, a 64 MB decode from about 65 KB."""
    buf = io.BytesIO()
    Image.new("RGBA", (side, side), (0, 0, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def digit_png(k: int, seed: int = 0, mode: str = "white") -> bytes:
    """A drawn digit as a PNG file, dark on white (as a photo or a canvas export)."""
    buf = io.BytesIO()
    Image.fromarray(drawn.render(k, np.random.default_rng(seed), mode=mode)).save(buf, "PNG")
    return buf.getvalue()


def transparent_seven() -> bytes:
    """Black ink on a transparent layer: what a canvas exports."""
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(img).line([(70, 60), (210, 60), (120, 240)], fill=(0, 0, 0, 255), width=22)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


# ---- the server -------------------------------------------------------------------------------------------------

def mib_of(pid: int, field: str) -> float:
    return int(re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())[1]) / 1024


def folder_mib(folder: Path) -> tuple[float, int]:
    """Bytes (MiB) and files under a folder."""
    total, n = 0, 0
    for root, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                total += os.lstat(os.path.join(root, name)).st_size
                n += 1
    return total / (1 << 20), n


class App:
    """`python app.py` (tests/conftest.py's serve) with a Gradio folder of its own, and its memory."""

    def __init__(self, env: dict | None = None, log: Path | None = None):
        self.cache = Path(tempfile.mkdtemp(prefix="abuse-gradio-"))
        self.env = {"GRADIO_TEMP_DIR": str(self.cache), **(env or {})}
        self.log = log

    def __enter__(self) -> "App":
        self.stack = contextlib.ExitStack()
        self.stack.callback(shutil.rmtree, self.cache, ignore_errors=True)  # last, once the server has stopped
        try:
            self.url, _ = self.stack.enter_context(serve(env=self.env, log=self.log))
            port = self.url.rstrip("/").rsplit(":", 1)[1]
            out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
            self.pid = int(re.search(r"pid=(\d+)", out)[1])
            config = httpx.get(self.url + "config").json()
            self.deps = {d["api_name"]: d for d in config["dependencies"] if d.get("api_name")}
        except BaseException:
            self.stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self.stack.close()

    def rss(self) -> float:
        return mib_of(self.pid, "VmRSS")

    def reset_peak(self) -> float:
        """Reset the peak-memory mark to now; the memory now (MiB)."""
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        return self.rss()

    def peak(self) -> float:
        return mib_of(self.pid, "VmHWM")

    def workers_peak(self) -> float:
        """The peak memory (MiB) of the server's training processes (training_run.Worker), together."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return sum(mib_of(int(c), "VmHWM") for c in children if Path(f"/proc/{c}").exists())

    def cache_mib(self) -> tuple[float, int]:
        return folder_mib(self.cache)


class Visitor:
    """One browser's worth of Gradio's protocol over plain HTTP: a session of its own, uploads, queue joins and their
    answers. One call at a time, like a page (a client that makes a new session per request makes Gradio forget the
    oldest sessions' messages after 2,000: not what a visitor does)."""

    def __init__(self, app: App, client: str | None = None, lang: str = "en"):
        self.app, self.session = app, uuid.uuid4().hex
        headers = {"accept-language": lang}
        if client:
            headers["x-forwarded-for"] = client
        self.http = httpx.Client(base_url=app.url, headers=headers, timeout=120)

    def upload(self, data: bytes, name: str = "digit.png") -> dict:
        r = self.http.post("gradio_api/upload", files={"files": (name, data)})
        r.raise_for_status()
        return {"path": r.json()[0], "orig_name": name, "meta": META}

    def join(self, api_name: str, data: list, fn_index: int | None = None) -> httpx.Response:
        fn_index = self.app.deps[api_name]["id"] if fn_index is None else fn_index
        return self.http.post("gradio_api/queue/join", json={"data": data, "fn_index": fn_index,
                                                             "session_hash": self.session, "event_data": None,
                                                             "trigger_id": None})

    def messages(self, event_id: str):
        """The event's messages as they come, until it completes (or the stream is left)."""
        with self.http.stream("GET", "gradio_api/queue/data", params={"session_hash": self.session},
                              timeout=None) as r:
            for line in r.iter_lines():
                msg = json.loads(line[5:]) if line.startswith("data:") else {}
                if msg.get("event_id") == event_id:
                    yield msg
                    if msg["msg"] == "process_completed":
                        return

    def call(self, api_name: str, data: list, fn_index: int | None = None) -> tuple[float, dict]:
        """Seconds to the answer, and the answer: {"data": [...]} or {"error": "..."} (or the HTTP refusal)."""
        t0 = time.perf_counter()
        r = self.join(api_name, data, fn_index)
        if r.status_code != 200:
            return time.perf_counter() - t0, {"error": f"HTTP {r.status_code}: {r.text[:200]}"}
        messages = list(self.messages(r.json()["event_id"]))
        last = messages[-1] if messages else {}
        return time.perf_counter() - t0, last.get("output") or {"error": last.get("msg", "no answer")}

    def predict(self, image, choice="lstm", lang: str = "en") -> tuple[float, dict]:
        return self.call("predict", [image, choice, None, lang])

    def cancel(self, event_id: str, api_name: str = "train") -> None:
        self.http.post("gradio_api/cancel", json={"session_hash": self.session, "event_id": event_id,
                                                  "fn_index": self.app.deps[api_name]["id"]})


def error_of(out: dict) -> str:
    return str(out.get("error") or "")


class Watch:
    """While an attack runs: the server's peak memory over its level before, and a normal visitor's /predict in a
    loop; after it, one more /predict and the cache's size."""

    def __init__(self, app: App, file: bytes):
        self.app, self.file = app, file

    def __enter__(self) -> "Watch":
        self.visitor = Visitor(self.app)
        self.image = self.visitor.upload(self.file)
        self.before = self.app.reset_peak()
        self.latencies, self.errors, self.stop = [], [], threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def _loop(self):
        while not self.stop.is_set():
            seconds, out = self.visitor.predict(self.image)
            (self.latencies if "data" in out else self.errors).append(seconds if "data" in out else error_of(out))

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.peak_delta = self.app.peak() - self.before
        seconds, out = self.visitor.predict(self.image)
        self.after_ok = "data" in out
        self.cache = self.app.cache_mib()

    def row(self) -> dict:
        return {"rss_before": self.before, "peak_delta": self.peak_delta, "during": len(self.latencies),
                "during_errors": len(self.errors), "after_ok": self.after_ok, "cache_mib": self.cache[0]}


def p95(seconds: list[float]) -> float:
    return float(np.percentile(seconds, 95)) if seconds else float("nan")


# ---- the attacks ------------------------------------------------------------------------------------------------

TRAIN = ["lstm", 128, 0.01, 64, 3, 60000, 1, False, "en"]  # a run long enough to be training during the measure


class Join(threading.Thread):
    """One /train join, its answers followed (the stream kept open, as a page does) until it ends or is cancelled."""

    def __init__(self, app: App, client: str | None, data: list):
        super().__init__(daemon=True)
        self.visitor, self.data = Visitor(app, client), data
        self.first = threading.Event()  # its answer: a refusal, its place in line, or training under way
        self.seconds, self.said, self.event_id = float("nan"), "", None

    def run(self):
        t0 = time.perf_counter()
        r = self.visitor.join("train", self.data)
        if r.status_code != 200:  # turned away at the door (admission.Door: 429 and why), or Gradio's 503
            detail = r.json().get("detail", "") if "json" in r.headers.get("content-type", "") else ""
            self.seconds, self.said = time.perf_counter() - t0, f"HTTP {r.status_code}: {detail}"
            return self.first.set()
        self.event_id = r.json()["event_id"]
        generating = 0  # the first update names the run; the next says whether it was let in (its place, or training)
        for msg in self.visitor.messages(self.event_id):
            generating += msg["msg"] == "process_generating"
            if (generating == 2 or msg["msg"] == "process_completed") and not self.first.is_set():
                self.seconds, self.said = time.perf_counter() - t0, error_of(msg.get("output") or {})
                self.first.set()

    def cancel(self):
        if self.event_id and not self.said:
            self.visitor.cancel(self.event_id)


def idle_reader(app: App, n: int) -> tuple["Visitor", dict, list[float]]:
    """Another visitor with a digit uploaded, warmed up, and its /predict times while nothing else happens."""
    reader = Visitor(app)
    image = reader.upload(digit_png(3))
    for _ in range(5):  # warm
        reader.predict(image)
    return reader, image, [reader.predict(image)[0] for _ in range(n)]


def train_joins(app: App, joins: int = 65, client: str | None = PROXY, n: int = 100) -> dict:
    """`joins` /train joins at once, each with its own session, from one client; then another visitor's /predict
    while the admitted run trains, against the same visitor's /predict before the attack (idle)."""
    reader, image, idle = idle_reader(app, n)
    before = app.reset_peak()
    attack = [Join(app, client, TRAIN) for _ in range(joins)]
    for j in attack:
        j.start()
    for j in attack:
        j.first.wait(120)
    during = [reader.predict(image) for _ in range(n)]  # while the admitted run trains
    peak = app.peak() - before
    alone = []  # then one more join at a time, as a script retrying would: how soon each is turned away
    for _ in range(10):
        j = Join(app, client, TRAIN)
        j.start()
        j.first.wait(60)
        j.join(30)
        alone.append(j.seconds)
    refused, admitted = [j for j in attack if j.said], [j for j in attack if not j.said]
    for j in admitted:
        j.cancel()
    for j in attack:
        j.join(60)
    ok = [s for s, out in during if "data" in out]
    return {"joins": joins, "admitted": len(admitted), "refused": len(refused),
            "refusal_s": max((j.seconds for j in refused), default=float("nan")),
            "refusal_texts": sorted({j.said for j in refused}), "http_503": sum("HTTP 503" in j.said for j in attack),
            "median_refusal_s": float(np.median([j.seconds for j in refused])),
            "one_refusal_s": float(np.median(alone)),
            "idle_p95": p95(idle), "during_p95": p95(ok), "ratio": p95(ok) / p95(idle), "peak_delta": peak,
            "during_errors": n - len(ok), "after_ok": "data" in reader.predict(image)[1]}


def own_run(app: App, n: int = 100) -> dict:
    """One visitor's own run of the same settings, no attack, for comparison: the peak memory over the level before
    (MiB), and another visitor's /predict p95 before it and while it trains."""
    reader, image, idle = idle_reader(app, n)
    before = app.reset_peak()
    run = Join(app, "9.9.9.9", TRAIN)
    run.start()
    run.first.wait(120)
    during = [reader.predict(image)[0] for _ in range(n)]
    peak = app.peak() - before
    run.cancel()
    run.join(60)
    return {"peak_delta": peak, "idle_p95": p95(idle), "during_p95": p95(during), "ratio": p95(during) / p95(idle),
            "worker_peak": app.workers_peak()}


def one(app: App, name: str, attempt, file: bytes | None = None) -> dict:
    """One attack: `attempt()` returns (seconds to its answer, the answer's text); watched."""
    with Watch(app, file or digit_png(4)) as watch:
        seconds, said = attempt()
    return {"attack": name, "refusal_s": seconds, "said": said[:120], **watch.row()}


def bombs(app: App) -> list[dict]:
    """The decompression bombs, through every path an image comes in."""
    v = Visitor(app, lang="en")
    rows = []
    for name, make in [("WebP bomb 13000x13000 (26 B), uploaded to /predict", lambda: v.upload(WEBP_BOMB, "b.webp")),
                       ("the same as a data URL in /predict", lambda: {"url": WEBP_BOMB_URL, "meta": META}),
                       ("PNG bomb 30000x30000 (<1 KB), uploaded to /predict", lambda: v.upload(png_bomb(), "b.png"))]:
        payload = make()

        def attempt(payload=payload):
            seconds, out = v.predict(payload)
            return seconds, error_of(out)
        rows.append(one(app, name, attempt))
    canvas = next((c["id"] for c in httpx.get(app.url + "config").json()["components"]
                   if c.get("props", {}).get("elem_id") == "canvas"), None)
    takes_canvas = [d for d in httpx.get(app.url + "config").json()["dependencies"]
                    if canvas in d["inputs"] and d.get("api_visibility") != "undocumented"]
    for dep in takes_canvas:  # every event the page's canvas feeds, with the bomb as the canvas's value
        data = [WEBP_BOMB_URL if i == canvas else None for i in dep["inputs"]]

        def attempt(dep=dep, data=data):
            seconds, out = v.call("", data, fn_index=dep["id"])
            return seconds, error_of(out) or "answered"
        rows.append(one(app, f"canvas value: the WebP bomb data URL, event #{dep['id']}", attempt))
    return rows


def at_once(app: App, n: int, name: str, data: bytes, filename: str) -> dict:
    """n of the same picture to /predict at once."""
    visitors = [Visitor(app) for _ in range(n)]
    payloads = [v.upload(data, filename) for v in visitors]
    with Watch(app, digit_png(6)) as watch:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(n) as pool:
            outs = list(pool.map(lambda v, p: v.predict(p)[1], visitors, payloads))
        seconds = time.perf_counter() - t0
    said = sorted({error_of(o) or "answered" for o in outs})
    return {"attack": f"{n} at once: {name}", "refusal_s": seconds, "said": "; ".join(said)[:120], **watch.row()}


def outside_paths(app: App) -> list[dict]:
    """/predict asked to read files that no upload made, with and without Gradio's `meta`; and /file= traversal."""
    v = Visitor(app)
    planted = app.cache / "planted"  # a link inside the upload folder to a file outside it
    planted.mkdir(exist_ok=True)
    (planted / "link.png").unlink(missing_ok=True)
    (planted / "link.png").symlink_to(ROOT / "examples" / "mnist-test-0000-digit7.png")
    targets = {"an image file of the app": str(ROOT / "examples" / "mnist-test-0000-digit7.png"),
               "/etc/passwd": "/etc/passwd", "a path that does not exist": "/no/such/file.png",
               "'..' out of the upload folder": str(app.cache / ".." / ".." / "etc" / "passwd"),
               "a link in the upload folder to a file outside": str(planted / "link.png"),
               "a URL": "http://127.0.0.1:9/x.png"}
    rows = []
    for name, path in targets.items():
        for meta in (False, True):
            payload = {"path": path, **({"meta": META} if meta else {})}
            seconds, out = v.predict(payload)
            rows.append({"target": name + (" (with meta)" if meta else ""), "read": "data" in out,
                         "said": error_of(out)[:90] or ("(a reading)" if "data" in out else "Error"),
                         "seconds": seconds})
    for path in ("/etc/passwd", "../../../../etc/passwd", str(ROOT / "app.py")):
        r = v.http.get(f"gradio_api/file={path}")
        rows.append({"target": f"GET /gradio_api/file={path}", "read": r.status_code == 200,
                     "said": f"HTTP {r.status_code}", "seconds": r.elapsed.total_seconds()})
    return rows


def raw_request(app: App, head: str, body_chunks=(), read: int = 400) -> tuple[float, str]:
    """Send a request by hand (a header, then body chunks while the server lets us); its status line, and when."""
    host, port = app.url.split("//")[1].rstrip("/").split(":")
    t0 = time.perf_counter()
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(head.encode())
        with contextlib.suppress(OSError):
            for chunk in body_chunks:
                s.sendall(chunk)
                s.settimeout(0)
                with contextlib.suppress(BlockingIOError):
                    if s.recv(1, socket.MSG_PEEK):
                        break  # answered already
                s.settimeout(30)
        s.settimeout(30)
        answer = s.recv(read).decode("utf-8", "replace")
    return time.perf_counter() - t0, answer.split("\r\n")[0]


def huge_requests(app: App) -> list[dict]:
    """500 MB bodies, with and without a Content-Length, a 7 MB upload and URLs over the limit."""
    mb = b"x" * (1 << 20)
    join = "POST /gradio_api/queue/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    cases = [("500 MB body, Content-Length", join + f"Content-Length: {500 << 20}\r\n\r\n", (mb for _ in range(500))),
             ("500 MB body, chunked (no Content-Length)", join + "Transfer-Encoding: chunked\r\n\r\n",
              (b"100000\r\n" + mb + b"\r\n" for _ in range(500))),
             ("7 MB upload", "POST /gradio_api/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
              f"boundary=b\r\nContent-Length: {7 << 20}\r\n\r\n", (mb for _ in range(7))),
             ("URL of 70,000 characters", f"GET /?d={'a' * 70000} HTTP/1.1\r\nHost: x\r\n\r\n", ()),
             ("URL of 9,000 characters", f"GET /?d={'a' * 9000} HTTP/1.1\r\nHost: x\r\n\r\n", ())]
    return [one(app, name, lambda head=head, body=body: raw_request(app, head, body)) for name, head, body in cases]


def smaller(app: App) -> list[dict]:
    """Issue 15's item 6: a transparent PNG, errors in the visitor's language, numbers where text is expected."""
    v = Visitor(app)
    rows = []
    seven = v.upload(transparent_seven(), "seven.png")
    for name, data in [("transparent PNG (ink in alpha), en", [seven, "lstm", None, "en"]),
                       ("not an image, zh", [v.upload(b"hello", "notes.png"), "lstm", None, "zh"]),
                       ("a number as the image, zh", [5, "lstm", None, "zh"]),
                       ("a number as the model, en", [None, 5, None, "en"]),
                       ("a number as the language", [None, "lstm", None, 5])]:
        seconds, out = v.call("predict", data)
        label = out["data"][0]["label"] if "data" in out else None
        rows.append({"case": name, "seconds": seconds, "said": f"read as {label}" if label else error_of(out)[:100]})
    return rows


def disk(app: App, answers: int, runs: int) -> dict:
    """`answers` readings of distinct drawings and `runs` small training runs; the cache's size sampled throughout."""
    tmp = Path(tempfile.gettempdir())
    before_tmp = {p.name for p in tmp.glob("rowbyrow-*")}
    peak, stop = [0.0, 0], threading.Event()

    def sample():
        while not stop.is_set():
            size, n = app.cache_mib()
            peak[:] = max(peak[0], size), max(peak[1], n)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    visitors = queue.SimpleQueue()
    for _ in range(6):
        visitors.put(Visitor(app))

    def reader(k: int):
        v = visitors.get()
        try:
            return "data" in v.predict(v.upload(digit_png(k % 10, seed=k), f"d{k}.png"))[1]
        finally:
            visitors.put(v)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(6) as pool:
        read = sum(pool.map(reader, range(answers)))
    trainer = Visitor(app)
    trained = 0
    for i in range(runs):
        _, out = trainer.call("train", ["rnn", 8, 0.01, 64, 1, 1000, i, False, "en"])
        trained += "data" in out and bool(out["data"][1])
    seconds = time.perf_counter() - t0
    time.sleep(2 * float(app.env.get("ROWBYROW_SWEEP_EVERY_S", 60)))
    stop.set()
    sampler.join()
    final = app.cache_mib()
    return {"answers": read, "runs": trained, "seconds": seconds, "peak_mib": peak[0], "peak_files": peak[1],
            "final_mib": final[0], "final_files": final[1],
            "bound_mib": int(app.env.get("ROWBYROW_CACHE_MAX_BYTES", 512 << 20)) / (1 << 20),
            "tmp_rowbyrow_new": len({p.name for p in tmp.glob("rowbyrow-*")} - before_tmp)}


# ---- the report -------------------------------------------------------------------------------------------------

def table(rows: list[dict], columns: list[tuple[str, str, str]]) -> str:
    head = "| " + " | ".join(c[1] for c in columns) + " |\n|" + " --- |" * len(columns)
    return "\n".join([head] + ["| " + " | ".join(format(r[c[0]], c[2]) if c[2] else str(r[c[0]]) for c in columns)
                               + " |" for r in rows])


ATTACK_COLUMNS = [("attack", "attack", ""), ("said", "answer", ""), ("refusal_s", "answered in (s)", ".3f"),
                  ("rss_before", "RSS before (MiB)", ".0f"), ("peak_delta", "peak RSS over it (MiB)", "+.0f"),
                  ("during", "/predict answered during", ""), ("during_errors", "failed", ""),
                  ("after_ok", "/predict after", ""), ("cache_mib", "cache (MiB)", ".1f")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--joins", type=int, default=65, help="/train joins from one client")
    ap.add_argument("--answers", type=int, default=2000, help="readings for the disk measure")
    ap.add_argument("--runs", type=int, default=20, help="training runs for the disk measure")
    args = ap.parse_args()
    os.environ.setdefault("MNIST_ROOT", str(ROOT.parent / "shared" / "mnist"))
    env = {**SMALL_CACHE, "ROWBYROW_MAX_TRAIN_SECONDS": "60"}
    with App(env) as app:
        print(f"server pid {app.pid}, RSS {app.rss():.0f} MiB; cache bound "
              f"{int(env['ROWBYROW_CACHE_MAX_BYTES']) >> 20} MiB, swept every {env['ROWBYROW_SWEEP_EVERY_S']} s\n",
              flush=True)
        rows = bombs(app)
        rows.append(at_once(app, 20, "WebP bomb 13000x13000 (26 B)", WEBP_BOMB, "b.webp"))
        for when in ("the first time", "again"):  # the first large decode also sets up the decoder's memory
            rows.append(at_once(app, 20, f"the largest picture decoded, 4096x4096 RGBA (65 KB), {when}", big_png(),
                                "big.png"))
        rows += huge_requests(app)
        print(table(rows, ATTACK_COLUMNS), flush=True)

        print("\nFiles outside the uploads:\n")
        print(table(outside_paths(app), [("target", "path sent", ""), ("read", "read?", ""), ("said", "answer", ""),
                                        ("seconds", "s", ".3f")]), flush=True)
        print("\nSmaller things:\n")
        print(table(smaller(app), [("case", "case", ""), ("said", "answer", ""), ("seconds", "s", ".3f")]), flush=True)

        own = own_run(app)
        print(f"\nOne visitor's own run of the same settings, no attack: the server's peak RSS +{own['peak_delta']:.0f} "
              f"MiB (MNIST, to score the run), its training process's {own['worker_peak']:.0f} MiB; another visitor's "
              f"/predict p95 {own['idle_p95']:.3f} s before it, {own['during_p95']:.3f} s while it trains "
              f"({own['ratio']:.2f}x)")
        time.sleep(2)
        print(f"\n{args.joins} /train joins at once, one session each:\n")
        lockout = []
        for client, label in ((PROXY, f"one client behind a proxy (X-Forwarded-For {PROXY})"),
                              (None, "one local client (no address known: only the session and global caps)")):
            r = train_joins(app, args.joins, client)
            r["client"] = label
            r["texts"] = " / ".join(t[:60] for t in r["refusal_texts"])
            r["vs_own"] = r["during_p95"] / own["during_p95"]
            lockout.append(r)
            time.sleep(2)
        print(table(lockout, [("client", "from", ""), ("admitted", "admitted", ""), ("refused", "refused", ""),
                              ("http_503", "HTTP 503", ""), ("median_refusal_s", "refusal, median (s)", ".3f"),
                              ("refusal_s", "slowest (s)", ".3f"), ("one_refusal_s", "one join alone (s)", ".3f"),
                              ("texts", "refusal", ""), ("idle_p95", "/predict p95 idle (s)", ".3f"),
                              ("during_p95", "p95 while it trains (s)", ".3f"), ("ratio", "ratio", ".2f"),
                              ("vs_own", "ratio to one visitor's run", ".2f"),
                              ("peak_delta", "peak RSS (MiB)", "+.0f"), ("during_errors", "/predict failed", "")]),
              flush=True)

        d = disk(app, args.answers, args.runs)
        print(f"\nDisk: {d['answers']} readings and {d['runs']} training runs in {d['seconds']:.0f} s; the cache "
              f"peaked at {d['peak_mib']:.1f} MiB / {d['peak_files']} files (bound {d['bound_mib']:.0f} MiB, swept "
              f"every {env['ROWBYROW_SWEEP_EVERY_S']} s), {d['final_mib']:.1f} MiB / {d['final_files']} files after a "
              f"sweep; new rowbyrow-* folders in the system temp dir: {d['tmp_rowbyrow_new']}", flush=True)


if __name__ == "__main__":
    main()
