"""The training session of one document: its runs (worker processes followed live), evaluations and weights.

The session is the model the Training dock presents. A run is ``nodeml train`` in a worker
process (the same engine, the same run folder as the CLI: ``<graph folder>/runs/<stem>-<time>/``,
or the user data folder for an unsaved document), started from a snapshot of the document and
followed through the run folder's live feed; Pause, Resume and Stop go through its control file.
Evaluations run here on a QThread from a run's checkpoint. The document is read-only while a run
is on. States: idle -> starting -> running <-> paused -> stopping -> idle; idle -> evaluating.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from ...core.fileio import atomic_write_bytes
from ...core.serialize import graph_from_dict, save_graph
from ...core.training import TrainingConfig
from ...core.training.app_worker import WorkerPool, default_pool
from ...core.training.data_paths import resolve_data_paths
from ...core.training.events import TrainerState
from ...core.training.live import Command
from ...core.training.run_folder import LIVE_FILES, holds_run, new_run_dir, run_stem, runs_root
from ...core.training.run_registry import read_json
from ..document import Document
from .jobs import EvaluationJob, EvaluationRequest, JobError
from .live_run import LiveRun


class SessionState(StrEnum):
    IDLE = "idle"
    STARTING = "starting"  # the worker loads the data and builds the model
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"
    EVALUATING = "evaluating"

    @property
    def training(self) -> bool:
        """A run is on (the document is read-only)."""
        return self in (
            SessionState.STARTING,
            SessionState.RUNNING,
            SessionState.PAUSED,
            SessionState.STOPPING,
        )


def best_checkpoint(run_dir: Path) -> Path | None:
    """The checkpoint a run is judged by: best.pt, else last.pt; None when it has neither."""
    for name in ("best.pt", "last.pt"):
        if (run_dir / name).is_file():
            return run_dir / name
    return None


def _discard_feed_only(folder: Path) -> None:
    """Remove a run folder that holds nothing but its live feed (a run that never began)."""
    try:
        if all(p.name in LIVE_FILES for p in folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass


class TrainingSession(QObject):
    """Owns the current run (or evaluation) and what the last one left: its run folder, or the
    weights loaded from a checkpoint. Views subscribe to its signals; it shows nothing itself."""

    state_changed = Signal(object)  # SessionState
    run_launched = Signal(object)  # Path: the new run's folder, before it has started
    run_started = Signal(object)  # RunStarted
    steps = Signal(object)  # live.Steps
    epoch_ended = Signal(object)  # EpochEnded
    finished = Signal(object)  # Finished
    run_failed = Signal(object)  # JobError: the run failed; emitted once the session is idle
    failed = Signal(object)  # JobError: anything else failed (an evaluation, a request)
    evaluated = Signal(object)  # EvaluationResult
    reset = Signal(object)  # the document changed: Path of the last run (or None), now let go

    def __init__(
        self, document: Document, pool: WorkerPool | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.document = document
        self.pool = pool if pool is not None else default_pool()
        self.state = SessionState.IDLE
        self.processes = 1  # > 1: the run is a torchrun job of this many processes
        self.live: LiveRun | None = None
        self.run_dir: Path | None = None  # the current run's folder, else the last one's
        self.weights: tuple[Path, bool] | None = None  # a loaded checkpoint and its partial flag
        self.runs_started: list[Path] = []  # every run folder this session wrote
        self._snapshot: Path | None = None
        self._previous: Path | None = None  # the last run before the current one
        self._pending: JobError | None = None
        self._eval: tuple[QThread, EvaluationJob] | None = None
        self._stopping_runs: list[LiveRun] = []  # ended runs whose processes are still exiting
        self._generation = 0  # one more for each document: a late result of the last is dropped
        self._eval_generation = 0
        document.reloaded.connect(self.forget)

    # ---- state ----------------------------------------------------------------------------------
    def _set_state(self, state: SessionState) -> None:
        if state is not self.state:
            self.state = state
            self.document.set_read_only(state.training)
            self.state_changed.emit(state)

    @property
    def busy(self) -> bool:
        return self.state is not SessionState.IDLE

    def can_evaluate(self) -> bool:
        return self.state is SessionState.IDLE and (
            self.weights is not None or self._last_checkpoint() is not None
        )

    def _last_checkpoint(self) -> Path | None:
        return best_checkpoint(self.run_dir) if self.run_dir is not None else None

    def checkpoint_to_save(self) -> Path | None:
        """last.pt of the paused run, or of the last run when idle (None when there is none)."""
        if self.state not in (SessionState.IDLE, SessionState.PAUSED) or self.run_dir is None:
            return None
        last = self.run_dir / "last.pt"
        return last if last.is_file() else None

    # ---- training ---------------------------------------------------------------------------------
    def train(
        self,
        config: TrainingConfig,
        *,
        resume: Path | None = None,
        weights: tuple[Path, bool] | None = None,
    ) -> Path | None:
        """Start a run of the document with ``config`` (continuing ``resume``, a checkpoint; or
        from ``weights``: a checkpoint and whether to load only what fits; by default the
        loaded checkpoint's). Returns the run folder, None when a run is already on."""
        if self.state is not SessionState.IDLE:
            return None
        doc = self.document
        graph = doc.graph.copy()
        graph.extras["training"] = config.to_dict()
        snapshot_dir = Path(tempfile.mkdtemp(prefix="nodeml-run-"))
        self._snapshot = snapshot_dir / "graph.json"
        save_graph(graph, self._snapshot)
        run_dir = new_run_dir(runs_root(doc.path), run_stem(doc.path, graph.name))
        argv = ["train", str(self._snapshot), "--out", str(run_dir)]
        argv += ["--as-file", str(doc.path)] if doc.path is not None else ["--unsaved"]
        if resume is not None:
            argv += ["--resume", str(resume)]
        else:
            weights = weights if weights is not None else self.weights
            if weights is not None:
                argv += ["--weights", str(weights[0])] + (["--partial"] if weights[1] else [])
        if self.processes > 1:
            argv += ["--nproc", str(self.processes)]
        self._previous, self.run_dir = self.run_dir, run_dir
        self.runs_started.append(run_dir)
        live = LiveRun(self.pool.take(), run_dir, self)
        live.started.connect(self._on_started)
        live.steps.connect(self.steps)
        live.epoch_ended.connect(self.epoch_ended)
        live.state_changed.connect(self._on_trainer_state)
        live.finished.connect(self.finished)
        live.failed.connect(self._on_run_failed)
        live.ended.connect(self._on_ended)
        self.live, self._pending = live, None
        self._set_state(SessionState.STARTING)
        self.run_launched.emit(run_dir)
        live.start(argv, os.getcwd())
        return run_dir

    def pause(self) -> None:
        if self.live is not None and self.state is SessionState.RUNNING:
            self.live.send(Command.PAUSE)

    def resume(self) -> None:
        if self.live is not None and self.state is SessionState.PAUSED:
            self.live.send(Command.RESUME)

    def toggle_pause(self) -> None:
        if self.state is SessionState.PAUSED:
            self.resume()
        else:
            self.pause()

    def stop(self) -> None:
        """Stop after the current batch; the run folder keeps what was trained."""
        if self.live is not None and self.state in (
            SessionState.STARTING,
            SessionState.RUNNING,
            SessionState.PAUSED,
        ):
            self.live.send(Command.STOP)
            self._set_state(SessionState.STOPPING)

    def _on_started(self, event: object) -> None:
        if self.state is SessionState.STARTING:
            self._set_state(SessionState.RUNNING)
        self.run_started.emit(event)

    def _on_trainer_state(self, state: TrainerState) -> None:
        if self.state is SessionState.STOPPING or not self.state.training:
            return
        if state is TrainerState.PAUSED:
            self._set_state(SessionState.PAUSED)
        elif state is TrainerState.RUNNING:
            self._set_state(SessionState.RUNNING)

    def _on_run_failed(self, error: JobError) -> None:
        self._pending = error

    def _on_failed(self, error: JobError) -> None:
        if self._eval_generation == self._generation:  # not for a document since closed
            self._pending = error

    def _on_evaluated(self, result: object) -> None:
        if self._eval_generation == self._generation:
            self.evaluated.emit(result)

    def _on_ended(self) -> None:
        live, self.live = self.live, None
        if live is not None:
            began = holds_run(live.run_dir)
            if not began:
                # it failed before it began (the data, the graph): the dialog says why now, and
                # the last real run stays the last run
                self.run_dir = self._previous
                if live.run_dir in self.runs_started:
                    self.runs_started.remove(live.run_dir)
            if live.exit_code is None:  # its process is still on its way out
                self._stopping_runs.append(live)
                live.exited.connect(lambda _code, run=live, b=began: self._reaped(run, b))
            else:
                self._reaped(live, began)
        self._drop_snapshot()
        self._set_state(SessionState.IDLE)
        self.pool.prestart()  # now that nothing trains, the next run's worker starts ahead
        if self._pending is not None:
            error, self._pending = self._pending, None
            self.run_failed.emit(error)

    def _reaped(self, live: LiveRun, began: bool) -> None:
        """The run's process has exited: let go of it, and of a folder holding only its feed."""
        if live in self._stopping_runs:
            self._stopping_runs.remove(live)
        if not began:
            _discard_feed_only(live.run_dir)
        live.deleteLater()

    def _drop_snapshot(self) -> None:
        if self._snapshot is not None:
            shutil.rmtree(self._snapshot.parent, ignore_errors=True)
            self._snapshot = None

    # ---- evaluation ---------------------------------------------------------------------------------
    def evaluate(self, config: TrainingConfig | None = None) -> bool:
        """Evaluate what was trained last: the loaded checkpoint with the document's graph and
        ``config``, or the last run's best.pt (else last.pt) with the graph and settings it was
        trained with."""
        if self.weights is not None and config is not None:
            path, partial = self.weights
            config = resolve_data_paths(config, self._data_folder())
            graph = self.document.graph.copy()
            return self._evaluate(EvaluationRequest(path, graph, config, partial))
        if self.run_dir is not None:
            return self.evaluate_run(self.run_dir)
        return False

    def evaluate_run(self, run_dir: str | os.PathLike[str]) -> bool:
        """Evaluate a run's best.pt (else last.pt) as ``nodeml evaluate RUN/best.pt`` does."""
        checkpoint = best_checkpoint(Path(run_dir))
        if checkpoint is None:
            why = QCoreApplication.translate(
                "Training", "{folder} holds no checkpoint (best.pt or last.pt) yet"
            )
            self.failed.emit(JobError(why.format(folder=run_dir)))
            return False
        return self._evaluate(EvaluationRequest(checkpoint))

    def _evaluate(self, request: EvaluationRequest) -> bool:
        if self.state is not SessionState.IDLE:
            return False
        job = EvaluationJob(request)
        thread = QThread(self)
        thread.setObjectName("nodeml-evaluate")
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.finished.connect(self._on_evaluated)
        job.failed.connect(self._on_failed)
        job.done.connect(thread.quit)
        thread.finished.connect(self._evaluation_done)
        self._eval, self._pending = (thread, job), None
        self._eval_generation = self._generation
        self._set_state(SessionState.EVALUATING)
        thread.start()
        return True

    def _evaluation_done(self) -> None:
        if self._eval is not None:
            thread, job = self._eval
            self._eval = None
            thread.wait()
            thread.deleteLater()
            job.deleteLater()
        self._set_state(SessionState.IDLE)
        if self._pending is not None:
            error, self._pending = self._pending, None
            self.failed.emit(error)

    def _data_folder(self) -> Path:
        path = self.document.path
        return path.resolve().parent if path is not None else Path.cwd()

    # ---- runs, checkpoints ----------------------------------------------------------------------------
    def resume_run(self, run_dir: str | os.PathLike[str], config: TrainingConfig) -> Path | None:
        """Continue a run from its last.pt in a new run folder, up to ``config.epochs``."""
        return self.train(config, resume=Path(run_dir) / "last.pt")

    def export_run(
        self, run_dir: str | os.PathLike[str], target: str | os.PathLike[str], fmt: str
    ) -> list[str]:
        """Export a run's trained model (its graph.json with best.pt, else last.pt) as ``fmt``
        (a nodeml.core.exporting format) to ``target``; returns the exporter's notes."""
        from ...core.exporting import export_graph
        from ...core.training.run_registry import RunFolderError

        run_dir = Path(run_dir)
        data = read_json(run_dir, "graph.json")
        checkpoint = best_checkpoint(run_dir)
        if data is None or checkpoint is None:
            why = QCoreApplication.translate(
                "Training", "{folder} holds no trained model (graph.json and a checkpoint)"
            )
            raise RunFolderError(why.format(folder=run_dir))
        graph = graph_from_dict(data, source=str(run_dir / "graph.json"))
        report = export_graph(graph, target, fmt, checkpoint=checkpoint)
        return list(getattr(report, "notes", []) or [])

    def use_weights(self, path: str | os.PathLike[str], partial: bool) -> None:
        """Evaluate and the next Train start from this checkpoint's weights (the document's
        graph, its settings)."""
        self.weights = (Path(path), partial)
        self.run_dir = None

    def save_checkpoint(self, target: str | os.PathLike[str]) -> Path:
        """Copy the run's last.pt (paused, or the last run) to ``target``; OSError on failure."""
        source = self.checkpoint_to_save()
        if source is None:
            raise OSError(
                QCoreApplication.translate("Training", "there is no checkpoint to save yet")
            )
        atomic_write_bytes(target, source.read_bytes())
        return Path(target)

    # ---- the document changes, the app goes -----------------------------------------------------------
    def forget(self) -> None:
        """Another document: let go of the last run and the loaded weights (they stay on disk)."""
        if self.state.training:
            return  # New / Open are refused while a run is on
        last, self.run_dir, self.weights = self.run_dir, None, None
        self._generation += 1
        self.reset.emit(last)

    def shutdown(self) -> None:
        """The app is closing: a run stops after its batch and writes its checkpoint, in its own
        process; the app does not wait for it."""
        if self.live is not None:
            self.live.send(Command.STOP)
            self.live.close()
        for live in self._stopping_runs:
            live.close()
        if self._eval is not None:
            self._eval[0].wait(10_000)
        self._drop_snapshot()
