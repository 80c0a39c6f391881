"""What the maps of the memory cost the page per reading (How it works, in a real Chromium): for a drawing, each of
the three shipped models' path projected, said in words and drawn on its map (ui/js/memmap.js's figure), the
traces taken as given (the page computes them once per drawing for every view); and what the page sends meanwhile.

    python benchmarks/map_latency.py [--n 200]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the browser tests' helpers import conftest by name

from tests.conftest import launch_chromium, serve  # noqa: E402
from tests.test_browser import DESKTOP, SEVEN, answer, open_app, stroke  # noqa: E402

# In the page: the How-it-works view's work for one reading, n times over the same traces (each map's frame is
# built once, as in the app; each reading redraws the paths and words).
TIME = """async n => {
  const R = await import(document.getElementById('rbr-library').src), state = R.reader.state;
  const figs = Array.from(document.querySelectorAll('#memory-map .rbr-map'));
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    R.reader.drawing(state.items, true);  // a new reading: the views drawn again, the traces recomputed...
    for (const fig of figs) R.reader.trace(fig.dataset.key);  // ...outside the timing below
    document.body.offsetWidth;  // the page laid out after the reading's other views, outside the timing too
    const t1 = performance.now(), sizes = figs.map(R.memmap.sizeOf);
    figs.forEach((fig, k) => {
      const key = fig.dataset.key, spec = state.specs[key], trace = R.reader.trace(key);
      R.memmap.figure(fig, {map: spec.map, name: spec.label, h: trace.h, probs: trace.probs, words: '',
                            texts: window.mapTexts, colours: window.mapColours, size: sizes[k]});
    });
    times.push(performance.now() - t1);
  }
  return times;
}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    from playwright.sync_api import expect, sync_playwright

    import memory_map
    from texts import TEXTS
    from ui.live import MAP_TEXTS

    with serve() as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        page = open_app(browser.new_context(**DESKTOP), url)
        stroke(page, SEVEN)
        expect(answer(page)).to_have_text("7", timeout=15_000)
        page.get_by_role("tab", name="How it works").click()
        expect(page.locator("#memory-map .rbr-map-line")).to_have_count(3, timeout=15_000)
        page.evaluate("([t, c]) => { window.mapTexts = t; window.mapColours = c; }",
                      [{k: TEXTS["en"][k] for k in MAP_TEXTS}, memory_map.COLOURS])
        expect(page.locator("#grad-caption")).not_to_be_empty(timeout=60_000)  # the tab's own server views,
        time.sleep(1)  # asked for once when it opened, have all arrived
        sent = []
        page.on("request", lambda r: sent.append(r.url) if "/queue/join" in r.url else None)  # an event for the server
        page.evaluate(TIME, 20)  # warm
        times = sorted(page.evaluate(TIME, args.n))
        time.sleep(0.5)
        q = lambda f: times[min(len(times) - 1, int(f * len(times)))]  # noqa: E731
        print(f"three maps' paths, words and drawing per reading, {args.n} readings: median {statistics.median(times):.2f} ms, "
              f"p90 {q(0.9):.2f} ms, p99 {q(0.99):.2f} ms, max {times[-1]:.2f} ms; events sent to the server meanwhile: {len(sent)}")
        browser.close()


if __name__ == "__main__":
    main()
