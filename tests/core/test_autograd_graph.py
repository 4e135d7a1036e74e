"""The backward graph of one batch: grad_fn names, the layers and parameters they belong to, frozen
layers without a path, shapes, bounds on big models, and no side effects on the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import nodeml
from nodeml.core.autograd_graph import (
    AutogradGraph,
    GradNodeKind,
    autograd_graph,
    training_autograd_graph,
)
from nodeml.core.errors import TrainingError
from nodeml.core.serialize import graph_from_dict, graph_to_dict
from nodeml.core.training import ForwardError, TrainingConfig

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"
LENET_PARAMS = {
    "conv1.weight": (6, 1, 3, 3),
    "conv1.bias": (6,),
    "conv2.weight": (16, 6, 3, 3),
    "conv2.bias": (16,),
    "fc1.weight": (120, 576),
    "fc1.bias": (120,),
    "fc2.weight": (84, 120),
    "fc2.bias": (84,),
    "fc3.weight": (10, 84),
    "fc3.bias": (10,),
}


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def sample_graph(name: str, **node_extras: dict) -> dict:
    data = json.loads((SAMPLES / f"{name}.json").read_text())
    for node in data["nodes"]:
        node.update(node_extras.get(node["id"], {}))
    return data


def lenet_graph(style: str = "modules", **node_extras: dict) -> AutogradGraph:
    data = sample_graph("lenet", **node_extras)
    torch.manual_seed(0)
    model = nodeml.compile_graph(graph_from_dict(data), style)
    x, y = torch.randn(4, 1, 32, 32), torch.tensor([0, 1, 2, 3])
    return autograd_graph(model, x, y, F.cross_entropy, input_ids=["image"])


def ops_by_layer(graph: AutogradGraph) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for n in graph.nodes:
        if n.kind is GradNodeKind.OPERATION:
            out.setdefault(n.layer, []).append(n.name)
    return out


@pytest.mark.parametrize("style", ["modules", "functional"])
def test_lenet_backward_graph_names_each_operation_and_its_layer(style):
    graph = lenet_graph(style)
    assert graph.nodes[0].name == "NllLossBackward0" and graph.nodes[0].layer is None
    ops = ops_by_layer(graph)
    assert ops[None] == ["NllLossBackward0", "LogSoftmaxBackward0"]  # the loss's own
    assert ops["conv1"] == ["ConvolutionBackward0"] and ops["conv2"] == ["ConvolutionBackward0"]
    for fc in ("fc1", "fc2", "fc3"):
        assert sorted(ops[fc]) == ["AddmmBackward0", "TBackward0"]  # x @ W.T + b
    for relu in ("relu1", "relu2", "relu3", "relu4"):
        assert ops[relu] == ["ReluBackward0"]  # F.relu in the functional style: no module
    assert ops["pool1"] == ops["pool2"] == ["MaxPool2DWithIndicesBackward0"]
    assert len(ops["flatten"]) == 1 and ops["flatten"][0].endswith("Backward0")


def test_every_lenet_parameter_is_filled_by_a_path_from_the_loss_with_its_shape():
    graph = lenet_graph()
    params = graph.parameter_nodes()
    assert set(params) == set(LENET_PARAMS)
    for name, shape in LENET_PARAMS.items():
        node = params[name]
        assert node.kind is GradNodeKind.PARAMETER and node.name == "AccumulateGrad"
        assert node.layer == name.split(".")[0] and node.shapes == (shape,)
        assert graph.reaches(node.id)
    assert graph.frozen == () and graph.unreached == () and graph.omitted == 0


def test_shapes_teach_what_flows_and_what_is_saved():
    graph = lenet_graph()
    conv1 = next(n for n in graph.nodes if n.layer == "conv1" and n.kind is GradNodeKind.OPERATION)
    assert conv1.shapes == ((4, 6, 30, 30),)  # the gradient it receives: its output's shape
    assert ("input", (4, 1, 32, 32)) in conv1.saved and ("weight", (6, 1, 3, 3)) in conv1.saved
    fc1 = next(n for n in graph.nodes if n.layer == "fc1" and n.name == "AddmmBackward0")
    assert fc1.shapes == ((4, 120),) and ("mat1", (4, 576)) in fc1.saved
    assert graph.loss > 0


def test_a_frozen_layer_has_no_gradient_path():
    graph = lenet_graph(conv1={"trainable": False})
    assert {p.name: p.shape for p in graph.frozen} == {
        "conv1.weight": (6, 1, 3, 3),
        "conv1.bias": (6,),
    }
    assert {p.layer for p in graph.frozen} == {"conv1"}
    assert set(graph.parameter_nodes()) == set(LENET_PARAMS) - {"conv1.weight", "conv1.bias"}
    # nothing before conv2 needs a gradient: autograd records no operation there at all
    layers = {n.layer for n in graph.nodes}
    assert layers.isdisjoint({"conv1", "relu1", "pool1"}) and "conv2" in layers


def test_a_fully_frozen_model_has_an_empty_graph_that_says_why():
    model = nn.Linear(3, 2).requires_grad_(False)
    graph = autograd_graph(model, torch.randn(2, 3))
    assert graph.nodes == () and "frozen" in graph.notes[0] and len(graph.frozen) == 2


def test_the_pass_leaves_the_model_as_it_was():
    data = sample_graph("residual_block")
    model = nodeml.compile_graph(graph_from_dict(data)).eval()
    before = {k: v.clone() for k, v in model.state_dict().items() if torch.is_tensor(v)}
    x, y = torch.randn(4, 1, 28, 28), torch.tensor([1, 2, 3, 4])
    rng = torch.get_rng_state()
    graph = autograd_graph(model, x, y, F.cross_entropy)
    assert "NativeBatchNormBackward0" in {n.name for n in graph.nodes}  # ran in training mode
    assert not model.training  # and is back in eval mode
    after = model.state_dict()
    assert all(torch.equal(v, after[k]) for k, v in before.items())  # running stats too
    assert torch.equal(rng, torch.get_rng_state())
    assert all(p.grad is None for p in model.parameters())  # nothing was back-propagated
    assert ops_by_layer(graph)["add"] == ["AddBackward0"]  # a functional Add, from the locals


def test_dropout_in_the_pass_draws_no_numbers_from_the_training_run():
    model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    x = torch.randn(4, 3)
    rng = torch.get_rng_state()
    graph = autograd_graph(model, x)
    assert "MulBackward0" in {n.name for n in graph.nodes}  # x * mask / (1 - p): it ran
    assert torch.equal(rng, torch.get_rng_state())
    assert ops_by_layer(graph)["1"] == ["MulBackward0"]  # a hand-written model: child names


def test_a_big_layer_is_collapsed_and_the_graph_stays_within_its_cap():
    data = sample_graph("transfer_resnet18", backbone={"trainable": True})
    model = nodeml.compile_graph(graph_from_dict(data))
    x, y = torch.randn(2, 3, 32, 32), torch.tensor([0, 1])
    graph = autograd_graph(model, x, y, F.cross_entropy, input_ids=["image"])
    backbone = [n for n in graph.nodes if n.layer == "backbone"]
    assert len(backbone) == 1 and backbone[0].kind is GradNodeKind.COLLAPSED
    assert backbone[0].count > 40 and len(backbone[0].parameters) == 62 - 2  # all but its fc
    assert backbone[0].shapes == ((2, 512),)
    assert graph.reaches(backbone[0].id) and "backbone: " in graph.notes[0]
    full = autograd_graph(model, x, y, F.cross_entropy, collapse_over=10_000, max_nodes=10_000)
    assert len(full.nodes) > 100 and full.notes == ()
    capped = autograd_graph(model, x, y, F.cross_entropy, collapse_over=10_000, max_nodes=5)
    assert len(capped.nodes) <= 5 and capped.notes  # the largest layer folded first
    tiny = lenet_graph()
    assert len(tiny.nodes) == 27  # LeNet is small enough to show whole


def test_a_cap_below_what_collapsing_can_reach_leaves_out_the_farthest_nodes():
    data = sample_graph("lenet")
    model = nodeml.compile_graph(graph_from_dict(data))
    x, y = torch.randn(2, 1, 32, 32), torch.tensor([0, 1])
    graph = autograd_graph(model, x, y, F.cross_entropy, max_nodes=3, collapse_over=10_000)
    assert len(graph.nodes) == 3 and graph.omitted > 0
    assert all(a < 3 and b < 3 for a, b in graph.edges)


def test_one_training_batch_with_the_configured_loss():
    graph = nodeml.load_graph(SAMPLES / "lenet.json")
    config = TrainingConfig.from_dict(graph.extras["training"]).replace(
        dataset_options={"image_size": 32, "channels": 1, "n": 100}, batch_size=8
    )
    model = nodeml.compile_graph(graph)
    result = training_autograd_graph(model, config, graph=graph_to_dict(graph))
    assert result.nodes[0].name == "NllLossBackward0"  # cross-entropy, as configured
    assert result.nodes[2].shapes == ((8, 10),)  # fc3's output for one batch of 8
    assert set(result.parameter_nodes()) == set(LENET_PARAMS)


def test_a_forward_that_fails_names_its_node_and_a_bad_target_names_the_loss():
    data = sample_graph("lenet")
    model = nodeml.compile_graph(graph_from_dict(data))
    with pytest.raises(ForwardError, match="node conv1 failed") as caught:
        autograd_graph(model, torch.randn(2, 3, 32, 32))  # three channels into a 1-channel conv
    assert caught.value.node == "conv1"
    with pytest.raises(TrainingError, match="the loss failed on this batch"):
        autograd_graph(model, torch.randn(2, 1, 32, 32), torch.tensor([0, 1, 2]), F.cross_entropy)
    assert all(p.grad is None for p in model.parameters())
