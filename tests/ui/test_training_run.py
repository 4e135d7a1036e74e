"""Training from the dock through a worker process: Train feeds the plots and writes the run folder
beside the graph, Pause/Resume/Stop reach the worker, the UI stays live, failures are reported
with their node and leave the app editable, a crashed worker takes nothing with it."""

from __future__ import annotations

import os
import signal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from training_support import make_window, mlp_graph, wait_idle, wait_state  # noqa: E402

from nodeml.core.checkpoint import load_checkpoint  # noqa: E402
from nodeml.core.training.run_folder import RunStatus, read_manifest  # noqa: E402
from nodeml.core.training.run_registry import read_metrics  # noqa: E402
from nodeml.ui.training import SessionState  # noqa: E402
from nodeml.ui.training.run_style import run_key  # noqa: E402

pytestmark = pytest.mark.usefixtures("shown_boxes")


def test_train_click_feeds_the_plots_and_writes_the_run_folder_beside_the_graph(
    qtbot, shown_boxes, tmp_path
):
    window, presenter = make_window(qtbot, mlp_graph(epochs=3), tmp_path)
    seen = []
    presenter.session.state_changed.connect(
        lambda s: seen.append((s, window.document.read_only, presenter.banner.isVisible()))
    )
    qtbot.mouseClick(presenter.dock.train_button, Qt.MouseButton.LeftButton)
    assert (SessionState.STARTING, True, True) in seen
    assert not window.document.push(None)  # edits are refused while training
    wait_idle(qtbot, presenter)
    assert [b.text() for b in shown_boxes] == []

    run = presenter.dock.plots.current
    assert run is not None and run.metric == "accuracy"
    presenter.dock.plots.redraw()
    x, _ = run.items["step_loss"].getData()
    assert x is not None and len(x) == 3 * 25  # 800 training samples / 32 per batch, 3 epochs
    assert list(run.items["epoch_val_loss"].getData()[0]) == [1, 2, 3]
    assert "Finished after 3 epoch(s)" in presenter.dock.status.text()
    assert not window.document.read_only and not presenter.banner.isVisible()

    folder = presenter.session.run_dir
    assert folder is not None and folder.parent == tmp_path / "runs"
    assert folder.name.startswith("tiny-")
    assert [int(r["epoch"]) for r in read_metrics(folder)] == [1, 2, 3]
    manifest = read_manifest(folder)
    assert manifest.status is RunStatus.FINISHED
    assert manifest.graph_file == str((tmp_path / "tiny.json").resolve())
    assert load_checkpoint(folder / "last.pt")["epoch"] == 3
    assert (folder / "best.pt").is_file() and (folder / "graph.json").is_file()
    assert run.label == manifest.name == "tiny #1" and run.key == run_key(folder)
    runs = presenter.dock.runs  # listed as it trained, ticked in its colour, now finished
    assert runs.record_of(folder).status is RunStatus.FINISHED
    assert run_key(folder) in runs.model.ticked
    assert presenter.actions.evaluate.isEnabled() and presenter.actions.save_checkpoint.isEnabled()


def test_a_second_run_keeps_the_first_as_a_dimmed_overlay_named_after_it(qtbot, tmp_path):
    window, presenter = make_window(qtbot, mlp_graph(epochs=1), tmp_path)
    for _ in range(2):
        assert presenter.train()
        wait_idle(qtbot, presenter)
    plots = presenter.dock.plots
    assert len(plots.runs) == 2 and plots.runs[0].overlay and not plots.runs[1].overlay
    first = plots.runs[0]
    assert first.items["step_ema"].isVisible() and not first.items["step_loss"].isVisible()
    assert plots.drawn_names() == [plots.runs[1].label, first.label]  # named above the plots
    assert first.label.startswith("tiny #1") and plots.runs[1].label.startswith("tiny #2")
    assert len(list((tmp_path / "runs").iterdir())) == 2


