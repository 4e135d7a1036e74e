"""A wire: a cubic curve from an output port to an input port, selectable and droppable-on."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyle

from ...core.graph import Edge
from ..theme import current_theme
from .node_item import NodeItem

TURN = 40.0  # how far a wire that runs back to the left swings out before turning


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """The S-curve every wire (and the wire being dragged) follows. A wire that runs back left
    to a lower or higher row (a graph wrapped into rows) turns at both ends and crosses between
    the rows, instead of one S swinging half the row's width out either side."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    path = QPainterPath(start)
    if dx < -2 * TURN and abs(dy) > 3 * TURN:
        middle = start.y() + dy / 2
        out, into = start.x() + TURN, end.x() - TURN
        path.cubicTo(
            QPointF(out + TURN, start.y()), QPointF(out + TURN, middle), QPointF(out, middle)
        )
        path.lineTo(QPointF(into, middle))
        path.cubicTo(QPointF(into - TURN, middle), QPointF(into - TURN, end.y()), end)
        return path
    bend = max(abs(dx) * 0.5, 40.0)
    path.cubicTo(QPointF(start.x() + bend, start.y()), QPointF(end.x() - bend, end.y()), end)
    return path


class EdgeItem(QGraphicsPathItem):
    """Mirrors one graph Edge; its ends follow the two node items' ports."""

    def __init__(self, edge: Edge, source: NodeItem, target: NodeItem):
        super().__init__()
        self.edge, self.source, self.target = edge, source, target
        self.hot = False  # a node is hovering over it, ready to be inserted
        self._hit = QPainterPath()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(0)
        source.edges.add(self)
        target.edges.add(self)
        self.restyle()
        self.reroute()

    def detach(self) -> None:
        self.source.edges.discard(self)
        self.target.edges.discard(self)

    def reroute(self) -> None:
        out = self.source.port(True, self.edge.source_port)
        inp = self.target.port(False, self.edge.target_port)
        start = out.anchor() if out else self.source.mapToScene(self.source.boundingRect().center())
        end = inp.anchor() if inp else self.target.mapToScene(self.target.boundingRect().topLeft())
        path = wire_path(start, end)
        stroker = QPainterPathStroker()
        stroker.setWidth(12)  # easy to click, and to drop a node on
        self.prepareGeometryChange()
        self._hit = stroker.createStroke(path)
        self.setPath(path)

    def set_hot(self, hot: bool) -> None:
        if hot != self.hot:
            self.hot = hot
            self.restyle()

    def restyle(self) -> None:
        t = current_theme()
        if self.hot or self.isSelected():
            pen = QPen(t.accent, 3.0)
        else:
            pen = QPen(t.wire, 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)

    def shape(self) -> QPainterPath:
        return self._hit

    def boundingRect(self):  # noqa: N802 - Qt API
        return self._hit.boundingRect()

    def paint(self, painter, option, widget=None) -> None:
        # Qt would draw a dashed box round a selected path; the accent colour says it instead.
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, widget)
