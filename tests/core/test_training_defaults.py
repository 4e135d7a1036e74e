"""A graph without a training section starts from a built-in dataset that fits its Input."""

from __future__ import annotations

from pathlib import Path

import pytest

from nodeml import load_graph
from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.training import TrainingConfig
from nodeml.core.training.datasets import check_input, dataset_spec, resolve_options
from nodeml.core.training.defaults import default_dataset, training_config

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


def _net(shape: list[int], out: int, dtype: str = "float32", hidden: str = "Linear") -> Graph:
    g = Graph("t")
    g.add_node(Node("x", "Input", {"shape": shape, "dtype": dtype}))
    if dtype == "long":
        g.add_node(Node("emb", "Embedding", {"num_embeddings": 32, "embedding_dim": 8}))
        g.add_node(Node("flat", "Flatten"))
        g.add_node(Node("fc", "Linear", {"out_features": out}))
        chain = ["x", "emb", "flat", "fc"]
    else:
        g.add_node(Node("fc", hidden, {"out_features": out}))
        chain = ["x", "fc"]
    g.add_node(Node("out", "Output"))
    for a, b in zip([*chain], [*chain[1:], "out"], strict=True):
        g.connect(Edge(a, b))
    return g


def _fits(graph: Graph, name: str, options: dict) -> bool:
    spec = dataset_spec(name)
    info = spec.build(resolve_options(spec, {**options, "n": 10})).info
    return check_input(info, graph) == []


def test_lenet_without_a_training_section_gets_32px_shape_images():
    lenet = load_graph(SAMPLES / "lenet.json")
    written = lenet.extras.pop("training")
    name, options = default_dataset(lenet)
    assert (name, options) == ("shapes", {"image_size": 32})  # channels=1 is the set's default
    assert _fits(lenet, name, options)
    spec = dataset_spec(name)
    assert written["dataset"] == name  # what the sample's author chose
    assert resolve_options(spec, written["dataset_options"]) == resolve_options(spec, options)


@pytest.mark.parametrize(
    ("shape", "out", "dtype", "want"),
    [
        ([2], 2, "float32", ("spirals", {})),
        ([2], 3, "float32", ("spirals", {"classes": 3})),  # as many arms as output units
        ([1], 1, "float32", ("linear1d", {})),
        ([3], 1, "float32", ("linear3d", {})),
        ([3, 28, 28], 10, "float32", ("shapes", {"channels": 3})),
        ([16], 4, "long", ("tokens", {})),
        ([24], 4, "long", ("tokens", {"length": 24})),
    ],
)
def test_the_default_fits_the_input_and_where_it_can_the_output(shape, out, dtype, want):
    graph = _net(shape, out, dtype)
    assert default_dataset(graph) == want
    assert _fits(graph, *want)


def test_nothing_fits_or_no_single_input_keeps_the_usual_default():
    assert default_dataset(_net([784], 10)) == (TrainingConfig.dataset, {})
    two = _net([2], 2)
    two.add_node(Node("y", "Input", {"shape": [2]}))
    assert default_dataset(two) == (TrainingConfig.dataset, {})
    assert default_dataset(Graph("empty")) == (TrainingConfig.dataset, {})


def test_a_training_section_wins_over_the_default():
    lenet = load_graph(SAMPLES / "lenet.json")
    lenet.extras["training"] = {"dataset": "moons", "epochs": 3}
    config = training_config(lenet)
    assert (config.dataset, config.epochs) == ("moons", 3)
    del lenet.extras["training"]
    assert training_config(lenet).dataset_options == {"image_size": 32}


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_sample_without_its_section_gets_a_dataset_that_fits_it(sample):
    graph = load_graph(SAMPLES / sample)
    graph.extras.pop("training", None)
    name, options = default_dataset(graph)
    assert _fits(graph, name, options), (name, options)


def test_nodeml_train_without_a_section_trains_on_the_fitting_dataset(tmp_path, capsys):
    import json

    import torch

    from nodeml.cli import main
    from nodeml.core.serialize import save_graph

    path = tmp_path / "bare.json"
    save_graph(_net([2], 3), path)  # no training section
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        code = main(["train", str(path), "--epochs", "1", "--out", str(tmp_path / "run")])
    finally:
        torch.set_num_threads(before)
    assert code == 0, capsys.readouterr().err
    settings = json.loads((tmp_path / "run" / "settings.json").read_text(encoding="utf-8"))
    assert settings["training"]["dataset"] == "spirals"
    assert settings["training"]["dataset_options"] == {"classes": 3}
    assert settings["dataset"]["num_classes"] == 3
