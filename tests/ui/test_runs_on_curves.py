"""Runs on the curves: ticking a run in the Training dock draws it, named and coloured as the Runs
panel shows it; a past run's curves come from its metrics.csv alone; clear() leaves nothing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from run_folders import copy_project, make_graph, mark_running, runs_of, train  # noqa: E402

from nodeml.core.serialize import load_graph  # noqa: E402
from nodeml.core.training.run_folder import read_manifest  # noqa: E402
from nodeml.core.training.run_registry import read_metrics  # noqa: E402
from nodeml.ui.document import Document  # noqa: E402
from nodeml.ui.training.dock import TrainingDock  # noqa: E402
from nodeml.ui.training.run_style import run_color, run_key  # noqa: E402
from nodeml.ui.training.runs_model import Column  # noqa: E402
from nodeml.ui.training.runs_views import box_rect  # noqa: E402


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("project")
    graph = make_graph(folder)
    train(graph)
    train(graph, "--lr", "0.05")
    torch.set_num_threads(threads)
    return folder


@pytest.fixture
def dock(qtbot, trained, tmp_path):
    graph = copy_project(trained, tmp_path / "project")
    dock = TrainingDock(Document(load_graph(graph)))
    qtbot.addWidget(dock)
    dock.resize(1300, 520)
    dock.show()
    qtbot.waitExposed(dock)
    dock.runs.set_graph_file(graph, "line")
    return dock


def click_tick(qtbot, dock: TrainingDock, row: int) -> None:
    """Click a run's tick box in the list beside the curves, as a person would."""
    view = dock.compare.table
    rect = view.visualRect(dock.runs.model.index(row, Column.SHOWN))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box_rect(rect).center())


def plotted(item) -> list[float]:
    x, _ = item.getData()
    return [] if x is None else list(x)


def test_ticking_a_run_draws_it_named_and_coloured_as_the_panel_shows_it(dock, qtbot):
    plots, records = dock.plots, dock.runs.model.records
    click_tick(qtbot, dock, 1)
    key = run_key(records[1].path)
    assert list(plots.overlays) == [key]
    run = plots.overlays[key]
    assert run.label == "line #2" and plots.drawn_names() == ["line #2"]
    assert run.color == run_color(1)
    shown = [name for name, item in run.items.items() if item.isVisible()]
    assert set(shown) == {"step_epoch_loss", "epoch_val_loss", "epoch_val_metric", "lr"}
    assert run.items["epoch_val_loss"].opts["pen"].color().name() == run_color(1)
    assert plotted(run.items["epoch_val_loss"]) == [1.0, 2.0]
    assert dock.runs.model.index(1, Column.SHOWN).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    click_tick(qtbot, dock, 1)  # and off again
    assert plots.overlays == {} and plots.drawn_names() == []
    assert all(not item.scene() for item in run.items.values())  # gone from the plots


def test_a_renamed_run_is_renamed_on_the_curves(dock, qtbot):
    click_tick(qtbot, dock, 0)
    model = dock.runs.model
    assert model.setData(model.index(0, Column.NAME), "baseline with a longer name")
    assert dock.plots.drawn_names() == ["baseline with a longer name"]  # at once, not next read
    table = dock.runs.table
    width = table.fontMetrics().horizontalAdvance("baseline with a longer name")
    assert table.columnWidth(Column.NAME) >= width  # the column fits it: not "baseline a…"


