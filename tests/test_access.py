"""Everyone can use it (issue 32): drawing from the keyboard alone, every view's numbers as text a screen reader
walks, and axe-core's WCAG 2.1 AA rules on every tab, in both languages, on a desktop and a phone. Few page loads:
each test walks a whole page."""
import re
import time

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS
from test_browser import DESKTOP, LIBRARY, PHONE, answer, open_app

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
    x = page.evaluate(f"async () => Array.from({LIBRARY}.reader.state.x)")
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
    for group in ("#reader", "#language"):  # a radio group's focus is seen, not only its choice
        page.locator(f"{group} input:checked").focus()
        outline = page.locator(f"{group} label:has(input:focus)").evaluate("e => getComputedStyle(e).outlineStyle")
        assert outline not in ("none", ""), group
    context.close()
    assert not page.errors, page.errors


def table(page, view: str) -> list[list[str]]:
    """The first table of a view's numbers, opened as a visitor would open it: its rows' cells as text."""
    details = page.locator(f"{view} details.rbr-numbers").first
    details.locator("summary").click()
    rows = details.locator("table").first.locator("tbody tr")
    expect(rows.first).to_be_visible()
    return rows.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")


def test_every_view_has_its_numbers_as_text_that_match_the_picture(browser, server, mnist):
    """A screen reader's walk: each picture's <details> holds a table with the numbers the picture shows."""
    from test_train_page import train_tab

    context = browser.new_context(**DESKTOP)
    page = open_app(context, server)
    page.locator(".rbr-example").first.click()  # MNIST's first test digit, a 7
    expect(answer(page)).to_have_text("7", timeout=15_000)
    shown = page.locator("#prediction .rbr-bar-value").first.inner_text()
    rows = table(page, "#reading")
    assert len(rows) == 28 and rows[-1][3:5] == ["7", shown], rows[-1]  # row 28: the answer, as the bars show it
    probs = page.evaluate(f"async () => Array.from({LIBRARY}.reader.trace('lstm').probs)")
    for r in (0, 11, 27):  # "row 12: mostly 7, 61%": the belief picture's numbers, row by row
        p = probs[r * 10:r * 10 + 10]
        assert rows[r][3] == str(p.index(max(p))) and rows[r][4] == f"{round(max(p) * 100)}%", (r, rows[r])

    page.get_by_role("tab", name="How it works").click()
    expect(page.locator("#memory-caption .rbr-words")).to_contain_text("LSTM", timeout=30_000)
    gates = table(page, "#inside-view")
    head = page.locator("#inside-view details.rbr-numbers th[scope=col]").all_inner_texts()
    assert len(gates) == 28 and head[1].startswith("f") and gates[-1][-2] == "7", (head, gates[-1])
    decided = table(page, "#decided")
    assert len(decided) == 28 and all(re.fullmatch(r"[−+]?\d+\.\d", v) for row in decided for v in row[2:])
    memory = table(page, "#memory-caption")
    memory_head = page.locator("#memory-caption th[scope=col]").all_inner_texts()
    kept = re.search(r"LSTM's h: (\d+)%", page.locator("#memory-caption .rbr-words").inner_text()).group(1)
    assert memory[-1][0] == "28" and memory[-1][memory_head.index("LSTM h")] == f"{kept}%"  # as the caption says
    grad = table(page, "#grad-caption")
    assert len(grad) == 28 and all(v == "0.00" for v in grad[-1][1:])  # relative to row 28: 0 there, as drawn
    page.screenshot(path=str(ARTIFACTS / "numbers-inside.png"), full_page=True)

    train_tab(page, 1000)
    page.locator("#train").click()
    expect(page.locator("#train-status")).to_contain_text("Done", timeout=180_000)
    loss = table(page, "#train-charts")
    tables = page.locator("#train-charts details.rbr-numbers table")
    expect(tables).to_have_count(3)
    acc = tables.nth(1).locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    assert loss[0][1] == acc[-1][1] == "1,024" and float(loss[0][2]) > 0  # 16 steps of 64 images, (loss, acc)
    grad_rows = tables.nth(2).locator("tbody tr")
    expect(grad_rows).to_have_count(28)
    assert grad_rows.last.locator("td").inner_text() == "0.00"
    context.close()
    assert not page.errors, page.errors


def test_axe_finds_no_wcag_aa_violation_on_any_tab_on_a_desktop_or_a_phone(browser, server):
    """axe-core, every WCAG 2.1 A and AA rule, on each tab with a drawing, its numbers opened: on a desktop in English
    and on a phone in Chinese (each language and each layout once; test_browser.py reads every text's contrast and
    size in both languages on both)."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for name, locale, viewport in (("desktop", "en-US", DESKTOP), ("phone", "zh-CN", PHONE)):
        context = browser.new_context(locale=locale, **viewport)
        page = open_app(context, server)
        page.locator(".rbr-example").first.click()
        expect(answer(page)).to_have_text("7", timeout=15_000)
        for tab in range(3):
            page.get_by_role("tab").nth(tab).click()
            time.sleep(2)  # the tab's server views arrive
            page.evaluate("() => document.querySelectorAll('details.rbr-numbers').forEach(d => { d.open = true; })")
            time.sleep(0.3)
            result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}}).response
            found += [(name, tab, v["id"], n["target"], n["failureSummary"][:160])
                      for v in result["violations"] for n in v["nodes"]]
        page.screenshot(path=str(ARTIFACTS / f"access-{name}-{locale}.png"), full_page=True)
        context.close()
    assert not found, "\n".join(map(str, found))
