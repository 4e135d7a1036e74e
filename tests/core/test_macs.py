"""MAC counts: nodeml's own counter equals torch's FlopCounterMode for every catalog layer, and
inference imports neither torch._dynamo nor torchvision (seconds of start-up) for plain layers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from nodeml.core.catalog import CATALOG
from nodeml.core.catalog.backbones import BACKBONES
from nodeml.core.shapes import Inference, build_expr, torch_dtype

ROOT = Path(__file__).resolve().parents[2]
LAYER_TYPES = sorted(
    t for t in CATALOG if t not in ("Input", "Output") and CATALOG[t].category != "backbone"
)
BATCH = 3


def flop_counter_macs(type_name: str, values: dict, inputs: list) -> int:
    """What inference counted before nodeml had its own counter: FlopCounterMode around the same
    module on the meta device, flops halved (a MAC is two flops) and divided by the batch."""
    spec = CATALOG[type_name]
    with torch.device("meta"):
        fn = spec.make_module(values).eval() if spec.holds_module else None
    if fn is None:
        fn = build_expr(spec, values, len(inputs))
    tensors = []
    for t in inputs:
        shape, dtype = t.full_shape(BATCH), torch_dtype(t.dtype)
        make = torch.zeros if type_name == "Embedding" else torch.empty
        tensors.append(make(shape, dtype=dtype, device="meta"))
    with FlopCounterMode(display=False) as counter:
        fn(*tensors)
    return counter.get_total_flops() // (2 * BATCH)


@pytest.mark.parametrize("type_name", LAYER_TYPES)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_layer_counts_what_flop_counter_mode_counts(type_name, data, kit):
    info = Inference(kit.single_node_graph(type_name, kit.draw_case(data, type_name))).info("node")
    assert info.ok, [str(p) for p in info.problems]
    assert info.macs == flop_counter_macs(type_name, info.values, info.inputs)


@pytest.mark.parametrize("model", sorted(BACKBONES))
def test_every_backbone_counts_what_flop_counter_mode_counts(model, kit):
    graph = kit.single_node_graph(model, ([((3, 64, 64), "float32")], {}), "backbone")
    info = Inference(graph).info("backbone")
    assert info.macs > 0 and info.macs == flop_counter_macs(model, info.values, info.inputs)


def test_counts_of_the_products_and_convolutions_by_hand(kit):
    """The formulas themselves, on shapes where a person can count."""

    def macs(type_name: str, shape: tuple[int, ...], **params) -> int:
        graph = kit.single_node_graph(type_name, ([(shape, "float32")], params))
        return Inference(graph).info("node").macs

    assert macs("Linear", (5, 8), out_features=3) == 5 * 8 * 3  # addmm per row
    assert macs("Linear", (5, 8), out_features=3, bias=False) == 5 * 8 * 3  # mm
    # 2x2 output positions of 4 channels, each 2 in-channels x 3x3 kernel
    assert macs("Conv2d", (2, 4, 4), out_channels=4, kernel_size=3) == 2 * 2 * 4 * 2 * 9
    # grouped: each output channel sees in/groups = 2 of the 4 input channels
    assert macs("Conv1d", (4, 10), out_channels=6, kernel_size=3, groups=2) == 8 * 6 * 2 * 3
    # transposed: the kernel visits each of the 3x3 input positions once per (in, out) pair
    assert macs("ConvTranspose2d", (2, 3, 3), out_channels=5, kernel_size=2) == 9 * 2 * 5 * 4


_MODULES_AFTER = """
import json, sys
from nodeml.cli import main
code = main(sys.argv[1:])
unneeded = ("torchvision", "torch._dynamo", "nodeml.core.training")
print(json.dumps([code, sorted(m for m in unneeded if m in sys.modules)]))
"""


def _modules_after(*argv: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    code, modules = json.loads(done.stdout.splitlines()[-1])
    return code, modules


@pytest.mark.parametrize("graph", ["lenet.json", "lstm_text_classifier.json", "resnet_blocks.json"])
def test_checking_a_graph_without_backbones_imports_neither_torchvision_nor_dynamo(graph):
    """Together they cost 3+ s of `nodeml check` (torchvision for the catalog, dynamo for the
    first meta op); nothing a plain graph needs."""
    code, modules = _modules_after("check", str(ROOT / "sample_graphs" / graph))
    assert (code, modules) == (0, [])


_DYNAMO_LATER = """
import json, sys, torch
from nodeml.core.serialize import load_graph
from nodeml.core.shapes import Inference
Inference(load_graph(sys.argv[1])).totals()
before = "torch._dynamo" in sys.modules
program = torch.export.export(torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU()),
                              (torch.randn(4, 3),))
compiled = torch.compile(lambda x: torch.relu(x) + 1, backend="eager")
ok = bool((compiled(torch.tensor([-1.0, 2.0])) == torch.tensor([1.0, 3.0])).all())
print(json.dumps([before, "torch._dynamo" in sys.modules, ok, len(program.graph.nodes) > 0]))
"""


def test_torch_export_and_compile_work_after_inference_deferred_dynamo():
    """The deferral is taken back the moment torch._dynamo is imported: torch is itself again."""
    done = subprocess.run(
        [sys.executable, "-c", _DYNAMO_LATER, str(ROOT / "sample_graphs" / "lenet.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [False, True, True, True]
