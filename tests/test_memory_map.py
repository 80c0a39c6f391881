"""The map of each model's memory (memory_map.py): stored, deterministic, honest about the digits, and said in words
that agree with the Draw tab."""
import json
import re

import numpy as np
import pytest
import torch

import checkpoint
import memory_map
from model import CELLS
from texts import TEXTS, text
from ui.draw import read_digit
from ui.live import specs
from evaluate import settle_row

# Test digits no map was fitted, chosen or drawn on (fit: training digits; choice: test 0-1,999; cloud: 2,000-2,399).
UNSEEN = slice(5000, 5500)


@pytest.mark.parametrize("cell", CELLS)
def test_every_shipped_model_has_a_small_stored_map_chosen_by_its_own_measure(cell):
    m = memory_map.load(cell)
    assert memory_map.stored(cell).stat().st_size < 8_000  # a few KB, sent to the page with the model
    assert m["method"] == max(m["accuracy"], key=m["accuracy"].get)
    assert np.shape(m["axes"]) == (2, m["hidden"]) and np.shape(m["centres"]) == (10, 2)
    assert sorted(set(m["cloud"]["digit"])) == list(range(10))
    assert m["command"] == "python memory_map.py"


def test_the_shipped_lstms_map_keeps_80_percent_nearest_centre_accuracy():
    assert memory_map.load("lstm")["accuracy"][memory_map.load("lstm")["method"]] >= 0.8


def test_the_map_is_deterministic_refitted_it_is_the_stored_one(mnist, one_torch_thread):
    fitted, kept = memory_map.fit(checkpoint.load_pretrained("lstm"), mnist), memory_map.load("lstm")
    for k in ("method", "accuracy", "mean", "axes", "centres", "box", "cloud"):
        assert fitted[k] == kept[k], k


def test_500_unseen_test_digits_paths_end_in_their_digits_region(mnist, one_torch_thread):
    m = memory_map.load("lstm")
    h, probs = memory_map.hidden(checkpoint.load_pretrained("lstm"), mnist.test_x[UNSEEN])
    ends = memory_map.nearest(m, memory_map.project(m, h[:, -1]))
    assert (ends == mnist.test_y[UNSEEN].numpy()).mean() >= 0.8
    said = [memory_map.journey(m, h[i], probs[i]) for i in range(100)]
    assert {s["key"] for s in said} == {"map_path", "map_elsewhere"}  # both are met on real digits


def toy_map() -> dict:
    """A map of a 2-unit memory that is its own projection: centre k at (k, 0)."""
    return {"mean": [0, 0], "axes": [[1, 0], [0, 1]], "centres": [[k, 0] for k in range(10)]}


def beliefs(tops: list[int]) -> np.ndarray:
    """(28, 10) beliefs whose top digit at each row is tops[t]."""
    return np.eye(10)[tops] * 0.9 + 0.01


def test_the_journey_names_the_longest_stretch_before_the_turn_and_the_settling_row():
    near = [1] * 15 + [2] * 3 + [7] * 10  # near the 1s to row 15, the 2s for three rows, the 7s from row 19
    h = np.stack([near, np.zeros(28)], 1)
    probs = beliefs([1] * 20 + [7] * 8)  # the answer settles at row 21
    said = memory_map.journey(toy_map(), h, probs)
    assert said == {"key": "map_path", "values": {"top": 7, "past": 1, "until": 15, "turn": 19, "row": 21}}
    assert text(said["key"], **said["values"]) == ("On this map your 7 passed near the 1s until row 15, turned towards "
                                                   "the 7s at row 19 and stayed there.")
    assert text("map_settled", "zh", **said["values"]).startswith("答案在**第 21 行**认定是 7（虚线圆圈处）。")
    stayed = memory_map.journey(toy_map(), np.stack([[7] * 28, np.zeros(28)], 1), probs)
    assert stayed == {"key": "map_stayed", "values": {"top": 7, "row": 21}}
    elsewhere = memory_map.journey(toy_map(), np.stack([[7] * 27 + [9], np.zeros(28)], 1), probs)
    assert elsewhere == {"key": "map_elsewhere", "values": {"top": 7, "end": 9, "row": 21}}
    for key in ("map_path", "map_stayed", "map_elsewhere"):  # every sentence, in every language
        assert all(text(key, lang, **said["values"], end=9) for lang in TEXTS)


