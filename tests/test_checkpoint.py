import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import checkpoint
import preprocess
from checkpoint import load_pretrained
from model import ModelConfig, RowReader

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.png"))


def test_save_load_round_trip(tmp_path):
    model = RowReader(ModelConfig(cell="gru", hidden_size=8))
    weights, config = checkpoint.save(model, tmp_path / "run" / "m", {"test_accuracy": 0.5})
    assert json.loads(config.read_text())["config"]["cell"] == "gru"
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["m.json", "m.safetensors"]  # no temp file left
    back = checkpoint.load(tmp_path / "run" / "m")
    assert not back.training
    x = torch.rand(2, 28, 28)
    torch.testing.assert_close(back(x), model.eval()(x))


def test_truncated_or_missing_weights_give_a_clear_error(tmp_path):
    checkpoint.save(RowReader(ModelConfig(hidden_size=8)), tmp_path / "m")
    w = tmp_path / "m.safetensors"
    w.write_bytes(w.read_bytes()[:100])
    with pytest.raises(checkpoint.CheckpointError, match="m.safetensors"):
        checkpoint.load(tmp_path / "m")
    with pytest.raises(checkpoint.CheckpointError, match="not found"):
        checkpoint.load(tmp_path / "absent")


def test_shipped_model_reads_the_example_digits():
    model = load_pretrained()
    assert not model.training and model.config.cell == "lstm" and model.config.hidden_size == 64
    x = torch.from_numpy(np.stack([preprocess.to_mnist(Image.open(p)) for p in EXAMPLES]))
    labels = [int(p.stem[-1]) for p in EXAMPLES]
    with torch.inference_mode():
        assert model(x).argmax(1).tolist() == labels


@pytest.mark.parametrize("cell, floor", [("lstm", 0.992), ("gru", 0.99), ("rnn", 0.965)])
def test_each_shipped_model_meets_its_accuracy_and_its_json_says_so(mnist, cell, floor):
    from evaluate import predict

    acc = (predict(load_pretrained(cell), mnist.test_x) == mnist.test_y).float().mean().item()
    meta = checkpoint.meta(checkpoint.WEIGHTS_DIR / cell)
    assert acc >= floor and abs(acc - meta["test_accuracy"]) < 1e-4
    assert meta["command"].startswith("python train.py") and f"--out weights/{cell}" in meta["command"]
