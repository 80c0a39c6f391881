"""The app in a real browser: Debian's Chromium driven by Playwright, drawing with the mouse and with a finger."""
import base64
import math
import re
import time

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS
from ui import inside

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
ONE = [(0.5, 0.15 + 0.7 * i / 30) for i in range(31)]
ZERO = [(0.5 + 0.22 * math.sin(2 * math.pi * i / 30), 0.5 - 0.33 * math.cos(2 * math.pi * i / 30)) for i in range(32)]
# The page's library in page.evaluate: its module (page.js, the one its views import; loaded once, so the same store).
LIBRARY = "(await import(document.getElementById('rbr-library').src))"
SEVEN = [(0.25 + 0.5 * i / 10, 0.2) for i in range(11)] + [(0.75 - 0.3 * i / 20, 0.2 + 0.65 * i / 20) for i in range(21)]


def open_app(context, url: str):
    """A page of the app, its pen ready to draw; errors in its console fail the test that opened it, its warnings
    are in `page.warnings`, `page.sent` lists every request it made and `page.refused` those answered 4xx or 5xx."""
    page = context.new_page()
    page.errors, page.warnings, page.sent, page.refused = [], [], [], []
    page.on("request", lambda r: page.sent.append(f"{r.method} {r.url}"))
    page.on("response", lambda r: page.refused.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 400
            else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else
            page.warnings.append(m.text) if m.type == "warning" else None)
    page.goto(url)
    expect(page.locator("#canvas .rbr-pad[data-ready]")).to_be_attached(timeout=30_000)
    canvas, boxes = page.locator("#canvas canvas"), []
    while len(boxes) < 3 or boxes[-1] != boxes[-3]:  # the page laid out: the canvas where the mouse will go
        boxes.append(canvas.bounding_box())
        time.sleep(0.1)
    return page


def answer(page):
    """The top class the Label shows."""
    return page.locator("#prediction [data-testid=label-output-value]")


def at(page, points):
    box = page.locator("#canvas canvas").bounding_box()
    return [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]


def stroke(page, points, pause: float = 0.0):
    """One mouse stroke through points given in the canvas's unit square; `pause` seconds between moves."""
    xy = at(page, points)
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=3)
        time.sleep(pause)
    page.mouse.up()


