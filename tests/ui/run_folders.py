"""Shared setup for the Runs panel tests (no tests here): run folders made by ``nodeml train``."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

from nodeml.cli import main as cli_main
from nodeml.core.training.run_folder import (
    RunStatus,
    process_start_token,
    read_manifest,
    write_manifest,
)

GRAPH = {
    "format": "nodeml.graph",
    "version": 1,
    "name": "line",
    "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [1]}, "pos": [0, 0]},
        {"id": "fc", "type": "Linear", "params": {"out_features": 1}, "pos": [220, 0]},
        {"id": "y", "type": "Output", "pos": [440, 0]},
    ],
    "edges": [{"source": "x", "target": "fc"}, {"source": "fc", "target": "y"}],
    "training": {"dataset": "linear1d", "optimizer": "SGD", "lr": 0.1, "epochs": 2},
}


def train(graph_file: Path, *flags: str) -> None:
    """``nodeml train GRAPH --epochs 2`` in this process (a run folder beside the graph)."""
    code = cli_main(["train", str(graph_file), "--epochs", "2", "--no-node-stats", *flags])
    assert code == 0


def make_graph(folder: Path, name: str = "line") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(GRAPH), encoding="utf-8")
    return path


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a graph folder with its runs; the runs' records follow it (they name the graph
    file they trained, which is now the copy)."""
    shutil.copytree(source, target)
    graph = target / "line.json"
    for run in sorted((target / "runs").iterdir()):
        manifest = read_manifest(run)
        if manifest is not None and manifest.graph_file is not None:
            manifest.graph_file = str((target / Path(manifest.graph_file).name).resolve())
            write_manifest(run, manifest)
    return graph


def mark_running(run: Path, epochs_done: int | None = None) -> None:
    """Say the run is training in this process (alive, on this host)."""
    manifest = read_manifest(run)
    assert manifest is not None
    manifest.status, manifest.ended = RunStatus.RUNNING, None
    if epochs_done is not None:
        manifest.epochs_done = epochs_done
    manifest.pid, manifest.host = os.getpid(), socket.gethostname()
    manifest.process_start = process_start_token(os.getpid())
    write_manifest(run, manifest)


def runs_of(graph: Path) -> list[Path]:
    return sorted(p for p in (graph.parent / "runs").iterdir() if p.is_dir())
