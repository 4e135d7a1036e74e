"""Which catalog layers can take a given tensor, judged by each entry's own shape rule.

Quick-add offers only these when a wire is released on empty canvas: a ``(N, 64)`` tensor is
not offered Conv2d. There is no second table of ranks: each layer is built with the params a new
node gets and run on a meta tensor of that shape, exactly as live inference would run it; an
entry that states its own input check (the pretrained backbones) is judged by that check alone,
which says the same without building a whole network.
"""

from __future__ import annotations

import functools
import warnings

from .catalog import CATALOG, LayerSpec, TensorInfo
from .graph import Node
from .shapes import infer_node

# what a tensor can get wrong; a missing or refused param is the user's to set, not a misfit
MISFITS = frozenset({"shape", "dtype", "batch"})


def takes_input(spec: LayerSpec) -> bool:
    """Whether the layer has an input port at all (an Input node has none)."""
    return bool(spec.inputs) or spec.variadic


def fits(spec: LayerSpec, tensor: TensorInfo) -> bool:
    """Whether a new node of ``spec`` accepts ``tensor`` on its first input."""
    if not takes_input(spec):
        return False
    if spec.check_inputs is not None:
        floats = spec.input_dtype != "float" or tensor.is_float
        return floats and spec.check_inputs([tensor]) is None
    probe = Node("probe", spec.type, spec.initial_params())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation notes about odd ranks
        info = infer_node(probe, spec, [tensor], [])
    return not any(p.kind in MISFITS for p in info.problems)


@functools.lru_cache(maxsize=64)
def layers_taking(tensor: TensorInfo) -> frozenset[str]:
    """The catalog types whose first input accepts ``tensor`` (cached per tensor)."""
    return frozenset(spec.type for spec in CATALOG.values() if fits(spec, tensor))


__all__ = ["fits", "layers_taking", "takes_input"]
