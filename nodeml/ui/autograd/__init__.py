"""Autograd, visible: "Show autograd graph" runs one batch on a QThread and draws its backward graph.

The main window calls ``install(window, model_menu, weights)`` once; the canvas's context menu
calls ``show(focus=node)``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ...core.blocks import spec_for
from ...core.training import ConfigError
from ...core.training.defaults import training_config
from ...core.training.node_stats_history import NodeStatsHistory
from ..document import Document
from ..editor import EditorView
from ..theme import category_color, current_theme
from .dialog import AutogradDialog
from .job import AutogradFailure, AutogradJob, AutogradRequest, AutogradResult

LAST_CHECKPOINT = "last.pt"  # a run folder's latest weights, written as it trains

# the weights to run with: (a state dict or a checkpoint file, where they come from), or None
# for fresh ones
WeightsSource = Callable[[], tuple[dict[str, Any] | Path, str] | None]


def shown_run_weights(store: NodeStatsHistory, fallback: WeightsSource | None) -> WeightsSource:
    """The weights of the run whose node statistics are shown (its last.pt: the one followed
    while it trains, or the one loaded), so that the picture and the canvas's tints tell of the
    same model; else ``fallback``'s."""

    def weights() -> tuple[dict[str, Any] | Path, str] | None:
        if store.run is not None and (store.run / LAST_CHECKPOINT).is_file():
            text = QCoreApplication.translate("Autograd", "the weights of run “{run}” ({file})")
            return store.run / LAST_CHECKPOINT, text.format(
                run=store.run_name, file=LAST_CHECKPOINT
            )
        return fallback() if fallback is not None else None

    return weights


class AutogradController(QObject):
    """Owns the action, the job's thread and the dialog; hovering a grad_fn selects its layer
    on ``view``, clicking one calls ``show_node`` (select, scroll to it, inspect)."""

    def __init__(
        self,
        window: QMainWindow,
        document: Document,
        view: EditorView,
        show_node: Callable[[str], None],
        weights: WeightsSource | None = None,
    ):
        super().__init__(window)
        self.window, self.document, self.view = window, document, view
        self.show_node, self.weights = show_node, weights
        self.action = QAction(
            QCoreApplication.translate("Autograd", "Show &Autograd Graph…"), window
        )
        self.action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.action.setStatusTip(
            QCoreApplication.translate(
                "Autograd",
                "Run one batch and draw the backward graph autograd records: each grad_fn, the "
                "parameters whose .grad it fills, linked to the layers on the canvas",
            )
        )
        self.action.triggered.connect(lambda _checked=False: self.show())
        window.addAction(self.action)
        self.dialog: AutogradDialog | None = None
        self._thread: QThread | None = None
        self._job: AutogradJob | None = None
        self._focus: str | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def show(self, focus: str | None = None) -> bool:
        """Open the window and run one batch (``focus``: a layer to ring and scroll to). False
        while a batch is still running, or when the training settings are invalid (said)."""
        dialog = self._dialog()
        dialog.show()
        dialog.raise_()
        if self.busy:
            return False
        self._focus = focus
        try:
            config = training_config(self.document.graph, self.document.inference)
        except ConfigError as exc:
            text = QCoreApplication.translate(
                "Autograd", "The training settings have an error: {error}"
            )
            dialog.show_failure(AutogradFailure(text.format(error=exc)))
            return False
        found = self.weights() if self.weights is not None else None
        state, label = found if found is not None else (None, "")
        job = AutogradJob(AutogradRequest(self.document.graph.copy(), config, state, label))
        thread = QThread(self)
        thread.setObjectName("nodeml-autograd")
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.finished.connect(self._finished)
        job.done.connect(thread.quit)
        thread.finished.connect(self._thread_done)
        self._job, self._thread = job, thread
        dialog.show_running()
        thread.start()
        return True

    def _dialog(self) -> AutogradDialog:
        if self.dialog is None:
            self.dialog = AutogradDialog(self.layer_color, self.window)
            self.dialog.layer_hovered.connect(self._hovered)
            self.dialog.layer_clicked.connect(self._clicked)
            self.dialog.rerun_requested.connect(lambda: self.show(self._focus))
        return self.dialog

    def _finished(self, outcome: AutogradResult | AutogradFailure) -> None:
        dialog = self._dialog()
        if isinstance(outcome, AutogradResult):
            dialog.show_result(outcome, self._focus)
        else:
            dialog.show_failure(outcome)
            if outcome.node is not None and outcome.node in self.document.graph:
                self.show_node(outcome.node)

    def _thread_done(self) -> None:
        thread, self._thread, self._job = self._thread, None, None
        if thread is not None:
            thread.wait()
            thread.deleteLater()

    def shutdown(self) -> None:
        """The window closes: wait for a batch under way (one forward pass)."""
        if self._thread is not None:
            self._thread.wait()

    # ---- the canvas --------------------------------------------------------------------------
    def layer_color(self, layer: str | None) -> QColor:
        """A layer's colour on the canvas (its category's); the loss's operations are grey."""
        graph = self.document.graph
        if layer is None or layer not in graph:
            return QColor(current_theme().muted)
        spec = spec_for(graph, graph.node(layer).type)
        return category_color(spec.category if spec is not None else None)

    def _hovered(self, layer: str | None) -> None:
        if layer is not None and layer in self.document.graph:
            self.view.select_node(layer, reveal=False)

    def _clicked(self, layer: str) -> None:
        if layer in self.document.graph:
            self.show_node(layer)


def install(
    window: QMainWindow, model_menu: QMenu, weights: WeightsSource | None = None
) -> AutogradController:
    """The Model menu's "Show Autograd Graph…"; returns the controller (``show(focus=...)``)."""
    controller = AutogradController(
        window, window.document, window.navigation.root_view, window.show_node, weights
    )
    model_menu.addSeparator()
    model_menu.addAction(controller.action)
    return controller


__all__ = ["AutogradController", "install", "shown_run_weights"]
