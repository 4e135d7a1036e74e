"""Param edits apply as the user types: after a pause, without Enter; one undo step per field edit;
text that is no value turns the field red and changes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _type(qtbot, editor, text: str, select_all: bool = False) -> None:
    """Keystrokes only: no Enter, focus stays in the field."""
    editor.setFocus()
    line = editor.lineEdit() if hasattr(editor, "lineEdit") else editor
    if select_all:
        line.selectAll()
    qtbot.keyClicks(line, text)


def test_typing_applies_after_a_pause_without_enter_as_one_undo_step(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("conv1")
    editor = inspector.rows["out_channels"].editor
    stack = doc.undo_stack
    before = stack.count()
    _type(qtbot, editor, "1", select_all=True)
    qtbot.waitUntil(lambda: doc.graph.node("conv1").params["out_channels"] == 1)
    assert doc.inference.info("conv1").params == 1 * 9 + 1  # the counts follow, live
    _type(qtbot, editor, "28")  # a second burst in the same field: "128"
    qtbot.waitUntil(lambda: doc.graph.node("conv1").params["out_channels"] == 128)
    assert editor.hasFocus() and editor.value() == 128  # the text was not rewritten under us
    assert inspector.weights.text().count("[128, 1, 3, 3]") == 1
    assert stack.count() == before + 1  # 1 then 128: one step
    qtbot.keyClick(editor.lineEdit(), Qt.Key.Key_Return)  # ends the field edit
    assert stack.count() == before + 1
    _type(qtbot, editor, "16", select_all=True)
    qtbot.waitUntil(lambda: doc.graph.node("conv1").params["out_channels"] == 16)
    assert stack.count() == before + 2  # a new field edit, a new step
    stack.undo()
    assert doc.graph.node("conv1").params["out_channels"] == 128
    assert editor.value() == 128  # undo shows in the field even while it has focus
    stack.undo()
    assert doc.graph.node("conv1").params["out_channels"] == 6


def test_bad_text_turns_the_field_red_and_is_not_applied(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("conv1")
    row = inspector.rows["kernel_size"]
    count = doc.undo_stack.count()
    _type(qtbot, row.editor, "5, x", select_all=True)
    qtbot.waitUntil(lambda: row.editor.property("invalid") is True)
    assert row.error.isVisible() and "whole numbers" in row.error.text()
    assert doc.graph.node("conv1").params["kernel_size"] == 3
    assert doc.undo_stack.count() == count
    assert row.editor.text() == "5, x"  # kept for the user to fix
    qtbot.keyClick(row.editor, Qt.Key.Key_Backspace)
    _type(qtbot, row.editor, "5")
    qtbot.waitUntil(lambda: doc.graph.node("conv1").params["kernel_size"] == [5, 5])
    assert not row.editor.property("invalid") and not row.error.isVisible()
    assert doc.inference.info("conv1").outputs[0].shape == (6, 28, 28)
    assert doc.undo_stack.count() == count + 1


def test_typing_back_to_the_old_value_leaves_no_undo_step(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("fc1")
    editor = inspector.rows["out_features"].editor
    count = doc.undo_stack.count()
    old = doc.graph.node("fc1").params["out_features"]
    _type(qtbot, editor, "7", select_all=True)
    qtbot.waitUntil(lambda: doc.graph.node("fc1").params["out_features"] == 7)
    _type(qtbot, editor, str(old), select_all=True)
    qtbot.waitUntil(lambda: doc.graph.node("fc1").params["out_features"] == old)
    assert doc.undo_stack.count() == count


def test_fixing_bad_text_back_to_the_same_value_clears_the_red(qtbot, lenet_window):
    doc, inspector = lenet_window.document, lenet_window.inspector
    lenet_window.show_node("conv1")
    row = inspector.rows["stride"]  # not set in the file: the default, 1
    _type(qtbot, row.editor, "5, x", select_all=True)
    qtbot.waitUntil(lambda: row.editor.property("invalid") is True)
    _type(qtbot, row.editor, "1", select_all=True)
    qtbot.keyClick(row.editor, Qt.Key.Key_Tab)  # nothing changes in the graph: no refresh
    assert not row.editor.property("invalid")
    assert not row.error.isVisible()
    assert "stride" not in doc.graph.node("conv1").params
