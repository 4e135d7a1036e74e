"""Sample graphs train on their own training section's dataset to a stated goal (compiler + trainer)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import nodeml
from nodeml.core.training import Trainer, TrainingConfig, check_input, load_dataset

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def train_sample(name: str, **changes) -> Trainer:
    graph = nodeml.load_graph(SAMPLES / f"{name}.json")
    config = TrainingConfig.from_dict(graph.extras["training"]).replace(**changes)
    data = load_dataset(config)
    assert check_input(data.info, graph) == []
    torch.manual_seed(0)
    trainer = Trainer(nodeml.compile_graph(graph), config, data)
    trainer.run()
    return trainer


def test_linear_regression_sample_recovers_w2_b1():
    trainer = train_sample("linear_regression", epochs=10)
    state = trainer.model.state_dict()
    weight, bias = (v.item() for v in state.values())
    assert weight == pytest.approx(2.0, abs=0.05) and bias == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize(
    ("name", "epochs", "goal"),
    [
        ("lenet", 3, 0.9),
        ("quickstart_mlp", 3, 0.9),
        ("lstm_text_classifier", 2, 0.9),
        ("two_branch_concat", 5, 0.95),
    ],
)
def test_classification_sample_reaches_its_goal(name, epochs, goal):
    trainer = train_sample(name, epochs=epochs)
    assert trainer.history[-1]["val_accuracy"] > goal
