"""A class at once, and one script's floods, against `python app.py` (issue 27), on loopback with X-Forwarded-For
addresses (a proxy, as on a Space):

1. floods: one script from one address sends one kind of costly event as fast as 8 connections allow (fresh
   settings for the estimates, fresh sessions), while an ordinary visitor from another address goes through its
   journey again and again (the page, How it works, one correction taught, /predict): the visitor's refusals and
   p95 per step, the server's peak memory and its memory 30 s after;
2. a class: `--class-size` addresses arriving within 10 s, each: the page, How it works, 3 corrections, Train
   (its first answer: a place in line with its wait, or a refusal); refusals, p95 per step, errors; and the same
   class pressing Train within 10 s as soon as it arrives (`presses`);
3. sessions: `--sessions` new sessions (the page, then a language switch each), the server's memory growth;
4. uploads: 8 connections writing 4.9 MB files for 13 s into a cache capped at 64 MB, its largest size seen.

    python benchmarks/crowd.py [--flood-seconds 30] [--class-size 30] [--sessions 10000]
                               [--only floods class presses sessions uploads]
"""
import argparse
import itertools
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.abuse import App, Visitor, error_of, p95  # noqa: E402

TEACH_SETTLED = ("done", "cant_measure", "refused")  # a teach panel value's status once teaching and its check end


class Page(Visitor):
    """One browser's worth of the page's events over plain HTTP, from one address, each answered before the next."""

    def __init__(self, app: App, address: str, lang: str = "en"):
        super().__init__(app, address, lang)
        self.deps = app.by_name  # every event by its name, the page's own included

    def join(self, name: str, data: list, event_data=None, session: str | None = None) -> httpx.Response:
        return self.http.post("gradio_api/queue/join", json={
            "data": data, "fn_index": self.deps[name]["id"], "session_hash": session or self.session,
            "event_data": event_data, "trigger_id": self.deps[name]["targets"][0][0]})

    def event(self, name: str, data: list, event_data=None, updates: int = 0) -> tuple[float, str]:
        """Seconds until the answer (or, with `updates`, until that many updates of a streamed answer), and "" or why
        it failed ("429: ..." for a refusal)."""
        t0 = time.perf_counter()
        r = self.join(name, data, event_data)
        if r.status_code != 200:
            return time.perf_counter() - t0, f"{r.status_code}: {r.text[:120]}"
        seen = 0
        for msg in self.messages(r.json()["event_id"]):
            seen += msg["msg"] == "process_generating"
            if updates and seen == updates:
                return time.perf_counter() - t0, ""
            if msg["msg"] == "process_completed":
                return time.perf_counter() - t0, error_of(msg.get("output") or {})
        return time.perf_counter() - t0, "no answer"

    def page(self) -> float:
        t0 = time.perf_counter()
        self.http.get("/").raise_for_status()
        return time.perf_counter() - t0

    def inside(self, drawing: list) -> tuple[float, str]:
        return self.event("partial_1", [drawing, "en"])

    def teach(self, drawing: list, label: int, click: int = 1, checks: list | None = None) -> tuple[float, str]:
        """One correction, until the page has the model taught with it (the event's second update: the first says
        the correction is kept); then, as the page does, its check (what it learned and forgot), timed into
        `checks`."""
        t0 = time.perf_counter()
        taught = self.event("added", [None, drawing, None], {"label": label, "model": "lstm", "click": click},
                            updates=2)
        if "checked" in self.deps:  # (an app whose teach event checks too has none)
            self.event("checked", [None])
        if checks is not None:
            checks.append(time.perf_counter() - t0)
        return taught

    def predict(self, image: dict) -> tuple[float, str]:
        return self.event("predict", [image, "lstm", None, "en"])

    def switch(self, lang: str, session: str | None = None) -> tuple[float, int]:
        t0 = time.perf_counter()
        r = self.http.post("gradio_api/run/predict", json={"data": [lang], "fn_index": self.deps["updates_4"]["id"],
                                                           "session_hash": session or self.session})
        return time.perf_counter() - t0, r.status_code


