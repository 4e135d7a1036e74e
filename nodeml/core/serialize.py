"""Graph files, format ``nodeml.graph`` version 1: read with full checking, write canonically and atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import GraphFormatError, Problem
from .fileio import atomic_write_text
from .graph import Edge, Graph, Node, id_problem

FORMAT = "nodeml.graph"
VERSION = 1
_TOP_KEYS = ("format", "version", "name", "nodes", "edges", "blocks")
_NODE_KEYS = ("id", "type", "params", "pos")
_EDGE_KEYS = ("source", "target", "source_port", "target_port")
# a graph file nests about eight levels (blocks -> nodes -> params -> lists); far deeper is a
# malformed or hostile file, refused before code that walks it recursively can fail
MAX_DEPTH = 100


def load_graph(path: str | os.PathLike[str]) -> Graph:
    """Read a graph file. Raises GraphFormatError naming every defect that stops loading."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphFormatError(f"cannot read {path}: {exc}") from None
    return graph_from_json(text, source=str(path))


def graph_from_json(text: str, source: str = "<string>") -> Graph:
    try:
        data = parse_json(text, "graph file")
    except JsonDepthError as exc:
        raise GraphFormatError(f"{source}: {exc}") from None
    except ValueError as exc:
        raise GraphFormatError(f"{source} is not valid JSON: {exc}") from None
    return graph_from_dict(data, source=source)


class JsonDepthError(ValueError):
    """JSON nested deeper than MAX_DEPTH."""


def parse_json(text: str, what: str) -> Any:
    """JSON text as data. Raises ValueError for invalid JSON or NaN / Infinity (``what``, e.g.
    "graph file", names the file kind in the message) and JsonDepthError for nesting deeper
    than MAX_DEPTH, which would otherwise end in a RecursionError somewhere later."""

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed in a {what}")

    too_deep = f"its JSON nests deeper than {MAX_DEPTH} levels; a {what} needs only a few"
    try:
        data = json.loads(text, parse_constant=refuse_constant)
    except RecursionError:
        raise JsonDepthError(too_deep) from None
    if _deeper_than(data, MAX_DEPTH):
        raise JsonDepthError(too_deep)
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether lists / objects nest more than ``limit`` levels (iterative: no recursion limit)."""
    if not isinstance(data, dict | list):
        return False
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        items = value.values() if isinstance(value, dict) else value
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in items if isinstance(item, dict | list))
    return False


def graph_from_dict(data: Any, source: str = "<data>") -> Graph:
    """Build a Graph from parsed JSON. Problems a user can fix on the canvas (unknown types, bad
    params, dangling edges) are kept for validation to report; only what makes the file
    unreadable raises."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise GraphFormatError(
            f'{source} is not a nodeml graph (expected a JSON object with "format": "{FORMAT}")'
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise GraphFormatError(
            f"{source}: version must be a positive whole number, got {version!r}"
        )
    if version > VERSION:
        raise GraphFormatError(
            f"{source} is graph format version {version}, newer than this nodeml reads "
            f"(version {VERSION}); update nodeml to open it"
        )
    name = data.get("name", "Model")
    if not isinstance(name, str):
        raise GraphFormatError(f"{source}: name must be a string")
    nodes = data.get("nodes", [])
    edges = data.get("edges", [])
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise GraphFormatError(f"{source}: nodes and edges must be lists")

    graph = Graph(name)
    graph.extras = {k: v for k, v in data.items() if k not in _TOP_KEYS}
    if "blocks" in data:
        from .blocks.fileformat import read_blocks

        for block in read_blocks(data["blocks"], source):
            graph.blocks.add(block)
    fill_graph(graph, nodes, edges)
    return graph


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


def graph_to_dict(graph: Graph) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": graph.name}
    data["nodes"] = [node_to_dict(n) for n in graph.nodes]
    data["edges"] = [edge_to_dict(e) for e in edges_in_order(graph)]
    if len(graph.blocks):
        from .blocks.fileformat import block_to_dict

        data["blocks"] = [block_to_dict(b) for b in graph.blocks.values()]
    data.update(graph.extras)
    return data


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


def graph_to_json(graph: Graph) -> str:
    """Canonical text: one node / edge per line, so files diff well and round-trip byte-stable."""
    data = graph_to_dict(graph)
    lines = ["{"]
    items = list(data.items())
    for k, (key, value) in enumerate(items):
        comma = "," if k < len(items) - 1 else ""
        head = f"  {json.dumps(key)}: "
        if key in ("nodes", "edges") and value:
            lines.append(head + rows_json(value, "  ") + comma)
        elif key == "blocks" and isinstance(value, list) and value:
            from .blocks.fileformat import blocks_json

            lines.append(head + blocks_json(value) + comma)
        else:
            body = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
            lines.append(head + body.replace("\n", "\n  ") + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


def rows_json(rows: list[Any], indent: str) -> str:
    """A list written one compact item per line, closed at ``indent``."""
    body = ",\n".join(f"{indent}  {_compact(v)}" for v in rows)
    return "[\n" + body + "\n" + indent + "]"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def save_graph(graph: Graph, path: str | os.PathLike[str]) -> None:
    """Write the graph atomically (temp file + os.replace)."""
    atomic_write_text(path, graph_to_json(graph))
