"""The Training dock's presenter: the session's state and runs on screen, the user's gestures to the session.

It fills the curves, progress bar and status line from the session's signals, enables the
actions and the banner for the session's state, and asks what needs asking (files, a checkpoint
that does not fit, a failure's fix). The window gives it what it needs of the window: a way to
show a node, and a way to open a checkpoint's own graph.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow

from ...core.errors import NodemlError
from ...core.graph import Graph
from ...core.training import ConfigError
from ...core.training.app_worker import WorkerPool
from ..document import Document
from ..files import Folder, ask_open_path, ask_save_path, dialog_start, remember_folder
from .actions import TrainingActions
from .banner import TrainingBanner
from .checkpoint_fit import CheckpointFit, check_checkpoint
from .dock import TrainingDock
from .evaluation_data import EvaluationResult
from .jobs import JobError
from .messages import CheckpointChoice, ask_checkpoint_choice, ask_stop_run, show_job_error
from .run_display import RunDisplay, run_name
from .session import SessionState, TrainingSession, best_checkpoint

CHECKPOINT_FILTER = QT_TRANSLATE_NOOP(
    "Training", "nodeml checkpoint (*.pt);;All files (*)"
)  # translated when shown
EXPORT_FILTERS = {  # a run's trained model, as File → Export writes the open graph
    "onnx": "ONNX (*.onnx)",
    "torchscript": "TorchScript (*.pt)",
    "exported-program": QT_TRANSLATE_NOOP("Training", "torch.export program (*.pt2)"),
    "safetensors": QT_TRANSLATE_NOOP("Training", "Weights, safetensors (*.safetensors)"),
}
PRESTART_DELAY_MS = 1500
# NODEML_TRAIN_ON_START=1: train the graph the app opens once its window is up (scripts, tests)
TRAIN_ON_START = "NODEML_TRAIN_ON_START"


class TrainingPresenter(QObject):
    """``error_reported`` carries a JobError for the window's Problems panel (None: clear it)."""

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
        self.display = RunDisplay(dock)
        self.banner = TrainingBanner(window)
        self.actions = TrainingActions.create(window, self)
        self.released_run: Path | None = None  # the last run of the document before this one
        self._evaluated = ""  # what the evaluation running or shown tested
        self._state = SessionState.IDLE
        dock.train_button.clicked.connect(lambda: self.train())
        dock.pause_button.clicked.connect(self.toggle_pause)
        dock.stop_button.clicked.connect(self.stop)
        dock.evaluate_button.clicked.connect(self.evaluate)
        dock.export_png_requested.connect(lambda: self.export_png())
        dock.export_csv_requested.connect(lambda: self.export_csv())
        dock.runs.evaluate_requested.connect(self.evaluate_run)
        dock.runs.resume_requested.connect(self.resume_run)
        dock.runs.export_requested.connect(lambda path: self.export_run(path))
        dock.settings.processes_changed.connect(self._set_processes)
        dock.visibilityChanged.connect(lambda shown: shown and self._prestart())
        self.banner.stop_button.clicked.connect(self.stop)
        s = self.session
        s.state_changed.connect(self._on_state)
        s.run_launched.connect(self.display.launched)
        s.run_started.connect(self.display.show_started)
        s.steps.connect(self.display.show_steps)
        s.epoch_ended.connect(self.display.show_epoch)
        s.finished.connect(self.display.show_finished)
        s.run_failed.connect(self._on_run_failed)
        s.failed.connect(self._report)
        s.evaluated.connect(self._on_evaluated)
        s.reset.connect(self._on_reset)
        document.reloaded.connect(
            lambda: QTimer.singleShot(PRESTART_DELAY_MS, dock, self._prestart)
        )
        document.file_state_changed.connect(self._list_runs)  # Save As: the runs of the new file
        self._set_processes(dock.settings.processes.value())
        self._list_runs()
        self._sync()
        if os.environ.get(TRAIN_ON_START) == "1":
            # the first graph opened trains once the event loop turns (the app opens it while
            # its splash turns the loop: a timer set now could fire before the graph is in)
            document.reloaded.connect(self._train_on_start)

    def _train_on_start(self) -> None:
        if len(self.document.graph):
            self.document.reloaded.disconnect(self._train_on_start)
            QTimer.singleShot(0, self.train)

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
        d.pause_button.setText(
            QCoreApplication.translate("Training", "Resume")
            if s is SessionState.PAUSED
            else QCoreApplication.translate("Training", "Pause")
        )
        d.stop_button.setEnabled(a.stop.isEnabled())
        d.evaluate_button.setEnabled(a.evaluate.isEnabled())
        d.settings.setEnabled(s is SessionState.IDLE)
        shown = "running" if s is SessionState.STARTING else s.value
        self.banner.set_state(shown if s.training else "")

    def _set_processes(self, n: int) -> None:
        self.session.processes = n

    def _prestart(self) -> None:
        """The next run's worker, started ahead for a graph that trains or a dock on show; not while
        a run trains: its torch import took a core from the run (the session starts one after)."""
        wanted = "training" in self.document.graph.extras or self.dock.isVisible()
        if wanted and self.session.state is SessionState.IDLE:
            self.session.pool.prestart()

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
            self.dock.status.setText(
                QCoreApplication.translate("Training", "Pausing after this batch…")
            )
        self.session.toggle_pause()

    def stop(self) -> None:
        if self.session.state.training and self.session.state is not SessionState.STOPPING:
            self.session.stop()
            self.dock.status.setText(
                QCoreApplication.translate("Training", "Stopping after this batch…")
            )

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
        weights, run_dir = self.session.weights, self.session.run_dir
        if weights is not None:
            self._evaluated = weights[0].name
        elif run_dir is not None:
            self._evaluated = _checkpoint_label(run_dir)
        self.dock.status.setText(
            QCoreApplication.translate("Training", "Evaluating {what}…").format(
                what=self._evaluated
            )
        )
        return True

    # ---- the Runs panel's requests (a run folder each) --------------------------------------------------
    def evaluate_run(self, run_dir: str | Path) -> bool:
        if not self.session.evaluate_run(run_dir):
            return False
        self._evaluated = _checkpoint_label(Path(run_dir))
        self.dock.status.setText(
            QCoreApplication.translate("Training", "Evaluating {what}…").format(
                what=self._evaluated
            )
        )
        return True

    def resume_run(self, run_dir: str | Path) -> bool:
        """Continue a run from its last.pt in a new run folder, up to the Epochs setting."""
        return self.resume(Path(run_dir) / "last.pt")

    def show_run(self, run_dir: str | Path) -> None:
        """Draw a past run's curves in full (compared instead while a run trains)."""
        self.dock.open_curves(run_dir)

    def export_run(self, run_dir: str | Path, target: str | Path | None = None) -> Path | None:
        """Export a run's trained model; asks for the file (its type says the format)."""
        fmt = None
        if target is None:
            shown = {
                f: QCoreApplication.translate("Training", text)
                for f, text in EXPORT_FILTERS.items()
            }  # i18n: NOOPs
            filters = ";;".join(shown.values())
            start = dialog_start(Folder.EXPORTS, f"{Path(run_dir).name}.onnx", Path(run_dir))
            chosen, picked = QFileDialog.getSaveFileName(
                self.window,
                QCoreApplication.translate("Training", "Export the run's model"),
                start,
                filters,
            )
            if not chosen:
                return None
            remember_folder(Folder.EXPORTS, chosen)
            target = chosen
            fmt = next((f for f, text in shown.items() if text == picked), None)
        fmt = fmt or _format_of(Path(target))
        try:
            notes = self.session.export_run(run_dir, target, fmt)
        except (OSError, NodemlError) as exc:
            why = QCoreApplication.translate("Training", "could not export {run}: {reason}").format(
                run=run_dir, reason=exc
            )
            self._report(JobError(why))
            return None
        extra = f" ({'; '.join(notes)})" if notes else ""
        done = QCoreApplication.translate("Training", "Exported {run} to {path}").format(
            run=run_name(Path(run_dir)), path=target
        )
        self.dock.status.setText(done + extra)
        return Path(target)

    # ---- checkpoints -----------------------------------------------------------------------------------
    def _ask_path(self, save: bool, title: str) -> str | None:
        doc = self.document.path
        near = doc.parent if doc is not None else None
        filter_ = QCoreApplication.translate("Training", CHECKPOINT_FILTER)  # i18n: a NOOP
        if save:
            name = doc.with_suffix(".pt").name if doc is not None else "checkpoint.pt"
            return ask_save_path(self.window, Folder.CHECKPOINTS, title, name, filter_, near)
        near = self.session.run_dir or near  # the last run's folder holds its checkpoints
        return ask_open_path(self.window, Folder.CHECKPOINTS, title, filter_, near)

    def save_checkpoint(self, path: str | Path | None = None) -> bool:
        """Save a copy of the paused run's, or the last run's, last.pt."""
        source = self.session.checkpoint_to_save()
        if source is None:
            return False
        path = path or self._ask_path(
            True, QCoreApplication.translate("Training", "Save checkpoint")
        )
        if not path:
            return False
        try:
            self.session.save_checkpoint(path)
        except OSError as exc:
            why = QCoreApplication.translate(
                "Training", "could not save the checkpoint to {path}: {reason}"
            )
            self._report(JobError(why.format(path=path, reason=exc)))
            return False
        saved = QCoreApplication.translate(
            "Training", "Saved checkpoint {path} (a copy of {source})"
        )
        self.dock.status.setText(saved.format(path=path, source=source))
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
        fit = self._fit(path, QCoreApplication.translate("Training", "Load checkpoint"))
        settled = None if fit is None else self._settle(fit, resuming=False)
        if fit is None or settled is None:
            return False
        self.session.use_weights(fit.path, partial=not settled)
        if not settled:
            text = QCoreApplication.translate(
                "Training", "Loaded the {count} weights that fit from {path}."
            )
        elif fit.fits:
            text = QCoreApplication.translate("Training", "Loaded all weights from {path}.")
        else:
            text = QCoreApplication.translate(
                "Training", "Loaded all weights from {path} into its own graph."
            )
        then = QCoreApplication.translate("Training", "Evaluate it, or Train to continue from it.")
        self.dock.status.setText(f"{text.format(count=fit.fitting, path=fit.path)} {then}")
        self._sync()
        return True

    def resume(self, path: str | Path | None = None) -> bool:
        """Continue the run a checkpoint holds (in a new run folder), up to the Epochs setting."""
        if self.session.state is not SessionState.IDLE:
            return False
        fit = self._fit(path, QCoreApplication.translate("Training", "Resume from checkpoint"))
        if fit is None or not self._settle(fit, resuming=True):
            return False
        epochs = self.dock.settings.epochs.value()
        if fit.epoch >= epochs:
            why = QCoreApplication.translate(
                "Training",
                "{file} already holds {epoch} epoch(s) and Epochs is {epochs}; raise Epochs "
                "above {epoch} to train further",
            )
            self._report(JobError(why.format(file=fit.path.name, epoch=fit.epoch, epochs=epochs)))
            return False
        return self.train(resume=fit.path)

    # ---- the session's news -------------------------------------------------------------------------
    def _on_state(self, state: SessionState) -> None:
        was, self._state = self._state, state
        self._sync()
        self.dock.runs.set_session_busy(state is not SessionState.IDLE)  # one job at a time
        if state is SessionState.PAUSED:
            self.dock.status.setText(
                QCoreApplication.translate(
                    "Training", "Paused — Resume to continue, Save a checkpoint, or Stop"
                )
            )
        elif state is SessionState.RUNNING and self.display.started is not None:
            self.dock.status.setText(QCoreApplication.translate("Training", "Training…"))
        elif state is SessionState.IDLE and was.training:
            self.display.ended()

    def _on_evaluated(self, result: EvaluationResult) -> None:
        d = self.dock
        d.evaluation.show_result(result, self._evaluated)  # which run's weights were tested
        d.tabs.setCurrentWidget(d.evaluation)
        d.status.setText(d.evaluation.summary.text())

    def _on_reset(self, last_run: Path | None) -> None:
        """Another document: nothing of the previous one stays in the dock."""
        self.display.clear()
        self._list_runs()
        self.error_reported.emit(None)
        self.released_run = last_run
        if last_run is not None:
            self.window.statusBar().showMessage(self.kept_note(), 15000)
        self._sync()

    def _list_runs(self) -> None:
        """The Runs panel lists the document's runs: beside its file, or by name when unsaved."""
        doc, runs = self.document, self.dock.runs
        path = doc.path.resolve() if doc.path is not None else None
        if (path, doc.graph.name) != (runs.graph_file, runs.graph_name):
            runs.set_graph_file(path, doc.graph.name)

    def last_weights(self) -> tuple[Path, str] | None:
        """The weights the last run left (its last.pt), else a loaded checkpoint, with what they
        are, for views that run the model (the autograd graph); None: fresh weights."""
        run_dir, weights = self.session.run_dir, self.session.weights
        if run_dir is not None and (run_dir / "last.pt").is_file():
            text = QCoreApplication.translate(
                "Training", "the weights of run “{run}” (last.pt)"
            ).format(run=run_name(run_dir))
            return run_dir / "last.pt", text
        if weights is not None:
            text = QCoreApplication.translate("Training", "the weights loaded from {file}").format(
                file=weights[0].name
            )
            return weights[0], text
        return None

    def kept_note(self) -> str:
        """Where the previous document's last run keeps its weights (after New / Open)."""
        run = self.released_run
        if not run:
            return ""
        return QCoreApplication.translate(
            "Training", "The last run's weights are kept in {folder} (last.pt, best.pt)"
        ).format(folder=run)

    def _on_run_failed(self, err: JobError) -> None:
        self.display.show_failed()
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

    # ---- export of the curves ------------------------------------------------------------------------
    def export_png(self, path: str | Path | None = None) -> None:
        path = path or ask_save_path(
            self.window,
            Folder.EXPORTS,
            QCoreApplication.translate("Training", "Export plots"),
            "training.png",
            QCoreApplication.translate("Training", "PNG image (*.png)"),
        )
        if path:
            self.dock.plots.export_png(path)

    def export_csv(self, path: str | Path | None = None) -> None:
        path = path or ask_save_path(
            self.window,
            Folder.EXPORTS,
            QCoreApplication.translate("Training", "Export curves"),
            "training.csv",
            "CSV (*.csv)",
        )
        if path:
            self.dock.plots.export_csv(path)

    # ---- the window closes ---------------------------------------------------------------------------
    def confirm_stop(self, action: str) -> bool:
        """Before the window would ``action`` ("quit", "open x.json"): True when no run is on, or
        the user agrees to stop it (then ``shutdown`` or ``stop_then`` stops it)."""
        if not self.session.state.training:
            return True
        return ask_stop_run(self.window, action, self.session.run_dir, self.display.progress_text())

    def stop_then(self, then: Callable[[], object]) -> None:
        """Call ``then`` now when no run is on, else stop the run and call it once the session
        is idle (the run stops after its batch, its checkpoint written)."""
        if not self.session.state.training:
            then()
            return

        def when_idle(state: SessionState) -> None:
            if state is SessionState.IDLE:
                self.session.state_changed.disconnect(when_idle)
                QTimer.singleShot(0, then)  # once the session has let go of the run

        self.session.state_changed.connect(when_idle)
        self.stop()

    def shutdown(self) -> None:
        """The window is closing: a run stops after its batch in its own process."""
        self.session.shutdown()
        if self.session.runs_started:
            kept = ", ".join(str(p) for p in self.session.runs_started)
            print(f"nodeml: this session's runs are kept in {kept}", flush=True)


def _checkpoint_label(run_dir: Path) -> str:
    """``baseline · best.pt``: the run an evaluation tests, and which of its checkpoints."""
    checkpoint = best_checkpoint(run_dir)
    which = (
        checkpoint.name if checkpoint else QCoreApplication.translate("Training", "no checkpoint")
    )
    return f"{run_name(run_dir)} · {which}"


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".onnx": "onnx", ".pt2": "exported-program", ".safetensors": "safetensors"}.get(
        suffix, "torchscript"
    )
