"""The code the page runs (ui/js) against the Python it mirrors, in a real Chromium on the real app: the shipped
models' weights fetched and read as torch reads them (every cell's step, without a browser: tests/test_node.py),
the 28x28 against preprocess.to_mnist, texts against str.format, share links against ui.draw.open_link."""
import base64
import re

import numpy as np
import pytest
import torch
from playwright.sync_api import expect

import drawn
import preprocess
from model import RowReader
from texts import TEXTS
from train import TrainConfig, train_events
from ui import inside
from ui.common import spoken
from ui.live import model_spec, specs


@pytest.fixture(scope="module")
def page(browser, server):
    """The app's page, its library (ui/js, ES modules) loaded."""
    page = browser.new_page()
    page.goto(server)
    expect(page.locator("#canvas canvas")).to_be_visible(timeout=30_000)
    yield page
    page.close()


def page_trace(page, spec: dict, xs: np.ndarray) -> list[dict]:
    """The page's trace of each digit (N, 28, 28) by the model `spec` names: each internal as (28, H) lists."""
    return page.evaluate("""async ([spec, xs]) => {
      const R = await import(document.getElementById('rbr-library').src), m = await R.cells.load(spec);
      return xs.map(x => Object.fromEntries(Object.entries(R.cells.trace(m, Float32Array.from(x.flat())))
                                            .map(([k, v]) => [k, Array.from(v)])));
    }""", [spec, xs.tolist()])


def drawings(n: int, seed: int = 5) -> np.ndarray:
    """n held-out drawn digits as the model sees them: (n, 28, 28)."""
    images, _ = drawn.dataset(n, seed)
    return np.stack([preprocess.to_mnist(image) for image in images])


def torch_trace(model: RowReader, xs: np.ndarray) -> dict[str, np.ndarray]:
    with torch.inference_mode():
        return {k: v.numpy() for k, v in model.trace(torch.from_numpy(xs)).items()}


def assert_same_trace(page, model: RowReader, spec: dict, xs: np.ndarray, tol: float = 1e-4):
    got, want = page_trace(page, spec, xs), torch_trace(model, xs)
    H = model.config.hidden_size
    for i, trace in enumerate(got):
        assert set(trace) == set(want), (set(trace), set(want))
        for k, v in trace.items():
            cols = 10 if k == "probs" else H
            np.testing.assert_allclose(np.reshape(v, (28, cols)), want[k][i], atol=tol, err_msg=k)


def test_the_page_reads_as_torch_with_every_shipped_model_and_a_freshly_trained_one(page, readers, mnist):
    """Every internal after every row, the probabilities included, within 1e-4 of torch's, on 60 drawn digits, for
    each model the page reads with: the shipped ones fetched as files, a trained one sent as numbers."""
    xs = drawings(60)
    for key, spec in specs(readers, None).items():
        assert "url" in spec  # fetched from the server, as the page does
        assert_same_trace(page, readers.shipped[key].model, spec, xs)
    cfg = TrainConfig(hidden_size=32, train_size=3000, eval_every=1000, eval_size=200)
    trained = [ev for ev in train_events(cfg, mnist)][-1].model.eval()
    assert_same_trace(page, trained, model_spec(trained, 0.9, "trained_model"), xs)


# What the page's canvas holds (its strokes and pictures, as preprocess.strokes_to_mnist takes them) and its 28x28.
CANVAS_HOLDS = """async () => {
  const R = await import(document.getElementById('rbr-library').src), s = R.reader.state;
  return {items: s.items.map(i => i.points ? {points: i.points.map(p => [...p])} : {ink: Array.from(i.ink)}),
          x: Array.from(s.x)};
}"""


def test_the_canvas_gives_the_28x28_python_makes_of_its_strokes(browser, server):
    """Strokes drawn with the mouse, then a picture (an example) with a stroke over it: the 28x28 the page reads
    (the store's) is preprocess.strokes_to_mnist of what the canvas holds (the page runs the same algorithm, held
    to Python's in Node on many drawings: tests/js/mnist28.test.mjs)."""
    from test_browser import SEVEN, open_app, stroke

    page = open_app(browser.new_context(viewport={"width": 1366, "height": 900}), server)
    stroke(page, SEVEN)
    drawings = [page.evaluate(CANVAS_HOLDS)]
    assert len(drawings[0]["items"]) >= 1 and all("points" in i for i in drawings[0]["items"])
    page.get_by_role("button", name="Start from an MNIST test digit: 7").click()
    page.wait_for_function("async () => (await import(document.getElementById('rbr-library').src)).reader.state.items[0]?.ink")
    stroke(page, [(0.2, 0.9), (0.8, 0.92)])
    drawings.append(page.evaluate(CANVAS_HOLDS))
    assert [("ink" in i) for i in drawings[1]["items"]][:2] == [True, False]
    for d in drawings:
        np.testing.assert_allclose(np.reshape(d["x"], (28, 28)), preprocess.strokes_to_mnist(d["items"]), atol=1e-5)
    page.context.close()


