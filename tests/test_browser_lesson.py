"""The guided lesson in a real browser, end to end: on a desktop in English (then a teacher's link: a step, a
locked model, a hidden tab, kept across a language switch; and a hostile link), and on a phone in Chinese.
Screenshots go to artifacts/ for a person to look at."""
import re

from playwright.sync_api import expect

from conftest import ARTIFACTS
from test_access import WCAG_AA
from test_browser import PHONE, SEVEN, open_app, stroke, touch_stroke
from texts import TEXTS
from ui import lesson

WAIT = 30_000  # ms: a model fetched and a view drawn on a busy machine


def walk(page, lang: str, name: str, tap: bool = False, train: bool = True):
    """Every step: answer its question with the first choice, check, look, go on; the tally at the end. The run's
    question is answered by a press of Train (stopped once answered), or, without `train`, left waiting for one."""
    t = TEXTS[lang]
    press = (lambda loc: loc.tap()) if tap else (lambda loc: loc.click())
    start = page.locator(".rbr-lesson-start")
    expect(start).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(1000)  # the answer's panel laid out: the button where the finger goes
    press(start)
    panel = page.locator(".rbr-lesson-panel")
    for i, step in enumerate(lesson.STEPS):
        expect(panel.locator(".rbr-lesson-count")).to_contain_text(str(i + 1))
        expect(panel.locator(".rbr-lesson-title")).to_have_text(t[f"lesson_{step['key']}_title"])
        if step["ask"]:
            choice = panel.locator(".rbr-lesson-choice input").first
            expect(choice).to_be_enabled(timeout=WAIT)
            expect(page.locator(f"#{step['view']}")).to_have_class(re.compile("rbr-lesson-veil"), timeout=WAIT)
            expect(panel.locator(".rbr-lesson-next")).to_be_disabled()
            press(panel.locator(".rbr-lesson-choice").first)
            press(panel.locator(".rbr-lesson-check"))
            if step.get("after"):  # its answer comes from a run pressed now
                wait = t[f"lesson_wait_{step['after']}"].replace("**", "").split("{")[0]
                expect(panel.locator(".rbr-lesson-result")).to_contain_text(wait)
                expect(panel.locator(".rbr-lesson-next")).to_be_enabled()
                if train:
                    press(page.locator("#train"))
                    expect(panel.locator(".rbr-lesson-result")).to_contain_text(re.compile("✓|✗"), timeout=120_000)
                    expect(panel.locator(".rbr-lesson-result")).to_contain_text(
                        f"{lesson.QUESTIONS['trained']['images']:,}")
                    press(page.locator("#stop"))
            else:
                expect(panel.locator(".rbr-lesson-result")).to_contain_text(re.compile("✓|✗"))
            expect(page.locator(f"#{step['view']}")).not_to_have_class(re.compile("rbr-lesson-veil"))
        expect(page.locator(f"#{step['view']}")).to_have_class(re.compile("rbr-lesson-focus"), timeout=WAIT)
        if i == 0:  # folded to its first line, the view shows whole; opened again
            press(panel.locator(".rbr-lesson-fold"))
            expect(panel.locator(".rbr-lesson-title")).to_be_hidden()
            press(panel.locator(".rbr-lesson-fold"))
            expect(panel.locator(".rbr-lesson-title")).to_be_visible()
        page.wait_for_timeout(600)  # the smooth scroll
        if not tap:  # on a wide screen the panel has a column of its own: it lies over no part of the view
            view = page.locator(f"#{step['view']}").bounding_box()
            assert view["x"] + view["width"] <= panel.bounding_box()["x"], f"step {i + 1}: the panel covers its view"
        if tap:  # on a phone the panel lies across the bottom of the screen, no gap under it
            bottom = page.evaluate("() => innerHeight - document.querySelector('.rbr-lesson-panel').getBoundingClientRect().bottom")
            assert abs(bottom) < 1, f"step {i + 1}: {bottom} px under the lesson's panel"
        if i in (0, 2, 3, 4, len(lesson.STEPS) - 1):
            page.screenshot(path=ARTIFACTS / f"lesson-{name}-{i + 1}.png")
        if i == 2:  # the panel, a question answered: axe's WCAG 2.1 AA rules (test_access checks the tabs)
            from axe_playwright_python.sync_playwright import Axe

            result = Axe().run(page, context="#lesson", options={"runOnly": {"type": "tag", "values": WCAG_AA}}).response
            assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        if i < len(lesson.STEPS) - 1:
            press(panel.locator(".rbr-lesson-next"))
    asked = sum(bool(s["ask"]) for s in lesson.STEPS) - (not train)  # a run's question waiting is not counted
    expect(panel.locator(".rbr-lesson-tally")).to_contain_text(re.compile(rf"\b{asked}\b"))
    expect(panel.locator(".rbr-lesson-answers tbody tr")).to_have_count(sum(bool(s["ask"]) for s in lesson.STEPS))


