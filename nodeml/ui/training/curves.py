"""One run's curves on the training plots: its buffered series, the items that draw them, and
the look it takes as the run in full or as a named, coloured run compared against it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPen

from .metric_names import metric_label
from .run_style import RunStyle, run_color
from .series import EMA, Series

TRAIN = "#4fc3f7"
VAL = "#ffb74d"
LR = "#81c784"

# series name -> the TrainingPlots.plots key it is drawn on
SERIES = {
    "step_loss": "loss",
    "step_ema": "loss",
    "step_epoch_loss": "loss",  # a run read from its folder: the epoch's training loss at its step
    "lr": "lr",
    "epoch_train_loss": "epoch_loss",
    "epoch_val_loss": "epoch_loss",
    "epoch_train_metric": "metric",
    "epoch_val_metric": "metric",
}
# a compared run shows one curve per plot: the first of these that has points
OVERLAY_CHOICES = {
    "loss": ("step_ema", "step_epoch_loss"),
    "epoch_loss": ("epoch_val_loss", "epoch_train_loss"),
    "metric": ("epoch_val_metric", "epoch_train_metric"),
    "lr": ("lr",),
}
# what a metrics.csv column means for the plots (the metric columns are found by metric_of)
PREFERRED_METRICS = ("accuracy", "mae", "r2")


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


def metric_of(columns: Iterable[str]) -> str:
    """The metric a metrics.csv reports beside its loss (accuracy first; top5 only alone); ""
    while it has no rows yet."""
    names = []
    for column in columns:
        for prefix in ("val_", "train_"):
            if column.startswith(prefix) and column[len(prefix) :] not in ("loss", *names):
                names.append(column[len(prefix) :])
    for preferred in PREFERRED_METRICS:
        if preferred in names:
            return preferred
    return next((n for n in names if n != "top5"), names[0] if names else "")


class RunCurves:
    """One training run: its buffered series and the curve items that draw them.

    ``key`` is the run folder (``run_key``) when the run has one; ``live`` says the run is fed
    point by point as it trains (else its points were read from its metrics.csv)."""

    def __init__(
        self,
        label: str,
        metric: str,
        plots: dict[str, pg.PlotItem],
        *,
        key: str | None = None,
        live: bool = True,
    ):
        self.label, self.metric, self.key, self.live = label, metric, key, live
        self.training = live  # a live run until end_run: its curves are not replaced meanwhile
        self.series = {name: Series(1024 if live else 16) for name in SERIES}
        self.ema = EMA()
        self.dirty: set[str] = set()
        self.overlay = False
        self.color: str | None = None
        self.total_steps: int | None = None
        self.epochs: int | None = None
        self.items: dict[str, pg.PlotDataItem] = {}
        for name, style in self._styles().items():
            self.items[name] = plots[SERIES[name]].plot([], [], **style)
        if not live:
            self._dots()

    @property
    def style(self) -> RunStyle:
        """Its name and colour (the first run colour until it is given one)."""
        return RunStyle(self.label, self.color or run_color(0))

    def _dots(self) -> None:
        """A run read from its folder has a point an epoch: dots, so a run of one epoch shows."""
        self.items["step_epoch_loss"].setSymbolSize(5)
        lr = self.items["lr"]
        lr.setSymbol("o")
        lr.setSymbolSize(4)
        lr.setSymbolBrush(QColor(LR))
        lr.setSymbolPen(None)

    def _styles(self) -> dict[str, dict]:
        """Each curve's look as part of the run in full, and its name in the plot's legend."""
        shown = metric_label(self.metric)
        return {
            "step_loss": dict(
                pen=_pen(TRAIN, 70, 1.0),
                name=QCoreApplication.translate("RunCurves", "train (per step)"),
            ),
            # no antialiasing on per-step curves: with thousands of points it triples paint time
            "step_ema": dict(
                pen=_pen(TRAIN, 255, 2.0),
                name=QCoreApplication.translate("RunCurves", "train (smoothed)"),
            ),
            "step_epoch_loss": _epoch_style(
                TRAIN, QCoreApplication.translate("RunCurves", "train (per epoch)")
            ),
            "lr": dict(
                pen=_pen(LR, 255, 2.0),
                name=QCoreApplication.translate("RunCurves", "learning rate"),
            ),
            "epoch_train_loss": _epoch_style(
                TRAIN, QCoreApplication.translate("RunCurves", "train")
            ),
            "epoch_val_loss": _epoch_style(
                VAL, QCoreApplication.translate("RunCurves", "validation")
            ),
            "epoch_train_metric": _epoch_style(
                TRAIN,
                QCoreApplication.translate("RunCurves", "train {metric}").format(metric=shown),
            ),
            "epoch_val_metric": _epoch_style(
                VAL,
                QCoreApplication.translate("RunCurves", "validation {metric}").format(metric=shown),
            ),
        }

    def set_metric(self, metric: str, plots: dict[str, pg.PlotItem]) -> None:
        """The run measures ``metric`` (a run drawn before it said which): its curves' names."""
        self.metric = metric
        styles = self._styles()
        for name in ("epoch_train_metric", "epoch_val_metric"):
            item = self.items[name]
            item.opts["name"] = styles[name]["name"]
            legend = plots[SERIES[name]].legend
            for sample, label in legend.items if legend is not None else ():
                if sample.item is item:
                    label.setText(item.opts["name"])

    # ---- points ---------------------------------------------------------------------------------
    def load_rows(self, rows: list[dict[str, float]]) -> None:
        """Replace the epoch-level series with metrics.csv's rows (a run read from its folder)."""
        for name in SERIES:
            if name not in ("step_loss", "step_ema"):
                self.series[name].clear()
                self.dirty.add(name)
        for row in rows:
            epoch = row["epoch"]
            for split in ("train", "val"):
                for what, column in (
                    ("loss", f"{split}_loss"),
                    ("metric", f"{split}_{self.metric}"),
                ):
                    if column in row:
                        self.series[f"epoch_{split}_{what}"].append(epoch, row[column])
            if "step" in row:
                if "lr" in row:
                    self.series["lr"].append(row["step"], row["lr"])
                if "train_loss" in row:
                    self.series["step_epoch_loss"].append(row["step"], row["train_loss"])
        self.epochs = max(self.epochs or 0, int(rows[-1]["epoch"]) if rows else 0) or None
        if rows and "step" in rows[-1]:
            self.total_steps = max(self.total_steps or 0, int(rows[-1]["step"])) or None

    def resmooth(self, weight: float) -> None:
        """Smooth the per-step loss again with EMA ``weight``."""
        self.ema = EMA(weight)
        raw, ema = self.series["step_loss"], self.series["step_ema"]
        ema.clear()
        ema.extend(raw.x, self.ema.smooth(raw.y))
        self.dirty.add("step_ema")

    def csv_rows(self) -> Iterator[list[str]]:
        """Its series as CSV rows ``run,series,x,y`` (raw step losses; their smoothed copy is
        left out, it follows from them and the smoothing setting)."""
        for name, s in self.series.items():
            if name != "step_ema":
                series = name.replace("metric", self.metric)
                for x, y in zip(s.x.tolist(), s.y.tolist(), strict=True):
                    yield [self.label, series, f"{x:g}", repr(y)]

    def last_x(self, plot_key: str) -> float:
        """The furthest x this run reaches on a plot (its declared length when live)."""
        declared = self.total_steps if plot_key in ("loss", "lr") else self.epochs
        furthest = [float(s.x[-1]) for n, s in self.series.items() if SERIES[n] == plot_key and s.n]
        return max([float(declared or 0), *furthest])

    def top_lr(self) -> float:
        lr = self.series["lr"]
        return float(lr.y.max()) if lr.n else 0.0

    def redraw(self) -> None:
        for name in self.dirty:
            s = self.series[name]
            self.items[name].setData(s.x, s.y)
        self.dirty.clear()

    # ---- look -----------------------------------------------------------------------------------
    def dim(self, style: RunStyle, plots: dict[str, pg.PlotItem], metric: str) -> None:
        """Become a compared run: one faint curve per plot in its colour (its name is shown
        above the plots, so the plots' legends stay short).

        ``metric`` is the one the plots show: a run that measured another is left off that plot
        (accuracy and MAE on one axis would read as a comparison they are not)."""
        self.overlay = True
        self.label, self.color = style.name, style.color
        self.redraw()
        shown = self.overlay_items(metric)
        for name, item in self.items.items():
            legend = plots[SERIES[name]].legend
            if legend is not None:
                legend.removeItem(item)
            if name not in shown:
                item.hide()
                continue
            item.show()
            item.setPen(_pen(style.color, 190, 1.4))
            if item.opts.get("symbol"):
                item.setSymbolBrush(QColor(style.color))
                item.setSymbolSize(4)
            item.setZValue(-10)  # named above the plots, not in their legends

    def overlay_items(self, metric: str) -> set[str]:
        shown = set()
        for plot_key, choices in OVERLAY_CHOICES.items():
            if plot_key == "metric" and metric and self.metric and self.metric != metric:
                continue
            with_points = [c for c in choices if self.series[c].n]
            shown.add(with_points[0] if with_points else choices[0])
        return shown

    def remove(self, plots: dict[str, pg.PlotItem]) -> None:
        for name, item in self.items.items():
            plot = plots[SERIES[name]]
            if plot.legend is not None:
                plot.legend.removeItem(item)
            plot.removeItem(item)

    def show_full(self, plots: dict[str, pg.PlotItem]) -> None:
        """As the run drawn in full: a live run all its curves (their points are on their way),
        a run read from its folder those it has points for (legends list nothing empty)."""
        if self.overlay:  # compared until now: its own look again
            self.overlay = False
            for name, style in self._styles().items():
                item = self.items[name]
                item.setPen(style["pen"])
                if "symbol" in style:
                    item.setSymbolBrush(style["symbolBrush"])
                    item.setSymbolSize(style["symbolSize"])
                item.setZValue(0)
            if not self.live:
                self._dots()
        for name, item in self.items.items():
            if self.live:
                wanted = name != "step_epoch_loss"
            else:
                wanted = self.series[name].n > 0
            item.setVisible(wanted)
            legend = plots[SERIES[name]].legend
            if legend is None:
                continue
            listed = any(sample.item is item for sample, _ in legend.items)
            if wanted and not listed:
                legend.addItem(item, item.opts["name"])
            elif listed and not wanted:
                legend.removeItem(item)
