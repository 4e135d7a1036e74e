"""The banner over the canvas while training: the graph is read-only until the run ends.

It floats over the top edge of the window's central widget (the canvas) instead of taking a row
of its own, so nothing in the window moves when a run starts or ends: a click aimed at Pause or
Stop, or at a node, lands where it was aimed.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
)

TEXT = {
    "running": QT_TRANSLATE_NOOP(
        "TrainingBanner", "Training — the graph is read-only; Stop to edit"
    ),
    "paused": QT_TRANSLATE_NOOP(
        "TrainingBanner", "Training paused — the graph is read-only; Stop to edit"
    ),
    "stopping": QT_TRANSLATE_NOOP(
        "TrainingBanner",
        "Stopping training — the graph becomes editable when the current batch ends",
    ),
}
MARGIN = 8  # from the canvas's top edge and, at most, from its sides


class TrainingBanner(QFrame):
    """A pill centred at the top of the canvas, shown only while a run is active."""

    def __init__(self, window: QMainWindow):
        host = window.centralWidget() or window
        super().__init__(host)
        self.host = host
        self.setObjectName("TrainingBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setCursor(Qt.CursorShape.PointingHandCursor)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 4, 5, 4)
        row.setSpacing(12)
        row.addWidget(self.label, 1)
        row.addWidget(self.stop_button)
        self.setStyleSheet(
            "QFrame#TrainingBanner { background: #7a4a00; border: 1px solid #a86a10;"
            " border-radius: 8px; }"
            "QFrame#TrainingBanner QLabel { color: #fff4e0; font-weight: 600; background: none;"
            " border: none; }"
            "QFrame#TrainingBanner QPushButton { background: #fff4e0; color: #4a2c00;"
            " border: none; border-radius: 5px; padding: 3px 14px; font-weight: 600; }"
            "QFrame#TrainingBanner QPushButton:hover { background: #ffffff; }"
            "QFrame#TrainingBanner QPushButton:disabled { background: #c9a877; color: #6b4a1a; }"
        )
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(14)
        shadow.setOffset(0, 2)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.setGraphicsEffect(shadow)
        host.installEventFilter(self)
        self.hide()

    def set_state(self, state: str) -> None:
        """``running``, ``paused``, ``stopping``; anything else hides the banner."""
        text = TEXT.get(state)
        if text:
            self.label.setText(self.tr(text))  # i18n: the QT_TRANSLATE_NOOPs of TEXT
        self.stop_button.setEnabled(state in ("running", "paused"))
        if text is not None:
            self.place()
            self.show()
            self.raise_()
        else:
            self.hide()

    def place(self) -> None:
        """Centred at the top of the canvas, as wide as its text (never wider than the canvas)."""
        hint = self.sizeHint()
        width = min(hint.width(), max(0, self.host.width() - 2 * MARGIN))
        x = (self.host.width() - width) // 2
        self.setGeometry(x, MARGIN, width, hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.host:
            kind = event.type()
            if kind == QEvent.Type.Resize:
                self.place()
            elif kind == QEvent.Type.ChildAdded and self.isVisible():
                QTimer.singleShot(0, self.raise_)  # a canvas added later (a block) stays beneath
        return False
