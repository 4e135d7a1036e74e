"""The quick-add popup: type a few letters of a layer's name, category or purpose, Enter adds it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...core.catalog import CATALOG, LayerSpec
from ..catalog_text import catalog_text, category_label
from ..theme import CATEGORY_LABELS, category_color, parametric_badge


def rank(spec: LayerSpec, text: str) -> int | None:
    """Lower is better; None when ``text`` does not match the layer at all."""
    words = text.lower().split()
    if not words:
        return 5
    name = spec.type.lower()
    # the English words and the user's language both match ("conv", "합성곱")
    category = (
        f"{CATEGORY_LABELS.get(spec.category, spec.category)} {category_label(spec.category)}"
    )
    category = category.lower()
    description = f"{spec.description} {catalog_text(spec.description)}".lower()
    best = 0
    for word in words:
        if name.startswith(word):
            score = 0
        elif word in name:
            score = 1
        elif word in category or word == spec.category:
            score = 2
        elif word in description:
            score = 3
        else:
            return None
        best = max(best, score)
    return best


def _dot(color: QColor, parametric: bool) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if parametric:
        p.setBrush(color)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(1, 1, 10, 10, 3, 3)
    else:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(color)
        p.drawEllipse(2, 2, 8, 8)
    p.end()
    return QIcon(pix)


class QuickAddPopup(QFrame):
    """A search box over the catalog; ``chosen(type_name)`` fires on Enter or click."""

    chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("QuickAdd")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Add layer…  (name, category or purpose)"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setIconSize(QSize(12, 12))
        self.results.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self.resize(300, 320)
        self._accepts: Callable[[LayerSpec], bool] = lambda spec: True
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.results.itemActivated.connect(self._activate)
        self.results.itemClicked.connect(self._activate)
        self.hide()

    def popup(self, at: QPoint, accepts: Callable[[LayerSpec], bool] | None = None) -> None:
        """Open at ``at`` (parent coordinates), listing only layers ``accepts`` lets through."""
        self._accepts = accepts or (lambda spec: True)
        parent = self.parentWidget()
        x = min(max(at.x(), 0), max(parent.width() - self.width(), 0))
        y = min(max(at.y(), 0), max(parent.height() - self.height(), 0))
        self.move(x, y)
        self.search.clear()
        self._filter("")
        self.show()
        self.raise_()
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        self.results.clear()
        hits = []
        for order, spec in enumerate(CATALOG.values()):
            score = rank(spec, text)
            if score is not None and self._accepts(spec):
                hits.append((score, order, spec))
        for _, _, spec in sorted(hits, key=lambda h: (h[0], h[1])):
            badge = parametric_badge(spec)
            label = spec.type + (f"   ·  {badge}" if badge else "")
            item = QListWidgetItem(_dot(category_color(spec.category), spec.parametric), label)
            item.setData(Qt.ItemDataRole.UserRole, spec.type)
            item.setToolTip(catalog_text(spec.description))
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _activate(self, item: QListWidgetItem) -> None:
        type_name = item.data(Qt.ItemDataRole.UserRole)
        self.hide()
        self.chosen.emit(type_name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.results.currentItem()
                if item is not None:
                    self._activate(item)
                return True
            if key == Qt.Key.Key_Escape:
                self.close_popup()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def close_popup(self) -> None:
        if self.isVisible():
            self.hide()
            self.cancelled.emit()
        self.parentWidget().setFocus()
