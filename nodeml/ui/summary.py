"""The summary table: every node's type, output shape, parameter and MAC counts, with totals (like torchinfo)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..core.display import format_count, format_size_mb
from .document import Document
from .language import counted
from .theme import current_theme

COLUMNS = (
    QT_TRANSLATE_NOOP("SummaryTable", "Node"),
    QT_TRANSLATE_NOOP("SummaryTable", "Type"),
    QT_TRANSLATE_NOOP("SummaryTable", "Output shape"),
    QT_TRANSLATE_NOOP("SummaryTable", "Params"),
    QT_TRANSLATE_NOOP("SummaryTable", "Trainable"),
    QT_TRANSLATE_NOOP("SummaryTable", "MACs"),
)
NUMERIC = {3, 4, 5}
REFRESH_MS = 60  # a burst of edits (a drag, a paste) redraws the table once


def totals_text(document: Document, frozen: int = 0) -> str:
    """The status-bar line: parameter totals (``frozen`` of them, when any), fp32 size, problem
    count."""
    t = document.inference.totals()
    if t.problems == 0:
        problems = QCoreApplication.translate("Summary", "no problems")
    else:
        problems = counted(QCoreApplication.translate("Summary", "{count} problem(s)"), t.problems)
    if frozen:
        params = QCoreApplication.translate(
            "Summary", "{params:,} params ({trainable:,} trainable, {frozen:,} frozen)"
        )
    else:
        params = QCoreApplication.translate(
            "Summary", "{params:,} params ({trainable:,} trainable)"
        )
    params = params.format(params=t.params, trainable=t.trainable, frozen=frozen)
    macs = QCoreApplication.translate("Summary", "{macs} MACs").format(macs=format_count(t.macs))
    return f"{params} · {format_size_mb(t.params)} fp32 · {macs} · {problems}"


class SummaryTable(QTableWidget):
    """Read-only; ``node_clicked(id)`` when a row is clicked."""

    node_clicked = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.document = document
        self.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])  # i18n: QT_TRANSLATE_NOOPs
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((140, 140, 160, 100, 100, 110)):
            self.setColumnWidth(col, width)
        for col in NUMERIC:
            self.horizontalHeaderItem(col).setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        document.inferred.connect(self._timer.start)
        document.reloaded.connect(self.refresh)  # a newly opened file shows at once
        self.cellClicked.connect(self._on_click)
        self.refresh()

    def refresh(self) -> None:
        graph, inference = self.document.graph, self.document.inference
        infos = inference.all()
        self.setUpdatesEnabled(False)
        try:
            self.setRowCount(len(infos) + 1)
            for row, nid in enumerate(inference.graph_order()):  # as data flows, like torchinfo
                node, info = graph.node(nid), infos[nid]
                shape = ", ".join(t.describe() for t in info.outputs) if info.outputs else "?"
                trainable = info.trainable if info.params else 0
                cells = (
                    nid,
                    node.type,
                    shape,
                    f"{info.params:,}",
                    f"{trainable:,}",
                    f"{info.macs:,}",
                )
                self._put_row(row, cells, error=not info.ok)
            t = inference.totals()
            total = (
                self.tr("Total"),
                counted(self.tr("{count} node(s)"), len(infos)),
                "",
                f"{t.params:,}",
                f"{t.trainable:,}",
                f"{t.macs:,}",
            )
            self._put_row(len(infos), total, bold=True)
        finally:
            self.setUpdatesEnabled(True)

    def _put_row(
        self, row: int, cells: tuple[str, ...], error: bool = False, bold: bool = False
    ) -> None:
        for col, text in enumerate(cells):
            item = self.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.setItem(row, col, item)
            item.setText(text)
            if col in NUMERIC:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            font = QFont(self.font())
            font.setBold(bold)
            if col in (2, 3, 4, 5):
                font.setFamily("monospace")
            item.setFont(font)
            item.setData(Qt.ItemDataRole.ForegroundRole, current_theme().error if error else None)

    def total_params(self) -> str:
        """The Params cell of the totals row, as shown."""
        return self.item(self.rowCount() - 1, 3).text()

    def _on_click(self, row: int, _col: int) -> None:
        if row < self.rowCount() - 1:
            self.node_clicked.emit(self.item(row, 0).text())
