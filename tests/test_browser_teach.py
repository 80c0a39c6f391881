"""Teaching it your handwriting in a real browser, on the real app: a misread digit corrected with one click, the
answer read again by the taught model, what it learned and forgot; remove, forget all, quick clicks, Chinese, a phone.
Teaching takes a second or a few on this machine: the waits below are generous, and nothing here times anything."""
import math
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS
from test_browser import PHONE, SMALL_TEXTS, answer, open_app, stroke, touch_stroke
from test_train_page import train_tab
from texts import TEXTS
from ui import teach

TAUGHT_S = 120_000  # ms: a teach call, on a busy machine, behind other visitors' (and the first one imports more)
# Digits written mirrored, as a child may: the shipped LSTM reads this 7 as a 5 and this 3 as an 8.
MIRRORED_7 = [[(0.75 - 0.5 * i / 10, 0.2) for i in range(11)] +
              [(0.25 + 0.3 * i / 20, 0.2 + 0.65 * i / 20) for i in range(21)]]
MIRRORED_3 = [[(0.7 - 0.4 * math.sin(math.pi * i / 12), 0.15 + 0.35 * i / 12) for i in range(13)],
              [(0.7 - 0.45 * math.sin(math.pi * i / 12), 0.5 + 0.35 * i / 12) for i in range(13)]]


def draw(page, lines, touch: bool = False):
    """A fresh drawing of `lines` (strokes in the canvas's unit square)."""
    page.locator("#canvas .rbr-clear").click() if not touch else page.locator("#canvas .rbr-clear").tap()
    for points in lines:
        (touch_stroke if touch else stroke)(page, points)


def expect_read_as(page, digit: int):
    """The answer becomes `digit` (the taught model's reading, once taught); if not, the failure says what the
    teaching panel said and which requests were refused."""
    try:
        expect(answer(page)).to_have_text(str(digit), timeout=TAUGHT_S)
    except AssertionError as e:
        status = page.locator("#teach .rbr-teach-status").inner_text()
        joins = [s for s in page.sent if "queue/join" in s]
        raise AssertionError(f"{e}\nteaching status: {status!r}; model: {page.locator('#model-name').inner_text()!r};"
                             f" {len(joins)} joins; refused: {page.refused}; errors: {page.errors}") from None


def digit_button(page, d: int):
    return page.locator(f"#teach .rbr-teach-digit[data-digit='{d}']")


def thumbnails(page):
    return page.locator("#teach .rbr-thumb")


