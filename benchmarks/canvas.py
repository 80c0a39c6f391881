"""The Draw tab in a real browser (Debian's Chromium, headless, driven by Playwright), as a person draws:

- pointer move to the answer changed on the page (the DOM updated, and the next frame), and what the page sends
  while drawing and at pen-up; beside it, in the same run, the floor of any answer that goes through the server:
  a do-nothing Gradio app whose canvas value goes to a handler that returns a constant label;
- held-out digits (tests/drawn.py's strokes, never trained on) drawn with the mouse: read right, and read as the same
  drawing through preprocess.to_mnist and torch (the server's pipeline) reads it;
- Gradio's cache before and after 2,000 settled drawings (an example started, a stroke, Undo: each a settle);
- page weight: every byte the page loads until it can read a drawing, against the app at another commit
  (`--against REV`, checked out to a temporary worktree).

    python benchmarks/canvas.py [--moves 300] [--digits 300] [--settles 2000] [--against c0e883f]
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import preprocess  # noqa: E402
from checkpoint import load_pretrained  # noqa: E402
from tests.conftest import launch_chromium, serve  # noqa: E402
from tests.drawn import CANVAS, strokes  # noqa: E402

# The floor of an answer through the server: a canvas of the same kind (gr.HTML) whose value, set on every pointer
# move to the move's time, goes to a handler that only sends it back as the label (so each answer names its move).
ROUND_TRIP_APP = """
import gradio as gr
JS = '''
const c = element.querySelector('canvas');
c.addEventListener('pointermove', e => { if (e.buttons) props.value = String(e.timeStamp); });
'''
with gr.Blocks() as demo:
    pad = gr.HTML('', html_template='<canvas style="width:440px;height:440px;touch-action:none"></canvas>',
                  js_on_load=JS, elem_id="canvas")
    label = gr.Label(elem_id="prediction")
    pad.change(lambda v: {v: 1.0}, pad, label, trigger_mode="always_last")
demo.queue().launch()
"""
# In the page, for each answer: the pointer move it answers (the event's time: the round-trip app's label names it,
# the app answers each move at once), when our code began (the first pointermove listener), when the answer's DOM
# changed, and when the next frame began after that.
WATCH = """() => {
  window.answers = [];
  let move = null, began = null;
  document.querySelector('#canvas canvas').addEventListener('pointermove', e => {
    move = e.timeStamp; began = performance.now();
  }, {capture: true});
  new MutationObserver(() => {
    const t = performance.now();
    const named = parseFloat(document.querySelector('#prediction h2, #prediction .output-class')?.textContent ?? '');
    const answer = Number.isFinite(named) ? {move: named, began: null, dom: t} : {move, began, dom: t};
    move = null;
    if (answer.move === null) return;
    window.answers.push(answer);
    requestAnimationFrame(() => { answer.frame = performance.now(); });
  }).observe(document.querySelector('#prediction'), {subtree: true, childList: true, characterData: true});
}"""
ONE = [(0.5, 0.15 + 0.7 * i / 40) for i in range(41)]


def stroke(page, points, pause: float = 0.0) -> None:
    """A mouse stroke through unit-square points on the page's canvas."""
    box = page.locator("#canvas canvas").bounding_box()
    xy = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y)
        time.sleep(pause)
    page.mouse.up()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url)
    page.locator("#canvas canvas").wait_for()
    time.sleep(3)  # the page laid out, the model fetched
    return page


def move_latency(page, strokes: int) -> dict:
    """Per answered pointer move: ms from the move to the answer's DOM changing and to the next frame, and from our
    code's start to the DOM; the requests sent while drawing and at pen-up."""
    page.evaluate(WATCH)
    sent = []
    page.on("request", lambda r: sent.append(r.url))
    for _ in range(strokes):
        stroke(page, ONE, pause=0.02)
        time.sleep(0.5)
    answers = [a for a in page.evaluate("window.answers") if "frame" in a]
    return {"answers": len(answers), "dom": [a["dom"] - a["move"] for a in answers],
            "frame": [a["frame"] - a["move"] for a in answers],
            "ours": [a["dom"] - a["began"] for a in answers if a["began"] is not None], "requests": len(sent)}


