"""Trace an nn.Module with torch.fx and rebuild it as a nodeml graph, with a weight-name map."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.fx
from torch import nn
from torch.fx.node import map_aggregate

from ..catalog import CATALOG, LayerSpec
from ..catalog.spec import same_value
from ..graph import Edge, Graph, Node, id_problem
from ..layout import layered_positions
from ..shapes import Inference
from .errors import ModelImportError
from .ops import (
    BATCH_DIM_PARAMS,
    UNMAPPED,
    DependsOnUnmapped,
    Planned,
    Port,
    Unmappable,
    describe_target,
    map_call,
)


@dataclass
class ImportResult:
    """The graph, how the original ``state_dict`` keys are named in it, and notes for the user."""

    graph: Graph
    name_map: dict[str, str]  # original state_dict key -> compiled model key
    notes: list[str] = field(default_factory=list)


# Constructor arguments torch keeps only inside submodules (TransformerEncoderLayer has no
# ``nhead`` attribute): where to read them. Everything else is read as ``getattr(module, name)``.
_READERS: dict[tuple[str, str], Any] = {
    ("TransformerEncoderLayer", "nhead"): lambda m: m.self_attn.num_heads,
    ("TransformerEncoderLayer", "dim_feedforward"): lambda m: m.linear1.out_features,
    ("TransformerEncoderLayer", "dropout"): lambda m: m.dropout.p,
    ("TransformerEncoderLayer", "layer_norm_eps"): lambda m: m.norm1.eps,
    ("TransformerEncoderLayer", "batch_first"): lambda m: m.self_attn.batch_first,
    ("TransformerEncoderLayer", "bias"): lambda m: m.linear1.bias is not None,
    ("TransformerEncoderLayer", "activation"): lambda m: getattr(
        m.activation, "__name__", m.activation
    ),
    ("MultiheadAttention", "bias"): lambda m: m.in_proj_bias is not None,
    ("MultiheadAttention", "add_bias_kv"): lambda m: m.bias_k is not None,
}
_FAILED = object()  # the value of an fx node that could not be mapped


def import_module(
    module: nn.Module,
    input_shapes: Sequence[Sequence[int]] | None = None,
    input_dtypes: Sequence[str] | None = None,
    name: str | None = None,
) -> tuple[Graph, dict[str, str]]:
    """The graph of ``module`` and ``{original state_dict key: compiled key}`` (see import_model)."""
    result = import_model(module, input_shapes, input_dtypes, name)
    return result.graph, result.name_map


def import_model(
    module: nn.Module,
    input_shapes: Sequence[Sequence[int]] | None = None,
    input_dtypes: Sequence[str] | None = None,
    name: str | None = None,
) -> ImportResult:
    """Trace ``module`` and map every op onto catalog nodes, laid out left to right.

    ``input_shapes`` gives each forward argument's shape without the batch dim (guessed only
    when the first layer is a Linear). Raises ModelImportError listing every op that has no
    nodeml equivalent, and every setting that could not be read back exactly.
    """
    cls = type(module).__name__
    try:
        traced = torch.fx.symbolic_trace(module)
    except Exception as exc:  # fx raises many kinds for untraceable Python
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelImportError(
            [
                f"torch.fx cannot trace {cls}: {first}. nodeml imports models whose forward is a "
                "fixed dataflow (no Python branches on tensor values)"
            ]
        ) from None
    builder = _Builder(traced, input_shapes, input_dtypes, original=module)
    builder.run()
    graph = builder.graph(name or cls)
    _check_and_tidy(graph, builder)
    for nid, pos in layered_positions(graph).items():
        graph.move(nid, pos)
    return ImportResult(graph, builder.name_map, builder.notes)


class _Builder:
    def __init__(
        self,
        traced: torch.fx.GraphModule,
        input_shapes: Sequence[Sequence[int]] | None,
        input_dtypes: Sequence[str] | None,
        original: nn.Module,
    ):
        self.traced = traced
        self.original = original
        self.input_shapes = [list(s) for s in input_shapes] if input_shapes is not None else None
        self.input_dtypes = list(input_dtypes or [])
        self.values: dict[torch.fx.Node, Any] = {}
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.problems: list[str] = []
        self.missing_types: set[str] = set()
        self.name_map: dict[str, str] = {}
        self.notes: list[str] = []
        self.modules: dict[str, nn.Module] = {}  # node id -> the original module it came from
        self._owner: dict[str, str] = {}  # module path -> node id, for modules holding weights
        self._taken = {n.name for n in traced.graph.nodes}
        self._placeholders = 0

    # ---- walking the fx graph ---------------------------------------------------------------
    def run(self) -> None:
        for n in self.traced.graph.nodes:
            where = f"{n.name} ({n.op} {describe_target(n.op, n.target)})"
            failed = False

            def value_of(a: torch.fx.Node) -> Any:
                nonlocal failed
                v = self.values[a]
                if v is _FAILED:
                    failed = True
                    return UNMAPPED
                return v

            args = map_aggregate(
                n.args, lambda a: value_of(a) if isinstance(a, torch.fx.Node) else a
            )
            kwargs = map_aggregate(
                n.kwargs, lambda a: value_of(a) if isinstance(a, torch.fx.Node) else a
            )
            try:
                value = self._visit(n, args, kwargs, failed)
            except DependsOnUnmapped:
                value = _FAILED
            except Unmappable as exc:
                self.problems.append(f"{where}: {exc}")
                value = _FAILED
            self.values[n] = value
        self._note_unused_weights()

    def _visit(self, n: torch.fx.Node, args: Any, kwargs: Any, failed: bool) -> Any:
        if n.op == "placeholder":
            return self._input(n)
        if n.op == "output":
            if not failed:
                self._outputs(n.name, args[0])
            return None
        if n.op == "get_attr":
            raise Unmappable(
                "uses a parameter or buffer directly; nodeml nodes own their weights, so move it "
                "into a layer (e.g. nn.Linear) or a module the catalog knows"
            )
        module = None
        if n.op == "call_module":
            planned, spec, module = self._module_call(n, args, kwargs)
        else:
            result = map_call(n.target, args, kwargs, method=n.op == "call_method")
            if not isinstance(result, Planned):
                return _FAILED if failed else result
            planned, spec = result, CATALOG[result.type]
            _check_batch_dims(planned)
        if failed:
            return _FAILED
        value = self._add(n.name, planned, spec)
        if module is not None:
            self.record_weights(self.nodes[-1].id, n.target, module)
        return value

    def _input(self, n: torch.fx.Node) -> Any:
        index = self._placeholders
        self._placeholders += 1
        if n.args and not n.users:  # an optional forward argument left at its default
            return _FAILED
        if self.input_shapes is not None:
            if index >= len(self.input_shapes):
                raise Unmappable(
                    f"forward argument {n.target!r} has no input shape; give one per argument"
                )
            shape = self.input_shapes[index]
        else:
            shape = self._guess_shape(n)
        params: dict[str, Any] = {"shape": [int(d) for d in shape]}
        if index < len(self.input_dtypes) and self.input_dtypes[index] != "float32":
            params["dtype"] = self.input_dtypes[index]
        node_id = self._id(n.name)
        self.nodes.append(Node(node_id, "Input", params))
        return Port(node_id)

    def _guess_shape(self, n: torch.fx.Node) -> list[int]:
        for user in n.users:
            if user.op == "call_module":
                first = self.traced.get_submodule(user.target)
                if isinstance(first, nn.Linear):
                    return [first.in_features]
        raise Unmappable(
            f"the shape of forward argument {n.target!r} cannot be guessed; give it "
            "(without the batch dim), e.g. --input-shape 3,224,224"
        )

    def _outputs(self, fx_name: str, value: Any) -> None:
        leaves: list[Any] = []

        def collect(v: Any) -> None:
            if isinstance(v, tuple | list):
                for item in v:
                    collect(item)
            else:
                leaves.append(v)

        collect(value)
        for i, leaf in enumerate(leaves):
            if not isinstance(leaf, Port):
                raise Unmappable(
                    f"forward returns {type(leaf).__name__}; nodeml outputs are tensors"
                )
            node_id = self._id(fx_name if len(leaves) == 1 else f"{fx_name}_{i}")
            self.nodes.append(Node(node_id, "Output"))
            self.edges.append(Edge(leaf.node, node_id, leaf.port, 0))

    def _module_call(
        self, n: torch.fx.Node, args: Any, kwargs: Any
    ) -> tuple[Planned, LayerSpec, nn.Module]:
        module = self.traced.get_submodule(n.target)
        cls = type(module)
        spec = CATALOG.get(cls.__name__)
        if spec is None or spec.module is not cls:
            self.missing_types.add(cls.__name__)
            raise Unmappable(
                f"{cls.__module__}.{cls.__qualname__} is not in nodeml's layer catalog"
            )
        if kwargs:
            raise Unmappable(
                f"is called with keyword arguments {sorted(kwargs)}, which a node cannot pass"
            )
        if len(module.state_dict()) and n.target in self._owner:
            raise Unmappable(
                f"calls {n.target!r} again, sharing its weights with node {self._owner[n.target]}; "
                "weight sharing is not supported (each nodeml node owns its weights)"
            )
        inputs = [a if isinstance(a, Port) else _not_tensor(a) for a in args]
        return Planned(spec.type, inputs, read_params(module, spec)), spec, module

    def _add(self, fx_name: str, planned: Planned, spec: LayerSpec) -> Any:
        node_id = self._id(fx_name)
        params = {k: _json_value(v, spec.param(k).kind, k) for k, v in planned.params.items()}
        self.nodes.append(Node(node_id, spec.type, _strip_defaults(spec, params)))
        for port, src in enumerate(planned.inputs):
            self.edges.append(Edge(src.node, node_id, src.port, port))
        if len(spec.outputs) <= 1:
            return Port(node_id)
        # the tuple the module returns, e.g. LSTM's (output, (h_n, c_n)), as ports 0, 1, 2
        shape = ast.literal_eval(spec.unpack.replace("{", "").replace("}", ""))
        return map_aggregate(shape, lambda i: Port(node_id, i))

    def _id(self, want: str) -> str:
        node_id = want
        while id_problem(node_id) or any(n.id == node_id for n in self.nodes):
            node_id += "_"
        self._taken.add(node_id)
        return node_id

    # ---- weights ---------------------------------------------------------------------------
    def record_weights(self, node_id: str, target: str, module: nn.Module) -> None:
        self.modules[node_id] = module
        keys = list(module.state_dict())
        if keys:
            self._owner[target] = node_id
        for key in keys:
            self.name_map[f"{target}.{key}"] = f"{node_id}.{key}"

    def _note_unused_weights(self) -> None:
        mapped = set(self.name_map)
        unused = [k for k in self.original.state_dict() if k not in mapped]
        if unused:
            self.notes.append(
                f"{len(unused)} weight tensor(s) of the original are not used by forward and were "
                f"left out: {', '.join(unused[:5])}{' ...' if len(unused) > 5 else ''}"
            )

    def graph(self, name: str) -> Graph:
        if self.problems:
            raise ModelImportError(self.problems, sorted(self.missing_types))
        graph = Graph(name)
        for node in self.nodes:
            graph.add_node(node)
        for edge in self.edges:
            graph.connect(edge)
        return graph


def _not_tensor(value: Any) -> Port:
    raise Unmappable(f"passes {value!r} to a layer; nodeml layers take tensors only")


def _check_batch_dims(planned: Planned) -> None:
    for pname in BATCH_DIM_PARAMS.get(planned.type, ()):
        if planned.params.get(pname, CATALOG[planned.type].param(pname).default) == 0:
            raise Unmappable(
                f"works across the batch dim ({pname}=0); nodeml nodes treat every sample alike"
            )


def read_params(module: nn.Module, spec: LayerSpec) -> dict[str, Any]:
    """The constructor arguments of ``module`` as JSON values, read from its attributes."""
    params: dict[str, Any] = {}
    for p in spec.params:
        reader = _READERS.get((spec.type, p.name))
        if reader is not None:
            value = reader(module)
        elif hasattr(module, p.name):
            value = getattr(module, p.name)
        else:
            continue  # checked afterwards: the rebuilt module must print and weigh the same
        params[p.name] = _json_value(value, p.kind, p.name)
    return params


def _json_value(value: Any, kind: str, name: str) -> Any:
    if kind == "bool" and (value is None or isinstance(value, torch.Tensor)):
        return value is not None  # ``bias`` is stored as the tensor or None
    if isinstance(value, torch.Size | tuple | list):
        items = [_json_value(v, "", name) for v in value]
        if kind in ("size", "floats") and items and all(v == items[0] for v in items):
            return items[0]  # (3, 3) -> 3, as people write kernel_size=3
        return items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise Unmappable(
        f"setting {name} holds {type(value).__name__}, which a graph file cannot store"
    )


def _strip_defaults(spec: LayerSpec, params: dict[str, Any]) -> dict[str, Any]:
    """Keep what differs from the catalog default (inferred sizes stay until checked)."""
    return {
        k: v
        for k, v in params.items()
        if spec.param(k).infer is not None
        or not same_value(v, spec.param(k).default, exact_numbers=False)
    }


def _check_and_tidy(graph: Graph, builder: _Builder) -> None:
    """Infer shapes, then confirm each rebuilt layer equals the original and drop inferred sizes."""
    inference = Inference(graph)
    try:
        problems = inference.problems()
        if problems:
            raise ModelImportError([str(p) for p in problems])
        infos = inference.all()
    finally:
        inference.close()
    mismatches = []
    for node_id, original in builder.modules.items():
        spec = CATALOG[graph.node(node_id).type]
        with torch.device("meta"):
            rebuilt = spec.module(**infos[node_id].values)
        if _settings(rebuilt) != _settings(original) or _state_shapes(rebuilt) != _state_shapes(
            original
        ):
            mismatches.append(
                f"{node_id}: nodeml would build {spec.type}({rebuilt.extra_repr()}) but the model has "
                f"{spec.type}({original.extra_repr()}) with different settings or weights"
            )
    if mismatches:
        raise ModelImportError(mismatches)
    for node in graph.nodes:
        spec = CATALOG[node.type]
        inferred = [p.name for p in spec.params if p.infer is not None and p.name in node.params]
        for pname in inferred:
            graph.unset_param(node.id, pname)


def _settings(module: nn.Module) -> str:
    """``extra_repr`` with ``(3, 3)`` written ``3``: the same layer however its sizes were given."""
    text = module.extra_repr()
    text = re.sub(r"\((-?[\d.]+)(?:, \1)*,?\)", r"\1", text)
    return text


def _state_shapes(module: nn.Module) -> list[tuple[str, tuple[int, ...]]]:
    return [(k, tuple(v.shape)) for k, v in module.state_dict().items()]
