"""One batch through the model on a QThread, to read the backward graph autograd builds for it."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from ...core.autograd_graph import AutogradGraph, training_autograd_graph
from ...core.checkpoint import load_checkpoint, load_model_state
from ...core.compile import compile_graph
from ...core.errors import NodemlError
from ...core.graph import Graph
from ...core.serialize import graph_to_dict
from ...core.training import TrainingConfig, check_input, load_dataset
from ...core.training.task_hint import task_hint


@dataclass
class AutogradRequest:
    """A private copy of the graph (taken on the UI thread), the training settings, and the
    weights to run with: a state dict, a checkpoint file (read on the job's thread), or None
    for freshly initialised ones."""

    graph: Graph
    config: TrainingConfig
    weights: dict[str, Any] | Path | None = None
    weights_label: str = ""  # where the weights come from, said beside the graph


@dataclass
class AutogradResult:
    graph: AutogradGraph
    batch: int  # samples in the batch
    dataset: str
    weights_note: str  # "fresh weights", or whose weights and how many layers took them


@dataclass
class AutogradFailure:
    message: str
    node: str | None = None  # the layer at fault, when known
    details: str = ""  # a traceback, for nodeml's own bugs only


class AutogradJob(QObject):
    """``finished`` carries an AutogradResult or an AutogradFailure; then ``done``."""

    finished = Signal(object)
    done = Signal()

    def __init__(self, request: AutogradRequest):
        super().__init__()
        self.request = request

    @Slot()
    def run(self) -> None:
        try:
            self.finished.emit(self._backward_graph())
        except NodemlError as exc:
            node = getattr(exc, "node", None)
            self.finished.emit(AutogradFailure(str(exc), node if isinstance(node, str) else None))
        except Exception as exc:  # everything must reach the UI; the thread must end
            text = QCoreApplication.translate(
                "Autograd", "showing the autograd graph failed unexpectedly: {kind}: {error}"
            )
            self.finished.emit(
                AutogradFailure(
                    text.format(kind=type(exc).__name__, error=exc),
                    details="".join(traceback.format_exception(exc)),
                )
            )
        finally:
            self.done.emit()

    def _backward_graph(self) -> AutogradResult:
        req = self.request
        data = load_dataset(req.config, task_hint(req.graph, req.config))
        problems = check_input(data.info, req.graph)
        if problems:
            raise _InputMismatch(problems[0].message, problems[0].node)
        model = compile_graph(req.graph)
        note = QCoreApplication.translate("Autograd", "fresh (untrained) weights")
        weights = req.weights
        if isinstance(weights, Path):
            try:
                weights = load_checkpoint(weights)["model"]
            except (NodemlError, KeyError, TypeError) as exc:
                text = QCoreApplication.translate(
                    "Autograd", "fresh (untrained) weights: {source} could not be read ({error})"
                )
                note = text.format(source=req.weights_label or weights.name, error=exc)
                weights = None
        if weights is not None:
            diff = load_model_state(model, weights, partial=True)
            note = req.weights_label or QCoreApplication.translate(
                "Autograd", "the trained weights"
            )
            if not diff.fits:
                skipped = len(diff.missing) + len(diff.mismatched)
                text = QCoreApplication.translate(
                    "Autograd",
                    "{source}; {count} tensors kept fresh weights (the graph changed since)",
                )
                note = text.format(source=note, count=skipped)
        graph = training_autograd_graph(model, req.config, data, graph=graph_to_dict(req.graph))
        batch = min(req.config.batch_size, len(data.train))
        return AutogradResult(graph, batch, data.info.name, note)


class _InputMismatch(NodemlError):
    def __init__(self, message: str, node: str | None):
        super().__init__(message)
        self.node = node
