"""Does the Draw tab keep reading drawings while the server teaches a visitor's model? In a real browser (Debian's
Chromium, headless, driven by Playwright) on `python app.py`: pointer move to the answer changed on the page, for
one-second strokes drawn while nothing else happens, and for the same strokes drawn while a correction is being
taught and checked (teacher.teach, then teacher.held_out_reading and the forgetting meter: the server's CPU busy on the
same two cores as the browser); the ratio of the two, in the same run. Also, from each click on a digit: until the
page reads with the taught model, and until the panel has checked it.

    MNIST_ROOT=../shared/mnist python benchmarks/teach_page.py [--rounds 6] [--strokes 8]
"""
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.canvas import ONE, WATCH, open_page, stroke  # noqa: E402
from tests.conftest import launch_chromium, serve  # noqa: E402

# Corrections to start from: digits written mirrored (the shipped LSTM misreads them), and where they go.
MIRRORED = {
    7: [[(0.75 - 0.5 * i / 10, 0.2) for i in range(11)] + [(0.25 + 0.3 * i / 20, 0.2 + 0.65 * i / 20) for i in range(21)]],
    3: [[(0.7 - 0.4 * math.sin(math.pi * i / 12), 0.15 + 0.35 * i / 12) for i in range(13)],
        [(0.7 - 0.45 * math.sin(math.pi * i / 12), 0.5 + 0.35 * i / 12) for i in range(13)]],
    2: [[(0.75, 0.3), (0.6, 0.15), (0.4, 0.15), (0.28, 0.3), (0.35, 0.5), (0.75, 0.85), (0.25, 0.85)]],
    9: [[(0.3, 0.25), (0.45, 0.12), (0.62, 0.15), (0.7, 0.3), (0.6, 0.45), (0.4, 0.45), (0.3, 0.25), (0.3, 0.85)]],
}


# In the page: when a digit was clicked, and when the model's description changed (the taught model reading).
CLOCK = """() => {
  window.teachLog = [];
  document.querySelector('#teach').addEventListener('click', e => {
    if (e.target.closest('.rbr-teach-digit')) window.teachLog.push(['click', performance.now(), '']);
  }, {capture: true});
  const name = document.querySelector('#model-name');
  new MutationObserver(() => window.teachLog.push(['name', performance.now(), name.textContent]))
    .observe(name, {subtree: true, childList: true, characterData: true});
}"""


def correct(page, lines, label: int, slant: float = 0.0) -> None:
    """Draw `lines` (slanted by `slant`: each round a new drawing, not the same 28x28 again) and say it is `label`."""
    page.locator("#canvas .rbr-clear").click()
    for points in lines:
        stroke(page, [(x + slant * (0.5 - y), y) for x, y in points])
    page.locator(f"#teach .rbr-teach-digit[data-digit='{label}']").click()


def status(page) -> str:
    return page.locator("#teach .rbr-teach-status").inner_text()


def settled(page, n: int, timeout: float = 120) -> None:
    """Wait until the panel says the model taught on `n` corrections has been checked."""
    t0 = time.perf_counter()
    while not (status(page).startswith("✓") and "Checking" not in status(page)
               and f"corrections: {n}" in page.locator("#model-name").inner_text()):
        if time.perf_counter() - t0 > timeout:
            toasts = page.locator(".toast-body, [data-testid=toast-body]").all_inner_texts()
            raise RuntimeError(f"not taught in {timeout} s: {status(page)}; the page says: {toasts}")
        time.sleep(0.2)


def strokes_read(page, count: int, busy=None) -> tuple[list[float], int, int]:
    """Draw up to `count` one-second strokes of a 1 (fewer when `busy()` turns false first); ms from each answered
    move to the answer in the DOM, the strokes drawn, and how many ended read as 1 (by whichever model reads)."""
    page.evaluate("window.answers = []")
    drawn = ones = 0
    while drawn < count and (busy is None or busy()):
        page.locator("#canvas .rbr-clear").click()
        stroke(page, ONE, pause=0.02)
        drawn += 1
        ones += page.locator("#prediction [data-testid=label-output-value]").inner_text().strip() == "1"
    answers = [a["dom"] - a["move"] for a in page.evaluate("window.answers")]
    return answers, drawn, ones


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=6, help="corrections taught while strokes are drawn (at most 10)")
    ap.add_argument("--strokes", type=int, default=8, help="strokes drawn at most per round (idle: the same number)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with serve() as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        page = open_page(browser, url)
        for n, (label, lines) in enumerate(MIRRORED.items(), 1):  # four corrections: every check is 4 teach calls
            correct(page, lines, label)
            settled(page, n)
        page.evaluate(WATCH)
        page.evaluate(CLOCK)
        idle, busy, taught, reads = [], [], [], []
        drawn = {"idle": 0, "busy": 0}
        ones = {"idle": 0, "busy": 0}
        for r in range(args.rounds):
            answers, k, one = strokes_read(page, args.strokes)  # nothing going on
            idle += answers
            drawn["idle"] += k
            ones["idle"] += one
            n = len(MIRRORED) + r + 1
            label, lines = list(MIRRORED.items())[r % len(MIRRORED)]
            t0 = time.perf_counter()
            correct(page, lines, label, slant=0.035 * (r + 1) * (-1) ** r)  # a new drawing each round
            answers, k, one = strokes_read(page, args.strokes, busy=lambda: not (
                status(page).startswith("✓") and "Checking" not in status(page)
                and f"corrections: {n}" in page.locator("#model-name").inner_text()))
            settled(page, n)
            taught.append(time.perf_counter() - t0)
            log = page.evaluate("window.teachLog.splice(0)")
            click = max(t for kind, t, _ in log if kind == "click")
            reads.append(min(t for kind, t, words in log if kind == "name" and t > click
                             and f"corrections: {n})" in words) - click)
            busy += answers
            drawn["busy"] += k
            ones["busy"] += one
            print(f"  round {r + 1}: read by the taught model {reads[-1] / 1000:.1f} s after the click, checked after "
                  f"{taught[-1]:.1f} s; {k} strokes drawn meanwhile", flush=True)
        browser.close()

    q = lambda v, k: f"{np.percentile(v, k):.1f} ms"  # noqa: E731
    print("\n| while | strokes drawn | read as 1 at pen-up | answers | move to the answer in the DOM, p50 | p95 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, v, key in (("nothing else happens", idle, "idle"), ("a correction is taught and checked", busy, "busy")):
        print(f"| {name} | {drawn[key]} | {ones[key]} | {len(v)} | {q(v, 50)} | {q(v, 95)} |")
    print(f"\nper correction (5-{len(MIRRORED) + args.rounds} corrections), median: the taught model reading "
          f"{np.median(reads) / 1000:.1f} s after the click, checked {np.median(taught):.1f} s after it; "
          f"move to the answer while teaching / idle, p50: "
          f"**{np.median(busy) / np.median(idle):.2f}**, p95: {np.percentile(busy, 95) / np.percentile(idle, 95):.2f}")


if __name__ == "__main__":
    main()
