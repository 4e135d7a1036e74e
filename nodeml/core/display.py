"""Numbers and params written for people: ``60 params``, ``1.2 M``, ``6 × 3×3`` (Qt-free)."""

from __future__ import annotations

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


def key_params(node: Node, spec: LayerSpec | None, info: NodeInfo | None) -> str:
    """The one or two params that define a layer, short: ``6 × 3×3``, ``→120``, ``p=0.5``."""
    if spec is None:
        return ""

    def v(name: str) -> Any:
        return _value(node, spec, info, name)

    return "" if spec.label is None else spec.label(v)


__all__ = [
    "format_count",
    "format_macs",
    "format_params",
    "format_size_mb",
    "key_params",
]
