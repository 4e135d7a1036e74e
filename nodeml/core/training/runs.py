"""A run folder, runs/<graph>-<time>/: settings.json, metrics.csv, last.pt, best.pt (and TensorBoard)."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path
from typing import Any

from ..checkpoint import save_checkpoint
from ..fileio import atomic_write_text
from .events import EpochEnded, RunStarted
from .trainer import Trainer


def new_run_dir(base: str | Path, graph_name: str) -> Path:
    """A fresh folder named after the graph and the local time; a suffix keeps same-second runs apart."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", graph_name).strip("_") or "model"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = Path(base) / f"{slug}-{stamp}"
    n = 2
    while path.exists():
        path = Path(base) / f"{slug}-{stamp}-{n}"
        n += 1
    path.mkdir(parents=True)
    return path


def _summary_writer(path: Path) -> Any:
    """TensorBoard's writer when the tensorboard package is installed, else None (it is optional)."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        return None
    return SummaryWriter(str(path))


class RunRecorder:
    """Subscribes to a Trainer and keeps its run folder up to date after every epoch.

    Checkpoints are written atomically, so a crash or a failed step leaves the last good
    ``last.pt`` in place; ``best.pt`` follows the lowest validation (else training) loss.
    """

    def __init__(self, trainer: Trainer, path: str | Path, *, tensorboard: bool = True):
        self.trainer = trainer
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.writer = _summary_writer(self.path) if tensorboard else None
        trainer.started.connect(self._on_started)
        trainer.epoch_ended.connect(self._on_epoch)
        trainer.finished.connect(lambda _: self.close())
        trainer.failed.connect(lambda _: self.close())

    @property
    def last(self) -> Path:
        return self.path / "last.pt"

    @property
    def best(self) -> Path:
        return self.path / "best.pt"

    def _on_started(self, event: RunStarted) -> None:
        settings = {
            "training": self.trainer.config.to_dict(),
            "dataset": {
                "name": event.info.name,
                "task": event.info.task,
                "sample_shape": list(event.info.sample_shape),
                "dtype": event.info.dtype,
                "num_classes": event.info.num_classes,
            },
            "task": event.task,
            "loss": event.loss,
            "device": event.device,
            "device_name": event.device_name,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "resumed_at_epoch": event.start_epoch,
        }
        atomic_write_text(self.path / "settings.json", json.dumps(settings, indent=2) + "\n")

    def _on_epoch(self, event: EpochEnded) -> None:
        state = self.trainer.state_dict()
        save_checkpoint(self.last, state)
        if event.improved:
            save_checkpoint(self.best, state)
        self._write_csv()
        if self.writer is not None:
            for split, values in (("train", event.train), ("val", event.val or {})):
                for name, value in values.items():
                    self.writer.add_scalar(f"{name}/{split}", value, event.epoch + 1)
            self.writer.add_scalar("lr", event.lr, event.epoch + 1)
            self.writer.flush()

    def _write_csv(self) -> None:
        rows = self.trainer.history
        columns: list[str] = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        atomic_write_text(self.path / "metrics.csv", out.getvalue())

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
