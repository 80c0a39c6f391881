"""Everyone can use it (issue 32): drawing from the keyboard alone, every view's numbers as text a screen reader
walks, and axe-core's WCAG 2.1 AA rules on every tab, in both languages, on a desktop and a phone. Few page loads:
each test walks a whole page."""
import re
import time

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS
from test_browser import DESKTOP, PHONE, answer, open_app

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def keys(page, *presses: str) -> None:
    for key in presses:
        page.keyboard.press(key)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until `selector` has the focus (at most `limit` times)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with Tab")


def pen_to(page, col: int, row: int) -> None:
    """Move the keyboard's pen to grid cell (col, row) with arrow keys, from where it is now."""
    at = page.evaluate("""() => { const c = document.querySelector('#canvas .rbr-cursor');
      return [parseFloat(c.style.left), parseFloat(c.style.top)].map(v => Math.round(v / 100 * 28 - 0.5)); }""")
    keys(page, *(["ArrowRight" if col > at[0] else "ArrowLeft"] * abs(col - at[0])))
    keys(page, *(["ArrowDown" if row > at[1] else "ArrowUp"] * abs(row - at[1])))


def draw_seven(page) -> None:
    """A 7 from the keyboard: a bar across the top, then a staircase down to the left."""
    pen_to(page, 7, 5)
    keys(page, "Space", *["ArrowRight"] * 14)
    for i in range(19):
        keys(page, "ArrowDown", *(["ArrowLeft"] if i % 2 else []))
    keys(page, "Space")


def test_the_keyboard_alone_draws_a_7_and_a_1_and_hears_the_answer_once(browser, server):
    context = browser.new_context(**DESKTOP)
    page = open_app(context, server)
    page.evaluate("""() => { window.said = [];
      new MutationObserver(() => window.said.push(document.querySelector('#announce').textContent))
        .observe(document.querySelector('#announce'), {childList: true, characterData: true, subtree: true}); }""")
    tab_to(page, "#canvas canvas")
    expect(page.locator("#canvas .rbr-cursor")).to_be_visible()  # the pen shows where it is
    expect(page.locator("#rbr-keys")).to_contain_text("arrow keys")
    draw_seven(page)
    expect(answer(page)).to_have_text("7", timeout=15_000)
    expect(page.locator("#announce")).to_have_text(re.compile(r"^Read as 7, \d+%\.$"))
    assert len(page.evaluate("window.said")) == 1, page.evaluate("window.said")  # said once, at pen-up
    page.screenshot(path=str(ARTIFACTS / "keyboard-seven.png"))
    x = page.evaluate("Array.from(window.RowByRow.reader.state.x)")
    keys(page, "Delete")  # clear
    expect(page.locator("#announce")).to_have_text("The canvas is empty.")
    pen_to(page, 14, 4)
    keys(page, "Space", *["ArrowDown"] * 20, "Space")
    expect(answer(page)).to_have_text("1", timeout=15_000)
    expect(page.locator("#announce")).to_have_text(re.compile(r"^Read as 1"))
    keys(page, "Space", "ArrowRight", "ArrowRight", "Space", "Backspace")  # a dot, undone: the 1 alone again
    expect(answer(page)).to_have_text("1")
    # The value the server's views receive is the one the page read (the same path as a pointer's strokes).
    assert len(x) == 784 and max(x) > 0.9
    context.close()
    assert not page.errors, page.errors
