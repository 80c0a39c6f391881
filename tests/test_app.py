"""The app as a whole: its texts in both languages, the language switch, and how its modules depend on each other."""
import ast
import re
import shutil
import string
import threading
from pathlib import Path

import numpy as np
import pytest
import torch

import app
from ui.common import spoken
import drawn
import new_cell
from model import CELLS
from texts import CELL_TEXTS, LANGUAGES, TEXTS, text
from ui import draw, inside, training
from ui.common import Readers, Shipped, T

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_app_builds_and_starts_nothing():
    """app.py is a factory: importing it (a test, a tool, a notebook) loads no weights and starts no thread."""
    import subprocess
    import sys

    probe = ("import threading, app, checkpoint; calls = []; checkpoint.load = lambda *a: calls.append(a); "
             "print(threading.active_count(), hasattr(app, 'demo'), len(calls))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False", "0"], out


@pytest.fixture(scope="module")
def built(readers):
    """The app as app.py builds it (create_app: nothing is built at import)."""
    return app.create_app(readers)


def project_imports() -> dict[str, set[str]]:
    """Each project module (app, model, ui.draw...) and the project modules it imports."""
    files = {p: ".".join(p.relative_to(ROOT).with_suffix("").parts) for p in [*ROOT.glob("*.py"), *ROOT.glob("ui/*.py")]}
    modules = set(files.values()) | {"ui"}
    graph = {}
    for path, name in files.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        graph[name] = {m for m in found if m in modules and m != "ui"}
    return graph


def test_model_imports_nothing_of_the_project_and_no_module_imports_itself_back():
    graph = project_imports()
    assert graph["model"] == set()
    assert {"ui.draw", "ui.inside", "ui.training", "ui.common"} <= set(graph)

    def reaches(start: str, goal: str, seen=frozenset()) -> bool:
        return any(m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in graph.get(start, ()))

    cycles = [m for m in graph if reaches(m, m)]
    assert not cycles, cycles


def test_every_text_exists_once_in_both_languages():
    assert TEXTS["en"].keys() == TEXTS["zh"].keys()
    assert all(v.strip() for lang in TEXTS.values() for v in lang.values())
    # A key written twice in a dict literal silently keeps the second: find them in the source.
    for node in ast.walk(ast.parse((ROOT / "texts.py").read_text())):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert len(keys) == len(set(keys)), {k for k in keys if keys.count(k) > 1}


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_translated_component_changes_every_text_it_registered(built, lang):
    """The language switch: each registered text of each component is different in every other language, none is
    missing."""
    registry = built[1]
    assert len(registry.components) > 40
    en, other = registry.updates("en"), registry.updates(lang)
    for (component, keys), a, b in zip(registry.components, en, other):
        assert set(a) == set(b) == set(keys) | {"__type__"}, component
        for attr in keys:
            assert a[attr] != b[attr], (component, attr)


def test_the_app_has_three_tabs_and_the_api_the_readme_shows(built):
    config = built[0].get_config_file()
    tabs = [c["props"].get("id") for c in config["components"] if c["type"] == "tabitem"]
    assert tabs == ["draw", "inside", "train"]
    public = {d["api_name"] for d in config["dependencies"] if d.get("api_visibility", "public") == "public"}
    assert {"predict", "train"} <= public and not {"stop", "inside", "gradients"} & public


# ---- texts that cannot lie, and every one of them used ---------------------------------------------------------

def placeholders(template: str) -> list[tuple[str, str, str]]:
    """A template's {name!conversion:spec} fields, in order."""
    return sorted((name, conv or "", spec) for _, name, spec, conv in string.Formatter().parse(template)
                  if name is not None)


def test_both_languages_have_the_same_keys_and_the_same_placeholders():
    assert TEXTS.keys() == LANGUAGES.keys()
    en, *others = TEXTS.values()
    for other in others:
        assert other.keys() == en.keys()
        differ = {k: (placeholders(en[k]), placeholders(other[k])) for k in en
                  if placeholders(en[k]) != placeholders(other[k])}
        assert not differ, differ


def used_text_keys(translated) -> set[str]:
    """The texts.py keys the app uses: every key a translated component registered (the page's own views get theirs
    from these), and every string constant in the app's Python that is a key (but element ids and such)."""
    registered = {v for _, keys in translated.components for value in keys.values()
                  for v in (value.values() if isinstance(value, dict) else [value])
                  for v in ([c[0] for c in v] if isinstance(v, list) else [v]) if isinstance(v, T)}
    not_text = {"elem_id", "elem_classes", "api_name", "concurrency_id", "key"}
    constants = set()
    for path in [*ROOT.glob("*.py"), *ROOT.glob("ui/*.py")]:
        tree = ast.parse(path.read_text())
        ids = {id(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords if k.arg in not_text}
        constants |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                      and id(n) not in ids and path.name != "texts.py"}
    return registered | (constants & TEXTS["en"].keys())


