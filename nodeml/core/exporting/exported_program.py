"""torch.export program files (.pt2): the model's graph and weights, loadable with torch.export.load."""

from __future__ import annotations

import io
import os
import warnings

import torch

from ..errors import first_line
from ..fileio import atomic_write_bytes
from .model import ExportModel, batch_dynamic_shapes
from .report import ExportError, ExportReport


def export_program(model: ExportModel, path: str | os.PathLike[str]) -> ExportReport:
    """Export with a dynamic batch dim (a fixed one when that fails) and save the program."""
    report = ExportReport(str(path), "exported-program")
    with warnings.catch_warnings():
        # e.g. LSTM's _flat_weights "assigned during export": torch's own modules, nothing to fix
        warnings.simplefilter("ignore", UserWarning)
        program = _export(model, report)
    buffer = io.BytesIO()
    torch.export.save(program, buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return report


def _export(model: ExportModel, report: ExportReport) -> torch.export.ExportedProgram:
    try:
        program = torch.export.export(
            model.module, model.inputs, dynamic_shapes=batch_dynamic_shapes(model.inputs)
        )
    except Exception as first:  # torch.export raises many kinds
        try:
            program = torch.export.export(model.module, model.inputs)
        except Exception as exc:
            raise ExportError(f"torch.export cannot export this model: {first_line(exc)}") from None
        report.notes.append(
            f"the batch size is fixed at {model.inputs[0].shape[0]} (a dynamic batch failed: "
            f"{first_line(first)})"
        )
    return program
