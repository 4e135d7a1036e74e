"""torch.fx import: existing PyTorch models become graphs that compile back to the same function."""

from __future__ import annotations

import argparse
import textwrap

import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

import nodeml
from nodeml.core.errors import CheckpointError, NodemlError
from nodeml.core.importing import (
    ModelImportError,
    import_model,
    import_module,
    load_original_weights,
)
from nodeml.core.interop_commands import add_commands
from nodeml.core.shapes import Inference


def params_of(graph: nodeml.Graph) -> int:
    inference = Inference(graph)
    try:
        return inference.totals().params
    finally:
        inference.close()


def round_trip(module: nn.Module, *inputs: torch.Tensor, shapes=None, dtypes=None):
    """Import, compile, load the original weights; return (graph, original out, compiled out)."""
    module.eval()
    shapes = shapes or [tuple(x.shape[1:]) for x in inputs]
    graph, name_map = import_module(module, shapes, dtypes)
    compiled = nodeml.compile_graph(graph).eval()
    load_original_weights(compiled, module.state_dict(), name_map)
    with torch.no_grad():
        return graph, module(*inputs), compiled(*inputs)


def test_resnet18_round_trip_has_its_parameters_and_outputs():
    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    graph, expected, got = round_trip(model, torch.randn(2, 3, 64, 64))
    assert params_of(graph) == 11_689_512
    assert torch.allclose(expected, got, atol=1e-5)
    # the residual adds and the reused ReLU module became their own nodes
    types = [n.type for n in graph.nodes]
    assert types.count("Add") == 8
    assert graph.node("layer1_0_relu_1").type == "ReLU"
    assert graph.node("layer1_0_conv1").params == {
        "out_channels": 64,
        "kernel_size": 3,
        "padding": 1,
        "bias": False,
    }


def test_squeezenet_round_trip_maps_concat():
    torch.manual_seed(0)
    graph, expected, got = round_trip(torchvision.models.squeezenet1_1(), torch.randn(1, 3, 64, 64))
    assert sum(n.type == "Concat" for n in graph.nodes) == 8
    assert torch.allclose(expected, got, atol=1e-5)


@pytest.mark.parametrize(
    ("name", "params"),
    [("vgg11_bn", 132_868_840), ("alexnet", 61_100_840), ("densenet121", 7_978_856)],
)
def test_torchvision_models_import_with_their_parameter_counts(name, params):
    with torch.device("meta"):  # no memory, no init: the architecture is all import reads
        model = torchvision.models.get_model(name)
    graph, name_map = import_module(model, [(3, 224, 224)])
    assert params_of(graph) == params
    assert set(name_map) == set(model.state_dict())


@pytest.mark.parametrize("name", ["mobilenet_v2", "mobilenet_v3_small"])
def test_mobilenets_round_trip_with_relu6_and_hardsigmoid(name):
    torch.manual_seed(0)
    model = torchvision.models.get_model(name)
    graph, expected, got = round_trip(model, torch.randn(2, 3, 64, 64))
    assert params_of(graph) == sum(p.numel() for p in model.parameters())
    assert torch.allclose(expected, got, atol=1e-5)
    wanted = "ReLU6" if name == "mobilenet_v2" else "Hardsigmoid"
    assert wanted in {n.type for n in graph.nodes}


def test_layers_outside_the_catalog_are_named_with_every_use():
    model = nn.Sequential(nn.Linear(4, 4), nn.Softplus(), nn.Linear(4, 4), nn.Softplus())
    with pytest.raises(ModelImportError) as err:
        import_module(model, [(4,)])
    assert err.value.missing_types == ["Softplus"]
    assert "layer types not in nodeml's catalog: Softplus" in str(err.value)
    # every use is listed with its fx node name, none silently dropped
    assert "_1 (call_module 1)" in str(err.value) and "_3 (call_module 3)" in str(err.value)


def test_efficientnet_lists_each_unmappable_call():
    with torch.device("meta"):
        model = torchvision.models.efficientnet_b0()
    with pytest.raises(ModelImportError) as err:
        import_module(model, [(3, 224, 224)])
    lines = err.value.lines
    depth = [line for line in lines if "stochastic_depth" in line]
    assert len(depth) == 9 and depth[0].startswith("stochastic_depth (call_function ")


