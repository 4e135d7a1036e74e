"""Per-node statistics while training: what is sampled, when, from which nodes, and node_stats.csv."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

import nodeml
from nodeml.cli import main
from nodeml.core.errors import TrainingError
from nodeml.core.serialize import graph_from_dict, graph_to_dict
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.node_stats import COLUMNS, NodeStatsRecorder, sampling_interval

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"
LENET = json.loads((SAMPLES / "lenet.json").read_text())
LENET_PARAMETRIC = {"conv1", "conv2", "fc1", "fc2", "fc3"}
LENET_NODES = [n["id"] for n in LENET["nodes"] if n["type"] != "Output"]


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def lenet_trainer(style: str = "modules", n: int = 600, **changes) -> Trainer:
    graph = nodeml.load_graph(SAMPLES / "lenet.json")
    settings = {"dataset_options": {"image_size": 32, "channels": 1, "n": n}, **changes}
    config = TrainingConfig.from_dict(graph.extras["training"]).replace(**settings)
    torch.manual_seed(0)
    return Trainer(nodeml.compile_graph(graph, style), config, graph=graph_to_dict(graph))


def mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


# ---- the CLI and node_stats.csv --------------------------------------------------------------------
def test_nodeml_train_lenet_writes_node_stats_with_a_gradient_for_every_parametric_node(
    tmp_path, capsys
):
    graph = dict(LENET, training={**LENET["training"], "epochs": 2})
    graph["training"]["dataset_options"] = {"image_size": 32, "channels": 1, "n": 600}
    path = tmp_path / "lenet.json"
    path.write_text(json.dumps(graph))
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 0
    assert "warning" not in capsys.readouterr().out  # a healthy LeNet raises none
    file = tmp_path / "run" / "node_stats.csv"
    assert file.read_text().splitlines()[0] == ",".join(COLUMNS)
    assert COLUMNS == (
        "epoch",
        "step",
        "node",
        "act_mean",
        "act_std",
        "act_zero_frac",
        "grad_norm",
        "weight_norm",
        "update_ratio",
    )
    rows = read_rows(file)
    assert {r["epoch"] for r in rows} == {"1", "2"}  # 1-based, as in metrics.csv
    for node in LENET_PARAMETRIC:
        mine = [r for r in rows if r["node"] == node]
        assert mine and all(float(r["grad_norm"]) > 0 for r in mine)
        assert all(float(r["weight_norm"]) > 0 and float(r["update_ratio"]) > 0 for r in mine)
    others = [r for r in rows if r["node"] not in LENET_PARAMETRIC]
    assert others and all(
        r["grad_norm"] == r["weight_norm"] == r["update_ratio"] == "" for r in others
    )
    first_step = [r["node"] for r in rows if r["step"] == "1"]
    assert first_step == LENET_NODES  # every node but the Output, in forward order
    relu = next(r for r in rows if r["node"] == "relu1")
    assert 0.2 < float(relu["act_zero_frac"]) < 0.9


def test_no_node_stats_flag_writes_no_file(tmp_path):
    graph = dict(LENET, training={"dataset": "shapes", "epochs": 1})
    graph["training"]["dataset_options"] = {"image_size": 32, "channels": 1, "n": 200}
    path = tmp_path / "lenet.json"
    path.write_text(json.dumps(graph))
    assert main(["train", str(path), "--out", str(tmp_path / "run"), "--no-node-stats"]) == 0
    assert (tmp_path / "run" / "metrics.csv").exists()
    assert not (tmp_path / "run" / "node_stats.csv").exists()


def test_the_csv_is_written_after_each_epoch_and_appended_to_on_resume(tmp_path):
    trainer = lenet_trainer(n=300, epochs=2)
    NodeStatsRecorder(trainer, tmp_path, every=3)
    seen_after_epoch: list[set[str]] = []
    trainer.epoch_ended.connect(
        lambda e: seen_after_epoch.append(
            {r["epoch"] for r in read_rows(tmp_path / "node_stats.csv")}
        )
    )
    trainer.run()
    assert seen_after_epoch == [{"1"}, {"1", "2"}]
    more = lenet_trainer(n=300, epochs=3)
    more.load_state_dict(trainer.state_dict())
    NodeStatsRecorder(more, tmp_path, every=3)
    more.run()
    lines = (tmp_path / "node_stats.csv").read_text().splitlines()
    assert sum(line.startswith("epoch,") for line in lines) == 1
    assert {r["epoch"] for r in read_rows(tmp_path / "node_stats.csv")} == {"1", "2", "3"}


# ---- what each sample holds -------------------------------------------------------------------------
def test_the_values_are_the_batch_statistics_and_the_step_update():
    captured: dict[str, torch.Tensor] = {}
    model = mlp()
    model[1].register_forward_hook(lambda m, a, out: captured.update(relu=out.detach().clone()))
    weight_before = {}
    trainer = Trainer(model, TrainingConfig(dataset="moons", optimizer="sgd", lr=0.1, epochs=1))
    trainer.optimizer.register_step_pre_hook(
        lambda *a: weight_before.update(
            w=torch.cat([p.detach().flatten() for p in model[0].parameters()])
        )
    )
    recorder = NodeStatsRecorder(trainer, every=1000)
    got = []
    recorder.sampled.connect(got.append)
    recorder.sampled.connect(lambda e: trainer.stop())
    trainer.run()
    (sample,) = got
    relu, fc = sample.nodes["1"], sample.nodes["0"]
    out = captured["relu"]
    assert relu.act_mean == pytest.approx(out.mean().item(), rel=1e-5)
    assert relu.act_std == pytest.approx(out.std(correction=0).item(), rel=1e-5)
    assert relu.act_zero_frac == pytest.approx((out == 0).float().mean().item())
    assert relu.grad_norm is None and relu.weight_norm is None
    assert fc.weight_norm == pytest.approx(weight_before["w"].norm().item(), rel=1e-6)
    # plain SGD moves the weights by lr * gradient, so the ratio is lr * |g| / |w|
    assert fc.update_ratio == pytest.approx(0.1 * fc.grad_norm / fc.weight_norm, rel=1e-5)


def test_functional_style_reports_the_nodes_that_have_no_module():
    trainer = lenet_trainer("functional", n=200, epochs=1)
    assert not hasattr(trainer.model, "relu1")  # F.relu: no module to hook
    got = []
    recorder = NodeStatsRecorder(trainer, every=1000)
    recorder.sampled.connect(got.append)
    trainer.run()
    assert list(got[0].nodes) == LENET_NODES
    assert got[0].nodes["relu1"].act_zero_frac > 0.2
    assert got[0].nodes["image"].act_std == pytest.approx(1.0, abs=0.2)  # normalised input


def test_an_installed_profiler_is_left_alone_and_module_nodes_are_still_reported():
    calls = []

    def other_profiler(frame, event, arg):
        calls.append(event)

    trainer = lenet_trainer("functional", n=200, epochs=1)
    got = []
    NodeStatsRecorder(trainer, every=1000).sampled.connect(got.append)
    sys.setprofile(other_profiler)
    try:
        trainer.run()
        still = sys.getprofile()
    finally:
        sys.setprofile(None)
    assert still is other_profiler and calls
    assert set(got[0].nodes) == LENET_PARAMETRIC  # the module nodes, from forward hooks


def test_a_hand_written_model_is_watched_through_its_children():
    trainer = Trainer(mlp(), TrainingConfig(dataset="moons", epochs=1))
    got = []
    NodeStatsRecorder(trainer, every=1000).sampled.connect(got.append)
    trainer.run()
    assert list(got[0].nodes) == ["0", "1", "2"]
    assert got[0].nodes["2"].grad_norm > 0


def test_a_frozen_node_reports_its_weight_norm_only():
    data = json.loads(json.dumps(LENET))
    next(n for n in data["nodes"] if n["id"] == "conv1")["trainable"] = False
    data["training"]["dataset_options"] = {"image_size": 32, "channels": 1, "n": 200}
    graph = graph_from_dict(data)
    config = TrainingConfig.from_dict(data["training"]).replace(epochs=1)
    trainer = Trainer(nodeml.compile_graph(graph), config, graph=graph_to_dict(graph))
    got = []
    NodeStatsRecorder(trainer, every=1000).sampled.connect(got.append)
    trainer.run()
    conv1 = got[0].nodes["conv1"]
    assert conv1.weight_norm > 0 and conv1.grad_norm is None and conv1.update_ratio is None
    assert got[0].nodes["conv2"].grad_norm > 0


# ---- sampling ---------------------------------------------------------------------------------------
def expected_steps(steps_per_epoch: int, epochs: int, every: int) -> list[int]:
    """The documented schedule: each epoch's first step, then every ``every`` steps."""
    out, due = [], 1
    for step in range(1, steps_per_epoch * epochs + 1):
        if (step - 1) % steps_per_epoch == 0 or step == due:
            out.append(step)
            due = step + every
    return out


