"""A new user's first model: the blitz LeNet built from an empty canvas with palette and inspector only."""

from __future__ import annotations

from app_fixtures import LENET, type_into
from PySide6.QtCore import Qt

from nodeml import compile_graph, load_graph
from nodeml.core.shapes import Inference

# (layer, {param: text typed into the inspector}) in the order a user adds them
STEPS = [
    ("Input", {"shape": "1, 32, 32"}),
    ("Conv2d", {"out_channels": "6"}),
    ("ReLU", {}),
    ("MaxPool2d", {}),
    ("Conv2d", {"out_channels": "16"}),
    ("ReLU", {}),
    ("MaxPool2d", {}),
    ("Flatten", {}),
    ("Linear", {"out_features": "120"}),
    ("ReLU", {}),
    ("Linear", {"out_features": "84"}),
    ("ReLU", {}),
    ("Linear", {"out_features": "10"}),
    ("Output", {}),
]


def test_build_lenet_by_double_clicking_layers_in_order(qtbot, window):
    palette, inspector = window.palette_panel, window.inspector
    for type_name, params in STEPS:
        item = palette.item_for(type_name)
        palette.tree.scrollToItem(item)
        rect = palette.tree.visualItemRect(item)
        qtbot.mouseClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert inspector.title.text() == type_name  # the new node is selected and inspected
        for name, text in params.items():
            type_into(qtbot, inspector.rows[name].editor, text)
    doc = window.document
    assert doc.inference.problems() == []
    assert window.problems.problem_texts() == []
    expected = Inference(load_graph(LENET)).totals()
    assert doc.inference.totals().params == expected.params
    model = compile_graph(doc.graph)
    assert sum(p.numel() for p in model.parameters()) == expected.params
