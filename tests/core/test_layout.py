"""Auto-layout: data flows left to right, branches get their own rows, broken graphs still lay out."""

from __future__ import annotations

import pytest

from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.layout import (
    BAND_GAP,
    COLUMN_GAP,
    INSERT_GAP,
    ROW_GAP,
    layered_positions,
    room_for_insert,
)


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


def test_a_long_chain_wraps_into_rows_that_fit_the_width():
    ids = [f"n{i}" for i in range(10)]
    g = _graph(ids, list(zip(ids, ids[1:], strict=False)))
    pos = layered_positions(g, max_width=4 * COLUMN_GAP)
    xs = [pos[n][0] for n in ids]
    assert xs == [0.0, COLUMN_GAP, 2 * COLUMN_GAP, 3 * COLUMN_GAP] * 2 + [0.0, COLUMN_GAP]
    rows = [pos[n][1] for n in ids]
    assert rows[0] == rows[3] < rows[4] == rows[7] < rows[8] == rows[9]
    assert rows[4] - rows[0] == ROW_GAP + BAND_GAP
    assert layered_positions(g, max_width=20 * COLUMN_GAP) == layered_positions(g)


def test_wrapped_bands_keep_their_branches_apart():
    g = _graph(
        ["x", "a", "left", "right", "merge", "out"],
        [("x", "a"), ("a", "left"), ("a", "right"), ("left", "merge"), ("right", "merge")]
        + [("merge", "out")],
    )
    pos = layered_positions(g, max_width=2 * COLUMN_GAP)
    assert pos["left"][0] == pos["right"][0] == 0.0  # the band starts over at x=0
    top = max(pos["x"][1], pos["a"][1])
    assert min(pos["left"][1], pos["right"][1]) == top + ROW_GAP + BAND_GAP
    assert pos["left"][1] != pos["right"][1]
    assert pos["out"][1] > max(pos["left"][1], pos["right"][1])


def test_a_node_dropped_on_a_short_wire_pushes_what_follows_one_column_on():
    source, target = (0.0, 0.0, 180.0, 80.0), (220.0, 0.0, 180.0, 80.0)
    dropped = (110.0, 0.0, 180.0, 80.0)  # centred on the 40 px wire: overlaps both ends
    (nx, ny), (tx, ty) = room_for_insert(dropped, source, target)
    assert (nx, ny) == (pytest.approx(110.0), pytest.approx(0.0))  # clears source + INSERT_GAP
    assert dropped[0] + nx == source[0] + 180.0 + INSERT_GAP
    assert (tx, ty) == (pytest.approx(220.0), pytest.approx(0.0))
    assert target[0] + tx == dropped[0] + nx + 180.0 + INSERT_GAP


def test_room_follows_the_wire_direction_and_is_none_when_there_is_space():
    source, target = (0.0, 0.0, 180.0, 80.0), (0.0, 200.0, 180.0, 80.0)  # a wire going down
    dropped = (0.0, 150.0, 180.0, 80.0)
    (nx, ny), (tx, ty) = room_for_insert(dropped, source, target)
    assert nx == pytest.approx(0.0) and ny == pytest.approx(0.0)
    assert tx == pytest.approx(0.0) and ty == pytest.approx(150.0 + 80.0 + INSERT_GAP - 200.0)
    far = (0.0, 0.0, 180.0, 80.0), (1000.0, 0.0, 180.0, 80.0)
    assert room_for_insert((500.0, 0.0, 180.0, 80.0), *far) == ((0.0, 0.0), (0.0, 0.0))
