"""Sizes a machine cannot hold are refused before anything is allocated; JSON of any depth gets
one line, not a RecursionError."""

from __future__ import annotations

import json

import pytest
import torch

from nodeml.cli import main
from nodeml.core import capacity
from nodeml.core.blocks.library import load_library_block
from nodeml.core.compile import compile_graph
from nodeml.core.errors import GraphFormatError, InvalidGraphError, TrainingError
from nodeml.core.serialize import graph_from_json
from nodeml.core.shapes import Inference
from nodeml.core.training import Trainer, TrainingConfig

GB = 10**9


@pytest.fixture
def memory_24gb(monkeypatch):
    monkeypatch.setattr(capacity, "machine_memory", lambda: 24 * GB)


def huge(out_features=10**9, extra_layers=0):
    nodes = [{"id": "x", "type": "Input", "params": {"shape": [8]}}]
    edges = []
    last = "x"
    for i in range(1 + extra_layers):
        nid = f"fc{i + 1}"
        nodes.append({"id": nid, "type": "Linear", "params": {"out_features": out_features}})
        edges.append({"source": last, "target": nid})
        last = nid
    nodes.append({"id": "out", "type": "Output"})
    edges.append({"source": last, "target": "out"})
    return {"format": "nodeml.graph", "version": 1, "name": "Huge", "nodes": nodes, "edges": edges}


def test_check_refuses_a_layer_bigger_than_memory_naming_it_and_its_size(
    memory_24gb, tmp_path, capsys
):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(huge()))
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "node fc1: needs 36 GB of parameters; this machine has 24 GB of memory"
    ]
    assert main(["summary", str(path)]) == 1
    assert "node fc1: needs 36 GB of parameters" in capsys.readouterr().err


def test_train_refuses_it_before_allocating(memory_24gb, tmp_path, capsys):
    data = huge(out_features=10**10)
    data["nodes"][0]["params"]["shape"] = [3]
    data["training"] = {"dataset": "linear3d"}
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data))
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert "node fc1: needs 160 GB of parameters; this machine has 24 GB of memory" in err
    assert "internal error" not in err


def test_many_layers_that_fit_one_by_one_are_refused_together(memory_24gb):
    graph = graph_from_json(json.dumps(huge(out_features=2 * 10**8, extra_layers=4)))
    # fc1: 8 x 2e8; fc2..fc5: 2e8 x 2e8 = 4e16 each: per node far too big already
    problems = Inference(graph).problems()
    assert {p.node for p in problems} == {"fc2", "fc3", "fc4", "fc5"}
    small = graph_from_json(json.dumps(huge(out_features=1024, extra_layers=0)))
    assert Inference(small).problems() == []


def test_the_whole_model_is_refused_when_its_layers_only_fit_alone(monkeypatch):
    monkeypatch.setattr(capacity, "machine_memory", lambda: 100_000)  # 100 KB
    two = {
        "format": "nodeml.graph",
        "version": 1,
        "nodes": [
            {"id": "x", "type": "Input", "params": {"shape": [8]}},
            {"id": "a", "type": "Linear", "params": {"out_features": 2000}},
            {"id": "b", "type": "Linear", "params": {"out_features": 2000}},
            {"id": "out", "type": "Output"},
            {"id": "out2", "type": "Output"},
        ],
        "edges": [
            {"source": "x", "target": "a"},
            {"source": "x", "target": "b"},
            {"source": "a", "target": "out"},
            {"source": "b", "target": "out2"},
        ],
    }
    [problem] = Inference(graph_from_json(json.dumps(two))).problems()
    assert problem.node is None and problem.kind == "size"
    assert str(problem) == (
        "graph: the model needs 144 KB of parameters (36,000 at 4 bytes); this machine has "
        "100 KB of memory"
    )
    with pytest.raises(InvalidGraphError):
        compile_graph(graph_from_json(json.dumps(two)))


def test_training_refuses_weights_gradients_and_optimizer_state_that_cannot_fit(monkeypatch):
    model = torch.nn.Linear(1, 1000)  # 2,000 weights: 8 KB; with Adam 32 KB
    monkeypatch.setattr(capacity, "machine_memory", lambda: 20_000)
    with pytest.raises(TrainingError) as info:
        Trainer(model, TrainingConfig(dataset="linear1d", optimizer="adam"))
    assert str(info.value).startswith(
        "training needs 32 KB for the weights (8 KB), their gradients and adam's state"
    )
    Trainer(model, TrainingConfig(dataset="linear1d", optimizer="sgd"))  # 16 KB: fits


def test_format_bytes():
    assert capacity.format_bytes(32 * GB) == "32 GB"
    assert capacity.format_bytes(1.5e12) == "1.5 TB"
    assert capacity.format_bytes(2.04e9) == "2 GB"
    assert capacity.format_bytes(600) == "600 bytes"


def test_machine_memory_is_known_here():
    memory = capacity.machine_memory()
    assert memory is None or memory > 10**8


# ---- JSON of any depth ---------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [150, 1_000, 100_000])
def test_deeply_nested_graph_json_is_one_line(tmp_path, capsys, depth):
    nested = "[" * depth + "]" * depth
    path = tmp_path / "deep.json"
    path.write_text(
        '{"format": "nodeml.graph", "version": 1, "nodes": [], "training": ' + nested + "}"
    )
    for command in ("check", "summary", "train"):
        assert main([command, str(path)]) == 1
        captured = capsys.readouterr()
        lines = (captured.out + captured.err).strip().splitlines()
        assert len(lines) == 1 and "nests deeper than 100 levels" in lines[0], command


def test_a_graph_nested_as_deep_as_files_really_are_reads():
    graph = graph_from_json(json.dumps({**huge(8), "training": {"a": [[[[[[1]]]]]]}}))
    assert len(graph) == 3


def test_deeply_nested_block_file_is_one_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "nodeml.block", "blocks": ' + "[" * 50_000 + "]" * 50_000 + "}")
    with pytest.raises(GraphFormatError) as info:
        load_library_block(path)
    assert str(info.value).count("\n") == 0 and "nests deeper than 100 levels" in str(info.value)
