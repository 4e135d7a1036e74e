"""Export a graph in the formats other tools read: ONNX, TorchScript, torch.export, safetensors."""

from __future__ import annotations

import os

from ..graph import Graph
from .exported_program import export_program
from .formats import MODEL_FILES
from .model import ExportModel, example_inputs, prepare
from .onnx import export_onnx
from .report import ExportError, ExportReport
from .safetensors_io import export_safetensors, load_safetensors
from .torchscript import export_torchscript

# the formats export_graph writes: all but "python", which nodeml.export_code writes
FORMATS = tuple(f.name for f in MODEL_FILES)
SUFFIXES = {f.name: f".{f.suffix}" for f in MODEL_FILES}


def export_graph(
    graph: Graph,
    path: str | os.PathLike[str],
    fmt: str,
    checkpoint: str | os.PathLike[str] | None = None,
    opset: int | None = None,
) -> ExportReport:
    """Compile ``graph`` (with a checkpoint's weights when given) and write it as ``fmt``."""
    if fmt not in FORMATS:
        raise ExportError(
            f"unknown export format {fmt!r}; choose one of python, {', '.join(FORMATS)}"
        )
    model = prepare(graph, checkpoint)
    if fmt == "onnx":
        return export_onnx(model, path, opset)
    if fmt == "torchscript":
        return export_torchscript(model, path)
    if fmt == "exported-program":
        return export_program(model, path)
    return export_safetensors(model, path, graph.name)


__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ExportError",
    "ExportModel",
    "ExportReport",
    "example_inputs",
    "export_graph",
    "export_onnx",
    "export_program",
    "export_safetensors",
    "export_torchscript",
    "load_safetensors",
    "prepare",
]
