"""The Train tab in a real browser (headless Chromium, Playwright), walked as a visitor would, on a desktop and a phone:

- after pressing Train: how soon the status line says what the press did, in the viewport;
- while the run trains: the longest main-thread task in the page (PerformanceObserver, 'longtask'), against the same
  page left idle as long;
- the time the page promised (its estimate) against the time the run took, for the original recipe and for the
  "RNN vs LSTM" experiment;
- after Stop: how soon "Stopping…" shows, and how soon the stopped result.

    MNIST_ROOT=../shared/mnist python benchmarks/train_tab.py [--train-size 60000] [--experiment]
"""
import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import launch_chromium, serve  # noqa: E402

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# Long tasks, from the page's first moment; and when the status line's text last changed.
WATCH = """
window.longTasks = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.longTasks.push([e.startTime, e.duration])))
  .observe({type: 'longtask', buffered: true});
"""
STATUS = """() => {
  const el = document.querySelector('#train-status'), r = el.getBoundingClientRect();
  return {text: el.innerText.trim(), seen: r.bottom > 0 && r.top < innerHeight && r.height > 0};
}"""


def wait_for(page, test, timeout: float, what: str):
    """Poll test() (a Python callable) every 50 ms until it returns something true; fail loudly on timeout."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        got = test()
        if got:
            return got
        time.sleep(0.05)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


def open_train_tab(browser, url: str, context: dict):
    page = browser.new_context(**context).new_page()
    page.add_init_script(WATCH)
    page.goto(url)
    page.locator("#canvas .rbr-pad[data-ready]").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Train").click()
    wait_for(page, lambda: re.search(r"about (\d+) s", page.locator("#train-estimate").inner_text()), 60, "estimate")
    return page


def longest_task(page, since: float) -> float:
    return max([d for t, d in page.evaluate("window.longTasks") if t >= since] or [0.0])


def press(page, button: str) -> float:
    """Seconds from the press until the status line, in the viewport, says what the press did."""
    before = page.evaluate(STATUS)["text"]
    page.locator(button).click()
    t0 = time.perf_counter()
    wait_for(page, lambda: (s := page.evaluate(STATUS))["seen"] and s["text"] and s["text"] != before, 30, "status")
    return time.perf_counter() - t0


def run(page, button: str, done: str, timeout: float) -> dict:
    """Press `button`, wait for `done` in the status: the estimate shown before, the seconds it took, the longest
    task while it trained, and the longest over as long a time with the page left idle afterwards (the baseline)."""
    promised = float(re.search(r"about (\d+) s", page.locator(
        "#train-estimate" if button == "#train" else f"{button}-time").inner_text())[1])
    since = page.evaluate("performance.now()")
    t0 = time.perf_counter()
    seen = press(page, button)
    wait_for(page, lambda: done in page.evaluate(STATUS)["text"], timeout, done)
    took = time.perf_counter() - t0
    training = longest_task(page, since)
    idle_since = page.evaluate("performance.now()")
    time.sleep(min(took, 30))
    return {"promised": promised, "took": took, "status": seen, "longest": training,
            "idle": longest_task(page, idle_since), "text": page.evaluate(STATUS)["text"]}


def stop(page) -> dict:
    """Press Train, then Stop once it trains: seconds to "Stopping…" and to the stopped result."""
    press(page, "#train")
    wait_for(page, lambda: "images/s" in page.evaluate(STATUS)["text"], 60, "training")
    page.locator("#stop").click()
    t0 = time.perf_counter()
    wait_for(page, lambda: "Stopping" in page.evaluate(STATUS)["text"] or "Stopped" in page.evaluate(STATUS)["text"],
             30, "Stopping…")
    stopping = time.perf_counter() - t0
    wait_for(page, lambda: "Stopped" in page.evaluate(STATUS)["text"], 60, "Stopped")
    return {"stopping": stopping, "stopped": time.perf_counter() - t0, "text": page.evaluate(STATUS)["text"]}


def set_train_size(page, n: int) -> None:
    field = page.locator("#train-size input[type=number]")
    field.fill(str(n))
    field.press("Enter")
    wait_for(page, lambda: f"{-(-n // 64):,} steps" in page.locator("#train-estimate").inner_text(), 60, "estimate")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-size", type=int, default=60000, help="training images for the timed runs")
    ap.add_argument("--experiment", action="store_true", help="also the RNN vs LSTM experiment (two full runs)")
    ap.add_argument("--log", default="", help="the server's output to this file (default: a temporary one)")
    args = ap.parse_args()
    os.environ.setdefault("MNIST_ROOT", str(ROOT.parent / "shared" / "mnist"))
    from playwright.sync_api import sync_playwright

    with serve(timeout=240, log=Path(args.log) if args.log else None) as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        print("| page | press to status in view | estimate | took | longest task training | idle page, as long |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, context in (("desktop 1366x900", DESKTOP), ("phone 390x844", PHONE)):
            page = open_train_tab(browser, url, context)
            if args.train_size != 60000:
                set_train_size(page, args.train_size)
            r = run(page, "#train", "Done", 600)
            print(f"| {name} | {r['status']:.2f} s | {r['promised']:.0f} s | {r['took']:.1f} s | "
                  f"{r['longest']:.0f} ms | {r['idle']:.0f} ms |", flush=True)
            if name.startswith("desktop"):
                s = stop(page)
                print(f"\nStop: 'Stopping…' after {s['stopping']:.2f} s, the stopped result after {s['stopped']:.2f} s: "
                      f"{s['text'].splitlines()[0]}\n", flush=True)
            if args.experiment and name.startswith("desktop"):
                r = run(page, "#exp-cells", "Done", 900)
                print(f"| RNN vs LSTM ({name}) | {r['status']:.2f} s | {r['promised']:.0f} s | {r['took']:.1f} s | "
                      f"{r['longest']:.0f} ms | {r['idle']:.0f} ms |\n\n{r['text']}\n", flush=True)
            page.context.close()
        browser.close()


if __name__ == "__main__":
    main()
