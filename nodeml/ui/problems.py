"""The Problems panel: every problem inference reports; clicking one shows its node."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from .document import Document

NODE_ROLE = Qt.ItemDataRole.UserRole


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
        document.inferred.connect(self.refresh)
        self.itemClicked.connect(self._on_item)
        self.itemActivated.connect(self._on_item)
        self.refresh()

    def refresh(self) -> None:
        problems = self.document.inference.problems()
        texts = [str(p) for p in problems]
        if texts != [self.item(i).text() for i in range(self.count())]:
            self.clear()
            for problem, text in zip(problems, texts, strict=True):
                item = QListWidgetItem(text)
                item.setData(NODE_ROLE, problem.node)
                item.setForeground(QColor("#e5534b"))
                item.setToolTip(text)
                self.addItem(item)
        if not problems:
            self.clear()
            empty = QListWidgetItem("No problems: the model compiles.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)
        if len(problems) != self._count:
            self._count = len(problems)
            self.count_changed.emit(self._count)

    def problem_texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count()) if self.item(i).flags()]

    def _on_item(self, item: QListWidgetItem) -> None:
        node = item.data(NODE_ROLE)
        if node and node in self.document.graph:
            self.node_clicked.emit(node)
