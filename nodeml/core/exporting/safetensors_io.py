"""Weights as safetensors: tensors only, no pickle, readable by any framework."""

from __future__ import annotations

import importlib.util
import os

from torch import nn

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

    tensors = {k: v.detach().contiguous() for k, v in model.module.state_dict().items()}
    metadata = {"format": "nodeml.weights", "graph": graph_name}
    atomic_write_bytes(path, save(tensors, metadata=metadata))
    return ExportReport(str(path), "safetensors")


def load_safetensors(module: nn.Module, path: str | os.PathLike[str]) -> None:
    """Load weights written by export_safetensors into a model of the same graph (strict)."""
    if importlib.util.find_spec("safetensors") is None:
        raise ExportError(_NEEDS)
    from safetensors.torch import load_file

    try:
        module.load_state_dict(load_file(os.fspath(path)), strict=True)
    except RuntimeError as exc:
        raise ExportError(f"{path} does not fit this model: {exc}") from None