def test_every_text_is_used_and_every_text_the_page_asks_for_is_sent(built):
    used = used_text_keys(built[1])
    assert not TEXTS["en"].keys() - used, sorted(TEXTS["en"].keys() - used)  # dead keys
    sent = {str(v) for _, keys in built[1].components for value in keys.values() if isinstance(value, dict)
            for v in value.values()}
    for js in (ROOT / "ui" / "js").glob("*.js"):
        asked = set(re.findall(r"props\.texts\.(\w+)", js.read_text()))
        asked |= set(re.findall(r"""\bf\('(\w+)'""", js.read_text()))  # f(key, values): a template filled in
        assert asked <= sent, (js.name, asked - sent)


def registered_values(translated) -> dict[str, dict]:
    """Each registered text key whose placeholders the code fills in at build time, with its values."""
    found = [v for _, keys in translated.components for value in keys.values()
             for v in (value.values() if isinstance(value, dict) else [value])]
    return {str(v): v.values for v in found if isinstance(v, T) and v.values}


def test_a_texts_numbers_come_from_the_constants_they_describe(built):
    from ui import probes

    values = registered_values(built[1])
    assert values["acc_plot"] == {"eval_size": training.DEFAULTS.eval_size}
    assert values["grad_test"] == values["grad_text"] == {"n": inside.TEST_DIGITS}
    d = training.DEFAULTS
    assert values["train_intro"] == {"cell": CELLS[d.cell].name, "input": 28, "hidden": d.hidden_size, "classes": 10,
                                     "lr": d.lr, "batch": d.batch_size, "epochs": d.epochs}
    assert text("train_intro", **values["train_intro"]).startswith(
        "Defaults are the original program's recipe: LSTM(28→64) → Linear(64→10), Adam 0.01, batch 64, epochs 1.")
    for e in training.EXPERIMENTS:  # what to look for states the experiment's own settings
        assert text(e.look, **e.values()) and all(str(v) in text(e.look, **e.values())
                                                  for c in e.changes for v in c.values() if not isinstance(v, str))
    # ...and no text states one of those numbers itself
    copied = r"\b(2,000|256|10,000|500 test|5 points|5 个百分点|0\.001|Adam 0\.01)\b"
    assert not [(k, lang) for lang, texts in TEXTS.items() for k, t in texts.items() if re.search(copied, t)]
    assert f"less than {round(100 * probes.DECISIVE_FLOOR)} points" in text(
        "decided_none", cell="LSTM", top=1, points=round(100 * probes.DECISIVE_FLOOR))


