"""One open model: its core Graph, live Inference and QUndoStack; the only place edits are pushed."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core import transfer
from ..core.blocks import (
    PARAM_REF,
    BlockParam,
    LibraryBlock,
    block_uses,
    group_into_block,
    insert_block,
    remove_block,
    set_block_params,
    spec_for,
    ungroup,
)
from ..core.errors import GraphEditError
from ..core.graph import Edge, Graph, GraphEvent, Node, id_problem
from ..core.serialize import edge_to_dict, graph_from_dict, load_graph, node_to_dict, save_graph
from ..core.shapes import Inference
from .commands import (
    AddNodeCommand,
    ConnectCommand,
    DisconnectCommand,
    MoveNodesCommand,
    RemoveNodeCommand,
    RenameCommand,
    RenameGraphCommand,
    SetExtraCommand,
    SetParamsCommand,
    SnapshotCommand,
)
from .edit_texts import refused, undo_text

CLIPBOARD_MIME = "application/x-nodeml-nodes"


class Document(QObject):
    """Views read ``graph`` and ``inference``; every change goes through a method here.

    Signals: ``graph_event`` (each core GraphEvent, for views mirroring nodes and wires),
    ``inferred`` (after inference caught up with an edit: redraw numbers and problems),
    ``file_state_changed`` (path or modified flag), ``read_only_changed``.
    """

    graph_event = Signal(object)
    inferred = Signal()
    file_state_changed = Signal()
    read_only_changed = Signal(bool)
    reloaded = Signal()  # the whole graph was replaced (new / open)
    block_name: str | None = None  # the block whose definition it edits (None: the model)

    def __init__(
        self,
        graph: Graph | None = None,
        parent: QObject | None = None,
        undo_stack: QUndoStack | None = None,
    ):
        super().__init__(parent)
        self.graph = graph if graph is not None else Graph("Untitled")
        self.inference = self._make_inference()
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.path: Path | None = None
        self._read_only = False
        self._connect_graph()
        self.undo_stack.indexChanged.connect(self._after_edit)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)

    def _make_inference(self) -> Inference:
        return Inference(self.graph)

    def _connect_graph(self) -> None:
        self.graph.changed.connect(self.graph_event.emit)

    @property
    def model(self) -> Graph:
        """The whole model's graph (a block's document edits one definition inside it)."""
        return self.graph

    # ---- state -------------------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, value: bool) -> None:
        """While training, the graph is frozen: edits are refused."""
        if value != self._read_only:
            self._read_only = value
            self.read_only_changed.emit(value)

    def title(self) -> str:
        name = self.path.name if self.path else self.graph.name
        return ("• " if self.modified else "") + name

    def _on_clean_changed(self, _clean: bool) -> None:
        self.file_state_changed.emit()

    def _after_edit(self, _index: int = 0) -> None:
        self.inference.update()
        self.inferred.emit()

    def push(self, command: QUndoCommand) -> bool:
        """Run a command through the undo stack; False when refused because read-only.

        Commands are checked before they are pushed (Qt swallows exceptions raised in redo)."""
        if self._read_only:
            return False
        self.undo_stack.push(command)
        return True

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """The edits made inside are one undo step."""
        self.undo_stack.beginMacro(text)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    # ---- edits -------------------------------------------------------------------------------
    def add_node(
        self,
        type_name: str,
        pos: tuple[float, float] | None = None,
        params: dict[str, Any] | None = None,
        node_id: str | None = None,
    ) -> str:
        """Add a node of a catalog type or a block of this model; a required param gets its
        catalog suggestion."""
        spec = spec_for(self.graph, type_name)
        if spec is None:
            raise GraphEditError(refused("unknown_type", type=type_name))
        nid = node_id or self.graph.unique_id(_id_stem(type_name))
        self._check_new_id(nid)
        initial = spec.initial_params() if params is None else dict(params)
        self.push(AddNodeCommand(self.graph, Node(nid, type_name, initial, pos)))
        return nid

    def add_after(self, type_name: str, pos: tuple[float, float], source: str | None) -> str:
        """Add a node wired from ``source``'s first output, one undo step: building a chain by
        double-clicking palette entries one after another."""
        spec = spec_for(self.graph, type_name)
        src_spec = (
            spec_for(self.graph, self.graph.node(source).type) if source in self.graph else None
        )
        if (
            spec is None
            or src_spec is None
            or not src_spec.outputs
            or not (spec.inputs or spec.variadic)
        ):
            return self.add_node(type_name, pos)
        with self.macro(undo_text("add_after", type=type_name, id=source)):
            nid = self.add_node(type_name, pos)
            self.push(ConnectCommand(self.graph, Edge(source, nid, 0, 0)))
        return nid

    def remove_nodes(self, ids: Iterable[str], edges: Iterable[Edge] = ()) -> None:
        """Delete nodes and wires in one undo step."""
        ids, edges = list(ids), [e for e in edges if e.source not in ids and e.target not in ids]
        if not ids and not edges:
            return
        with self.macro(undo_text("delete", what=_what(ids, edges))):
            for e in edges:
                self.push(DisconnectCommand(self.graph, e))
            for nid in ids:
                self.push(RemoveNodeCommand(self.graph, nid))

    def connect(self, edge: Edge, replace: bool = True) -> None:
        """Wire two ports; with ``replace`` a wire already on the input port is swapped out."""
        old = [e for e in self.graph.in_edges(edge.target) if e.target_port == edge.target_port]
        if old and not replace:
            raise GraphEditError(refused("connected", port=edge.target_port, id=edge.target))
        if old:
            with self.macro(undo_text("reconnect", id=edge.target)):
                self.push(DisconnectCommand(self.graph, old[0]))
                self.push(ConnectCommand(self.graph, edge))
        else:
            self.push(ConnectCommand(self.graph, edge))

    def disconnect(self, edge: Edge) -> None:
        self.push(DisconnectCommand(self.graph, edge))

    def reconnect(self, old: Edge, new: Edge) -> None:
        """Drag a wire end elsewhere: one undo step."""
        with self.macro(undo_text("rewire", source=old.source, target=new.target)):
            self.push(DisconnectCommand(self.graph, old))
            self.connect(new)

    def set_param(self, node_id: str, name: str, value: Any, merge: Any = None) -> None:
        """Set one param. Successive sets with the same ``merge`` key (one field edit, applied
        as the user types) are one undo step."""
        params = dict(self.graph.node(node_id).params)
        params[name] = value
        text = undo_text("set", id=node_id, param=name)
        command = SetParamsCommand(self.graph, node_id, params, text, merge)
        self.push(command)

    def unset_param(self, node_id: str, name: str) -> None:
        """Remove a param so it falls back to its default or is inferred again."""
        params = dict(self.graph.node(node_id).params)
        if name in params:
            del params[name]
            text = undo_text("reset", id=node_id, param=name)
            self.push(SetParamsCommand(self.graph, node_id, params, text))

    def set_trainable(self, node_ids: Iterable[str], trainable: bool) -> None:
        ids = list(node_ids)
        with self.macro(undo_text("unfreeze" if trainable else "freeze", ids=", ".join(ids))):
            for nid in ids:
                value = None if trainable else False
                self.push(
                    SetExtraCommand(self.graph, nid, "trainable", value, undo_text("trainable"))
                )

    def rename(self, old: str, new: str) -> None:
        """Rename a node; raises GraphEditError (shown by the inspector) for a bad id."""
        if old != new:
            self._check_new_id(new)
            self.push(RenameCommand(self.graph, old, new))

    def _check_new_id(self, node_id: str) -> None:
        problem = id_problem(node_id)
        if problem:
            raise GraphEditError(problem)
        if node_id in self.graph:
            raise GraphEditError(refused("id_taken", id=node_id))

    def set_graph_name(self, name: str) -> None:
        if name != self.graph.name:
            self.push(RenameGraphCommand(self.graph, name))

    def move_nodes(self, positions: dict[str, tuple[float, float]], text: str = "Move") -> None:
        old = {nid: self.graph.node(nid).pos for nid in positions}
        if all(old[n] is not None and tuple(old[n]) == tuple(p) for n, p in positions.items()):
            return
        self.push(MoveNodesCommand(self.graph, old, positions, text))

    def insert_on_edge(self, type_name: str, edge: Edge, pos: tuple[float, float]) -> str:
        """Drop a node onto a wire: source → new node → target, one undo step."""
        with self.macro(undo_text("insert", type=type_name)):
            nid = self.add_node(type_name, pos)
            self.push(DisconnectCommand(self.graph, edge))
            self.push(ConnectCommand(self.graph, Edge(edge.source, nid, edge.source_port, 0)))
            self.push(ConnectCommand(self.graph, Edge(nid, edge.target, 0, edge.target_port)))
        return nid

    # ---- blocks ------------------------------------------------------------------------------
    def edited_graph(self) -> Graph:
        """The Graph object these edits change (a block document: the definition as it is now)."""
        return self.graph

    def snapshot_edit(self, text: str, edit: Callable[[Graph], Any]) -> Any:
        """Run ``edit(edited_graph)`` as one undo step that restores the whole model exactly;
        returns what ``edit`` returns. Errors propagate and leave the model unchanged."""
        if self._read_only:
            raise GraphEditError(refused("training"))
        command = SnapshotCommand(self.model, text, lambda _model: edit(self.edited_graph()))
        result = command.run()
        self.undo_stack.push(command)
        return result

    def group_into_block(self, ids: Iterable[str], name: str) -> str:
        """Replace the nodes ``ids`` by one use of a new block ``name``; returns the use's id."""
        ids = list(ids)
        return self.snapshot_edit(
            undo_text("group", count=len(ids), name=name), lambda g: group_into_block(g, ids, name)
        )

    def ungroup(self, use_id: str) -> list[str]:
        """Put a block use's nodes back in its place; a definition nothing uses any more goes."""

        def edit(g: Graph) -> list[str]:
            name = g.node(use_id).type
            ids = ungroup(g, use_id)
            if not _block_used(self.model, name):
                remove_block(g, name)
            return ids

        return self.snapshot_edit(undo_text("ungroup", id=use_id), edit)

    def add_library_block(self, entry: LibraryBlock, pos: tuple[float, float] | None) -> str:
        """Define a library block (and the blocks it uses) here and add a use of it."""

        def edit(g: Graph) -> str:
            name = insert_block(g, entry).name
            spec = spec_for(g, name)
            nid = g.unique_id(_id_stem(name))
            g.add_node(Node(nid, name, spec.initial_params(), pos))
            return nid

        return self.snapshot_edit(undo_text("add_block", name=entry.name), edit)

    def bind_param(self, node_id: str, param: str, block_param: BlockParam) -> None:
        """Inside a block: ``node_id.param`` takes block param ``block_param`` (declared when new)."""
        name = self.block_name
        if name is None:
            raise GraphEditError(refused("not_in_block"))

        def edit(g: Graph) -> None:
            declared = dict(g.blocks[name].params)
            declared.setdefault(block_param.name, block_param)
            set_block_params(g, name, declared)
            g.set_param(node_id, param, {PARAM_REF: block_param.name})

        text = undo_text("bind", id=node_id, param=param, block_param=block_param.name)
        self.snapshot_edit(text, edit)

    def remove_block_param(self, param: str) -> None:
        """Inside a block: drop a block parameter no inner node uses (uses lose their value)."""
        name = self.block_name
        if name is None:
            raise GraphEditError(refused("not_a_block"))

        def edit(g: Graph) -> None:
            declared = {k: v for k, v in g.blocks[name].params.items() if k != param}
            set_block_params(g, name, declared)
            model = self.model
            for graph in (model, *(b.graph for b in model.blocks.values())):
                for node in graph.nodes:
                    if node.type == name and param in node.params:
                        graph.unset_param(node.id, param)

        self.snapshot_edit(undo_text("remove_block_param", param=param), edit)

    # ---- transfer learning --------------------------------------------------------------------
    def apply_edits(self, edits: list[transfer.Edit], text: str) -> None:
        """Transfer-learning edits (trainable flags, backbone weights) as one undo step."""
        if not edits:
            return
        with self.macro(text):
            for e in edits:
                if e.is_param:
                    self.set_param(e.node, e.key, e.value)
                else:
                    text = undo_text("trainable")
                    self.push(SetExtraCommand(self.graph, e.node, e.key, e.value, text))

    def freeze_all_but_head(self) -> list[str]:
        """Freeze every node with weights except the head; returns the head's ids."""
        wanted = transfer.freeze_all_but_head(self.graph, self.inference)
        self.apply_edits(transfer.trainable_edits(self.graph, wanted), undo_text("freeze_head"))
        return [nid for nid, on in wanted.items() if on]

    def use_random_weights(self, nodes: Iterable[str]) -> None:
        """Set backbones' ``weights`` to none: ids as PretrainedWeightsError names them, where
        ``Block.node`` is a backbone inside a block's definition."""
        nodes = list(nodes)

        def edit(_g: Graph) -> None:
            model = self.model
            for ref in nodes:
                block, _, nid = ref.rpartition(".")
                target = model.blocks[block].graph if block else model
                target.set_param(nid, "weights", "none")

        self.snapshot_edit(undo_text("random_weights"), edit)

    # ---- clipboard ---------------------------------------------------------------------------
    def copy_nodes(self, ids: Iterable[str]) -> dict[str, Any]:
        """The selected nodes and the wires between them, as file-format dicts."""
        chosen = [nid for nid in self.graph.node_ids if nid in set(ids)]
        inside = set(chosen)
        return {
            "nodes": [node_to_dict(self.graph.node(n)) for n in chosen],
            "edges": [
                edge_to_dict(e)
                for e in self.graph.edges
                if e.source in inside and e.target in inside
            ],
        }

    def paste(self, data: dict[str, Any], offset: tuple[float, float] = (40.0, 40.0)) -> list[str]:
        """Paste copied nodes with fresh ids (validated like a file); returns the new ids."""
        sub = graph_from_dict(
            {
                "format": "nodeml.graph",
                "version": 1,
                "nodes": data.get("nodes", []),
                "edges": data.get("edges", []),
            },
            source="clipboard",
        )
        mapping: dict[str, str] = {}
        with self.macro(undo_text("paste", count=len(sub))):
            for node in sub.nodes:
                new_id = node.id if node.id not in self.graph else self.graph.unique_id(node.id)
                mapping[node.id] = new_id
                pos = None
                if node.pos is not None:
                    pos = (node.pos[0] + offset[0], node.pos[1] + offset[1])
                fresh = Node(
                    new_id, node.type, copy.deepcopy(node.params), pos, copy.deepcopy(node.extra)
                )
                self.push(AddNodeCommand(self.graph, fresh, undo_text("paste_one", id=new_id)))
            for e in sub.edges:
                self.push(
                    ConnectCommand(
                        self.graph,
                        Edge(mapping[e.source], mapping[e.target], e.source_port, e.target_port),
                    )
                )
        return list(mapping.values())

    def duplicate(self, ids: Iterable[str]) -> list[str]:
        return self.paste(self.copy_nodes(ids))

    def apply_layout(self, positions: dict[str, tuple[float, float]]) -> None:
        self.move_nodes(positions, text=undo_text("layout"))

    # ---- files -------------------------------------------------------------------------------
    def new(self, name: str = "Untitled") -> None:
        self._replace(Graph(name), None)

    def open(self, path: str | Path) -> None:
        """Load a file; on failure (GraphFormatError) nothing in the open graph changes."""
        self.open_graph(load_graph(path), Path(path))

    def open_graph(self, graph: Graph, path: Path | None) -> None:
        """Show a graph already read from ``path`` (read first, so a bad file changes nothing)."""
        self._replace(graph, path)

    def restore(self, graph: Graph, path: Path | None) -> None:
        """Load a recovered copy: it differs from any file on disk, so it starts out modified."""
        self._replace(graph, path)
        self.undo_stack.resetClean()
        self.file_state_changed.emit()

    def _replace(self, graph: Graph, path: Path | None) -> None:
        self.graph.replace_with(graph)
        self.path = path
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._after_edit()
        self.reloaded.emit()
        self.file_state_changed.emit()

    def save(self, path: str | Path | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise GraphEditError(refused("no_file"))
        save_graph(self.graph, target)
        self.path = target
        self.undo_stack.setClean()
        self.file_state_changed.emit()
        return target


def _id_stem(type_name: str) -> str:
    """``Conv2d`` -> ``conv``, ``BatchNorm2d`` -> ``batchnorm``, ``ReLU`` -> ``relu``."""
    stem = (
        type_name.lower().rstrip("0123456789d") if type_name[-2:-1].isdigit() else type_name.lower()
    )
    return {"linear": "fc", "input": "input", "output": "output"}.get(stem, stem)


def _block_used(model: Graph, name: str) -> bool:
    """Whether the model or any block definition still has a node of type ``name``."""
    if block_uses(model, name):
        return True
    return any(n.type == name for b in model.blocks.values() for n in b.graph.nodes)


def _what(ids: list[str], edges: list[Edge]) -> str:
    if ids and not edges and len(ids) == 1:
        return ids[0]
    nodes, wires = undo_text("nodes", count=len(ids)), undo_text("wires", count=len(edges))
    if ids and edges:
        return undo_text("nodes_and_wires", nodes=nodes, wires=wires)
    return nodes if ids else wires


__all__ = ["CLIPBOARD_MIME", "Document", "GraphEvent"]
