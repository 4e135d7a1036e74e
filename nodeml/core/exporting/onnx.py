"""ONNX export through torch.onnx (dynamo exporter), validated by onnx.checker and onnxruntime."""

from __future__ import annotations

import importlib.util
import io
import os
import warnings
from collections.abc import Sequence

import torch

from ..errors import first_line
from ..fileio import atomic_write_bytes
from .model import ExportModel, batch_dynamic_shapes
from .report import ExportError, ExportReport

_NEEDS = "ONNX export needs the onnx and onnxscript packages: pip install 'nodeml[export]'"


def export_onnx(
    model: ExportModel, path: str | os.PathLike[str], opset: int | None = None
) -> ExportReport:
    """Write ``model`` as ONNX with a dynamic batch dim, check it, and compare outputs with
    onnxruntime when it is installed (the report's ``max_abs_diff``)."""
    for package in ("onnx", "onnxscript"):
        if importlib.util.find_spec(package) is None:
            raise ExportError(_NEEDS)
    import onnx

    report = ExportReport(str(path), "onnx")
    proto = _to_proto(model, opset, report)
    try:
        onnx.checker.check_model(proto, full_check=True)
    except onnx.checker.ValidationError as exc:
        raise ExportError(f"the ONNX model failed onnx.checker: {exc}") from None
    data = proto.SerializeToString()
    if importlib.util.find_spec("onnxruntime") is not None:
        report.max_abs_diff = compare_with_onnxruntime(data, model)
    else:
        report.notes.append("onnxruntime is not installed: outputs were not compared")
    atomic_write_bytes(path, data)
    return report


def _to_proto(model: ExportModel, opset: int | None, report: ExportReport):
    kwargs = dict(
        input_names=model.input_names,
        output_names=model.output_names,
        opset_version=opset,
        dynamo=True,
        verbose=False,
    )
    with warnings.catch_warnings(), _quiet():
        warnings.simplefilter("ignore")
        try:
            program = torch.onnx.export(
                model.module,
                model.inputs,
                dynamic_shapes=batch_dynamic_shapes(model.inputs),
                **kwargs,
            )
        except Exception as first:  # the exporter raises many kinds; retry once with a fixed batch
            try:
                program = torch.onnx.export(model.module, model.inputs, **kwargs)
            except Exception as exc:
                raise ExportError(
                    f"torch.onnx cannot export this model: {first_line(exc)}"
                ) from None
            report.notes.append(
                f"the batch size is fixed at {model.inputs[0].shape[0]} in the ONNX file "
                f"(a dynamic batch failed: {first_line(first)})"
            )
    return program.model_proto


def compare_with_onnxruntime(data: bytes, model: ExportModel) -> float:
    """Run the ONNX model on a batch of a different size and return the largest difference."""
    import onnxruntime

    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    inputs = tuple(torch.cat([x, x[:1]]) for x in model.inputs)  # batch 3: the batch dim is free
    feed = {i.name: x.numpy() for i, x in zip(session.get_inputs(), inputs, strict=True)}
    got = session.run(None, feed)
    with torch.no_grad():
        expected = model.module(*inputs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    worst = 0.0
    for e, g in zip(expected, got, strict=True):
        diff = (e - torch.from_numpy(g)).abs().max().item() if e.numel() else 0.0
        worst = max(worst, diff)
    scale = max(1.0, max(e.abs().max().item() for e in expected if e.numel()))
    if worst > 1e-4 * scale:
        raise ExportError(f"onnxruntime's outputs differ from PyTorch's by up to {worst:.3g}")
    return worst


class _quiet:
    """The exporter prints progress to stdout; a CLI command should print only its own lines."""

    def __enter__(self) -> None:
        import contextlib

        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stdout(io.StringIO()))

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


def onnx_names(path: str | os.PathLike[str]) -> tuple[Sequence[str], Sequence[str]]:
    """The input and output names of an ONNX file (what a runtime feeds and reads)."""
    import onnx

    proto = onnx.load(os.fspath(path))
    return [i.name for i in proto.graph.input], [o.name for o in proto.graph.output]
