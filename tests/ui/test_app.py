"""The app around the canvas: menus, files, clipboard, closing, screenshot mode (crash recovery:
test_recovery.py, test_recovery_crash.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from app_fixtures import LENET, ROOT, snapshot
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from nodeml import export_code, load_graph
from nodeml.core.serialize import graph_to_json
from nodeml.ui import app
from nodeml.ui.document import CLIPBOARD_MIME
from nodeml.ui.files import recent_files
from nodeml.ui.main_window import MainWindow
from nodeml.ui.shortcuts import shortcut_rows


def _answer_save_dialog(monkeypatch, path):
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def test_menus_list_their_shortcuts(window):
    rows = dict((what, keys) for keys, what in shortcut_rows(window))
    assert rows["Save"] == "Ctrl+S" and rows["Save As…"] == "Ctrl+Shift+S"
    assert rows["Duplicate"] == "Ctrl+D" and rows["Fit All"] == "F"
    assert rows["Undo"] == "Ctrl+Z" and rows["Redo"].startswith("Ctrl+Shift+Z")
    samples = [a.text() for a in window.samples_menu.actions()]
    assert "LeNet" in samples and len(samples) == len(list((ROOT / "sample_graphs").glob("*.json")))


def test_save_then_reopen_gives_an_equal_graph(monkeypatch, tmp_path, lenet_window):
    w = lenet_window
    w.document.set_param("fc1", "out_features", 100)
    w.document.rename("conv1", "features")
    target = tmp_path / "mine.json"
    _answer_save_dialog(monkeypatch, target)
    w.save_as_action.trigger()
    assert target.exists() and not w.isWindowModified()
    assert w.windowTitle() == "mine.json[*] — nodeml"
    assert recent_files()[0] == target.resolve()
    saved = snapshot(w)
    other = MainWindow(restore_layout=False, recovery=False)
    assert other.open_path(target)
    assert snapshot(other) == saved
    assert graph_to_json(load_graph(target)) == target.read_text()  # canonical bytes
    other.close()


def test_a_file_that_fails_to_load_changes_nothing_and_says_why(tmp_path, lenet_window, dialogs):
    w = lenet_window
    w.document.set_param("fc3", "out_features", 3)
    before, path = snapshot(w), w.document.path
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "nodeml.graph", "version": 1, "nodes": [{"id": "x"}]}')
    assert not w.open_path(bad)
    assert snapshot(w) == before and w.isWindowModified()
    assert w.document.path == path
    kind, title, text = dialogs.shown[-1]
    assert kind == "critical" and "broken.json" in text and "type" in text
    assert not w.open_path(tmp_path / "missing.json")
    assert "No such file" in dialogs.shown[-1][2]


def test_closing_with_unsaved_changes_asks(lenet_window, dialogs, tmp_path):
    w = lenet_window
    w.document.set_param("fc3", "out_features", 3)
    dialogs.answer = QMessageBox.StandardButton.Cancel
    assert not w.close()
    assert w.isVisible() and dialogs.kinds() == ["question"]
    dialogs.answer = QMessageBox.StandardButton.Save
    w.document.path = tmp_path / "kept.json"
    assert w.close()
    assert load_graph(tmp_path / "kept.json").node("fc3").params["out_features"] == 3


def test_discarding_closes_without_saving(lenet_window, dialogs):
    w = lenet_window
    w.document.set_param("fc3", "out_features", 3)
    dialogs.answer = QMessageBox.StandardButton.Discard
    assert w.close()
    assert load_graph(w.document.path).node("fc3").params["out_features"] == 10


def test_copy_paste_through_the_clipboard_gives_fresh_ids(lenet_window):
    w = lenet_window
    w.navigation.select(["conv1", "relu1"])
    w.copy_action.trigger()
    mime = QGuiApplication.clipboard().mimeData()
    copied = json.loads(bytes(mime.data(CLIPBOARD_MIME)).decode())
    assert [n["id"] for n in copied["nodes"]] == ["conv1", "relu1"]
    assert json.loads(mime.text()) == copied  # other apps get readable JSON
    w.paste_action.trigger()
    new = sorted(w.view.selected_nodes())
    assert new == ["conv3", "relu5"]
    assert any(e.source == "conv3" and e.target == "relu5" for e in w.document.graph.edges)
    assert w.document.graph.node("conv3").pos == (260.0, 40.0)
    w.duplicate_action.trigger()
    assert len(w.document.graph) == 18


def test_paste_of_foreign_text_is_refused_quietly(lenet_window):
    w = lenet_window
    QGuiApplication.clipboard().setText('{"nodes": [{"id": "1bad", "type": "ReLU"}]}')
    before = snapshot(w)
    assert w.clipboard.paste() == []
    assert snapshot(w) == before
    assert "Cannot paste" in w.statusBar().currentMessage()


def test_export_writes_what_nodeml_export_writes(monkeypatch, tmp_path, lenet_window):
    target = tmp_path / "lenet.py"
    _answer_save_dialog(monkeypatch, target)
    lenet_window.export_action.trigger()
    assert target.read_text() == export_code(load_graph(LENET))


def test_layout_is_remembered(qtbot, dialogs):
    first = MainWindow()
    qtbot.addWidget(first)
    first.docks["code"].raise_()
    first.docks["palette"].hide()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.docks["palette"].isHidden()


def test_screenshot_renders_the_window_to_a_png(tmp_path, capsys):
    out = tmp_path / "shot.png"
    assert app.main(["--screenshot", str(out), str(LENET)]) == 0
    image = QImage(str(out))
    assert image.width() >= 1200 and image.height() >= 700
    assert app.main(["--screenshot", str(tmp_path / "x.png"), str(tmp_path / "none.json")]) == 1


def test_screenshot_needs_no_display(tmp_path):
    out = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "nodeml.ui.app", "--screenshot", str(out), str(LENET)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 10_000


def test_empty_canvas_says_how_to_start(window):
    hint = window.empty_hint
    assert hint.isVisible() and "Drag layers from the palette or press <b>Tab</b>" in hint.text()
    window.document.add_node("Input", (0.0, 0.0))
    assert not hint.isVisible()
    window.undo_action.trigger()
    assert hint.isVisible()


def test_help_lists_shortcuts_and_about_names_the_version(window, dialogs, monkeypatch):
    from nodeml.ui import help_menu

    shown = []
    monkeypatch.setattr(help_menu.QMessageBox, "exec", lambda box: shown.append(box.text()))
    window.shortcuts_action.trigger()
    assert "Ctrl+Shift+S" in shown[0] and "Quick-add a layer" in shown[0]
    window.about_action.trigger()
    assert dialogs.kinds() == ["about"] and "0.1.0" in dialogs.shown[0][2]
