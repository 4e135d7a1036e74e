"""One code generator for compile and export: a graph becomes the source of an nn.Module subclass."""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..catalog import LayerSpec, get_spec
from ..catalog.spec import CodeArgs, call
from ..errors import InvalidGraphError, Problem
from ..graph import Graph
from ..shapes import Inference, NodeInfo

STYLES = ("modules", "functional")
# Names the generated module itself uses; a node id equal to one gets a suffixed variable.
_RESERVED = {"self", "torch", "nn", "F", "OrderedDict", *dir(builtins), *keyword.kwlist}


class Namespace:
    """Hands out unique, valid local variable names (after torch.fx's _Namespace)."""

    def __init__(self) -> None:
        self._used: set[str] = set(_RESERVED)

    def take(self, want: str) -> str:
        name = want if want.isidentifier() else re.sub(r"\W", "_", want)
        base, i = name, 1
        while name in self._used:
            name = f"{base}_{i}"
            i += 1
        self._used.add(name)
        return name


def class_name(graph_name: str) -> str:
    """``"my lenet-5"`` -> ``MyLenet5``; always a valid identifier, never empty."""
    words = re.findall(r"[A-Za-z0-9]+", graph_name)
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    if name[0].isdigit():
        name = "Net" + name
    return name if not keyword.iskeyword(name) and name not in _RESERVED else name + "Model"


def display_name(graph_name: str) -> str:
    """The graph name made safe to place inside a docstring or comment."""
    safe = "".join(c for c in graph_name if c.isalnum() or c in " -_.,()+")
    return safe.strip()[:80] or "Model"


@dataclass
class GeneratedModule:
    """The source of the model class plus where each node's lines are."""

    class_name: str
    lines: list[str]
    node_lines: dict[int, str] = field(default_factory=dict)  # 1-based line in `lines` -> node id
    uses_functional: bool = False
    inputs: list[str] = field(default_factory=list)  # Input node ids, in forward's order
    outputs: list[str] = field(default_factory=list)  # Output node ids, in return order


def check_compilable(graph: Graph, inference: Inference) -> dict[str, NodeInfo]:
    problems: list[Problem] = inference.problems()
    if problems:
        raise InvalidGraphError(problems)
    return inference.all()


def generate_class(
    graph: Graph, infos: dict[str, NodeInfo], style: str = "modules", name: str | None = None
) -> GeneratedModule:
    """Write the ``class X(nn.Module)`` block for a valid graph (see check_compilable)."""
    if style not in STYLES:
        raise ValueError(f"unknown code style {style!r}; use one of {', '.join(STYLES)}")
    cls = name or class_name(graph.name)
    gen = GeneratedModule(cls, [])
    order = _forward_order(graph)
    ns = Namespace()
    var: dict[tuple[str, int], str] = {}
    nodes = {n.id: n for n in graph.nodes}
    specs = {nid: get_spec(n.type) for nid, n in nodes.items()}

    inputs = [n.id for n in graph.nodes if n.type == "Input"]
    outputs = [n.id for n in graph.nodes if n.type == "Output"]
    gen.inputs, gen.outputs = inputs, outputs
    for nid in inputs:
        var[(nid, 0)] = ns.take(nid)

    emit = gen.lines.append
    emit(f"class {cls}(nn.Module):")
    emit(f'    """{display_name(graph.name)}, as drawn in nodeml."""')
    emit("")
    emit("    def __init__(self):")
    emit("        super().__init__()")
    as_module = {}
    for n in graph.nodes:
        spec = specs[n.id]
        if spec.module is None:
            continue
        functional = style == "functional" and not spec.parametric and spec.functional is not None
        as_module[n.id] = not functional
        if not functional:
            args = CodeArgs(spec, [], infos[n.id].values)
            gen.node_lines[len(gen.lines) + 1] = n.id
            emit(f"        self.{n.id} = {call('nn.' + spec.type, args.args())}")
    emit("")
    emit(f"    def forward(self, {', '.join(var[(i, 0)] for i in inputs)}):")
    for nid in order:
        n, spec = nodes[nid], specs[nid]
        if spec.type in ("Input", "Output"):
            continue
        args = _call_args(graph, nid, spec, var)
        outs = [ns.take(nid if len(spec.outputs) == 1 else f"{nid}_{p}") for p in spec.outputs]
        for port, v in enumerate(outs):
            var[(nid, port)] = v
        target = outs[0] if len(outs) == 1 else spec.unpack.format(*outs)
        code_args = CodeArgs(spec, args, infos[nid].values)
        if spec.module is None:
            expr = spec.expr(code_args)
        elif as_module[nid]:
            expr = call(f"self.{nid}", *args)
        else:
            expr = spec.functional_code(code_args)
        gen.node_lines[len(gen.lines) + 1] = nid
        emit(f"        {target} = {expr}")
    returned = []
    for oid in outputs:
        edge = graph.in_edges(oid)[0]
        returned.append(var[(edge.source, edge.source_port)])
    for oid in outputs:
        gen.node_lines[len(gen.lines) + 1] = oid
    emit(f"        return {', '.join(returned)}")
    gen.uses_functional = any(re.search(r"\bF\.", line) for line in gen.lines)
    return gen


