"""The Evaluate tab: test metrics, confusion-matrix heatmap, sample predictions, predicted vs true."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor, QPalette, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from .confusion_view import ConfusionMatrixView
from .evaluation_data import EvaluationResult
from .preview import image_grid

RIGHT = QColor("#81c784")
WRONG = QColor("#ff6b6b")
EMPTY = QT_TRANSLATE_NOOP(
    "EvaluationView", "Train a model, then click Evaluate to test it on held-out data."
)


class EvaluationView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: EvaluationResult | None = None
        self.summary = QLabel(self.tr(EMPTY))  # i18n: a NOOP
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() + 1)
        self.summary.setFont(font)

        self.confusion = ConfusionMatrixView()
        self.heatmap = QScrollArea()  # a matrix of many classes scrolls rather than shrinks
        self.heatmap.setWidget(self.confusion)
        self.heatmap.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heatmap.setFrameShape(QScrollArea.Shape.NoFrame)

        self.scatter = pg.PlotWidget(title=self.tr("Predicted vs true"))
        self.scatter.setMenuEnabled(False)
        self.scatter.setLabel("bottom", self.tr("true"))
        self.scatter.setLabel("left", self.tr("predicted"))
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

    def show_result(self, result: EvaluationResult, source: str = "") -> None:
        """Show an evaluation; ``source`` names what was tested (a run and its checkpoint)."""
        self.result = result
        self.summary.setText(f"{source}: {result.summary()}" if source else result.summary())
        bg = self.palette().color(QPalette.ColorRole.Base)
        self.scatter.setBackground(bg)
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
        self.confusion.set_matrix(matrix, classes)

    def clear(self) -> None:
        """Show nothing evaluated (a new document, or another model)."""
        self.result = None
        self.summary.setText(self.tr(EMPTY))  # i18n: a NOOP
        self.confusion.clear()
        self.scatter.clear()
        self.samples.clear()
        for w in (self.heatmap, self.scatter, self.samples_scroll):
            w.hide()

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
            self.tr(
                "Predictions on the first test samples: green right, red wrong (predicted ≠ true)"
            )
        )


def _short(name: str, limit: int = 9) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
