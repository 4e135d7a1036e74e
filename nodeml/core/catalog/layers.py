"""The torch.nn layers nodeml offers, one catalog line each (grouped by family)."""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from . import labels
from .nn_layer import nn_layer
from .rules import channels, last_dim, last_dim_list, second_input_last_dim
from .spec import CodeArgs, ParamSpec, PortSpec, call, literal


def _int(name: str, suggested: int | None = None, minimum: int = 1, **kw) -> ParamSpec:
    return ParamSpec(name, "int", minimum=minimum, suggested=suggested, **kw)


def _inferred(name: str, rule, kind: str = "int") -> ParamSpec:
    return ParamSpec(name, kind, minimum=1, infer=rule, doc="inferred from the input")


def _size(name: str, suggested=None, minimum: int = 1, **kw) -> ParamSpec:
    return ParamSpec(name, "size", minimum=minimum, suggested=suggested, **kw)


def _p(name: str = "p") -> ParamSpec:
    return ParamSpec(name, "float", minimum=0.0, maximum=1.0)


_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _spatial(module: type[nn.Module]) -> int:
    """How many spatial dims a ``Conv2d``-style layer works over: its name says (1d, 2d, 3d)."""
    return int(module.__name__[-2])


def _conv(module: type[nn.Module]) -> object:
    n = _spatial(module)
    return nn_layer(
        module,
        "conv",
        parametric=True,
        label=labels.conv(n),
        params=[
            _inferred("in_channels", channels),
            _int("out_channels", 16),
            _size("kernel_size", 3, length=n),
            _size("stride", length=n),
            _size("padding", minimum=0, length=n),
            _size("dilation", length=n),
            _int("groups"),
            ParamSpec("padding_mode", "str", choices=_PADDING_MODES),
        ],
    )


def _norm(module: type[nn.Module], parametric: bool = True) -> object:
    params = [
        _inferred("num_features", channels),
        ParamSpec("eps", "float", minimum=0.0),
        ParamSpec("momentum", "float", minimum=0.0, maximum=1.0, nullable=True),
    ]
    return nn_layer(module, "norm", parametric=parametric, params=params, label=labels.num_features)


# nodeml tensors are batch-first everywhere (inference relies on it); torch's default is False,
# so the generated code always spells batch_first=True.
_BATCH_FIRST = ParamSpec(
    "batch_first",
    "bool",
    default=True,
    torch_default=False,
    choices=(True,),
    doc="always true: nodeml tensors put the batch first",
)


def _rnn(module: type[nn.Module], extra: list[ParamSpec], outputs: tuple[str, ...], unpack: str):
    params = [
        _inferred("input_size", last_dim),
        ParamSpec("hidden_size", "int", minimum=1, suggested=64),
        ParamSpec("num_layers", "int", minimum=1, default=1, torch_default=1),
        *extra,
        ParamSpec("bias", "bool", default=True, torch_default=True),
        _BATCH_FIRST,
        ParamSpec("dropout", "float", minimum=0.0, maximum=1.0, default=0.0, torch_default=0.0),
        ParamSpec("bidirectional", "bool", default=False, torch_default=False),
    ]
    return nn_layer(
        module,
        "recurrent",
        parametric=True,
        params=params,
        outputs=outputs,
        unpack=unpack,
        output_batch_dims=(0, 1, 1)[: len(outputs)],  # h_n / c_n are (layers, N, hidden)
        label=labels.recurrent,
        description=f"{module.__name__} recurrent layer over a (N, time, features) sequence; "
        "outputs the sequence and the final hidden state(s).",
    )


def _dropout(module: type[nn.Module], fn: str) -> object:
    """``F.dropout(x, p, training=self.training)`` in functional code."""
    return nn_layer(
        module,
        "dropout",
        params=[_p()],
        functional=lambda a: call(fn, a.x, a.args(), "training=self.training"),
        functional_imports=("F",),
        label=labels.param("p"),
    )


def _flatten(a: CodeArgs) -> str:
    return f"torch.flatten({a.x}, {a.r('start_dim')}, {a.r('end_dim')})".replace(", -1)", ")")


def _upsample(a: CodeArgs) -> str:
    return call("F.interpolate", a.x, a.args())


def _softmax(module: type[nn.Module], fn: str) -> object:
    """Softmax and LogSoftmax: ``dim`` always written (torch's implicit dim is deprecated)."""
    return nn_layer(
        module,
        _ACT,
        functional=lambda a: call(fn, a.x, f"dim={a.r('dim')}"),
        functional_imports=("F",),
        params=[ParamSpec("dim", "int", default=1, torch_default=None)],
        label=labels.param("dim"),
    )


def _unflatten(a: CodeArgs) -> str:
    return f"{a.x}.unflatten({a.r('dim')}, {a.r('unflattened_size')})"


def _zeropad(a: CodeArgs) -> str:
    pad = a.values["padding"]
    return call("F.pad", a.x, literal([pad] * 4 if isinstance(pad, int) else pad))


_ACT = "activation"
_POOL = "pooling"
_SHAPE = "shape"
_LINEAR = "linear"


