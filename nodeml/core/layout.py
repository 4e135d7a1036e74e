"""Auto-layout: nodes in left-to-right layers by data flow, ordered to keep wires from crossing;
long graphs wrap into rows; and the room a node dropped on a wire needs."""

from __future__ import annotations

import networkx as nx

from .graph import Graph

COLUMN_GAP = 220.0
ROW_GAP = 120.0
BAND_GAP = 100.0  # between wrapped rows, room for the wire from a row's end to the next's start
INSERT_GAP = 40.0  # what a node dropped on a wire keeps free on each side (a wire's usual length)

Rect = tuple[float, float, float, float]  # x, y, width, height


def layered_positions(
    graph: Graph,
    column_gap: float = COLUMN_GAP,
    row_gap: float = ROW_GAP,
    max_width: float | None = None,
) -> dict[str, tuple[float, float]]:
    """Top-left positions ``{id: (x, y)}``: column = topological generation, rows centred on y=0.

    Nodes on a cycle (an invalid graph that is still being edited) go in one last column, so a
    broken graph can be laid out too. Within a column, nodes sit at the mean row of their inputs
    (barycenter), which untangles branches; file order breaks ties so the result is stable.

    With ``max_width``, a graph with more columns than fit in it wraps like text: the columns
    go on in a new band of rows below, starting at x=0 again (a long chain becomes lines that
    can be read at a readable zoom instead of one line too long to see).
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
    for column in columns:

        def barycenter(nid: str) -> tuple[float, int]:
            rows = [row[p] for p in g.predecessors(nid) if p in row]
            return (sum(rows) / len(rows) if rows else float(order[nid]), order[nid])

        column.sort(key=barycenter)
        top = -(len(column) - 1) / 2
        for i, nid in enumerate(column):
            row[nid] = top + i

    per_band = len(columns) or 1
    if max_width is not None:
        per_band = max(2, int(max_width // column_gap))
    positions: dict[str, tuple[float, float]] = {}
    band_top = 0.0
    for start in range(0, len(columns), per_band):
        band = columns[start : start + per_band]
        rows = [row[nid] for column in band for nid in column]
        shift = band_top - min(rows) * row_gap if start else 0.0
        for x, column in enumerate(band):
            for nid in column:
                positions[nid] = (x * column_gap, row[nid] * row_gap + shift)
        band_top = shift + max(rows) * row_gap + row_gap + BAND_GAP
    return positions


def _clearance(moving: Rect, fixed: Rect, direction: tuple[float, float]) -> float:
    """How far ``moving`` must travel along the unit ``direction`` to stop overlapping ``fixed``
    (0 when they do not overlap)."""
    mx, my, mw, mh = moving
    fx, fy, fw, fh = fixed
    if mx >= fx + fw or fx >= mx + mw or my >= fy + fh or fy >= my + mh:
        return 0.0
    dx, dy = direction
    ways = []
    if dx > 1e-9:
        ways.append((fx + fw - mx) / dx)
    elif dx < -1e-9:
        ways.append((mx + mw - fx) / -dx)
    if dy > 1e-9:
        ways.append((fy + fh - my) / dy)
    elif dy < -1e-9:
        ways.append((my + mh - fy) / -dy)
    return min(ways) if ways else 0.0


def _grown(rect: Rect, by: float) -> Rect:
    x, y, w, h = rect
    return (x - by, y - by, w + 2 * by, h + 2 * by)


def room_for_insert(
    new: Rect,
    source: Rect,
    target: Rect,
    wire: tuple[float, float] | None = None,
    gap: float = INSERT_GAP,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """A node ``new`` dropped on the wire ``source -> target``: how far to move it so it clears
    the source, and how far to move the target (and everything after it) so the target clears
    it, both along the wire's direction (``wire``: from its start to its end; default: centre to
    centre). ``(0, 0)`` where there is room already."""
    if wire is None:
        wire = (
            target[0] + target[2] / 2 - source[0] - source[2] / 2,
            target[1] + target[3] / 2 - source[1] - source[3] / 2,
        )
    length = (wire[0] ** 2 + wire[1] ** 2) ** 0.5
    direction = (wire[0] / length, wire[1] / length) if length > 1e-9 else (1.0, 0.0)
    t_new = _clearance(new, _grown(source, gap), direction)
    placed = (new[0] + t_new * direction[0], new[1] + t_new * direction[1], new[2], new[3])
    t_after = _clearance(target, _grown(placed, gap), direction)
    return (
        (t_new * direction[0], t_new * direction[1]),
        (t_after * direction[0], t_after * direction[1]),
    )


__all__ = [
    "BAND_GAP",
    "COLUMN_GAP",
    "INSERT_GAP",
    "ROW_GAP",
    "layered_positions",
    "room_for_insert",
]
