"""Metric and split names as the Training dock shows them, in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Metrics"
# the metrics the trainer writes (nodeml.core.training.metrics); others show as they are named
NAMES = {
    "accuracy": QT_TRANSLATE_NOOP("Metrics", "accuracy"),
    "top5": QT_TRANSLATE_NOOP("Metrics", "top-5 accuracy"),
    "mae": QT_TRANSLATE_NOOP("Metrics", "MAE"),
    "r2": QT_TRANSLATE_NOOP("Metrics", "R²"),
    "loss": QT_TRANSLATE_NOOP("Metrics", "loss"),
}


def metric_label(name: str) -> str:
    """``accuracy`` -> accuracy (정확도); a name nodeml does not know is shown as it is."""
    text = NAMES.get(name)
    return QCoreApplication.translate(CONTEXT, text) if text else name  # i18n: NAMES' NOOPs


SPLITS = {
    "train": QT_TRANSLATE_NOOP("Metrics", "training"),
    "val": QT_TRANSLATE_NOOP("Metrics", "validation"),
    "test": QT_TRANSLATE_NOOP("Metrics", "test"),
}


def split_metric_label(column: str) -> str:
    """A metrics.csv column as words: ``val_loss`` -> validation loss (검증 손실)."""
    split, _, metric = column.partition("_")
    if split not in SPLITS or not metric:
        return metric_label(column.replace("_", " ") if column not in NAMES else column)
    text = QCoreApplication.translate("Metrics", "{split} {metric}")
    split_name = QCoreApplication.translate(CONTEXT, SPLITS[split])  # i18n: SPLITS' NOOPs
    return text.format(split=split_name, metric=metric_label(metric))
