"""The canvas driven with real mouse and key events: wiring, selecting, moving, deleting, adding."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.ui.document import Document  # noqa: E402
from nodeml.ui.editor import LAYER_MIME, EditorView  # noqa: E402

LEFT = Qt.MouseButton.LeftButton
NOMOD = Qt.KeyboardModifier.NoModifier


def make_view(qtbot, nodes: list[Node], edges: list[Edge] = ()) -> EditorView:
    """A view at 100 % zoom over a fresh document holding exactly these nodes and wires."""
    graph = Graph("test")
    for node in nodes:
        graph.add_node(node)
    for edge in edges:
        graph.connect(edge)
    view = EditorView(Document(graph))
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    view.resetTransform()
    view.centerOn(QPointF(400, 150))
    return view


def chain(*types: str, gap: float = 220.0) -> tuple[list[Node], list[Edge]]:
    """Input -> types... placed on one row, wired in order."""
    nodes = [Node("x", "Input", {"shape": [16]}, (0.0, 0.0))]
    for i, t in enumerate(types):
        params = {"out_features": 8} if t == "Linear" else {}
        nodes.append(Node(f"n{i}", t, params, ((i + 1) * gap, 0.0)))
    edges = [Edge(a.id, b.id) for a, b in zip(nodes, nodes[1:], strict=False)]
    return nodes, edges


def at(view: EditorView, scene_point: QPointF) -> QPoint:
    return view.mapFromScene(scene_point)


def port_point(view: EditorView, node_id: str, is_output: bool, index: int = 0) -> QPoint:
    port = view.editor_scene.nodes[node_id].port(is_output, index)
    return at(view, port.anchor())


def node_point(view: EditorView, node_id: str) -> QPoint:
    """A point on the node's body away from ports and text that would not matter."""
    item = view.editor_scene.nodes[node_id]
    return at(view, item.mapToScene(item.shape().boundingRect().center()))


