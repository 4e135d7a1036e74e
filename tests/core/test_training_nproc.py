"""`nodeml train --nproc P` (and --nnodes): torchrun starting nodeml's own trainer in every
process, gloo on this machine's CPU; the run folder as one process writes it, no copy of the data."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import torch
from ddp_support import free_port  # tests/core is on sys.path under pytest
from PIL import Image, ImageDraw

from nodeml.cli import main
from nodeml.core.compile import compile_graph
from nodeml.core.serialize import load_graph
from nodeml.core.training.commands import _train_actions, add_commands
from nodeml.core.training.launcher import Launch, torchrun_command, worker_args
from nodeml.core.training.live import Command, EventReader, RunFailed, send_command
from nodeml.core.training.run_folder import read_manifest
from nodeml.core.training.run_registry import read_metrics

ROOT = Path(__file__).resolve().parents[2]
RUN_FILES = {
    "run.json",
    "graph.json",
    "settings.json",
    "metrics.csv",
    "last.pt",
    "best.pt",
    "events.jsonl",
    "node_stats.csv",
}
WAIT_S = 600  # a loaded machine starts torch slowly; the tests wait on conditions, not time


def edge(a: str, b: str) -> dict:
    return {"source": a, "target": b}


def write_graph(path: Path, nodes: list[dict], edges: list[dict], training: dict) -> Path:
    graph = {"format": "nodeml.graph", "version": 1, "name": path.stem, "nodes": nodes}
    path.write_text(json.dumps({**graph, "edges": edges, "training": training}))
    return path


def shapes_folder(root: Path, per_class: int = 10) -> Path:
    """PNGs of three classes of coloured shapes, at random places and sizes."""
    gen = torch.Generator().manual_seed(0)
    for kind, colour in (("disk", "red"), ("square", "green"), ("triangle", "blue")):
        (root / kind).mkdir(parents=True)
        for i in range(per_class):
            image = Image.new("RGB", (20, 20), "black")
            x, y, r = (int(v) for v in torch.randint(5, 10, (3,), generator=gen))
            draw = ImageDraw.Draw(image)
            if kind == "disk":
                draw.ellipse((x - r // 2, y - r // 2, x + r // 2, y + r // 2), fill=colour)
            elif kind == "square":
                draw.rectangle((x - r // 2, y - r // 2, x + r // 2, y + r // 2), fill=colour)
            else:
                draw.polygon(
                    [(x, y - r // 2), (x - r // 2, y + r // 2), (x + r // 2, y + r // 2)],
                    fill=colour,
                )
            image.save(root / kind / f"{i}.png")
    return root


def image_graph(tmp_path: Path, **training) -> Path:
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [3, 16, 16]}},
        {"id": "conv", "type": "Conv2d", "params": {"out_channels": 4, "kernel_size": 3}},
        {"id": "act", "type": "ReLU"},
        {"id": "flat", "type": "Flatten"},
        {"id": "head", "type": "Linear", "params": {"out_features": 3}},
        {"id": "out", "type": "Output"},
    ]
    edges = [edge("x", "conv"), edge("conv", "act"), edge("act", "flat"), edge("flat", "head")]
    options = {"root": "shapes", "image_size": 16, "channels": 3}
    settings = {"dataset": "image_folder", "dataset_options": options, "epochs": 2}
    settings.update(batch_size=4, optimizer="sgd", lr=0.05, num_workers=1, **training)
    shapes_folder(tmp_path / "shapes")
    return write_graph(tmp_path / "shapes.json", nodes, [*edges, edge("head", "out")], settings)


def moons_graph(path: Path, **training) -> Path:
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [2]}},
        {"id": "body", "type": "Linear", "params": {"out_features": 16}},
        {"id": "act", "type": "ReLU"},
        {"id": "head", "type": "Linear", "params": {"out_features": 2}},
        {"id": "out", "type": "Output"},
    ]
    edges = [edge("x", "body"), edge("body", "act"), edge("act", "head"), edge("head", "out")]
    settings = {"dataset": "moons", "dataset_options": {"n": 200}, "epochs": 2, "batch_size": 8}
    return write_graph(path, nodes, edges, {**settings, "optimizer": "sgd", "lr": 0.5, **training})


def dropout_moons(path: Path, **training) -> Path:
    """moons_graph with a Dropout before its head: every process's random draws matter."""
    graph_file = moons_graph(path, seed=5, **training)
    graph = json.loads(graph_file.read_text())
    graph["nodes"].insert(3, {"id": "drop", "type": "Dropout", "params": {"p": 0.3}})
    graph["edges"][2:3] = [edge("act", "drop"), edge("drop", "head")]
    graph_file.write_text(json.dumps(graph))
    return graph_file


