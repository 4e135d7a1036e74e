"""Live inference: every node's output shapes, parameter and MAC counts, found on the meta device.

Each node is built exactly as the generated code builds it and run on ``meta`` tensors, so the
shapes are PyTorch's own (no hand-written shape formulas). Results are cached per node and only
the nodes an edit touches -- and their descendants, while their outputs keep changing -- are
recomputed.
"""

from __future__ import annotations

import difflib
import heapq
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import torch
import torch.nn.functional as F

from .capacity import model_size_problem, node_size_problem
from .catalog import CATALOG, REQUIRED, LayerSpec, TensorInfo, get_spec
from .catalog.rules import channels, last_dim, last_dim_list
from .catalog.spec import CodeArgs
from .errors import Problem
from .graph import Graph, GraphEvent, Node
from .lazy_dynamo import defer_dynamo_import
from .macs import MacCounter
from .reach import compiled_infos, unused_problems
from .shape_text import batch_notation

_TORCH_DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "long": torch.long,
    "int32": torch.int32,
    "bool": torch.bool,
}
_DTYPE_NAMES = {v: k for k, v in _TORCH_DTYPES.items()}
_NOUNS = {last_dim: "features", channels: "channels", last_dim_list: "features in its last dim"}


def torch_dtype(name: str) -> torch.dtype:
    return _TORCH_DTYPES[name]


@dataclass
class NodeInfo:
    """What inference knows of one node. ``outputs`` is None when it could not be computed."""

    outputs: list[TensorInfo] | None = None
    inputs: list[TensorInfo] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # params after defaults + inference
    params: int = 0
    trainable: int = 0
    macs: int = 0
    param_shapes: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    inner: dict[str, NodeInfo] = field(default_factory=dict)  # a block use: its inner nodes

    @property
    def ok(self) -> bool:
        return self.outputs is not None and not self.problems

    @property
    def shape(self) -> TensorInfo | None:
        """The port-0 output (for an Output node: what it returns)."""
        return self.outputs[0] if self.outputs else None

    @property
    def activation_size(self) -> int:
        """Elements of the port-0 output per sample."""
        out = self.shape
        if out is None:
            return 0
        n = 1
        for d in out.shape:
            n *= d
        return n


@dataclass(frozen=True)
class Totals:
    params: int
    trainable: int
    macs: int
    problems: int

    @property
    def size_mb(self) -> float:
        """Parameter memory in MB at fp32."""
        return self.params * 4 / 1e6


class _Result:
    """A cached meta run: everything but the problems, which depend on the node's wiring."""

    __slots__ = ("outputs", "params", "trainable", "macs", "param_shapes", "error")

    def __init__(self) -> None:
        self.outputs: list[TensorInfo] | None = None
        self.params = self.trainable = self.macs = 0
        self.param_shapes: list[tuple[str, tuple[int, ...]]] = []
        self.error: Problem | None = None


