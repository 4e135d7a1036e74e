"""Shared test material for the core: graph builders and per-layer example inputs and params."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

import pytest
import torch
from hypothesis import strategies as st

from nodeml.core.catalog import CATALOG
from nodeml.core.graph import Edge, Graph, Node


@pytest.fixture
def one_thread():
    """torch on one thread for the test (modules use it through ``pytestmark``)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


Case = tuple[list[tuple[tuple[int, ...], str]], dict[str, Any]]
"""(inputs as (shape without batch, dtype) per port, params) for one node."""

_i = st.integers


def _img(draw, c=None, rank=3, lo=4, hi=9) -> tuple[int, ...]:
    channels = c if c is not None else draw(_i(1, 4))
    return (channels, *(draw(_i(lo, hi)) for _ in range(rank - 1)))


def _conv(draw, rank: int) -> Case:
    groups = draw(st.sampled_from([1, 1, 2]))
    shape = _img(draw, c=groups * draw(_i(1, 3)), rank=rank, lo=5, hi=9)
    k = draw(_i(1, 3))
    params = {
        "out_channels": groups * draw(_i(1, 3)),
        "kernel_size": k
        if rank == 2 or draw(st.booleans())
        else [k] + [draw(_i(1, 3))] * (rank - 2),
        "stride": draw(_i(1, 2)),
        "padding": draw(_i(0, 1)),
        "groups": groups,
        "bias": draw(st.booleans()),
        "padding_mode": draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"])),
    }
    if draw(st.booleans()):
        params["in_channels"] = shape[0]
    return [(shape, "float32")], params


def _conv_transpose(draw) -> Case:
    stride = draw(_i(1, 2))
    return [(_img(draw), "float32")], {
        "out_channels": draw(_i(1, 4)),
        "kernel_size": draw(_i(1, 3)),
        "stride": stride,
        "padding": draw(_i(0, 1)),
        "output_padding": draw(_i(0, stride - 1)),
    }


def _norm(draw, rank: int) -> Case:
    return [(_img(draw, rank=rank, lo=2, hi=5), "float32")], {
        "eps": draw(st.sampled_from([1e-5, 1e-3])),
        "momentum": draw(st.sampled_from([0.1, 0.5, None])),
        "affine": draw(st.booleans()),
        "track_running_stats": draw(st.booleans()),
    }


