"""The Training dock around a run: settings rows built from TrainingConfig's descriptions and saved
undoably in the graph, checkpoints from the UI (save, load, partial load, resume), evaluation
views from a run's checkpoint, plot export, the real main window's menus."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox  # noqa: E402
from training_support import SessionState, make_window, mlp_graph, wait_idle  # noqa: E402

import nodeml.ui.training.presenter as presenter_module  # noqa: E402
from nodeml.core.checkpoint import load_checkpoint  # noqa: E402
from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.core.training import ConfigError, TrainingConfig, dataset_spec  # noqa: E402
from nodeml.core.training.run_folder import read_manifest  # noqa: E402
from nodeml.core.training.setting_spec import Kind, setting_specs  # noqa: E402
from nodeml.ui.training.messages import CheckpointChoice  # noqa: E402
from nodeml.ui.training.run_style import run_key  # noqa: E402
from nodeml.ui.training.setting_row import SettingRow  # noqa: E402

pytestmark = pytest.mark.usefixtures("shown_boxes")


# ---- the settings form, from TrainingConfig's field descriptions ---------------------------------
def test_every_training_setting_has_a_row_labelled_from_its_description(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    panel = presenter.dock.settings
    specs = setting_specs(TrainingConfig)
    assert set(panel.rows) == {f.name for f in dataclasses.fields(TrainingConfig)}
    for name, spec in specs.items():
        row = panel.rows[name]
        if isinstance(row, SettingRow):
            assert row.spec is spec and spec.help in row.tooltip()
            if spec.kind is Kind.CHOICE:
                combo = row.editor
                assert isinstance(combo, QComboBox)
                assert [combo.itemData(i) for i in range(combo.count())] == [
                    v for v, _ in spec.choices
                ]


def _check(name: str, value) -> str | None:
    try:
        TrainingConfig(**{name: value})
    except ConfigError as exc:
        return str(exc)
    return None


def test_each_number_editor_takes_exactly_the_values_validate_takes(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    panel = presenter.dock.settings
    checked = 0
    for name, spec in setting_specs(TrainingConfig).items():
        if spec.kind not in (Kind.NUMBER, Kind.WHOLE):
            continue
        row = panel.row(name)
        low, high = row.limits()
        whole = spec.kind is Kind.WHOLE
        step = 1 if whole else 10.0**-spec.decimals
        typed = int if whole else float
        assert _check(name, typed(low)) is None, name
        if spec.low is not None:  # one step below the editor's lowest is refused
            assert _check(name, typed(low - step)) is not None, name
        if spec.high is not None:
            assert _check(name, typed(high)) is None, name
            assert _check(name, typed(high + step)) is not None, name
        checked += 1
    assert checked >= 18
    # the example: validation split up to (not including) 1, not 0.9
    assert panel.row("val_split").limits()[1] == pytest.approx(0.99)
    assert _check("val_split", 1.0) is not None


def test_rows_show_only_the_settings_that_matter_and_nullable_ones_say_what_null_means(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    panel = presenter.dock.settings
    form = panel.forms[panel.specs["momentum"].group]
    assert not form.isRowVisible(panel.rows["momentum"])  # Adam has none
    optimizer = panel.editor("optimizer")
    optimizer.setCurrentIndex(optimizer.findData("sgd"))
    assert form.isRowVisible(panel.rows["momentum"]) and form.isRowVisible(panel.rows["nesterov"])
    assert window.document.graph.extras["training"]["optimizer"] == "sgd"
    seed = panel.row("seed")
    assert seed.none_box is not None and seed.none_box.text() == "random"
    seed.none_box.setChecked(True)
    assert window.document.graph.extras["training"]["seed"] is None
    assert not seed.editor.isEnabled()


def test_a_graph_with_several_outputs_picks_the_trained_one_in_the_loss_group(qtbot):
    """The ``output`` setting lists the graph's Output nodes, shown only when there is a choice."""
    window, presenter = make_window(qtbot, mlp_graph())
    doc, panel = window.document, presenter.dock.settings
    row = panel.row("output")
    form = panel.forms[panel.specs["output"].group]
    assert not form.isRowVisible(row)  # one Output: nothing to choose
    doc.add_node("Output", (800, 200), node_id="aux")
    doc.connect(Edge("fc1", "aux"))
    assert form.isRowVisible(row)
    combo = row.editor
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "out", "aux"]
    assert combo.itemText(0) == panel.specs["output"].none_label
    combo.setCurrentIndex(combo.findData("aux"))
    assert doc.graph.extras["training"]["output"] == "aux"
    assert panel.config().output == "aux"
    doc.undo_stack.undo()  # the setting
    assert combo.currentData() is None and "output" not in doc.graph.extras["training"]
    doc.undo_stack.undo()  # the wire
    doc.undo_stack.undo()  # the node
    assert not form.isRowVisible(row)


