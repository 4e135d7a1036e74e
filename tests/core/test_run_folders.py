"""A run folder as it trains (run.json, cadence of checkpoints) and the registry reading it back."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
import torch
from torch import nn

from nodeml.core.checkpoint import load_checkpoint
from nodeml.core.errors import TrainingError
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.run_folder import (
    RunStatus,
    effective_status,
    new_run_dir,
    read_manifest,
    run_stem,
    runs_root,
    user_runs_root,
    write_manifest,
)
from nodeml.core.training.run_registry import (
    RunFolderError,
    delete_run,
    differences,
    graph_runs,
    list_runs,
    read_metrics,
    read_run,
    rename_run,
    set_note,
)
from nodeml.core.training.runs import RunRecorder
from nodeml.core.training.setting_changes import setting_changes

CONFIG = {"dataset": "spirals", "dataset_options": {"n": 200}, "epochs": 3, "seed": 1}
GRAPH = {"format": "nodeml.graph", "version": 1, "name": "Net", "nodes": [], "edges": []}


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))


def trainer(**settings) -> Trainer:
    return Trainer(model(), TrainingConfig(**{**CONFIG, **settings}), graph=dict(GRAPH))


class Clock:
    """Time that moves only when a test says: cadence tests must not depend on machine speed."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def record(tmp_path, graph_file=None, clock=None, **settings) -> tuple[Trainer, RunRecorder]:
    graph_file = graph_file or tmp_path / "net.json"
    graph_file.write_text(json.dumps(GRAPH))
    t = trainer(**settings)
    if clock is not None:  # subscribed before the recorder: each epoch ends 31 s after the last
        t.epoch_ended.connect(lambda e: setattr(clock, "now", clock.now + 31.0))
    folder = new_run_dir(runs_root(graph_file), run_stem(graph_file, ""))
    kwargs = {"clock": clock} if clock is not None else {}
    return t, RunRecorder(t, folder, graph_file=graph_file, **kwargs)


def test_run_json_says_running_while_training_then_finished_with_the_best_epoch(tmp_path):
    t, rec = record(tmp_path)
    seen = []
    t.epoch_ended.connect(lambda e: seen.append(read_manifest(rec.path)))
    t.run()
    assert seen[0].status is RunStatus.RUNNING and seen[0].pid == os.getpid()
    done = read_manifest(rec.path)
    assert done.status is RunStatus.FINISHED and done.ended and done.started <= done.ended
    assert (done.name, done.epochs_done, done.epochs_asked, done.world_size) == ("net #1", 3, 3, 1)
    best = min(t.history, key=lambda r: r["val_loss"])
    assert (done.best.name, done.best.epoch) == ("val_loss", best["epoch"])
    assert done.best.metrics["val_accuracy"] == best["val_accuracy"]
    assert load_checkpoint(rec.best)["epoch"] == best["epoch"]
    assert json.loads((rec.path / "graph.json").read_text())["training"]["epochs"] == 3
    assert [r["epoch"] for r in read_metrics(rec.path)] == [1, 2, 3]
    assert rec.path.parent == tmp_path / "runs"


def test_checkpoints_are_written_on_a_cadence_not_every_epoch(tmp_path):
    t, rec = record(tmp_path, clock=Clock(), epochs=4)
    rec.every_s = 3600.0  # nothing is due during this run
    on_disk = []
    t.epoch_ended.connect(lambda e: on_disk.append(rec.last.exists() or rec.best.exists()))
    t.run()
    assert on_disk == [False, False, False, False]
    assert load_checkpoint(rec.last)["epoch"] == 4  # written when the run ended
    assert (rec.path / "metrics.csv").read_text().count("\n") == 5  # still a row per epoch


def test_every_epoch_is_written_once_the_cadence_has_passed(tmp_path):
    t, rec = record(tmp_path, clock=Clock())  # 31 s an epoch, more than the 30 s cadence
    epochs = []
    t.epoch_ended.connect(lambda e: epochs.append(load_checkpoint(rec.last)["epoch"]))
    t.run()
    assert epochs == [1, 2, 3]


def test_a_zero_cadence_writes_every_epoch_however_long_writes_take(tmp_path):
    t, rec = record(tmp_path, clock=Clock())
    rec.every_s, rec._write_s = 0.0, 1e9
    epochs = []
    t.epoch_ended.connect(lambda e: epochs.append(load_checkpoint(rec.last)["epoch"]))
    t.run()
    assert epochs == [1, 2, 3]


def test_a_slow_write_spaces_the_next_ones(tmp_path):
    clock = Clock()
    t, rec = record(tmp_path, clock=clock, epochs=4)
    real_write = rec._write_checkpoints

    def write_taking_2s(*args, **kwargs):
        real_write(*args, **kwargs)
        rec._write_s = 2.0  # as measured by the clock: 20 x 2 s = 40 s to the next write

    rec._write_checkpoints = write_taking_2s
    epochs = []
    t.epoch_ended.connect(lambda e: epochs.append(load_checkpoint(rec.last)["epoch"]))
    t.run()
    assert epochs == [1, 1, 3, 3]


