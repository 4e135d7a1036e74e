"""A failure as the training UI shows it, and the evaluation job that runs on a QThread.

Training itself runs in a worker process (live_run.py); its failures arrive as the live feed's
ErrorReport and become a JobError here, like an evaluation's own exceptions do, so the same
dialogs show both: a node to select, an Input that does not fit the dataset, pretrained weights
that cannot be had offline.
"""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from ...core.checkpoint import load_checkpoint
from ...core.errors import CheckpointError, PretrainedWeightsError, Problem
from ...core.graph import Graph
from ...core.serialize import graph_from_dict
from ...core.training import TrainingConfig
from ...core.training.datasets import DatasetInfo
from ...core.training.live import ErrorReport
from .evaluation_data import EvaluationResult, evaluate_weights


@dataclass
class JobError:
    """A failure said for a person; ``node``/``field`` locate it in the graph when known."""

    message: str
    node: str | None = None
    field: str | None = None
    problems: list[Problem] = dataclasses.field(default_factory=list)
    details: str = ""  # a traceback or a process's last words: nodeml's own bugs
    info: DatasetInfo | None = None  # the dataset, when the Input node does not fit it
    pretrained: PretrainedWeightsError | None = None  # offline: random weights can be offered

    @classmethod
    def from_report(cls, report: ErrorReport, details: str = "") -> JobError:
        """The live feed's account of a failure (from the worker process, or from ``of``)."""
        message, node, field = report.message, report.node, report.field
        if report.kind == "InputMismatchError" and report.problems:
            message = report.problems[0].message  # the dialog lists the others below it
        if node is None:  # a graph's problems: point at the first one that has a node
            first = next((p for p in report.problems if p.node), None)
            if first is not None:
                node, field = first.node, first.field
        pretrained = None
        if report.kind == "PretrainedWeightsError":
            pretrained = PretrainedWeightsError(report.message, report.nodes)
            node = node or (report.nodes[0] if report.nodes else None)
        if report.internal:
            message = QCoreApplication.translate(
                "Training", "training failed unexpectedly: {kind}: {message}"
            ).format(kind=report.kind, message=report.message)
        return cls(message, node, field, list(report.problems), details, report.info, pretrained)

    @classmethod
    def of(cls, exc: BaseException) -> JobError:
        report = ErrorReport.of(exc)
        details = "".join(traceback.format_exception(exc)) if report.internal else ""
        return cls.from_report(report, details)


@dataclass
class EvaluationRequest:
    """What to evaluate: a checkpoint's weights, in ``graph`` with ``config`` (by default the
    graph and settings the checkpoint carries: how it was trained); ``partial`` loads only the
    tensors that fit."""

    checkpoint: Path
    graph: Graph | None = None
    config: TrainingConfig | None = None
    partial: bool = False

    def evaluate(self) -> EvaluationResult:
        checkpoint = load_checkpoint(self.checkpoint)
        graph = self.graph
        if graph is None:
            if not isinstance(checkpoint.get("graph"), dict):
                raise CheckpointError(f"checkpoint {self.checkpoint} does not carry its graph")
            graph = graph_from_dict(checkpoint["graph"], source=f"the graph in {self.checkpoint}")
        config = self.config or TrainingConfig.from_dict(checkpoint.get("training"))
        return evaluate_weights(graph, config, checkpoint["model"], self.partial)


class EvaluationJob(QObject):
    """Evaluates a request on its own QThread (the trained model on the test split, else the
    validation split) with the core's evaluation; never touches a widget."""

    finished = Signal(object)  # EvaluationResult
    failed = Signal(object)  # JobError
    done = Signal()  # always the last signal: the thread may quit

    def __init__(self, request: EvaluationRequest):
        super().__init__()
        self.request = request

    @Slot()
    def run(self) -> None:
        try:
            self.finished.emit(self.request.evaluate())
        except Exception as exc:  # everything must reach the UI; the thread must end
            self.failed.emit(JobError.of(exc))
        finally:
            self.done.emit()
