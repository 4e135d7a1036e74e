"""Live training curves (pyqtgraph): loss per step, loss and metric per epoch, learning rate.

Points are buffered as they arrive and drawn by a ~20 Hz timer, never per event, so a fast
trainer cannot stall the UI; earlier runs stay as dimmed overlays to compare against.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from pyqtgraph import exporters
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.fileio import atomic_write_text
from .series import EMA, Series

REDRAW_MS = 50
MAX_REDRAW_MS = 1000
PAINT_BUDGET = 20  # plots may take at most ~5 % of the UI thread (and of the GIL)
MAX_OVERLAYS = 5
TRAIN = "#4fc3f7"
VAL = "#ffb74d"
LR = "#81c784"
OVERLAY_COLORS = ("#b39ddb", "#80cbc4", "#f48fb1", "#c5e1a5", "#ffe082")

# series name -> (plot, x axis) ; the plot keys are TrainingPlots.plots'
SERIES = {
    "step_loss": "loss",
    "step_ema": "loss",
    "lr": "lr",
    "epoch_train_loss": "epoch_loss",
    "epoch_val_loss": "epoch_loss",
    "epoch_train_metric": "metric",
    "epoch_val_metric": "metric",
}
# what stays drawn (dimmed) once a run is over, and the legend entry it gets
OVERLAY_SERIES = ("step_ema", "epoch_val_loss", "epoch_val_metric", "lr")


def _pen(color: str, alpha: int = 255, width: float = 1.5) -> QPen:
    c = QColor(color)
    c.setAlpha(alpha)
    return pg.mkPen(c, width=width)


def _epoch_style(color: str, name: str) -> dict:
    """A per-epoch curve: few points, so dots and antialiasing cost nothing."""
    return dict(
        pen=_pen(color, 255, 2.0),
        symbol="o",
        symbolSize=6,
        symbolBrush=color,
        symbolPen=None,
        name=name,
        antialias=True,
    )


class RunCurves:
    """One training run: its buffered series and the curve items that draw them."""

    def __init__(self, index: int, label: str, metric: str, plots: dict[str, pg.PlotItem]):
        self.index, self.label, self.metric = index, label, metric
        self.series = {name: Series() for name in SERIES}
        self.ema = EMA()
        self.dirty: set[str] = set()
        self.overlay = False
        styles = {
            "step_loss": dict(pen=_pen(TRAIN, 70, 1.0), name="train (per step)"),
            # no antialiasing on per-step curves: with thousands of points it triples paint time
            "step_ema": dict(pen=_pen(TRAIN, 255, 2.0), name="train (smoothed)"),
            "lr": dict(pen=_pen(LR, 255, 2.0), name="learning rate"),
            "epoch_train_loss": _epoch_style(TRAIN, "train"),
            "epoch_val_loss": _epoch_style(VAL, "validation"),
            "epoch_train_metric": _epoch_style(TRAIN, f"train {metric}"),
            "epoch_val_metric": _epoch_style(VAL, f"validation {metric}"),
        }
        self.items: dict[str, pg.PlotDataItem] = {}
        for name, plot_key in SERIES.items():
            self.items[name] = plots[plot_key].plot([], [], **styles[name])

    def dim(self, color: str, plots: dict[str, pg.PlotItem]) -> None:
        """Become an overlay: keep the smoothed / validation curves, faint, named after the run."""
        self.overlay = True
        for name, item in self.items.items():
            legend = plots[SERIES[name]].legend
            if legend is not None:
                legend.removeItem(item)
            if name not in OVERLAY_SERIES:
                item.hide()
                continue
            item.setPen(_pen(color, 150, 1.2))
            if item.opts.get("symbol"):
                item.setSymbolBrush(QColor(color))
                item.setSymbolSize(4)
            item.setZValue(-10)
            if legend is not None:
                legend.addItem(item, self.label)

    def remove(self, plots: dict[str, pg.PlotItem]) -> None:
        for name, item in self.items.items():
            plot = plots[SERIES[name]]
            if plot.legend is not None:
                plot.legend.removeItem(item)
            plot.removeItem(item)

    def redraw(self) -> None:
        for name in self.dirty:
            s = self.series[name]
            self.items[name].setData(s.x, s.y)
        self.dirty.clear()


class TimedCanvas(pg.GraphicsLayoutWidget):
    """Remembers how long its last paint took, so redraws can be paced to a CPU budget."""

    paint_seconds = 0.0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        start = time.perf_counter()
        super().paintEvent(event)
        self.paint_seconds = time.perf_counter() - start


class TrainingPlots(QWidget):
    """Four linked plots of the current run and up to MAX_OVERLAYS earlier ones.

    Feed it with ``start_run``, ``add_steps`` and ``add_epoch``; drawing happens on a timer.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.runs: list[RunCurves] = []
        self._run_count = 0
        self._x_span: dict[str, int] = {}  # plot -> longest run's x extent
        self._lr_top = 0.0
        self.canvas = TimedCanvas()
        self.plots: dict[str, pg.PlotItem] = {}
        titles = {
            "loss": ("Training loss", "step"),
            "epoch_loss": ("Loss per epoch", "epoch"),
            "metric": ("Metric per epoch", "epoch"),
            "lr": ("Learning rate", "step"),
        }
        for i, (key, (title, xlabel)) in enumerate(titles.items()):
            plot = self.canvas.addPlot(row=i // 2, col=i % 2, title=title)
            plot.setLabel("bottom", xlabel)
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
            self.plots[key] = plot
        self.plots["lr"].setXLink(self.plots["loss"])
        self.plots["metric"].setXLink(self.plots["epoch_loss"])

        self.smoothing = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=0.999, singleStep=0.01)
        self.smoothing.setValue(0.95)
        self.smoothing.setToolTip("EMA weight of the smoothed loss curve (0 = raw)")
        self.smoothing.valueChanged.connect(self._resmooth)
        self.export_png_button = QPushButton("Export PNG…")
        self.export_csv_button = QPushButton("Export CSV…")
        self.clear_button = QPushButton("Clear earlier runs")
        self.clear_button.clicked.connect(self.clear_overlays)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Smoothing"))
        bar.addWidget(self.smoothing)
        bar.addStretch(1)
        for b in (self.clear_button, self.export_png_button, self.export_csv_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        self.apply_palette()

        self._timer = QTimer(self, interval=REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    # ---- look ----------------------------------------------------------------------------------
    def apply_palette(self) -> None:
        """Follow the application palette (dark or light theme)."""
        pal = self.palette()
        self.canvas.setBackground(pal.color(QPalette.ColorRole.Base))
        text = pal.color(QPalette.ColorRole.Text)
        dim = QColor(text)
        dim.setAlpha(160)
        for plot in self.plots.values():
            for axis in ("left", "bottom"):
                ax = plot.getAxis(axis)
                ax.setPen(dim)
                ax.setTextPen(dim)
            plot.titleLabel.setText(plot.titleLabel.text, color=text.name(), size="10pt")
            if plot.legend is not None:
                plot.legend.setLabelTextColor(text)

    # ---- feeding -------------------------------------------------------------------------------
    @property
    def current(self) -> RunCurves | None:
        return self.runs[-1] if self.runs and not self.runs[-1].overlay else None

    def start_run(
        self, label: str, metric: str, total_steps: int | None = None, epochs: int | None = None
    ) -> RunCurves:
        """A new run: the previous one becomes a dimmed overlay, the oldest overlays go.

        With the run's length known, the x axes are fixed to it at once: an x range that grows
        with every point makes pyqtgraph redraw its axes on every update, which costs more
        than the curves themselves (and the GIL time the trainer needs)."""
        self.redraw()
        if self.current is not None:
            self.current.dim(OVERLAY_COLORS[self.current.index % len(OVERLAY_COLORS)], self.plots)
        while len(self.runs) >= MAX_OVERLAYS + 1:
            self.runs.pop(0).remove(self.plots)
        run = RunCurves(self._run_count, label, metric, self.plots)
        run.ema.weight = self.smoothing.value()
        self._run_count += 1
        self.runs.append(run)
        self.plots["metric"].setLabel("left", metric)
        if total_steps:
            self._x_span["loss"] = max(self._x_span.get("loss", 0), total_steps)
            self.plots["loss"].setXRange(0, self._x_span["loss"], padding=0.02)
        if epochs:
            self._x_span["epoch_loss"] = max(self._x_span.get("epoch_loss", 0), epochs)
            self.plots["epoch_loss"].setXRange(0.5, self._x_span["epoch_loss"] + 0.5, padding=0.02)
            for key in ("epoch_loss", "metric"):  # whole epochs, not 1.5
                axis = self.plots[key].getAxis("bottom")
                major = max(1, round(self._x_span["epoch_loss"] / 8))
                axis.setTickSpacing(major, major)
        return run

    def add_steps(self, steps: np.ndarray, losses: np.ndarray, lrs: np.ndarray) -> None:
        run = self.current
        if run is None or len(steps) == 0:
            return
        run.series["step_loss"].extend(steps, losses)
        run.series["step_ema"].extend(steps, run.ema.smooth(losses))
        run.series["lr"].extend(steps, lrs)
        run.dirty.update(("step_loss", "step_ema", "lr"))
        top = float(np.max(lrs))
        if top > self._lr_top:  # from 0, so a constant rate reads as a flat line at its value
            self._lr_top = top
            self.plots["lr"].setYRange(0, top * 1.15, padding=0)

    def add_epoch(self, epoch: int, train: dict[str, float], val: dict[str, float] | None) -> None:
        run = self.current
        if run is None:
            return
        pairs = [("train", train), ("val", val or {})]
        for which, values in pairs:
            if "loss" in values:
                run.series[f"epoch_{which}_loss"].append(epoch, values["loss"])
                run.dirty.add(f"epoch_{which}_loss")
            if run.metric in values:
                run.series[f"epoch_{which}_metric"].append(epoch, values[run.metric])
                run.dirty.add(f"epoch_{which}_metric")

    def redraw(self) -> None:
        """Push buffered points to the curve items (the timer calls this ~20 times a second).

        Painting pyqtgraph holds the GIL the training thread needs, so the pace adapts: the
        next redraw waits at least PAINT_BUDGET times the last paint's duration."""
        for run in self.runs:
            if run.dirty:
                run.redraw()
        pace = int(1000 * self.canvas.paint_seconds * PAINT_BUDGET)
        self._timer.setInterval(min(MAX_REDRAW_MS, max(REDRAW_MS, pace)))

    def _resmooth(self, weight: float) -> None:
        for run in self.runs:
            run.ema = EMA(weight)
            raw = run.series["step_loss"]
            ema = run.series["step_ema"]
            ema.clear()
            ema.extend(raw.x, run.ema.smooth(raw.y))
            run.dirty.add("step_ema")
        self.redraw()

    def clear_overlays(self) -> None:
        self._x_span = {}
        keep = []
        for run in self.runs:
            if run.overlay:
                run.remove(self.plots)
            else:
                keep.append(run)
        self.runs = keep

    def clear(self) -> None:
        """Forget every run, the current one too (another document is open)."""
        for run in self.runs:
            run.remove(self.plots)
        self.runs = []
        self._x_span = {}
        self._lr_top = 0.0

    # ---- export --------------------------------------------------------------------------------
    def export_png(self, path: str | Path) -> None:
        self.redraw()
        exporter = exporters.ImageExporter(self.canvas.ci)
        exporter.parameters()["width"] = max(800, self.canvas.width() * 2)
        exporter.export(str(path))

    def csv_text(self) -> str:
        """Every run's series as rows ``run,series,x,y`` (raw step losses included)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["run", "series", "x", "y"])
        for run in self.runs:
            for name, s in run.series.items():
                if name == "step_ema":
                    continue  # derived from step_loss and the smoothing setting
                series = name.replace("metric", run.metric)
                for x, y in zip(s.x.tolist(), s.y.tolist(), strict=True):
                    writer.writerow([run.label, series, f"{x:g}", repr(y)])
        return out.getvalue()

    def export_csv(self, path: str | Path) -> None:
        atomic_write_text(path, self.csv_text())


__all__ = ["RunCurves", "TrainingPlots"]
