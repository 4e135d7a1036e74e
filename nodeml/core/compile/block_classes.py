"""Plan one nn.Module class per block: which inner values are literals, block args or extra args.

A block's class is written once but used with different inputs and params, so an inner value
(an inferred ``in_channels``, say) may differ between uses. Each value is written as a literal
when every use agrees, as a block parameter's name when it equals that parameter at every use,
else as an extra constructor argument ``<node>_<param>`` passed at each use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog import REQUIRED, get_spec
from ..catalog.spec import CodeName, literal, same_value
from ..errors import InvalidGraphError, Problem
from ..graph import Block, Graph
from ..shapes import NodeInfo
from ..shapes.block_use import param_refs
from .namespace import Namespace
from .plan import ClassPlan, display_name


@dataclass
class _Use:
    """One use of a block somewhere in the model, with what inference found inside it."""

    block: str
    values: dict[str, Any]  # the block's params at this use
    infos: dict[str, NodeInfo]  # its inner nodes at this use
    children: dict[str, _Use] = field(default_factory=dict)  # inner use node -> its use
    extra: dict[str, Any] = field(default_factory=dict)  # extra constructor args at this use

    def args(self) -> dict[str, Any]:
        return {**self.values, **self.extra}


def plan_classes(
    graph: Graph, infos: dict[str, NodeInfo]
) -> tuple[list[ClassPlan], dict[str, dict[str, Any]]]:
    """The block classes to write (used blocks first) and the model class's node values."""
    table = graph.blocks
    top = _uses(graph, infos)
    by_block: dict[str, list[_Use]] = {}
    _collect(top.values(), by_block)
    plans = []
    taken = set(table.names)
    for name in table.dependency_order(set(by_block)):
        if name in by_block:
            plans.append(_plan(table[name], by_block[name], taken))
    values = {}
    for n in graph.nodes:
        values[n.id] = top[n.id].args() if n.id in top else dict(infos[n.id].values)
    return plans, values


def _uses(graph: Graph, infos: dict[str, NodeInfo]) -> dict[str, _Use]:
    out = {}
    for n in graph.nodes:
        if n.type in graph.blocks and n.id in infos:
            info = infos[n.id]
            block = graph.blocks[n.type]
            use = _Use(n.type, dict(info.values), info.inner)
            use.children = _uses(block.graph, info.inner)
            out[n.id] = use
    return out


def _collect(uses: Any, by_block: dict[str, list[_Use]]) -> None:
    for use in uses:
        by_block.setdefault(use.block, []).append(use)
        _collect(use.children.values(), by_block)


def _plan(block: Block, uses: list[_Use], taken: set[str]) -> ClassPlan:
    """The class of ``block``; sets each use's extra args (its users' plans read them)."""
    ns = Namespace()
    for name in (*taken, *block.params):
        ns.take(name)
    refs = param_refs(block)
    extra_args: list[str] = []
    values: dict[str, dict[str, Any]] = {}
    for node in block.graph.nodes:
        if node.type in ("Input", "Output"):
            continue
        used = block.graph.blocks.get(node.type)
        spec = get_spec(node.type)
        slots = _slots(node.id, uses, used is not None)
        written: dict[str, Any] = {}
        # a built-in is an expression in forward, where constructor arguments are out of scope
        builtin = spec is not None and not spec.holds_module
        for slot, per_use in slots.items():
            same = all(same_value(v, per_use[0]) for v in per_use)
            if builtin and not same:
                raise InvalidGraphError([_varies(block, node.id, slot, per_use)])
            if (node.id, slot) in refs and not builtin:
                written[slot] = CodeName(refs[(node.id, slot)])
            elif same:
                written[slot] = per_use[0]
            elif (param := _param_equal(block, uses, per_use)) is not None:
                written[slot] = CodeName(param)
            else:
                arg = ns.take(f"{node.id}_{slot}")
                extra_args.append(arg)
                for use, v in zip(uses, per_use, strict=True):
                    use.extra[arg] = v
                written[slot] = CodeName(arg)
        values[node.id] = written
    return ClassPlan(
        block.name,
        block.graph,
        display_name(block.doc or block.name),
        values,
        list(block.inputs),
        list(block.outputs),
        signature=_signature(block, extra_args),
    )


def _slots(nid: str, uses: list[_Use], is_use: bool) -> dict[str, list[Any]]:
    """Each value the node's code writes, per use of the enclosing block."""
    if is_use:
        per = [u.children[nid].args() for u in uses]
    else:
        per = [u.infos[nid].values for u in uses]
    return {k: [p[k] for p in per] for k in per[0]}


def _param_equal(block: Block, uses: list[_Use], per_use: list[Any]) -> str | None:
    for name in block.params:
        if all(same_value(u.values.get(name), v) for u, v in zip(uses, per_use, strict=True)):
            return name
    return None


def _varies(block: Block, nid: str, slot: str, per_use: list[Any]) -> Problem:
    shown = ", ".join(sorted({literal(v) for v in per_use}))
    return Problem(
        "block",
        f"inside {block.name}, node {nid}: {slot} differs between uses ({shown}); a built-in "
        "node inside a block needs the same value at every use (or a block param)",
    )


def _signature(block: Block, extra_args: list[str]) -> str:
    """``channels=16`` positional-or-keyword while every param has a default; extra args are
    keyword-only (``*, conv_a_in_channels``) since uses always name them."""
    params = list(block.params.values())
    all_defaults = all(p.default is not REQUIRED for p in params)
    parts = [p.name if p.default is REQUIRED else f"{p.name}={literal(p.default)}" for p in params]
    if not all_defaults:
        return ", ".join(["*", *parts, *extra_args])
    if extra_args:
        return ", ".join([*parts, "*", *extra_args])
    return ", ".join(parts)