def test_a_misread_digit_corrected_is_read_again_by_the_taught_model_and_the_meter_shows(page, mnist):
    expect(page.locator("#teach-ask")).to_have_text(TEXTS["en"]["teach_empty"])
    expect(digit_button(page, 7)).to_be_disabled()  # nothing drawn, nothing to correct
    draw(page, MIRRORED_7)
    expect(answer(page)).to_have_text("5", timeout=15_000)
    expect(page.locator("#teach-ask")).to_have_text("Not a 5? It's:")
    page.get_by_role("button", name="It's a 7").click()

    expect_read_as(page, 7)  # read again, at once, by the taught model
    expect(page.locator("#model-name")).to_contain_text("your taught LSTM (corrections: 1)")
    expect(page.locator("#reader input[value=taught]")).to_be_checked()
    expect(thumbnails(page)).to_have_count(1)
    expect(thumbnails(page).first).to_have_class(re.compile("rbr-right"))
    expect(page.locator("#teach .rbr-teach-meter")).to_contain_text("Forgetting meter: the first 2,000 MNIST test "
                                                                     "digits", timeout=TAUGHT_S)
    expect(page.locator("#teach [role=meter]")).to_be_visible()
    expect(page.locator("#teach .rbr-teach-held")).to_contain_text("reads it as 5")  # one correction: said honestly
    status = page.locator("#teach .rbr-teach-status")
    expect(status).to_contain_text("Taught in")
    expect(status).to_contain_text(TEXTS["en"]["teach_reads_taught"])
    page.locator("#reader").get_by_text("GRU", exact=True).click()  # another model reads: the status says so
    expect(status).to_contain_text(TEXTS["en"]["teach_reads_other"])
    page.locator("#reader input[value=taught]").check()
    expect(status).to_contain_text(TEXTS["en"]["teach_reads_taught"])

    draw(page, MIRRORED_3)  # a second writer's digit: the page reads it with the taught model
    expect(page.locator("#teach-ask")).to_have_text(re.compile(r"Not an? \d\? It's:"), timeout=15_000)
    digit_button(page, 3).click()
    expect(page.locator("#model-name")).to_contain_text("corrections: 2", timeout=TAUGHT_S)
    expect(answer(page)).to_have_text("3")
    expect(page.locator("#teach .rbr-teach-held")).to_contain_text("of 2 read right", timeout=TAUGHT_S)
    assert page.evaluate(SMALL_TEXTS) == []  # the panel's texts too, at 12 CSS px or more
    page.screenshot(path=str(ARTIFACTS / "teach-desktop.png"), full_page=True)

    # The answer stays reachable with the keyboard, and the digits after it.
    page.locator("#canvas .rbr-clear").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "prediction":
            break
    assert page.evaluate("document.activeElement.id") == "prediction"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('rbr-teach-digit')"):
            break
    assert page.evaluate("document.activeElement.dataset.digit") == "0"

    page.get_by_role("tab", name="How it works").click()  # shipped against taught, on the same drawing
    expect(page.locator("#inside-model").get_by_text("My taught model")).to_be_visible()
    expect(page.locator("#compare-caption")).to_contain_text("They disagree after", timeout=15_000)
    assert page.locator("#compare-rows .rbr-cmp-diff").count() >= 2  # each disagreeing row, in both models' lines
    page.locator("#taught-rows").screenshot(path=str(ARTIFACTS / "teach-how-it-works.png"))


def test_a_link_made_while_the_taught_model_reads_opens_with_the_shipped_one_and_says_so(page, mnist):
    draw(page, MIRRORED_7)
    expect(answer(page)).to_have_text("5", timeout=15_000)
    digit_button(page, 7).click()
    expect_read_as(page, 7)
    expect(page.locator("#reader input[value=taught]")).to_be_checked()
    page.locator("#share").click()
    expect(page.locator("#share-note")).to_have_text(TEXTS["en"]["share_kept_taught"].format(cell="LSTM"))
    url = page.locator("#share-link").input_value()
    assert re.search(r"\?d=[\w-]+&m=taught&t=draw&c=lstm$", url)

    opened = open_app(page.context, url)  # a fresh session: no taught model, and the link carries none
    expect(opened.locator("#linked-note")).to_have_text(TEXTS["en"]["linked_kept_taught"].format(cell="LSTM"))
    expect(opened.locator("#reader input[value=lstm]")).to_be_checked()
    expect(answer(opened)).to_have_text("5", timeout=30_000)  # what the shipped LSTM reads the mirrored 7 as
    assert not opened.errors, opened.errors


