"""Loading a CSV text written by a test through the csv dataset, as training would."""

from __future__ import annotations

import pytest

from nodeml.core.training import DatasetError, TrainingConfig, load_dataset
from nodeml.core.training.datasets import LoadedData, TaskHint, first_samples


def load(tmp_path, content: str | bytes, hint: TaskHint | None = None, **options) -> LoadedData:
    """``content`` as tmp_path/data.csv, loaded unsplit and unnormalised; ``options`` are the
    dataset options besides the path."""
    path = tmp_path / "data.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    config = TrainingConfig(
        dataset="csv",
        dataset_options={"path": str(path), **options},
        val_split=0,
        normalize=False,
    )
    return load_dataset(config, hint)


def samples(data):
    return first_samples(data.train, len(data.train))


def refused(tmp_path, content, pattern, **options) -> str:
    """The one-line DatasetError loading ``content`` raises, matched against ``pattern``."""
    with pytest.raises(DatasetError, match=pattern) as caught:
        load(tmp_path, content, **options)
    message = str(caught.value)
    assert "\n" not in message
    return message
