"""Dataset file paths in a graph's training section, read relative to the graph file's folder."""

from __future__ import annotations

import os
from pathlib import Path

from .config import TrainingConfig

PATH_OPTIONS = ("path", "root", "test_root")  # the dataset options that name files or folders


def resolve_data_paths(config: TrainingConfig, graph_dir: str | os.PathLike[str]) -> TrainingConfig:
    """The settings with every relative data path made absolute, so a run reads the same files
    whatever the working directory, and its checkpoint still finds them from anywhere.

    A relative path means the file beside the graph when one is there (a project folder moved
    as a whole keeps working); otherwise, as before, the working directory's."""
    options = dict(config.dataset_options)
    changed = False
    for key in PATH_OPTIONS:
        value = options.get(key)
        if not isinstance(value, str) or not value:
            continue
        path = Path(os.path.expanduser(value))
        if path.is_absolute():
            continue
        beside = Path(graph_dir) / path
        options[key] = os.path.abspath(beside if beside.exists() else path)
        changed = True
    return config.replace(dataset_options=options) if changed else config
