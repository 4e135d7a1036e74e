"""The canvas scene: mirrors a Document's graph as node and wire items, refreshed from inference."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtWidgets import QGraphicsScene

from ...core.blocks import spec_for
from ...core.compile.model_interface import standardized_input
from ...core.graph import Edge, GraphEvent, GraphEventKind
from ...core.layout import layered_positions
from ..document import Document
from .edge_item import EdgeItem
from .node_item import STANDARDIZED, NodeItem, node_look


class EditorScene(QGraphicsScene):
    """Items are created and removed from ``graph_event``; their numbers from ``inferred``.

    Only nodes whose inference result or node record changed are re-derived, so one param edit on
    a 1,000-node graph touches a handful of items.
    """

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[Edge, EdgeItem] = {}
        self._stale: set[str] = set()  # node records changed since the last refresh
        self._selected: set = set()
        self._building = False
        self._standardized: str | None = None  # the Input the model standardises, if any
        self.selectionChanged.connect(self._restyle_selection)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        document.graph_event.connect(self._on_graph_event)
        document.inferred.connect(self.refresh)
        self.rebuild()

    # ---- whole graph ---------------------------------------------------------------------------
    def rebuild(self) -> None:
        for edge_item in self.edges.values():
            edge_item.detach()
        self.clearSelection()  # while the items still exist: restyling reads them
        self._selected = set()
        self.clear()
        self.nodes.clear()
        self.edges.clear()
        graph = self.document.graph
        unplaced = [n.id for n in graph.nodes if n.pos is None]
        auto = layered_positions(graph) if unplaced else {}
        for node in graph.nodes:
            self._add_node(node.id, node.pos or auto.get(node.id, (0.0, 0.0)))
        self._building = True  # ports are synced once below, not per node
        try:
            self.refresh()
        finally:
            self._building = False
        for edge in graph.edges:
            self._add_edge(edge, sync=False)
        wired_in, wired_out = set(), set()
        for edge in graph.edges:
            wired_in.add((edge.target, edge.target_port))
            wired_out.add((edge.source, edge.source_port))
        for nid, item in self.nodes.items():
            for port in item.inputs:
                port.set_state(connected=(nid, port.index) in wired_in)
            for port in item.outputs:
                port.set_state(connected=(nid, port.index) in wired_out)

    def _matches_graph(self) -> bool:
        graph = self.document.graph
        return set(self.nodes) == set(graph.node_ids) and set(self.edges) == set(graph.edges)

    # ---- events --------------------------------------------------------------------------------
    def _on_graph_event(self, ev: GraphEvent) -> None:
        kind, graph = ev.kind, self.document.graph
        if kind is GraphEventKind.NODE_ADDED:
            node = graph.node(ev.node)
            self._add_node(ev.node, node.pos or (0.0, 0.0))
            self._refresh_node(ev.node)  # numbers follow with the next ``inferred``
        elif kind is GraphEventKind.NODE_REMOVED:
            item = self.nodes.pop(ev.node, None)
            if item is not None:
                self.removeItem(item)
            self._stale.discard(ev.node)
        elif kind is GraphEventKind.NODE_CHANGED:
            self._stale.add(ev.node)
        elif kind is GraphEventKind.NODE_MOVED:
            item, pos = self.nodes.get(ev.node), graph.node(ev.node).pos
            if item is not None and pos is not None and (item.pos().x(), item.pos().y()) != pos:
                item.setPos(QPointF(*pos))
                self.reroute([item])
        elif kind is GraphEventKind.NODE_RENAMED:
            self._rename(ev.old_id, ev.node)
        elif kind is GraphEventKind.EDGE_ADDED:
            self._add_edge(ev.edge)
            self._stale.add(ev.edge.target)  # a merge node grows a free port
        elif kind is GraphEventKind.EDGE_REMOVED:
            item = self.edges.pop(ev.edge, None)
            if item is not None:
                item.detach()
                self.removeItem(item)
            self._sync_ports(ev.edge.source)
            self._stale.add(ev.edge.target)
        elif kind is GraphEventKind.GRAPH_CHANGED and not self._matches_graph():
            self.rebuild()
        elif (
            kind is GraphEventKind.SECTION_CHANGED
        ):  # training settings decide the Input's standardisation
            self._stale.update(n.id for n in graph.nodes if n.type == "Input")

    def _add_node(self, node_id: str, pos: tuple[float, float]) -> NodeItem:
        item = NodeItem(node_id)
        item.setPos(QPointF(*pos))
        self.nodes[node_id] = item
        self.addItem(item)
        return item

    def _add_edge(self, edge: Edge, sync: bool = True) -> None:
        source, target = self.nodes.get(edge.source), self.nodes.get(edge.target)
        if source is None or target is None or edge in self.edges:
            return
        item = EdgeItem(edge, source, target)
        self.edges[edge] = item
        self.addItem(item)
        if sync:
            self._sync_ports(edge.source)
            self._sync_ports(edge.target)

    def _rename(self, old: str, new: str) -> None:
        item = self.nodes.pop(old, None)
        if item is None:
            return
        item.node_id = new
        self.nodes[new] = item
        for edge in [e for e in self.edges if old in (e.source, e.target)]:
            edge_item = self.edges.pop(edge)
            edge_item.detach()
            self.removeItem(edge_item)
        for edge in [*self.document.graph.in_edges(new), *self.document.graph.out_edges(new)]:
            self._add_edge(edge)
        self._stale.add(new)

    # ---- numbers -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-derive the looks of nodes whose inference or record changed since last time."""
        infos = self.document.inference.all()
        standardized = standardized_input(self.document.graph, self.document.inference)
        self._standardized = standardized.input if standardized is not None else None
        for nid, info in infos.items():
            item = self.nodes.get(nid)
            if item is not None and (
                item.info is not info or nid in self._stale or item.look is None
            ):
                self._refresh_node(nid, info)
        self._stale.clear()

    def _refresh_node(self, node_id: str, info=None) -> None:
        graph = self.document.graph
        node, item = graph.node(node_id), self.nodes[node_id]
        spec = spec_for(graph, node.type)
        wired = len(graph.in_edges(node_id))
        ports_before = item.look and (item.look.inputs, item.look.outputs)
        note = STANDARDIZED if node_id == self._standardized else ""
        item.present(node_look(node, spec, info, wired, note), info)
        if not self._building and ports_before != (item.look.inputs, item.look.outputs):
            self._sync_ports(node_id)

    def _sync_ports(self, node_id: str) -> None:
        """Mark which ports have wires (filled) and which are free (hollow)."""
        item = self.nodes.get(node_id)
        if item is None:
            return
        graph = self.document.graph
        wired_in = {e.target_port for e in graph.in_edges(node_id)}
        wired_out = {e.source_port for e in graph.out_edges(node_id)}
        for port in item.inputs:
            port.set_state(connected=port.index in wired_in)
        for port in item.outputs:
            port.set_state(connected=port.index in wired_out)

    # ---- queries -------------------------------------------------------------------------------
    def nodes_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edges(self) -> list[Edge]:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def reroute(self, items) -> None:
        """Wires follow nodes that moved (dragged, undone, laid out)."""
        for edge in {e for item in items for e in item.edges}:
            edge.reroute()

    def _restyle_selection(self) -> None:
        """Selected nodes come to the front; selected wires turn the accent colour."""
        now = set(self.selectedItems())
        # a wholesale reload (undo of a grouping) deletes items that were selected
        for item in (i for i in now ^ self._selected if shiboken6.isValid(i)):
            if isinstance(item, NodeItem):
                item.setZValue(2 if item in now else 1)
            elif isinstance(item, EdgeItem):
                item.restyle()
        self._selected = now

    def restyle(self) -> None:
        """The theme changed: ports and wires take the new colours, caches are redrawn."""
        for item in self.nodes.values():
            for port in (*item.inputs, *item.outputs):
                port.restyle()
            item.update()
        for edge in self.edges.values():
            edge.restyle()
