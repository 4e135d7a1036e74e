"""What a new user meets first on the canvas: drops never move the view, a layer dropped on a wire
makes room, a graph opens readable, and a loose wire is offered only layers that can take it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QTransform
from PySide6.QtTest import QTest
from test_editor import _drop, at, chain, drag, make_view, node_point, port_point

from nodeml.core.graph import Edge, Node
from nodeml.ui.editor.view import READABLE_ZOOM


def _view_state(view) -> tuple[QTransform, QPointF]:
    return view.transform(), view.mapToScene(QPoint(0, 0))


def _bodies(view) -> dict:
    return {
        nid: item.mapRectToScene(item.shape().boundingRect())
        for nid, item in view.editor_scene.nodes.items()
    }


def _no_overlap(view) -> None:
    bodies = list(_bodies(view).items())
    for i, (a, ra) in enumerate(bodies):
        for b, rb in bodies[i + 1 :]:
            assert not ra.intersects(rb), f"{a} and {b} overlap"


# ---- drops ---------------------------------------------------------------------------------------
def test_six_drops_from_the_palette_never_move_the_view(window):
    view = window.view
    size = view.viewport().size()
    before = _view_state(view)
    first = None
    # the MLP story, with drops near every edge of the canvas (where ensureVisible used to scroll)
    points = [
        QPoint(40, 30),
        QPoint(size.width() - 30, 60),
        QPoint(size.width() - 20, size.height() - 15),
        QPoint(30, size.height() - 20),
        QPoint(size.width() // 2, size.height() // 2),
        QPoint(size.width() - 60, size.height() // 2),
    ]
    for type_name, point in zip(
        ("Input", "Linear", "ReLU", "Linear", "ReLU", "Linear"), points, strict=True
    ):
        _drop(view, type_name, point)
        assert _view_state(view) == before
        first = first or window.document.graph.node_ids[0]
        # the Input is still where the user put it, on screen
        assert view.mapFromScene(view.editor_scene.nodes[first].pos()) == view.mapFromScene(
            QPointF(*window.document.graph.node(first).pos)
        )
    assert len(window.document.graph) == 6


def test_adding_from_a_loose_wire_at_the_edge_does_not_move_the_view(qtbot):
    view = make_view(qtbot, [Node("x", "Input", {"shape": [16]}, (0.0, 0.0))])
    before = _view_state(view)
    edge = QPoint(view.viewport().width() - 5, view.viewport().height() - 5)
    drag(view, port_point(view, "x", True), edge)
    QTest.keyClicks(view.quick_add.search, "linear")
    QTest.keyClick(view.quick_add.search, Qt.Key.Key_Return)
    assert len(view.document.graph) == 2
    assert _view_state(view) == before


# ---- inserting on a wire -------------------------------------------------------------------------
def _mlp(qtbot):
    nodes, wires = chain("Linear", "ReLU", "Linear")  # x -> n0 -> n1 -> n2, 220 apart
    nodes.append(Node("out", "Output", {}, (880.0, 0.0)))
    wires.append(Edge("n2", "out"))
    return make_view(qtbot, nodes, wires)


def test_a_layer_dropped_on_a_wire_pushes_what_follows_along_it_in_one_undo_step(qtbot):
    view = _mlp(qtbot)
    graph, stack = view.document.graph, view.document.undo_stack
    before = {n.id: n.pos for n in graph.nodes}
    wire = view.editor_scene.edges[Edge("n1", "n2")].path().pointAtPercent(0.5)
    count = stack.count()
    _drop(view, "BatchNorm1d", at(view, wire))
    (new,) = [n.id for n in graph.nodes if n.type == "BatchNorm1d"]
    assert set(graph.edges) >= {Edge("n1", new), Edge(new, "n2")}
    _no_overlap(view)  # it used to land on top of n2
    pushed = graph.node("n2").pos[0] - before["n2"][0]
    assert pushed > 0
    assert graph.node("out").pos == (before["out"][0] + pushed, before["out"][1])
    assert graph.node("n2").pos[1] == before["n2"][1]  # along the wire: right, not down
    for upstream in ("x", "n0", "n1"):
        assert graph.node(upstream).pos == before[upstream]
    assert before["n1"][0] < graph.node(new).pos[0] < graph.node("n2").pos[0]
    assert stack.count() == count + 1
    stack.undo()
    assert {n.id: n.pos for n in graph.nodes} == before
    assert Edge("n1", "n2") in graph.edges
    stack.redo()
    assert graph.node("n2").pos[0] == before["n2"][0] + pushed


def test_a_free_node_dragged_onto_a_short_wire_makes_room_too(qtbot):
    view = _mlp(qtbot)
    graph, stack = view.document.graph, view.document.undo_stack
    graph_node = Node("drop", "Dropout", {}, (400.0, 250.0))
    view.document.graph.add_node(graph_node)
    before = {n.id: n.pos for n in graph.nodes}
    item = view.editor_scene.nodes["drop"]
    wire_mid = view.editor_scene.edges[Edge("n0", "n1")].path().pointAtPercent(0.5)
    offset = item.sceneBoundingRect().center() - item.mapToScene(
        item.shape().boundingRect().center()
    )
    count = stack.count()
    drag(view, node_point(view, "drop"), at(view, wire_mid - offset))
    assert {Edge("n0", "drop"), Edge("drop", "n1")} <= set(graph.edges)
    _no_overlap(view)
    assert graph.node("n1").pos[0] > before["n1"][0]
    assert stack.count() == count + 1
    stack.undo()
    assert {n.id: n.pos for n in graph.nodes} == before


# ---- opening --------------------------------------------------------------------------------------
def _settle(qtbot, window) -> None:
    done = []
    QTimer.singleShot(0, lambda: done.append(True))  # after the open's own deferred framing
    qtbot.waitUntil(lambda: bool(done))


def test_lenet_opens_readable_showing_its_input(lenet_window, qtbot):
    _settle(qtbot, lenet_window)
    view = lenet_window.view
    assert view.zoom() >= READABLE_ZOOM - 1e-6
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.editor_scene.nodes["image"].sceneBoundingRect())
    assert shown.contains(view.editor_scene.nodes["conv1"].sceneBoundingRect())


def test_a_graph_that_fits_opens_whole_and_no_larger_than_life(qtbot):
    nodes, wires = chain("ReLU", "ReLU")
    view = make_view(qtbot, nodes, wires)
    view.frame_graph()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(view.editor_scene.nodes_rect())
    assert READABLE_ZOOM <= view.zoom() <= 1.0


def test_auto_layout_wraps_a_long_chain_into_rows_read_at_a_readable_zoom(qtbot):
    nodes, wires = chain(*["ReLU"] * 13)
    view = make_view(qtbot, nodes, wires)
    view.resize(1000, 700)
    view.auto_layout()
    xs = {n.pos[0] for n in view.document.graph.nodes}
    ys = {n.pos[1] for n in view.document.graph.nodes}
    assert len(ys) > 1  # more than one row
    assert max(xs) + 180 <= view.viewport().width() / READABLE_ZOOM
    assert view.zoom() >= READABLE_ZOOM - 1e-6
    _no_overlap(view)
    # the wire from a row's end to the next row's start runs between the rows, over no node
    bodies = _bodies(view)
    for edge, item in view.editor_scene.edges.items():
        others = [r for nid, r in bodies.items() if nid not in (edge.source, edge.target)]
        points = [item.path().pointAtPercent(i / 200) for i in range(201)]
        assert not any(r.contains(p) for r in others for p in points), edge


# ---- quick-add from a loose wire ----------------------------------------------------------------
def _offered_from(qtbot, shape: list[int]) -> set[str]:
    view = make_view(qtbot, [Node("x", "Input", {"shape": shape}, (0.0, 0.0))])
    drag(view, port_point(view, "x", True), port_point(view, "x", True) + QPoint(250, 40))
    popup = view.quick_add
    assert popup.isVisible()
    return {
        popup.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(popup.results.count())
    }


def test_a_flat_tensor_is_offered_only_layers_that_take_its_rank(qtbot):
    offered = _offered_from(qtbot, [64])
    assert {"Linear", "ReLU", "BatchNorm1d", "Dropout", "Output"} <= offered
    assert not offered & {"Conv2d", "Conv3d", "BatchNorm2d", "MaxPool2d", "resnet18", "Input"}


def test_an_image_tensor_is_offered_convolutions_and_not_1d_layers(qtbot):
    offered = _offered_from(qtbot, [3, 32, 32])
    assert {"Conv2d", "BatchNorm2d", "MaxPool2d", "Flatten", "resnet18"} <= offered
    assert not offered & {"Conv1d", "Conv3d", "BatchNorm1d", "Embedding", "LSTM"}