def test_open_curves_draws_a_past_run_in_full_from_its_metrics_csv(dock):
    run = dock.runs.model.records[0].path
    dock.runs.select(run)
    dock.runs.open_action.trigger()
    main = dock.plots.main
    assert main is not None and not main.live and main.label == "line #1"
    rows = read_metrics(run)
    assert plotted(main.items["epoch_train_loss"]) == [1.0, 2.0]
    assert np.allclose(main.series["epoch_val_loss"].y, [r["val_loss"] for r in rows])
    assert np.allclose(main.series["epoch_val_metric"].y, [r["val_mae"] for r in rows])
    assert list(main.series["lr"].x) == [r["step"] for r in rows]  # at each epoch's last step
    assert main.metric == "mae" and dock.plots.plots["metric"].getAxis("left").labelText == "mae"
    assert main.series["step_loss"].n == 0 and not main.items["step_loss"].isVisible()
    assert dock.tabs.currentWidget() is dock.curves
    bold = dock.runs.model.index(0, Column.NAME).data(Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()  # the run drawn in full


def test_a_new_live_run_keeps_the_run_drawn_before_as_a_compared_run(dock):
    first, second = (r.path for r in dock.runs.model.records)
    dock.open_curves(first)
    dock.plots.start_run("line #3", "mae", 50, 2, key=second)  # as the session starts a run
    assert dock.plots.main.live and dock.plots.main.key == run_key(second)
    assert list(dock.plots.overlays) == [run_key(first)]
    model = dock.runs.model
    assert model.index(0, Column.SHOWN).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    # the live run's box is ticked and cannot be unticked
    assert not (model.flags(model.index(1, Column.SHOWN)) & Qt.ItemFlag.ItemIsUserCheckable)
    dock.open_curves(first)  # while it trains, the live run stays in full
    assert dock.plots.main.live


def test_clear_leaves_nothing_drawn(dock, qtbot):
    records = dock.runs.model.records
    dock.open_curves(records[0].path)
    click_tick(qtbot, dock, 1)
    assert len(dock.plots.runs) == 2
    dock.plots.clear()  # New / Open
    assert dock.plots.runs == [] and dock.plots.drawn_names() == []
    for plot in dock.plots.plots.values():
        assert plot.listDataItems() == []
        assert plot.legend.items == []
        (x0, x1), (y0, y1) = plot.viewRange()  # no axes left of the runs drawn before
        assert (x0, x1, y0, y1) == pytest.approx((0, 1, 0, 1))
    checks = [dock.runs.model.index(r, Column.SHOWN).data(Qt.ItemDataRole.CheckStateRole)
              for r in range(len(records))]  # fmt: skip
    assert checks == [Qt.CheckState.Unchecked] * len(records)


def test_a_compared_run_that_trains_grows_on_the_curves(dock, qtbot):
    run = dock.runs.model.records[1].path
    rows = (run / "metrics.csv").read_text().splitlines()
    (run / "metrics.csv").write_text("\n".join(rows[:2]) + "\n")
    mark_running(run, epochs_done=1)
    dock.runs.refresh()
    click_tick(qtbot, dock, 1)
    overlay = dock.plots.overlays[run_key(run)]
    assert overlay.series["epoch_val_loss"].n == 1
    (run / "metrics.csv").write_text("\n".join(rows) + "\n")  # its next epoch
    qtbot.waitUntil(
        lambda: dock.plots.overlays[run_key(run)].series["epoch_val_loss"].n == 2, timeout=10_000
    )


def test_deleting_a_drawn_run_takes_it_off_the_curves(dock, qtbot, dialogs):
    run = dock.runs.model.records[0].path
    click_tick(qtbot, dock, 0)
    assert dock.plots.drawn_names() == ["line #1"]
    dock.runs.select(run)
    dialogs.answer = QMessageBox.StandardButton.Yes
    assert dock.runs.delete_selected()
    assert dock.plots.drawn_names() == [] and not run.exists()


def test_double_clicking_a_run_beside_the_curves_opens_it(dock, qtbot):
    view = dock.compare.table
    rect = view.visualRect(dock.runs.model.index(1, Column.NAME))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dock.plots.main is not None and dock.plots.main.label == "line #2"


def test_a_resumed_run_draws_its_saved_epochs_once_however_late_the_ui_reads_them(dock):
    """The worker writes metrics.csv while the UI catches up with the feed: if it has already
    appended the epoch it trained since resuming, that epoch still comes from the feed alone."""
    from nodeml.core.training import EpochEnded, RunStarted
    from nodeml.core.training.dataset_registry import DatasetInfo
    from nodeml.ui.training.run_display import RunDisplay

    run = dock.runs.model.records[0].path  # metrics.csv: epochs 1 and 2, as if resumed at 1
    assert [row["epoch"] for row in read_metrics(run)] == [1, 2]
    display = RunDisplay(dock)
    display.launched(run)
    info = DatasetInfo("linear1d", "regression", (1,), "float32", 1)
    display.show_started(RunStarted(3, 1, 8, "cpu", "CPU", "regression", "mse", "mae", info))
    assert list(dock.plots.main.series["epoch_val_loss"].x) == [1]  # the history it resumed
    val = {"loss": 0.5, "mae": 0.4}
    display.show_epoch(
        EpochEnded(1, 16, {"loss": 0.6, "mae": 0.5}, val, 0.1, 100.0, 1.0, 1.0, True)
    )
    assert list(dock.plots.main.series["epoch_val_loss"].x) == [1, 2]


def started_event(metric: str = "mae", epochs: int = 2, steps: int = 25):
    from nodeml.core.training import RunStarted
    from nodeml.core.training.dataset_registry import DatasetInfo

    info = DatasetInfo("linear1d", "regression", (1,), "float32", 1)
    return RunStarted(epochs, 0, steps, "cpu", "CPU", "regression", "mse", metric, info)


def test_a_launched_run_is_on_the_curves_under_its_name_before_it_starts(dock):
    """The curves are made while the run's process loads its data, so its start costs its first
    epoch nothing; the start completes them: the same curves, its metric, its length."""
    from nodeml.ui.training.metric_names import metric_label
    from nodeml.ui.training.run_display import RunDisplay

    first = dock.runs.model.records[0].path
    dock.open_curves(first)
    new = first.parent / "line-new"
    display = RunDisplay(dock)
    display.launched(new)
    run = dock.plots.main
    assert run.live and run.key == run_key(new) and run.label == "line #3"
    assert list(dock.plots.overlays) == [run_key(first)]
    display.show_started(started_event("mae", epochs=2, steps=25))
    assert dock.plots.main is run  # completed, not made again
    assert (run.metric, run.total_steps, run.epochs) == ("mae", 50, 2)
    legend = dock.plots.plots["metric"].legend
    names = [label.text for _, label in legend.items]
    assert f"train {metric_label('mae')}" in names, names


def test_the_name_given_at_launch_is_the_one_the_run_writes(dock, tmp_path):
    graph = dock.runs.graph_file
    before = set(runs_of(graph))
    predicted = dock.runs.new_run_name(graph.parent / "runs" / "line-99999999-000000")
    train(graph)
    (made,) = set(runs_of(graph)) - before
    assert read_manifest(made).name == predicted == "line #3"


def test_a_run_that_fails_before_it_starts_gives_the_curves_back_to_the_run_before(dock):
    from nodeml.ui.training.curves import TRAIN
    from nodeml.ui.training.run_display import RunDisplay

    first = dock.runs.model.records[0].path
    dock.open_curves(first)
    shown = dock.plots.main
    display = RunDisplay(dock)
    display.launched(first.parent / "line-broken")
    assert dock.plots.main is not shown and shown.overlay
    display.show_failed()  # its data could not be read: no RunStarted ever came
    assert dock.plots.main is shown and not shown.overlay
    assert dock.plots.overlays == {}
    legend = dock.plots.plots["epoch_loss"].legend
    listed = [sample.item for sample, _ in legend.items]
    assert shown.items["epoch_train_loss"] in listed  # in its legend again
    pen = shown.items["epoch_train_loss"].opts["pen"]
    assert pen.color().name() == TRAIN  # in its own colours, not the compared run's
    assert "line-broken" not in dock.plots.drawn_names()[0]


def test_a_compared_run_of_another_metric_leaves_the_metric_plot_once_the_run_says_its_own(dock):
    from nodeml.ui.training.run_display import RunDisplay

    first = dock.runs.model.records[0].path  # measured MAE
    dock.open_curves(first)
    compared = dock.plots.main
    display = RunDisplay(dock)
    display.launched(first.parent / "line-new")
    display.show_started(started_event("accuracy"))  # the new run measures accuracy
    metric_items = [compared.items[n] for n in ("epoch_train_metric", "epoch_val_metric")]
    assert not any(item.isVisible() for item in metric_items)  # MAE on an accuracy axis: no
    assert compared.items["epoch_val_loss"].isVisible()  # its loss is still compared
