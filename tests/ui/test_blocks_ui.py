"""Blocks in the app: group a selection, open a block in the canvas and edit it, ungroup, library."""

from __future__ import annotations

import pytest
from app_fixtures import snapshot
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QToolButton

from nodeml.core.graph import Edge
from nodeml.ui import blocks
from nodeml.ui.editor.view import BLOCK_FILE_MIME


def _total_params(window) -> int:
    return window.document.inference.totals().params


def _select(window, ids) -> None:
    window.navigation.select(list(ids))


def _group(window, monkeypatch, ids, name="ConvBlock") -> str:
    monkeypatch.setattr(blocks, "ask_block_name", lambda _parent, _graph, _count: name)
    _select(window, ids)
    window.group_action.trigger()
    return window.view.selected_nodes()[0]


def _double_click(window, node_id) -> None:
    view = window.view
    item = view.editor_scene.nodes[node_id]
    point = view.mapFromScene(item.sceneBoundingRect().center() + QPointF(0, 6))
    QTest.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )


def test_group_then_undo_and_redo(lenet_window, monkeypatch):
    window = lenet_window
    before, params = snapshot(window), _total_params(window)
    use = _group(window, monkeypatch, ["conv1", "relu1", "pool1"])

    graph = window.document.graph
    assert graph.node(use).type == "ConvBlock"
    assert not {"conv1", "relu1", "pool1"} & set(graph.node_ids)
    assert _total_params(window) == params  # the same weights, now inside the block
    item = window.view.editor_scene.nodes[use]
    assert item.look.block and item.count_text == "60 params"
    assert window.document.undo_stack.count() == 1  # one step

    window.undo_action.trigger()
    assert snapshot(window) == before
    assert "ConvBlock" not in window.document.graph.blocks
    assert set(window.view.editor_scene.nodes) == set(window.document.graph.node_ids)
    window.redo_action.trigger()
    assert window.document.graph.node(use).type == "ConvBlock"
    assert _total_params(window) == params


def test_group_name_is_validated(lenet_window):
    dialog = blocks.BlockNameDialog(lenet_window.document.graph, 2)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    for bad in ("residual", "Conv2d", "class", ""):
        dialog.edit.setText(bad)
        assert not ok.isEnabled() and dialog.problem.text()
    dialog.edit.setText("ResidualBlock")
    assert ok.isEnabled()


def test_open_block_edit_inside_every_use_updates(lenet_window, monkeypatch):
    window = lenet_window
    use = _group(window, monkeypatch, ["conv1", "relu1", "pool1"])
    graph = window.document.graph
    second = window.document.add_node("ConvBlock", (0.0, 400.0))  # a second use, unwired
    window.document.connect(Edge("image", second, 0, 0))

    _double_click(window, use)
    assert window.navigation.scopes and window.navigation.scope.block_name == "ConvBlock"
    assert window.navigation.breadcrumb.isVisible()
    assert [window.navigation.breadcrumb.levels[0], window.navigation.breadcrumb.levels[-1]] == [
        graph.name,
        "ConvBlock",
    ]
    inner = window.view.editor_scene.nodes
    assert {"conv1", "relu1", "pool1"} <= set(inner)
    assert inner["conv1"].count_text == "60 params"  # numbers of the use it was opened from

    window.view.select_node("conv1")
    window.inspector.set_nodes(["conv1"])
    spin = window.inspector.rows["out_channels"].editor
    spin.setFocus()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), "8")
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert window.navigation.scope.graph.node("conv1").params["out_channels"] == 8
    assert inner["conv1"].count_text == "80 params"

    window.navigation.breadcrumb.findChild(QPushButton, "crumb0").click()
    assert not window.navigation.scopes and window.view is window.navigation.root_view
    assert not window.navigation.breadcrumb.isVisible()
    nodes = window.view.editor_scene.nodes
    assert nodes[use].count_text == nodes[second].count_text == "80 params"
    # the edit is one undo step of the model, and undoing it reaches every use
    window.undo_action.trigger()
    assert nodes[use].count_text == nodes[second].count_text == "60 params"


def test_undo_of_grouping_while_inside_goes_back_out(lenet_window, monkeypatch, qtbot):
    window = lenet_window
    use = _group(window, monkeypatch, ["conv1", "relu1"])
    window.navigation.open_block(use)
    assert window.navigation.scopes
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not window.navigation.scopes)
    assert window.view is window.navigation.root_view
    assert "conv1" in window.view.editor_scene.nodes


def test_blocks_nest_and_the_breadcrumb_grows(lenet_window, monkeypatch):
    window = lenet_window
    outer = _group(window, monkeypatch, ["conv1", "relu1", "pool1"], "Outer")
    window.navigation.open_block(outer)
    inner_use = _group(window, monkeypatch, ["conv1", "relu1"], "Inner")
    window.navigation.open_block(inner_use)
    assert window.navigation.breadcrumb.levels[1:] == ["Outer", "Inner"]
    assert window.view.editor_scene.nodes["conv1"].count_text == "60 params"
    window.leave_block_action.trigger()  # Alt+Up
    assert window.navigation.scope.block_name == "Outer" and window.navigation.breadcrumb.levels[
        1:
    ] == ["Outer"]
    window.navigation.leave_to(0)
    assert _total_params(window) == 81194


