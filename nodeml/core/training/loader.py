"""DataLoaders whose batch order is a pure function of (seed, epoch), so a resumed run sees the
same batches, and each process of a torchrun job takes its share of that one order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, Sampler
from torch.utils.data._utils.collate import default_collate

from .datasets import TensorData


class EpochSampler(Sampler[int]):
    """Shuffles with its own generator seeded from (seed, epoch), never from the global RNG, and
    can start part-way through an epoch (``start`` samples already seen) when resuming.

    With ``world_size`` > 1 (one sampler per process, ``rank`` its place) the epoch's one order is
    shared out as torch's DistributedSampler does: process r takes positions r, r + W, r + 2W, ...
    of what is left of it. So after every process has taken s samples, the epoch's first
    ``start + s * W`` positions are done, whatever W: a run stopped there resumes at that sample
    with any number of processes. With ``pad`` the order is padded, as DistributedSampler pads,
    by repeating its first samples until every process has the same number (the processes must
    take the same number of steps); at most W - 1 samples are seen twice per epoch, and
    ``real()`` says how many of this process's samples are not such repeats. Without ``pad``
    (evaluation) the processes' shares differ by at most one sample and none is repeated.
    """

    def __init__(
        self,
        n: int,
        *,
        shuffle: bool,
        seed: int,
        epoch: int,
        start: int = 0,
        rank: int = 0,
        world_size: int = 1,
        pad: bool = True,
    ):
        self.n, self.shuffle, self.seed, self.epoch, self.start = n, shuffle, seed, epoch, start
        self.rank, self.world_size, self.pad = rank, world_size, pad

    def order(self) -> torch.Tensor:
        """The whole epoch's order, the same in every process."""
        if not self.shuffle:
            return torch.arange(self.n)
        gen = torch.Generator().manual_seed(self.seed * 1_000_003 + self.epoch)
        return torch.randperm(self.n, generator=gen)

    def indices(self) -> torch.Tensor:
        """This process's samples, in the order it trains them."""
        order = self.order()
        left = order[self.start :]
        if self.world_size == 1:
            return left
        if self.pad and len(left) % self.world_size:
            missing = self.world_size - len(left) % self.world_size
            repeats = -(-missing // len(order))  # a tiny dataset may need its order several times
            left = torch.cat([left, order.repeat(repeats)[:missing]])
        return left[self.rank :: self.world_size]

    def real(self) -> int:
        """How many of this process's samples are the epoch's own, not padding repeats."""
        left = max(0, self.n - self.start - self.rank)
        return -(-left // self.world_size)

    def __iter__(self) -> Iterator[int]:
        return iter(self.indices().tolist())

    def __len__(self) -> int:
        left = max(0, self.n - self.start)
        if self.pad:
            return -(-left // self.world_size)
        return self.real()


class TensorBatches:
    """Batches of an in-memory TensorData straight from the shuffled order, without a DataLoader:
    with no workers to feed, its sampler lists and collation would be pure per-batch overhead."""

    def __init__(self, data: TensorData, sampler: EpochSampler, batch_size: int):
        self.data, self.sampler, self.batch_size = data, sampler, batch_size

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        order = self.sampler.indices()
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
    rank: int = 0,
    world_size: int = 1,
    pad: bool = True,
) -> DataLoader | TensorBatches:
    """Batches of ``dataset`` in the (seed, epoch) order; ``rank`` / ``world_size``: this
    process's share of it (see EpochSampler)."""
    sampler = EpochSampler(
        len(dataset),  # type: ignore[arg-type]
        shuffle=shuffle,
        seed=seed,
        epoch=epoch,
        start=start_sample,
        rank=rank,
        world_size=world_size,
        pad=pad,
    )
    if isinstance(dataset, TensorData) and num_workers == 0 and not pin_memory:
        return TensorBatches(dataset, sampler, batch_size)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=sampler,
        num_workers=num_workers,
        pin_memory=pin_memory,
        collate_fn=collate,
        # the loader draws worker seeds from this, not from the global RNG the model's dropout
        # uses; each process's workers get their own
        generator=torch.Generator().manual_seed(seed * 1_000_003 + epoch + 1 + 7919 * rank),
    )
