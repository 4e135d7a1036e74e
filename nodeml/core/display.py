"""Numbers and params written for people: ``60 params``, ``1.2 M``, ``6 × 3×3`` (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .catalog import REQUIRED, LayerSpec
from .graph import Node
from .shapes import NodeInfo

_UNITS = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K"))


def format_count(n: int) -> str:
    """``60``, ``61.7 K``, ``1.2 M``: three significant figures at most, unit-suffixed."""
    if abs(n) < 1000:
        return str(int(n))
    for size, unit in _UNITS:
        if abs(n) >= size:
            value = n / size
            text = f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"
            if text.endswith(".0"):
                text = text[:-2]
            return f"{text} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def format_params(n: int) -> str:
    """The label under a node: ``60 params``, ``1 param``, ``1.2 M params``."""
    return f"{format_count(n)} param" + ("" if n == 1 else "s")


def format_macs(n: int) -> str:
    """Multiply-accumulates per sample: ``48.6 K MACs``."""
    return f"{format_count(n)} MACs"


def format_size_mb(params: int) -> str:
    """Parameter memory at fp32: ``0.25 MB``."""
    mb = params * 4 / 1e6
    return f"{mb:.2f} MB" if mb < 100 else f"{mb:.0f} MB"


def _value(node: Node, spec: LayerSpec, info: NodeInfo | None, name: str) -> Any:
    """A param's effective value: resolved by inference, else given, else the default."""
    if info is not None and name in info.values:
        return info.values[name]
    if name in node.params:
        return node.params[name]
    try:
        default = spec.param(name).default
    except KeyError:
        return None
    return None if default is REQUIRED else default


def _dims(spec: LayerSpec) -> int:
    """Spatial dims of a conv / pool type from its name (``Conv2d`` -> 2)."""
    for n in (1, 2, 3):
        if spec.type.endswith(f"{n}d"):
            return n
    return 1


def _window(value: Any, dims: int) -> str:
    """A kernel size as people write it: ``3`` on a 2-d layer is ``3×3``."""
    if value is None:
        return "?"
    items = value if isinstance(value, list | tuple) else [value] * dims
    return "×".join(str(v) for v in items)


def _is_one(value: Any) -> bool:
    return value in (None, 1) or (isinstance(value, list | tuple) and all(v == 1 for v in value))


def _is_zero(value: Any) -> bool:
    return value in (None, 0) or (isinstance(value, list | tuple) and all(v == 0 for v in value))


def _conv(v: Callable[[str], Any], spec: LayerSpec) -> str:
    d = _dims(spec)
    text = f"{v('out_channels')} × {_window(v('kernel_size'), d)}"
    if not _is_one(v("stride")):
        text += f" /{_window(v('stride'), d)}"
    if not _is_zero(v("padding")):
        text += f" pad {_window(v('padding'), 1)}"
    return text


def _pool(v: Callable[[str], Any], spec: LayerSpec) -> str:
    d = _dims(spec)
    text = _window(v("kernel_size"), d)
    stride = v("stride")
    if stride is not None and stride != v("kernel_size"):
        text += f" /{_window(stride, d)}"
    return text


def _recurrent(v: Callable[[str], Any], spec: LayerSpec) -> str:
    text = f"hidden {v('hidden_size')}"
    if (v("num_layers") or 1) > 1:
        text += f" ×{v('num_layers')}"
    if v("bidirectional"):
        text += " bi"
    return text


def _list(value: Any) -> str:
    return (
        "[" + ", ".join(str(x) for x in value) + "]"
        if isinstance(value, list | tuple)
        else str(value)
    )


_BY_TYPE: dict[str, Callable[[Callable[[str], Any], LayerSpec], str]] = {
    "Linear": lambda v, s: f"→{v('out_features')}",
    "Bilinear": lambda v, s: f"→{v('out_features')}",
    "Embedding": lambda v, s: f"{v('num_embeddings')} → {v('embedding_dim')}",
    "RNN": _recurrent,
    "LSTM": _recurrent,
    "GRU": _recurrent,
    "MultiheadAttention": lambda v, s: f"{v('num_heads')} heads",
    "TransformerEncoderLayer": lambda v, s: f"{v('nhead')} heads, ff {v('dim_feedforward')}",
    "GroupNorm": lambda v, s: f"{v('num_groups')} groups",
    "LayerNorm": lambda v, s: _list(v("normalized_shape")),
    "Dropout": lambda v, s: f"p={v('p')}",
    "Dropout2d": lambda v, s: f"p={v('p')}",
    "Softmax": lambda v, s: f"dim={v('dim')}",
    "LogSoftmax": lambda v, s: f"dim={v('dim')}",
    "Concat": lambda v, s: f"dim={v('dim')}",
    "Squeeze": lambda v, s: f"dim={v('dim')}",
    "Unsqueeze": lambda v, s: f"dim={v('dim')}",
    "Reshape": lambda v, s: f"→{_list(v('shape'))}",
    "Unflatten": lambda v, s: f"dim {v('dim')} → {_list(v('unflattened_size'))}",
    "Permute": lambda v, s: _list(v("dims")),
    "Transpose": lambda v, s: f"{v('dim0')} ↔ {v('dim1')}",
    "Select": lambda v, s: f"dim {v('dim')}, index {v('index')}",
    "ZeroPad2d": lambda v, s: f"pad {_list(v('padding'))}",
    "Upsample": lambda v, s: (
        f"×{v('scale_factor')}" if v("size") is None else f"→{_list(v('size'))}"
    ),
    "Input": lambda v, s: "" if v("dtype") in (None, "float32") else str(v("dtype")),
}


def key_params(node: Node, spec: LayerSpec | None, info: NodeInfo | None) -> str:
    """The one or two params that define a layer, short: ``6 × 3×3``, ``→120``, ``p=0.5``."""
    if spec is None:
        return ""

    def v(name: str) -> Any:
        return _value(node, spec, info, name)

    rule = _BY_TYPE.get(spec.type)
    if rule is not None:
        return rule(v, spec)
    if spec.category == "conv":
        return _conv(v, spec)
    if spec.type.startswith("Adaptive"):
        return "→" + _window(v("output_size"), _dims(spec))
    if spec.category == "pooling":
        return _pool(v, spec)
    if spec.category == "norm":
        return str(v("num_features"))
    return ""


__all__ = [
    "format_count",
    "format_macs",
    "format_params",
    "format_size_mb",
    "key_params",
]
