"""The Training dock's layout: settings and controls on the left; on the right the curves with
the runs to compare beside them, all runs, data, evaluation.

Nothing in it moves while a run goes: the control rows have fixed heights and the status and
progress texts stay on one line (elided, the whole text in a tooltip). The dock keeps the Runs
panel's ticks and the curves in step; the session wires the rest.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
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
from .run_style import run_key
from .runs_panel import RunsPanel
from .settings_panel import SettingsPanel

if TYPE_CHECKING:
    from .evaluation_view import EvaluationView
    from .plots import TrainingPlots
    from .preview import DatasetPreview

ROOMY_HEIGHT = 520  # the dock's height at which two rows of plots and five runs are readable
ROOM_SHARE = (0.4, 0.6)  # of the window: the least a run asks for, the most it takes
# the pages made when first shown or used, by tab (the Runs tab is light and made at once)
LAZY_PAGES = {
    0: QT_TRANSLATE_NOOP("TrainingDock", "Curves"),
    2: QT_TRANSLATE_NOOP("TrainingDock", "Data"),
    3: QT_TRANSLATE_NOOP("TrainingDock", "Evaluation"),
}


class TrainingDock(QDockWidget):
    """Widgets only; the session wires them to actions and jobs.

    The heavy pages on the right (curves, data preview, evaluation) are made when they are first
    shown or used: pyqtgraph's import and their seven plots took 0.5 s of the app's start, while
    the dock sits hidden behind the Summary tab."""

    export_png_requested = Signal()
    export_csv_requested = Signal()

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Training"))
        self.setObjectName("TrainingDock")
        self.settings = SettingsPanel(document)
        self.runs = RunsPanel()
        self._pages: tuple[TrainingPlots, DatasetPreview, EvaluationView] | None = None
        # a dock tabbed behind another reports itself visible; this says when its tab is up
        self.visibilityChanged.connect(lambda visible: visible and self._make_pages())

        self.train_button = QPushButton(self.tr("Train"))
        self.train_button.setObjectName("primary")
        t = current_theme()
        self.train_button.setStyleSheet(
            f"QPushButton {{ background: {t.accent.name()}; color: white; border: none;"
            " font-weight: 600; }"
            f"QPushButton:disabled {{ background: {t.border.name()}; color: {t.muted.name()}; }}"
        )
        self.pause_button = QPushButton(self.tr("Pause"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.evaluate_button = QPushButton(self.tr("Evaluate"))
        self.progress = ElidedProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat(self.tr("Ready"))
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

        self.tabs = QTabWidget()
        self.compare = self.runs.compact_view()
        self.curves: QSplitter | None = None  # plots and the runs to compare, made with the plots
        for index in range(4):  # stand-ins until the pages are made
            if index == 1:
                self.tabs.addTab(self.runs, self.tr("Runs"))
            else:
                self.tabs.addTab(QWidget(), self.tr(LAZY_PAGES[index]))  # i18n: NOOPs
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

    # ---- the pages, made on first use ------------------------------------------------------------
    @property
    def plots(self) -> TrainingPlots:
        return self._make_pages()[0]

    @property
    def preview(self) -> DatasetPreview:
        return self._make_pages()[1]

    @property
    def evaluation(self) -> EvaluationView:
        return self._make_pages()[2]

    @property
    def pages_made(self) -> bool:
        return self._pages is not None

    def _make_pages(self) -> tuple[TrainingPlots, DatasetPreview, EvaluationView]:
        if self._pages is not None:
            return self._pages
        from .evaluation_view import EvaluationView
        from .plots import TrainingPlots
        from .preview import DatasetPreview

        plots, preview, evaluation = TrainingPlots(), DatasetPreview(), EvaluationView()
        self._pages = (plots, preview, evaluation)
        plots.export_png_button.clicked.connect(self.export_png_requested)
        plots.export_csv_button.clicked.connect(self.export_csv_requested)
        plots.overlays_changed.connect(self._sync_ticks)
        plots.set_styles(self.runs.styles())
        self.settings.dataset_changed.connect(preview.show_dataset)
        preview.show_dataset(
            self.settings.dataset.currentData(), self.settings.config_options_or_empty()
        )
        # the curves get the height (a bottom dock has little), the runs to compare a column
        self.curves = QSplitter(Qt.Orientation.Horizontal)
        self.curves.addWidget(plots)
        self.curves.addWidget(self.compare)
        self.curves.setCollapsible(0, False)
        self.curves.setStretchFactor(0, 1)
        self.curves.setStretchFactor(1, 0)
        self.curves.setSizes([700, 230])
        current = self.tabs.currentIndex()
        self.tabs.setUpdatesEnabled(False)  # one repaint, with the real page current
        for index, page in ((0, self.curves), (2, preview), (3, evaluation)):
            stand_in = self.tabs.widget(index)
            self.tabs.insertTab(index, page, self.tr(LAZY_PAGES[index]))  # i18n: NOOPs
            self.tabs.removeTab(index + 1)
            stand_in.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.tabs.setUpdatesEnabled(True)
        self._sync_ticks()
        return self._pages

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
        if self.pages_made:  # else the styles are taken when the curves are made
            self.plots.set_styles(self.runs.styles())
            self._sync_ticks()

    def _run_updated(self, path: str | os.PathLike[str]) -> None:
        """A training run wrote an epoch or ended: its curves follow when they are drawn."""
        if not self.pages_made:
            return
        key = run_key(path)
        main = self.plots.main
        if main is not None and main.live and main.key == key:
            record = self.runs.record_of(path)
            if record is not None and record.status is not RunStatus.RUNNING:
                self.plots.end_run()
        elif key in self.plots.drawn_keys():
            self.plots.reload(path)

    def _sync_ticks(self) -> None:
        if not self.pages_made:
            return
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
