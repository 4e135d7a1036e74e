"""Edits of a graph's block definitions, each reversible and announced as a block_changed event.

Every function returns what its undo needs. Edits *inside* a block need no function here: the
editor edits ``graph.blocks[name].graph`` with the ordinary Graph methods, and the change reaches
every use through the table.
"""

from __future__ import annotations

from ..block_params import BlockParam
from ..catalog import LayerSpec, get_spec
from ..errors import GraphEditError
from ..graph import Block, Graph, GraphEvent, GraphEventKind


def spec_for(graph: Graph, type_name: str) -> LayerSpec | None:
    """A node type's spec: the catalog's, or a block's of this graph (ports, params), or None."""
    spec = get_spec(type_name)
    if spec is None and type_name in graph.blocks:
        spec = graph.blocks.spec(type_name)
    return spec


def block_uses(graph: Graph, name: str) -> list[str]:
    """Ids of the nodes of ``graph`` (not inside blocks) that use block ``name``."""
    return [n.id for n in graph.nodes if n.type == name]


def define_block(graph: Graph, block: Block, index: int | None = None) -> Block:
    """Add a definition (undo: remove_block)."""
    return graph.blocks.add(block, index=index)


def remove_block(graph: Graph, name: str) -> tuple[Block, int]:
    """Drop a definition; returns it and its index for define_block (undo). Uses left behind
    show as unknown types until it is defined again."""
    return graph.blocks.remove(name)


def rename_block(graph: Graph, old: str, new: str) -> None:
    """Rename a block and every use of it, here and inside other blocks (undo: swap names)."""
    graph.blocks.rename(old, new)
    for node in graph.nodes:
        if node.type == old:
            node.type = new
            graph.changed.emit(GraphEvent(GraphEventKind.NODE_CHANGED, node=node.id))


def set_block_params(
    graph: Graph, name: str, params: dict[str, BlockParam]
) -> dict[str, BlockParam]:
    """Replace a block's parameter declarations; returns the old ones (undo)."""
    for key, param in params.items():
        why = param.problem() or (None if key == param.name else f"{key!r} names {param.name!r}")
        if why:
            raise GraphEditError(why)
    block = graph.blocks[name]
    old, block.params = block.params, dict(params)
    graph.blocks.touch(name)
    return old


def set_block_ports(
    graph: Graph, name: str, inputs: list[str], outputs: list[str]
) -> tuple[list[str], list[str]]:
    """Reorder a block's ports (ids of its inner Input / Output nodes); returns the old order."""
    block = graph.blocks[name]
    for ids, kind in ((inputs, "Input"), (outputs, "Output")):
        for nid in ids:
            if nid not in block.graph or block.graph.node(nid).type != kind:
                raise GraphEditError(f"{nid!r} is not an {kind} node of block {name}")
        if len(set(ids)) != len(ids):
            raise GraphEditError(f"a port of block {name} is listed twice")
    old = (list(block.inputs), list(block.outputs))
    block.inputs[:], block.outputs[:] = list(inputs), list(outputs)
    graph.blocks.touch(name)
    return old


def set_block_doc(graph: Graph, name: str, doc: str) -> str:
    """Set a block's one-line description; returns the old one (undo)."""
    block = graph.blocks[name]
    old, block.doc = block.doc, str(doc)
    graph.blocks.touch(name)
    return old


def snapshot(graph: Graph) -> Graph:
    """A deep copy of the graph and its blocks, for an undo command that restores it."""
    return graph.copy()


def restore(graph: Graph, saved: Graph) -> None:
    """Put ``saved`` (from snapshot) back in place; subscribers see one graph_changed."""
    graph.replace_with(saved)