def test_samples_follow_the_schedule_and_hooks_exist_only_around_a_sample():
    trainer = Trainer(mlp(), TrainingConfig(dataset="moons", epochs=2, batch_size=64, log_every=1))
    recorder = NodeStatsRecorder(trainer, every=4)
    steps: list[int] = []
    recorder.sampled.connect(lambda e: steps.append(e.step))
    hooked: dict[int, bool] = {}
    trainer.step_ended.connect(
        lambda e: hooked.update({e.step: bool(trainer.model._forward_pre_hooks)})
    )
    trainer.run()
    want = expected_steps(trainer.steps_per_epoch, 2, 4)
    assert steps == want  # the evaluation passes and the trial batch are never sampled
    for step, has_hooks in hooked.items():
        # a sample's hooks go on after the step before it; an epoch's first, at the epoch's end
        assert has_hooks == (step + 1 in want and step % trainer.steps_per_epoch != 0), step
    assert not trainer.model._forward_pre_hooks and not trainer.model._forward_hooks


def test_the_interval_keeps_sampling_at_the_overhead_asked_for():
    # 2 ms per sample on 10 ms steps: 1 % overhead means one sample in 20 steps
    assert sampling_interval(0.002, 0.010, 0.01, 100) == 20
    assert sampling_interval(0.020, 0.010, 0.01, 100) == 200
    assert sampling_interval(0.0001, 0.010, 0.01, 100) == 10  # never more often than every 10
    assert sampling_interval(0.0001, 0.010, 0.01, 10_000) == 200  # at most ~50 per epoch
    assert sampling_interval(100.0, 0.001, 0.01, 100) == 5000


