"""Run folders from the command line: where they go, `nodeml runs`, evaluate, resume, --out."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nodeml.cli import main
from nodeml.core.checkpoint import load_checkpoint

ROOT = Path(__file__).resolve().parents[2]


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def write_csv(path: Path, n: int = 120, seed: int = 0) -> Path:
    """Three classes of four features, written as a person would (class names as text)."""
    rng = random.Random(seed)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["a", "b", "c", "d", "kind"])
        for i in range(n):
            k = i % 3
            out.writerow([round(k + rng.gauss(0, 0.3), 3) for _ in range(4)] + [f"k{k}"])
    return path


def write_graph(path: Path, features: int = 4, classes: int = 3, **training) -> Path:
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [features]}},
        {"id": "fc1", "type": "Linear", "params": {"out_features": 8}},
        {"id": "act", "type": "ReLU"},
        {"id": "fc2", "type": "Linear", "params": {"out_features": classes}},
        {"id": "out", "type": "Output"},
    ]
    chain = ["x", "fc1", "act", "fc2", "out"]
    settings = {
        "dataset": "csv",
        "dataset_options": {"path": "data.csv"},  # relative: read beside the graph
        "epochs": 2,
        "batch_size": 16,
        **training,
    }
    path.write_text(
        json.dumps(
            {
                "format": "nodeml.graph",
                "version": 1,
                "name": "Kinds",
                "nodes": nodes,
                "edges": [
                    {"source": a, "target": b} for a, b in zip(chain, chain[1:], strict=False)
                ],
                "training": settings,
            }
        )
    )
    return path


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A graph and its CSV in one folder; the commands run from another one."""
    folder = tmp_path / "project"
    folder.mkdir()
    write_csv(folder / "data.csv")
    graph = write_graph(folder / "kinds.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return graph


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_runs_from_another_folder_land_beside_the_graph_and_are_listed(project, capsys):
    assert main(["train", str(project)]) == 0
    assert main(["train", str(project), "--lr", "0.01"]) == 0
    capsys.readouterr()
    assert list(Path.cwd().iterdir()) == []
    folders = sorted((project.parent / "runs").iterdir())
    assert len(folders) == 2 and all(f.name.startswith("kinds-") for f in folders)

    assert main(["runs", str(project), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in listed] == ["kinds #1", "kinds #2"]
    assert [r["path"] for r in listed] == [str(f) for f in folders]
    assert all(r["status"] == "finished" and r["epochs"] == 2 for r in listed)
    assert all(r["started"] and r["best"]["epoch"] in (1, 2) for r in listed)
    assert listed[0]["best"]["name"] == "val_loss" and listed[1]["changes"] == ["lr 0.001 → 0.01"]
    assert main(["runs", str(project)]) == 0
    text = capsys.readouterr().out
    assert "kinds #2  finished  2/2 epochs" in text and "changed: lr 0.001 → 0.01" in text

    # the checkpoint alone is enough: it carries the graph and the settings (with the CSV's path)
    assert main(["evaluate", str(folders[1] / "best.pt")]) == 0
    report = capsys.readouterr().out
    assert "csv val split, 24 samples" in report and "accuracy:" in report


def test_out_on_a_folder_holding_a_run_is_refused_and_the_run_kept(project, capsys):
    run = project.parent / "first"
    assert main(["train", str(project), "--out", str(run)]) == 0
    before = {name: digest(run / name) for name in ("best.pt", "last.pt", "metrics.csv")}
    capsys.readouterr()
    assert main(["train", str(project), "--out", str(run), "--epochs", "3"]) == 1
    err = capsys.readouterr().err
    assert f"{run} already holds a run" in err
    assert f"--resume {run / 'last.pt'}" in err and "a new folder" in err
    assert {name: digest(run / name) for name in before} == before

    # resuming into the run's own folder: the same refusal, said for that case
    args = ["--resume", str(run / "last.pt"), "--epochs", "3", "--out", str(run)]
    assert main(["train", str(project), *args]) == 1
    assert "holds the run being resumed" in capsys.readouterr().err
    assert {name: digest(run / name) for name in before} == before

    (project.parent / "mine").mkdir()
    (project.parent / "mine" / "notes.txt").write_text("keep")
    assert main(["train", str(project), "--out", str(project.parent / "mine")]) == 1
    assert "is not empty" in capsys.readouterr().err


def test_resume_with_a_new_lr_trains_at_it_records_it_and_says_so(project, capsys):
    run = project.parent / "first"
    assert main(["train", str(project), "--out", str(run)]) == 0
    more = project.parent / "more"
    args = ["--resume", str(run / "last.pt"), "--lr", "0.1", "--epochs", "4", "--out", str(more)]
    assert main(["train", str(project), *args]) == 0
    out = capsys.readouterr().out
    assert "resuming with lr 0.1 (the checkpoint trained with 0.001)" in out
    with open(more / "metrics.csv", newline="") as f:
        assert [float(r["lr"]) for r in csv.DictReader(f)] == [0.001, 0.001, 0.1, 0.1]
    settings = json.loads((more / "settings.json").read_text())
    assert settings["training"]["lr"] == 0.1
    assert "lr 0.001 → 0.1" in settings["resumed"]["changes"]
    manifest = json.loads((more / "run.json").read_text())
    assert manifest["resumed_from"] == str(run / "last.pt")
    assert load_checkpoint(more / "last.pt")["optimizer"]["param_groups"][0]["lr"] == 0.1


def test_resume_refuses_another_dataset_and_says_what_to_do(project, capsys):
    run = project.parent / "first"
    assert main(["train", str(project), "--out", str(run)]) == 0
    write_csv(project.parent / "other.csv", seed=5)
    write_graph(project, dataset_options={"path": "other.csv"}, epochs=3)
    assert main(["train", str(project), "--resume", str(run / "last.pt")]) == 1
    err = capsys.readouterr().err
    assert "cannot resume with dataset_options.path other.csv" in err
    assert "--weights" in err and "Traceback" not in err
    assert len(list((project.parent / "runs").glob("*"))) == 0  # nothing half-started


def test_evaluate_a_checkpoint_of_another_graph_says_what_differs(project, tmp_path, capsys):
    run = project.parent / "first"
    assert main(["train", str(project), "--out", str(run)]) == 0
    wide = tmp_path / "wide"
    wide.mkdir()
    with open(wide / "data.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow([f"p{i}" for i in range(6)] + ["digit"])
        for i in range(60):
            out.writerow([i % 5 + j for j in range(6)] + [i % 5])
    options = {"path": "data.csv", "task": "classification"}
    other = write_graph(wide / "digits.json", features=6, classes=5, dataset_options=options)
    capsys.readouterr()
    assert main(["evaluate", str(other), str(run / "best.pt")]) == 1
    err = capsys.readouterr().err
    assert "does not fit graph" in err and "trained from graph 'Kinds'" in err
    assert "fc1.weight: checkpoint has shape [8, 4], the model [8, 6]" in err
    assert f"nodeml evaluate {run / 'best.pt'}" in err and "--partial" in err
    assert "partial=True" not in err  # the CLI's way, not the Python API's

    assert main(["evaluate", str(other), str(run / "best.pt"), "--partial"]) == 0
    out = capsys.readouterr().out
    assert "note: the checkpoint was trained with dataset_options.path" in out
    assert "loaded the weights that fit" in out and "csv val split, 12 samples" in out


def test_evaluate_with_the_graph_uses_its_settings_and_reports_the_checkpoints(project, capsys):
    run = project.parent / "first"
    assert main(["train", str(project), "--out", str(run)]) == 0
    write_csv(project.parent / "more.csv", n=300, seed=3)
    write_graph(project, dataset_options={"path": "more.csv"})
    capsys.readouterr()
    assert main(["evaluate", str(project), str(run / "best.pt")]) == 0
    out = capsys.readouterr().out
    assert "trained with dataset_options.path" in out and "more.csv" in out
    assert "csv val split, 60 samples" in out  # the graph's 300 rows, not the checkpoint's 120


def test_weights_start_a_new_run_from_a_checkpoint(project, capsys):
    run = project.parent / "first"
    assert main(["train", str(project), "--out", str(run)]) == 0
    second = project.parent / "second"
    assert (
        main(["train", str(project), "--weights", str(run / "last.pt"), "--out", str(second)]) == 0
    )
    state = load_checkpoint(second / "last.pt")
    assert state["epoch"] == 2 and len(state["history"]) == 2  # a fresh run of its own
    assert main(["train", str(project), "--partial", "--out", str(project.parent / "x")]) == 1
    assert "--partial goes with --weights" in capsys.readouterr().err


def test_piped_output_is_one_plain_line_per_epoch(project, capsys):
    assert main(["train", str(project), "--epochs", "3"]) == 0
    out = capsys.readouterr().out
    assert "\r" not in out and "\x1b" not in out
    lines = out.splitlines()
    assert lines[0].startswith("run folder: ") and lines[0].endswith("(kinds #1)")
    assert [ln.split(",")[0] for ln in lines if ln.startswith("epoch ")] == [
        "epoch 1/3",
        "epoch 2/3",
        "epoch 3/3",
    ]


def test_ctrl_c_stops_after_the_batch_and_keeps_a_resumable_run(project):
    write_csv(project.parent / "data.csv", n=3000)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "nodeml", "train", str(project), "--epochs", "500"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    lines = []
    for line in proc.stdout:  # wait for a finished epoch, then interrupt
        lines.append(line)
        if line.startswith("epoch 1/500"):
            proc.send_signal(signal.SIGINT)
            break
    rest, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "stopped; resume with: nodeml train" in rest
    [run] = (project.parent / "runs").iterdir()
    manifest = json.loads((run / "run.json").read_text())
    assert manifest["status"] == "stopped" and manifest["epochs_done"] >= 1
    assert load_checkpoint(run / "last.pt")["epoch"] == manifest["epochs_done"]


def test_the_checkpoint_carries_the_graph_with_the_settings_it_trained_with(project, capsys):
    run = project.parent / "first"
    assert main(["train", str(project), "--out", str(run), "--lr", "0.005"]) == 0
    carried = load_checkpoint(run / "best.pt")["graph"]
    assert carried["training"]["lr"] == 0.005
    assert carried["training"]["dataset_options"]["path"] == str(project.parent / "data.csv")
    assert json.loads((run / "graph.json").read_text()) == carried


def test_runs_of_a_graph_file_that_does_not_exist_is_an_error_not_an_empty_list(tmp_path, capsys):
    missing = tmp_path / "irsi.json"  # a typo of iris.json
    assert main(["runs", str(missing)]) == 1
    assert main(["runs", str(missing), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "irsi.json: no such graph file" in captured.err


def test_runs_of_a_deleted_graph_are_still_listed(project, capsys):
    assert main(["train", str(project)]) == 0
    project.unlink()  # the runs beside it stay, each with the graph it trained
    capsys.readouterr()
    assert main(["runs", str(project), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
