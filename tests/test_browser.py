"""The app in a real browser: Debian's Chromium driven by Playwright, drawing with the mouse."""
import os
import time
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install -y chromium (.ci/run does)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server)
    page.wait_for_selector("#sketch canvas", timeout=30_000)
    return page


def stroke(page, points):
    """One mouse stroke through points given in the canvas's unit box, a few dozen moves long."""
    box = page.locator("#sketch canvas").first.bounding_box()
    xy = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=6)
    page.mouse.up()


def settled_label(page, want: str, timeout: float = 30) -> str:
    """The predicted label once it stops changing (answers arrive a stroke late in software rendering)."""
    deadline, text = time.time() + timeout, ""
    while time.time() < deadline:
        text = page.locator("#prediction h2, #prediction .output-class").first.inner_text().strip()
        if text == want:
            return text
        time.sleep(0.5)
    return text


def clear(page):
    page.locator("#clear").wait_for(state="visible")
    page.locator("#clear").click()
    page.wait_for_function("() => document.querySelector('#caption').innerText.includes('Draw a digit')")


def test_draw_a_one_and_a_zero(page):
    assert "Draw a digit" in page.locator("#caption").inner_text()
    stroke(page, [(0.5, 0.15 + 0.7 * i / 10) for i in range(11)])
    assert settled_label(page, "1") == "1"
    img = page.locator("#reading img")
    assert img.evaluate("i => i.complete && i.naturalWidth") > 500  # the row-aligned heatmap arrived
    page.screenshot(path=str(ARTIFACTS / "draw-one.png"), full_page=True)

    clear(page)  # Clear must leave the brush ready: the next stroke draws without picking a tool
    import math
    stroke(page, [(0.5 + 0.22 * math.sin(2 * math.pi * i / 24), 0.5 - 0.33 * math.cos(2 * math.pi * i / 24)) for i in range(26)])
    assert settled_label(page, "0") == "0"
    assert "Read as **0**".replace("**", "") in page.locator("#caption").inner_text()
    page.screenshot(path=str(ARTIFACTS / "draw-zero.png"), full_page=True)


def test_train_a_small_run_and_see_the_curves(page, mnist):
    page.get_by_role("tab", name="Train").click()
    size = page.locator("#train-size input[type=number]")
    size.fill("2000")
    size.press("Enter")
    page.locator("#train").click()
    page.wait_for_function("() => document.querySelector('#train-status').innerText.includes('Done')", timeout=180_000)
    assert "on the full MNIST test set" in page.locator("#train-status").inner_text()
    page.locator("#loss-plot canvas, #loss-plot svg").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "train.png"), full_page=True)


def test_switch_model_open_how_it_works_and_switch_language(page):
    page.get_by_role("tab", name="Draw").click()
    clear(page)
    stroke(page, [(0.3, 0.2), (0.7, 0.2), (0.45, 0.85)])  # a 7: top bar, then the long diagonal
    settled_label(page, "7")
    page.locator("#reader").get_by_text("GRU", exact=True).click()
    page.wait_for_function("() => document.querySelector('#model-name').innerText.includes('GRU')")
    page.wait_for_function("() => document.querySelector('#caption').innerText.includes('The GRU')")
    page.locator("#reader").get_by_text("LSTM", exact=True).click()
    page.wait_for_function("() => document.querySelector('#caption').innerText.includes('The LSTM')")

    page.get_by_role("tab", name="How it works").click()
    page.wait_for_function("() => document.querySelector('#inside-caption').innerText.includes('row 28')")
    assert page.locator("#inside img").evaluate("i => i.complete && i.naturalWidth") > 900  # six panels
    page.locator("#grad-digit canvas, #grad-digit svg").first.wait_for(timeout=30_000)
    slider = page.locator("#row input[type=number]")
    slider.fill("9")
    slider.press("Enter")
    page.wait_for_function("() => document.querySelector('#inside-caption').innerText.includes('row 9')")
    page.screenshot(path=str(ARTIFACTS / "how-it-works.png"), full_page=True)

    page.locator("#language").get_by_text("中文").click()
    page.get_by_role("tab", name="原理").wait_for(timeout=30_000)
    page.get_by_role("tab", name="手写").click()
    page.wait_for_function("() => document.querySelector('#caption').innerText.includes('识别为')")
    page.screenshot(path=str(ARTIFACTS / "draw-zh.png"), full_page=True)
    page.get_by_role("tab", name="原理").click()
    page.wait_for_function("() => document.querySelector('#inside-caption').innerText.includes('读完')")
    page.screenshot(path=str(ARTIFACTS / "how-it-works-zh.png"), full_page=True)
    page.locator("#language").get_by_text("English").click()
    page.get_by_role("tab", name="How it works").wait_for(timeout=30_000)


def test_a_chinese_browser_gets_chinese_and_can_draw_and_clear(browser, server):
    """Language from the browser; the brush and Clear work with Gradio's own buttons in Chinese too."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(server)
        page.get_by_role("tab", name="原理").wait_for(timeout=30_000)  # switched to Chinese on load
        for _ in range(2):  # clearing twice: the second clear is the one that once did nothing
            stroke(page, [(0.5, 0.15 + 0.7 * i / 10) for i in range(11)])
            assert settled_label(page, "1") == "1"
            page.wait_for_function("() => document.querySelector('#caption').innerText.includes('识别为')")
            page.locator("#clear").click()
            page.wait_for_function("() => document.querySelector('#caption').innerText.includes('写一个数字')")
        page.screenshot(path=str(ARTIFACTS / "draw-zh-browser.png"), full_page=True)
    finally:
        context.close()


def test_a_second_visitor_sees_their_place_in_the_training_queue(browser, server, mnist):
    """One training at a time: while one visitor trains, another's Train shows a queue position."""
    first, second = (browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(2))
    try:
        for page in (first, second):
            page.goto(server)
            page.get_by_role("tab", name="Train").click()
        first.locator("#train").click()  # the full original recipe: several seconds here
        first.wait_for_function("() => document.querySelector('#train-status').innerText.includes('images/s')",
                                timeout=60_000)
        second.locator("#train").click()
        second.wait_for_function("() => /queue/i.test(document.querySelector('#train-status').innerText)",
                                 timeout=10_000)
        second.screenshot(path=str(ARTIFACTS / "train-queued.png"), full_page=True)
        first.locator("#stop").click()
        second.wait_for_function("() => document.querySelector('#train-status').innerText.includes('images/s')",
                                 timeout=60_000)  # its turn came
        second.locator("#stop").click()
    finally:
        first.close()
        second.close()
