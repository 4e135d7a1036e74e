"""Where each node of a backward graph goes: rows by distance from the loss, top (loss) to bottom
(parameters), each row ordered so that edges cross little and a chain of layers runs straight."""

from __future__ import annotations

from collections.abc import Sequence


def layered(count: int, edges: Sequence[tuple[int, int]]) -> dict[int, tuple[int, float]]:
    """Node -> (row, column) for nodes ``0..count-1`` of a DAG whose edges point away from node
    0 (the loss). A node's row is its longest distance from a root, so every edge points down;
    columns are fractional: a node sits under the mean of its parents where there is room."""
    children: dict[int, list[int]] = {i: [] for i in range(count)}
    parents: dict[int, list[int]] = {i: [] for i in range(count)}
    for a, b in edges:
        if a != b and 0 <= a < count and 0 <= b < count:
            children[a].append(b)
            parents[b].append(a)
    row = _longest_path_rows(count, children, parents)
    rows: dict[int, list[int]] = {}
    for node in range(count):
        rows.setdefault(row[node], []).append(node)
    column: dict[int, float] = {}
    for r in sorted(rows):
        wanted = {}
        for node in rows[r]:
            placed = [column[p] for p in parents[node] if p in column]
            wanted[node] = sum(placed) / len(placed) if placed else 0.0
        # siblings keep the order autograd lists them in (next_functions): ties by node number
        order = sorted(rows[r], key=lambda n: (wanted[n], n))
        previous = None
        for node in order:
            x = wanted[node] if previous is None else max(wanted[node], previous + 1.0)
            column[node] = x
            previous = x
        # a row pushed right by its crowding is centred back under its parents
        shift = (sum(column[n] - wanted[n] for n in order) / len(order)) if order else 0.0
        for node in order:
            column[node] -= shift / 2
    return {node: (row[node], column[node]) for node in range(count)}


def _longest_path_rows(
    count: int, children: dict[int, list[int]], parents: dict[int, list[int]]
) -> dict[int, int]:
    """Kahn's order from the roots; a node left over (a cycle, which autograd never makes) goes
    below everything else rather than being lost."""
    waiting = {n: len(parents[n]) for n in range(count)}
    ready = [n for n in range(count) if waiting[n] == 0]
    row = dict.fromkeys(ready, 0)
    while ready:
        node = ready.pop()
        for child in children[node]:
            row[child] = max(row.get(child, 0), row[node] + 1)
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    deepest = max(row.values(), default=-1)
    for node in range(count):
        row.setdefault(node, deepest + 1)
    return row