def drawings(n: int) -> list[tuple[list, int]]:
    """n MNIST test digits as the canvas sends them (784 numbers in [0, 1]) and their labels."""
    import data
    mnist = data.load_mnist(data.default_root())
    return [((mnist.test_x[i].numpy().reshape(-1) / 255).round(3).tolist(), int(mnist.test_y[i])) for i in range(n)]


def journey(v: Page, image: dict, digits: list, times: dict, refused: list) -> None:
    """An ordinary visitor: the page, How it works, one correction taught, /predict."""
    x, y = random.choice(digits)
    for step, (seconds, why) in (("page", (v.page(), "")), ("inside", v.inside(x)), ("teach", v.teach(x, y)),
                                 ("predict", v.predict(image))):
        times.setdefault(step, []).append(seconds)
        if why:
            refused.append(f"{step}: {why}")


FLOODS = {  # one script's flood: what each of its requests sends (fresh sessions, fresh values); none: the baseline
    "none (the visitor alone)": None,
    "estimates": lambda s, d: s.join("partial_6", ["lstm", random.choice(range(8, 257, 8)), 0.01,
                                                   random.choice(range(16, 513, 16)), 1, 60000, 1, False, "en"],
                                     session=uuid.uuid4().hex),
    "teach": lambda s, d: s.join("added", [None, random.choice(d)[0], None], {"label": 3, "model": "lstm", "click": 1},
                                 session=uuid.uuid4().hex),
    "inside": lambda s, d: s.join("partial_1", [random.choice(d)[0], "en"], session=uuid.uuid4().hex),
    "call/train": lambda s, d: s.http.post("gradio_api/call/train", json={"data": ["lstm", 64, 0.01, 64, 1, 60000, 1,
                                                                                    False, "en"]}),
    "churn": lambda s, d: s.switch(random.choice(["zh", "en"]), session=uuid.uuid4().hex),
    "invalid joins": lambda s, d: s.join("train", "x", session=uuid.uuid4().hex),
}


def floods(app: App, seconds: float, digits: list) -> list[dict]:
    rows = []
    for kind, send in FLOODS.items():
        visitor, script = Page(app, "81.2.69.100"), Page(app, "81.2.69.200")
        image = upload(visitor)
        journey(visitor, image, digits, {}, [])  # warm
        base = app.reset_peak()
        stop, sent = threading.Event(), itertools.count()

        def attack():
            while send and not stop.is_set():
                send(script, digits)
                next(sent)

        times, refused = {}, []
        with ThreadPoolExecutor(8) as pool:
            for _ in range(8):
                pool.submit(attack)
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < seconds:
                journey(visitor, image, digits, times, refused)
            stop.set()
        peak = app.peak() - base
        time.sleep(30)
        rows.append({"flood": kind, "sent": next(sent), "refused": len(refused), "why": refused[:2],
                     **{f"p95 {k}": p95(v) for k, v in times.items()}, "journeys": len(times["page"]),
                     "peak MiB": round(peak, 1), "after 30 s MiB": round(app.rss() - base, 1)})
        print(rows[-1], flush=True)
    return rows


def upload(v: Page) -> dict:
    from benchmarks.abuse import META, digit_png
    r = v.http.post("gradio_api/upload", files={"files": ("digit.png", digit_png(3))})
    return {"path": r.json()[0], "orig_name": "digit.png", "meta": META}


def a_class(app: App, size: int, digits: list) -> dict:
    """`size` visitors from their own addresses, arriving within 10 s: the page, How it works, 3 corrections, Train."""
    times, refused, trained, checks = {}, [], [], []

    def student(i: int):
        time.sleep(10 * i / size)
        v = Page(app, f"81.2.70.{i + 1}")
        times.setdefault("page", []).append(v.page())
        for step, (seconds, why) in [("inside", v.inside(digits[i][0]))] + [
                ("teach", v.teach(*digits[i * 3 + k], click=k + 1, checks=checks)) for k in range(3)]:
            times.setdefault(step, []).append(seconds)
            if why:
                refused.append(f"{step}: {why}")
        seconds, why = v.event("train", ["lstm", 64, 0.01, 64, 1, 60000, 1, False, "en"], updates=1)
        trained.append((seconds, why))

    with ThreadPoolExecutor(size) as pool:
        list(pool.map(student, range(size)))
    row = {"visitors": size, "refused (not training)": len(refused), "why": refused[:3],
           "training refused": sum(bool(w) for _, w in trained), "training why": [w for _, w in trained if w][:2],
           **{f"p95 {k}": p95(v) for k, v in times.items()}, "p95 taught and checked": p95(checks),
           "p95 train's first answer": p95([s for s, _ in trained])}
    print(row, flush=True)
    return row


