"""A node's input or output socket: the thing a wire is dragged from and dropped on."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from ..theme import current_theme

PORT_RADIUS = 5.0


class PortItem(QGraphicsEllipseItem):
    """Painted by Qt itself (no Python paint override): thousands of these stay cheap."""

    def __init__(
        self, parent: QGraphicsItem, index: int, is_output: bool, name: str, color: QColor
    ):
        r = PORT_RADIUS
        super().__init__(QRectF(-r, -r, 2 * r, 2 * r), parent)
        self.index, self.is_output, self.name = index, is_output, name
        self.color = QColor(color)
        self.connected = False
        self.highlighted = False
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.restyle()

    @property
    def node_id(self) -> str:
        return self.parentItem().node_id

    def anchor(self) -> QPointF:
        """Where a wire attaches, in scene coordinates."""
        return self.scenePos()

    def set_state(self, connected: bool | None = None, highlighted: bool | None = None) -> None:
        changed = False
        if connected is not None and connected != self.connected:
            self.connected, changed = connected, True
        if highlighted is not None and highlighted != self.highlighted:
            self.highlighted, changed = highlighted, True
        if changed:
            self.restyle()

    def restyle(self) -> None:
        """Filled when wired, hollow when free, ringed in the accent colour while a wire can land."""
        t = current_theme()
        if self.highlighted:
            self.setPen(QPen(t.accent, 2.5))
            self.setBrush(QBrush(t.accent.lighter(130)))
            self.setScale(1.35)
            return
        self.setScale(1.0)
        self.setPen(QPen(self.color, 1.8))
        self.setBrush(QBrush(self.color if self.connected else t.card))

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.setScale(1.35)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.setScale(1.35 if self.highlighted else 1.0)
        super().hoverLeaveEvent(event)
