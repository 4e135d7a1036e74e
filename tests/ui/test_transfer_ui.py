"""Transfer learning in the app: backbones in palette and inspector, trainable toggles, freeze all
but the head, the four presets, random weights when pretrained ones are out of reach."""

from __future__ import annotations

import shutil

import pytest
from app_fixtures import ROOT, snapshot
from PySide6.QtWidgets import QPushButton

from nodeml.core.errors import PretrainedWeightsError
from nodeml.ui import blocks, transfer_dialog
from nodeml.ui.transfer_dialog import TransferDialog

TRANSFER = ROOT / "sample_graphs" / "transfer_resnet18.json"


@pytest.fixture
def transfer_window(window, tmp_path):
    copy = tmp_path / "transfer.json"
    shutil.copyfile(TRANSFER, copy)
    assert window.open_path(copy)
    return window


def _counts(window):
    return transfer_dialog.param_counts(window.document)


def test_backbones_in_palette_and_inspector(transfer_window, monkeypatch, tmp_path):
    window = transfer_window
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))  # an empty weights cache
    item = window.palette_panel.item_for("resnet18")
    assert item is not None and item.parent().text(0) == "Pretrained backbones"
    window.inspector.set_nodes(["backbone"])
    rows = window.inspector.rows
    assert {"weights", "features_only"} <= set(rows)
    assert window.inspector.trainable is not None
    assert not window.inspector.trainable.isChecked()  # the sample's backbone is frozen
    assert window.view.editor_scene.nodes["backbone"].look.frozen
    assert "frozen" in window.totals_label.text()
    hint = window.inspector.weights_hint
    assert hint.isHidden()
    window.document.set_param("backbone", "weights", "DEFAULT")
    assert not hint.isHidden() and "not in the torch cache" in hint.text()
    window.undo_action.trigger()

    window.inspector.trainable.click()
    assert _counts(window).frozen == 0
    assert not window.view.editor_scene.nodes["backbone"].look.frozen
    window.undo_action.trigger()
    assert _counts(window).trainable == 5130


def test_freeze_all_but_head_is_one_undo_step(lenet_window, qtbot):
    window = lenet_window
    before = snapshot(window)
    assert _counts(window).frozen == 0
    window.freeze_head_action.trigger()
    counts = _counts(window)
    assert counts.trainable == 850 and counts.frozen == 81194 - 850  # only fc3 learns
    nodes = window.view.editor_scene.nodes
    assert nodes["conv1"].look.frozen and not nodes["fc3"].look.frozen
    assert "80,344 frozen" in window.totals_label.text()
    total_trainable = window.summary.item(window.summary.rowCount() - 1, 4)
    qtbot.waitUntil(lambda: total_trainable.text() == "850")  # the table redraws on a timer
    window.undo_action.trigger()
    assert snapshot(window) == before and _counts(window).frozen == 0


def test_trainable_toggle_on_a_block(lenet_window, monkeypatch):
    window = lenet_window
    monkeypatch.setattr(blocks, "ask_block_name", lambda *_a: "Stem")
    window.navigation.select(["conv1", "relu1", "pool1"])
    use = window.navigation.group_selection()
    window.inspector.set_nodes([use])
    assert window.inspector.trainable is not None
    window.inspector.trainable.click()
    assert window.document.inference.info(use).trainable == 0
    assert _counts(window).frozen == 60
    assert window.view.editor_scene.nodes[use].look.frozen


def test_a_preset_applies_its_edits_as_one_step(transfer_window):
    window = transfer_window
    before = snapshot(window)
    dialog = TransferDialog(window.document, window)
    dialog.findChild(QPushButton, "apply_fine_tune").click()
    node = window.document.graph.node("backbone")
    assert node.params["weights"] == "DEFAULT"
    assert node.extra.get("trainable", True) is True
    assert _counts(window).frozen == 0
    window.undo_action.trigger()
    assert snapshot(window) == before


def test_warning_preset_shows_its_warning_and_changes_nothing(transfer_window):
    dialog = TransferDialog(transfer_window.document, transfer_window)
    card = dialog.cards["not_advised"]
    assert card.button is None
    texts = " ".join(w.text() for w in card.findChildren(type(dialog.counts)))
    assert "Transfer is not advised" in texts and "overfits" in texts
    assert {c.preset.key for c in dialog.cards.values()} == {
        "feature_extractor",
        "fine_tune",
        "from_scratch",
        "not_advised",
    }


def test_offline_pretrained_error_offers_random_weights(transfer_window, monkeypatch):
    window = transfer_window
    window.document.set_param("backbone", "weights", "DEFAULT")
    error = PretrainedWeightsError("node backbone: pretrained weights are not cached", ["backbone"])
    monkeypatch.setattr(transfer_dialog, "ask_random_weights", lambda *_a: True)
    assert transfer_dialog.offer_random_weights(window, error)
    assert window.document.graph.node("backbone").params["weights"] == "none"
    window.undo_action.trigger()
    assert window.document.graph.node("backbone").params["weights"] == "DEFAULT"


def test_export_offers_random_weights_when_offline(transfer_window, monkeypatch, tmp_path):
    window = transfer_window
    window.document.set_param("backbone", "weights", "DEFAULT")
    from nodeml.ui import import_export

    calls = []

    def fake_write(graph, path, fmt, graph_file=None):
        calls.append(graph.node("backbone").params["weights"])
        if graph.node("backbone").params["weights"] == "DEFAULT":
            raise PretrainedWeightsError("offline and uncached", ["backbone"])
        return []

    monkeypatch.setattr(import_export, "_write", fake_write)
    monkeypatch.setattr(transfer_dialog, "ask_random_weights", lambda *_a: True)
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *_a, **_k: (str(tmp_path / "m.onnx"), "")),
    )
    assert import_export.export_format(window, "onnx") == tmp_path / "m.onnx"
    assert calls == ["DEFAULT", "none"]
