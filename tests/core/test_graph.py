"""Graph edit methods: what each changes, what it refuses, and the events views rely on."""

from __future__ import annotations

import pytest

from nodeml.core.errors import GraphEditError
from nodeml.core.graph import Edge, Graph, GraphEvent, Node
from nodeml.core.serialize import graph_to_json


@pytest.fixture
def graph(kit) -> Graph:
    return kit.build_graph(
        [
            ("x", "Input", {"shape": [4]}),
            ("a", "Linear", {"out_features": 3}),
            ("b", "ReLU", {}),
            ("s", "Add", {}),
            ("out", "Output", {}),
        ],
        [("x", "a"), ("a", "b"), ("b", "s"), ("a", "s", 0, 1), ("s", "out")],
    )


@pytest.fixture
def events(graph) -> list[GraphEvent]:
    seen: list[GraphEvent] = []
    graph.changed.connect(seen.append)
    return seen


def test_add_node_appends_or_inserts_and_emits(graph, events):
    graph.add_node(Node("c", "Tanh"))
    graph.add_node(Node("first", "Tanh"), index=0)
    assert graph.node_ids == ["first", "x", "a", "b", "s", "out", "c"]
    assert events == [GraphEvent("node_added", node="c"), GraphEvent("node_added", node="first")]
    assert len(graph.edges) == 5  # inserting rebuilt the graph without losing wires


@pytest.mark.parametrize("bad", ["a", "1x", "forward", "__x", "def"])
def test_add_node_refuses_taken_or_invalid_ids(graph, events, bad):
    with pytest.raises(GraphEditError):
        graph.add_node(Node(bad, "ReLU"))
    assert events == []


def test_remove_node_returns_what_undo_needs(graph, events):
    before = graph_to_json(graph)
    node, edges, index = graph.remove_node("a")
    assert (node.id, index) == ("a", 1)
    assert sorted(edges) == sorted([Edge("x", "a"), Edge("a", "b"), Edge("a", "s", 0, 1)])
    assert "a" not in graph and all("a" not in (e.source, e.target) for e in graph.edges)
    assert [e.kind for e in events] == ["edge_removed"] * 3 + ["node_removed"]
    graph.add_node(node, index=index)
    for e in edges:
        graph.connect(e)
    assert graph_to_json(graph) == before


def test_connect_and_disconnect(graph, events):
    graph.add_node(Node("c", "Tanh"))
    edge = graph.connect(Edge("b", "c"))
    assert events[-1] == GraphEvent("edge_added", node="c", edge=edge)
    assert graph.in_edges("c") == [edge] and edge in graph.out_edges("b")
    graph.disconnect(edge)
    assert events[-1] == GraphEvent("edge_removed", node="c", edge=edge)
    with pytest.raises(GraphEditError, match="no wire"):
        graph.disconnect(edge)


@pytest.mark.parametrize(
    ("edge", "message"),
    [
        (Edge("b", "s", 0, 0), "input 0 of s is already connected"),
        (Edge("b", "ghost"), "no node named 'ghost'"),
        (Edge("ghost", "b"), "no node named 'ghost'"),
        (Edge("b", "s", -1, 3), "port numbers start at 0"),
    ],
)
def test_connect_refuses(graph, events, edge, message):
    with pytest.raises(GraphEditError, match=message):
        graph.connect(edge)
    assert events == []


def test_param_edits_emit_node_changed_and_copy(graph, events):
    params = {"out_features": 5, "bias": False}
    graph.set_params("a", params)
    params["out_features"] = 99
    assert graph.node("a").params == {"out_features": 5, "bias": False}
    graph.set_param("a", "out_features", 7)
    graph.unset_param("a", "bias")
    graph.unset_param("a", "never_set")
    assert graph.node("a").params == {"out_features": 7}
    assert events == [GraphEvent("node_changed", node="a")] * 4


def test_set_extra_sets_and_removes_node_keys(graph, events):
    graph.set_extra("a", "trainable", False)
    assert graph.node("a").extra == {"trainable": False}
    graph.set_extra("a", "trainable", None)
    assert graph.node("a").extra == {}
    assert [e.kind for e in events] == ["node_changed", "node_changed"]


