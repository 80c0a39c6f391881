"""The guided lesson walked in a real Chromium as a new user would, timed: every step's actions as the page really
takes them (its views drawn, its question answered and checked, the run's question answered by a press of Train
and its check), plus a reader's pauses: the words the panel shows at each step (before and after the answer) at
ui/lesson.py's WORDS_PER_MINUTE, and LOOK_S looking at each step's view. The pauses are added, not slept: the
figure is the same and the script takes a minute or two.

    MNIST_ROOT=../shared/mnist python benchmarks/lesson_walk.py [--langs en zh]
"""
import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the browser tests' helpers import conftest by name

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.conftest import launch_chromium, serve  # noqa: E402
from tests.test_browser import DESKTOP, SEVEN, open_app, stroke  # noqa: E402
from ui import lesson  # noqa: E402

WAIT = 120_000  # ms: the longest a step's page may take (a run to its check, on a busy machine)
PANEL = ".rbr-lesson-panel"


def shown_words(page, parts: str) -> str:
    """The words of the lesson panel's `parts` (CSS selectors) as shown now."""
    return page.locator(PANEL).evaluate(f"p => Array.from(p.querySelectorAll({parts!r})).map(e => e.innerText).join(' ')")


STEP = ".rbr-lesson-title, .rbr-lesson-body, .rbr-lesson-ask:not([hidden]) legend, .rbr-lesson-ask:not([hidden]) label"
ANSWER = ".rbr-lesson-result, .rbr-lesson-tally > p"  # once answered: why, and at the end the tally's sentence


def walk(page) -> list[dict]:
    """The lesson from its start button to Finish; each step's actions (seconds, measured) and words read."""
    steps = []
    page.locator(".rbr-lesson-start").click()
    for i, step in enumerate(lesson.STEPS):
        t0 = time.perf_counter()
        expect(page.locator(f"{PANEL} .rbr-lesson-count")).to_contain_text(str(i + 1), timeout=WAIT)
        if step["ask"]:
            expect(page.locator(f"{PANEL} .rbr-lesson-choice input").first).to_be_enabled(timeout=WAIT)
            page.locator(f"{PANEL} .rbr-lesson-choice").first.click()
            page.locator(f"{PANEL} .rbr-lesson-check").click()
            if step.get("after"):  # the run's question: press Train, the answer at its check
                page.locator("#train").click()
            expect(page.locator(f"{PANEL} .rbr-lesson-result")).to_contain_text(re.compile("[✓✗]"), timeout=WAIT)
            if step.get("after"):
                page.locator("#stop").click()
        expect(page.locator(f"#{step['view']}")).to_have_class(re.compile("rbr-lesson-focus"), timeout=WAIT)
        waited = time.perf_counter() - t0
        clicks = 1 + (3 if step.get("after") else 2 if step["ask"] else 0)  # Next; a choice and Check; Train
        steps.append({"step": step["key"], "page_s": waited, "clicks": clicks,
                      "read": shown_words(page, STEP) + " " + shown_words(page, ANSWER)})
        page.locator(f"{PANEL} .rbr-lesson-next").click()  # Next, or Finish
    return steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--langs", nargs="+", default=["en", "zh"])
    args = parser.parse_args()
    with serve() as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        for lang in args.langs:
            context = browser.new_context(**DESKTOP)
            page = open_app(context, f"{url}?lang={lang}")
            stroke(page, SEVEN)
            expect(page.locator(".rbr-lesson-start")).to_be_visible(timeout=WAIT)
            steps = walk(page)
            context.close()
            print(f"\n{lang}: step | the page's time, measured (s) | clicks | words read | reading (s) | looking (s)")
            total = lesson.ACTION_S  # the start button
            for s in steps:
                reading = lesson.reading_seconds(s["read"])
                total += s["page_s"] + s["clicks"] * lesson.ACTION_S + reading + lesson.LOOK_S
                print(f"{s['step']:8} | {s['page_s']:5.1f} | {s['clicks']} | {lesson.reading_units(s['read']):4d} | "
                      f"{reading:5.1f} | {lesson.LOOK_S}")
            print(f"{lang}: the lesson in {total / 60:.1f} min ({sum(s['page_s'] for s in steps):.0f} s of it the "
                  f"page's own time, measured; reading at {lesson.WORDS_PER_MINUTE} words or characters a minute, "
                  f"{lesson.ACTION_S} s a click)")
        browser.close()


if __name__ == "__main__":
    main()