def test_a_failed_run_keeps_its_last_finished_epoch_and_says_why(tmp_path):
    t, rec = record(tmp_path, clock=Clock(), epochs=5)
    rec.every_s = 3600.0

    def poison(event):
        if event.epoch == 1:
            with torch.no_grad():
                t.model[0].weight.fill_(float("nan"))

    t.epoch_ended.connect(poison)
    with pytest.raises(TrainingError, match="loss became nan"):
        t.run()
    saved = load_checkpoint(rec.last)
    assert saved["epoch"] == 2 and torch.isfinite(saved["model"]["0.weight"]).all()
    manifest = read_manifest(rec.path)
    assert manifest.status is RunStatus.FAILED and "loss became nan" in manifest.error


def test_a_run_failing_in_its_first_epoch_leaves_no_checkpoint(tmp_path):
    class Breaks(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.calls = 0

        def forward(self, x):
            self.calls += 1
            if self.calls == 4:  # after the pre-flight pass and two steps
                raise RuntimeError("boom")
            return self.fc(x)

    t = Trainer(Breaks(), TrainingConfig(**CONFIG), graph=dict(GRAPH))
    rec = RunRecorder(t, tmp_path / "run", graph_file=tmp_path / "net.json")
    with pytest.raises(TrainingError):
        t.run()
    assert not rec.last.exists() and not rec.best.exists()
    assert read_manifest(rec.path).status is RunStatus.FAILED
    assert "boom" in read_manifest(rec.path).error


def test_stopped_run_writes_a_checkpoint_that_resumes_exactly(tmp_path):
    t, rec = record(tmp_path, clock=Clock())
    rec.every_s = 3600.0
    t.step_ended.connect(lambda e: t.stop() if e.step == 9 else None)
    t.run()
    assert read_manifest(rec.path).status is RunStatus.STOPPED
    assert load_checkpoint(rec.last)["samples_in_epoch"] == 9 * 32 - 160  # 160 samples an epoch


def test_a_running_run_whose_process_is_gone_reads_interrupted(tmp_path):
    t, rec = record(tmp_path, epochs=1)
    t.run()
    manifest = read_manifest(rec.path)
    manifest.status = RunStatus.RUNNING
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    manifest.pid = int(gone.stdout)
    write_manifest(rec.path, manifest)
    assert read_run(rec.path).status is RunStatus.INTERRUPTED

    manifest.pid, manifest.process_start = os.getpid(), "0"  # our pid, but another process's start
    assert effective_status(manifest) is RunStatus.INTERRUPTED
    manifest.process_start = None
    assert effective_status(manifest) is RunStatus.RUNNING
    manifest.host = socket.gethostname() + "-elsewhere"  # can't look: taken at its word
    manifest.pid = int(gone.stdout)
    assert effective_status(manifest) is RunStatus.RUNNING


def test_names_stay_distinct_after_a_run_is_deleted(tmp_path):
    names = []
    for _ in range(3):
        t, rec = record(tmp_path, epochs=1)
        t.run()
        names.append(rec.manifest.name)
    assert names == ["net #1", "net #2", "net #3"]
    delete_run(graph_runs(tmp_path / "net.json")[1].path)
    t, rec = record(tmp_path, epochs=1)
    assert rec.manifest.name == "net #4"
    assert len({r.name for r in graph_runs(tmp_path / "net.json")}) == 3


def test_a_new_run_never_takes_a_name_shown_before_after_a_rename(tmp_path):
    t, rec = record(tmp_path, epochs=1)
    t.run()
    rename_run(rec.path, "baseline adam")
    t, rec = record(tmp_path, epochs=1)  # "net #1" would read as the run just renamed
    assert rec.manifest.name == "net #2"


def test_same_second_runs_get_their_own_folders(tmp_path):
    first, second = new_run_dir(tmp_path, "My Net"), new_run_dir(tmp_path, "My Net")
    assert first != second and first.name.startswith("My_Net-") and second.name.endswith("-2")


def test_a_graphs_runs_are_listed_oldest_first_and_say_what_changed(tmp_path):
    for settings in ({"lr": 0.01}, {"lr": 0.02, "epochs": 2}):
        t, rec = record(tmp_path, **settings)
        t.run()
    t, rec = record(tmp_path, graph_file=tmp_path / "other.json", epochs=1)  # another graph
    t.run()
    runs = graph_runs(tmp_path / "net.json")
    assert [r.name for r in runs] == ["net #1", "net #2"]
    assert runs[0].changes == [] and runs[1].changes == ["lr 0.01 → 0.02", "epochs 3 → 2"]
    assert [(r.to_json()["epochs"], r.to_json()["epochs_asked"]) for r in runs] == [(3, 3), (2, 2)]
    assert [r.name for r in list_runs(tmp_path / "runs")] == ["net #1", "net #2", "other #1"]


def test_differences_name_dataset_and_graph_changes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, n, width in ((a, 200, 16), (b, 300, 32)):
        folder.mkdir()
        training = {"dataset": "spirals", "dataset_options": {"n": n}}
        (folder / "settings.json").write_text(json.dumps({"training": training}))
        graph = {
            **GRAPH,
            "nodes": [{"id": "fc", "type": "Linear", "params": {"out_features": width}}],
        }
        (folder / "graph.json").write_text(json.dumps(graph))
    assert differences(a, b) == ["dataset_options.n 200 → 300", "fc.out_features 16 → 32"]


def test_differences_are_compared_once_and_again_when_a_runs_files_change(tmp_path, monkeypatch):
    """The Runs list is read again as runs start and end: pairs already compared are not
    compared again, unless a run's settings or graph changed."""
    from nodeml.core.training import run_registry

    a, b = tmp_path / "a", tmp_path / "b"
    for folder, lr in ((a, 0.01), (b, 0.02)):
        folder.mkdir()
        (folder / "settings.json").write_text(json.dumps({"training": {"lr": lr}}))
    reads = []
    real_read = run_registry.read_json
    monkeypatch.setattr(
        run_registry, "read_json", lambda path, name: reads.append(name) or real_read(path, name)
    )
    assert differences(a, b) == ["lr 0.01 → 0.02"]
    first = len(reads)
    assert differences(a, b) == ["lr 0.01 → 0.02"] and len(reads) == first
    (b / "settings.json").write_text(json.dumps({"training": {"lr": 0.5}}))  # another size
    assert differences(a, b) == ["lr 0.01 → 0.5"] and len(reads) == 2 * first


def test_rename_and_note_are_kept_and_an_empty_name_is_refused(tmp_path):
    t, rec = record(tmp_path, epochs=1)
    t.run()
    assert rename_run(rec.path, "  wider  ").name == "wider"
    assert set_note(rec.path, "try dropout next").manifest.note == "try dropout next"
    assert read_manifest(rec.path).name == "wider"
    with pytest.raises(RunFolderError, match="cannot be empty"):
        rename_run(rec.path, " ")
    assert not list(rec.path.glob(".*.tmp"))  # atomic writes leave no temp files


def test_delete_refuses_a_folder_that_is_not_a_run(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.txt").write_text("mine")
    with pytest.raises(RunFolderError, match="not a nodeml run folder"):
        delete_run(project)
    assert (project / "notes.txt").exists()


def test_delete_refuses_a_run_still_training(tmp_path):
    t, rec = record(tmp_path, epochs=1)  # run.json says running, and this process is alive
    with pytest.raises(RunFolderError, match="still training"):
        delete_run(rec.path)


def test_runs_from_before_run_json_are_still_listed(tmp_path):
    old = tmp_path / "runs" / "net-20250101-120000"
    old.mkdir(parents=True)
    (old / "settings.json").write_text(json.dumps({"training": {"epochs": 2}, "started": "x"}))
    (old / "metrics.csv").write_text("epoch,train_loss\n1,0.5\n2,0.25\n")
    (old / "last.pt").write_bytes(b"")
    [run] = graph_runs(tmp_path / "net.json")
    assert (run.name, run.status, run.epochs_done) == (old.name, RunStatus.FINISHED, 2)
    assert (run.best.name, run.best.value, run.best.epoch) == ("train_loss", 0.25, 2)


def test_an_unsaved_graphs_runs_go_to_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if sys.platform.startswith("linux"):
        assert user_runs_root() == tmp_path / "data" / "nodeml" / "runs"
    assert runs_root(None) == user_runs_root()
    assert runs_root(tmp_path / "g" / "net.json") == tmp_path / "g" / "runs"
    for name in ("My Net", "Other"):
        t = trainer(epochs=1)
        t.graph = {**GRAPH, "name": name}
        RunRecorder(t, new_run_dir(runs_root(None), run_stem(None, name))).trainer.run()
    [run] = list_runs(user_runs_root(), graph_name="My Net")
    assert run.name == "My Net #1" and run.path.name.startswith("My_Net-")


def test_a_relative_and_an_absolute_path_to_one_file_are_no_change(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = {"dataset": "csv", "dataset_options": {"path": "data.csv"}}
    new = {"dataset": "csv", "dataset_options": {"path": str(tmp_path / "data.csv")}}
    assert setting_changes(old, new) == []
    other = {"dataset": "csv", "dataset_options": {"path": str(tmp_path / "more.csv")}}
    assert [c.describe() for c in setting_changes(new, other)] == [
        "dataset_options.path data.csv → more.csv"
    ]
