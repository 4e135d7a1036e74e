"""Checkpoints: atomic, weights_only (a hostile pickle never runs), key-by-key loading into a changed model."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest
import torch
from torch import nn

from nodeml.core.checkpoint import (
    CheckpointMismatchError,
    compare_state,
    load_checkpoint,
    load_model_state,
    rng_state,
    save_checkpoint,
    set_rng_state,
)
from nodeml.core.errors import CheckpointError


def test_round_trip_keeps_weights_and_plain_data(tmp_path):
    model = nn.Linear(3, 2)
    path = tmp_path / "ck.pt"
    save_checkpoint(path, {"model": model.state_dict(), "epoch": 4, "history": [{"loss": 0.5}]})
    data = load_checkpoint(path)
    assert data["epoch"] == 4 and data["history"] == [{"loss": 0.5}]
    fresh = nn.Linear(3, 2)
    fresh.load_state_dict(data["model"])
    assert torch.equal(fresh.weight, model.weight)
    assert not list(tmp_path.glob(".*tmp"))  # the temp file was renamed into place


class _Payload:
    """Pickles as a call to os.system: loading it with plain pickle would run the command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_hostile_pickle_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"model": {}, "extra": _Payload(marker)}, path)
    with pytest.raises(CheckpointError, match="nothing in it was run"):
        load_checkpoint(path)
    assert not marker.exists()


def test_missing_and_garbage_files_are_checkpoint_errors(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_checkpoint(tmp_path / "nope.pt")
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a torch file at all")
    with pytest.raises(CheckpointError, match="not a readable PyTorch file"):
        load_checkpoint(junk)
    bare = tmp_path / "bare.pt"
    torch.save({"weights": torch.zeros(1)}, bare)
    with pytest.raises(CheckpointError, match="no 'model' weights"):
        load_checkpoint(bare)


def _net(hidden: int, extra: bool = False) -> nn.Module:
    layers = {"fc1": nn.Linear(4, hidden), "fc2": nn.Linear(hidden, 2)}
    if extra:
        layers["head"] = nn.Linear(2, 2)
    return nn.ModuleDict(layers)


def test_changed_model_lists_missing_unexpected_and_mismatched_keys():
    saved = _net(8).state_dict()
    saved["old.weight"] = torch.zeros(1)
    diff = compare_state(_net(16, extra=True), saved)
    assert diff.missing == ["head.weight", "head.bias"]
    assert diff.unexpected == ["old.weight"]
    assert [k for k, _, _ in diff.mismatched] == ["fc1.weight", "fc1.bias", "fc2.weight"]
    with pytest.raises(CheckpointMismatchError) as info:
        load_model_state(_net(16, extra=True), saved)
    text = str(info.value)
    assert "fc1.weight: checkpoint has shape [8, 4], the model [16, 4]" in text
    assert "partial=True" in text


def test_partial_load_takes_only_the_keys_that_fit():
    source = _net(8)
    target = _net(16)
    before = target.fc1.weight.clone()
    diff = load_model_state(target, source.state_dict(), partial=True)
    assert not diff.fits
    assert torch.equal(target.fc2.bias, source.fc2.bias)  # same shape: loaded
    assert torch.equal(target.fc1.weight, before)  # other shape: left alone


def test_rng_state_survives_a_weights_only_file(tmp_path):
    torch.manual_seed(1)
    np.random.seed(2)
    random.seed(3)
    path = tmp_path / "rng.pt"
    save_checkpoint(path, {"model": {}, "rng": rng_state()})
    expected = (torch.rand(3), np.random.rand(3), random.random())
    torch.manual_seed(99)
    np.random.seed(99)
    random.seed(99)
    set_rng_state(load_checkpoint(path)["rng"])
    assert torch.equal(torch.rand(3), expected[0])
    assert np.array_equal(np.random.rand(3), expected[1])
    assert random.random() == expected[2]
