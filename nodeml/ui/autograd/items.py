"""The boxes and arrows of the backward graph: grad_fn operations, the parameters whose .grad
they fill, collapsed layers, frozen layers outside the graph."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
)

from ...core.autograd_graph import FrozenParameter, GradNode, GradNodeKind
from ..theme import current_theme, mix_colors, mono_font, ui_font

BOX_W, BOX_H = 260.0, 48.0  # wide enough for MaxPool2DWithIndicesBackward0 in 9 pt bold


def shape_text(shape: tuple[int, ...]) -> str:
    if not shape:
        return "scalar"  # the loss: one number
    return "[" + ", ".join(str(d) for d in shape) + "]"


class GradItem(QGraphicsItem):
    """One node of the backward graph. ``hovered(layer or None)`` and ``clicked(layer)`` are
    called with the layer node that made it (None: the loss's own operations)."""

    def __init__(
        self,
        node: GradNode,
        color: QColor,
        hovered: Callable[[GradItem | None], None],
        clicked: Callable[[GradItem], None],
    ):
        super().__init__()
        self.node, self.color = node, color
        self._hovered, self._clicked = hovered, clicked
        self.lit = False  # one of the hovered layer's items
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tooltip())

    @property
    def layer(self) -> str | None:
        return self.node.layer

    def title(self) -> str:
        n = self.node
        if n.kind is GradNodeKind.PARAMETER:
            return n.parameter or ""
        if n.kind is GradNodeKind.COLLAPSED:
            text = QCoreApplication.translate("Autograd", "{layer} · collapsed")
            return text.format(layer=n.name)
        return n.name

    def detail(self) -> str:
        n = self.node
        if n.kind is GradNodeKind.PARAMETER:
            text = QCoreApplication.translate("Autograd", "{shape} · its .grad")
            return text.format(shape=shape_text(n.shapes[0]) if n.shapes else "")
        if n.kind is GradNodeKind.COLLAPSED:
            text = QCoreApplication.translate(
                "Autograd", "grad_fns: {count} · parameters: {params}"
            )
            return text.format(count=n.count, params=len(n.parameters))
        layer = n.layer if n.layer is not None else "loss"
        if n.shapes:
            text = QCoreApplication.translate("Autograd", "{layer} · grad {shape}")
            return text.format(layer=layer, shape=shape_text(n.shapes[0]))
        return layer

    def tooltip(self) -> str:
        n = self.node
        if n.kind is GradNodeKind.PARAMETER:
            text = QCoreApplication.translate(
                "Autograd",
                "<b>AccumulateGrad</b>: adds the gradient into <code>{param}.grad</code> "
                "({shape}); the optimizer's step then reads it.",
            )
            return text.format(
                param=n.parameter, shape=shape_text(n.shapes[0]) if n.shapes else "?"
            )
        if n.kind is GradNodeKind.COLLAPSED:
            text = QCoreApplication.translate(
                "Autograd",
                "<b>{layer}</b>: {count} backward operations and {params} parameters, shown as "
                "one node to keep the picture readable.",
            )
            return text.format(layer=n.name, count=n.count, params=len(n.parameters))
        if n.layer is None:
            text = QCoreApplication.translate(
                "Autograd", "<b>{name}</b>: the backward of an operation of the loss."
            )
        else:
            text = QCoreApplication.translate(
                "Autograd",
                "<b>{name}</b>: the backward of an operation in layer <b>{layer}</b>'s forward.",
            )
        lines = [text.format(name=n.name, layer=n.layer)]
        if n.shapes:
            text = QCoreApplication.translate(
                "Autograd", "Receives the gradient of its output: {shapes}"
            )
            lines.append(text.format(shapes=", ".join(shape_text(s) for s in n.shapes)))
        if n.saved:
            text = QCoreApplication.translate("Autograd", "Saved for backward: {saved}")
            saved = ", ".join(f"{k} {shape_text(s)}" for k, s in n.saved)
            lines.append(text.format(saved=saved))
        return "<br>".join(lines)

    # ---- Qt ------------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(-4, -4, BOX_W + 8, BOX_H + 8)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = current_theme()
        n = self.node
        rect = QRectF(0, 0, BOX_W, BOX_H)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = mix_colors(self.color, t.card, 0.16 if t.dark else 0.10)
        painter.setBrush(fill)
        pen = QPen(self.color, 1.4)
        radius = BOX_H / 2 if n.kind is GradNodeKind.PARAMETER else 6.0
        if n.kind is GradNodeKind.COLLAPSED:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, radius, radius)
        if n.kind is GradNodeKind.OPERATION:  # a strip in its layer's colour, as on the canvas
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.color)
            painter.drawRoundedRect(QRectF(0, 0, 6, BOX_H), 3, 3)
        if self.lit:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(t.selection, 2.0))
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), radius + 3, radius + 3)
        pad = 16.0 if n.kind is GradNodeKind.PARAMETER else 14.0
        text = rect.adjusted(pad, 6, -pad, -6)
        painter.setPen(t.text)
        painter.setFont(ui_font(9, bold=True))
        _elided(painter, QRectF(text.left(), text.top(), text.width(), 18), self.title())
        painter.setPen(t.muted)
        painter.setFont(mono_font(8))
        _elided(painter, QRectF(text.left(), text.top() + 18, text.width(), 16), self.detail())

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 - Qt API
        self._hovered(self)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 - Qt API
        self._hovered(None)
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            self._clicked(self)
            event.accept()
            return
        super().mousePressEvent(event)

    def set_lit(self, lit: bool) -> None:
        if lit != self.lit:
            self.lit = lit
            self.update()


