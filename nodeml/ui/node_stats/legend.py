"""The legend on the canvas while node health is shown: what each colour means, what the sparkline
draws, and which statistics are shown (a run's, or the live ones)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ...core.training.node_health import DEAD_ABOVE, EXPLODING_GROWTH, VANISHING_BELOW
from ...core.training.node_stats_history import NodeHealth, NodeStatsHistory
from ..theme import current_theme, ui_font
from .looks import ROLES

PAD = 10.0
SWATCH = 12.0
LINE = 18.0


def legend_rows() -> list[tuple[NodeHealth, str]]:
    """(health, what it means), in the order the legend lists them; the thresholds are the
    health rules' own."""
    vanishing = QCoreApplication.translate(
        "NodeStats", "vanishing gradient: norm below {limit:g} for the epoch"
    )
    exploding = QCoreApplication.translate(
        "NodeStats", "exploding gradient: norm grew {growth:,.0f}-fold, or became inf / nan"
    )
    dead = QCoreApplication.translate(
        "NodeStats", "dead units: over {share:.0%} of outputs are exactly zero"
    )
    return [
        (
            NodeHealth.HEALTHY,
            QCoreApplication.translate("NodeStats", "healthy: gradients flow, no warning"),
        ),
        (NodeHealth.VANISHING, vanishing.format(limit=VANISHING_BELOW)),
        (NodeHealth.EXPLODING, exploding.format(growth=EXPLODING_GROWTH)),
        (NodeHealth.DEAD_UNITS, dead.format(share=DEAD_ABOVE)),
        (
            NodeHealth.UPDATE_RATIO,
            QCoreApplication.translate(
                "NodeStats", "update ratio far from ~1e-3 (step too big or too small)"
            ),
        ),
        (
            NodeHealth.NO_DATA,
            QCoreApplication.translate("NodeStats", "no statistics for this node"),
        ),
    ]


class HealthLegend(QWidget):
    """Painted, so its swatches are exactly the canvas's colours in either theme; mouse events
    pass through to the canvas under it."""

    def __init__(self, store: NodeStatsHistory, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("nodeHealthLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.store = store
        self.rows = legend_rows()
        self.source = ""
        self.refresh()

    def refresh(self) -> None:
        """Say again where the statistics come from (after the store changed)."""
        store = self.store
        if store.empty:
            self.source = QCoreApplication.translate(
                "NodeStats",
                "No statistics yet: train the model, or View → Node Health → "
                "Load Statistics from Run…",
            )
        elif store.run is not None:
            text = (
                QCoreApplication.translate("NodeStats", "Run “{run}” · training, step {step}")
                if store.live
                else QCoreApplication.translate("NodeStats", "Run “{run}” · up to step {step}")
            )
            self.source = text.format(run=store.run_name, step=store.last_step or 0)
        else:
            text = QCoreApplication.translate("NodeStats", "This training run · step {step}")
            self.source = text.format(step=store.last_step or 0)
        self.updateGeometry()
        self.adjustSize()
        self.update()

    def lines(self) -> list[str]:
        """Every line of text the legend shows, top to bottom (for its size, and tests)."""
        return [
            QCoreApplication.translate("NodeStats", "Gradient health"),
            *(text for _, text in self.rows),
            QCoreApplication.translate(
                "NodeStats",
                "Sparkline: gradient norm (log scale); zero fraction where a node has no weights",
            ),
            self.source,
        ]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        metrics = QFontMetricsF(ui_font(8.5))
        bold = QFontMetricsF(ui_font(9, bold=True))
        texts = self.lines()
        width = max(
            bold.horizontalAdvance(texts[0]),
            *(SWATCH + 8 + metrics.horizontalAdvance(t) for t in texts[1:-2]),
            *(metrics.horizontalAdvance(t) for t in texts[-2:]),
        )
        height = LINE * (len(texts) + 0.5)
        return QSize(int(width + 2 * PAD + 1), int(height + 2 * PAD))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.update()  # the theme changed
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        t = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        back = QColor(t.panel)
        back.setAlphaF(0.94)
        painter.setPen(QPen(t.border, 1.0))
        painter.setBrush(back)
        painter.drawRoundedRect(box, 7, 7)
        x, y = PAD, PAD
        texts = self.lines()
        painter.setFont(ui_font(9, bold=True))
        painter.setPen(t.text)
        painter.drawText(QRectF(x, y, box.width(), LINE), Qt.AlignmentFlag.AlignVCenter, texts[0])
        y += LINE + 2
        painter.setFont(ui_font(8.5))
        for health, text in self.rows:
            color = QColor(getattr(t, ROLES[health]))
            centre = QPointF(x + SWATCH / 2, y + LINE / 2)
            pen = QPen(color, 1.4 if health is NodeHealth.NO_DATA else 2.2)
            if health is NodeHealth.NO_DATA:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            wash = QColor(color)
            wash.setAlphaF(0.35)
            painter.setBrush(wash if health is not NodeHealth.NO_DATA else Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(
                QRectF(centre.x() - SWATCH / 2, centre.y() - SWATCH / 2, SWATCH, SWATCH), 3, 3
            )
            painter.setPen(t.text)
            painter.drawText(
                QRectF(x + SWATCH + 8, y, box.width(), LINE), Qt.AlignmentFlag.AlignVCenter, text
            )
            y += LINE
        painter.setPen(t.muted)
        y += LINE * 0.25
        for text in texts[-2:]:
            painter.drawText(QRectF(x, y, box.width(), LINE), Qt.AlignmentFlag.AlignVCenter, text)
            y += LINE
        painter.end()
