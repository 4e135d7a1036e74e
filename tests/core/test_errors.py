"""Every error kind of issue 3 section 3, each caused by the bad input a user would write."""

from __future__ import annotations

import json

import pytest

from nodeml.core.compile import compile_graph
from nodeml.core.errors import GraphEditError, GraphFormatError, InvalidGraphError
from nodeml.core.graph import Edge, Node
from nodeml.core.serialize import graph_from_json
from nodeml.core.shapes import Inference


def _problems(graph):
    return [str(p) for p in Inference(graph).problems()]


def _only(graph):
    problems = Inference(graph).problems()
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def _io(kit, middle, edges, shape=(4,), dtype="float32"):
    nodes = [("x", "Input", {"shape": list(shape), "dtype": dtype}), *middle, ("out", "Output", {})]
    return kit.build_graph(nodes, edges)


def test_linear_in_features_mismatch_after_flatten_names_the_flattened_shape(lenet):
    lenet.set_param("fc1", "in_features", 400)
    p = _only(lenet)
    assert str(p) == (
        "node fc1: Linear expects in_features=400 but its input has 576 features "
        "(shape [16, 6, 6] flattened); remove the value to infer it"
    )
    assert (p.kind, p.node, p.field) == ("mismatch", "fc1", "in_features")
    with pytest.raises(InvalidGraphError, match="in_features=400"):
        compile_graph(lenet)


def test_conv_in_channels_mismatch(kit):
    g = _io(
        kit,
        [("c", "Conv2d", {"in_channels": 3, "out_channels": 2, "kernel_size": 1})],
        [("x", "c"), ("c", "out")],
        shape=(5, 4, 4),
    )
    assert str(_only(g)) == (
        "node c: Conv2d expects in_channels=3 but its input has 5 channels; "
        "remove the value to infer it"
    )


def test_cycle_names_the_nodes_on_it(kit):
    g = _io(
        kit,
        [("a", "ReLU", {}), ("b", "Add", {}), ("c", "Tanh", {})],
        [("x", "b"), ("b", "a"), ("a", "c"), ("c", "b", 0, 1), ("c", "out")],
    )
    problems = Inference(g).problems()
    assert {p.node for p in problems} == {"a", "b", "c"}
    assert all(p.kind == "cycle" for p in problems)
    by_node = {p.node: str(p) for p in problems}
    assert by_node["a"] == "node a: is on a cycle: a -> c -> b -> a; wires must flow one way"
    with pytest.raises(InvalidGraphError, match="cycle"):
        compile_graph(g)


def test_self_loop_is_a_cycle(kit):
    g = _io(kit, [("a", "Add", {})], [("x", "a"), ("a", "a", 0, 1), ("a", "out")])
    assert str(_only(g)) == "node a: is on a cycle: a -> a; wires must flow one way"


def test_unconnected_required_input_names_node_and_port(kit):
    g = _io(kit, [("bl", "Bilinear", {"out_features": 3})], [("x", "bl"), ("bl", "out")])
    p = _only(g)
    assert (p.kind, p.node, p.port) == ("unconnected", "bl", 1)
    assert str(p) == "node bl (input 1): input 1 (input2) is not connected; wire something into it"


def test_unconnected_output_node(kit):
    g = _io(kit, [("a", "ReLU", {})], [("x", "a")])
    p = _only(g)
    assert (p.kind, p.node, p.port) == ("unconnected", "out", 0)


def test_merge_needs_two_inputs(kit):
    g = _io(kit, [("s", "Add", {})], [("x", "s"), ("s", "out")])
    assert str(_only(g)) == "node s: Add needs at least 2 inputs, 1 connected"


def test_wire_into_a_target_port_the_node_does_not_have(kit):
    g = _io(
        kit, [("a", "ReLU", {}), ("b", "Tanh", {})], [("x", "a"), ("x", "b", 0, 1), ("a", "out")]
    )
    problems = [p for p in Inference(g).problems() if p.kind == "missing_port"]
    assert [str(p) for p in problems] == [
        "node b (input 1): a wire from x goes to input 1, but Tanh has 1 input"
    ]


