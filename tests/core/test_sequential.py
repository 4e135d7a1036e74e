"""export_code(sequential=True): a straight chain becomes nn.Sequential with the same state_dict."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import nodeml
from nodeml.cli import main
from nodeml.core.blocks.grouping import group_into_block
from nodeml.core.compile import compile_graph, export_code

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


def run_exported(source: str, cls: str) -> torch.nn.Module:
    namespace: dict = {"__name__": "exported"}
    exec(compile(source, "<exported>", "exec"), namespace)  # noqa: S102 - our own test output
    return namespace[cls]()


def assert_interchangeable(graph, source, cls, x, style="modules"):
    torch.manual_seed(0)
    compiled = compile_graph(graph, style)
    with torch.no_grad():  # a fitted-looking standardisation, so forward's use of it is compared
        for key, buffer in compiled.named_buffers():
            if key.endswith(("_mean", "_std")):
                buffer.uniform_(0.5, 2)
    exported = run_exported(source, cls)
    assert list(exported.state_dict()) == list(compiled.state_dict())
    exported.load_state_dict(compiled.state_dict(), strict=True)
    compiled.load_state_dict(exported.state_dict(), strict=True)
    compiled.eval()
    exported.eval()
    with torch.no_grad():
        torch.testing.assert_close(exported(x), compiled(x), rtol=0, atol=0)
    return exported


@pytest.mark.parametrize("style", ["modules", "functional"])
def test_a_chain_is_written_as_an_ordered_sequential_with_the_same_keys(style):
    g = nodeml.load_graph(SAMPLES / "lenet.json")
    source = export_code(g, style=style, sequential=True)
    assert "from collections import OrderedDict" in source
    assert "class LeNet(nn.Sequential):" in source
    assert '("conv1", nn.Conv2d(1, 6, 3)),' in source
    # LeNet trains on standardised images: its forward standardises them, then runs the chain
    forward = source.split("def forward")[1].split("\n\n")[0].splitlines()
    assert forward[1:] == [
        "        return super().forward((image - self.image_mean) / self.image_std)"
    ]
    model = assert_interchangeable(g, source, "LeNet", torch.randn(2, 1, 32, 32), style)
    assert isinstance(model, torch.nn.Sequential)
    assert "(conv1): Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1))" in str(model)


def test_a_chain_trained_on_raw_inputs_is_the_sequential_alone():
    g = nodeml.load_graph(SAMPLES / "lenet.json")
    g.extras["training"]["normalize"] = False
    source = export_code(g, sequential=True)
    assert "def forward" not in source and "register_buffer" not in source
    assert_interchangeable(g, source, "LeNet", torch.randn(2, 1, 32, 32))


def test_a_graph_that_is_not_a_chain_is_written_as_before():
    g = nodeml.load_graph(SAMPLES / "residual_block.json")
    assert export_code(g, sequential=True) == export_code(g)


def test_a_chain_of_block_uses_and_a_chain_inside_a_block_are_sequential_too():
    g = nodeml.load_graph(SAMPLES / "lenet.json")
    group_into_block(g, ["conv2", "relu2", "pool2"], "ConvStage")
    source = export_code(g, sequential=True)
    assert "class ConvStage(nn.Sequential):" in source
    assert '("convstage1", ConvStage()),' in source
    model = assert_interchangeable(g, source, "LeNet", torch.randn(2, 1, 32, 32))
    assert "convstage1.conv2.weight" in model.state_dict()

    resnet = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    source = export_code(resnet, sequential=True)
    assert "class ResidualBlock(nn.Module):" in source  # a skip wire: not a chain
    assert "class ResNetFromBlocks(nn.Sequential):" in source
    assert_interchangeable(resnet, source, "ResNetFromBlocks", torch.randn(2, 3, 32, 32))


def test_cli_export_sequential(tmp_path, capsys):
    out = tmp_path / "lenet.py"
    assert main(["export", str(SAMPLES / "lenet.json"), "-o", str(out), "--sequential"]) == 0
    assert "class LeNet(nn.Sequential):" in out.read_text(encoding="utf-8")
    other = tmp_path / "res.py"
    assert (
        main(["export", str(SAMPLES / "residual_block.json"), "-o", str(other), "--sequential"])
        == 0
    )
    assert "not one straight chain" in capsys.readouterr().out
