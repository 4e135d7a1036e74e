"""Write a graph that is one straight chain of modules as an ``nn.Sequential`` subclass.

The class *is* the Sequential (``class Net(nn.Sequential)`` built from an ``OrderedDict`` keyed
by node id), so its ``state_dict`` keys (``conv1.weight``) are exactly those of the plain class
and checkpoints move between the two. A chain inside a larger graph is left as it is: wrapping
it in a ``self.<name> = nn.Sequential(...)`` attribute would move its keys under that name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..catalog import LayerSpec
from ..catalog.spec import ModuleCode
from ..graph import Graph
from .formatting import WIDTH, docstring
from .model_interface import init_lines as interface_init_lines
from .model_interface import method_lines as interface_method_lines
from .model_interface import standardize_expr
from .namespace import Namespace
from .plan import ClassPlan

_ENTRY_INDENT = " " * 20  # a layer's line in OrderedDict([...])

Line = tuple[str | None, str]
"""A line of the class and the node it belongs to (None: the class's own)."""


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


def sequential_lines(
    plan: ClassPlan,
    chain: list[str],
    module_code: Callable[[str], ModuleCode],
    frozen: Callable[[str], bool],
) -> list[Line] | None:
    """The Sequential class of ``chain`` (see straight_chain); None when a node's module is not
    one expression (e.g. a backbone whose head is replaced) or its entry would be too long for
    one line (ruff format would split the tuple)."""
    entries: list[tuple[str, str]] = []
    for nid in chain:
        code = module_code(nid)
        if code.replaced:
            return None
        if len(f'{_ENTRY_INDENT}("{nid}", {code.expr}),') > WIDTH:
            return None
        entries.append((nid, code.expr))
    lines: list[Line] = [(None, f"class {plan.name}(nn.Sequential):")]
    lines += [(None, line) for line in docstring(plan.doc, "    ")]
    lines += [
        (None, ""),
        (None, f"    def __init__(self{', ' if plan.signature else ''}{plan.signature}):"),
        (None, "        super().__init__("),
        (None, "            OrderedDict("),
        (None, "                ["),
        *((nid, f'{_ENTRY_INDENT}("{nid}", {expr}),') for nid, expr in entries),
        (None, "                ]"),
        (None, "            )"),
        (None, "        )"),
        *((nid, f"        self.{nid}.requires_grad_(False)") for nid in chain if frozen(nid)),
        *((nid, f"        {line}") for nid, line in interface_init_lines(plan.interface)),
    ]
    s = plan.interface.standardization
    if s is not None:  # the layers run on the standardised input, as in the plain class
        x = Namespace().take(s.input)
        lines += [(None, ""), (None, f"    def forward(self, {x}):")]
        lines.append((s.input, f"        return super().forward({standardize_expr(s, x)})"))
    lines += [(None, line) for line in interface_method_lines(plan.interface)]
    return lines