def test_wire_from_a_source_port_beyond_the_outputs(kit):
    g = _io(kit, [("a", "ReLU", {})], [("x", "a"), ("a", "out", 2, 0)])
    assert (
        str(_only(g)) == "node out (input 0): wired from output 2 of a, which has 1 output (output)"
    )
    g = _io(
        kit, [("r", "LSTM", {"hidden_size": 3})], [("x", "r"), ("r", "out", 3, 0)], shape=(5, 2)
    )
    assert str(_only(g)) == (
        "node out (input 0): wired from output 3 of r, which has 3 outputs (output, h_n, c_n)"
    )


def test_edge_to_a_missing_node_in_a_file_is_dropped_and_reported():
    g = graph_from_json(
        json.dumps(
            {
                "format": "nodeml.graph",
                "version": 1,
                "nodes": [
                    {"id": "a", "type": "Input", "params": {"shape": [3]}},
                    {"id": "o", "type": "Output"},
                ],
                "edges": [{"source": "a", "target": "ghost"}, {"source": "a", "target": "o"}],
            }
        )
    )
    p = _only(g)
    assert p.kind == "missing_node"
    assert str(p) == (
        "graph: edge 0 (a -> ghost) refers to ghost, which is not a node; the wire was dropped"
    )


def test_connecting_to_a_missing_node_is_refused(kit):
    g = _io(kit, [], [("x", "out")])
    with pytest.raises(GraphEditError, match="no node named 'ghost'"):
        g.connect(Edge("x", "ghost"))


def test_graph_without_input_or_output(kit):
    g = kit.build_graph([("a", "Linear", {"in_features": 3, "out_features": 2})], [])
    texts = _problems(g)
    assert "graph: the graph has no Input node; add one for the data" in texts
    assert "graph: the graph has no Output node; add one to mark what forward returns" in texts


def test_embedding_fed_floats(kit):
    g = _io(
        kit,
        [("e", "Embedding", {"num_embeddings": 10, "embedding_dim": 3})],
        [("x", "e"), ("e", "out")],
    )
    assert str(_only(g)) == (
        'node e: Embedding needs integer ids but input 0 is float32; set the Input node\'s dtype to "long"'
    )


def test_linear_fed_token_ids(kit):
    g = _io(kit, [("l", "Linear", {"out_features": 2})], [("x", "l"), ("l", "out")], dtype="long")
    p = _only(g)
    assert p.kind == "dtype"
    assert str(p) == (
        "node l: Linear needs floating-point input but input 0 is long; "
        "token ids go into an Embedding first"
    )


def test_double_input_to_float_weights(kit):
    """Meta kernels would promote the dtypes; a real CPU forward refuses, so inference does too."""
    g = _io(
        kit, [("l", "Linear", {"out_features": 2})], [("x", "l"), ("l", "out")], dtype="float64"
    )
    assert str(_only(g)) == (
        "node l: Linear holds float32 weights but input 0 is float64; "
        "set the Input node's dtype to float32"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"out_features": "12"}, 'out_features must be a whole number, got "12"'),
        ({"out_features": 1.5}, "out_features must be a whole number, got 1.5"),
        ({"out_features": True}, "out_features must be a whole number, got true"),
        ({"out_features": 0}, "out_features must be at least 1, got 0"),
        ({"out_features": None}, "out_features must not be null"),
        ({"out_features": 3, "bias": "yes"}, 'bias must be true or false, got "yes"'),
        ({}, "Linear needs out_features (e.g. 64)"),
        (
            {"out_features": 3, "out_feature": 2},
            "Linear has no param 'out_feature'; did you mean out_features?",
        ),
    ],
)
def test_bad_linear_params(kit, params, message):
    g = _io(kit, [("l", "Linear", params)], [("x", "l"), ("l", "out")])
    p = _only(g)
    assert str(p) == f"node l: {message}"
    assert p.kind == "param" and p.field is not None


