"""The values a graph holds and announces: nodes, port-to-port edges and the events of its edits."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass
class Node:
    """One node as the file holds it. ``extra`` keeps node keys nodeml does not know yet."""

    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Node:
        return Node(
            self.id, self.type, copy.deepcopy(self.params), self.pos, copy.deepcopy(self.extra)
        )


@dataclass(frozen=True, order=True)
class Edge:
    """A wire from ``source``'s output port to ``target``'s input port."""

    source: str
    target: str
    source_port: int = 0
    target_port: int = 0


class GraphEventKind(StrEnum):
    """What an edit changed (a StrEnum: its values are the names the events had as strings)."""

    NODE_ADDED = "node_added"
    NODE_REMOVED = "node_removed"
    NODE_CHANGED = "node_changed"
    NODE_RENAMED = "node_renamed"
    NODE_MOVED = "node_moved"
    EDGE_ADDED = "edge_added"
    EDGE_REMOVED = "edge_removed"
    # the top-level section ``section`` (e.g. ``training``) changed: no shape does
    SECTION_CHANGED = "section_changed"
    GRAPH_CHANGED = "graph_changed"  # its name, or a wholesale reload
    # the definition of block ``block`` changed, or it was added, removed or renamed: every use
    # of it, and of blocks that use it, must be inferred again
    BLOCK_CHANGED = "block_changed"


# the kinds after which nodes or wires are where they were not: data-flow order changes
STRUCTURE_KINDS = frozenset(
    {
        GraphEventKind.NODE_ADDED,
        GraphEventKind.NODE_REMOVED,
        GraphEventKind.NODE_RENAMED,
        GraphEventKind.EDGE_ADDED,
        GraphEventKind.EDGE_REMOVED,
    }
)


@dataclass(frozen=True)
class GraphEvent:
    """What changed: ``kind``, and the node, edge, block or section it changed."""

    kind: GraphEventKind
    node: str | None = None
    edge: Edge | None = None
    old_id: str | None = None
    block: str | None = None
    section: str | None = None

    def __post_init__(self) -> None:  # a kind given by its value ("node_added") becomes the Enum
        object.__setattr__(self, "kind", GraphEventKind(self.kind))
