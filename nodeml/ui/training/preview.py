"""Pictures of data: a captioned image grid, and the dataset preview (images, 2-D points, rows)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.training import dataset_spec
from ...core.training.datasets import DatasetError, first_samples

CLASS_COLORS = (
    "#4fc3f7",
    "#ffb74d",
    "#81c784",
    "#f06292",
    "#ba68c8",
    "#fff176",
    "#4db6ac",
    "#e57373",
    "#90a4ae",
    "#a1887f",
)
PREVIEW_N = {"image": 32, "table": 600, "sequence": 12}


def to_qimage(image: np.ndarray) -> QImage:
    """An (H, W, C) float array in [0, 1], C = 1 or 3, as a QImage (copied, so it owns its bytes)."""
    data = np.ascontiguousarray((np.clip(image, 0, 1) * 255).astype(np.uint8))
    h, w, c = data.shape
    if c == 1:
        return QImage(data.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QImage(data.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def image_grid(
    images: np.ndarray,
    captions: list[str],
    colors: list[QColor] | None = None,
    columns: int = 8,
    cell: int = 64,
    background: QColor | None = None,
    text: QColor | None = None,
) -> QImage:
    """Images in a grid, each scaled to ``cell`` px with its caption (coloured, e.g. wrong = red)."""
    n = len(images)
    columns = max(1, min(columns, n))
    rows = (n + columns - 1) // columns
    caption_h, pad = 16, 6
    out = QImage(
        columns * (cell + pad) + pad,
        rows * (cell + caption_h + pad) + pad,
        QImage.Format.Format_RGB32,
    )
    out.fill(background or QColor("#16181b"))
    painter = QPainter(out)
    font = QFont(painter.font())
    font.setPointSizeF(7.5)
    painter.setFont(font)
    for i in range(n):
        x = pad + (i % columns) * (cell + pad)
        y = pad + (i // columns) * (cell + caption_h + pad)
        painter.drawImage(QRect(x, y, cell, cell), to_qimage(images[i]))
        painter.setPen(colors[i] if colors else (text or QColor("#e7e9ec")))
        painter.drawText(
            QRect(x - pad // 2, y + cell, cell + pad, caption_h),
            Qt.AlignmentFlag.AlignCenter,
            captions[i],
        )
    painter.end()
    return out


class DatasetPreview(QWidget):
    """Shows samples of the chosen dataset: built-in sets at once, files on request."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._request: tuple[str, dict[str, Any]] | None = None
        self._stale = False  # a built-in set waits to be drawn until the preview is shown
        self.title = QLabel()
        self.stack = QStackedWidget()
        self.images = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.rows = QPlainTextEdit(readOnly=True)
        self.rows.setFont(QFont("monospace", 9))
        self.load_button = QPushButton(self.tr("Load preview"))
        self.load_button.clicked.connect(self.load)
        self.message = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        for w in (self.images, self.plot, self.rows, self.message):
            self.stack.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.load_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.load_button.hide()

    def show_dataset(self, name: str, options: dict[str, Any]) -> None:
        """Preview a built-in set as soon as this tab is on screen; ask first for files on disk.

        Drawing samples takes up to a second (more on a busy machine), so it waits until the
        preview is shown: not while the app starts or opens a graph with the tab hidden."""
        if (name, options) == self._request:
            return
        self._request = (name, dict(options))
        self._stale = False
        try:
            builtin = dataset_spec(name).builtin
        except DatasetError as exc:
            self._message(str(exc))
            return
        self.load_button.setVisible(not builtin)
        if not builtin:
            self.title.setText(name)
            self._message(self.tr("Files on disk are read when you ask: click Load preview."))
        elif self.isVisible():
            self.load()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.load()

    def load(self) -> None:
        self._stale = False
        if self._request is None:
            return
        name, options = self._request
        spec = dataset_spec(name)
        opts = dict(options)
        if "n" in spec.options:  # a few samples are enough to look at
            opts["n"] = min(int(opts.get("n", spec.options["n"])), 600)
        try:
            from ...core.training.datasets import resolve_options

            raw = spec.build(resolve_options(spec, opts))
            x, y = first_samples(raw.train, PREVIEW_N.get(raw.info.kind, 32))
        except Exception as exc:  # a preview must never break the dock
            self._message(self.tr("No preview: {reason}").format(reason=exc))
            return
        info = raw.info
        self.title.setText(info.describe())
        if info.kind == "image":
            self._show_images(x, y, info.classes)
        elif info.kind == "table" and info.sample_shape == (2,) and info.task != "regression":
            self._show_points(x.numpy(), y.numpy())
        elif info.kind == "table" and info.sample_shape == (1,):
            self._show_points(x.numpy(), None, y.numpy().reshape(-1))
        else:
            self._show_rows(x, y, info.classes)

    def _message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _show_images(self, x: Any, y: Any, classes: tuple[str, ...]) -> None:
        x = x.float()
        if x.max() > 1.5:
            x = x / 255.0
        images = x.permute(0, 2, 3, 1).numpy()
        captions = [classes[int(c)] if int(c) < len(classes) else str(int(c)) for c in y]
        pal = self.palette()
        grid = image_grid(
            images,
            captions,
            columns=8,
            cell=56,
            background=pal.color(QPalette.ColorRole.Base),
            text=pal.color(QPalette.ColorRole.Text),
        )
        self.images.setPixmap(QPixmap.fromImage(grid))
        self.stack.setCurrentWidget(self.images)

    def _show_points(
        self, x: np.ndarray, labels: np.ndarray | None, values: np.ndarray | None = None
    ) -> None:
        self.plot.clear()
        self.plot.setBackground(self.palette().color(QPalette.ColorRole.Base))
        if labels is not None:
            brushes = [pg.mkBrush(CLASS_COLORS[int(c) % len(CLASS_COLORS)]) for c in labels]
            self.plot.addItem(pg.ScatterPlotItem(x[:, 0], x[:, 1], size=5, pen=None, brush=brushes))
            self.plot.setAspectLocked(True)
        else:
            self.plot.setAspectLocked(False)
            self.plot.addItem(
                pg.ScatterPlotItem(
                    x[:, 0], values, size=4, pen=None, brush=pg.mkBrush(CLASS_COLORS[0])
                )
            )
        self.stack.setCurrentWidget(self.plot)

    def _show_rows(self, x: Any, y: Any, classes: tuple[str, ...]) -> None:
        lines = []
        for xi, yi in zip(x[:12], y[:12], strict=False):
            values = xi.reshape(-1).tolist()
            shown = " ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values[:24])
            target = yi.reshape(-1).tolist()
            label = classes[int(target[0])] if classes and len(target) == 1 else target
            lines.append(f"{shown}{' …' if len(values) > 24 else ''}  →  {label}")
        self.rows.setPlainText("\n".join(lines))
        self.stack.setCurrentWidget(self.rows)