def touch_stroke(page, points, pause: float = 0.02):
    """One finger stroke, as a phone's touch screen sends it."""
    cdp = page.context.new_cdp_session(page)
    xy = at(page, points)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": xy[0][0], "y": xy[0][1]}]})
    for x, y in xy[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        time.sleep(pause)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def digit(page) -> list | None:
    """The 28x28 the page reads now (its reader's), and the canvas's value (what a server view would receive)."""
    return page.evaluate(f"async () => {{ const x = {LIBRARY}.reader.state.x; return x && Array.from(x); }}")


def watch_requests(page) -> list[str]:
    """Every request the page sends from now on (to the app's server or anywhere)."""
    sent = []
    page.on("request", lambda r: sent.append(r.url))
    return sent


def watch_answers(page):
    """Record (time, top class) in the page each time the answer changes."""
    page.evaluate("""() => {
      window.answers = [];
      const note = () => window.answers.push([performance.now(),
        document.querySelector('#prediction [data-testid=label-output-value]')?.innerText ?? '']);
      new MutationObserver(note).observe(document.querySelector('#prediction'), {subtree: true, childList: true,
                                                                               characterData: true});
    }""")


def test_a_mouse_stroke_is_read_in_the_page_while_it_is_drawn_without_a_request(page):
    expect(page.locator("#caption")).to_contain_text("Draw a digit")
    expect(page.get_by_role("application", name="Drawing surface: draw one digit here")).to_be_visible()  # named,
    expect(page.locator("#canvas canvas")).to_have_attribute("aria-describedby", "rbr-hint rbr-keys")  # its instruction
    expect(page.locator("#announce")).to_have_attribute("role", "status")  # the answer said once it settles
    expect(page.locator("#model-name")).to_contain_text("shipped LSTM")  # the model is in the page: it reads at once
    watch_answers(page)
    sent = watch_requests(page)
    xy = at(page, ONE)
    page.mouse.move(*xy[0])
    page.mouse.down()
    start = page.evaluate("performance.now()")
    for x, y in xy[1:]:  # a one-second stroke
        page.mouse.move(x, y, steps=2)
        time.sleep(0.03)
    up = page.evaluate("performance.now()")
    page.mouse.up()
    expect(answer(page)).to_have_text("1", timeout=15_000)
    during = [a for t, a in page.evaluate("window.answers") if start < t < up]
    assert up - start > 900 and len(during) >= 10, "the answer did not follow the pen"
    assert sent == [], sent  # nothing left the page: not while drawing, not at pen-up
    expect(page.locator("#reading .rbr-panels canvas")).to_have_count(3)  # x, h, p
    expect(page.locator("#reading .rbr-panels")).to_have_attribute("aria-label", re.compile("Row-aligned picture"))
    expect(page.locator("#caption")).to_contain_text("Read as 1")
    page.locator("#canvas .rbr-clear").focus()  # the answer is reached from the canvas's buttons with the keyboard
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "prediction":
            break
    assert page.evaluate("document.activeElement.id") == "prediction"
    page.screenshot(path=str(ARTIFACTS / "draw-one.png"), full_page=True)


def test_undo_removes_the_last_stroke_and_clear_empties_everything(page):
    stroke(page, ONE)
    expect(answer(page)).to_have_text("1", timeout=15_000)
    one = digit(page)
    stroke(page, [(0.2, 0.5), (0.8, 0.5)])  # a bar across: another drawing
    assert digit(page) != one
    page.locator("#canvas .rbr-undo").click()
    assert digit(page) == one  # exactly the earlier 28x28 and its reading
    expect(answer(page)).to_have_text("1")
    page.mouse.wheel(0, 3000)  # a visitor who read the views below, then came back up to the canvas
    page.mouse.wheel(0, -700)
    page.locator("#canvas .rbr-clear").click()
    expect(page.locator("#caption")).to_contain_text("Draw a digit", timeout=15_000)
    expect(answer(page)).to_have_count(0)
    expect(page.locator("#reading .rbr-row-picture")).to_be_hidden()
    blank = page.locator("#canvas canvas").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v > 0)")
    assert not blank and digit(page) is None  # no ink left on the canvas
    # And the pen still draws after a clear, the page scrolled as far down as it now goes: the first ink brings the
    # views below back, and the canvas must not move under the pen (the browser's scroll anchoring moved it).
    scrolled = page.evaluate("scrollY")
    stroke(page, ZERO)
    assert page.evaluate("scrollY") == scrolled > 0
    expect(answer(page)).to_have_text("0", timeout=15_000)


def test_an_example_click_is_read_at_once_and_can_be_drawn_on(page):
    examples = page.get_by_role("button", name="Start from an MNIST test digit: 7")
    expect(examples).to_have_count(1)
    examples.click()
    expect(answer(page)).to_have_text("7", timeout=15_000)
    before = digit(page)
    stroke(page, [(0.3, 0.55), (0.7, 0.55)])  # a bar through the 7: the drawing goes on from the example
    assert digit(page) != before
    expect(page.locator("#caption")).to_contain_text("Read as")
    page.locator("#canvas .rbr-undo").click()  # the bar goes, the example stays
    assert digit(page) == before


