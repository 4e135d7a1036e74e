"""A block use as inference sees it: the inner graph with the use's params put in, and the sums.

The engine (shapes.engine) runs the substituted inner graph with the use's input tensors; what
it found inside becomes a BlockRun here, and the use's own NodeInfo is read from that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..block_params import PARAM_REF, is_param_ref
from ..catalog import TensorInfo
from ..errors import Problem
from ..graph import Block, Graph, Node
from ..reach import reaching_output
from .node import NodeInfo


@dataclass
class BlockRun:
    """One inferred use, cached by (block, table revision, params, input tensors)."""

    infos: dict[str, NodeInfo]
    outputs: list[TensorInfo] | None
    problems: list[Problem] = field(default_factory=list)  # as the inner graph reports them
    params: int = 0
    trainable: int = 0
    macs: int = 0
    param_shapes: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)


def cycle_problem(node: Node, block: Block, chain: list[str]) -> Problem:
    return Problem(
        "block_cycle",
        f"block {block.name} contains itself ({' -> '.join(chain)}); a block may not use itself",
        node=node.id,
    )


def block_run(
    block: Block, graph: Graph, infos: dict[str, NodeInfo], problems: list[Problem]
) -> BlockRun:
    """What the inference of ``graph`` (``block``'s inner graph, substituted) found: outputs,
    and counts summed over the inner nodes its class builds (see compile.codegen)."""
    outs = [infos[o].shape if o in infos else None for o in block.outputs]
    run = BlockRun(infos, None if any(o is None for o in outs) else outs, problems)
    used = reaching_output(graph)
    for nid, i in infos.items():
        if nid not in used:
            continue
        run.params += i.params
        run.trainable += i.trainable
        run.macs += i.macs
        run.param_shapes.extend((f"{nid}.{name}", shape) for name, shape in i.param_shapes)
    return run


def use_info(node: Node, block: Block, info: NodeInfo, run: BlockRun) -> NodeInfo:
    """``info`` (the use's params and inputs) completed from the run of its block: outputs,
    counts, and inner problems reported on ``node`` naming the inner node."""
    info.inner = run.infos
    info.problems.extend(
        Problem(p.kind, f"inside {block.name}, {p}", node=node.id) for p in run.problems
    )
    if run.outputs is None:
        return info
    info.outputs = list(run.outputs)
    info.params, info.macs = run.params, run.macs
    info.trainable = run.trainable if node.extra.get("trainable", True) is not False else 0
    info.param_shapes = list(run.param_shapes)
    return info


def substituted(block: Block, values: dict[str, Any]) -> tuple[Graph, list[Problem]]:
    """A copy of the inner graph with every ``{"$param": name}`` replaced by its value; a bad
    reference is dropped from the copy and returned as a problem of that inner node."""
    graph = Graph(block.name)
    graph.replace_with(block.graph, with_blocks=False)
    problems: list[Problem] = []
    for node in graph.nodes:
        for name, value in list(node.params.items()):
            if not isinstance(value, dict):
                continue
            why = ref_problem(value, block)
            if why:
                problems.append(Problem("param", f"{name} {why}", node=node.id, field=name))
                del node.params[name]
            else:
                node.params[name] = values.get(value[PARAM_REF])
    return graph, problems


def ref_problem(value: Any, block: Block) -> str | None:
    """Why a ``{"$param": ...}`` value is not a usable reference in ``block``, or None."""
    if not is_param_ref(value):
        return 'an object value must be exactly {"$param": NAME}'
    name = value[PARAM_REF]
    if not isinstance(name, str) or name not in block.params:
        declared = ", ".join(block.params) or "none"
        return (
            f"refers to block param {name!r}, which {block.name} does not declare "
            f"(declared: {declared})"
        )
    return None


def param_refs(block: Block) -> dict[tuple[str, str], str]:
    """(inner node, param) -> the block param it takes, for every valid reference."""
    return {
        (n.id, k): v[PARAM_REF]
        for n in block.graph.nodes
        for k, v in n.params.items()
        if is_param_ref(v) and ref_problem(v, block) is None
    }
