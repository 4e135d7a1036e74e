"""Blocks in the window: the name dialog for grouping, the block-parameter prompt and the breadcrumb
bar over the canvas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.blocks import block_name_problem
from ..core.graph import Graph
from .editor.node_item import BLOCK_COLOR
from .theme import TextRole, set_role


def name_problem(graph: Graph, name: str) -> str | None:
    """Why ``name`` cannot name a new block of this model, or None."""
    if not name:
        return QCoreApplication.translate("Blocks", "type a name, e.g. ResidualBlock")
    if name in graph.blocks:
        return QCoreApplication.translate(
            "Blocks", "this model already has a block named {name}"
        ).format(name=name)
    return block_name_problem(name)


def suggest_block_name(graph: Graph) -> str:
    """``Block``, ``Block2``, … : the first name the model does not use yet."""
    name, i = "Block", 2
    while name_problem(graph, name):
        name, i = f"Block{i}", i + 1
    return name


class BlockNameDialog(QDialog):
    """Asks a block's name; OK stays disabled while the name cannot be a Python class name."""

    def __init__(self, graph: Graph, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.graph = graph
        self.setWindowTitle(self.tr("Group into block"))
        self.edit = QLineEdit(suggest_block_name(graph))
        self.edit.setObjectName("blockName")
        self.edit.selectAll()
        self.problem = QLabel()
        set_role(self.problem, TextRole.ERROR)
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel(
            self.tr(
                "The {count} selected nodes become one block node; the wires that cross the "
                "selection become its ports. It is also the class name in the exported code."
            ).format(count=count)
        )
        intro.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.edit)
        box.addWidget(self.problem)
        box.addWidget(self.buttons)
        self.edit.textChanged.connect(self._check)
        self._check(self.edit.text())
        self.resize(420, self.sizeHint().height())

    def _check(self, text: str) -> None:
        why = name_problem(self.graph, text.strip())
        self.problem.setText(why or "")
        self.problem.setVisible(bool(why))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(why is None)

    def name(self) -> str:
        return self.edit.text().strip()


def ask_block_name(parent: QWidget, graph: Graph, count: int) -> str | None:
    """The new block's name, or None when the user cancelled."""
    dialog = BlockNameDialog(graph, count, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.name()


def ask_block_param(parent: QWidget, block: Any, suggested: str) -> str | None:
    """The block parameter to bind to: an existing one or a new name (None: cancelled)."""
    names = list(block.params)
    choices = [*names, *([suggested] if suggested not in names else [])]
    name, ok = QInputDialog.getItem(
        parent,
        QCoreApplication.translate("Blocks", "Take from a block parameter"),
        QCoreApplication.translate(
            "Blocks", "Parameter of {block} (type a new name to add one):"
        ).format(block=block.name),
        choices,
        0,
        True,
    )
    return name.strip() or None if ok else None


class Breadcrumb(QWidget):
    """``Model › ResidualBlock › Branch`` above the canvas while a block is open; a click on a
    level goes back to it."""

    def __init__(self, go_to: Callable[[int], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("breadcrumb")
        self._go_to = go_to
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#breadcrumb { background: rgba(217,70,239,0.08);"
            " border-bottom: 1px solid rgba(217,70,239,0.45); }"
            "#breadcrumb QPushButton { border: none; padding: 2px 6px; font-weight: 600; }"
            "#breadcrumb QPushButton:hover { text-decoration: underline; }"
        )
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 5, 10, 5)
        self.row.setSpacing(2)
        self.levels: list[str] = []
        self.hide()

    def set_levels(self, levels: list[str], note: str = "") -> None:
        """``levels[0]`` is the model; the bar shows only while a block is open."""
        self.levels = list(levels)
        while self.row.count():
            item = self.row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for i, name in enumerate(levels):
            if i:
                self.row.addWidget(set_role(QLabel("›"), TextRole.MUTED))
            last = i == len(levels) - 1
            button = QPushButton(name)
            button.setObjectName(f"crumb{i}")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            if last:
                button.setStyleSheet(f"color: {BLOCK_COLOR.name()};")
                button.setEnabled(True)
            button.clicked.connect(lambda _c=False, level=i: self._go_to(level))
            if i == 0:
                button.setToolTip(self.tr("Back to the model"))
            else:
                button.setToolTip(self.tr("Back to {name}").format(name=name))
            self.row.addWidget(button)
        self.row.addStretch(1)
        hint = QLabel(note)
        hint.setObjectName("breadcrumbNote")
        set_role(hint, TextRole.MUTED)
        self.row.addWidget(hint)
        back = QPushButton(self.tr("⟵ Back"))
        back.setObjectName("crumbBack")
        if len(levels) > 1:
            back.setToolTip(self.tr("Back to {name}").format(name=levels[-2]))
        back.clicked.connect(lambda: self._go_to(len(self.levels) - 2))
        self.row.addWidget(back)
        self.setVisible(len(levels) > 1)
