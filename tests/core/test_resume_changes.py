"""Resuming with changed settings: what the user asks takes effect, or is refused saying why."""

from __future__ import annotations

import math
import warnings

import pytest
import torch
from torch import nn

from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.datasets import DatasetInfo, LoadedData, TensorData
from nodeml.core.training.resumption import ResumeError

BASE = {
    "dataset": "spirals",
    "dataset_options": {"n": 400},
    "epochs": 2,
    "batch_size": 32,
    "lr": 0.01,
    "seed": 7,
}


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def make_model(init_seed: int = 0, dropout: bool = True) -> nn.Module:
    torch.manual_seed(init_seed)
    drop = nn.Dropout(0.3) if dropout else nn.Identity()
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), drop, nn.Linear(32, 2))


def weights(model: nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def checkpoint_after(dropout: bool = True, **settings) -> dict:
    trainer = Trainer(make_model(dropout=dropout), TrainingConfig(**{**BASE, **settings}))
    trainer.run()
    return trainer.state_dict()


def resumed(state: dict, dropout: bool = True, **settings) -> Trainer:
    torch.manual_seed(123)  # disturb the global RNG: the checkpoint restores it
    model = make_model(init_seed=99, dropout=dropout)
    trainer = Trainer(model, TrainingConfig(**{**BASE, **settings}))
    trainer.load_state_dict(state)
    return trainer


def test_a_new_lr_takes_effect_is_recorded_and_said():
    state = checkpoint_after(dropout=False)
    # what a plain PyTorch user does: set the param group's lr and keep training (no dropout:
    # a second run() reseeds the global RNG, which a resume restores instead)
    expected = Trainer(make_model(dropout=False), TrainingConfig(**BASE))
    expected.run()
    expected.config = TrainingConfig(**{**BASE, "epochs": 3, "lr": 0.1})
    expected.optimizer.param_groups[0]["lr"] = 0.1
    expected.run()

    trainer = resumed(state, dropout=False, epochs=3, lr=0.1)
    assert "resuming with lr 0.1 (the checkpoint trained with 0.01)" in trainer.notes
    assert "resuming with epochs 3 (the checkpoint's run asked for 2)" in trainer.notes
    assert trainer.lr == 0.1
    trainer.run()
    assert [row["lr"] for row in trainer.history] == [0.01, 0.01, 0.1]
    assert trainer.state_dict()["training"]["lr"] == 0.1
    assert torch.equal(weights(trainer.model), weights(expected.model))


def test_changed_optimizer_hyper_parameters_take_effect():
    state = checkpoint_after(optimizer="sgd", momentum=0.5)
    trainer = resumed(state, optimizer="sgd", momentum=0.9, weight_decay=1e-4, epochs=3)
    group = trainer.optimizer.param_groups[0]
    assert (group["momentum"], group["weight_decay"]) == (0.9, 1e-4)
    # the momentum buffers themselves are kept
    saved = state["optimizer"]["state"][0]["momentum_buffer"]
    assert torch.equal(trainer.optimizer.state_dict()["state"][0]["momentum_buffer"], saved)


def test_step_schedule_applies_to_the_new_base_lr():
    state = checkpoint_after(scheduler="step", step_size=1, gamma=0.5)
    trainer = resumed(state, scheduler="step", step_size=1, gamma=0.5, lr=0.1, epochs=3)
    assert trainer.lr == pytest.approx(0.1 * 0.5**2)  # two epochs of decay, from the new base


def test_one_cycle_resumed_with_more_epochs_spans_the_new_length():
    steps = math.ceil(320 / 32)  # 400 points, 20 % validation
    state = checkpoint_after(scheduler="onecycle", epochs=2)
    trainer = resumed(state, scheduler="onecycle", epochs=4)
    assert trainer.schedule.scheduler.total_steps == 4 * steps
    assert f"the onecycle schedule now ends at step {4 * steps}" in trainer.notes
    fresh = Trainer(make_model(), TrainingConfig(**{**BASE, "scheduler": "onecycle", "epochs": 4}))
    with warnings.catch_warnings():  # stepping a schedule without training, on purpose
        warnings.simplefilter("ignore")
        for _ in range(2 * steps):
            fresh.schedule.scheduler.step()
    assert trainer.lr == pytest.approx(fresh.lr)  # where a 4-epoch cycle is after 2 epochs
    trainer.run()
    lrs = [row["lr"] for row in trainer.history]
    assert lrs[2] > lrs[3] > 0 and lrs[3] < 1e-5  # it kept stepping, down to the cycle's end


def test_one_cycle_resumed_at_another_batch_size_ends_on_the_last_step():
    state = checkpoint_after(scheduler="onecycle", epochs=2)
    trainer = resumed(state, scheduler="onecycle", epochs=3, batch_size=64)
    assert trainer.schedule.scheduler.total_steps == 2 * 10 + 5
    trainer.run()
    assert trainer.step == 25  # stepped every batch without running past the cycle's end


def test_plateau_keeps_its_reductions_under_a_new_lr():
    state = checkpoint_after(scheduler="plateau", patience=0, factor=0.5, epochs=2)
    state["optimizer"]["param_groups"][0]["lr"] = 0.0025  # as if it had reduced twice
    trainer = resumed(state, scheduler="plateau", patience=0, factor=0.5, lr=0.1, epochs=3)
    assert trainer.lr == pytest.approx(0.025)


class SampleSpy(nn.Module):
    """Column 0 of each sample is its index: records which samples train, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.seen: list[int] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.seen += x[:, 0].long().tolist()
        return self.fc(x)


def indexed_data(n: int = 200) -> LoadedData:
    x = torch.stack([torch.arange(n, dtype=torch.float32), torch.randn(n)], dim=1)
    info = DatasetInfo("indexed", "classification", (2,), "float32", 2)
    return LoadedData(TensorData(x, torch.randint(0, 2, (n,))), None, None, info)


@pytest.mark.parametrize("new_batch_size", [48, 16, 7])
def test_mid_epoch_resume_at_another_batch_size_continues_at_the_next_sample(new_batch_size):
    data = indexed_data()
    config = {**BASE, "dataset": "indexed", "val_split": 0.0, "epochs": 1, "batch_size": 32}
    first = Trainer(SampleSpy(), TrainingConfig(**config), data)
    first.step_ended.connect(lambda e: first.stop() if e.step == 3 else None)
    first.run()
    assert first.samples_in_epoch == 96

    second = Trainer(SampleSpy(), TrainingConfig(**{**config, "batch_size": new_batch_size}), data)
    second.load_state_dict(first.state_dict())
    second.run()
    order = first.model.seen + second.model.seen
    assert sorted(order) == list(range(200))  # every sample once: none skipped, none twice
    whole = Trainer(SampleSpy(), TrainingConfig(**config), data)
    whole.run()
    assert order == whole.model.seen  # in the order the uninterrupted epoch has


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"dataset_options": {"n": 500}}, "dataset_options.n 500: the checkpoint trained with 400"),
        ({"val_split": 0.3}, "val_split decides which samples it validates on"),
        ({"seed": 8}, "seed decides its train/validation split and shuffle order"),
        ({"loss": "nll"}, "loss decides what its loss measures"),
        ({"optimizer": "sgd"}, "cannot resume adam's state with sgd"),
    ],
)
def test_a_change_the_run_cannot_take_is_refused_saying_what_to_do(change, said):
    state = checkpoint_after()
    with pytest.raises(ResumeError) as info:
        resumed(state, epochs=3, **change)
    message = str(info.value)
    assert said in message
    assert "--weights" in message  # the way out: a new run from these weights


def test_shuffle_changes_only_at_an_epoch_end():
    trainer = Trainer(make_model(), TrainingConfig(**BASE))
    trainer.step_ended.connect(lambda e: trainer.stop() if e.step == 3 else None)
    trainer.run()
    with pytest.raises(ResumeError, match="cannot change shuffle in the middle of an epoch"):
        resumed(trainer.state_dict(), shuffle=False)
    at_end = resumed(checkpoint_after(), shuffle=False, epochs=3)
    assert "resuming with shuffle false (the checkpoint trained with true)" in at_end.notes


def test_unchanged_settings_resume_without_notes_or_rebuilding():
    state = checkpoint_after(scheduler="cosine")
    trainer = resumed(state, scheduler="cosine")
    assert trainer.notes == [] and trainer.resume_changes == []
    assert trainer.schedule.state_dict() == state["scheduler"]
