"""nodeml: build PyTorch models visually; the graph compiles to clean nn.Module code."""

from __future__ import annotations

from .core.compile import compile_graph, export_code
from .core.graph import Edge, Graph, Node
from .core.serialize import load_graph, save_graph

__version__ = "0.1.0"

__all__ = ["Edge", "Graph", "Node", "compile_graph", "export_code", "load_graph", "save_graph"]
