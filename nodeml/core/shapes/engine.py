"""Live inference of a graph: every node's NodeInfo, recomputed only where edits reach.

Results are cached per node and only the nodes an edit touches -- and their descendants, while
their outputs keep changing -- are recomputed. A block use runs the block's inner graph with the
use's tensors (see block_use), cached per block, params and inputs across the whole model.
"""

from __future__ import annotations

import difflib
import heapq
from typing import Any

import networkx as nx

from ..capacity import model_size_problem, node_size_problem
from ..catalog import CATALOG, LayerSpec, TensorInfo, get_spec
from ..errors import Problem
from ..graph import Block, Graph, GraphEvent, GraphEventKind, Node
from ..graph_parts import STRUCTURE_KINDS
from ..reach import compiled_infos, unused_problems
from .block_use import BlockRun, block_run, cycle_problem, substituted, use_info
from .node import MetaRun, NodeInfo, Totals, infer_node, resolve_params, values_key


class Inference:
    """Keeps every node's NodeInfo up to date with a Graph, recomputing only what edits touched."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._info: dict[str, NodeInfo] = {}
        self._dirty: set[str] = set(graph.node_ids)
        self._order: dict[str, int] | None = None
        self._cyclic: set[str] = set()
        self._cache: dict[tuple, MetaRun] = {}
        self._block_cache: dict[tuple, BlockRun] = {}  # block uses (see _infer_use)
        self.block_stack: tuple[str, ...] = ()  # the blocks being inferred around this graph
        graph.changed.connect(self._on_change)

    def close(self) -> None:
        self.graph.changed.disconnect(self._on_change)

    # ---- events ----------------------------------------------------------------------------
    def _on_change(self, ev: GraphEvent) -> None:
        kind = ev.kind
        if kind is GraphEventKind.NODE_MOVED:
            return
        if kind is GraphEventKind.BLOCK_CHANGED:
            affected = {ev.block} | self.graph.blocks.users_of(ev.block)
            self._dirty.update(n.id for n in self.graph.nodes if n.type in affected)
            return
        if kind in STRUCTURE_KINDS:
            self._order = None
        if kind is GraphEventKind.GRAPH_CHANGED:
            self._info.clear()
            self._dirty = set(self.graph.node_ids)
            self._order = None
            return
        if kind is GraphEventKind.NODE_REMOVED:
            self._info.pop(ev.node, None)
            self._dirty.discard(ev.node)
            return
        if kind is GraphEventKind.NODE_RENAMED:
            self._info.pop(ev.old_id, None)
            self._dirty.discard(ev.old_id)
            self._dirty.update(self.graph.nx.successors(ev.node))
        if ev.node is not None and ev.node in self.graph:
            self._dirty.add(ev.node)

    # ---- results ---------------------------------------------------------------------------
    def info(self, node_id: str) -> NodeInfo:
        self.update()
        return self._info[node_id]

    def all(self) -> dict[str, NodeInfo]:
        """Every node's info, in node order."""
        self.update()
        return {nid: self._info[nid] for nid in self.graph.node_ids}

    def graph_order(self) -> list[str]:
        """Node ids in data-flow order (topological; file order among equals; cycles last)."""
        return list(self._topo_order())

    def totals(self) -> Totals:
        """Counts of the compiled model: the nodes that reach an Output (all, before there is one)."""
        infos = compiled_infos(self.graph, self.all())
        return Totals(
            params=sum(i.params for i in infos),
            trainable=sum(i.trainable for i in infos),
            macs=sum(i.macs for i in infos),
            problems=len(self.problems()),
        )

    def problems(self) -> list[Problem]:
        """Every error of the graph (what stops it compiling): file-level, graph-level, then per
        node in node order. Warnings are apart, in ``warnings()``."""
        self.update()
        out = list(self.graph.load_problems)
        out.extend(self._graph_problems())
        for nid in self.graph.node_ids:
            out.extend(self._info[nid].problems)
        return out

    def warnings(self) -> list[Problem]:
        """What compiles but should be said: nodes that reach no Output (left out of the model).
        None while there are errors: a broken wire would list everything above it as unused."""
        return [] if self.problems() else unused_problems(self.graph)

    def _graph_problems(self) -> list[Problem]:
        types = [n.type for n in self.graph.nodes]
        out = []
        if "Input" not in types:
            out.append(Problem("no_input", "the graph has no Input node; add one for the data"))
        if "Output" not in types:
            out.append(
                Problem(
                    "no_output",
                    "the graph has no Output node; add one to mark what forward returns",
                )
            )
        infos = compiled_infos(self.graph, self._info)
        if not any(p.kind == "size" for i in infos for p in i.problems):  # else a node says so
            too_big = model_size_problem(sum(i.params for i in infos))
            if too_big is not None:
                out.append(too_big)
        return out

    # ---- recomputation ----------------------------------------------------------------------
    def update(self) -> None:
        if not self._dirty:
            return
        order = self._topo_order()
        heap = [(order[n], n) for n in self._dirty if n in order]
        heapq.heapify(heap)
        queued = set(self._dirty)
        self._dirty.clear()
        g = self.graph.nx
        while heap:
            _, nid = heapq.heappop(heap)
            queued.discard(nid)
            old = self._info.get(nid)
            new = self._compute(nid)
            self._info[nid] = new
            if old is None or old.outputs != new.outputs or self._hint_changed(nid, old, new):
                for succ in g.successors(nid):
                    if succ not in queued:
                        queued.add(succ)
                        heapq.heappush(heap, (order[succ], succ))

    def _hint_changed(self, nid: str, old: NodeInfo, new: NodeInfo) -> bool:
        """A Flatten's input shape appears in its successors' messages (see _describe_source)."""
        if old.inputs == new.inputs:
            return False
        spec = get_spec(self.graph.node(nid).type)
        return spec is not None and spec.input_note is not None

    def _topo_order(self) -> dict[str, int]:
        if self._order is not None:
            return self._order
        ordered = self._kahn_order()
        old_cyclic, self._cyclic = self._cyclic, set()
        if len(ordered) < len(self.graph):
            ordered = self._order_around_cycles()
        self._order = {n: i for i, n in enumerate(ordered)}
        # nodes that joined or left a cycle change their outputs; descendants follow from there
        self._dirty.update((old_cyclic ^ self._cyclic) & set(self._order))
        return self._order

    def _kahn_order(self) -> list[str]:
        """Topological order, ties broken by node order; stops short of any cycle (cheap)."""
        succ = self.graph.nx.succ
        ids = self.graph.node_ids
        position = {nid: i for i, nid in enumerate(ids)}
        indegree = dict.fromkeys(ids, 0)
        for nid in ids:
            for target, keyed in succ[nid].items():
                indegree[target] += len(keyed)
        heap = [(position[n], n) for n in ids if indegree[n] == 0]
        heapq.heapify(heap)
        ordered: list[str] = []
        while heap:
            _, nid = heapq.heappop(heap)
            ordered.append(nid)
            for target, keyed in succ[nid].items():
                indegree[target] -= len(keyed)
                if indegree[target] == 0:
                    heapq.heappush(heap, (position[target], target))
        return ordered

    def _order_around_cycles(self) -> list[str]:
        """The order when the graph has cycles: acyclic part first, then the nodes on cycles."""
        g = self.graph.nx
        for comp in nx.strongly_connected_components(g):
            if len(comp) > 1 or any(g.has_edge(n, n) for n in comp):
                self._cyclic |= comp
        acyclic = g.subgraph(n for n in g if n not in self._cyclic)
        position = {nid: i for i, nid in enumerate(self.graph.node_ids)}
        ordered = list(nx.lexicographical_topological_sort(acyclic, key=position.__getitem__))
        ordered.extend(n for n in self.graph.node_ids if n in self._cyclic)
        return ordered

    def _compute(self, nid: str) -> NodeInfo:
        info = self._infer(nid)
        too_big = node_size_problem(nid, info.params)  # refused before anything is allocated
        if too_big is not None:
            info.problems.append(too_big)
        return info

    def _infer(self, nid: str) -> NodeInfo:
        node = self.graph.node(nid)
        if nid in self._cyclic:
            cycle = self._cycle_through(nid)
            return NodeInfo(
                problems=[
                    Problem("cycle", f"is on a cycle: {cycle}; wires must flow one way", node=nid)
                ]
            )
        spec = get_spec(node.type)
        if spec is None and node.type in self.graph.blocks:
            return self._infer_use(node, self.graph.blocks[node.type])
        if spec is None:
            return NodeInfo(problems=[Problem("unknown_type", _unknown_type(node.type), node=nid)])
        inputs, problems = self._gather_inputs(node, spec)
        return infer_node(node, spec, inputs, problems, self._cache, self._describe_source(node))

    def _cycle_through(self, nid: str) -> str:
        try:
            edges = nx.find_cycle(self.graph.nx.subgraph(self._cyclic), source=nid)
        except nx.NetworkXNoCycle:  # pragma: no cover - nid is on a cycle by construction
            return nid
        names = [u for u, *_ in edges]
        return " -> ".join([*names, names[0]])

    def _gather_inputs(
        self, node: Node, spec: LayerSpec
    ) -> tuple[list[TensorInfo | None], list[Problem]]:
        """The tensors arriving at each input port; None where unknown (already reported)."""
        problems: list[Problem] = []
        edges = self.graph.in_edges(node.id)
        by_port = {e.target_port: e for e in edges}
        if spec.variadic:
            n = max(by_port, default=-1) + 1
            gaps = [p for p in range(n) if p not in by_port]
            for p in gaps:
                problems.append(
                    Problem(
                        "unconnected",
                        f"input {p} is empty but later inputs are wired; "
                        "wire inputs in order from 0",
                        node=node.id,
                        port=p,
                    )
                )
            if n < spec.min_inputs:
                problems.append(
                    Problem(
                        "unconnected",
                        f"{spec.type} needs at least {spec.min_inputs} inputs, "
                        f"{len(by_port)} connected",
                        node=node.id,
                    )
                )
            ports = range(n)
        else:
            for p in by_port:
                if p >= len(spec.inputs):
                    problems.append(
                        Problem(
                            "missing_port",
                            f"a wire from {by_port[p].source} goes to input {p}, but {spec.type} has "
                            f"{_count(len(spec.inputs), 'input')}",
                            node=node.id,
                            port=p,
                        )
                    )
            ports = range(len(spec.inputs))
        inputs: list[TensorInfo | None] = []
        for p in ports:
            edge = by_port.get(p)
            if edge is None:
                if not spec.variadic:
                    port = spec.inputs[p]
                    if port.optional:
                        inputs.append(
                            inputs[port.default_from] if port.default_from is not None else None
                        )
                        continue
                    problems.append(
                        Problem(
                            "unconnected",
                            f"input {p} ({port.name}) is not connected; wire something into it",
                            node=node.id,
                            port=p,
                        )
                    )
                inputs.append(None)
                continue
            src = self._info.get(edge.source)
            if src is None or src.outputs is None:
                inputs.append(None)
                continue
            if edge.source_port >= len(src.outputs):
                src_spec = get_spec(self.graph.node(edge.source).type)
                names = src_spec.outputs if src_spec else ()
                problems.append(
                    Problem(
                        "missing_port",
                        f"wired from output {edge.source_port} of {edge.source}, which has "
                        f"{_count(len(names), 'output')}"
                        + (f" ({', '.join(names)})" if names else ""),
                        node=node.id,
                        port=p,
                    )
                )
                inputs.append(None)
                continue
            inputs.append(src.outputs[edge.source_port])
        return inputs, problems

    def _describe_source(self, node: Node) -> str:
        """Extra words for a mismatch message: '(shape [16, 6, 6] flattened)' after a Flatten."""
        edges = self.graph.in_edges(node.id)
        if not edges:
            return ""
        src = self.graph.node(edges[0].source)
        spec = get_spec(src.type)
        before = self._info.get(src.id)
        if spec is None or spec.input_note is None or before is None or not before.inputs:
            return ""
        return f" ({spec.input_note(before.inputs[0])})"

    # ---- block uses -------------------------------------------------------------------------
    def _infer_use(self, node: Node, block: Block) -> NodeInfo:
        """A use of ``block``: its inner graph run with this node's tensors and params."""
        table = self.graph.blocks
        cycle = table.cycle_through(block.name)
        if cycle or block.name in self.block_stack:
            chain = cycle or [*self.block_stack, block.name]
            return NodeInfo(problems=[cycle_problem(node, block, chain)])
        spec = block.spec()
        inputs, problems = self._gather_inputs(node, spec)
        values = resolve_params(node, spec, inputs, problems)
        ready = [i for i in inputs if i is not None]
        info = NodeInfo(values=values, problems=problems, inputs=ready)
        if problems or len(ready) < len(inputs):
            return info
        key = (block.name, table.revision, values_key(values), tuple(inputs))
        run = self._block_cache.get(key)
        if run is None:
            run = self._block_cache[key] = self._run_block(block, values, ready)
        return use_info(node, block, info, run)

    def _run_block(
        self, block: Block, values: dict[str, Any], inputs: list[TensorInfo]
    ) -> BlockRun:
        graph, problems = substituted(block, values)
        graph.use_blocks(self.graph.blocks, follow=False)
        inner = _UseInference(graph, block, dict(zip(block.inputs, inputs, strict=True)), self)
        try:
            infos = inner.all()
            problems += inner.problems()
        finally:
            inner.close()
        return block_run(block, graph, infos, problems)


class _UseInference(Inference):
    """Inference of a substituted inner graph whose Input nodes carry the caller's tensors;
    one cache for the whole model, at every nesting level."""

    def __init__(self, graph: Graph, block: Block, feeds: dict[str, TensorInfo], parent: Inference):
        super().__init__(graph)
        self._block = block
        self._feeds = feeds
        self._cache = parent._cache
        self._block_cache = parent._block_cache
        self.block_stack = (*parent.block_stack, block.name)

    def _compute(self, nid: str) -> NodeInfo:
        feed = self._feeds.get(nid)
        if feed is not None and nid not in self._cyclic:
            return NodeInfo(outputs=[feed])
        return super()._compute(nid)

    def _graph_problems(self) -> list[Problem]:
        if not self._block.outputs:
            return [
                Problem(
                    "no_output",
                    f"block {self._block.name} has no Output node; add one for what it returns",
                )
            ]
        return []


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _unknown_type(type_name: str) -> str:
    close = difflib.get_close_matches(type_name, list(CATALOG), n=1, cutoff=0.6)
    hint = (
        f"; did you mean {close[0]}?" if close else "; see the palette for the types nodeml knows"
    )
    return f"unknown node type {type_name!r}{hint}"
