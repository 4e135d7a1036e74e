"""Group into block / ungroup: the model keeps its function and parameters; undo restores it."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import nodeml
from nodeml.core.blocks.edits import (
    remove_block,
    rename_block,
    restore,
    set_block_ports,
    snapshot,
    spec_for,
)
from nodeml.core.blocks.grouping import group_into_block, ungroup
from nodeml.core.compile import compile_graph, export_code
from nodeml.core.errors import GraphEditError
from nodeml.core.serialize import graph_to_json
from nodeml.core.shapes import Inference

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


def load(name):
    return nodeml.load_graph(SAMPLES / f"{name}.json")


def outputs_agree(before, after, grouped, use, x):
    """``after`` (grouped) computes what ``before`` did once weights are renamed into the use."""
    torch.manual_seed(0)
    old = compile_graph(before)
    new = compile_graph(after)
    renamed = {
        (f"{use}.{k}" if k.split(".")[0] in grouped else k): v for k, v in old.state_dict().items()
    }
    new.load_state_dict(renamed, strict=True)
    old.eval()
    new.eval()
    with torch.no_grad():
        torch.testing.assert_close(new(x), old(x), rtol=0, atol=0)


def test_grouping_a_chain_keeps_function_and_parameters_and_ungroup_restores_it():
    g = load("lenet")
    original = graph_to_json(g)
    before = g.copy()
    total = Inference(g).totals().params
    use = group_into_block(g, ["conv2", "relu2", "pool2"], "ConvStage")
    assert use == "convstage1"
    block = g.blocks["ConvStage"]
    assert (block.inputs, block.outputs) == (["x"], ["out"])
    assert [n.id for n in block.graph.nodes] == ["conv2", "relu2", "pool2", "x", "out"]
    assert g.node_ids.index(use) == before.node_ids.index("conv2")  # in the group's place
    assert Inference(g).problems() == []
    assert Inference(g).totals().params == total
    assert "class ConvStage(nn.Module):" in export_code(g)
    outputs_agree(before, g, {"conv2", "relu2", "pool2"}, use, torch.randn(2, 1, 32, 32))

    placed = ungroup(g, use)
    assert placed == ["conv2", "relu2", "pool2"]
    remove_block(g, "ConvStage")
    assert graph_to_json(g) == original


def test_one_block_input_per_distinct_source_and_one_output_per_distinct_result():
    g = load("residual_block")
    before = g.copy()
    # the skip wire and conv_a both read stem_relu: one input; add is read outside: one output
    grouped = ["conv_a", "bn_a", "relu_a", "conv_b", "bn_b", "add"]
    use = group_into_block(g, grouped, "Residual")
    assert len(g.blocks["Residual"].inputs) == 1
    assert [(e.source, e.target_port) for e in g.in_edges(use)] == [("stem_relu", 0)]
    outputs_agree(before, g, set(grouped), use, torch.randn(2, 1, 28, 28))


def test_a_selection_read_in_two_places_gets_two_outputs_in_node_order():
    g = load("two_branch_concat")
    before = g.copy()
    use = group_into_block(g, ["wide", "wide_act", "smooth", "smooth_act"], "Branches")
    block = g.blocks["Branches"]
    assert len(block.inputs) == 1 and len(block.outputs) == 2
    wires = sorted((e.source_port, e.target, e.target_port) for e in g.out_edges(use))
    assert wires == [(0, "concat", 0), (1, "concat", 1)]
    assert spec_for(g, "Branches").outputs == tuple(block.outputs)
    assert "branches1_out1, branches1_out2 = self.branches1(point)" in export_code(g)
    outputs_agree(before, g, {"wide", "smooth"}, use, torch.randn(3, 2))
    ungroup(g, use)
    remove_block(g, "Branches")
    assert graph_to_json(g) == graph_to_json(before)


def test_grouping_nodes_that_include_a_block_use_nests_blocks():
    g = load("resnet_blocks")
    before = g.copy()
    use = group_into_block(g, ["block1", "block2"], "Stage")
    assert g.blocks.uses("Stage") == {"ResidualBlock"}
    assert Inference(g).problems() == []
    model = compile_graph(g)
    assert "stage1.block1.conv_a.weight" in model.state_dict()
    outputs_agree(before, g, {"block1", "block2"}, use, torch.randn(2, 3, 32, 32))


def test_undo_by_snapshot_restores_graph_and_blocks_exactly():
    g = load("resnet_blocks")
    original = graph_to_json(g)
    saved = snapshot(g)
    events = []
    g.changed.connect(lambda ev: events.append(ev.kind))
    group_into_block(g, ["down", "down_bn", "down_relu"], "Down")
    restore(g, saved)
    assert events[-1] == "graph_changed"
    assert graph_to_json(g) == original
    assert "Down" not in g.blocks
    # the restored block's inner graph still reaches every use
    inference = Inference(g)
    g.blocks["ResidualBlock"].graph.set_param("conv_b", "bias", True)
    assert inference.info("block3").params == 18_560 + 32


def test_ungroup_renames_inner_ids_already_taken_and_fills_in_block_params():
    g = load("resnet_blocks")
    before = g.copy()
    assert ungroup(g, "block3")[0] == "conv_a"  # free at the top level: kept
    assert ungroup(g, "block2")[0] == "block2_conv_a"  # now taken: prefixed with the use
    assert g.node("conv_a").params["out_channels"] == 32  # the use's channels filled in
    assert Inference(g).problems() == []
    torch.manual_seed(0)
    old = compile_graph(before)
    new = compile_graph(g)
    renamed = {
        k.replace("block3.", "").replace("block2.", "block2_"): v
        for k, v in old.state_dict().items()
    }
    new.load_state_dict(renamed, strict=True)
    x = torch.randn(2, 3, 32, 32)
    old.eval()
    new.eval()
    with torch.no_grad():
        torch.testing.assert_close(new(x), old(x), rtol=0, atol=0)


@pytest.mark.parametrize(
    "ids, name, message",
    [
        ([], "Block", "select the nodes"),
        (["image", "stem"], "Block", "the model's Input"),
        (["stem"], "block", "must be a class name"),
        (["stem"], "Conv2d", "node type of the catalog"),
        (["stem"], "ResidualBlock", "already exists"),
        (["ghost"], "Block", "no node named 'ghost'"),
    ],
)
def test_grouping_refuses_what_cannot_become_a_block(ids, name, message):
    g = load("resnet_blocks")
    original = graph_to_json(g)
    with pytest.raises(GraphEditError, match=message):
        group_into_block(g, ids, name)
    assert graph_to_json(g) == original


def test_renaming_a_block_renames_every_use_and_ports_can_be_reordered():
    g = load("resnet_blocks")
    rename_block(g, "ResidualBlock", "BasicBlock")
    assert {g.node(u).type for u in ("block1", "block2", "block3")} == {"BasicBlock"}
    assert "class BasicBlock(nn.Module):" in export_code(g)
    with pytest.raises(GraphEditError, match="not an Input node"):
        set_block_ports(g, "BasicBlock", ["conv_a"], ["out"])
