"""The fast tier for the page's code: Node's own test runner (tests/js/*.test.mjs, no npm packages) runs the page's
numeric modules (ui/js) against vectors Python writes here, from the code they mirror: torch's trace of every cell
(and of a new kind of cell, tests/new_cell.py), and str.format on the templates the page fills in."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from model import CELLS, ModelConfig, RowReader
from new_cell import MGU
from texts import LANGUAGES, TEXTS
from ui import draw, inside
from ui.live import manifest, model_spec

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js (node --test)")


def cell_vectors() -> list[dict]:
    """Each cell, one layer and two, with random weights: its spec as the page gets it, 3 digits and torch's trace."""
    out, xs = [], np.random.default_rng(0).random((3, 28, 28), dtype=np.float32)
    for key, cell in {**CELLS, "mgu": MGU}.items():
        for layers in (1, 2):
            torch.manual_seed(layers)
            CELLS.setdefault(key, cell)
            try:
                model = RowReader(ModelConfig(cell=key, hidden_size=8, num_layers=layers)).eval()
                with torch.inference_mode():
                    traces = model.trace(torch.from_numpy(xs))
                spec = model_spec(model, 0.5, "trained_model")
            finally:
                if cell is MGU:
                    del CELLS[key]
            out.append({"name": f"{cell.name}, {layers} layer(s)", "spec": spec, "xs": xs.reshape(3, -1).tolist(),
                        "traces": [{k: v[i].ravel().tolist() for k, v in traces.items()} for i in range(3)]})
    return out


def text_vectors() -> list[dict]:
    """The templates the page fills in, with the values it gives them, and what Python's str.format makes of them."""
    out = []
    for lang, t in TEXTS.items():
        cases = [("teach_not", {"a_top": t[f"a_digit_{d}"]}) for d in range(10)]
        cases += [("teach_digit", {"a_digit": t[f"a_digit_{d}"]}) for d in range(10)]
        cases += [("teach_meter", {"before": 0.981, "after": 0.9795, "delta": -0.15, "lost": lost, "gained": 1})
                  for lost in (1, 8, 1234)]
        for p, p2 in ((0.996, 0.003), (0.58, 0.31), (0.34, 0.3), (0.8, 0.1), (0.005, 0.004)):
            values = {"top": 7, "p": p, "second": 1, "p2": p2, "cell": "LSTM", "h": 64, "row": 21}
            cases += [(key, values) for key in ("caption", "caption_leaning", "caption_unsure")]
        # Every template the page fills in itself (the Draw tab's, the lesson's, each cell's), with random values
        keys = [k for k in (*draw.READING_TEXTS, *inside.INSIDE_TEXTS) if k in t]
        keys += [f"{kind}_{key}" for key in CELLS for kind in ("gates", "low")]
        rng = np.random.default_rng(1)
        for _ in range(20):
            values = {"top": int(rng.integers(10)), "second": int(rng.integers(10)), "p": float(rng.random()),
                      "p2": float(rng.random()), "row": int(rng.integers(1, 29)), "value": float(rng.random()),
                      "cell": "LSTM", "name": "forget", "h": 64, "acc": float(rng.random()),
                      **{g: float(rng.random()) for c in CELLS.values() for g in c.gates}}
            cases += [(k, values) for k in keys]
        out.append({"lang": lang, "cases": [(t[k], v, t[k].format(**v)) for k, v in cases]})
    return out


def map_vectors(readers) -> list[dict]:
    """Each shipped model's map, and 40 held-out drawn digits' hidden states and beliefs with what Python makes of
    them: the points, the settling row, the path in words."""
    import drawn
    import memory_map
    import preprocess
    from evaluate import settle_row

    images, _ = drawn.dataset(40, seed=30)
    xs = torch.from_numpy(np.stack([preprocess.to_mnist(image) for image in images]))
    out = []
    for key, shipped in readers.shipped.items():
        with torch.inference_mode():
            trace = shipped.model.trace(xs)
        hs, probs = trace["h"].numpy(), trace["probs"].numpy()
        out.append({"name": key, "map": shipped.map, "cases": [
            {"h": h.ravel().tolist(), "probs": p.ravel().tolist(),
             "points": memory_map.project(shipped.map, h).ravel().tolist(), "settled": settle_row(p),
             "journey": memory_map.journey(shipped.map, h, p)} for h, p in zip(hs, probs)]})
    return out


def mnist28_vectors() -> dict:
    """Drawings as the page's canvas holds them (held-out drawn digits' strokes; a dot; nothing; MNIST-shaped
    pictures, one with a stroke over it) and the 28x28 preprocess.strokes_to_mnist makes of each."""
    import drawn
    import preprocess

    rng, cases = np.random.default_rng(7), []
    for d in range(10):
        for _ in range(4):
            lines, _, _ = drawn.strokes(d, rng)
            cases.append([{"points": (line / drawn.CANVAS).tolist()} for line in lines])
    picture = {"ink": preprocess.to_mnist(drawn.render(3, rng)).ravel().tolist()}
    cases += [[picture], [picture, {"points": [[0.1, 0.9], [0.9, 0.95]]}], [{"points": [[0.5, 0.5]]}],
              [{"points": []}], []]
    out = [preprocess.strokes_to_mnist(items) for items in cases]
    return {"manifest": manifest(), "cases": [{"items": items, "want": None if x is None else x.ravel().tolist()}
                                              for items, x in zip(cases, out)]}


def test_the_pages_numeric_code_does_what_python_does(tmp_path, readers):
    (tmp_path / "cells.json").write_text(json.dumps(cell_vectors()))
    (tmp_path / "texts.json").write_text(json.dumps(text_vectors()))
    (tmp_path / "maps.json").write_text(json.dumps(map_vectors(readers)))
    (tmp_path / "manifest.json").write_text(json.dumps(manifest()))
    (tmp_path / "mnist28.json").write_text(json.dumps(mnist28_vectors()))
    run = subprocess.run(["node", "--test", "--test-reporter=tap", *sorted(map(str, (ROOT / "tests" / "js").glob("*.test.mjs")))],
                         env={"PATH": "/usr/bin:/usr/local/bin", "VECTORS": str(tmp_path)}, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    passed = int(re.search(r"^# pass (\d+)", run.stdout, re.M).group(1))
    # every vector was tried: each cell's (and the new kind's) at 1 and 2 layers, each language's, each map's, and
    # the manifest's, the 28x28's; and the model cache, the chart and the falls in points
    assert passed == 2 * (len(CELLS) + 1) + len(LANGUAGES) + len(readers.shipped) + 1 + 1 + 3, run.stdout[-2000:]
