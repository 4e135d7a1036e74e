"""The app shows an unused node as a warning, and the Input a model standardises, on its card."""

from __future__ import annotations

from nodeml.core.errors import Severity
from nodeml.core.graph import Edge
from nodeml.ui.editor.node_item import STANDARDIZED
from nodeml.ui.problems import COLORS
from nodeml.ui.training.commands import SetTrainingSettingsCommand


def test_a_dangling_layer_is_a_warning_and_left_out_of_the_code(qtbot, lenet_window):
    w = lenet_window
    w.document.add_node("Linear", (0.0, 300.0), {"out_features": 5}, node_id="spare")
    w.document.connect(Edge("fc1", "spare"))
    assert w.problems.problem_texts() == ["warning: node spare: reaches no Output; not compiled"]
    assert w.problems.item(0).foreground().color().name() == COLORS[Severity.WARNING]
    assert w.docks["problems"].windowTitle() == "Problems (1)"
    w.code.refresh()
    assert not w.code.stale and "spare" not in w.code.text.toPlainText()
    assert "self.fc1 = nn.Linear" in w.code.text.toPlainText()
    assert not w.view.editor_scene.nodes["spare"].error  # a warning: no red card


def test_the_standardised_input_says_so_and_follows_the_training_settings(qtbot, lenet_window):
    w = lenet_window
    image = w.view.editor_scene.nodes["image"]
    assert image.look.note == STANDARDIZED
    assert "training split" in image.toolTip()
    taller = image.boundingRect().height()
    assert 'self.register_buffer("image_mean", torch.zeros(1, 1, 1))' in w.code.text.toPlainText()
    settings = dict(w.document.graph.extras["training"], normalize=False)
    w.document.push(SetTrainingSettingsCommand(w.document.graph, settings))
    assert image.look.note == ""
    assert image.boundingRect().height() < taller
    qtbot.waitUntil(lambda: "register_buffer" not in w.code.text.toPlainText())
    assert not w.view.editor_scene.nodes["conv1"].look.note
    w.document.undo_stack.undo()
    assert image.look.note == STANDARDIZED
