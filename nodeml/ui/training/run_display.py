"""The run on screen: the session's news of the current run shown on the Training dock's curves, progress bar and status line.

It writes to the dock and nothing else: no state of the run beyond what the feed said last
(the RunStarted that sizes the progress bar), so a run that is followed, finished or failed
always reads the same as its run folder.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from ...core.training import EpochEnded, Finished, RunStarted
from ...core.training.events import FinishReason
from ...core.training.live import Steps
from ...core.training.run_folder import read_manifest
from ...core.training.run_registry import read_metrics
from .dock import TrainingDock
from .messages import format_eta
from .metric_names import metric_label

PROGRESS_S = 0.5  # the progress bar's text and value change at most this often (each repaints it)


def run_name(run_dir: Path) -> str:
    """The run's name as its run.json says it (the Runs panel's, renamed or not)."""
    manifest = read_manifest(run_dir)
    return manifest.name if manifest is not None else run_dir.name


def step_arrays(chunk: Steps) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A Steps line's steps, losses and learning rates as float arrays (a NaN the feed wrote as
    null is NaN again)."""
    return tuple(  # type: ignore[return-value]
        np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        for values in (chunk.steps, chunk.losses, chunk.lrs)
    )


class RunDisplay:
    """Shows one run at a time; ``started`` is its RunStarted (None before the feed says it)."""

    def __init__(self, dock: TrainingDock):
        self.dock = dock
        self.started: RunStarted | None = None
        self.run_dir: Path | None = None
        self.epoch = 0  # the epoch under way as last shown (1-based)
        self._progress_at = 0.0

    def launched(self, run_dir: Path) -> None:
        """A run was started: the curves come up and grow to be read, busy until it loads.

        Its curves are made now, while its process loads the data, under the name it will have
        (the same rule names it there); the run's start only completes them. On a machine whose
        cores all train, what the UI does once the run trains is taken from its first epoch."""
        self.started, self.run_dir = None, run_dir
        d = self.dock
        d.plots.start_run(d.runs.new_run_name(run_dir), "", key=run_dir)
        d.progress.setRange(0, 0)  # busy until the data is loaded
        d.progress.setFormat(QCoreApplication.translate("Training", "Preparing…"))
        loading = QCoreApplication.translate(
            "Training", "Loading the dataset and compiling the graph… (run folder {folder})"
        )
        d.status.setText(loading.format(folder=run_dir))
        d.tabs.setCurrentWidget(d.curves)
        d.show()
        d.raise_()
        d.make_room()

    def show_started(self, event: RunStarted) -> None:
        self.started = event
        run_dir, d = self.run_dir, self.dock
        total = event.epochs * event.steps_per_epoch
        name = run_name(run_dir) if run_dir is not None else "run"
        d.runs.refresh()  # its run.json is written: listed (and named) at once
        d.plots.start_run(name, event.metric, total, event.epochs, key=run_dir)
        if event.start_epoch and run_dir is not None:  # the resumed run's earlier epochs
            # only those: by the time this is read the worker may have appended the epochs it
            # trained since, and those come from the feed (EpochEnded), so drawn once
            for row in read_metrics(run_dir):
                if row["epoch"] > event.start_epoch:
                    break
                train = {k[6:]: v for k, v in row.items() if k.startswith("train_")}
                val = {k[4:]: v for k, v in row.items() if k.startswith("val_")} or None
                d.plots.add_epoch(int(row["epoch"]), train, val)
        d.progress.setRange(0, max(1, total))
        notes = list(event.notes)
        if event.start_epoch:
            notes.insert(
                0,
                QCoreApplication.translate("Training", "resumed at epoch {epoch}").format(
                    epoch=event.start_epoch
                ),
            )
        text = QCoreApplication.translate(
            "Training", "Training on {device_name} ({device}) · {data} · {loss} loss"
        ).format(
            device_name=event.device_name,
            device=event.device,
            data=event.info.describe(),
            loss=event.loss,
        )
        d.status.setText(text + (f" · {'; '.join(notes)}" if notes else ""))
        start = event.start_epoch * event.steps_per_epoch
        self._show_progress(event.start_epoch, start, 0.0, None)

    def show_steps(self, chunk: Steps) -> None:
        steps, losses, lrs = step_arrays(chunk)
        self.dock.plots.add_steps(steps, losses, lrs)
        now = time.monotonic()
        if now - self._progress_at >= PROGRESS_S:
            # a progress bar repaints at once on every new value: a few times a second will do
            self._progress_at = now
            e = chunk.last
            self._show_progress(e.epoch, e.step, e.samples_per_s, e.eta_s, e.batch, e.batches)

    def _show_progress(
        self, epoch: int, step: int, rate: float, eta: float | None, batch: int = 0, n: int = 0
    ) -> None:
        epochs = self.started.epochs if self.started else 0
        self.epoch = min(epoch + 1, max(epochs, 1))  # the epoch under way, 1-based
        text = QCoreApplication.translate("Training", "Epoch {epoch}/{epochs}").format(
            epoch=self.epoch, epochs=epochs
        )
        if n:
            text += " · " + QCoreApplication.translate("Training", "step {batch}/{batches}").format(
                batch=batch, batches=n
            )
        if rate:
            text += " · " + QCoreApplication.translate("Training", "{rate:,.0f} samples/s").format(
                rate=rate
            )
        if eta is not None:
            text += " · " + QCoreApplication.translate("Training", "ETA {eta}").format(
                eta=format_eta(eta)
            )
        # the text first: setValue repaints the bar at once (QProgressBar does), and that one
        # paint then shows both; the other order paints (and sends to the screen) twice
        self.dock.progress.setFormat(text)
        self.dock.progress.setValue(step)

    def show_epoch(self, event: EpochEnded) -> None:
        self.dock.plots.add_epoch(event.epoch + 1, event.train, event.val)
        self._show_progress(event.epoch + 1, event.step, event.samples_per_s, event.eta_s)
        metric = self.started.metric if self.started else "loss"
        shown = event.val or event.train
        if event.val:
            text = QCoreApplication.translate(
                "Training", "Epoch {epoch}: validation loss {loss:.4g}"
            )
        else:
            text = QCoreApplication.translate("Training", "Epoch {epoch}: training loss {loss:.4g}")
        text = text.format(epoch=event.epoch + 1, loss=shown["loss"])
        value = shown.get(metric)
        if value is not None:
            number = f"{100 * value:.1f} %" if metric == "accuracy" else f"{value:.4g}"
            text += f", {metric_label(metric)} {number}"
        self.dock.status.setText(text)

    def show_finished(self, event: Finished) -> None:
        if event.reason is FinishReason.COMPLETED:
            said = QCoreApplication.translate(
                "Training", "Finished after {epochs} epoch(s), {steps:,} steps."
            )
            bar = QCoreApplication.translate(
                "Training", "Finished · epoch {epochs} · step {steps:,}"
            )
        else:
            said = QCoreApplication.translate(
                "Training", "Stopped after {epochs} epoch(s), {steps:,} steps."
            )
            bar = QCoreApplication.translate(
                "Training", "Stopped · epoch {epochs} · step {steps:,}"
            )
        parts = [said.format(epochs=event.epochs_done, steps=event.step)]
        if self.run_dir:
            parts.append(
                QCoreApplication.translate("Training", "Run folder: {folder}.").format(
                    folder=self.run_dir
                )
            )
        parts.append(
            QCoreApplication.translate(
                "Training", "Evaluate, save a checkpoint, or train again to compare."
            )
        )
        self.dock.status.setText(" ".join(parts))
        self.dock.progress.setFormat(bar.format(epochs=event.epochs_done, steps=event.step))

    def show_failed(self) -> None:
        if self.started is None:  # it never began: no progress to keep on show, no curves
            self.dock.plots.drop_run()
            self.dock.progress.setRange(0, 1)
            self.dock.progress.setValue(0)
        self.dock.progress.setFormat(QCoreApplication.translate("Training", "Failed"))

    def ended(self) -> None:
        """The run is over however it ended: its curves are drawn in full and stay, and Open
        curves may replace them now."""
        if self.dock.pages_made:
            self.dock.plots.end_run()
        self.dock.runs.refresh()  # its final status, epochs and best

    def clear(self) -> None:
        """Another document: nothing of the last run stays on screen."""
        self.started, self.run_dir = None, None
        d = self.dock
        if d.pages_made:  # else there is nothing drawn to clear
            d.plots.clear()
            d.evaluation.clear()
        d.progress.setRange(0, 1)
        d.progress.setValue(0)
        d.progress.setFormat(QCoreApplication.translate("Training", "Ready"))
        d.status.setText("")

    def progress_text(self) -> str:
        """``epoch 3/10``: where the run is, as the progress bar says (for the quit question)."""
        started = self.started
        return f"epoch {self.epoch}/{started.epochs}" if started is not None else ""
