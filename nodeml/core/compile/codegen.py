"""One code generator for compile and export: a graph becomes the source of an nn.Module subclass."""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from typing import Any

import networkx as nx

from ..catalog import REQUIRED, LayerSpec, get_spec
from ..catalog.spec import CodeArgs, CodeName, ModuleCode, call, literal
from ..errors import InvalidGraphError, Problem
from ..graph import Graph
from ..reach import reaching_output
from ..shapes import Inference, NodeInfo
from .block_classes import plan_classes
from .formatting import docstring, wrap_statement
from .model_interface import ModelInterface, standardize_expr
from .model_interface import init_lines as interface_init_lines
from .model_interface import method_lines as interface_method_lines
from .namespace import RESERVED, Namespace
from .plan import ClassPlan, GeneratedModule, display_name
from .sequential import sequential_lines, straight_chain

STYLES = ("modules", "functional")


def class_name(graph_name: str) -> str:
    """``"my lenet-5"`` -> ``MyLenet5``; always a valid identifier, never empty."""
    words = re.findall(r"[A-Za-z0-9]+", graph_name)
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    if name[0].isdigit():
        name = "Net" + name
    return name if not keyword.iskeyword(name) and name not in RESERVED else name + "Model"


def check_compilable(graph: Graph, inference: Inference) -> dict[str, NodeInfo]:
    problems: list[Problem] = inference.problems()
    if problems:
        raise InvalidGraphError(problems)
    return inference.all()


def generate_class(
    graph: Graph,
    infos: dict[str, NodeInfo],
    style: str = "modules",
    name: str | None = None,
    sequential: bool = False,
    interface: ModelInterface | None = None,
) -> GeneratedModule:
    """Write the ``class X(nn.Module)`` block for a valid graph (see check_compilable), after
    one class per block it uses; ``sequential`` writes straight chains as ``nn.Sequential``;
    ``interface`` adds the input standardisation and class names (model_interface)."""
    if style not in STYLES:
        raise ValueError(f"unknown code style {style!r}; use one of {', '.join(STYLES)}")
    block_plans, values = plan_classes(graph, infos)
    cls = name or class_name(graph.name)
    while cls in graph.blocks:
        cls += "Model"
    inputs = [n.id for n in graph.nodes if n.type == "Input"]
    outputs = [n.id for n in graph.nodes if n.type == "Output"]
    doc = f"{display_name(graph.name)}, as drawn in nodeml."
    interface = interface or ModelInterface(tuple(inputs), tuple(outputs))
    main = ClassPlan(cls, graph, doc, values, inputs, outputs, mapped=True, interface=interface)
    gen = GeneratedModule(cls, [], inputs=inputs, outputs=outputs, interface=interface)
    for plan in block_plans:
        _write_class(gen, plan, style, sequential)
        gen.lines += ["", ""]
    gen.sequential = _write_class(gen, main, style, sequential)
    return gen


def node_spec(graph: Graph, type_name: str) -> LayerSpec:
    """A node's type: a catalog entry or, for a block use, the block's own spec."""
    return get_spec(type_name) or graph.blocks.spec(type_name)


