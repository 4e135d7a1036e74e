"""The inspector edits the selected node through the document, one undo step per edit."""

from __future__ import annotations

from app_fixtures import type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from nodeml.core.catalog import CATALOG
from nodeml.ui.param_editor import parse_tuple


def test_editors_are_typed_from_the_catalog(lenet_window):
    inspector = lenet_window.inspector
    lenet_window.show_node("conv1")
    rows = inspector.rows
    assert list(rows) == list(CATALOG["Conv2d"].param_names)
    assert isinstance(rows["out_channels"].editor, QSpinBox)
    assert rows["out_channels"].editor.minimum() == 1
    assert isinstance(rows["kernel_size"].editor, QLineEdit)  # size: "3" or "3, 3"
    assert isinstance(rows["bias"].editor, QCheckBox)
    assert isinstance(rows["padding_mode"].editor, QComboBox)
    assert rows["out_channels"].editor.value() == 6
    assert rows["kernel_size"].editor.text() == "3"


def test_inferred_param_is_read_only_until_overridden(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("conv2")
    row = inspector.rows["in_channels"]
    assert not row.editor.isEnabled() and row.editor.value() == 6  # from conv1's 6 channels
    assert row.button.text() == "Override"
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    assert doc.graph.node("conv2").params["in_channels"] == 6
    assert row.editor.isEnabled() and row.button.text() == "Infer"
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    assert "in_channels" not in doc.graph.node("conv2").params
    assert lenet_window.undo_action.text() == "&Undo Reset conv2.in_channels"


def test_typing_a_value_edits_the_graph_and_the_counts(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("conv1")
    before = doc.inference.totals().params
    type_into(qtbot, inspector.rows["out_channels"].editor, "16")
    assert doc.graph.node("conv1").params["out_channels"] == 16
    assert doc.inference.info("conv1").params == 16 * 9 + 16
    assert doc.inference.totals().params > before
    assert lenet_window.undo_action.text() == "&Undo Set conv1.out_channels"
    assert (
        "conv1.weight" in inspector.weights.text() and "[16, 1, 3, 3]" in inspector.weights.text()
    )


def test_tuple_editor_accepts_pairs_and_reports_bad_text_inline(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("conv1")
    row = inspector.rows["kernel_size"]
    type_into(qtbot, row.editor, "5, 3")
    assert doc.graph.node("conv1").params["kernel_size"] == [5, 3]
    before = doc.undo_stack.count()
    type_into(qtbot, row.editor, "5, x")
    assert row.error.isVisible() and "whole numbers" in row.error.text()
    assert doc.graph.node("conv1").params["kernel_size"] == [5, 3]
    assert doc.undo_stack.count() == before


def test_parse_tuple_follows_the_param_kind():
    size = CATALOG["Conv2d"].param("kernel_size")
    assert parse_tuple("3", size) == 3
    assert parse_tuple("(3, 3)", size) == [3, 3]
    assert parse_tuple("3x5", size) == [3, 5]
    shape = CATALOG["Input"].param("shape")
    assert parse_tuple("1, 28, 28", shape) == [1, 28, 28]
    assert parse_tuple("7", shape) == [7]


def test_rename_validates_inline_and_is_one_undo_step(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("conv1")
    type_into(qtbot, inspector.id_edit, "1st conv")
    assert inspector.id_error.isVisible() and "identifier" in inspector.id_error.text()
    assert "conv1" in doc.graph
    type_into(qtbot, inspector.id_edit, "features")
    assert "features" in doc.graph and "conv1" not in doc.graph
    assert not inspector.id_error.isVisible()
    assert lenet_window.undo_action.text() == "&Undo Rename conv1 → features"
    assert "features.weight" in inspector.weights.text()


def test_nullable_param_has_a_none_option(qtbot, window):
    doc = window.document
    nid = doc.add_node("Embedding", (0, 0))
    window.show_node(nid)
    row = window.inspector.rows["padding_idx"]
    assert row.none_box.isChecked() and not row.editor.isEnabled()
    qtbot.mouseClick(row.none_box, Qt.MouseButton.LeftButton)
    assert doc.graph.node(nid).params["padding_idx"] == row.editor.value()
    qtbot.mouseClick(row.none_box, Qt.MouseButton.LeftButton)
    assert doc.graph.node(nid).params["padding_idx"] is None


def test_trainable_checkbox_freezes_the_node(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("fc1")
    total = doc.inference.totals()
    qtbot.mouseClick(inspector.trainable, Qt.MouseButton.LeftButton)
    assert doc.graph.node("fc1").extra["trainable"] is False
    after = doc.inference.totals()
    assert after.trainable == total.trainable - doc.inference.info("fc1").params
    assert after.params == total.params
    lenet_window.show_node("relu1")
    assert inspector.trainable is None  # no weights, nothing to freeze
