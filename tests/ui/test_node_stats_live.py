"""A run shown as it trains: the hook the training session calls (``follow_run``), the health
warnings it raises in the Problems panel, a running run opened from the Runs panel or the menu,
and the autograd window running the shown run's weights."""

from __future__ import annotations

import json
import math
import os
import socket

import pytest
import torch
from app_fixtures import LENET
from node_stats_samples import lenet_samples
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem
from test_node_health_canvas import render, turn_on

import nodeml
from nodeml.core.training.events import Finished
from nodeml.core.training.live import encode
from nodeml.core.training.node_health import NodeStats, NodeStatsSampled
from nodeml.core.training.node_stats_history import CSV_COLUMNS
from nodeml.ui import theme
from nodeml.ui.editor.health_paint import CALM_WIDTH, RING_WIDTH

# what each health rule says of LeNet's nodes in lenet_samples, as the Problems panel lists it
WARNED = {
    "conv1": "vanishing gradient",
    "relu1": "dead units",
    "fc1": "exploding gradient",
    "fc3": "update ratio",
}


def manifest(name: str, status: str = "finished", **extra) -> str:
    data = {"format": "nodeml.run", "version": 1, "name": name, "status": status, **extra}
    return json.dumps(data)


def running_run(folder, name: str = "lenet #4"):
    """A run folder this very process is training (so its status reads RUNNING)."""
    folder.mkdir(parents=True)
    (folder / "run.json").write_text(
        manifest(name, "running", pid=os.getpid(), host=socket.gethostname())
    )
    return folder


def feed_lines(events) -> list[str]:
    return [json.dumps(encode(e)) + "\n" for e in events]


def health_lines(window) -> list[str]:
    return [t for t in window.problems.problem_texts() if "(run " in t]


def wait_followed(window, qtbot, samples: int) -> None:
    qtbot.waitUntil(lambda: window.node_stats.samples_seen == samples, timeout=10_000)


def test_follow_run_shows_a_run_as_it_writes_and_its_warnings_reach_problems(
    lenet_window, tmp_path, qtbot
):
    window, ui = lenet_window, lenet_window.node_stats_ui
    run = running_run(tmp_path / "runs" / "lenet-1")
    ui.toggle_action.setChecked(True)
    ui.follow_run(run)  # the session's one call, before the run wrote anything
    assert window.node_stats.live and window.node_stats.empty and ui.follower is not None
    lines = feed_lines(lenet_samples(6))
    feed = run / "events.jsonl"
    feed.write_text("".join(lines[:2]) + lines[2][:40])  # the third still being written
    wait_followed(window, qtbot, 2)
    assert health_lines(window) == []  # two samples: the rules wait for three (but exploding)
    with feed.open("a") as f:
        f.write(lines[2][40:])
    wait_followed(window, qtbot, 3)
    qtbot.waitUntil(lambda: len(health_lines(window)) == len(WARNED), timeout=10_000)
    texts = health_lines(window)
    for node, kind in WARNED.items():
        (line,) = [t for t in texts if t.startswith(f"warning: node {node}: ")]
        assert f"{kind} (run “lenet #4”, training)" in line
    nodes = window.view.editor_scene.nodes
    qtbot.waitUntil(lambda: nodes["fc3"].health.role == "health_update")
    assert nodes["fc3"].health.warning
    assert nodes["fc2"].health.role == "health_healthy" and not nodes["fc2"].health.warning
    legend = ui.overlay.legend
    qtbot.waitUntil(lambda: "Run “lenet #4” · training, step 21" in legend.lines())

    with feed.open("a") as f:  # the rest, and the run's last word
        f.write("".join(lines[3:]) + feed_lines([Finished("completed", 3, 6)])[0])
    qtbot.waitUntil(lambda: ui.follower is None, timeout=10_000)
    assert window.node_stats.samples_seen == 6 and not window.node_stats.live
    qtbot.waitUntil(lambda: "Run “lenet #4” · up to step 51" in legend.lines())
    qtbot.waitUntil(lambda: all("training)" not in t for t in health_lines(window)))
    assert len(health_lines(window)) == len(WARNED)  # an ended run's warnings stay listed


def test_follow_run_of_a_run_that_already_ended_shows_it_whole(lenet_window, tmp_path):
    """A short run can end before the window asks to follow it (a quiet machine, a small
    model): its samples are read at once and nothing is left following."""
    window, ui = lenet_window, lenet_window.node_stats_ui
    run = running_run(tmp_path / "runs" / "lenet-2")
    events = [*lenet_samples(6), Finished("completed", 3, 6)]
    (run / "events.jsonl").write_text("".join(feed_lines(events)))
    ui.follow_run(run)
    assert ui.follower is None and not ui._follow_timer.isActive()
    assert window.node_stats.samples_seen == 6 and not window.node_stats.live


