"""Summary table, status bar and Problems panel follow every edit; a problem leads to its node."""

from __future__ import annotations

from app_fixtures import LENET, type_into
from PySide6.QtCore import Qt

from nodeml import load_graph
from nodeml.core.display import format_params
from nodeml.core.graph import Edge
from nodeml.core.shapes import Inference


def test_summary_lists_every_node_with_totals(lenet_window):
    w = lenet_window
    table = w.summary
    totals = Inference(load_graph(LENET)).totals()  # what the core says, headless
    assert table.rowCount() == len(w.document.graph) + 1
    assert [table.item(1, c).text() for c in range(6)] == [
        "conv1",
        "Conv2d",
        "(N, 6, 30, 30)",
        "60",
        "60",
        "48,600",
    ]
    assert table.total_params() == f"{totals.params:,}"
    status = w.totals_label.text()
    assert f"{totals.params:,} params ({totals.trainable:,} trainable)" in status
    assert f"{totals.size_mb:.2f} MB" in status
    assert "no problems" in status


def test_inspector_edit_updates_canvas_label_summary_and_status(qtbot, lenet_window):
    w = lenet_window
    w.show_node("fc1")
    label = w.view.editor_scene.nodes["fc1"]
    assert label.count_text == format_params(w.document.inference.info("fc1").params)
    before = w.document.inference.totals().params
    type_into(qtbot, w.inspector.rows["out_features"].editor, "60")
    assert label.count_text == format_params(576 * 60 + 60)  # in_features 16 * 6 * 6
    expected = f"{w.document.inference.totals().params:,}"
    qtbot.waitUntil(lambda: w.summary.total_params() == expected)
    assert expected != f"{before:,}" and f"{expected} params" in w.totals_label.text()


def test_a_broken_wire_shows_a_red_node_and_a_problem_that_leads_to_it(qtbot, lenet_window):
    w = lenet_window
    w.document.disconnect(Edge("pool2", "flatten"))
    texts = w.problems.problem_texts()
    assert texts == [
        "node flatten (input 0): input 0 (input) is not connected; wire something into it"
    ]
    assert w.docks["problems"].windowTitle() == "Problems (1)"
    assert "1 problem" in w.totals_label.text()
    assert w.view.editor_scene.nodes["flatten"].error
    assert not w.view.editor_scene.nodes["conv2"].error  # the rest keeps its shapes
    w.view.select_node("conv1")
    item = w.problems.item(0)
    rect = w.problems.visualItemRect(item)
    qtbot.mouseClick(w.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.view.selected_nodes() == ["flatten"]
    assert w.inspector.node_id == "flatten"
    visible = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert visible.contains(w.view.editor_scene.nodes["flatten"].sceneBoundingRect().center())
    w.undo_action.trigger()
    assert w.problems.problem_texts() == []


def test_summary_lists_nodes_as_data_flows_and_counts_in_words(qtbot, window):
    doc, table = window.document, window.summary
    # added out of order, as a user builds: the head first, then the input, then the middle
    doc.add_node("Output", (600.0, 0.0), node_id="out")
    doc.add_node("Input", (0.0, 0.0), params={"shape": [4]}, node_id="x")
    doc.add_node("Linear", (300.0, 0.0), params={"out_features": 2}, node_id="fc")
    doc.connect(Edge("x", "fc"))
    doc.connect(Edge("fc", "out"))
    table.refresh()
    names = [table.item(r, 0).text() for r in range(table.rowCount() - 1)]
    assert names == ["x", "fc", "out"]
    assert table.item(table.rowCount() - 1, 1).text() == "3 nodes"
    doc.remove_nodes(["fc", "out"])
    table.refresh()
    assert table.item(table.rowCount() - 1, 1).text() == "1 node"
    window.inspector.set_nodes([])
    assert window.inspector.totals.text().startswith("1 node ·")
