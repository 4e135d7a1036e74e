"""The node editor widget: turns mouse and keyboard gestures on the canvas into Document edits."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QCursor, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from ...core.blocks import spec_for
from ...core.catalog import LayerSpec
from ...core.compatibility import layers_taking, takes_input
from ...core.errors import NodemlError
from ...core.graph import Edge, GraphEventKind
from ...core.layout import layered_positions
from ..document import Document
from ..theme import current_theme
from .drops import BLOCK_FILE_MIME, LAYER_MIME, centred_on, drop_on_canvas, droppable, make_room
from .edge_item import EdgeItem
from .grid import draw_grid
from .node_item import NodeItem
from .port_item import PortItem
from .quick_add import QuickAddPopup
from .scene import EditorScene
from .wiring import WireDrag, WireResult

MIN_ZOOM, MAX_ZOOM = 0.08, 3.0
READABLE_ZOOM = 0.9  # a graph opens no smaller than this: every node's text and shape legible
FRAME_MARGIN = 60.0  # scene units kept free round a framed graph
SCENE_MARGIN = 4000.0


class EditorView(QGraphicsView):
    """Signals: ``selection_changed(list[str])`` (selected node ids), ``node_activated(str)``."""

    selection_changed = Signal(list)
    node_activated = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._scene = EditorScene(document, self)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.quick_add = QuickAddPopup(self.viewport())
        self.quick_add.chosen.connect(self._quick_add_chosen)
        self.quick_add.cancelled.connect(self._quick_add_cancelled)
        self._wire: WireDrag | None = None
        self._pending: tuple[QPointF, WireResult | None] | None = None  # where quick-add adds
        self._pan_from: QPoint | None = None
        self._space = False
        self._press_pos: dict[str, QPointF] = {}
        self._hot_edge: EdgeItem | None = None
        self._scene.selectionChanged.connect(self._emit_selection)
        document.reloaded.connect(self._after_reload)
        document.graph_event.connect(self._grow_scene_rect)
        document.read_only_changed.connect(self._set_read_only)
        self._after_reload()

    # ---- public API ----------------------------------------------------------------------------
    @property
    def editor_scene(self) -> EditorScene:
        return self._scene

    def selected_nodes(self) -> list[str]:
        return self._scene.selected_node_ids()

    def select_node(self, node_id: str, reveal: bool = True) -> None:
        """Select one node; ``reveal`` scrolls to it (not after a drop: the user is looking at
        the spot, and the view must not move under the mouse)."""
        item = self._scene.nodes.get(node_id)
        if item is not None:
            self._scene.clearSelection()
            item.setSelected(True)
            if reveal:
                self.ensureVisible(item, 60, 60)

    def center_on_node(self, node_id: str) -> None:
        item = self._scene.nodes.get(node_id)
        if item is not None:
            self.centerOn(item)

    def fit_all(self) -> None:
        rect = self._scene.nodes_rect()
        if rect.isNull():
            self.resetTransform()
            self.centerOn(0, 0)
            return
        margin = FRAME_MARGIN
        self.fitInView(
            rect.adjusted(-margin, -margin, margin, margin), Qt.AspectRatioMode.KeepAspectRatio
        )
        self._clamp_zoom(min(self.zoom(), 1.0))  # a small graph is not blown up past 100 %

    def frame_graph(self) -> None:
        """How a graph first shows (opened, laid out): all of it when that is readable, else
        its start -- the Input -- at READABLE_ZOOM, with as much of what follows as fits."""
        self.fit_all()
        rect = self._scene.nodes_rect()
        if rect.isNull() or self.zoom() >= READABLE_ZOOM - 1e-6:
            return
        self._clamp_zoom(READABLE_ZOOM)
        start = self._start_rect() or rect
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        margin = FRAME_MARGIN
        x = start.left() - margin + shown.width() / 2
        if rect.height() + 2 * margin <= shown.height():
            y = rect.center().y()
        else:  # as much below the start as fits, never empty space above the graph
            y = max(start.center().y(), rect.top() - margin + shown.height() / 2)
        self.centerOn(x, y)

    def _start_rect(self) -> QRectF | None:
        """Where the graph starts: its first Input node."""
        for node in self.document.graph.nodes:
            if node.type == "Input" and node.id in self._scene.nodes:
                return self._scene.nodes[node.id].sceneBoundingRect()
        return None

    def auto_layout(self) -> None:
        """Lay the graph out left to right by data flow (one undo step), then frame it; a long
        graph wraps into rows as wide as the view shows at a readable zoom."""
        width = self.viewport().width() / READABLE_ZOOM - 2 * FRAME_MARGIN
        graph = self.document.graph
        self.document.apply_layout(layered_positions(graph, max_width=max(width, 0.0)))
        self.frame_graph()

    def open_quick_add(self, at: QPoint | None = None, wire: WireResult | None = None) -> None:
        """Show the add-layer search at ``at`` (viewport coordinates; default: the cursor)."""
        if self.document.read_only:
            return
        if at is None:
            at = self.viewport().mapFromGlobal(QCursor.pos())
            if not self.viewport().rect().contains(at):
                at = self.viewport().rect().center()
        self._pending = (self.mapToScene(at), wire)
        self.quick_add.popup(at, self._offers(wire))

    def _offers(self, wire: WireResult | None):
        """What quick-add lists: every layer, or those that fit the loose end of a wire (for an
        output, only layers whose shape rule takes its tensor)."""
        if wire is None:
            return None
        if not wire.from_output:
            return _gives_output
        outputs = self.document.inference.info(wire.node).outputs if wire.node else None
        if not outputs or wire.port >= len(outputs):
            return takes_input  # the tensor is not known yet: nothing to judge by
        fitting = layers_taking(outputs[wire.port])
        return lambda spec: spec.type in fitting

    def refresh_theme(self) -> None:
        """Call after theme.apply_theme: repaint the canvas in the new colours."""
        self._scene.restyle()
        self.resetCachedContent()
        self.viewport().update()

    def zoom(self) -> float:
        return self.transform().m11()

    # ---- document hooks ------------------------------------------------------------------------
    def _after_reload(self) -> None:
        self._scene.setSceneRect(
            self._scene.nodes_rect().adjusted(
                -SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN
            )
        )
        self.frame_graph()

    def _grow_scene_rect(self, ev) -> None:
        if ev.kind in (GraphEventKind.NODE_ADDED, GraphEventKind.NODE_MOVED):
            item = self._scene.nodes.get(ev.node)
            if item is not None:
                wanted = item.sceneBoundingRect().adjusted(
                    -SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN
                )
                if not self._scene.sceneRect().contains(wanted):
                    self._scene.setSceneRect(self._scene.sceneRect().united(wanted))

    def _emit_selection(self) -> None:
        self.selection_changed.emit(self._scene.selected_node_ids())

    def _set_read_only(self, read_only: bool) -> None:
        for item in self._scene.nodes.values():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, not read_only)

    # ---- painting and zoom ---------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt API
        draw_grid(painter, rect, self.zoom(), current_theme())

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        delta = event.angleDelta().y() or event.angleDelta().x()
        self._clamp_zoom(self.zoom() * 1.0015**delta)

    def _clamp_zoom(self, wanted: float) -> None:
        target = min(max(wanted, MIN_ZOOM), MAX_ZOOM)
        factor = target / self.zoom()
        if abs(factor - 1) > 1e-6:
            self.scale(factor, factor)

    # ---- mouse ---------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self.quick_add.isVisible():
            self.quick_add.close_popup()
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space
        ):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if button == Qt.MouseButton.LeftButton and not self.document.read_only:
            port = self._item_at(event.position().toPoint(), PortItem)
            if port is not None:
                self._wire = WireDrag(self._scene, port)
                return
        super().mousePressEvent(event)
        if button == Qt.MouseButton.LeftButton:
            self._press_pos = {
                i.node_id: i.pos() for i in self._scene.selectedItems() if isinstance(i, NodeItem)
            }

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        point = event.position().toPoint()
        if self._pan_from is not None:
            delta = point - self._pan_from
            self._pan_from = point
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            return
        if self._wire is not None:
            self._wire.move(self.mapToScene(point))
            return
        super().mouseMoveEvent(event)
        if self._press_pos and event.buttons() & Qt.MouseButton.LeftButton:
            self._scene.reroute(
                self._scene.nodes[n] for n in self._press_pos if n in self._scene.nodes
            )
            self._track_drop_target()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        point = event.position().toPoint()
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor
            )
            return
        if self._wire is not None:
            wire, self._wire = self._wire, None
            self._finish_wire(wire.finish(self.mapToScene(point)), point)
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self._press_pos:
            pressed, self._press_pos = self._press_pos, {}
            self._commit_move(pressed)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        point = event.position().toPoint()
        node = self._item_at(point, NodeItem)
        if node is not None:
            self.node_activated.emit(node.node_id)
            return
        if not self.items(point) and event.button() == Qt.MouseButton.LeftButton:
            self.open_quick_add(point)
            return
        super().mouseDoubleClickEvent(event)

    def _item_at(self, point: QPoint, kind: type) -> QGraphicsItem | None:
        """The topmost item of ``kind`` under a viewport point."""
        return next((i for i in self.items(point) if isinstance(i, kind)), None)

    # ---- gestures -> document ------------------------------------------------------------------
    def _finish_wire(self, result: WireResult | None, point: QPoint) -> None:
        if result is None:
            return
        try:
            if result.kind == "connect":
                self.document.connect(result.new)
            elif result.kind == "reconnect":
                self.document.reconnect(result.old, result.new)
            elif result.kind == "disconnect":
                self.document.disconnect(result.old)
            elif result.kind == "open_end":
                self.open_quick_add(point, result)
        except NodemlError:
            pass  # a refused wire simply does not appear; the graph stays as it was

    def _commit_move(self, pressed: dict[str, QPointF]) -> None:
        moved = {}
        for nid, before in pressed.items():
            item = self._scene.nodes.get(nid)
            if item is not None and item.pos() != before:
                moved[nid] = (item.pos().x(), item.pos().y())
        hot, self._hot_edge = self._hot_edge, None
        if hot is not None:
            hot.set_hot(False)
        if not moved:
            return
        if hot is not None and len(moved) == 1:
            self._insert_existing(next(iter(moved)), moved, hot.edge)
        else:
            self.document.move_nodes(moved)
        if self.document.read_only:  # refused: put the items back where the graph has them
            for nid in moved:
                pos = self.document.graph.node(nid).pos
                if pos is not None:
                    self._scene.nodes[nid].setPos(QPointF(*pos))

    def _insertable(self) -> str | None:
        """The one dragged node, when it is free of wires and has an input and an output."""
        if len(self._press_pos) != 1:
            return None
        nid = next(iter(self._press_pos))
        graph = self.document.graph
        spec = spec_for(graph, graph.node(nid).type)
        if spec is None or not takes_input(spec) or not spec.outputs:
            return None
        if graph.in_edges(nid) or graph.out_edges(nid):
            return None
        return nid

    def _track_drop_target(self) -> None:
        nid = self._insertable()
        hot = None
        if nid is not None:
            centre = self._scene.nodes[nid].sceneBoundingRect().center()
            hot = next((i for i in self._scene.items(centre) if isinstance(i, EdgeItem)), None)
        if hot is not self._hot_edge:
            if self._hot_edge is not None:
                self._hot_edge.set_hot(False)
            if hot is not None:
                hot.set_hot(True)
            self._hot_edge = hot

    def _insert_existing(self, nid: str, moved: dict, edge: Edge) -> None:
        """A free node dropped on a wire: splice it in and make room (one undo step)."""
        with self.document.macro(
            QCoreApplication.translate("Undo", "Insert {type}").format(type=nid)
        ):
            self.document.move_nodes(moved)
            self.document.reconnect(edge, Edge(edge.source, nid, edge.source_port, 0))
            self.document.connect(Edge(nid, edge.target, 0, edge.target_port))
            make_room(self._scene, self.document, nid, edge)

    def _quick_add_chosen(self, type_name: str) -> None:
        if self._pending is None:
            return
        (at, wire), self._pending = self._pending, None
        with self.document.macro(
            QCoreApplication.translate("Undo", "Add {type}").format(type=type_name)
        ):
            nid = self.document.add_node(type_name, centred_on(at))
            if wire is not None and wire.from_output:
                self.document.connect(Edge(wire.node, nid, wire.port, 0))
            elif wire is not None:
                self.document.connect(Edge(nid, wire.node, 0, wire.port))
        self.select_node(nid, reveal=False)
        self.setFocus()

    def _quick_add_cancelled(self) -> None:
        self._pending = None

    def _delete_selection(self) -> None:
        self.document.remove_nodes(self._scene.selected_node_ids(), self._scene.selected_edges())

    # ---- keyboard ------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Tab would move keyboard focus to the next widget; on the canvas it opens quick-add.
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab:
            self.open_quick_add()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key == Qt.Key.Key_F and not event.modifiers():
            self.fit_all()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._delete_selection()
        elif key == Qt.Key.Key_Escape:
            if self._wire is not None:
                self._wire.cancel()
                self._wire = None
            self._scene.clearSelection()
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        else:
            super().keyReleaseEvent(event)

    # ---- drops from the palette ----------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if droppable(event.mimeData()) and not self.document.read_only:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if droppable(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        mime = event.mimeData()
        if not droppable(mime):
            super().dropEvent(event)
            return
        point = event.position().toPoint()
        nid = drop_on_canvas(self, mime, self.mapToScene(point), self.items(point))
        if nid is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.select_node(nid, reveal=False)  # the view never moves on a drop


def _gives_output(spec: LayerSpec) -> bool:
    return bool(spec.outputs)


__all__ = ["BLOCK_FILE_MIME", "LAYER_MIME", "READABLE_ZOOM", "EditorView"]