def test_a_finger_stroke_on_a_phone_is_read_and_the_answer_is_on_screen(browser, server):
    context = browser.new_context(**PHONE)
    try:
        page = open_app(context, server)
        canvas = page.locator("#canvas canvas")
        assert canvas.bounding_box()["width"] >= 0.85 * 390
        expect(page.locator("#model-name")).to_contain_text("LSTM", timeout=30_000)
        touch_stroke(page, ONE)
        expect(answer(page)).to_have_text("1", timeout=15_000)
        box = answer(page).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844  # seen without scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows sideways
        assert page.evaluate("window.scrollY") == 0  # drawing did not scroll the page
        panels = page.locator("#reading .rbr-panel").evaluate_all(
            "ps => ps.map(p => p.getBoundingClientRect().right)")
        assert len(panels) == 3 and max(panels) <= 390  # the whole row-by-row picture on the screen's width
        page.screenshot(path=str(ARTIFACTS / "phone-draw.png"), full_page=True)
    finally:
        context.close()


def test_share_copies_a_link_that_reopens_the_drawing_with_its_model_and_a_bad_link_says_so(browser, server):
    context = browser.new_context(**DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = open_app(context, server)
    stroke(page, SEVEN)
    expect(answer(page)).to_have_text("7", timeout=15_000)
    page.locator("#reader").get_by_text("GRU", exact=True).click()
    expect(page.locator("#caption")).to_contain_text("The GRU", timeout=15_000)
    page.locator("#share").click()
    expect(page.locator(".rbr-copied")).to_have_text("✓ Link copied")
    url = page.evaluate("navigator.clipboard.readText()")
    assert re.search(r"\?d=[\w-]+&m=gru&t=draw$", url) and url.startswith(server)
    expect(page.locator("#share-link")).to_have_value(url)  # shown too, to select by hand
    page.locator("#reader").get_by_text("LSTM", exact=True).click()  # another model: that link is not this one's
    expect(page.locator("#share-link")).to_be_hidden()
    expect(page.locator(".rbr-copied")).to_have_text("")

    reopened = open_app(context, url)
    expect(answer(reopened)).to_have_text("7", timeout=30_000)
    # Opened in the page: the page load's one event (the Train tab's session, made for each page) and no other.
    assert len([r for r in reopened.sent if r.startswith("POST")]) <= 1
    expect(reopened.locator("#reader input[value=gru]")).to_be_checked()
    expect(reopened.locator("#caption")).to_contain_text("The GRU")
    inked = reopened.locator("#canvas canvas").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 == 3 && v > 0).length")
    assert inked > 1000  # the drawing is on the canvas, to draw on further

    broken = open_app(context, server + "?d=not-a-drawing&m=gru")
    expect(broken.locator("#canvas .rbr-link-note")).to_contain_text("damaged", timeout=30_000)
    expect(broken.locator("#caption")).to_contain_text("Draw a digit")
    reopened.screenshot(path=str(ARTIFACTS / "shared-link.png"), full_page=True)
    context.close()


def row_slider(page, row: int):
    """Move How it works' row slider with the keyboard, as a person without a mouse would."""
    slider = page.locator("#row")
    slider.focus()
    page.keyboard.press("End")
    for _ in range(28 - row):
        page.keyboard.press("ArrowLeft")


def test_a_link_can_ask_for_a_language(page, server):
    page.goto(server + "?lang=zh")
    page.get_by_role("tab").first.wait_for()
    assert page.get_by_role("tab").first.inner_text() == "手写"
    expect(page.locator("#language input[value=zh]")).to_be_checked()


