"""Every edit kind is one undo step, undone and redone from the Edit menu, which names it."""

from __future__ import annotations

import pytest
from app_fixtures import snapshot, type_into

from nodeml.core.graph import Edge


def _nothing(w):
    pass


def _select(node_id):
    return lambda w: w.show_node(node_id)


def _add_output(w):
    w.document.add_node("Output", (0.0, 300.0), node_id="features")


def _copy_conv2(w):
    w.view.select_node("conv2")
    w.copy_action.trigger()


def _displace_fc2(w):
    w.document.move_nodes({"fc2": (2200.0, 400.0)})


def _type(field, text):
    def edit(w):
        editor = w.inspector.id_edit if field == "id" else w.inspector.rows[field].editor
        type_into(w.qtbot, editor, text)

    return edit


# (kind, set-up, the edit, the name the Edit menu shows)
CASES = [
    ("add", _nothing, lambda w: w.document.add_node("ReLU", (100.0, 300.0)), "Add ReLU relu5"),
    ("delete", _select("relu1"), lambda w: w.delete_action.trigger(), "Delete relu1"),
    ("move", _nothing, lambda w: w.document.move_nodes({"conv1": (250.0, 80.0)}), "Move"),
    (
        "connect",
        _add_output,
        lambda w: w.document.connect(Edge("flatten", "features")),
        "Connect flatten → features",
    ),
    (
        "disconnect",
        _nothing,
        lambda w: w.document.disconnect(Edge("pool2", "flatten")),
        "Disconnect pool2 → flatten",
    ),
    ("param", _select("fc1"), _type("out_features", "64"), "Set fc1.out_features"),
    ("rename", _select("conv1"), _type("id", "features"), "Rename conv1 → features"),
    ("paste", _copy_conv2, lambda w: w.paste_action.trigger(), "Paste 1 node(s)"),
    ("layout", _displace_fc2, lambda w: w.layout_action.trigger(), "Auto-layout"),
]


@pytest.mark.parametrize("kind, setup, edit, text", CASES, ids=[c[0] for c in CASES])
def test_edit_undo_redo_from_the_edit_menu(qtbot, lenet_window, kind, setup, edit, text):
    w = lenet_window
    w.qtbot = qtbot
    setup(w)
    before = snapshot(w)
    edit(w)
    after = snapshot(w)
    assert after != before
    assert w.undo_action.text() == f"&Undo {text}"
    assert w.isWindowModified()
    w.undo_action.trigger()
    assert snapshot(w) == before
    assert w.redo_action.text() == f"&Redo {text}"
    w.redo_action.trigger()
    assert snapshot(w) == after


def test_undo_back_to_the_saved_state_clears_the_modified_mark(lenet_window):
    w = lenet_window
    assert not w.isWindowModified() and w.windowTitle() == "lenet.json[*] — nodeml"
    w.document.set_param("fc3", "out_features", 4)
    assert w.isWindowModified()
    w.undo_action.trigger()
    assert not w.isWindowModified()
    assert not w.undo_action.isEnabled()
