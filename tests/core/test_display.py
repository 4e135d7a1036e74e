"""The numbers and key params people read on nodes, the summary and the status bar."""

from __future__ import annotations

import pytest

from nodeml.core.catalog import get_spec
from nodeml.core.display import format_count, format_macs, format_params, format_size_mb, key_params
from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.shapes import Inference


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (60, "60"),
        (999, "999"),
        (1000, "1 K"),
        (61_706, "61.7 K"),
        (120_000, "120 K"),
        (1_200_000, "1.2 M"),
        (25_557_032, "25.6 M"),
        (3_000_000_000, "3 G"),
    ],
)
def test_format_count(n, text):
    assert format_count(n) == text


def test_format_params_and_macs():
    assert format_params(60) == "60 params"
    assert format_params(1) == "1 param"
    assert format_params(1_234_567) == "1.2 M params"
    assert format_macs(48_600) == "48.6 K MACs"
    assert format_size_mb(62_006) == "0.25 MB"


def _key(type_name: str, params: dict, input_shape=(1, 32, 32)) -> str:
    g = Graph()
    g.add_node(Node("x", "Input", {"shape": list(input_shape)}))
    g.add_node(Node("n", type_name, params))
    g.connect(Edge("x", "n"))
    info = Inference(g).info("n")
    return key_params(g.node("n"), get_spec(type_name), info)


def test_key_params_of_common_layers():
    assert _key("Conv2d", {"out_channels": 6, "kernel_size": 3}) == "6 × 3×3"
    assert _key(
        "Conv2d", {"out_channels": 8, "kernel_size": [5, 3], "stride": 2, "padding": 1}
    ) == ("8 × 5×3 /2×2 pad 1")
    assert _key("Linear", {"out_features": 120}, (84,)) == "→120"
    assert _key("MaxPool2d", {"kernel_size": 2}) == "2×2"
    assert _key("AdaptiveAvgPool2d", {"output_size": 1}) == "→1×1"
    assert _key("Dropout", {"p": 0.25}) == "p=0.25"
    assert _key("BatchNorm2d", {}) == "1"  # inferred from the input's channels
    assert _key("LSTM", {"hidden_size": 64, "num_layers": 2}, (10, 8)) == "hidden 64 ×2"
    assert _key("ReLU", {}) == ""


def test_key_params_without_inference_uses_given_values():
    node = Node("fc", "Linear", {"out_features": 10})
    assert key_params(node, get_spec("Linear"), None) == "→10"
    assert key_params(node, None, None) == ""
