"""A node's training health on the canvas: a ring and a wash in its health colour, a sparkline tab below."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen

from ..theme import Theme, mono_font

RING = 5.5  # the ring's distance outside the node's body (the selection ring is at 3)
RING_WIDTH = 2.5  # a warning's ring at 100 %; zoomed out it widens to stay as wide on screen
CALM_WIDTH = 1.5  # a healthy node's ring: present, not shouting (the warnings should)
RING_MAX = 7.0  # the widest a ring gets (zoomed far out), inside the margins below
TAB_GAP = 4.0  # between the ring and the sparkline tab
TAB_HEIGHT = 17.0
TAB_INSET = 10.0  # the tab is this much narrower than the body on each side
# what the node's bounding rect grows by while health is shown: left, top, right, bottom
EDGE = RING + RING_MAX / 2 + 1
MARGINS = (EDGE, EDGE, EDGE, max(EDGE, RING + TAB_GAP + TAB_HEIGHT + 2))


@dataclass(frozen=True)
class HealthLook:
    """What a node draws while health is shown; compared to skip repaints (a pure view-model)."""

    role: str  # the Theme field holding its colour, e.g. "health_exploding"
    label: str  # under the sparkline: the latest value, or the warning in a word
    points: tuple[float, ...] = ()  # the sparkline, 0 (bottom) to 1 (top); nan leaves a gap
    dashed: bool = False  # no data: a thin dashed ring, no wash
    warning: bool = False  # a health rule warns: a wide ring and a wash; else a thin ring only

    def color(self, t: Theme) -> QColor:
        return QColor(getattr(t, self.role))


def bounding(body: QRectF) -> QRectF:
    left, top, right, bottom = MARGINS
    return body.adjusted(-left, -top, right, bottom)


def paint_health(
    painter: QPainter,
    look: HealthLook,
    body: QRectF,
    radii: tuple[float, float],
    t: Theme,
    detailed: bool,
    with_text: bool,
    zoom: float = 1.0,
) -> None:
    """Drawn over the body and under its text, so the wash tints the card and not the letters.
    ``zoom`` (the view's scale) keeps a warning's ring as wide on screen when zoomed out."""
    color = look.color(t)
    rx, ry = radii
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if look.warning:
        wash = QColor(color)
        wash.setAlphaF(0.30 if t.dark else 0.20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(wash)
        painter.drawRoundedRect(body, rx, ry)
    if look.dashed:
        width = 1.4
    elif look.warning:
        width = min(RING_WIDTH / max(zoom, 1e-3), RING_MAX)
    else:
        width = min(CALM_WIDTH / max(zoom, 1e-3), RING_MAX / 2)
    pen = QPen(color, width)
    if look.dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(body.adjusted(-RING, -RING, RING, RING), rx + RING, ry + RING)
    if detailed and not look.dashed:  # no data: no sparkline, and no empty tab
        _paint_tab(painter, look, body, color, t, with_text)
    painter.restore()


def tab_rect(body: QRectF) -> QRectF:
    top = body.bottom() + RING + TAB_GAP
    return QRectF(body.left() + TAB_INSET, top, body.width() - 2 * TAB_INSET, TAB_HEIGHT)


def _paint_tab(
    painter: QPainter, look: HealthLook, body: QRectF, color: QColor, t: Theme, with_text: bool
) -> None:
    tab = tab_rect(body)
    painter.setPen(QPen(t.border, 1.0))
    painter.setBrush(t.card)
    painter.drawRoundedRect(tab, 4, 4)
    inner = tab.adjusted(5, 3, -5, -3)
    plot = inner
    if with_text and look.label:
        font = mono_font(7.5)
        width = min(QFontMetricsF(font).horizontalAdvance(look.label), inner.width() * 0.6)
        plot = QRectF(inner.left(), inner.top(), inner.width() - width - 6, inner.height())
        painter.setFont(font)
        painter.setPen(color if look.role != "health_healthy" else t.muted)
        text = QRectF(inner.right() - width, tab.top(), width, tab.height())
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(text, align, look.label)
    _sparkline(painter, look.points, plot, color)


def _sparkline(painter: QPainter, points: tuple[float, ...], area: QRectF, color: QColor) -> None:
    if not points:
        return
    n = len(points)
    step = area.width() / max(n - 1, 1)
    path = QPainterPath()
    last: QPointF | None = None
    drawing = False
    for i, value in enumerate(points):
        if math.isnan(value):
            drawing = False
            continue
        p = QPointF(
            area.left() + i * step, area.bottom() - min(max(value, 0.0), 1.0) * area.height()
        )
        if drawing:
            path.lineTo(p)
        else:
            path.moveTo(p)
            drawing = True
        last = p
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(color, 1.3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawPath(path)
    if last is not None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(last, 1.8, 1.8)
