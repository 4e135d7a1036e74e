"""Inference of one node: its params checked and inferred, then its layer run on the meta device.

Each node is built exactly as the generated code builds it and run on ``meta`` tensors, so the
shapes are PyTorch's own (no hand-written shape formulas).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F

from ..catalog import REQUIRED, LayerSpec, TensorInfo
from ..catalog.rules import RULE_NOUNS
from ..catalog.spec import CodeArgs
from ..errors import Problem, first_line
from ..graph import Node
from ..lazy_dynamo import defer_dynamo_import
from ..macs import MacCounter
from ..shape_text import batch_notation

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


class MetaRun:
    """A cached meta run: everything but the problems, which depend on the node's wiring."""

    __slots__ = ("outputs", "params", "trainable", "macs", "param_shapes", "error")

    def __init__(self) -> None:
        self.outputs: list[TensorInfo] | None = None
        self.params = self.trainable = self.macs = 0
        self.param_shapes: list[tuple[str, tuple[int, ...]]] = []
        self.error: Problem | None = None


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
                noun = RULE_NOUNS.get(p.infer, "")
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
    cache: dict[tuple, MetaRun] | None = None,
    flat_hint: str = "",
) -> NodeInfo:
    """Infer one node from its incoming tensors (None = unknown upstream)."""
    values = resolve_params(node, spec, inputs, problems, flat_hint)
    info = NodeInfo(values=values, problems=problems)
    info.inputs = [i for i in inputs if i is not None]
    if any(p.kind != "mismatch" for p in problems) or any(i is None for i in inputs):
        return info
    if spec.direct_outputs is not None:  # Input, Output: nothing to run
        info.outputs = spec.direct_outputs(values, inputs)
        return info
    dtype_problem = _dtype_problem(spec, inputs)
    if dtype_problem:
        problems.append(Problem("dtype", dtype_problem, node=node.id))
        return info
    misfit = spec.check_inputs(inputs) if spec.check_inputs is not None else None
    if misfit:
        problems.append(Problem("shape", misfit, node=node.id))
        return info
    key = (spec.type, values_key(values), tuple(inputs))
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


def values_key(values: dict[str, Any]) -> tuple:
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
    if spec.input_dtype == "int":  # ids index a table: zeros are ids every table has
        return torch.zeros(shape, dtype=dtype, device="meta")
    return torch.empty(shape, dtype=dtype, device="meta")


def _run_meta(spec: LayerSpec, values: dict[str, Any], inputs: Sequence[TensorInfo]) -> MetaRun:
    defer_dynamo_import()  # a meta run compiles nothing; seconds of start-up otherwise
    r = MetaRun()
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
        r.error = Problem("param", f"{spec.type} refused its params: {first_line(exc)}")
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
        why = batch_notation(first_line(exc), inputs, batch)  # torch's [2, 784] is (N, 784)
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


def warm_up() -> None:
    """Pay torch's one-off costs of the first counted meta conv (``torch._check`` imports sympy,
    0.3-0.7 s) now, so the first edit in the app is not slow; the app calls it once it has painted.
    """
    defer_dynamo_import()
    with torch.device("meta"):
        layer = torch.nn.Conv2d(1, 1, 1)
    with MacCounter():
        layer(torch.empty(1, 1, 1, 1, device="meta"))
