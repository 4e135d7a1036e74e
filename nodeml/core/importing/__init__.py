"""Import existing PyTorch models into nodeml graphs by tracing them with torch.fx."""

from __future__ import annotations

from .errors import ModelImportError
from .fx_import import ImportResult, import_model, import_module
from .targets import LoadedTarget, load_target
from .weights import load_original_weights, rename_state_dict

__all__ = [
    "ImportResult",
    "LoadedTarget",
    "ModelImportError",
    "import_model",
    "import_module",
    "load_original_weights",
    "load_target",
    "rename_state_dict",
]
