"""One node on the canvas: a card (layer with weights) or a pill (no weights), with its ports."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem

from ...core.catalog import LayerSpec
from ...core.display import format_count, key_params
from ...core.graph import Node
from ...core.shapes import NodeInfo
from ..theme import (
    CATEGORY_COLORS,
    Theme,
    category_color,
    current_theme,
    mono_font,
    parametric_badge,
    ui_font,
)
from .health_paint import HealthLook, bounding, paint_health
from .port_item import PortItem

CARD_WIDTH = 180.0
PILL_WIDTH = 172.0
HEADER = 26.0
ROW = 17.0
PORT_Y = HEADER + 3 + ROW / 2  # the row single ports sit on, for cards and pills alike
PORT_ROW = 18.0
LOW_DETAIL = 0.22  # below this zoom, nodes are drawn as plain coloured blocks
MID_DETAIL = 0.6  # below this, small text is unreadable: one large label instead
BLOCK_COLOR = CATEGORY_COLORS["block"]
BLOCK_INSET = 3.5  # the inner line of a block's double border
NOTE_ROW = 14.0
# a note under a node's name (translated when drawn); it fits the pill, the tooltip says more
STANDARDIZED = QT_TRANSLATE_NOOP("NodeItem", "standardised on train split")
NOTE_TIPS = {
    STANDARDIZED: QT_TRANSLATE_NOOP(
        "NodeItem",
        "forward computes (x − mean) / std, with the mean and std of the training split, fitted "
        "by nodeml when training starts and saved with the weights",
    ),
}


def _note_text(text: str) -> str:
    """A note (or its tip) in the user's language."""
    return QCoreApplication.translate("NodeItem", text) if text else ""  # i18n: NOOPs above


@dataclass(frozen=True)
class NodeLook:
    """Everything a node item draws, derived from graph + inference; compared to skip repaints."""

    type: str
    node_id: str
    parametric: bool
    category: str
    key: str
    count: str
    inputs: tuple[str, ...]  # input port names (variadic: one per wire plus a free one)
    outputs: tuple[str, ...]
    shapes: tuple[str, ...]  # one per output (an Output node: what it returns)
    problems: tuple[str, ...]
    frozen: bool
    badge: str
    block: bool = False  # a use of a block: a double-bordered card, opened by double-click
    note: str = ""  # a third line on a pill, e.g. that the model standardises this Input


def node_look(
    node: Node, spec: LayerSpec | None, info: NodeInfo | None, n_wired_inputs: int, note: str = ""
) -> NodeLook:
    """What the canvas shows for a node; pure so it can be compared cheaply."""
    if spec is None:
        inputs: tuple[str, ...] = ("input",)
        outputs: tuple[str, ...] = ("output",)
    elif spec.variadic:
        inputs = tuple(str(i) for i in range(n_wired_inputs + 1))
        outputs = spec.outputs
    else:
        inputs = tuple(p.name for p in spec.inputs)
        outputs = spec.outputs
    shapes: tuple[str, ...] = ()
    if info is not None and info.outputs is not None:
        shapes = tuple(t.describe() for t in info.outputs)
    block = spec is not None and spec.category == "block"
    parametric = bool(spec and (spec.parametric or block))  # a block is always a card
    count = ""
    if parametric:
        if info is None or not info.outputs:
            count = QCoreApplication.translate("NodeItem", "? params")
        elif info.params == 1:
            count = QCoreApplication.translate("NodeItem", "1 param")
        else:
            count = QCoreApplication.translate("NodeItem", "{count} params").format(
                count=format_count(info.params)
            )
    return NodeLook(
        type=node.type,
        node_id=node.id,
        parametric=parametric,
        category=spec.category if spec else "",
        key=key_params(node, spec, info),
        count=count,
        inputs=inputs,
        outputs=outputs,
        shapes=shapes,
        problems=tuple(p.message for p in info.problems) if info is not None else (),
        frozen=node.extra.get("trainable", True) is False,
        badge=parametric_badge(spec),
        block=block,
        note=note,
    )