def test_pause_save_resume_and_stop(qtbot, tmp_path):
    window, presenter = make_window(qtbot, mlp_graph(epochs=200, batch_size=8), tmp_path)
    states, steps = [], []
    presenter.session.state_changed.connect(states.append)
    presenter.session.steps.connect(lambda chunk: steps.append(chunk.last.step))
    presenter.dock.train_button.click()
    qtbot.waitUntil(lambda: len(steps) > 0, timeout=180_000)

    presenter.dock.pause_button.click()
    assert presenter.dock.status.text() == "Pausing after this batch…"
    wait_state(qtbot, presenter, SessionState.PAUSED, 30_000)
    assert presenter.dock.pause_button.text() == "Resume"
    assert presenter.banner.label.text().startswith("Training paused")
    assert presenter.actions.save_checkpoint.isEnabled()  # a paused run can be checkpointed
    paused_at = steps[-1]  # the feed sends the steps before it says "paused"
    assert presenter.save_checkpoint(tmp_path / "paused.pt")
    saved = load_checkpoint(tmp_path / "paused.pt")
    assert saved["step"] == paused_at  # the state at the pause, not the last epoch's
    assert (tmp_path / "paused.pt").read_bytes() == (
        presenter.session.run_dir / "last.pt"
    ).read_bytes()

    presenter.dock.pause_button.click()
    wait_state(qtbot, presenter, SessionState.RUNNING, 30_000)
    qtbot.waitUntil(lambda: steps[-1] > paused_at, timeout=30_000)

    presenter.dock.stop_button.click()
    assert presenter.state is SessionState.STOPPING
    wait_idle(qtbot, presenter)
    assert states[:4] == [
        SessionState.STARTING,
        SessionState.RUNNING,
        SessionState.PAUSED,
        SessionState.RUNNING,
    ]
    assert states[-2:] == [SessionState.STOPPING, SessionState.IDLE]
    assert "Stopped after" in presenter.dock.status.text()
    folder = presenter.session.run_dir
    assert read_manifest(folder).status is RunStatus.STOPPED
    assert load_checkpoint(folder / "last.pt")["step"] >= steps[-1]
    assert not window.document.read_only
    qtbot.waitUntil(lambda: not presenter.session._stopping_runs, timeout=60_000)  # reaped


def test_ui_thread_answers_a_timer_while_training(qtbot, tmp_path):
    """A 10 ms timer on the UI thread stops the run from inside a tick once it runs: the
    run can only end if the UI thread kept turning while the worker trained."""
    window, presenter = make_window(qtbot, mlp_graph(epochs=500, batch_size=8), tmp_path)
    ticks_while_running, steps = [], []
    presenter.session.steps.connect(steps.append)

    def tick() -> None:
        if presenter.state is SessionState.RUNNING and steps:
            ticks_while_running.append(1)
            if len(ticks_while_running) == 5:
                presenter.stop()

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    presenter.train()
    wait_idle(qtbot, presenter)
    timer.stop()
    assert len(ticks_while_running) == 5
    assert "Stopped after" in presenter.dock.status.text()


def test_input_shape_mismatch_shows_the_error_with_a_fix_and_selects_the_node(
    qtbot, shown_boxes, tmp_path
):
    shown_nodes: list[str] = []
    graph = mlp_graph(in_features=3)  # moons gives 2 features
    window, presenter = make_window(qtbot, graph, tmp_path, shown=shown_nodes)
    presenter.train()
    qtbot.waitUntil(lambda: len(shown_boxes) == 1, timeout=180_000)
    box = shown_boxes[0]
    assert "x" in box.text() and "[2]" in box.text()
    assert any("Set x.shape to [2]" in b.text() for b in box.buttons())
    assert shown_nodes == ["x"]
    assert presenter.state is SessionState.IDLE and not window.document.read_only
    assert presenter.dock.progress.format() == "Failed"
    window.document.set_param("fc1", "out_features", 8)  # editable again
    assert window.document.graph.node("fc1").params["out_features"] == 8
    assert presenter.dock.train_button.isEnabled()
    # the run never began: no folder of its own is left behind, only the dialog says why
    qtbot.waitUntil(
        lambda: not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir()),
        timeout=60_000,
    )
    assert presenter.session.run_dir is None


def test_a_graph_problem_points_at_its_node(qtbot, shown_boxes, tmp_path):
    shown_nodes: list[str] = []
    graph = mlp_graph()
    graph.disconnect(next(e for e in graph.edges if e.target == "out"))  # Output without input
    window, presenter = make_window(qtbot, graph, tmp_path, shown=shown_nodes)
    presenter.train()
    qtbot.waitUntil(lambda: len(shown_boxes) == 1, timeout=180_000)
    assert shown_nodes == ["out"]
    assert "out" in shown_boxes[0].text()


def test_wrong_number_of_classes_names_the_fix(qtbot, shown_boxes, tmp_path):
    window, presenter = make_window(qtbot, mlp_graph(classes=1), tmp_path)
    presenter.train()
    qtbot.waitUntil(lambda: len(shown_boxes) == 1, timeout=180_000)
    assert "out_features=2" in shown_boxes[0].text()
    assert not window.document.read_only


def test_a_crashed_worker_is_reported_and_the_editor_lives_on(qtbot, shown_boxes, tmp_path):
    window, presenter = make_window(qtbot, mlp_graph(epochs=500, batch_size=8), tmp_path)
    presenter.train()
    wait_state(qtbot, presenter, SessionState.RUNNING)
    live = presenter.session.live
    os.kill(live.worker.pid, signal.SIGKILL)  # as a segfault in a native library would
    wait_idle(qtbot, presenter)
    assert len(shown_boxes) == 1
    assert "the training process was killed by signal 9" in shown_boxes[0].text()
    assert not window.document.read_only and presenter.actions.train.isEnabled()
    assert presenter.train()  # and the next run starts in a fresh worker
    wait_state(qtbot, presenter, SessionState.RUNNING)
    presenter.stop()
    wait_idle(qtbot, presenter)
