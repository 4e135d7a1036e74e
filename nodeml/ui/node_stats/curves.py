"""Under the Inspector: the selected node's training statistics over steps, and its warnings in words.

It sits beside the Inspector rather than in it: the Inspector is disabled while a run trains
(the graph is read-only then), and that is when these curves matter.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.errors import Severity
from ...core.training.node_stats_history import NodeStatsHistory
from ..inspector import section_label
from ..problems import COLORS, kind_label
from ..theme import TextRole, set_role

if TYPE_CHECKING:
    from .curve_plots import NodeCurvePlots

REDRAW_S = 0.2  # the curves follow a live run at most 5 times a second


class NodeCurves(QScrollArea):
    """Shows ``node`` (``set_node``) while the store has statistics for it; hidden otherwise."""

    def __init__(self, store: NodeStatsHistory, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("nodeCurves")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(140)
        self.store = store
        self.node: str | None = None
        self.plots: NodeCurvePlots | None = None  # made when first needed (pyqtgraph)
        self.drawn_version = -1
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 0, 10, 8)
        layout.setSpacing(3)
        self.heading = section_label(
            QCoreApplication.translate("NodeStats", "Training statistics, by step")
        )
        self.source = QLabel()
        self.source.setObjectName("nodeCurvesSource")
        self.source.setWordWrap(True)
        set_role(self.source, TextRole.MUTED)
        self.warnings = QLabel()
        self.warnings.setObjectName("nodeWarnings")
        self.warnings.setWordWrap(True)
        for widget in (self.heading, self.source, self.warnings):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(page)
        self.layout_ = layout
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.redraw)
        self._drawn_at = -1e9
        store.changed.connect(lambda _store: self._schedule())
        self.hide()

    def set_node(self, node: str | None) -> None:
        """Follow the Inspector: one node, or None (several, none, or a node inside a block)."""
        if node != self.node:
            self.node = node
            self.redraw()

    def _schedule(self) -> None:
        if self._timer.isActive():
            return
        wait = REDRAW_S - (time.monotonic() - self._drawn_at)
        self._timer.start(max(0, int(wait * 1000)))

    def redraw(self) -> None:
        self._timer.stop()
        self._drawn_at = time.monotonic()
        store, node = self.store, self.node
        if node is None or store.empty:
            self.hide()
            return
        self.show()
        self.drawn_version = store.version
        if not store.has(node):
            text = QCoreApplication.translate(
                "NodeStats",
                "No statistics for {node}: an Output node is its source's value, and a node "
                "added after the run was not trained.",
            )
            self.source.setText(text.format(node=node))
            self.warnings.hide()
            if self.plots is not None:
                self.plots.hide()
            return
        where = (
            f"“{store.run_name}”"
            if store.run is not None
            else QCoreApplication.translate("NodeStats", "this training run")
        )
        text = QCoreApplication.translate(
            "NodeStats", "{where} · {count} samples, up to step {step}"
        )
        self.source.setText(
            text.format(where=where, count=store.samples_seen, step=store.last_step)
        )
        found = store.warnings(node)
        if found:
            self.warnings.setStyleSheet(f"color: {COLORS[Severity.WARNING]};")
            line = QCoreApplication.translate("NodeStats", "⚠ {kind}: {message}")
            self.warnings.setText(
                "\n".join(line.format(kind=kind_label(w.kind), message=w.message) for w in found)
            )
        else:
            set_role(self.warnings, TextRole.MUTED)
            self.warnings.setText(
                QCoreApplication.translate(
                    "NodeStats", "No warnings: the health rules find nothing wrong here."
                )
            )
        self.warnings.show()
        self._plots().show_node(store, node)
        self.plots.show()

    def _plots(self) -> NodeCurvePlots:
        if self.plots is None:
            from .curve_plots import NodeCurvePlots  # pyqtgraph: only when first needed

            self.plots = NodeCurvePlots()
            self.layout_.insertWidget(self.layout_.count() - 1, self.plots)
        return self.plots

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.PaletteChange and self.plots is not None:
            self.plots.apply_theme()  # the theme changed
        super().changeEvent(event)