class NodeItem(QGraphicsItem):
    """Draws from a NodeLook; holds no model state (the scene rebuilds looks from the graph)."""

    def __init__(self, node_id: str):
        super().__init__()
        self.node_id = node_id
        self.look: NodeLook | None = None
        self.info: NodeInfo | None = None  # identity of the inference result last shown
        self.health: HealthLook | None = None  # shown only while View → Node Health is on
        self.edges: set = set()  # EdgeItems attached, to re-route while dragging
        self.inputs: list[PortItem] = []
        self.outputs: list[PortItem] = []
        self._rect = QRectF(0, 0, CARD_WIDTH, HEADER + 3 * ROW + 8)
        # No itemChange override: Python callbacks on every Qt item change cost more than the
        # whole paint at 1,000 nodes; the scene and view re-route wires when nodes move.
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
        )
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)

    # ---- state ---------------------------------------------------------------------------------
    @property
    def error(self) -> bool:
        return bool(self.look and self.look.problems)

    @property
    def count_text(self) -> str:
        return self.look.count if self.look else ""

    @property
    def shape_text(self) -> str:
        return ", ".join(self.look.shapes) if self.look else ""

    def present(self, look: NodeLook, info: NodeInfo | None) -> None:
        """Adopt a new look; repaints and rebuilds ports only when something visible changed."""
        self.info = info
        if look == self.look:
            return
        old, self.look = self.look, look
        if old is None or (old.inputs, old.outputs, old.parametric, bool(old.note)) != (
            look.inputs,
            look.outputs,
            look.parametric,
            bool(look.note),
        ):
            self.prepareGeometryChange()
            self._rect = self.body_rect(look)
            self._build_ports(look)
        elif old.category != look.category:
            self._build_ports(look)
        tip = f"<b>{look.type}</b> {look.node_id}"
        if look.note:
            note, why = _note_text(look.note), _note_text(NOTE_TIPS.get(look.note, ""))
            tip += f"<br>{note}: {why}"
        if look.problems:
            red = current_theme().error.name()
            tip += "".join(f"<br><span style='color:{red}'>⚠ {p}</span>" for p in look.problems)
        self.setToolTip(tip)
        self.update()

    def show_health(self, health: HealthLook | None) -> None:
        """Tint by training health (None: the plain look, exactly as without it)."""
        if health == self.health:
            return
        if (health is None) != (self.health is None):
            self.prepareGeometryChange()  # the ring and the sparkline tab lie outside the body
        self.health = health
        self.update()

    @staticmethod
    def body_rect(look: NodeLook) -> QRectF:
        """The card or pill, in item coordinates. A pill is centred on the card's port line so a
        chain of single-port nodes placed on one row has straight wires."""
        rows = max(len(look.inputs), len(look.outputs), 1)
        if look.parametric:
            body = 3 * ROW if rows == 1 else 2 * ROW + rows * PORT_ROW
            return QRectF(0, 0, CARD_WIDTH, HEADER + 3 + body + 6)
        h = max(44.0, rows * 16.0 + 12.0) + (NOTE_ROW if look.note else 0.0)
        return QRectF(0, max(0.0, PORT_Y - h / 2), PILL_WIDTH, h)

    def _port_ys(self, count: int) -> list[float]:
        look, rect = self.look, self._rect
        if count == 0:
            return []
        rows = max(len(look.inputs), len(look.outputs))
        if look.parametric:
            if rows == 1:
                return [PORT_Y]
            top = HEADER + 3 + 2 * ROW
            return [top + (i + 0.5) * PORT_ROW for i in range(count)]
        if count == 1:
            return [rect.center().y()]
        step = (rect.height() - 12) / count
        return [rect.top() + 6 + (i + 0.5) * step for i in range(count)]

    def _build_ports(self, look: NodeLook) -> None:
        color = self.color()
        wired_in = {p.index for p in self.inputs if p.connected}
        wired_out = {p.index for p in self.outputs if p.connected}
        for port in (*self.inputs, *self.outputs):
            port.setParentItem(None)
            if port.scene() is not None:
                port.scene().removeItem(port)
        self.inputs = [PortItem(self, i, False, n, color) for i, n in enumerate(look.inputs)]
        self.outputs = [PortItem(self, i, True, n, color) for i, n in enumerate(look.outputs)]
        for ports, x, wired in (
            (self.inputs, 0.0, wired_in),
            (self.outputs, self._rect.width(), wired_out),
        ):
            for port, y in zip(ports, self._port_ys(len(ports)), strict=True):
                port.setPos(x, y)
                port.set_state(connected=port.index in wired)
        for edge in self.edges:
            edge.reroute()

    def port(self, is_output: bool, index: int) -> PortItem | None:
        ports = self.outputs if is_output else self.inputs
        return ports[index] if 0 <= index < len(ports) else None

    def color(self) -> QColor:
        if self.look and self.look.block:
            c = QColor(BLOCK_COLOR)
        else:
            c = category_color(self.look.category if self.look else None)
        if self.look and self.look.frozen:  # frozen weights: the colour drains out
            h, s, v, a = c.getHsvF()
            c = QColor.fromHsvF(h, s * 0.25, v * 0.8, a)
        return c

    # ---- Qt ------------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        plain = self._rect.adjusted(-4, -4, 4, 7)  # selection ring and shadow
        return plain if self.health is None else plain.united(bounding(self._rect))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, *self._radii())
        return path

    def _radii(self) -> tuple[float, float]:
        if self.look is not None and not self.look.parametric:
            r = min(self._rect.height() / 2, 23.0)
            return r, r
        return 8.0, 8.0

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        look = self.look
        if look is None:
            return
        t = current_theme()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        rect, (rx, ry), color = self._rect, self._radii(), self.color()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if lod < LOW_DETAIL:
            fill = color if look.parametric else _mix(color, t.card, 0.35)
            painter.setPen(
                QPen(t.error if look.problems else (t.selection if selected else color), 3)
            )
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, rx, ry)
            if self.health is not None:
                paint_health(painter, self.health, rect, (rx, ry), t, False, False, lod)
            return
        self._paint_body(painter, t, rect, rx, ry, color, selected)
        if self.health is not None:
            paint_health(painter, self.health, rect, (rx, ry), t, True, lod >= MID_DETAIL, lod)
        if lod < MID_DETAIL:
            self._paint_overview(painter, t, rect)
        else:
            self._paint_text(painter, t, rect, color)

    def _paint_overview(self, painter: QPainter, t: Theme, rect: QRectF) -> None:
        """Zoomed out: the type (and weight count) in letters big enough to read."""
        look = self.look
        painter.setPen(t.text)
        painter.setFont(ui_font(15, bold=True))
        if look.parametric:
            _text(
                painter,
                QRectF(12, 0, rect.width() - 24, HEADER + 2),
                look.type,
                Qt.AlignmentFlag.AlignLeft,
            )
            painter.setFont(ui_font(13))
            painter.setPen(t.muted)
            body = QRectF(12, HEADER, rect.width() - 24, rect.height() - HEADER)
            _text(painter, body, look.count or look.key, Qt.AlignmentFlag.AlignLeft)
        else:
            _text(painter, rect.adjusted(16, 0, -16, 0), look.type, Qt.AlignmentFlag.AlignCenter)

    def _paint_body(self, painter, t: Theme, rect, rx, ry, color, selected) -> None:
        look = self.look
        painter.setPen(Qt.PenStyle.NoPen)
        for i, alpha in ((3, 0.35), (2, 0.55), (1, 0.8)):  # soft drop shadow
            shadow = QColor(t.shadow)
            shadow.setAlphaF(shadow.alphaF() * alpha / 1.7)
            painter.setBrush(shadow)
            painter.drawRoundedRect(rect.translated(0, i + 1).adjusted(-i / 2, 0, i / 2, 0), rx, ry)
        if look.parametric:
            painter.setBrush(_mix(color, t.card, 0.10))
            painter.drawRoundedRect(rect, rx, ry)
            header = QPainterPath()
            header.addRoundedRect(rect, rx, ry)
            band = QPainterPath()
            band.addRect(QRectF(rect.left(), rect.top(), rect.width(), HEADER))
            painter.setBrush(_mix(color, t.card, 0.55 if t.dark else 0.28))
            painter.drawPath(header.intersected(band))
            border = QPen(_mix(color, t.card, 0.6), 1.2)
        else:
            painter.setBrush(_mix(color, t.card, 0.10 if t.dark else 0.06))
            painter.drawRoundedRect(rect, rx, ry)
            border = QPen(color, 1.6)
        if look.problems:
            border = QPen(t.error, 2.4)
        painter.setPen(border)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, rx, ry)
        if look.block:  # a double border: this card holds a graph of its own
            painter.setPen(QPen(border.color(), 1.0))
            inner = rect.adjusted(BLOCK_INSET, BLOCK_INSET, -BLOCK_INSET, -BLOCK_INSET)
            painter.drawRoundedRect(inner, rx - 2, ry - 2)
        if selected:
            painter.setPen(QPen(t.selection if not look.problems else t.error, 1.6))
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), rx + 3, ry + 3)

    def _paint_text(self, painter: QPainter, t: Theme, rect: QRectF, color: QColor) -> None:
        look = self.look
        title, small, mono = ui_font(9.5, bold=True), ui_font(8.5), mono_font(8.0)
        pad = 12.0 if look.parametric else 15.0
        w = rect.width() - 2 * pad
        right_edge = rect.right() - pad
        if look.parametric:
            # header: type, then the weight badge (and a snowflake when frozen) at the right
            badge = QRectF(right_edge - 16, 5, 16, 16)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(badge, 4, 4)
            ink = QColor("#ffffff") if not _light(color) else QColor("#111111")
            if look.block:
                _block_mark(painter, badge, ink)
            else:
                painter.setPen(ink)
                painter.setFont(ui_font(8, bold=True))
                painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, look.badge)
            if look.frozen:
                _snowflake(painter, QPointF(badge.left() - 12, badge.center().y()), 5.5, t.text)
            painter.setPen(t.text)
            painter.setFont(title)
            _text(painter, QRectF(pad, 0, w - 36, HEADER), look.type, Qt.AlignmentFlag.AlignLeft)
            y = HEADER + 3
            painter.setFont(small)
            painter.setPen(t.muted)
            id_w = QFontMetricsF(small).horizontalAdvance(look.node_id) + 8
            _text(
                painter,
                QRectF(pad, y, min(id_w, w * 0.5), ROW),
                look.node_id,
                Qt.AlignmentFlag.AlignLeft,
            )
            painter.setPen(t.text)
            key_rect = QRectF(pad + min(id_w, w * 0.5), y, w - min(id_w, w * 0.5), ROW)
            _text(painter, key_rect, look.key, Qt.AlignmentFlag.AlignRight)
            y += ROW
            painter.setFont(mono)
            painter.setPen(_mix(color, t.text, 0.45) if not look.frozen else t.muted)
            _text(painter, QRectF(pad, y, w, ROW), look.count, Qt.AlignmentFlag.AlignLeft)
            y += ROW
            shape_row = QRectF(pad, y, w, ROW)
        else:
            painter.setFont(title)
            painter.setPen(t.text)
            type_w = QFontMetricsF(title).horizontalAdvance(look.type) + 8
            top = QRectF(pad, rect.top() + 5, w, ROW)
            _text(painter, top, look.type, Qt.AlignmentFlag.AlignLeft)
            painter.setFont(small)
            painter.setPen(t.muted)
            _text(painter, top.adjusted(type_w, 0, 0, 0), look.key, Qt.AlignmentFlag.AlignRight)
            shape_row = QRectF(pad, rect.top() + 4 + ROW, w, ROW)
            id_w = QFontMetricsF(small).horizontalAdvance(look.node_id) + 8
            _text(
                painter,
                QRectF(pad, shape_row.top(), min(id_w, w * 0.5), ROW),
                look.node_id,
                Qt.AlignmentFlag.AlignLeft,
            )
            shape_row.setLeft(pad + min(id_w, w * 0.5))
            if look.note:
                note_font = ui_font(7.5)
                note_font.setItalic(True)
                painter.setFont(note_font)
                note_row = QRectF(pad, shape_row.bottom() - 1, w, NOTE_ROW)
                _text(painter, note_row, _note_text(look.note), Qt.AlignmentFlag.AlignLeft)
        self._paint_ports_text(painter, t, rect, shape_row, small, mono)

    def _paint_ports_text(self, painter, t: Theme, rect, shape_row, small, mono) -> None:
        look = self.look
        painter.setFont(mono)
        painter.setPen(t.muted)
        port_rows = look.parametric and max(len(look.inputs), len(look.outputs)) > 1
        if not port_rows:
            _text(painter, shape_row, ", ".join(look.shapes) or "?", Qt.AlignmentFlag.AlignRight)
            return
        w = rect.width()
        for port, y in zip(self.outputs, self._port_ys(len(self.outputs)), strict=True):
            shape = look.shapes[port.index] if port.index < len(look.shapes) else "?"
            label = f"{port.name} {shape}" if len(self.outputs) > 1 else shape
            left = w * 0.35 if len(look.inputs) > 1 else 24.0
            _text(
                painter,
                QRectF(left, y - ROW / 2, w - left - 12, ROW),
                label,
                Qt.AlignmentFlag.AlignRight,
            )
        if len(look.inputs) > 1:
            painter.setFont(small)
            for port, y in zip(self.inputs, self._port_ys(len(self.inputs)), strict=True):
                _text(
                    painter,
                    QRectF(12, y - ROW / 2, w * 0.35, ROW),
                    port.name,
                    Qt.AlignmentFlag.AlignLeft,
                )