def _rnn(draw, type_name: str) -> Case:
    hidden = draw(_i(1, 6))
    params: dict[str, Any] = {
        "hidden_size": hidden,
        "num_layers": draw(_i(1, 2)),
        "bidirectional": draw(st.booleans()),
        "bias": draw(st.booleans()),
    }
    if type_name == "LSTM" and hidden > 1 and draw(st.booleans()):
        params["proj_size"] = draw(_i(1, hidden - 1))
    if type_name == "RNN":
        params["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    return [((draw(_i(1, 5)), draw(_i(1, 6))), "float32")], params


def _attention(draw) -> Case:
    heads = draw(_i(1, 3))
    embed = heads * draw(_i(1, 3))
    lq, lk = draw(_i(1, 4)), draw(_i(1, 4))
    inputs = [((lq, embed), "float32")]
    params: dict[str, Any] = {"num_heads": heads, "add_zero_attn": draw(st.booleans())}
    wiring = draw(st.sampled_from(["self", "key", "key_value"]))
    if wiring != "self":
        kdim = draw(_i(1, 5))
        inputs.append(((lk, kdim), "float32"))
        params["kdim"] = kdim
        params["vdim"] = kdim
    if wiring == "key_value":
        vdim = draw(_i(1, 5))
        inputs.append(((lk, vdim), "float32"))
        params["vdim"] = vdim
    return inputs, params


def _upsample(draw) -> Case:
    rank = draw(_i(2, 3))
    shape = _img(draw, rank=rank, lo=2, hi=5)
    mode = draw(st.sampled_from(["nearest", "linear" if rank == 2 else "bilinear", "area"]))
    params: dict[str, Any] = {"mode": mode}
    if draw(st.booleans()):
        params["scale_factor"] = draw(st.sampled_from([2.0, 1.5, 3, [2.0] * (rank - 1)]))
    else:
        params["scale_factor"] = None
        params["size"] = draw(_i(1, 7)) if draw(st.booleans()) else [draw(_i(1, 7))] * (rank - 1)
    if mode in ("linear", "bilinear"):
        params["align_corners"] = draw(st.booleans())
    return [(shape, "float32")], params


def _pool(draw, rank: int, avg: bool) -> Case:
    k = draw(_i(1, 3))
    params: dict[str, Any] = {
        "kernel_size": k,
        "stride": draw(st.sampled_from([None, 1, 2])),
        "padding": draw(_i(0, k // 2)),
        "ceil_mode": draw(st.booleans()),
    }
    if not avg:
        params["dilation"] = draw(_i(1, 2))
    else:
        params["count_include_pad"] = draw(st.booleans())
    return [(_img(draw, rank=rank, lo=5, hi=9), "float32")], params


def _float_input(draw, lo_rank: int = 1, hi_rank: int = 3) -> tuple[tuple[int, ...], str]:
    return tuple(draw(_i(1, 5)) for _ in range(draw(_i(lo_rank, hi_rank)))), "float32"


def _elementwise(draw, **params: Any) -> Case:
    return [_float_input(draw)], params


def _dim(draw, rank: int) -> int:
    """A dim counted with the batch that is not the batch dim (positive or negative)."""
    d = draw(_i(1, rank))
    return d if draw(st.booleans()) else d - rank - 1


def _merge(draw) -> Case:
    shape = _float_input(draw)[0]
    return [(shape, "float32")] * draw(_i(2, 3)), {}


def _concat(draw) -> Case:
    rank = draw(_i(1, 3))
    dim = _dim(draw, rank)
    inputs = []
    for _ in range(draw(_i(2, 3))):
        shape = [3] * rank
        shape[dim - 1 if dim > 0 else dim] = draw(_i(1, 4))
        inputs.append((tuple(shape), "float32"))
    return inputs, {"dim": dim}


def _softmax(draw) -> Case:
    shape, dtype = _float_input(draw)
    return [(shape, dtype)], {"dim": _dim(draw, len(shape))}


def _flatten(draw) -> Case:
    shape, dtype = _float_input(draw, 1, 4)
    start = draw(_i(1, len(shape)))
    return [(shape, dtype)], {"start_dim": start, "end_dim": draw(st.sampled_from([-1, start]))}


def _unflatten(draw) -> Case:
    a, b = draw(_i(1, 4)), draw(_i(1, 4))
    rest = tuple(draw(_i(1, 3)) for _ in range(draw(_i(0, 2))))
    return [((a * b, *rest), "float32")], {
        "dim": 1,
        "unflattened_size": [a, b] if draw(st.booleans()) else [a, -1],
    }


def _reshape(draw) -> Case:
    a, b = draw(_i(1, 4)), draw(_i(1, 4))
    return [((a * b,), "float32")], {"shape": draw(st.sampled_from([[a, b], [-1, b], [a * b]]))}


def _squeeze(draw) -> Case:
    shape, dtype = _float_input(draw)
    pos = draw(_i(0, len(shape)))
    return [((*shape[:pos], 1, *shape[pos:]), dtype)], {"dim": pos + 1}


def _unsqueeze(draw) -> Case:
    shape, dtype = _float_input(draw)
    return [(shape, dtype)], {"dim": draw(_i(1, len(shape) + 1))}


def _permute(draw) -> Case:
    shape, dtype = _float_input(draw, 1, 3)
    rest = draw(st.permutations(list(range(1, len(shape) + 1))))
    return [(shape, dtype)], {"dims": [0, *rest]}


def _transpose(draw) -> Case:
    shape, dtype = _float_input(draw, 2, 3)
    return [(shape, dtype)], {"dim0": _dim(draw, len(shape)), "dim1": _dim(draw, len(shape))}


def _select(draw) -> Case:
    shape, dtype = _float_input(draw, 1, 3)
    dim = _dim(draw, len(shape))
    size = shape[dim - 1 if dim > 0 else dim]
    return [(shape, dtype)], {"dim": dim, "index": draw(_i(-size, size - 1))}


def _linear(draw) -> Case:
    shape, dtype = _float_input(draw)
    params = {"out_features": draw(_i(1, 6)), "bias": draw(st.booleans())}
    if draw(st.booleans()):
        params["in_features"] = shape[-1]
    return [(shape, dtype)], params


def _bilinear(draw) -> Case:
    lead = tuple(draw(_i(1, 3)) for _ in range(draw(_i(0, 1))))
    return [((*lead, draw(_i(1, 5))), "float32"), ((*lead, draw(_i(1, 5))), "float32")], {
        "out_features": draw(_i(1, 4)),
        "bias": draw(st.booleans()),
    }


def _layer_norm(draw) -> Case:
    shape, dtype = _float_input(draw)
    return [(shape, dtype)], {
        "elementwise_affine": draw(st.booleans()),
        "bias": draw(st.booleans()),
        "eps": draw(st.sampled_from([1e-5, 1e-3])),
    }


def _group_norm(draw) -> Case:
    groups = draw(_i(1, 3))
    shape = _img(draw, c=groups * draw(_i(1, 3)), lo=1, hi=4)
    return [(shape, "float32")], {"num_groups": groups, "affine": draw(st.booleans())}


def _embedding(draw) -> Case:
    vocab = draw(_i(2, 20))
    params: dict[str, Any] = {"num_embeddings": vocab, "embedding_dim": draw(_i(1, 6))}
    if draw(st.booleans()):
        params["padding_idx"] = draw(_i(-vocab, vocab - 1))
    shape = tuple(draw(_i(1, 5)) for _ in range(draw(_i(1, 2))))
    return [(shape, draw(st.sampled_from(["long", "int32"])))], params


def _encoder(draw) -> Case:
    heads = draw(_i(1, 3))
    d_model = heads * draw(_i(1, 3))
    return [((draw(_i(1, 4)), d_model), "float32")], {
        "nhead": heads,
        "dim_feedforward": draw(_i(1, 8)),
        "activation": draw(st.sampled_from(["relu", "gelu"])),
        "norm_first": draw(st.booleans()),
    }


def _prelu(draw) -> Case:
    shape = _img(draw, rank=draw(_i(1, 3)), lo=1, hi=4)
    return [(shape, "float32")], {
        "num_parameters": draw(st.sampled_from([1, shape[0]])),
        "init": draw(st.sampled_from([0.25, 0.1])),
    }


def _adaptive(draw, rank: int) -> Case:
    size = draw(_i(1, 4))
    out = size if rank == 2 or draw(st.booleans()) else [size, draw(_i(1, 4))]
    return [(_img(draw, rank=rank, lo=1, hi=7), "float32")], {"output_size": out}


def _zeropad(draw) -> Case:
    pad = draw(_i(0, 2)) if draw(st.booleans()) else [draw(_i(0, 2)) for _ in range(4)]
    return [(_img(draw, lo=1, hi=4), "float32")], {"padding": pad}


def _dropout(draw, rank: int = 3) -> Case:
    return [(_img(draw, rank=rank, lo=1, hi=4), "float32")], {
        "p": draw(st.sampled_from([0.0, 0.3, 1.0]))
    }


_slope = st.sampled_from([0.01, 0.2])
CASES: dict[str, Callable[[Any], Case]] = {
    "Linear": _linear,
    "Bilinear": _bilinear,
    "Identity": lambda d: _elementwise(d),
    "Conv1d": lambda d: _conv(d, 2),
    "Conv2d": lambda d: _conv(d, 3),
    "Conv3d": lambda d: _conv(d, 4),
    "ConvTranspose2d": _conv_transpose,
    "BatchNorm1d": lambda d: _norm(d, d(_i(1, 2))),
    "BatchNorm2d": lambda d: _norm(d, 3),
    "InstanceNorm2d": lambda d: _norm(d, 3),
    "LayerNorm": _layer_norm,
    "GroupNorm": _group_norm,
    "Embedding": _embedding,
    "RNN": lambda d: _rnn(d, "RNN"),
    "LSTM": lambda d: _rnn(d, "LSTM"),
    "GRU": lambda d: _rnn(d, "GRU"),
    "MultiheadAttention": _attention,
    "TransformerEncoderLayer": _encoder,
    "Dropout": lambda d: _dropout(d, d(_i(1, 3))),
    "Dropout2d": _dropout,
    "ReLU": lambda d: _elementwise(d),
    "LeakyReLU": lambda d: _elementwise(d, negative_slope=d(_slope)),
    "PReLU": _prelu,
    "ELU": lambda d: _elementwise(d, alpha=d(st.sampled_from([1.0, 0.5]))),
    "GELU": lambda d: _elementwise(d, approximate=d(st.sampled_from(["none", "tanh"]))),
    "Softmax": _softmax,
    "LogSoftmax": _softmax,
    "MaxPool1d": lambda d: _pool(d, 2, avg=False),
    "MaxPool2d": lambda d: _pool(d, 3, avg=False),
    "AvgPool1d": lambda d: _pool(d, 2, avg=True),
    "AvgPool2d": lambda d: _pool(d, 3, avg=True),
    "AdaptiveAvgPool1d": lambda d: _adaptive(d, 2),
    "AdaptiveAvgPool2d": lambda d: _adaptive(d, 3),
    "AdaptiveMaxPool2d": lambda d: _adaptive(d, 3),
    "Upsample": _upsample,
    "Flatten": _flatten,
    "Unflatten": _unflatten,
    "ZeroPad2d": _zeropad,
    "Add": _merge,
    "Multiply": _merge,
    "Concat": _concat,
    "Reshape": _reshape,
    "Squeeze": _squeeze,
    "Unsqueeze": _unsqueeze,
    "Permute": _permute,
    "Transpose": _transpose,
    "Select": _select,
}


def draw_case(data: Any, type_name: str) -> Case:
    """Example inputs and valid params for a node type; plain float input for new activations.

    ``data`` is hypothesis' ``st.data()`` object (or anything with a ``draw`` method)."""
    return CASES.get(type_name, lambda d: _elementwise(d))(data.draw)


def single_node_graph(type_name: str, case: Case, node_id: str = "node") -> Graph:
    """Input(s) -> one node -> one Output per output port."""
    inputs, params = case
    spec = CATALOG[type_name]
    g = Graph("probe")
    for port, (shape, dtype) in enumerate(inputs):
        g.add_node(Node(f"x{port}", "Input", {"shape": list(shape), "dtype": dtype}))
    g.add_node(Node(node_id, type_name, dict(params)))
    for port in range(len(inputs)):
        g.connect(Edge(f"x{port}", node_id, 0, port))
    for port in range(len(spec.outputs)):
        g.add_node(Node(f"out{port}", "Output"))
        g.connect(Edge(node_id, f"out{port}", port, 0))
    return g


def example_inputs(graph: Graph, batch: int = 2, seed: int = 0) -> list[torch.Tensor]:
    """Random tensors for the graph's Input nodes; ids stay inside every Embedding's vocabulary."""
    gen = torch.Generator().manual_seed(seed)
    vocab = min(
        (n.params["num_embeddings"] for n in graph.nodes if n.type == "Embedding"), default=3
    )
    out = []
    for n in graph.nodes:
        if n.type != "Input":
            continue
        shape = (batch, *n.params["shape"])
        dtype = n.params.get("dtype", "float32")
        if dtype in ("long", "int32"):
            t = torch.randint(0, vocab, shape, generator=gen)
            out.append(t if dtype == "long" else t.int())
        elif dtype == "bool":
            out.append(torch.randint(0, 2, shape, generator=gen).bool())
        else:
            out.append(torch.randn(shape, generator=gen, dtype=getattr(torch, dtype)))
    return out


def as_tuple(out: Any) -> tuple[torch.Tensor, ...]:
    return out if isinstance(out, tuple) else (out,)


def build_graph(
    nodes: list[tuple[str, str, dict[str, Any]]], edges: list[tuple], name: str = "Test"
) -> Graph:
    """A graph from (id, type, params) triples and (source, target[, source_port, target_port])."""
    g = Graph(name)
    for nid, type_name, params in nodes:
        g.add_node(Node(nid, type_name, dict(params)))
    for e in edges:
        g.connect(Edge(*e))
    return g


LENET = (
    [
        ("image", "Input", {"shape": [1, 32, 32]}),
        ("conv1", "Conv2d", {"out_channels": 6, "kernel_size": 3}),
        ("act1", "ReLU", {}),
        ("pool1", "MaxPool2d", {"kernel_size": 2}),
        ("conv2", "Conv2d", {"out_channels": 16, "kernel_size": 3}),
        ("act2", "ReLU", {}),
        ("pool2", "MaxPool2d", {"kernel_size": 2}),
        ("flat", "Flatten", {}),
        ("fc1", "Linear", {"out_features": 120}),
        ("act3", "ReLU", {}),
        ("fc2", "Linear", {"out_features": 84}),
        ("act4", "ReLU", {}),
        ("fc3", "Linear", {"out_features": 10}),
        ("logits", "Output", {}),
    ],
    "chain",
)


def chain_graph(
    spec: tuple[list[tuple[str, str, dict[str, Any]]], str], name: str = "LeNet"
) -> Graph:
    nodes, _ = spec
    ids = [n[0] for n in nodes]
    return build_graph(nodes, list(zip(ids, ids[1:], strict=False)), name=name)


@pytest.fixture
def lenet() -> Graph:
    """The PyTorch 60-minute blitz LeNet (81,194 params)."""
    return chain_graph(LENET)


@pytest.fixture(scope="session")
def kit() -> types.ModuleType:
    """This module's builders and cases, for tests (conftest modules are not importable by name)."""
    return _THIS


# Captured at import: every conftest.py is imported as the module name "conftest", so by the time
# tests run, sys.modules["conftest"] may be tests/ui's (the full suite failed that way).
_THIS = sys.modules[__name__]
