"""Undoable edits: each QUndoCommand changes the core graph through its methods and nothing else."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from ..core.graph import Edge, Graph, Node

MOVE_ID = 1  # consecutive drags of the same nodes merge into one undo step
PARAM_ID = 2  # the values typed into one inspector field, applied live, merge into one step


class AddNodeCommand(QUndoCommand):
    def __init__(self, graph: Graph, node: Node, text: str | None = None):
        super().__init__(
            text
            or QCoreApplication.translate("Undo", "Add {type} {id}").format(
                type=node.type, id=node.id
            )
        )
        self.graph, self.node = graph, node.copy()

    def redo(self) -> None:
        self.graph.add_node(self.node.copy())

    def undo(self) -> None:
        self.graph.remove_node(self.node.id)


class RemoveNodeCommand(QUndoCommand):
    """Remove a node with its wires; undo puts it back at its place in node order."""

    def __init__(self, graph: Graph, node_id: str):
        super().__init__(QCoreApplication.translate("Undo", "Delete {id}").format(id=node_id))
        self.graph, self.node_id = graph, node_id
        self._saved: tuple[Node, list[Edge], int] | None = None

    def redo(self) -> None:
        self._saved = self.graph.remove_node(self.node_id)

    def undo(self) -> None:
        node, edges, index = self._saved
        self.graph.add_node(node.copy(), index=index)
        for e in edges:
            if e.source in self.graph and e.target in self.graph:
                self.graph.connect(e)


class ConnectCommand(QUndoCommand):
    def __init__(self, graph: Graph, edge: Edge):
        super().__init__(
            QCoreApplication.translate("Undo", "Connect {source} → {target}").format(
                source=edge.source, target=edge.target
            )
        )
        self.graph, self.edge = graph, edge

    def redo(self) -> None:
        self.graph.connect(self.edge)

    def undo(self) -> None:
        self.graph.disconnect(self.edge)


class DisconnectCommand(QUndoCommand):
    def __init__(self, graph: Graph, edge: Edge):
        super().__init__(
            QCoreApplication.translate("Undo", "Disconnect {source} → {target}").format(
                source=edge.source, target=edge.target
            )
        )
        self.graph, self.edge = graph, edge

    def redo(self) -> None:
        self.graph.disconnect(self.edge)

    def undo(self) -> None:
        self.graph.connect(self.edge)


class SetParamsCommand(QUndoCommand):
    """Replace a node's params dict (one inspector edit). Commands with the same ``merge`` key
    fold into the first (the live values of one field edit); one that ends where it began
    leaves the stack."""

    def __init__(
        self, graph: Graph, node_id: str, params: dict[str, Any], text: str, merge: Any = None
    ):
        super().__init__(text)
        self.graph, self.node_id, self.merge = graph, node_id, merge
        self.new = copy.deepcopy(params)
        self.old = copy.deepcopy(graph.node(node_id).params)

    def id(self) -> int:
        return PARAM_ID if self.merge is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, SetParamsCommand) or other.merge != self.merge:
            return False
        if other.node_id != self.node_id or other.text() != self.text():
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self.graph.set_params(self.node_id, self.new)

    def undo(self) -> None:
        self.graph.set_params(self.node_id, self.old)


class SetExtraCommand(QUndoCommand):
    """Set a node-level key outside params (e.g. ``trainable``)."""

    def __init__(self, graph: Graph, node_id: str, key: str, value: Any, text: str):
        super().__init__(text)
        self.graph, self.node_id, self.key = graph, node_id, key
        self.new = copy.deepcopy(value)
        self.old = copy.deepcopy(graph.node(node_id).extra.get(key))

    def redo(self) -> None:
        self.graph.set_extra(self.node_id, self.key, self.new)

    def undo(self) -> None:
        self.graph.set_extra(self.node_id, self.key, self.old)


class RenameCommand(QUndoCommand):
    def __init__(self, graph: Graph, old: str, new: str):
        super().__init__(
            QCoreApplication.translate("Undo", "Rename {old} → {new}").format(old=old, new=new)
        )
        self.graph, self.old, self.new = graph, old, new

    def redo(self) -> None:
        self.graph.rename(self.old, self.new)

    def undo(self) -> None:
        self.graph.rename(self.new, self.old)


class MoveNodesCommand(QUndoCommand):
    """Move nodes; successive moves of the same set merge (one undo per drag sequence)."""

    def __init__(
        self,
        graph: Graph,
        old: dict[str, tuple[float, float] | None],
        new: dict[str, tuple[float, float]],
        text: str | None = None,
    ):
        super().__init__(text or QCoreApplication.translate("Undo", "Move"))
        self.graph, self.old, self.new = graph, dict(old), dict(new)

    def id(self) -> int:
        return MOVE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, MoveNodesCommand) or set(other.new) != set(self.new):
            return False
        if self.text() != other.text():
            return False
        self.new = dict(other.new)
        return True

    def redo(self) -> None:
        for nid, pos in self.new.items():
            self.graph.move(nid, pos)

    def undo(self) -> None:
        for nid, pos in self.old.items():
            self.graph.move(nid, pos)


class RenameGraphCommand(QUndoCommand):
    def __init__(self, graph: Graph, name: str):
        super().__init__(
            QCoreApplication.translate("Undo", "Rename model to {name}").format(name=name)
        )
        self.graph, self.new, self.old = graph, name, graph.name

    def redo(self) -> None:
        self.graph.set_name(self.new)

    def undo(self) -> None:
        self.graph.set_name(self.old)


class SnapshotCommand(QUndoCommand):
    """An edit that changes much at once (grouping, ungrouping, a library block): the first redo
    runs ``edit(graph)``; undo puts the saved graph back, later redos the saved result."""

    def __init__(self, graph: Graph, text: str, edit: Callable[[Graph], Any]):
        super().__init__(text)
        self.graph, self._edit = graph, edit
        self.before = graph.copy()
        self.after: Graph | None = None
        self.result: Any = None
        self._fresh = False

    def run(self) -> Any:
        """Run the edit now, before the push (Qt swallows exceptions raised inside redo); on
        failure the graph is put back and the exception propagates."""
        try:
            self.result = self._edit(self.graph)
        except Exception:
            self.graph.replace_with(self.before)
            raise
        self.after = self.graph.copy()
        self._fresh = True
        return self.result

    def redo(self) -> None:
        if self.after is None:
            self.run()
        if self._fresh:  # the push right after run(): the graph already shows the result
            self._fresh = False
            return
        self.graph.replace_with(self.after)

    def undo(self) -> None:
        self.graph.replace_with(self.before)
