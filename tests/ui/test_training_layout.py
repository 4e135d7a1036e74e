"""Nothing moves under the mouse in the Training dock: a run starting, the banner showing, the
status text growing leave the canvas and the Train / Pause / Stop row where they were; plots stay
readable; the confusion matrix's names and counts never overlap."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtGui import QFontMetrics  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from training_support import (  # noqa: E402
    RUN_TIMEOUT_MS,
    SessionState,
    make_window,
    mlp_graph,
    wait_idle,
)

from nodeml.ui.training.confusion_view import ConfusionMatrixView  # noqa: E402
from nodeml.ui.training.plot_grid import MIN_PLOT_HEIGHT, best_arrangement  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_torch_thread", "shown_boxes")


def settle() -> None:
    """Run the layout requests Qt has queued (they are posted events)."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def place(widget: QWidget) -> QRect:
    """A widget's rectangle in its window's coordinates."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def test_starting_a_run_moves_neither_the_canvas_nor_the_run_buttons(qtbot):
    # epochs of 10,000 steps: the first one's end cannot replace the "Training on" line before
    # it is looked at, however loaded the machine (100-step epochs did, in the full suite)
    graph = mlp_graph(epochs=200, batch_size=8, dataset_options={"n": 100_000})
    window, presenter = make_window(qtbot, graph)
    dock = presenter.dock
    window.resizeDocks([dock], [int(window.height() * 0.6)], Qt.Orientation.Vertical)
    settle()
    watched = {
        "canvas": window.centralWidget(),
        "train": dock.train_button,
        "pause": dock.pause_button,
        "stop": dock.stop_button,
        "progress": dock.progress,
        "status": dock.status,
    }
    before = {name: place(w) for name, w in watched.items()}
    presenter.train()
    qtbot.waitUntil(
        lambda: presenter.state is SessionState.RUNNING and presenter.banner.isVisible(),
        timeout=RUN_TIMEOUT_MS,
    )
    qtbot.waitUntil(lambda: "Training on" in dock.status.text(), timeout=RUN_TIMEOUT_MS)
    settle()
    assert {name: place(w) for name, w in watched.items()} == before
    # the banner floats over the canvas's top edge, inside it
    banner = place(presenter.banner)
    assert before["canvas"].contains(banner) and banner.top() - before["canvas"].top() < 20
    presenter.stop()
    wait_idle(qtbot, presenter)
    settle()
    assert not presenter.banner.isVisible()
    assert {name: place(w) for name, w in watched.items()} == before


def test_status_text_stays_on_one_line_with_the_whole_text_in_its_tooltip(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    dock = presenter.dock
    dock.status.setText("Ready")
    settle()
    rows = {w: place(w) for w in (dock.button_row, dock.progress, dock.status)}
    long = "Training on CPU (cpu) · moons: 800 train, 200 validation samples · " * 4
    dock.status.setText(long)
    settle()
    assert {w: place(w) for w in rows} == rows
    assert dock.status.text() == long and dock.status.toolTip() == long
    shown = dock.status.shown_text()
    assert shown.endswith("…") and len(shown) < len(long)
    fm = QFontMetrics(dock.status.font())
    assert fm.horizontalAdvance(shown) <= dock.status.contentsRect().width()


def test_progress_text_keeps_its_end_when_the_bar_is_narrow(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    bar = presenter.dock.progress
    full = "Epoch 12/50 · step 1,234/2,500 · 12,345 samples/s · ETA 3 min 20 s"
    bar.resize(220, bar.height())
    bar.setFormat(full)
    shown = bar.text()
    assert shown != full and "…" in shown
    assert shown.startswith("Epoch 12/50") and shown.endswith("ETA 3 min 20 s")
    assert bar.toolTip() == full


def test_the_curves_get_readable_room(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    dock = presenter.dock
    window.resize(1400, 1000)
    window.resizeDocks([dock], [150], Qt.Orientation.Vertical)
    settle()
    canvas = dock.plots.canvas
    assert canvas.height() >= MIN_PLOT_HEIGHT  # never squeezed below a readable row of plots
    dock.make_room()
    settle()
    assert dock.height() >= 0.4 * window.height()
    for plot in dock.plots.plots.values():
        assert plot.geometry().height() >= MIN_PLOT_HEIGHT


def test_plots_are_arranged_to_the_room_they_get():
    assert best_arrangement(1100, 220) == (1, 4)  # a short, wide dock: one row
    assert best_arrangement(700, 450) == (2, 2)
    assert best_arrangement(420, 900) == (4, 1)  # a tall, narrow floating dock


def long_names(k: int) -> tuple[str, ...]:
    return tuple(f"class with a long name number {i}" for i in range(k))


@pytest.mark.parametrize("k", [3, 10, 25])
def test_confusion_matrix_names_and_counts_never_overlap(qtbot, k):
    view = ConfusionMatrixView()
    qtbot.addWidget(view)
    matrix = np.random.default_rng(k).integers(0, 40, (k, k))
    matrix[np.arange(k), np.arange(k)] = 12345  # wide counts
    view.set_matrix(matrix, long_names(k))
    view.show()
    rects = view.label_rects()
    assert len(rects) == 2 * k
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b), (a, b)
    cells = QRect(view.cell_rect(0, 0).topLeft(), view.cell_rect(k - 1, k - 1).bottomRight())
    assert not any(r.intersects(cells) for r in rects)  # names stay off the cells
    fm = QFontMetrics(view.font())
    cell = view.cell_rect(0, 0).width()
    assert fm.horizontalAdvance("12345") < cell  # the widest count fits its cell
    assert all(view.rect().contains(r) for r in rects)
    # shortened names are whole on hover, and a cell says its count
    name_at = view.label_rects()[0].center()
    assert view.describe(name_at) == long_names(k)[0]
    described = view.describe(view.cell_rect(1, 0).center())
    assert described.startswith("true class with a long name number 1, predicted class with")
    assert f": {int(matrix[1, 0]):,} of" in described


def test_confusion_matrix_of_short_names_reads_them_level(qtbot):
    view = ConfusionMatrixView()
    qtbot.addWidget(view)
    view.set_matrix(np.eye(3, dtype=int) * 7, ("a", "b", "c"))
    assert not view.geometry_.upright
    assert view.describe(view.cell_rect(2, 2).center()).endswith("right")