def test_the_map_names_the_settling_row_the_draw_tab_names(readers, mnist):
    for i in range(5):
        x = mnist.test_x[i:i + 1].float() / 255  # (1, 28, 28): the canvas's own digit, read as it is
        with torch.inference_mode():
            trace = readers.shipped["lstm"].model.trace(x)
        h, probs = trace["h"][0].numpy(), trace["probs"][0].numpy()
        row = memory_map.journey(memory_map.load("lstm"), h, probs)["values"]["row"]
        caption = read_digit(readers, x)[3]
        assert row == settle_row(probs) and f"**row {row}**" in caption


def test_the_maps_reach_the_page_with_the_models_and_the_app_starts_without_one(readers, tmp_path, monkeypatch):
    sent = specs(readers)
    assert all(sent[c]["map"] == memory_map.load(c) for c in CELLS)
    json.dumps(sent)  # as the page gets it
    monkeypatch.setattr(checkpoint, "WEIGHTS_DIR", tmp_path)
    assert memory_map.load("lstm") is None


# The map's sentences, read back from the words in each language: (key, pattern, the names of its numbers).
SAID = {"en": [("map_path", r"On this map your (\d) passed near the (\d)s until row (\d+), turned towards the \1s at "
                            r"row (\d+) and stayed there\.", ("top", "past", "until", "turn")),
               ("map_stayed", r"On this map your (\d) stayed near the \1s from row 1 to row 28\.", ("top",)),
               ("map_elsewhere", r"Your (\d) ends nearest the (\d)s on this map", ("top", "end"))],
        "zh": [("map_path", r"在这张图上，你的 (\d) 在第 (\d+) 行之前靠近 (\d) 的区域，第 (\d+) 行转向 \1 的区域，之后一直在那里。",
                ("top", "until", "past", "turn")),
               ("map_stayed", r"在这张图上，你的 (\d) 从第 1 行到第 28 行一直靠近 \1 的区域。", ("top",)),
               ("map_elsewhere", r"在这张图上，你的 (\d) 最后离 (\d) 的区域最近", ("top", "end"))]}
SETTLED = {"en": r"The answer settled on (\d) at \*\*row (\d+)\*\*", "zh": r"答案在\*\*第 (\d+) 行\*\*认定是 (\d)"}


@pytest.mark.parametrize("lang", TEXTS)
def test_every_map_sentence_holds_of_the_path_it_describes(mnist, lang, one_torch_thread):
    """On 200 unseen test digits, each caption's words, read back, hold of the path drawn: the regions it passed
    through (nearest centres) row by row, where it ends, and the settling row of the beliefs."""
    m = memory_map.load("lstm")
    h, probs = memory_map.hidden(checkpoint.load_pretrained("lstm"), mnist.test_x[UNSEEN][:200])
    for i in range(200):
        said = memory_map.journey(m, h[i], probs[i])
        words = text(said["key"], lang, **said["values"])
        words += " " + text("map_settled", lang, **said["values"])
        near = memory_map.nearest(m, memory_map.project(m, h[i])).tolist()
        top = int(probs[i, -1].argmax())
        (key, values), = [(k, dict(zip(names, map(int, hit.groups())))) for k, pattern, names in SAID[lang]
                          if (hit := re.search(pattern, words))]
        assert values["top"] == top, words
        if key == "map_path":  # near the past digit's centre through row `until`, in top's region from `turn` on
            assert near[values["until"] - 1] == values["past"] != top and values["until"] < values["turn"], words
            assert set(near[values["turn"] - 1:]) == {top} and near[values["turn"] - 2] != top, words
        elif key == "map_stayed":
            assert set(near) == {top}, words
        else:
            assert near[-1] == values["end"] != top, words
        settled = [int(v) for v in re.search(SETTLED[lang], words).groups()]
        assert sorted(settled) == sorted([top, settle_row(probs[i])]), words
