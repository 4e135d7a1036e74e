"""Blocks (model in model): file section, inference of uses, nested classes in compile and export."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import torch
from torch import nn

import nodeml
from nodeml.core.compile import compile_graph, export_code
from nodeml.core.errors import GraphFormatError, InvalidGraphError
from nodeml.core.serialize import graph_from_dict, graph_to_json
from nodeml.core.shapes import Inference

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


def ref(name):
    return {"$param": name}


def chain_edges(*ids):
    return [{"source": a, "target": b} for a, b in zip(ids, ids[1:], strict=False)]


def graph(nodes, edges, blocks, name="Net"):
    data = {"format": "nodeml.graph", "version": 1, "name": name, "nodes": nodes}
    data["edges"] = edges
    data["blocks"] = blocks
    return graph_from_dict(copy.deepcopy(data))


def run_exported(source: str, cls: str) -> nn.Module:
    namespace: dict = {"__name__": "exported"}
    exec(compile(source, "<exported>", "exec"), namespace)  # noqa: S102 - our own test output
    return namespace[cls]()


# A projection block: Linear to `width` features, then Tanh.
PROJ = {
    "name": "Proj",
    "params": {"width": {"kind": "int", "default": 8, "minimum": 1}},
    "inputs": ["x"],
    "outputs": ["y"],
    "nodes": [
        {"id": "x", "type": "Input"},
        {"id": "fc", "type": "Linear", "params": {"out_features": ref("width")}},
        {"id": "act", "type": "Tanh"},
        {"id": "y", "type": "Output"},
    ],
    "edges": chain_edges("x", "fc", "act", "y"),
}


def proj_net(widths=(8, 6), feature=4):
    """x(feature) -> p1 (Proj width w0) -> p2 (Proj width w1) -> out."""
    nodes = [{"id": "x", "type": "Input", "params": {"shape": [feature]}}]
    nodes += [
        {"id": f"p{i + 1}", "type": "Proj", "params": {"width": w}} for i, w in enumerate(widths)
    ]
    nodes.append({"id": "out", "type": "Output"})
    ids = [n["id"] for n in nodes]
    return graph(nodes, chain_edges(*ids), [PROJ])


# ---- compile and export against hand-written nested modules ---------------------------------
class HandProj(nn.Module):
    def __init__(self, n_in, width):
        super().__init__()
        self.fc = nn.Linear(n_in, width)

    def forward(self, x):
        return torch.tanh(self.fc(x))


class HandProjNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.p1 = HandProj(4, 8)
        self.p2 = HandProj(8, 6)

    def forward(self, x):
        return self.p2(self.p1(x))


@pytest.mark.parametrize("style", ["modules", "functional"])
def test_block_compiles_and_exports_like_a_hand_written_nested_module(style):
    g = proj_net()
    source = export_code(g, style=style)
    assert source.index("class Proj(nn.Module):") < source.index("class Net(nn.Module):")
    # in_features differs between the uses (4, then 8) and equals no block param: an argument
    assert "def __init__(self, width=8, *, fc_in_features):" in source
    assert "self.fc = nn.Linear(fc_in_features, width)" in source
    assert "self.p1 = Proj(fc_in_features=4)" in source
    assert "self.p2 = Proj(width=6, fc_in_features=8)" in source
    torch.manual_seed(0)
    compiled = compile_graph(g, style)
    exported = run_exported(source, "Net")
    hand = HandProjNet()
    keys = ["p1.fc.weight", "p1.fc.bias", "p2.fc.weight", "p2.fc.bias"]
    assert list(compiled.state_dict()) == keys == list(hand.state_dict())
    hand.load_state_dict(compiled.state_dict(), strict=True)
    exported.load_state_dict(compiled.state_dict(), strict=True)
    x = torch.randn(3, 4)
    with torch.no_grad():
        torch.testing.assert_close(compiled(x), hand(x), rtol=0, atol=0)
        torch.testing.assert_close(exported(x), hand(x), rtol=0, atol=0)


def test_resnet_sample_writes_one_block_class_used_three_times():
    g = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    source = export_code(g)
    assert source.count("class ResidualBlock(nn.Module):") == 1
    assert "    def __init__(self, channels=16):" in source
    # in_channels equals the channels param at every use, so it is written as that name
    assert "self.conv_a = nn.Conv2d(channels, channels, 3, padding=1, bias=False)" in source
    assert "self.block1 = ResidualBlock()" in source
    assert "self.block3 = ResidualBlock(channels=32)" in source
    keys = compile_graph(g).state_dict()
    assert "block1.conv_a.weight" in keys and "block3.bn_b.running_mean" in keys
    assert tuple(keys["block3.conv_a.weight"].shape) == (32, 32, 3, 3)


def test_use_counts_are_the_sums_inside_and_inner_shapes_are_kept():
    g = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    info = Inference(g).info("block3")
    conv = 32 * 32 * 9
    assert info.params == 2 * conv + 2 * 64 == 18_560
    assert info.trainable == info.params
    assert info.macs == 2 * conv * 16 * 16
    assert info.inner["conv_a"].shape.shape == (32, 16, 16)
    assert ("conv_a.weight", (32, 32, 3, 3)) in info.param_shapes
    model = compile_graph(g)
    assert sum(p.numel() for p in model.block3.parameters()) == info.params


def test_a_frozen_use_freezes_its_inner_parameters():
    g = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    g.set_extra("block1", "trainable", False)
    inference = Inference(g)
    assert inference.info("block1").trainable == 0
    assert inference.totals().trainable == inference.totals().params - 4_672
    model = compile_graph(g)
    assert not any(p.requires_grad for p in model.block1.parameters())
    assert all(p.requires_grad for p in model.block2.parameters())


# ---- editing a definition --------------------------------------------------------------------
def test_editing_the_block_reaches_every_use_incrementally():
    g = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    inference = Inference(g)
    before = inference.all()
    seen = []
    g.changed.connect(lambda ev: seen.append((ev.kind, ev.block)))
    inner = g.blocks["ResidualBlock"].graph
    inner.set_param("conv_a", "bias", True)  # one edit inside the block
    assert ("block_changed", "ResidualBlock") in seen
    after = inference.all()
    for use, channels in (("block1", 16), ("block2", 16), ("block3", 32)):
        assert after[use].params == before[use].params + channels
    assert after["stem"].params == before["stem"].params
    model = compile_graph(g)
    assert model.block3.conv_a.bias.shape == (32,)
    assert inference.totals().params == sum(p.numel() for p in model.parameters())


def test_changing_the_blocks_output_shape_reaches_nodes_after_the_uses():
    g = proj_net(widths=(8, 6))
    inference = Inference(g)
    assert inference.info("out").shape.shape == (6,)
    inner = g.blocks["Proj"].graph
    inner.set_param("fc", "out_features", 5)  # no longer the width param
    assert inference.info("p1").shape.shape == (5,)
    assert inference.info("out").shape.shape == (5,)
    assert inference.problems() == []


# ---- nested blocks -------------------------------------------------------------------------
PAIR = {
    "name": "Pair",
    "params": {"width": {"kind": "int", "default": 8, "minimum": 1}},
    "inputs": ["x"],
    "outputs": ["y"],
    "nodes": [
        {"id": "x", "type": "Input"},
        {"id": "first", "type": "Proj", "params": {"width": ref("width")}},
        {"id": "second", "type": "Proj", "params": {"width": 3}},
        {"id": "y", "type": "Output"},
    ],
    "edges": chain_edges("x", "first", "second", "y"),
}


class HandPair(nn.Module):
    def __init__(self, n_in, width):
        super().__init__()
        self.first = HandProj(n_in, width)
        self.second = HandProj(width, 3)

    def forward(self, x):
        return self.second(self.first(x))


class HandPairNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = HandPair(4, 8)
        self.b = HandPair(3, 5)

    def forward(self, x):
        return self.b(self.a(x))


def pair_net():
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [4]}},
        {"id": "a", "type": "Pair"},
        {"id": "b", "type": "Pair", "params": {"width": 5}},
        {"id": "out", "type": "Output"},
    ]
    return graph(nodes, chain_edges("x", "a", "b", "out"), [PAIR, PROJ])


def test_nested_blocks_compile_like_hand_written_nested_modules():
    g = pair_net()
    inference = Inference(g)
    assert inference.problems() == []
    assert inference.info("a").params == (4 * 8 + 8) + (8 * 3 + 3)
    source = export_code(g)
    # the used block's class comes first, even though Pair is defined first in the file
    assert source.index("class Proj(") < source.index("class Pair(") < source.index("class Net(")
    torch.manual_seed(0)
    model = compile_graph(g)
    hand = HandPairNet()
    assert list(model.state_dict()) == list(hand.state_dict())
    assert "a.first.fc.weight" in model.state_dict()
    hand.load_state_dict(model.state_dict(), strict=True)
    exported = run_exported(source, "Net")
    exported.load_state_dict(model.state_dict(), strict=True)
    x = torch.randn(2, 4)
    with torch.no_grad():
        torch.testing.assert_close(model(x), hand(x), rtol=0, atol=0)
        torch.testing.assert_close(exported(x), hand(x), rtol=0, atol=0)


def test_editing_an_inner_block_reaches_uses_of_the_block_around_it():
    g = pair_net()
    inference = Inference(g)
    before = inference.info("a").params
    g.blocks["Proj"].graph.set_param("fc", "bias", False)
    assert inference.info("a").params == before - 8 - 3
    assert inference.info("b").shape.shape == (3,)


def test_a_block_that_contains_itself_is_reported_on_each_use():
    looped = copy.deepcopy(PAIR)
    looped["nodes"][2]["type"] = "Pair"  # Pair uses Pair
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [4]}},
        {"id": "a", "type": "Pair"},
        {"id": "out", "type": "Output"},
    ]
    g = graph(nodes, chain_edges("x", "a", "out"), [looped, PROJ])
    problems = Inference(g).problems()
    assert [p.kind for p in problems] == ["block_cycle"]
    assert str(problems[0]) == (
        "node a: block Pair contains itself (Pair -> Pair); a block may not use itself"
    )
    with pytest.raises(InvalidGraphError):
        compile_graph(g)


# ---- parameters and problems ----------------------------------------------------------------
def test_use_params_are_checked_against_the_block_params():
    g = proj_net(widths=(0, 6))
    g.set_param("p2", "widht", 3)
    messages = [str(p) for p in Inference(g).problems()]
    assert "node p1: width must be at least 1, got 0" in messages
    assert "node p2: Proj has no param 'widht'; did you mean width?" in messages


def test_a_problem_inside_a_block_names_the_use_and_the_inner_node():
    g = proj_net(widths=(8, 6))
    g.blocks["Proj"].graph.set_param("fc", "in_features", 4)  # right for p1 only
    problems = Inference(g).problems()
    assert [str(p) for p in problems] == [
        "node p2: inside Proj, node fc: Linear expects in_features=4 but its input has 8 "
        "features; remove the value to infer it"
    ]
    assert problems[0].node == "p2"


def test_a_required_block_param_must_be_set_by_each_use():
    required = copy.deepcopy(PROJ)
    del required["params"]["width"]["default"]
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [4]}},
        {"id": "p1", "type": "Proj"},
        {"id": "p2", "type": "Proj", "params": {"width": 2}},
        {"id": "out", "type": "Output"},
    ]
    g = graph(nodes, chain_edges("x", "p1", "p2", "out"), [required])
    assert [str(p) for p in Inference(g).problems()] == ["node p1: Proj needs width"]
    g.set_param("p1", "width", 7)
    source = export_code(g)
    assert "def __init__(self, *, width, fc_in_features):" in source
    assert compile_graph(g).p1.fc.weight.shape == (7, 4)


def test_a_builtin_value_that_differs_between_uses_is_refused_clearly():
    cat = {
        "name": "Twice",
        "params": {"axis": {"kind": "int", "default": 1}},
        "inputs": ["x"],
        "outputs": ["y"],
        "nodes": [
            {"id": "x", "type": "Input"},
            {"id": "cat", "type": "Concat", "params": {"dim": ref("axis")}},
            {"id": "y", "type": "Output"},
        ],
        "edges": [
            {"source": "x", "target": "cat"},
            {"source": "x", "target": "cat", "target_port": 1},
            {"source": "cat", "target": "y"},
        ],
    }
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [2, 3]}},
        {"id": "t1", "type": "Twice"},
        {"id": "t2", "type": "Twice", "params": {"axis": 2}},
        {"id": "out", "type": "Output"},
    ]
    g = graph(nodes, chain_edges("x", "t1", "t2", "out"), [cat])
    assert Inference(g).info("out").shape.shape == (4, 6)
    with pytest.raises(InvalidGraphError, match="inside Twice, node cat: dim differs between uses"):
        export_code(g)
    g.set_param("t2", "axis", 1)  # the same at both uses: written as a literal
    assert "torch.cat([x, x], dim=1)" in export_code(g)


# ---- the file section -----------------------------------------------------------------------
def test_blocks_round_trip_byte_stable_with_unknown_keys_kept():
    block = copy.deepcopy(PROJ)
    block["doc"] = "Linear then tanh"
    block["future"] = {"kept": [1, 2]}
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [4]}},
        {"id": "p", "type": "Proj", "note": "kept too"},
        {"id": "out", "type": "Output"},
    ]
    g = graph(nodes, chain_edges("x", "p", "out"), [block])
    text = graph_to_json(g)
    again = nodeml.core.serialize.graph_from_json(text)
    assert graph_to_json(again) == text
    assert again.blocks["Proj"].extra == {"future": {"kept": [1, 2]}}
    assert "blocks" not in again.extras
    assert text.index('"edges"') < text.index('"blocks"')


@pytest.mark.parametrize(
    "name",
    [
        "Res(nn.Module):\n    import os",
        "os.system",
        "residual",  # a class name starts with a capital
        "Conv2d",  # a catalog type
        "Exception",  # a builtin the generated module would shadow
        "Résidu",
        "",
        7,
    ],
)
def test_hostile_or_clashing_block_names_are_refused_on_load(name):
    block = copy.deepcopy(PROJ)
    block["name"] = name
    with pytest.raises(GraphFormatError, match="block name"):
        graph([], [], [block])


@pytest.mark.parametrize(
    "pname", ["x=__import__('os')", "self", "class", "Width", "__init__", "torch", "nn"]
)
def test_hostile_block_param_names_are_refused_on_load(pname):
    block = copy.deepcopy(PROJ)
    block["params"] = {pname: {"kind": "int", "default": 1}}
    with pytest.raises(GraphFormatError, match="block param"):
        graph([], [], [block])


@pytest.mark.parametrize(
    "value, message",
    [
        (ref("__import__('os').system('echo hacked')"), "which Proj does not declare"),
        ({"$param": "width", "also": 1}, 'must be exactly {"$param": NAME}'),
        ({"$eval": "width"}, 'must be exactly {"$param": NAME}'),
        (ref(["width"]), "which Proj does not declare"),
    ],
)
def test_bad_param_references_are_problems_of_the_inner_node_and_run_nothing(value, message):
    g = proj_net()
    g.blocks["Proj"].graph.set_param("fc", "out_features", value)
    problems = Inference(g).problems()
    assert problems and all("inside Proj, node fc: " in str(p) for p in problems)
    assert any(message in str(p) for p in problems)
    with pytest.raises(InvalidGraphError):
        export_code(g)


def test_a_param_reference_outside_a_block_is_a_bad_value():
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [4]}},
        {"id": "fc", "type": "Linear", "params": {"out_features": ref("width")}},
        {"id": "out", "type": "Output"},
    ]
    g = graph(nodes, chain_edges("x", "fc", "out"), [])
    (problem,) = Inference(g).problems()
    assert problem.node == "fc" and "out_features must be a whole number" in problem.message


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda b: b.update(inputs=["fc"]), "inputs lists 'fc', which is not one of its Input"),
        (lambda b: b.update(outputs=["nowhere"]), "outputs lists 'nowhere'"),
        (lambda b: b["params"]["width"].update(kind="tensor"), "kind must be one of"),
        (lambda b: b["params"]["width"].update(default=0), "default: width must be at least 1"),
        (lambda b: b["params"]["width"].update(code="x"), "must be an object with kind"),
        (lambda b: b["nodes"].append({"id": "class", "type": "ReLU"}), "inside Proj"),
    ],
)
def test_malformed_blocks_are_refused_with_the_reason(change, message):
    block = copy.deepcopy(PROJ)
    change(block)
    with pytest.raises(GraphFormatError) as err:
        graph([], [], [block])
    assert message in str(err.value)


def test_a_graph_named_like_a_block_still_compiles():
    g = proj_net()
    g.set_name("Proj")
    source = export_code(g)
    assert "class ProjModel(nn.Module):" in source
    assert compile_graph(g)(torch.randn(2, 4)).shape == (2, 6)


def test_summary_counts_a_block_use_as_parametric():
    from nodeml.cli import summary_data

    g = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    inference = Inference(g)
    rows = {r["id"]: r for r in summary_data(g, inference.all(), inference.totals())["nodes"]}
    assert rows["block3"]["parametric"] is True
    assert rows["block3"]["params"] == 18_560
