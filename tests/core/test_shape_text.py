"""Shape errors speak one notation: the graph's (N, 784), never the meta batch torch saw."""

from __future__ import annotations

import re

from nodeml.core.catalog import TensorInfo
from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.shape_text import batch_notation
from nodeml.core.shapes import Inference


def _problem(shape: list[int], type_name: str, params: dict) -> str:
    g = Graph("t")
    g.add_node(Node("x", "Input", {"shape": shape}))
    g.add_node(Node("n", type_name, params))
    g.connect(Edge("x", "n"))
    (problem,) = Inference(g).info("n").problems
    return problem.message


def test_a_wiring_error_names_the_tensor_as_the_graph_does():
    message = _problem([784], "Conv2d", {"out_channels": 6, "kernel_size": 3})
    assert message.startswith("Conv2d cannot take input (N, 784):")
    assert "got input of size: (N, 784)" in message
    assert "[2, 784]" not in message and not re.search(r"\[\d+, 784\]", message)


def test_a_reshape_error_counts_the_batch_as_n():
    message = _problem([64], "Reshape", {"shape": [3, 3]})
    assert "shape '(N, 3, 3)' is invalid for input of size N×64" in message


def test_the_meta_batch_is_rewritten_wherever_it_sits_and_only_there():
    h_n = TensorInfo((1, 8), batch_dim=1)  # an LSTM's h_n: (1, N, 8)
    text = "got torch.Size([1, 3, 8]) then [1, 3, 8] and 1x3x8; range [-3, 2]; kernel (3 x 3)"
    assert batch_notation(text, [h_n], 3) == (
        "got (1, N, 8) then (1, N, 8) and 1xNx8; range [-3, 2]; kernel (3 x 3)"
    )
    image = TensorInfo((3, 4, 4))
    assert batch_notation("input (2, 3, 4, 4) vs [2, 5]", [image], 2) == (
        "input (N, 3, 4, 4) vs (N, 5)"
    )