def test_remove_one_then_forget_all(page, mnist):
    for n, (lines, label) in enumerate(((MIRRORED_7, 7), (MIRRORED_3, 3)), 1):
        draw(page, lines)
        expect(page.locator("#teach-ask")).to_have_text(re.compile("Not a"), timeout=15_000)
        digit_button(page, label).click()
        expect(page.locator("#model-name")).to_contain_text(f"corrections: {n}", timeout=TAUGHT_S)
    expect(thumbnails(page)).to_have_count(2)
    page.get_by_role("button", name="Remove this 7").focus()  # with the keyboard: the focus moves to the next ✕
    page.keyboard.press("Enter")
    expect(thumbnails(page)).to_have_count(1, timeout=TAUGHT_S)
    # Taught again on the one left: the panel and the answer's own line say so.
    taught_on_one = re.compile(r"Taught in [\d.]+ s \(corrections: 1\)")
    expect(page.locator("#teach .rbr-teach-status")).to_contain_text(taught_on_one, timeout=TAUGHT_S)
    expect(page.locator("#model-name")).to_contain_text("your taught LSTM (corrections: 1)")
    expect(page.get_by_role("button", name="Remove this 3")).to_be_focused()  # kept as the panel was drawn again

    page.locator("#teach-download").click()  # the taught model, as safetensors and JSON
    expect(page.locator("#teach-files a")).to_have_count(2, timeout=30_000)
    links = page.locator("#teach-files a").evaluate_all("links => links.map(a => a.href)")
    assert [link.rsplit("/", 1)[1] for link in links] == ["rowbyrow-taught-lstm64.safetensors",
                                                           "rowbyrow-taught-lstm64.json"]

    page.locator("#teach-forget").click()
    expect(page.locator("#teach .rbr-teach-status")).to_have_text(TEXTS["en"]["teach_forgotten"], timeout=30_000)
    expect(page.locator("#teach .rbr-teach-panel")).to_be_hidden()
    expect(page.locator("#reader input[value=taught]")).to_have_count(0)  # gone from the page
    expect(page.locator("#model-name")).to_contain_text("shipped LSTM")
    expect(answer(page)).to_have_text("8")  # the shipped LSTM's misreading of the mirrored 3 again
    expect(page.locator("#teach-files")).to_be_hidden()


def test_two_quick_corrections_none_lost_the_later_one_wins(page, mnist):
    draw(page, MIRRORED_7)
    expect(page.locator("#teach-ask")).to_have_text("Not a 5? It's:", timeout=15_000)
    digit_button(page, 1).click()  # a slip, put right at once: the same drawing, the later digit
    digit_button(page, 7).click()
    draw(page, MIRRORED_3)  # and another drawing before the first teach has ended
    expect(page.locator("#teach-ask")).to_have_text(re.compile("Not a"), timeout=15_000)
    digit_button(page, 3).click()
    expect(page.locator("#model-name")).to_contain_text("corrections: 2", timeout=TAUGHT_S)
    expect(thumbnails(page)).to_have_count(2)
    labels = page.locator("#teach .rbr-thumb strong").all_inner_texts()
    assert labels == ["7", "3"]
    expect(page.locator("#teach .rbr-thumb.rbr-pending")).to_have_count(0, timeout=TAUGHT_S)
    expect(answer(page)).to_have_text("3")  # the canvas, read by the model taught on both

    page.locator("#reader").get_by_text("GRU", exact=True).click()  # a correction of the GRU's reading...
    draw(page, MIRRORED_7)
    expect(page.locator("#teach-ask")).to_have_text(re.compile("Not a"), timeout=15_000)
    digit_button(page, 7).click()
    expect(page.locator("#model-name")).to_contain_text("your taught GRU", timeout=TAUGHT_S)
    expect(page.locator("#teach .rbr-teach-count")).to_contain_text(  # ...moves them all to the GRU, and says so
        "made while the GRU read, so all of them moved to it: the taught LSTM is replaced")


def test_a_model_trained_here_then_used_keeps_the_taught_one_beside_it(page, mnist):
    draw(page, MIRRORED_7)
    expect(page.locator("#teach-ask")).to_have_text("Not a 5? It's:", timeout=15_000)
    digit_button(page, 7).click()
    expect(page.locator("#model-name")).to_contain_text("corrections: 1", timeout=TAUGHT_S)
    train_tab(page, 2000)
    page.locator("#train").click()
    expect(page.locator("#train-status")).to_contain_text("Done", timeout=TAUGHT_S)
    page.locator("#use").scroll_into_view_if_needed()
    page.locator("#use").click()  # the Train tab sends the page its models: the taught one stays beside them
    expect(page.locator("#model-name")).to_contain_text("your trained LSTM", timeout=30_000)
    expect(page.locator("#reader input[value=taught]")).to_have_count(1, timeout=30_000)
    expect(page.locator("#reader input[value=mine]")).to_be_checked()
    page.locator("#reader").get_by_text("My taught model").click()
    expect(page.locator("#model-name")).to_contain_text("your taught LSTM (corrections: 1)")
    expect(answer(page)).to_have_text("7")