class Branches(nn.Module):
    """Residual add, concat, a reused ReLU, functional calls, view(x.size(0), -1)."""

    def __init__(self):
        super().__init__()
        self.conv_a = nn.Conv2d(3, 8, 3, padding=1)
        self.conv_b = nn.Conv2d(8, 8, 3, padding=1)
        self.conv_c = nn.Conv2d(3, 8, 1)
        self.act = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(2)
        self.fc = nn.Linear(64, 5)

    def forward(self, x):
        a = self.act(self.conv_a(x))
        b = self.act(self.conv_b(a)) + a
        c = torch.cat([b, F.relu(self.conv_c(x))], dim=1)
        c = F.max_pool2d(c, 2)
        c = self.pool(c)
        return torch.sigmoid(self.fc(c.view(c.size(0), -1)))


class Recurrent(nn.Module):
    """LSTM tuple outputs through getitem, the last time step, and a second head on h_n."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(20, 6)
        self.lstm = nn.LSTM(6, 10, batch_first=True)
        self.head = nn.Linear(10, 3)
        self.gate = nn.Linear(10, 3)

    def forward(self, tokens):
        out, (h, c) = self.lstm(self.embed(tokens))
        last = out[:, -1]
        return self.head(last) * torch.tanh(self.gate(h[-1] + c[-1])), torch.flatten(out, 1)


def test_hand_written_branches_round_trip():
    torch.manual_seed(0)
    graph, expected, got = round_trip(Branches(), torch.randn(3, 3, 8, 8))
    assert torch.allclose(expected, got, atol=1e-6)
    by_type = {n.type for n in graph.nodes}
    assert {"Add", "Concat", "MaxPool2d", "Flatten", "Sigmoid"} <= by_type
    assert [n.id for n in graph.nodes if n.type == "ReLU"] == ["act", "act_1", "relu"]
    # inferred sizes are left for inference, everything else is written out
    assert graph.node("conv_b").params == {"out_channels": 8, "kernel_size": 3, "padding": 1}


def test_indexing_h_n_by_layer_is_reported():
    torch.manual_seed(0)
    tokens = torch.randint(0, 20, (4, 7))
    with pytest.raises(ModelImportError) as err:  # h[-1] indexes dim 0 of h_n (its layers)
        round_trip(Recurrent(), tokens, dtypes=["long"])
    assert "getitem" in str(err.value) and "batch dim" in str(err.value)


class LastStep(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(20, 6)
        self.lstm = nn.LSTM(6, 10, batch_first=True)
        self.head = nn.Linear(10, 3)

    def forward(self, tokens):
        out, (h, c) = self.lstm(self.embed(tokens))
        return self.head(out[:, -1]), c


def test_lstm_outputs_and_last_step_round_trip():
    torch.manual_seed(0)
    tokens = torch.randint(0, 20, (4, 7))
    graph, expected, got = round_trip(LastStep(), tokens, dtypes=["long"])
    for e, g in zip(expected, got, strict=True):
        assert torch.allclose(e, g, atol=1e-6)
    edges = {(e.source, e.source_port, e.target) for e in graph.edges}
    assert ("lstm", 0, "getitem_4") in edges  # out[:, -1] reads port 0 through a Select
    assert graph.node("getitem_4").type == "Select"
    assert ("lstm", 2, "output_1") in edges  # c_n is port 2


def test_weight_sharing_is_reported():
    class Shared(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            return self.fc(self.fc(x))

    with pytest.raises(ModelImportError, match=r"fc_1 \(call_module fc\).*weight sharing"):
        import_module(Shared())


def test_every_unmappable_op_is_listed():
    class Odd(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
            self.scale = nn.Parameter(torch.ones(4))

        def forward(self, x):
            y = self.fc(x) * self.scale
            return y.mean(1, keepdim=True) + torch.topk(y, 2).values

    with pytest.raises(ModelImportError) as err:
        import_module(Odd())
    text = str(err.value)
    assert "4 problem(s)" in text
    for fx_name in (
        "scale (get_attr scale)",
        "mean (call_method Tensor.mean)",
        "topk (call_function torch",
    ):
        assert fx_name in text
    assert "getattr" in text  # .values of the topk result


def test_untraceable_forward_is_refused_clearly():
    class Branchy(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            return self.fc(x) if x.sum() > 0 else x

    with pytest.raises(ModelImportError, match="torch.fx cannot trace Branchy"):
        import_module(Branchy())


def test_layout_runs_left_to_right():
    graph, _ = import_module(Branches(), [(3, 8, 8)])
    pos = {n.id: n.pos for n in graph.nodes}
    assert all(pos[e.source][0] < pos[e.target][0] for e in graph.edges)


def test_weights_of_another_model_are_refused():
    graph, name_map = import_module(nn.Sequential(nn.Linear(3, 2)), [(3,)])
    compiled = nodeml.compile_graph(graph)
    with pytest.raises(CheckpointError, match="not part of the imported graph: 1.weight"):
        load_original_weights(compiled, {"1.weight": torch.zeros(2, 3)}, name_map)


def test_import_result_notes_weights_forward_never_uses():
    class Unused(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 2)
            self.spare = nn.Linear(3, 3)

        def forward(self, x):
            return self.fc(x)

    result = import_model(Unused())
    assert result.notes and "spare.weight" in result.notes[0]


# ---- the command ---------------------------------------------------------------------------------
def run_command(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def test_import_command_runs_the_named_file(tmp_path, capsys):
    source = tmp_path / "mlp.py"
    source.write_text(
        textwrap.dedent("""
        from torch import nn

        class MLP(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Dropout(0.1), nn.Linear(16, 2))

            def forward(self, x):
                return self.body(x).log_softmax(dim=1)
    """)
    )
    out = tmp_path / "mlp.json"
    assert (
        run_command("import", f"{source}:MLP", "-o", out, "--save-weights", tmp_path / "w.pt") == 0
    )
    graph = nodeml.load_graph(out)
    assert [n.type for n in graph.nodes] == [
        "Input",
        "Linear",
        "GELU",
        "Dropout",
        "Linear",
        "LogSoftmax",
        "Output",
    ]
    assert graph.node("x").params == {"shape": [6]}  # guessed from the first Linear
    assert params_of(graph) == 6 * 16 + 16 + 16 * 2 + 2
    assert "imported MLP: 7 nodes, 146 parameters" in capsys.readouterr().out
    state = torch.load(tmp_path / "w.pt", weights_only=True)["model"]
    nodeml.compile_graph(graph).load_state_dict(state)


def test_import_command_torchvision(tmp_path):
    out = tmp_path / "resnet.json"
    assert run_command("import", "torchvision:resnet18", "-o", out) == 0
    graph = nodeml.load_graph(out)
    assert graph.node("x").params == {"shape": [3, 224, 224]}
    assert params_of(graph) == 11_689_512


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "torchvision:resnet19",
            "torchvision has no classification model 'resnet19'; did you mean resnet18",
        ),
        ("nowhere.py:Net", "nowhere.py does not exist"),
        ("resnet18", "write FILE.py:ClassName or torchvision:MODEL"),
    ],
)
def test_import_command_bad_targets(tmp_path, target, message):
    with pytest.raises(NodemlError, match=message):
        run_command("import", target, "-o", tmp_path / "g.json")


def test_import_command_needs_a_shape_it_cannot_guess(tmp_path):
    source = tmp_path / "conv.py"
    source.write_text("from torch import nn\nNet = lambda: nn.Sequential(nn.Conv2d(3, 4, 3))\n")
    with pytest.raises(NodemlError, match="give it .*--input-shape 3,224,224"):
        run_command("import", f"{source}:Net", "-o", tmp_path / "g.json")
    assert (
        run_command("import", f"{source}:Net", "-o", tmp_path / "g.json", "--input-shape", "3,8,8")
        == 0
    )