class Inference:
    """Keeps every node's NodeInfo up to date with a Graph, recomputing only what edits touched."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._info: dict[str, NodeInfo] = {}
        self._dirty: set[str] = set(graph.node_ids)
        self._order: dict[str, int] | None = None
        self._cyclic: set[str] = set()
        self._cache: dict[tuple, _Result] = {}
        self._block_cache: dict[tuple, Any] = {}  # block uses, see nodeml.core.blocks.inference
        self.block_stack: tuple[str, ...] = ()  # the blocks being inferred around this graph
        graph.changed.connect(self._on_change)

    def close(self) -> None:
        self.graph.changed.disconnect(self._on_change)

    # ---- events ----------------------------------------------------------------------------
    def _on_change(self, ev: GraphEvent) -> None:
        kind = ev.kind
        if kind == "node_moved":
            return
        if kind == "block_changed":
            affected = {ev.block} | self.graph.blocks.users_of(ev.block)
            self._dirty.update(n.id for n in self.graph.nodes if n.type in affected)
            return
        if kind in ("node_added", "node_removed", "node_renamed", "edge_added", "edge_removed"):
            self._order = None
        if kind == "graph_changed":
            self._info.clear()
            self._dirty = set(self.graph.node_ids)
            self._order = None
            return
        if kind == "node_removed":
            self._info.pop(ev.node, None)
            self._dirty.discard(ev.node)
            return
        if kind == "node_renamed":
            self._info.pop(ev.old_id, None)
            self._dirty.discard(ev.old_id)
            self._dirty.update(self.graph.nx.successors(ev.node))
        if ev.node is not None and ev.node in self.graph:
            self._dirty.add(ev.node)

    # ---- results ---------------------------------------------------------------------------
    def info(self, node_id: str) -> NodeInfo:
        self.update()
        return self._info[node_id]

    def all(self) -> dict[str, NodeInfo]:
        """Every node's info, in node order."""
        self.update()
        return {nid: self._info[nid] for nid in self.graph.node_ids}

    def graph_order(self) -> list[str]:
        """Node ids in data-flow order (topological; file order among equals; cycles last)."""
        return list(self._topo_order())

    def totals(self) -> Totals:
        """Counts of the compiled model: the nodes that reach an Output (all, before there is one)."""
        infos = compiled_infos(self.graph, self.all())
        return Totals(
            params=sum(i.params for i in infos),
            trainable=sum(i.trainable for i in infos),
            macs=sum(i.macs for i in infos),
            problems=len(self.problems()),
        )

    def problems(self) -> list[Problem]:
        """Every error of the graph (what stops it compiling): file-level, graph-level, then per
        node in node order. Warnings are apart, in ``warnings()``."""
        self.update()
        out = list(self.graph.load_problems)
        out.extend(self._graph_problems())
        for nid in self.graph.node_ids:
            out.extend(self._info[nid].problems)
        return out

    def warnings(self) -> list[Problem]:
        """What compiles but should be said: nodes that reach no Output (left out of the model).
        None while there are errors: a broken wire would list everything above it as unused."""
        return [] if self.problems() else unused_problems(self.graph)

    def _graph_problems(self) -> list[Problem]:
        types = [n.type for n in self.graph.nodes]
        out = []
        if "Input" not in types:
            out.append(Problem("no_input", "the graph has no Input node; add one for the data"))
        if "Output" not in types:
            out.append(
                Problem(
                    "no_output",
                    "the graph has no Output node; add one to mark what forward returns",
                )
            )
        infos = compiled_infos(self.graph, self._info)
        if not any(p.kind == "size" for i in infos for p in i.problems):  # else a node says so
            too_big = model_size_problem(sum(i.params for i in infos))
            if too_big is not None:
                out.append(too_big)
        return out

    # ---- recomputation ----------------------------------------------------------------------
    def update(self) -> None:
        if not self._dirty:
            return
        order = self._topo_order()
        heap = [(order[n], n) for n in self._dirty if n in order]
        heapq.heapify(heap)
        queued = set(self._dirty)
        self._dirty.clear()
        g = self.graph.nx
        while heap:
            _, nid = heapq.heappop(heap)
            queued.discard(nid)
            old = self._info.get(nid)
            new = self._compute(nid)
            self._info[nid] = new
            if old is None or old.outputs != new.outputs or self._hint_changed(nid, old, new):
                for succ in g.successors(nid):
                    if succ not in queued:
                        queued.add(succ)
                        heapq.heappush(heap, (order[succ], succ))

    def _hint_changed(self, nid: str, old: NodeInfo, new: NodeInfo) -> bool:
        """A Flatten's input shape appears in its successors' messages (see _describe_source)."""
        return old.inputs != new.inputs and self.graph.node(nid).type == "Flatten"

    def _topo_order(self) -> dict[str, int]:
        if self._order is not None:
            return self._order
        ordered = self._kahn_order()
        old_cyclic, self._cyclic = self._cyclic, set()
        if len(ordered) < len(self.graph):
            ordered = self._order_around_cycles()
        self._order = {n: i for i, n in enumerate(ordered)}
        # nodes that joined or left a cycle change their outputs; descendants follow from there
        self._dirty.update((old_cyclic ^ self._cyclic) & set(self._order))
        return self._order

    def _kahn_order(self) -> list[str]:
        """Topological order, ties broken by node order; stops short of any cycle (cheap)."""
        succ = self.graph.nx.succ
        ids = self.graph.node_ids
        position = {nid: i for i, nid in enumerate(ids)}
        indegree = dict.fromkeys(ids, 0)
        for nid in ids:
            for target, keyed in succ[nid].items():
                indegree[target] += len(keyed)
        heap = [(position[n], n) for n in ids if indegree[n] == 0]
        heapq.heapify(heap)
        ordered: list[str] = []
        while heap:
            _, nid = heapq.heappop(heap)
            ordered.append(nid)
            for target, keyed in succ[nid].items():
                indegree[target] -= len(keyed)
                if indegree[target] == 0:
                    heapq.heappush(heap, (position[target], target))
        return ordered

    def _order_around_cycles(self) -> list[str]:
        """The order when the graph has cycles: acyclic part first, then the nodes on cycles."""
        g = self.graph.nx
        for comp in nx.strongly_connected_components(g):
            if len(comp) > 1 or any(g.has_edge(n, n) for n in comp):
                self._cyclic |= comp
        acyclic = g.subgraph(n for n in g if n not in self._cyclic)
        position = {nid: i for i, nid in enumerate(self.graph.node_ids)}
        ordered = list(nx.lexicographical_topological_sort(acyclic, key=position.__getitem__))
        ordered.extend(n for n in self.graph.node_ids if n in self._cyclic)
        return ordered

    def _compute(self, nid: str) -> NodeInfo:
        info = self._infer(nid)
        too_big = node_size_problem(nid, info.params)  # refused before anything is allocated
        if too_big is not None:
            info.problems.append(too_big)
        return info

    def _infer(self, nid: str) -> NodeInfo:
        node = self.graph.node(nid)
        if nid in self._cyclic:
            cycle = self._cycle_through(nid)
            return NodeInfo(
                problems=[
                    Problem("cycle", f"is on a cycle: {cycle}; wires must flow one way", node=nid)
                ]
            )
        spec = get_spec(node.type)
        if spec is None and node.type in self.graph.blocks:
            from .blocks.inference import infer_use

            return infer_use(self, node)
        if spec is None:
            return NodeInfo(problems=[Problem("unknown_type", _unknown_type(node.type), node=nid)])
        inputs, problems = self._gather_inputs(node, spec)
        return infer_node(node, spec, inputs, problems, self._cache, self._describe_source(node))

    def _cycle_through(self, nid: str) -> str:
        try:
            edges = nx.find_cycle(self.graph.nx.subgraph(self._cyclic), source=nid)
        except nx.NetworkXNoCycle:  # pragma: no cover - nid is on a cycle by construction
            return nid
        names = [u for u, *_ in edges]
        return " -> ".join([*names, names[0]])

    def _gather_inputs(
        self, node: Node, spec: LayerSpec
    ) -> tuple[list[TensorInfo | None], list[Problem]]:
        """The tensors arriving at each input port; None where unknown (already reported)."""
        problems: list[Problem] = []
        edges = self.graph.in_edges(node.id)
        by_port = {e.target_port: e for e in edges}
        if spec.variadic:
            n = max(by_port, default=-1) + 1
            gaps = [p for p in range(n) if p not in by_port]
            for p in gaps:
                problems.append(
                    Problem(
                        "unconnected",
                        f"input {p} is empty but later inputs are wired; "
                        "wire inputs in order from 0",
                        node=node.id,
                        port=p,
                    )
                )
            if n < spec.min_inputs:
                problems.append(
                    Problem(
                        "unconnected",
                        f"{spec.type} needs at least {spec.min_inputs} inputs, "
                        f"{len(by_port)} connected",
                        node=node.id,
                    )
                )
            ports = range(n)
        else:
            for p in by_port:
                if p >= len(spec.inputs):
                    problems.append(
                        Problem(
                            "missing_port",
                            f"a wire from {by_port[p].source} goes to input {p}, but {spec.type} has "
                            f"{_count(len(spec.inputs), 'input')}",
                            node=node.id,
                            port=p,
                        )
                    )
            ports = range(len(spec.inputs))
        inputs: list[TensorInfo | None] = []
        for p in ports:
            edge = by_port.get(p)
            if edge is None:
                if not spec.variadic:
                    port = spec.inputs[p]
                    if port.optional:
                        inputs.append(
                            inputs[port.default_from] if port.default_from is not None else None
                        )
                        continue
                    problems.append(
                        Problem(
                            "unconnected",
                            f"input {p} ({port.name}) is not connected; wire something into it",
                            node=node.id,
                            port=p,
                        )
                    )
                inputs.append(None)
                continue
            src = self._info.get(edge.source)
            if src is None or src.outputs is None:
                inputs.append(None)
                continue
            if edge.source_port >= len(src.outputs):
                src_spec = get_spec(self.graph.node(edge.source).type)
                names = src_spec.outputs if src_spec else ()
                problems.append(
                    Problem(
                        "missing_port",
                        f"wired from output {edge.source_port} of {edge.source}, which has "
                        f"{_count(len(names), 'output')}"
                        + (f" ({', '.join(names)})" if names else ""),
                        node=node.id,
                        port=p,
                    )
                )
                inputs.append(None)
                continue
            inputs.append(src.outputs[edge.source_port])
        return inputs, problems

    def _describe_source(self, node: Node) -> str:
        """Extra words for a mismatch message: '(shape [16, 6, 6] flattened)' after a Flatten."""
        edges = self.graph.in_edges(node.id)
        if not edges:
            return ""
        src = self.graph.node(edges[0].source)
        if src.type == "Flatten":
            before = self._info.get(src.id)
            if before is not None and before.inputs:
                return f" (shape {list(before.inputs[0].shape)} flattened)"
        return ""


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _unknown_type(type_name: str) -> str:
    close = difflib.get_close_matches(type_name, list(CATALOG), n=1, cutoff=0.6)
    hint = (
        f"; did you mean {close[0]}?" if close else "; see the palette for the types nodeml knows"
    )
    return f"unknown node type {type_name!r}{hint}"


