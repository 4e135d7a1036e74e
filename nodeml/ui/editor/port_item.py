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
        self._apply(False)

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
        self._apply(True)

    def _apply(self, rescale: bool) -> None:
        pen, brush = _look(
            self.color.rgba(), self.connected, self.highlighted, current_theme().name
        )
        self.setPen(pen)
        self.setBrush(brush)
        if rescale:
            self.setScale(1.35 if self.highlighted else 1.0)

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.setScale(1.35)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.setScale(1.35 if self.highlighted else 1.0)
        super().hoverLeaveEvent(event)


_LOOKS: dict[tuple, tuple[QPen, QBrush]] = {}


def _look(rgba: int, connected: bool, highlighted: bool, theme: str) -> tuple[QPen, QBrush]:
    """Pens and brushes shared by every port in the same state (thousands of ports, few looks)."""
    key = (rgba, connected, highlighted, theme)
    if key not in _LOOKS:
        t, color = current_theme(), QColor.fromRgba(rgba)
        if highlighted:
            _LOOKS[key] = (QPen(t.accent, 2.5), QBrush(t.accent.lighter(130)))
        else:
            _LOOKS[key] = (QPen(color, 1.8), QBrush(color if connected else t.card))
    return _LOOKS[key]
