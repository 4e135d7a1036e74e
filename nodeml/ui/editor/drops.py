"""What lands on the canvas: palette layers and library blocks dropped on it, and a node put on a
wire, which makes room for itself by pushing what follows along the wire's direction."""

from __future__ import annotations

import networkx as nx
from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, QRectF

from ...core.blocks import load_library_block, spec_for
from ...core.compatibility import takes_input
from ...core.errors import NodemlError
from ...core.graph import Edge
from ...core.layout import room_for_insert
from ..document import Document
from .edge_item import EdgeItem
from .node_item import CARD_WIDTH, PORT_Y, NodeItem
from .scene import EditorScene

LAYER_MIME = "application/x-nodeml-layer"
BLOCK_FILE_MIME = "application/x-nodeml-block-file"  # a block library file's path


def droppable(mime: QMimeData) -> bool:
    return mime.hasFormat(LAYER_MIME) or mime.hasFormat(BLOCK_FILE_MIME)


def centred_on(at: QPointF) -> tuple[float, float]:
    """The position that puts a new node under the cursor: centred across, its port line (where
    single ports and the wires into them sit) on the cursor's height, so a node dropped on a
    wire sits on it."""
    return (at.x() - CARD_WIDTH / 2, at.y() - PORT_Y)


def drop_on_canvas(view, mime: QMimeData, at: QPointF, under: list) -> str | None:
    """Add what ``mime`` carries at scene point ``at``; on a wire (``under`` the cursor) a layer
    is spliced in. Returns the new node's id, None when refused."""
    document: Document = view.document
    if mime.hasFormat(BLOCK_FILE_MIME):
        path = bytes(mime.data(BLOCK_FILE_MIME)).decode()
        try:
            return document.add_library_block(load_library_block(path), centred_on(at))
        except NodemlError:
            return None
    type_name = bytes(mime.data(LAYER_MIME)).decode()
    edge = under[0].edge if under and isinstance(under[0], EdgeItem) else None
    spec = spec_for(document.graph, type_name)
    try:
        if edge is not None and spec is not None and takes_input(spec) and spec.outputs:
            with document.macro(
                QCoreApplication.translate("Undo", "Insert {type}").format(type=type_name)
            ):
                nid = document.insert_on_edge(type_name, edge, centred_on(at))
                make_room(view.editor_scene, document, nid, edge)
            return nid
        return document.add_node(type_name, centred_on(at))
    except NodemlError:
        return None


def _body(item: NodeItem) -> tuple[float, float, float, float]:
    rect: QRectF = item.mapRectToScene(item.shape().boundingRect())
    return (rect.x(), rect.y(), rect.width(), rect.height())


def make_room(scene: EditorScene, document: Document, nid: str, edge: Edge) -> None:
    """``nid`` was just put on ``edge`` (source -> nid -> target): move it clear of the source
    and push the target and everything after it along the wire until they clear it. Call inside
    the insert's macro, so the insert and the room it made are one undo step."""
    items = scene.nodes
    if not {nid, edge.source, edge.target} <= items.keys():
        return
    out = items[edge.source].port(True, edge.source_port)
    into = items[edge.target].port(False, edge.target_port)
    wire = None
    if out is not None and into is not None:  # the wire's own direction, port to port
        start, end = out.anchor(), into.anchor()
        wire = (end.x() - start.x(), end.y() - start.y())
    (nx_, ny), (tx, ty) = room_for_insert(
        _body(items[nid]), _body(items[edge.source]), _body(items[edge.target]), wire
    )
    moves: dict[str, tuple[float, float]] = {}
    if nx_ or ny:
        moves[nid] = (items[nid].x() + nx_, items[nid].y() + ny)
    if tx or ty:
        after = {edge.target} | nx.descendants(document.graph.nx, edge.target)
        for other in after - {nid}:
            moves[other] = (items[other].x() + tx, items[other].y() + ty)
    if moves:
        document.move_nodes(moves, text=QCoreApplication.translate("Undo", "Make room"))