def test_without_a_fixed_interval_it_measures_and_samples_every_epoch():
    trainer = Trainer(mlp(), TrainingConfig(dataset="moons", epochs=3, batch_size=8))
    recorder = NodeStatsRecorder(trainer)
    got = []
    recorder.sampled.connect(lambda e: got.append(e.epoch))
    trainer.run()
    assert set(got) == {0, 1, 2}
    assert recorder.interval is not None and 10 <= recorder.interval <= 5000
    assert recorder.seconds > 0


def test_training_is_unchanged_by_watching_it():
    def weights(watch: bool) -> list[torch.Tensor]:
        trainer = Trainer(mlp(), TrainingConfig(dataset="moons", epochs=2, seed=1))
        if watch:
            NodeStatsRecorder(trainer, every=1)
        trainer.run()
        return [p.detach().clone() for p in trainer.model.parameters()]

    assert all(torch.equal(a, b) for a, b in zip(weights(False), weights(True), strict=True))


def test_detach_removes_every_hook():
    trainer = Trainer(mlp(), TrainingConfig(dataset="moons", epochs=1))
    recorder = NodeStatsRecorder(trainer, every=1)
    got = []
    recorder.sampled.connect(got.append)
    recorder.detach()
    trainer.run()
    assert got == [] and not trainer.optimizer._optimizer_step_pre_hooks


def test_a_loss_that_turns_nan_still_records_the_forward_of_that_step(tmp_path):
    class Blows(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.calls = 0

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            self.calls += 1
            out = self.fc(x)
            return out * math.nan if self.calls > 3 else out  # call 1 is the trial batch

    trainer = Trainer(Blows(), TrainingConfig(dataset="moons", epochs=1))
    got = []
    NodeStatsRecorder(trainer, tmp_path, every=1).sampled.connect(got.append)
    with pytest.raises(TrainingError):
        trainer.run()
    assert [e.step for e in got] == [1, 2, 3]
    assert got[-1].nodes["fc"].grad_norm is None and got[-1].nodes["fc"].act_mean is not None
    assert {r["step"] for r in read_rows(tmp_path / "node_stats.csv")} == {"1", "2", "3"}


def test_a_step_the_optimizer_skips_keeps_its_forward_and_the_next_is_sampled_whole():
    # AMP's GradScaler skips optimizer.step() when a gradient is inf: no step hooks run
    trainer = Trainer(mlp(), TrainingConfig(dataset="moons", epochs=1))
    got = []
    NodeStatsRecorder(trainer, every=1).sampled.connect(got.append)
    step, calls = trainer.optimizer.step, [0]

    def sometimes_skipped(*args, **kwargs):
        calls[0] += 1
        return None if calls[0] == 2 else step(*args, **kwargs)

    trainer.optimizer.step = sometimes_skipped
    trainer.run()
    assert [e.step for e in got[:4]] == [1, 2, 3, 4]  # trainer.step counts the skipped one too
    assert got[1].nodes["0"].grad_norm is None and got[1].nodes["1"].act_mean is not None
    assert got[2].nodes["0"].grad_norm > 0 and got[2].nodes["1"].act_mean is not None
