"""The Runs panel over real run folders (made by ``nodeml train``): what it lists, renaming in
place, notes, deleting with a confirmation, its actions, and following a run as it trains."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLineEdit, QMessageBox  # noqa: E402
from run_folders import copy_project, make_graph, mark_running, runs_of, train  # noqa: E402

from nodeml.core.training.run_folder import read_manifest, write_manifest  # noqa: E402
from nodeml.ui.training.run_style import run_color  # noqa: E402
from nodeml.ui.training.runs_model import Column  # noqa: E402
from nodeml.ui.training.runs_panel import RunsPanel  # noqa: E402


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A folder with line.json trained twice (lr 0.1, then 0.05) and another graph trained once
    beside it; made once, copied by each test."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("project")
    graph = make_graph(folder)
    train(graph)
    train(graph, "--lr", "0.05")
    train(make_graph(folder, "other"))
    torch.set_num_threads(threads)
    return folder


@pytest.fixture
def graph(trained, tmp_path):
    return copy_project(trained, tmp_path / "project")


@pytest.fixture
def panel(qtbot, graph):
    panel = RunsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    panel.show()
    panel.set_graph_file(graph, "line")
    return panel


def cell(panel: RunsPanel, row: int, column: Column) -> str:
    return panel.model.index(row, column).data()


def test_lists_the_graphs_runs_oldest_first_with_what_changed(panel, graph):
    model = panel.model
    assert model.rowCount() == 2  # other.json's run, in the same runs folder, is not listed
    assert [cell(panel, r, Column.NAME) for r in range(2)] == ["line #1", "line #2"]
    assert [r.path for r in model.records] == runs_of(graph)[:2]
    assert [cell(panel, r, Column.STATUS) for r in range(2)] == ["finished", "finished"]
    assert cell(panel, 0, Column.EPOCHS) == "2/2"
    assert cell(panel, 0, Column.BEST).startswith("MAE ")  # a regression: its best epoch's MAE
    assert cell(panel, 0, Column.CHANGES) == ""  # the first run has nothing to differ from
    assert cell(panel, 1, Column.CHANGES) == "lr 0.1 → 0.05"
    assert cell(panel, 1, Column.STARTED).startswith("today ")
    swatch = model.index(1, Column.SHOWN).data(Qt.ItemDataRole.DecorationRole)
    assert swatch.name() == run_color(1)
    assert panel.stack.currentWidget() is panel.table


def test_a_graph_without_runs_says_where_they_will_go(qtbot, tmp_path):
    panel = RunsPanel()
    qtbot.addWidget(panel)
    panel.set_graph_file(make_graph(tmp_path / "fresh"), "line")
    assert panel.stack.currentWidget() is panel.empty
    assert str(tmp_path / "fresh" / "runs") in panel.empty.text()


def test_rename_in_place_writes_run_json(panel, qtbot):
    first = panel.model.records[0].path
    panel.select(first)
    panel.rename_action.trigger()
    editor = panel.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "line #1"
    editor.selectAll()
    qtbot.keyClicks(editor, "baseline")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: read_manifest(first).name == "baseline")
    assert cell(panel, 0, Column.NAME) == "baseline"
    panel.refresh()  # read again from the folders: the name is on disk, not in the panel
    assert cell(panel, 0, Column.NAME) == "baseline"
    # an empty name is refused, and said why
    assert not panel.model.setData(panel.model.index(0, Column.NAME), "   ")
    assert read_manifest(first).name == "baseline"
    assert "cannot be empty" in panel.details.text()


def test_a_note_is_saved_to_the_run(panel, qtbot):
    second = panel.model.records[1].path
    panel.select(second)
    panel.note.setText("more data next time")
    panel.note.editingFinished.emit()
    assert read_manifest(second).note == "more data next time"
    assert "✎" in cell(panel, 1, Column.NAME)
    assert "more data next time" in panel.model.index(1, Column.NAME).data(
        Qt.ItemDataRole.ToolTipRole
    )
    panel.select(panel.model.records[0].path)
    assert panel.note.text() == ""  # the other run's note, not this one's


def test_delete_asks_naming_the_run_then_removes_its_folder(panel, dialogs):
    first = panel.model.records[0].path
    panel.select(first)
    dialogs.answer = QMessageBox.StandardButton.Cancel
    assert not panel.delete_selected()
    assert first.is_dir() and panel.model.rowCount() == 2
    kind, title, text = dialogs.shown[-1]
    assert kind == "question" and "“line #1”" in text and str(first) in text
    dialogs.answer = QMessageBox.StandardButton.Yes
    assert panel.delete_selected()
    assert not first.exists()
    assert [r.name for r in panel.model.records] == ["line #2"]


def test_a_training_run_cannot_be_deleted(panel, dialogs):
    run = panel.model.records[1].path
    mark_running(run)
    panel.refresh()
    panel.select(run)
    assert cell(panel, 1, Column.STATUS) == "running"
    assert not panel.delete_action.isEnabled()
    assert not panel.delete_selected()
    assert dialogs.shown == [] and run.is_dir()


def test_actions_hand_the_run_folder_to_the_session(panel, qtbot):
    run = panel.model.records[1].path
    panel.select(run)
    for action, signal in (
        (panel.evaluate_action, panel.evaluate_requested),
        (panel.resume_action, panel.resume_requested),
        (panel.export_action, panel.export_requested),
        (panel.open_action, panel.open_curves_requested),
    ):
        with qtbot.waitSignal(signal) as caught:
            action.trigger()
        assert caught.args == [run]
    revealed = []
    panel.reveal = revealed.append
    panel.reveal_action.trigger()
    assert revealed == [run]
    panel.set_session_busy(True)  # one job at a time
    assert not panel.evaluate_action.isEnabled() and not panel.resume_action.isEnabled()


def test_a_training_run_follows_its_folder(panel, qtbot):
    """While a run trains the panel reads its run.json once a second; an epoch written and the
    run's end show without being asked."""
    run = panel.model.records[1].path
    manifest = read_manifest(run)
    rows = (run / "metrics.csv").read_text().splitlines()
    (run / "metrics.csv").write_text("\n".join(rows[:2]) + "\n")  # header and epoch 1
    mark_running(run, epochs_done=1)
    panel.refresh()
    assert cell(panel, 1, Column.STATUS) == "running" and cell(panel, 1, Column.EPOCHS) == "1/2"
    assert panel.watch.timer.isActive()
    updated = []
    panel.run_updated.connect(updated.append)

    (run / "metrics.csv").write_text("\n".join(rows) + "\n")  # epoch 2 written
    qtbot.waitUntil(lambda: cell(panel, 1, Column.EPOCHS) == "2/2", timeout=10_000)
    assert updated == [run]
    write_manifest(run, manifest)  # the run finished
    qtbot.waitUntil(lambda: cell(panel, 1, Column.STATUS) == "finished", timeout=10_000)
    assert not panel.watch.timer.isActive()  # nothing trains: nothing to poll