def test_a_problem_names_its_node_clicking_shows_it_and_clearing_takes_them_away(
    lenet_window, tmp_path, qtbot
):
    window = lenet_window
    for event in lenet_samples():
        window.node_stats.feed(event)
    problems = window.problems
    qtbot.waitUntil(lambda: len(problems.problem_texts()) == len(WARNED))
    assert all("(this training run)" in t for t in problems.problem_texts())
    row = next(
        i
        for i in range(problems.count())
        if problems.item(i).text().startswith("warning: node relu1")
    )
    problems.setCurrentRow(row)
    problems.itemClicked.emit(problems.item(row))
    assert window.view.selected_nodes() == ["relu1"]
    assert window.docks["problems"].windowTitle() == f"Problems ({len(WARNED)})"

    # a live run rewords its warnings as samples come: the lines change in place
    before = problems.item(row)
    window.node_stats.feed(lenet_samples(4)[-1])
    qtbot.waitUntil(lambda: "4 samples (steps 1-31)" in problems.item(row).text())
    assert problems.item(row) is before and problems.currentRow() == row

    window.node_stats_ui.clear_action.trigger()
    qtbot.waitUntil(lambda: problems.problem_texts() == [])
    assert window.docks["problems"].windowTitle() == "Problems"


def test_a_run_still_training_is_followed_when_opened_and_its_button_is_enabled(
    window, tmp_path, qtbot
):
    graph = tmp_path / "lenet.json"
    graph.write_text(LENET.read_text())
    assert window.open_path(graph)
    run = running_run(tmp_path / "runs" / "lenet-20260101-000000", "lenet #1")
    payload = json.loads((run / "run.json").read_text())
    payload["graph_file"] = str(graph.resolve())
    (run / "run.json").write_text(json.dumps(payload))
    (run / "events.jsonl").write_text("".join(feed_lines(lenet_samples(2))))
    runs = window.training.dock.runs
    runs.set_graph_file(graph, "LeNet")
    runs.select(run)
    assert runs.node_stats_action in runs.toolbar.actions()  # a button, not only the menu
    assert runs.node_stats_action.isEnabled()  # no node_stats.csv before its first epoch
    runs.node_stats_action.trigger()
    ui = window.node_stats_ui
    assert ui.follower is not None and ui.follower.run == run
    wait_followed(window, qtbot, 2)
    assert window.node_stats.live and ui.toggle_action.isChecked()
    assert "while it trains" in window.statusBar().currentMessage()
    ui.clear_action.trigger()  # letting go of it
    assert ui.follower is None and window.node_stats.empty


def test_another_graph_or_a_loaded_run_stops_the_following(lenet_window, tmp_path, qtbot):
    ui = lenet_window.node_stats_ui
    ui.follow_run(running_run(tmp_path / "live"))
    assert ui.follower is not None
    done = tmp_path / "done"
    done.mkdir()
    (done / "node_stats.csv").write_text(",".join(CSV_COLUMNS) + "\n1,1,fc1,0.1,1,0,0.2,3,0.001\n")
    assert ui.open_run(done)
    assert ui.follower is None and lenet_window.node_stats.run == done
    ui.follow_run(tmp_path / "live")
    lenet_window.document.new()
    assert ui.follower is None and lenet_window.node_stats.empty


@pytest.fixture
def lenet(lenet_window, one_torch_thread):
    lenet_window.document.set_param("image", "shape", [1, 32, 32])
    return lenet_window


def shown_autograd(window, qtbot):
    controller = window.autograd
    controller.action.trigger()
    qtbot.waitUntil(lambda: not controller.busy, timeout=120_000)
    return controller.dialog


def test_the_autograd_window_runs_the_weights_of_the_run_shown(lenet, tmp_path, qtbot):
    model = nodeml.compile_graph(lenet.document.graph)
    params = dict(model.named_parameters())
    zeros = {k: torch.zeros_like(v) if k in params else v for k, v in model.state_dict().items()}
    run = tmp_path / "runs" / "lenet-2"
    run.mkdir(parents=True)
    (run / "run.json").write_text(manifest("lenet #2"))
    (run / "node_stats.csv").write_text(",".join(CSV_COLUMNS) + "\n1,1,fc1,0.1,1,0,0.2,3,0.001\n")
    torch.save({"model": zeros}, run / "last.pt")
    assert lenet.node_stats_ui.open_run(run)
    dialog = shown_autograd(lenet, qtbot)
    assert dialog.result.graph.loss == pytest.approx(math.log(10), abs=1e-6)  # uniform logits
    assert "the weights of run “lenet #2” (last.pt)" in dialog.status.text()

    (run / "last.pt").write_bytes(b"not a checkpoint")
    dialog = shown_autograd(lenet, qtbot)
    assert dialog.result is not None  # it still draws, with fresh weights, and says why
    assert "fresh (untrained) weights: the weights of run “lenet #2”" in dialog.status.text()

    lenet.node_stats_ui.clear_action.trigger()
    dialog = shown_autograd(lenet, qtbot)
    assert "fresh (untrained) weights." in dialog.status.text()