def resolve_params(
    node: Node,
    spec: LayerSpec,
    inputs: Sequence[TensorInfo | None],
    problems: list[Problem],
    flat_hint: str = "",
) -> dict[str, Any]:
    """Given params checked against the catalog, defaults filled, input sizes inferred."""
    values: dict[str, Any] = {}
    known = set(spec.param_names)
    for name in node.params:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(
                Problem(
                    "param", f"{spec.type} has no param {name!r}{hint}", node=node.id, field=name
                )
            )
    for p in spec.params:
        if p.name in node.params:
            value = node.params[p.name]
            why = p.check(value)
            if why:
                problems.append(Problem("param", why, node=node.id, field=p.name))
                continue
            values[p.name] = value
        elif p.default is not REQUIRED:
            values[p.name] = p.default
        elif p.infer is None:
            eg = f" (e.g. {json.dumps(p.suggested)})" if p.suggested is not None else ""
            problems.append(
                Problem("param", f"{spec.type} needs {p.name}{eg}", node=node.id, field=p.name)
            )
    ready = [i for i in inputs if i is not None]
    if len(ready) == len(inputs) and inputs:
        for p in spec.params:
            if p.infer is None:
                continue
            try:
                inferred = p.infer(inputs)
            except IndexError:
                problems.append(
                    Problem(
                        "shape",
                        f"{spec.type} cannot read {p.name} from an input of shape "
                        f"{inputs[0].describe()}",
                        node=node.id,
                        field=p.name,
                    )
                )
                continue
            if p.name in values and _norm(values[p.name]) != _norm(inferred):
                noun = _NOUNS.get(p.infer, "")
                problems.append(
                    Problem(
                        "mismatch",
                        f"{spec.type} expects {p.name}={json.dumps(values[p.name])} but its input has "
                        f"{json.dumps(inferred)} {noun}{flat_hint}".rstrip()
                        + "; remove the value to infer it",
                        node=node.id,
                        field=p.name,
                    )
                )
            # carry on with the inferred value so the nodes after this one keep their shapes
            values[p.name] = inferred
    return values


