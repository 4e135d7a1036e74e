"""The start-up splash: on screen within a fraction of a second, while torch and the window load."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QRect, Qt
from PySide6.QtGui import QCloseEvent, QFont, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from .theme import Theme, icon

SIZE = (440, 200)
EXPOSE_WAIT_S = 0.5  # how long to wait for the window system to map the splash


class StartupSplash(QWidget):
    """The app's name and version, and what is loading; closed once the main window has painted.

    Importing torch alone takes 1.5 s on a quiet machine and many seconds on a busy one; without
    this, nothing at all appears on screen until the main window is built. (Qt's QSplashScreen
    spends a second in ``show()`` in Qt 6.11, so this is a plain frameless window.)"""

    def __init__(self, theme: Theme, version: str):
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("startupSplash")
        self.setFixedSize(*SIZE)
        self._theme = theme
        self._picture = _picture(theme, version, self.devicePixelRatioF())
        self.status = ""
        screen = QApplication.primaryScreen()
        if screen is not None:
            self.move(screen.availableGeometry().center() - self.rect().center())

    def show_status(self, text: str) -> None:
        """Show ``text`` and put it on screen now: the event loop is not running yet."""
        self.status = text
        if not self.isVisible():
            QApplication.instance().installEventFilter(self)
            self.show()
            deadline = time.monotonic() + EXPOSE_WAIT_S
            handle = self.windowHandle()
            while handle is not None and not handle.isExposed() and time.monotonic() < deadline:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        self.repaint()
        QApplication.processEvents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # a dialog (a file that cannot be opened) must not sit beside or under the splash
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            self.close()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)
        painter.setPen(self._theme.muted)
        painter.drawText(
            QRect(32, SIZE[1] - 52, SIZE[0] - 64, 28), Qt.AlignmentFlag.AlignVCenter, self.status
        )
        painter.end()


def _picture(theme: Theme, version: str, ratio: float) -> QPixmap:
    """Everything but the status line, drawn once."""
    pixmap = QPixmap(int(SIZE[0] * ratio), int(SIZE[1] * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(theme.panel)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(theme.border)
    painter.drawRect(0, 0, SIZE[0] - 1, SIZE[1] - 1)
    logo = icon("nodeml")
    if not logo.isNull():
        logo.paint(painter, QRect(32, 36, 72, 72))
    title = QFont(painter.font())
    title.setPointSizeF(24)
    title.setBold(True)
    painter.setFont(title)
    painter.setPen(theme.text)
    name = "nodeml"  # the app's name, in every language
    painter.drawText(QRect(124, 36, 290, 44), Qt.AlignmentFlag.AlignVCenter, name)
    caption = QFont(painter.font())
    caption.setPointSizeF(10)
    caption.setBold(False)
    painter.setFont(caption)
    painter.setPen(theme.muted)
    painter.drawText(
        QRect(124, 80, 290, 28),
        Qt.AlignmentFlag.AlignVCenter,
        QCoreApplication.translate(
            "StartupSplash", "Build PyTorch models visually · {version}"
        ).format(version=version),
    )
    painter.end()
    return pixmap