def drag(view: EditorView, start: QPoint, end: QPoint, modifier=NOMOD, steps: int = 6) -> None:
    vp = view.viewport()
    QTest.mousePress(vp, LEFT, modifier, start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        QTest.mouseMove(vp, p)
    QTest.mouseRelease(vp, LEFT, modifier, end)


def edges(view: EditorView) -> set[Edge]:
    return set(view.document.graph.edges)


# ---- wiring -------------------------------------------------------------------------------------
def test_drag_from_output_port_to_input_port_connects(qtbot):
    view = make_view(
        qtbot,
        [
            Node("x", "Input", {"shape": [16]}, (0, 0)),
            Node("fc", "Linear", {"out_features": 4}, (300, 0)),
        ],
    )
    drag(view, port_point(view, "x", True), port_point(view, "fc", False))
    assert edges(view) == {Edge("x", "fc")}
    assert Edge("x", "fc") in view.editor_scene.edges
    assert view.editor_scene.nodes["fc"].shape_text == "(N, 4)"
    view.document.undo_stack.undo()
    assert edges(view) == set()


def test_compatible_ports_light_up_while_dragging_and_cycles_are_refused(qtbot):
    nodes, wires = chain("ReLU", "ReLU")
    view = make_view(qtbot, nodes, wires)
    vp, scene = view.viewport(), view.editor_scene
    QTest.mousePress(vp, LEFT, NOMOD, port_point(view, "n1", True))
    QTest.mouseMove(vp, port_point(view, "n1", True) + QPoint(40, 60))
    # n1's output may go nowhere upstream (x, n0 would make a cycle) nor into itself
    assert not any(p.highlighted for nid in ("x", "n0", "n1") for p in scene.nodes[nid].inputs)
    QTest.mouseRelease(vp, LEFT, NOMOD, port_point(view, "n0", False))
    assert edges(view) == set(wires)
    assert not any(p.highlighted for item in scene.nodes.values() for p in item.inputs)


def test_dragging_a_wire_end_off_an_input_disconnects_or_reconnects(qtbot):
    nodes, wires = chain("ReLU", "ReLU")
    nodes.append(Node("spare", "ReLU", {}, (220.0, 200.0)))
    view = make_view(qtbot, nodes, wires)
    drag(view, port_point(view, "n1", False), port_point(view, "spare", False))
    assert edges(view) == {Edge("x", "n0"), Edge("n0", "spare")}
    drag(
        view, port_point(view, "spare", False), port_point(view, "spare", False) + QPoint(-80, 120)
    )
    assert edges(view) == {Edge("x", "n0")}


def test_wire_released_on_empty_canvas_offers_quick_add_and_connects(qtbot):
    view = make_view(qtbot, [Node("x", "Input", {"shape": [16]}, (0, 0))])
    drop = port_point(view, "x", True) + QPoint(250, 40)
    drag(view, port_point(view, "x", True), drop)
    popup = view.quick_add
    assert popup.isVisible()
    listed = {
        popup.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(popup.results.count())
    }
    assert "Linear" in listed and "Input" not in listed  # only layers that take an input
    QTest.keyClicks(popup.search, "linear")
    QTest.keyClick(popup.search, Qt.Key.Key_Return)
    (new,) = [n for n in view.document.graph.node_ids if n != "x"]
    assert view.document.graph.node(new).type == "Linear"
    assert edges(view) == {Edge("x", new)}
    assert view.selected_nodes() == [new]
    view.document.undo_stack.undo()  # add + connect were one step
    assert view.document.graph.node_ids == ["x"]


# ---- adding -------------------------------------------------------------------------------------
def test_tab_opens_quick_add_and_enter_adds_the_match(qtbot):
    view = make_view(qtbot, [])
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert view.quick_add.isVisible()
    QTest.keyClicks(view.quick_add.search, "dropout")
    assert view.quick_add.results.currentItem().data(Qt.ItemDataRole.UserRole) == "Dropout"
    QTest.keyClick(view.quick_add.search, Qt.Key.Key_Return)
    assert [n.type for n in view.document.graph.nodes] == ["Dropout"]
    assert not view.quick_add.isVisible()


def test_quick_add_finds_layers_by_purpose_and_escape_adds_nothing(qtbot):
    view = make_view(qtbot, [])
    QTest.mouseDClick(view.viewport(), LEFT, NOMOD, QPoint(300, 300))
    assert view.quick_add.isVisible()
    QTest.keyClicks(view.quick_add.search, "convolution")
    found = view.quick_add.results.item(0).data(Qt.ItemDataRole.UserRole)
    assert found.startswith("Conv")
    QTest.keyClick(view.quick_add.search, Qt.Key.Key_Escape)
    assert not view.quick_add.isVisible()
    assert len(view.document.graph) == 0


def _drop(view: EditorView, type_name: str, point: QPoint) -> None:
    mime = QMimeData()
    mime.setData(LAYER_MIME, type_name.encode())
    copy = Qt.DropAction.CopyAction
    # the sequence a real drag delivers: enter, move, drop
    enter = QDragEnterEvent(point, copy, mime, LEFT, NOMOD)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(view.viewport(), QDragMoveEvent(point, copy, mime, LEFT, NOMOD))
    QApplication.sendEvent(view.viewport(), QDropEvent(QPointF(point), copy, mime, LEFT, NOMOD))


def test_palette_drop_adds_the_node_where_dropped(qtbot):
    view = make_view(qtbot, [])
    point = QPoint(500, 260)
    _drop(view, "Conv2d", point)
    (node,) = view.document.graph.nodes
    assert node.type == "Conv2d"
    where = view.mapToScene(point)
    # under the cursor: centred across, the port line (where wires meet it) at the cursor
    item = view.editor_scene.nodes[node.id]
    body = item.mapRectToScene(item.shape().boundingRect())
    assert body.center().x() == pytest.approx(where.x())
    assert item.port(False, 0).anchor().y() == pytest.approx(where.y())
    assert view.selected_nodes() == [node.id]


def test_palette_drop_on_a_wire_inserts_the_layer(qtbot):
    nodes, wires = chain("ReLU", gap=500)
    view = make_view(qtbot, nodes, wires)
    mid = view.editor_scene.edges[Edge("x", "n0")].path().pointAtPercent(0.5)
    _drop(view, "Dropout", at(view, mid))
    (new,) = [n.id for n in view.document.graph.nodes if n.type == "Dropout"]
    assert edges(view) == {Edge("x", new), Edge(new, "n0")}


# ---- selecting, deleting, moving ----------------------------------------------------------------
def test_delete_key_removes_selected_nodes_and_wires(qtbot):
    nodes, wires = chain("ReLU", "ReLU", "ReLU")
    view = make_view(qtbot, nodes, wires)
    QTest.mouseClick(view.viewport(), LEFT, NOMOD, node_point(view, "n1"))
    assert view.selected_nodes() == ["n1"]
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert "n1" not in view.document.graph
    assert "n1" not in view.editor_scene.nodes
    view.editor_scene.edges[Edge("x", "n0")].setSelected(True)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert edges(view) == set()
    view.document.undo_stack.undo()
    view.document.undo_stack.undo()
    assert edges(view) == set(wires)


def test_rubber_band_and_ctrl_click_select(qtbot):
    nodes, wires = chain("ReLU", "ReLU", "ReLU")
    view = make_view(qtbot, nodes, wires)
    seen = []
    view.selection_changed.connect(seen.append)
    # a band from empty canvas above-left of x to below n0 catches x and n0 only
    start = at(view, QPointF(-30, -40))
    end = at(view, QPointF(300, 120))
    drag(view, start, end)
    assert sorted(view.selected_nodes()) == ["n0", "x"]
    assert sorted(seen[-1]) == ["n0", "x"]
    QTest.mouseClick(
        view.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier, node_point(view, "n2")
    )
    assert sorted(view.selected_nodes()) == ["n0", "n2", "x"]
    QTest.mouseClick(
        view.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier, node_point(view, "x")
    )
    assert sorted(view.selected_nodes()) == ["n0", "n2"]


def test_moving_a_group_is_one_undo_step(qtbot):
    nodes, wires = chain("ReLU", "ReLU")
    view = make_view(qtbot, nodes, wires)
    for nid in ("n0", "n1"):
        view.editor_scene.nodes[nid].setSelected(True)
    stack = view.document.undo_stack
    before = stack.count()
    drag(view, node_point(view, "n0"), node_point(view, "n0") + QPoint(40, 90))
    graph = view.document.graph
    assert graph.node("n0").pos == pytest.approx((260.0, 90.0))
    assert graph.node("n1").pos == pytest.approx((480.0, 90.0))
    assert graph.node("x").pos == (0.0, 0.0)
    assert stack.count() == before + 1
    stack.undo()
    assert graph.node("n0").pos == (220.0, 0.0) and graph.node("n1").pos == (440.0, 0.0)
    assert view.editor_scene.nodes["n1"].pos() == QPointF(440.0, 0.0)


def test_dropping_a_free_node_on_a_wire_inserts_it(qtbot):
    nodes, wires = chain("ReLU", gap=600)
    nodes.append(Node("drop", "Dropout", {}, (250.0, 250.0)))
    view = make_view(qtbot, nodes, wires)
    item = view.editor_scene.nodes["drop"]
    wire_mid = view.editor_scene.edges[Edge("x", "n0")].path().pointAtPercent(0.5)
    grab = node_point(view, "drop")
    offset = item.sceneBoundingRect().center() - item.mapToScene(
        item.shape().boundingRect().center()
    )
    drag(view, grab, at(view, wire_mid - offset))
    assert edges(view) == {Edge("x", "drop"), Edge("drop", "n0")}
    view.document.undo_stack.undo()
    assert edges(view) == set(wires)
    assert view.document.graph.node("drop").pos == (250.0, 250.0)


def test_auto_layout_orders_nodes_left_to_right_in_one_step(qtbot):
    nodes, wires = chain("ReLU", "ReLU", "ReLU")
    for node, x in zip(nodes, (900.0, 40.0, 600.0, 300.0), strict=True):
        node.pos = (x, x / 3)
    view = make_view(qtbot, nodes, wires)
    before = view.document.undo_stack.count()
    view.auto_layout()
    xs = [view.document.graph.node(n).pos[0] for n in ("x", "n0", "n1", "n2")]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert view.editor_scene.nodes["n2"].pos().x() == xs[-1]
    assert view.document.undo_stack.count() == before + 1


def test_f_fits_every_node_in_view(qtbot):
    nodes, wires = chain("ReLU", "ReLU", gap=1500)
    view = make_view(qtbot, nodes, wires)
    QTest.keyClick(view, Qt.Key.Key_F)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.editor_scene.nodes_rect())
    assert view.zoom() < 1.0