def test_the_lesson_end_to_end_on_a_desktop_and_a_teachers_link(browser, server, mnist):  # a run answers step 7
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = open_app(context, server)
    stroke(page, SEVEN)
    walk(page, "en", "desktop-en")
    page.locator(".rbr-lesson-next").click()  # Finish
    expect(page.locator(".rbr-lesson-panel")).to_be_hidden()

    # A teacher's link: this drawing, at step 2, the model locked and the Train tab hidden; a reload and a language
    # switch keep them.
    page.locator("#draw-tab-button").click()
    page.locator("#share").click()
    shared = page.locator("#share-link").input_value()
    teacher = shared + "&lesson=2&lock=model&hide=train"
    for url in (teacher, teacher + "&lang=zh"):
        page = open_app(context, url)
        expect(page.locator(".rbr-lesson-panel")).to_be_visible(timeout=WAIT)
        expect(page.locator(".rbr-lesson-count")).to_contain_text("2")
        expect(page.locator("#train-tab-button")).to_be_hidden()
        expect(page.locator("#reader input").first).to_be_disabled()
    page.get_by_text("English", exact=True).click()
    expect(page.locator(".rbr-lesson-title")).to_have_text(TEXTS["en"]["lesson_state_title"], timeout=WAIT)
    expect(page.locator("#train-tab-button")).to_be_hidden()
    expect(page.locator("#reader input").first).to_be_disabled()
    page.screenshot(path=ARTIFACTS / "lesson-teacher-link.png")

    # A hostile link: the plain app, and a note that says why.
    page = open_app(context, server + "?lesson=2&hide=train,<script>&evil=1")
    expect(page.locator(".rbr-lesson-note")).to_be_visible()
    expect(page.locator(".rbr-lesson-note")).to_contain_text("evil")
    expect(page.locator(".rbr-lesson-panel")).to_be_hidden()
    expect(page.locator("#train-tab-button")).to_be_visible()
    context.close()
    assert not page.errors, page.errors


def test_the_lesson_on_a_phone_in_chinese(browser, server):
    context = browser.new_context(**PHONE)
    page = open_app(context, server + "?lang=zh")
    touch_stroke(page, SEVEN)
    walk(page, "zh", "phone-zh", tap=True, train=False)
    context.close()
    assert not page.errors, page.errors


def test_the_lesson_from_the_keyboard(browser, server):
    """Tab to the start button, then each question: Tab to its choices, Space picks one, Tab and Enter check it, Tab
    and Enter go on; no mouse."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = open_app(context, server)
    stroke(page, SEVEN)
    expect(page.locator(".rbr-lesson-start")).to_be_visible(timeout=WAIT)
    focused = lambda selector: page.evaluate(f"() => Boolean(document.activeElement?.matches({selector!r}))")  # noqa: E731

    def tab_to(selector: str, limit: int = 150):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if focused(selector):
                return
        raise AssertionError(f"{selector} not reached in {limit} presses of Tab")

    tab_to(".rbr-lesson-start")
    page.keyboard.press("Enter")
    panel = page.locator(".rbr-lesson-panel")
    for i, step in enumerate(lesson.STEPS[:2]):
        expect(panel.locator(".rbr-lesson-count")).to_contain_text(str(i + 1))
        expect(panel.locator(".rbr-lesson-choice input").first).to_be_enabled(timeout=WAIT)
        tab_to(".rbr-lesson-choice input", 10)
        page.keyboard.press("Space")
        tab_to(".rbr-lesson-check", 5)
        page.keyboard.press("Enter")
        expect(panel.locator(".rbr-lesson-result")).to_contain_text(re.compile("✓|✗"))
        expect(page.locator(f"#{step['view']}")).not_to_have_class(re.compile("rbr-lesson-veil"))
        tab_to(".rbr-lesson-next", 10)
        page.keyboard.press("Enter")
    expect(panel.locator(".rbr-lesson-count")).to_contain_text("3")
    context.close()
    assert not page.errors, page.errors
