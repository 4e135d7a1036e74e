"""Auto-layout: data flows left to right, branches get their own rows, broken graphs still lay out."""

from __future__ import annotations

from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.layout import COLUMN_GAP, layered_positions


def _graph(nodes: list[str], edges: list[tuple[str, str]]) -> Graph:
    g = Graph()
    for nid in nodes:
        g.add_node(Node(nid, "ReLU"))
    for a, b in edges:
        g.connect(Edge(a, b, 0, sum(1 for e in g.edges if e.target == b)))
    return g


def test_chain_goes_left_to_right_on_one_row():
    g = _graph(["c", "a", "b"], [("a", "b"), ("b", "c")])
    pos = layered_positions(g)
    assert pos["a"][0] < pos["b"][0] < pos["c"][0]
    assert pos["b"][0] - pos["a"][0] == COLUMN_GAP
    assert {p[1] for p in pos.values()} == {0.0}


def test_branches_share_a_column_on_different_rows():
    g = _graph(
        ["x", "left", "right", "merge"],
        [("x", "left"), ("x", "right"), ("left", "merge"), ("right", "merge")],
    )
    pos = layered_positions(g)
    assert pos["left"][0] == pos["right"][0] > pos["x"][0]
    assert pos["left"][1] != pos["right"][1]
    assert pos["merge"][0] > pos["left"][0]
    assert pos["merge"][1] == pos["x"][1]  # the join sits between its inputs, level with the fork


def test_cycle_still_gets_positions():
    g = _graph(["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "b")])
    pos = layered_positions(g)
    assert set(pos) == {"a", "b", "c"}
    assert pos["b"][0] > pos["a"][0]
    assert len(set(pos.values())) == 3
