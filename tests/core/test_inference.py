"""Live inference: numbers per node, totals, and incremental recomputation that equals a full pass."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nodeml.core.compile import compile_graph
from nodeml.core.graph import Edge, Node
from nodeml.core.shapes import Inference


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """Ids of the nodes Inference recomputes, in order."""
    seen: list[str] = []
    original = Inference._compute

    def counting(self, nid):
        seen.append(nid)
        return original(self, nid)

    monkeypatch.setattr(Inference, "_compute", counting)
    return seen


def _fresh(graph):
    inference = Inference(graph)
    try:
        return inference.all(), [str(p) for p in inference.problems()]
    finally:
        inference.close()


def _assert_same_as_fresh(live, graph):
    infos, problems = _fresh(graph)
    assert live.all() == infos
    assert [str(p) for p in live.problems()] == problems


def test_lenet_numbers(lenet):
    inference = Inference(lenet)
    infos = inference.all()
    assert infos["conv1"].shape.describe() == "(N, 6, 30, 30)"
    assert infos["flat"].shape.describe() == "(N, 576)"
    assert infos["fc1"].values["in_features"] == 576
    assert (infos["fc1"].params, infos["fc1"].macs) == (576 * 120 + 120, 576 * 120)
    assert infos["conv1"].param_shapes == [("weight", (6, 1, 3, 3)), ("bias", (6,))]
    assert infos["flat"].activation_size == 576
    totals = inference.totals()
    assert (totals.params, totals.trainable, totals.problems) == (81_194, 81_194, 0)
    assert totals.macs == sum(i.macs for i in infos.values()) > 0


def test_frozen_node_counts_no_trainable_params(lenet):
    lenet.set_extra("fc1", "trainable", False)
    totals = Inference(lenet).totals()
    assert totals.params - totals.trainable == 576 * 120 + 120


def test_one_param_edit_recomputes_only_the_node_and_changed_descendants(lenet, computed):
    inference = Inference(lenet)
    inference.all()
    computed.clear()
    lenet.set_param("conv2", "out_channels", 8)
    inference.all()
    # fc1's output keeps its shape, so fc1's descendants are not touched
    assert computed == ["conv2", "act2", "pool2", "flat", "fc1"]
    _assert_same_as_fresh(inference, lenet)


def test_an_edit_that_keeps_the_shape_recomputes_one_node(lenet, computed):
    lenet.add_node(Node("drop", "Dropout", {"p": 0.1}))
    lenet.disconnect(Edge("act3", "fc2"))
    lenet.connect(Edge("act3", "drop"))
    lenet.connect(Edge("drop", "fc2"))
    inference = Inference(lenet)
    inference.all()
    computed.clear()
    lenet.set_param("drop", "p", 0.3)
    inference.all()
    assert computed == ["drop"]
    lenet.move("drop", (10, 10))
    inference.all()
    assert computed == ["drop"]


def test_nothing_is_recomputed_without_an_edit(lenet, computed):
    inference = Inference(lenet)
    inference.all()
    n = len(computed)
    inference.all()
    inference.totals()
    inference.problems()
    assert len(computed) == n == len(lenet)


def test_an_error_upstream_clears_shapes_downstream_and_fixing_it_restores_them(lenet):
    inference = Inference(lenet)
    lenet.set_param("conv1", "kernel_size", 99)
    assert inference.info("conv1").outputs is None and inference.info("fc3").outputs is None
    assert [p.node for p in inference.problems()] == ["conv1"]
    lenet.set_param("conv1", "kernel_size", 3)
    assert inference.info("fc3").shape.describe() == "(N, 10)"
    _assert_same_as_fresh(inference, lenet)


def test_wiring_a_cycle_and_removing_it(lenet):
    inference = Inference(lenet)
    inference.all()
    lenet.disconnect(Edge("pool1", "conv2"))
    lenet.add_node(Node("mix", "Add"))
    lenet.connect(Edge("pool1", "mix"))
    lenet.connect(Edge("act2", "mix", 0, 1))
    lenet.connect(Edge("mix", "conv2"))
    assert {p.kind for p in inference.problems()} == {"cycle"}
    _assert_same_as_fresh(inference, lenet)
    lenet.remove_node("mix")
    lenet.connect(Edge("pool1", "conv2"))
    assert inference.problems() == []
    _assert_same_as_fresh(inference, lenet)


def test_rename_and_reload_follow_the_graph(lenet, kit):
    inference = Inference(lenet)
    inference.all()
    lenet.rename("fc1", "hidden")
    assert inference.info("hidden").shape.describe() == "(N, 120)"
    assert "fc1" not in inference.all()
    lenet.replace_with(kit.build_graph([("x", "Input", {"shape": [3]})], []))
    assert list(inference.all()) == ["x"]
    inference.close()
    lenet.move("x", (1, 1))  # a closed Inference no longer listens


def test_hidden_state_keeps_its_batch_dim_through_layers(kit):
    g = kit.build_graph(
        [
            ("x", "Input", {"shape": [7, 5]}),
            ("rnn", "GRU", {"hidden_size": 6, "num_layers": 2}),
            ("drop", "Dropout", {}),
            ("proj", "Linear", {"out_features": 3}),
            ("last_layer", "Select", {"dim": 0, "index": -1}),
            ("out", "Output", {}),
        ],
        [
            ("x", "rnn"),
            ("rnn", "drop", 1, 0),
            ("drop", "proj"),
            ("proj", "last_layer"),
            ("last_layer", "out"),
        ],
    )
    infos = Inference(g).all()
    assert infos["drop"].shape.describe() == "(2, N, 6)"
    assert infos["proj"].shape.describe() == "(2, N, 3)"
    assert infos["last_layer"].shape.describe() == "(N, 3)"
    model = compile_graph(g).eval()
    assert model(torch.randn(4, 7, 5)).shape == (4, 3)


_EDITS = st.one_of(
    st.tuples(
        st.just("param"),
        st.sampled_from(["conv1", "conv2"]),
        st.just("out_channels"),
        st.integers(1, 12),
    ),
    st.tuples(
        st.just("param"),
        st.sampled_from(["conv1", "conv2"]),
        st.just("kernel_size"),
        st.integers(1, 9),
    ),
    st.tuples(
        st.just("param"),
        st.sampled_from(["fc1", "fc2"]),
        st.just("out_features"),
        st.integers(1, 50) | st.just("x"),
    ),
    st.tuples(st.just("param"), st.just("fc2"), st.just("in_features"), st.sampled_from([120, 7])),
    st.tuples(
        st.just("param"),
        st.sampled_from(["pool1", "pool2"]),
        st.just("kernel_size"),
        st.integers(1, 4),
    ),
    st.tuples(st.just("unwire"), st.sampled_from(["act1", "conv2", "flat", "fc3"])),
    st.tuples(st.just("rewire"), st.sampled_from(["act1", "conv2", "flat", "fc3"])),
)


@given(edits=st.lists(_EDITS, min_size=1, max_size=8))
@settings(max_examples=25, deadline=None)
def test_incremental_inference_always_equals_a_full_pass(edits, kit):
    graph = kit.chain_graph(kit.LENET)
    inference = Inference(graph)
    inference.all()
    ids = graph.node_ids
    for edit in edits:
        if edit[0] == "param":
            graph.set_param(edit[1], edit[2], edit[3])
        else:
            nid = edit[1]
            wire = Edge(ids[ids.index(nid) - 1], nid)
            if edit[0] == "unwire" and graph.in_edges(nid):
                graph.disconnect(graph.in_edges(nid)[0])
            elif edit[0] == "rewire" and not graph.in_edges(nid):
                graph.connect(wire)
        _assert_same_as_fresh(inference, graph)


def test_a_message_naming_a_flattened_shape_follows_that_shape(kit):
    g = kit.build_graph(
        [
            ("x", "Input", {"shape": [16, 6, 6]}),
            ("flat", "Flatten", {}),
            ("fc", "Linear", {"in_features": 400, "out_features": 2}),
            ("out", "Output", {}),
        ],
        [("x", "flat"), ("flat", "fc"), ("fc", "out")],
    )
    inference = Inference(g)
    assert "(shape [16, 6, 6] flattened)" in str(inference.problems()[0])
    g.set_param("x", "shape", [36, 4, 4])  # still 576 features after the Flatten
    assert "(shape [36, 4, 4] flattened)" in str(inference.problems()[0])
    _assert_same_as_fresh(inference, g)
