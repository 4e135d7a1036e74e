"""The Problems panel: the graph's errors and warnings, and training's; clicking one shows its node."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ..core.errors import Problem, Severity
from ..core.training.node_health import HealthKind, HealthWarning
from .document import Document

NODE_ROLE = Qt.ItemDataRole.UserRole
COLORS = {Severity.ERROR: "#e5534b", Severity.WARNING: "#c98a12"}  # legible on dark and light


# core's health warning kinds, as the Inspector and the Problems panel name them
KIND_NAMES = {
    HealthKind.VANISHING: QT_TRANSLATE_NOOP("ProblemsList", "vanishing gradient"),
    HealthKind.EXPLODING: QT_TRANSLATE_NOOP("ProblemsList", "exploding gradient"),
    HealthKind.DEAD_UNITS: QT_TRANSLATE_NOOP("ProblemsList", "dead units"),
    HealthKind.UPDATE_RATIO: QT_TRANSLATE_NOOP("ProblemsList", "update ratio"),
}


def kind_label(kind: HealthKind) -> str:
    """``vanishing gradient`` in the user's language."""
    return QCoreApplication.translate("ProblemsList", KIND_NAMES[kind])  # i18n: NOOPs above


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
        self._health: list[tuple[str, str | None]] = []  # training health warnings, by node
        document.inferred.connect(self.refresh)
        self.itemClicked.connect(self._on_item)
        self.itemActivated.connect(self._on_item)
        self.refresh()

    def set_run_error(self, error: object | None) -> None:
        """List a training failure (a JobError: ``message``, ``node``) above the graph's own
        problems until the next run starts; None clears it."""
        if error is None:
            self._run_error = None
        else:
            node = getattr(error, "node", None)
            where = (
                QCoreApplication.translate("ProblemsList", "node {id}").format(id=node)
                if node
                else QCoreApplication.translate("ProblemsList", "training")
            )
            text = QCoreApplication.translate(
                "ProblemsList", "{where}: training stopped: {message}"
            )
            self._run_error = (text.format(where=where, message=error.message), node)
        self.refresh()

    def set_health_warnings(self, warnings: Sequence[HealthWarning], source: str) -> None:
        """List what the training health rules say now (vanishing or exploding gradients,
        dead units, an update ratio far from 1e-3), each naming its node, after the graph's own
        problems; ``source`` says whose statistics they judge ("this training run", a run's
        name). An empty list takes them away."""
        text = QCoreApplication.translate(
            "ProblemsList", "warning: node {id}: {kind} ({source}): {message}"
        )
        self._health = [
            (
                text.format(id=w.node, kind=kind_label(w.kind), source=source, message=w.message),
                w.node,
            )
            for w in warnings
        ]
        self.refresh()

    def refresh(self) -> None:
        inference = self.document.inference
        entries = [
            (_text(p), p.node, p.severity) for p in [*inference.problems(), *inference.warnings()]
        ]
        entries += [(text, node, Severity.WARNING) for text, node in self._health]
        if self._run_error is not None:
            entries.insert(0, (*self._run_error, Severity.ERROR))
        texts = [text for text, _, _ in entries]
        shown = [self.item(i) for i in range(self.count())]
        if entries and len(shown) == len(entries) and all(i.flags() for i in shown):
            # the same number of lines: changed in place, so the selection and scroll stay
            # while a live run's warnings are reworded (their step span grows)
            for item, (text, node, severity) in zip(shown, entries, strict=True):
                if item.text() != text:
                    _fill(item, text, node, severity)
        elif texts != [item.text() for item in shown]:
            self.clear()
            for text, node, severity in entries:
                item = QListWidgetItem()
                _fill(item, text, node, severity)
                self.addItem(item)
        if not entries:
            self.clear()
            empty = QListWidgetItem(
                QCoreApplication.translate("ProblemsList", "No problems: the model compiles.")
            )
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


def _fill(item: QListWidgetItem, text: str, node: str | None, severity: Severity) -> None:
    item.setText(text)
    item.setData(NODE_ROLE, node)
    item.setForeground(QColor(COLORS[severity]))
    item.setToolTip(text)


def _text(problem: Problem) -> str:
    if problem.severity is Severity.WARNING:
        return QCoreApplication.translate("ProblemsList", "warning: {problem}").format(
            problem=problem
        )
    return str(problem)