def presses(app: App, size: int) -> dict:
    """`size` visitors from their own addresses pressing Train within 10 s: each one's first answer (its place in
    line and wait, or a refusal), then all of them cancelled."""
    answers = []

    def student(i: int):
        time.sleep(10 * i / size)
        v = Page(app, f"81.2.71.{i + 1}")
        answers.append(v.event("train", ["lstm", 64, 0.01, 64, 1, 60000, 1, False, "en"], updates=2))

    with ThreadPoolExecutor(size) as pool:
        list(pool.map(student, range(size)))
    refused = [why for _, why in answers if why]
    row = {"visitors": size, "training refused": len(refused), "why": refused[:2],
           "p95 first answer": p95([s for s, _ in answers])}
    print(row, flush=True)
    return row


def sessions(app: App, n: int) -> dict:
    """n new sessions, each a page load and a language switch, from n / 50 addresses (50 each: under the door's
    new sessions a minute), 4 at a time."""
    base, t0 = app.rss(), time.perf_counter()
    statuses = []

    def visit(i: int):
        v = Page(app, f"81.3.{i // 50 // 250}.{i // 50 % 250 + 1}")
        v.page()
        statuses.append(v.switch("zh")[1])
        v.http.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(visit, range(n)))
    row = {"sessions": n, "seconds": round(time.perf_counter() - t0), "not 200": sum(s != 200 for s in statuses),
           "growth MiB": round(app.rss() - base, 1), "peak growth MiB": round(app.peak() - base, 1)}
    print(row, flush=True)
    return row


def uploads(app: App, seconds: float = 13) -> dict:
    cap = int(app.env["ROWBYROW_CACHE_MAX_BYTES"]) / (1 << 20)
    stop, largest, done = threading.Event(), [0.0], itertools.count()
    blob = np.random.default_rng(0).bytes(int(4.9 * (1 << 20)))

    def writer(i: int):
        v = Page(app, f"81.4.0.{i + 1}")
        while not stop.is_set():
            v.http.post("gradio_api/upload", files={"files": (f"f{i}.png", blob)})
            next(done)

    with ThreadPoolExecutor(9) as pool:
        for i in range(8):
            pool.submit(writer, i)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            largest[0] = max(largest[0], app.cache_mib()[0])
            time.sleep(0.05)
        stop.set()
    row = {"uploads": next(done), "cap MiB": cap, "largest MiB": round(largest[0], 1), "one upload MiB": 4.9}
    print(row, flush=True)
    return row


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--flood-seconds", type=float, default=30)
    p.add_argument("--class-size", type=int, default=30)
    p.add_argument("--sessions", type=int, default=10000)
    p.add_argument("--only", nargs="*", default=["floods", "class", "presses", "sessions", "uploads"])
    args = p.parse_args()
    digits = drawings(200)
    env = {"ROWBYROW_CACHE_MAX_BYTES": str(64 << 20)}
    with App(env) as app:
        app.by_name = {d["api_name"]: d for d in httpx.get(app.url + "config").json()["dependencies"]}
        if "floods" in args.only:
            floods(app, args.flood_seconds, digits)
        if "class" in args.only:
            a_class(app, args.class_size, digits)
        if "presses" in args.only:
            presses(app, args.class_size)
        if "sessions" in args.only:
            sessions(app, args.sessions)
        if "uploads" in args.only:
            uploads(app)


if __name__ == "__main__":
    main()