def test_switch_model_open_how_it_works_and_switch_language(page, mnist):  # its chart of test digits needs MNIST
    stroke(page, SEVEN)
    expect(answer(page)).to_have_text("7", timeout=15_000)
    page.locator("#reader").get_by_text("GRU", exact=True).click()
    expect(page.locator("#model-name")).to_contain_text("GRU", timeout=15_000)
    expect(page.locator("#caption")).to_contain_text("The GRU")
    page.locator("#reader").get_by_text("LSTM", exact=True).click()
    expect(page.locator("#caption")).to_contain_text("The LSTM", timeout=15_000)
    row = re.search(r"at row (\d+) of 28", page.locator("#caption").inner_text()).group(1)

    page.get_by_role("tab", name="How it works").click()
    lstm_map = page.locator("#memory-map .rbr-map[data-key=lstm]")  # the path on each model's map, side by side
    expect(page.locator("#memory-map .rbr-map-line")).to_have_count(3, timeout=15_000)
    expect(lstm_map.locator(".rbr-map-row")).to_have_count(28)
    expect(lstm_map).to_contain_text(f"The answer settled on 7 at row {row} (the dashed ring).")  # the Draw tab's row
    expect(lstm_map.locator("svg")).to_have_attribute("aria-label",
                                                      re.compile(r"path from row 1 to row 28\. On this map your 7"))
    expect(page.locator("#inside-caption")).to_contain_text("row 28", timeout=15_000)
    expect(page.locator("#inside canvas")).to_have_count(8)  # x, f, i, g, o, c, h, p
    expect(page.locator("#grad-digit svg")).to_be_visible(timeout=30_000)
    # The lesson's charts, drawn in the page: a line per series of the view's numbers, in the colours Python gave
    for chart, series in (("#memory-plot", inside.state_colours()), ("#grad-digit", inside.colours()),
                          ("#grad-test", inside.colours())):
        expect(page.locator(f"{chart} polyline")).to_have_count(len(series), timeout=30_000)
        strokes = page.locator(f"{chart} polyline").evaluate_all("ps => ps.map(p => p.getAttribute('stroke'))")
        assert sorted(strokes) == sorted(series.values()), chart
    row_slider(page, 9)
    expect(page.locator("#inside-caption")).to_contain_text("row 9", timeout=15_000)
    page.locator("#inside-model").get_by_text("RNN", exact=True).click()  # its own choice: the Draw tab keeps the LSTM
    expect(page.locator("#inside canvas")).to_have_count(3)
    expect(page.locator("#inside-caption")).to_contain_text("the RNN leans")
    page.screenshot(path=str(ARTIFACTS / "how-it-works.png"), full_page=True)

    page.locator("#language").get_by_text("中文").click()
    expect(page.get_by_role("tab", name="原理")).to_be_visible(timeout=30_000)
    expect(page.locator("#inside-caption")).to_contain_text("读完", timeout=15_000)
    expect(lstm_map).to_contain_text(f"答案在第 {row} 行认定是 7")
    page.screenshot(path=str(ARTIFACTS / "how-it-works-zh.png"), full_page=True)
    page.get_by_role("tab", name="手写").click()
    expect(page.locator("#caption")).to_contain_text("识别为", timeout=15_000)
    expect(page.locator("#caption")).to_contain_text("LSTM")
    expect(page.locator("#canvas .rbr-clear")).to_have_text("✕ 清除")
    expect(page.locator("#footer")).to_contain_text("使用 Gradio 构建")  # the footer follows the switch
    page.screenshot(path=str(ARTIFACTS / "draw-zh.png"), full_page=True)
    page.locator("#language").get_by_text("English").click()
    expect(page.get_by_role("tab", name="How it works")).to_be_visible(timeout=30_000)
    expect(page.locator("#footer")).to_have_text("Built with Gradio · Use it from code (API)")
    assert page.locator("footer").evaluate_all("fs => fs.filter(f => f.checkVisibility()).length") == 0  # Gradio's
    page.get_by_role("tab", name="Train").click()
    expect(page.locator("#loss-plot svg")).to_be_visible(timeout=15_000)
    page.get_by_role("tab", name="How it works").click()  # its charts drawn again, in English
    expect(page.locator("#grad-caption")).to_contain_text("row 1", timeout=30_000)
    assert page.warnings == [], f"{len(page.warnings)} console warnings: {sorted(set(page.warnings))[:5]}"


