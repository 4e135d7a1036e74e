"""Editing a block's definition in the canvas: a Document over the block's inner graph that shares
the model's undo stack, with the numbers of the use it was opened from."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal

from ..core.blocks import snapshot
from ..core.errors import Problem
from ..core.graph import Graph, GraphEvent, GraphEventKind
from ..core.shapes import NodeInfo, Totals
from .document import Document


def _target_state(attr: str) -> Any:
    """A property of BlockGraph that reads and writes ``attr`` of its target graph."""

    def get(self: BlockGraph) -> Any:
        return getattr(self.target, attr)

    def put(self: BlockGraph, value: Any) -> None:
        setattr(self.target, attr, value)

    return property(get, put)


class BlockGraph(Graph):
    """The graph of ``root.blocks[name]``: a Graph whose state is the definition's, looked up
    on every use.

    Undo commands keep the graph they edit; the model's graph object lives as long as the window,
    but a block's inner graph is replaced whenever the model is restored wholesale (undo of a
    grouping). Through this Graph a command always reaches the definition as it is now: every
    Graph method runs on the state of ``target``, the inner graph in place now.
    """

    # all a Graph keeps (see Graph.__init__), the state its methods read and write
    name = _target_state("name")
    extras = _target_state("extras")
    load_problems = _target_state("load_problems")
    _g = _target_state("_g")
    changed = _target_state("changed")
    blocks = _target_state("blocks")
    _follows_blocks = _target_state("_follows_blocks")

    def __init__(self, root: Graph, name: str):  # no Graph.__init__: the state is the target's
        self._root, self.block_name = root, name
        self._gone = Graph(name)  # read while the window leaves a block an undo removed

    @property
    def target(self) -> Graph:
        block = self._root.blocks.get(self.block_name)
        return self._gone if block is None else block.graph

    def exists(self) -> bool:
        return self.block_name in self._root.blocks

    def copy(self) -> Graph:
        return snapshot(self.target)


class UseInference:
    """What inference knows inside one use of the block: the use's inner results, read from the
    model's live Inference (``uses`` is the chain of use ids from the model down)."""

    def __init__(self, root: Document, uses: list[str], graph: BlockGraph):
        self.root, self.uses, self.graph = root, list(uses), graph

    def all(self) -> dict[str, NodeInfo]:
        infos = self.root.inference.all()
        for use in self.uses:
            info = infos.get(use)
            if info is None or not info.inner:
                return {}  # the use's inputs are not ready: no numbers inside it yet
            infos = info.inner
        return {nid: infos[nid] for nid in self.graph.node_ids if nid in infos}

    def info(self, node_id: str) -> NodeInfo:
        return self.all().get(node_id) or NodeInfo()

    def totals(self) -> Totals:
        infos = self.all().values()
        return Totals(
            params=sum(i.params for i in infos),
            trainable=sum(i.trainable for i in infos),
            macs=sum(i.macs for i in infos),
            problems=sum(len(i.problems) for i in infos),
        )

    def problems(self) -> list[Problem]:
        return [p for i in self.all().values() for p in i.problems]

    def update(self) -> None:
        self.root.inference.update()

    def close(self) -> None:
        pass


class BlockDocument(Document):
    """The definition of block ``name``, opened from use ``uses[-1]``; its edits are undo steps of
    the model's stack and reach every use. ``vanished`` when the block is gone (an undo)."""

    vanished = Signal()

    def __init__(self, root: Document, name: str, uses: list[str], parent=None):
        self.root = root
        self.block_name = name
        self.uses = list(uses)
        graph = BlockGraph(root.graph, name)
        self._inner: Graph | None = None
        super().__init__(graph, parent, undo_stack=root.undo_stack)
        self.inference = UseInference(root, uses, graph)
        self._follow()
        root.graph_event.connect(self._on_root_event)
        root.read_only_changed.connect(self.set_read_only)
        self._read_only = root.read_only

    def _make_inference(self) -> Any:
        return None  # set in __init__: the numbers come from the model's inference

    def _connect_graph(self) -> None:
        pass  # _follow subscribes to the inner graph object that is current

    def _follow(self) -> bool:
        """Subscribe to the inner graph object in place now; True when it changed."""
        inner = self.graph.target if self.graph.exists() else None
        if inner is self._inner:
            return False
        if self._inner is not None:
            self._inner.changed.disconnect(self.graph_event.emit)
        self._inner = inner
        if inner is not None:
            inner.changed.connect(self.graph_event.emit)
        return True

    def _on_root_event(self, ev: GraphEvent) -> None:
        if ev.kind not in (GraphEventKind.GRAPH_CHANGED, GraphEventKind.BLOCK_CHANGED):
            return
        if not self.graph.exists():
            self.vanished.emit()
            return
        if self._follow():  # the model was restored: show the definition as it is now
            self.graph_event.emit(GraphEvent(GraphEventKind.GRAPH_CHANGED))
            self.reloaded.emit()

    def close(self) -> None:
        """Stop following the model (the canvas left this block)."""
        if self._inner is not None:
            self._inner.changed.disconnect(self.graph_event.emit)
            self._inner = None
        self.root.graph_event.disconnect(self._on_root_event)
        self.root.read_only_changed.disconnect(self.set_read_only)
        self.undo_stack.indexChanged.disconnect(self._after_edit)  # the stack is the model's
        self.undo_stack.cleanChanged.disconnect(self._on_clean_changed)

    @property
    def model(self) -> Graph:
        return self.root.graph

    def edited_graph(self) -> Graph:
        return self.graph.target

    @property
    def modified(self) -> bool:
        return self.root.modified

    def title(self) -> str:
        return self.block_name
