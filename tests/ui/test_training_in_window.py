"""Training inside the real main window, across the document's life: failures and health warnings
reach the Problems panel, New/Open leave nothing of the previous document in the dock and say
where its weights are, closing or quitting during a run asks, a checkpoint that does not fit the
open (or empty) document offers its own graph."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from training_support import RUN_TIMEOUT_MS as RUN_MS  # noqa: E402
from training_support import mlp_graph, wait_idle, wait_state  # noqa: E402

import nodeml.ui.training.presenter as presenter_module  # noqa: E402
from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.core.serialize import save_graph  # noqa: E402
from nodeml.core.training.run_folder import RunStatus, process_alive, read_manifest  # noqa: E402
from nodeml.ui.training import SessionState  # noqa: E402
from nodeml.ui.training.evaluation_view import EMPTY  # noqa: E402
from nodeml.ui.training.messages import CheckpointChoice  # noqa: E402

pytestmark = pytest.mark.usefixtures("shown_boxes")


def _open(window, tmp_path, graph, name="tiny.json"):
    path = tmp_path / name
    save_graph(graph, path)
    assert window.open_path(path)
    return path


def test_a_failed_run_is_listed_in_problems_until_the_next_run(window, qtbot, tmp_path):
    _open(window, tmp_path, mlp_graph(in_features=3))  # moons gives 2 features
    window.training.train()
    qtbot.waitUntil(lambda: bool(window.problems.problem_texts()), timeout=180_000)
    texts = window.problems.problem_texts()
    assert texts[0].startswith("node x: training stopped:")
    assert window.docks["problems"].windowTitle() == "Problems (1)"
    window.document.set_param("x", "shape", [2])  # the fix; the run error stays until a new run
    assert window.problems.problem_texts()[0].startswith("node x: training stopped:")
    window.training.train()
    assert window.problems.problem_texts() == []  # cleared as the new run starts
    wait_idle(qtbot, window.training)
    assert window.problems.problem_texts() == []


def test_a_runs_node_statistics_follow_it_live_and_its_warnings_reach_problems(
    window, qtbot, tmp_path
):
    """The run trains in its worker; the canvas's node statistics follow its folder's live feed
    while it trains (tints, sparklines, Inspector curves), and what the health rules say about a
    node is listed in Problems, naming the node."""
    _open(window, tmp_path, mlp_graph(epochs=300, batch_size=8, lr=1e-9))  # barely moves
    presenter, store = window.training, window.node_stats
    presenter.train()
    wait_state(qtbot, presenter, SessionState.RUNNING)
    folder = presenter.session.run_dir
    qtbot.waitUntil(lambda: store.run == folder and store.live and store.has("fc1"), timeout=RUN_MS)
    assert store.run_name == read_manifest(folder).name == "tiny #1"  # the legend names the run
    seen = store.samples_seen
    qtbot.waitUntil(lambda: store.samples_seen > seen, timeout=RUN_MS)  # more while it trains
    qtbot.waitUntil(
        lambda: any(t.startswith("warning: node fc1: update ratio") for t in _texts(window)),
        timeout=RUN_MS,
    )
    presenter.stop()
    wait_idle(qtbot, presenter)
    qtbot.waitUntil(lambda: not store.live, timeout=RUN_MS)  # the run said it ended
    assert store.run == folder and store.has("fc1")  # what it sampled stays shown
    entry = next(t for t in _texts(window) if t.startswith("warning: node fc1: update ratio"))
    item = next(
        window.problems.item(i)
        for i in range(window.problems.count())
        if window.problems.item(i).text() == entry
    )
    shown = []
    window.problems.node_clicked.connect(shown.append)
    window.problems.itemClicked.emit(item)
    assert shown == ["fc1"]


def _texts(window) -> list[str]:
    return window.problems.problem_texts()


@pytest.mark.parametrize("how", ["new", "open"])
def test_new_or_open_leaves_nothing_of_the_previous_document_and_says_where_its_run_is(
    window, qtbot, tmp_path, how
):
    _open(window, tmp_path, mlp_graph(in_features=3), "broken.json")
    window.training.train()  # a failure in Problems ...
    qtbot.waitUntil(lambda: bool(window.problems.problem_texts()), timeout=180_000)
    _open(window, tmp_path, mlp_graph(epochs=1), "good.json")
    presenter = window.training
    presenter.train()  # ... then a run with curves, evaluated
    wait_idle(qtbot, presenter)
    folder = presenter.session.run_dir
    presenter.evaluate()
    wait_idle(qtbot, presenter)
    window.document.set_param("x", "shape", [5])  # a problem of the graph's own ...
    window.document.set_param("x", "shape", [2])  # ... fixed again
    presenter.error_reported.emit(presenter_module.JobError("a leftover", node="fc1"))
    assert presenter.dock.plots.runs and presenter.dock.evaluation.result is not None
    window.document.undo_stack.setClean()

    if how == "new":
        window.new_action.trigger()
    else:
        _open(window, tmp_path, mlp_graph(dataset="spirals"), "other.json")
    dock = presenter.dock
    assert dock.plots.runs == [] and dock.plots.current is None
    assert dock.evaluation.result is None and dock.evaluation.summary.text() == EMPTY
    assert dock.status.text() == "" and dock.progress.format() == "Ready"
    # only the new document's own problems (an empty graph has some), none from training
    own = [str(p) for p in window.document.inference.problems()]
    assert window.problems.problem_texts() == own
    assert not presenter.actions.evaluate.isEnabled()
    assert not presenter.actions.save_checkpoint.isEnabled()
    assert str(folder) in window.statusBar().currentMessage()  # the weights are kept there
    assert (folder / "best.pt").is_file()


@pytest.mark.parametrize("how", ["new", "open"])
def test_new_or_open_during_a_run_asks_then_stops_it_and_opens_once_it_has_stopped(
    window, qtbot, tmp_path, monkeypatch, how
):
    _open(window, tmp_path, mlp_graph(epochs=500, batch_size=8))
    other = tmp_path / "other.json"
    save_graph(mlp_graph(dataset="spirals"), other)
    presenter = window.training
    presenter.train()
    wait_state(qtbot, presenter, SessionState.RUNNING)
    folder = presenter.session.run_dir
    assert window.new_action.isEnabled() and window.open_action.isEnabled()  # they ask
    asked = []
    reply = [False]
    monkeypatch.setattr(
        presenter_module, "ask_stop_run", lambda _w, action, *_: asked.append(action) or reply[0]
    )

    def go() -> None:
        window.new_action.trigger() if how == "new" else window.open_path(other)

    go()  # cancelled: the run goes on, the document stays
    assert asked == ["start a new model" if how == "new" else "open other.json"]
    assert presenter.state is SessionState.RUNNING and window.document.path.name == "tiny.json"
    reply[0] = True
    go()
    assert presenter.state is SessionState.STOPPING
    wait_idle(qtbot, presenter)  # the run stops after its batch, then the document changes
    qtbot.waitUntil(lambda: not window.document.read_only)
    if how == "new":
        qtbot.waitUntil(lambda: len(window.document.graph) == 0)
        assert window.document.path is None
    else:
        qtbot.waitUntil(lambda: window.document.path == other)
    assert read_manifest(folder).status is RunStatus.STOPPED and (folder / "last.pt").is_file()
    assert presenter.dock.plots.current is None and presenter.dock.progress.format() == "Ready"
    assert str(folder) in window.statusBar().currentMessage()  # where its weights are kept


@pytest.mark.parametrize("how", ["close", "quit"])
def test_closing_during_a_run_asks_and_stop_and_quit_keeps_what_it_trained(
    window, qtbot, tmp_path, dialogs, monkeypatch, how
):
    _open(window, tmp_path, mlp_graph(epochs=500, batch_size=8))
    presenter = window.training
    presenter.train()
    wait_state(qtbot, presenter, SessionState.RUNNING)
    asked = []

    def answer(parent, action, run_dir, progress, reply):
        asked.append((action, run_dir, progress))
        return reply

    monkeypatch.setattr(presenter_module, "ask_stop_run", lambda *a: answer(*a, False))
    close = window.close if how == "close" else window.quit_action.trigger
    close()
    assert window.isVisible() and presenter.state is SessionState.RUNNING  # cancelled
    assert asked[0][0] == "quit" and asked[0][1] == presenter.session.run_dir
    assert asked[0][2].startswith("epoch ")

    window.document.undo_stack.resetClean()  # unsaved changes: asked after the run question
    dialogs.answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(presenter_module, "ask_stop_run", lambda *a: answer(*a, True))
    close()
    assert window.isVisible() and presenter.state is SessionState.RUNNING
    assert [k for k, _, _ in dialogs.shown] == ["question"]  # "Save the changes…?"

    window.document.undo_stack.setClean()
    close()
    assert not window.isVisible()
    folder = presenter.session.run_dir
    pid = read_manifest(folder).pid
    qtbot.waitUntil(lambda: not process_alive(pid), timeout=120_000)
    manifest = read_manifest(folder)
    assert manifest.status is RunStatus.STOPPED
    assert (folder / "last.pt").is_file()


def test_load_checkpoint_into_an_empty_document_offers_the_checkpoints_own_graph(
    window, qtbot, tmp_path, monkeypatch
):
    _open(window, tmp_path, mlp_graph(epochs=1))
    presenter = window.training
    presenter.train()
    wait_idle(qtbot, presenter)
    checkpoint = presenter.session.run_dir / "last.pt"
    window.new_action.trigger()
    assert len(window.document.graph) == 0

    fits = []

    def choose(parent, fit, resuming):
        fits.append(fit)
        return CheckpointChoice.OPEN_GRAPH

    monkeypatch.setattr(presenter_module, "ask_checkpoint_choice", choose)
    assert presenter.load_checkpoint(checkpoint)
    fit = fits[0]
    assert fit.diff is None and fit.why_not == "the open graph is empty"
    assert fit.carried is not None and fit.carried.name == "tiny"
    assert "Input" not in fit.why_not  # not a validation error about the empty document
    assert sorted(window.document.graph.node_ids) == ["fc1", "fc2", "out", "relu", "x"]
    assert window.document.path is None  # a new, untitled document
    assert window.document.graph.extras["training"]["dataset"] == "moons"
    assert presenter.session.weights == (checkpoint, False)
    assert "into its own graph" in presenter.dock.status.text()
    assert presenter.evaluate()
    wait_idle(qtbot, presenter)
    assert "test loss" in presenter.dock.status.text()


def test_a_different_graph_is_described_and_cancel_loads_nothing(
    window, qtbot, tmp_path, monkeypatch
):
    _open(window, tmp_path, mlp_graph(epochs=1))
    presenter = window.training
    presenter.train()
    wait_idle(qtbot, presenter)
    checkpoint = presenter.session.run_dir / "last.pt"
    other = Graph("other")
    other.add_node(Node("x", "Input", {"shape": [2]}))
    other.add_node(Node("out", "Output"))
    other.connect(Edge("x", "out"))
    window.document.open_graph(other, None)
    fits = []
    monkeypatch.setattr(
        presenter_module,
        "ask_checkpoint_choice",
        lambda parent, fit, resuming: fits.append(fit) or CheckpointChoice.CANCEL,
    )
    assert not presenter.load_checkpoint(checkpoint)
    changes = fits[0].changes
    assert any(c.startswith("removed fc1") for c in changes), changes
    assert presenter.session.weights is None and len(window.document.graph) == 2


def test_offline_pretrained_weights_offer_random_weights_and_train_again(
    window, qtbot, tmp_path, monkeypatch, shown_boxes
):
    from nodeml.core.pretrained import weights_file
    from nodeml.ui import transfer_dialog

    home = tmp_path / "torch"
    monkeypatch.setenv("TORCH_HOME", str(home))
    cached = weights_file("mobilenet_v3_small")  # TORCH_HOME is read on every call
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not a tensor file")  # what a broken download leaves
    g = Graph("pretrained")
    g.add_node(Node("img", "Input", {"shape": [3, 32, 32]}))
    g.add_node(Node("bb", "mobilenet_v3_small", {"weights": "DEFAULT"}))
    g.add_node(Node("fc", "Linear", {"out_features": 10}))
    g.add_node(Node("out", "Output"))
    for a, b in (("img", "bb"), ("bb", "fc"), ("fc", "out")):
        g.connect(Edge(a, b))
    g.extras["training"] = {
        "dataset": "shapes",
        "dataset_options": {"n": 200, "channels": 3, "image_size": 32},
        "epochs": 50,
    }
    _open(window, tmp_path, g)
    asked = []
    monkeypatch.setattr(
        transfer_dialog, "ask_random_weights", lambda _w, err: asked.append(err) or True
    )
    presenter = window.training
    presenter.train()
    qtbot.waitUntil(lambda: bool(asked), timeout=180_000)
    assert asked[0].nodes == ["bb"] and "not a plain tensor file" in str(asked[0])
    assert window.document.graph.node("bb").params["weights"] == "none"
    wait_state(qtbot, presenter, SessionState.RUNNING)  # the same run, with random weights
    assert window.problems.problem_texts() == []  # the offer replaced the error report
    assert shown_boxes == []
    presenter.stop()
    wait_idle(qtbot, presenter)


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
