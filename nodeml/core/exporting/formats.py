"""The formats a graph exports to, listed once: the CLI's choices, file suffixes, the app's menu."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportFormat:
    """One export format: ``name`` is its ``--format`` value, ``suffix`` its file ending (no dot),
    ``title`` what it is called in a dialog, ``about`` one line on what the file holds."""

    name: str
    suffix: str
    title: str
    about: str


PYTHON = ExportFormat(
    "python", "py", "Python", "standalone PyTorch source of the model class (the default)"
)
# written by nodeml.core.exporting.export_graph from the compiled model
MODEL_FILES = (
    ExportFormat(
        "onnx",
        "onnx",
        "ONNX",
        "an .onnx file, checked by onnx.checker (and onnxruntime when installed)",
    ),
    ExportFormat(
        "torchscript", "pt", "TorchScript", "a .pt file torch.jit.load reads without nodeml"
    ),
    ExportFormat(
        "exported-program",
        "pt2",
        "torch.export program",
        "a .pt2 program file (torch.export.load)",
    ),
    ExportFormat(
        "safetensors", "safetensors", "safetensors", "the model's weights as a .safetensors file"
    ),
)
FORMATS = (PYTHON, *MODEL_FILES)
BY_NAME = {f.name: f for f in FORMATS}
# not a --format: nodeml export --with-training, the app's Export > Training Script
TRAINING_SCRIPT = ExportFormat(
    "training", "py", "Python", "a standalone train.py: model, train/evaluate loops, DDP"
)
