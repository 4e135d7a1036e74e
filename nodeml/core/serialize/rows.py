"""Node and edge rows, as a graph file and a block definition both hold them: read with full
checking into a Graph, written one compact row per line."""

from __future__ import annotations

import json
from typing import Any

from ..errors import GraphFormatError, Problem
from ..graph import Edge, Graph, Node, id_problem

_NODE_KEYS = ("id", "type", "params", "pos")


def fill_graph(graph: Graph, nodes: list[Any], edges: list[Any]) -> None:
    """Add a file's nodes and edges to ``graph`` (also a block's inner graph). Raises
    GraphFormatError for unreadable nodes; wires that cannot be kept go to load_problems."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(nodes):
        node = _read_node(raw, i, problems)
        if node is None:
            continue
        if node.id in seen:
            problems.append(
                Problem(
                    "duplicate_id",
                    f"id is used by nodes {seen[node.id]} and {i}; every node needs its own id",
                    node=node.id,
                )
            )
            continue
        seen[node.id] = i
        graph.add_node(node)
    if problems:
        raise GraphFormatError(problems)

    graph.load_problems = []
    for i, raw in enumerate(edges):
        edge = _read_edge(raw, i, problems)
        if edge is None:
            continue
        missing = [end for end in (edge.source, edge.target) if end not in graph]
        if missing:
            graph.load_problems.append(
                Problem(
                    "missing_node",
                    f"edge {i} ({edge.source} -> {edge.target}) refers to {', '.join(missing)}, "
                    "which is not a node; the wire was dropped",
                    node=edge.target if edge.target in graph else None,
                )
            )
            continue
        if any(e.target_port == edge.target_port for e in graph.in_edges(edge.target)):
            graph.load_problems.append(
                Problem(
                    "port_taken",
                    f"input {edge.target_port} has two wires (from {edge.source} too); "
                    "the second was dropped",
                    node=edge.target,
                    port=edge.target_port,
                )
            )
            continue
        graph._add_edge(edge)
    if problems:
        raise GraphFormatError(problems)


def _read_node(raw: Any, i: int, problems: list[Problem]) -> Node | None:
    if not isinstance(raw, dict):
        problems.append(Problem("format", f"nodes[{i}] must be an object"))
        return None
    node_id, type_name = raw.get("id"), raw.get("type")
    label = node_id if isinstance(node_id, str) else f"nodes[{i}]"
    bad = id_problem(node_id)
    if bad:
        problems.append(Problem("bad_id", f"nodes[{i}]: {bad}"))
        return None
    if not isinstance(type_name, str) or not type_name:
        problems.append(Problem("format", "type must be a non-empty string", node=label))
        return None
    params = raw.get("params", {})
    if not isinstance(params, dict):
        problems.append(Problem("format", "params must be an object", node=label))
        return None
    pos = raw.get("pos")
    if pos is not None:
        if not (
            isinstance(pos, list)
            and len(pos) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos)
        ):
            problems.append(Problem("format", "pos must be [x, y]", node=label))
            return None
        pos = (pos[0], pos[1])
    extra = {k: v for k, v in raw.items() if k not in _NODE_KEYS}
    return Node(node_id, type_name, params, pos, extra)


def _read_edge(raw: Any, i: int, problems: list[Problem]) -> Edge | None:
    if not isinstance(raw, dict):
        problems.append(Problem("format", f"edges[{i}] must be an object"))
        return None
    source, target = raw.get("source"), raw.get("target")
    sp, tp = raw.get("source_port", 0), raw.get("target_port", 0)
    if not isinstance(source, str) or not isinstance(target, str):
        problems.append(Problem("format", f"edges[{i}] needs string source and target"))
        return None
    for port in (sp, tp):
        if not isinstance(port, int) or isinstance(port, bool) or port < 0:
            problems.append(Problem("format", f"edges[{i}]: ports are whole numbers from 0"))
            return None
    return Edge(source, target, sp, tp)


def node_to_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "type": node.type}
    if node.params:
        out["params"] = node.params
    if node.pos is not None:
        # 220.0 and 220 are the same place: write whole numbers as ints so a move and its undo
        # leave the file byte-identical
        out["pos"] = [int(v) if float(v).is_integer() else v for v in node.pos]
    out.update(node.extra)
    return out


def edge_to_dict(edge: Edge) -> dict[str, Any]:
    out: dict[str, Any] = {"source": edge.source, "target": edge.target}
    if edge.source_port:
        out["source_port"] = edge.source_port
    if edge.target_port:
        out["target_port"] = edge.target_port
    return out


def edges_in_order(graph: Graph) -> list[Edge]:
    order = {nid: i for i, nid in enumerate(graph.node_ids)}
    return sorted(
        graph.edges, key=lambda e: (order[e.target], e.target_port, order[e.source], e.source_port)
    )


def rows_json(rows: list[Any], indent: str) -> str:
    """A list written one compact item per line, closed at ``indent``."""
    body = ",\n".join(f"{indent}  {compact(v)}" for v in rows)
    return "[\n" + body + "\n" + indent + "]"


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
