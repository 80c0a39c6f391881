"""A newcomer's first minute, timed in a real browser (Debian's Chromium, headless) against `python app.py`:

- a Chinese browser: the page's tabs and title in Chinese from their first paint, and when that paint came;
- the language switch: from the click to the last translated text on the page (tabs, title, the canvas's words,
  the answer's caption, the example strip), each way, median of `--switches`;
- How it works' Play: every row shown in order, and how long the 28 rows take (the set pace is 120 ms a row).

    python benchmarks/walk.py [--switches 5]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import launch_chromium, serve  # noqa: E402

# Started just before the click: the time to the frame in which every watched text is in the other language (told
# by whether they hold Chinese characters), in window.switchMs.
SWITCHED = """(zh) => {
  window.switchMs = null;
  const t0 = performance.now(), han = /[\\u4e00-\\u9fff]/;
  const texts = () => [document.querySelector('[role=tab]'), document.querySelector('h1'),
                       document.querySelector('.rbr-hint'), document.querySelector('#caption'),
                       document.querySelector('.rbr-strip-title')].map(e => e?.innerText ?? '');
  const check = () => texts().every(t => han.test(t) === zh) ? (window.switchMs = performance.now() - t0)
                                                               : requestAnimationFrame(check);
  check();
}"""
FIRST_PAINT = """() => new Promise(done => {
  const check = () => {
    const tab = document.querySelector('[role=tab]');
    if (tab && tab.innerText) done({ms: performance.now(), tabs: [...document.querySelectorAll('[role=tab]')]
                                     .map(t => t.innerText), title: document.title});
    else requestAnimationFrame(check);
  };
  check();
})"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--switches", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with serve() as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        zh = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
        zh.goto(url, wait_until="commit")
        first = zh.evaluate(FIRST_PAINT)
        print(f"zh-CN browser, first paint of the tabs at {first['ms']:.0f} ms: {first['tabs']}, "
              f"title {first['title']!r}")
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        page.locator("#canvas .rbr-pad[data-ready]").wait_for(state="attached")
        page.locator(".rbr-example").first.click()
        time.sleep(3)
        times = {"中文": [], "English": []}
        for _ in range(args.switches):
            for lang in times:
                button = page.locator("#language").get_by_text(lang)
                page.evaluate(SWITCHED, lang == "中文")
                button.click()
                page.wait_for_function("window.switchMs !== null", timeout=30_000)
                times[lang].append(page.evaluate("window.switchMs"))
                time.sleep(1)
        for lang, ms in times.items():
            print(f"switch to {lang}: to the last translated text, median {statistics.median(ms):.0f} ms, "
                  f"worst {max(ms):.0f} ms ({len(ms)} switches)")
        page.get_by_role("tab", name="How it works").click()
        time.sleep(2)
        page.evaluate("""() => {
          window.rows = [];
          new MutationObserver(() => window.rows.push([performance.now(),
            Number(document.querySelector('.rbr-row-value').textContent)]))
            .observe(document.querySelector('.rbr-row-value'), {childList: true, characterData: true, subtree: true});
        }""")
        page.locator("#play").click()
        page.wait_for_function("document.querySelector('#play').textContent.includes('Pause')", timeout=20_000)
        page.wait_for_function("document.querySelector('#play').textContent.includes('Play')", timeout=20_000)
        rows = page.evaluate("window.rows")
        shown = [r for i, (_, r) in enumerate(rows) if i == 0 or r != rows[i - 1][1]]
        print(f"Play: rows shown {shown[0]}..{shown[-1]}, in order and none skipped: {shown == list(range(1, 29))}, "
              f"{(rows[-1][0] - rows[0][0]) / 1000:.2f} s for 28 rows")
        browser.close()


if __name__ == "__main__":
    main()
