"""In-app training: the Training dock, menus and banner, with runs on a QThread.

The main window calls ``install(window)`` once; everything else is wired here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from .controller import TrainingController
from .dock import TrainingDock


def install(window: QMainWindow) -> TrainingController:
    """Add the Training dock (bottom, tabbed with any dock already there), the Training menu,
    checkpoint items in the File menu and the read-only banner; returns the controller."""
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
    controller = TrainingController(window, document, dock)
    controller.install_menus()
    return controller


__all__ = ["TrainingController", "TrainingDock", "install"]
