"""Loss functions by name, and the task (classification / binary / regression) each one implies."""

from __future__ import annotations

import torch
from torch import nn

from .config import TrainingConfig

# which task a loss trains; used to pick metrics and to check the dataset's targets
LOSS_TASK = {
    "mse": "regression",
    "l1": "regression",
    "smooth_l1": "regression",
    "huber": "regression",
    "cross_entropy": "classification",
    "nll": "classification",
    "bce": "binary",
    "bce_with_logits": "binary",
}
DEFAULT_LOSS = {"classification": "cross_entropy", "binary": "bce_with_logits", "regression": "mse"}


def resolve_task(config: TrainingConfig, dataset_task: str) -> str:
    """The task: explicit override, else implied by an explicit loss, else the dataset's own."""
    if config.task is not None:
        return config.task
    if config.loss is not None:
        return LOSS_TASK[config.loss]
    return dataset_task


def is_reconstruction(config: TrainingConfig, dataset_task: str) -> bool:
    """A regression loss on a labelled dataset (an autoencoder): the target is the input itself,
    since a class label is no continuous target."""
    return resolve_task(config, dataset_task) == "regression" and dataset_task != "regression"


def resolve_loss(config: TrainingConfig, task: str) -> str:
    return config.loss if config.loss is not None else DEFAULT_LOSS[task]


def make_loss(name: str, config: TrainingConfig) -> nn.Module:
    """A fresh loss module; only the settings that loss understands are passed to it."""
    if name == "mse":
        return nn.MSELoss()
    if name == "l1":
        return nn.L1Loss()
    if name == "smooth_l1":
        return nn.SmoothL1Loss(beta=config.huber_delta)
    if name == "huber":
        return nn.HuberLoss(delta=config.huber_delta)
    if name == "cross_entropy":
        return nn.CrossEntropyLoss(label_smoothing=config.label_smoothing)
    if name == "nll":
        return nn.NLLLoss()
    if name == "bce":
        return nn.BCELoss()
    if name == "bce_with_logits":
        return nn.BCEWithLogitsLoss()
    raise KeyError(name)  # pragma: no cover - config canonicalises names first


def loss_target(task: str, y: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
    """Targets as the loss expects them: for binary and regression losses float and shaped
    like the output ((N,) against (N, 1) would silently broadcast to (N, N) in MSELoss)."""
    if task == "classification":
        return y
    y = y.to(output.dtype)
    return y.reshape(output.shape) if y.numel() == output.numel() else y
