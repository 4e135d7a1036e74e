"""What the code generator plans and what it returns: a class to write, and the module written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..graph import Graph
from .model_interface import ModelInterface


def display_name(graph_name: str) -> str:
    """The graph name made safe to place inside a docstring or comment."""
    safe = "".join(c for c in graph_name if c.isalnum() or c in " -_.,()+")
    return safe.strip()[:80] or "Model"


@dataclass
class ClassPlan:
    """One class to write: the model's own, or a block's (see block_classes)."""

    name: str
    graph: Graph
    doc: str
    values: dict[str, dict[str, Any]]  # node id -> params: literals, or CodeName inside blocks
    inputs: list[str]  # forward's arguments (Input node ids)
    outputs: list[str]  # what forward returns (Output node ids)
    signature: str = ""  # __init__'s arguments after self
    mapped: bool = False  # whether its lines map to node ids (the model's own class)
    interface: ModelInterface = field(default_factory=ModelInterface)  # buffers, class names


@dataclass
class GeneratedModule:
    """The source of the model class plus what was generated, as data: where each node's lines
    are, the names the code needs imported, whether the model class is an ``nn.Sequential``."""

    class_name: str
    lines: list[str]
    node_lines: dict[int, str] = field(default_factory=dict)  # 1-based line in `lines` -> node id
    imports: set[str] = field(default_factory=set)  # beyond torch and nn: F, torchvision, ...
    sequential: bool = False  # the model class was written as an nn.Sequential subclass
    inputs: list[str] = field(default_factory=list)  # Input node ids, in forward's order
    outputs: list[str] = field(default_factory=list)  # Output node ids, in return order
    interface: ModelInterface = field(default_factory=ModelInterface)

    @property
    def uses_functional(self) -> bool:
        return "F" in self.imports

    @property
    def uses_torchvision(self) -> bool:
        return "torchvision" in self.imports

    @property
    def uses_ordered_dict(self) -> bool:
        return "OrderedDict" in self.imports