def _norm(v: Any) -> Any:
    return list(v) if isinstance(v, list | tuple) else [v] if isinstance(v, int) else v


def infer_node(
    node: Node,
    spec: LayerSpec,
    inputs: list[TensorInfo | None],
    problems: list[Problem],
    cache: dict[tuple, _Result] | None = None,
    flat_hint: str = "",
) -> NodeInfo:
    """Infer one node from its incoming tensors (None = unknown upstream)."""
    values = resolve_params(node, spec, inputs, problems, flat_hint)
    info = NodeInfo(values=values, problems=problems)
    info.inputs = [i for i in inputs if i is not None]
    if any(p.kind != "mismatch" for p in problems) or any(i is None for i in inputs):
        return info
    if spec.type == "Input":
        shape = tuple(values["shape"])
        if any(d < 1 for d in shape):
            problems.append(
                Problem("param", "shape dims must be at least 1", node=node.id, field="shape")
            )
            return info
        info.outputs = [TensorInfo(shape, values["dtype"])]
        return info
    if spec.type == "Output":
        info.outputs = list(inputs)
        return info
    dtype_problem = _dtype_problem(spec, inputs)
    if dtype_problem:
        problems.append(Problem("dtype", dtype_problem, node=node.id))
        return info
    misfit = spec.check_inputs(inputs) if spec.check_inputs is not None else None
    if misfit:
        problems.append(Problem("shape", misfit, node=node.id))
        return info
    key = (spec.type, _values_key(values), tuple(inputs))
    result = cache.get(key) if cache is not None else None
    if result is None:
        result = _run_meta(spec, values, inputs)
        if cache is not None:
            cache[key] = result
    if result.error is not None:
        problems.append(Problem(result.error.kind, result.error.message, node=node.id))
        return info
    trainable = node.extra.get("trainable", True) is not False
    info.outputs = result.outputs
    info.params = result.params
    info.trainable = result.trainable if trainable else 0
    info.macs = result.macs
    info.param_shapes = result.param_shapes
    return info


