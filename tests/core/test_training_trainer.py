"""The Trainer: learns every built-in dataset, emits events, pauses and stops, reports faults in user terms."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import torch
from torch import nn

from nodeml.core.compile.model_interface import ModelInterface, Standardization
from nodeml.core.errors import TrainingError
from nodeml.core.training import (
    ConfigError,
    ForwardError,
    NonFiniteLossError,
    OutOfMemoryError,
    Trainer,
    TrainingConfig,
)
from nodeml.core.training.events import EpochEnded, Finished, RunStarted, StateChanged, StepEnded

# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def mlp(n_in: int, n_out: int, hidden: int = 32) -> nn.Module:
    return nn.Sequential(
        nn.Linear(n_in, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, n_out),
    )


class LeNet(nn.Module):
    # standardises its input as a compiled graph does, declaring its buffers the same way: the
    # Trainer fits image_mean / image_std on the training split before the first step
    nodeml_interface = ModelInterface(
        standardization=Standardization("image", "image_mean", "image_std", (1, 1, 1))
    )

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("image_mean", torch.zeros(1, 1, 1))
        self.register_buffer("image_std", torch.ones(1, 1, 1))
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(256, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features((x - self.image_mean) / self.image_std))


class TokenLSTM(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(32, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(self.embed(x))
        return self.fc(out[:, -1])


def train(model: nn.Module, **settings) -> Trainer:
    torch.manual_seed(0)
    trainer = Trainer(model, TrainingConfig(**settings))
    trainer.run()
    return trainer


# ---- every built-in dataset is learnable in seconds ----------------------------------------------
def test_linear1d_recovers_w2_b1():
    torch.manual_seed(0)
    trainer = train(nn.Linear(1, 1), dataset="linear1d", optimizer="sgd", lr=0.1, epochs=10)
    assert trainer.model.weight.item() == pytest.approx(2.0, abs=0.05)
    assert trainer.model.bias.item() == pytest.approx(1.0, abs=0.05)


def test_linear3d_recovers_its_weights():
    torch.manual_seed(0)
    trainer = train(nn.Linear(3, 1), dataset="linear3d", optimizer="sgd", lr=0.1, epochs=10)
    assert trainer.model.weight.flatten().tolist() == pytest.approx([1.5, -2.0, 0.5], abs=0.05)
    assert trainer.history[-1]["val_mae"] < 0.15


@pytest.mark.parametrize(("dataset", "epochs", "goal"), [("moons", 5, 0.97), ("spirals", 10, 0.9)])
def test_2d_classification_reaches_its_goal(dataset, epochs, goal):
    torch.manual_seed(0)
    trainer = train(mlp(2, 2, 64), dataset=dataset, lr=0.01, epochs=epochs)
    assert trainer.history[-1]["val_accuracy"] >= goal


def test_lenet_on_procedural_shapes_beats_90_percent():
    torch.manual_seed(0)
    trainer = train(LeNet(), dataset="shapes", batch_size=64, epochs=4, dataset_options={"n": 4000})
    assert trainer.history[-1]["val_accuracy"] > 0.9
    assert "val_top5" in trainer.history[-1]  # 10 classes: top-5 is reported too


def test_lstm_on_token_sequences_beats_90_percent():
    torch.manual_seed(0)
    trainer = train(TokenLSTM(), dataset="tokens", lr=0.01, epochs=2, dataset_options={"n": 1500})
    assert trainer.history[-1]["val_accuracy"] > 0.9


# ---- losses, optimizers, schedulers -------------------------------------------------------------
@pytest.mark.parametrize("loss", ["mse", "l1", "smooth_l1", "huber"])
def test_regression_losses_train(loss):
    torch.manual_seed(0)
    trainer = train(nn.Linear(1, 1), dataset="linear1d", loss=loss, lr=0.05, epochs=3)
    assert trainer.history[-1]["val_mae"] < trainer.history[0]["train_mae"]


@pytest.mark.parametrize(
    ("loss", "head", "n_out"),
    [
        ("cross_entropy", nn.Identity(), 2),
        ("nll", nn.LogSoftmax(dim=1), 2),
        ("bce_with_logits", nn.Identity(), 1),
        ("bce", nn.Sigmoid(), 1),
    ],
)
def test_classification_losses_train_on_moons(loss, head, n_out):
    torch.manual_seed(0)
    trainer = train(
        nn.Sequential(mlp(2, n_out), head),
        dataset="moons",
        loss=loss,
        lr=0.01,
        epochs=4,
        label_smoothing=0.0,
    )
    assert trainer.task == ("binary" if n_out == 1 else "classification")
    assert trainer.history[-1]["val_accuracy"] > 0.85


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw", "rmsprop", "adagrad"])
def test_every_optimizer_lowers_the_loss(optimizer):
    torch.manual_seed(0)
    settings = {"momentum": 0.9, "nesterov": True} if optimizer == "sgd" else {}
    trainer = train(
        nn.Linear(1, 1),
        dataset="linear1d",
        optimizer=optimizer,
        lr=0.05,
        epochs=2,
        weight_decay=1e-4,
        **settings,
    )
    assert trainer.history[-1]["val_loss"] < trainer.history[0]["train_loss"]


def _lrs(model: nn.Module | None = None, **settings) -> list[float]:
    torch.manual_seed(0)
    seen: list[float] = []
    settings = {"lr": 0.1, **settings}
    model = model if model is not None else nn.Linear(1, 1)
    trainer = Trainer(model, TrainingConfig(dataset="linear1d", optimizer="sgd", **settings))
    trainer.epoch_ended.connect(lambda e: seen.append(round(e.lr, 12)))
    trainer.run()
    return seen


def test_schedulers_change_the_learning_rate_as_named():
    assert _lrs(epochs=3) == [0.1, 0.1, 0.1]
    assert _lrs(epochs=3, scheduler="StepLR", step_size=1, gamma=0.5) == [0.05, 0.025, 0.0125]
    cosine = _lrs(epochs=4, scheduler="cosine")
    assert cosine[-1] == 0 and cosine == sorted(cosine, reverse=True)
    # a model whose output ignores its weight cannot improve: the plateau halves lr every epoch
    assert _lrs(Stuck(), epochs=3, scheduler="plateau", patience=0, factor=0.5) == [
        0.1,
        0.05,
        0.025,
    ]


class Stuck(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 0 + self.w * 0


def test_one_cycle_steps_every_batch():
    torch.manual_seed(0)
    lrs: list[float] = []
    trainer = Trainer(
        nn.Linear(1, 1), TrainingConfig(dataset="linear1d", scheduler="onecycle", epochs=2, lr=0.1)
    )
    trainer.step_ended.connect(lambda e: lrs.append(e.lr))
    trainer.run()
    assert len(lrs) == 2 * trainer.steps_per_epoch
    assert max(lrs) == pytest.approx(0.1, rel=0.05) and lrs[0] < 0.01 and lrs[-1] < 0.001


# ---- events and control -------------------------------------------------------------------------
def test_events_tell_the_story_of_a_run():
    torch.manual_seed(0)
    trainer = Trainer(
        nn.Linear(1, 1), TrainingConfig(dataset="linear1d", epochs=2, log_every=5, amp=True)
    )
    events: list[object] = []
    for signal in (trainer.started, trainer.step_ended, trainer.epoch_ended, trainer.finished):
        signal.connect(events.append)
    result = trainer.run()
    assert isinstance(events[0], RunStarted) and isinstance(events[-1], Finished)
    started = events[0]
    assert started.device == "cpu" and started.metric == "mae" and started.steps_per_epoch == 25
    assert any("amp needs a CUDA GPU" in n for n in started.notes)
    steps = [e for e in events if isinstance(e, StepEnded)]
    assert [s.step for s in steps[:5]] == [
        5,
        10,
        15,
        20,
        25,
    ]  # every 5th batch and the epoch's last
    assert all(s.samples_per_s > 0 and s.eta_s >= 0 for s in steps)
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    assert [e.epoch for e in epochs] == [0, 1] and epochs[-1].val is not None
    assert epochs[-1].eta_s == 0
    assert result.reason == "completed" and result.step == 50 and len(result.history) == 2


def test_stop_takes_effect_after_the_current_batch():
    torch.manual_seed(0)
    trainer = Trainer(nn.Linear(1, 1), TrainingConfig(dataset="linear1d", epochs=5))
    trainer.step_ended.connect(lambda e: trainer.stop() if e.step == 7 else None)
    result = trainer.run()
    assert (result.reason, result.step, result.epochs_done) == ("stopped", 7, 0)


def test_pause_resume_and_stop_from_another_thread():
    torch.manual_seed(0)
    trainer = Trainer(nn.Linear(1, 1), TrainingConfig(dataset="linear1d", epochs=50))
    states: list[str] = []
    paused = threading.Event()
    trainer.step_ended.connect(lambda e: trainer.pause() if e.step == 3 else None)

    def on_state(event: StateChanged) -> None:
        states.append(event.state)
        if event.state == "paused":
            paused.set()

    trainer.state_changed.connect(on_state)
    results: list[Finished] = []
    worker = threading.Thread(target=lambda: results.append(trainer.run()))
    worker.start()
    assert paused.wait(30)
    assert trainer.step == 3 and trainer.paused
    paused_step = trainer.step
    worker.join(0.3)  # still paused: no batch runs while paused
    assert trainer.step == paused_step and worker.is_alive()
    resumed = threading.Event()
    trainer.step_ended.connect(lambda e: resumed.set())
    trainer.resume()
    assert resumed.wait(30)
    trainer.stop()
    worker.join(30)
    assert not worker.is_alive()
    assert results[0].reason == "stopped" and 3 < results[0].step < 50 * 25
    assert states[:2] == ["paused", "running"]


def test_same_seed_gives_identical_weights():
    weights = []
    for _ in range(2):
        torch.manual_seed(0)
        model = nn.Sequential(mlp(2, 2), nn.Dropout(0.2))
        Trainer(model, TrainingConfig(dataset="moons", epochs=2, seed=3)).run()
        weights.append(torch.cat([p.flatten() for p in model.parameters()]))
    assert torch.equal(weights[0], weights[1])


# ---- faults -------------------------------------------------------------------------------------
class Faulty(nn.Module):
    """A regression net that misbehaves from its ``fail_at``-th forward call (the trainer's trial
    batch is call 1); it maps its own lines to node ids like a compiled graph does."""

    def __init__(self, fail_at: int, how: str):
        super().__init__()
        self.fc = nn.Linear(1, 1)
        self.calls, self.fail_at, self.how = 0, fail_at, how

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        bad = self.calls >= self.fail_at
        h = self.fc(x if not (bad and self.how == "shape") else x.repeat(1, 3))  # node: fc
        if bad and self.how == "nan":
            h = h * float("nan")  # node: scale
        if bad and self.how == "oom":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return h

    @staticmethod
    def nodeml_node_at_line(filename: str, lineno: int) -> str | None:
        if Path(filename).resolve() != Path(__file__).resolve():
            return None
        line = Path(__file__).read_text().splitlines()[lineno - 1]
        return line.split("# node: ")[1].strip() if "# node: " in line else None


def _fail(fail_at: int, how: str, **settings):
    torch.manual_seed(0)
    model = Faulty(fail_at, how)
    trainer = Trainer(model, TrainingConfig(dataset="linear1d", epochs=3, **settings))
    failures: list[object] = []
    trainer.failed.connect(failures.append)
    snapshots: list[torch.Tensor] = []
    trainer.step_ended.connect(lambda e: snapshots.append(model.fc.weight.detach().clone()))
    with pytest.raises(TrainingError) as info:
        trainer.run()
    assert failures and failures[0].error is info.value
    return info.value, model, snapshots


def test_runtime_error_in_forward_names_the_node_whose_line_raised():
    error, _, _ = _fail(6, "shape")
    assert isinstance(error, ForwardError)
    assert error.node == "fc" and error.step == 5
    assert str(error).startswith("node fc failed at step 5:")


def test_forward_error_on_the_trial_batch_is_reported_before_training():
    error, model, snapshots = _fail(1, "shape")
    assert isinstance(error, ForwardError) and error.node == "fc"
    assert "trial batch before training" in str(error) and not snapshots


def test_nan_loss_stops_naming_the_step_and_keeps_the_last_good_weights():
    error, model, snapshots = _fail(10, "nan")
    assert isinstance(error, NonFiniteLossError) and error.step == 9
    assert "loss became nan at step 9 (epoch 1, batch 9)" in str(error)
    assert torch.equal(model.fc.weight, snapshots[-1]) and len(snapshots) == 8


def test_out_of_memory_suggests_a_smaller_batch():
    error, _, _ = _fail(3, "oom", batch_size=64)
    assert isinstance(error, OutOfMemoryError)
    assert "batch size 64; try batch_size 32" in str(error)


def test_model_output_that_does_not_fit_the_dataset_is_caught_before_training():
    torch.manual_seed(0)
    with pytest.raises(
        TrainingError, match=r"outputs \(N, 5\) but dataset shapes has 10 classes.*out_features=10"
    ):
        Trainer(
            nn.Sequential(nn.Flatten(), nn.Linear(784, 5)),
            TrainingConfig(dataset="shapes", dataset_options={"n": 100}),
        ).run()
    with pytest.raises(
        TrainingError, match=r"outputs \(N, 2\) but dataset linear1d's targets are \(N, 1\)"
    ):
        Trainer(nn.Linear(1, 2), TrainingConfig(dataset="linear1d")).run()


def test_settings_that_cannot_work_are_refused_up_front(monkeypatch):
    with pytest.raises(
        ConfigError,
        match="training.loss: cross_entropy trains a classification task, not regression",
    ):
        Trainer(
            nn.Linear(1, 1),
            TrainingConfig(dataset="linear1d", loss="cross_entropy", task="regression"),
        )
    with pytest.raises(ConfigError, match="continuous targets"):
        Trainer(nn.Linear(1, 1), TrainingConfig(dataset="linear1d", loss="cross_entropy"))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ConfigError, match="training.device: CUDA is not available"):
        Trainer(nn.Linear(1, 1), TrainingConfig(dataset="linear1d", device="cuda"))
    with pytest.raises(ConfigError, match="no trainable parameters"):
        Trainer(nn.Identity(), TrainingConfig(dataset="linear1d"))


def test_autoencoder_reconstructs_its_input_with_a_regression_loss():
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 32),
        nn.ReLU(),
        nn.Linear(32, 784),
        nn.Sigmoid(),
        nn.Unflatten(1, (1, 28, 28)),
    )
    trainer = train(
        model,
        dataset="shapes",
        task="regression",
        loss="mse",
        epochs=2,
        dataset_options={"n": 1000},
    )
    assert (
        trainer.reconstruct and trainer.history[-1]["val_loss"] < trainer.history[0]["train_loss"]
    )


def test_error_in_a_compiled_graph_is_reported_against_its_node():
    from nodeml.core.compile import compile_graph
    from nodeml.core.serialize import graph_from_dict

    graph = graph_from_dict(
        {
            "format": "nodeml.graph",
            "version": 1,
            "nodes": [
                {"id": "x", "type": "Input", "params": {"shape": [3]}},
                {"id": "hidden", "type": "Linear", "params": {"out_features": 4}},
                {"id": "out", "type": "Output"},
            ],
            "edges": [{"source": "x", "target": "hidden"}, {"source": "hidden", "target": "out"}],
        }
    )
    # linear1d feeds (N, 1) into a graph built for (N, 3): the Linear's generated line raises
    with pytest.raises(ForwardError) as info:
        Trainer(compile_graph(graph), TrainingConfig(dataset="linear1d")).run()
    assert info.value.node == "hidden"
    assert str(info.value).startswith("node hidden failed on a trial batch before training")


def test_unseeded_runs_shuffle_differently_and_checkpoints_keep_the_order():
    orders = []
    for _ in range(2):
        trainer = Trainer(nn.Linear(1, 1), TrainingConfig(dataset="linear1d", seed=None, epochs=1))
        orders.append(trainer.shuffle_seed)
    assert orders[0] != orders[1]
    state = trainer.state_dict()
    other = Trainer(nn.Linear(1, 1), TrainingConfig(dataset="linear1d", seed=None, epochs=1))
    other.load_state_dict(state)
    assert other.shuffle_seed == trainer.shuffle_seed
