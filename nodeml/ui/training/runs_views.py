"""Views of the Runs model: the tick box drawn in the run's colour, and the compact list beside
the curves (tick, name, best) that shares the Runs panel's model, selection and actions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .runs_model import Column, RunsModel

Index = QModelIndex | QPersistentModelIndex
BOX = 14  # px, the tick box


class RunTickDelegate(QStyledItemDelegate):
    """The Shown column: a box in the run's colour, filled and ticked when its curves are drawn,
    hollow when not. One control says both what colour a run's curves get and whether they are
    drawn. Click or Space toggles it (a locked box, the live run's, does not toggle)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        color = index.data(Qt.ItemDataRole.DecorationRole)
        color = QColor(color) if color is not None else QColor("#888888")
        ticked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        box = box_rect(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, 1.6))
        painter.setBrush(color if ticked else Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 3, 3)
        if ticked:
            mark = QColor("#16181b") if color.lightnessF() > 0.55 else QColor("#ffffff")
            pen = QPen(mark, 2.0)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            path = QPainterPath(QPointF(box.left() + 3.5, box.center().y() + 0.5))
            path.lineTo(box.left() + 6.0, box.bottom() - 3.5)
            path.lineTo(box.right() - 3.0, box.top() + 4.0)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        painter.restore()

    def editorEvent(self, event: QEvent, model: object, option: object, index: Index) -> bool:  # noqa: N802
        if not (index.flags() & Qt.ItemFlag.ItemIsUserCheckable):
            return False
        kind = event.type()
        toggle = False
        if kind == QEvent.Type.MouseButtonRelease:
            toggle = event.button() == Qt.MouseButton.LeftButton  # type: ignore[attr-defined]
        elif kind == QEvent.Type.MouseButtonDblClick:
            return True  # a double click is two toggles, not an "open"
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            toggle = event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select)
        if not toggle:
            return False
        ticked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        new = Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked
        return model.setData(index, new.value, Qt.ItemDataRole.CheckStateRole)  # type: ignore[attr-defined]

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> object:  # noqa: N802
        size = super().sizeHint(option, index)
        size.setWidth(BOX + 14)
        return size


def box_rect(cell: QRect) -> QRect:
    """Where the tick box sits in its cell (centred)."""
    return QRect(cell.center().x() - BOX // 2 + 1, cell.center().y() - BOX // 2 + 1, BOX, BOX)


def setup_table(table: QTableView, model: RunsModel) -> None:
    """What both views of the runs share: rows, the tick box, no grid, one line per run."""
    table.setModel(model)
    table.setItemDelegateForColumn(Column.SHOWN, RunTickDelegate(table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.setStyleSheet("QTableView::item { padding: 0 8px; }")
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(Column.SHOWN, QHeaderView.ResizeMode.Fixed)
    table.setColumnWidth(Column.SHOWN, BOX + 16)


class CompactRuns(QWidget):
    """The runs beside the curves: tick to compare, see each run's colour, name and best result;
    the whole table is a tab away (``all_requested``)."""

    all_requested = Signal()

    def __init__(self, view: QTableView, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = view
        for column in Column:
            view.setColumnHidden(column, column not in (Column.SHOWN, Column.NAME, Column.BEST))
        header = view.horizontalHeader()
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.BEST, QHeaderView.ResizeMode.ResizeToContents)
        title = QLabel(self.tr("Compare runs"))
        title.setStyleSheet("font-weight: 600;")
        self.all_button = QPushButton(self.tr("All runs…"))
        self.all_button.setToolTip(self.tr("Every run with its status, epochs and what changed"))
        self.all_button.clicked.connect(self.all_requested)
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 0, 0)
        top.addWidget(title, 1)
        top.addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(view, 1)
