"""Model → Show Autograd Graph: one batch on a QThread, drawn as its backward graph, linked to the
layers on the canvas; frozen layers visibly without a gradient path; big layers collapsed."""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F
from app_fixtures import LENET
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication

import nodeml
from nodeml.core.autograd_graph import GradNodeKind, autograd_graph
from nodeml.core.serialize import graph_from_dict
from nodeml.ui.autograd.dialog import AutogradDialog
from nodeml.ui.autograd.job import AutogradResult
from nodeml.ui.autograd.layout import layered

LENET_PARAMS = {
    "conv1.weight": "[6, 1, 3, 3]",
    "conv1.bias": "[6]",
    "conv2.weight": "[16, 6, 3, 3]",
    "conv2.bias": "[16]",
    "fc1.weight": "[120, 576]",
    "fc1.bias": "[120]",
    "fc2.weight": "[84, 120]",
    "fc2.bias": "[84]",
    "fc3.weight": "[10, 84]",
    "fc3.bias": "[10]",
}


def lenet_data(**node_extras: dict) -> dict:
    data = json.loads(LENET.read_text())
    data["training"]["dataset_options"]["n"] = 200  # one batch is all it needs
    for node in data["nodes"]:
        node.update(node_extras.get(node["id"], {}))
    return data


def open_lenet(window, tmp_path, **node_extras: dict):
    path = tmp_path / "lenet.json"
    path.write_text(json.dumps(lenet_data(**node_extras)))
    assert window.open_path(path)
    return window


