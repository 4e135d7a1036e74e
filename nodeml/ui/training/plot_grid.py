"""The four training plots on one pyqtgraph canvas: made, themed, arranged to the room they get,
and timed, so redraws can be paced to a CPU budget."""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor, QFontMetrics, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QWidget

MIN_PLOT_HEIGHT = 150  # one row of plots stays readable: title, ticks, a few legend lines
PLOT_ASPECT = 1.6  # width / height a plot reads best at; the arrangement aims for it
ARRANGEMENTS = ((1, 4), (2, 2), (4, 1))  # rows, columns
# the x axis is named in the title: an axis label would take a line of a short plot
TITLES = {
    "loss": QT_TRANSLATE_NOOP("PlotGrid", "Loss per step"),
    "epoch_loss": QT_TRANSLATE_NOOP("PlotGrid", "Loss per epoch"),
    "metric": QT_TRANSLATE_NOOP("PlotGrid", "Metric per epoch"),
    "lr": QT_TRANSLATE_NOOP("PlotGrid", "Learning rate"),
}


def best_arrangement(width: int, height: int) -> tuple[int, int]:
    """Rows and columns that give each plot the most room at a readable shape: four in a row in
    a short wide dock, two by two, or four stacked in a tall narrow one."""

    def room(grid: tuple[int, int]) -> float:
        rows, cols = grid
        return min(width / cols / PLOT_ASPECT, height / rows)

    return max(ARRANGEMENTS, key=room)


class PlotGrid(pg.GraphicsLayoutWidget):
    """``plots`` by key (TITLES'); counts the time its paints take."""

    paint_seconds = 0.0
    grid: tuple[int, int] | None = None
    plots: dict[str, pg.PlotItem] = {}  # noqa: RUF012 - each instance sets its own; pyqtgraph resizes before

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(MIN_PLOT_HEIGHT)
        self.plots = {}
        # which runs are drawn, by name and colour, above the plots (and in an exported PNG)
        self.names = pg.LabelItem("", justify="left", size="8.5pt")
        self.names.setMaximumHeight(QFontMetrics(self.font()).height() + 6)
        label_width = QFontMetrics(self.font()).horizontalAdvance("0.0000")
        for key, title in TITLES.items():
            plot = pg.PlotItem(title=self.tr(title))  # i18n: TITLES are NOOPs
            plot.showGrid(x=False, y=False)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            # accuracy rises into the top right corner, so its legend sits bottom right
            offset = (-8, -8) if key == "metric" else (-8, 8)
            plot.addLegend(
                offset=offset, labelTextSize="8pt", verSpacing=-4, brush=(22, 24, 27, 110)
            )
            plot.setMenuEnabled(False)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)  # "accuracy (x0.001)" reads badly
            # Room for tick labels up to "0.0000" from the start, and a y axis that only ever
            # widens: an axis as wide as its current labels lays the whole grid out again when a
            # new batch of points brings longer ones, which is four paints instead of one
            left = plot.getAxis("left")
            left.textWidth = label_width
            left.setStyle(autoReduceTextSpace=False)
            self.plots[key] = plot
        # the metric's name beside its axis, blank until a run says it: the axis keeps the room
        # for it, so the name coming does not lay the grid out again
        self.plots["metric"].setLabel("left", " ")
        self.plots["lr"].setXLink(self.plots["loss"])
        self.plots["metric"].setXLink(self.plots["epoch_loss"])
        self.arrange((2, 2))

    def apply_palette(self) -> None:
        """Follow the application palette (dark or light theme)."""
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        self.setBackground(base)
        text = pal.color(QPalette.ColorRole.Text)
        dim = QColor(text)
        dim.setAlpha(160)
        veil = QColor(base)
        veil.setAlpha(190)  # a legend over a curve lets it show through, in either theme
        self.names.setText(self.names.text, color=text.name())
        for plot in self.plots.values():
            for axis in ("left", "bottom"):
                ax = plot.getAxis(axis)
                ax.setPen(dim)
                ax.setTextPen(dim)
            plot.titleLabel.setText(plot.titleLabel.text, color=text.name(), size="10pt")
            if plot.legend is not None:
                plot.legend.setLabelTextColor(text)
                plot.legend.setBrush(veil)

    def arrange(self, grid: tuple[int, int]) -> None:
        """Lay the plots out in ``grid`` (rows, columns), in TITLES' order."""
        if grid == self.grid:
            return
        layout = self.ci
        if self.grid is not None:
            for item in (self.names, *self.plots.values()):
                layout.removeItem(item)
        layout.addItem(self.names, row=0, col=0, colspan=grid[1])
        for i, plot in enumerate(self.plots.values()):
            layout.addItem(plot, row=1 + i // grid[1], col=i % grid[1])
        self.grid = grid

    def resizeEvent(self, event: QResizeEvent | None) -> None:  # noqa: N802 - Qt API
        if self.plots:
            self.arrange(best_arrangement(self.width(), self.height()))
        super().resizeEvent(event)  # pyqtgraph calls this itself, with no event

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        start = time.perf_counter()
        super().paintEvent(event)
        self.paint_seconds += time.perf_counter() - start

    def take_paint_seconds(self) -> float:
        """Seconds spent painting since the last call: one new batch of points is drawn in
        several paints (pyqtgraph repaints once more after its auto-range moves an axis)."""
        spent, self.paint_seconds = self.paint_seconds, 0.0
        return spent
