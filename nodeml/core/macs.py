"""Counting a layer's multiply-accumulates during one meta run, per aten op, from its shapes.

``torch.utils.flop_counter.FlopCounterMode`` counts the same way, but importing it imports triton
(0.1-0.15 s where a CUDA build of torch is installed), and torch wraps every dispatch mode's
``__torch_dispatch__`` in ``torch._disable_dynamo``, which imports ``torch._dynamo`` on the first
counted op (1-2 s, more on a busy machine): start-up that ``nodeml check`` and the app's first
shapes would pay. This mode opts out of that wrapping (a meta run is never compiled) and counts
the ops that the catalog's layers reach -- matrix products and convolutions -- with the same
formulas and the same rule for other ops (an op that decomposes is counted by its parts). A test holds the counts equal to ``FlopCounterMode``'s (halved: it counts
a MAC as two flops) for every catalog layer.
"""

from __future__ import annotations

from collections.abc import Callable
from math import prod
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


def _matmul(a: torch.Tensor, b: torch.Tensor, *_: Any, **__: Any) -> int:
    """``[m, k] @ [k, n]``, or batched ``[b, m, k] @ [b, k, n]``: one MAC per (b,) m, n, k."""
    return prod(a.shape) * b.shape[-1]


def _add_matmul(bias: torch.Tensor, a: torch.Tensor, b: torch.Tensor, *_: Any, **__: Any) -> int:
    return _matmul(a, b)  # the addition is not a multiply-accumulate


def _convolution(
    x: torch.Tensor, weight: torch.Tensor, bias: Any, stride: Any, padding: Any,
    dilation: Any, transposed: bool, *_: Any, out: torch.Tensor, **__: Any,
) -> int:  # fmt: skip
    """Each position the kernel visits: in_channels/groups x kernel MACs per output channel.

    The kernel visits the output positions of a convolution and the input positions of a
    transposed one; ``weight`` is (out, in/groups, *k) and (in, out/groups, *k) respectively,
    so both are ``weight.shape[0] * weight.shape[1] * prod(k)`` per position and sample."""
    visited = (x if transposed else out).shape
    return visited[0] * prod(visited[2:]) * prod(weight.shape)


# by op packet, as FlopCounterMode's registry: every overload of an op shares its formula
FORMULAS: dict[Any, Callable[..., int]] = {
    aten.mm: _matmul,
    aten.bmm: _matmul,
    aten.addmm: _add_matmul,
    aten.baddbmm: _add_matmul,
    aten.convolution: _convolution,
    aten._convolution: _convolution,
}

# ops that only ask for a tensor's metadata; FlopCounterMode declines them the same way
_METADATA_OPS = {
    aten.sym_is_contiguous.default,
    aten.is_contiguous.default,
    aten.is_contiguous.memory_format,
    aten.is_strides_like_format.default,
    aten.is_non_overlapping_and_dense.default,
    aten.size.default,
    aten.sym_size.default,
    aten.stride.default,
    aten.sym_stride.default,
    aten.storage_offset.default,
    aten.sym_storage_offset.default,
    aten.numel.default,
    aten.sym_numel.default,
    aten.dim.default,
    torch.ops.prim.layout.default,
}


class MacCounter(TorchDispatchMode):
    """``with MacCounter() as counter: fn(*tensors)``; then ``counter.per_sample(batch)``."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # torch's hook for a mode to opt out of the _disable_dynamo wrapping (see the module doc)
        return False

    def per_sample(self, batch: int) -> int:
        return self.total // batch

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        if func in _METADATA_OPS:
            return NotImplemented
        if func is not torch.ops.prim.device.default:  # as FlopCounterMode: decompose first
            with self:
                decomposed = func.decompose(*args, **kwargs)
                if decomposed is not NotImplemented:
                    return decomposed
        out = func(*args, **kwargs)
        formula = FORMULAS.get(func._overloadpacket)
        if formula is not None:
            self.total += formula(*args, **kwargs, out=out)
        return out
