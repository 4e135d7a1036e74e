"""TorchScript export: torch.jit.script of the compiled model, torch.jit.trace when scripting fails."""

from __future__ import annotations

import io
import os
import warnings

import torch

from ..fileio import atomic_write_bytes
from .model import ExportModel
from .report import ExportError, ExportReport


def export_torchscript(model: ExportModel, path: str | os.PathLike[str]) -> ExportReport:
    """Write a ``torch.jit.load``-able file that runs without nodeml or the generated source."""
    report = ExportReport(str(path), "torchscript")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # torch.jit is deprecated, still supported
        try:
            scripted = torch.jit.script(model.module)
        except Exception as exc:  # TorchScript's compiler raises many kinds
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            try:
                scripted = torch.jit.trace(model.module, model.inputs)
            except Exception as trace_exc:
                raise ExportError(
                    f"TorchScript cannot script or trace this model: {trace_exc}"
                ) from None
            report.notes.append(
                f"scripting failed ({first}); the model was traced instead, which records one path "
                "through forward for inputs shaped like the example batch"
            )
        buffer = io.BytesIO()
        torch.jit.save(scripted, buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return report
