"""The graph model: nodes and port-to-port edges on a networkx MultiDiGraph, emitting edit events."""

from __future__ import annotations

import copy
import keyword
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from torch import nn

from .blocks.table import BlockTable
from .errors import GraphEditError, Problem
from .events import Signal


@dataclass
class Node:
    """One node as the file holds it. ``extra`` keeps node keys nodeml does not know yet."""

    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Node:
        return Node(
            self.id, self.type, copy.deepcopy(self.params), self.pos, copy.deepcopy(self.extra)
        )


@dataclass(frozen=True, order=True)
class Edge:
    """A wire from ``source``'s output port to ``target``'s input port."""

    source: str
    target: str
    source_port: int = 0
    target_port: int = 0


@dataclass(frozen=True)
class GraphEvent:
    """What changed. ``kind``: node_added, node_removed, node_changed, node_renamed, node_moved,
    edge_added, edge_removed, section_changed (the top-level section ``section``, e.g.
    ``training``, changed: no shape does), graph_changed (name / wholesale reload), block_changed
    (the definition of block ``block`` changed, or it was added, removed or renamed: every use
    of it, and of blocks that use it, must be inferred again)."""

    kind: str
    node: str | None = None
    edge: Edge | None = None
    old_id: str | None = None
    block: str | None = None
    section: str | None = None


# Names a node id may not take: they would shadow nn.Module machinery once it is `self.<id>`.
# dir() of an instance, not the class: ``training`` and ``_modules`` are set in __init__.
_MODULE_ATTRS = frozenset(n for n in dir(nn.Module()) if not n.startswith("__"))


def id_problem(node_id: Any) -> str | None:
    """Why ``node_id`` cannot name a node (and so a submodule), or None when it can."""
    if not isinstance(node_id, str) or not node_id.isidentifier() or not node_id.isascii():
        return f"id {node_id!r} is not a Python identifier (letters, digits and _, not starting with a digit)"
    if keyword.iskeyword(node_id) or keyword.issoftkeyword(node_id):
        return f"id {node_id!r} is a Python keyword"
    if node_id.startswith("__"):
        return f"id {node_id!r} may not start with two underscores"
    if node_id in _MODULE_ATTRS:
        return f"id {node_id!r} clashes with the nn.Module attribute of that name"
    if node_id.startswith("nodeml_"):  # the compiled class carries nodeml_source and friends
        return f"id {node_id!r} may not start with nodeml_ (reserved for nodeml)"
    return None


