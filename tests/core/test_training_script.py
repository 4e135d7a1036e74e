"""nodeml export --with-training: a standalone train.py, single-process and under torchrun (DDP, gloo)."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import nodeml
from nodeml.core.exporting import ExportError
from nodeml.core.exporting.training_script import training_script
from nodeml.core.interop_commands import add_commands

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_graphs"
TORCHRUN = Path(sys.executable).with_name("torchrun")
QUICK = ["--epochs", "1", "--samples", "48", "--batch-size", "8"]

WRAPPER = """
import os, sys
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train
model = train.main(sys.argv[1:])
torch.save(model.state_dict(), f"rank{os.environ.get('RANK', '0')}.pt")
"""


def write_script(tmp_path: Path, sample: str) -> Path:
    path = tmp_path / "train.py"
    path.write_text(training_script(nodeml.load_graph(SAMPLES / f"{sample}.json")))
    return path


def run_python(
    script: Path, *args: str, launcher: list[str] | None = None
) -> subprocess.CompletedProcess:
    # a clean environment without nodeml on the path: the script must stand alone
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["PYTHONNOUSERSITE"] = "1"
    cmd = [*(launcher or [sys.executable]), str(script), *args]
    result = subprocess.run(
        cmd, cwd=script.parent, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"exported_train_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_argparse_defaults_mirror_the_training_section(tmp_path):
    train = load_module(write_script(tmp_path, "linear_regression"))
    args = train.parse_args([])
    assert (args.epochs, args.batch_size, args.lr, args.optimizer) == (20, 32, 0.1, "sgd")
    assert train.TASK == "regression" and train.INPUT_SHAPE == (1,)
    assert "loss_fn = nn.MSELoss()" in (tmp_path / "train.py").read_text()
    lenet = load_module(write_script(tmp_path, "lenet")).parse_args([])
    assert (lenet.epochs, lenet.batch_size, lenet.lr, lenet.optimizer) == (5, 64, 0.001, "adam")


def test_the_model_class_is_the_exported_code(tmp_path):
    graph = nodeml.load_graph(SAMPLES / "lenet.json")
    script = write_script(tmp_path, "lenet").read_text()
    exported = nodeml.export_code(graph)
    class_block = exported[exported.index("class LeNet") : exported.index("\n\nif __name__")]
    assert class_block in script


def test_single_process_run_writes_a_checkpoint_the_graph_loads(tmp_path):
    script = write_script(tmp_path, "lenet")
    result = run_python(script, *QUICK)
    assert "epoch 1/1  train loss" in result.stdout and "val accuracy" in result.stdout
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    assert state["epoch"] == 1 and state["optimizer"]["state"]
    nodeml.compile_graph(nodeml.load_graph(SAMPLES / "lenet.json")).load_state_dict(state["model"])
    # --resume carries on after the saved epoch
    resumed = run_python(script, *QUICK[2:], "--epochs", "2", "--resume")
    assert "epoch 1/2" not in resumed.stdout and "epoch 2/2" in resumed.stdout


def test_token_inputs_and_a_data_file(tmp_path):
    script = write_script(tmp_path, "lstm_text_classifier")
    torch.save(
        {"x": torch.randint(0, 32, (40, 16)), "y": torch.randint(0, 4, (40,))}, tmp_path / "data.pt"
    )
    result = run_python(script, *QUICK, "--data", "data.pt")
    assert "epoch 1/1" in result.stdout


def test_two_processes_on_gloo_end_with_equal_weights(tmp_path):
    write_script(tmp_path, "two_branch_concat")
    wrapper = tmp_path / "run_and_save.py"
    wrapper.write_text(WRAPPER)
    launcher = [str(TORCHRUN), "--nproc_per_node=2", "--standalone"]
    result = run_python(wrapper, *QUICK, launcher=launcher)
    assert result.stdout.count("epoch 1/1") == 1  # rank 0 reports for both
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in (0, 1)]
    torch.manual_seed(0)
    initial = load_module(tmp_path / "train.py").TwoBranchConcat().state_dict()
    for key, value in ranks[0].items():
        if torch.is_tensor(value):
            assert torch.equal(value, ranks[1][key]), key
        else:  # the class names (extra state), the same on both ranks
            assert value == ranks[1][key], key
    tensors = [k for k in initial if torch.is_tensor(initial[k])]
    assert any(not torch.equal(ranks[0][k], initial[k]) for k in tensors)  # it did train


def test_graphs_with_several_outputs_are_refused():
    graph = nodeml.load_graph(SAMPLES / "lenet.json")
    graph.add_node(nodeml.Node("features", "Output"))
    graph.connect(nodeml.Edge("fc2", "features"))
    with pytest.raises(
        ExportError, match="exactly one Input and one Output node; this graph has 1 and 2"
    ):
        training_script(graph)


def test_export_command_with_training(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    out = tmp_path / "train.py"
    args = parser.parse_args(
        ["export", str(SAMPLES / "lenet.json"), "--with-training", "-o", str(out)]
    )
    assert args.func(args) == 0
    assert "torchrun --nproc_per_node=N" in capsys.readouterr().out
    assert load_module(out).parse_args(["--epochs", "3"]).epochs == 3


def test_the_docstring_runs_the_script_by_the_name_it_was_saved_under(tmp_path):
    import ast

    from nodeml.cli import main

    out = tmp_path / "train_lenet.py"
    assert main(["export", str(SAMPLES / "lenet.json"), "-o", str(out), "--with-training"]) == 0
    doc = ast.get_docstring(ast.parse(out.read_text(encoding="utf-8")))
    commands = [line.split("#")[0].strip() for line in doc.splitlines() if "#" in line]
    assert commands == [
        "python train_lenet.py",
        "torchrun --nproc_per_node=N train_lenet.py",
        "python train_lenet.py --data data.pt",
        "python train_lenet.py --resume",
    ]
    assert len({line.index("#") for line in doc.splitlines() if "#" in line}) == 1  # aligned
    odd = training_script(nodeml.load_graph(SAMPLES / "lenet.json"), filename='my "net"\\v2.py')
    doc = ast.get_docstring(ast.parse(odd))  # the name cannot break the script's docstring
    assert "python 'my \"net\"\\v2.py' --resume" in doc


def test_the_script_fits_the_standardisation_and_keeps_the_class_names(tmp_path):
    """As nodeml's Trainer does: mean and std of the script's training split, the class names
    from the data file; a resumed run keeps both."""
    script = write_script(tmp_path, "quickstart_mlp")
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(40, 1, 28, 28, generator=gen) * 0.5 + 0.2
    classes = [f"shape {i}" for i in range(10)]
    torch.save({"x": x, "y": torch.arange(40) % 10, "classes": classes}, tmp_path / "data.pt")
    run_python(script, *QUICK, "--data", "data.pt", "--val-split", "0")
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=True)["model"]
    assert state["_extra_state"] == {"classes": classes}
    torch.testing.assert_close(state["image_mean"].flatten(), x.mean().reshape(1))
    torch.testing.assert_close(state["image_std"].flatten(), x.std().reshape(1))
    torch.save({"x": x * 3, "y": torch.arange(40) % 10, "classes": []}, tmp_path / "data.pt")
    run_python(script, *QUICK[2:], "--epochs", "2", "--resume", "--data", "data.pt")
    again = torch.load(tmp_path / "checkpoint.pt", weights_only=True)["model"]
    assert torch.equal(again["image_mean"], state["image_mean"])
    assert again["_extra_state"] == {"classes": classes}