def _pool(
    module: type[nn.Module],
    functional: str,
    *,
    dilation: bool = False,
    extra: Sequence[ParamSpec] = (),
    skip: Sequence[str] = (),
):
    """Max / average pooling: kernel 2 by default; stride None means the kernel size."""
    n = _spatial(module)
    params = [
        _size("kernel_size", 2, length=n),
        _size("stride", nullable=True, length=n),
        _size("padding", minimum=0, length=n),
    ]
    if dilation:
        params.append(_size("dilation", length=n))
    return nn_layer(
        module,
        _POOL,
        functional=functional,
        params=[*params, *extra],
        skip=skip,
        label=labels.pool(n),
    )


def _adaptive_pool(module: type[nn.Module], functional: str, skip: Sequence[str] = ()):
    n = _spatial(module)
    return nn_layer(
        module,
        _POOL,
        functional=functional,
        params=[_size("output_size", 1, length=n)],
        skip=skip,
        label=labels.adaptive_pool(n),
    )


SPECS = [
    # linear
    nn_layer(
        nn.Linear,
        _LINEAR,
        parametric=True,
        params=[_inferred("in_features", last_dim), _int("out_features", 64)],
        label=labels.arrow("out_features"),
    ),
    nn_layer(
        nn.Bilinear,
        _LINEAR,
        parametric=True,
        params=[
            _inferred("in1_features", last_dim),
            _inferred("in2_features", second_input_last_dim),
            _int("out_features", 64),
        ],
        inputs=(PortSpec("input1"), PortSpec("input2")),
        label=labels.arrow("out_features"),
    ),
    nn_layer(
        nn.Identity,
        _SHAPE,
        functional=lambda a: a.x,
        description="A placeholder that passes its input on unchanged.",
    ),
    # convolution
    _conv(nn.Conv1d),
    _conv(nn.Conv2d),
    _conv(nn.Conv3d),
    nn_layer(
        nn.ConvTranspose2d,
        "conv",
        parametric=True,
        params=[
            _inferred("in_channels", channels),
            _int("out_channels", 16),
            _size("kernel_size", 2, length=2),
            _size("stride", length=2),
            _size("padding", minimum=0, length=2),
            _size("output_padding", minimum=0, length=2),
            _int("groups"),
            _size("dilation", length=2),
            ParamSpec("padding_mode", "str", choices=("zeros",)),
        ],
        label=labels.conv(2),
    ),
    # normalisation
    _norm(nn.BatchNorm1d),
    _norm(nn.BatchNorm2d),
    # affine=False by default: no weights unless asked, and kept a module in both code styles
    _norm(nn.InstanceNorm2d, parametric=False),
    nn_layer(
        nn.LayerNorm,
        "norm",
        parametric=True,
        params=[
            ParamSpec(
                "normalized_shape",
                "size",
                minimum=1,
                infer=last_dim_list,
                doc="inferred: the last dim",
            ),
            ParamSpec("eps", "float", minimum=0.0),
        ],
        label=lambda v: labels.listed(v("normalized_shape")),
    ),
    nn_layer(
        nn.GroupNorm,
        "norm",
        parametric=True,
        params=[
            _int("num_groups", 2),
            _inferred("num_channels", channels),
            ParamSpec("eps", "float", minimum=0.0),
        ],
        label=lambda v: f"{v('num_groups')} groups",
    ),
    # embedding and recurrent
    nn_layer(
        nn.Embedding,
        _LINEAR,
        parametric=True,
        input_dtype="int",
        id_limit="num_embeddings",
        label=lambda v: f"{v('num_embeddings')} → {v('embedding_dim')}",
        params=[
            _int("num_embeddings", 1000),
            _int("embedding_dim", 64),
            ParamSpec("padding_idx", "int", nullable=True),
            ParamSpec("max_norm", "float", nullable=True, minimum=0.0),
            ParamSpec("norm_type", "float", minimum=0.0),
        ],
        skip=("_weight", "_freeze", "sparse"),
    ),
    _rnn(
        nn.RNN,
        [
            ParamSpec(
                "nonlinearity",
                "str",
                default="tanh",
                torch_default="tanh",
                choices=("tanh", "relu"),
            )
        ],
        ("output", "h_n"),
        "{0}, {1}",
    ),
    _rnn(
        nn.LSTM,
        [ParamSpec("proj_size", "int", minimum=0, default=0, torch_default=0)],
        ("output", "h_n", "c_n"),
        "{0}, ({1}, {2})",
    ),
    _rnn(nn.GRU, [], ("output", "h_n"), "{0}, {1}"),
    # attention
    nn_layer(
        nn.MultiheadAttention,
        "attention",
        parametric=True,
        params=[
            _inferred("embed_dim", last_dim),
            _int("num_heads", 4),
            ParamSpec("dropout", "float", minimum=0.0, maximum=1.0),
            ParamSpec("kdim", "int", nullable=True, minimum=1),
            ParamSpec("vdim", "int", nullable=True, minimum=1),
            _BATCH_FIRST,
        ],
        inputs=(
            PortSpec("query"),
            PortSpec("key", optional=True, default_from=0),
            PortSpec("value", optional=True, default_from=1),
        ),
        outputs=("output", "weights"),
        unpack="{0}, {1}",
        label=lambda v: f"{v('num_heads')} heads",
    ),
    nn_layer(
        nn.TransformerEncoderLayer,
        "attention",
        parametric=True,
        params=[
            _inferred("d_model", last_dim),
            _int("nhead", 4),
            _int("dim_feedforward"),
            ParamSpec("dropout", "float", minimum=0.0, maximum=1.0),
            ParamSpec(
                "activation", "str", default="relu", torch_default="relu", choices=("relu", "gelu")
            ),
            ParamSpec("layer_norm_eps", "float", minimum=0.0),
            _BATCH_FIRST,
        ],
        label=lambda v: f"{v('nhead')} heads, ff {v('dim_feedforward')}",
    ),
    # dropout
    _dropout(nn.Dropout, "F.dropout"),
    _dropout(nn.Dropout2d, "F.dropout2d"),
    # activations
    nn_layer(nn.ReLU, _ACT, functional="F.relu"),
    nn_layer(nn.LeakyReLU, _ACT, functional="F.leaky_relu"),
    nn_layer(
        nn.PReLU, _ACT, parametric=True, params=[_int("num_parameters"), ParamSpec("init", "float")]
    ),
    nn_layer(nn.ELU, _ACT, functional="F.elu"),
    nn_layer(
        nn.GELU,
        _ACT,
        functional="F.gelu",
        params=[ParamSpec("approximate", "str", choices=("none", "tanh"))],
    ),
    nn_layer(nn.SiLU, _ACT, functional="F.silu"),
    nn_layer(nn.Mish, _ACT, functional="F.mish"),
    nn_layer(nn.Sigmoid, _ACT, functional="torch.sigmoid"),
    nn_layer(nn.Tanh, _ACT, functional="torch.tanh"),
    _softmax(nn.Softmax, "F.softmax"),
    _softmax(nn.LogSoftmax, "F.log_softmax"),
    nn_layer(nn.Hardswish, _ACT, functional="F.hardswish"),
    # the mobilenets' activations, so torchvision's models import and compile
    nn_layer(nn.ReLU6, _ACT, functional="F.relu6"),
    nn_layer(nn.Hardsigmoid, _ACT, functional="F.hardsigmoid"),
    # pooling
    _pool(nn.MaxPool1d, "F.max_pool1d", dilation=True, skip=("return_indices",)),
    _pool(nn.MaxPool2d, "F.max_pool2d", dilation=True, skip=("return_indices",)),
    _pool(nn.AvgPool1d, "F.avg_pool1d"),
    _pool(
        nn.AvgPool2d,
        "F.avg_pool2d",
        extra=[ParamSpec("divisor_override", "int", nullable=True, minimum=1)],
    ),
    _adaptive_pool(nn.AdaptiveAvgPool1d, "F.adaptive_avg_pool1d"),
    _adaptive_pool(nn.AdaptiveAvgPool2d, "F.adaptive_avg_pool2d"),
    _adaptive_pool(nn.AdaptiveMaxPool2d, "F.adaptive_max_pool2d", skip=("return_indices",)),
    nn_layer(
        nn.Upsample,
        _POOL,
        functional=_upsample,
        functional_imports=("F",),
        label=lambda v: (
            f"×{v('scale_factor')}" if v("size") is None else f"→{labels.listed(v('size'))}"
        ),
        params=[
            ParamSpec("size", "size", nullable=True, minimum=1),
            ParamSpec(
                "scale_factor", "floats", nullable=True, minimum=0.0, suggested=2.0, default=2.0
            ),
            ParamSpec(
                "mode",
                "str",
                choices=(
                    "nearest",
                    "linear",
                    "bilinear",
                    "bicubic",
                    "trilinear",
                    "area",
                    "nearest-exact",
                ),
            ),
            ParamSpec("align_corners", "bool", nullable=True),
        ],
        skip=("recompute_scale_factor",),
    ),
    # shape
    nn_layer(
        nn.Flatten,
        _SHAPE,
        functional=_flatten,
        # a size mismatch after it names the shape it flattened
        input_note=lambda t: f"shape {list(t.shape)} flattened",
    ),
    nn_layer(
        nn.Unflatten,
        _SHAPE,
        functional=_unflatten,
        label=lambda v: f"dim {v('dim')} → {labels.listed(v('unflattened_size'))}",
        params=[
            ParamSpec("dim", "int", suggested=1),
            ParamSpec("unflattened_size", "ints", minimum=-1, suggested=[1, 28, 28]),
        ],
    ),
    nn_layer(
        nn.ZeroPad2d,
        _SHAPE,
        functional=_zeropad,
        functional_imports=("F",),
        params=[_size("padding", 1, minimum=0, length=4)],
        label=lambda v: f"pad {labels.listed(v('padding'))}",
    ),
]