@pytest.mark.parametrize(
    ("type_name", "params", "message"),
    [
        ("Dropout", {"p": 1.5}, "p must be at most 1.0, got 1.5"),
        ("Dropout", {"p": -0.1}, "p must be at least 0.0, got -0.1"),
        ("GELU", {"approximate": "fast"}, 'approximate must be one of "none", "tanh", got "fast"'),
        (
            "MaxPool1d",
            {"kernel_size": [2, "a"]},
            'kernel_size must be a whole number or a list of 1 whole number, got [2, "a"]',
        ),
        # torch builds these and fails only on the first batch: the node says so at once
        (
            "Conv2d",
            {"out_channels": 4, "kernel_size": [1, 1, 1]},
            "kernel_size must be a whole number or a list of 2 whole numbers, got [1, 1, 1]",
        ),
        (
            "ConvTranspose2d",
            {"out_channels": 4, "kernel_size": 2, "stride": [2]},
            "stride must be a whole number or a list of 2 whole numbers, got [2]",
        ),
        (
            "AdaptiveAvgPool2d",
            {"output_size": [1, 1, 1]},
            "output_size must be a whole number or a list of 2 whole numbers, got [1, 1, 1]",
        ),
        (
            "MaxPool1d",
            {"kernel_size": []},
            "kernel_size must be a whole number or a list of 1 whole number, got []",
        ),
        (
            "LSTM",
            {"hidden_size": 3, "batch_first": False},
            "batch_first must be one of true, got false",
        ),
    ],
)
def test_bad_param_types_and_ranges(kit, type_name, params, message):
    g = _io(kit, [("n", type_name, params)], [("x", "n"), ("n", "out")], shape=(3, 8))
    assert str(_only(g)) == f"node n: {message}"


def test_params_torch_refuses_are_reported_on_the_node(kit):
    g = _io(
        kit, [("n", "GroupNorm", {"num_groups": 2})], [("x", "n"), ("n", "out")], shape=(3, 4, 4)
    )
    assert str(_only(g)) == (
        "node n: GroupNorm refused its params: num_channels (3) must be divisible by num_groups (2)"
    )


def test_shape_torch_refuses_is_reported_on_the_node(kit):
    g = _io(
        kit, [("p", "MaxPool2d", {"kernel_size": 5})], [("x", "p"), ("p", "out")], shape=(1, 3, 3)
    )
    p = _only(g)
    assert (p.kind, p.node) == ("shape", "p")
    assert str(p).startswith("node p: MaxPool2d cannot take input (N, 1, 3, 3): ")


@pytest.mark.parametrize(
    ("type_name", "params"),
    [
        ("Concat", {"dim": 0}),
        ("Select", {"dim": 0, "index": 0}),
        ("Flatten", {"start_dim": 0}),
    ],
)
def test_merging_or_dropping_the_batch_dim_is_refused(kit, type_name, params):
    edges = [("x", "n"), ("n", "out")] + ([("x", "n", 0, 1)] if type_name == "Concat" else [])
    g = _io(kit, [("n", type_name, params)], edges, shape=(3, 4))
    p = _only(g)
    assert p.kind == "batch"
    assert str(p) == (
        f"node n: {type_name} would merge the batch dim (dim 0) into another or drop it; "
        "count dims from 1 for the sample's own dims"
    )


def test_a_moved_batch_dim_is_followed(kit):
    g = _io(
        kit, [("t", "Transpose", {"dim0": 0, "dim1": 1})], [("x", "t"), ("t", "out")], shape=(3, 4)
    )
    assert Inference(g).info("t").shape.describe() == "(3, N, 4)"


def test_unknown_type_suggests_the_close_name(kit):
    g = _io(kit, [("l", "Linaer", {})], [("x", "l"), ("l", "out")])
    assert str(_only(g)) == "node l: unknown node type 'Linaer'; did you mean Linear?"
    g = _io(kit, [("l", "Zzyzx", {})], [("x", "l"), ("l", "out")])
    assert str(_only(g)) == (
        "node l: unknown node type 'Zzyzx'; see the palette for the types nodeml knows"
    )


def _file(nodes, edges=(), **top):
    return json.dumps(
        {"format": "nodeml.graph", "version": 1, "nodes": nodes, "edges": list(edges), **top}
    )


def _format_errors(text):
    with pytest.raises(GraphFormatError) as info:
        graph_from_json(text)
    return [str(p) for p in info.value.problems]


def test_duplicate_ids_in_a_file():
    text = _file([{"id": "a", "type": "ReLU"}, {"id": "a", "type": "Tanh"}])
    assert _format_errors(text) == [
        "node a: id is used by nodes 0 and 1; every node needs its own id"
    ]


def test_duplicate_id_edit_is_refused(kit):
    g = _io(kit, [], [("x", "out")])
    with pytest.raises(GraphEditError, match="id 'x' is already used"):
        g.add_node(Node("x", "ReLU"))


