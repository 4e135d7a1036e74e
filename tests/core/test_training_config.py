"""TrainingConfig reads a graph file's training section, canonicalises names and refuses bad settings."""

from __future__ import annotations

import pytest

from nodeml.core.errors import TrainingError
from nodeml.core.serialize import graph_from_dict
from nodeml.core.training.config import ConfigError, TrainingConfig


def test_training_section_of_a_graph_file_is_read_with_torch_spellings():
    graph = graph_from_dict(
        {
            "format": "nodeml.graph",
            "version": 1,
            "nodes": [],
            "training": {
                "dataset": "spirals",
                "loss": "CrossEntropyLoss",
                "optimizer": "AdamW",
                "scheduler": "CosineAnnealingLR",
                "betas": [0.8, 0.99],
                "epochs": 3,
            },
        }
    )
    config = TrainingConfig.from_dict(graph.extras.get("training"))
    assert (config.loss, config.optimizer, config.scheduler) == ("cross_entropy", "adamw", "cosine")
    assert config.betas == (0.8, 0.99)
    assert config.epochs == 3


def test_to_dict_round_trips_and_writes_only_changed_settings():
    config = TrainingConfig(dataset="moons", lr=0.01, scheduler="StepLR", grad_clip=1.0)
    data = config.to_dict()
    assert data == {"dataset": "moons", "lr": 0.01, "scheduler": "step", "grad_clip": 1.0}
    assert TrainingConfig.from_dict(data) == config


def test_missing_section_gives_defaults():
    assert TrainingConfig.from_dict(None) == TrainingConfig()


@pytest.mark.parametrize(
    ("settings", "field", "words"),
    [
        ({"optimiser": "sgd"}, "optimiser", "did you mean 'optimizer'"),
        ({"lr": -1}, "lr", "must be a number > 0"),
        ({"lr": "fast"}, "lr", "e.g. 0.001"),
        ({"batch_size": 0}, "batch_size", "whole number >= 1"),
        ({"epochs": 2.5}, "epochs", "whole number"),
        ({"val_split": 1.0}, "val_split", "< 1"),
        ({"betas": [0.9]}, "betas", "two numbers"),
        ({"optimizer": "adamax"}, "optimizer", "choose one of sgd, adam, adamw, rmsprop, adagrad"),
        ({"loss": "hinge"}, "loss", "choose one of mse"),
        ({"scheduler": "cyclic"}, "scheduler", "choose one of none, step"),
        ({"device": "tpu"}, "device", "auto, cpu, cuda, mps"),
        ({"nesterov": True, "optimizer": "sgd"}, "nesterov", "momentum > 0"),
        ({"task": "ranking"}, "task", "classification, binary, regression"),
        ({"shuffle": "yes"}, "shuffle", "true or false"),
        ({"grad_clip": 0}, "grad_clip", "> 0"),
    ],
)
def test_bad_setting_names_the_field_and_the_fix(settings, field, words):
    with pytest.raises(ConfigError) as info:
        TrainingConfig.from_dict(settings)
    assert info.value.field == field
    assert f"training.{field}" in str(info.value)
    assert words in str(info.value)
    assert isinstance(info.value, TrainingError)


def test_section_that_is_not_an_object_is_refused():
    with pytest.raises(ConfigError, match="must be a JSON object"):
        TrainingConfig.from_dict(["sgd"])


def test_replace_ignores_unset_command_line_flags():
    config = TrainingConfig(epochs=7).replace(epochs=None, lr=0.5)
    assert (config.epochs, config.lr) == (7, 0.5)
    with pytest.raises(ConfigError, match="training.lr"):
        TrainingConfig().replace(lr=0)
