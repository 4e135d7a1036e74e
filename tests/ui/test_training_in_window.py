"""Training inside the real main window: failures reach the Problems panel, closing stops a run."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from training_support import mlp_graph, wait_idle  # noqa: E402

from nodeml.core.serialize import save_graph  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_torch_thread", "shown_boxes")


def _open(window, tmp_path, graph):
    path = tmp_path / "tiny.json"
    save_graph(graph, path)
    assert window.open_path(path)


def test_a_failed_run_is_listed_in_problems_until_the_next_run(window, qtbot, tmp_path):
    _open(window, tmp_path, mlp_graph(in_features=3))  # moons gives 2 features
    window.training.train()
    wait_idle(qtbot, window.training)
    texts = window.problems.problem_texts()
    assert texts and texts[0].startswith("node x: training stopped:")
    assert window.docks["problems"].windowTitle() == "Problems (1)"
    window.document.set_param("x", "shape", [2])  # the fix; the run error stays until a new run
    assert window.problems.problem_texts()[0].startswith("node x: training stopped:")
    window.training.train()
    qtbot.waitUntil(lambda: not window.problems.problem_texts(), timeout=30_000)
    wait_idle(qtbot, window.training)
    assert window.problems.problem_texts() == []


def test_closing_with_a_run_active_stops_it_only_when_the_close_goes_ahead(
    window, qtbot, tmp_path, dialogs
):
    _open(window, tmp_path, mlp_graph(epochs=200, batch_size=8))
    window.training.train()
    qtbot.waitUntil(lambda: window.training.state == "running", timeout=30_000)
    window.document.set_param("fc1", "out_features", 8)  # refused: read-only while training
    window.document.undo_stack.resetClean()  # unsaved changes: closing asks first
    dialogs.answer = QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert window.training.state == "running"  # the cancelled close left the run alone
    window.document.undo_stack.setClean()
    assert window.close()
    assert window.training._thread is None or window.training._thread.isFinished()


def test_offline_pretrained_weights_offer_random_weights_and_train_again(
    window, qtbot, tmp_path, monkeypatch
):
    from nodeml.core.errors import PretrainedWeightsError
    from nodeml.ui import transfer_dialog
    from nodeml.ui.training import jobs

    graph = mlp_graph()
    _open(window, tmp_path, graph)
    real_compile = jobs.compile_graph
    compiled = []

    def offline_once(g):
        compiled.append(g)
        if len(compiled) == 1:
            raise PretrainedWeightsError("resnet18 weights are not cached and cannot download", [])
        return real_compile(g)

    monkeypatch.setattr(jobs, "compile_graph", offline_once)
    asked = []
    monkeypatch.setattr(
        transfer_dialog, "ask_random_weights", lambda _w, err: asked.append(str(err)) or True
    )
    window.training.train()
    qtbot.waitUntil(lambda: len(compiled) == 2, timeout=30_000)
    wait_idle(qtbot, window.training)
    assert asked == ["resnet18 weights are not cached and cannot download"]
    assert window.training.trainer is not None and window.training.trainer.epoch == 2
    assert window.problems.problem_texts() == []  # the offer replaced the error report


def test_a_run_gives_the_curves_room_in_the_window(window, qtbot, tmp_path):
    _open(window, tmp_path, mlp_graph())
    window.resize(1400, 1000)
    qtbot.waitUntil(lambda: window.height() == 1000)
    dock = window.training.dock
    window.resizeDocks([dock], [150], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: dock.height() < 300)  # laid out on the next turn of the loop
    window.training.train()
    qtbot.waitUntil(lambda: dock.height() >= 0.35 * window.height(), timeout=60_000)
    wait_idle(qtbot, window.training)


def test_the_plot_pages_are_made_when_the_training_tab_is_first_raised(window, qtbot):
    """Behind the Summary tab at start, the dock's curves, data and evaluation pages (0.5 s of
    pyqtgraph) wait; raising the tab shows the real pages, the data preview drawn."""
    from nodeml.ui.training.plots import TrainingPlots
    from nodeml.ui.training.preview import DatasetPreview

    dock = window.training.dock
    qtbot.waitExposed(window)
    assert [dock.tabs.tabText(i) for i in range(dock.tabs.count())] == [
        "Curves",
        "Runs",
        "Data",
        "Evaluation",
    ]
    assert not dock.pages_made and dock.curves is None
    dock.raise_()
    qtbot.waitUntil(lambda: dock.pages_made)
    assert dock.tabs.widget(0) is dock.curves and dock.curves.widget(0) is dock.plots
    assert isinstance(dock.plots, TrainingPlots)
    assert dock.tabs.currentIndex() == 0
    dock.tabs.setCurrentIndex(2)
    preview = dock.tabs.currentWidget()
    assert isinstance(preview, DatasetPreview) and preview is dock.preview
    assert not preview.images.pixmap().isNull() or preview.stack.currentWidget() is preview.plot
