"""Input standardisation lives in the model: buffers in the generated class, fitted by the Trainer
on the training split, saved and restored with the weights."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import torch
from PIL import Image
from torch.utils.data import Dataset, Subset

import nodeml
from nodeml.core.checkpoint import CheckpointError, load_model_state
from nodeml.core.compile import compile_graph, export_code
from nodeml.core.errors import TrainingError
from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.training import Trainer, TrainingConfig, load_dataset
from nodeml.core.training import standardization as standardization_module
from nodeml.core.training.datasets import TensorData
from nodeml.core.training.standardization import MAX_LAZY_SAMPLES, input_stats

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def table_graph(kit, training, features=3, extra_nodes=()):
    g = kit.build_graph(
        [
            ("x", "Input", {"shape": [features]}),
            ("fc", "Linear", {"out_features": 2}),
            ("out", "Output", {}),
            *extra_nodes,
        ],
        [("x", "fc"), ("fc", "out")],
        name="Table",
    )
    if training is not None:
        g.extras["training"] = training
    return g


# ---- what the compiler writes ------------------------------------------------------------------
def test_a_table_model_standardises_per_feature_with_identity_buffers(kit):
    g = table_graph(kit, {"dataset": "csv", "dataset_options": {"path": "t.csv"}})
    source = export_code(g)
    assert 'self.register_buffer("x_mean", torch.zeros(3))' in source
    assert 'self.register_buffer("x_std", torch.ones(3))' in source
    assert "        x = (x - self.x_mean) / self.x_std\n        fc = self.fc(x)" in source
    assert "training split, which nodeml fits when training starts" in source
    model = compile_graph(g)
    assert list(model.state_dict())[:2] == ["x_mean", "x_std"]
    assert torch.equal(model.x_mean, torch.zeros(3)) and torch.equal(model.x_std, torch.ones(3))
    # the buffers are used: forward is the layer applied to the standardised input
    model.x_mean.fill_(2.0)
    model.x_std.fill_(4.0)
    x = torch.randn(5, 3)
    torch.testing.assert_close(model(x), model.fc((x - 2) / 4))


def test_an_image_model_standardises_per_channel(kit):
    g = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    model = compile_graph(g)
    assert model.image_mean.shape == (3, 1, 1) and model.image_std.shape == (3, 1, 1)
    assert "image is standardised per channel" in export_code(g, style="functional")


def test_buffer_and_class_names_never_collide_with_node_ids(kit):
    g = table_graph(
        kit,
        {"dataset": "shapes", "normalize": True},
        extra_nodes=[("x_mean", "ReLU", {}), ("classes", "ReLU", {})],
    )
    g.connect(Edge("x", "x_mean"))
    g.connect(Edge("x_mean", "classes"))
    g.add_node(Node("out2", "Output"))
    g.connect(Edge("classes", "out2"))
    source = export_code(g)
    assert 'self.register_buffer("x_mean_1", torch.zeros(3))' in source
    assert "self.classes_1 = []" in source
    model = compile_graph(g)
    assert {"x_mean_1", "x_std", "_extra_state"} <= set(model.state_dict())


@pytest.mark.parametrize(
    "training",
    [
        None,  # no training section: a plain model
        {"dataset": "linear1d"},  # the linear sets keep w and b readable
        {"dataset": "csv", "normalize": False},
        {"dataset": "shapes", "task": "regression"},  # an autoencoder reproduces raw inputs
    ],
)
def test_no_standardisation_no_buffers(kit, training):
    g = table_graph(kit, training)
    assert "register_buffer" not in export_code(g)
    assert not list(compile_graph(g).buffers())


def test_linear_samples_keep_just_w_and_b():
    for name in ("linear_regression", "multivariate_regression"):
        model = compile_graph(nodeml.load_graph(SAMPLES / f"{name}.json"))
        assert list(model.state_dict()) == ["linear.weight", "linear.bias"]


def test_token_ids_are_never_standardised():
    model = compile_graph(nodeml.load_graph(SAMPLES / "lstm_text_classifier.json"))
    assert not list(model.buffers())


# ---- the statistics ------------------------------------------------------------------------------
def test_stats_are_exact_per_feature_across_chunks_and_a_constant_feature_gets_std_1(monkeypatch):
    monkeypatch.setattr(standardization_module, "_CHUNK_ELEMENTS", 30)  # many chunks
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(101, 3, generator=gen) * torch.tensor([1e3, 1e-2, 0.0]) + torch.tensor(
        [1e4, 5, 7]
    )
    mean, std = input_stats(TensorData(x, torch.zeros(101)), (3,))
    x64 = x.double()
    torch.testing.assert_close(mean, x64.mean(0).float())
    torch.testing.assert_close(std[:2], x64.std(0)[:2].float(), rtol=1e-5, atol=0)
    assert std[2] == 1.0  # constant: only centred


def test_uint8_images_are_measured_per_channel_in_0_1():
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (40, 3, 5, 5), generator=gen, dtype=torch.uint8)
    mean, std = input_stats(TensorData(x, torch.zeros(40)), (3, 1, 1))
    as_float = x.double() / 255
    torch.testing.assert_close(mean, as_float.mean((0, 2, 3), keepdim=True)[0].float())
    torch.testing.assert_close(std, as_float.std((0, 2, 3), keepdim=True)[0].float())


class Counting(Dataset):
    def __init__(self, n: int):
        self.n, self.read = n, 0

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        self.read += 1
        return torch.full((1, 2, 2), float(i % 7)), 0


def test_a_lazily_loaded_dataset_is_measured_on_a_bounded_sample():
    data = Counting(20 * MAX_LAZY_SAMPLES)
    mean, _ = input_stats(data, (1, 1, 1))
    assert data.read == MAX_LAZY_SAMPLES
    assert abs(float(mean) - 3.0) < 0.1  # evenly spread picks: about the mean of 0..6


def test_an_image_folder_is_standardised_per_channel_from_its_training_split(tmp_path):
    for k, colour in enumerate([(255, 0, 0), (0, 0, 255)]):
        folder = tmp_path / ["red", "blue"][k]
        folder.mkdir()
        for i in range(4):
            Image.new("RGB", (8, 8), colour).save(folder / f"{i}.png")
    config = TrainingConfig(
        dataset="image_folder", dataset_options={"root": str(tmp_path), "image_size": 8}
    )
    data = load_dataset(config)
    assert isinstance(data.train, Subset)  # lazily loaded: read file by file
    mean, std = input_stats(data.train, (3, 1, 1))
    labels = torch.tensor([data.train[i][1] for i in range(len(data.train))])
    red_share = float((labels == 1).double().mean())  # ImageFolder sorts: blue 0, red 1
    torch.testing.assert_close(mean.flatten(), torch.tensor([red_share, 0.0, 1 - red_share]))
    assert float(std[1]) == 1.0  # green is 0 everywhere: constant


# ---- the Trainer fits them once, on the training split --------------------------------------------
def _shapes_graph() -> Graph:
    g = nodeml.load_graph(SAMPLES / "quickstart_mlp.json")
    g.extras["training"]["dataset_options"]["n"] = 300
    g.extras["training"]["epochs"] = 1
    return g


def test_a_fresh_run_fits_the_buffers_on_the_training_split_only():
    g = _shapes_graph()
    config = TrainingConfig.from_dict(g.extras["training"])
    data = load_dataset(config)
    trainer = Trainer(compile_graph(g), config, data)
    trainer.run()
    train_x = data.train.x.double() / 255
    torch.testing.assert_close(
        trainer.model.image_mean.flatten(), train_x.mean().reshape(1).float()
    )
    torch.testing.assert_close(trainer.model.image_std.flatten(), train_x.std().reshape(1).float())
    every_x = torch.cat([data.train.x, data.val.x]).double() / 255
    assert float(trainer.model.image_mean) != pytest.approx(float(every_x.mean()), abs=1e-7)
    assert trainer.model.classes == list(data.info.classes)
    assert trainer.state_dict()["classes"] == list(data.info.classes)


def test_a_continued_or_resumed_run_keeps_the_buffers_it_has():
    g = _shapes_graph()
    config = TrainingConfig.from_dict(g.extras["training"])
    trainer = Trainer(compile_graph(g), config)
    trainer.run()
    trainer.model.image_mean.fill_(0.25)  # stand-ins for a checkpoint's values
    trainer.model.image_std.fill_(0.5)
    state = trainer.state_dict()
    trainer.config = config.replace(epochs=2)
    trainer.run()  # a second run of the same trainer continues
    assert float(trainer.model.image_mean) == 0.25 and float(trainer.model.image_std) == 0.5
    resumed = Trainer(compile_graph(g), config.replace(epochs=2))
    resumed.load_state_dict(state)
    resumed.run()
    assert float(resumed.model.image_mean) == 0.25 and float(resumed.model.image_std) == 0.5


def test_a_resumed_run_on_other_classes_is_refused():
    g = _shapes_graph()
    config = TrainingConfig.from_dict(g.extras["training"])
    trainer = Trainer(compile_graph(g), config)
    trainer.run()
    state = trainer.state_dict()
    state["model"]["_extra_state"] = {"classes": [f"c{i}" for i in range(10)]}
    resumed = Trainer(compile_graph(g), config.replace(epochs=2))
    resumed.load_state_dict(state)
    with pytest.raises(TrainingError, match="trained on the classes c0, c1"):
        resumed.run()


# ---- checkpoints ---------------------------------------------------------------------------------
def test_an_older_checkpoint_without_the_buffers_is_refused_saying_why():
    g = nodeml.load_graph(SAMPLES / "lenet.json")
    model = compile_graph(g)
    old = {k: v for k, v in model.state_dict().items() if k.startswith(("conv", "fc"))}
    with pytest.raises(CheckpointError) as info:
        load_model_state(compile_graph(g), old)
    text = str(info.value)
    assert "image_mean, image_std, _extra_state" in text and "holds the class names" in text


@pytest.mark.parametrize("extra", [{"classes": "abc"}, {"names": []}, [1, 2], {"classes": [1]}])
def test_hostile_class_names_are_refused_not_run(extra):
    g = nodeml.load_graph(SAMPLES / "lenet.json")
    state = compile_graph(g).state_dict()
    state["_extra_state"] = extra
    with pytest.raises(CheckpointError, match="class names"):
        load_model_state(compile_graph(g), state)


def test_settings_that_want_standardisation_for_a_model_without_buffers_are_noted():
    g = _shapes_graph()
    g.extras["training"]["normalize"] = False  # compiled without buffers
    config = TrainingConfig.from_dict({**g.extras["training"], "normalize": True})
    trainer = Trainer(compile_graph(g), config)
    assert any("compiled without input standardisation" in note for note in trainer.notes)


def test_a_partial_load_takes_weights_not_class_names():
    g = nodeml.load_graph(SAMPLES / "lenet.json")
    trained = compile_graph(g)
    trained.classes = ["a", "b"]
    state = {k: v for k, v in trained.state_dict().items() if not k.startswith("fc3")}
    model = compile_graph(g)
    load_model_state(model, state, partial=True)
    assert model.classes == []  # the new head's classes come from the data it trains on
    assert torch.equal(model.conv1.weight, trained.conv1.weight)


def test_a_graph_without_a_training_section_compiles_as_it_trains(tmp_path):
    """Without a section nodeml trains on a built-in dataset that fits the Input: LeNet's 1x32x32
    gets 32 px shapes, which standardises and has classes, so the compiled class does too."""
    g = nodeml.load_graph(SAMPLES / "lenet.json")
    del g.extras["training"]
    model = compile_graph(g)
    assert model.image_mean.shape == (1, 1, 1) and model.classes == []


def test_an_imported_module_gets_identity_standardisation_and_no_class_names(tmp_path):
    from nodeml.core.interop_commands import add_commands

    source = tmp_path / "points.py"
    source.write_text(
        "from torch import nn\n\n\nclass Points(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc = nn.Linear(2, 2)\n\n"
        "    def forward(self, x):\n        return self.fc(x)\n"
    )
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    out, weights = tmp_path / "points.json", tmp_path / "w.pt"
    args = parser.parse_args(
        ["import", f"{source}:Points", "-o", str(out), "--save-weights", str(weights)]
    )
    assert args.func(args) == 0
    graph = nodeml.load_graph(out)  # no section: trains on 2-class spirals, so it has classes
    model = compile_graph(graph)
    load_model_state(model, torch.load(weights, weights_only=True)["model"])  # all keys fit
    assert model.classes == []
