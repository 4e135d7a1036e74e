"""Injection through ids, types, params and the graph name is refused or neutralised; nothing runs."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodeml.core.catalog import CATALOG, ParamSpec
from nodeml.core.catalog.spec import literal
from nodeml.core.compile import compile_graph, compile_result, export_code
from nodeml.core.errors import GraphEditError, GraphFormatError, InvalidGraphError
from nodeml.core.graph import Node
from nodeml.core.serialize import graph_from_json
from nodeml.core.shapes import Inference


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "pwned"


def _payload(marker: Path) -> str:
    return f"__import__('pathlib').Path({str(marker)!r}).touch()"


def _file(nodes, edges, name="Attack") -> str:
    return json.dumps(
        {"format": "nodeml.graph", "version": 1, "name": name, "nodes": nodes, "edges": edges}
    )


def _chain(middle: dict, name: str = "Attack") -> str:
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [4]}},
        middle,
        {"id": "out", "type": "Output"},
    ]
    edges = [{"source": "x", "target": middle["id"]}, {"source": middle["id"], "target": "out"}]
    return _file(nodes, edges, name)


def _assert_source_is_clean(source: str) -> None:
    """Parses, imports only torch, and calls nothing outside torch / the model's own layers."""
    tree = ast.parse(source)
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert all(a.name in ("torch", "torch.nn.functional") for a in node.names)
        if isinstance(node, ast.ImportFrom):
            assert node.module == "torch"
        if isinstance(node, ast.Name):
            assert node.id not in (
                "os",
                "__import__",
                "eval",
                "exec",
                "open",
                "pathlib",
                "subprocess",
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id in {"super", "tuple", "print", "model", *classes}


def _attempt(text: str, marker: Path) -> list[str]:
    """Do everything a user can do with a file; return what refused it."""
    refused = []
    try:
        graph = graph_from_json(text)
    except GraphFormatError as exc:
        return [f"load: {exc}"]
    problems = Inference(graph).problems()
    refused += [f"inference: {p}" for p in problems]
    for style in ("modules", "functional"):
        try:
            source = export_code(graph, style)
        except InvalidGraphError as exc:
            refused.append(f"export: {exc}")
            continue
        _assert_source_is_clean(source)
        compile_graph(graph, style)
    assert not marker.exists()
    return refused


@pytest.mark.parametrize(
    "bad_id",
    [
        "x; import os",
        "x\nimport os",
        "__class__",
        "__init__",
        "forward",
        "training",
        "_modules",
        "state_dict",
        "nodeml_source",
        "import",
        "a.b",
        "ｆｏｒｗａｒｄ",  # non-ASCII look-alike
    ],
)
def test_ids_that_are_not_plain_identifiers_are_refused(bad_id, marker):
    middle = {"id": bad_id + "", "type": "ReLU"}
    refused = _attempt(_chain(middle), marker)
    assert refused and refused[0].startswith("load: ")
    with pytest.raises(GraphEditError):
        graph_from_json(_chain({"id": "ok", "type": "ReLU"})).add_node(Node(bad_id, "ReLU"))


def test_ids_with_code_in_them_never_run(marker):
    bad = f"x; {_payload(marker)}"
    assert _attempt(_chain({"id": bad, "type": "ReLU"}), marker)[0].startswith("load: ")


def test_type_names_are_looked_up_never_pasted(marker):
    for bad in (
        f"Linear(1, 1); {_payload(marker)}",
        "Linear(1,1)",
        "nn.ReLU",
        "__import__",
        "os.system",
    ):
        refused = _attempt(_chain({"id": "n", "type": bad}), marker)
        assert any("unknown node type" in r for r in refused)
        assert any(r.startswith("export: ") for r in refused)


@pytest.mark.parametrize(
    ("type_name", "params"),
    [
        ("Linear", {"out_features": "3); import os; os.system('x'); (1"}),
        ("Linear", {"out_features": "3\nimport os"}),
        ("Dropout", {"p": "0.5, training=True); __import__('os').system('x') #"}),
        ("GELU", {"approximate": "tanh'); __import__('os').system('x'); ('"}),
        ("Reshape", {"shape": ["4); import os #"]}),
        ("Reshape", {"shape": [[4]]}),
        ("Linear", {"out_features": {"__class__": 1}}),
        ("Linear", {"out_features": 3, "bias=True); import os; (": 1}),
    ],
)
def test_params_with_code_are_refused(type_name, params, marker):
    params = {
        k: (v.replace("os.system('x')", _payload(marker)) if isinstance(v, str) else v)
        for k, v in params.items()
    }
    refused = _attempt(_chain({"id": "n", "type": type_name, "params": params}), marker)
    assert any(r.startswith("inference: node n: ") for r in refused)
    assert any(r.startswith("export: ") for r in refused)


def test_free_text_params_are_written_only_by_repr(marker, monkeypatch):
    """No catalog param is free text today; a layer that had one still could not inject code."""
    label = ParamSpec("label", "str")  # torch-required: written positionally
    spec = dataclasses.replace(CATALOG["Identity"], params=(label,))
    monkeypatch.setitem(CATALOG, "Identity", spec)
    evil = f'a"""\'\'\'\\\n); {_payload(marker)}; ("'
    text = _chain({"id": "n", "type": "Identity", "params": {"label": evil}})
    assert _attempt(text, marker) == []
    source = export_code(graph_from_json(text))
    (call,) = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Identity"
    ]
    assert [ast.literal_eval(a) for a in call.args] == [evil]