# ---- a fourth cell is one entry ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mgu(mnist):
    """A minimal gated unit (tests/new_cell.py), trained here for seconds; model.CELLS as it was afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(CELLS, "mgu", new_cell.MGU)
        model = new_cell.trained(mnist)
    return model, float((model(mnist.test_x[:2000].float() / 255).argmax(1) == mnist.test_y[:2000]).float().mean())


@pytest.fixture
def fourth_cell(monkeypatch, readers, mgu):
    """A new kind of cell registered at test time: a minimal gated unit, whose step no code of the app or the page
    names (torch has no layer for it: model.Recurrent runs its program), with its own words; and shipped models
    with it."""
    monkeypatch.setitem(CELLS, "mgu", new_cell.MGU)
    for lang, words in TEXTS.items():
        for kind, said in new_cell.TEXTS[lang].items():
            monkeypatch.setitem(words, f"{kind}_mgu", said)
    return Readers({**readers.shipped, "mgu": Shipped(*mgu)})


def test_a_fourth_cell_registered_at_test_time_gets_the_whole_app(fourth_cell, mnist):
    readers = fourth_cell
    assert fourth_cell.shipped["mgu"].acc > 0.5  # it learned to read: trained by the app's own loop
    before = set(threading.enumerate())
    demo, translated = app.build(readers)
    for thread in set(threading.enumerate()) - before:  # the lesson's test-digit curves, measured in the background
        thread.join(120)
    config = demo.get_config_file()
    props = {c["props"].get("elem_id"): c["props"] for c in config["components"]}
    assert ("MGU", "mgu") in [tuple(c) for c in props["cell"]["choices"]]  # the Train tab offers it
    assert props["reading-panel"]["props"]["models"]["mgu"]["step"] == new_cell.MGU.lines  # the page runs its step
    view_texts = next(k for c, k in translated.components if c.elem_id == "inside-view")["texts"]
    assert {f"{kind}_mgu" for kind in CELL_TEXTS} <= set(view_texts)  # the lesson's cell view has its texts
    memory_plot = props["memory-plot"]
    assert "MGU h" in memory_plot["color_map"] and "MGU" in props["grad-digit"]["color_map"]  # a line on each chart

    value = drawn.render(4, np.random.default_rng(9), mode="white")
    label, _, _, caption = draw.read_digit(readers, value, "mgu")  # read on the server
    assert "MGU" in caption
    decided, decided_caption = inside.decided_view(readers, value)
    assert [m["name"] for m in decided["data"]["models"]] == [c.name for c in CELLS.values()]
    assert "MGU's answer" in spoken(decided_caption["lines"])
    memory_frame, memory_caption = inside.memory_view(readers, value, 9)
    assert set(memory_frame["state"]) == set(inside.state_colours())
    assert "the MGU's h" in spoken(memory_caption["lines"])
    drawn_frame, test_frame, _ = inside.gradient_view(readers, inside.TestDigitGradients(readers), value)
    assert set(drawn_frame["model"]) == set(test_frame["model"]) == set(inside.colours()) >= {"MGU"}
    session = training.Session()
    list(training.train_model(readers, "mgu", 8, 0.01, 64, 1, 500, 1, False, None, None, session))
    assert session.trained.model.config.cell == "mgu" and session.trained.acc > 0  # and the Train tab trains it


def test_cell_keys_are_spelled_only_in_the_registry_and_its_few_defaults():
    """model.CELLS names the cells; the UI and the pictures take them from there (model.DEFAULT_CELL for a default).
    The experiments that name their cells are the exception."""
    pattern = re.compile(r"""(["'])(%s)\1""" % "|".join(map(re.escape, CELLS)))
    found = []
    for path in [*ROOT.glob("ui/*.py"), *ROOT.glob("ui/js/*.js"), ROOT / "visuals.py"]:
        source = path.read_text()
        if path.name == "training.py":
            source = re.sub(r"\nEXPERIMENTS = \(.*?\n\)\n", "\n", source, flags=re.S)
        found += [f"{path.name}: {m[0]}" for m in pattern.finditer(source)]
    assert len(found) <= 1, found  # (ui/js/on_teach.js falls back to 'lstm' where it could take the view's choice)


# A copy of app.py's server with a new kind of cell registered before it builds (tests/new_cell.py).
FOURTH_CELL_APP = """
import os, runpy, sys
sys.path.insert(0, os.getcwd())
sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
import model, new_cell, texts
new_cell.register(model.CELLS, texts.TEXTS)
runpy.run_path("app.py", run_name="__main__")
"""


def test_the_page_reads_a_drawing_with_a_new_kind_of_cell_and_shows_its_insides(browser, tmp_path, fourth_cell):
    """The MGU's step reaches the page as its program: the page reads a digit with it as torch does, and the lesson
    draws its gates, with no line of the page's code about it."""
    from playwright.sync_api import expect

    import checkpoint
    from conftest import serve
    from test_browser import digit

    weights = tmp_path / "weights"
    shutil.copytree(ROOT / "weights", weights)
    model = fourth_cell.shipped["mgu"].model
    checkpoint.save(model, weights / "mgu", {"test_accuracy": fourth_cell.shipped["mgu"].acc})
    script = tmp_path / "fourth_cell_app.py"
    script.write_text(FOURTH_CELL_APP)
    with serve(script, env={"ROWBYROW_WEIGHTS_DIR": str(weights)}) as (url, _):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        page.get_by_role("button", name="Start from an MNIST test digit: 7").click()
        page.locator("#reader").get_by_text("MGU", exact=True).click()
        expect(page.locator("#caption")).to_contain_text("MGU", timeout=30_000)
        expect(page.locator("#model-name")).to_contain_text("shipped MGU")
        with torch.inference_mode():  # the page's answer is torch's, on the page's own 28x28
            probs = model.trace(torch.tensor(digit(page)).view(1, 28, 28))["probs"][0, -1]
        assert page.locator("#prediction [data-testid=label-output-value]").inner_text() == str(int(probs.argmax()))
        page.get_by_role("tab", name="How it works").click()
        page.locator("#inside-model").get_by_text("MGU", exact=True).click()
        expect(page.locator("#inside canvas")).to_have_count(5, timeout=15_000)  # x, forget, candidate, h, p
        expect(page.locator("#inside-caption")).to_contain_text("the MGU leans")
        expect(page.locator("#memory-caption")).to_contain_text("the MGU's h", timeout=30_000)
        page.close()


def test_a_picture_that_cannot_be_read_is_refused_in_the_visitors_language():
    import gradio as gr

    from ui.common import drawing

    for lang, words in (("en", "is not an image file we can read"), ("zh", "不是我们能读取的图片文件")):
        with pytest.raises(gr.Error, match=words):
            drawing(b"GIF89a but not really", lang)
