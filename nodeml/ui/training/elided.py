"""One-line text that never wraps or widens its layout: elided to fit, the whole of it in a tooltip."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStyle, QWidget


class ElidedLabel(QLabel):
    """A label of exactly one line: text longer than its width ends in "…" (or loses its middle
    with ``mode=Qt.ElideMiddle``) and the whole text is its tooltip and its Copy action.

    ``text()`` is the whole text, as it was set; what is painted is the part that fits. Its height
    is one line whatever the text, so rows beneath it never move when the text grows.

    It paints that text itself rather than through QLabel.setText: QLabel asks its layout for a
    new geometry on every new text, and each layout passes the request up to the main window,
    which lays out the whole window again (a training run's status line changes every epoch).
    A line whose size never depends on its text only needs a repaint."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ):
        super().__init__(parent)
        self._full = ""
        self._shown = ""
        self._mode = mode
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        copy = QAction(QCoreApplication.translate("ElidedLabel", "Copy"), self)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(self._full))
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        text = text or ""
        if text == self._full:
            return
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)  # what a screen reader reads (QLabel's own text stays "")
        self._elide()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        """What is on screen now (the elided text)."""
        return self._shown

    def is_elided(self) -> bool:
        return self._shown != self._full

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        self._shown = (
            self.fontMetrics().elidedText(self._full, self._mode, width) if width else self._full
        )
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        self.drawFrame(painter)
        align = QStyle.visualAlignment(self.layoutDirection(), self.alignment())
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(align),
            self.palette(),
            self.isEnabled(),
            self._shown,
            self.foregroundRole(),
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(120, self.fontMetrics().height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(20, self.fontMetrics().height() + 4)


class ElidedProgressBar(QProgressBar):
    """A progress bar whose text loses its middle rather than its end when the bar is narrow
    ("Epoch 3/5 · step 1… · ETA 12 s"); the whole text is its tooltip."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setFormat(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setFormat(text)
        self.setToolTip(text)

    def setRange(self, minimum: int, maximum: int) -> None:  # noqa: N802 - Qt API
        busy = self.minimum() == self.maximum() == 0
        super().setRange(minimum, maximum)
        if busy and maximum > minimum:
            # The Fusion style stops a busy bar's animation only when it paints one that shows
            # some progress: left at its minimum (a run that starts at step 0, Ready, Failed),
            # the bar went on repainting itself 60 times a second, unseen, while a run trained.
            # One paint with progress stops it.
            super().setValue(minimum + 1)
            self.repaint()
            super().setValue(minimum)

    def text(self) -> str:
        full = super().text()
        room = self.contentsRect().width() - 16
        return self.fontMetrics().elidedText(full, Qt.TextElideMode.ElideMiddle, max(room, 0))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(40, super().minimumSizeHint().height())
