"""The ``blocks`` section of a graph file (and of a library block's file): read with full checking,
written canonically."""

from __future__ import annotations

import json
from typing import Any

from ..block_params import BlockParam
from ..catalog import REQUIRED
from ..errors import GraphFormatError, Problem
from ..graph import Block, Graph
from ..identifiers import block_name_problem
from .rows import compact, edge_to_dict, edges_in_order, fill_graph, node_to_dict, rows_json

_BLOCK_KEYS = ("name", "doc", "params", "inputs", "outputs", "nodes", "edges")
_PARAM_KEYS = ("kind", "default", "minimum", "maximum", "doc")


def read_blocks(raw: Any, source: str = "<data>") -> list[Block]:
    """Blocks from a file's ``blocks`` list; GraphFormatError names every defect."""
    if not isinstance(raw, list):
        raise GraphFormatError(f"{source}: blocks must be a list of block objects")
    problems: list[Problem] = []
    blocks: list[Block] = []
    names: set[str] = set()
    for i, item in enumerate(raw):
        block = _read_block(item, i, problems)
        if block is None:
            continue
        if block.name in names:
            problems.append(
                Problem("format", f"blocks[{i}]: a block named {block.name!r} already exists")
            )
            continue
        names.add(block.name)
        blocks.append(block)
    if problems:
        raise GraphFormatError(problems)
    return blocks


def _read_block(raw: Any, i: int, problems: list[Problem]) -> Block | None:
    if not isinstance(raw, dict):
        problems.append(Problem("format", f"blocks[{i}] must be an object"))
        return None
    name = raw.get("name")
    bad = block_name_problem(name)
    if bad:
        problems.append(Problem("format", f"blocks[{i}]: {bad}"))
        return None
    where = f"block {name}"
    doc = raw.get("doc", "")
    nodes, edges = raw.get("nodes", []), raw.get("edges", [])
    if not isinstance(doc, str):
        problems.append(Problem("format", f"{where}: doc must be a string"))
        return None
    if not isinstance(nodes, list) or not isinstance(edges, list):
        problems.append(Problem("format", f"{where}: nodes and edges must be lists"))
        return None
    params = _read_params(raw.get("params", {}), where, problems)
    if params is None:
        return None
    inner = Graph(name)
    try:
        fill_graph(inner, nodes, edges)
    except GraphFormatError as exc:
        problems.extend(Problem(p.kind, f"inside {name}, {p}", field=p.field) for p in exc.problems)
        return None
    ports = {}
    for key, kind in (("inputs", "Input"), ("outputs", "Output")):
        ids = raw.get(key, [])
        if not isinstance(ids, list) or not all(isinstance(v, str) for v in ids):
            problems.append(Problem("format", f"{where}: {key} must be a list of node ids"))
            return None
        for v in ids:
            if v not in inner or inner.node(v).type != kind:
                problems.append(
                    Problem(
                        "format",
                        f"{where}: {key} lists {v!r}, which is not one of its {kind} nodes",
                    )
                )
                return None
        if len(set(ids)) != len(ids):
            problems.append(Problem("format", f"{where}: {key} lists a node twice"))
            return None
        ports[key] = list(ids)
    extra = {k: v for k, v in raw.items() if k not in _BLOCK_KEYS}
    return Block(name, inner, ports["inputs"], ports["outputs"], params, doc, extra)


def _read_params(raw: Any, where: str, problems: list[Problem]) -> dict[str, BlockParam] | None:
    if not isinstance(raw, dict):
        problems.append(Problem("format", f"{where}: params must be an object"))
        return None
    out: dict[str, BlockParam] = {}
    for pname, decl in raw.items():
        if not isinstance(decl, dict) or set(decl) - set(_PARAM_KEYS) or "kind" not in decl:
            problems.append(
                Problem(
                    "format",
                    f"{where}: param {pname!r} must be an object with kind and optionally "
                    "default, minimum, maximum, doc",
                )
            )
            return None
        param = BlockParam(
            pname,
            decl["kind"],
            decl.get("default", REQUIRED),
            decl.get("minimum"),
            decl.get("maximum"),
            decl.get("doc", ""),
        )
        why = param.problem()
        if why:
            problems.append(Problem("format", f"{where}: {why}"))
            return None
        out[pname] = param
    return out


def block_to_dict(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"name": block.name}
    if block.doc:
        out["doc"] = block.doc
    if block.params:
        out["params"] = {name: p.to_dict() for name, p in block.params.items()}
    out["inputs"] = list(block.inputs)
    out["outputs"] = list(block.outputs)
    out["nodes"] = [node_to_dict(n) for n in block.graph.nodes]
    out["edges"] = [edge_to_dict(e) for e in edges_in_order(block.graph)]
    out.update(block.extra)
    return out


def blocks_json(blocks: list[Any]) -> str:
    """The canonical text of the blocks list (at indent 2): one node, edge or param per line."""
    items = [_block_json(b) if isinstance(b, dict) else _dump(b, "    ") for b in blocks]
    return "[\n" + ",\n".join(f"    {item}" for item in items) + "\n  ]"


def _block_json(block: dict[str, Any]) -> str:
    pad = "      "
    lines = []
    for key, value in block.items():
        head = f"{pad}{json.dumps(key)}: "
        if key in ("nodes", "edges") and isinstance(value, list) and value:
            lines.append(head + rows_json(value, pad))
        elif key == "params" and isinstance(value, dict) and value:
            rows = ",\n".join(f"{pad}  {json.dumps(k)}: {compact(v)}" for k, v in value.items())
            lines.append(head + "{\n" + rows + "\n" + pad + "}")
        elif key in ("inputs", "outputs"):
            lines.append(head + compact(value))
        else:
            lines.append(head + _dump(value, pad))
    return "{\n" + ",\n".join(lines) + "\n    }"


def _dump(value: Any, pad: str) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return text.replace("\n", "\n" + pad)
