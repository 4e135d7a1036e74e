"""Inference of a block use: the block's inner graph, run with the caller's tensors and params."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog import TensorInfo
from ..errors import Problem
from ..graph import Graph, Node
from ..reach import reaching_output
from ..shapes import Inference, NodeInfo, _values_key, resolve_params
from .definition import PARAM_REF, Block, is_param_ref, ref_problem


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


def infer_use(inference: Inference, node: Node) -> NodeInfo:
    """The NodeInfo of ``node``, whose type is a block of ``inference.graph``: outputs from the
    inner graph, counts summed inside, inner problems reported on ``node`` naming the inner node."""
    table = inference.graph.blocks
    block = table[node.type]
    cycle = table.cycle_through(block.name)
    if cycle or block.name in inference.block_stack:
        chain = " -> ".join(cycle or [*inference.block_stack, block.name])
        return NodeInfo(
            problems=[
                Problem(
                    "block_cycle",
                    f"block {block.name} contains itself ({chain}); a block may not use itself",
                    node=node.id,
                )
            ]
        )
    spec = block.spec()
    inputs, problems = inference._gather_inputs(node, spec)
    values = resolve_params(node, spec, inputs, problems)
    info = NodeInfo(values=values, problems=problems, inputs=[i for i in inputs if i is not None])
    if problems or any(i is None for i in inputs):
        return info
    key = (block.name, table.revision, _values_key(values), tuple(inputs))
    run = inference._block_cache.get(key)
    if run is None:
        run = run_block(block, values, inputs, inference)
        inference._block_cache[key] = run
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


def run_block(
    block: Block,
    values: dict[str, Any],
    inputs: list[TensorInfo],
    parent: Inference | None = None,
) -> BlockRun:
    """Infer ``block``'s inner graph with params ``values`` and these input tensors."""
    table = parent.graph.blocks if parent is not None else block.graph.blocks
    graph, ref_problems = substituted(block, values)
    graph.use_blocks(table, follow=False)
    sub = _UseInference(graph, block, dict(zip(block.inputs, inputs, strict=True)), parent)
    try:
        infos = sub.all()
        problems = [*ref_problems, *sub.problems()]
    finally:
        sub.close()
    outs = [infos[o].shape if o in infos else None for o in block.outputs]
    run = BlockRun(infos, None if any(o is None for o in outs) else outs, problems)
    used = reaching_output(graph)  # the inner nodes its class builds (see compile.codegen)
    for nid, i in infos.items():
        if nid not in used:
            continue
        run.params += i.params
        run.trainable += i.trainable
        run.macs += i.macs
        run.param_shapes.extend((f"{nid}.{name}", shape) for name, shape in i.param_shapes)
    return run


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


def param_refs(block: Block) -> dict[tuple[str, str], str]:
    """(inner node, param) -> the block param it takes, for every valid reference."""
    return {
        (n.id, k): v[PARAM_REF]
        for n in block.graph.nodes
        for k, v in n.params.items()
        if is_param_ref(v) and ref_problem(v, block) is None
    }


class _UseInference(Inference):
    """Inference of a substituted inner graph whose Input nodes carry the caller's tensors."""

    def __init__(
        self,
        graph: Graph,
        block: Block,
        feeds: dict[str, TensorInfo],
        parent: Inference | None,
    ):
        super().__init__(graph)
        self._block = block
        self._feeds = feeds
        if parent is not None:  # one cache for the whole model, at every nesting level
            self._cache = parent._cache
            self._block_cache = parent._block_cache
            self.block_stack = (*parent.block_stack, block.name)
        else:
            self.block_stack = (block.name,)

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
