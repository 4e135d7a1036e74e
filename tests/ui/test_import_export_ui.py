"""File → Import… (torch.fx) and the Export menu's formats, driven through their dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from nodeml.ui import import_export

TINY = """
import torch
from torch import nn


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Sorter(nn.Module):
    def forward(self, x):
        return torch.fft.fft(x).real
"""


@pytest.fixture
def module_file(tmp_path, monkeypatch):
    path = tmp_path / "tiny.py"
    path.write_text(TINY)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(path), ""))
    )
    return path


def _import_through_dialog(window, class_name: str) -> None:
    dialog = import_export.import_model_dialog(window)
    dialog.browse.click()  # the monkeypatched file dialog answers with the module file
    assert dialog.class_name.findText(class_name) >= 0  # classes read from the file
    dialog.class_name.setCurrentText(class_name)
    dialog.shape.setText("8")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_import_a_module_file_opens_a_new_unsaved_graph(window, module_file):
    _import_through_dialog(window, "TinyNet")
    doc = window.document
    assert [n.type for n in doc.graph.nodes] == ["Input", "Linear", "ReLU", "Linear", "Output"]
    assert doc.inference.totals().params == 8 * 16 + 16 + 16 * 3 + 3
    assert doc.path is None and doc.modified  # closing asks where to keep it
    assert "Imported TinyNet: 5 nodes" in window.statusBar().currentMessage()


def test_unmappable_ops_are_listed_and_the_graph_stays(lenet_window, module_file, dialogs):
    before = list(lenet_window.document.graph.node_ids)
    _import_through_dialog(lenet_window, "Sorter")
    kind, title, text = dialogs.shown[-1]
    assert kind == "warning" and title == "Cannot import the model"
    assert "fft" in text
    assert lenet_window.document.graph.node_ids == before


def test_import_dialog_offers_torchvision_models(window):
    dialog = import_export.ImportDialog(window)
    assert dialog.models.findText("resnet18") >= 0
    dialog.from_torchvision.setChecked(True)
    assert dialog.target() == "torchvision:resnet18"
    assert not dialog.path.isEnabled()


@pytest.mark.parametrize(
    "fmt", ["onnx", "torchscript", "exported-program", "safetensors", "training"]
)
def test_each_export_action_writes_a_file(lenet_window, fmt, tmp_path, monkeypatch):
    suffix = import_export.SUFFIX[fmt][0]
    target = tmp_path / f"out.{suffix}"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), ""))
    )
    lenet_window.export_actions[fmt].trigger()
    assert target.is_file() and target.stat().st_size > 0
    assert str(target) in lenet_window.statusBar().currentMessage()
    if fmt == "training":  # its docstring runs it by the name it was saved under
        assert "    python out.py --resume" in target.read_text(encoding="utf-8")


def test_export_error_is_shown_in_a_dialog(window, tmp_path, monkeypatch, dialogs):
    window.document.add_node("Linear", (0.0, 0.0))  # no Input: the model cannot be exported
    target = tmp_path / "broken.onnx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), ""))
    )
    window.export_actions["onnx"].trigger()
    assert dialogs.kinds()[-1] == "warning"
    assert not target.exists()


def test_python_code_as_sequential(tmp_path, monkeypatch, window):
    ids = [window.navigation.add_layer(t) for t in ("Input", "Linear", "ReLU", "Linear", "Output")]
    window.document.set_param(ids[0], "shape", [4])
    assert not window.document.inference.problems()
    target = tmp_path / "chain.py"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), ""))
    )
    window.export_sequential_action.trigger()
    assert "(nn.Sequential):" in target.read_text()
    assert "nn.Sequential" in window.statusBar().currentMessage()
