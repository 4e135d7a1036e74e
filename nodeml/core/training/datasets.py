"""Datasets by name: the built-in ones registered, loaded and split, checked against the Input.

Importing this module registers the built-in datasets (real, synthetic), which register into
dataset_registry without importing this module."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import torch
from torch.utils.data import Dataset, Subset

from ..errors import Problem, TrainingError
from ..graph import Graph
from . import real, synthetic  # noqa: F401 - importing them registers their datasets
from .config import TrainingConfig
from .dataset_registry import (
    DATASETS,
    DatasetError,
    DatasetInfo,
    DatasetSpec,
    RawData,
    TaskHint,
    TensorData,
    register,
)
from .losses import LOSS_TASK, is_reconstruction

__all__ = [
    "DATASETS",
    "DatasetError",
    "DatasetInfo",
    "DatasetSpec",
    "InputMismatchError",
    "LoadedData",
    "RawData",
    "TaskHint",
    "TensorData",
    "check_input",
    "dataset_names",
    "dataset_spec",
    "expected_task",
    "first_samples",
    "load_dataset",
    "register",
    "resolve_options",
    "standardizes_inputs",
]


def dataset_spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        close = difflib.get_close_matches(name, list(DATASETS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise DatasetError(
            f"training.dataset: unknown dataset {name!r}; {hint}choose one of {', '.join(DATASETS)}"
        )
    return DATASETS[name]


def dataset_names() -> list[str]:
    """Every dataset: the user's files and downloads, then the generated ones, each in the order
    its module registers them -- whichever of the modules was imported first."""
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
