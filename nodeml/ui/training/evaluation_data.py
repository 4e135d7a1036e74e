"""What the Evaluate view shows, computed without Qt: metrics, confusion matrix, sample predictions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ...core.training import Trainer
from ...core.training.datasets import first_samples
from ...core.training.loader import make_loader
from ...core.training.metrics import confusion_matrix
from ...core.training.preparation import pick_output

SAMPLES = 24  # predictions shown as a grid of images
MAX_SCATTER = 20_000  # regression points drawn; more would not read better


@dataclass
class EvaluationResult:
    """Metrics over one split and the predictions behind them.

    ``predicted``/``target`` are class indices (classification, binary) or values (regression);
    ``images`` are the first samples as (k, H, W, C) floats in [0, 1] for image datasets.
    """

    split: str
    task: str
    metric: str
    metrics: dict[str, float]
    classes: tuple[str, ...]
    predicted: np.ndarray
    target: np.ndarray
    confusion: np.ndarray | None = None
    images: np.ndarray | None = None

    def summary(self) -> str:
        parts = [f"{self.split} loss {self.metrics.get('loss', float('nan')):.4g}"]
        for name, value in self.metrics.items():
            if name != "loss":
                shown = f"{100 * value:.1f} %" if name in ("accuracy", "top5") else f"{value:.4g}"
                parts.append(f"{name} {shown}")
        return " · ".join(parts) + f" · {len(self.target):,} samples"


def _split(trainer: Trainer) -> tuple[str, object]:
    data = trainer.data
    if data.test is not None:
        return "test", data.test
    if data.val is not None:
        return "validation", data.val
    return "training", data.train


@torch.no_grad()
def _predictions(trainer: Trainer, dataset: object) -> tuple[np.ndarray, np.ndarray]:
    loader = make_loader(
        dataset, batch_size=max(trainer.config.batch_size, 256), shuffle=False, seed=0, epoch=0
    )
    model = trainer.model
    preds, targets = [], []
    model.eval()
    try:
        for x, y in loader:
            out = pick_output(model(x.to(trainer.device)), trainer.output_index)
            out = out.float().cpu()
            if trainer.task == "classification":
                preds.append(out.argmax(dim=1))
            elif trainer.task == "binary":
                threshold = 0.5 if trainer.loss_name == "bce" else 0.0
                preds.append((out.reshape(len(y), -1)[:, 0] > threshold).long())
                y = (y.reshape(len(y), -1)[:, 0] > 0.5).long()
            else:
                preds.append(out.reshape(-1))
                y = y.float().reshape(-1)
            targets.append(y.cpu())
    finally:
        model.train()
    return torch.cat(preds).numpy(), torch.cat(targets).numpy()


def _images(dataset: object, n: int) -> np.ndarray:
    """The first ``n`` samples as displayable images: each stretched to [0, 1] on its own."""
    x, _ = first_samples(dataset, n)  # type: ignore[arg-type]
    x = x.float()
    low = x.amin(dim=(1, 2, 3), keepdim=True)
    high = x.amax(dim=(1, 2, 3), keepdim=True)
    x = (x - low) / (high - low).clamp_min(1e-6)
    return x.permute(0, 2, 3, 1).numpy()


def evaluate_model(trainer: Trainer) -> EvaluationResult:
    """Evaluate on the test split (else validation, else training): the trainer must be idle."""
    split, dataset = _split(trainer)
    metrics = trainer.evaluate(dataset)
    predicted, target = _predictions(trainer, dataset)
    info = trainer.data.info
    task = trainer.task
    classes = info.classes or tuple(str(i) for i in range(info.num_classes or 0))
    if task == "binary" and not classes:
        classes = ("0", "1")
    confusion = None
    if task in ("classification", "binary"):
        k = max(len(classes), int(predicted.max(initial=0)) + 1, int(target.max(initial=0)) + 1)
        confusion = confusion_matrix(
            torch.from_numpy(predicted), torch.from_numpy(target), k
        ).numpy()
        classes = tuple(classes) + tuple(str(i) for i in range(len(classes), k))
    elif len(target) > MAX_SCATTER:
        keep = np.random.default_rng(0).choice(len(target), MAX_SCATTER, replace=False)
        predicted, target = predicted[keep], target[keep]
    images = _images(dataset, SAMPLES) if info.kind == "image" else None
    return EvaluationResult(
        split, task, trainer.metric, metrics, tuple(classes), predicted, target, confusion, images
    )
