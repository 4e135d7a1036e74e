"""Crash recovery inside one process: the offer lists what dead sessions left, restores or discards
each, is made whichever way a file is opened, and never touches a live window's copy. (Real
killed processes: test_recovery_crash.py.) Also: pasting what is not nodes says so."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from app_fixtures import LENET, snapshot
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from nodeml.core.serialize import graph_to_dict, load_graph
from nodeml.ui.main_window import MainWindow
from nodeml.ui.recovery import recovery_dir
from nodeml.ui.recovery_dialog import RecoveryDialog, when_text


def dead_copy(graph, path: str | None, saved_at: datetime, token: str = "4242-0badc0de") -> Path:
    """What a ``kill -9`` leaves: a copy and its lock file, the lock no longer held."""
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "format": "nodeml.recovery",
        "version": 2,
        "path": path,
        "saved_at": saved_at.isoformat(timespec="seconds"),
        "pid": 4242,
        "host": "here",
        "graph": graph_to_dict(graph),
    }
    (folder / f"{token}.lock").write_text('{"pid": 4242}')
    file = folder / f"{token}.json"
    file.write_text(json.dumps(data))
    return file


def edited_lenet(extra: int):
    graph = load_graph(LENET)
    for i in range(extra):
        graph.add_node(_relu(f"extra{i}"))
    return graph


def _relu(node_id: str):
    from nodeml.core.graph import Node

    return Node(node_id, "ReLU", {}, (900.0, 40.0 * len(node_id)))


@pytest.fixture
def saved_lenet(tmp_path) -> Path:
    path = tmp_path / "models" / "lenet.json"
    path.parent.mkdir()
    shutil.copyfile(LENET, path)
    return path


class Answer:
    """Stands in for RecoveryDialog.exec: records each dialog, then does ``then(dialog)``."""

    def __init__(self, then):
        self.then = then
        self.dialogs: list[RecoveryDialog] = []

    def __call__(self, dialog: RecoveryDialog) -> int:
        self.dialogs.append(dialog)
        self.then(dialog)
        return dialog.result()


@pytest.fixture
def answer(monkeypatch, qtbot):
    def install(then) -> Answer:
        fake = Answer(then)
        monkeypatch.setattr(RecoveryDialog, "exec", lambda dialog: fake(dialog))
        return fake

    return install


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def rows(dialog: RecoveryDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.topLevelItem(r).text(c) for c in range(4)] for r in range(t.topLevelItemCount())]


def test_every_dead_copy_is_listed_newest_first_and_the_chosen_one_restored(
    window, answer, qtbot, saved_lenet
):
    now = datetime.now().astimezone()
    older = dead_copy(edited_lenet(1), str(saved_lenet), now - timedelta(days=1), "1-aaaa")
    newer = dead_copy(edited_lenet(3), str(saved_lenet), now - timedelta(minutes=5), "2-bbbb")
    untitled = edited_lenet(2)
    untitled.name = "Sketch"
    never = dead_copy(untitled, None, now - timedelta(hours=3), "3-cccc")

    def restore_the_oldest(dialog):
        dialog.select(dialog.copies[-1])
        click(qtbot, dialog.restore_button)

    fake = answer(restore_the_oldest)
    assert window.offer_recovery()
    listed = rows(fake.dialogs[0])
    assert [r[0] for r in listed] == ["lenet.json", "Sketch", "lenet.json"]
    assert listed[0][1] == str(saved_lenet.parent) and listed[1][1] == "never saved"
    assert listed[0][2].startswith("today ") and "5 min ago" in listed[0][2]
    assert listed[2][2].startswith("yesterday ")
    assert [r[3] for r in listed] == ["17", "16", "15"]
    assert "these 3 documents" in fake.dialogs[0].heading.text()
    # the oldest is in the window, unsaved, with its file's absolute path
    assert len(window.document.graph) == 15 and "extra0" in window.document.graph
    assert window.document.modified and window.document.path == saved_lenet
    # it is this window's copy now (written again under its name); the others are kept
    assert not older.exists() and window.recovery.path.exists()
    assert newer.exists() and never.exists()
    assert "2 unsaved copies are kept" in window.statusBar().currentMessage()
    # and Ctrl+S writes it where it came from
    window.save_action.trigger()
    assert len(load_graph(saved_lenet)) == 15 and not window.recovery.path.exists()


def test_discard_asks_and_deletes_only_that_copy_later_keeps_them(
    window, answer, qtbot, dialogs, saved_lenet
):
    now = datetime.now().astimezone()
    first = dead_copy(edited_lenet(1), str(saved_lenet), now, "1-aaaa")
    second = dead_copy(edited_lenet(2), str(saved_lenet), now - timedelta(minutes=1), "2-bbbb")

    def discard_first_then_later(dialog):
        dialogs.answer = QMessageBox.StandardButton.Cancel
        click(qtbot, dialog.discard_button)  # cancelled: nothing goes
        assert len(dialog.copies) == 2 and first.exists()
        dialogs.answer = QMessageBox.StandardButton.Discard
        click(qtbot, dialog.discard_button)
        assert "Unsaved changes to lenet.json were autosaved" in dialog.heading.text()
        click(qtbot, dialog.later_button)

    fake = answer(discard_first_then_later)
    assert not window.offer_recovery()
    assert [k for k, _t, text in dialogs.shown if "lenet.json" in text] == ["question"] * 2
    assert not first.exists() and not first.with_suffix(".lock").exists()
    assert second.exists()
    assert len(window.document.graph) == 0 and not window.document.modified
    assert "1 unsaved copy is kept" in window.statusBar().currentMessage()
    assert rows(fake.dialogs[0])[0][3] == "16"

    # the last one discarded closes the dialog
    answer(lambda d: click(qtbot, d.discard_button))
    assert not window.offer_recovery()
    assert not second.exists()
    assert not window.offer_recovery()  # nothing left: no dialog


@pytest.mark.parametrize("how", ["a relative path", "File > Open", "Open Recent"])
def test_opening_a_file_offers_its_copies_however_it_is_opened(
    how, window, answer, qtbot, monkeypatch, saved_lenet, tmp_path
):
    other = tmp_path / "other.json"
    shutil.copyfile(LENET, other)
    mine = dead_copy(edited_lenet(3), str(saved_lenet), datetime.now().astimezone(), "1-aaaa")
    dead_copy(edited_lenet(1), str(other), datetime.now().astimezone(), "2-bbbb")
    fake = answer(lambda d: click(qtbot, d.restore_button))
    if how == "a relative path":
        monkeypatch.chdir(saved_lenet.parent)
        assert window.open_path("lenet.json")  # as typed: relative
    elif how == "File > Open":
        picked = staticmethod(lambda *a, **k: (str(saved_lenet), ""))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", picked)
        window.open_action.trigger()
    else:
        from nodeml.ui.files import add_recent_file

        add_recent_file(saved_lenet)
        window.files.fill_recent(window.recent_menu)
        [entry] = [a for a in window.recent_menu.actions() if a.statusTip() == str(saved_lenet)]
        entry.trigger()
    # only that file's copy is offered, and said to be that file's
    assert [c.file for c in fake.dialogs[-1].copies] == [mine]
    assert "lenet.json has unsaved changes" in fake.dialogs[-1].heading.text()
    assert len(window.document.graph) == 17 and window.document.modified
    assert window.document.path == saved_lenet and window.document.path.is_absolute()


def test_a_live_windows_copy_is_neither_offered_nor_deleted(window, answer, saved_lenet):
    editing = MainWindow(restore_layout=False, recovery=False)
    assert editing.open_path(saved_lenet)
    editing.document.add_node("ReLU", (0.0, 0.0))
    assert editing.recovery.save_now()
    theirs = editing.recovery.path
    # the other window, unmodified, autosaves: it removes only its own copy
    for _ in range(3):
        assert not window.recovery.save_now()
    assert theirs.exists()
    fake = answer(lambda d: pytest.fail("a live window's copy was offered"))
    assert not window.offer_recovery() and fake.dialogs == []
    # opening the same file says that another window has unsaved changes to it
    assert window.open_path(saved_lenet)
    assert "unsaved changes in another nodeml window" in window.statusBar().currentMessage()
    assert theirs.exists()
    editing.document.undo_stack.setClean()
    editing.close()
    assert not theirs.exists() and list(recovery_dir().iterdir()) == []


def test_closing_normally_leaves_nothing_to_recover(window, saved_lenet, dialogs):
    window.open_path(saved_lenet)
    window.document.add_node("ReLU", (0.0, 0.0))
    assert window.recovery.save_now() and any(recovery_dir().iterdir())
    dialogs.answer = QMessageBox.StandardButton.Discard
    assert window.close()
    assert list(recovery_dir().iterdir()) == []


def test_a_version_1_copy_with_the_path_as_typed_restores_unsaved(window, answer, qtbot):
    folder = recovery_dir()
    folder.mkdir(parents=True)
    old = {
        "format": "nodeml.recovery",
        "path": "lenet.json",
        "graph": graph_to_dict(edited_lenet(3)),
    }
    (folder / "recovery.json").write_text(json.dumps(old))
    fake = answer(lambda d: click(qtbot, d.restore_button))
    assert window.offer_recovery()
    assert rows(fake.dialogs[0])[0][:2] == ["lenet.json", "folder not recorded"]
    assert "Save will ask where" in fake.dialogs[0].details.text()
    # Ctrl+S asks where rather than writing lenet.json into whatever folder is current
    assert window.document.path is None and window.document.modified


def test_a_copy_that_cannot_be_read_can_only_be_discarded(window, answer, dialogs, qtbot):
    folder = recovery_dir()
    folder.mkdir(parents=True)
    (folder / "9-dead.json").write_text('{"format": "nodeml.recovery", "graph": 3}')

    def look(dialog):
        assert not dialog.restore_button.isEnabled() and dialog.discard_button.isEnabled()
        assert "cannot be read" in dialog.details.text()
        click(qtbot, dialog.later_button)

    answer(look)
    assert not window.offer_recovery()
    assert (folder / "9-dead.json").exists()


def test_times_are_said_as_a_person_would():
    now = datetime(2025, 3, 14, 15, 0).astimezone()
    assert when_text(now - timedelta(seconds=20), now) == "today 14:59 (just now)"
    assert when_text(now - timedelta(minutes=3), now) == "today 14:57 (3 min ago)"
    assert when_text(now - timedelta(hours=5), now) == "today 10:00"
    assert when_text(now - timedelta(days=1), now) == "yesterday 15:00"
    assert when_text(now - timedelta(days=10), now) == "4 Mar 15:00"
    assert when_text(now - timedelta(days=400), now) == "8 Feb 2024 15:00"


# ---- paste ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "clipboard", ["", "just some words", '{"a": 1}', "[1, 2]", '{"nodes": []}']
)
def test_ctrl_v_without_nodes_on_the_clipboard_says_so(lenet_window, qtbot, dialogs, clipboard):
    w = lenet_window
    if clipboard:
        QGuiApplication.clipboard().setText(clipboard)
    else:
        QGuiApplication.clipboard().clear()
    before = snapshot(w)
    w.view.setFocus()
    qtbot.keyClick(w.view.viewport(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert w.statusBar().currentMessage() == "Nothing to paste: the clipboard holds no nodes"
    assert snapshot(w) == before and not w.document.modified
    assert dialogs.shown == []


def test_a_file_opened_by_a_relative_path_saves_back_into_its_own_folder(
    window, saved_lenet, tmp_path, monkeypatch
):
    monkeypatch.chdir(saved_lenet.parent)
    assert window.open_path("lenet.json")
    assert window.document.path == saved_lenet
    monkeypatch.chdir(tmp_path)
    window.document.add_node("ReLU", (0.0, 0.0))
    assert window.recovery.save_now()
    assert json.loads(window.recovery.path.read_text())["path"] == str(saved_lenet)
    window.save_action.trigger()
    assert len(load_graph(saved_lenet)) == 15 and not (tmp_path / "lenet.json").exists()


def test_opening_a_file_removes_temp_files_a_killed_save_left_beside_it(window, saved_lenet):
    left = saved_lenet.with_name(".lenet.json.nodeml-k3j9x0ab.tmp")  # as SIGKILL leaves it
    left.write_text("half a graph")
    left.chmod(0o600)
    assert window.open_path(saved_lenet)
    assert sorted(p.name for p in saved_lenet.parent.iterdir()) == ["lenet.json"]
