"""Which nodes reach an Output: only they are compiled; the rest are reported as warnings."""

from __future__ import annotations

from typing import TypeVar

from .errors import Problem, Severity
from .graph import Graph

Info = TypeVar("Info")  # a node's inference result (shapes.NodeInfo)


def reaching_output(graph: Graph) -> set[str]:
    """The Output nodes and every node with a path to one (the nodes the model computes)."""
    pred = graph.nx.pred
    stack = [n.id for n in graph.nodes if n.type == "Output"]
    seen = set(stack)
    while stack:
        for before in pred[stack.pop()]:
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return seen


def unused_problems(graph: Graph) -> list[Problem]:
    """A warning per node that reaches no Output: left out of ``__init__`` and ``forward``, so
    its weights are never built (and DistributedDataParallel never sees unused parameters).
    None while the graph has no Output at all: that is an error of its own."""
    if not any(n.type == "Output" for n in graph.nodes):
        return []
    used = reaching_output(graph)
    out = []
    for node in graph.nodes:
        if node.id in used:
            continue
        if node.type == "Input":
            message = "reaches no Output; forward takes it but does not use it"
        else:
            message = "reaches no Output; not compiled"
        out.append(Problem("unused", message, node=node.id, severity=Severity.WARNING))
    return out


def compiled_infos(graph: Graph, infos: dict[str, Info]) -> list[Info]:
    """The infos of the nodes the model is built from (every node while there is no Output yet,
    so counts grow as a model is drawn), for totals that match ``model.parameters()``."""
    if not any(n.type == "Output" for n in graph.nodes):
        return list(infos.values())
    used = reaching_output(graph)
    return [info for nid, info in infos.items() if nid in used]