def test_play_shows_every_row_in_order_after_a_language_switch(page):
    stroke(page, ZERO)
    expect(answer(page)).to_have_text("0", timeout=15_000)
    for lang, tab in (("中文", "原理"), ("English", "How it works")):  # before the tab is first drawn
        page.locator("#language").get_by_text(lang).click()
        expect(page.get_by_role("tab", name=tab)).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="How it works").click()
    expect(page.locator("#inside-caption")).to_contain_text("row 28", timeout=15_000)  # drawn, before Play
    # The rows shown from the press on (a redraw of the view as it was, row 28, may land before the press)
    page.evaluate("""() => {
      window.rows = [];
      document.querySelector('#play').addEventListener('click', () => { window.rows = []; }, {capture: true});
      new MutationObserver(() => window.rows.push(Number(document.querySelector('.rbr-row-value').textContent)))
        .observe(document.querySelector('.rbr-row-value'), {childList: true, characterData: true, subtree: true});
    }""")
    page.locator("#play").click()
    expect(page.locator("#inside-caption")).to_contain_text("row 28", timeout=15_000)
    expect(page.locator("#play")).to_have_text("▶ Play")
    rows = page.evaluate("window.rows")
    assert [r for i, r in enumerate(rows) if i == 0 or r != rows[i - 1]] == list(range(1, 29))


def test_a_chinese_browser_gets_chinese_from_the_first_paint_and_can_draw_and_clear(browser, server):
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    try:
        page = context.new_page()
        page.goto(server)
        page.get_by_role("tab").first.wait_for()
        # The first paint is Chinese: tabs, title and page title as soon as the tabs are there, no switch on load.
        assert [t.inner_text() for t in page.get_by_role("tab").all()] == ["手写", "原理", "训练"]
        assert page.locator("h1").first.inner_text().endswith("逐行读数") and page.title().startswith("逐行读数")
        page.close()
        page = open_app(context, server)
        for _ in range(2):  # clearing twice: the second clear is the one that once did nothing
            stroke(page, ONE)
            expect(answer(page)).to_have_text("1", timeout=15_000)
            expect(page.locator("#caption")).to_contain_text("识别为")
            page.locator("#canvas .rbr-clear").click()
            expect(page.locator("#caption")).to_contain_text("写一个数字", timeout=15_000)
        page.screenshot(path=str(ARTIFACTS / "draw-zh-browser.png"), full_page=True)
    finally:
        context.close()


def test_a_second_visitor_sees_their_place_in_the_training_queue(browser, server, mnist):
    """One training at a time: while one visitor trains, another's Train shows a queue position."""
    first, second = (browser.new_page(**DESKTOP) for _ in range(2))
    try:
        for page in (first, second):
            page.goto(server)
            page.get_by_role("tab", name="Train").click()
        first.locator("#train").click()  # the full original recipe: several seconds here
        expect(first.locator("#train-status")).to_contain_text("images/s", timeout=60_000)
        second.locator("#train").click()
        expect(second.locator("#train-status")).to_contain_text(re.compile(
            r"⏳ Waiting in line: 1 of 1, about \d+ s until yours starts\. One run trains"), timeout=10_000)
        second.screenshot(path=str(ARTIFACTS / "train-queued.png"), full_page=True)
        first.locator("#stop").click()
        expect(second.locator("#train-status")).to_contain_text("images/s", timeout=60_000)  # its turn came
        expect(second.locator("#queue-line .rbr-queue")).to_be_hidden()
        second.locator("#stop").click()
    finally:
        first.close()
        second.close()


