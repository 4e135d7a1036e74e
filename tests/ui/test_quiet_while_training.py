"""What the window does while a run trains is CPU the trainer does not get: on a 2-core machine
with the trainer on both cores, every millisecond the UI spends is taken from the run. So each
update the run brings is one paint of what changed, and never a layout of the whole window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget  # noqa: E402

from nodeml.core.training import EpochEnded, RunStarted  # noqa: E402
from nodeml.core.training.dataset_registry import DatasetInfo  # noqa: E402
from nodeml.ui.document import Document  # noqa: E402
from nodeml.ui.training.dock import TrainingDock  # noqa: E402
from nodeml.ui.training.elided import ElidedLabel  # noqa: E402
from nodeml.ui.training.plots import TrainingPlots  # noqa: E402
from nodeml.ui.training.run_display import RunDisplay  # noqa: E402


class Counter(QObject):
    """Counts the events of one type each watched object receives."""

    def __init__(self, kind: QEvent.Type, *watched: QObject):
        super().__init__()
        self.kind, self.counts = kind, dict.fromkeys(watched, 0)
        for obj in watched:
            obj.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == self.kind and obj in self.counts:
            self.counts[obj] += 1
        return False

    def reset(self) -> None:
        self.counts = dict.fromkeys(self.counts, 0)


def settle() -> None:
    """Everything Qt has queued: layout requests, updates, the paints they post."""
    for _ in range(5):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


@pytest.fixture
def window(qtbot):
    """A main window whose central widget holds an elided line among other widgets."""
    window = QMainWindow()
    body = QWidget()
    column = QVBoxLayout(body)
    line = ElidedLabel("Ready")
    column.addWidget(line)
    column.addStretch(1)
    window.setCentralWidget(body)
    window.line = line
    qtbot.addWidget(window)
    window.resize(600, 300)
    window.show()
    qtbot.waitExposed(window)
    settle()
    return window


def test_a_new_status_text_repaints_its_line_and_lays_out_nothing(window):
    line = window.line
    layouts = Counter(QEvent.Type.LayoutRequest, window, window.centralWidget())
    paints = Counter(QEvent.Type.Paint, line)
    for epoch in range(1, 6):
        line.setText(f"Epoch {epoch}: validation loss 0.{epoch}, accuracy 8{epoch}.0 %")
        settle()
    assert sum(layouts.counts.values()) == 0  # QLabel.setText asked for one each time
    assert paints.counts[line] == 5
    assert line.text() == line.shown_text() == "Epoch 5: validation loss 0.5, accuracy 85.0 %"
    line.setText(line.text())  # the same text again: nothing to paint
    settle()
    assert paints.counts[line] == 5


def test_the_status_text_is_painted_in_the_labels_colour(window):
    line = window.line
    line.setStyleSheet("color: #ff0000; background: #000000;")
    line.setText("")
    settle()
    blank = line.grab().toImage()
    line.setText("Training on CPU")
    settle()
    image = line.grab().toImage()
    reds = [
        (x, y)
        for x in range(image.width())
        for y in range(image.height())
        if QColor(image.pixel(x, y)).red() > 150 and QColor(image.pixel(x, y)).green() < 80
    ]
    assert reds, "the text is drawn, in the colour its style gives it"
    assert not any(QColor(blank.pixel(x, y)).red() > 150 for x, y in reds)
    assert line.accessibleName() == "Training on CPU"  # read by a screen reader


@pytest.fixture
def dock(qtbot, tmp_path):
    dock = TrainingDock(Document())
    qtbot.addWidget(dock)
    dock.resize(1300, 520)
    dock.show()
    qtbot.waitExposed(dock)
    return dock


def started(epochs: int = 5, steps: int = 75) -> RunStarted:
    info = DatasetInfo("shapes", "classification", (1, 32, 32), "float32", 10)
    return RunStarted(epochs, 0, steps, "cpu", "CPU", "classification", "cross_entropy",
                      "accuracy", info)  # fmt: skip


def test_a_progress_update_paints_the_bar_once(dock, tmp_path):
    display = RunDisplay(dock)
    display.launched(tmp_path / "run")
    display.show_started(started())
    settle()
    paints = Counter(QEvent.Type.Paint, dock.progress)
    for epoch in range(3):
        train, val = {"loss": 1.0 / (epoch + 1), "accuracy": 0.5}, {"loss": 1.1, "accuracy": 0.4}
        step = 75 * (epoch + 1)
        display.show_epoch(EpochEnded(epoch, step, train, val, 0.5, 900.0, 2.0, 0.5, True))
        settle()
    # setValue repaints a QProgressBar at once; its text set after it painted it a second time
    assert paints.counts[dock.progress] == 3
    assert dock.progress.value() == 225 and dock.progress.format().startswith("Epoch 4/5")


def test_new_points_on_the_curves_are_one_paint(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(900, 500)
    plots.show()
    qtbot.waitExposed(plots)
    plots.start_run("lenet #1", "accuracy", 375, 5, key="/runs/lenet-1")
    settle()
    viewport = plots.canvas.viewport()
    paints = Counter(QEvent.Type.Paint, viewport)
    rng = np.random.default_rng(0)
    for first in range(0, 375, 75):
        steps = np.arange(first + 1, first + 76, dtype=np.float64)
        # a falling loss: each batch of points moves the loss plot's y axis
        losses = 2.3 * np.exp(-steps / 60) + 0.1 * rng.random(75)
        plots.add_steps(steps, losses, np.full(75, 1e-3))
        plots.add_epoch(first // 75 + 1, {"loss": losses.mean(), "accuracy": first / 400}, None)
        paints.reset()
        plots.redraw()
        settle()
        # pyqtgraph moved the axes while it prepared a paint, which asked for a second one; a
        # y axis as wide as its labels laid the grid out again when they grew: four
        assert paints.counts[viewport] == 1


def test_the_curves_redraw_as_often_as_their_cost_allows(qtbot, monkeypatch):
    """A redraw whose points moved the axes costs as much as its paint: both count toward the
    next redraw's wait (PAINT_BUDGET times the seconds), within LIVE_REDRAW_MS and MAX_REDRAW_MS."""
    from nodeml.ui.training import plots as plots_module

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.start_run("lenet #1", "accuracy", 375, 5, key="/runs/lenet-1")
    clock = [100.0]
    monkeypatch.setattr(plots_module.time, "perf_counter", lambda: clock[0])
    main_redraw = plots.main.redraw

    def redraw_taking(seconds: float):
        def redraw() -> None:
            clock[0] += seconds  # what setting the new points and moving the axes took
            main_redraw()

        return redraw

    def wait_after(redraw_s: float, paint_s: float) -> int:
        plots.canvas.paint_seconds = paint_s
        monkeypatch.setattr(plots.main, "redraw", redraw_taking(redraw_s))
        plots.add_steps(np.array([1.0]), np.array([2.0]), np.array([1e-3]))
        plots.redraw()
        return plots._timer.interval()

    budget = plots_module.PAINT_BUDGET
    assert wait_after(0.005, 0.010) == pytest.approx(1000 * 0.015 * budget, abs=1)
    assert wait_after(0.0, 0.001) == plots_module.LIVE_REDRAW_MS  # a live run: never sooner
    assert wait_after(0.050, 0.050) == plots_module.MAX_REDRAW_MS  # nor later


