"""The Processes setting: one process trains in the worker itself; N > 1 launches ``nodeml train
--nproc N`` (a torchrun job) from the worker, followed through the same run folder."""

from __future__ import annotations

import os
import signal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from training_support import make_window, mlp_graph, wait_idle, wait_state  # noqa: E402

from nodeml.core.training.run_folder import RunStatus, process_alive, read_manifest  # noqa: E402
from nodeml.core.training.run_registry import read_metrics  # noqa: E402
from nodeml.ui.training import SessionState  # noqa: E402

pytestmark = pytest.mark.usefixtures("shown_boxes")


def _group_gone(pgid: int) -> bool:
    """No process of the worker's process group (the worker, torchrun, its ranks) is left."""
    if not hasattr(os, "killpg"):  # Windows: the worker's own process
        return not process_alive(pgid)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def test_one_process_is_the_worker_itself(qtbot, tmp_path, shown_boxes):
    window, presenter = make_window(qtbot, mlp_graph(epochs=1), tmp_path)
    presenter.dock.settings.processes.setValue(1)
    presenter.train()
    worker = presenter.session.live.worker
    wait_idle(qtbot, presenter)
    assert shown_boxes == []
    manifest = read_manifest(presenter.session.run_dir)
    assert manifest.world_size == 1 and manifest.pid == worker.pid


def test_two_processes_train_as_one_torchrun_job_followed_live_and_stop_ends_every_rank(
    qtbot, tmp_path, shown_boxes
):
    window, presenter = make_window(qtbot, mlp_graph(epochs=3), tmp_path)
    presenter.dock.settings.processes.setValue(2)
    assert presenter.session.processes == 2
    presenter.train()
    group = presenter.session.live.worker.pid  # the worker leads its own process group
    try:
        wait_idle(qtbot, presenter)
        assert [b.text() for b in shown_boxes] == []
        folder = presenter.session.run_dir
        assert [int(r["epoch"]) for r in read_metrics(folder)] == [1, 2, 3]
        assert read_manifest(folder).world_size == 2
        assert list(presenter.dock.plots.current.series["epoch_val_loss"].x) == [1, 2, 3]

        presenter.dock.settings.epochs.setValue(500)  # a long run, stopped from the dock
        presenter.train()
        group = presenter.session.live.worker.pid
        steps = []
        presenter.session.steps.connect(steps.append)
        wait_state(qtbot, presenter, SessionState.RUNNING)
        qtbot.waitUntil(lambda: bool(steps), timeout=180_000)
        presenter.stop()
        wait_idle(qtbot, presenter)
        assert read_manifest(presenter.session.run_dir).status is RunStatus.STOPPED
        qtbot.waitUntil(lambda: _group_gone(group), timeout=120_000)  # every rank ended
    finally:
        if not _group_gone(group) and hasattr(os, "killpg"):
            os.killpg(group, signal.SIGKILL)