def _call_args(
    graph: Graph, nid: str, spec: LayerSpec, var: dict[tuple[str, int], str]
) -> list[str]:
    by_port = {e.target_port: e for e in graph.in_edges(nid)}
    n = max(by_port) + 1 if spec.variadic else len(spec.inputs)
    args: list[str] = []
    for p in range(n):
        edge = by_port.get(p)
        if edge is None:  # an optional port: e.g. key defaults to query
            args.append(args[spec.inputs[p].default_from])
        else:
            args.append(var[(edge.source, edge.source_port)])
    return args


def _forward_order(graph: Graph) -> list[str]:
    """Topological order, ties broken by node order, over nodes that feed an Output."""
    import networkx as nx

    g = graph.nx
    position = {nid: i for i, nid in enumerate(graph.node_ids)}
    needed: set[str] = set()
    for n in graph.nodes:
        if n.type == "Output":
            needed |= nx.ancestors(g, n.id) | {n.id}
    order = nx.lexicographical_topological_sort(g, key=position.__getitem__)
    return [n for n in order if n in needed]


def module_header(uses_functional: bool, uses_torchvision: bool = False) -> list[str]:
    lines = ["import torch", "from torch import nn"]
    if uses_functional:
        lines.append("import torch.nn.functional as F")
    if uses_torchvision:
        lines.append("import torchvision")
    return lines


def example_input_code(graph: Graph, infos: dict[str, NodeInfo], batch: int = 2) -> list[str]:
    """``torch.randn(2, 1, 32, 32)`` per Input; ``torch.randint`` within the vocabulary for ids."""
    out = []
    for n in graph.nodes:
        if n.type != "Input":
            continue
        t = infos[n.id].shape
        dims = ", ".join(str(d) for d in t.full_shape(batch))
        if t.dtype in ("long", "int32"):
            high = _vocab_after(graph, n.id)
            dtype = "torch.long" if t.dtype == "long" else "torch.int32"
            out.append(f"torch.randint(0, {high}, ({dims},), dtype={dtype})")
        elif t.dtype == "bool":
            out.append(f"torch.randint(0, 2, ({dims},)).bool()")
        else:
            dtype = "" if t.dtype == "float32" else f", dtype=torch.{t.dtype}"
            out.append(f"torch.randn({dims}{dtype})")
    return out


def _vocab_after(graph: Graph, input_id: str) -> int:
    """The smallest Embedding vocabulary fed by this input, so random ids stay in range."""
    import networkx as nx

    sizes = [
        graph.node(d).params.get("num_embeddings", 2)
        for d in nx.descendants(graph.nx, input_id)
        if graph.node(d).type == "Embedding"
    ]
    return int(min(sizes)) if sizes else 2


def render(lines: Sequence[str]) -> str:
    return "\n".join(lines) + "\n"