def torch_reading(lines: list[np.ndarray], width: float, lstm) -> int:
    """What the server's pipeline reads the same strokes as: drawn on an 800x800 picture, to_mnist, torch."""
    img = Image.new("L", (CANVAS, CANVAS), 255)
    draw, r = ImageDraw.Draw(img), width / 2
    for line in lines:
        pts = [tuple(map(float, q)) for q in line]
        draw.line(pts, fill=0, width=max(1, round(width)), joint="curve")
        for x, y in (pts[0], pts[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    with torch.inference_mode():
        return int(lstm(torch.from_numpy(preprocess.to_mnist(np.asarray(img)))[None]).argmax())


def accuracy(page, n: int, seed: int = 2026) -> dict:
    """Held-out digits drawn with the mouse: read right, and read as the server's pipeline reads the same strokes."""
    rng, lstm = np.random.default_rng(seed), load_pretrained("lstm")
    right = same = 0
    wrong = []
    for i in range(n):
        digit = i % 10
        lines, width, height = strokes(digit, rng)
        while height < 0.35 * CANVAS:  # people draw big on a canvas that asks for it: 35% to 90% of its height
            lines, width, height = strokes(digit, rng)
        page.locator("#canvas .rbr-clear").click()
        for polyline in lines:
            stroke(page, [tuple(p / CANVAS) for p in polyline[:: max(1, len(polyline) // 40)]]
                   + [tuple(polyline[-1] / CANVAS)])
        got = page.locator("#prediction [data-testid=label-output-value]").inner_text().strip()
        right += got == str(digit)
        same += got == str(torch_reading(lines, width, lstm))
        if got != str(digit):
            wrong.append((digit, got))
        if (i + 1) % 50 == 0:
            print(f"  {i + 1} digits drawn, {right} read right, {same} as the server's pipeline", flush=True)
    return {"right": right / n, "same": same / n, "wrong": wrong}


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def settles(page, cache: Path, n: int) -> tuple[int, int]:
    """Gradio's cache in bytes before and after n settled drawings."""
    before = folder_bytes(cache)
    for i in range(0, n, 3):  # an example, a stroke on it, Undo: three settles
        page.get_by_role("button", name=f"Start from an MNIST test digit: {'7210495638'[i // 3 % 10]}").click()
        stroke(page, [(0.3, 0.5), (0.7, 0.5)])
        page.locator("#canvas .rbr-undo").click()
    time.sleep(1)
    return before, folder_bytes(cache)


def page_weight(browser, url: str) -> int:
    """Bytes on the wire while the page loads, until it can read a drawing (the model fetched) and goes quiet."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    total = []
    cdp.on("Network.loadingFinished", lambda e: total.append(e["encodedDataLength"]))
    page.goto(url)
    page.locator("#canvas canvas").wait_for()
    time.sleep(6)
    page.close()
    return sum(total)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=20, help="one-second strokes per app for the move latency (0: skip)")
    ap.add_argument("--digits", type=int, default=300, help="held-out digits drawn with the mouse (0: skip)")
    ap.add_argument("--settles", type=int, default=2000, help="settled drawings for the cache figure (0: skip)")
    ap.add_argument("--against", default="", help="a commit whose page weight to measure beside (empty: skip)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    cache = Path(tempfile.mkdtemp(prefix="gradio-cache-"))
    floor_app = Path(tempfile.mkdtemp()) / "round_trip_app.py"
    floor_app.write_text(ROUND_TRIP_APP)
    with serve(env={"GRADIO_TEMP_DIR": str(cache)}) as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        page = open_page(browser, url)
        if args.moves:
            with serve(floor_app) as (floor_url, _):
                floor = open_page(browser, floor_url)
                ours, base = move_latency(page, args.moves), move_latency(floor, args.moves)
            print("| app | answers | move to the answer in the DOM, p50 | p95 | move to the next frame, p50 | p95 "
                  "| our code, p50 | requests while drawing and at pen-up |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- |")
            for name, r in (("app.py (read in the page)", ours), ("do-nothing server round trip", base)):
                q = lambda v, k: f"{np.percentile(v, k):.1f} ms" if v else "-"  # noqa: E731
                print(f"| {name} | {r['answers']} | {q(r['dom'], 50)} | {q(r['dom'], 95)} | {q(r['frame'], 50)} "
                      f"| {q(r['frame'], 95)} | {q(r['ours'], 50)} | {r['requests']} |")
            print(f"\nmove to the next frame, p50 ratio app / round-trip floor: "
                  f"**{statistics.median(ours['frame']) / statistics.median(base['frame']):.3f}**")
        if args.digits:
            r = accuracy(page, args.digits)
            print(f"\nheld-out digits drawn with the mouse: **{r['right']:.1%}** of {args.digits} read right, "
                  f"**{r['same']:.1%}** read as the server's pipeline reads the same strokes; misread: {r['wrong']}")
        if args.settles:
            before, after = settles(page, cache, args.settles)
            print(f"\nGradio's cache: {before:,} bytes before, {after:,} after {args.settles:,} settled drawings "
                  f"(+{after - before:,})")
        if args.against:
            worktree = Path(tempfile.mkdtemp(prefix="against-")) / "app"
            subprocess.run(["git", "worktree", "add", "-f", "--detach", str(worktree), args.against], cwd=ROOT,
                           check=True, capture_output=True)
            try:
                with serve(worktree / "app.py", env={"PYTHONPATH": str(worktree)}) as (old_url, _):
                    weights = {"app.py": page_weight(browser, url), args.against: page_weight(browser, old_url)}
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, capture_output=True)
            print(f"\npage weight: {weights['app.py']:,} bytes now, {weights[args.against]:,} at {args.against} "
                  f"({weights['app.py'] - weights[args.against]:+,})")
        browser.close()


if __name__ == "__main__":
    main()