def _text(painter: QPainter, rect: QRectF, text: str, align: Qt.AlignmentFlag) -> None:
    metrics = QFontMetricsF(painter.font())
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(rect.width(), 0))
    painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, shown)


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``amount`` of ``a`` over ``b``."""
    return QColor.fromRgbF(
        a.redF() * amount + b.redF() * (1 - amount),
        a.greenF() * amount + b.greenF() * (1 - amount),
        a.blueF() * amount + b.blueF() * (1 - amount),
    )


def _light(c: QColor) -> bool:
    return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF() > 0.72


def _block_mark(painter: QPainter, badge: QRectF, ink: QColor) -> None:
    """Two nested squares: a graph inside a node."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(ink, 1.2))
    painter.drawRoundedRect(badge.adjusted(3.5, 3.5, -3.5, -3.5), 1.5, 1.5)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    painter.drawRect(badge.adjusted(6.5, 6.5, -6.5, -6.5))


def _snowflake(painter: QPainter, centre: QPointF, r: float, color: QColor) -> None:
    """Drawn, not a glyph: the frozen mark must not depend on the fonts installed."""
    import math

    painter.setPen(QPen(color, 1.3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for k in range(3):
        a = math.pi / 3 * k + math.pi / 2
        dx, dy = math.cos(a) * r, math.sin(a) * r
        painter.drawLine(
            QPointF(centre.x() - dx, centre.y() - dy), QPointF(centre.x() + dx, centre.y() + dy)
        )
