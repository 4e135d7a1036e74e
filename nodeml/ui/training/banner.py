"""The banner across the main window while training: the graph is read-only until the run ends."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QToolBar, QWidget

TEXT = {
    "running": "Training — the graph is read-only; Stop to edit",
    "paused": "Training paused — the graph is read-only; Stop to edit",
    "stopping": "Stopping training — the graph becomes editable when the current batch ends",
}


class TrainingBanner(QToolBar):
    """A toolbar row of its own at the top of the window, shown only while a run is active."""

    def __init__(self, window: QMainWindow):
        super().__init__("Training banner", window)
        self.setObjectName("TrainingBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not a toolbar people switch on and off
        body = QWidget()
        body.setObjectName("TrainingBannerBody")
        self.label = QLabel()
        self.stop_button = QPushButton("Stop")
        row = QHBoxLayout(body)
        row.setContentsMargins(10, 2, 6, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.stop_button)
        self.addWidget(body)
        self.setStyleSheet(
            "QToolBar#TrainingBanner { background: #7a4a00; border: none; padding: 0; }"
            "QWidget#TrainingBannerBody QLabel { color: #fff4e0; font-weight: 600; }"
            "QWidget#TrainingBannerBody QPushButton { background: #fff4e0; color: #4a2c00;"
            " border: none; border-radius: 4px; padding: 3px 14px; font-weight: 600; }"
        )
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        self.hide()

    def set_state(self, state: str) -> None:
        """``running``, ``paused``, ``stopping``; anything else hides the banner."""
        text = TEXT.get(state)
        if text:
            self.label.setText(text)
        self.stop_button.setEnabled(state in ("running", "paused"))
        self.setVisible(text is not None)
