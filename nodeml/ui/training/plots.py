"""Training curves (pyqtgraph): loss per step, loss and metric per epoch, learning rate.

One run is drawn in full: the run training now, fed point by point, or a past run opened from
its folder's metrics.csv. Other runs are compared against it as faint curves, one colour each,
named in the legends by the run's name and keyed by their run folder; the Runs panel's ticks add
and remove them. Points are buffered as they arrive and drawn by a timer paced to what drawing
costs (MAX_REDRAW_MS), never per event, so a fast trainer cannot stall the UI."""

from __future__ import annotations

import csv
import io
import os
import time
from html import escape
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from pyqtgraph import exporters
from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.fileio import atomic_write_text
from ...core.training.run_registry import read_metrics
from .curves import SERIES, RunCurves, metric_of
from .plot_grid import PlotGrid
from .run_style import RUN_COLORS, RunStyle, run_color, run_key

NOTHING_DRAWN = QT_TRANSLATE_NOOP("TrainingPlots", "No curves yet: Train, or tick a run to draw it")
REDRAW_MS = 50
# The run trains in another process, but on a machine with few cores every millisecond the UI
# paints is taken from the trainer's threads: a 2-core machine with the worker on both lost
# 18-31 % of its speed to a UI using 12-14 % of a core, half of it painting these plots
# (py-spy on a real X screen, benchmarks/README.md). So the plots take ~1-2 % of a core: a new
# batch of points costs 25-50 ms (the axes it moves, then one paint in software rendering), hence
# a redraw every 1-2 s while training; what the user does (tick a run, ...) is drawn at once.
MAX_REDRAW_MS = 2000
LIVE_REDRAW_MS = 500
PAINT_BUDGET = 80
MAX_OVERLAYS = len(RUN_COLORS)  # more compared runs than colours would no longer tell apart
MAX_KEPT = 5  # earlier runs kept for comparison without being asked (the user's ticks aside)