def _values_key(values: dict[str, Any]) -> tuple:
    """A hashable key of resolved params; types kept so 1, 1.0 and True stay apart."""
    return tuple(
        (k, tuple((type(e), e) for e in v) if isinstance(v, list) else (type(v), v))
        for k, v in values.items()
    )


def _dtype_problem(spec: LayerSpec, inputs: Sequence[TensorInfo]) -> str | None:
    for i, t in enumerate(inputs):
        if spec.input_dtype == "float" and not t.is_float:
            return f"{spec.type} needs floating-point input but input {i} is {t.dtype}" + (
                "; token ids go into an Embedding first" if t.dtype in ("long", "int32") else ""
            )
        if spec.input_dtype == "int" and t.dtype not in ("long", "int32"):
            return (
                f"{spec.type} needs integer ids but input {i} is {t.dtype}; "
                'set the Input node\'s dtype to "long"'
            )
    return None


def build_expr(spec: LayerSpec, values: dict[str, Any], n_inputs: int):
    """A callable for a built-in node, made from the same expression the code generator writes."""
    names = [f"x{i}" for i in range(n_inputs)]
    body = spec.expr(CodeArgs(spec, names, values))
    return eval(f"lambda {', '.join(names)}: {body}", {"torch": torch, "F": F})  # noqa: S307 - catalog template over validated literals


def _meta_batch(inputs: Sequence[TensorInfo]) -> int:
    """A batch size no input dim has, so an op that moves or merges the batch dim shows it."""
    dims = {d for t in inputs for d in t.shape}
    batch = 2
    while batch in dims:
        batch += 1
    return batch


def _meta_input(t: TensorInfo, spec: LayerSpec, batch: int) -> torch.Tensor:
    shape = t.full_shape(batch)
    dtype = _TORCH_DTYPES[t.dtype]
    if spec.type == "Embedding":
        return torch.zeros(shape, dtype=dtype, device="meta")
    return torch.empty(shape, dtype=dtype, device="meta")


