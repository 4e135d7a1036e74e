"""The layer palette: catalog types by category, filtered as you type, dragged or double-clicked onto the canvas."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.blocks import LibraryBlock
from ..core.catalog import CATALOG, CATEGORIES, LayerSpec
from ..core.resources import missing_message
from . import theme
from .catalog_text import catalog_text, category_label
from .editor.drops import BLOCK_FILE_MIME, LAYER_MIME
from .editor.node_item import BLOCK_COLOR

TYPE_ROLE = Qt.ItemDataRole.UserRole
PATH_ROLE = Qt.ItemDataRole.UserRole + 1  # a library block's file
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # (name words, description) the search looks in
BLOCKS = "blocks"  # the palette's own category: this model's blocks and the block library
log = logging.getLogger(__name__)


def block_icon(size: int = 14) -> QIcon:
    """A block's mark, as on its canvas card: nested squares in the block colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(BLOCK_COLOR, 1.4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BLOCK_COLOR)
    painter.drawRoundedRect(4, 4, size - 8, size - 8, 1.5, 1.5)
    painter.end()
    return QIcon(pixmap)


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
    if spec.parametric:
        weights = QCoreApplication.translate("Palette", "has trainable weights")
    else:
        weights = QCoreApplication.translate("Palette", "no weights")
    how = QCoreApplication.translate("Palette", "Drag onto the canvas or double-click to add.")
    muted = theme.current_theme().muted.name()
    return (
        f"<b>{spec.type}</b> <span style='color:{muted}'>({category_label(spec.category)}, "
        f"{weights})</span><br>{catalog_text(spec.description)}<br><i>{how}</i>"
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
        return [LAYER_MIME, BLOCK_FILE_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:  # noqa: N802 - Qt API
        data = QMimeData()
        paths = [i.data(0, PATH_ROLE) for i in items if i.data(0, PATH_ROLE)]
        if paths:
            data.setData(BLOCK_FILE_MIME, QByteArray(paths[0].encode()))
            data.setText(paths[0])
            return data
        types = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        if types:
            data.setData(LAYER_MIME, QByteArray(types[0].encode()))
            data.setText(types[0])
        return data


class Palette(QWidget):
    """Search box over a category tree. ``add_requested(type)`` on double-click or Enter;
    ``library_block_requested(path)`` for a block of the library."""

    add_requested = Signal(str)
    library_block_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search layers and blocks…"))
        self.search.setClearButtonEnabled(True)
        self.tree = PaletteTree(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        # an install without its resources runs, but says so where blocks would be listed
        self.missing = QLabel(missing_message() or "", self)
        self.missing.setObjectName("missingResources")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {theme.current_theme().error.name()}; padding: 4px;")
        self.missing.setVisible(bool(self.missing.text()))
        if self.missing.text():
            log.warning("%s", self.missing.text())
        layout.addWidget(self.missing)
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
            top = QTreeWidgetItem(self.tree, [category_label(category), ""])
            top.setFont(0, bold)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            top.setForeground(0, theme.category_color(category))
            self._categories[category] = top
            for spec in specs:
                item = QTreeWidgetItem(top, [spec.type, theme.parametric_badge(spec)])
                item.setData(0, TYPE_ROLE, spec.type)
                # English and the user's language both find it ("conv" and "합성곱")
                label = theme.CATEGORY_LABELS.get(category, "")
                words = f"{spec.type} {category} {label} {category_label(category)}"
                described = f"{spec.description} {catalog_text(spec.description)}"
                item.setData(0, SEARCH_ROLE, (words.lower(), described.lower()))
                item.setIcon(0, layer_icon(spec))
                item.setToolTip(0, layer_tooltip(spec))
                item.setToolTip(1, layer_tooltip(spec))
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                item.setForeground(1, theme.current_theme().muted)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
        top = QTreeWidgetItem(self.tree, [self.tr("Blocks"), ""])
        top.setFont(0, bold)
        top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        top.setForeground(0, BLOCK_COLOR)
        top.setHidden(True)  # until set_blocks gives it something
        self._categories[BLOCKS] = top
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)

    def set_blocks(self, model_blocks: list[tuple[str, str]], library: list[LibraryBlock]) -> None:
        """The Blocks category: this model's blocks (name, doc), then the library's."""
        top = self._categories[BLOCKS]
        top.takeChildren()
        flags = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        mine = {name for name, _doc in model_blocks}
        rows = [(name, doc, None, self.tr("in this model")) for name, doc in model_blocks]
        rows += [
            (
                e.name,
                e.doc,
                str(e.path),
                self.tr("shipped with nodeml")
                if e.shipped
                else self.tr("your library: {path}").format(path=e.path),
            )
            for e in library
            if e.name not in mine
        ]
        kind = self.tr("block")
        default_doc = self.tr("A block: a graph used as one node.")
        muted = theme.current_theme().muted.name()
        how = self.tr("Drag onto the canvas or double-click to add; double-click a use to open it.")
        for name, doc, path, where in rows:
            item = QTreeWidgetItem(top, [name, ""])
            if path is None:
                item.setData(0, TYPE_ROLE, name)
            else:
                item.setData(0, PATH_ROLE, path)
            words = f"{name} block blocks {kind} {self.tr('Blocks')}"
            shown = catalog_text(doc or "")  # a shipped block's doc is translated
            item.setData(0, SEARCH_ROLE, (words.lower(), f"{doc or ''} {shown}".lower()))
            item.setIcon(0, block_icon())
            tip = (
                f"<b>{name}</b> <span style='color:{muted}'>({kind}, {where})</span><br>"
                f"{shown or default_doc}<br><i>{how}</i>"
            )
            item.setToolTip(0, tip)
            item.setToolTip(1, tip)
            item.setFlags(flags)
        top.setHidden(top.childCount() == 0)
        top.setExpanded(True)
        if self.search.text():
            self.filter(self.search.text())

    def item_for(self, type_name: str) -> QTreeWidgetItem | None:
        """The entry of a layer type, or of a block by name (model or library)."""
        for top in self._categories.values():
            for i in range(top.childCount()):
                child = top.child(i)
                if child.data(0, TYPE_ROLE) == type_name:
                    return child
                if child.data(0, PATH_ROLE) and child.text(0) == type_name:
                    return child
        return None

    def visible_types(self) -> list[str]:
        """The node types the current search shows (layers, this model's blocks), in order;
        library blocks are in ``visible_library_blocks``."""
        return [i.data(0, TYPE_ROLE) for i in self._visible_items() if i.data(0, TYPE_ROLE)]

    def visible_library_blocks(self) -> list[str]:
        return [i.text(0) for i in self._visible_items() if i.data(0, PATH_ROLE)]

    def _visible_items(self) -> list[QTreeWidgetItem]:
        out = []
        for top in self._categories.values():
            if top.isHidden():
                continue
            for i in range(top.childCount()):
                if not top.child(i).isHidden():
                    out.append(top.child(i))
        return out

    def filter(self, text: str) -> None:
        """Show layers whose name, category or description contains every word typed."""
        words = text.lower().split()
        for top in self._categories.values():
            shown = 0
            for i in range(top.childCount()):
                item = top.child(i)
                haystack, description = item.data(0, SEARCH_ROLE)
                # name matches first; descriptions only for words of 4+ letters, to keep it tight
                hit = all(w in haystack or (len(w) >= 4 and w in description) for w in words)
                item.setHidden(not hit)
                shown += hit
            top.setHidden(shown == 0)
        if words:
            self.tree.expandAll()

    def _add_first_match(self) -> None:
        items = self._visible_items()
        if items:
            self._request(items[0])
            self.search.selectAll()  # the next layer's name replaces this one

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        self._request(item)

    def _request(self, item: QTreeWidgetItem) -> None:
        if item.data(0, PATH_ROLE):
            self.library_block_requested.emit(item.data(0, PATH_ROLE))
        elif item.data(0, TYPE_ROLE):
            self.add_requested.emit(item.data(0, TYPE_ROLE))
