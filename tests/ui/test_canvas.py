"""What node items show: live counts and shapes, problems, frozen and parametric looks, ports."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest  # noqa: E402
from test_editor import chain, make_view  # noqa: E402

from nodeml.core.catalog import get_spec  # noqa: E402
from nodeml.core.graph import Edge, Node  # noqa: E402
from nodeml.ui import theme  # noqa: E402


def lenet_head(qtbot):
    nodes = [
        Node("image", "Input", {"shape": [1, 32, 32]}, (0, 0)),
        Node("conv1", "Conv2d", {"out_channels": 6, "kernel_size": 3}, (220, 0)),
        Node("relu1", "ReLU", {}, (440, 0)),
        Node("flat", "Flatten", {}, (660, 0)),
        Node("fc", "Linear", {"out_features": 10}, (880, 0)),
        Node("out", "Output", {}, (1100, 0)),
    ]
    ids = [n.id for n in nodes]
    return make_view(qtbot, nodes, [Edge(a, b) for a, b in zip(ids, ids[1:], strict=False)])


def test_nodes_show_type_key_params_count_and_shape(qtbot):
    view = lenet_head(qtbot)
    conv = view.editor_scene.nodes["conv1"]
    assert conv.look.key == "6 × 3×3"
    assert conv.count_text == "60 params"
    assert conv.shape_text == "(N, 6, 30, 30)"
    fc = view.editor_scene.nodes["fc"]
    assert fc.look.key == "→10"
    assert fc.count_text == "54 K params"  # 5400 * 10 + 10
    assert view.editor_scene.nodes["out"].shape_text == "(N, 10)"


def test_param_edit_updates_labels_of_the_node_and_everything_downstream(qtbot):
    view = lenet_head(qtbot)
    nodes = view.editor_scene.nodes
    view.document.set_param("conv1", "out_channels", 8)
    assert nodes["conv1"].count_text == "80 params"
    assert nodes["conv1"].look.key == "8 × 3×3"
    assert nodes["relu1"].shape_text == "(N, 8, 30, 30)"
    assert nodes["fc"].count_text == "72 K params"  # 7200 * 10 + 10 = 72,010
    view.document.undo_stack.undo()
    assert nodes["conv1"].count_text == "60 params"
    assert nodes["fc"].count_text == "54 K params"


def test_broken_wire_marks_the_node_and_keeps_upstream_shapes(qtbot):
    view = lenet_head(qtbot)
    nodes = view.editor_scene.nodes
    assert not any(item.error for item in nodes.values())
    view.document.disconnect(Edge("flat", "fc"))
    fc = nodes["fc"]
    assert fc.error
    assert "not connected" in fc.toolTip()
    assert nodes["flat"].shape_text == "(N, 5400)"  # the rest keeps its shapes
    assert not nodes["conv1"].error
    view.document.undo_stack.undo()
    assert not fc.error
    assert "not connected" not in fc.toolTip()


def test_a_bad_param_shows_on_the_node_with_its_message(qtbot):
    view = lenet_head(qtbot)
    view.document.set_param("fc", "in_features", 99)
    fc = view.editor_scene.nodes["fc"]
    assert fc.error
    assert "in_features=99" in fc.toolTip() and "5400" in fc.toolTip()


def test_parametric_and_frozen_nodes_look_different(qtbot):
    view = lenet_head(qtbot)
    nodes = view.editor_scene.nodes
    conv, relu = nodes["conv1"], nodes["relu1"]
    assert conv.look.parametric and conv.look.badge == theme.parametric_badge(get_spec("Conv2d"))
    assert not relu.look.parametric and relu.look.badge == ""
    assert relu.boundingRect().height() < conv.boundingRect().height()  # the slimmer pill
    colour = conv.color()
    view.document.set_trainable(["conv1"], False)
    assert conv.look.frozen
    assert conv.color().hsvSaturationF() < colour.hsvSaturationF()
    view.document.set_trainable(["conv1"], True)
    assert not conv.look.frozen


def test_merge_nodes_show_wired_ports_plus_one_free(qtbot):
    nodes, wires = chain("ReLU", "ReLU")
    nodes.append(Node("add", "Add", {}, (700, 0)))
    view = make_view(qtbot, nodes, wires)
    add = view.editor_scene.nodes["add"]
    assert len(add.inputs) == 1
    view.document.connect(Edge("n0", "add", 0, 0))
    assert len(add.inputs) == 2 and add.inputs[0].connected and not add.inputs[1].connected
    view.document.connect(Edge("n1", "add", 0, 1))
    assert len(add.inputs) == 3
    assert add.shape_text == "(N, 16)"


def test_multi_output_nodes_name_their_ports(qtbot):
    nodes = [
        Node("seq", "Input", {"shape": [10, 8]}, (0, 0)),
        Node("lstm", "LSTM", {"hidden_size": 32}, (250, 0)),
    ]
    view = make_view(qtbot, nodes, [Edge("seq", "lstm")])
    lstm = view.editor_scene.nodes["lstm"]
    assert [p.name for p in lstm.outputs] == ["output", "h_n", "c_n"]
    assert lstm.look.shapes == ("(N, 10, 32)", "(1, N, 32)", "(1, N, 32)")
    ys = [p.pos().y() for p in lstm.outputs]
    assert ys == sorted(ys) and len(set(ys)) == 3


def test_renamed_node_keeps_its_item_and_wires(qtbot):
    view = lenet_head(qtbot)
    item = view.editor_scene.nodes["relu1"]
    view.document.rename("relu1", "act")
    assert view.editor_scene.nodes["act"] is item
    assert item.look.node_id == "act"
    assert Edge("conv1", "act") in view.editor_scene.edges
    assert Edge("act", "flat") in view.editor_scene.edges


def test_open_replaces_every_item(qtbot, tmp_path):
    from nodeml.core.graph import Graph
    from nodeml.core.serialize import save_graph

    view = lenet_head(qtbot)
    other = Graph("other")
    other.add_node(Node("only", "Input", {"shape": [3]}, (10, 10)))
    path = tmp_path / "other.json"
    save_graph(other, path)
    view.document.open(path)
    assert list(view.editor_scene.nodes) == ["only"]
    assert view.editor_scene.edges == {}


def test_hovering_a_broken_node_shows_its_message(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    view = lenet_head(qtbot)
    view.document.disconnect(Edge("flat", "fc"))
    fc = view.editor_scene.nodes["fc"]
    point = view.mapFromScene(fc.sceneBoundingRect().center())
    QTest.mouseMove(view.viewport(), point)
    hover = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), hover)
    assert "input 0 (input) is not connected" in QToolTip.text()
    QToolTip.hideText()