# Every character of every text the app can show (both languages) and of the page as it is, drawn with the page's
# font: the ones Chromium can only draw as the empty box it draws for a private-use character.
EMPTY_BOXES = """(chars) => {
  const c = document.createElement('canvas'), x = c.getContext('2d');
  c.width = c.height = 40;
  const draw = ch => {
    x.clearRect(0, 0, 40, 40);
    x.font = `24px ${getComputedStyle(document.body).fontFamily}`;
    x.fillText(ch, 4, 30);
    return x.getImageData(0, 0, 40, 40).data.join();
  };
  const box = draw('\\uE000');
  return [...new Set([...chars, ...document.body.innerText])]
    .filter(ch => /\\S/.test(ch) && !/[\\uFE00-\\uFE0F\\u200B-\\u200D]/.test(ch) && draw(ch) === box);
}"""
# Every text on the page shown under 12 CSS px on screen (pictures' texts scaled as drawn): its size and its words.
SMALL_TEXTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length
               && getComputedStyle(e).visibility !== 'hidden')
  .map(e => [parseFloat(getComputedStyle(e).fontSize) * (e.getScreenCTM ? e.getScreenCTM().a : 1),
             e.className.baseVal ?? e.className, e.textContent.trim().slice(0, 30)])
  .filter(([size]) => size > 0 && size < 11.95)  // (Vega keeps empty texts at size 0)"""


@pytest.mark.parametrize("locale, viewport", [("en-US", DESKTOP), ("zh-CN", PHONE)])
def test_every_text_is_readable_drawn_and_has_enough_contrast(browser, server, locale, viewport):
    """On every tab, with a drawing: no glyph is an empty box (any text of texts.py, in both languages), text in the
    page (its pictures' included) is at least 12 CSS px, and axe-core finds no text under 4.5:1 contrast."""
    from axe_playwright_python.sync_playwright import Axe

    from texts import TEXTS

    context = browser.new_context(locale=locale, **viewport)
    page = open_app(context, server)
    page.locator(".rbr-example").first.click()
    expect(answer(page)).to_have_text("7", timeout=15_000)
    every_char = sorted({ch for lang in TEXTS.values() for v in lang.values() for ch in v})
    for tab in range(3):
        page.get_by_role("tab").nth(tab).click()
        time.sleep(3)  # the tab's server views arrive
        assert page.evaluate(EMPTY_BOXES, every_char) == []
        assert page.evaluate(SMALL_TEXTS) == []
        violations = Axe().run(page, options={"runOnly": ["color-contrast"]}).response["violations"]
        assert not violations, [(n["target"], n["any"][0]["message"]) for v in violations for n in v["nodes"]]
    # "Which rows decided it": on a phone too, the digit and every model's bars on one line, each bar beside its row
    expect(page.locator("#decided .rbr-panels canvas")).to_have_count(4)
    assert not page.locator("#decided .rbr-panels").evaluate("e => e.classList.contains('rbr-stacked')")
    # One typeface per weight: every face of the page's font the browser loaded holds the Latin letters (Gradio's
    # 600 was a 5 KB subset without most of them, so a bold heading mixed two typefaces, glyph by glyph).
    faces = page.evaluate("""() => [...document.fonts].filter(f => f.family.includes('Source Sans Pro'))
                                       .map(f => [f.weight, f.status])""")
    assert faces and {w for w, _ in faces} == {"400", "700"}, faces
    page.screenshot(path=str(ARTIFACTS / f"readable-{locale}.png"), full_page=True)
    context.close()


def test_a_link_whose_model_fields_are_hostile_opens_the_default_model(browser, server):
    """A link's model (m) and cell (c) name a model only among the page's own: a name every object has (constructor,
    __proto__) or none opens the default LSTM, and nothing breaks."""
    packed = base64.urlsafe_b64encode(bytes(392)).decode().rstrip("=")  # an empty 28x28
    context = browser.new_context(**DESKTOP)
    try:
        for fields in ("m=constructor", "m=__proto__&t=inside", "m=taught&c=constructor", "m=mine&c=__proto__",
                       "m=taught&c=taught", "m=toString"):
            page = open_app(context, f"{server}?d={packed}&{fields}")
            expect(page.locator("#model-name")).to_contain_text("LSTM", timeout=15_000)
            expect(page.locator("#reader input[value=lstm]")).to_be_checked()
            assert not page.errors, (fields, page.errors)
            page.close()
    finally:
        context.close()