def _run_meta(spec: LayerSpec, values: dict[str, Any], inputs: Sequence[TensorInfo]) -> _Result:
    defer_dynamo_import()  # a meta run compiles nothing; seconds of start-up otherwise
    r = _Result()
    batch = _meta_batch(inputs)
    tensors = [_meta_input(t, spec, batch) for t in inputs]
    try:
        if spec.holds_module:
            with torch.device("meta"):
                module = spec.make_module(values)
            module.eval()
            fn = module
        else:
            fn = build_expr(spec, values, len(tensors))
    except Exception as exc:  # torch validates its args with many exception types
        r.error = Problem("param", f"{spec.type} refused its params: {_first_line(exc)}")
        return r
    mixed = _weight_dtype_problem(spec, fn, tensors)
    if mixed:
        r.error = Problem("dtype", mixed)
        return r
    try:
        # counting slows every op it watches; only matmuls and convolutions count
        if spec.counts_macs:
            with MacCounter() as counter:
                out = fn(*tensors)
            r.macs = counter.per_sample(batch)
        else:
            out = fn(*tensors)
    except Exception as exc:
        shapes = ", ".join(t.describe() for t in inputs)
        why = batch_notation(_first_line(exc), inputs, batch)  # torch's [2, 784] is (N, 784)
        r.error = Problem("shape", f"{spec.type} cannot take input {shapes}: {why}")
        return r
    flat = _flatten(out)
    if len(flat) != len(spec.outputs):  # pragma: no cover - catalog bug
        r.error = Problem(
            "internal", f"{spec.type} returned {len(flat)} tensors, expected {len(spec.outputs)}"
        )
        return r
    # the batch dim stays where the catalog says, else where input 0 has it (h_n through a
    # Dropout); an op that moves it (h_n[-1]) is followed, one that merges or drops it refused
    expected = spec.output_batch_dims or (inputs[0].batch_dim if inputs else 0,) * len(flat)
    outs = []
    for t, want in zip(flat, expected, strict=True):
        shape = list(t.shape)
        bd = _find_batch(shape, batch, want)
        if bd is None:
            r.error = Problem(
                "batch",
                f"{spec.type} would merge the batch dim (dim 0) into another or drop it; "
                "count dims from 1 for the sample's own dims",
            )
            return r
        del shape[bd]
        outs.append(TensorInfo(tuple(shape), _DTYPE_NAMES.get(t.dtype, str(t.dtype)), bd))
    r.outputs = outs
    if spec.holds_module:
        ps = list(module.named_parameters())
        r.params = sum(p.numel() for _, p in ps)
        r.trainable = sum(p.numel() for _, p in ps if p.requires_grad)
        r.param_shapes = [(n, tuple(p.shape)) for n, p in ps]
    return r


def _weight_dtype_problem(spec: LayerSpec, fn: Any, tensors: Sequence[torch.Tensor]) -> str | None:
    """Meta kernels promote float64 input against float32 weights; real CPU kernels refuse it."""
    if not isinstance(fn, torch.nn.Module):
        return None
    held = [t for t in (*fn.parameters(), *fn.buffers()) if t.is_floating_point()]
    if not held:
        return None
    weights = held[0].dtype
    for i, t in enumerate(tensors):
        if t.is_floating_point() and t.dtype != weights:
            have, want = _DTYPE_NAMES.get(t.dtype, str(t.dtype)), _DTYPE_NAMES[weights]
            return (
                f"{spec.type} holds {want} weights but input {i} is {have}; "
                f"set the Input node's dtype to {want}"
            )
    return None


def _find_batch(shape: list[int], batch: int, expected: int) -> int | None:
    """Where the batch dim is in an output: ``expected`` if it holds it, else its one place."""
    if expected < len(shape) and shape[expected] == batch:
        return expected
    places = [i for i, d in enumerate(shape) if d == batch]
    return places[0] if len(places) == 1 else None


def _flatten(out: Any) -> list[torch.Tensor]:
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, tuple | list):
        return [t for item in out for t in _flatten(item)]
    if out is None:  # e.g. attention weights when need_weights=False
        return []
    raise TypeError(f"unexpected output {type(out).__name__}")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def warm_up() -> None:
    """Pay torch's one-off costs of the first counted meta conv (``torch._check`` imports sympy,
    0.3-0.7 s) now, so the first edit in the app is not slow; the app calls it once it has painted.
    """
    defer_dynamo_import()
    with torch.device("meta"):
        layer = torch.nn.Conv2d(1, 1, 1)
    with MacCounter():
        layer(torch.empty(1, 1, 1, 1, device="meta"))