def nodeml(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    """``python -m nodeml ARGS`` in its own session (a Ctrl-C is sent to it alone)."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "nodeml", *args],
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kwargs,
    )


def wait_for_feed(run: Path, proc: subprocess.Popen, sign: str = '"Steps"') -> None:
    """Until the run's live feed holds ``sign`` (by default: trained batches), or the launcher
    ends."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and proc.poll() is None:
        events = run / "events.jsonl"
        if events.exists() and sign in events.read_text():
            return
        time.sleep(0.2)
    raise AssertionError(f"no {sign} in the live feed: {proc.communicate(timeout=60)}")


def wait_for_steps(run: Path, proc: subprocess.Popen) -> None:
    wait_for_feed(run, proc)


def train_quietly(*args: str) -> None:
    proc = nodeml("train", *args)
    out, err = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 0, out + err


def workers_of(token: str) -> dict[int, int]:
    """rank -> pid of the processes started with NODEML_TEST_RUN=token in their environment."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if f"NODEML_TEST_RUN={token}".encode() in environ:
            ranks = [v for v in environ if v.startswith(b"RANK=")]
            if ranks:
                found[int(ranks[0][5:])] = int(entry.name)
    return found


# ---- the held-out story ----------------------------------------------------------------------
def test_image_folder_in_two_processes_leaves_the_run_folder_of_one_and_no_copy_of_the_data(
    tmp_path, capsys
):
    graph_file = image_graph(tmp_path)
    code = main(["train", str(graph_file), "--nproc", "2", "--name", "two", "--lr", "0.02"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    (run,) = (tmp_path / "runs").iterdir()
    assert {p.name for p in run.iterdir()} == RUN_FILES  # no data.pt, no train.py
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs", "shapes", "shapes.json"]
    assert out.startswith("torchrun: 2 processes on this machine\n")
    assert out.count("epoch 2/2, train loss") == 1  # process 0 speaks for both
    assert "training on 2 processes, each on cpu" in out
    manifest = read_manifest(run)
    assert (manifest.status.value, manifest.world_size, manifest.name) == ("finished", 2, "two")
    assert manifest.epochs_done == 2
    settings = json.loads((run / "settings.json").read_text())
    assert settings["world_size"] == 2 and settings["training"]["lr"] == 0.02
    assert len((run / "metrics.csv").read_text().splitlines()) == 3  # header + 2 epochs
    checkpoint = torch.load(run / "last.pt", weights_only=True)
    assert not any(k.startswith("module.") for k in checkpoint["model"])
    compile_graph(load_graph(graph_file)).load_state_dict(checkpoint["model"])
    assert checkpoint["world_size"] == 2 and len(checkpoint["rng_ranks"]) == 2
    events = EventReader(run / "events.jsonl").read()
    assert type(events[0]).__name__ == "RunStarted" and events[0].world_size == 2
    assert type(events[-1]).__name__ == "Finished"

    # one process continues it (from the epoch's end: nothing to say about samples)
    code = main(["train", str(graph_file), "--resume", str(run / "last.pt"), "--epochs", "3"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "note: resuming with 1 process (the checkpoint trained with 2)" in out
    assert "resuming after epoch 2" in out  # from the epoch boundary the checkpoint was taken at
    resumed = max((tmp_path / "runs").iterdir())
    assert read_manifest(resumed).epochs_done == 3 and read_manifest(resumed).world_size == 1
    assert {p.name for p in resumed.iterdir()} == RUN_FILES  # the same layout, either way
    changes = json.loads((resumed / "settings.json").read_text())["resumed"]["changes"]
    assert "processes 2 → 1" in changes

    # the Runs list shows both, the torchrun job's as such
    assert main(["runs", str(graph_file)]) == 0
    listed = capsys.readouterr().out
    assert "two  finished  2/2 epochs on 2 processes  best val_loss" in listed
    assert f"    {run}\n" in listed and f"    {resumed}\n" in listed


def test_two_nodes_on_this_machine_train_one_run_written_by_node_0(tmp_path):
    graph_file = moons_graph(tmp_path / "moons.json")
    endpoint = f"127.0.0.1:{free_port()}"
    run = tmp_path / "run"
    common = [
        "train",
        str(graph_file),
        "--nproc",
        "1",
        "--nnodes",
        "2",
        "--rdzv-endpoint",
        endpoint,
    ]
    node0 = nodeml(*common, "--node-rank", "0", "--out", str(run))
    node1 = nodeml(*common, "--node-rank", "1")
    out0, err0 = node0.communicate(timeout=WAIT_S)
    out1, err1 = node1.communicate(timeout=WAIT_S)
    assert node0.returncode == 0, out0 + err0
    assert node1.returncode == 0, out1 + err1
    assert "torchrun: 1 process on node 0 of 2" in out0 and "epoch 2/2" in out0
    assert out1 == "torchrun: 1 process on node 1 of 2\n"  # its process trains, silently
    manifest = read_manifest(run)
    assert (manifest.status.value, manifest.world_size, manifest.epochs_done) == ("finished", 2, 2)
    assert not (tmp_path / "runs").exists()  # node 1 wrote no folder of its own


# ---- control and failure --------------------------------------------------------------------------
def test_ctrl_c_on_the_launcher_stops_every_process_at_the_same_step(tmp_path):
    graph_file = moons_graph(tmp_path / "moons.json", dataset_options={"n": 50000}, epochs=20)
    run = tmp_path / "run"
    launcher = nodeml("train", str(graph_file), "--nproc", "2", "--out", str(run))
    wait_for_steps(run, launcher)
    launcher.send_signal(signal.SIGINT)
    out, err = launcher.communicate(timeout=WAIT_S)
    assert launcher.returncode == 0, out + err  # every process ended well: they agreed
    assert "stopping every process after this batch (Ctrl-C again to abort)" in out
    assert f"stopped; resume with: nodeml train {graph_file} --resume {run / 'last.pt'}" in out
    assert read_manifest(run).status.value == "stopped"
    checkpoint = torch.load(run / "last.pt", weights_only=True)
    assert checkpoint["epoch"] == 0 and 0 < checkpoint["samples_in_epoch"] < 40000
    assert checkpoint["step"] * 2 * 8 == checkpoint["samples_in_epoch"]  # every process's steps


def test_the_control_file_pauses_and_stops_every_process_and_as_many_resume_exactly(tmp_path):
    """What the app's Pause and Stop do: write the run folder's control file (process 0 reads
    it, all of them agree). The same number of processes then continues exactly where an
    uninterrupted run would be: same weights, same numbers."""
    graph_file = dropout_moons(
        tmp_path / "moons.json", dataset_options={"n": 40000}, batch_size=32, epochs=50
    )
    run, token = tmp_path / "run", uuid.uuid4().hex
    launcher = nodeml(
        "train", str(graph_file), "--nproc", "2", "--out", str(run), env={"NODEML_TEST_RUN": token}
    )
    wait_for_steps(run, launcher)
    send_command(run, Command.PAUSE)
    wait_for_feed(run, launcher, '"state": "paused"')
    assert len(workers_of(token)) == 2  # both wait, neither has ended
    send_command(run, Command.STOP)
    out, err = launcher.communicate(timeout=WAIT_S)
    assert launcher.returncode == 0, out + err  # every process ended well: they agreed
    assert workers_of(token) == {}
    assert read_manifest(run).status.value == "stopped"
    stopped = torch.load(run / "last.pt", weights_only=True)
    assert stopped["epoch"] < 50 and stopped["world_size"] == 2
    epochs = str(stopped["epoch"] + 1)  # the epoch under way, finished

    common = ["--nproc", "2", "--epochs", epochs, "--no-node-stats"]
    resume = ["--resume", str(run / "last.pt")]
    train_quietly(str(graph_file), *common, *resume, "--out", str(tmp_path / "resumed"))
    train_quietly(str(graph_file), *common, "--out", str(tmp_path / "whole"))
    resumed = torch.load(tmp_path / "resumed" / "last.pt", weights_only=True)
    whole = torch.load(tmp_path / "whole" / "last.pt", weights_only=True)
    assert resumed["step"] == whole["step"]
    for key, value in whole["model"].items():
        if torch.is_tensor(value):
            assert torch.equal(resumed["model"][key], value), key
    rows = [read_metrics(tmp_path / folder)[-1] for folder in ("resumed", "whole")]
    for key in ("train_loss", "val_loss", "val_accuracy"):  # the stopped epoch's sums kept
        assert float(rows[0][key]) == pytest.approx(float(rows[1][key]), rel=1e-9), key


def test_a_process_killed_mid_run_ends_the_run_with_a_clear_error(tmp_path):
    graph_file = moons_graph(tmp_path / "moons.json", dataset_options={"n": 50000}, epochs=20)
    run, token = tmp_path / "run", uuid.uuid4().hex
    launcher = nodeml(
        "train", str(graph_file), "--nproc", "2", "--out", str(run), env={"NODEML_TEST_RUN": token}
    )
    wait_for_steps(run, launcher)
    os.kill(workers_of(token)[1], signal.SIGKILL)
    out, err = launcher.communicate(timeout=WAIT_S)
    assert launcher.returncode == 1
    reason = "process 1 was ended by SIGKILL before it could say why"
    assert f"nodeml train: the run failed: {reason}; every process of it was ended" in err
    assert "Traceback" not in err and "torch.distributed" not in err  # torchrun's log kept back
    manifest = read_manifest(run)
    assert manifest.status.value == "failed" and manifest.error == reason
    failures = [e for e in EventReader(run / "events.jsonl").read() if isinstance(e, RunFailed)]
    assert failures[-1].error.message == reason


def test_a_graph_with_an_unused_layer_trains_in_two_processes(tmp_path, capsys):
    graph_file = moons_graph(tmp_path / "moons.json")
    graph = json.loads(graph_file.read_text())
    graph["nodes"].append({"id": "spare", "type": "Linear", "params": {"out_features": 5}})
    graph["edges"].append(edge("act", "spare"))  # computed from the input, never used
    graph_file.write_text(json.dumps(graph))
    code = main(["train", str(graph_file), "--nproc", "2", "--out", str(tmp_path / "run")])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert read_manifest(tmp_path / "run").status.value == "finished"


# ---- the launcher itself -------------------------------------------------------------------------
def parse_train(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(["train", *argv])


def test_every_train_option_but_the_launch_ones_reaches_the_processes():
    argv = [
        "g.json", "--dataset", "spirals", "--epochs", "3", "--batch-size", "16", "--lr", "0.1",
        "--optimizer", "sgd", "--device", "cpu", "--seed", "7", "--out", "r", "--name", "a b",
        "--note", "x", "--tensorboard", "--no-node-stats", "--backend", "gloo",
    ]  # fmt: skip
    args = parse_train([*argv, "--nproc", "2", "--nnodes", "2", "--node-rank", "1",
                        "--rdzv-endpoint", "h:1"])  # fmt: skip
    forwarded = worker_args(args, _train_actions())
    again = parse_train(forwarded)
    expected = vars(parse_train(argv))
    assert vars(again) == expected  # nothing lost, nothing added
    assert not {"--nproc", "--nnodes", "--node-rank", "--rdzv-endpoint"} & set(forwarded)
    # whatever options the train command has (another one may be added), each is passed on
    for action in _train_actions():
        if action.option_strings and action.dest not in ("help", "nproc", "nnodes", "node_rank",
                                                          "rdzv_endpoint"):  # fmt: skip
            assert action.dest in vars(again)


def test_torchrun_runs_nodeml_train_standalone_or_with_node_0_as_the_rendezvous():
    alone = torchrun_command(Launch(4), ["g.json"])
    assert alone == [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node=4",
                     "--standalone", "--module", "nodeml", "train", "g.json"]  # fmt: skip
    node = torchrun_command(Launch(2, 3, 1, "10.0.0.1:29500"), ["g.json"])
    assert node[4:8] == ["--nnodes=3", "--node-rank=1", "--rdzv-backend=static",
                         "--rdzv-endpoint=10.0.0.1:29500"]  # fmt: skip


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--nproc", "0"], "--nproc must be at least 1, got 0"),
        (["--nproc", "2", "--nnodes", "2"], "--nnodes above 1 needs --rdzv-endpoint HOST:PORT"),
        (
            ["--nnodes", "2", "--rdzv-endpoint", "h:1", "--node-rank", "2"],
            "--node-rank must be from 0 to 1 (--nnodes 2), got 2",
        ),  # fmt: skip
        (["--nproc", "2", "--rdzv-endpoint", "nohost"], "--rdzv-endpoint must be HOST:PORT"),
    ],
)
def test_launch_options_are_checked_before_anything_starts(tmp_path, capsys, flags, message):
    graph_file = moons_graph(tmp_path / "moons.json")
    assert main(["train", str(graph_file), *flags]) == 1
    assert f"nodeml train: {message}" in capsys.readouterr().err
    assert not (tmp_path / "runs").exists()


def test_nccl_without_a_gpu_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    graph_file = moons_graph(tmp_path / "moons.json")
    assert main(["train", str(graph_file), "--nproc", "2", "--backend", "nccl"]) == 1
    assert (
        "--backend nccl needs CUDA GPUs; on the CPU, use --backend gloo" in capsys.readouterr().err
    )


def test_a_process_of_a_torchrun_job_refuses_to_launch_another(tmp_path, capsys, monkeypatch):
    for name, value in {"RANK": "0", "WORLD_SIZE": "2", "LOCAL_RANK": "0"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", "1")
    graph_file = moons_graph(tmp_path / "moons.json")
    assert main(["train", str(graph_file), "--nproc", "2"]) == 1
    assert "this is already a process of a torchrun job" in capsys.readouterr().err
