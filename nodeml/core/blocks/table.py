"""The block definitions of one graph file, shared by the graph and every block's inner graph."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..catalog import LayerSpec, get_spec
from ..errors import GraphEditError
from ..events import Signal
from .definition import Block, block_name_problem

if TYPE_CHECKING:
    from ..graph import GraphEvent


class BlockTable:
    """Block definitions by name, in file order.

    ``changed`` emits a block's name whenever its definition (inner graph, ports, params) changes
    or it is added, removed or renamed; every graph using this table turns that into a
    ``block_changed`` GraphEvent, so inference re-runs every use. ``revision`` counts those
    changes: inference caches key on it, so a stale inner result is never reused.
    """

    def __init__(self) -> None:
        self._blocks: dict[str, Block] = {}
        self._listeners: dict[int, Any] = {}
        self.changed: Signal[str] = Signal()
        self.revision = 0

    # ---- reading -------------------------------------------------------------------------
    def __contains__(self, name: object) -> bool:
        return name in self._blocks

    def __getitem__(self, name: str) -> Block:
        try:
            return self._blocks[name]
        except KeyError:
            raise GraphEditError(f"no block named {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._blocks))

    def __len__(self) -> int:
        return len(self._blocks)

    def get(self, name: str) -> Block | None:
        return self._blocks.get(name)

    @property
    def names(self) -> list[str]:
        return list(self._blocks)

    def values(self) -> list[Block]:
        return list(self._blocks.values())

    def spec(self, name: str) -> LayerSpec:
        """The block as a node type (ports, params); parametric when anything inside is."""
        return self[name].spec(parametric=self._parametric(name, set()))

    def _parametric(self, name: str, seen: set[str]) -> bool:
        seen.add(name)
        for node in self[name].graph.nodes:
            spec = get_spec(node.type)
            if spec is not None and spec.parametric:
                return True
            if spec is None and node.type in self._blocks and node.type not in seen:
                if self._parametric(node.type, seen):
                    return True
        return False

    def uses(self, name: str) -> set[str]:
        """The defined blocks that ``name``'s inner graph uses directly."""
        block = self._blocks.get(name)
        return set() if block is None else {b for b in block.used_blocks() if b in self._blocks}

    def users_of(self, name: str) -> set[str]:
        """Every block that uses ``name``, directly or through other blocks."""
        found: set[str] = set()
        frontier = {name}
        while frontier:
            frontier = {b for b in self._blocks if b not in found and self.uses(b) & frontier}
            found |= frontier
        return found

    def cycle_through(self, name: str) -> list[str] | None:
        """A chain of block uses from ``name`` back to itself, or None."""
        path: list[str] = []

        def visit(current: str, seen: set[str]) -> bool:
            for used in sorted(self.uses(current)):
                if used == name:
                    path.append(used)
                    return True
                if used not in seen:
                    seen.add(used)
                    if visit(used, seen):
                        path.append(used)
                        return True
            return False

        if visit(name, set()):
            return [name, *reversed(path)]
        return None

    def dependency_order(self, names: set[str] | None = None) -> list[str]:
        """Blocks (all, or ``names`` with everything they use) with used blocks first."""
        wanted = set(self._blocks) if names is None else self.closure(names)
        done: list[str] = []

        def visit(b: str, stack: set[str]) -> None:
            if b in done or b in stack:  # a cycle is reported by inference, not here
                return
            stack.add(b)
            for used in sorted(self.uses(b)):
                visit(used, stack)
            stack.discard(b)
            done.append(b)

        for b in self._blocks:
            if b in wanted:
                visit(b, set())
        return done

    def closure(self, names: set[str]) -> set[str]:
        """``names`` and every block they use, transitively."""
        found = {n for n in names if n in self._blocks}
        frontier = set(found)
        while frontier:
            frontier = {u for b in frontier for u in self.uses(b)} - found
            found |= frontier
        return found

    # ---- editing -------------------------------------------------------------------------
    def add(self, block: Block, *, index: int | None = None) -> Block:
        """Define ``block`` (its inner graph starts following this table)."""
        problem = block_name_problem(block.name)
        if problem:
            raise GraphEditError(problem)
        if block.name in self._blocks:
            raise GraphEditError(f"a block named {block.name!r} already exists")
        items = list(self._blocks.items())
        at = len(items) if index is None else max(0, min(index, len(items)))
        items.insert(at, (block.name, block))
        self._blocks = dict(items)
        self._attach(block)
        self.touch(block.name)
        return block

    def remove(self, name: str) -> tuple[Block, int]:
        """Drop a definition; returns it and its index (what undo needs). Uses stay, unknown."""
        block = self[name]
        index = list(self._blocks).index(name)
        del self._blocks[name]
        self._detach(block)
        self.touch(name)
        return block, index

    def rename(self, old: str, new: str) -> None:
        """Rename a definition and the inner nodes of other blocks that use it."""
        if old == new:
            return
        problem = block_name_problem(new)
        if problem:
            raise GraphEditError(problem)
        if new in self._blocks:
            raise GraphEditError(f"a block named {new!r} already exists")
        block = self[old]
        block.name = new
        self._blocks = {(new if k == old else k): v for k, v in self._blocks.items()}
        for other in self._blocks.values():
            for node in other.graph.nodes:
                if node.type == old:
                    node.type = new
        self.touch(old)
        self.touch(new)

    def touch(self, name: str) -> None:
        """Announce that ``name``'s definition changed (after editing its ports or params)."""
        self.revision += 1
        self.changed.emit(name)

    def replace_with(self, other: BlockTable) -> None:
        """Take deep copies of ``other``'s definitions (a graph reload or copy)."""
        for block in self._blocks.values():
            self._detach(block)
        self._blocks = {}
        for name, block in other._blocks.items():
            mine = block.copy()
            self._blocks[name] = mine
            self._attach(mine)
        self.revision += 1

    # ---- inner graph events ----------------------------------------------------------------
    def _attach(self, block: Block) -> None:
        block.graph.use_blocks(self)

        def on_inner(ev: GraphEvent) -> None:
            if ev.kind == "block_changed":  # our own announcement, echoed by the inner graph
                return
            self._follow_ports(block, ev)
            self.touch(block.name)

        self._listeners[id(block)] = on_inner
        block.graph.changed.connect(on_inner)

    def _detach(self, block: Block) -> None:
        listener = self._listeners.pop(id(block), None)
        if listener is not None:
            block.graph.changed.disconnect(listener)
        block.graph.use_blocks(BlockTable(), follow=False)

    @staticmethod
    def _follow_ports(block: Block, ev: GraphEvent) -> None:
        """Keep ``inputs`` / ``outputs`` true to the inner graph as it is edited."""
        if ev.kind == "node_added" and ev.node is not None:
            kind = block.graph.node(ev.node).type
            ports = {"Input": block.inputs, "Output": block.outputs}.get(kind)
            if ports is not None and ev.node not in ports:
                ports.append(ev.node)
        elif ev.kind == "node_removed":
            for ports in (block.inputs, block.outputs):
                if ev.node in ports:
                    ports.remove(ev.node)
        elif ev.kind == "node_renamed":
            for ports in (block.inputs, block.outputs):
                if ev.old_id in ports:
                    ports[ports.index(ev.old_id)] = ev.node