class IdleWorker:
    """A worker whose process never ends (the test writes its feed itself)."""

    def start(self, argv, cwd, env) -> None:
        pass

    def poll(self) -> None:
        return None

    def close(self) -> None:
        pass


def test_the_feed_is_read_twice_a_second_while_training_and_promptly_when_awaited(tmp_path):
    import json

    from nodeml.core.training.events import StateChanged, TrainerState
    from nodeml.core.training.live import Command, encode
    from nodeml.ui.training import live_run

    run = live_run.LiveRun(IdleWorker(), tmp_path)
    heard = []
    run.started.connect(heard.append)

    def write(event) -> None:
        with open(tmp_path / "events.jsonl", "a") as f:
            f.write(json.dumps(encode(event)) + "\n")
        run.follow()

    run.start(["train"], tmp_path)
    assert run._timer.interval() == live_run.PROMPT_MS  # the run's start is awaited
    write(started())
    assert heard and run._timer.interval() == live_run.FOLLOW_MS > live_run.PROMPT_MS
    run.send(Command.PAUSE)
    assert run._timer.interval() == live_run.PROMPT_MS  # the answer to Pause is awaited
    write(StateChanged(TrainerState.PAUSED))
    assert run._timer.interval() == live_run.FOLLOW_MS
    run._timer.stop()


def test_a_bar_that_was_busy_stops_animating_at_its_first_step(qtbot):
    """A run is busy (loading) until it starts at step 0; Fusion kept animating a bar left at
    its minimum, 60 paints a second for as long as the run trained."""
    import time

    from PySide6.QtWidgets import QStyleFactory

    from nodeml.ui.training.elided import ElidedProgressBar

    bar = ElidedProgressBar()
    style = QStyleFactory.create("Fusion")  # the app's style (theme.py), whatever the platform's
    style.setParent(QApplication.instance())  # outlives the bar: a style a widget uses must
    bar.setStyle(style)
    qtbot.addWidget(bar)
    bar.resize(300, 24)
    bar.show()
    qtbot.waitExposed(bar)
    bar.setRange(0, 0)  # busy: loading the data
    qtbot.wait(200)
    paints = Counter(QEvent.Type.Paint, bar)
    bar.setRange(0, 375)
    bar.setFormat("Epoch 1/5")
    bar.setValue(0)
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.005)
    assert paints.counts[bar] <= 5  # an animation would have painted ~30 times
    assert (bar.value(), bar.format()) == (0, "Epoch 1/5")
