"""The Training dock around a run: settings saved undoably in the graph, menus, checkpoints from the
UI (save, load, partial load, resume), evaluation views, plot export, the real main window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from training_support import make_window, mlp_graph, wait_idle  # noqa: E402

import nodeml.ui.training.controller as controller_module  # noqa: E402
from nodeml.core.checkpoint import load_checkpoint  # noqa: E402
from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.core.training import dataset_spec  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_torch_thread", "shown_boxes")


def test_settings_edits_are_written_to_the_graph_and_undoable(qtbot):
    window, controller = make_window(qtbot, mlp_graph(epochs=2))
    doc, panel = window.document, controller.dock.settings
    assert panel.epochs.value() == 2 and panel.dataset.currentData() == "moons"
    panel.epochs.setValue(7)
    panel.epochs.editingFinished.emit()
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    assert doc.graph.extras["training"]["epochs"] == 7
    assert doc.graph.extras["training"]["optimizer"] == "sgd"
    assert doc.undo_stack.count() == 1  # consecutive settings edits merge into one step
    doc.undo_stack.undo()
    assert doc.graph.extras["training"]["epochs"] == 2
    assert panel.epochs.value() == 2 and panel.optimizer.currentData() == "adam"
    doc.undo_stack.redo()
    assert panel.epochs.value() == 7


def test_picking_a_dataset_shows_its_options_and_preview(qtbot):
    window, controller = make_window(qtbot, mlp_graph())
    panel, preview = controller.dock.settings, controller.dock.preview
    panel.dataset.setCurrentIndex(panel.dataset.findData("shapes"))
    assert set(panel._option_widgets) == set(dataset_spec("shapes").options)
    assert window.document.graph.extras["training"]["dataset"] == "shapes"
    controller.dock.tabs.setCurrentWidget(preview)  # the Data tab
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
    window, controller = make_window(qtbot, mlp_graph())
    panel, preview = controller.dock.settings, controller.dock.preview
    panel.dataset.setCurrentIndex(panel.dataset.findData("shapes"))
    assert not preview.isVisible() and built == []
    controller.dock.tabs.setCurrentWidget(preview)
    assert len(built) == 1 and not preview.images.pixmap().isNull()


def test_menus_hold_the_training_and_checkpoint_actions(qtbot):
    window, controller = make_window(qtbot, mlp_graph())
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus)[-1] == "Help"
    training = [a.text().replace("&", "") for a in menus["Training"].actions() if a.text()]
    for name in ("Train", "Pause", "Stop", "Evaluate", "Save Checkpoint…", "Load Checkpoint…"):
        assert name in training
    file_items = [a.text().replace("&", "") for a in menus["File"].actions()]
    assert file_items.index("Save Checkpoint…") < file_items.index("Quit")
    assert not controller.save_action.isEnabled()  # nothing trained yet


def test_checkpoint_round_trip_from_the_ui(qtbot, tmp_path):
    window, controller = make_window(qtbot, mlp_graph(epochs=1))
    controller.train()
    wait_idle(qtbot, controller)
    assert controller.save_action.isEnabled()
    path = tmp_path / "run.pt"
    assert controller.save_checkpoint(path)
    saved = load_checkpoint(path)
    assert saved["epoch"] == 1 and saved["training"]["dataset"] == "moons"
    state = controller.trainer.model.state_dict()
    trained = {k: v.clone() for k, v in state.items() if torch.is_tensor(v)}
    assert state["_extra_state"] == {"classes": ["upper", "lower"]}  # moons' class names

    window.document.new()  # a reload forgets the trained model
    assert controller.trainer is None and not controller.evaluate_action.isEnabled()
    window.document.graph.replace_with(mlp_graph(epochs=1))
    assert controller.load_checkpoint(path)
    assert "Loaded all weights" in controller.dock.status.text()
    assert controller.evaluate()
    wait_idle(qtbot, controller)
    loaded = controller.trainer.model.state_dict()
    assert all(torch.equal(trained[k], loaded[k]) for k in trained)
    assert loaded["_extra_state"] == state["_extra_state"]
    assert "test loss" in controller.dock.evaluation.summary.text()


def test_loading_a_checkpoint_that_does_not_fit_lists_the_keys_and_loads_what_fits(
    qtbot, tmp_path, monkeypatch
):
    window, controller = make_window(qtbot, mlp_graph(epochs=1))
    controller.train()
    wait_idle(qtbot, controller)
    path = tmp_path / "run.pt"
    controller.save_checkpoint(path)
    fc2_weight = controller.trainer.model.state_dict()["fc2.weight"].clone()
    window.document.set_param("fc1", "out_features", 8)  # fc1 and fc2.weight change shape

    asked = []
    monkeypatch.setattr(
        controller_module,
        "ask_partial_load",
        lambda parent, diff, fitting, total: asked.append((diff, fitting, total)) or False,
    )
    assert not controller.load_checkpoint(path)  # refused: nothing loaded
    diff, fitting, total = asked[0]
    assert {k for k, _, _ in diff.mismatched} == {"fc1.weight", "fc1.bias", "fc2.weight"}
    assert (fitting, total) == (2, 5)  # fc2.bias and the class names still fit

    monkeypatch.setattr(controller_module, "ask_partial_load", lambda *a: True)
    assert controller.load_checkpoint(path)
    assert "the weights that fit" in controller.dock.status.text()
    assert controller.evaluate()
    wait_idle(qtbot, controller)
    state = controller.trainer.model.state_dict()
    assert state["fc1.weight"].shape == (8, 2)
    assert not torch.equal(state["fc2.weight"][:, :8], fc2_weight[:, :8])  # fresh, not loaded


def test_resume_continues_from_the_checkpoint_epoch(qtbot, tmp_path, shown_boxes):
    window, controller = make_window(qtbot, mlp_graph(epochs=1))
    controller.train()
    wait_idle(qtbot, controller)
    path = tmp_path / "run.pt"
    controller.save_checkpoint(path)

    assert not controller.resume(path)  # Epochs is 1: nothing left to train
    assert "raise Epochs above 1" in shown_boxes[-1].text()
    controller.dock.settings.epochs.setValue(3)
    assert controller.resume(path)
    wait_idle(qtbot, controller)
    assert controller.trainer.epoch == 3
    run = controller.dock.plots.current
    assert "resumed at epoch 1" in run.label
    assert list(run.series["epoch_val_loss"].x) == [1, 2, 3]  # the saved history, then 2 more


def regression_graph() -> Graph:
    g = Graph("line")
    g.add_node(Node("x", "Input", {"shape": [1]}))
    g.add_node(Node("fc", "Linear", {"out_features": 1}))
    g.add_node(Node("y", "Output"))
    g.connect(Edge("x", "fc"))
    g.connect(Edge("fc", "y"))
    g.extras["training"] = {"dataset": "linear1d", "epochs": 2, "lr": 0.05}
    return g


def test_evaluate_regression_shows_predicted_against_true(qtbot):
    window, controller = make_window(qtbot, regression_graph())
    controller.train()
    wait_idle(qtbot, controller)
    controller.evaluate_action.trigger()
    wait_idle(qtbot, controller)
    view = controller.dock.evaluation
    assert controller.dock.tabs.currentWidget() is view
    assert view.result.task == "regression" and "mae" in view.summary.text()
    assert not view.scatter.isHidden() and view.heatmap.isHidden()
    assert len(view.scatter.getPlotItem().listDataItems()) == 2  # points and the y = x line


def test_evaluate_images_shows_a_confusion_matrix_and_sample_predictions(qtbot):
    g = Graph("shapes")
    g.add_node(Node("img", "Input", {"shape": [1, 28, 28]}))
    g.add_node(Node("flat", "Flatten"))
    g.add_node(Node("fc", "Linear", {"out_features": 10}))
    g.add_node(Node("out", "Output"))
    for a, b in (("img", "flat"), ("flat", "fc"), ("fc", "out")):
        g.connect(Edge(a, b))
    g.extras["training"] = {"dataset": "shapes", "dataset_options": {"n": 300}, "epochs": 1}
    window, controller = make_window(qtbot, g)
    controller.train()
    wait_idle(qtbot, controller)
    controller.evaluate()
    wait_idle(qtbot, controller)
    view = controller.dock.evaluation
    assert view.result.confusion.shape == (10, 10)
    assert view.result.confusion.sum() == len(view.result.target) == 60
    assert view.confusion.matrix.shape == (10, 10)
    assert view.confusion.classes[0] == "disk"
    assert not view.samples.pixmap().isNull()


def test_plots_take_100k_points_and_export_png_and_csv(qtbot, tmp_path):
    window, controller = make_window(qtbot, mlp_graph())
    plots = controller.dock.plots
    plots.start_run("big", "accuracy")
    steps = np.arange(1, 100_001, dtype=float)
    for chunk in np.array_split(steps, 50):
        plots.add_steps(chunk, 1.0 / chunk, np.full(len(chunk), 0.01))
    plots.add_epoch(1, {"loss": 0.5, "accuracy": 0.8}, {"loss": 0.6, "accuracy": 0.7})
    plots.redraw()
    assert len(plots.current.items["step_loss"].getData()[0]) <= 100_000
    assert plots.current.series["step_loss"].n == 100_000
    png, csv_path = tmp_path / "curves.png", tmp_path / "curves.csv"
    controller.export_png(png)
    controller.export_csv(csv_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = csv_path.read_text().splitlines()
    assert lines[0] == "run,series,x,y"
    assert len(lines) == 1 + 2 * 100_000 + 4  # step losses and lr, 4 epoch values
    assert "big,epoch_val_accuracy,1,0.7" in lines


def test_installs_into_the_real_main_window(window, qtbot):
    from nodeml.ui.training import TrainingController

    window.document.restore(mlp_graph(epochs=1), None)
    controller = window.training
    assert isinstance(controller, TrainingController)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.count("Training") == 1 and titles[-1] == "Help"
    assert window.dockWidgetArea(controller.dock).name == "BottomDockWidgetArea"
    qtbot.waitUntil(lambda: window.docks["problems"] in window.tabifiedDockWidgets(controller.dock))
    controller.train()
    assert window.palette_panel.isEnabled() is False  # the main window reacts to read-only
    wait_idle(qtbot, controller)
    assert window.palette_panel.isEnabled()
    assert controller.trainer.epoch == 1
