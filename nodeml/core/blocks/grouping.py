"""Group selected nodes into a new block (wires that cross the selection become its ports), and
the inverse: ungroup a use back into plain nodes."""

from __future__ import annotations

from typing import Any

from ..errors import GraphEditError
from ..graph import Block, Edge, Graph, Node
from ..identifiers import block_name_problem, id_problem
from ..shapes.block_use import substituted

_STEP = 220.0  # the canvas lays nodes out about this far apart


def group_into_block(
    graph: Graph, node_ids: list[str], block_name: str, use_id: str | None = None
) -> str:
    """Move ``node_ids`` into a new block ``block_name`` and put one use of it in their place;
    returns the use's id. One block input per distinct (source, port) wired into the selection
    from outside, one output per distinct (node, port) of the selection read outside, in node
    order. Node ids are kept inside the block, so weights ``conv1.weight`` become
    ``<use>.conv1.weight``; the model computes the same function with the same parameters.
    Undo with ``restore(graph, snapshot)`` taken before (or ``ungroup``)."""
    selected = _check_selection(graph, node_ids, block_name)
    order = {nid: i for i, nid in enumerate(graph.node_ids)}
    crossing_in = sorted(
        (e for nid in selected for e in graph.in_edges(nid) if e.source not in selected),
        key=lambda e: (order[e.target], e.target_port),
    )
    crossing_out = sorted(
        (e for nid in selected for e in graph.out_edges(nid) if e.target not in selected),
        key=lambda e: (order[e.source], e.source_port, order[e.target], e.target_port),
    )
    sources = list(dict.fromkeys((e.source, e.source_port) for e in crossing_in))
    results = list(dict.fromkeys((e.source, e.source_port) for e in crossing_out))

    inner = Graph(block_name)
    for nid in selected:
        inner.add_node(graph.node(nid).copy())
    for nid in selected:
        for e in graph.in_edges(nid):
            if e.source in selected:
                inner.connect(e)
    xs = [n.pos for n in (graph.node(i) for i in selected) if n.pos is not None]
    left = min((p[0] for p in xs), default=0.0) - _STEP
    right = max((p[0] for p in xs), default=0.0) + _STEP
    middle = sum(p[1] for p in xs) / len(xs) if xs else 0.0
    inputs = _ports(inner, "x", "Input", len(sources), left, middle)
    outputs = _ports(inner, "out", "Output", len(results), right, middle)
    for e in crossing_in:
        k = sources.index((e.source, e.source_port))
        inner.connect(Edge(inputs[k], e.target, 0, e.target_port))
    for j, (src, port) in enumerate(results):
        inner.connect(Edge(src, outputs[j], port, 0))

    index = min(order[nid] for nid in selected)
    centre = (
        (sum(p[0] for p in xs) / len(xs), middle) if xs else None
    )  # the use sits where the group was
    for nid in selected:
        graph.remove_node(nid)
    graph.blocks.add(Block(block_name, inner, inputs, outputs))
    use = use_id or graph.unique_id(block_name)
    graph.add_node(Node(use, block_name, pos=centre), index=index)
    for k, (src, port) in enumerate(sources):
        graph.connect(Edge(src, use, port, k))
    for e in crossing_out:
        j = results.index((e.source, e.source_port))
        graph.connect(Edge(use, e.target, j, e.target_port))
    return use


def _check_selection(graph: Graph, node_ids: list[str], block_name: str) -> list[str]:
    if not node_ids:
        raise GraphEditError("select the nodes to group into a block")
    for nid in node_ids:
        node = graph.node(nid)  # raises for an unknown id
        if node.type in ("Input", "Output"):
            raise GraphEditError(
                f"{nid} is the model's {node.type}; group the nodes between Input and Output"
            )
    problem = block_name_problem(block_name)
    if problem:
        raise GraphEditError(problem)
    if block_name in graph.blocks:
        raise GraphEditError(f"a block named {block_name!r} already exists")
    chosen = set(node_ids)
    return [nid for nid in graph.node_ids if nid in chosen]


def _ports(inner: Graph, stem: str, kind: str, n: int, x: float, y: float) -> list[str]:
    ids = []
    for k in range(n):
        nid = stem if n == 1 and stem not in inner else inner.unique_id(stem)
        inner.add_node(Node(nid, kind, pos=(x, y + (k - (n - 1) / 2) * 140)))
        ids.append(nid)
    return ids


def ungroup(graph: Graph, use_id: str) -> list[str]:
    """Replace a block use by a copy of the block's nodes (block params filled in), wired as
    the use was; returns their ids. An inner id taken in ``graph`` becomes ``<use>_<id>``. The
    definition stays (remove_block drops it). Undo with a snapshot taken before."""
    use = graph.node(use_id)
    if use.type not in graph.blocks:
        raise GraphEditError(f"{use_id} is not a block use")
    block = graph.blocks[use.type]
    values = _param_values(block, use)
    inner, _ = substituted(block, values)
    ports = set(block.inputs) | set(block.outputs)
    body = [n for n in inner.nodes if n.id not in ports and n.type not in ("Input", "Output")]
    fed = {e.target_port: (e.source, e.source_port) for e in graph.in_edges(use_id)}
    readers = graph.out_edges(use_id)
    index = graph.node_ids.index(use_id)
    graph.remove_node(use_id)

    names: dict[str, str] = {}
    for n in body:
        names[n.id] = _free_id(graph, n.id, use_id)
    shift = _shift(body, use.pos)
    for i, n in enumerate(body):
        pos = None if n.pos is None or shift is None else (n.pos[0] + shift[0], n.pos[1] + shift[1])
        graph.add_node(Node(names[n.id], n.type, n.params, pos, n.extra), index=index + i)

    def outer_source(source: str, port: int) -> tuple[str, int] | None:
        if source in block.inputs:
            return fed.get(block.inputs.index(source))
        return (names[source], port) if source in names else None

    for e in inner.edges:
        if e.target not in names:
            continue
        src = outer_source(e.source, e.source_port)
        if src is not None:
            graph.connect(Edge(src[0], names[e.target], src[1], e.target_port))
    for e in readers:
        (wire,) = inner.in_edges(block.outputs[e.source_port]) or (None,)
        src = None if wire is None else outer_source(wire.source, wire.source_port)
        if src is not None:
            graph.connect(Edge(src[0], e.target, src[1], e.target_port))
    return [names[n.id] for n in body]


def _free_id(graph: Graph, nid: str, use_id: str) -> str:
    if nid not in graph:
        return nid
    prefixed = f"{use_id}_{nid}"
    if prefixed not in graph and id_problem(prefixed) is None:
        return prefixed
    return graph.unique_id(prefixed)


def _param_values(block: Block, use: Node) -> dict[str, Any]:
    values = {}
    for name, p in block.params.items():
        if name in use.params:
            values[name] = use.params[name]
        elif p.spec().initial_value() is not None:
            values[name] = p.spec().initial_value()
    return values


def _shift(body: list[Node], at: tuple[float, float] | None) -> tuple[float, float] | None:
    placed = [n.pos for n in body if n.pos is not None]
    if at is None or not placed:
        return None
    cx = sum(p[0] for p in placed) / len(placed)
    cy = sum(p[1] for p in placed) / len(placed)
    return (at[0] - cx, at[1] - cy)
