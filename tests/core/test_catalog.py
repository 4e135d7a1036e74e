"""Every catalog entry: meta-inferred shapes equal a real CPU forward, and both code styles agree."""

from __future__ import annotations

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from nodeml.core.catalog import CATALOG, CATEGORIES, REQUIRED
from nodeml.core.catalog.spec import KINDS
from nodeml.core.compile import compile_result
from nodeml.core.shapes import Inference

# torchvision backbones are whole models: tests/core/test_backbones.py checks them
LAYER_TYPES = sorted(
    t for t in CATALOG if t not in ("Input", "Output") and CATALOG[t].category != "backbone"
)
_SETTINGS = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The issue's list (section 2) plus the built-ins of section 1.
REQUIRED_TYPES = """Linear Bilinear Conv1d Conv2d Conv3d ConvTranspose2d BatchNorm1d BatchNorm2d LayerNorm
GroupNorm InstanceNorm2d Embedding RNN LSTM GRU MultiheadAttention TransformerEncoderLayer Dropout
Dropout2d ReLU LeakyReLU PReLU ELU GELU SiLU Mish Sigmoid Tanh Softmax LogSoftmax Hardswish MaxPool1d
MaxPool2d AvgPool1d AvgPool2d AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveMaxPool2d Upsample Flatten
Unflatten Identity ZeroPad2d Input Output Add Multiply Concat Reshape Squeeze Unsqueeze Permute
Transpose Select""".split()


def test_catalog_has_every_layer_the_issue_lists():
    assert sorted(set(REQUIRED_TYPES) - set(CATALOG)) == []


@pytest.mark.parametrize("type_name", sorted(CATALOG))
def test_entry_is_complete(type_name):
    spec = CATALOG[type_name]
    assert spec.category in CATEGORIES
    desc = spec.description
    assert desc and "\n" not in desc and desc[-1] in ".)" and len(desc) < 200
    assert not any(mark in desc for mark in ("\\", "`", ":math:", ":class:", "{", "}"))
    for p in spec.params:
        assert p.kind in KINDS
        if p.default is not REQUIRED:
            assert p.check(p.default) is None, (p.name, p.default)
        if p.suggested is not None:
            assert p.check(p.suggested) is None, (p.name, p.suggested)
        if p.choices is not None:
            assert all(p.check(c) is None for c in p.choices)
    if spec.module is not None:
        assert spec.module is getattr(torch.nn, type_name)
        assert spec.expr is None
    elif spec.build is not None:  # a torchvision backbone: built and written from one entry
        assert spec.init is not None and spec.expr is None
    else:
        assert type_name in ("Input", "Output") or spec.expr is not None
    if len(spec.outputs) > 1:
        assert spec.unpack is not None and spec.unpack.count("{") == len(spec.outputs)


def test_log_softmax_description_has_no_latex():
    assert CATALOG["LogSoftmax"].description == (
        "Applies the log(Softmax(x)) function to an n-dimensional input Tensor."
    )


def test_linear_description_is_torch_docstring_first_sentence():
    assert CATALOG["Linear"].description.startswith("Applies an affine linear transformation")


def test_inferred_params_are_the_input_size_arguments():
    inferred = {t: [p.name for p in s.params if p.inferred] for t, s in CATALOG.items()}
    assert inferred["Linear"] == ["in_features"]
    assert inferred["Conv2d"] == ["in_channels"]
    assert inferred["BatchNorm2d"] == ["num_features"]
    assert inferred["LSTM"] == ["input_size"]
    assert inferred["MultiheadAttention"] == ["embed_dim"]
    assert inferred["LayerNorm"] == ["normalized_shape"]
    assert inferred["Bilinear"] == ["in1_features", "in2_features"]
    assert inferred["ReLU"] == []


def test_recurrent_and_attention_expose_tuple_elements_as_ports():
    assert CATALOG["LSTM"].outputs == ("output", "h_n", "c_n")
    assert CATALOG["GRU"].outputs == ("output", "h_n")
    assert CATALOG["RNN"].outputs == ("output", "h_n")
    assert CATALOG["MultiheadAttention"].outputs == ("output", "weights")
    assert [p.optional for p in CATALOG["MultiheadAttention"].inputs] == [False, True, True]
    assert len(CATALOG["Bilinear"].inputs) == 2


@pytest.mark.parametrize("type_name", LAYER_TYPES)
def test_parametric_flag_matches_the_built_module(type_name, kit):
    """With the defaults (and a typical input), parametric <=> the module has parameters."""
    spec = CATALOG[type_name]
    g = kit.single_node_graph(type_name, (_typical_inputs(type_name), spec.initial_params()))
    info = Inference(g).info("node")
    assert info.problems == [], [str(p) for p in info.problems]
    assert (info.params > 0) == spec.parametric
    model = compile_result(g).model_class()
    assert (sum(p.numel() for p in model.parameters()) > 0) == spec.parametric


_TYPICAL = {
    "Linear": [(8,)],
    "Bilinear": [(8,), (5,)],
    "Conv1d": [(3, 10)],
    "Conv3d": [(3, 6, 6, 6)],
    "BatchNorm1d": [(4, 7)],
    "LayerNorm": [(5, 8)],
    "Embedding": [((7,), "long")],
    "RNN": [(5, 8)],
    "LSTM": [(5, 8)],
    "GRU": [(5, 8)],
    "MultiheadAttention": [(5, 8)],
    "TransformerEncoderLayer": [(5, 8)],
    "MaxPool1d": [(3, 10)],
    "AvgPool1d": [(3, 10)],
    "AdaptiveAvgPool1d": [(3, 10)],
    "Unflatten": [(784,)],
    "Add": [(4,), (4,)],
    "Multiply": [(4,), (4,)],
    "Concat": [(4,), (3,)],
    "Reshape": [(4, 6)],
    "Squeeze": [(1, 4)],
    "Permute": [(3, 4)],
    "Transpose": [(3, 4)],
}


