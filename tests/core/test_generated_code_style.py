"""Generated code is clean where users put it: ruff check (E, F, W, I, UP, B) and ruff format
pass on it at ruff's defaults, for every sample, random single-layer graphs and random models,
in both code styles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nodeml
from nodeml.core.catalog import CATALOG
from nodeml.core.compile import export_code
from nodeml.core.errors import InvalidGraphError
from nodeml.core.graph import Edge, Graph, Node, id_problem

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_graphs").glob("*.json"))
LAYERS = sorted(t for t in CATALOG if t not in ("Input", "Output"))
RULES = "E,F,W,I,UP,B"


def ruff_complaints(source: str) -> list[str]:
    """What ``ruff check`` and ``ruff format --check`` say of ``source`` (no project config)."""
    run = [sys.executable, "-m", "ruff"]
    check = subprocess.run(
        [*run, "check", "--isolated", "--select", RULES, "--output-format", "concise", "-"],
        input=source,
        capture_output=True,
        text=True,
    )
    formatted = subprocess.run(
        [*run, "format", "--isolated", "-"], input=source, capture_output=True, text=True
    )
    found = [line for line in check.stdout.splitlines() if line.startswith("-:")]
    if formatted.stdout != source:
        found.append("ruff format would change it")
    return found


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", ["modules", "functional"])
def test_every_sample_exports_clean_code(path, style):
    graph = nodeml.load_graph(path)
    for sequential in (False, True):
        source = export_code(graph, style=style, sequential=sequential)
        assert ruff_complaints(source) == [], source


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_layer_exports_clean_code(kit, data):
    type_name = data.draw(st.sampled_from(LAYERS))
    graph = kit.single_node_graph(type_name, kit.draw_case(data, type_name))
    graph.extras["training"] = {"dataset": data.draw(st.sampled_from(["shapes", "csv"]))}
    try:
        source = export_code(graph, style=data.draw(st.sampled_from(["modules", "functional"])))
    except InvalidGraphError:
        return
    assert ruff_complaints(source) == [], source


# ids a user may well give, several of them names the generated module itself uses
_IDS = ["x", "input", "output", "outputs", "model", "torch", "nn", "F", "print", "tuple", "conv"]


@st.composite
def random_models(draw) -> Graph:
    """A random valid model: an image Input, then convolutions, norms, activations, pools and
    residual Adds, flattened into linear layers, ending in one or two Outputs; awkward ids."""
    graph = Graph(draw(st.text(min_size=0, max_size=30)))
    taken: set[str] = set()

    def add(type_name: str, params: dict, *sources: str) -> str:
        base = draw(st.sampled_from(_IDS))
        nid, i = base, 1
        while nid in taken or id_problem(nid):
            nid, i = f"{base}{i}", i + 1
        taken.add(nid)
        graph.add_node(Node(nid, type_name, params))
        for port, source in enumerate(sources):
            graph.connect(Edge(source, nid, 0, port))
        return nid

    channels = draw(st.integers(1, 4))
    current = add("Input", {"shape": [channels, 8, 8]})
    shapes = {current: ("image", channels)}
    for _ in range(draw(st.integers(1, 6))):
        kind, width = shapes[current]
        if kind == "image":
            choice = draw(st.sampled_from(["Conv2d", "BatchNorm2d", "ReLU", "Dropout2d", "Add"]))
            if choice == "Conv2d":
                width = draw(st.integers(1, 6))
                params = {"out_channels": width, "kernel_size": 3, "padding": 1}
                current = add("Conv2d", params, current)
            elif choice == "Add":
                same = [n for n, s in shapes.items() if s == shapes[current] and n != current]
                if not same:
                    continue
                current = add("Add", {}, current, draw(st.sampled_from(same)))
            else:
                current = add(choice, {}, current)
        else:
            choice = draw(st.sampled_from(["Linear", "ReLU", "Dropout", "LayerNorm", "Softmax"]))
            if choice == "Linear":
                width = draw(st.integers(1, 12))
                current = add("Linear", {"out_features": width}, current)
            else:
                current = add(choice, {}, current)
        shapes[current] = (kind, width)
    if shapes[current][0] == "image":
        current = add("Flatten", {}, current)
        current = add("Linear", {"out_features": draw(st.integers(1, 5))}, current)
    add("Output", {}, current)
    if draw(st.booleans()):  # a second Output: forward returns a tuple
        add("Output", {}, draw(st.sampled_from(sorted(set(shapes) - {current}))))
    return graph


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=random_models(), training=st.sampled_from([None, "shapes", "csv", "linear1d"]))
def test_random_models_export_clean_code_in_every_style(graph, training):
    if training is not None:
        graph.extras["training"] = {"dataset": training}
    for style in ("modules", "functional"):
        for sequential in (False, True):
            try:
                source = export_code(graph, style=style, sequential=sequential)
            except InvalidGraphError as exc:  # the drawing only builds valid models
                raise AssertionError(f"{exc}\n{graph.name!r}") from None
            assert ruff_complaints(source) == [], source