@given(
    st.one_of(
        st.text(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.lists(st.integers(), max_size=4),
        st.booleans(),
        st.none(),
    )
)
@settings(max_examples=60, deadline=None)
def test_literal_renders_only_values_that_read_back_unchanged(value):
    rendered = literal(value)
    back = ast.literal_eval(rendered)
    assert back == (tuple(value) if isinstance(value, list) else value)


@pytest.mark.parametrize(
    "name",
    [
        'Evil"""\nimport os\nos.system("touch pwned")\n"""',
        "Evil'''\\\n\\x00\\",
        '\\"""; __import__(\'os\')',
        "class",
        "123",
        "",
        "x" * 500,
    ],
)
def test_graph_name_is_neutralised(name, marker):
    name = name.replace('os.system("touch pwned")', _payload(marker))
    text = _chain({"id": "act", "type": "ReLU"}, name=name)
    assert _attempt(text, marker) == []
    source = export_code(graph_from_json(text))
    tree = ast.parse(source)
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert cls.name.isidentifier()
    assert [type(n).__name__ for n in tree.body] == [
        "Expr",
        "Import",
        "ImportFrom",
        "ClassDef",
        "If",
    ]
    result = compile_result(graph_from_json(text))
    assert result.model_class.__name__ == cls.name


def test_ids_that_shadow_names_of_the_generated_code_still_work(kit, tmp_path):
    """A node may be called torch, F, nn, self, print or model: the code renames its variable."""
    g = kit.build_graph(
        [
            ("self", "Input", {"shape": [4]}),
            ("tuple", "Input", {"shape": [3]}),
            ("torch", "Linear", {"out_features": 3}),
            ("F", "ReLU", {}),
            ("nn", "Add", {}),
            ("print", "Tanh", {}),
            ("model", "Output", {}),
            ("output", "Output", {}),
        ],
        [
            ("self", "torch"),
            ("torch", "F"),
            ("F", "nn"),
            ("tuple", "nn", 0, 1),
            ("nn", "print"),
            ("print", "model"),
            ("F", "output"),
        ],
        name="Shadows",
    )
    import runpy

    import torch

    for style in ("modules", "functional"):
        model = compile_result(g, style).model_class()
        a, b = model(torch.randn(2, 4), torch.randn(2, 3))
        assert a.shape == b.shape == (2, 3)
        path = tmp_path / f"shadows_{style}.py"
        path.write_text(export_code(g, style))
        runpy.run_path(str(path), run_name="__main__")
