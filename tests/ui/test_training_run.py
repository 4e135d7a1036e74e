"""Training from the dock: Train feeds the plots, Pause/Resume/Stop work, the UI stays live, errors
are reported and leave the app editable."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from torch import nn  # noqa: E402
from training_support import make_window, mlp_graph, wait_idle  # noqa: E402

import nodeml.ui.training.jobs as jobs  # noqa: E402
from nodeml.core.checkpoint import load_checkpoint  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_torch_thread", "shown_boxes")


def test_train_click_feeds_the_plots_and_freezes_the_graph_meanwhile(qtbot, shown_boxes):
    window, controller = make_window(qtbot, mlp_graph(epochs=3))
    read_only_seen = []
    controller.state_changed.connect(
        lambda s: read_only_seen.append(
            (s, window.document.read_only, controller.banner.isVisible())
        )
    )
    qtbot.mouseClick(controller.dock.train_button, Qt.MouseButton.LeftButton)
    assert ("running", True, True) in read_only_seen
    assert not window.document.push(None)  # edits are refused while training
    wait_idle(qtbot, controller)
    assert [b.text() for b in shown_boxes] == []

    run = controller.dock.plots.current
    assert run is not None and run.metric == "accuracy"
    x, y = run.items["step_loss"].getData()
    assert x is not None and len(x) == 3 * 25  # 800 training samples / 32 per batch, 3 epochs
    assert len(run.items["step_ema"].getData()[0]) == len(x)
    assert list(run.items["epoch_val_loss"].getData()[0]) == [1, 2, 3]
    assert len(run.items["epoch_val_metric"].getData()[1]) == 3
    assert [b.text() for b in shown_boxes] == []
    assert "Finished after 3 epoch(s)" in controller.dock.status.text()
    assert not window.document.read_only and not controller.banner.isVisible()
    assert controller.trainer is not None and controller.trainer.epoch == 3


def test_a_second_run_keeps_the_first_as_a_dimmed_overlay(qtbot):
    window, controller = make_window(qtbot, mlp_graph(epochs=1))
    for _ in range(2):
        assert controller.train()
        wait_idle(qtbot, controller)
    plots = controller.dock.plots
    assert len(plots.runs) == 2 and plots.runs[0].overlay and not plots.runs[1].overlay
    first = plots.runs[0]
    assert first.items["step_ema"].isVisible() and not first.items["step_loss"].isVisible()
    assert plots.drawn_names() == [plots.runs[1].label, first.label]  # named above the plots


def test_pause_resume_and_stop(qtbot, tmp_path):
    window, controller = make_window(qtbot, mlp_graph(epochs=200, batch_size=8))
    states = []
    controller.state_changed.connect(states.append)
    controller.dock.train_button.click()
    qtbot.waitUntil(
        lambda: (
            controller.dock.plots.current is not None
            and len(controller.dock.plots.current.series["step_loss"]) > 0
        ),
        timeout=30_000,
    )

    controller.dock.pause_button.click()
    qtbot.waitUntil(lambda: controller.state == "paused", timeout=60_000)
    assert controller.dock.pause_button.text() == "Resume"
    assert controller.banner.label.text().startswith("Training paused")
    assert controller.save_action.isEnabled()  # a paused run can be checkpointed
    steps_at_pause = controller._job.trainer.step
    assert controller.save_checkpoint(tmp_path / "paused.pt")
    assert load_checkpoint(tmp_path / "paused.pt")["step"] == steps_at_pause
    # "paused" is reported from inside the held loop, so no step can follow; the wait only gives
    # a broken pause the chance to show (load can make it weaker, never red)
    qtbot.wait(300)
    assert controller._job.trainer.step == steps_at_pause

    controller.dock.pause_button.click()
    qtbot.waitUntil(lambda: controller.state == "running", timeout=60_000)
    qtbot.waitUntil(lambda: controller._job.trainer.step > steps_at_pause, timeout=60_000)

    controller.dock.stop_button.click()
    assert controller.state == "stopping"
    wait_idle(qtbot, controller)
    assert controller._thread is None and controller._job is None  # the thread ended
    assert states[:4] == ["running", "paused", "running", "stopping"] and states[-1] == "idle"
    assert "Stopped after" in controller.dock.status.text()
    assert controller.trainer.epoch < 200
    assert not window.document.read_only


def test_ui_thread_answers_a_timer_while_training(qtbot):
    """The event loop keeps turning while a run trains: a 10 ms timer stops this 200-epoch run
    at its fifth tick during training. It counted ticks of a 4-epoch run before, which a busy
    machine could finish between two ticks; now the run waits for the ticks, however slow."""
    window, controller = make_window(qtbot, mlp_graph(epochs=200, batch_size=8))
    ticks = []

    def tick() -> None:
        if controller.state == "running":
            ticks.append(controller.state)
            if len(ticks) == 5:
                controller.stop()

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    controller.train()
    wait_idle(qtbot, controller, timeout=120_000)
    timer.stop()
    assert len(ticks) == 5
    assert controller.trainer is not None and controller.trainer.epoch < 200


def test_input_shape_mismatch_shows_the_error_with_a_fix_and_the_app_survives(qtbot, shown_boxes):
    graph = mlp_graph(in_features=3)  # moons gives 2 features
    window, controller = make_window(qtbot, graph)
    controller.train()
    wait_idle(qtbot, controller)
    assert len(shown_boxes) == 1
    box = shown_boxes[0]
    assert "x" in box.text() and "[2]" in box.text()
    assert any("Set x.shape to [2]" in b.text() for b in box.buttons())
    assert not window.document.read_only
    window.document.set_param("fc1", "out_features", 8)  # editable again
    assert window.document.graph.node("fc1").params["out_features"] == 8
    assert controller.dock.train_button.isEnabled()


def test_forward_failure_at_runtime_is_reported_and_training_can_start_again(
    qtbot, shown_boxes, monkeypatch
):
    class Broken(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    real_compile = jobs.compile_graph
    monkeypatch.setattr(jobs, "compile_graph", lambda graph: Broken())
    window, controller = make_window(qtbot, mlp_graph())
    controller.train()
    wait_idle(qtbot, controller)
    assert len(shown_boxes) == 1
    assert "cannot be multiplied" in shown_boxes[0].text()
    assert controller.dock.progress.format() == "Failed"
    assert not window.document.read_only and not controller.banner.isVisible()

    monkeypatch.setattr(jobs, "compile_graph", real_compile)
    assert controller.train()
    wait_idle(qtbot, controller)
    assert len(shown_boxes) == 1
    assert controller.trainer.epoch == 2


def test_wrong_number_of_classes_names_the_fix(qtbot, shown_boxes):
    window, controller = make_window(qtbot, mlp_graph(classes=1))
    controller.train()
    wait_idle(qtbot, controller)
    assert "out_features=2" in shown_boxes[0].text()
    assert not window.document.read_only