def test_move_stores_floats_and_emits_moved(graph, events):
    graph.move("b", (3, 4))
    assert graph.node("b").pos == (3.0, 4.0)
    graph.move("b", None)
    assert graph.node("b").pos is None
    assert events == [GraphEvent("node_moved", node="b")] * 2


def test_rename_keeps_wires_ports_and_order(graph, events):
    graph.rename("a", "fc")
    assert graph.node_ids == ["x", "fc", "b", "s", "out"]
    assert graph.node("fc").id == "fc" and "a" not in graph
    assert sorted(graph.edges) == sorted(
        [Edge("x", "fc"), Edge("fc", "b"), Edge("b", "s"), Edge("fc", "s", 0, 1), Edge("s", "out")]
    )
    assert graph.in_edges("s") == [Edge("b", "s"), Edge("fc", "s", 0, 1)]
    assert events == [GraphEvent("node_renamed", node="fc", old_id="a")]
    graph.rename("fc", "fc")  # no-op: no event
    assert len(events) == 1


@pytest.mark.parametrize(
    ("new", "message"), [("b", "already used"), ("9a", "not a Python identifier")]
)
def test_rename_refuses(graph, events, new, message):
    with pytest.raises(GraphEditError, match=message):
        graph.rename("a", new)
    assert "a" in graph and events == []


def test_unknown_node_is_an_edit_error(graph):
    for edit in (
        lambda: graph.node("ghost"),
        lambda: graph.set_param("ghost", "p", 1),
        lambda: graph.move("ghost", (0, 0)),
        lambda: graph.remove_node("ghost"),
        lambda: graph.rename("ghost", "g2"),
    ):
        with pytest.raises(GraphEditError, match="no node named 'ghost'"):
            edit()


def test_replace_with_keeps_subscribers_and_copies(graph, events, kit):
    other = kit.build_graph([("y", "Input", {"shape": [2]})], [], name="Other")
    other.extras = {"training": {"epochs": 3}}
    graph.replace_with(other)
    assert events == [GraphEvent("graph_changed")]
    assert graph.name == "Other" and graph.node_ids == ["y"]
    other.node("y").params["shape"] = [9]
    other.extras["training"]["epochs"] = 9
    assert graph.node("y").params == {"shape": [2]}
    assert graph.extras == {"training": {"epochs": 3}}


def test_copy_is_independent(graph):
    twin = graph.copy()
    twin.set_param("a", "out_features", 11)
    twin.remove_node("b")
    assert graph.node("a").params == {"out_features": 3} and "b" in graph
    assert graph_to_json(twin) != graph_to_json(graph)


def test_set_name_emits_graph_changed(graph, events):
    graph.set_name("Renamed")
    assert graph.name == "Renamed" and events == [GraphEvent("graph_changed")]


def test_unique_id_counts_up_from_the_type(graph):
    assert graph.unique_id("Linear") == "linear1"
    graph.add_node(Node("linear1", "Linear"))
    assert graph.unique_id("Linear") == "linear2"
    assert graph.unique_id("3d-conv") == "n_3d_conv1"
    assert graph.unique_id("") == "node1"


def test_disconnecting_a_subscriber_stops_events(graph):
    seen: list[GraphEvent] = []
    graph.changed.connect(seen.append)
    graph.changed.disconnect(seen.append)
    graph.move("a", (1, 1))
    assert seen == []


def test_a_section_change_recomputes_no_shape():
    from nodeml.core import shapes
    from nodeml.core.graph import Edge, Graph, Node

    g = Graph("m")
    g.add_node(Node("x", "Input", {"shape": [3]}))
    g.add_node(Node("fc", "Linear", {"out_features": 2}))
    g.add_node(Node("y", "Output"))
    g.connect(Edge("x", "fc"))
    g.connect(Edge("fc", "y"))
    inference = shapes.Inference(g)
    inference.all()
    seen = []
    g.changed.connect(seen.append)
    g.set_section("training", {"epochs": 3})
    assert g.extras["training"] == {"epochs": 3}
    assert [e.kind for e in seen] == ["section_changed"] and seen[0].section == "training"
    assert not inference._dirty  # nothing to recompute
    g.set_section("training", None)
    assert "training" not in g.extras
