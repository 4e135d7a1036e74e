"""The layer palette: catalog types by category, filtered as you type, dragged or double-clicked onto the canvas."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.catalog import CATALOG, CATEGORIES, LayerSpec
from . import theme

LAYER_MIME = "application/x-nodeml-layer"
TYPE_ROLE = Qt.ItemDataRole.UserRole


def layer_icon(spec: LayerSpec, size: int = 14) -> QIcon:
    """A category-coloured mark: a filled block for layers with weights, a ring for those without,
    echoing the solid cards and outlined pills of the canvas."""
    color = theme.category_color(spec.category)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if spec.parametric:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    else:
        painter.setPen(QPen(color, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(2, 4, size - 4, size - 8, (size - 8) / 2, (size - 8) / 2)
    painter.end()
    return QIcon(pixmap)


def layer_tooltip(spec: LayerSpec) -> str:
    weights = "has trainable weights" if spec.parametric else "no weights"
    return (
        f"<b>{spec.type}</b> <span style='color:gray'>({theme.CATEGORY_LABELS.get(spec.category, spec.category)}, "
        f"{weights})</span><br>{spec.description}<br><i>Drag onto the canvas or double-click to add.</i>"
    )


class PaletteTree(QTreeWidget):
    """The tree itself; it hands out the layer type as drag data."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(2)
        self.setIndentation(12)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setIconSize(QSize(14, 14))
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [LAYER_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:  # noqa: N802 - Qt API
        data = QMimeData()
        types = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        if types:
            data.setData(LAYER_MIME, QByteArray(types[0].encode()))
            data.setText(types[0])
        return data


class Palette(QWidget):
    """Search box over a category tree. ``add_requested(type)`` on double-click or Enter."""

    add_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search layers…")
        self.search.setClearButtonEnabled(True)
        self.tree = PaletteTree(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._categories: dict[str, QTreeWidgetItem] = {}
        self._fill()
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._add_first_match)
        self.tree.itemDoubleClicked.connect(self._on_double_click)

    def _fill(self) -> None:
        bold = self.tree.font()
        bold.setBold(True)
        by_category: dict[str, list[LayerSpec]] = {c: [] for c in CATEGORIES}
        for spec in CATALOG.values():
            by_category.setdefault(spec.category, []).append(spec)
        for category, specs in by_category.items():
            if not specs:
                continue
            top = QTreeWidgetItem(self.tree, [theme.CATEGORY_LABELS.get(category, category), ""])
            top.setFont(0, bold)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            top.setForeground(0, theme.category_color(category))
            self._categories[category] = top
            for spec in specs:
                item = QTreeWidgetItem(top, [spec.type, theme.parametric_badge(spec)])
                item.setData(0, TYPE_ROLE, spec.type)
                item.setIcon(0, layer_icon(spec))
                item.setToolTip(0, layer_tooltip(spec))
                item.setToolTip(1, layer_tooltip(spec))
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                item.setForeground(1, QColor("#8a8f98"))
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)

    def item_for(self, type_name: str) -> QTreeWidgetItem | None:
        spec = CATALOG.get(type_name)
        if spec is None:
            return None
        top = self._categories[spec.category]
        for i in range(top.childCount()):
            if top.child(i).data(0, TYPE_ROLE) == type_name:
                return top.child(i)
        return None

    def visible_types(self) -> list[str]:
        """The layer types the current search shows, in display order."""
        out = []
        for top in self._categories.values():
            if top.isHidden():
                continue
            for i in range(top.childCount()):
                if not top.child(i).isHidden():
                    out.append(top.child(i).data(0, TYPE_ROLE))
        return out

    def filter(self, text: str) -> None:
        """Show layers whose name, category or description contains every word typed."""
        words = text.lower().split()
        for category, top in self._categories.items():
            shown = 0
            for i in range(top.childCount()):
                item = top.child(i)
                spec = CATALOG[item.data(0, TYPE_ROLE)]
                haystack = (
                    f"{spec.type} {category} {theme.CATEGORY_LABELS.get(category, '')}".lower()
                )
                # name matches first; descriptions only for words of 4+ letters, to keep it tight
                hit = all(
                    w in haystack or (len(w) >= 4 and w in spec.description.lower()) for w in words
                )
                item.setHidden(not hit)
                shown += hit
            top.setHidden(shown == 0)
        if words:
            self.tree.expandAll()

    def _add_first_match(self) -> None:
        types = self.visible_types()
        if types:
            self.add_requested.emit(types[0])
            self.search.selectAll()  # the next layer's name replaces this one

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.add_requested.emit(type_name)
