"""The app's training process (nodeml.core.training.app_worker) and the CLI options it uses: a job run
as ``nodeml train`` runs it, stopped when the app goes; a snapshot trained as the document's file;
last.pt written when a run pauses."""

from __future__ import annotations

import json
import os
import time

from nodeml.cli import main
from nodeml.core.checkpoint import load_checkpoint
from nodeml.core.compile import compile_graph
from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.serialize import load_graph, save_graph
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.app_worker import Worker, WorkerPool
from nodeml.core.training.live import EventReader, LiveFeed
from nodeml.core.training.run_folder import RunStatus, read_manifest
from nodeml.core.training.run_registry import graph_runs, read_metrics
from nodeml.core.training.runs import RunRecorder

DEADLINE_S = 180.0


def _graph(training: dict, in_features: int = 2) -> Graph:
    g = Graph("tiny")
    g.add_node(Node("x", "Input", {"shape": [in_features]}))
    g.add_node(Node("fc", "Linear", {"out_features": 2}))
    g.add_node(Node("out", "Output"))
    g.connect(Edge("x", "fc"))
    g.connect(Edge("fc", "out"))
    g.extras["training"] = training
    return g


def _wait(condition, what: str):
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def test_a_job_writes_the_run_folder_nodeml_train_writes_and_ends_the_worker(tmp_path):
    doc = tmp_path / "project" / "model.json"
    doc.parent.mkdir()
    save_graph(_graph({"dataset": "moons", "epochs": 2}), doc)
    snapshot = tmp_path / "snapshot.json"  # the app's copy of the open document
    save_graph(_graph({"dataset": "moons", "epochs": 2, "lr": 0.05}), snapshot)
    run = doc.parent / "runs" / "model-1"
    run.mkdir(parents=True)
    worker = Worker()
    assert worker.wait_ready(DEADLINE_S)
    worker.start(
        ["train", str(snapshot), "--out", str(run), "--as-file", str(doc)], tmp_path, os.environ
    )
    assert _wait(lambda: worker.poll() is not None, "the worker to end") is not None
    assert worker.poll() == 0, worker.stderr_tail()
    names = {p.name for p in run.iterdir()}
    assert {"run.json", "graph.json", "settings.json", "metrics.csv", "last.pt", "best.pt"} <= names
    assert {"events.jsonl", "node_stats.csv"} <= names
    manifest = read_manifest(run)
    assert manifest.status is RunStatus.FINISHED and manifest.pid == worker.pid
    assert manifest.graph_file == str(doc.resolve())  # the document's run, not the snapshot's
    assert [r.path for r in graph_runs(doc)] == [run]
    assert json.loads((run / "settings.json").read_text())["training"]["lr"] == 0.05
    assert len(read_metrics(run)) == 2


def test_closing_the_job_pipe_stops_the_run_after_its_batch(tmp_path):
    save_graph(_graph({"dataset": "moons", "epochs": 500, "batch_size": 8}), tmp_path / "g.json")
    run = tmp_path / "run"
    worker = Worker()
    worker.start(["train", str(tmp_path / "g.json"), "--out", str(run)], tmp_path, os.environ)
    _wait(lambda: read_metrics(run), "an epoch")
    worker.close()  # as when the app quits, crashes or is killed
    assert _wait(lambda: worker.poll() is not None, "the worker to end") is not None
    manifest = read_manifest(run)
    assert manifest.status is RunStatus.STOPPED
    assert load_checkpoint(run / "last.pt")["epoch"] == len(read_metrics(run)) >= 1


