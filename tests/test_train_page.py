"""The Train tab in a real browser, as a visitor walks it: on a desktop and a phone, in English and Chinese; real
training runs (small ones where the point allows)."""
import re

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS
from test_browser import PHONE, SMALL_TEXTS, ZERO, answer, open_app, stroke

SMALL = {"viewport": {"width": 1280, "height": 800}}
IN_VIEW = """el => { const r = el.getBoundingClientRect();
                     return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }"""
# Every status the status line shows, from now on, in order.
WATCH_STATUS = """() => {
  window.statuses = [];
  const el = document.querySelector('#train-status');
  const note = () => { const t = el.innerText.trim(); if (t && t !== window.statuses.at(-1)) window.statuses.push(t); };
  new MutationObserver(note).observe(el, {subtree: true, childList: true, characterData: true});
}"""


def in_view(locator) -> bool:
    return locator.evaluate(IN_VIEW)


def train_tab(page, size: int | None = None):
    """The Train tab, its estimate shown; with `size`, that many training images (in the settings)."""
    page.get_by_role("tab", name=re.compile("^(Train|训练)$")).click()
    expect(page.locator("#train-estimate")).to_contain_text(re.compile(r"\d s|\d 秒"), timeout=60_000)
    if size:
        page.locator("#settings").get_by_text(re.compile("^(Settings|设置)$")).click()
        field = page.locator("#train-size input[type=number]")
        for attempt in range(3):  # typed while the opening panel mounts its slider, the value can snap back: again
            field.fill(str(size))
            field.press("Enter")
            try:
                expect(page.locator("#train-estimate")).to_contain_text(f"{-(-size // 64):,} ", timeout=20_000)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        page.evaluate("window.scrollTo(0, 0)")


def font_sizes(page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_train_shows_what_the_press_did_where_the_visitor_looks_and_every_text_is_readable(browser, server, mnist,
                                                                                            device):
    context = browser.new_context(**(SMALL if device == "desktop" else PHONE))
    page = open_app(context, server)
    train_tab(page)
    for button in ("#train", "#stop"):  # on the first screen, without scrolling
        assert in_view(page.locator(button)), button
    if device == "desktop":  # 1280x800: the experiments too
        assert all(in_view(page.locator(f"#exp-{k}")) for k in ("cells", "lr", "memory"))
    expect(page.locator("#train-estimate")).to_contain_text(re.compile(r"938 steps of 64 images: about \d+ s"))
    train_tab(page, 3000)
    page.evaluate(WATCH_STATUS)
    page.locator("#train").click()
    expect(page.locator("#train-status")).to_contain_text("#1 lstm h64 lr 0.01 b64")  # what the press did...
    assert in_view(page.locator("#train-status"))  # ...where the visitor looks
    expect(page.locator("#train-status")).to_contain_text("Done", timeout=120_000)
    assert any("images/s" in s for s in page.evaluate("window.statuses"))  # it streamed its progress
    page.screenshot(path=str(ARTIFACTS / f"train-{device}-first-screen.png"))
    # The pictures say what they say at the size they are shown: page text, 12 CSS px or more.
    expect(page.locator("#probe canvas")).to_have_count(3)  # x, h, p
    expect(page.locator("#confusion td")).to_have_count(100)
    expect(page.locator("#train-charts polyline")).to_have_count(3)  # one line per chart
    expect(page.locator("#probe .rbr-map-line")).to_have_count(2)  # the probe's path on each memory map, side by side
    expect(page.locator("#probe .rbr-map").first).to_contain_text("Your trained LSTM")
    expect(page.locator("#probe .rbr-map").last).to_contain_text("The answer settled on")
    for selector in ("#probe .rbr-title", "#probe .rbr-digits span", "#probe .rbr-gutter span", "#confusion td",
                     "#confusion th", "#train-charts .rbr-axis", "#train-charts figcaption", "#runs-legend span",
                     "#probe .rbr-map-num", "#probe .rbr-map-regions text"):
        sizes = font_sizes(page, selector)
        assert sizes and min(sizes) >= 12, (selector, sizes)
    assert page.evaluate(SMALL_TEXTS) == []  # nor anything else on the tab, pictures' texts scaled as drawn
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # nothing off-side
    # ...nor inside: every misread digit shown within the page's width, none scrolled out of sight in the gallery
    tiles = page.locator("#mistakes .grid-container > *").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)")
    assert len(tiles) == 24 and max(tiles) <= page.viewport_size["width"], tiles
    label = page.locator("#mistakes [data-testid=block-label]").bounding_box()  # and none under the gallery's label
    assert label["y"] + label["height"] <= page.locator("#mistakes .grid-container > *").first.bounding_box()["y"]
    page.screenshot(path=str(ARTIFACTS / f"train-{device}.png"), full_page=True)
    context.close()
    assert not page.errors, page.errors


def test_stop_says_stopping_at_once_then_keeps_the_runs_name_and_the_probe(page, mnist):
    train_tab(page)
    page.evaluate(WATCH_STATUS)
    page.locator("#train").click()  # the whole original recipe
    expect(page.locator("#train-status")).to_contain_text("images/s", timeout=60_000)
    page.locator("#stop").click()
    expect(page.locator("#train-status")).to_contain_text("Stopped:", timeout=60_000)
    stopping = [s for s in page.evaluate("window.statuses") if "Stopping after this step" in s]
    assert stopping and stopping[0].startswith("#1 lstm h64 lr 0.01 b64")  # said at once, naming the run
    expect(page.locator("#train-status")).to_contain_text("· #1 lstm h64 lr 0.01 b64")  # the stopped result names it
    expect(page.locator("#probe-strip")).to_contain_text("Test digit #0")  # and the probe strip stays
    # Stop again, with nothing running: it says so, and the result stays.
    done = page.locator("#train-status").inner_text()
    page.locator("#stop").click()
    expect(page.get_by_text("Nothing is training.")).to_be_visible(timeout=10_000)  # Stop's own reply came
    expect(page.locator("#train-status")).to_have_text(done)


