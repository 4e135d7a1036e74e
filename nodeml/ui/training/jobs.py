"""Work that runs on a QThread: a training run and an evaluation, reporting by Qt signals only.

A job is moved to its own QThread; it never touches a widget or the document. The UI thread
only calls ``pause``/``resume``/``stop`` (thread-safe flags) and receives signals, which Qt
queues onto the UI thread because the receivers live there.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ...core.checkpoint import load_model_state
from ...core.compile import compile_graph
from ...core.errors import InvalidGraphError, NodemlError, PretrainedWeightsError, Problem
from ...core.graph import Graph
from ...core.serialize import graph_to_dict
from ...core.training import (
    EpochEnded,
    RunStarted,
    StateChanged,
    StepEnded,
    Trainer,
    TrainingConfig,
    check_input,
    load_dataset,
)
from ...core.training.datasets import DatasetInfo
from ...core.training.faults import ForwardError
from ...core.training.task_hint import task_hint
from .evaluation_data import EvaluationResult, evaluate_model

FLUSH_S = 0.1  # step events reach the UI in chunks, ~10 a second (the progress bar needs no more)


@dataclass
class TrainRequest:
    """What to train: a private copy of the graph (taken on the UI thread) and the settings.

    ``resume`` is a whole checkpoint to continue from; ``weights`` only a model state to start
    from (Load checkpoint, then Train), ``partial`` loading only the keys that fit.
    """

    graph: Graph
    config: TrainingConfig
    resume: dict[str, Any] | None = None
    weights: dict[str, Any] | None = None
    partial: bool = False


@dataclass
class StepChunk:
    """Step events batched between two UI updates; ``last`` drives the progress bar."""

    steps: np.ndarray
    losses: np.ndarray
    lrs: np.ndarray
    last: StepEnded


@dataclass
class JobError:
    """A failure said for a person; ``node``/``field`` locate it in the graph when known."""

    message: str
    node: str | None = None
    field: str | None = None
    problems: list[Problem] = dataclasses.field(default_factory=list)
    details: str = ""  # a traceback, only for errors that are nodeml's own bugs
    info: DatasetInfo | None = None  # the dataset, when the Input node does not fit it
    pretrained: PretrainedWeightsError | None = None  # offline: random weights can be offered


def build_trainer(req: TrainRequest) -> Trainer:
    """Load the data, check it fits the Input node, compile the graph copy, restore weights."""
    data = load_dataset(req.config, task_hint(req.graph, req.config))
    problems = check_input(data.info, req.graph)
    if problems:
        raise _InputMismatch(problems[0], problems, data.info)
    model = compile_graph(req.graph)
    trainer = Trainer(model, req.config, data, graph=graph_to_dict(req.graph))
    if req.resume is not None:
        trainer.load_state_dict(req.resume, partial=req.partial)
    elif req.weights is not None:
        load_model_state(trainer.model, req.weights, partial=req.partial)
    return trainer


def job_error(exc: BaseException) -> JobError:
    """Turn any exception from a job into what the error dialog shows."""
    if isinstance(exc, _InputMismatch):
        p = exc.problem
        return JobError(p.message, p.node, p.field, exc.problems, info=exc.info)
    if isinstance(exc, ForwardError):
        return JobError(str(exc), exc.node)
    if isinstance(exc, PretrainedWeightsError):
        return JobError(str(exc), exc.nodes[0] if exc.nodes else None, pretrained=exc)
    if isinstance(exc, InvalidGraphError):
        first = next((p for p in exc.problems if p.node), None)
        return JobError(
            str(exc), first.node if first else None, first.field if first else None, exc.problems
        )
    if isinstance(exc, NodemlError):
        return JobError(str(exc), getattr(exc, "node", None), getattr(exc, "field", None))
    return JobError(
        f"training failed unexpectedly: {type(exc).__name__}: {exc}",
        details="".join(traceback.format_exception(exc)),
    )


class TrainingJob(QObject):
    """One training run: load data, check the Input node, compile the graph copy, run Trainer."""

    started = Signal(object)  # RunStarted
    steps = Signal(object)  # StepChunk
    epoch_ended = Signal(object)  # EpochEnded
    state_changed = Signal(str)  # "running" / "paused" / "stopping"
    finished = Signal(object)  # Finished
    failed = Signal(object)  # JobError
    done = Signal()  # always the last signal: the thread may quit

    def __init__(self, request: TrainRequest):
        super().__init__()
        self.request = request
        self.trainer: Trainer | None = None
        self._lock = threading.Lock()
        self._stop = False
        self._paused = False
        self._buffer: list[tuple[int, float, float]] = []
        self._last: StepEnded | None = None
        self._flushed_at = 0.0

    # ---- control, from the UI thread ----------------------------------------------------------
    def pause(self) -> None:
        with self._lock:
            self._paused = True
            if self.trainer is not None:
                self.trainer.pause()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            if self.trainer is not None:
                self.trainer.resume()

    def stop(self) -> None:
        with self._lock:
            self._stop = True
            if self.trainer is not None:
                self.trainer.stop()

    # ---- the run, on the job's thread ---------------------------------------------------------
    @Slot()
    def run(self) -> None:
        try:
            trainer = self._build()
            if trainer is not None:
                result = trainer.run()
                self._flush()  # the steps since the last epoch end, when stopped part-way
                self.finished.emit(result)
        except Exception as exc:  # everything must reach the UI; the thread must end
            self._flush()
            self.failed.emit(self._error(exc))
        finally:
            self.done.emit()

    def _build(self) -> Trainer | None:
        trainer = build_trainer(self.request)
        trainer.step_ended.connect(self._on_step)
        trainer.epoch_ended.connect(self._on_epoch)
        trainer.state_changed.connect(self._on_state)
        trainer.started.connect(self._on_started)
        with self._lock:
            self.trainer = trainer
            if self._stop:
                return None
            if self._paused:
                trainer.pause()
        return trainer

    def _error(self, exc: BaseException) -> JobError:
        return job_error(exc)

    def _on_started(self, event: RunStarted) -> None:
        self._flushed_at = time.monotonic()
        self.started.emit(event)

    def _on_step(self, event: StepEnded) -> None:
        self._buffer.append((event.step, event.loss, event.lr))
        self._last = event
        if time.monotonic() - self._flushed_at >= FLUSH_S:
            self._flush()

    def _on_epoch(self, event: EpochEnded) -> None:
        self._flush()
        self.epoch_ended.emit(event)

    def _on_state(self, event: StateChanged) -> None:
        self._flush()
        self.state_changed.emit(event.state)

    def _flush(self) -> None:
        self._flushed_at = time.monotonic()
        if not self._buffer or self._last is None:
            return
        data = np.asarray(self._buffer, dtype=np.float64)
        self._buffer = []
        self.steps.emit(StepChunk(data[:, 0], data[:, 1], data[:, 2], self._last))


class _InputMismatch(NodemlError):
    def __init__(self, problem: Problem, problems: list[Problem], info: DatasetInfo):
        self.problem, self.problems, self.info = problem, problems, info
        super().__init__(problem.message)


class EvaluationJob(QObject):
    """Evaluate an idle trainer's model on its test (else validation) split; without a trainer,
    build one from ``request`` (weights loaded from a checkpoint) and keep it in ``trainer``."""

    finished = Signal(object)  # EvaluationResult
    failed = Signal(object)  # JobError
    done = Signal()

    def __init__(self, trainer: Trainer | None, request: TrainRequest | None = None):
        super().__init__()
        self.trainer = trainer
        self.request = request

    @Slot()
    def run(self) -> None:
        try:
            if self.trainer is None:
                assert self.request is not None
                self.trainer = build_trainer(self.request)
            result: EvaluationResult = evaluate_model(self.trainer)
            self.finished.emit(result)
        except Exception as exc:
            self.failed.emit(job_error(exc))
        finally:
            self.done.emit()
