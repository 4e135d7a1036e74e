"""The selected node's statistics under the Inspector, and showing a past run's node_stats.csv
(View → Node Health → Load Statistics from Run…, the Runs panel's "Node statistics")."""

from __future__ import annotations

import json

import numpy as np
import pytest
from node_stats_samples import lenet_samples

from nodeml.cli import main as cli_main
from nodeml.core.training.node_stats_history import CSV_COLUMNS

MOONS = {
    "format": "nodeml.graph",
    "version": 1,
    "name": "moons",
    "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [2]}, "pos": [0, 0]},
        {"id": "fc1", "type": "Linear", "params": {"out_features": 16}, "pos": [220, 0]},
        {"id": "act", "type": "ReLU", "pos": [440, 0]},
        {"id": "fc2", "type": "Linear", "params": {"out_features": 2}, "pos": [660, 0]},
        {"id": "y", "type": "Output", "pos": [880, 0]},
    ],
    "edges": [
        {"source": "x", "target": "fc1"},
        {"source": "fc1", "target": "act"},
        {"source": "act", "target": "fc2"},
        {"source": "fc2", "target": "y"},
    ],
    "training": {"dataset": "moons", "dataset_options": {"n": 300}, "epochs": 2},
}


@pytest.fixture
def fed(lenet_window):
    for event in lenet_samples():
        lenet_window.node_stats.feed(event)
    return lenet_window


def curves_of(window):
    curves = window.node_stats_ui.curves
    return curves, curves.plots  # the plots are made when a node with statistics is shown


def drawn(plots, key: str) -> tuple[list[float], list[float]]:
    x, y = plots.curves[key].getOriginalDataset()  # as given: log axes transform their copy
    return list(x), list(y)


def test_the_selected_node_shows_its_curves_over_steps(fed, qtbot):
    fed.show_node("fc1")
    curves, plots = curves_of(fed)
    assert curves.isVisible() and plots.isVisible()
    assert plots.shown == ["grad_norm", "weight_norm", "update_ratio"]  # a Linear: its weights
    x, y = drawn(plots, "grad_norm")
    assert x == [1, 11, 21] and np.allclose(y, [1e-3, 1e-1, 1e1])
    assert "exploding gradient" in curves.warnings.text()
    assert "grew 10,000-fold" in curves.warnings.text()  # the rule's own words
    fed.show_node("relu1")
    assert plots.shown == ["activation", "act_zero_frac"]  # no weights: what flows out of it
    assert drawn(plots, "act_zero_frac")[1] == [0.97, 0.97, 0.97]
    assert "dead units" in curves.warnings.text()
    fed.show_node("fc2")
    assert curves.warnings.text().startswith("No warnings")
    fed.show_node("logits")
    assert "No statistics for logits" in curves.source.text() and not plots.isVisible()


def test_the_curves_follow_a_live_run_and_stay_usable_while_the_graph_is_read_only(fed, qtbot):
    fed.show_node("fc2")
    curves = fed.node_stats_ui.curves
    fed.document.set_read_only(True)  # a run is training
    assert not fed.inspector.isEnabled() and curves.isEnabled()
    fed.node_stats.feed(lenet_samples(4)[-1])  # step 31
    qtbot.waitUntil(lambda: drawn(curves.plots, "grad_norm")[0] == [1, 11, 21, 31])
    assert "step 31" in curves.source.text()
    fed.document.set_read_only(False)


def test_nothing_is_shown_without_statistics(lenet_window, qtbot):
    curves = lenet_window.node_stats_ui.curves
    lenet_window.show_node("fc1")
    assert not curves.isVisible() and curves.plots is None  # and pyqtgraph is not needed yet
    for event in lenet_samples():
        lenet_window.node_stats.feed(event)
    qtbot.waitUntil(curves.isVisible)  # the first sample of a run: the curves come
    lenet_window.node_stats.clear()
    qtbot.waitUntil(lambda: not curves.isVisible())
    lenet_window.view.editor_scene.clearSelection()
    assert curves.node is None


def write_run(folder, rows: list[str], graph: dict | None = None):
    folder.mkdir(parents=True)
    (folder / "node_stats.csv").write_text("\n".join([",".join(CSV_COLUMNS), *rows]) + "\n")
    if graph is not None:
        (folder / "graph.json").write_text(json.dumps(graph))
    return folder


def test_load_from_run_shows_its_statistics_and_turns_health_on(
    lenet_window, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    run = write_run(
        tmp_path / "runs" / "lenet-1",
        [f"1,{s},fc1,0.1,1,0,{g},3,0.001" for s, g in ((1, 0.2), (11, 0.3), (21, 0.25))],
    )
    asked = []
    monkeypatch.setattr(
        QFileDialog,
        "getExistingDirectory",
        staticmethod(lambda parent, title, start: asked.append(start) or str(run)),
    )
    ui = lenet_window.node_stats_ui
    ui.load_action.trigger()
    assert asked and lenet_window.node_stats.run == run
    assert ui.toggle_action.isChecked()
    assert lenet_window.node_stats.series("fc1", "grad_norm").values == (0.2, 0.3, 0.25)
    assert ui.clear_action.isEnabled()
    ui.clear_action.trigger()
    assert lenet_window.node_stats.empty and not ui.clear_action.isEnabled()


def test_a_run_that_cannot_be_read_says_why_and_keeps_what_was_shown(fed, tmp_path, dialogs):
    bad = write_run(tmp_path / "bad", ["1,1,fc1,0.1,1,0,oops,3,0.001"])
    assert fed.node_stats_ui.open_run(bad) is False
    kind, title, text = dialogs.shown[-1]
    assert kind == "warning" and "line 2, column grad_norm: 'oops' is not a number" in text
    assert fed.node_stats.run is None and fed.node_stats.last_step == 21


def test_the_runs_panel_opens_a_runs_node_statistics(window, tmp_path, one_torch_thread):
    project = tmp_path / "project"
    project.mkdir()
    (project / "moons.json").write_text(json.dumps(MOONS))
    assert cli_main(["train", str(project / "moons.json")]) == 0  # node_stats.csv included
    assert window.open_path(project / "moons.json")
    runs = window.training.dock.runs
    runs.set_graph_file(project / "moons.json", "moons")
    run = runs.model.records[0].path
    runs.select(run)
    assert runs.node_stats_action.isEnabled()
    runs.node_stats_action.trigger()
    store = window.node_stats
    assert store.run == run and store.nodes() == ["x", "fc1", "act", "fc2"]
    assert window.node_stats_ui.toggle_action.isChecked()
    (run / "node_stats.csv").unlink()
    runs.select(run)
    runs._sync_actions()
    assert not runs.node_stats_action.isEnabled()  # a run trained with --no-node-stats
