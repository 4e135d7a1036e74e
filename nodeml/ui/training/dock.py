"""The Training dock's layout: settings and controls on the left; on the right the curves with
the runs to compare beside them, all runs, data, evaluation.

Nothing in it moves while a run goes: the control rows have fixed heights and the status and
progress texts stay on one line (elided, the whole text in a tooltip). The dock keeps the Runs
panel's ticks and the curves in step; the session wires the rest.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.training.run_folder import RunStatus
from ..document import Document
from ..theme import current_theme
from .elided import ElidedLabel, ElidedProgressBar
from .evaluation_view import EvaluationView
from .plots import TrainingPlots
from .preview import DatasetPreview
from .run_style import run_key
from .runs_panel import RunsPanel
from .settings_panel import SettingsPanel

ROOMY_HEIGHT = 520  # the dock's height at which two rows of plots and five runs are readable
ROOM_SHARE = (0.4, 0.6)  # of the window: the least a run asks for, the most it takes


class TrainingDock(QDockWidget):
    """Widgets only; the session wires them to actions and jobs."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__("Training", parent)
        self.setObjectName("TrainingDock")
        self.settings = SettingsPanel(document)
        self.plots = TrainingPlots()
        self.runs = RunsPanel()
        self.preview = DatasetPreview()
        self.evaluation = EvaluationView()
        self.settings.dataset_changed.connect(self.preview.show_dataset)
        self.preview.show_dataset(
            self.settings.dataset.currentData(), self.settings.config_options_or_empty()
        )

        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("primary")
        t = current_theme()
        self.train_button.setStyleSheet(
            f"QPushButton {{ background: {t.accent.name()}; color: white; border: none;"
            " font-weight: 600; }"
            f"QPushButton:disabled {{ background: {t.border.name()}; color: {t.muted.name()}; }}"
        )
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        self.evaluate_button = QPushButton("Evaluate")
        self.progress = ElidedProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("Ready")
        self.progress.setValue(0)
        self.progress.setFixedHeight(self.progress.sizeHint().height())
        self.status = ElidedLabel("")

        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.settings)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.button_row = QWidget()
        buttons = QHBoxLayout(self.button_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.train_button, self.pause_button, self.stop_button, self.evaluate_button):
            b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            buttons.addWidget(b)
        self.button_row.setFixedHeight(self.button_row.sizeHint().height())
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(scroll, 1)
        column.addWidget(self.button_row)
        column.addWidget(self.progress)
        column.addWidget(self.status)

        # the curves get the height (a bottom dock has little), the runs to compare a column
        self.compare = self.runs.compact_view()
        self.curves = QSplitter(Qt.Orientation.Horizontal)
        self.curves.addWidget(self.plots)
        self.curves.addWidget(self.compare)
        self.curves.setCollapsible(0, False)
        self.curves.setStretchFactor(0, 1)
        self.curves.setStretchFactor(1, 0)
        self.curves.setSizes([700, 230])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.curves, "Curves")
        self.tabs.addTab(self.runs, "Runs")
        self.tabs.addTab(self.preview, "Data")
        self.tabs.addTab(self.evaluation, "Evaluation")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 900])
        left.setMinimumWidth(300)
        self.splitter = splitter
        self.setWidget(splitter)

        self.compare.all_requested.connect(lambda: self.tabs.setCurrentWidget(self.runs))
        self.runs.overlay_toggled.connect(self._toggle_run)
        self.runs.open_curves_requested.connect(self.open_curves)
        self.runs.runs_changed.connect(self._runs_read)
        self.runs.run_updated.connect(self._run_updated)
        self.plots.overlays_changed.connect(self._sync_ticks)

    # ---- curves and runs in step ----------------------------------------------------------------
    def open_curves(self, path: str | os.PathLike[str]) -> None:
        """Draw a run's curves in full (compared instead while a live run trains)."""
        self.plots.open_run(path, self.runs.styles().get(run_key(path)))
        self.tabs.setCurrentWidget(self.curves)
        self._sync_ticks()

    def _toggle_run(self, path: str | os.PathLike[str], on: bool) -> None:
        if on:
            self.plots.show_overlay(path, self.runs.styles().get(run_key(path)))
        else:
            self.plots.hide_overlay(path)
        self._sync_ticks()

    def _runs_read(self) -> None:
        self.plots.set_styles(self.runs.styles())
        self._sync_ticks()

    def _run_updated(self, path: str | os.PathLike[str]) -> None:
        """A training run wrote an epoch or ended: its curves follow when they are drawn."""
        key = run_key(path)
        main = self.plots.main
        if main is not None and main.live and main.key == key:
            record = self.runs.record_of(path)
            if record is not None and record.status is not RunStatus.RUNNING:
                self.plots.end_run()
        elif key in self.plots.drawn_keys():
            self.plots.reload(path)

    def _sync_ticks(self) -> None:
        live = self.plots.live_key()
        main = self.plots.main
        self.runs.set_ticks(
            self.plots.drawn_keys(),
            {live} if live else set(),
            main.key if main is not None else None,
        )

    # ---- room ------------------------------------------------------------------------------------
    def make_room(self) -> None:
        """Grow the docked panel, once, to a height where the curves and runs read well (at least
        40 % of the window, at most 60 %); a taller size the user chose is kept. Its top edge
        moves, its controls (anchored to the bottom) do not."""
        window = self.parentWidget()
        if not isinstance(window, QMainWindow) or self.isFloating():
            return
        if window.dockWidgetArea(self) not in (
            Qt.DockWidgetArea.BottomDockWidgetArea,
            Qt.DockWidgetArea.TopDockWidgetArea,
        ):
            return
        least, most = (int(window.height() * share) for share in ROOM_SHARE)
        wanted = min(most, max(least, ROOMY_HEIGHT))
        if self.height() < wanted:
            window.resizeDocks([self], [wanted], Qt.Orientation.Vertical)
