"""The sample graphs load cleanly, round-trip byte-stable, and compile to the models they claim."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from reference_models import (  # tests/core is on sys.path under pytest
    ConvAutoencoder,
    LeNet,
    LinearRegression,
    LSTMClassifier,
    QuickstartMLP,
    ResidualNet,
    ResNetBlocks,
    TransferResNet18,
    TwoBranch,
)

import nodeml
from nodeml.core.serialize import graph_to_json
from nodeml.core.shapes import Inference
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.datasets import check_input, dataset_spec, resolve_options

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"
DATASETS = {"linear1d", "linear3d", "spirals", "moons", "shapes", "tokens"}


# Hand-written references. Parametric layers use the sample's node ids as attribute names, so
# the compiled model's state_dict loads into them unchanged.
def _tokens(n: int) -> torch.Tensor:
    return torch.randint(0, 32, (n, 16))


# file -> (reference factory, example input for a batch of n, parameter count)
CASES = {
    "linear_regression": (lambda: LinearRegression(1), lambda n: torch.randn(n, 1), 2),
    "multivariate_regression": (lambda: LinearRegression(3), lambda n: torch.randn(n, 3), 4),
    "quickstart_mlp": (QuickstartMLP, lambda n: torch.randn(n, 1, 28, 28), 669_706),
    "lenet": (LeNet, lambda n: torch.randn(n, 1, 32, 32), 81_194),
    "residual_block": (ResidualNet, lambda n: torch.randn(n, 1, 28, 28), 5_002),
    "two_branch_concat": (TwoBranch, lambda n: torch.randn(n, 2), 2_338),
    "lstm_text_classifier": (LSTMClassifier, _tokens, 7_044),
    "conv_autoencoder": (ConvAutoencoder, lambda n: torch.rand(n, 1, 28, 28), 1_993),
    "transfer_resnet18": (TransferResNet18, lambda n: torch.randn(n, 3, 32, 32), 11_181_642),
    "resnet_blocks": (ResNetBlocks, lambda n: torch.randn(n, 3, 32, 32), 33_370),
}


def test_every_sample_file_has_a_reference_case():
    assert sorted(p.stem for p in SAMPLES.glob("*.json")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_is_valid_and_round_trips_byte_stable(name):
    path = SAMPLES / f"{name}.json"
    graph = nodeml.load_graph(path)
    inference = Inference(graph)
    assert inference.problems() == []
    assert graph_to_json(graph) == path.read_text(encoding="utf-8")
    # every node has a canvas position, so the app opens it laid out
    assert all(node.pos is not None for node in graph.nodes)


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_trains_on_its_built_in_dataset_with_one_click(name):
    """The training section is valid and its dataset fits the graph's Input and Output."""
    graph = nodeml.load_graph(SAMPLES / f"{name}.json")
    config = TrainingConfig.from_dict(graph.extras["training"])
    assert config.dataset in DATASETS
    spec = dataset_spec(config.dataset)
    options = {**config.dataset_options, "n": 64}  # a few samples are enough to read the info
    info = spec.build(resolve_options(spec, options)).info
    assert check_input(info, graph) == []
    (output,) = [n.id for n in graph.nodes if n.type == "Output"]
    produced = Inference(graph).info(output).shape.shape
    if config.task == "regression" and info.task == "classification":  # autoencoder: x -> x
        assert produced == info.sample_shape
    elif info.task == "classification":
        assert produced == (info.num_classes,)
    else:
        assert produced == info.target_shape


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_matches_hand_written_module(name):
    make_reference, make_input, n_params = CASES[name]
    graph = nodeml.load_graph(SAMPLES / f"{name}.json")
    torch.manual_seed(0)
    model = nodeml.compile_graph(graph)
    reference = make_reference()
    assert sum(p.numel() for p in model.parameters()) == n_params
    assert sum(p.numel() for p in reference.parameters()) == n_params
    assert Inference(graph).totals().params == n_params

    # fitted-looking standardisation and class names, so the comparison covers them too
    with torch.no_grad():
        for key, buffer in model.named_buffers():
            if key.endswith("_mean"):
                buffer.uniform_(-1, 1)
            elif key.endswith("_std"):
                buffer.uniform_(0.5, 2)
    if hasattr(model, "classes"):
        model.classes = [f"class {i}" for i in range(10)]
    # strict: the same state_dict keys and shapes, so checkpoints move between the two
    reference.load_state_dict(model.state_dict(), strict=True)
    assert getattr(reference, "classes", None) == getattr(model, "classes", None)
    model.eval()
    reference.eval()
    x = make_input(4)
    with torch.no_grad():
        torch.testing.assert_close(model(x), reference(x), rtol=0, atol=0)


def test_lenet_is_the_blitz_net():
    model = nodeml.compile_graph(nodeml.load_graph(SAMPLES / "lenet.json"))
    params = dict(model.named_parameters())
    assert len(params) == 10
    assert {name.split(".")[0] for name in params} == {"conv1", "conv2", "fc1", "fc2", "fc3"}
    text = str(model)
    assert "(conv1): Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1))" in text
    assert "(fc1): Linear(in_features=576, out_features=120, bias=True)" in text


def test_lstm_sample_reads_the_last_time_step_of_the_sequence_output():
    graph = nodeml.load_graph(SAMPLES / "lstm_text_classifier.json")
    wires = {(e.source, e.target): e for e in graph.edges}
    assert wires[("lstm", "last_step")].source_port == 0  # port 0 is the output sequence
    assert graph.node("tokens").params["dtype"] == "long"
    assert graph.node("last_step").params == {"dim": 1, "index": -1}
