"""Built-in datasets generated on the fly: deterministic, offline, and learnable in seconds on a CPU."""

from __future__ import annotations

import math
from typing import Any

import torch

from .dataset_registry import DatasetError, DatasetInfo, DatasetSpec, RawData, TensorData, register

SHAPE_CLASSES = (
    "disk",
    "ring",
    "square",
    "square outline",
    "triangle",
    "plus",
    "cross",
    "equals",
    "diamond",
    "two dots",
)


def _whole(options: dict[str, Any], name: str, low: int, high: int | None = None) -> int:
    value = options[name]
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < low
        or (high and value > high)
    ):
        limit = f"from {low} to {high}" if high else f">= {low}"
        raise DatasetError(
            f"training.dataset_options.{name}: must be a whole number {limit}, got {value!r}"
        )
    return value


def _noise(options: dict[str, Any]) -> float:
    value = options["noise"]
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 10:
        raise DatasetError(
            f"training.dataset_options.noise: must be a number from 0 to 10, got {value!r}"
        )
    return float(value)


def _with_test(make, options: dict[str, Any], info: DatasetInfo) -> RawData:
    """Train set from ``seed``, a held-out test set (a fifth the size) from ``seed + 1``."""
    n, seed = _whole(options, "n", 10), _whole(options, "seed", 0)
    x, y = make(n, torch.Generator().manual_seed(seed))
    tx, ty = make(max(10, n // 5), torch.Generator().manual_seed(seed + 1))
    return RawData(TensorData(x, y), info, TensorData(tx, ty))


# The generators below use torch and math only: an exported training script copies the one its
# dataset needs (nodeml.core.exporting.script_data), so it makes the very same samples.


# ---- regression ---------------------------------------------------------------------------------
LINEAR_WEIGHTS = {"linear1d": [2.0], "linear3d": [1.5, -2.0, 0.5]}


def linear_samples(
    n: int, weights: list[float], noise: float, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """y = x . weights + 1 + noise, x uniform in [-2, 2]."""
    w = torch.tensor(weights).unsqueeze(1)
    x = torch.rand(n, len(weights), generator=gen) * 4 - 2
    y = x @ w + 1.0 + noise * torch.randn(n, 1, generator=gen)
    return x, y


def _linear(options: dict[str, Any], weights: list[float], name: str) -> RawData:
    noise = _noise(options)

    def make(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return linear_samples(n, weights, noise, gen)

    info = DatasetInfo(name, "regression", (len(weights),), "float32", target_shape=(1,))
    return _with_test(make, options, info)


register(
    DatasetSpec(
        "linear1d",
        "y = 2x + 1 + noise, x in [-2, 2]: a Linear(1, 1) recovers w=2, b=1",
        lambda o: _linear(o, LINEAR_WEIGHTS["linear1d"], "linear1d"),
        {"n": 1000, "noise": 0.1, "seed": 0},
        # inputs not standardised by default, so the learnt weights are the generating ones
        normalize=False,
        task="regression",
    )
)
register(
    DatasetSpec(
        "linear3d",
        "y = 1.5 x1 - 2 x2 + 0.5 x3 + 1 + noise: three features, one target",
        lambda o: _linear(o, LINEAR_WEIGHTS["linear3d"], "linear3d"),
        {"n": 1000, "noise": 0.1, "seed": 0},
        normalize=False,
        task="regression",
    )
)


# ---- 2-D classification -------------------------------------------------------------------------
def spiral_samples(
    n: int, k: int, noise: float, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """``k`` interleaved spiral arms, 1.5 turns each; labels cycle 0..k-1."""
    y = torch.arange(n) % k
    t = torch.rand(n, generator=gen)
    angle = t * 3 * math.pi + 2 * math.pi * y / k
    radius = 0.1 + 0.9 * t
    x = torch.stack([radius * angle.cos(), radius * angle.sin()], 1)
    return x + noise * torch.randn(n, 2, generator=gen), y


def moon_samples(n: int, noise: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved half circles; labels alternate 0, 1."""
    y = torch.arange(n) % 2
    angle = torch.rand(n, generator=gen) * math.pi
    upper = torch.stack([angle.cos(), angle.sin()], 1)
    lower = torch.stack([1 - angle.cos(), 0.5 - angle.sin()], 1)
    x = torch.where(y.unsqueeze(1) == 0, upper, lower)
    return x + noise * torch.randn(n, 2, generator=gen), y


def _spirals(options: dict[str, Any]) -> RawData:
    k, noise = _whole(options, "classes", 2, 10), _noise(options)

    def make(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return spiral_samples(n, k, noise, gen)

    info = DatasetInfo(
        "spirals", "classification", (2,), "float32", k, classes=tuple(map(str, range(k)))
    )
    return _with_test(make, options, info)


def _moons(options: dict[str, Any]) -> RawData:
    noise = _noise(options)

    def make(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return moon_samples(n, noise, gen)

    info = DatasetInfo("moons", "classification", (2,), "float32", 2, classes=("upper", "lower"))
    return _with_test(make, options, info)


register(
    DatasetSpec(
        "spirals",
        "interleaved 2-D spiral arms, one class per arm (classes=2..10)",
        _spirals,
        {"n": 2000, "classes": 2, "noise": 0.05, "seed": 0},
        normalize=False,
        task="classification",
    )
)
register(
    DatasetSpec(
        "moons",
        "two interleaved 2-D half circles",
        _moons,
        {"n": 1000, "noise": 0.1, "seed": 0},
        normalize=False,
        task="classification",
    )
)


# ---- procedural images --------------------------------------------------------------------------
def _shape_masks(
    kind: int, a: torch.Tensor, b: torch.Tensor, r: torch.Tensor, t: torch.Tensor
) -> torch.Tensor:
    """Boolean masks of one shape class, ``a``/``b`` being each pixel's rotated local coordinates."""
    dist = (a * a + b * b).sqrt()
    box = torch.maximum(a.abs(), b.abs())
    if kind == 0:
        return dist < r
    if kind == 1:
        return (dist - r).abs() < t
    if kind == 2:
        return box < 0.8 * r
    if kind == 3:
        return (box - 0.8 * r).abs() < t
    if kind == 4:
        return (b < 0.7 * r) & (b > -r + 1.7 * a.abs())
    if kind == 5:
        return ((a.abs() < t) & (b.abs() < r)) | ((b.abs() < t) & (a.abs() < r))
    if kind == 6:
        p, q = (a + b) / math.sqrt(2), (a - b) / math.sqrt(2)
        return ((p.abs() < t) & (q.abs() < r)) | ((q.abs() < t) & (p.abs() < r))
    if kind == 7:
        return (((b - 0.35 * r).abs() < t) | ((b + 0.35 * r).abs() < t)) & (a.abs() < r)
    if kind == 8:
        return a.abs() + b.abs() < r
    return (((a - 0.5 * r) ** 2 + b * b).sqrt() < 0.3 * r) | (
        ((a + 0.5 * r) ** 2 + b * b).sqrt() < 0.3 * r
    )


def draw_shapes(
    n: int, size: int, channels: int, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` uint8 images (N, C, size, size) of the ten SHAPE_CLASSES, randomly placed, scaled,
    slightly rotated, coloured (3 channels) and noisy; labels cycle 0..9 so classes balance."""
    y = torch.arange(n) % 10
    coords = torch.linspace(-1, 1, size)
    v, u = torch.meshgrid(coords, coords, indexing="ij")
    cx, cy = (torch.rand(2, n, 1, 1, generator=gen) - 0.5) * 0.5
    r = 0.4 + 0.25 * torch.rand(n, 1, 1, generator=gen)
    t = 0.09 + 0.06 * torch.rand(n, 1, 1, generator=gen)
    theta = (torch.rand(n, 1, 1, generator=gen) - 0.5) * 0.6
    dx, dy = u - cx, v - cy
    a = dx * theta.cos() + dy * theta.sin()
    b = -dx * theta.sin() + dy * theta.cos()
    mask = torch.zeros(n, size, size, dtype=torch.bool)
    for kind in range(10):
        rows = y == kind
        mask[rows] = _shape_masks(kind, a[rows], b[rows], r[rows], t[rows])
    if channels == 1:
        fg = 0.7 + 0.3 * torch.rand(n, 1, 1, 1, generator=gen)
        bg = 0.15 * torch.rand(n, 1, 1, 1, generator=gen)
    else:
        fg = 0.5 + 0.5 * torch.rand(n, 3, 1, 1, generator=gen)
        bg = 0.3 * torch.rand(n, 3, 1, 1, generator=gen)
    img = torch.where(mask.unsqueeze(1), fg, bg) + 0.08 * torch.randn(
        n, channels, size, size, generator=gen
    )
    return (img.clamp(0, 1) * 255).round().to(torch.uint8), y


def _shapes(options: dict[str, Any]) -> RawData:
    size, channels = options["image_size"], options["channels"]
    if size not in (28, 32):
        raise DatasetError(f"training.dataset_options.image_size: must be 28 or 32, got {size!r}")
    if channels not in (1, 3):
        raise DatasetError(f"training.dataset_options.channels: must be 1 or 3, got {channels!r}")
    info = DatasetInfo(
        "shapes",
        "classification",
        (channels, size, size),
        "float32",
        10,
        classes=SHAPE_CLASSES,
        kind="image",
    )
    return _with_test(lambda n, g: draw_shapes(n, size, channels, g), options, info)


def _shape_options(shape: tuple[int, ...]) -> dict[str, Any] | None:
    if len(shape) == 3 and shape[0] in (1, 3) and shape[1] == shape[2] and shape[1] in (28, 32):
        return {"channels": shape[0], "image_size": shape[1]}
    return None


register(
    DatasetSpec(
        "shapes",
        "10 classes of drawn shapes (disk, ring, square, ...), 28 or 32 px, 1 or 3 channels",
        _shapes,
        {"n": 6000, "image_size": 28, "channels": 1, "seed": 0},
        options_for_shape=_shape_options,
        task="classification",
    )
)


# ---- token sequences ----------------------------------------------------------------------------
def token_samples(
    n: int, length: int, vocab: int, k: int, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Noise tokens k+1.., and the class's marker token (1..k) at 2 to 4 random places; 0 is
    padding. Labels cycle 0..k-1."""
    y = torch.arange(n) % k
    x = torch.randint(k + 1, vocab, (n, length), generator=gen)
    places = torch.rand(n, length, generator=gen).argsort(dim=1)[:, :4]
    count = torch.randint(2, 5, (n, 1), generator=gen)
    keep = torch.arange(4).unsqueeze(0) < count
    marker = (y + 1).unsqueeze(1).expand(n, 4)
    x.scatter_(1, places, torch.where(keep, marker, x.gather(1, places)))
    return x, y


def _tokens(options: dict[str, Any]) -> RawData:
    length, vocab = _whole(options, "length", 4, 512), _whole(options, "vocab", 8)
    k = _whole(options, "classes", 2, 10)
    if vocab < 2 * k + 1:
        raise DatasetError(
            f"training.dataset_options.vocab: needs at least {2 * k + 1} tokens for {k} classes, got {vocab}"
        )

    def make(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return token_samples(n, length, vocab, k, gen)

    info = DatasetInfo(
        "tokens",
        "classification",
        (length,),
        "long",
        k,
        classes=tuple(map(str, range(k))),
        kind="sequence",
    )
    return _with_test(make, options, info)


register(
    DatasetSpec(
        "tokens",
        "token-id sequences (long) whose class is the marker token they repeat: for Embedding -> LSTM",
        _tokens,
        {"n": 3000, "length": 16, "vocab": 32, "classes": 4, "seed": 0},
        options_for_shape=lambda s: {"length": s[0]} if len(s) == 1 and 4 <= s[0] <= 512 else None,
        normalize=False,  # token ids (long): nothing to standardise
        task="classification",
    )
)
