"""Which blocks use which: users, cycles, closure and dependency order of block definitions.

Each function walks the relation ``uses(name)`` (the defined blocks a block's inner graph uses
directly) over ``names``, every defined block in file order (see graph.BlockTable)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

Uses = Callable[[str], set[str]]


def users_of(uses: Uses, names: Sequence[str], name: str) -> set[str]:
    """Every block that uses ``name``, directly or through other blocks."""
    found: set[str] = set()
    frontier = {name}
    while frontier:
        frontier = {b for b in names if b not in found and uses(b) & frontier}
        found |= frontier
    return found


def cycle_through(uses: Uses, name: str) -> list[str] | None:
    """A chain of block uses from ``name`` back to itself, or None."""
    path: list[str] = []

    def visit(current: str, seen: set[str]) -> bool:
        for used in sorted(uses(current)):
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


def closure(uses: Uses, names: Sequence[str], wanted: set[str]) -> set[str]:
    """``wanted`` (those defined) and every block they use, transitively."""
    found = {n for n in wanted if n in names}
    frontier = set(found)
    while frontier:
        frontier = {u for b in frontier for u in uses(b)} - found
        found |= frontier
    return found


def dependency_order(uses: Uses, names: Sequence[str], wanted: set[str] | None = None) -> list[str]:
    """Blocks (all, or ``wanted`` with everything they use) with used blocks first."""
    keep = set(names) if wanted is None else closure(uses, names, wanted)
    done: list[str] = []

    def visit(b: str, stack: set[str]) -> None:
        if b in done or b in stack:  # a cycle is reported by inference, not here
            return
        stack.add(b)
        for used in sorted(uses(b)):
            visit(used, stack)
        stack.discard(b)
        done.append(b)

    for b in names:
        if b in keep:
            visit(b, set())
    return done