def test_an_idle_worker_exits_when_closed_and_a_pool_keeps_one_ahead(monkeypatch):
    pool = WorkerPool()
    spare = pool.prestart()
    assert pool.prestart() is spare  # one spare, not one per call
    assert pool.take() is spare
    fresh = pool.take()  # no spare left: a new one
    assert fresh is not spare
    for worker in (spare, fresh):
        worker.close()  # no job given: it just ends
        assert worker.wait(DEADLINE_S) == 0
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    first = pool.prestart()
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    # a spare started under other thread settings is not the process a job asks for
    second = pool.prestart()
    assert second is not first and first.wait(DEADLINE_S) == 0
    pool.close()
    assert second.wait(DEADLINE_S) == 0


def test_as_file_reads_data_beside_the_document_and_unsaved_records_no_file(
    tmp_path, capsys, monkeypatch
):
    project = tmp_path / "project"
    project.mkdir()
    rows = ["a,b,label"] + [f"{i % 7},{i % 5},{i % 2}" for i in range(60)]
    (project / "data.csv").write_text("\n".join(rows) + "\n")
    training = {
        "dataset": "csv",
        "dataset_options": {"path": "data.csv", "target": "label"},
        "epochs": 1,
    }
    doc = project / "model.json"
    save_graph(_graph(training), doc)
    snapshot_dir = tmp_path / "elsewhere"
    snapshot_dir.mkdir()
    save_graph(_graph(training), snapshot_dir / "copy.json")
    code = main(
        ["train", str(snapshot_dir / "copy.json"), "--as-file", str(doc), "--no-node-stats"]
    )
    assert code == 0, capsys.readouterr().err
    (run,) = (project / "runs").iterdir()  # beside the document, named after it
    assert run.name.startswith("model-") and read_manifest(run).name == "model #1"
    trained = load_graph(run / "graph.json").extras["training"]["dataset_options"]["path"]
    assert trained == str((project / "data.csv").resolve())

    monkeypatch.chdir(project)  # an unsaved graph reads its data from the working directory
    out = tmp_path / "unsaved-run"
    code = main(["train", str(snapshot_dir / "copy.json"), "--unsaved", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert read_manifest(out).graph_file is None


def test_a_paused_run_has_its_state_in_last_pt_before_the_feed_says_paused(tmp_path):
    graph = _graph({"dataset": "moons", "epochs": 3, "batch_size": 8})
    config = TrainingConfig.from_dict(graph.extras["training"])
    trainer = Trainer(compile_graph(graph), config)
    RunRecorder(trainer, tmp_path, checkpoint_every_s=3600)  # no epoch writes in this test
    feed = LiveFeed(tmp_path)
    feed.attach(trainer)
    seen = {}

    def pause_at_7(event) -> None:
        if event.step == 7:
            trainer.pause()

    def on_state(event) -> None:  # subscribed after the recorder and the feed
        if event.state == "paused":
            seen["step"] = load_checkpoint(tmp_path / "last.pt")["step"]
            seen["fed"] = [type(e).__name__ for e in EventReader(tmp_path / "events.jsonl").read()]
            trainer.stop()

    trainer.step_ended.connect(pause_at_7)
    trainer.state_changed.connect(on_state)
    trainer.run()
    feed.close()
    assert seen["step"] == 7
    assert seen["fed"][-1] == "StateChanged"  # the feed said "paused" after last.pt was written


def test_the_worker_freezes_what_its_imports_made_before_it_runs_a_job():
    """As the nodeml program does: the objects torch's import made are kept out of the garbage
    collector's walks (unfrozen, each full collection during a run walked them again: the app's
    runs trained ~0.7x as fast as nodeml train's), and collection is on for the job itself."""
    import subprocess
    import sys

    code = (
        "import gc, io, sys\n"
        "from nodeml.core.training.app_worker import serve\n"
        "serve(io.BytesIO(b'\\n'))\n"  # ready, then no job: it returns after its imports
        "sys.stderr.write(f'frozen {gc.get_freeze_count()} enabled {gc.isenabled()}\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=DEADLINE_S
    )
    line = done.stderr.strip().splitlines()[-1].split()
    assert line[0] == "frozen" and int(line[1]) > 50_000 and line[3] == "True"