def test_an_experiment_names_every_runs_score_labels_its_results_and_use_lands_on_the_draw_tabs_top(page, mnist):
    train_tab(page)
    page.evaluate(WATCH_STATUS)
    page.locator("#exp-memory").click()
    expect(page.locator("#train-status")).to_contain_text("#2 lstm h64", timeout=120_000)
    # While the second run trains, the results shown are the first run's, and say so.
    expect(page.locator("#end-title")).to_contain_text("At the end of #1 lstm h8 lr 0.01 b64")
    expect(page.locator("#train-status")).to_contain_text("Done", timeout=180_000)
    final = page.locator("#train-status").inner_text()
    assert re.search(r"Done: [\d.]+% .* · #2 lstm h64 lr 0.01 b64", final)
    assert re.search(r"#1 lstm h8 lr 0.01 b64: [\d.]+% on the full MNIST test set", final)  # the first run's score
    expect(page.locator("#end-title")).to_contain_text("At the end of #2 lstm h64 lr 0.01 b64")
    expect(page.locator("#runs-legend .rbr-legend-run")).to_have_text(["#1 lstm h8 lr 0.01 b64",
                                                                          "#2 lstm h64 lr 0.01 b64"])
    colours = page.locator("#loss-plot polyline").evaluate_all("ps => ps.map(p => p.getAttribute('stroke'))")
    assert len(set(colours)) == 2 and colours == page.locator("#acc-plot polyline").evaluate_all(
        "ps => ps.map(p => p.getAttribute('stroke'))")  # a colour per run, the same on every chart
    page.screenshot(path=str(ARTIFACTS / "train-experiment.png"), full_page=True)
    page.locator("#use").scroll_into_view_if_needed()
    page.locator("#use").click()
    expect(page.locator("#model-name")).to_contain_text("your trained LSTM", timeout=15_000)
    expect(page.locator("#reader input[value=mine]")).to_be_checked()
    assert page.evaluate("window.scrollY") == 0  # the Draw tab from its top:
    for part in ("#canvas canvas", "#caption", "#reader"):  # canvas, answer and the new model choice on screen
        assert in_view(page.locator(part)), part
    page.screenshot(path=str(ARTIFACTS / "train-use-this-model.png"))


def test_two_runs_in_their_own_colours_and_a_language_switch_mid_run(page, mnist):
    stroke(page, ZERO)
    expect(answer(page)).to_have_text("0", timeout=15_000)
    train_tab(page, 6000)
    page.locator("#train").click()
    expect(page.locator("#train-status")).to_contain_text("Done", timeout=120_000)
    page.locator("#lr input").fill("0.001")
    page.locator("#lr input").press("Enter")
    page.locator("#train").click()
    expect(page.locator("#train-status")).to_contain_text("#2 lstm h64 lr 0.001", timeout=60_000)
    page.locator("#language").get_by_text("中文").click()
    expect(page.locator("#train-status")).to_contain_text(re.compile("每秒|完成"), timeout=15_000)
    expect(page.locator("#probe-strip")).to_contain_text("你写的数字", timeout=15_000)
    expect(page.locator("#train-status")).to_contain_text("完成", timeout=120_000)  # later updates in Chinese too
    expect(page.locator("#train-charts figcaption").first).to_have_text("训练损失（平滑后）")
    page.screenshot(path=str(ARTIFACTS / "train-zh.png"), full_page=True)
    page.locator("#language").get_by_text("English").click()
    expect(page.locator("#train-status")).to_contain_text("Done", timeout=15_000)
    expect(page.locator("#probe-strip")).to_contain_text("Your digit (the shipped LSTM reads it as 0)")
    for chart in ("#loss-plot", "#acc-plot", "#train-grad-plot"):
        expect(page.locator(f"{chart} polyline")).to_have_count(2)
    expect(page.locator("#runs-legend .rbr-legend-run")).to_have_text(["#1 lstm h64 lr 0.01 b64",
                                                                          "#2 lstm h64 lr 0.001 b64"])


def test_while_a_press_trains_its_visitor_cannot_press_another_and_stop_ends_it(page, mnist):
    """One press at a time per visitor: while Train's run trains, Train and the experiments are disabled (a script's
    second join is turned away at the door: tests/test_abuse.py), Stop is not; once it ends they are pressable."""
    train_tab(page)
    page.locator("#train").click()
    expect(page.locator("#train-status")).to_contain_text("images/s", timeout=60_000)
    for button in ("#train", "#exp-cells", "#exp-lr", "#exp-memory"):
        expect(page.locator(button)).to_be_disabled()
    expect(page.locator("#stop")).to_be_enabled()
    page.screenshot(path=str(ARTIFACTS / "train-one-press.png"))
    page.locator("#stop").click()
    expect(page.locator("#train-status")).to_contain_text("Stopped:", timeout=60_000)
    for button in ("#train", "#exp-cells", "#exp-lr", "#exp-memory"):
        expect(page.locator(button)).to_be_enabled(timeout=10_000)
