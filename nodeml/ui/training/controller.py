"""Runs training and evaluation jobs on QThreads for the main window and keeps the UI in step.

States: idle -> running <-> paused -> stopping -> idle, and idle -> evaluating -> idle. While a
run is active the document is read-only and a banner says so; it is restored however the run
ends (completed, stopped, failed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ...core.checkpoint import compare_state, load_checkpoint, save_checkpoint
from ...core.compile import compile_graph
from ...core.errors import NodemlError
from ...core.training import (
    ConfigError,
    EpochEnded,
    Finished,
    RunStarted,
    Trainer,
)
from ..document import Document
from ..files import Folder, ask_open_path, ask_save_path
from .banner import TrainingBanner
from .dock import TrainingDock
from .evaluation_data import EvaluationResult
from .jobs import EvaluationJob, JobError, StepChunk, TrainingJob, TrainRequest, job_error
from .messages import ask_partial_load, format_eta, show_job_error

CHECKPOINT_FILTER = "nodeml checkpoint (*.pt);;All files (*)"


class TrainingController(QObject):
    """Owns the jobs and their threads; the dock, menus and banner only reflect its state."""

    state_changed = Signal(str)  # idle, running, paused, stopping, evaluating
    error_reported = Signal(object)  # JobError, for a Problems panel that wants to list it

    def __init__(self, window: QMainWindow, document: Document, dock: TrainingDock):
        super().__init__(window)
        self.window, self.document, self.dock = window, document, dock
        self.state = "idle"
        self.trainer: Trainer | None = None  # the last run's trainer, idle: for evaluate / save
        self._job: TrainingJob | EvaluationJob | None = None
        self._thread: QThread | None = None
        self._pending_error: JobError | None = None
        self._weights: tuple[str, dict[str, Any], bool] | None = None  # (file, state, partial)
        self._resume_label = ""
        self._runs = 0
        self._started: RunStarted | None = None
        self.banner = TrainingBanner(window)
        self._make_actions()
        dock.train_button.clicked.connect(lambda: self.train())
        dock.pause_button.clicked.connect(self.toggle_pause)
        dock.stop_button.clicked.connect(self.stop)
        dock.evaluate_button.clicked.connect(self.evaluate)
        dock.export_png_requested.connect(self.export_png)
        dock.export_csv_requested.connect(self.export_csv)
        self.banner.stop_button.clicked.connect(self.stop)
        document.reloaded.connect(self._forget_model)
        self._sync()

    # ---- actions and menus ---------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, slot: Any, shortcut: str | None = None, tip: str = "") -> QAction:
            a = QAction(text, self.window)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            return a

        self.train_action = action(
            "&Train", lambda: self.train(), "F5", "Train the model on the chosen dataset"
        )
        self.pause_action = action("&Pause", self.toggle_pause, "F6", "Pause or resume training")
        self.stop_action = action("&Stop", self.stop, "Shift+F5", "Stop training after this batch")
        self.evaluate_action = action("&Evaluate", self.evaluate, "F7", "Test the trained model")
        self.save_action = action(
            "Save &Checkpoint…",
            lambda: self.save_checkpoint(),
            None,
            "Save the trained weights, optimizer and history",
        )
        self.load_action = action(
            "&Load Checkpoint…",
            lambda: self.load_checkpoint(),
            None,
            "Load weights into the model (then Evaluate, or Train from them)",
        )
        self.resume_action = action(
            "&Resume from Checkpoint…",
            lambda: self.resume(),
            None,
            "Continue a run where its checkpoint stopped",
        )

    def install_menus(self) -> None:
        bar = self.window.menuBar()
        menu = bar.addMenu("&Training")
        menus = {a.menu().title().replace("&", ""): a for a in bar.actions() if a.menu()}
        help_action = menus.get("Help")
        if help_action is not None:  # keep Help last, where people look for it
            bar.insertMenu(help_action, menu)
        for a in (self.train_action, self.pause_action, self.stop_action):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.evaluate_action)
        menu.addSeparator()
        for a in (self.save_action, self.load_action, self.resume_action):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        self.menu = menu

        file_action = menus.get("File")
        file_menu = file_action.menu() if file_action is not None else bar.addMenu("&File")
        quit_action = next(
            (
                a
                for a in file_menu.actions()
                if a.text().replace("&", "").lower() in ("quit", "exit")
            ),
            None,
        )
        # before Quit when there is one, else at the end
        file_menu.insertSeparator(quit_action) if quit_action else file_menu.addSeparator()
        for a in (self.save_action, self.load_action, self.resume_action):
            file_menu.insertAction(quit_action, a) if quit_action else file_menu.addAction(a)
        if quit_action:
            file_menu.insertSeparator(quit_action)

    # ---- state ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._thread is not None

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self._sync()
            self.state_changed.emit(state)

    def _sync(self) -> None:
        s, d = self.state, self.dock
        training = s in ("running", "paused", "stopping")
        has_model = self.trainer is not None or self._weights is not None
        self.train_action.setEnabled(s == "idle")
        self.pause_action.setEnabled(s in ("running", "paused"))
        self.pause_action.setText("&Resume" if s == "paused" else "&Pause")
        self.stop_action.setEnabled(s in ("running", "paused"))
        self.evaluate_action.setEnabled(s == "idle" and has_model)
        self.save_action.setEnabled((self.trainer is not None and s == "idle") or s == "paused")
        self.load_action.setEnabled(s == "idle")
        self.resume_action.setEnabled(s == "idle")
        d.train_button.setEnabled(self.train_action.isEnabled())
        d.pause_button.setEnabled(self.pause_action.isEnabled())
        d.pause_button.setText("Resume" if s == "paused" else "Pause")
        d.stop_button.setEnabled(self.stop_action.isEnabled())
        d.evaluate_button.setEnabled(self.evaluate_action.isEnabled())
        d.settings.setEnabled(s == "idle")
        self.banner.set_state(s if training else "")

    def _begin(self, job: TrainingJob | EvaluationJob, state: str) -> None:
        thread = QThread(self)
        thread.setObjectName(
            "nodeml-training" if isinstance(job, TrainingJob) else "nodeml-evaluate"
        )
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.done.connect(thread.quit)
        thread.finished.connect(self._job_done)
        self._job, self._thread, self._pending_error = job, thread, None
        self._set_state(state)
        thread.start()

    def _job_done(self) -> None:
        """The thread has ended: take back its trainer, unfreeze the graph, then report errors."""
        job, thread = self._job, self._thread
        self._job = self._thread = None
        if thread is not None:
            thread.wait()
            thread.deleteLater()
        if job is not None and job.trainer is not None:
            self.trainer = job.trainer
        self.document.set_read_only(False)
        self._set_state("idle")
        if self._pending_error is not None:
            err, self._pending_error = self._pending_error, None
            self._report(err)

    def _report(self, err: JobError) -> None:
        self.dock.status.setText(err.message)
        if err.pretrained is not None:
            from ..transfer_dialog import offer_random_weights

            if offer_random_weights(self.window, err.pretrained):
                self.train()  # the same run, now with random weights
                return
        self.error_reported.emit(err)
        if err.node:
            self._select_node(err.node)
        show_job_error(self.window, err, self.document)

    def _select_node(self, node_id: str) -> None:
        """Show the failing node: the main window's show_node, else any view that can select."""
        if node_id not in self.document.graph:
            return
        show = getattr(self.window, "show_node", None)
        if callable(show):
            show(node_id)
            return
        for view in self.window.findChildren(QObject):
            if hasattr(view, "select_node") and hasattr(view, "center_on_node"):
                view.select_node(node_id)
                view.center_on_node(node_id)
                return

    def _forget_model(self) -> None:
        if not self.busy:
            self.trainer = None
            self._weights = None
            self._sync()

    # ---- training ------------------------------------------------------------------------------
    def train(self, resume: dict[str, Any] | None = None, partial: bool = False) -> bool:
        """Start a run on a copy of the graph; False (with a dialog) when it cannot start."""
        if self.state != "idle":
            return False
        try:
            config = self.dock.settings.config()
        except ConfigError as exc:
            self._report(JobError(str(exc)))
            return False
        weights = None
        if resume is None and self._weights is not None:
            _, weights, partial = self._weights
        request = TrainRequest(self.document.graph.copy(), config, resume, weights, partial)
        if resume is None:
            self._weights = None
        job = TrainingJob(request)
        job.started.connect(self._on_started)
        job.steps.connect(self._on_steps)
        job.epoch_ended.connect(self._on_epoch)
        job.state_changed.connect(self._on_trainer_state)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        self.document.set_read_only(True)
        self.dock.progress.setRange(0, 0)  # busy until the data is loaded
        self.dock.progress.setFormat("Preparing…")
        self.dock.status.setText("Loading the dataset and compiling the graph…")
        self._started = None
        self._begin(job, "running")
        self.dock.tabs.setCurrentWidget(self.dock.plots)
        self.dock.show()
        self.dock.raise_()
        self._make_room_for_curves()
        return True

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

    def toggle_pause(self) -> None:
        job = self._job
        if not isinstance(job, TrainingJob):
            return
        if self.state == "running":
            job.pause()
            self.dock.status.setText("Pausing after this batch…")
        elif self.state == "paused":
            job.resume()

    def stop(self) -> None:
        job = self._job
        if isinstance(job, TrainingJob) and self.state in ("running", "paused"):
            job.stop()
            self._set_state("stopping")
            self.dock.status.setText("Stopping after this batch…")

    def _on_started(self, event: RunStarted) -> None:
        self._started = event
        self._runs += 1
        cfg = self._job.request.config if isinstance(self._job, TrainingJob) else None
        label = f"run {self._runs}"
        if cfg is not None:
            label += f" · {cfg.optimizer} lr {cfg.lr:g}"
        if event.start_epoch:
            label += f" · resumed at epoch {event.start_epoch}"
        total = event.epochs * event.steps_per_epoch
        self.dock.plots.start_run(label, event.metric, total, event.epochs)
        self.dock.progress.setRange(0, max(1, total))
        self.dock.progress.setValue(event.start_epoch * event.steps_per_epoch)
        notes = "; ".join(event.notes)
        self.dock.status.setText(
            f"Training on {event.device_name} ({event.device}) · {event.info.describe()} · "
            f"{event.loss} loss" + (f" · {notes}" if notes else "")
        )
        self._show_progress(event.start_epoch, event.start_epoch * event.steps_per_epoch, 0.0, None)
        if isinstance(self._job, TrainingJob) and self._job.request.resume:
            self._plot_history(self._job.request.resume.get("history", []), event.metric)

    def _plot_history(self, history: list[dict[str, float]], metric: str) -> None:
        for row in history:
            train = {k[6:]: v for k, v in row.items() if k.startswith("train_")}
            val = {k[4:]: v for k, v in row.items() if k.startswith("val_")} or None
            self.dock.plots.add_epoch(int(row.get("epoch", 0)), train, val)

    def _on_steps(self, chunk: StepChunk) -> None:
        self.dock.plots.add_steps(chunk.steps, chunk.losses, chunk.lrs)
        e = chunk.last
        self._show_progress(e.epoch, e.step, e.samples_per_s, e.eta_s, e.batch, e.batches)

    def _show_progress(
        self,
        epoch: int,
        step: int,
        rate: float,
        eta: float | None,
        batch: int = 0,
        batches: int = 0,
    ) -> None:
        started = self._started
        epochs = started.epochs if started else 0
        self.dock.progress.setValue(step)
        text = f"Epoch {min(epoch + 1, max(epochs, 1))}/{epochs}"
        if batches:
            text += f" · step {batch}/{batches}"
        if rate:
            text += f" · {rate:,.0f} samples/s"
        if eta is not None:
            text += f" · ETA {format_eta(eta)}"
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

    def _on_trainer_state(self, state: str) -> None:
        if self.state == "stopping":
            return
        if state in ("running", "paused"):
            self._set_state(state)
            self.dock.status.setText(
                "Paused — Resume to continue, Save a checkpoint, or Stop"
                if state == "paused"
                else "Training…"
            )

    def _on_finished(self, event: Finished) -> None:
        self.dock.plots.redraw()
        what = "Finished" if event.reason == "completed" else "Stopped"
        self.dock.status.setText(
            f"{what} after {event.epochs_done} epoch(s), {event.step:,} steps. "
            "Evaluate, save a checkpoint, or train again to compare."
        )
        self.dock.progress.setFormat(f"{what} · epoch {event.epochs_done} · step {event.step:,}")

    def _on_failed(self, err: JobError) -> None:
        self.dock.plots.redraw()
        self.dock.progress.setRange(0, 1)
        self.dock.progress.setValue(0)
        self.dock.progress.setFormat("Failed")
        self._pending_error = err

    # ---- evaluation ----------------------------------------------------------------------------
    def evaluate(self) -> bool:
        if self.state != "idle" or (self.trainer is None and self._weights is None):
            return False
        request = None
        if self.trainer is None and self._weights is not None:
            try:
                config = self.dock.settings.config()
            except ConfigError as exc:
                self._report(JobError(str(exc)))
                return False
            _, weights, partial = self._weights
            request = TrainRequest(self.document.graph.copy(), config, None, weights, partial)
        job = EvaluationJob(self.trainer, request)
        job.finished.connect(self._on_evaluated)
        job.failed.connect(self._on_failed_evaluation)
        self.dock.status.setText("Evaluating…")
        self._begin(job, "evaluating")
        return True

    def _on_evaluated(self, result: EvaluationResult) -> None:
        self.dock.evaluation.show_result(result)
        self.dock.tabs.setCurrentWidget(self.dock.evaluation)
        self.dock.status.setText(result.summary())

    def _on_failed_evaluation(self, err: JobError) -> None:
        self._pending_error = err

    # ---- checkpoints ---------------------------------------------------------------------------
    def _ask_path(self, save: bool, title: str) -> str | None:
        doc = self.document.path
        near, name = (doc.parent, doc.with_suffix(".pt").name) if doc else (None, "checkpoint.pt")
        if save:
            return ask_save_path(
                self.window, Folder.CHECKPOINTS, title, name, CHECKPOINT_FILTER, near
            )
        return ask_open_path(self.window, Folder.CHECKPOINTS, title, CHECKPOINT_FILTER, near)

    def save_checkpoint(self, path: str | Path | None = None) -> bool:
        """Save the idle or paused trainer (its loop is not touching the model then)."""
        trainer = None
        if self.state == "idle":
            trainer = self.trainer
        elif self.state == "paused" and isinstance(self._job, TrainingJob):
            trainer = self._job.trainer
        if trainer is None:
            return False
        path = path or self._ask_path(True, "Save checkpoint")
        if not path:
            return False
        try:
            save_checkpoint(path, trainer.state_dict())
        except (OSError, NodemlError) as exc:
            self._report(JobError(f"could not save the checkpoint to {path}: {exc}"))
            return False
        self.dock.status.setText(
            f"Saved checkpoint {path} (epoch {trainer.epoch}, step {trainer.step:,})"
        )
        return True

    def _read_checkpoint(
        self, path: str | Path | None, title: str
    ) -> tuple[str, dict, bool] | None:
        """Read a checkpoint and check it fits the graph; offer the keys that fit when not all do."""
        path = path or self._ask_path(False, title)
        if not path:
            return None
        try:
            ckpt = load_checkpoint(path)
            model = compile_graph(self.document.graph.copy())
        except Exception as exc:
            self._report(job_error(exc))
            return None
        diff = compare_state(model, ckpt["model"])
        partial = False
        if not diff.fits:
            total = len(model.state_dict())
            fitting = total - len(diff.missing) - len(diff.mismatched)
            if not ask_partial_load(self.window, diff, fitting, total):
                return None
            partial = True
        return str(path), ckpt, partial

    def load_checkpoint(self, path: str | Path | None = None) -> bool:
        """Load weights for Evaluate (and the next Train starts from them)."""
        if self.state != "idle":
            return False
        read = self._read_checkpoint(path, "Load checkpoint")
        if read is None:
            return False
        path, ckpt, partial = read
        self._weights = (path, ckpt["model"], partial)
        self.trainer = None
        self._sync()
        fit = "the weights that fit" if partial else "all weights"
        self.dock.status.setText(
            f"Loaded {fit} from {path}. Evaluate it, or Train to continue from it."
        )
        return True

    def resume(self, path: str | Path | None = None) -> bool:
        """Continue the run a checkpoint holds, up to the Epochs setting."""
        if self.state != "idle":
            return False
        read = self._read_checkpoint(path, "Resume from checkpoint")
        if read is None:
            return False
        path, ckpt, partial = read
        done = int(ckpt.get("epoch", 0))
        epochs = self.dock.settings.epochs.value()
        if done >= epochs:
            self._report(
                JobError(
                    f"{Path(path).name} already holds {done} epoch(s) and Epochs is {epochs}; "
                    f"raise Epochs above {done} to train further"
                )
            )
            return False
        return self.train(resume=ckpt, partial=partial)

    # ---- export --------------------------------------------------------------------------------
    def export_png(self, path: str | Path | None = None) -> None:
        self._export(
            path, "Export plots", "training.png", "PNG image (*.png)", self.dock.plots.export_png
        )

    def export_csv(self, path: str | Path | None = None) -> None:
        self._export(
            path, "Export curves", "training.csv", "CSV (*.csv)", self.dock.plots.export_csv
        )

    def _export(
        self,
        path: str | Path | None,
        title: str,
        default: str,
        filter_: str,
        write: Callable[[str | Path], None],
    ) -> None:
        """Write the plots to ``path``, asking for a file name when none is given."""
        path = path or ask_save_path(self.window, Folder.EXPORTS, title, default, filter_)
        if path:
            write(path)

    # ---- shutdown ------------------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Stop a run and wait for its thread (the window is closing)."""
        job, thread = self._job, self._thread
        if isinstance(job, TrainingJob):
            job.stop()
        if thread is not None:
            # the usual quit comes through this (blocked) thread's event loop: ask directly
            thread.quit()
            thread.wait(timeout_ms)
