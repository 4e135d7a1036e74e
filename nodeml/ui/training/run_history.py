"""A past run's curves, read back from its folder: the live feed's steps, metrics.csv's epochs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...core.training import RunStarted
from ...core.training.live import EventReader, Steps
from ...core.training.run_folder import EVENTS_FILE, read_manifest
from ...core.training.run_registry import read_metrics


@dataclass
class RunHistory:
    """What a run's curves need: per-step losses and learning rates (from ``events.jsonl``;
    empty for runs written before it) and one row per epoch (``metrics.csv``)."""

    path: Path
    name: str
    metric: str
    started: RunStarted | None
    steps: np.ndarray = field(default_factory=lambda: np.empty(0))
    losses: np.ndarray = field(default_factory=lambda: np.empty(0))
    lrs: np.ndarray = field(default_factory=lambda: np.empty(0))
    epochs: list[dict[str, float]] = field(default_factory=list)

    @property
    def total_steps(self) -> int | None:
        s = self.started
        return s.epochs * s.steps_per_epoch if s is not None else None

    def split(self, row: dict[str, float]) -> tuple[dict[str, float], dict[str, float] | None]:
        """A metrics.csv row as the curves take it: (train, val) metrics by bare name."""
        train = {k[6:]: v for k, v in row.items() if k.startswith("train_")}
        val = {k[4:]: v for k, v in row.items() if k.startswith("val_")} or None
        return train, val


def read_history(path: Path) -> RunHistory:
    manifest = read_manifest(path)
    events = EventReader(path / EVENTS_FILE).read()
    started = next((e for e in events if isinstance(e, RunStarted)), None)
    chunks = [e for e in events if isinstance(e, Steps)]
    rows = read_metrics(path)
    metric = started.metric if started is not None else _metric_of(rows)
    history = RunHistory(path, manifest.name if manifest else path.name, metric, started)
    if chunks:
        arrays = [step_arrays(c) for c in chunks]
        history.steps, history.losses, history.lrs = (
            np.concatenate([a[i] for a in arrays]) for i in range(3)
        )
    history.epochs = rows
    return history


def step_arrays(chunk: Steps) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A Steps line's steps, losses and learning rates as float arrays (a NaN the feed wrote as
    null is NaN again)."""
    return tuple(  # type: ignore[return-value]
        np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        for values in (chunk.steps, chunk.losses, chunk.lrs)
    )


def _metric_of(rows: list[dict[str, float]]) -> str:
    columns = set(rows[0]) if rows else set()
    return "accuracy" if {"train_accuracy", "val_accuracy"} & columns else "mae"
