"""Random graphs and random files: each compiles with exact shapes or yields located problems."""

from __future__ import annotations

import json
from typing import Any

import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nodeml.core.catalog import CATALOG
from nodeml.core.compile import compile_graph, export_code
from nodeml.core.errors import GraphFormatError, InvalidGraphError
from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.serialize import graph_from_json, graph_to_json
from nodeml.core.shapes import Inference

LAYERS = sorted(t for t in CATALOG if t not in ("Input", "Output"))
_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_junk = st.one_of(st.none(), st.text(max_size=4), st.just({"a": 1}), st.just([[1]]), st.just(True))


def _value(draw, p) -> Any:
    """A value for a param: usually of its kind (often out of range), sometimes junk."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_junk)
    small = st.integers(-1, 7)
    if p.kind == "int":
        return draw(small)
    if p.kind == "float":
        return draw(st.sampled_from([0.0, 0.1, 0.5, 1.0, 2.0, -0.5]))
    if p.kind == "bool":
        return draw(st.booleans())
    if p.kind == "str":
        return draw(st.sampled_from(p.choices) if p.choices else st.text(max_size=5))
    if p.kind == "ints":
        return draw(st.lists(small, max_size=4))
    if p.kind == "size":
        return draw(small | st.lists(st.integers(0, 4), min_size=1, max_size=3))
    return draw(
        st.sampled_from([1.0, 2, 0.5])
        | st.lists(st.sampled_from([1.0, 2.0]), min_size=1, max_size=3)
    )


@st.composite
def _params(draw, type_name: str, kit) -> dict[str, Any]:
    spec = CATALOG[type_name]
    how = draw(st.sampled_from(["initial", "case", "random"]))
    if how == "initial":
        return spec.initial_params()
    if how == "case":
        return kit.draw_case(_Data(draw), type_name)[1]
    params = {}
    for p in spec.params:
        if draw(st.integers(0, 2)) == 0:
            params[p.name] = _value(draw, p)
    if draw(st.integers(0, 15)) == 0:
        params["bogus"] = 1
    return params


class _Data:
    def __init__(self, draw):
        self.draw = draw


@st.composite
def random_graphs(draw, kit) -> Graph:
    g = Graph(draw(st.sampled_from(["Fuzz", "fuzz net", ""])))
    producers: list[tuple[str, int]] = []  # (id, number of outputs)
    for i in range(draw(st.integers(0, 2))):
        shape = draw(st.lists(st.integers(1, 6), min_size=1, max_size=4))
        dtype = draw(st.sampled_from(["float32", "float32", "float32", "long"]))
        g.add_node(Node(f"in{i}", "Input", {"shape": shape, "dtype": dtype}))
        producers.append((f"in{i}", 1))
    for i in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 20)) == 0:
            type_name = draw(st.sampled_from(["Linaer", "Frob", "os.system"]))
            params: dict[str, Any] = {}
            ports, outs = 1, 1
        else:
            type_name = draw(st.sampled_from(LAYERS))
            spec = CATALOG[type_name]
            params = draw(_params(type_name, kit))
            ports = draw(st.integers(2, 3)) if spec.variadic else len(spec.inputs)
            outs = len(spec.outputs)
        nid = f"n{i}"
        g.add_node(Node(nid, type_name, params))
        for port in range(ports):
            choice = draw(st.integers(0, 12))
            if choice == 0 or not producers:
                continue  # left unconnected
            src, n_out = draw(st.sampled_from(producers))
            sp = draw(st.integers(0, n_out)) if choice == 1 else draw(st.integers(0, n_out - 1))
            target_port = port + (choice == 2)  # sometimes one beyond the node's inputs
            if not any(e.target_port == target_port for e in g.in_edges(nid)):
                g.connect(Edge(src, nid, sp, target_port))
        producers.append((nid, outs))
    if producers and draw(st.integers(0, 8)) == 0:  # a wire back: usually a cycle
        (a, _), (b, _) = draw(st.sampled_from(producers)), draw(st.sampled_from(producers))
        if not any(e.target_port == 5 for e in g.in_edges(a)):
            g.connect(Edge(b, a, 0, 5))
    for i in range(draw(st.integers(0, 2))):
        g.add_node(Node(f"out{i}", "Output"))
        if producers:
            src, n_out = draw(st.sampled_from(producers[-3:]))
            g.connect(Edge(src, f"out{i}", draw(st.integers(0, n_out - 1)), 0))
    return g


_TAILS = ("ReLU", "Tanh", "Identity", "Dropout", "GELU", "Sigmoid", "LayerNorm", "Add")


@st.composite
def composed_graphs(draw, kit) -> Graph:
    """Blocks of a layer fed its own example input, each output through a few shape-keeping
    layers to an Output; sometimes one param is then set to a random value. Most compile."""
    g = Graph("Composed")
    for b in range(draw(st.integers(1, 3))):
        type_name = draw(st.sampled_from(LAYERS))
        inputs, params = kit.draw_case(_Data(draw), type_name)
        nid = f"n{b}"
        g.add_node(Node(nid, type_name, params))
        for port, (shape, dtype) in enumerate(inputs):
            g.add_node(Node(f"in{b}_{port}", "Input", {"shape": list(shape), "dtype": dtype}))
            g.connect(Edge(f"in{b}_{port}", nid, 0, port))
        for port in range(len(CATALOG[type_name].outputs)):
            src, src_port = nid, port
            for j in range(draw(st.integers(0, 2))):
                tail = draw(st.sampled_from(_TAILS))
                tid = f"t{b}_{port}_{j}"
                g.add_node(Node(tid, tail))
                g.connect(Edge(src, tid, src_port, 0))
                if tail == "Add":
                    g.connect(Edge(src, tid, src_port, 1))
                src, src_port = tid, 0
            g.add_node(Node(f"out{b}_{port}", "Output"))
            g.connect(Edge(src, f"out{b}_{port}", src_port, 0))
    if draw(st.integers(0, 3)) == 0:
        node = g.node(draw(st.sampled_from([n.id for n in g.nodes if n.type != "Output"])))
        spec = CATALOG[node.type]
        if spec.params:
            p = draw(st.sampled_from(spec.params))
            g.set_param(node.id, p.name, _value(draw, p))
    return g


@_SETTINGS
@given(data=st.data())
def test_random_graph_compiles_exactly_or_reports_located_problems(data, kit):
    graph = data.draw(random_graphs(kit) | composed_graphs(kit))
    inference = Inference(graph)
    problems = inference.problems()
    for p in problems:
        assert p.node is None or p.node in graph, p
        assert p.message and "Traceback" not in p.message
        assert p.kind != "internal", p
    text = graph_to_json(graph)
    assert graph_to_json(graph_from_json(text)) == text

    event("compiles" if not problems else "has problems")
    if problems:
        for style in ("modules", "functional"):
            try:
                compile_graph(graph, style)
            except InvalidGraphError as exc:
                assert [str(p) for p in exc.problems] == [str(p) for p in problems]
            else:
                raise AssertionError("a graph with problems compiled")
        try:
            export_code(graph)
        except InvalidGraphError:
            pass
        else:
            raise AssertionError("a graph with problems exported")
        return

    infos = inference.all()
    outputs = [n.id for n in graph.nodes if n.type == "Output"]
    xs = kit.example_inputs(graph, batch=2, seed=data.draw(st.integers(0, 3)))
    results = []
    for style in ("modules", "functional"):
        assert export_code(graph, style)
        model = compile_graph(graph, style).eval()
        if results:
            model.load_state_dict(results[0][0].state_dict())
        with torch.no_grad():
            out = kit.as_tuple(model(*[x.clone() for x in xs]))
        results.append((model, out))
        assert len(out) == len(outputs)
        for tensor, oid in zip(out, outputs, strict=True):
            assert tuple(tensor.shape) == infos[oid].shape.full_shape(2)
    for a, b in zip(results[0][1], results[1][1], strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0, equal_nan=True)


_json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=6),
        st.sampled_from(["nodeml.graph", "Input", "Linear", "x", "source", "target"]),
    ),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "params",
                    "pos",
                    "source",
                    "target",
                    "source_port",
                    "target_port",
                    "shape",
                    "out_features",
                    "x",
                ]
            )
            | st.text(max_size=4),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def graph_like_documents(draw) -> Any:
    doc: dict[str, Any] = {
        "format": "nodeml.graph",
        "version": draw(st.sampled_from([1, 1, 1, 2, 0, "1", None])),
    }
    for key in ("name", "nodes", "edges", "training"):
        if draw(st.booleans()):
            doc[key] = draw(_json_values)
    if draw(st.booleans()):
        doc["nodes"] = draw(
            st.lists(
                _json_values
                | st.fixed_dictionaries(
                    {
                        "id": st.sampled_from(["a", "b", "x", "1", "forward"]),
                        "type": st.sampled_from(["Input", "Linear", "ReLU", "Add", "Output"])
                        | _json_values,
                    },
                    optional={"params": _json_values, "pos": _json_values},
                ),
                max_size=5,
            )
        )
    if draw(st.booleans()):
        doc["edges"] = draw(
            st.lists(
                _json_values
                | st.fixed_dictionaries(
                    {
                        "source": st.sampled_from(["a", "b", "x"]),
                        "target": st.sampled_from(["a", "b", "x"]),
                    },
                    optional={"source_port": _json_values, "target_port": _json_values},
                ),
                max_size=5,
            )
        )
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(graph_like_documents(), _json_values), raw=st.booleans())
def test_any_json_loads_or_is_refused_with_a_format_error(doc, raw):
    text = json.dumps(doc)
    if raw:
        text = text[: len(text) // 2]  # truncated file
    try:
        graph = graph_from_json(text)
    except GraphFormatError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    problems = Inference(graph).problems()
    assert all(p.node is None or p.node in graph for p in problems)
    try:
        export_code(graph)
    except InvalidGraphError:
        assert problems
    assert graph_to_json(graph_from_json(graph_to_json(graph))) == graph_to_json(graph)