class FrozenItem(QGraphicsItem):
    """A frozen layer beside the graph: its parameters, greyed, with no arrow reaching them."""

    def __init__(self, layer: str, parameters: list[FrozenParameter]):
        super().__init__()
        self.layer = layer
        self.parameters = parameters
        self.lit = False  # the layer asked about (Show in Autograd Graph on a frozen layer)
        self.lines = [f"{p.name} {shape_text(p.shape)}" for p in parameters]
        self.height = 42.0 + 15.0 * len(self.lines)
        text = QCoreApplication.translate(
            "Autograd",
            "<b>{layer}</b> is frozen (trainable: false): its parameters have "
            "requires_grad=False, so autograd records no operation that leads to them, "
            "backward() never reaches them and their .grad stays None.",
        )
        self.setToolTip(text.format(layer=layer))

    def set_lit(self, lit: bool) -> None:
        if lit != self.lit:
            self.lit = lit
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(-2, -2, BOX_W + 4, self.height + 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = current_theme()
        rect = QRectF(0, 0, BOX_W, self.height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(t.muted, 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(mix_colors(t.muted, t.card, 0.08))
        painter.drawRoundedRect(rect, 6, 6)
        if self.lit:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(t.selection, 2.0))
            painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 7, 7)
        painter.setPen(t.muted)
        painter.setFont(ui_font(9, bold=True))
        inner = rect.adjusted(12, 6, -12, -6)
        text = QCoreApplication.translate("Autograd", "{layer} · frozen")
        _elided(
            painter,
            QRectF(inner.left(), inner.top(), inner.width(), 18),
            text.format(layer=self.layer),
        )
        painter.setFont(mono_font(8))
        y = inner.top() + 18
        for line in self.lines:
            _elided(painter, QRectF(inner.left(), y, inner.width(), 15), line)
            y += 15
        painter.setFont(ui_font(8))
        _elided(
            painter,
            QRectF(inner.left(), y, inner.width(), 16),
            QCoreApplication.translate("Autograd", "requires_grad=False: no path"),
        )


def edge_path(start: QPointF, end: QPointF) -> QPainterPath:
    path = QPainterPath(start)
    bend = max(abs(end.y() - start.y()) * 0.5, 20.0)
    path.cubicTo(start + QPointF(0, bend), end - QPointF(0, bend), end)
    return path


class GradEdge(QGraphicsPathItem):
    """The gradient passed from one node to the next, pointing toward the parameters."""

    def __init__(self, start: QPointF, end: QPointF):
        super().__init__(edge_path(start, end))
        self.end = end
        self.setZValue(-1)
        self.restyle()

    def restyle(self) -> None:
        self.setPen(QPen(current_theme().wire, 1.3))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, option, widget)
        tip = self.end
        head = QPolygonF([tip, tip + QPointF(-4.5, -8), tip + QPointF(4.5, -8)])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.pen().color())
        painter.drawPolygon(head)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return super().boundingRect().adjusted(-6, -10, 6, 2)


def _elided(painter: QPainter, rect: QRectF, text: str) -> None:
    shown = QFontMetricsF(painter.font()).elidedText(
        text, Qt.TextElideMode.ElideRight, max(rect.width(), 0)
    )
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
