"""Node health on the canvas: turns the statistics history into each node's tint and sparkline,
at most a few times a second, and shows the legend and the canvas-corner toggle."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton

from ...core.training.node_stats_history import NodeStatsHistory
from ..editor import EditorView
from .legend import HealthLegend
from .looks import health_look

REPAINT_S = 0.25  # nodes take new looks at most 4 times a second (statistics come every k steps)


class HealthOverlay(QObject):
    """Tints the nodes of ``view`` by the health ``store`` judges, while ``action`` is checked.

    The store may change many times a second; nodes take their new looks on a timer, at most
    every REPAINT_S, and only those whose look changed repaint. Unchecked, every node is given
    back its plain look (``NodeItem.show_health(None)``) and the legend is hidden."""

    def __init__(self, view: EditorView, store: NodeStatsHistory, action: QAction):
        super().__init__(view)
        self.view, self.store, self.action = view, store, action
        # children of the view, not of its viewport: the viewport scrolls its children with it
        self.legend = HealthLegend(store, view)
        self.legend.hide()
        self.button = QToolButton(view)
        self.button.setObjectName("nodeHealthButton")
        self.button.setDefaultAction(action)
        self.button.setCheckable(True)
        self.button.setAutoRaise(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.apply)
        self._applied_at = -math.inf
        self.applied = 0  # how many times the nodes took new looks (tests, benchmarks)
        self._shown_version = -1
        store.changed.connect(lambda _store: self.schedule())
        view.document.graph_event.connect(lambda _event: self.schedule())
        view.document.reloaded.connect(self.schedule)
        action.toggled.connect(self._toggled)
        view.viewport().installEventFilter(self)
        self._place()

    @property
    def enabled(self) -> bool:
        return self.action.isChecked()

    def schedule(self) -> None:
        """Apply soon: at once when the last apply was long enough ago, else when it is."""
        if not self.enabled or self._timer.isActive():
            return
        wait = REPAINT_S - (time.monotonic() - self._applied_at)
        self._timer.start(max(0, int(wait * 1000)))

    def apply(self) -> None:
        """Give every node its look now (the plain one while off)."""
        self._timer.stop()
        self._applied_at = time.monotonic()
        self.applied += 1
        on = self.enabled
        scene = self.view.editor_scene
        for node_id, item in scene.nodes.items():
            item.show_health(health_look(self.store, node_id) if on else None)
        if on and self._shown_version != self.store.version:
            self._shown_version = self.store.version
            self.legend.refresh()
        self._place()

    def _toggled(self, on: bool) -> None:
        self.legend.setVisible(on)
        self._shown_version = -1
        self.apply()

    # ---- the legend and the button follow the viewport's corners -------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        area = self.view.viewport().geometry()
        margin = 10
        self.button.adjustSize()
        self.button.move(area.right() - self.button.width() - margin + 1, area.top() + margin)
        self.button.raise_()
        if self.legend.isVisible():
            self.legend.adjustSize()
            self.legend.move(
                area.left() + margin, area.bottom() - self.legend.height() - margin + 1
            )
            self.legend.raise_()