class TrainingPlots(QWidget):
    """Four linked plots: one run in full (``main``) and up to MAX_OVERLAYS compared runs.

    Feed the live run with ``start_run``, ``add_steps``, ``add_epoch`` and ``end_run``; compare
    runs with ``show_overlay`` / ``hide_overlay`` (by run folder); ``open_run`` draws a past run in
    full; ``clear`` forgets everything (a new document). Drawing happens on a timer.
    """

    # the compared runs changed by themselves: a new run kept the last one, or one was dropped
    overlays_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.main: RunCurves | None = None
        self.overlays: dict[str, RunCurves] = {}  # run key -> compared run, oldest first
        self.styles: dict[str, RunStyle] = {}  # run key -> name and colour (from the Runs panel)
        self._kept: list[str] = []  # overlays start_run kept, not asked for: oldest go first
        self._replaced: str | None = None  # the run in full before the live run (drop_run)
        self._unsaved = 0  # runs without a folder get keys of their own
        self._lr_top = 0.0
        self.canvas = PlotGrid()
        self.plots: dict[str, pg.PlotItem] = self.canvas.plots

        self.smoothing = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=0.999, singleStep=0.01)
        self.smoothing.setValue(0.95)
        self.smoothing.setToolTip(self.tr("EMA weight of the smoothed loss curve (0 = raw)"))
        self.smoothing.valueChanged.connect(self._resmooth)
        self.export_png_button = QPushButton(self.tr("Export PNG…"))
        self.export_csv_button = QPushButton(self.tr("Export CSV…"))
        self.clear_button = QPushButton(self.tr("Hide compared runs"))
        self.clear_button.setToolTip(
            self.tr("Take every compared run off the plots (their folders stay)")
        )
        self.clear_button.clicked.connect(self.clear_overlays)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Smoothing")))
        bar.addWidget(self.smoothing)
        bar.addStretch(1)
        for b in (self.clear_button, self.export_png_button, self.export_csv_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        self.apply_palette()
        self._sync_buttons()
        self._show_title()

        self._timer = QTimer(self, interval=REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    def apply_palette(self) -> None:
        """Follow the application palette (dark or light theme)."""
        self.canvas.apply_palette()

    # ---- the run in full -------------------------------------------------------------------------
    @property
    def current(self) -> RunCurves | None:
        """The run drawn in full (live or opened from its folder)."""
        return self.main

    @property
    def runs(self) -> list[RunCurves]:
        """Every run drawn: the compared ones (oldest first), then the one in full."""
        return [*self.overlays.values(), *([self.main] if self.main is not None else [])]

    def start_run(
        self,
        label: str,
        metric: str,
        total_steps: int | None = None,
        epochs: int | None = None,
        *,
        key: str | os.PathLike[str] | None = None,
    ) -> RunCurves:
        """A new live run, ``label`` its name and ``key`` its run folder; the run drawn until now
        is kept as a compared run (the oldest of those kept this way go beyond MAX_KEPT).

        With the run's length known, the x axes are fixed to it at once: an x range that grows
        with every point makes pyqtgraph redraw its axes on every update, which costs more
        than the curves themselves (and the GIL time the trainer needs).

        The live run started again completes it: it is drawn while its process loads the data and
        told its name, metric and length once it starts (~30 ms less in its first epoch)."""
        self.redraw()
        key = run_key(key) if key is not None else None
        main = self.main
        if main is not None and main.live and main.training and key is not None and main.key == key:
            main.label, main.total_steps, main.epochs = label, total_steps, epochs
            if metric != main.metric:  # a compared run of another metric leaves that plot
                main.set_metric(metric, self.plots)
                for r in self.overlays.values():
                    r.dim(r.style, self.plots, metric)
            self._after_change()
            return main
        if key is not None and key in self.overlays:
            self._drop(key)
        previous = self.main
        run = RunCurves(label, metric, self.plots, key=key, live=True)
        run.ema.weight = self.smoothing.value()
        run.total_steps, run.epochs = total_steps, epochs
        self.main = run
        if previous is not None:
            self._keep(previous)
        self._replaced = previous.key if previous is not None else None
        run.show_full(self.plots)
        self._after_change()
        self.overlays_changed.emit()
        return run

    def drop_run(self) -> None:
        """The live run never started (its data or graph failed): off the curves, and the run
        drawn in full before it is drawn in full again."""
        run = self.main
        if run is None or not run.live:
            return
        run.remove(self.plots)
        self.main = self.overlays.pop(self._replaced, None) if self._replaced else None
        if self.main is not None:
            if self._replaced in self._kept:
                self._kept.remove(self._replaced)
            self.main.show_full(self.plots)
        self._after_change()
        self.overlays_changed.emit()

    def end_run(self) -> None:
        """The live run is over (finished, stopped or failed): Open curves may replace it now."""
        self.redraw()
        if self.main is not None:
            self.main.training = False

    def open_run(self, path: str | os.PathLike[str], style: RunStyle | None = None) -> RunCurves:
        """Draw a past run in full from its metrics.csv (epoch-level: train and validation loss,
        the metric, the learning rate). While a live run trains it stays in full and the past run
        is compared against it instead."""
        key = run_key(path)
        main = self.main
        if main is not None and main.live and main.training:
            return self.show_overlay(path, style)
        if main is not None and main.key == key:
            self.reload(path)
            return main
        self.redraw()
        if key in self.overlays:
            self._drop(key)
        style = style or self._style(key, Path(path).name)
        rows = read_metrics(path)
        run = RunCurves(style.name, _metric(rows), self.plots, key=key, live=False)
        run.color = style.color
        run.load_rows(rows)
        self.main = run
        if main is not None:
            self._keep(main)
        run.show_full(self.plots)
        self._after_change()
        self.overlays_changed.emit()
        return run

    # ---- compared runs ---------------------------------------------------------------------------
    def show_overlay(
        self, path: str | os.PathLike[str], style: RunStyle | None = None
    ) -> RunCurves:
        """Compare a run (from its folder's metrics.csv) against the one in full; the run in full
        itself is left as it is."""
        key = run_key(path)
        if self.main is not None and self.main.key == key:
            return self.main
        if key in self.overlays:
            return self.overlays[key]
        style = style or self._style(key, Path(path).name)
        self.styles.setdefault(key, style)
        rows = read_metrics(path)
        run = RunCurves(style.name, _metric(rows), self.plots, key=key, live=False)
        run.load_rows(rows)
        run.dim(style, self.plots, self._metric())
        self.overlays[key] = run
        dropped = self._limit(MAX_OVERLAYS, self.overlays)
        self._after_change()
        if dropped:
            self.overlays_changed.emit()
        return run

    def hide_overlay(self, path: str | os.PathLike[str]) -> bool:
        """Take a run off the plots: a compared run, or the run in full when it was opened from
        its folder (a live run stays). False when it was not drawn."""
        key = _key(path)
        if key in self.overlays:
            self._drop(key)
        elif self.main is not None and self.main.key == key and not self.main.live:
            self.main.remove(self.plots)
            self.main = None
        else:
            return False
        self._after_change()
        return True

    def reload(self, path: str | os.PathLike[str]) -> None:
        """Read a drawn run's metrics.csv again (it is training in another process)."""
        key = run_key(path)
        run = self.overlays.get(key)
        if run is None and self.main is not None and self.main.key == key and not self.main.live:
            run = self.main
        if run is None:
            return
        rows = read_metrics(path)
        if not run.metric and _metric(rows):  # its first epoch: now it says what it measures
            style = run.style
            if run.overlay:
                self._drop(key)
                self.show_overlay(path, style)
            else:
                run.remove(self.plots)
                self.main = None
                self.open_run(path, style)
            return
        run.load_rows(rows)
        if run.overlay:
            run.dim(run.style, self.plots, self._metric())
        else:
            run.show_full(self.plots)
        self._after_change()

    def set_styles(self, styles: dict[str, RunStyle]) -> None:
        """Names and colours of the graph's runs (the Runs panel's): drawn runs take them on."""
        self.styles = dict(styles)
        metric = self._metric()
        for key, run in self.overlays.items():
            style = styles.get(key)
            if style is not None and (style.name, style.color) != (run.label, run.color):
                run.dim(style, self.plots, metric)
        if self.main is not None and self.main.key in styles:
            self.main.label = styles[self.main.key].name
            self.main.color = styles[self.main.key].color
        self._show_title()

    def drawn_keys(self) -> set[str]:
        """The run folders drawn now, in full or compared."""
        keys = set(self.overlays)
        if self.main is not None and self.main.key is not None:
            keys.add(self.main.key)
        return keys

    def drawn_names(self) -> list[str]:
        """The names above the plots: the run in full first, then the compared runs."""
        return [r.label for r in ([self.main] if self.main else [])] + [
            r.label for r in self.overlays.values()
        ]

    def live_key(self) -> str | None:
        """The folder of the live run drawn in full (a Runs panel cannot untick it)."""
        return self.main.key if self.main is not None and self.main.live else None

    def clear_overlays(self) -> None:
        for key in list(self.overlays):
            self._drop(key)
        self._after_change()
        self.overlays_changed.emit()

    def clear(self) -> None:
        """Forget every run drawn, the one in full too (a new or another document)."""
        for run in self.runs:
            run.remove(self.plots)
        self.main, self.overlays, self._kept, self.styles = None, {}, [], {}
        self._replaced = None
        self._lr_top = 0.0
        for plot in self.plots.values():
            # with nothing drawn, auto-range alone would keep the last run's axes on show
            plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            plot.getAxis("bottom").setTickSpacing()  # epochs' whole-number ticks: automatic again
            plot.enableAutoRange()
        self.plots["metric"].setLabel("left", " ")  # see PlotGrid: its room is kept
        self._after_change()
        self.overlays_changed.emit()

    # ---- feeding the live run -------------------------------------------------------------------
    def add_steps(self, steps: np.ndarray, losses: np.ndarray, lrs: np.ndarray) -> None:
        run = self.main
        if run is None or not run.live or len(steps) == 0:
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
        run = self.main
        if run is None or not run.live:
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
        """Push buffered points to the curve items (the timer calls this up to 20 times a second).

        The pace adapts to what drawing costs (see MAX_REDRAW_MS): the next redraw waits at least
        PAINT_BUDGET times the seconds this one and the paints since the last one took."""
        start = time.perf_counter()
        changed = False
        for run in self.runs:
            if run.dirty:
                run.redraw()
                changed = True
        if changed:
            # the auto-ranges follow the new points now, not while the paint is prepared: axes
            # moved then ask for a second paint (pyqtgraph does that itself only at paint time)
            self.canvas.scene().prepareForPaint()
        spent = time.perf_counter() - start + self.canvas.take_paint_seconds()
        pace = int(1000 * spent * PAINT_BUDGET)
        # a live run's first redraws come before any paint was counted: not at REDRAW_MS then
        least = LIVE_REDRAW_MS if self.main is not None and self.main.live else REDRAW_MS
        self._timer.setInterval(min(MAX_REDRAW_MS, max(least, pace)))

    def _resmooth(self, weight: float) -> None:
        for run in self.runs:
            run.resmooth(weight)
        self.redraw()

    # ---- bookkeeping -----------------------------------------------------------------------------
    def _style(self, key: str, fallback_name: str) -> RunStyle:
        style = self.styles.get(key)
        return style or RunStyle(fallback_name, run_color(len(self.overlays) + 1))

    def _metric(self) -> str:
        """The metric the plot shows: the run in full's, else the first compared run's that knows
        its own (a run read before its first epoch does not)."""
        runs = [self.main] if self.main is not None else []
        return next((r.metric for r in [*runs, *self.overlays.values()] if r.metric), "")

    def _keep(self, run: RunCurves) -> None:
        """The run in full until now becomes a compared run (a run without a folder too)."""
        if run.key is None:
            self._unsaved += 1
            run.key = f"unsaved:{self._unsaved}"
        style = self.styles.get(run.key) or RunStyle(
            run.label, run.color or run_color(len(self.overlays))
        )
        run.dim(style, self.plots, self._metric())
        self.overlays[run.key] = run
        self._kept.append(run.key)
        self._limit(MAX_KEPT, self._kept)
        self._limit(MAX_OVERLAYS, self.overlays)

    def _limit(self, most: int, keys: list[str] | dict[str, RunCurves]) -> bool:
        """Drop the oldest of ``keys`` beyond ``most``, those kept unasked first."""
        dropped = False
        while len(keys) > most:
            order = [k for k in self._kept if k in self.overlays] + list(self.overlays)
            oldest = next(k for k in order if k in keys)
            self._drop(oldest)
            dropped = True
        return dropped

    def _drop(self, key: str) -> None:
        run = self.overlays.pop(key, None)
        if run is not None:
            run.remove(self.plots)
        if key in self._kept:
            self._kept.remove(key)

    def _after_change(self) -> None:
        """Axes that hold every run drawn, a title naming the run in full, buttons that apply."""
        runs = self.runs
        metric = self._metric()
        self.plots["metric"].setLabel("left", (metric if runs else "") or " ")  # room kept
        steps = max((r.last_x("loss") for r in runs), default=0.0)
        epochs = max((r.last_x("epoch_loss") for r in runs), default=0.0)
        live_open = self.main is not None and self.main.live and not self.main.total_steps
        if steps > 0 and not live_open:
            self.plots["loss"].setXRange(0, steps, padding=0.02)
        if epochs > 0:
            self.plots["epoch_loss"].setXRange(0.5, epochs + 0.5, padding=0.02)
            major = max(1, round(epochs / 8))
            for key in ("epoch_loss", "metric"):  # whole epochs, not 1.5
                self.plots[key].getAxis("bottom").setTickSpacing(major, major)
        top = max([self._lr_top if self.main is not None and self.main.live else 0.0] +
                  [r.top_lr() for r in runs])  # fmt: skip
        if top > 0:
            self._lr_top = top
            self.plots["lr"].setYRange(0, top * 1.15, padding=0)
        self.redraw()
        self._show_title()
        self._sync_buttons()

    def _show_title(self) -> None:
        """Name the runs drawn above the plots: the one in full, and each compared run in its
        colour (the plots' own legends say which curve is training, validation, rate)."""
        parts = []
        if self.main is not None:
            parts.append(f"<b>{escape(self.main.label)}</b>")
        if self.overlays:
            compared = "&nbsp;&nbsp;".join(
                f"<span style='color:{r.color}'>■</span>&nbsp;{escape(r.label)}"
                for r in self.overlays.values()
            )
            parts.append((self.tr("compared with") + "&nbsp;&nbsp;" if parts else "") + compared)
        text = " &nbsp;·&nbsp; ".join(parts) or self.tr(NOTHING_DRAWN)  # i18n: NOOP
        if text != self.canvas.names.text:  # a new text lays the grid out again
            self.canvas.names.setText(text)

    def _sync_buttons(self) -> None:
        self.clear_button.setEnabled(bool(self.overlays))
        has_points = any(any(s.n for s in r.series.values()) for r in self.runs)
        self.export_png_button.setEnabled(bool(self.runs))
        self.export_csv_button.setEnabled(has_points or self.main is not None)

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
            writer.writerows(run.csv_rows())
        return out.getvalue()

    def export_csv(self, path: str | Path) -> None:
        atomic_write_text(path, self.csv_text())


def _key(path: str | os.PathLike[str]) -> str:
    """A run folder's key; a run drawn without a folder keeps the key it was given."""
    return str(path) if str(path).startswith("unsaved:") else run_key(path)


def _metric(rows: list[dict[str, float]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return metric_of(columns)


__all__ = ["SERIES", "RunCurves", "TrainingPlots"]
