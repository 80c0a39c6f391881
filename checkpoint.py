"""Checkpoints: a safetensors state_dict plus a JSON file with the config and how it was made."""
import json
import os
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from model import ModelConfig, RowReader

# The shipped weights; ROWBYROW_WEIGHTS_DIR points elsewhere (tests start the app with a damaged copy).
WEIGHTS_DIR = Path(os.environ.get("ROWBYROW_WEIGHTS_DIR") or Path(__file__).resolve().parent / "weights")


class CheckpointError(RuntimeError):
    """A checkpoint that is missing, truncated or does not match its config."""


def paths(stem: str | Path) -> tuple[Path, Path]:
    """The (.safetensors, .json) pair for a checkpoint stem such as weights/lstm."""
    stem = Path(stem)
    if stem.suffix in (".safetensors", ".json"):
        stem = stem.with_suffix("")
    return stem.with_suffix(".safetensors"), stem.with_suffix(".json")


def atomic_write(path: Path, write) -> None:
    """Write via a temp file in the same folder, then rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(model: RowReader, stem: str | Path, meta: dict | None = None) -> tuple[Path, Path]:
    """Save weights and config (plus `meta`: data, epochs, seed, accuracy...) atomically; return both paths."""
    weights, config = paths(stem)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    atomic_write(weights, lambda p: save_file(tensors, p))
    doc = {"config": model.config.to_dict(), **(meta or {})}
    atomic_write(config, lambda p: Path(p).write_text(json.dumps(doc, indent=2) + "\n"))
    return weights, config


def load(stem: str | Path) -> RowReader:
    """Rebuild the model from its JSON config and load its tensors; nothing is unpickled."""
    weights, config = paths(stem)
    try:
        cfg = ModelConfig(**json.loads(config.read_text())["config"])
        # Building costs time in its sizes even on the meta device (a layer at a time): bounded before it is built.
        for name, most in (("input_size", 1024), ("hidden_size", 4096), ("num_layers", 16), ("num_classes", 1024)):
            if not isinstance(getattr(cfg, name), int) or not 1 <= getattr(cfg, name) <= most:
                raise ValueError(f"{name} must be a whole number from 1 to {most}, got {getattr(cfg, name)!r}")
        with torch.device("meta"):  # no memory until the tensors arrive, whatever sizes the JSON claims
            model = RowReader(cfg)
        model.load_state_dict({k: v.float() for k, v in load_file(weights).items()}, assign=True)
    except FileNotFoundError as e:
        raise CheckpointError(f"checkpoint file not found: {e.filename}") from e
    except Exception as e:  # truncated file, bad JSON, wrong shapes: all mean "this checkpoint is unusable"
        raise CheckpointError(f"cannot load checkpoint {weights} / {config}: {e}") from e
    return model.eval()


def meta(stem: str | Path) -> dict:
    """The JSON beside a checkpoint: its config and how it was made (command, data, accuracy...)."""
    return json.loads(paths(stem)[1].read_text())


def load_pretrained(cell: str = "lstm") -> RowReader:
    """The shipped model for `cell` from weights/, in eval mode."""
    return load(WEIGHTS_DIR / cell)
