"""The confusion matrix, painted: cells sized to their counts, class names that never run together
(turned upright when they are wider than a cell, shortened past a limit), every name and count in
full on hover."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..theme import current_theme

PAD = 6  # px around a count inside its cell
MIN_CELL = 24
LABEL_MAX = 140  # px: longer class names are shortened (the whole name is on hover)
MAX_COUNTED = 30  # above this many classes the cells are too many to carry their counts
SMALL_CELL = 14  # the cell of a matrix too large to count in
TITLE = QT_TRANSLATE_NOOP("ConfusionMatrixView", "Confusion matrix")


@dataclass
class MatrixLayout:
    """Where everything goes, in widget coordinates."""

    cell: int
    origin: QPoint  # top left of the cells
    x_labels: list[QRect]  # the predicted classes' names, under their columns
    y_labels: list[QRect]  # the true classes' names, left of their rows
    upright: bool  # x names turned to read bottom to top
    counted: bool  # counts drawn in the cells
    x_title: QRect
    y_title: QRect
    size: QSize


class ConfusionMatrixView(QWidget):
    """Rows are the true class, columns the predicted one; colour is the row's share (so a rare
    class's mistakes show as well as a common one's), the number the count."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.matrix = np.zeros((0, 0), dtype=np.int64)
        self.classes: tuple[str, ...] = ()
        self.share = np.zeros((0, 0))
        self.geometry_: MatrixLayout | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_matrix(self, matrix: np.ndarray, classes: tuple[str, ...]) -> None:
        k = len(matrix)
        self.matrix = np.asarray(matrix).astype(np.int64)
        self.classes = tuple(classes[:k]) + tuple(str(i) for i in range(len(classes), k))
        self.share = self.matrix / np.maximum(self.matrix.sum(axis=1, keepdims=True), 1)
        self.geometry_ = self.layout_matrix()
        self.setFixedSize(self.geometry_.size)
        self.update()

    def clear(self) -> None:
        self.set_matrix(np.zeros((0, 0), dtype=np.int64), ())

    # ---- geometry -------------------------------------------------------------------------------
    def layout_matrix(self) -> MatrixLayout:
        k = len(self.matrix)
        fm = QFontMetrics(self.font())
        line = fm.height()
        counted = k <= MAX_COUNTED
        if counted:
            widest = max((fm.horizontalAdvance(str(int(n))) for n in self.matrix.flat), default=0)
            cell = max(MIN_CELL, widest + 2 * PAD, line + 8)
        else:
            cell = max(SMALL_CELL, line + 2)
        names = [self.short(c) for c in self.classes]
        name_width = max((fm.horizontalAdvance(n) for n in names), default=0)
        upright = name_width > cell - 4
        x_band = (name_width if upright else line) + 8
        y_band = name_width + 10
        left = line + 8 + y_band  # the "true" title, then the names
        top = line + 12  # the title
        origin = QPoint(left, top)
        x_labels, y_labels = [], []
        for i in range(k):
            x = left + i * cell
            x_labels.append(QRect(x, top + k * cell + 4, cell, x_band - 4))
            y_labels.append(QRect(left - y_band, top + i * cell, y_band - 6, cell))
        bottom = top + k * cell + x_band
        x_title = QRect(left, bottom + 2, k * cell, line + 4)
        y_title = QRect(0, top, line + 4, k * cell)
        title = fm.horizontalAdvance(self.tr(TITLE)) + 16  # i18n: TITLE is a NOOP
        size = QSize(max(left + k * cell + 8, title), bottom + line + 10)
        return MatrixLayout(
            cell, origin, x_labels, y_labels, upright, counted, x_title, y_title, size
        )

    def short(self, name: str) -> str:
        return QFontMetrics(self.font()).elidedText(name, Qt.TextElideMode.ElideRight, LABEL_MAX)

    def cell_rect(self, row: int, column: int) -> QRect:
        g = self.geometry_ or self.layout_matrix()
        return QRect(g.origin.x() + column * g.cell, g.origin.y() + row * g.cell, g.cell, g.cell)

    def label_rects(self) -> list[QRect]:
        """Where the class names are painted: the predicted ones, then the true ones."""
        g = self.geometry_ or self.layout_matrix()
        return [self._x_name_rect(i) for i in range(len(g.x_labels))] + [
            self._y_name_rect(i) for i in range(len(g.y_labels))
        ]

    def _x_name_rect(self, i: int) -> QRect:
        g = self.geometry_ or self.layout_matrix()
        fm = QFontMetrics(self.font())
        rect, width = g.x_labels[i], fm.horizontalAdvance(self.short(self.classes[i]))
        if g.upright:  # one line wide, as long as the name, hanging from under its column
            return QRect(rect.center().x() - fm.height() // 2, rect.top(), fm.height(), width)
        return QRect(rect.center().x() - width // 2, rect.top(), width, fm.height())

    def _y_name_rect(self, i: int) -> QRect:
        g = self.geometry_ or self.layout_matrix()
        fm = QFontMetrics(self.font())
        rect, width = g.y_labels[i], fm.horizontalAdvance(self.short(self.classes[i]))
        return QRect(rect.right() - width, rect.center().y() - fm.height() // 2, width, fm.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return (self.geometry_ or self.layout_matrix()).size

    # ---- paint ------------------------------------------------------------------------------------
    def color(self, share: float) -> QColor:
        """From the background (none) to the accent (all of a row): one hue, light to strong."""
        t = current_theme()
        low, high = t.panel, t.accent
        f = float(np.clip(share, 0.0, 1.0)) ** 0.7  # small shares still visibly tinted
        return QColor(
            round(low.red() + f * (high.red() - low.red())),
            round(low.green() + f * (high.green() - low.green())),
            round(low.blue() + f * (high.blue() - low.blue())),
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if not len(self.matrix):
            return
        g = self.geometry_ or self.layout_matrix()
        painter = QPainter(self)
        text = self.palette().color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlpha(170)
        k = len(self.matrix)
        for i in range(k):
            for j in range(k):
                rect = self.cell_rect(i, j)
                fill = self.color(self.share[i, j])
                painter.fillRect(rect.adjusted(0, 0, -1, -1), fill)
                if g.counted:
                    ink = QColor("#16181b") if fill.lightnessF() > 0.6 else QColor("#f3f4f6")
                    painter.setPen(ink)
                    painter.drawText(
                        rect, Qt.AlignmentFlag.AlignCenter, str(int(self.matrix[i, j]))
                    )
        painter.setPen(muted)
        fm = painter.fontMetrics()
        for i, name in enumerate(self.classes):
            shown, at = self.short(name), self._x_name_rect(i)
            if g.upright:  # reads bottom to top, ending under its column
                painter.save()
                painter.translate(at.left() + fm.ascent(), at.top())
                painter.rotate(-90)
                painter.drawText(
                    QRect(-at.height(), -fm.ascent(), at.height(), fm.height()),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    shown,
                )
                painter.restore()
            else:
                painter.drawText(at, Qt.AlignmentFlag.AlignCenter, shown)
            painter.drawText(self._y_name_rect(i), Qt.AlignmentFlag.AlignCenter, shown)
        painter.setPen(text)
        heading = QRect(0, 2, g.size.width(), fm.height() + 4)
        painter.drawText(heading, Qt.AlignmentFlag.AlignCenter, self.tr(TITLE))  # i18n: a NOOP
        painter.drawText(g.x_title, Qt.AlignmentFlag.AlignCenter, self.tr("predicted"))
        painter.save()
        painter.translate(g.y_title.left(), g.y_title.bottom())
        painter.rotate(-90)
        painter.drawText(
            QRect(0, 0, g.y_title.height(), g.y_title.width()),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("true"),
        )
        painter.restore()
        painter.end()

    # ---- hover ------------------------------------------------------------------------------------
    def describe(self, pos: QPoint) -> str | None:
        """What the mouse is over, said in full: a cell's count and share, or a class's name."""
        g = self.geometry_
        if g is None or not len(self.matrix):
            return None
        k, cell = len(self.matrix), g.cell
        col = (pos.x() - g.origin.x()) // cell
        row = (pos.y() - g.origin.y()) // cell
        if 0 <= row < k and 0 <= col < k and pos.x() >= g.origin.x() and pos.y() >= g.origin.y():
            n, total = int(self.matrix[row, col]), int(self.matrix[row].sum())
            truth, guess = self.classes[row], self.classes[col]
            if row == col:
                verdict = self.tr("right")
            else:
                verdict = self.tr("taken for {guess}").format(guess=guess)
            text = self.tr(
                "true {truth}, predicted {guess}: {n:,} of {total:,} {truth} samples "
                "({share:.1f} %) — {verdict}"
            )
            return text.format(
                truth=truth,
                guess=guess,
                n=n,
                total=total,
                share=100 * self.share[row, col],
                verdict=verdict,
            )
        for rects in (g.x_labels, g.y_labels):
            for i, rect in enumerate(rects):
                if rect.contains(pos):
                    return self.classes[i]
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.describe(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
