"""Live inference: every node's output shapes, parameter and MAC counts, found on the meta device.

``engine`` keeps a graph's results up to date edit by edit, ``node`` infers one node, and
``block_use`` puts a block use's params into its inner graph and sums what runs inside.
"""

from .engine import Inference
from .node import NodeInfo, Totals, build_expr, infer_node, resolve_params, torch_dtype, warm_up

__all__ = [
    "Inference",
    "NodeInfo",
    "Totals",
    "build_expr",
    "infer_node",
    "resolve_params",
    "torch_dtype",
    "warm_up",
]
