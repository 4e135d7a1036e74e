"""Checks before the first step: the task and loss fit the dataset, the model's output its targets."""

from __future__ import annotations

import torch

from .config import ConfigError, TrainingConfig
from .datasets import DatasetInfo
from .losses import LOSS_TASK, resolve_loss, resolve_task


def task_and_loss(config: TrainingConfig, info: DatasetInfo) -> tuple[str, str]:
    """The task trained and the loss's canonical name; a ConfigError when they do not fit."""
    task = resolve_task(config, info.task)
    loss = resolve_loss(config, task)
    if LOSS_TASK[loss] != task:
        raise ConfigError("loss", f"{loss} trains a {LOSS_TASK[loss]} task, not {task}")
    if task != "regression" and info.task == "regression":
        raise ConfigError(
            "task",
            f"dataset {info.name} has continuous targets; use a regression loss (mse, l1, huber)",
        )
    return task, loss


def output_problem(
    output: torch.Tensor, target: torch.Tensor, task: str, info: DatasetInfo
) -> str | None:
    """What is wrong with a model whose (trained) output is ``output`` for these targets, and
    the fix; None when it fits."""
    shown = "(N, " + ", ".join(str(d) for d in output.shape[1:]) + ")"
    if task == "classification":
        classes = info.num_classes or 0
        if output.dim() != 2 or output.shape[1] < classes:
            return (
                f"the model outputs {shown} but dataset {info.name} has {classes} classes; make the "
                f"last layer give (N, {classes}), e.g. a Linear with out_features={classes}"
            )
    elif output.shape[1:] != target.shape[1:] and output.numel() != target.numel():
        want = "(N, " + ", ".join(str(d) for d in target.shape[1:]) + ")"
        return (
            f"the model outputs {shown} but dataset {info.name}'s targets are {want}; make the last "
            f"layer give {want}"
        )
    return None
