"""The real app killed with SIGKILL in the middle of a run: the worker stops the run after its batch,
writes its checkpoint and goes; the run folder beside the graph keeps every finished epoch."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from nodeml.core.checkpoint import load_checkpoint
from nodeml.core.serialize import save_graph
from nodeml.core.training.run_folder import RunStatus, process_alive, read_manifest
from nodeml.core.training.run_registry import read_metrics

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 240  # a cold start imports torch twice (app and worker) on a loaded machine


def _until(condition, what: str, deadline_s: float = DEADLINE_S):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def _gone(pid: int) -> bool:
    """Exited (a zombie nobody reaped yet counts: it runs nothing)."""
    if not Path("/proc").is_dir():
        return not process_alive(pid)
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"


def test_sigkill_of_the_app_mid_run_leaves_the_run_folder_with_its_last_epoch(tmp_path):
    from training_support import mlp_graph

    graph = tmp_path / "tiny.json"
    save_graph(mlp_graph(epochs=500, batch_size=8), graph)
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NODEML_TRAIN_ON_START="1",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
    )
    log = (tmp_path / "app.log").open("wb")
    app = subprocess.Popen(
        [sys.executable, "-m", "nodeml", str(graph)], env=env, stdout=log, stderr=log
    )
    try:
        runs = tmp_path / "runs"
        folder = _until(
            lambda: (
                next((p for p in runs.iterdir() if read_metrics(p)), None)
                if runs.is_dir()
                else None
            ),
            "a finished epoch in the app's run folder",
        )
        worker = read_manifest(folder).pid
        assert worker is not None and worker != app.pid  # trained by the worker, not the app
        app.kill()  # SIGKILL: no cleanup, no closeEvent, as a crash
        app.wait(30)
        _until(lambda: _gone(worker), "the worker to go")
    finally:
        if app.poll() is None:
            app.kill()
        log.close()
    manifest = read_manifest(folder)
    assert manifest.status is RunStatus.STOPPED  # stopped after its batch, not cut off
    done = len(read_metrics(folder))
    assert done >= 1 and manifest.epochs_done == done
    last = load_checkpoint(folder / "last.pt")
    assert last["epoch"] == done  # every finished epoch is in the checkpoint
    assert load_checkpoint(folder / "best.pt")["epoch"] <= done
