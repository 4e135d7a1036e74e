"""Compile what reaches an Output: unused nodes are warnings, left out of the model; with several
Outputs the training section names the one to train."""

from __future__ import annotations

import json

import pytest
import torch

from nodeml.cli import main
from nodeml.core.blocks.grouping import group_into_block
from nodeml.core.compile import compile_graph, export_code
from nodeml.core.errors import Severity
from nodeml.core.graph import Edge, Node
from nodeml.core.serialize import load_graph
from nodeml.core.shapes import Inference
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.config import ConfigError
from nodeml.core.training.evaluation import evaluate_model

# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


GRAPH = {
    "format": "nodeml.graph",
    "version": 1,
    "name": "Moons",
    "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [2]}},
        {"id": "body", "type": "Linear", "params": {"out_features": 16}},
        {"id": "act", "type": "ReLU"},
        {"id": "head", "type": "Linear", "params": {"out_features": 2}},
        {"id": "out", "type": "Output"},
        {"id": "spare", "type": "Linear", "params": {"out_features": 7}},
    ],
    "edges": [
        {"source": "x", "target": "body"},
        {"source": "body", "target": "act"},
        {"source": "act", "target": "head"},
        {"source": "head", "target": "out"},
        {"source": "act", "target": "spare"},
    ],
    "training": {
        "dataset": "moons",
        "dataset_options": {"n": 64},
        "optimizer": "sgd",
        "lr": 0.5,
        "epochs": 1,
        "batch_size": 8,
    },
}


def write(path, data=GRAPH):
    path.write_text(json.dumps(data))
    return path


def test_check_warns_of_a_dangling_layer_and_passes(tmp_path, capsys):
    assert main(["check", str(write(tmp_path / "g.json"))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "warning: node spare: reaches no Output; not compiled"
    assert out[1].startswith("OK ") and out[1].endswith(" 82 parameters")  # without spare's 119


def test_a_dangling_layer_is_left_out_of_the_model(tmp_path):
    graph = load_graph(write(tmp_path / "g.json"))
    inference = Inference(graph)
    assert inference.problems() == []
    [warning] = inference.warnings()
    assert (warning.node, warning.kind, warning.severity) == ("spare", "unused", Severity.WARNING)
    assert "spare" not in export_code(graph)
    model = compile_graph(graph)
    assert "spare" not in dict(model.named_children())
    assert inference.totals().params == sum(p.numel() for p in model.parameters()) == 82


def test_an_input_that_reaches_no_output_is_said_so(kit):
    g = kit.build_graph(
        [("a", "Input", {"shape": [2]}), ("b", "Input", {"shape": [3]}), ("out", "Output", {})],
        [("a", "out")],
    )
    [warning] = Inference(g).warnings()
    assert str(warning) == "node b: reaches no Output; forward takes it but does not use it"
    assert "def forward(self, a, b):" in export_code(g)


def test_before_there_is_an_output_counts_still_grow_and_nothing_is_warned(kit):
    g = kit.build_graph(
        [("x", "Input", {"shape": [2]}), ("fc", "Linear", {"out_features": 3})], [("x", "fc")]
    )
    inference = Inference(g)
    assert inference.warnings() == [] and inference.totals().params == 9


def test_inside_a_block_a_node_that_reaches_no_block_output_is_not_built(kit):
    g = kit.build_graph(
        [
            ("x", "Input", {"shape": [4]}),
            ("fc", "Linear", {"out_features": 4}),
            ("side", "Linear", {"out_features": 9}),
            ("act", "ReLU", {}),
            ("out", "Output", {}),
        ],
        [("x", "fc"), ("fc", "side"), ("fc", "act"), ("act", "out")],
    )
    group_into_block(g, ["fc", "side", "act"], "Stage")
    source = export_code(g)
    assert "self.side" not in source
    model = compile_graph(g)
    assert Inference(g).totals().params == sum(p.numel() for p in model.parameters()) == 20


def test_a_dangling_layer_trains_under_ddp(tmp_path, capsys):
    """DistributedDataParallel refuses parameters that get no gradient: spare must not exist."""
    run = tmp_path / "run"
    graph_file = write(tmp_path / "g.json")
    assert main(["train", str(graph_file), "--nproc", "2", "--out", str(run)]) == 0
    assert "epoch 1/1" in capsys.readouterr().out
    state = torch.load(run / "last.pt", weights_only=True)  # the run folder one process writes
    assert not any(k.startswith("spare") for k in state["model"])


# ---- several Outputs ----------------------------------------------------------------------------
def two_heads(training_output=None):
    data = json.loads(json.dumps(GRAPH))
    data["nodes"] += [
        {"id": "aux", "type": "Linear", "params": {"out_features": 1}},
        {"id": "aux_out", "type": "Output"},
    ]
    data["edges"] += [{"source": "act", "target": "aux"}, {"source": "aux", "target": "aux_out"}]
    if training_output is not None:
        data["training"]["output"] = training_output
    return data


def test_several_outputs_without_a_choice_are_refused_listing_them(tmp_path, capsys):
    graph_file = write(tmp_path / "g.json", two_heads())
    assert main(["train", str(graph_file), "--out", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert "training.output: the graph has 2 Output nodes (out, aux_out); name the one" in err


def test_an_unknown_output_is_refused_listing_the_real_ones(tmp_path, capsys):
    graph_file = write(tmp_path / "g.json", two_heads("logits"))
    assert main(["train", str(graph_file), "--out", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err
    assert "training.output: the graph has no Output node 'logits'; its Output nodes are" in err


def _graph(data):
    from nodeml.core.serialize import graph_from_dict

    return graph_from_dict(data)


def test_the_named_output_is_the_one_trained_and_evaluated():
    graph = _graph(two_heads("out"))
    config = TrainingConfig.from_dict(graph.extras["training"])
    torch.manual_seed(0)
    model = compile_graph(graph)
    before = {k: v.clone() for k, v in model.state_dict().items() if torch.is_tensor(v)}
    trainer = Trainer(model, config)
    trainer.run()
    after = model.state_dict()
    assert not torch.equal(after["head.weight"], before["head.weight"])
    assert torch.equal(after["aux.weight"], before["aux.weight"])  # no loss reaches it
    evaluation = evaluate_model(model, config, trainer.data, split="val")
    assert evaluation.predictions.max() <= 1 and len(evaluation.predictions) > 0

    # named the other way, the one-wide head is what the loss sees: refused for 2 classes
    aux = _graph(two_heads("aux_out"))
    config = TrainingConfig.from_dict(aux.extras["training"])
    with pytest.raises(Exception, match=r"outputs \(N, 1\) but dataset moons has 2 classes"):
        Trainer(compile_graph(aux), config).run()


def test_output_must_be_a_name():
    with pytest.raises(ConfigError, match="training.output: must name an Output node"):
        TrainingConfig(output=3)


def test_the_class_names_attribute_avoids_every_node_id(kit):
    """An Output may be named anything, even classes: outputs are chosen by id."""
    g = kit.build_graph(
        [("x", "Input", {"shape": [2]}), ("fc", "Linear", {"out_features": 2})], [("x", "fc")]
    )
    g.add_node(Node("classes", "Output"))
    g.connect(Edge("fc", "classes"))
    g.extras["training"] = {"dataset": "moons", "output": "classes"}
    model = compile_graph(g)
    assert model.nodeml_interface.outputs == ("classes",) and model.nodeml_interface.classes
    assert model.nodeml_interface.classes != "classes"  # the class names went elsewhere
