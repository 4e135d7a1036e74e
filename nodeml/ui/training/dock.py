"""The Training dock's layout: settings and controls on the left; curves, data, evaluation on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..document import Document
from ..theme import current_theme
from .settings_panel import SettingsPanel

if TYPE_CHECKING:
    from .evaluation_view import EvaluationView
    from .plots import TrainingPlots
    from .preview import DatasetPreview

PAGES = ("Curves", "Data", "Evaluation")


class TrainingDock(QDockWidget):
    """Widgets only; the TrainingController wires them to actions and jobs.

    The pages on the right (curves, data preview, evaluation) are made when they are first shown
    or used: pyqtgraph's import and their seven plots took 0.5 s of the app's start, while the
    dock sits hidden behind the Summary tab."""

    export_png_requested = Signal()
    export_csv_requested = Signal()

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__("Training", parent)
        self.setObjectName("TrainingDock")
        self.settings = SettingsPanel(document)
        self._pages: tuple[TrainingPlots, DatasetPreview, EvaluationView] | None = None
        # a dock tabbed behind another reports itself visible; this says when its tab is up
        self.visibilityChanged.connect(lambda visible: visible and self._make_pages())

        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("primary")
        accent = current_theme().accent.name()
        self.train_button.setStyleSheet(
            f"QPushButton {{ background: {accent}; color: white; border: none; font-weight: 600; }}"
            "QPushButton:disabled { background: #3a3f47; color: #9aa1ab; }"
        )
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        self.evaluate_button = QPushButton("Evaluate")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("Ready")
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.settings)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QHBoxLayout()
        for b in (self.train_button, self.pause_button, self.stop_button, self.evaluate_button):
            buttons.addWidget(b)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(scroll, 1)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)

        self.tabs = QTabWidget()
        for title in PAGES:
            self.tabs.addTab(QWidget(), title)  # stand-ins until the pages are made
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 900])
        left.setMinimumWidth(300)
        self.splitter = splitter
        self.setWidget(splitter)

    @property
    def plots(self) -> TrainingPlots:
        return self._make_pages()[0]

    @property
    def preview(self) -> DatasetPreview:
        return self._make_pages()[1]

    @property
    def evaluation(self) -> EvaluationView:
        return self._make_pages()[2]

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
        self.settings.dataset_changed.connect(preview.show_dataset)
        preview.show_dataset(
            self.settings.dataset.currentData(), self.settings.config_options_or_empty()
        )
        # the real pages go in after the stand-ins, so only the one to be current is ever shown
        current = self.tabs.currentIndex()
        for page, title in zip(self._pages, PAGES, strict=True):
            self.tabs.addTab(page, title)
        self.tabs.setCurrentIndex(len(PAGES) + current)
        for _ in PAGES:
            stand_in = self.tabs.widget(0)
            self.tabs.removeTab(0)
            stand_in.deleteLater()
        return self._pages
