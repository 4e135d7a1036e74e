"""The Training dock's layout: settings and controls on the left; curves, data, evaluation on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from .evaluation_view import EvaluationView
from .plots import TrainingPlots
from .preview import DatasetPreview
from .settings_panel import SettingsPanel


class TrainingDock(QDockWidget):
    """Widgets only; the TrainingController wires them to actions and jobs."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__("Training", parent)
        self.setObjectName("TrainingDock")
        self.settings = SettingsPanel(document)
        self.plots = TrainingPlots()
        self.preview = DatasetPreview()
        self.evaluation = EvaluationView()
        self.settings.dataset_changed.connect(self.preview.show_dataset)
        self.preview.show_dataset(
            self.settings.dataset.currentData(), self.settings.config_options_or_empty()
        )

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
        self.tabs.addTab(self.plots, "Curves")
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
