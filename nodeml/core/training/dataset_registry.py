"""The dataset registry: what an entry is, what its builder returns, and the table builders
register into (nodeml.core.training.datasets imports the built-in builders and looks names up)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.utils.data import Dataset

from ..errors import TrainingError


class DatasetError(TrainingError):
    """The dataset cannot be loaded (unknown name, bad option, files absent or malformed)."""


@dataclass(frozen=True)
class DatasetInfo:
    """What one sample looks like, so the Input node, loss and metrics can be checked before training.

    ``sample_shape`` excludes the batch dim; ``target_shape`` is ``()`` for class indices and
    ``(k,)`` for regression targets; ``kind`` ("table", "image", "sequence") picks the UI preview.
    """

    name: str
    task: str
    sample_shape: tuple[int, ...]
    dtype: str
    num_classes: int | None = None
    target_shape: tuple[int, ...] = ()
    classes: tuple[str, ...] = ()
    kind: str = "table"
    notes: tuple[str, ...] = ()  # choices the builder made that the user should hear about

    def describe(self) -> str:
        shape = "(N, " + ", ".join(str(d) for d in self.sample_shape) + ")"
        what = f"{self.num_classes} classes" if self.num_classes else self.task
        return f"{self.name}: samples {shape} {self.dtype}, {what}"


class TensorData(Dataset):
    """Samples held in memory, indexed a whole batch at a time (``__getitems__``) for speed.

    uint8 images stay uint8 in memory (4x smaller) and become floats in [0, 1] per batch, as
    torchvision's ToTensor makes them; nothing else is done to them: any standardisation is the
    model's own (see nodeml.core.training.standardization).
    """

    def __init__(self, x: torch.Tensor, y: torch.Tensor):
        if len(x) != len(y):
            raise ValueError("x and y must have the same length")
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    @staticmethod
    def prepare(xb: torch.Tensor) -> torch.Tensor:
        return xb.float().div_(255.0) if xb.dtype == torch.uint8 else xb

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.prepare(self.x[i : i + 1])[0], self.y[i]

    def __getitems__(self, indices: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
        idx = torch.as_tensor(indices, dtype=torch.long)
        return self.prepare(self.x[idx]), self.y[idx]

    def subset(self, indices: torch.Tensor) -> TensorData:
        return TensorData(self.x[indices], self.y[indices])


@dataclass
class RawData:
    """What a dataset builder returns: the training set, an optional official test set, the info."""

    train: Dataset
    info: DatasetInfo
    test: Dataset | None = None


@dataclass(frozen=True)
class TaskHint:
    """What the model to be trained implies about the task, for a dataset whose targets can be
    read more than one way (a CSV column of whole numbers: class labels or quantities).

    ``output_width`` is the values per sample of the trained Output (None when unknown or not a
    flat vector); ``loss`` and ``task`` are the training section's, None when unset."""

    output_width: int | None = None
    loss: str | None = None
    task: str | None = None


@dataclass(frozen=True)
class DatasetSpec:
    """A registry entry. ``options`` maps each option to its default; ``options_for_shape`` says
    which options (if any) make the samples a given shape, to offer as a fix. A builder with
    ``uses_task_hint`` is called as ``build(options, hint)``.

    ``normalize`` (whether a model trained on it standardises its float inputs by default) and
    ``task`` (its targets' task; None when the data decides, as for a CSV) are known without
    loading anything, so the compiler can decide from a graph file alone (standardizes_inputs).
    """

    name: str
    description: str
    build: Callable[..., RawData]
    options: dict[str, Any] = field(default_factory=dict)
    builtin: bool = True
    options_for_shape: Callable[[tuple[int, ...]], dict[str, Any] | None] | None = None
    uses_task_hint: bool = False
    normalize: bool = True
    task: str | None = None


DATASETS: dict[str, DatasetSpec] = {}


def register(spec: DatasetSpec) -> DatasetSpec:
    DATASETS[spec.name] = spec
    return spec
