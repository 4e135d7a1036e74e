"""The Problems panel: every error and warning inference reports; clicking one shows its node."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ..core.errors import Problem, Severity
from ..core.training.node_health import HealthWarning
from .document import Document

NODE_ROLE = Qt.ItemDataRole.UserRole
COLORS = {Severity.ERROR: "#e5534b", Severity.WARNING: "#c98a12"}  # legible on dark and light


class ProblemsList(QListWidget):
    """``node_clicked(id)`` when a problem located at a node is clicked or activated;
    ``count_changed(n)`` lets the dock title show how many there are."""

    node_clicked = Signal(str)
    count_changed = Signal(int)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self._count = -1
        self._run_error: tuple[str, str | None] | None = None  # the last training failure
        self._run_warnings: dict[tuple[str, str], tuple[str, str | None]] = {}  # health warnings
        document.inferred.connect(self.refresh)
        self.itemClicked.connect(self._on_item)
        self.itemActivated.connect(self._on_item)
        self.refresh()

    def set_run_error(self, error: object | None) -> None:
        """List a training failure (a JobError: ``message``, ``node``) above the graph's own
        problems until the next run starts; None clears it and the run's health warnings."""
        if error is None:
            self._run_error = None
            self._run_warnings = {}
        else:
            node = getattr(error, "node", None)
            where = f"node {node}" if node else "training"
            self._run_error = (f"{where}: training stopped: {error.message}", node)
        self.refresh()

    def add_run_warning(self, warning: HealthWarning) -> None:
        """List a training health warning (vanishing or exploding gradients, dead units...)
        naming its node, once per node and kind, until the next run starts."""
        text = f"warning: node {warning.node}: training: {warning.kind.value}: {warning.message}"
        self._run_warnings[(warning.node, warning.kind.value)] = (text, warning.node)
        self.refresh()

    def refresh(self) -> None:
        inference = self.document.inference
        entries = [
            (_text(p), p.node, p.severity) for p in [*inference.problems(), *inference.warnings()]
        ]
        entries[:0] = [(*w, Severity.WARNING) for w in self._run_warnings.values()]
        if self._run_error is not None:
            entries.insert(0, (*self._run_error, Severity.ERROR))
        texts = [text for text, _, _ in entries]
        if texts != [self.item(i).text() for i in range(self.count())]:
            self.clear()
            for text, node, severity in entries:
                item = QListWidgetItem(text)
                item.setData(NODE_ROLE, node)
                item.setForeground(QColor(COLORS[severity]))
                item.setToolTip(text)
                self.addItem(item)
        if not entries:
            self.clear()
            empty = QListWidgetItem("No problems: the model compiles.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)
        if len(entries) != self._count:
            self._count = len(entries)
            self.count_changed.emit(self._count)

    def problem_texts(self) -> list[str]:
        """The listed lines (errors first, then warnings prefixed "warning:")."""
        return [self.item(i).text() for i in range(self.count()) if self.item(i).flags()]

    def _on_item(self, item: QListWidgetItem) -> None:
        node = item.data(NODE_ROLE)
        if node and node in self.document.graph:
            self.node_clicked.emit(node)


def _text(problem: Problem) -> str:
    return f"warning: {problem}" if problem.severity is Severity.WARNING else str(problem)
