"""Writes a run folder as a Trainer trains: run.json, graph.json, settings.json, metrics.csv, checkpoints.

Checkpoints are written on a cadence, not every epoch: ``last.pt`` (and ``best.pt`` when it
changed) at an epoch's end once ``checkpoint_every_s`` have passed since the last write, and
always when the run finishes, is stopped, fails or is paused (``last.pt`` then holds the paused
state, mid-epoch, for whoever wants to save or resume it). Between writes the recorder keeps an
in-memory copy of the last finished epoch (and of the best one), so a failed step or an abort
still leaves the last finished epoch on disk; only a killed process loses up to ``checkpoint_every_s`` of work
plus the epoch under way. ``metrics.csv`` gets a row per epoch (appended, no fsync).
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from ..checkpoint import save_checkpoint
from ..fileio import atomic_write_text
from .events import (
    EpochEnded,
    Failed,
    Finished,
    FinishReason,
    RunStarted,
    StateChanged,
    TrainerState,
)
from .run_folder import (
    UNNAMED_GRAPH,
    BestMetric,
    RunManifest,
    RunStatus,
    default_run_name,
    new_run_dir,
    now_iso,
    this_process,
    write_manifest,
)
from .trainer import Trainer

__all__ = ["RunRecorder", "new_run_dir"]

WRITE_SHARE = 20  # a checkpoint write may take at most 1/20 of the time between two writes


class RunRecorder:
    """Subscribes to a Trainer and keeps its run folder ``path`` up to date.

    The folder is created at once (with ``run.json`` saying "running"), so other recorders, e.g.
    per-node statistics, can write beside it from the start. ``graph_file`` is the graph file
    trained (None when unsaved); ``resumed_from`` the checkpoint the run continues;
    ``checkpoint_every_s`` 0 writes the checkpoints after every epoch.
    """

    def __init__(
        self,
        trainer: Trainer,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        note: str = "",
        graph_file: str | os.PathLike[str] | None = None,
        resumed_from: str | os.PathLike[str] | None = None,
        checkpoint_every_s: float = 30.0,
        tensorboard: bool = False,
        world_size: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.trainer = trainer
        self.clock = clock
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.every_s = checkpoint_every_s
        self._last_write = clock()
        self._write_s = 0.0
        self._pending_last: dict[str, Any] | None = None  # last finished epoch, not yet on disk
        self._pending_best: dict[str, Any] | None = None
        self._columns: list[str] = []
        self.writer = _summary_writer(self.path) if tensorboard else None
        pid, host, start = this_process()
        graph_path = str(Path(graph_file).resolve()) if graph_file is not None else None
        self.manifest = RunManifest(
            name=name or default_run_name(self.path, graph_file, _graph_name(trainer)),
            note=note,
            started=now_iso(),
            epochs_done=trainer.epoch,
            epochs_asked=trainer.config.epochs,
            world_size=world_size,
            graph_file=graph_path,
            resumed_from=str(Path(resumed_from).resolve()) if resumed_from else None,
            pid=pid,
            host=host,
            process_start=start,
        )
        write_manifest(self.path, self.manifest)
        if trainer.graph is not None:
            graph = {**trainer.graph, "training": trainer.config.to_dict()}
            atomic_write_text(self.path / "graph.json", json.dumps(graph, indent=2) + "\n")
        trainer.started.connect(self._on_started)
        trainer.epoch_ended.connect(self._on_epoch)
        trainer.state_changed.connect(self._on_state)
        trainer.finished.connect(self._on_finished)
        trainer.failed.connect(self._on_failed)

    @property
    def last(self) -> Path:
        return self.path / "last.pt"

    @property
    def best(self) -> Path:
        return self.path / "best.pt"

    # ---- trainer events -------------------------------------------------------------------------
    def _on_started(self, event: RunStarted) -> None:
        self._last_write = self.clock()
        settings: dict[str, Any] = {
            "training": self.trainer.config.to_dict(),
            "dataset": {
                "name": event.info.name,
                "task": event.info.task,
                "sample_shape": list(event.info.sample_shape),
                "dtype": event.info.dtype,
                "num_classes": event.info.num_classes,
                "classes": list(event.info.classes),
            },
            "task": event.task,
            "loss": event.loss,
            "device": event.device,
            "device_name": event.device_name,
            "started": self.manifest.started,
            "resumed_at_epoch": event.start_epoch,
            "world_size": event.world_size,  # processes (torchrun); batch_size is each one's
        }
        if self.manifest.resumed_from:
            settings["resumed"] = {
                "from": self.manifest.resumed_from,
                "epoch": event.start_epoch,
                "changes": [c.describe() for c in self.trainer.resume_changes],
            }
        atomic_write_text(self.path / "settings.json", json.dumps(settings, indent=2) + "\n")
        self._write_metrics()  # a resumed run's earlier epochs

    def _on_epoch(self, event: EpochEnded) -> None:
        self._append_metrics(self.trainer.history[-1])
        self.manifest.epochs_done = self.trainer.epoch
        if event.improved:
            self._note_best()
        if self.writer is not None:
            for split, values in (("train", event.train), ("val", event.val or {})):
                for name, value in values.items():
                    self.writer.add_scalar(f"{name}/{split}", value, event.epoch + 1)
            self.writer.add_scalar("lr", event.lr, event.epoch + 1)
        due = max(self.every_s, WRITE_SHARE * self._write_s)
        if self.every_s <= 0 or self.clock() - self._last_write >= due:
            self._write_checkpoints(self.trainer.state_dict(), best_is_live=event.improved)
        else:  # kept in memory until the next write, or written as it is if the run fails
            self._pending_last = _snapshot(self.trainer.state_dict())
            if event.improved:
                self._pending_best = self._pending_last

    def _on_state(self, event: StateChanged) -> None:
        # paused between batches: the live state is consistent, and a follower that sees the
        # pause (the app's Save Checkpoint) finds it in last.pt; subscribed before any live
        # feed, so last.pt is written before the feed says "paused"
        if event.state is TrainerState.PAUSED:
            self._write_checkpoints(self.trainer.state_dict(), best_is_live=False)

    def _on_finished(self, event: Finished) -> None:
        # stopped or done: the live state is consistent (between batches) and resumes exactly
        self._write_checkpoints(self.trainer.state_dict(), best_is_live=False)
        status = RunStatus.FINISHED if event.reason is FinishReason.COMPLETED else RunStatus.STOPPED
        self._end(status)

    def _on_failed(self, event: Failed) -> None:
        self._end(RunStatus.FAILED, str(event.error))

    def close(self, error: BaseException | None = None) -> None:
        """End the record if the run did not (an abort, or an error outside the trainer's own):
        the last finished epoch is written; the status says stopped (Ctrl-C) or failed."""
        if self.manifest.status is RunStatus.RUNNING:
            if error is None or isinstance(error, KeyboardInterrupt):
                self._end(RunStatus.STOPPED)
            else:
                self._end(RunStatus.FAILED, f"{type(error).__name__}: {error}")
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    # ---- files ----------------------------------------------------------------------------------
    def _note_best(self) -> None:
        row = self.trainer.history[-1]
        key = "val_loss" if "val_loss" in row else "train_loss"
        self.manifest.best = BestMetric(
            key,
            float(row[key]),
            int(row["epoch"]),
            {k: float(v) for k, v in row.items() if k.startswith(("train_", "val_"))},
        )

    def _write_checkpoints(self, state: dict[str, Any], *, best_is_live: bool) -> None:
        started = self.clock()
        save_checkpoint(self.last, state)
        if best_is_live:
            save_checkpoint(self.best, state)
        elif self._pending_best is not None:
            save_checkpoint(self.best, self._pending_best)
        self._pending_last = self._pending_best = None
        write_manifest(self.path, self.manifest)
        if self.writer is not None:
            self.writer.flush()
        self._write_s = self.clock() - started
        self._last_write = self.clock()

    def _end(self, status: RunStatus, error: str | None = None) -> None:
        if self._pending_last is not None or self._pending_best is not None:
            if self._pending_last is not None:
                save_checkpoint(self.last, self._pending_last)
            if self._pending_best is not None:
                save_checkpoint(self.best, self._pending_best)
            self._pending_last = self._pending_best = None
        self.manifest.status, self.manifest.error = status, error
        self.manifest.ended = now_iso()
        self.manifest.epochs_done = self.trainer.epoch
        self._write_metrics()  # whole and fsync'd once at the end
        write_manifest(self.path, self.manifest)

    def _write_metrics(self) -> None:
        rows = self.trainer.history
        self._columns = []
        for row in rows:
            self._columns.extend(k for k in row if k not in self._columns)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self._columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        atomic_write_text(self.path / "metrics.csv", out.getvalue() if rows else "")

    def _append_metrics(self, row: dict[str, float]) -> None:
        if not self._columns or any(k not in self._columns for k in row):
            self._write_metrics()  # first row, or new columns: the header changes
            return
        out = io.StringIO()
        csv.DictWriter(out, fieldnames=self._columns, lineterminator="\n").writerow(row)
        with open(self.path / "metrics.csv", "a", encoding="utf-8", newline="") as f:
            f.write(out.getvalue())


def _graph_name(trainer: Trainer) -> str:
    graph = trainer.graph or {}
    name = graph.get("name") if isinstance(graph, dict) else None
    return name if isinstance(name, str) and name else UNNAMED_GRAPH


def _snapshot(value: Any) -> Any:
    """A copy of a state dict that training can no longer change: tensors copied to the CPU."""
    if torch.is_tensor(value):
        return value.detach().to("cpu", copy=True)
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_snapshot(v) for v in value)
    return value


def _summary_writer(path: Path) -> Any:
    """TensorBoard's writer when the tensorboard package is installed, else None (it is optional)."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        return None
    return SummaryWriter(str(path))
