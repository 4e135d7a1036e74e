"""Short labels of the params that define a layer (``6 × 3×3``, ``→120``, ``p=0.5``).

A catalog entry's ``label`` is called with ``v``: a param's name -> its effective value (resolved
by inference, else given, else the default; None when unknown), see nodeml.core.display.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Value = Callable[[str], Any]
Label = Callable[[Value], str]


def window(value: Any, dims: int) -> str:
    """A kernel size as people write it: ``3`` on a 2-d layer is ``3×3``."""
    if value is None:
        return "?"
    items = value if isinstance(value, list | tuple) else [value] * dims
    return "×".join(str(v) for v in items)


def listed(value: Any) -> str:
    return (
        "[" + ", ".join(str(x) for x in value) + "]"
        if isinstance(value, list | tuple)
        else str(value)
    )


def _is_one(value: Any) -> bool:
    return value in (None, 1) or (isinstance(value, list | tuple) and all(v == 1 for v in value))


def _is_zero(value: Any) -> bool:
    return value in (None, 0) or (isinstance(value, list | tuple) and all(v == 0 for v in value))


def conv(dims: int) -> Label:
    def label(v: Value) -> str:
        text = f"{v('out_channels')} × {window(v('kernel_size'), dims)}"
        if not _is_one(v("stride")):
            text += f" /{window(v('stride'), dims)}"
        if not _is_zero(v("padding")):
            text += f" pad {window(v('padding'), 1)}"
        return text

    return label


def pool(dims: int) -> Label:
    def label(v: Value) -> str:
        text = window(v("kernel_size"), dims)
        stride = v("stride")
        if stride is not None and stride != v("kernel_size"):
            text += f" /{window(stride, dims)}"
        return text

    return label


def adaptive_pool(dims: int) -> Label:
    return lambda v: "→" + window(v("output_size"), dims)


def recurrent(v: Value) -> str:
    text = f"hidden {v('hidden_size')}"
    if (v("num_layers") or 1) > 1:
        text += f" ×{v('num_layers')}"
    if v("bidirectional"):
        text += " bi"
    return text


def param(name: str) -> Label:
    """``dim=1``, ``p=0.5``: one param by name."""
    return lambda v: f"{name}={v(name)}"


def arrow(name: str) -> Label:
    """``→120``: the size a layer maps to."""
    return lambda v: f"→{v(name)}"


def num_features(v: Value) -> str:
    return str(v("num_features"))