def test_a_phone_in_chinese(browser, server, mnist):
    context = browser.new_context(locale="zh-CN", **PHONE)
    try:
        page = open_app(context, server)
        expect(page.get_by_role("tab", name="原理")).to_be_visible(timeout=30_000)
        draw(page, MIRRORED_7, touch=True)
        expect(page.locator("#teach-ask")).to_have_text("不是 5？它是：", timeout=15_000)
        boxes = [digit_button(page, d).bounding_box() for d in range(10)]
        panel = page.locator("#teach .rbr-teach-status").bounding_box()  # the panel's text column
        assert len({round(b["y"]) for b in boxes}) == 2  # two lines of five...
        assert max(b["x"] + b["width"] for b in boxes) <= panel["x"] + panel["width"] + 0.5  # ...inside the column
        assert min(min(b["width"], b["height"]) for b in boxes) >= 44  # each a finger's target
        # On the first screen after drawing, right under the answer, with no scrolling
        assert page.evaluate("window.scrollY") == 0 and max(b["y"] + b["height"] for b in boxes) <= 844
        assert answer(page).bounding_box()["y"] < boxes[0]["y"]
        digit_button(page, 7).tap()
        expect_read_as(page, 7)
        expect(page.locator("#model-name")).to_contain_text("你教过的 LSTM")
        expect(page.locator("#teach .rbr-teach-title")).to_have_text("它学到了什么，又忘了什么")
        expect(page.locator("#teach .rbr-teach-meter")).to_contain_text("遗忘表", timeout=TAUGHT_S)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows sideways
        remove = page.locator("#teach .rbr-thumb-remove").first.bounding_box()
        assert min(remove["width"], remove["height"]) >= 44  # the ✕ too is a finger's target
        page.screenshot(path=str(ARTIFACTS / "teach-phone-zh.png"), full_page=True)
        page.locator("#language").get_by_text("English").tap()  # the panel follows the language switch
        expect(page.locator("#teach .rbr-teach-title")).to_have_text("What it learned and what it forgot",
                                                                     timeout=30_000)
        expect(page.locator("#model-name")).to_contain_text("your taught LSTM")
        assert not page.errors, page.errors
    finally:
        context.close()


@pytest.mark.parametrize("lang", TEXTS)
def test_the_page_fills_in_teaching_texts_as_python_does(page, lang):
    keys = [*teach.PANEL_TEXTS, *teach.COMPARE_TEXTS, *teach.READING_TEXTS]
    rng = np.random.default_rng(2)
    for _ in range(10):
        values = {"top": int(rng.integers(10)), "digit": int(rng.integers(10)), "label": int(rng.integers(10)),
                  "read": int(rng.integers(10)), "n": int(rng.integers(1, 101)), "cap": 100, "cell": "LSTM",
                  "seconds": float(rng.random() * 5), "right": int(rng.integers(20)), "folds": 4,
                  "digits": 2000, "before": float(rng.random()), "after": float(rng.random()),
                  "delta": float(rng.normal()), "lost": int(rng.integers(30)), "gained": int(rng.integers(30)),
                  "v": float(rng.integers(-3, 4)), "h": 64, "corrections": int(rng.integers(1, 101)),
                  "name": "LSTM", "earlier": "GRU", "rows": "3-9, 14", "a": 5, "b": 7, "pa": float(rng.random()),
                  "pb": float(rng.random()), "value": "'x'", "choices": "lstm, gru", "a_top": "an 8", "a_digit": "a 7",
                  "reads": TEXTS[lang]["teach_reads_other"]}
        got = page.evaluate("""async ([templates, values]) => {
          const R = await import(document.getElementById('rbr-library').src);
          return Object.fromEntries(Object.entries(templates).map(([k, t]) => [k, R.texts.format(t, values)])); }""", [{k: TEXTS[lang][k] for k in keys}, values])
        assert got == {k: TEXTS[lang][k].format(**values) for k in keys}
