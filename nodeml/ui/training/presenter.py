"""The Training dock's presenter: the session's state and runs on screen, the user's gestures to the session.

It fills the curves, progress bar and status line from the session's signals, enables the
actions and the banner for the session's state, and asks what needs asking (files, a checkpoint
that does not fit, a failure's fix). The window gives it what it needs of the window: a way to
show a node, and a way to open a checkpoint's own graph.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow

from ...core.errors import NodemlError
from ...core.graph import Graph
from ...core.training import ConfigError, EpochEnded, Finished, RunStarted
from ...core.training.live import Steps
from ...core.training.run_folder import read_manifest
from ...core.training.run_registry import read_json, read_metrics
from ...core.training.worker import WorkerPool
from ..document import Document
from .actions import TrainingActions
from .banner import TrainingBanner
from .checkpoint_fit import CheckpointFit, check_checkpoint
from .dock import TrainingDock
from .evaluation_data import EvaluationResult
from .jobs import JobError
from .messages import (
    CheckpointChoice,
    ask_checkpoint_choice,
    ask_stop_run,
    format_eta,
    show_job_error,
)
from .run_history import RunHistory, step_arrays
from .session import SessionState, TrainingSession

CHECKPOINT_FILTER = "nodeml checkpoint (*.pt);;All files (*)"
EXPORT_FILTERS = {  # a run's trained model, as File → Export writes the open graph
    "onnx": "ONNX (*.onnx)",
    "torchscript": "TorchScript (*.pt)",
    "exported-program": "torch.export program (*.pt2)",
    "safetensors": "Weights, safetensors (*.safetensors)",
}
PROGRESS_S = 0.25  # the progress bar's text and value change at most this often
PRESTART_DELAY_MS = 1500
# NODEML_TRAIN_ON_START=1: train the graph the app opens as soon as its window is up (scripted
# runs, and the test that kills the app mid-run)
TRAIN_ON_START = (
    "NODEML_TRAIN_ON_START"  # after a graph with training settings opens: after its first paint
)


class TrainingPresenter(QObject):
    """``error_reported`` carries a JobError for the window's Problems panel."""

    error_reported = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        document: Document,
        dock: TrainingDock,
        *,
        show_node: Callable[[str], None] | None = None,
        open_graph: Callable[[Graph], bool] | None = None,
        pool: WorkerPool | None = None,
    ):
        super().__init__(window)
        self.window, self.document, self.dock = window, document, dock
        self.show_node, self.open_graph = show_node, open_graph
        self.session = TrainingSession(document, pool, self)
        self.banner = TrainingBanner(window)
        self.actions = TrainingActions.create(window, self)
        self._started: RunStarted | None = None
        self._progress_at = 0.0
        self.released_run: Path | None = None  # the last run of the document before this one
        dock.train_button.clicked.connect(lambda: self.train())
        dock.pause_button.clicked.connect(self.toggle_pause)
        dock.stop_button.clicked.connect(self.stop)
        dock.evaluate_button.clicked.connect(self.evaluate)
        dock.plots.export_png_button.clicked.connect(lambda: self.export_png())
        dock.plots.export_csv_button.clicked.connect(lambda: self.export_csv())
        dock.settings.processes_changed.connect(self._set_processes)
        dock.visibilityChanged.connect(lambda shown: shown and self.session.pool.prestart())
        self.banner.stop_button.clicked.connect(self.stop)
        s = self.session
        s.state_changed.connect(self._on_state)
        s.run_launched.connect(self._on_launched)
        s.run_started.connect(self._on_started)
        s.steps.connect(self._on_steps)
        s.epoch_ended.connect(self._on_epoch)
        s.finished.connect(self._on_finished)
        s.run_failed.connect(self._on_run_failed)
        s.failed.connect(self._report)
        s.evaluated.connect(self._on_evaluated)
        s.run_shown.connect(self._show_history)
        s.reset.connect(self._on_reset)
        document.reloaded.connect(self._prestart_for_training_graph)
        self._set_processes(dock.settings.processes.value())
        self._sync()
        if os.environ.get(TRAIN_ON_START) == "1":  # once the event loop runs: the graph is open
            QTimer.singleShot(0, self._train_on_start)

    def _train_on_start(self) -> None:
        if len(self.document.graph):
            self.train()

    @property
    def state(self) -> SessionState:
        return self.session.state

    def _sync(self) -> None:
        s, d, a = self.session.state, self.dock, self.actions
        a.sync(
            s,
            can_evaluate=self.session.can_evaluate(),
            can_save=self.session.checkpoint_to_save() is not None,
        )
        d.train_button.setEnabled(a.train.isEnabled())
        d.pause_button.setEnabled(a.pause.isEnabled())
        d.pause_button.setText("Resume" if s is SessionState.PAUSED else "Pause")
        d.stop_button.setEnabled(a.stop.isEnabled())
        d.evaluate_button.setEnabled(a.evaluate.isEnabled())
        d.settings.setEnabled(s is SessionState.IDLE)
        shown = "running" if s is SessionState.STARTING else s.value
        self.banner.set_state(shown if s.training else "")

    def _set_processes(self, n: int) -> None:
        self.session.processes = n

    def _prestart_for_training_graph(self) -> None:
        if "training" in self.document.graph.extras:
            QTimer.singleShot(PRESTART_DELAY_MS, self.session.pool.prestart)

    # ---- gestures ----------------------------------------------------------------------------------
    def train(self, resume: Path | None = None) -> bool:
        """Start a run of the open graph with the settings on screen; False when it cannot."""
        if self.session.state is not SessionState.IDLE:
            return False
        try:
            config = self.dock.settings.config()
        except ConfigError as exc:
            self._report(JobError(str(exc), field=exc.field))
            return False
        return self.session.train(config, resume=resume) is not None

    def toggle_pause(self) -> None:
        if self.session.state is SessionState.RUNNING:
            self.dock.status.setText("Pausing after this batch…")
        self.session.toggle_pause()

    def stop(self) -> None:
        if self.session.state.training and self.session.state is not SessionState.STOPPING:
            self.session.stop()
            self.dock.status.setText("Stopping after this batch…")

    def evaluate(self) -> bool:
        config = None
        if self.session.weights is not None:
            try:
                config = self.dock.settings.config()
            except ConfigError as exc:
                self._report(JobError(str(exc), field=exc.field))
                return False
        if not self.session.can_evaluate() or not self.session.evaluate(config):
            return False
        self.dock.status.setText("Evaluating…")
        return True

    # ---- the Runs panel's requests (a run folder each) --------------------------------------------------
    def evaluate_run(self, run_dir: str | Path) -> bool:
        if not self.session.evaluate_run(run_dir):
            return False
        self.dock.status.setText(f"Evaluating {_run_name(Path(run_dir))}…")
        return True

    def resume_run(self, run_dir: str | Path) -> bool:
        """Continue a run from its last.pt in a new run folder, up to the Epochs setting."""
        return self.resume(Path(run_dir) / "last.pt")

    def show_run(self, run_dir: str | Path) -> RunHistory:
        return self.session.show_run(run_dir)

    def export_run(self, run_dir: str | Path, target: str | Path | None = None) -> Path | None:
        """Export a run's trained model; asks for the file (its type says the format)."""
        fmt = None
        if target is None:
            filters = ";;".join(EXPORT_FILTERS.values())
            start = str(Path(run_dir) / f"{Path(run_dir).name}.onnx")
            chosen, picked = QFileDialog.getSaveFileName(
                self.window, "Export the run's model", start, filters
            )
            if not chosen:
                return None
            target = chosen
            fmt = next((f for f, text in EXPORT_FILTERS.items() if text == picked), None)
        fmt = fmt or _format_of(Path(target))
        try:
            notes = self.session.export_run(run_dir, target, fmt)
        except (OSError, NodemlError) as exc:
            self._report(JobError(f"could not export {run_dir}: {exc}"))
            return None
        extra = f" ({'; '.join(notes)})" if notes else ""
        self.dock.status.setText(f"Exported {_run_name(Path(run_dir))} to {target}{extra}")
        return Path(target)

    # ---- checkpoints -----------------------------------------------------------------------------------
    def _ask_path(self, save: bool, title: str) -> str | None:
        doc = self.document
        start = str(doc.path.with_suffix(".pt")) if doc.path else "checkpoint.pt"
        if save:
            path, _ = QFileDialog.getSaveFileName(self.window, title, start, CHECKPOINT_FILTER)
        else:
            folder = str(self.session.run_dir or Path(start).parent)
            path, _ = QFileDialog.getOpenFileName(self.window, title, folder, CHECKPOINT_FILTER)
        return path or None

    def save_checkpoint(self, path: str | Path | None = None) -> bool:
        """Save a copy of the paused run's, or the last run's, last.pt."""
        source = self.session.checkpoint_to_save()
        if source is None:
            return False
        path = path or self._ask_path(True, "Save checkpoint")
        if not path:
            return False
        try:
            self.session.save_checkpoint(path)
        except OSError as exc:
            self._report(JobError(f"could not save the checkpoint to {path}: {exc}"))
            return False
        self.dock.status.setText(f"Saved checkpoint {path} (a copy of {source})")
        return True

    def _fit(self, path: str | Path | None, title: str) -> CheckpointFit | None:
        path = path or self._ask_path(False, title)
        if not path:
            return None
        try:
            return check_checkpoint(path, self.document.graph)
        except (OSError, NodemlError) as exc:
            self._report(JobError.of(exc))
            return None

    def _settle(self, fit: CheckpointFit, resuming: bool) -> bool | None:
        """A checkpoint that does not fit: True when the document now fits it (its own graph
        was opened), False to load what fits, None when the user cancelled."""
        if fit.fits:
            return True
        choice = ask_checkpoint_choice(self.window, fit, resuming)
        if choice is CheckpointChoice.OPEN_GRAPH and fit.carried is not None:
            if self.open_graph is None or not self.open_graph(fit.carried):
                return None
            return True
        return False if choice is CheckpointChoice.LOAD_FITTING else None

    def load_checkpoint(self, path: str | Path | None = None) -> bool:
        """Load weights for Evaluate (and the next Train starts from them)."""
        if self.session.state is not SessionState.IDLE:
            return False
        fit = self._fit(path, "Load checkpoint")
        settled = None if fit is None else self._settle(fit, resuming=False)
        if fit is None or settled is None:
            return False
        self.session.use_weights(fit.path, partial=not settled)
        what = "all weights" if settled else f"the {fit.fitting} weights that fit"
        opened = " into its own graph" if settled and not fit.fits else ""
        self.dock.status.setText(
            f"Loaded {what} from {fit.path}{opened}. Evaluate it, or Train to continue from it."
        )
        self._sync()
        return True

    def resume(self, path: str | Path | None = None) -> bool:
        """Continue the run a checkpoint holds (in a new run folder), up to the Epochs setting."""
        if self.session.state is not SessionState.IDLE:
            return False
        fit = self._fit(path, "Resume from checkpoint")
        if fit is None or not self._settle(fit, resuming=True):
            return False
        epochs = self.dock.settings.epochs.value()
        if fit.epoch >= epochs:
            self._report(
                JobError(
                    f"{fit.path.name} already holds {fit.epoch} epoch(s) and Epochs is {epochs}; "
                    f"raise Epochs above {fit.epoch} to train further"
                )
            )
            return False
        return self.train(resume=fit.path)

    # ---- the session's news -------------------------------------------------------------------------
    def _on_state(self, state: SessionState) -> None:
        self._sync()
        if state is SessionState.PAUSED:
            self.dock.status.setText("Paused — Resume to continue, Save a checkpoint, or Stop")
        elif state is SessionState.RUNNING and self._started is not None:
            self.dock.status.setText("Training…")

    def _on_launched(self, run_dir: Path) -> None:
        self._started = None
        d = self.dock
        d.progress.setRange(0, 0)  # busy until the data is loaded
        d.progress.setFormat("Preparing…")
        d.status.setText(f"Loading the dataset and compiling the graph… (run folder {run_dir})")
        d.tabs.setCurrentWidget(d.plots)
        d.show()
        d.raise_()
        self._make_room_for_curves()

    def _on_started(self, event: RunStarted) -> None:
        run_dir = self.session.run_dir
        self._started = event
        label = "run"
        if run_dir is not None:  # the settings it trains with, as its folder records them
            settings = (read_json(run_dir, "settings.json") or {}).get("training") or {}
            label = f"{_run_name(run_dir)} · {settings.get('optimizer', 'adam')} "
            label += f"lr {settings.get('lr', 1e-3):g}"
        if event.start_epoch:
            label += f" · resumed at epoch {event.start_epoch}"
        total = event.epochs * event.steps_per_epoch
        plots = self.dock.plots
        plots.start_run(label, event.metric, total, event.epochs)
        if event.start_epoch and run_dir is not None:  # the resumed run's earlier epochs
            for row in read_metrics(run_dir):
                train = {k[6:]: v for k, v in row.items() if k.startswith("train_")}
                val = {k[4:]: v for k, v in row.items() if k.startswith("val_")} or None
                plots.add_epoch(int(row["epoch"]), train, val)
        self.dock.progress.setRange(0, max(1, total))
        start = event.start_epoch * event.steps_per_epoch
        notes = "; ".join(event.notes)
        self.dock.status.setText(
            f"Training on {event.device_name} ({event.device}) · {event.info.describe()} · "
            f"{event.loss} loss" + (f" · {notes}" if notes else "")
        )
        self._show_progress(event.start_epoch, start, 0.0, None)

    def _on_steps(self, chunk: Steps) -> None:
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
        epochs = self._started.epochs if self._started else 0
        text = f"Epoch {min(epoch + 1, max(epochs, 1))}/{epochs}"
        if n:
            text += f" · step {batch}/{n}"
        if rate:
            text += f" · {rate:,.0f} samples/s"
        if eta is not None:
            text += f" · ETA {format_eta(eta)}"
        self.dock.progress.setValue(step)
        self.dock.progress.setFormat(text)

    def _on_epoch(self, event: EpochEnded) -> None:
        self.dock.plots.add_epoch(event.epoch + 1, event.train, event.val)
        self._show_progress(event.epoch + 1, event.step, event.samples_per_s, event.eta_s)
        metric = self._started.metric if self._started else "loss"
        shown = event.val or event.train
        which = "validation" if event.val else "training"
        value = shown.get(metric)
        text = f"Epoch {event.epoch + 1}: {which} loss {shown['loss']:.4g}"
        if value is not None:
            text += (
                f", {metric} {100 * value:.1f} %"
                if metric == "accuracy"
                else f", {metric} {value:.4g}"
            )
        self.dock.status.setText(text)

    def _on_finished(self, event: Finished) -> None:
        self.dock.plots.redraw()
        what = "Finished" if event.reason == "completed" else "Stopped"
        where = f" Run folder: {self.session.run_dir}." if self.session.run_dir else ""
        self.dock.status.setText(
            f"{what} after {event.epochs_done} epoch(s), {event.step:,} steps.{where} "
            "Evaluate, save a checkpoint, or train again to compare."
        )
        self.dock.progress.setFormat(f"{what} · epoch {event.epochs_done} · step {event.step:,}")

    def _on_evaluated(self, result: EvaluationResult) -> None:
        self.dock.evaluation.show_result(result)
        self.dock.tabs.setCurrentWidget(self.dock.evaluation)
        self.dock.status.setText(result.summary())

    def _show_history(self, history: RunHistory) -> None:
        plots = self.dock.plots
        plots.start_run(history.name, history.metric, history.total_steps, len(history.epochs))
        if len(history.steps):
            plots.add_steps(history.steps, history.losses, history.lrs)
        for row in history.epochs:
            plots.add_epoch(int(row["epoch"]), *history.split(row))
        plots.redraw()
        self.dock.tabs.setCurrentWidget(plots)

    def _on_reset(self, last_run: Path | None) -> None:
        """Another document: nothing of the previous one stays in the dock."""
        self._started = None
        d = self.dock
        d.plots.clear()
        d.evaluation.clear()
        d.progress.setRange(0, 1)
        d.progress.setValue(0)
        d.progress.setFormat("Ready")
        d.status.setText("")
        self.error_reported.emit(None)
        self.released_run = last_run
        if last_run is not None:
            self.window.statusBar().showMessage(self.kept_note(), 15000)
        self._sync()

    def kept_note(self) -> str:
        """Where the previous document's last run keeps its weights (after New / Open)."""
        run = self.released_run
        return f"The last run's weights are kept in {run} (last.pt, best.pt)" if run else ""

    def _on_run_failed(self, err: JobError) -> None:
        self.dock.plots.redraw()
        if self._started is None:  # it never began: no progress to keep on show
            self.dock.progress.setRange(0, 1)
            self.dock.progress.setValue(0)
        self.dock.progress.setFormat("Failed")
        self._report(err)

    def _report(self, err: JobError) -> None:
        self.dock.status.setText(err.message)
        self._sync()
        if err.pretrained is not None:
            from ..transfer_dialog import offer_random_weights

            if offer_random_weights(self.window, err.pretrained):
                self.train()  # the same run, now with random weights
                return
        self.error_reported.emit(err)
        if err.node and err.node in self.document.graph and self.show_node is not None:
            self.show_node(err.node)
        show_job_error(self.window, err, self.document)

    def _make_room_for_curves(self) -> None:
        """Four plots need height: a docked Training panel shorter than ~40 % of the window
        grows to that once, when a run starts (the user's own larger size is kept)."""
        window = self.window
        if self.dock.isFloating() or window.dockWidgetArea(self.dock) not in (
            Qt.DockWidgetArea.BottomDockWidgetArea,
            Qt.DockWidgetArea.TopDockWidgetArea,
        ):
            return
        wanted = int(window.height() * 0.4)
        if self.dock.height() < wanted:
            window.resizeDocks([self.dock], [wanted], Qt.Orientation.Vertical)

    # ---- export of the curves ------------------------------------------------------------------------
    def export_png(self, path: str | Path | None = None) -> None:
        path = (
            path
            or QFileDialog.getSaveFileName(
                self.window, "Export plots", "training.png", "PNG image (*.png)"
            )[0]
        )
        if path:
            self.dock.plots.export_png(path)

    def export_csv(self, path: str | Path | None = None) -> None:
        path = (
            path
            or QFileDialog.getSaveFileName(
                self.window, "Export curves", "training.csv", "CSV (*.csv)"
            )[0]
        )
        if path:
            self.dock.plots.export_csv(path)

    # ---- the window closes ---------------------------------------------------------------------------
    def progress_text(self) -> str:
        started = self._started
        if started is None or self.session.run_dir is None:
            return ""
        done = len(read_metrics(self.session.run_dir))
        return f"epoch {min(done + 1, started.epochs)}/{started.epochs}"

    def confirm_stop(self, action: str) -> bool:
        """Before the window would ``action`` ("quit"): True when no run is on, or the user
        agrees to stop it (it is stopped by ``shutdown``)."""
        if not self.session.state.training:
            return True
        return ask_stop_run(self.window, action, self.session.run_dir, self.progress_text())

    def shutdown(self) -> None:
        """The window is closing: a run stops after its batch in its own process."""
        self.session.shutdown()
        if self.session.runs_started:
            kept = ", ".join(str(p) for p in self.session.runs_started)
            print(f"nodeml: this session's runs are kept in {kept}", flush=True)


def _run_name(run_dir: Path) -> str:
    manifest = read_manifest(run_dir)
    return manifest.name if manifest is not None else run_dir.name


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".onnx": "onnx", ".pt2": "exported-program", ".safetensors": "safetensors"}.get(
        suffix, "torchscript"
    )
