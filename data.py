"""MNIST as uint8 tensors in memory, and the batch augmentation used for training."""
import math
import os
from dataclasses import dataclass
from functools import lru_cache

import torch
import torch.nn.functional as F


def default_root() -> str:
    """Where MNIST lives: $MNIST_ROOT, else ./data (downloaded there when the network allows)."""
    return os.environ.get("MNIST_ROOT", "data")


@dataclass(frozen=True)
class MNIST:
    train_x: torch.Tensor  # (60000, 28, 28) uint8
    train_y: torch.Tensor  # (60000,) int64
    test_x: torch.Tensor  # (10000, 28, 28) uint8
    test_y: torch.Tensor  # (10000,) int64


class DataMissing(RuntimeError):
    """MNIST is not where we looked and could not be downloaded."""


def _read_idx(path: str) -> torch.Tensor:
    """One raw MNIST file (IDX format: big-endian header, then uint8 data) as a tensor."""
    with open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(raw[4 + 4 * ndim :]), dtype=torch.uint8).reshape(shape)


def load_mnist(root: str | None = None) -> MNIST:
    """Load both splits once as uint8 tensors, downloading through torchvision only if absent."""
    return _load_mnist(os.path.abspath(root or default_root()))  # one copy per folder, however it is named


@lru_cache(maxsize=2)
def _load_mnist(root: str) -> MNIST:
    raw = os.path.join(root, "MNIST", "raw")
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    if all(os.path.exists(os.path.join(raw, n)) for n in names):
        # torchvision's own layout read directly: importing torchvision and its parser costs about a
        # second, a sixth of a whole one-epoch run.
        x, y, tx, ty = (_read_idx(os.path.join(raw, n)) for n in names)
        return MNIST(x, y.long(), tx, ty.long())
    from torchvision.datasets import MNIST as TorchMNIST

    splits = []
    for train in (True, False):
        try:
            ds = TorchMNIST(root=root, train=train, download=False)
        except RuntimeError:
            try:
                ds = TorchMNIST(root=root, train=train, download=True)
            except Exception as e:
                reason = " ".join(str(e).split())[:160]
                raise DataMissing(
                    f"MNIST not found in {os.path.abspath(root)}/MNIST/raw and it could not be downloaded ({reason}). "
                    "Point --data-dir or the MNIST_ROOT environment variable at a folder holding MNIST/raw."
                ) from None
        splits += [ds.data, ds.targets]
    return MNIST(*splits)


def blank_rows(x: torch.Tensor, n: int) -> torch.Tensor:
    """The digit, then n blank rows under it (..., 28, 28) -> (..., 28 + n, 28): the long-memory setting, in which a
    network must carry what it read across n rows of nothing before it answers."""
    return torch.cat([x, x.new_zeros(*x.shape[:-2], n, x.shape[-1])], -2) if n else x


def augment(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Random affine (rotation, scale, shear, shift) and stroke-thickness changes on a float batch (B, 28, 28).

    Drawings reach the model bolder or thinner, tilted and off-centre compared with MNIST; this is what
    lets a small LSTM both pass 99% and read them.
    """
    b, dev = x.shape[0], x.device

    def u(lo, hi):
        return torch.rand(b, device=dev, generator=generator) * (hi - lo) + lo

    angle, shear = u(-15, 15) * math.pi / 180, u(-0.25, 0.25)
    scale = u(0.85, 1.15)
    tx, ty = u(-0.15, 0.15), u(-0.15, 0.15)  # in units of half the image, i.e. about +-2 px
    cos, sin = angle.cos() / scale, angle.sin() / scale
    theta = torch.stack([torch.stack([cos, -sin + shear * cos, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, (b, 1, 28, 28), align_corners=False)
    out = F.grid_sample(x[:, None], grid, align_corners=False, padding_mode="zeros")  # (B, 1, 28, 28)
    # Stroke thickness: a third thicker (dilate), a sixth thinner (erode), the rest unchanged.
    r = torch.rand(b, device=dev, generator=generator)
    thick = F.max_pool2d(out, 3, 1, 1)
    thin = -F.max_pool2d(-out, 2, 1, 0)
    thin = F.pad(thin, (0, 1, 0, 1))
    mix = torch.rand(b, 1, 1, 1, device=dev, generator=generator) * 0.5 + 0.5
    out = torch.where((r < 0.33)[:, None, None, None], mix * thick + (1 - mix) * out, out)
    out = torch.where((r > 0.83)[:, None, None, None], thin, out)
    return out[:, 0].clamp_(0, 1)
