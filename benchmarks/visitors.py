"""Many visitors drawing at once, replaying what the page sends (`python app.py`, 2 vCPU):

1. In a real browser (Debian's Chromium), every request the page makes while it loads, and while a digit is drawn
   and the pen lifts (the Draw tab reads in the page: none are expected).
2. N visitors at once, each replaying that: the page load's requests once (as a browser: the page, then its
   assets and the model's weights, six at a time), then one drawing a second for `--seconds`, each sending what a
   drawing sent in step 1. Per visitor: the page-load time and the time of each drawing's requests; errors.

    python benchmarks/visitors.py [--visitors 1 32] [--seconds 30]
"""
import argparse
import statistics
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import launch_chromium, serve  # noqa: E402

ONE = [(0.5, 0.15 + 0.7 * i / 40) for i in range(41)]


def record(url: str) -> tuple[list[str], list[str]]:
    """The GET requests of a page load, and the requests sent while three digits are drawn and settle."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        loaded, drawing = [], []
        page.on("request", lambda r: (drawing if page.drawing else loaded).append((r.method, r.url)))
        page.drawing = False
        page.goto(url)
        page.locator("#canvas .rbr-pad[data-ready]").wait_for(state="attached")
        page.locator("#model-name").get_by_text("LSTM").wait_for()  # the model's weights arrived
        time.sleep(10)  # the page load's own events (a shared link's, the queue's stream) come and go
        page.drawing = True
        box = page.locator("#canvas canvas").bounding_box()
        for _ in range(3):
            page.mouse.move(box["x"] + ONE[0][0] * box["width"], box["y"] + ONE[0][1] * box["height"])
            page.mouse.down()
            for x, y in ONE[1:]:
                page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
            page.mouse.up()
            time.sleep(1)
        browser.close()
    streams = ("/queue/data", "/heartbeat/")  # open for as long as the page is: a visitor holds one each
    return [u for m, u in loaded if m == "GET" and u.startswith(url) and not any(s in u for s in streams)], \
        [f"{m} {u}" for m, u in drawing]


def fetch(url: str) -> None:
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()


def visitor(load: list[str], per_drawing: list[str], seconds: float, out: dict) -> None:
    """One visitor: the page load (six requests at a time, as a browser), then a drawing a second."""
    t0 = time.perf_counter()
    try:
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(fetch, load))
        out["load"].append(time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - every failure counts
        out["errors"].append(repr(e)[:120])
        return
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        try:
            for request in per_drawing:  # GETs of files; an event (a POST) would need its session: none are sent
                fetch(request.split(" ", 1)[1])
            out["drawing"].append(time.perf_counter() - t)
        except Exception as e:  # noqa: BLE001
            out["errors"].append(repr(e)[:120])
        time.sleep(max(0.0, 1 - (time.perf_counter() - t)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--visitors", type=int, nargs="+", default=[1, 32])
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    with serve() as (url, _):
        load, per_drawing = record(url)
        print(f"a page load: {len(load)} GET requests; three drawings sent {len(per_drawing)} requests "
              f"({per_drawing[:5]})")
        print("\n| visitors | page load, p50 | p95 | requests per drawing | drawings | their requests, p95 | errors |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for n in args.visitors:
            out = {"load": [], "drawing": [], "errors": []}
            threads = [threading.Thread(target=visitor, args=(load, per_drawing, args.seconds, out)) for _ in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            p95 = f"{np.percentile(out['drawing'], 95) * 1000:.0f} ms" if per_drawing else "none sent"
            print(f"| {n} | {statistics.median(out['load']):.2f} s | {np.percentile(out['load'], 95):.2f} s "
                  f"| {len(per_drawing) / 3:.0f} | {len(out['drawing'])} | {p95} | {len(out['errors'])} |", flush=True)


if __name__ == "__main__":
    main()