def page_texts(page, keys: list[str], lang: str, values: dict) -> dict[str, str]:
    return page.evaluate("""async ([templates, values]) => {
      const R = await import(document.getElementById('rbr-library').src);
      return Object.fromEntries(Object.entries(templates).map(([k, t]) => [k, R.texts.format(t, values)])); }""",
                         [{k: TEXTS[lang][k] for k in keys}, values])


def test_a_link_reopens_its_digit_and_a_damaged_one_is_refused(page):
    """The page's Share link (ui/js/link.js), opened by the page: the same 28x28 in 16 grey levels, model and tab;
    a link packed as the format says (here in numpy) opens the same; a damaged one says so."""
    x = preprocess.to_mnist(drawn.render(4, np.random.default_rng(7), mode="white"))
    levels = np.floor(x.ravel() * 15 + 0.5).astype(np.uint8)
    packed = base64.urlsafe_b64encode((levels[0::2] << 4 | levels[1::2]).tobytes()).decode().rstrip("=")
    query, opened, from_numpy, broken = page.evaluate("""async ([x, packed]) => {
      const L = (await import(document.getElementById('rbr-library').src)).link;
      const q = L.query(Float32Array.from(x), 'gru', 'inside'), o = L.open('?' + q);
      const n = L.open(`?d=${packed}&m=lstm`);
      return [q, {...o, x: Array.from(o.x)}, Array.from(n.x), ['?d=not-a-drawing', '?d=AAAA', '?d=%%%'].map(
        s => L.open(s).broken)];
    }""", [x.ravel().tolist(), packed])
    assert re.fullmatch(r"d=[\w-]{523}&m=gru&t=inside", query)
    assert opened["model"] == "gru" and opened["tab"] == "inside"
    for got in (opened["x"], from_numpy):
        np.testing.assert_allclose(np.reshape(got, (28, 28)), levels.reshape(28, 28) / 15, atol=1e-6)
    assert broken == [True, True, True]


@pytest.mark.parametrize("lang", TEXTS)
def test_the_page_writes_a_views_words_as_python_does(page, readers, lang):
    """How it works' captions: the words a view sends (text keys and numbers), written by the page and by Python."""
    value = drawn.render(2, np.random.default_rng(12), mode="white")
    views = [inside.decided_view(readers, value)[1], inside.memory_view(readers, value, 9)[1],
             inside.gradient_view(readers, inside.TestDigitGradients(readers), value)[2]]
    templates = {k: TEXTS[lang][k] for k in (*inside.DECIDED_WORDS, *inside.MEMORY_WORDS, *inside.GRADIENT_WORDS)}
    for view in views:
        got = page.evaluate("async ([t, lines]) => (await import(document.getElementById('rbr-library').src))"
                            ".texts.caption(t, lines)", [templates, view["lines"]])
        assert got == spoken(view["lines"], lang)


def test_the_pages_path_on_each_memory_map_is_pythons(page, readers):
    """ui/js/memmap.js against memory_map.py: the same points and the same words, from torch's states and from the
    page's own trace of the digit."""
    import memory_map

    xs = drawings(10, seed=8)  # one of each digit
    for key, spec in specs(readers).items():
        m, want = spec["map"], torch_trace(readers.shipped[key].model, xs)
        got = page.evaluate("""async ([spec, xs, hs, ps]) => {
          const R = await import(document.getElementById('rbr-library').src), m = await R.cells.load(spec);
          return xs.map((x, i) => {
            const t = R.cells.trace(m, Float32Array.from(x.flat())), mine = R.memmap.project(spec.map, t.h);
            const theirs = R.memmap.project(spec.map, Float32Array.from(hs[i].flat()));
            return {mine: Array.from(mine), theirs: Array.from(theirs),
                    said: R.memmap.journey(spec.map, theirs, Float32Array.from(ps[i].flat()))};
          });
        }""", [spec, xs.tolist(), want["h"].tolist(), want["probs"].tolist()])
        for i, g in enumerate(got):
            points = memory_map.project(m, want["h"][i])
            np.testing.assert_allclose(np.reshape(g["theirs"], (28, 2)), points, atol=1e-9)
            np.testing.assert_allclose(np.reshape(g["mine"], (28, 2)), points, atol=1e-3)
            assert g["said"] == memory_map.journey(m, want["h"][i], want["probs"][i]), (key, i)
