"""Qt-free training: settings, datasets, the Trainer loop and its events, metrics, runs on disk."""

from .config import ConfigError, TrainingConfig
from .datasets import (
    DatasetError,
    DatasetInfo,
    LoadedData,
    check_input,
    dataset_names,
    dataset_spec,
    load_dataset,
)
from .events import EpochEnded, Failed, Finished, RunStarted, StateChanged, StepEnded
from .faults import NODE_AT_LINE, ForwardError, LossError, NonFiniteLossError, OutOfMemoryError
from .trainer import Trainer

__all__ = [
    "NODE_AT_LINE",
    "ConfigError",
    "DatasetError",
    "DatasetInfo",
    "EpochEnded",
    "Failed",
    "Finished",
    "ForwardError",
    "LoadedData",
    "LossError",
    "NonFiniteLossError",
    "OutOfMemoryError",
    "RunStarted",
    "StateChanged",
    "StepEnded",
    "Trainer",
    "TrainingConfig",
    "check_input",
    "dataset_names",
    "dataset_spec",
    "load_dataset",
]
