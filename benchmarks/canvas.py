"""The Draw tab in a real browser (Debian's Chromium, headless, driven by Playwright), as a person draws with a mouse:

- pen-up to the final answer, for app.py's canvas and for a do-nothing Sketchpad -> Label app (Gradio's own drawing
  component: the floor any app built on it has), in the same browser and run, servers taking turns;
- how many answers arrive while a one-second stroke is drawn;
- held-out digits (tests/drawn.py's strokes, never trained on) drawn with the mouse on the canvas, read right.

    python benchmarks/canvas.py [--strokes 20] [--digits 300]
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import launch_chromium, serve  # noqa: E402
from tests.drawn import strokes  # noqa: E402

# Gradio's Sketchpad with a handler that does nothing but say which call it is (so every answer is new).
SKETCHPAD_APP = """
import itertools
import gradio as gr
calls = itertools.count()
with gr.Blocks() as demo:
    sketch = gr.Sketchpad(type="numpy", canvas_size=(448, 448), elem_id="sketch")
    label = gr.Label(elem_id="prediction")
    sketch.change(lambda s: {str(next(calls)): 1.0}, sketch, label, trigger_mode="always_last")
demo.queue().launch()
"""
# Every new answer in the page (the label's text or the reading picture changed), with its time.
WATCH = """() => {
  window.changes = [];
  let last = '';
  const note = () => {
    const now = [...document.querySelectorAll('#prediction .confidence-set, #prediction h2, #reading img')]
      .map(e => e.textContent + (e.getAttribute('src') || '')).join('|');
    if (now !== last) { last = now; window.changes.push(performance.now()); }
  };
  for (const id of ['#prediction', '#reading']) {
    const el = document.querySelector(id);
    if (el) new MutationObserver(note).observe(el, {subtree: true, childList: true, attributes: true,
                                                     characterData: true});
  }
}"""
ONE = [(0.5, 0.15 + 0.7 * i / 40) for i in range(41)]


def line(page, surface: str, points, pause: float) -> tuple[float, float]:
    """A mouse stroke through unit-square points on `surface`; (pen-down, pen-up) in the page's clock (ms)."""
    box = page.locator(surface).bounding_box()
    xy = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    down = page.evaluate("performance.now()")
    for x, y in xy[1:]:
        page.mouse.move(x, y)
        time.sleep(pause)
    up = page.evaluate("performance.now()")
    page.mouse.up()
    return down, up


def settle(page, quiet_ms: float = 1500, timeout_s: float = 8) -> None:
    """Wait until no answer has changed for quiet_ms."""
    t0 = time.time()
    while time.time() - t0 < timeout_s:
        if page.evaluate(f"performance.now() - (window.changes.at(-1) ?? 0) > {quiet_ms}"):
            return
        time.sleep(0.2)


def pen_up_latency(page, surface: str, clear) -> tuple[float, int, float]:
    """One stroke of a second or more: ms from pen-up to the last answer that followed (0 when the answer on screen
    at pen-up was already the final one), answers that arrived while drawing, and the stroke's length in ms."""
    clear()
    settle(page)
    page.evaluate("window.changes = []")
    down, up = line(page, surface, ONE, pause=1.0 / len(ONE))
    t0 = time.time()  # the Sketchpad answers up to a second or two after pen-up: wait for that, then for quiet
    while time.time() - t0 < 6 and not page.evaluate(f"window.changes.some(t => t > {up})"):
        time.sleep(0.05)
    settle(page, 1000)
    changes = page.evaluate("window.changes")
    after = [t for t in changes if t > up]
    return (max(after) - up if after else 0.0), sum(down < t < up for t in changes), up - down


def accuracy(page, n: int, seed: int = 2026) -> tuple[float, list[tuple[int, str]]]:
    """Held-out digits drawn with the mouse on the canvas: the share read right, and the misreads."""
    rng = np.random.default_rng(seed)
    wrong, right = [], 0
    for i in range(n):
        digit = i % 10
        lines, _, height = strokes(digit, rng)
        while height < 0.35 * 800:  # people draw big on a canvas that asks for it: 35% to 90% of its height
            lines, _, height = strokes(digit, rng)
        page.locator("#canvas .rbr-clear").click()
        settle(page, 400)
        for polyline in lines:
            points = [tuple(p / 800) for p in polyline[:: max(1, len(polyline) // 40)]] + [tuple(polyline[-1] / 800)]
            line(page, "#canvas canvas", points, pause=0)
        settle(page, 700)
        got = page.locator("#prediction [data-testid=label-output-value]").inner_text().strip()
        right += got == str(digit)
        if got != str(digit):
            wrong.append((digit, got))
        if (i + 1) % 50 == 0:
            print(f"  {i + 1} digits drawn, {right} read right", flush=True)
    return right / n, wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--strokes", type=int, default=20, help="one-second strokes per app")
    ap.add_argument("--digits", type=int, default=300, help="held-out digits drawn on the canvas (0: skip)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    floor_app = Path(tempfile.mkdtemp()) / "sketchpad_app.py"
    floor_app.write_text(SKETCHPAD_APP)
    with serve() as (app_url, _), serve(floor_app) as (floor_url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        app = browser.new_page(viewport={"width": 1366, "height": 900})
        app.goto(app_url)
        app.locator("#canvas canvas").wait_for()
        floor = browser.new_page(viewport={"width": 1366, "height": 900})
        floor.goto(floor_url)
        floor.locator("#sketch canvas").first.wait_for()
        for page in (app, floor):
            time.sleep(2)
            page.evaluate(WATCH)

        def clear_app():
            app.locator("#canvas .rbr-clear").click()

        def clear_floor():  # the Sketchpad's own clear, then its brush (it has no tool chosen after a clear)
            floor.locator('#sketch button[aria-label="Clear canvas"]').click()
            brush = floor.locator('#sketch button[aria-label="Brush"]')
            if "selected" not in (brush.get_attribute("class") or "") and brush.get_attribute("aria-pressed") != "true":
                brush.click()

        if args.strokes:
            apps = [("app.py canvas", app, "#canvas canvas", clear_app),
                    ("do-nothing Sketchpad app", floor, "#sketch canvas >> nth=0", clear_floor)]
            results = {name: [] for name, *_ in apps}
            for i in range(args.strokes):  # the two apps take turns, so both see the same background load
                for name, page, surface, clear in apps if i % 2 == 0 else apps[::-1]:
                    results[name].append(pen_up_latency(page, surface, clear))
            print("| app | pen-up to final answer, p50 | p90 | answers while the pen moved, median | stroke length, median |")
            print("| --- | --- | --- | --- | --- |")
            for name, r in results.items():
                lat = [x for x, _, _ in r]
                print(f"| {name} | {statistics.median(lat):.0f} ms | {np.percentile(lat, 90):.0f} ms "
                      f"| {statistics.median(d for _, d, _ in r):.0f} | {statistics.median(s for _, _, s in r):.0f} ms |")
            ratio = statistics.median(x for x, _, _ in results["app.py canvas"]) / statistics.median(
                x for x, _, _ in results["do-nothing Sketchpad app"])
            print(f"\npen-up to final answer, p50 ratio app / Sketchpad floor: **{ratio:.3f}** ({args.strokes} strokes each)")
        if args.digits:
            acc, wrong = accuracy(app, args.digits)
            print(f"\nheld-out digits drawn with the mouse on the canvas: **{acc:.1%}** of {args.digits} read right; "
                  f"misread (true, read): {wrong}")
        browser.close()


if __name__ == "__main__":
    main()
