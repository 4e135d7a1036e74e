"""Write a graph that is one straight chain of modules as an ``nn.Sequential`` subclass.

The class *is* the Sequential (``class Net(nn.Sequential)`` built from an ``OrderedDict`` keyed
by node id), so its ``state_dict`` keys (``conv1.weight``) are exactly those of the plain class
and checkpoints move between the two. A chain inside a larger graph is left as it is: wrapping
it in a ``self.<name> = nn.Sequential(...)`` attribute would move its keys under that name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..catalog import LayerSpec
from .formatting import WIDTH, docstring
from .model_interface import init_lines as interface_init_lines
from .model_interface import method_lines as interface_method_lines
from .model_interface import standardize_expr
from .namespace import Namespace

_ENTRY_INDENT = " " * 20  # a layer's line in OrderedDict([...])

if TYPE_CHECKING:
    from ..graph import Graph
    from .codegen import ClassPlan, GeneratedModule


def straight_chain(
    graph: Graph, specs: dict[str, LayerSpec], values: dict[str, dict[str, Any]]
) -> list[str] | None:
    """The module nodes from the single Input to the single Output, if the whole graph is
    ``Input -> m1 -> ... -> mk -> Output`` with k >= 2 one-in one-out modules; else None."""
    ins = [n.id for n in graph.nodes if n.type == "Input"]
    outs = [n.id for n in graph.nodes if n.type == "Output"]
    if len(ins) != 1 or len(outs) != 1 or len(graph.edges) != len(graph) - 1:
        return None
    chain: list[str] = []
    current = ins[0]
    while True:
        edges = graph.out_edges(current)
        if len(edges) != 1 or edges[0].source_port != 0 or edges[0].target_port != 0:
            return None
        current = edges[0].target
        if current == outs[0]:
            break
        spec = specs[current]
        holds = spec.holds_module or spec.category == "block"
        if not holds or spec.variadic or len(spec.inputs) != 1 or len(spec.outputs) != 1:
            return None
        chain.append(current)
    return chain if len(chain) >= 2 and len(chain) + 2 == len(graph) else None


def write_sequential(
    gen: GeneratedModule,
    plan: ClassPlan,
    chain: list[str],
    init_lines: Callable[[str], list[str]],
    mark: Callable[[str], None],
) -> bool:
    """Append the Sequential class; False (nothing written) when a node's module is not one
    expression (e.g. a backbone built in several statements) or its entry would be too long
    for one line (ruff format would split the tuple)."""
    entries: list[tuple[str, str]] = []
    after: list[tuple[str, str]] = []
    for nid in chain:
        head, *rest = init_lines(nid)
        prefix = f"self.{nid} = "
        if not head.startswith(prefix) or any(
            r != f"self.{nid}.requires_grad_(False)" for r in rest
        ):
            return False
        entry = head[len(prefix) :]
        if len(f'{_ENTRY_INDENT}("{nid}", {entry}),') > WIDTH:
            return False
        entries.append((nid, entry))
        after.extend((nid, r) for r in rest)
    emit = gen.lines.append
    emit(f"class {plan.name}(nn.Sequential):")
    gen.lines.extend(docstring(plan.doc, "    "))
    emit("")
    emit(f"    def __init__(self{', ' if plan.signature else ''}{plan.signature}):")
    emit("        super().__init__(")
    emit("            OrderedDict(")
    emit("                [")
    for nid, expr in entries:
        mark(nid)
        emit(f'{_ENTRY_INDENT}("{nid}", {expr}),')
    emit("                ]")
    emit("            )")
    emit("        )")
    for nid, line in after:
        mark(nid)
        emit(f"        {line}")
    for nid, line in interface_init_lines(plan.interface):
        if nid is not None:
            mark(nid)
        emit(f"        {line}")
    s = plan.interface.standardization
    if s is not None:  # the layers run on the standardised input, as in the plain class
        x = Namespace().take(s.input)
        emit("")
        emit(f"    def forward(self, {x}):")
        mark(s.input)
        emit(f"        return super().forward({standardize_expr(s, x)})")
    gen.lines.extend(interface_method_lines(plan.interface))
    gen.uses_ordered_dict = True
    return True