def test_settings_edits_are_written_to_the_graph_and_undoable(qtbot):
    window, presenter = make_window(qtbot, mlp_graph(epochs=2))
    doc, panel = window.document, presenter.dock.settings
    assert panel.epochs.value() == 2 and panel.dataset.currentData() == "moons"
    panel.epochs.setValue(7)
    optimizer = panel.editor("optimizer")
    optimizer.setCurrentIndex(optimizer.findData("sgd"))
    assert doc.graph.extras["training"]["epochs"] == 7
    assert doc.graph.extras["training"]["optimizer"] == "sgd"
    assert doc.undo_stack.count() == 1  # consecutive settings edits merge into one step
    doc.undo_stack.undo()
    assert doc.graph.extras["training"]["epochs"] == 2
    assert panel.epochs.value() == 2 and optimizer.currentData() == "adam"
    doc.undo_stack.redo()
    assert panel.epochs.value() == 7
    shuffle = panel.editor("shuffle")
    assert isinstance(shuffle, QCheckBox)
    shuffle.setChecked(False)
    assert doc.graph.extras["training"]["shuffle"] is False


def test_picking_a_dataset_shows_its_options_and_preview(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    panel, preview = presenter.dock.settings, presenter.dock.preview
    panel.dataset.setCurrentIndex(panel.dataset.findData("shapes"))
    assert set(panel._option_widgets) == set(dataset_spec("shapes").options)
    assert window.document.graph.extras["training"]["dataset"] == "shapes"
    presenter.dock.tabs.setCurrentWidget(preview)  # the Data tab
    assert preview.stack.currentWidget() is preview.images
    assert not preview.images.pixmap().isNull()
    assert "10 classes" in preview.title.text()
    panel.dataset.setCurrentIndex(panel.dataset.findData("spirals"))  # on screen: drawn at once
    assert preview.stack.currentWidget() is preview.plot
    assert "spirals" in preview.title.text().lower()


def test_the_preview_draws_no_samples_while_its_tab_is_hidden(qtbot, monkeypatch):
    """Drawing samples took over a second of the app's start (the tab is hidden then)."""
    from nodeml.core.training import datasets

    built = []
    build = datasets.resolve_options
    monkeypatch.setattr(datasets, "resolve_options", lambda *a: built.append(a) or build(*a))
    window, presenter = make_window(qtbot, mlp_graph())
    panel, preview = presenter.dock.settings, presenter.dock.preview
    panel.dataset.setCurrentIndex(panel.dataset.findData("shapes"))
    assert not preview.isVisible() and built == []
    presenter.dock.tabs.setCurrentWidget(preview)
    assert len(built) == 1 and not preview.images.pixmap().isNull()


def test_processes_setting_is_the_apps_and_goes_to_the_session(qtbot):
    window, presenter = make_window(qtbot, mlp_graph())
    processes = presenter.dock.settings.processes
    assert isinstance(processes, QSpinBox) and processes.minimum() == 1
    assert processes.maximum() == (os.cpu_count() or 1)  # no GPU here: the CPU cores
    processes.setValue(2)
    assert presenter.session.processes == 2
    assert "processes" not in window.document.graph.extras["training"]  # not the graph's


# ---- checkpoints and evaluation -------------------------------------------------------------------
def test_checkpoint_round_trip_and_evaluation_from_the_run(qtbot, tmp_path):
    window, presenter = make_window(qtbot, mlp_graph(epochs=1), tmp_path)
    assert presenter.train()
    wait_idle(qtbot, presenter)
    assert presenter.actions.save_checkpoint.isEnabled()
    path = tmp_path / "copy.pt"
    assert presenter.save_checkpoint(path)
    saved = load_checkpoint(path)
    assert saved["epoch"] == 1 and saved["training"]["dataset"] == "moons"
    assert path.read_bytes() == (presenter.session.run_dir / "last.pt").read_bytes()
    assert saved["model"]["_extra_state"] == {"classes": ["upper", "lower"]}  # moons' names

    assert presenter.evaluate()
    wait_idle(qtbot, presenter)
    view = presenter.dock.evaluation
    assert presenter.dock.tabs.currentWidget() is view
    assert view.result.confusion.shape == (2, 2)
    assert "test loss" in view.summary.text() and "accuracy" in view.summary.text()
    accuracy = view.result.metrics["accuracy"]

    window.document.new()  # another document forgets the trained model
    assert not presenter.actions.evaluate.isEnabled()
    window.document.graph.replace_with(mlp_graph(epochs=1))
    assert presenter.load_checkpoint(path)
    assert "Loaded all weights" in presenter.dock.status.text()
    assert presenter.evaluate()
    wait_idle(qtbot, presenter)
    # the copy's weights in the document's graph score what the run's checkpoint scored
    assert view.result.metrics["accuracy"] == pytest.approx(accuracy)
    assert "test loss" in presenter.dock.status.text()


def test_loading_a_checkpoint_that_does_not_fit_says_what_differs_and_loads_what_fits(
    qtbot, tmp_path, monkeypatch
):
    window, presenter = make_window(qtbot, mlp_graph(epochs=1), tmp_path)
    presenter.train()
    wait_idle(qtbot, presenter)
    path = presenter.session.run_dir / "last.pt"
    window.document.set_param("fc1", "out_features", 8)  # fc1 and fc2.weight change shape

    asked = []

    def refuse(parent, fit, resuming):
        asked.append(fit)
        return CheckpointChoice.CANCEL

    monkeypatch.setattr(presenter_module, "ask_checkpoint_choice", refuse)
    assert not presenter.load_checkpoint(path)  # refused: nothing loaded
    fit = asked[0]
    assert {k for k, _, _ in fit.diff.mismatched} == {"fc1.weight", "fc1.bias", "fc2.weight"}
    assert (fit.fitting, fit.total) == (2, 5)  # fc2.bias and the class names still fit
    assert fit.changes == ["fc1.out_features 16 → 8"]
    assert fit.carried is not None and fit.carried.node("fc1").params["out_features"] == 16

    monkeypatch.setattr(
        presenter_module, "ask_checkpoint_choice", lambda *a: CheckpointChoice.LOAD_FITTING
    )
    assert presenter.load_checkpoint(path)
    assert "the 2 weights that fit" in presenter.dock.status.text()  # fc2.bias, class names
    assert presenter.session.weights == (path, True)
    assert presenter.evaluate()
    wait_idle(qtbot, presenter)
    assert presenter.dock.evaluation.result.confusion.shape == (2, 2)


def test_resume_continues_from_the_checkpoint_epoch_in_a_new_run_folder(
    qtbot, tmp_path, shown_boxes
):
    window, presenter = make_window(qtbot, mlp_graph(epochs=1), tmp_path)
    presenter.train()
    wait_idle(qtbot, presenter)
    first = presenter.session.run_dir
    runs = presenter.dock.runs

    assert runs.select(first)  # listed by the Runs panel once it ended
    runs.resume_action.trigger()  # Epochs is 1: nothing left to train
    assert "raise Epochs above 1" in shown_boxes[-1].text()
    assert presenter.state is SessionState.IDLE
    presenter.dock.settings.epochs.setValue(3)
    runs.resume_action.trigger()
    assert not runs.resume_action.isEnabled() and not runs.evaluate_action.isEnabled()  # busy
    wait_idle(qtbot, presenter)
    second = presenter.session.run_dir
    assert second != first and load_checkpoint(second / "last.pt")["epoch"] == 3
    assert read_manifest(second).resumed_from == str(first / "last.pt")
    run = presenter.dock.plots.current
    assert run.key == run_key(second) and run.label == read_manifest(second).name
    assert list(run.series["epoch_val_loss"].x) == [1, 2, 3]  # the saved history, then 2 more


def test_a_past_run_can_be_opened_evaluated_and_exported_from_the_runs_panel(qtbot, tmp_path):
    window, presenter = make_window(qtbot, mlp_graph(epochs=2), tmp_path)
    presenter.train()
    wait_idle(qtbot, presenter)
    folder = presenter.session.run_dir
    runs, plots = presenter.dock.runs, presenter.dock.plots
    plots.clear()
    assert runs.select(folder)
    runs.open_action.trigger()
    run = plots.current
    assert run.label == "tiny #1" and run.key == run_key(folder) and not run.live
    assert list(run.series["epoch_val_loss"].x) == [1, 2]
    runs.evaluate_action.trigger()
    assert presenter.state is SessionState.EVALUATING
    wait_idle(qtbot, presenter)
    assert presenter.dock.evaluation.result.confusion.shape == (2, 2)
    target = tmp_path / "tiny.safetensors"
    assert presenter.export_run(folder, target) == target
    assert target.stat().st_size > 0


def regression_graph() -> Graph:
    g = Graph("line")
    g.add_node(Node("x", "Input", {"shape": [1]}))
    g.add_node(Node("fc", "Linear", {"out_features": 1}))
    g.add_node(Node("y", "Output"))
    g.connect(Edge("x", "fc"))
    g.connect(Edge("fc", "y"))
    g.extras["training"] = {"dataset": "linear1d", "epochs": 2, "lr": 0.05}
    return g


def test_evaluate_regression_shows_predicted_against_true(qtbot, tmp_path):
    window, presenter = make_window(qtbot, regression_graph(), tmp_path)
    presenter.train()
    wait_idle(qtbot, presenter)
    presenter.actions.evaluate.trigger()
    wait_idle(qtbot, presenter)
    view = presenter.dock.evaluation
    assert presenter.dock.tabs.currentWidget() is view
    assert view.result.task == "regression" and "MAE" in view.summary.text()
    assert not view.scatter.isHidden() and view.heatmap.isHidden()
    assert len(view.scatter.getPlotItem().listDataItems()) == 2  # points and the y = x line


def test_evaluate_images_shows_a_confusion_matrix_and_sample_predictions(qtbot, tmp_path):
    g = Graph("shapes")
    g.add_node(Node("img", "Input", {"shape": [1, 28, 28]}))
    g.add_node(Node("flat", "Flatten"))
    g.add_node(Node("fc", "Linear", {"out_features": 10}))
    g.add_node(Node("out", "Output"))
    for a, b in (("img", "flat"), ("flat", "fc"), ("fc", "out")):
        g.connect(Edge(a, b))
    g.extras["training"] = {"dataset": "shapes", "dataset_options": {"n": 300}, "epochs": 1}
    window, presenter = make_window(qtbot, g, tmp_path)
    presenter.train()
    wait_idle(qtbot, presenter)
    presenter.evaluate()
    wait_idle(qtbot, presenter)
    view = presenter.dock.evaluation
    assert view.result.confusion.shape == (10, 10)
    assert view.result.confusion.sum() == len(view.result.target) == 60
    assert view.confusion.matrix.shape == (10, 10)
    assert view.confusion.classes[0] == "disk"
    assert not view.samples.pixmap().isNull()


def test_plots_take_100k_points_and_export_png_and_csv(qtbot, tmp_path):
    window, presenter = make_window(qtbot, mlp_graph())
    plots = presenter.dock.plots
    plots.start_run("big", "accuracy")
    steps = np.arange(1, 100_001, dtype=float)
    for chunk in np.array_split(steps, 50):
        plots.add_steps(chunk, 1.0 / chunk, np.full(len(chunk), 0.01))
    plots.add_epoch(1, {"loss": 0.5, "accuracy": 0.8}, {"loss": 0.6, "accuracy": 0.7})
    plots.redraw()
    assert len(plots.current.items["step_loss"].getData()[0]) <= 100_000
    assert plots.current.series["step_loss"].n == 100_000
    png, csv_path = tmp_path / "curves.png", tmp_path / "curves.csv"
    presenter.export_png(png)
    presenter.export_csv(csv_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = csv_path.read_text().splitlines()
    assert lines[0] == "run,series,x,y"
    assert len(lines) == 1 + 2 * 100_000 + 4  # step losses and lr, 4 epoch values
    assert "big,epoch_val_accuracy,1,0.7" in lines


# ---- the real main window -------------------------------------------------------------------------
def test_the_window_puts_the_training_actions_in_its_own_menus(window, qtbot, tmp_path):
    presenter = window.training
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.count("Training") == 1 and titles[-1] == "Help"
    assert titles.index("Training") == titles.index("Help") - 1
    items = [a.text().replace("&", "") for a in window.training_menu.actions() if a.text()]
    for name in ("Train", "Pause", "Stop", "Evaluate", "Save Checkpoint…", "Load Checkpoint…"):
        assert name in items
    file_menu = window.menuBar().actions()[0].menu()
    file_items = list(file_menu.actions())
    assert file_items.index(presenter.actions.save_checkpoint) < file_items.index(
        window.quit_action
    )
    assert not presenter.actions.save_checkpoint.isEnabled()  # nothing trained yet
    assert window.dockWidgetArea(presenter.dock).name == "BottomDockWidgetArea"
    qtbot.waitUntil(lambda: window.docks["problems"] in window.tabifiedDockWidgets(presenter.dock))

    path = tmp_path / "tiny.json"
    from nodeml.core.serialize import save_graph

    save_graph(mlp_graph(epochs=1), path)
    assert window.open_path(path)
    presenter.train()
    assert window.palette_panel.isEnabled() is False  # the main window reacts to read-only
    wait_idle(qtbot, presenter)
    assert window.palette_panel.isEnabled()
    assert load_checkpoint(presenter.session.run_dir / "last.pt")["epoch"] == 1
    assert torch.is_tensor(
        load_checkpoint(presenter.session.run_dir / "best.pt")["model"]["fc1.weight"]
    )


def test_no_worker_is_started_ahead_while_a_run_trains(qtbot, tmp_path):
    """The next run's worker imports torch for seconds: started while a run trains, it took a
    core from that run (the dock, shown as a run starts, asked for one). It starts after."""
    window, presenter = make_window(qtbot, mlp_graph(epochs=1), tmp_path)
    pool = presenter.session.pool
    presenter.dock.hide()
    assert presenter.train()  # the run's worker is the spare, if one was waiting
    assert presenter.state is not SessionState.IDLE
    presenter.dock.show()  # as launching the run does
    presenter._prestart()  # as opening a graph with a training section does, 1.5 s later
    assert pool._spare is None
    wait_idle(qtbot, presenter)
    assert pool._spare is not None and pool._spare.poll() is None  # now, for the next run
