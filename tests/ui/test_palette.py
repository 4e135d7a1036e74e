"""The palette: categories, search as you type, tooltips, the weights mark, drag and double-click to add."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from nodeml.core.catalog import CATALOG
from nodeml.ui import theme
from nodeml.ui.palette import LAYER_MIME


def _drop(view, mime, point: QPoint) -> None:
    """What Qt delivers when a drag from the palette is released over the canvas."""
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), drop)


def test_every_catalog_type_is_listed_under_its_category(window):
    palette = window.palette_panel
    assert sorted(palette.visible_types()) == sorted(CATALOG)
    item = palette.item_for("Conv2d")
    assert item.parent().text(0) == theme.CATEGORY_LABELS["conv"]
    assert CATALOG["Conv2d"].description in item.toolTip(0)


def test_weights_mark_matches_the_canvas(window):
    palette = window.palette_panel
    for name in ("Conv2d", "ReLU", "Linear", "MaxPool2d"):
        assert palette.item_for(name).text(1) == theme.parametric_badge(CATALOG[name])
    assert palette.item_for("Conv2d").text(1) and not palette.item_for("ReLU").text(1)


def test_search_filters_as_you_type(qtbot, window):
    palette = window.palette_panel
    qtbot.keyClicks(palette.search, "conv")
    shown = palette.visible_types()
    assert "Conv2d" in shown and "ConvTranspose2d" in shown and "ReLU" not in shown
    palette.search.clear()
    qtbot.keyClicks(palette.search, "batchnorm 2d")
    assert palette.visible_types() == ["BatchNorm2d"]
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)  # Enter adds the first match
    assert [n.type for n in window.document.graph.nodes] == ["BatchNorm2d"]


def test_dragging_a_layer_onto_the_canvas_adds_it_where_dropped(window):
    palette, view, doc = window.palette_panel, window.view, window.document
    mime = palette.tree.mimeData([palette.item_for("Conv2d")])
    assert bytes(mime.data(LAYER_MIME)).decode() == "Conv2d"
    point = QPoint(300, 200)
    _drop(view, mime, point)
    assert [n.type for n in doc.graph.nodes] == ["Conv2d"]
    node = doc.graph.nodes[0]
    at = view.mapToScene(point)
    item = view.editor_scene.nodes[node.id]
    assert item.mapRectToScene(item.shape().boundingRect()).contains(at)  # under the cursor
    assert window.undo_action.text() == f"&Undo Add Conv2d {node.id}"


def test_double_click_adds_at_the_view_centre_and_chains_from_the_selection(qtbot, window):
    palette, view, doc = window.palette_panel, window.view, window.document

    def double_click(type_name: str) -> None:
        item = palette.item_for(type_name)
        palette.tree.scrollToItem(item)
        rect = palette.tree.visualItemRect(item)
        # a real double-click: the first press selects the item, the second opens it
        qtbot.mouseClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    double_click("Input")
    (first,) = doc.graph.node_ids
    centre = window.navigation.view_centre()
    pos = doc.graph.node(first).pos
    assert abs(pos[0] - centre.x()) < 200 and abs(pos[1] - centre.y()) < 200
    assert view.selected_nodes() == [first]
    double_click("Flatten")  # wired from the selected Input, placed right of it
    second = view.selected_nodes()[0]
    assert doc.graph.node(second).type == "Flatten"
    assert [(e.source, e.target) for e in doc.graph.edges] == [(first, second)]
    assert doc.graph.node(second).pos[0] > pos[0]
    window.undo_action.trigger()  # the add and its wire are one step
    assert doc.graph.node_ids == [first] and not doc.graph.edges


def test_an_install_without_resources_says_so_in_the_palette_and_on_stderr(
    qtbot, tmp_path, monkeypatch, caplog
):
    from nodeml.core import resources
    from nodeml.ui.palette import Palette

    monkeypatch.setattr(resources, "_candidates", lambda: [tmp_path / "nodeml" / "resources"])
    with caplog.at_level("WARNING"):
        palette = Palette()
    qtbot.addWidget(palette)
    palette.show()
    assert palette.missing.isVisible()
    assert "icons, shipped blocks and translations are missing" in palette.missing.text()
    assert str(tmp_path / "nodeml" / "resources") in palette.missing.text()
    assert any("are missing" in r.getMessage() for r in caplog.records)


def test_a_whole_install_shows_no_warning(window):
    assert not window.palette_panel.missing.isVisible()
    assert not window.palette_panel.missing.text()
