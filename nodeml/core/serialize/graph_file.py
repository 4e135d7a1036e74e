"""Graph files, format ``nodeml.graph`` version 1: read with full checking, write canonically and atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import GraphFormatError
from ..fileio import atomic_write_text
from ..graph import Graph
from .blocks import block_to_dict, blocks_json, read_blocks
from .json_text import JsonDepthError, parse_json
from .rows import edge_to_dict, edges_in_order, fill_graph, node_to_dict, rows_json

FORMAT = "nodeml.graph"
VERSION = 1
_TOP_KEYS = ("format", "version", "name", "nodes", "edges", "blocks")


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
        for block in read_blocks(data["blocks"], source):
            graph.blocks.add(block)
    fill_graph(graph, nodes, edges)
    return graph


def graph_to_dict(graph: Graph) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": graph.name}
    data["nodes"] = [node_to_dict(n) for n in graph.nodes]
    data["edges"] = [edge_to_dict(e) for e in edges_in_order(graph)]
    if len(graph.blocks):
        data["blocks"] = [block_to_dict(b) for b in graph.blocks.values()]
    data.update(graph.extras)
    return data


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
            lines.append(head + blocks_json(value) + comma)
        else:
            body = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
            lines.append(head + body.replace("\n", "\n  ") + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


def save_graph(graph: Graph, path: str | os.PathLike[str]) -> None:
    """Write the graph atomically (temp file + os.replace)."""
    atomic_write_text(path, graph_to_json(graph))
