"""`nodeml train` and `nodeml evaluate` end to end on a graph file written by the test."""

from __future__ import annotations

import io
import json
import os
import re

import pytest
import torch

from nodeml.cli import main
from nodeml.core.checkpoint import load_checkpoint
from nodeml.core.compile import export_code
from nodeml.core.serialize import load_graph
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.progress import ProgressBar

# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def write_graph(path, training, shape=(1,)):
    path.write_text(
        json.dumps(
            {
                "format": "nodeml.graph",
                "version": 1,
                "name": "Line",
                "nodes": [
                    {"id": "x", "type": "Input", "params": {"shape": list(shape)}},
                    {"id": "fc", "type": "Linear", "params": {"out_features": 1}},
                    {"id": "out", "type": "Output"},
                ],
                "edges": [{"source": "x", "target": "fc"}, {"source": "fc", "target": "out"}],
                "training": training,
            }
        )
    )
    return path


def test_train_uses_the_graph_training_section_and_writes_a_run(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the run goes beside the graph, not into the working directory
    graph = write_graph(
        tmp_path / "line.json", {"dataset": "linear1d", "optimizer": "sgd", "lr": 0.1, "epochs": 50}
    )
    assert main(["train", str(graph), "--epochs", "8"]) == 0
    out = capsys.readouterr().out
    assert "training on cpu" in out and "epoch 8/8" in out and "completed: 8 epochs" in out
    assert list(elsewhere.iterdir()) == []
    [run] = (tmp_path / "runs").iterdir()
    assert run.name.startswith("line-")  # the graph file's stem
    assert {p.name for p in run.iterdir()} == {
        "run.json",
        "graph.json",
        "settings.json",
        "metrics.csv",
        "last.pt",
        "best.pt",
        "node_stats.csv",
        "events.jsonl",
    }
    last = load_checkpoint(run / "last.pt")
    assert last["model"]["fc.weight"].item() == pytest.approx(2.0, abs=0.05)
    assert last["model"]["fc.bias"].item() == pytest.approx(1.0, abs=0.05)
    assert last["graph"]["name"] == "Line" and last["training"]["epochs"] == 8

    # the checkpoint's weights load into the exported standalone code, as a user would use them
    namespace: dict = {}
    exec(export_code(load_graph(graph)), namespace)  # noqa: S102 - nodeml's own generated code
    exported = namespace["Line"]()
    exported.load_state_dict(last["model"])
    assert exported(torch.tensor([[3.0]])).item() == pytest.approx(7.0, abs=0.2)

    assert main(["evaluate", str(graph), str(run / "best.pt")]) == 0
    report = capsys.readouterr().out
    assert "linear1d test split, 200 samples" in report
    mae = float(report.split("mae:")[1].split()[0])
    assert mae < 0.15


def test_resume_continues_to_the_requested_epochs(tmp_path, capsys):
    graph = write_graph(tmp_path / "line.json", {"dataset": "linear1d", "epochs": 2})
    first = tmp_path / "first"
    assert main(["train", str(graph), "--out", str(first)]) == 0
    assert (
        main(
            [
                "train",
                str(graph),
                "--resume",
                str(first / "last.pt"),
                "--epochs",
                "3",
                "--out",
                str(tmp_path / "more"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "resuming after epoch 2" in out and "epoch 3/3" in out
    assert load_checkpoint(tmp_path / "more" / "last.pt")["epoch"] == 3
    assert main(["train", str(graph), "--resume", str(first / "last.pt")]) == 1
    assert "already trained 2 epochs; ask for more with --epochs" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "training", "message"),
    [
        (
            ["--lr", "-1"],
            {"dataset": "linear1d"},
            "nodeml train: training.lr: must be a number > 0",
        ),
        (["--dataset", "shapes"], {"dataset": "linear1d"}, "set its shape to [1, 28, 28]"),
        ([], {"dataset": "linear1d", "optimiser": "sgd"}, "did you mean 'optimizer'"),
        (["--device", "cuda"], {"dataset": "linear1d"}, "training.device"),
    ],
)
def test_user_errors_are_one_clear_line_and_exit_1(
    tmp_path, capsys, monkeypatch, args, training, message
):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    graph = write_graph(tmp_path / "g.json", training)
    assert main(["train", str(graph), "--out", str(tmp_path / "run"), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_evaluate_refuses_a_hostile_checkpoint(tmp_path, capsys):
    graph = write_graph(tmp_path / "g.json", {"dataset": "linear1d"})
    evil = tmp_path / "evil.pt"
    torch.save({"model": {}, "x": _Payload(tmp_path / "pwned")}, evil)
    assert main(["evaluate", str(graph), str(evil)]) == 1
    err = capsys.readouterr().err
    assert "nothing in it was run" in err and "Traceback" not in err
    assert not (tmp_path / "pwned").exists()


def test_a_terminal_gets_a_live_bar_over_the_whole_run_with_eta_and_loss():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    config = {"dataset": "spirals", "dataset_options": {"n": 400}, "epochs": 2, "batch_size": 32}
    trainer = Trainer(model, TrainingConfig(**config))
    out = io.StringIO()
    ProgressBar(trainer, out, live=True)
    trainer.run()
    text = out.getvalue()
    # 320 training samples: 10 batches an epoch, 20 in the run; ETA as tqdm writes it ("<00:01")
    assert re.search(r"epoch [12]/2: +\d+%\|.*\| *\d+/20 \[\d\d:\d\d<\d\d:\d\d", text)
    assert re.search(r"loss \d\.\d{4}", text)
    assert "epoch 1/2, train loss" in text and "epoch 2/2, train loss" in text