def move_mouse(widget, point) -> None:
    """A mouse move over ``widget`` (QTest's does not reach a second top-level window offscreen)."""
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        widget.mapToGlobal(QPointF(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def shown(window, qtbot, focus: str | None = None) -> AutogradDialog:
    """Show the autograd graph and wait for its batch."""
    controller = window.autograd
    if focus is None:
        controller.action.trigger()
    else:
        controller.show(focus=focus)
    qtbot.waitUntil(lambda: not controller.busy, timeout=120_000)
    dialog = controller.dialog
    assert dialog.result is not None, dialog.notes.text()
    return dialog


@pytest.fixture
def lenet(window, tmp_path, one_torch_thread):
    return open_lenet(window, tmp_path)


def test_lenet_shows_each_grad_fn_and_every_parameter_as_a_leaf_below(lenet, qtbot):
    dialog = shown(lenet, qtbot)
    names = {i.node.name for i in dialog.items}
    for op in (
        "NllLossBackward0",
        "LogSoftmaxBackward0",
        "AddmmBackward0",
        "TBackward0",
        "ReluBackward0",
        "ViewBackward0",
        "MaxPool2DWithIndicesBackward0",
        "ConvolutionBackward0",
    ):
        assert op in names, op
    leaves = {
        i.node.parameter: i.detail() for i in dialog.items if i.node.kind is GradNodeKind.PARAMETER
    }
    assert {p: d.split(" ·")[0] for p, d in leaves.items()} == LENET_PARAMS
    assert all(d.endswith("its .grad") for d in leaves.values())
    top = dialog.items[0]
    assert top.node.name == "NllLossBackward0" and top.pos().y() == min(
        i.pos().y() for i in dialog.items
    )  # the loss on top
    for a, b in dialog.result.graph.edges:  # every arrow points down, toward the parameters
        assert dialog.items[b].pos().y() > dialog.items[a].pos().y()
    conv = dialog.items_named("ConvolutionBackward0")
    assert {i.layer for i in conv} == {"conv1", "conv2"}
    assert "grad [64, 16, 13, 13]" in next(i for i in conv if i.layer == "conv2").detail()
    assert "Saved for backward" in conv[0].toolTip()
    assert "fresh (untrained) weights" in dialog.status.text()
    for words in ("requires_grad", "grad_fn", "backward()", "no_grad", "eval()"):
        assert words in dialog.legend.text()


def test_pointing_at_a_grad_fn_selects_its_layer_and_clicking_shows_it(lenet, qtbot):
    dialog = shown(lenet, qtbot)
    addmm = next(i for i in dialog.items_named("AddmmBackward0") if i.layer == "fc2")
    view = dialog.view
    view.centerOn(addmm)
    point = view.mapFromScene(addmm.sceneBoundingRect().center())
    move_mouse(view.viewport(), point)
    qtbot.waitUntil(lambda: lenet.view.selected_nodes() == ["fc2"])
    lit = {i.node.name for i in dialog.items if i.lit}
    assert lit == {"AddmmBackward0", "TBackward0", "AccumulateGrad"}  # all that fc2 made
    assert all(i.layer == "fc2" for i in dialog.items if i.lit)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert lenet.inspector.node_id == "fc2"


def test_a_frozen_layer_has_no_gradient_path(window, tmp_path, qtbot, one_torch_thread):
    open_lenet(window, tmp_path, conv1={"trainable": False})
    dialog = shown(window, qtbot)
    assert not [i for i in dialog.items if i.layer == "conv1"]
    params = {i.node.parameter for i in dialog.items if i.node.kind is GradNodeKind.PARAMETER}
    assert params == set(LENET_PARAMS) - {"conv1.weight", "conv1.bias"}
    (frozen,) = dialog.frozen_items
    assert frozen.layer == "conv1"
    assert frozen.lines == ["conv1.weight [6, 1, 3, 3]", "conv1.bias [6]"]
    assert "requires_grad=False" in frozen.toolTip()
    assert "Frozen, no gradient path: conv1" in dialog.notes.text()
    scene_items = dialog.scene.items()
    assert frozen in scene_items
    # nothing below conv2 is recorded: its input needs no gradient when conv1 is frozen
    assert not [i for i in dialog.items if i.layer in ("relu1", "pool1")]
    dialog = shown(window, qtbot, focus="conv1")  # the canvas menu on the frozen layer
    assert frozen not in dialog.frozen_items  # drawn again
    (frozen,) = dialog.frozen_items
    assert frozen.lit and in_view(dialog, frozen)


def in_view(dialog: AutogradDialog, item) -> bool:
    view = dialog.view
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    return shown.contains(item.sceneBoundingRect())


def test_first_shown_at_a_readable_zoom_with_the_loss_in_view(lenet, qtbot):
    from nodeml.ui.autograd.dialog import READABLE

    dialog = shown(lenet, qtbot)
    view = dialog.view
    assert view.transform().m11() >= READABLE - 1e-9
    loss = dialog.items[0]
    assert loss.node.name == "NllLossBackward0" and in_view(dialog, loss)
    view.fit()  # the Fit button: the whole graph, whatever the zoom
    assert all(in_view(dialog, i) for i in dialog.items)


def test_the_weights_of_a_trained_run_are_used_when_there_are_some(lenet, qtbot):
    model = nodeml.compile_graph(lenet.document.graph)
    params = dict(model.named_parameters())
    # the parameters zeroed; buffers (the standardisation) and extra state as the model has them
    zeros = {k: torch.zeros_like(v) if k in params else v for k, v in model.state_dict().items()}
    lenet.autograd.weights = lambda: (zeros, "the weights of run lenet #3")
    dialog = shown(lenet, qtbot)
    assert dialog.result.graph.loss == pytest.approx(math.log(10), abs=1e-6)  # uniform logits
    assert "the weights of run lenet #3" in dialog.status.text()
    lenet.autograd.weights = None
    dialog = shown(lenet, qtbot)
    assert dialog.result.graph.loss != pytest.approx(math.log(10), abs=1e-6)
    assert "fresh (untrained) weights" in dialog.status.text()


def test_a_model_that_cannot_take_the_data_says_why_and_shows_the_node(lenet, qtbot):
    lenet.document.set_param("image", "shape", [3, 32, 32])  # the dataset has one channel
    controller = lenet.autograd
    controller.action.trigger()
    qtbot.waitUntil(lambda: not controller.busy, timeout=120_000)
    dialog = controller.dialog
    assert dialog.result is None
    assert "set its shape to [1, 32, 32]" in dialog.notes.text()
    assert lenet.view.selected_nodes() == ["image"]


def test_the_canvas_menu_shows_a_node_in_the_autograd_graph(lenet, qtbot):
    lenet.view.select_node("conv1")
    view = lenet.view
    view.centerOn(view.editor_scene.nodes["fc1"])
    at = view.mapFromScene(view.editor_scene.nodes["fc1"].sceneBoundingRect().center())
    menu = lenet._canvas_menu(at)  # a right-click on fc1: the menu is fc1's, selected or not
    assert view.selected_nodes() == ["fc1"]
    entry = next(a for a in menu.actions() if a.text() == "Show in Autograd Graph…")
    menu.close()
    entry.trigger()
    qtbot.waitUntil(lambda: not lenet.autograd.busy, timeout=120_000)
    dialog = lenet.autograd.dialog
    assert dialog.lit_layer == "fc1"
    assert {i.layer for i in dialog.items if i.lit} == {"fc1"}


def test_a_collapsed_layer_is_labelled_with_its_operation_count(qtbot, one_torch_thread):
    data = lenet_data()
    torch.manual_seed(0)
    model = nodeml.compile_graph(graph_from_dict(data))
    x, y = torch.randn(4, 1, 32, 32), torch.tensor([0, 1, 2, 3])
    graph = autograd_graph(model, x, y, F.cross_entropy, input_ids=["image"], collapse_over=2)
    dialog = AutogradDialog(lambda layer: QColor("#888888"))
    qtbot.addWidget(dialog)
    dialog.show_result(AutogradResult(graph, 4, "random", "fresh (untrained) weights"))
    collapsed = {
        i.title(): i.detail() for i in dialog.items if i.node.kind is GradNodeKind.COLLAPSED
    }
    assert collapsed == {  # more than two grad_fns each (AccumulateGrad counts)
        "conv1 · collapsed": "grad_fns: 1 · parameters: 2",
        "conv2 · collapsed": "grad_fns: 1 · parameters: 2",
        "fc1 · collapsed": "grad_fns: 2 · parameters: 2",
        "fc2 · collapsed": "grad_fns: 2 · parameters: 2",
        "fc3 · collapsed": "grad_fns: 2 · parameters: 2",
    }
    assert "fc1: 4 grad_fns shown as one node" in dialog.notes.text()


def test_rows_follow_the_arrows_and_a_chain_runs_straight():
    #   0 -> 1 -> 2 -> 3, 1 -> 4 (a leaf), 0 -> 5 -> 3 (a skip)
    edges = [(0, 1), (1, 2), (2, 3), (1, 4), (0, 5), (5, 3)]
    places = layered(6, edges)
    for a, b in edges:
        assert places[b][0] > places[a][0]
    assert places[3][0] == 3  # the longest way down: below both of its parents
    rows: dict[int, list[float]] = {}
    for row, column in places.values():
        rows.setdefault(row, []).append(column)
    for columns in rows.values():  # no two boxes on one spot
        columns.sort()
        assert all(b - a >= 1.0 - 1e-9 for a, b in zip(columns, columns[1:], strict=False))
    chain = layered(4, [(0, 1), (1, 2), (2, 3)])
    assert {column for _, column in chain.values()} == {0.0}
