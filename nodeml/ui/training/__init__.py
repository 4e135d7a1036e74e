"""In-app training: the Training dock, its presenter and session, runs in worker processes.

The main window calls ``install(window, ...)`` once and puts ``presenter.actions`` in its menus.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from ...core.graph import Graph
from ...core.training.app_worker import WorkerPool
from .dock import TrainingDock
from .presenter import TrainingPresenter
from .session import SessionState, TrainingSession


def install(
    window: QMainWindow,
    *,
    show_node: Callable[[str], None] | None = None,
    open_graph: Callable[[Graph], bool] | None = None,
    pool: WorkerPool | None = None,
) -> TrainingPresenter:
    """Add the Training dock (bottom, tabbed with any dock already there) and the read-only
    banner to ``window`` (which has a ``document``); returns the presenter, whose ``actions``
    the window puts in its menus. ``show_node`` selects a node a failure points at;
    ``open_graph`` opens a checkpoint's own graph (True when it did)."""
    document = window.document
    dock = TrainingDock(document, window)
    bottom = [
        d
        for d in window.findChildren(QDockWidget)
        if d is not dock
        and window.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea
        and not d.isFloating()
    ]
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    if bottom:
        window.tabifyDockWidget(bottom[-1], dock)
    return TrainingPresenter(
        window, document, dock, show_node=show_node, open_graph=open_graph, pool=pool
    )


__all__ = ["SessionState", "TrainingDock", "TrainingPresenter", "TrainingSession", "install"]
