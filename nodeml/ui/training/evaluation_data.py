"""What the Evaluate view shows, computed without Qt: the core's evaluation of some weights, as arrays.

The metrics, predictions and confusion matrix are ``nodeml evaluate``'s own (core
``evaluate_model``); this adds the first test images for image datasets and plain NumPy arrays
the view can draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication

from ...core.checkpoint import load_model_state
from ...core.compile import compile_graph
from ...core.graph import Graph
from ...core.training import TrainingConfig, load_dataset
from ...core.training.datasets import InputMismatchError, check_input, first_samples
from ...core.training.evaluation import Evaluation, evaluate_model, pick_split
from ...core.training.metrics import PRIMARY
from ...core.training.task_hint import task_hint
from .metric_names import metric_label

SAMPLES = 24  # predictions shown as a grid of images
MAX_SCATTER = 20_000  # regression points drawn; more would not read better
SPLIT_NAMES = {"test": "test", "val": "validation", "train": "training"}


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
        split = QCoreApplication.translate("Metrics", self.split)  # i18n: metric_names.SPLITS
        loss = self.metrics.get("loss", float("nan"))
        parts = [
            QCoreApplication.translate("Training", "{split} loss {loss:.4g}").format(
                split=split, loss=loss
            )
        ]
        for name, value in self.metrics.items():
            if name != "loss":
                shown = f"{100 * value:.1f} %" if name in ("accuracy", "top5") else f"{value:.4g}"
                parts.append(f"{metric_label(name)} {shown}")
        samples = QCoreApplication.translate("Training", "{count:,} samples").format(
            count=len(self.target)
        )
        return " · ".join([*parts, samples])


def evaluate_weights(
    graph: Graph, config: TrainingConfig, state: dict[str, Any], partial: bool = False
) -> EvaluationResult:
    """Build ``graph``, load ``state`` into it and evaluate it on the test split (else the
    validation split, else the training set) of ``config``'s dataset."""
    data = load_dataset(config, task_hint(graph, config))
    problems = check_input(data.info, graph)
    if problems:
        raise InputMismatchError(problems, data.info)
    model = compile_graph(graph)
    load_model_state(model, state, partial=partial)
    evaluation = evaluate_model(model, config, data, split="test")
    _, dataset = pick_split(data, "test")
    images = _images(dataset, SAMPLES) if data.info.kind == "image" else None
    return result_of(evaluation, images)


def result_of(evaluation: Evaluation, images: np.ndarray | None = None) -> EvaluationResult:
    """The core's Evaluation as the view's arrays: one prediction and one target per sample."""
    e = evaluation
    predicted = e.predictions.reshape(len(e.predictions), -1)[:, 0].float().numpy()
    truth = e.targets.reshape(len(e.targets), -1)[:, 0]
    classes = tuple(e.classes)
    confusion = None
    if e.confusion is not None:
        confusion = e.confusion.numpy()
        if e.task == "binary" and not classes:
            classes = ("0", "1")
        classes += tuple(str(i) for i in range(len(classes), len(confusion)))
        truth = (truth > 0.5).long() if e.task == "binary" else truth.long()
    target = truth.float().numpy()
    if confusion is None and len(target) > MAX_SCATTER:
        keep = np.random.default_rng(0).choice(len(target), MAX_SCATTER, replace=False)
        predicted, target = predicted[keep], target[keep]
    split = SPLIT_NAMES.get(e.split, e.split)
    return EvaluationResult(
        split, e.task, PRIMARY[e.task], e.metrics, classes, predicted, target, confusion, images
    )


def _images(dataset: object, n: int) -> np.ndarray:
    """The first ``n`` samples as displayable images: each stretched to [0, 1] on its own."""
    x, _ = first_samples(dataset, n)  # type: ignore[arg-type]
    x = x.float()
    low = x.amin(dim=(1, 2, 3), keepdim=True)
    high = x.amax(dim=(1, 2, 3), keepdim=True)
    x = (x - low) / (high - low).clamp_min(1e-6)
    return x.permute(0, 2, 3, 1).numpy()
