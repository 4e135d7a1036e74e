"""The dataset registry: what each dataset yields, train/val split, whether inputs are standardised."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.utils.data import Dataset, Subset

from ..errors import Problem, TrainingError
from ..graph import Graph
from .config import TrainingConfig
from .losses import LOSS_TASK, is_reconstruction


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


def dataset_spec(name: str) -> DatasetSpec:
    _ensure_registered()
    if name not in DATASETS:
        close = difflib.get_close_matches(name, list(DATASETS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise DatasetError(
            f"training.dataset: unknown dataset {name!r}; {hint}choose one of {', '.join(DATASETS)}"
        )
    return DATASETS[name]


def _ensure_registered() -> None:
    # importing the modules registers their datasets; done lazily to avoid an import cycle
    from . import real, synthetic  # noqa: F401


def dataset_names() -> list[str]:
    """Every dataset: the user's files and downloads, then the generated ones, each in the order
    its module registers them -- whichever of the modules was imported first."""
    _ensure_registered()
    return sorted(DATASETS, key=lambda name: DATASETS[name].builtin)  # stable: False first


def resolve_options(spec: DatasetSpec, options: dict[str, Any]) -> dict[str, Any]:
    for key in options:
        if key not in spec.options:
            known = ", ".join(spec.options) or "none"
            raise DatasetError(
                f"training.dataset_options.{key}: {spec.name} has no option {key!r} (its options: {known})"
            )
    return {**spec.options, **options}


@dataclass
class LoadedData:
    """Train / validation (/ test) splits, ready for a DataLoader, and what a sample looks like.
    The samples are raw (uint8 images as floats in [0, 1]): standardising is the model's job."""

    train: Dataset
    val: Dataset | None
    test: Dataset | None
    info: DatasetInfo


def expected_task(config: TrainingConfig) -> str | None:
    """The task as the settings and the dataset's registry entry tell it, without loading data;
    None when the data decides (a CSV's target column with no task or loss set)."""
    if config.task is not None:
        return config.task
    if config.loss is not None:
        return LOSS_TASK[config.loss]
    return dataset_spec(config.dataset).task


def standardizes_inputs(config: TrainingConfig) -> bool:
    """Whether a model trained with ``config`` standardises its (float) input: ``normalize`` when
    set, else the dataset's default -- except an autoencoder's, whose output (often a Sigmoid)
    reproduces the raw input. The one decision, read by the compiler and the Trainer alike."""
    if config.normalize is not None:
        return config.normalize
    spec = dataset_spec(config.dataset)
    return spec.normalize and not (spec.task is not None and is_reconstruction(config, spec.task))


def load_dataset(config: TrainingConfig, hint: TaskHint | None = None) -> LoadedData:
    """Build the configured dataset and split it; the split depends only on ``seed``. ``hint``
    (nodeml.core.training.task_hint) lets the graph settle a task the data leaves open."""
    spec = dataset_spec(config.dataset)
    options = resolve_options(spec, config.dataset_options)
    if spec.uses_task_hint:
        raw = spec.build(options, hint or TaskHint(loss=config.loss, task=config.task))
    else:
        raw = spec.build(options)
    train, test = raw.train, raw.test
    n = len(train)  # type: ignore[arg-type]
    n_val = int(round(n * config.val_split))
    if n_val >= n:
        raise DatasetError(
            f"training.val_split: {config.val_split} leaves no training samples; lower it"
        )
    if n_val == 0:
        return LoadedData(train, None, test, raw.info)
    gen = torch.Generator().manual_seed(config.seed or 0)
    perm = torch.randperm(n, generator=gen)
    val_idx, train_idx = perm[:n_val], perm[n_val:]
    if isinstance(train, TensorData):
        return LoadedData(train.subset(train_idx), train.subset(val_idx), test, raw.info)
    return LoadedData(
        Subset(train, train_idx.tolist()), Subset(train, val_idx.tolist()), test, raw.info
    )


def first_samples(data: Dataset, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The first ``n`` samples as a batch, for previews and the pre-flight forward pass."""
    n = min(n, len(data))  # type: ignore[arg-type]
    getitems = getattr(data, "__getitems__", None)
    if getitems is not None:
        batch = getitems(list(range(n)))
        if isinstance(batch, tuple):
            return batch
        xs, ys = zip(*batch, strict=True)
    else:
        xs, ys = zip(*(data[i] for i in range(n)), strict=True)
    return torch.stack(list(xs)), torch.as_tensor(ys) if not torch.is_tensor(
        ys[0]
    ) else torch.stack(list(ys))


def _family(dtype: str) -> str:
    return "float" if dtype.startswith(("float", "bfloat")) else "int"


class InputMismatchError(TrainingError):
    """The dataset's samples do not fit the graph's Input node; ``problems`` say how to fix it,
    ``node`` / ``field`` point at the first, ``info`` is what the dataset gives."""

    def __init__(self, problems: list[Problem], info: DatasetInfo):
        self.problems, self.info = list(problems), info
        self.node, self.field = problems[0].node, problems[0].field
        super().__init__("; ".join(str(p) for p in problems))


def check_input(info: DatasetInfo, graph: Graph) -> list[Problem]:
    """Problems feeding this dataset into the graph's Input node, each with the fix to make."""
    inputs = [n for n in graph.nodes if n.type == "Input"]
    if not inputs:
        return [Problem("dataset", "the graph has no Input node; add one to receive the samples")]
    if len(inputs) > 1:
        names = ", ".join(n.id for n in inputs)
        return [
            Problem(
                "dataset",
                f"training feeds one input, but the graph has {len(inputs)} Input nodes ({names}); "
                "keep one",
            )
        ]
    node = inputs[0]
    problems = []
    shape = node.params.get("shape")
    want = list(info.sample_shape)
    if shape != want:
        fix = f"set its shape to {want}"
        spec = DATASETS.get(info.name)
        if spec is not None and spec.options_for_shape is not None and isinstance(shape, list):
            options = spec.options_for_shape(tuple(shape))
            if options:
                shown = ", ".join(f"{k}={v}" for k, v in options.items())
                fix += f", or set the dataset options {shown}"
        problems.append(
            Problem(
                "dataset",
                f"dataset {info.name} gives samples of shape {want} but this Input expects "
                f"{shape}; {fix}",
                node=node.id,
                field="shape",
            )
        )
    dtype = node.params.get("dtype", "float32")
    if _family(dtype) != _family(info.dtype):
        want_dtype = "long" if _family(info.dtype) == "int" else "float32"
        problems.append(
            Problem(
                "dataset",
                f"dataset {info.name} gives {info.dtype} samples but this Input is {dtype}; "
                f"set its dtype to {want_dtype}",
                node=node.id,
                field="dtype",
            )
        )
    return problems
