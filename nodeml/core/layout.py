"""Auto-layout: nodes in left-to-right layers by data flow, ordered to keep wires from crossing."""

from __future__ import annotations

import networkx as nx

from .graph import Graph

COLUMN_GAP = 220.0
ROW_GAP = 120.0


def layered_positions(
    graph: Graph, column_gap: float = COLUMN_GAP, row_gap: float = ROW_GAP
) -> dict[str, tuple[float, float]]:
    """Top-left positions ``{id: (x, y)}``: column = topological generation, rows centred on y=0.

    Nodes on a cycle (an invalid graph that is still being edited) go in one last column, so a
    broken graph can be laid out too. Within a column, nodes sit at the mean row of their inputs
    (barycenter), which untangles branches; file order breaks ties so the result is stable.
    """
    g = graph.nx
    order = {nid: i for i, nid in enumerate(graph.node_ids)}
    cyclic: set[str] = set()
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1 or any(g.has_edge(n, n) for n in comp):
            cyclic |= comp
    acyclic = g.subgraph(n for n in g if n not in cyclic)
    columns = [sorted(gen, key=order.__getitem__) for gen in nx.topological_generations(acyclic)]
    if cyclic:
        columns.append(sorted(cyclic, key=order.__getitem__))

    row: dict[str, float] = {}
    positions: dict[str, tuple[float, float]] = {}
    for x, column in enumerate(columns):

        def barycenter(nid: str) -> tuple[float, int]:
            rows = [row[p] for p in g.predecessors(nid) if p in row]
            return (sum(rows) / len(rows) if rows else float(order[nid]), order[nid])

        column.sort(key=barycenter)
        top = -(len(column) - 1) / 2
        for i, nid in enumerate(column):
            row[nid] = top + i
            positions[nid] = (x * column_gap, (top + i) * row_gap)
    return positions


__all__ = ["COLUMN_GAP", "ROW_GAP", "layered_positions"]