def _typical_inputs(type_name: str) -> list[tuple[tuple[int, ...], str]]:
    """An input the palette defaults fit (4 channels of 8x8 unless the layer needs otherwise)."""
    shapes = _TYPICAL.get(type_name, [(4, 8, 8)])
    return [s if isinstance(s[-1], str) else (s, "float32") for s in shapes]


class _Fixed:
    """A stand-in for hypothesis' data object that always draws the simplest example."""

    def draw(self, strategy):
        from hypothesis import find

        return find(strategy, lambda _: True)


@pytest.mark.parametrize("type_name", LAYER_TYPES)
@_SETTINGS
@given(data=st.data())
def test_inferred_shapes_equal_real_forward_in_both_styles(type_name, data, kit):
    case = kit.draw_case(data, type_name)
    g = kit.single_node_graph(type_name, case)
    inference = Inference(g)
    assert inference.problems() == [], [str(p) for p in inference.problems()]
    info = inference.info("node")

    modules = compile_result(g, "modules").model_class().eval()
    functional = compile_result(g, "functional").model_class().eval()
    assert list(modules.state_dict()) == list(functional.state_dict())
    functional.load_state_dict(modules.state_dict())
    assert sum(p.numel() for p in modules.parameters()) == info.params

    # batch 1 would trip BatchNorm without running stats (one value per channel), as in torch
    batch = data.draw(st.integers(2, 3), label="batch")
    xs = kit.example_inputs(g, batch=batch)
    with torch.no_grad():
        out_m = kit.as_tuple(modules(*[x.clone() for x in xs]))
        out_f = kit.as_tuple(functional(*[x.clone() for x in xs]))
    assert len(out_m) == len(info.outputs)
    for real, inferred in zip(out_m, info.outputs, strict=True):
        assert tuple(real.shape) == inferred.full_shape(batch)
        assert str(real.dtype).removeprefix("torch.") == _torch_name(inferred.dtype)
    for a, b in zip(out_m, out_f, strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def _torch_name(dtype: str) -> str:
    return {"long": "int64", "int32": "int32"}.get(dtype, dtype)


@pytest.mark.parametrize("type_name", [t for t in LAYER_TYPES if not CATALOG[t].counts_macs])
def test_layers_outside_mac_categories_do_no_multiply_accumulates(type_name, kit):
    """Inference skips the FlopCounterMode for these; a real count proves nothing is missed."""
    case = kit.draw_case(_Fixed(), type_name)
    g = kit.single_node_graph(type_name, case)
    model = compile_result(g).model_class().eval()
    with FlopCounterMode(display=False) as counter:
        model(*kit.example_inputs(g))
    assert counter.get_total_flops() == 0


def test_macs_are_counted_for_one_sample(kit):
    g = kit.single_node_graph("Linear", ([((5, 8), "float32")], {"out_features": 3}))
    assert Inference(g).info("node").macs == 5 * 8 * 3
    g = kit.single_node_graph(
        "Conv2d", ([((2, 6, 6), "float32")], {"out_channels": 4, "kernel_size": 3})
    )
    assert Inference(g).info("node").macs == 4 * 4 * 4 * (2 * 3 * 3)


def test_recurrent_hidden_state_has_its_batch_in_dim_1(kit):
    g = kit.single_node_graph(
        "LSTM", ([((7, 5), "float32")], {"hidden_size": 4, "num_layers": 2, "bidirectional": True})
    )
    outputs = Inference(g).info("node").outputs
    assert [o.describe() for o in outputs] == ["(N, 7, 8)", "(4, N, 4)", "(4, N, 4)"]


@pytest.mark.parametrize(
    ("type_name", "params", "line"),
    [
        ("ZeroPad2d", {"padding": [1, 2, 0, 3]}, "F.pad(x0, (1, 2, 0, 3))"),
        ("ZeroPad2d", {"padding": 2}, "F.pad(x0, (2, 2, 2, 2))"),
        (
            "Upsample",
            {"scale_factor": 2.0, "mode": "bilinear"},
            'F.interpolate(x0, scale_factor=2.0, mode="bilinear")',
        ),
        ("Unflatten", {"dim": 1, "unflattened_size": [2, 6]}, "x0.unflatten(1, (2, 6))"),
        ("Flatten", {}, "torch.flatten(x0, 1)"),
        ("Dropout", {"p": 0.25}, "F.dropout(x0, p=0.25, training=self.training)"),
        ("Softmax", {"dim": -1}, "F.softmax(x0, dim=-1)"),
        ("LeakyReLU", {"negative_slope": 0.2}, "F.leaky_relu(x0, negative_slope=0.2)"),
    ],
)
def test_functional_templates_write_readable_code(type_name, params, line, kit):
    shape = (3, 4, 4) if type_name != "Unflatten" else (12,)
    g = kit.single_node_graph(type_name, ([(shape, "float32")], params))
    source = compile_result(g, "functional").source
    assert f"node = {line}" in source


def test_list_params_reach_torch_as_tuples_like_the_generated_code(kit):
    """nn.Upsample refuses a list scale_factor; the code writes a tuple, so inference must too."""
    g = kit.single_node_graph(
        "Upsample", ([((3, 4, 4), "float32")], {"scale_factor": [2.0, 3.0], "mode": "nearest"})
    )
    assert Inference(g).info("node").shape.describe() == "(N, 3, 8, 12)"
    assert compile_result(g).model_class()(torch.randn(2, 3, 4, 4)).shape == (2, 3, 8, 12)
