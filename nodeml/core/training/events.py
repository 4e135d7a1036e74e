"""The typed events a Trainer emits; the UI and the CLI subscribe to them, the trainer knows neither."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..errors import TrainingError
from .datasets import DatasetInfo


@dataclass(frozen=True)
class RunStarted:
    epochs: int
    start_epoch: int  # > 0 when resuming
    steps_per_epoch: int
    device: str  # "cpu", "cuda:0", "mps"
    device_name: str  # the GPU's name, or "CPU"
    task: str
    loss: str
    metric: str
    info: DatasetInfo
    notes: tuple[str, ...] = ()  # settings that were adjusted (e.g. amp off on a CPU)
    world_size: int = 1  # processes training together (torchrun); each on its own ``device``


@dataclass(frozen=True)
class StepEnded:
    """Emitted every ``log_every`` batches; ``loss`` is the mean over those batches."""

    epoch: int  # 0-based
    step: int  # global optimizer step count, 1-based after the first step
    batch: int  # 1-based within the epoch
    batches: int
    loss: float
    lr: float
    samples_per_s: float
    eta_s: float


@dataclass(frozen=True)
class EpochEnded:
    epoch: int  # 0-based
    step: int
    train: dict[str, float]  # "loss" and the metrics
    val: dict[str, float] | None  # None without a validation split
    lr: float
    samples_per_s: float
    seconds: float
    eta_s: float
    improved: bool  # the best validation (else training) loss so far


class TrainerState(StrEnum):
    """Where a run is between batches (StrEnum: its values are the names it had as strings)."""

    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"


class FinishReason(StrEnum):
    COMPLETED = "completed"  # every epoch asked for
    STOPPED = "stopped"  # asked to stop (or interrupted) before that


@dataclass(frozen=True)
class StateChanged:
    state: TrainerState

    def __post_init__(self) -> None:  # a live feed's "paused" becomes the Enum
        object.__setattr__(self, "state", TrainerState(self.state))


@dataclass(frozen=True)
class Finished:
    reason: FinishReason
    epochs_done: int
    step: int
    history: list[dict[str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", FinishReason(self.reason))


@dataclass(frozen=True)
class Failed:
    error: TrainingError
