"""The "Show autograd graph" window: the backward graph of one batch, linked to the canvas, with
a short legend on requires_grad, grad_fn, backward() and no_grad."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.autograd_graph import FrozenParameter, GradNodeKind
from ..theme import current_theme, ui_font
from .items import BOX_H, BOX_W, FrozenItem, GradEdge, GradItem
from .job import AutogradFailure, AutogradResult
from .layout import layered

COLUMN, ROW = BOX_W + 26.0, BOX_H + 36.0
READABLE = 0.8  # the least zoom the graph is first shown at: 9 pt names stay legible


def legend_html() -> str:
    """What the picture teaches, in the words of the PyTorch tutorials."""
    return QCoreApplication.translate(
        "Autograd",
        "<p><b>How to read it</b></p>"
        "<p>At the top is the loss. <code>loss.backward()</code> starts there and passes the "
        "gradient down each arrow, to the parameters at the bottom.</p>"
        "<p><b>grad_fn</b> (a square box): every tensor computed from one that requires a "
        "gradient remembers the operation that made it, <code>t.grad_fn</code>. Its backward "
        "turns the gradient of its output into gradients of its inputs. The strip's colour is "
        "the layer whose forward ran it, as on the canvas: point at a box to select that "
        "layer.</p>"
        "<p><b>AccumulateGrad</b> (a rounded leaf): a parameter, a leaf tensor with "
        "<code>requires_grad=True</code>. Backward adds into its <code>.grad</code>; "
        "<code>optimizer.step()</code> reads it and <code>optimizer.zero_grad()</code> clears "
        "it.</p>"
        "<p><b>Frozen</b> (grey, dashed): a layer with <code>trainable: false</code> has "
        "<code>requires_grad=False</code>. No arrow reaches it and its <code>.grad</code> stays "
        "None.</p>"
        "<p><b>no_grad / eval()</b>: under <code>with torch.no_grad():</code> none of this is "
        "recorded; evaluation and prediction run that way. <code>model.eval()</code> is "
        "different: it switches Dropout and BatchNorm to their inference behaviour, and "
        "gradients are still recorded unless no_grad is on.</p>",
    )


class AutogradView(QGraphicsView):
    """Wheel zooms at the cursor, dragging pans."""

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(current_theme().canvas)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: follow it
            self.setBackgroundBrush(current_theme().canvas)
            for item in self.scene().items():
                if isinstance(item, GradEdge):
                    item.restyle()
                elif isinstance(item, QGraphicsSimpleTextItem):  # the captions
                    item.setBrush(current_theme().muted)
            self.scene().update()
        super().changeEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        factor = 1.0015 ** (event.angleDelta().y() or event.angleDelta().x())
        zoom = self.transform().m11() * factor
        if 0.1 <= zoom <= 2.5:
            self.scale(factor, factor)

    def fit(self, readable: float = 0.2, top: QPointF | None = None) -> None:
        """The whole graph in view, at no less than ``readable`` zoom (else ``top``, the loss's
        box, at the top of the view at that zoom) and no more than 100 %."""
        rect = self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self.scale(0.97, 0.97)  # room for a scroll bar that fitting may bring
        if self.transform().m11() < readable:
            self.resetTransform()
            self.scale(readable, readable)
            x = top.x() if top is not None else rect.center().x()
            self.centerOn(x, rect.top() + self.viewport().height() / (2 * readable))
        elif self.transform().m11() > 1.0:
            self.resetTransform()
            self.centerOn(rect.center())


class AutogradDialog(QDialog):
    """``layer_hovered(layer or None)`` and ``layer_clicked(layer)`` link it to the canvas."""

    layer_hovered = Signal(object)
    layer_clicked = Signal(str)
    rerun_requested = Signal()

    def __init__(self, layer_color: Callable[[str | None], QColor], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("autogradDialog")
        self.setWindowTitle(QCoreApplication.translate("Autograd", "Autograd graph"))
        self.setModal(False)
        self.resize(1180, 780)
        self.layer_color = layer_color
        self.result: AutogradResult | None = None
        self.items: list[GradItem] = []
        self.frozen_items: list[FrozenItem] = []
        self.lit_layer: str | None = None

        self.scene = QGraphicsScene(self)
        self.view = AutogradView(self.scene)
        self.status = QLabel()
        self.status.setObjectName("autogradStatus")
        self.status.setWordWrap(True)
        self.rerun = QPushButton(QCoreApplication.translate("Autograd", "Run Again"))
        self.rerun.setToolTip(
            QCoreApplication.translate(
                "Autograd", "One more batch, with the graph and weights as they are now"
            )
        )
        self.rerun.clicked.connect(self.rerun_requested)
        fit = QPushButton(QCoreApplication.translate("Autograd", "Fit"))
        fit.setToolTip(
            QCoreApplication.translate(
                "Autograd", "The whole graph in view (press again after zooming)"
            )
        )
        fit.clicked.connect(lambda: self.view.fit())
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(fit)
        top.addWidget(self.rerun)

        self.notes = QLabel()
        self.notes.setObjectName("autogradNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.legend = QLabel(legend_html())
        self.legend.setObjectName("autogradLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        side = QWidget()
        column = QVBoxLayout(side)
        column.addWidget(self.notes)
        column.addWidget(self.legend)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(280)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setSizes([860, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # ---- states ------------------------------------------------------------------------------
    def show_running(self) -> None:
        self.status.setText(
            QCoreApplication.translate(
                "Autograd", "Running one batch forward to record its backward graph…"
            )
        )
        self.rerun.setEnabled(False)

    def show_failure(self, failure: AutogradFailure) -> None:
        self.rerun.setEnabled(True)
        self.status.setText(
            QCoreApplication.translate("Autograd", "The autograd graph could not be made.")
        )
        t = current_theme()
        self.notes.setText(  # i18n: the failure's message and traceback, as they were made
            f"<p style='color:{t.error.name()}'>{escape(failure.message)}</p>"
            + (f"<pre>{escape(failure.details)}</pre>" if failure.details else "")
        )

    def show_result(self, result: AutogradResult, focus: str | None = None) -> None:
        self.rerun.setEnabled(True)
        self.result = result
        graph = result.graph
        text = QCoreApplication.translate(
            "Autograd",
            "Loss {loss:.4g} on one batch of {batch} samples from {dataset}, with {weights}.",
        )
        self.status.setText(
            text.format(
                loss=graph.loss,
                batch=result.batch,
                dataset=result.dataset,
                weights=result.weights_note,
            )
        )
        self.notes.setText(self._notes_html())
        self._draw()
        loss = self.items[0].sceneBoundingRect().center() if self.items else None
        self.view.fit(READABLE, loss)  # its words readable first; Fit shows the whole shape
        if focus is not None:
            self.light(focus)
            shown = [*self.items, *self.frozen_items]  # a frozen layer is beside the graph
            first = next((i for i in shown if i.layer == focus), None)
            if first is not None:
                self.view.centerOn(first)

    def _notes_html(self) -> str:
        graph = self.result.graph
        ops = sum(1 for n in graph.nodes if n.kind is GradNodeKind.OPERATION)
        params = len(graph.parameter_nodes())
        text = QCoreApplication.translate(
            "Autograd", "{ops} backward operations; {params} parameters get a .grad."
        )
        parts = [text.format(ops=ops, params=params)]
        if graph.frozen:
            layers = sorted({p.layer for p in graph.frozen})
            text = QCoreApplication.translate("Autograd", "Frozen, no gradient path: {layers}.")
            parts.append(text.format(layers=", ".join(layers)))
        if graph.unreached:
            text = QCoreApplication.translate(
                "Autograd",
                "Trainable but not reached by this loss (their .grad stays None): {names}.",
            )
            parts.append(text.format(names=", ".join(graph.unreached)))
        parts += list(graph.notes)  # the layers collapsed, with their operation counts
        if graph.omitted:
            text = QCoreApplication.translate(
                "Autograd",
                "{count} grad_fns farthest from the loss are left out to keep it readable.",
            )
            parts.append(text.format(count=graph.omitted))
        return "".join(f"<p>{escape(p)}</p>" for p in parts)

    # ---- drawing -------------------------------------------------------------------------------
    def _draw(self) -> None:
        self.scene.clear()
        self.items, self.frozen_items, self.lit_layer = [], [], None
        graph = self.result.graph
        places = layered(len(graph.nodes), graph.edges)
        for node in graph.nodes:
            item = GradItem(node, self.layer_color(node.layer), self._hover, self._click)
            row, col = places[node.id]
            item.setPos(col * COLUMN, row * ROW)
            self.scene.addItem(item)
            self.items.append(item)
        for a, b in graph.edges:
            start = self.items[a].pos() + QPointF(BOX_W / 2, BOX_H)
            end = self.items[b].pos() + QPointF(BOX_W / 2, 0)
            self.scene.addItem(GradEdge(start, end))
        right = max((i.pos().x() for i in self.items), default=-COLUMN) + COLUMN + 40
        self._draw_frozen(graph.frozen, right)
        if not graph.nodes:
            note = QGraphicsSimpleTextItem(" ".join(graph.notes))
            note.setFont(ui_font(11))
            note.setBrush(current_theme().muted)
            self.scene.addItem(note)
        self.scene.setSceneRect(self.scene.itemsBoundingRect().adjusted(-60, -60, 60, 60))

    def _draw_frozen(self, frozen: tuple[FrozenParameter, ...], x: float) -> None:
        by_layer: dict[str, list[FrozenParameter]] = {}
        for p in frozen:
            by_layer.setdefault(p.layer, []).append(p)
        if not by_layer:
            return
        title = QGraphicsSimpleTextItem(
            QCoreApplication.translate("Autograd", "Frozen layers: no gradient path")
        )
        title.setFont(ui_font(9, bold=True))
        title.setBrush(current_theme().muted)
        title.setPos(x, -26)
        self.scene.addItem(title)
        y = 0.0
        for layer, params in by_layer.items():
            item = FrozenItem(layer, params)
            item.setPos(x, y)
            self.scene.addItem(item)
            self.frozen_items.append(item)
            y += item.height + 14

    # ---- linking to the canvas ---------------------------------------------------------------
    def _hover(self, item: GradItem | None) -> None:
        layer = item.layer if item is not None else None
        self.light(layer)
        self.layer_hovered.emit(layer)

    def _click(self, item: GradItem) -> None:
        if item.layer is not None:
            self.layer_clicked.emit(item.layer)

    def light(self, layer: str | None) -> None:
        """Ring every node the layer ``layer`` made (None: none)."""
        self.lit_layer = layer
        for item in [*self.items, *self.frozen_items]:
            item.set_lit(layer is not None and item.layer == layer)

    def items_named(self, name: str) -> list[GradItem]:
        return [i for i in self.items if i.node.name == name]