@pytest.mark.parametrize(
    ("node_id", "why"),
    [
        ("1a", "is not a Python identifier"),
        ("a-b", "is not a Python identifier"),
        ("", "is not a Python identifier"),
        (7, "is not a Python identifier"),
        ("class", "is a Python keyword"),
        ("__init__", "may not start with two underscores"),
        ("forward", "clashes with the nn.Module attribute"),
        ("training", "clashes with the nn.Module attribute"),
    ],
)
def test_invalid_ids_in_a_file(node_id, why):
    errors = _format_errors(_file([{"id": node_id, "type": "ReLU"}]))
    assert len(errors) == 1 and why in errors[0] and errors[0].startswith("graph: nodes[0]: id ")


def test_every_unreadable_node_is_listed_not_just_the_first():
    text = _file(
        [
            {"id": "1a", "type": "ReLU"},
            {"id": "b", "type": 3},
            {"id": "c", "type": "ReLU", "params": []},
        ]
    )
    assert _format_errors(text) == [
        "graph: nodes[0]: id '1a' is not a Python identifier (letters, digits and _, not starting with a digit)",
        "node b: type must be a non-empty string",
        "node c: params must be an object",
    ]


def test_newer_version_is_refused():
    assert _format_errors(_file([], version=2)) == [
        "graph: <string> is graph format version 2, newer than this nodeml reads (version 1); "
        "update nodeml to open it"
    ]


@pytest.mark.parametrize(
    "text", ['{"hello": 1}', "[1, 2]", '"nodeml.graph"', '{"format": "other"}']
)
def test_a_file_that_is_not_a_nodeml_graph(text):
    assert _format_errors(text) == [
        'graph: <string> is not a nodeml graph (expected a JSON object with "format": "nodeml.graph")'
    ]


def test_invalid_json_and_nan_are_refused():
    assert _format_errors("[1, 2")[0].startswith("graph: <string> is not valid JSON: ")
    text = _file([{"id": "a", "type": "Dropout", "params": {"p": 1}}]).replace(": 1}", ": NaN}")
    assert _format_errors(text) == [
        "graph: <string> is not valid JSON: NaN is not allowed in a graph file"
    ]


def test_one_bad_node_does_not_hide_the_shapes_of_the_rest(kit):
    g = kit.build_graph(
        [
            ("x", "Input", {"shape": [3, 8, 8]}),
            ("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3}),
            ("flat", "Flatten", {}),
            ("fc", "Linear", {"out_features": 5}),
            ("out", "Output", {}),
            ("side", "Frobnicate", {}),
            ("after_side", "ReLU", {}),
            ("out2", "Output", {}),
            ("wrong", "Linear", {"in_features": 7, "out_features": 2}),
            ("after_wrong", "Tanh", {}),
            ("out3", "Output", {}),
        ],
        [
            ("x", "conv"),
            ("conv", "flat"),
            ("flat", "fc"),
            ("fc", "out"),
            ("x", "side"),
            ("side", "after_side"),
            ("after_side", "out2"),
            ("flat", "wrong"),
            ("wrong", "after_wrong"),
            ("after_wrong", "out3"),
        ],
    )
    inference = Inference(g)
    infos = inference.all()
    assert {p.node for p in inference.problems()} == {"side", "wrong"}
    assert infos["conv"].shape.describe() == "(N, 4, 6, 6)"
    assert infos["fc"].shape.describe() == "(N, 5)"
    assert infos["out"].shape.describe() == "(N, 5)"
    assert infos["side"].outputs is None and infos["after_side"].outputs is None
    assert infos["after_side"].problems == []  # the cause is reported once, at its node
    # a wrong size is reported and the inferred one carries on downstream
    assert infos["after_wrong"].shape.describe() == "(N, 2)"
    assert (
        inference.totals().params
        == infos["conv"].params + infos["fc"].params + infos["wrong"].params
    )


def test_invalid_graph_error_lists_every_problem(kit):
    g = _io(
        kit,
        [("a", "Linaer", {}), ("b", "Dropout", {"p": 2})],
        [("x", "a"), ("x", "b"), ("b", "out")],
    )
    with pytest.raises(InvalidGraphError) as info:
        compile_graph(g)
    assert {p.node for p in info.value.problems} == {"a", "b"}
    assert "the graph has 2 problem(s)" in str(info.value)
