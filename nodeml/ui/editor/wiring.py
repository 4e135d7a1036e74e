"""Drawing a wire with the mouse: the live curve, the ports it may land on, and what release means."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsPathItem

from ...core.graph import Edge
from ..theme import current_theme
from .edge_item import wire_path
from .node_item import NodeItem
from .port_item import PortItem

SNAP = 18.0  # how close (scene units) the cursor must come to a port to land on it


@dataclass(frozen=True)
class WireResult:
    """What a released wire asks the document to do.

    ``kind``: connect (``new``), reconnect (``old`` -> ``new``), disconnect (``old``), or
    ``open_end``: released on empty canvas from a free port (``node``/``port``/``from_output``).
    """

    kind: str
    new: Edge | None = None
    old: Edge | None = None
    node: str = ""
    port: int = 0
    from_output: bool = True


class WireDrag:
    """Started on a port press. From a wired input port it picks up that wire's loose end."""

    def __init__(self, scene, port: PortItem):
        self.scene = scene
        graph = scene.document.graph
        self.old: Edge | None = None
        if not port.is_output:
            held = [e for e in graph.in_edges(port.node_id) if e.target_port == port.index]
            if held:
                self.old = held[0]
                port = scene.nodes[self.old.source].port(True, self.old.source_port) or port
                scene.edges[self.old].setVisible(False)
        self.anchor = port
        self.from_output = port.is_output
        self.candidates = self._compatible(graph.nx)
        for p in self.candidates:
            p.set_state(highlighted=True)
        self.temp = QGraphicsPathItem()
        pen = QPen(current_theme().accent, 2.2, Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.temp.setPen(pen)
        self.temp.setZValue(5)
        scene.addItem(self.temp)
        self.move(port.anchor())

    def _compatible(self, g: nx.MultiDiGraph) -> list[PortItem]:
        """Ports on other nodes that this wire can reach without making a cycle."""
        me = self.anchor.node_id
        if self.from_output:
            banned = nx.ancestors(g, me) | {me}
            return [
                p
                for nid, item in self.scene.nodes.items()
                if nid not in banned
                for p in item.inputs
            ]
        banned = nx.descendants(g, me) | {me}
        return [
            p for nid, item in self.scene.nodes.items() if nid not in banned for p in item.outputs
        ]

    def port_at(self, pos: QPointF) -> PortItem | None:
        """The candidate port under or near the cursor; over a node's body, its first free one."""
        near = QRectF(pos.x() - SNAP, pos.y() - SNAP, 2 * SNAP, 2 * SNAP)
        allowed = set(map(id, self.candidates))
        best, best_d = None, SNAP * SNAP * 2
        for item in self.scene.items(near):
            if isinstance(item, PortItem) and id(item) in allowed:
                d = (item.anchor() - pos).manhattanLength() ** 2
                if d < best_d:
                    best, best_d = item, d
        if best is not None:
            return best
        for item in self.scene.items(pos):
            if isinstance(item, NodeItem):
                ports = [
                    p
                    for p in (item.outputs if not self.from_output else item.inputs)
                    if id(p) in allowed
                ]
                free = [p for p in ports if not p.connected]
                return (free or ports or [None])[0]
        return None

    def move(self, pos: QPointF) -> None:
        target = self.port_at(pos)
        end = target.anchor() if target is not None else pos
        start = self.anchor.anchor()
        path = wire_path(start, end) if self.from_output else wire_path(end, start)
        self.temp.setPath(path)

    def finish(self, pos: QPointF) -> WireResult | None:
        target = self.port_at(pos)
        self.cancel()
        a = self.anchor
        if target is None:
            if self.old is not None:
                return WireResult("disconnect", old=self.old)
            return WireResult(
                "open_end", node=a.node_id, port=a.index, from_output=self.from_output
            )
        if self.from_output:
            new = Edge(a.node_id, target.node_id, a.index, target.index)
        else:
            new = Edge(target.node_id, a.node_id, target.index, a.index)
        if self.old is not None:
            return None if new == self.old else WireResult("reconnect", new=new, old=self.old)
        return WireResult("connect", new=new)

    def cancel(self) -> None:
        for p in self.candidates:
            p.set_state(highlighted=False)
        if self.temp.scene() is not None:
            self.scene.removeItem(self.temp)
        if self.old is not None and self.old in self.scene.edges:
            self.scene.edges[self.old].setVisible(True)
