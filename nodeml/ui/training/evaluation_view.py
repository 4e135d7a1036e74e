"""The Evaluate tab: test metrics, confusion-matrix heatmap, sample predictions, predicted vs true."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from .evaluation_data import EvaluationResult
from .preview import image_grid

RIGHT = QColor("#81c784")
WRONG = QColor("#ff6b6b")
MAX_CELL_LABELS = 20  # above this many classes the counts would not fit in the cells
EMPTY_TEXT = "Train a model, then click Evaluate to test it on held-out data."


class EvaluationView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: EvaluationResult | None = None
        self.summary = QLabel(EMPTY_TEXT)
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() + 1)
        self.summary.setFont(font)

        self.heatmap = pg.PlotWidget(title="Confusion matrix")
        self.heatmap.setMenuEnabled(False)
        self.heatmap.setMouseEnabled(False, False)
        self.heatmap.invertY(True)
        self.heatmap.setAspectLocked(True)
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.heatmap.addItem(self.image)
        self._cell_labels: list[pg.TextItem] = []

        self.scatter = pg.PlotWidget(title="Predicted vs true")
        self.scatter.setMenuEnabled(False)
        self.scatter.setLabel("bottom", "true")
        self.scatter.setLabel("left", "predicted")
        self.scatter.showGrid(x=True, y=True, alpha=0.15)

        self.samples = QLabel(alignment=Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.samples)
        self.samples_scroll = scroll

        row = QHBoxLayout()
        row.addWidget(self.heatmap, 3)
        row.addWidget(self.scatter, 3)
        row.addWidget(scroll, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row, 1)
        for w in (self.heatmap, self.scatter, scroll):
            w.hide()

    def clear(self) -> None:
        """Back to the empty view (another document is open)."""
        self.result = None
        self.summary.setText(EMPTY_TEXT)
        for w in (self.heatmap, self.scatter, self.samples_scroll):
            w.hide()

    def show_result(self, result: EvaluationResult) -> None:
        self.result = result
        self.summary.setText(result.summary())
        bg = self.palette().color(QPalette.ColorRole.Base)
        for plot in (self.heatmap, self.scatter):
            plot.setBackground(bg)
        classification = result.confusion is not None
        self.heatmap.setVisible(classification)
        self.scatter.setVisible(not classification)
        if classification:
            self._show_confusion(result.confusion, result.classes)
        else:
            self._show_scatter(result.predicted, result.target)
        self.samples_scroll.setVisible(result.images is not None)
        if result.images is not None:
            self._show_samples(result)

    def _show_confusion(self, matrix: np.ndarray, classes: tuple[str, ...]) -> None:
        k = len(matrix)
        # row-normalised, so a rare class's mistakes are as visible as a common one's
        share = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        self.image.setImage(share.T, levels=(0.0, 1.0))  # ImageItem's first axis is x (columns)
        for item in self._cell_labels:
            self.heatmap.removeItem(item)
        self._cell_labels = []
        if k <= MAX_CELL_LABELS:
            for i in range(k):
                for j in range(k):
                    color = "#16181b" if share[i, j] > 0.6 else "#e7e9ec"
                    label = pg.TextItem(str(int(matrix[i, j])), color=color, anchor=(0.5, 0.5))
                    label.setPos(j + 0.5, i + 0.5)
                    self.heatmap.addItem(label)
                    self._cell_labels.append(label)
        self.heatmap.getAxis("left").setTicks(
            [[(i + 0.5, _short(c)) for i, c in enumerate(classes[:k])]]
        )
        narrow = 4 if k > 6 else 9  # bottom labels sit side by side
        self.heatmap.getAxis("bottom").setTicks(
            [[(i + 0.5, _short(c, narrow)) for i, c in enumerate(classes[:k])]]
        )
        self.heatmap.setLabel("bottom", "predicted")
        self.heatmap.setLabel("left", "true")
        self.heatmap.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)

    def _show_scatter(self, predicted: np.ndarray, target: np.ndarray) -> None:
        self.scatter.clear()
        self.scatter.addItem(
            pg.ScatterPlotItem(
                target, predicted, size=4, pen=None, brush=pg.mkBrush(79, 195, 247, 140)
            )
        )
        if len(target):
            low = float(min(target.min(), predicted.min()))
            high = float(max(target.max(), predicted.max()))
            self.scatter.plot(
                [low, high],
                [low, high],
                pen=pg.mkPen("#ffb74d", width=1.5, style=Qt.PenStyle.DashLine),
            )

    def _show_samples(self, result: EvaluationResult) -> None:
        n = len(result.images)
        classes = result.classes
        captions, colors = [], []
        for p, t in zip(result.predicted[:n], result.target[:n], strict=True):
            p, t = int(p), int(t)
            name = _short(classes[p]) if p < len(classes) else str(p)
            truth = _short(classes[t]) if t < len(classes) else str(t)
            captions.append(name if p == t else f"{name} ≠ {truth}")
            colors.append(RIGHT if p == t else WRONG)
        pal = self.palette()
        grid = image_grid(
            result.images,
            captions,
            colors,
            columns=4,
            cell=60,
            background=pal.color(QPalette.ColorRole.Base),
        )
        self.samples.setPixmap(QPixmap.fromImage(grid))
        self.samples.setToolTip(
            "Predictions on the first test samples: green right, red wrong (predicted ≠ true)"
        )


def _short(name: str, limit: int = 9) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
