"""`nodeml train --nproc N`: the exported training script under torchrun, 2 CPU processes on gloo."""

from __future__ import annotations

import json
import sys

import torch

from nodeml.cli import main
from nodeml.core.compile import compile_graph
from nodeml.core.serialize import load_graph
from nodeml.core.training.distributed import torchrun_command


def write_graph(path):
    """Moons through a frozen first layer and a trainable head; 64 samples, so it is quick."""
    path.write_text(
        json.dumps(
            {
                "format": "nodeml.graph",
                "version": 1,
                "name": "Moons",
                "nodes": [
                    {"id": "x", "type": "Input", "params": {"shape": [2]}},
                    {
                        "id": "body",
                        "type": "Linear",
                        "params": {"out_features": 16},
                        "trainable": False,
                    },
                    {"id": "act", "type": "ReLU"},
                    {"id": "head", "type": "Linear", "params": {"out_features": 2}},
                    {"id": "out", "type": "Output"},
                ],
                "edges": [
                    {"source": "x", "target": "body"},
                    {"source": "body", "target": "act"},
                    {"source": "act", "target": "head"},
                    {"source": "head", "target": "out"},
                ],
                "training": {
                    "dataset": "moons",
                    "dataset_options": {"n": 64},
                    "optimizer": "sgd",
                    "lr": 0.5,
                    "epochs": 3,
                    "batch_size": 8,
                },
            }
        )
    )
    return path


def test_two_processes_train_into_the_run_folder(tmp_path, capsys):
    graph_file = write_graph(tmp_path / "moons.json")
    run = tmp_path / "run"
    assert main(["train", str(graph_file), "--nproc", "2", "--epochs", "1", "--out", str(run)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"torchrun: 2 processes in {run}\n")
    assert out.count("epoch 1/1") == 1  # rank 0 reports for both
    assert out.rstrip().endswith(f"run folder: {run}")
    assert sorted(p.name for p in run.iterdir()) == ["checkpoint.pt", "data.pt", "train.py"]

    data = torch.load(run / "data.pt", weights_only=True)
    assert data["x"].shape == (64, 2) and data["y"].dtype == torch.long
    state = torch.load(run / "checkpoint.pt", weights_only=True)
    assert state["epoch"] == 1
    graph = load_graph(graph_file)
    torch.manual_seed(0)  # the script seeds with the graph's seed (0 when unset) before building
    initial = compile_graph(graph)
    compile_graph(graph).load_state_dict(state["model"])  # the graph's own module loads it
    assert torch.equal(state["model"]["body.weight"], initial.body.weight)  # frozen stays
    assert not torch.equal(state["model"]["head.weight"], initial.head.weight)  # the head trained


def test_torchrun_is_started_as_a_module_of_this_python(tmp_path):
    command = torchrun_command(tmp_path / "train.py", 4, ["--epochs", "2"])
    assert command == [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=4",
        str(tmp_path / "train.py"),
        "--epochs",
        "2",
    ]


def test_nproc_refuses_what_it_cannot_do(tmp_path, capsys):
    graph_file = write_graph(tmp_path / "moons.json")
    assert main(["train", str(graph_file), "--nproc", "0", "--out", str(tmp_path / "r")]) == 1
    assert "nodeml train: --nproc must be at least 1, got 0" in capsys.readouterr().err
    assert main(["train", str(graph_file), "--nproc", "2", "--resume", "last.pt"]) == 1
    assert "--resume continues a one-process run" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
