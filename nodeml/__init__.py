"""nodeml: build PyTorch models visually; the graph compiles to clean nn.Module code."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Where each public name lives. They load on first use, so ``nodeml`` (the app's entry point)
# can put a window on screen before torch is imported: that import alone takes seconds.
_EXPORTS = {
    "Edge": "nodeml.core.graph",
    "Graph": "nodeml.core.graph",
    "Node": "nodeml.core.graph",
    "compile_graph": "nodeml.core.compile",
    "export_code": "nodeml.core.compile",
    "load_graph": "nodeml.core.serialize",
    "save_graph": "nodeml.core.serialize",
}

__all__ = ["Edge", "Graph", "Node", "compile_graph", "export_code", "load_graph", "save_graph"]

if TYPE_CHECKING:
    from .core.compile import compile_graph, export_code
    from .core.graph import Edge, Graph, Node
    from .core.serialize import load_graph, save_graph


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nodeml' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
