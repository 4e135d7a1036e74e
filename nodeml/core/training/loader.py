"""DataLoaders whose batch order is a pure function of (seed, epoch), so a resumed run sees the same batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, Sampler
from torch.utils.data._utils.collate import default_collate

from .datasets import TensorData


class EpochSampler(Sampler[int]):
    """Shuffles with its own generator seeded from (seed, epoch), never from the global RNG, and
    can start part-way through an epoch (``start`` samples already seen) when resuming."""

    def __init__(self, n: int, *, shuffle: bool, seed: int, epoch: int, start: int = 0):
        self.n, self.shuffle, self.seed, self.epoch, self.start = n, shuffle, seed, epoch, start

    def order(self) -> torch.Tensor:
        if not self.shuffle:
            return torch.arange(self.n)
        gen = torch.Generator().manual_seed(self.seed * 1_000_003 + self.epoch)
        return torch.randperm(self.n, generator=gen)

    def __iter__(self) -> Iterator[int]:
        return iter(self.order()[self.start :].tolist())

    def __len__(self) -> int:
        return max(0, self.n - self.start)


class TensorBatches:
    """Batches of an in-memory TensorData straight from the shuffled order, without a DataLoader:
    with no workers to feed, its sampler lists and collation would be pure per-batch overhead."""

    def __init__(self, data: TensorData, sampler: EpochSampler, batch_size: int):
        self.data, self.sampler, self.batch_size = data, sampler, batch_size

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        order = self.sampler.order()[self.sampler.start :]
        for i in range(0, len(order), self.batch_size):
            yield self.data.__getitems__(order[i : i + self.batch_size])

    def __len__(self) -> int:
        return -(-len(self.sampler) // self.batch_size)


def collate(data: Any) -> Any:
    """In-memory datasets hand over a ready (x, y) batch via ``__getitems__``; others a list of samples."""
    return data if isinstance(data, tuple) else default_collate(data)


def make_loader(
    dataset: Dataset,
    *,
    batch_size: int,
    shuffle: bool,
    seed: int,
    epoch: int,
    start_sample: int = 0,
    num_workers: int = 0,
    pin_memory: bool = False,
) -> DataLoader | TensorBatches:
    sampler = EpochSampler(
        len(dataset), shuffle=shuffle, seed=seed, epoch=epoch, start=start_sample
    )  # type: ignore[arg-type]
    if isinstance(dataset, TensorData) and num_workers == 0 and not pin_memory:
        return TensorBatches(dataset, sampler, batch_size)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=sampler,
        num_workers=num_workers,
        pin_memory=pin_memory,
        collate_fn=collate,
        # the loader draws worker seeds from this, not from the global RNG the model's dropout uses
        generator=torch.Generator().manual_seed(seed * 1_000_003 + epoch + 1),
    )
