"""Weights as safetensors: tensors only, no pickle, readable by any framework.

The class names a nodeml model carries as extra state (not a tensor) go into the file's
metadata as ``"classes"``, a JSON list; load_safetensors puts them back.
"""

from __future__ import annotations

import importlib.util
import json
import os

import torch
from torch import nn

from ..checkpoint import EXTRA_STATE
from ..fileio import atomic_write_bytes
from .model import ExportModel
from .report import ExportError, ExportReport

_NEEDS = "safetensors export needs the safetensors package: pip install 'nodeml[export]'"


def export_safetensors(
    model: ExportModel, path: str | os.PathLike[str], graph_name: str = ""
) -> ExportReport:
    """Write the model's ``state_dict`` (keys as in the compiled and exported code)."""
    if importlib.util.find_spec("safetensors") is None:
        raise ExportError(_NEEDS)
    from safetensors.torch import save

    state = model.module.state_dict()
    tensors = {k: v.detach().contiguous() for k, v in state.items() if torch.is_tensor(v)}
    metadata = {"format": "nodeml.weights", "graph": graph_name}
    extra = state.get(EXTRA_STATE)
    if isinstance(extra, dict) and "classes" in extra:
        metadata["classes"] = json.dumps(list(extra["classes"]))
    atomic_write_bytes(path, save(tensors, metadata=metadata))
    return ExportReport(str(path), "safetensors")


def load_safetensors(module: nn.Module, path: str | os.PathLike[str]) -> None:
    """Load weights written by export_safetensors into a model of the same graph (strict)."""
    if importlib.util.find_spec("safetensors") is None:
        raise ExportError(_NEEDS)
    from safetensors import safe_open
    from safetensors.torch import load_file

    state: dict = load_file(os.fspath(path))
    with safe_open(os.fspath(path), framework="pt") as f:
        metadata = f.metadata() or {}
    if "classes" in metadata:
        try:
            classes = json.loads(metadata["classes"])
        except ValueError:
            classes = None
        if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
            raise ExportError(f"{path}: its classes metadata is not a JSON list of names")
        state[EXTRA_STATE] = {"classes": classes}
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise ExportError(f"{path} does not fit this model: {exc}") from None