def test_a_run_that_died_reads_interrupted(panel):
    run = panel.model.records[0].path
    mark_running(run)
    manifest = read_manifest(run)
    manifest.pid = 2**22 + 12345  # no such process
    write_manifest(run, manifest)
    panel.refresh()
    assert cell(panel, 0, Column.STATUS) == "interrupted"
    assert "last.pt" in panel.model.index(0, Column.STATUS).data(Qt.ItemDataRole.ToolTipRole)


def test_a_new_run_shows_up_by_itself(panel, graph, qtbot, one_torch_thread):
    assert panel.model.rowCount() == 2
    train(graph, "--lr", "0.2")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=20_000)
    assert cell(panel, 2, Column.NAME) == "line #3"
    assert cell(panel, 2, Column.CHANGES) == "lr 0.05 → 0.2"


def test_an_unsaved_graphs_runs_come_from_the_user_data_folder(qtbot, tmp_path, graph):
    from nodeml.core.training.run_folder import user_runs_root

    root = user_runs_root()  # the test's own XDG_DATA_HOME
    root.mkdir(parents=True)
    for run in runs_of(graph)[:2]:
        (root / run.name).mkdir()
        for f in run.iterdir():
            (root / run.name / f.name).write_bytes(f.read_bytes())
    panel = RunsPanel()
    qtbot.addWidget(panel)
    panel.set_graph_file(None, "line")
    assert panel.model.rowCount() == 2
    panel.set_graph_file(None, "something else")
    assert panel.model.rowCount() == 0