def test_ungroup_restores_the_nodes(lenet_window, monkeypatch):
    window = lenet_window
    before = snapshot(window)
    use = _group(window, monkeypatch, ["conv1", "relu1", "pool1"])
    _select(window, [use])
    window.ungroup_action.trigger()
    graph = window.document.graph
    assert {"conv1", "relu1", "pool1"} <= set(graph.node_ids)
    assert use not in graph and "ConvBlock" not in graph.blocks
    assert _total_params(window) == 81194
    after = snapshot(window)
    assert [n["id"] for n in after["nodes"]] == [n["id"] for n in before["nodes"]]
    assert after["edges"] == before["edges"]
    window.undo_action.trigger()
    assert graph.node(use).type == "ConvBlock"


def test_block_param_bound_inside_and_set_per_use(lenet_window, monkeypatch):
    window = lenet_window
    use = _group(window, monkeypatch, ["conv1", "relu1", "pool1"])
    window.navigation.open_block(use)
    window.inspector.set_nodes(["conv1"])
    monkeypatch.setattr("nodeml.ui.inspector.ask_block_param", lambda *_a: "channels")
    window.inspector.bindings["out_channels"][1].click()
    assert window.navigation.scope.graph.node("conv1").params["out_channels"] == {
        "$param": "channels"
    }
    assert window.inspector.bindings["out_channels"][0].text() == "= block param channels"
    window.navigation.leave_to(0)
    window.inspector.set_nodes([use])
    assert "channels" in window.inspector.rows  # the use's inspector edits the block param
    window.document.set_param(use, "channels", 10)
    assert window.view.editor_scene.nodes[use].count_text == "100 params"

    # back inside: the block's params are listed; one still used cannot be removed
    window.navigation.open_block(use)
    window.inspector.set_nodes([])
    remove = window.inspector.findChild(QToolButton, "removeBlockParam_channels")
    assert remove is not None and not remove.isEnabled()
    window.inspector.set_nodes(["conv1"])
    window.inspector.bindings["out_channels"][1].click()  # Unbind: conv1 keeps this use's 10
    assert window.navigation.scope.graph.node("conv1").params["out_channels"] == 10
    window.inspector.set_nodes([])
    window.inspector.findChild(QToolButton, "removeBlockParam_channels").click()
    assert "channels" not in window.document.graph.blocks["ConvBlock"].params
    assert "channels" not in window.document.graph.node(use).params


def test_drag_a_library_block_from_the_palette(window, qtbot):
    palette = window.palette_panel
    palette.search.setText("residual")
    assert "ResidualBlock" in palette.visible_library_blocks()
    item = palette.item_for("ResidualBlock")
    mime = palette.tree.mimeData([item])
    assert mime.hasFormat(BLOCK_FILE_MIME)
    view = window.view
    centre = view.viewport().rect().center()
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dragEnterEvent(drop)
    view.dropEvent(drop)
    graph = window.document.graph
    assert "ResidualBlock" in graph.blocks
    (use,) = graph.node_ids
    assert graph.node(use).type == "ResidualBlock"
    assert window.view.editor_scene.nodes[use].look.block
    assert palette.item_for("ResidualBlock").data(0, Qt.ItemDataRole.UserRole) == "ResidualBlock"
    window.undo_action.trigger()  # one step takes both the use and the definition away
    assert len(graph) == 0 and "ResidualBlock" not in graph.blocks


def test_save_block_to_library_lists_it_in_the_palette(lenet_window, monkeypatch, tmp_path):
    window = lenet_window
    folder = tmp_path / "library"
    monkeypatch.setenv("NODEML_BLOCK_LIBRARY", str(folder))
    use = _group(window, monkeypatch, ["conv1", "relu1", "pool1"], "MyStem")
    _select(window, [use])
    path = window.navigation.save_block_to_library()
    assert path == folder / "MyStem.json" and path.is_file()
    window.undo_action.trigger()  # the model no longer has it; the library still does
    assert "MyStem" in window.palette_panel.visible_library_blocks()


@pytest.mark.parametrize("shortcut", ["Ctrl+G", "Ctrl+Shift+G"])
def test_block_shortcuts(window, shortcut):
    actions = {
        window.group_action.shortcut().toString(),
        window.ungroup_action.shortcut().toString(),
    }
    assert shortcut in actions


def test_canvas_context_menu_offers_block_actions(lenet_window, monkeypatch):
    window = lenet_window
    _select(window, ["conv1", "relu1"])
    menu = window._canvas_menu(QPoint(10, 10))
    assert window.group_action in menu.actions()
    assert window.ungroup_action not in menu.actions()
    menu.close()
    use = _group(window, monkeypatch, ["conv1", "relu1"])
    _select(window, [use])
    menu = window._canvas_menu(QPoint(10, 10))
    assert {window.open_block_action, window.ungroup_action, window.save_block_action} <= set(
        menu.actions()
    )
    freeze = next(a for a in menu.actions() if a.text().startswith("Freeze"))
    menu.close()
    freeze.trigger()
    assert window.document.graph.node(use).extra.get("trainable") is False
