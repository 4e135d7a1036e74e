"""The sample graphs load cleanly, round-trip byte-stable, and compile to the models they claim."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

import nodeml
from nodeml.core.serialize import graph_to_json
from nodeml.core.shapes import Inference
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.datasets import check_input, dataset_spec, resolve_options

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"
DATASETS = {"linear1d", "linear3d", "spirals", "moons", "shapes", "tokens"}


# Hand-written references. Parametric layers use the sample's node ids as attribute names, so
# the compiled model's state_dict loads into them unchanged.
class LinearRegression(nn.Module):
    def __init__(self, n_in: int):
        super().__init__()
        self.linear = nn.Linear(n_in, 1)

    def forward(self, x):
        return self.linear(x)


class QuickstartMLP(nn.Module):
    """The PyTorch quickstart tutorial's NeuralNetwork."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 512)
        self.fc2 = nn.Linear(512, 512)
        self.fc3 = nn.Linear(512, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LeNet(nn.Module):
    """The 60-minute blitz Net."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(16 * 6 * 6, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class ResidualNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 16, 3, padding=1)
        self.conv_a = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.bn_a = nn.BatchNorm2d(16)
        self.conv_b = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.bn_b = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        skip = F.relu(self.stem(x))
        x = self.bn_b(self.conv_b(F.relu(self.bn_a(self.conv_a(skip)))))
        x = F.relu(x + skip)
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class TwoBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.wide = nn.Linear(2, 32)
        self.smooth = nn.Linear(2, 32)
        self.hidden = nn.Linear(64, 32)
        self.classifier = nn.Linear(32, 2)

    def forward(self, x):
        x = torch.cat([F.relu(self.wide(x)), torch.tanh(self.smooth(x))], dim=1)
        return self.classifier(F.relu(self.hidden(x)))


class LSTMClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(32, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.classifier = nn.Linear(32, 4)

    def forward(self, tokens):
        seq, _ = self.lstm(self.embedding(tokens))
        return self.classifier(seq[:, -1])


class ConvAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Conv2d(1, 16, 3, padding=1)
        self.enc2 = nn.Conv2d(16, 8, 3, padding=1)
        self.dec1 = nn.ConvTranspose2d(8, 16, 2, stride=2)
        self.dec2 = nn.Conv2d(16, 1, 3, padding=1)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.enc1(x)), 2)
        x = F.max_pool2d(F.relu(self.enc2(x)), 2)
        x = F.interpolate(F.relu(self.dec1(x)), scale_factor=2.0, mode="nearest")
        return torch.sigmoid(self.dec2(x))


class BasicBlock(nn.Module):
    """The ResidualBlock of resnet_blocks.json, written by hand."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv_a = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn_a = nn.BatchNorm2d(channels)
        self.conv_b = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn_b = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = self.bn_b(self.conv_b(F.relu(self.bn_a(self.conv_a(x)))))
        return F.relu(y + x)


class ResNetBlocks(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(16)
        self.block1 = BasicBlock(16)
        self.block2 = BasicBlock(16)
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False)
        self.down_bn = nn.BatchNorm2d(32)
        self.block3 = BasicBlock(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.block2(self.block1(F.relu(self.stem_bn(self.stem(x)))))
        x = self.block3(F.relu(self.down_bn(self.down(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class TransferResNet18(nn.Module):
    """A frozen torchvision ResNet-18 without its classifier, then a new 10-class head."""

    def __init__(self):
        super().__init__()
        self.backbone = torchvision.models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.backbone.requires_grad_(False)
        self.head = nn.Linear(512, 10)

    def forward(self, x):
        return self.head(self.backbone(x))


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

    # strict: the same state_dict keys and shapes, so checkpoints move between the two
    reference.load_state_dict(model.state_dict(), strict=True)
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
