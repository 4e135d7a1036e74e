"""The small plots of one node's statistics over steps, stacked on one pyqtgraph canvas (imported
only once a node with statistics is shown: the app's start avoids pyqtgraph)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from ...core.training.node_health import UPDATE_RATIO_BAND
from ...core.training.node_stats_history import NodeStatsHistory
from ..theme import current_theme, ui_font

PLOT_HEIGHT = 104  # each plot: a title line, ticks and a curve that can be read
STEP_AXIS = 22  # the lowest plot also shows the steps under it


def plot_titles() -> dict[str, str]:
    """Plot key -> its title, in the order they are stacked."""
    return {
        "activation": QCoreApplication.translate("NodeStats", "Activation mean ± std"),
        "act_zero_frac": QCoreApplication.translate("NodeStats", "Fraction of zeros"),
        "grad_norm": QCoreApplication.translate("NodeStats", "Gradient norm (log)"),
        "weight_norm": QCoreApplication.translate("NodeStats", "Weight norm"),
        "update_ratio": QCoreApplication.translate("NodeStats", "Update / weight ratio (log)"),
    }


# which statistics a plot needs (it is shown when the node has any of them)
NEEDS = {
    "activation": ("act_mean",),
    "act_zero_frac": ("act_zero_frac",),
    "grad_norm": ("grad_norm",),
    "weight_norm": ("weight_norm",),
    "update_ratio": ("update_ratio",),
}
LOG_Y = {"grad_norm", "update_ratio"}


class SparseAxis(pg.AxisItem):
    """Linear ticks for a short plot: the major ones only, at most ``most`` of them."""

    def __init__(self, orientation: str, most: int = 3):
        super().__init__(orientation)
        self.most = most

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph API
        levels = super().tickValues(minVal, maxVal, size)
        for spacing, values in levels:
            if len(values) >= 2:
                keep = list(values)[:: max(1, math.ceil(len(values) / self.most))]
                return [(spacing * max(1, math.ceil(len(values) / self.most)), keep)]
        return levels[:1]


class LogAxis(pg.AxisItem):
    """Log-scale ticks that stay legible on a short plot: a few decades, or 1-2-5 in one."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 - pyqtgraph API
        low, high = math.floor(minVal), math.ceil(maxVal)
        decades = [v for v in range(low, high + 1) if minVal <= v <= maxVal]
        if len(decades) >= 2:
            return [(None, decades[:: max(1, math.ceil(len(decades) / 3))])]
        nice = [v + math.log10(m) for v in range(low, high + 1) for m in (1, 2, 5)]
        return [(None, [x for x in nice if minVal <= x <= maxVal])]


class NodeCurvePlots(pg.GraphicsLayoutWidget):
    """``plots`` by key; ``show_node`` draws one node's series and hides the plots it has no
    data for."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("nodeCurvePlots")
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.shown: list[str] = []
        first: pg.PlotItem | None = None
        for key, title in plot_titles().items():
            left = LogAxis("left") if key in LOG_Y else SparseAxis("left")
            axes = {"left": left, "bottom": SparseAxis("bottom", most=5)}
            plot = pg.PlotItem(title=title, axisItems=axes)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMouseEnabled(x=False, y=False)
            plot.setLogMode(x=False, y=key in LOG_Y)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
                plot.getAxis(axis).setStyle(tickFont=ui_font(7.5), tickLength=-4)
            plot.getAxis("left").setWidth(44)
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            self.plots[key] = plot
            self.curves[key] = plot.plot([], [], connect="finite")
        self.band_edges = (pg.PlotDataItem([], []), pg.PlotDataItem([], []))
        self.band = pg.FillBetweenItem(*self.band_edges, brush=(120, 160, 255, 50))
        self.plots["activation"].addItem(self.band)
        low, high = (math.log10(v) for v in UPDATE_RATIO_BAND)
        self.healthy_ratio = pg.LinearRegionItem(
            (low, high), orientation="horizontal", movable=False
        )
        self.plots["update_ratio"].addItem(self.healthy_ratio)
        zeros = self.plots["act_zero_frac"]
        zeros.enableAutoRange(y=False)
        zeros.setYRange(0.0, 1.0, padding=0.05)  # 0.9 must look like 90 %, whatever the run
        zeros.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
        self.apply_theme()

    def apply_theme(self) -> None:
        t = current_theme()
        self.setBackground(t.base)
        dim = QColor(t.text)
        dim.setAlpha(160)
        pens = {
            "activation": t.accent,
            "act_zero_frac": t.health_dead,
            "grad_norm": t.health_healthy,
            "weight_norm": t.muted,
            "update_ratio": t.health_update,
        }
        for key, plot in self.plots.items():
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setPen(dim)
                plot.getAxis(axis).setTextPen(dim)
            plot.titleLabel.setText(plot.titleLabel.text, color=t.text.name(), size="8.5pt")
            self.curves[key].setPen(pg.mkPen(pens[key], width=1.6))
        band = QColor(t.accent)
        band.setAlpha(45)
        self.band.setBrush(band)
        healthy = QColor(t.health_healthy)
        healthy.setAlpha(28)
        self.healthy_ratio.setBrush(healthy)
        for line in self.healthy_ratio.lines:
            line.setPen(pg.mkPen(None))

    def show_node(self, store: NodeStatsHistory, node: str) -> list[str]:
        """Draw ``node``'s series; returns the keys of the plots shown."""
        steps = np.asarray(store.series(node, "act_mean").steps, dtype=float)
        data = {
            stat: np.asarray(store.series(node, stat).values, dtype=float)
            for stats in NEEDS.values()
            for stat in (*stats, "act_std")
        }
        shown = [
            key for key, stats in NEEDS.items() if any(np.isfinite(data[s]).any() for s in stats)
        ]
        if "act_zero_frac" in shown and not (np.nan_to_num(data["act_zero_frac"]) > 0).any():
            shown.remove("act_zero_frac")  # never a zero (no ReLU before it): nothing to show
        if shown != self.shown:
            self._arrange(shown)
        mean, std = data["act_mean"], data["act_std"]
        self.curves["activation"].setData(steps, mean)
        known = np.isfinite(mean) & np.isfinite(std)  # the band has no gaps: it skips them
        self.band_edges[0].setData(steps[known], (mean - std)[known])
        self.band_edges[1].setData(steps[known], (mean + std)[known])
        for key in ("act_zero_frac", "grad_norm", "weight_norm", "update_ratio"):
            values = data[key]
            if key in LOG_Y:
                values = np.where(values > 0, values, np.nan)  # log of 0: no point
            self.curves[key].setData(steps, values)
        return shown

    def _arrange(self, shown: list[str]) -> None:
        layout = self.ci
        for key in self.shown:
            layout.removeItem(self.plots[key])
        for row, key in enumerate(shown):
            layout.addItem(self.plots[key], row=row, col=0)
        self.shown = shown
        self.setFixedHeight(max(1, len(shown)) * PLOT_HEIGHT + STEP_AXIS + 8)
        for key in shown:  # steps are read off the lowest plot; the others keep the height
            self.plots[key].showAxis("bottom", key == shown[-1])