class Graph:
    """A model graph. All edits go through these methods, which validate ids and emit ``changed``.

    Structure that may be wrong in a user's file (unknown types, bad params, cycles, dangling
    ports) is *allowed* here and reported by validation, so a broken file can still be opened and
    fixed; only ids are enforced, because everything downstream is keyed by them.
    """

    def __init__(self, name: str = "Model"):
        self.name = name
        self.extras: dict[str, Any] = {}  # unknown top-level keys of the file, in file order
        # wires a file held that could not be kept (to missing nodes, onto a taken port)
        self.load_problems: list[Problem] = []
        self._g = nx.MultiDiGraph()
        self.changed: Signal[GraphEvent] = Signal()
        # block definitions by name (nodeml.core.blocks); a block's inner graph shares its
        # file's table, so a block used inside a block resolves the same way at every level
        self.blocks = BlockTable()
        self._follows_blocks = True
        self.blocks.changed.connect(self._on_block_changed)

    # ---- reading -------------------------------------------------------------------------
    @property
    def nx(self) -> nx.MultiDiGraph:
        """The underlying networkx graph (read it; edit through Graph's methods)."""
        return self._g

    @property
    def nodes(self) -> list[Node]:
        return [data["node"] for _, data in self._g.nodes(data=True)]

    @property
    def node_ids(self) -> list[str]:
        return list(self._g.nodes)

    def node(self, node_id: str) -> Node:
        try:
            return self._g.nodes[node_id]["node"]
        except KeyError:
            raise GraphEditError(f"no node named {node_id!r}") from None

    def has_node(self, node_id: str) -> bool:
        return node_id in self._g

    @property
    def edges(self) -> list[Edge]:
        return [data["edge"] for _, _, data in self._g.edges(data=True)]

    def in_edges(self, node_id: str) -> list[Edge]:
        return sorted(
            (d["edge"] for _, _, d in self._g.in_edges(node_id, data=True)),
            key=lambda e: (e.target_port, e.source, e.source_port),
        )

    def out_edges(self, node_id: str) -> list[Edge]:
        return [d["edge"] for _, _, d in self._g.out_edges(node_id, data=True)]

    def __len__(self) -> int:
        return self._g.number_of_nodes()

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._g

    def unique_id(self, base: str) -> str:
        """A fresh id from ``base`` (``conv`` -> ``conv1``, ``conv2`` ...)."""
        stem = "".join(c if c.isalnum() or c == "_" else "_" for c in base.lower()) or "node"
        if not stem[0].isalpha():
            stem = "n_" + stem
        stem = stem.rstrip("0123456789") or stem
        i = 1
        while f"{stem}{i}" in self._g or id_problem(f"{stem}{i}"):
            i += 1
        return f"{stem}{i}"

    # ---- editing -------------------------------------------------------------------------
    def add_node(self, node: Node, *, index: int | None = None) -> Node:
        """Add ``node``; ``index`` puts it at a position in node order (undo of a delete)."""
        problem = id_problem(node.id)
        if problem:
            raise GraphEditError(problem)
        if node.id in self._g:
            raise GraphEditError(f"id {node.id!r} is already used by another node")
        if index is None or index >= len(self._g):
            self._g.add_node(node.id, node=node)
        else:
            self._reorder_insert(node, index)
        self.changed.emit(GraphEvent("node_added", node=node.id))
        return node

    def _reorder_insert(self, node: Node, index: int) -> None:
        items = list(self._g.nodes(data=True))
        edges = list(self._g.edges(keys=True, data=True))
        g = nx.MultiDiGraph()
        for i, (nid, data) in enumerate(items):
            if i == index:
                g.add_node(node.id, node=node)
            g.add_node(nid, **data)
        g.add_edges_from(edges)
        self._g = g

    def remove_node(self, node_id: str) -> tuple[Node, list[Edge], int]:
        """Remove a node and its wires; returns what undo needs to put them back."""
        node = self.node(node_id)
        index = self.node_ids.index(node_id)
        edges = [*self.in_edges(node_id), *self.out_edges(node_id)]
        for e in edges:
            self.disconnect(e)
        self._g.remove_node(node_id)
        self.changed.emit(GraphEvent("node_removed", node=node_id))
        return node, edges, index

    def connect(self, edge: Edge) -> Edge:
        """Add a wire. Ends must exist; a wire into an occupied input port is refused."""
        for end in (edge.source, edge.target):
            if end not in self._g:
                raise GraphEditError(f"cannot connect: no node named {end!r}")
        if edge.source_port < 0 or edge.target_port < 0:
            raise GraphEditError("port numbers start at 0")
        if any(e.target_port == edge.target_port for e in self.in_edges(edge.target)):
            raise GraphEditError(
                f"input {edge.target_port} of {edge.target} is already connected; "
                "disconnect it first"
            )
        self._add_edge(edge)
        self.changed.emit(GraphEvent("edge_added", node=edge.target, edge=edge))
        return edge

    def _add_edge(self, edge: Edge) -> None:
        self._g.add_edge(
            edge.source, edge.target, key=(edge.source_port, edge.target_port), edge=edge
        )

    def disconnect(self, edge: Edge) -> None:
        key = (edge.source_port, edge.target_port)
        if not self._g.has_edge(edge.source, edge.target, key=key):
            raise GraphEditError(f"no wire {edge.source} -> {edge.target} on those ports")
        self._g.remove_edge(edge.source, edge.target, key=key)
        self.changed.emit(GraphEvent("edge_removed", node=edge.target, edge=edge))

    def set_params(self, node_id: str, params: dict[str, Any]) -> None:
        """Replace a node's params wholesale (the inspector sends the full new dict)."""
        self.node(node_id).params = copy.deepcopy(params)
        self.changed.emit(GraphEvent("node_changed", node=node_id))

    def set_param(self, node_id: str, name: str, value: Any) -> None:
        """Set one param; ``value=None`` for a param with no null meaning removes it (default)."""
        params = dict(self.node(node_id).params)
        params[name] = value
        self.set_params(node_id, params)

    def unset_param(self, node_id: str, name: str) -> None:
        params = dict(self.node(node_id).params)
        params.pop(name, None)
        self.set_params(node_id, params)

    def set_extra(self, node_id: str, key: str, value: Any) -> None:
        """Set a node-level key outside params (e.g. ``trainable``); None removes it."""
        extra = self.node(node_id).extra
        if value is None:
            extra.pop(key, None)
        else:
            extra[key] = value
        self.changed.emit(GraphEvent("node_changed", node=node_id))

    def move(self, node_id: str, pos: tuple[float, float] | None) -> None:
        # kept as given (no float()): undoing a move restores the file's own numbers, so the
        # saved file is byte-identical again
        self.node(node_id).pos = None if pos is None else (pos[0], pos[1])
        self.changed.emit(GraphEvent("node_moved", node=node_id))

    def rename(self, old: str, new: str) -> None:
        """Give a node a new id, keeping its wires and its place in node order."""
        if old == new:
            return
        problem = id_problem(new)
        if problem:
            raise GraphEditError(problem)
        if new in self._g:
            raise GraphEditError(f"id {new!r} is already used by another node")
        node = self.node(old)
        node.id = new
        edges = list(self._g.edges(keys=True, data=True))
        g = nx.MultiDiGraph()
        for nid, data in self._g.nodes(data=True):
            g.add_node(new if nid == old else nid, **data)
        for *_, data in edges:
            e: Edge = data["edge"]
            e = Edge(
                new if e.source == old else e.source,
                new if e.target == old else e.target,
                e.source_port,
                e.target_port,
            )
            g.add_edge(e.source, e.target, key=(e.source_port, e.target_port), edge=e)
        self._g = g
        self.changed.emit(GraphEvent("node_renamed", node=new, old_id=old))

    def set_section(self, key: str, value: Any) -> None:
        """Set a top-level section kept beside the model (e.g. ``training``); None removes it.

        Emits ``section_changed``, which leaves inference alone: a training setting does not
        change a single shape, so nothing is recomputed."""
        if key in ("format", "version", "name", "nodes", "edges", "blocks"):
            raise GraphEditError(f"{key!r} is not a free section of the graph file")
        if value is None:
            self.extras.pop(key, None)
        else:
            self.extras[key] = copy.deepcopy(value)
        self.changed.emit(GraphEvent("section_changed", section=key))

    def set_name(self, name: str) -> None:
        self.name = name
        self.changed.emit(GraphEvent("graph_changed"))

    def use_blocks(self, table: BlockTable, *, follow: bool = True) -> None:
        """Resolve block types through ``table`` (a block's inner graph uses its file's table);
        ``follow`` re-emits the table's changes as block_changed events of this graph."""
        if self._follows_blocks:
            self.blocks.changed.disconnect(self._on_block_changed)
        self.blocks = table
        self._follows_blocks = follow
        if follow:
            table.changed.connect(self._on_block_changed)

    def _on_block_changed(self, name: str) -> None:
        self.changed.emit(GraphEvent("block_changed", block=name))

    def replace_with(self, other: Graph, *, with_blocks: bool = True) -> None:
        """Take over ``other``'s content in place (reload), keeping subscribers; ``with_blocks``
        copies the block definitions too (False for a block's inner graph)."""
        self.name = other.name
        if with_blocks:
            self.blocks.replace_with(other.blocks)
        self.extras = copy.deepcopy(other.extras)
        self.load_problems = list(other.load_problems)
        self._g = other._g.copy()
        for nid in self._g.nodes:
            self._g.nodes[nid]["node"] = self._g.nodes[nid]["node"].copy()
        self.changed.emit(GraphEvent("graph_changed"))

    def copy(self) -> Graph:
        g = Graph(self.name)
        g.replace_with(self)
        return g
