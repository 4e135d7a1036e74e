"""Resume continues exactly where a run stopped, and each run leaves its folder of files."""

from __future__ import annotations

import csv
import json

import pytest
import torch
from torch import nn

from nodeml.core.checkpoint import load_checkpoint, save_checkpoint
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.runs import RunRecorder, new_run_dir

# dropout (global RNG), shuffling (per-epoch order) and a per-batch scheduler all have to be restored
CONFIG = {
    "dataset": "spirals",
    "dataset_options": {"n": 400},
    "epochs": 4,
    "batch_size": 32,
    "lr": 0.01,
    "scheduler": "onecycle",
    "seed": 7,
}


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def make_model(init_seed: int = 0) -> nn.Module:
    torch.manual_seed(init_seed)
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))


def weights(model: nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def uninterrupted(**changes) -> torch.Tensor:
    model = make_model()
    Trainer(model, TrainingConfig(**{**CONFIG, **changes})).run()
    return weights(model)


def resume(checkpoint, **changes) -> Trainer:
    torch.manual_seed(123)  # disturb the global RNG: the checkpoint must restore it
    trainer = Trainer(make_model(init_seed=99), TrainingConfig(**{**CONFIG, **changes}))
    trainer.load_state_dict(load_checkpoint(checkpoint))
    trainer.run()
    return trainer


def test_two_epochs_plus_two_resumed_equal_four_uninterrupted(tmp_path):
    expected = uninterrupted()
    trainer = Trainer(make_model(), TrainingConfig(**CONFIG))
    recorder = RunRecorder(trainer, tmp_path / "run")
    trainer.epoch_ended.connect(lambda e: trainer.stop() if e.epoch == 1 else None)
    assert trainer.run().reason == "stopped"
    assert load_checkpoint(recorder.last)["epoch"] == 2
    resumed = resume(recorder.last)
    assert resumed.epoch == 4 and len(resumed.history) == 4
    assert torch.equal(weights(resumed.model), expected)


def test_two_epoch_run_resumed_with_more_epochs_matches_a_longer_run(tmp_path):
    # StepLR does not depend on the run's length, so "train 2, then ask for 4" is well defined
    expected = uninterrupted(
        scheduler="step", step_size=1, gamma=0.7, optimizer="sgd", momentum=0.9
    )
    first = Trainer(
        make_model(),
        TrainingConfig(
            **{
                **CONFIG,
                "epochs": 2,
                "scheduler": "step",
                "step_size": 1,
                "gamma": 0.7,
                "optimizer": "sgd",
                "momentum": 0.9,
            }
        ),
    )
    recorder = RunRecorder(first, tmp_path / "run")
    first.run()
    resumed = resume(
        recorder.last, scheduler="step", step_size=1, gamma=0.7, optimizer="sgd", momentum=0.9
    )
    assert torch.equal(weights(resumed.model), expected)


def test_checkpoint_taken_mid_epoch_resumes_at_the_next_batch(tmp_path):
    expected = uninterrupted()
    trainer = Trainer(make_model(), TrainingConfig(**CONFIG))
    path = tmp_path / "paused.pt"
    trainer.step_ended.connect(
        lambda e: trainer.stop() if e.step == 20 else None
    )  # epoch 2, batch 7
    trainer.run()
    save_checkpoint(path, trainer.state_dict())
    resumed = resume(path)
    assert torch.equal(weights(resumed.model), expected)
    assert resumed.history[1]["train_loss"] > 0  # the split epoch's loss covers both halves


def test_run_folder_holds_settings_metrics_and_checkpoints(tmp_path):
    run = new_run_dir(tmp_path / "runs", "My Net")
    assert run.name.startswith("My_Net-") and new_run_dir(tmp_path / "runs", "My Net") != run
    trainer = Trainer(
        make_model(), TrainingConfig(**{**CONFIG, "epochs": 3}), graph={"format": "nodeml.graph"}
    )
    recorder = RunRecorder(trainer, run)
    trainer.run()
    settings = json.loads((run / "settings.json").read_text())
    assert settings["training"]["dataset"] == "spirals" and settings["dataset"]["sample_shape"] == [
        2
    ]
    with open(run / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["epoch"] for r in rows] == ["1", "2", "3"]
    assert {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr"} <= set(rows[0])
    last = load_checkpoint(recorder.last)
    assert set(last) >= {
        "model",
        "optimizer",
        "scheduler",
        "epoch",
        "step",
        "graph",
        "training",
        "history",
        "rng",
    }
    assert last["graph"] == {"format": "nodeml.graph"} and last["training"]["epochs"] == 3
    assert last["history"] == trainer.history
    best = load_checkpoint(recorder.best)
    best_epoch = min(range(3), key=lambda i: trainer.history[i]["val_loss"]) + 1
    assert best["epoch"] == best_epoch
    # the state_dict loads into a fresh copy of the model, as into exported code
    make_model().load_state_dict(last["model"])


def test_failed_step_leaves_the_last_checkpoint_intact(tmp_path):
    trainer = Trainer(make_model(), TrainingConfig(**CONFIG))
    recorder = RunRecorder(trainer, tmp_path / "run")

    def poison(event):
        if event.epoch == 1:
            with torch.no_grad():
                trainer.model[0].weight.fill_(float("nan"))

    trainer.epoch_ended.connect(poison)
    with pytest.raises(Exception, match="loss became nan"):
        trainer.run()
    saved = load_checkpoint(recorder.last)
    assert saved["epoch"] == 2 and torch.isfinite(saved["model"]["0.weight"]).all()
