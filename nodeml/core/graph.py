"""The graph model: nodes and wires on a networkx MultiDiGraph, and the block definitions a graph
shares with its blocks' inner graphs. Graph, BlockTable and Block hold one another (a graph's
table holds blocks, a block holds its inner graph), so they live in one module."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from . import block_uses
from .block_params import BlockParam, block_spec
from .catalog import CATALOG, LayerSpec, get_spec
from .errors import GraphEditError, Problem
from .events import Signal
from .graph_parts import Edge, GraphEvent, GraphEventKind, Node
from .identifiers import block_name_problem, id_problem

__all__ = [
    "Block",
    "BlockTable",
    "Edge",
    "Graph",
    "GraphEvent",
    "GraphEventKind",
    "Node",
    "id_problem",
]


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
        self.changed.emit(GraphEvent(GraphEventKind.NODE_ADDED, node=node.id))
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
        self.changed.emit(GraphEvent(GraphEventKind.NODE_REMOVED, node=node_id))
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
        self.changed.emit(GraphEvent(GraphEventKind.EDGE_ADDED, node=edge.target, edge=edge))
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
        self.changed.emit(GraphEvent(GraphEventKind.EDGE_REMOVED, node=edge.target, edge=edge))

    def set_params(self, node_id: str, params: dict[str, Any]) -> None:
        """Replace a node's params wholesale (the inspector sends the full new dict)."""
        self.node(node_id).params = copy.deepcopy(params)
        self.changed.emit(GraphEvent(GraphEventKind.NODE_CHANGED, node=node_id))

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
        self.changed.emit(GraphEvent(GraphEventKind.NODE_CHANGED, node=node_id))

    def move(self, node_id: str, pos: tuple[float, float] | None) -> None:
        # kept as given (no float()): undoing a move restores the file's own numbers, so the
        # saved file is byte-identical again
        self.node(node_id).pos = None if pos is None else (pos[0], pos[1])
        self.changed.emit(GraphEvent(GraphEventKind.NODE_MOVED, node=node_id))

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
        self.changed.emit(GraphEvent(GraphEventKind.NODE_RENAMED, node=new, old_id=old))

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
        self.changed.emit(GraphEvent(GraphEventKind.SECTION_CHANGED, section=key))

    def set_name(self, name: str) -> None:
        self.name = name
        self.changed.emit(GraphEvent(GraphEventKind.GRAPH_CHANGED))

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
        self.changed.emit(GraphEvent(GraphEventKind.BLOCK_CHANGED, block=name))

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
        self.changed.emit(GraphEvent(GraphEventKind.GRAPH_CHANGED))

    def copy(self) -> Graph:
        g = Graph(self.name)
        g.replace_with(self)
        return g


@dataclass
class Block:
    """A block definition. ``graph`` holds the inner nodes and edges; ``inputs`` / ``outputs``
    are the ids of its inner Input / Output nodes in port order; ``extra`` keeps unknown keys."""

    name: str
    graph: Graph
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    params: dict[str, BlockParam] = field(default_factory=dict)
    doc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Block:
        """A deep copy whose inner graph is not attached to any block table yet."""
        inner = type(self.graph)(self.graph.name)
        inner.replace_with(self.graph, with_blocks=False)
        return Block(
            self.name,
            inner,
            list(self.inputs),
            list(self.outputs),
            {k: copy.deepcopy(v) for k, v in self.params.items()},
            self.doc,
            copy.deepcopy(self.extra),
        )

    def used_blocks(self) -> set[str]:
        """Types of inner nodes that are not catalog types (the blocks it uses, if defined)."""
        return {n.type for n in self.graph.nodes if n.type not in CATALOG}

    def spec(self, parametric: bool = False) -> LayerSpec:
        """The block as a node type: its ports, its params, how a use unpacks its outputs."""
        return block_spec(self.name, self.doc, self.params, self.inputs, self.outputs, parametric)


