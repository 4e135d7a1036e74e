"""Fitting a model's input standardisation: mean and std of the training split, into its buffers.

The generated class holds ``<input>_mean`` and ``<input>_std`` buffers (per feature for tables,
per channel for images) and its forward standardises the raw input with them, so the compiled
model, the exported code and every export format take raw inputs. The Trainer fits them once, at
the start of a fresh run, from the training split only; they are saved with the weights.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import torch
from torch import nn
from torch.utils.data import Dataset

from .datasets import TensorData, first_samples

# Lazily loaded datasets (an image folder read from disk) are estimated from at most this many
# training samples, evenly spaced through the (shuffled) training split: 1,000 images give each
# channel's mean and std to about 1 % while reading a huge folder would take minutes.
MAX_LAZY_SAMPLES = 1000
_CHUNK_ELEMENTS = 1 << 22  # values per step for data in memory: 32 MB of float64 at a time


def standardization_buffers(model: nn.Module) -> tuple[torch.Tensor, torch.Tensor] | None:
    """The model's (mean, std) buffers when it is a nodeml model that standardises its input."""
    interface = getattr(model, "nodeml_interface", None)
    names = getattr(interface, "standardization", None)
    if names is None:
        return None
    buffers = dict(model.named_buffers())
    return buffers[names.mean], buffers[names.std]


def is_identity(mean: torch.Tensor, std: torch.Tensor) -> bool:
    """Buffers as the generated ``__init__`` leaves them: mean 0, std 1 (not fitted yet)."""
    return bool((mean == 0).all() and (std == 1).all())


@torch.no_grad()
def fit_standardization(model: nn.Module, dataset: Dataset) -> bool:
    """Write the training split's statistics into the model's buffers; False when it has none."""
    buffers = standardization_buffers(model)
    if buffers is None:
        return False
    mean_buf, std_buf = buffers
    mean, std = input_stats(dataset, tuple(mean_buf.shape))
    mean_buf.copy_(mean.to(mean_buf.dtype))
    std_buf.copy_(std.to(std_buf.dtype))
    return True


@torch.no_grad()
def input_stats(dataset: Dataset, shape: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and (sample) std of the dataset's inputs, shaped ``shape``: reduced over the batch
    and every sample dim where ``shape`` is 1, e.g. ``(4,)`` per feature of a table, ``(3, 1, 1)``
    per channel of an image. Accumulated in float64 chunk by chunk (Chan et al.'s merge), so one
    pass, no cancellation; a constant feature gets std 1 (it is then only centred)."""
    count = 0
    mean = torch.zeros(shape, dtype=torch.float64)
    m2 = torch.zeros(shape, dtype=torch.float64)
    for x in _input_chunks(dataset):
        x = x.double()
        dims = [0, *(d + 1 for d, size in enumerate(shape) if size == 1)]
        n = x.numel() // max(1, math.prod(shape))
        chunk_mean = x.mean(dim=dims, keepdim=True)[0]
        chunk_m2 = (x - chunk_mean).square().sum(dim=dims, keepdim=True)[0]
        delta = chunk_mean - mean
        total = count + n
        mean += delta * (n / total)
        m2 += chunk_m2 + delta.square() * (count * n / total)
        count = total
    std = (m2 / max(count - 1, 1)).sqrt()
    constant = (std <= 1e-12 * mean.abs().clamp_min(1.0)) | ~torch.isfinite(std)
    std = torch.where(constant, torch.ones_like(std), std)
    return mean.float(), std.float()


def _input_chunks(dataset: Any) -> Iterator[torch.Tensor]:
    """The inputs as float batches: every sample of data in memory, a bounded sample of the rest."""
    if isinstance(dataset, TensorData):
        step = max(1, _CHUNK_ELEMENTS // max(1, dataset.x[0].numel()))
        for start in range(0, len(dataset), step):
            yield TensorData.prepare(dataset.x[start : start + step])
        return
    n = len(dataset)
    if n > MAX_LAZY_SAMPLES:
        picks = torch.linspace(0, n - 1, MAX_LAZY_SAMPLES).round().long().tolist()
    else:
        picks = list(range(n))
    for start in range(0, len(picks), 256):
        x, _ = first_samples(_Picked(dataset, picks[start : start + 256]), 256)
        yield x.float()


class _Picked(Dataset):
    """Chosen samples of a dataset, in order (first_samples reads a prefix)."""

    def __init__(self, base: Any, indices: list[int]):
        self.base, self.indices = base, indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i: int) -> Any:
        return self.base[self.indices[i]]
