"""The Runs list's folder watch: a run starting is listed once, not read again at the next poll."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from run_folders import make_graph, train  # noqa: E402

from nodeml.core.training.run_registry import graph_runs  # noqa: E402
from nodeml.ui.training.runs_watch import RunFolderWatch  # noqa: E402


def test_a_pending_run_listed_by_a_read_is_not_read_again(qtbot, tmp_path):
    graph = make_graph(tmp_path)
    train(graph)
    (done,) = graph_runs(graph)
    root = done.path.parent
    starting = root / f"{done.path.name}-2"  # the app makes the folder; the worker fills it
    starting.mkdir()
    watch = RunFolderWatch()
    watch.follow(root, "line", graph_runs(graph))
    assert watch.timer.isActive()  # waiting for the new folder's run.json
    for name in os.listdir(done.path):
        shutil.copy(done.path / name, starting / name)
    watch.follow(root, "line", graph_runs(graph))  # the run display read the list: it is there
    reads = []
    watch.list_changed.connect(lambda: reads.append(1))
    watch.poll()
    assert reads == [] and not watch.timer.isActive()


def test_a_pending_run_is_listed_when_its_files_appear(qtbot, tmp_path):
    graph = make_graph(tmp_path)
    train(graph)
    (done,) = graph_runs(graph)
    starting = done.path.parent / f"{done.path.name}-2"
    starting.mkdir()
    watch = RunFolderWatch()
    watch.follow(done.path.parent, "line", graph_runs(graph))
    reads = []
    watch.list_changed.connect(lambda: reads.append(1))
    watch.poll()
    assert reads == []  # nothing in it yet
    for name in os.listdir(done.path):
        shutil.copy(done.path / name, starting / name)
    watch.poll()
    assert reads == [1]