class BlockTable:
    """Block definitions by name, in file order.

    ``changed`` emits a block's name whenever its definition (inner graph, ports, params) changes
    or it is added, removed or renamed; every graph using this table turns that into a
    ``block_changed`` GraphEvent, so inference re-runs every use. ``revision`` counts those
    changes: inference caches key on it, so a stale inner result is never reused.
    """

    def __init__(self) -> None:
        self._blocks: dict[str, Block] = {}
        self._listeners: dict[int, Any] = {}
        self.changed: Signal[str] = Signal()
        self.revision = 0

    # ---- reading -------------------------------------------------------------------------
    def __contains__(self, name: object) -> bool:
        return name in self._blocks

    def __getitem__(self, name: str) -> Block:
        try:
            return self._blocks[name]
        except KeyError:
            raise GraphEditError(f"no block named {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._blocks))

    def __len__(self) -> int:
        return len(self._blocks)

    def get(self, name: str) -> Block | None:
        return self._blocks.get(name)

    @property
    def names(self) -> list[str]:
        return list(self._blocks)

    def values(self) -> list[Block]:
        return list(self._blocks.values())

    def spec(self, name: str) -> LayerSpec:
        """The block as a node type (ports, params); parametric when anything inside is."""
        return self[name].spec(parametric=self._parametric(name, set()))

    def _parametric(self, name: str, seen: set[str]) -> bool:
        seen.add(name)
        for node in self[name].graph.nodes:
            spec = get_spec(node.type)
            if spec is not None and spec.parametric:
                return True
            if spec is None and node.type in self._blocks and node.type not in seen:
                if self._parametric(node.type, seen):
                    return True
        return False

    def uses(self, name: str) -> set[str]:
        """The defined blocks that ``name``'s inner graph uses directly."""
        block = self._blocks.get(name)
        return set() if block is None else {b for b in block.used_blocks() if b in self._blocks}

    def users_of(self, name: str) -> set[str]:
        """Every block that uses ``name``, directly or through other blocks."""
        return block_uses.users_of(self.uses, self.names, name)

    def cycle_through(self, name: str) -> list[str] | None:
        """A chain of block uses from ``name`` back to itself, or None."""
        return block_uses.cycle_through(self.uses, name)

    def dependency_order(self, names: set[str] | None = None) -> list[str]:
        """Blocks (all, or ``names`` with everything they use) with used blocks first."""
        return block_uses.dependency_order(self.uses, self.names, names)

    def closure(self, names: set[str]) -> set[str]:
        """``names`` and every block they use, transitively."""
        return block_uses.closure(self.uses, self.names, names)

    # ---- editing -------------------------------------------------------------------------
    def add(self, block: Block, *, index: int | None = None) -> Block:
        """Define ``block`` (its inner graph starts following this table)."""
        problem = block_name_problem(block.name)
        if problem:
            raise GraphEditError(problem)
        if block.name in self._blocks:
            raise GraphEditError(f"a block named {block.name!r} already exists")
        items = list(self._blocks.items())
        at = len(items) if index is None else max(0, min(index, len(items)))
        items.insert(at, (block.name, block))
        self._blocks = dict(items)
        self._attach(block)
        self.touch(block.name)
        return block

    def remove(self, name: str) -> tuple[Block, int]:
        """Drop a definition; returns it and its index (what undo needs). Uses stay, unknown."""
        block = self[name]
        index = list(self._blocks).index(name)
        del self._blocks[name]
        self._detach(block)
        self.touch(name)
        return block, index

    def rename(self, old: str, new: str) -> None:
        """Rename a definition and the inner nodes of other blocks that use it."""
        if old == new:
            return
        problem = block_name_problem(new)
        if problem:
            raise GraphEditError(problem)
        if new in self._blocks:
            raise GraphEditError(f"a block named {new!r} already exists")
        block = self[old]
        block.name = new
        self._blocks = {(new if k == old else k): v for k, v in self._blocks.items()}
        for other in self._blocks.values():
            for node in other.graph.nodes:
                if node.type == old:
                    node.type = new
        self.touch(old)
        self.touch(new)

    def touch(self, name: str) -> None:
        """Announce that ``name``'s definition changed (after editing its ports or params)."""
        self.revision += 1
        self.changed.emit(name)

    def replace_with(self, other: BlockTable) -> None:
        """Take deep copies of ``other``'s definitions (a graph reload or copy)."""
        for block in self._blocks.values():
            self._detach(block)
        self._blocks = {}
        for name, block in other._blocks.items():
            mine = block.copy()
            self._blocks[name] = mine
            self._attach(mine)
        self.revision += 1

    # ---- inner graph events ----------------------------------------------------------------
    def _attach(self, block: Block) -> None:
        block.graph.use_blocks(self)

        def on_inner(ev: GraphEvent) -> None:
            # our own announcement, echoed by the inner graph
            if ev.kind is GraphEventKind.BLOCK_CHANGED:
                return
            self._follow_ports(block, ev)
            self.touch(block.name)

        self._listeners[id(block)] = on_inner
        block.graph.changed.connect(on_inner)

    def _detach(self, block: Block) -> None:
        listener = self._listeners.pop(id(block), None)
        if listener is not None:
            block.graph.changed.disconnect(listener)
        block.graph.use_blocks(BlockTable(), follow=False)

    @staticmethod
    def _follow_ports(block: Block, ev: GraphEvent) -> None:
        """Keep ``inputs`` / ``outputs`` true to the inner graph as it is edited."""
        if ev.kind is GraphEventKind.NODE_ADDED and ev.node is not None:
            kind = block.graph.node(ev.node).type
            ports = {"Input": block.inputs, "Output": block.outputs}.get(kind)
            if ports is not None and ev.node not in ports:
                ports.append(ev.node)
        elif ev.kind is GraphEventKind.NODE_REMOVED:
            for ports in (block.inputs, block.outputs):
                if ev.node in ports:
                    ports.remove(ev.node)
        elif ev.kind is GraphEventKind.NODE_RENAMED:
            for ports in (block.inputs, block.outputs):
                if ev.old_id in ports:
                    ports[ports.index(ev.old_id)] = ev.node
