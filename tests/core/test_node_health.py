"""Gradient-health warnings: each rule on hand-made samples, and each on a model built to trigger it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from torch import nn

import nodeml
from nodeml.cli import main
from nodeml.core.errors import TrainingError
from nodeml.core.serialize import graph_to_dict
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.node_health import (
    HealthKind,
    HealthWarning,
    NodeStats,
    NodeStatsSampled,
    health_warnings,
)
from nodeml.core.training.node_stats import NodeStatsRecorder

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def samples(node: str, **series: list[float | None]) -> list[NodeStatsSampled]:
    n = len(next(iter(series.values())))
    return [
        NodeStatsSampled(0, 10 * (i + 1), {node: NodeStats(**{k: v[i] for k, v in series.items()})})
        for i in range(n)
    ]


def kinds(warnings: list[HealthWarning]) -> set[tuple[HealthKind, str]]:
    return {(w.kind, w.node) for w in warnings}


# ---- the rules ----------------------------------------------------------------------------------
def test_vanishing_needs_every_sample_below_the_threshold():
    assert kinds(health_warnings(samples("fc", grad_norm=[1e-9, 5e-8, 2e-8]))) == {
        (HealthKind.VANISHING, "fc")
    }
    assert health_warnings(samples("fc", grad_norm=[1e-9, 2e-7, 2e-8])) == []
    assert health_warnings(samples("fc", grad_norm=[1e-9, 1e-9])) == []  # two samples: too few


def test_exploding_is_a_thousandfold_growth_or_a_non_finite_norm():
    (w,) = health_warnings(samples("fc", grad_norm=[0.5, 0.1, 50.0, 100.0]))
    assert w.kind is HealthKind.EXPLODING and "1,000-fold" in w.message and "step 40" in w.message
    assert health_warnings(samples("fc", grad_norm=[0.1, 99.0])) == []
    assert kinds(health_warnings(samples("fc", grad_norm=[0.1, float("inf")]))) == {
        (HealthKind.EXPLODING, "fc")
    }


def test_dead_units_only_for_relu_like_nodes():
    stats = samples("relu", act_zero_frac=[0.95, 0.97, 0.92])
    assert kinds(health_warnings(stats, relu_like={"relu"})) == {(HealthKind.DEAD_UNITS, "relu")}
    assert health_warnings(stats) == []  # a Dropout or a mask may well be mostly zeros
    assert health_warnings(samples("relu", act_zero_frac=[0.5, 0.6, 0.7]), {"relu"}) == []


def test_update_ratio_outside_its_band_at_every_sample():
    (high,) = health_warnings(samples("fc", update_ratio=[0.3, 0.2, 0.5], grad_norm=[1, 1, 1]))
    assert high.kind is HealthKind.UPDATE_RATIO and "too high" in high.message
    (low,) = health_warnings(samples("fc", update_ratio=[1e-7, 3e-6, 1e-8], grad_norm=[1, 1, 1]))
    assert "too low" in low.message
    assert health_warnings(samples("fc", update_ratio=[0.3, 1e-3, 0.5], grad_norm=[1, 1, 1])) == []
    # with a vanished gradient the tiny update is its symptom: one warning, the cause
    assert kinds(health_warnings(samples("fc", update_ratio=[0, 0, 0], grad_norm=[0, 0, 0]))) == {
        (HealthKind.VANISHING, "fc")
    }


def test_a_warning_names_its_node():
    (w,) = health_warnings(samples("conv_3", grad_norm=[1e-9] * 3))
    assert str(w).startswith("conv_3: vanishing gradient: ")


# ---- models built to trigger each rule ------------------------------------------------------------
def train_watched(model: nn.Module, **settings) -> tuple[Trainer, NodeStatsRecorder, list]:
    torch.manual_seed(0)
    trainer = Trainer(model, TrainingConfig(**settings))
    recorder = NodeStatsRecorder(trainer, every=1)
    warned: list[HealthWarning] = []
    recorder.warned.connect(warned.append)
    return trainer, recorder, warned


def mlp(hidden: int = 32) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))


def test_a_huge_learning_rate_explodes_and_is_reported_even_though_training_fails():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 8), nn.Linear(8, 1))  # diverges at lr 1 from any start
    trainer, _, warned = train_watched(model, dataset="linear1d", optimizer="sgd", lr=1.0, epochs=1)
    with pytest.raises(TrainingError, match="the loss became"):
        trainer.run()
    assert {(HealthKind.EXPLODING, "0"), (HealthKind.EXPLODING, "1")} <= kinds(warned)
    assert (HealthKind.UPDATE_RATIO, "0") in kinds(warned)  # and every step moved it too far


def test_a_deep_sigmoid_stack_has_vanishing_gradients_in_its_first_layers():
    torch.manual_seed(0)
    layers: list[nn.Module] = [nn.Linear(2, 16)]
    for _ in range(12):
        layers += [nn.Sigmoid(), nn.Linear(16, 16)]
    trainer, _, warned = train_watched(
        nn.Sequential(*layers, nn.Sigmoid(), nn.Linear(16, 2)),
        dataset="moons",
        optimizer="sgd",
        lr=0.01,
        epochs=1,
    )
    trainer.run()
    assert (HealthKind.VANISHING, "0") in kinds(warned)
    assert (HealthKind.VANISHING, "26") not in kinds(warned)  # the last layer learns


def test_a_negative_bias_before_a_relu_kills_its_units():
    model = mlp()
    with torch.no_grad():
        model[0].bias.fill_(-10.0)
    trainer, recorder, warned = train_watched(model, dataset="moons", epochs=2)
    checks = []
    recorder.health_checked.connect(checks.append)
    trainer.run()
    assert (HealthKind.DEAD_UNITS, "1") in kinds(warned)
    # it holds in both epochs: the Problems panel sees it twice, the terminal once
    assert [(HealthKind.DEAD_UNITS, "1") in kinds(list(c.warnings)) for c in checks] == [True, True]
    assert [w.kind for w in warned].count(HealthKind.DEAD_UNITS) == 1


def test_a_tiny_learning_rate_barely_moves_the_weights():
    trainer, _, warned = train_watched(mlp(), dataset="moons", optimizer="sgd", lr=1e-9, epochs=1)
    trainer.run()
    assert kinds(warned) == {(HealthKind.UPDATE_RATIO, "0"), (HealthKind.UPDATE_RATIO, "2")}
    assert all("too low" in w.message for w in warned)


def test_a_healthy_lenet_on_shapes_raises_no_warning():
    graph = nodeml.load_graph(SAMPLES / "lenet.json")
    options = {"image_size": 32, "channels": 1, "n": 1500}
    config = TrainingConfig.from_dict(graph.extras["training"]).replace(
        epochs=2, dataset_options=options
    )
    torch.manual_seed(0)
    trainer = Trainer(nodeml.compile_graph(graph), config, graph=graph_to_dict(graph))
    recorder = NodeStatsRecorder(trainer, every=2)
    checks = []
    recorder.health_checked.connect(checks.append)
    trainer.run()
    assert [c.warnings for c in checks] == [(), ()]
    assert trainer.history[-1]["val_accuracy"] > 0.5  # it did learn: the check saw training
    assert recorder.relu_like == {"relu1", "relu2", "relu3", "relu4"}


def test_the_cli_prints_each_warning_with_its_node(tmp_path, capsys):
    data = json.loads((SAMPLES / "two_branch_concat.json").read_text())
    data["training"].update(optimizer="sgd", lr=1e-9, epochs=3)  # a sample per epoch at least
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(data))
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warning")]
    assert "warning: wide: update ratio: " in "\n".join(printed)
    assert len(printed) == 4  # wide, smooth, hidden, classifier: each once