def _write_class(gen: GeneratedModule, plan: ClassPlan, style: str, sequential: bool) -> bool:
    """Append ``plan``'s class to ``gen``; True when it was written as an nn.Sequential."""
    graph, table = plan.graph, plan.graph.blocks
    nodes = {n.id: n for n in graph.nodes}
    specs = {nid: node_spec(graph, n.type) for nid, n in nodes.items()}
    emit = gen.lines.append

    def mark(nid: str) -> None:
        if plan.mapped:
            gen.node_lines[len(gen.lines) + 1] = nid

    def put(nid: str | None, statement: str) -> None:
        """One statement, wrapped when long; every line it takes maps to ``nid``."""
        for line in wrap_statement(statement):
            if nid is not None:
                mark(nid)
            emit(line)

    def module_code(nid: str) -> ModuleCode:
        spec, values = specs[nid], plan.values[nid]
        if nodes[nid].type in table:
            return ModuleCode(use_call(spec, values))
        return spec.module_code(CodeArgs(spec, [], values))

    def frozen(nid: str) -> bool:  # the state_dict is unchanged; its weights are not trained
        return nodes[nid].extra.get("trainable", True) is False

    chain = straight_chain(graph, specs, plan.values) if sequential else None
    lines = None if chain is None else sequential_lines(plan, chain, module_code, frozen)
    if chain is not None and lines is not None:
        for nid, line in lines:
            if nid is not None:
                mark(nid)
            emit(line)
        gen.imports.add("OrderedDict")
        gen.imports.update(name for nid in chain for name in specs[nid].imports(False))
        return True
    needed = reaching_output(graph)  # a node that reaches no Output is not built at all
    order = _forward_order(graph, needed)
    ns = Namespace()
    var: dict[tuple[str, int], str] = {}
    for nid in plan.inputs:
        var[(nid, 0)] = ns.take(nid)
    standardized = plan.interface.standardization

    emit(f"class {plan.name}(nn.Module):")
    gen.lines.extend(docstring(plan.doc, "    "))
    emit("")
    emit(f"    def __init__(self{', ' if plan.signature else ''}{plan.signature}):")
    emit("        super().__init__()")
    for nid, line in interface_init_lines(plan.interface):
        put(nid, f"        {line}")
    as_module = {}
    for n in graph.nodes:
        spec = specs[n.id]
        if (not spec.holds_module and n.type not in table) or n.id not in needed:
            continue
        fixed = not any(isinstance(v, CodeName) for v in plan.values[n.id].values())
        functional = (
            style == "functional"
            and not spec.parametric
            and spec.functional is not None
            and fixed  # a block's argument is only known in __init__
        )
        as_module[n.id] = not functional
        gen.imports.update(spec.imports(functional))
        if not functional:
            for line in module_code(n.id).statements(f"self.{n.id}"):
                put(n.id, f"        {line}")
            if frozen(n.id):
                put(n.id, f"        self.{n.id}.requires_grad_(False)")
    emit("")
    emit(f"    def forward(self, {', '.join(var[(i, 0)] for i in plan.inputs)}):")
    if standardized is not None:
        x = var[(standardized.input, 0)]
        put(standardized.input, f"        {x} = {standardize_expr(standardized, x)}")
    for nid in order:
        n, spec = nodes[nid], specs[nid]
        if spec.type in ("Input", "Output"):
            continue
        args = _call_args(graph, nid, spec, var)
        outs = [ns.take(nid if len(spec.outputs) == 1 else f"{nid}_{p}") for p in spec.outputs]
        for port, v in enumerate(outs):
            var[(nid, port)] = v
        target = outs[0] if len(outs) == 1 else spec.unpack.format(*outs)
        code_args = CodeArgs(spec, args, plan.values[nid])
        if nid not in as_module:
            expr = spec.expr(code_args)
        elif as_module[nid]:
            expr = call(f"self.{nid}", *args)
        else:
            expr = spec.functional_code(code_args)
        put(nid, f"        {target} = {expr}")
    returned = []
    for oid in plan.outputs:
        edge = graph.in_edges(oid)[0]
        returned.append(var[(edge.source, edge.source_port)])
    for oid in plan.outputs:
        mark(oid)
    emit(f"        return {', '.join(returned)}")
    gen.lines.extend(interface_method_lines(plan.interface))
    return False


def use_call(spec: LayerSpec, values: dict[str, Any]) -> str:
    """``ResidualBlock(channels=32)``: a block use's constructor call, by keyword; a param at
    its default is left out, extra arguments (inferred values, see block_classes) always given."""
    parts = []
    for name, value in values.items():
        if name in spec.param_names and not isinstance(value, CodeName):
            default = spec.param(name).default
            if default is not REQUIRED and literal(value) == literal(default):
                continue
        parts.append(f"{name}={literal(value)}")
    return call(spec.type, ", ".join(parts))


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


def _forward_order(graph: Graph, needed: set[str]) -> list[str]:
    """Topological order, ties broken by node order, over the ``needed`` nodes."""
    position = {nid: i for i, nid in enumerate(graph.node_ids)}
    order = nx.lexicographical_topological_sort(graph.nx, key=position.__getitem__)
    return [n for n in order if n in needed]


def module_header(imports: set[str]) -> list[str]:
    """The imports of torch, nn and ``imports`` (F, torchvision, OrderedDict), sorted as isort
    (ruff's I rules) sorts them."""
    lines = ["from collections import OrderedDict", ""] if "OrderedDict" in imports else []
    lines.append("import torch")
    if "F" in imports:
        lines.append("import torch.nn.functional as F")
    if "torchvision" in imports:
        lines.append("import torchvision")
    lines.append("from torch import nn")
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
            high = id_bound(graph, n.id)
            dtype = "torch.long" if t.dtype == "long" else "torch.int32"
            out.append(f"torch.randint(0, {high}, {_size(dims)}, dtype={dtype})")
        elif t.dtype == "bool":
            out.append(f"torch.randint(0, 2, {_size(dims)}).bool()")
        else:
            dtype = "" if t.dtype == "float32" else f", dtype=torch.{t.dtype}"
            out.append(f"torch.randn({dims}{dtype})")
    return out


def _size(dims: str) -> str:
    """``(2,)`` or ``(2, 16)``: a trailing comma only where Python needs one (ruff format
    would explode a "magic" trailing comma into one element per line)."""
    return f"({dims},)" if "," not in dims else f"({dims})"


def id_bound(graph: Graph, input_id: str) -> int:
    """The smallest vocabulary of the nodes fed by this input that take ids below a bound
    (an Embedding's num_embeddings), so random ids stay in range."""
    sizes = []
    for d in nx.descendants(graph.nx, input_id):
        node = graph.node(d)
        spec = get_spec(node.type)
        if spec is not None and spec.id_limit is not None:
            sizes.append(node.params.get(spec.id_limit, 2))
    return int(min(sizes)) if sizes else 2


def render(lines: Sequence[str]) -> str:
    return "\n".join(lines) + "\n"
