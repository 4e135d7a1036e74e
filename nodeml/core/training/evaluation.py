"""Evaluate a trained model on a split: loss, metrics, every prediction, and a confusion matrix."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .config import TrainingConfig
from .datasets import LoadedData, load_dataset
from .device import resolve_device
from .faults import ForwardError, node_of_error
from .loader import make_loader
from .losses import is_reconstruction, loss_target, make_loss, resolve_loss, resolve_task
from .metrics import MetricTotals, confusion_matrix
from .preparation import check_classes, pick_output, trained_output


@dataclass
class Evaluation:
    """``predictions`` are class indices (classification, binary) or values (regression), on the CPU,
    in dataset order, beside ``targets``; ``confusion`` rows are true classes."""

    split: str
    task: str
    metrics: dict[str, float]  # "loss" and the task's metrics
    predictions: torch.Tensor
    targets: torch.Tensor
    confusion: torch.Tensor | None
    classes: tuple[str, ...]


def pick_split(data: LoadedData, split: str) -> tuple[str, object]:
    """``test`` falls back to the validation split (then the training set) when there is none."""
    if split == "test" and data.test is not None:
        return "test", data.test
    if split in ("test", "val") and data.val is not None:
        return "val", data.val
    return "train", data.train


@torch.no_grad()
def evaluate_model(
    model: nn.Module, config: TrainingConfig, data: LoadedData | None = None, *, split: str = "test"
) -> Evaluation:
    data = data if data is not None else load_dataset(config)
    split, dataset = pick_split(data, split)
    task = resolve_task(config, data.info.task)
    loss_name = resolve_loss(config, task)
    loss_fn = make_loss(loss_name, config)
    reconstruct = is_reconstruction(config, data.info.task)
    index = trained_output(model, config)  # the Output training trained
    check_classes(model, data, task)
    device = resolve_device(config.device)
    model.to(device).eval()
    totals = MetricTotals(task, data.info.num_classes, binary_from_logits=loss_name != "bce")
    loader = make_loader(
        dataset,
        batch_size=config.batch_size,
        shuffle=False,
        seed=0,
        epoch=0,  # type: ignore[arg-type]
        num_workers=config.num_workers,
        pin_memory=device.type == "cuda",
    )
    predictions, targets = [], []
    for x, y in loader:
        x = x.to(device)
        y = x if reconstruct else y.to(device)
        try:
            output = model(x)
        except Exception as exc:
            raise ForwardError(exc, node_of_error(model, exc.__traceback__), 0) from exc
        output = pick_output(output, index)
        target = loss_target(task, y, output)
        totals.add(output, target, loss_fn(output, target))
        if task == "classification":
            predictions.append(output.argmax(dim=1).cpu())
        elif task == "binary":
            threshold = 0.0 if loss_name != "bce" else 0.5
            predictions.append((output > threshold).long().reshape(len(y), -1).squeeze(1).cpu())
        else:
            predictions.append(output.float().cpu())
        targets.append(y.cpu())
    pred, true = torch.cat(predictions), torch.cat(targets)
    confusion = None
    if task != "regression":
        k = data.info.num_classes or 2
        confusion = confusion_matrix(pred.clamp(0, k - 1), true.long().reshape(pred.shape), k)
    return Evaluation(split, task, totals.compute(), pred, true, confusion, data.info.classes)
