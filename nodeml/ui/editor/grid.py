"""The canvas background: a two-level grid that thins out as the view zooms out."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen

from ..theme import Theme

MINOR = 24.0
MAJOR_EVERY = 5


def draw_grid(painter: QPainter, rect: QRectF, scale: float, theme: Theme) -> None:
    """Fill ``rect`` with the canvas colour and grid lines; minor lines vanish below 60 % zoom."""
    painter.fillRect(rect, theme.canvas)
    major = MINOR * MAJOR_EVERY
    steps = [(major, theme.grid_major)]
    if scale >= 0.6:
        steps.insert(0, (MINOR, theme.grid_minor))
    elif scale < 0.2:
        steps = [(major * 4, theme.grid_major)]
    for step, color in steps:
        pen = QPen(color, 0)  # cosmetic: one device pixel at every zoom
        painter.setPen(pen)
        left = math.floor(rect.left() / step) * step
        top = math.floor(rect.top() / step) * step
        lines = []
        x = left
        while x < rect.right():
            lines.append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = top
        while y < rect.bottom():
            lines.append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        painter.drawLines(lines)