def test_the_autograd_window_follows_the_theme(lenet, qtbot):
    dialog = shown_autograd(lenet, qtbot)
    lenet.set_theme("light")
    qtbot.waitUntil(lambda: dialog.view.backgroundBrush().color() == theme.LIGHT.canvas)
    lenet.set_theme("dark")
    qtbot.waitUntil(lambda: dialog.view.backgroundBrush().color() == theme.DARK.canvas)


def render_at(item, zoom: float) -> QImage:
    """The item as a canvas zoomed to ``zoom`` paints it, alone on a transparent image."""
    rect = item.boundingRect()
    image = QImage(
        int(rect.width() * zoom) + 4, int(rect.height() * zoom) + 4, QImage.Format.Format_ARGB32
    )
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.translate(2, 2)
    painter.scale(zoom, zoom)
    painter.translate(-rect.left(), -rect.top())
    option = QStyleOptionGraphicsItem()
    option.exposedRect = rect
    item.paint(painter, option, None)
    painter.end()
    return image


def ring_pixels(item, zoom: float) -> float:
    """How many pixels thick the ring is on screen, above the middle of the node's top (the
    ink in that column: antialiased edges count by their coverage)."""
    image = render_at(item, zoom)
    rect, body = item.boundingRect(), item.body_rect(item.look)
    x = int((body.center().x() - rect.left()) * zoom) + 2
    top = int((body.top() - rect.top()) * zoom) + 2
    return sum(image.pixelColor(x, y).alphaF() for y in range(top - 1))  # not the card's edge


def test_warnings_stand_out_healthy_nodes_stay_calm_at_any_zoom(lenet_window, qtbot):
    window = lenet_window
    for event in lenet_samples():
        window.node_stats.feed(event)
    turn_on(window, qtbot)
    nodes = window.view.editor_scene.nodes
    healthy, warned = nodes["fc2"], nodes["fc3"]
    # a spot of the card with no text on it: a healthy card keeps its own colour, a warned one
    # is washed in its warning's
    for item, same in ((healthy, True), (warned, False)):
        body = item.body_rect(item.look)
        spot = QPointF(body.left() + 20, body.bottom() - 5)
        shown, plain = render(item), _plain_render(item)
        assert (at(shown, spot, item.boundingRect()) == at(plain, spot, _plain_rect(item))) is same
    # zoomed out, a warning's ring keeps its width on screen; a healthy one stays thin
    assert ring_pixels(warned, 1.0) == pytest.approx(RING_WIDTH, abs=0.3)
    assert ring_pixels(warned, 0.4) == pytest.approx(RING_WIDTH, abs=0.3)
    assert ring_pixels(healthy, 1.0) == pytest.approx(CALM_WIDTH, abs=0.3)


def at(image: QImage, point: QPointF, rect) -> QColor:
    """The pixel of ``render``'s image at an item's point (the image starts at its bounds)."""
    return image.pixelColor(int(point.x() - rect.left()) + 1, int(point.y() - rect.top()) + 1)


def _plain_rect(item):
    health = item.health
    item.show_health(None)
    try:
        return item.boundingRect()
    finally:
        item.show_health(health)


def _plain_render(item) -> QImage:
    health = item.health
    item.show_health(None)
    try:
        return render(item)
    finally:
        item.show_health(health)


def test_a_node_that_never_outputs_a_zero_has_no_zero_fraction_plot(lenet_window, qtbot):
    window = lenet_window
    for step in (1, 11, 21):
        nodes = {
            "fc2": NodeStats(act_mean=0.1, act_std=1.0, act_zero_frac=0.0, grad_norm=0.1),
            "relu1": NodeStats(act_mean=0.1, act_std=0.2, act_zero_frac=0.4),
        }
        window.node_stats.feed(NodeStatsSampled(0, step, nodes))
    window.view.select_node("fc2")  # a Linear: not one exact zero in what it output
    curves = window.node_stats_ui.curves
    qtbot.waitUntil(lambda: curves.plots is not None and curves.plots.shown != [])
    assert curves.plots.shown == ["activation", "grad_norm"]
    window.view.select_node("relu1")
    qtbot.waitUntil(lambda: curves.plots.shown == ["activation", "act_zero_frac"])


def test_a_node_without_statistics_gets_a_dashed_ring_and_no_empty_sparkline_tab(
    lenet_window, qtbot
):
    window = lenet_window
    for event in lenet_samples():
        window.node_stats.feed(event)
    turn_on(window, qtbot)
    nodes = window.view.editor_scene.nodes
    for name, tab in (("fc2", True), ("logits", False)):  # an Output node: never sampled
        item = nodes[name]
        body = item.body_rect(item.look)
        below = QPointF(body.center().x(), body.bottom() + 5.5 + 4 + 8)  # the tab's middle
        assert (at(render(item), below, item.boundingRect()).alpha() > 0) is tab, name
