"""Checkpoints: written atomically, read with weights_only=True only, loaded into a model key by key."""

from __future__ import annotations

import io
import os
import pickle
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from .errors import CheckpointError
from .fileio import atomic_write_bytes

FORMAT = "nodeml.checkpoint"
VERSION = 1
KEYS = (
    "model",
    "optimizer",
    "scheduler",
    "epoch",
    "step",
    "graph",
    "training",
    "history",
    "rng",
    "classes",  # output index -> class name ([] for regression); also in model's _extra_state
)
EXTRA_STATE = "_extra_state"  # where nn.Module.get_extra_state's value sits in a state_dict


def save_checkpoint(path: str | os.PathLike[str], state: dict[str, Any]) -> None:
    """Serialise to memory first, then replace the file in one step: a crash never truncates it."""
    buffer = io.BytesIO()
    torch.save({"format": FORMAT, "version": VERSION, **state}, buffer)
    atomic_write_bytes(path, buffer.getvalue())


def load_checkpoint(
    path: str | os.PathLike[str], map_location: str | torch.device = "cpu"
) -> dict[str, Any]:
    """Read a checkpoint without running any code it may carry (``weights_only=True``)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(
            f"checkpoint {path} does not exist; pick a .pt file written by nodeml"
        )
    try:
        data = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        refused = [line for line in str(exc).splitlines() if "GLOBAL" in line]
        if not refused:
            raise CheckpointError(f"checkpoint {path} is not a readable PyTorch file") from None
        # weights_only refused a global: the file carries code (or objects) we will not execute
        raise CheckpointError(
            f"checkpoint {path} holds Python objects other than tensors and plain data, so it was "
            f"not loaded (nothing in it was run): {refused[0].strip()}"
        ) from None
    except (RuntimeError, EOFError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise CheckpointError(f"checkpoint {path} is not a readable PyTorch file ({exc})") from None
    if not isinstance(data, dict) or "model" not in data:
        raise CheckpointError(
            f"checkpoint {path} has no 'model' weights; it was not written by nodeml"
        )
    version = data.get("version", VERSION)
    if isinstance(version, int) and version > VERSION:
        raise CheckpointError(
            f"checkpoint {path} is version {version}, newer than this nodeml; update nodeml"
        )
    return data


@dataclass
class StateDiff:
    """How a checkpoint's weights differ from a model's parameters and buffers."""

    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    mismatched: list[tuple[str, tuple[int, ...], tuple[int, ...]]] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatched)

    def describe(self) -> str:
        lines = []
        if self.missing:
            lines.append(
                f"not in the checkpoint (keep their current values): {', '.join(self.missing)}"
            )
            if EXTRA_STATE in self.missing:  # what a checkpoint of an older nodeml lacks
                lines.append(
                    f"({EXTRA_STATE} holds the class names; a model standardising its input "
                    "also holds mean and std buffers: an older checkpoint has neither)"
                )
        if self.unexpected:
            lines.append(
                f"in the checkpoint but not the model (ignored): {', '.join(self.unexpected)}"
            )
        for key, saved, current in self.mismatched:
            lines.append(f"{key}: checkpoint has shape {list(saved)}, the model {list(current)}")
        return "\n".join(lines)


PARTIAL_HINT = 'load with partial=True ("load the weights that fit") to take the matching ones'


class CheckpointMismatchError(CheckpointError):
    """The checkpoint does not fit the model; ``diff`` lists what differs. ``hint`` says how to
    take the weights that fit where the error is shown (the CLI's flag, the app's button)."""

    def __init__(
        self,
        diff: StateDiff,
        *,
        hint: str = PARTIAL_HINT,
        headline: str = "the checkpoint does not fit this graph:",
    ):
        self.diff = diff
        super().__init__(f"{headline}\n{diff.describe()}\n{hint}")


def compare_state(model: nn.Module, state: dict[str, torch.Tensor]) -> StateDiff:
    current = model.state_dict()
    diff = StateDiff()
    diff.missing = [k for k in current if k not in state]
    diff.unexpected = [k for k in state if k not in current]
    for key, value in state.items():
        if key in current and torch.is_tensor(value) and value.shape != current[key].shape:
            diff.mismatched.append((key, tuple(value.shape), tuple(current[key].shape)))
    return diff


def load_model_state(
    model: nn.Module, state: dict[str, torch.Tensor], *, partial: bool = False
) -> StateDiff:
    """Load weights; with ``partial`` only the keys whose names and shapes fit, else all or nothing."""
    diff = compare_state(model, state)
    if not diff.fits and not partial:
        raise CheckpointMismatchError(diff)
    extra = state.get(EXTRA_STATE)
    if extra is not None and not _valid_extra_state(extra):
        raise CheckpointError(
            "the checkpoint's class names (model._extra_state) are not a list of names"
        )
    bad = set(diff.unexpected) | {k for k, _, _ in diff.mismatched}
    if partial:  # class names describe the whole trained model, not the weights taken from it
        bad.add(EXTRA_STATE)
    model.load_state_dict({k: v for k, v in state.items() if k not in bad}, strict=False)
    return diff


def _valid_extra_state(extra: Any) -> bool:
    """What a generated model's get_extra_state returns: ``{"classes": [names]}``."""
    classes = extra.get("classes") if isinstance(extra, dict) else None
    return isinstance(classes, list) and all(isinstance(c, str) for c in classes)


# ---- random number generators --------------------------------------------------------------------
def rng_state() -> dict[str, Any]:
    """Every RNG a run draws from, as tensors and plain numbers (readable under weights_only)."""
    _, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss = random.getstate()
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "numpy": {
            "keys": torch.from_numpy(keys.astype(np.int64)),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached),
        },
        "python": {
            "version": version,
            "state": torch.tensor(internal, dtype=torch.int64),
            "gauss": gauss,
        },
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"].cpu())
    np_state = state["numpy"]
    np.random.set_state(
        (
            "MT19937",
            np_state["keys"].numpy().astype(np.uint32),
            np_state["pos"],
            np_state["has_gauss"],
            np_state["cached_gaussian"],
        )
    )
    py = state["python"]
    random.setstate((py["version"], tuple(int(v) for v in py["state"].tolist()), py["gauss"]))
    if (
        "cuda" in state
        and torch.cuda.is_available()
        and len(state["cuda"]) == torch.cuda.device_count()
    ):
        torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda"]])
