"""The backward graph of one batch, as plain data: the ``grad_fn`` nodes autograd built, linked
to the layer nodes whose forward made them and to the parameters whose ``.grad`` they fill.

``autograd_graph`` runs one forward pass (training mode, as ``backward()`` would see it; the
model's buffers, mode and the random generators are restored afterwards, and no gradient is
computed) and walks ``loss.grad_fn`` through ``next_functions``:

* an operation node per ``grad_fn`` (``AddmmBackward0``, ``ConvolutionBackward0``), with the
  shapes of the gradients it receives (its forward outputs) and of the tensors it saved;
* a parameter node per ``AccumulateGrad``: the parameter (``fc1.weight``) and its shape;
* each node's layer: a layer's outputs (read from the generated forward's locals and forward
  hooks, see node_outputs) own their ``grad_fn``, and every ``grad_fn`` found walking down from
  there before reaching another layer's output belongs to that layer too (a Linear's
  ``TBackward0``, the many inside a backbone); those above the model's output are the loss's
  (layer None);
* frozen parameters (``requires_grad`` False, ``trainable: false`` nodes) never appear in the
  walk: autograd builds no path to them. They are listed in ``frozen``.

Bounded for big models: a layer with more than ``collapse_over`` grad_fns (operations and
parameters) is shown as one collapsed node; while the graph still has more than ``max_nodes``
nodes the largest remaining layers are collapsed too, and only then are the nodes farthest from
the loss left out (counted in ``omitted``). The walk itself stops after ``_WALK_LIMIT`` grad_fns.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import torch
from torch import nn

from .errors import TrainingError
from .node_outputs import LocalsCapture, forward_values
from .training.config import TrainingConfig
from .training.datasets import LoadedData, first_samples, load_dataset
from .training.faults import ForwardError, node_of_error
from .training.losses import (
    is_reconstruction,
    loss_target,
    make_loss,
    resolve_loss,
    resolve_task,
)

_WALK_LIMIT = 20_000
_SIZE_SUFFIXES = ("_sym_sizes", "_sym_strides", "_sizes", "_strides")


class GradNodeKind(Enum):
    OPERATION = "operation"  # a grad_fn: the backward of one forward operation
    PARAMETER = "parameter"  # an AccumulateGrad: writes one parameter's .grad
    COLLAPSED = "collapsed"  # all of one layer's operations and parameters, shown as one


Shape = tuple[int, ...]


@dataclass(frozen=True)
class GradNode:
    id: int
    kind: GradNodeKind
    name: str  # "AddmmBackward0", "AccumulateGrad", or the layer id for a collapsed node
    layer: str | None  # the layer node whose forward made it; None for the loss
    shapes: tuple[Shape, ...] = ()  # the gradients it receives: its forward outputs' shapes
    saved: tuple[tuple[str, Shape], ...] = ()  # tensors kept for backward: ("mat1", (64, 576))
    parameter: str | None = None  # "fc1.weight" for a parameter node
    count: int = 1  # operations folded into a collapsed node
    parameters: tuple[str, ...] = ()  # parameters folded into a collapsed node


@dataclass(frozen=True)
class FrozenParameter:
    name: str  # "backbone.conv1.weight"
    layer: str
    shape: Shape


@dataclass(frozen=True)
class AutogradGraph:
    nodes: tuple[GradNode, ...]  # nearest the loss first; nodes[0] is loss.grad_fn
    edges: tuple[tuple[int, int], ...]  # (a, b): a passes gradient on to b
    loss: float
    frozen: tuple[FrozenParameter, ...] = ()  # no gradient path reaches these
    unreached: tuple[str, ...] = ()  # trainable parameters the loss does not depend on
    omitted: int = 0  # grad_fns left out to keep the graph within max_nodes
    notes: tuple[str, ...] = field(default=())

    def node(self, node_id: int) -> GradNode:
        return self.nodes[node_id]

    def parameter_nodes(self) -> dict[str, GradNode]:
        """Parameter name -> its node (a collapsed node for a folded parameter)."""
        out = {n.parameter: n for n in self.nodes if n.parameter is not None}
        out.update({p: n for n in self.nodes for p in n.parameters})
        return out

    def reaches(self, node_id: int) -> bool:
        """Whether the loss's gradient flows to ``node_id``."""
        seen, todo = {0}, [0]
        while todo:
            a = todo.pop()
            if a == node_id:
                return True
            for x, b in self.edges:
                if x == a and b not in seen:
                    seen.add(b)
                    todo.append(b)
        return False


def autograd_graph(
    model: nn.Module,
    inputs: torch.Tensor | Sequence[torch.Tensor],
    target: torch.Tensor | None = None,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
    *,
    input_ids: Sequence[str] = (),
    max_nodes: int = 300,
    collapse_over: int = 40,
) -> AutogradGraph:
    """The backward graph of ``loss_fn(model(*inputs), target)`` (of ``output.sum()`` without a
    loss); with several outputs the first is used, as in training. ``input_ids`` name the
    generated forward's arguments (the graph's Input nodes, in order). A forward that fails
    raises ForwardError naming the node whose line failed; a failing loss, a TrainingError."""
    if max_nodes < 1 or collapse_over < 1:
        raise ValueError("max_nodes and collapse_over must be at least 1")
    args = (inputs,) if isinstance(inputs, torch.Tensor) else tuple(inputs)
    with _untouched(model), torch.enable_grad():
        layer_outputs = _LayerOutputs(model, input_ids)
        try:
            with layer_outputs:
                output = model(*args)
        except Exception as exc:
            raise ForwardError(exc, node_of_error(model, exc.__traceback__), 0) from exc
        if isinstance(output, tuple | list):
            output = output[0]
        try:
            loss = loss_fn(output, target) if loss_fn is not None else output.sum()  # type: ignore[arg-type]
        except Exception as exc:
            first = (str(exc).strip() or type(exc).__name__).splitlines()[0]
            raise TrainingError(
                f"the loss failed on this batch: {first}; check that the model's output "
                "matches the dataset's targets"
            ) from exc
        names = {id(p): name for name, p in model.named_parameters()}  # tensors' == is per element
        frozen = tuple(
            FrozenParameter(name, name.split(".", 1)[0], tuple(p.shape))
            for name, p in model.named_parameters()
            if not p.requires_grad
        )
        if loss.grad_fn is None:
            notes = ("nothing in this model requires a gradient: every layer is frozen",)
            return AutogradGraph((), (), float(loss.detach()), frozen, (), 0, notes)
        walked = _walk(loss.grad_fn)
        layers = _assign_layers(walked.order, layer_outputs.owners(), names)
        graph = _build(walked, layers, names, max_nodes, collapse_over)
        reached = {n.parameter for n in graph.nodes} | {
            p for n in graph.nodes for p in n.parameters
        }
        unreached = tuple(
            name for name, p in model.named_parameters() if p.requires_grad and name not in reached
        )
        return AutogradGraph(
            graph.nodes,
            graph.edges,
            float(loss.detach()),
            frozen,
            unreached if not walked.cut else (),
            graph.omitted + walked.cut,
            graph.notes,
        )


def training_autograd_graph(
    model: nn.Module,
    config: TrainingConfig,
    data: LoadedData | None = None,
    *,
    graph: dict[str, Any] | None = None,
    max_nodes: int = 300,
    collapse_over: int = 40,
) -> AutogradGraph:
    """ "Show autograd graph": the backward graph of one training batch, the first
    ``config.batch_size`` samples of the training split, with the configured loss and target
    exactly as the Trainer computes them. ``graph`` is the graph file's JSON (names the Input)."""
    data = data if data is not None else load_dataset(config)
    task = resolve_task(config, data.info.task)
    loss_fn = make_loss(resolve_loss(config, task), config)
    x, y = first_samples(data.train, config.batch_size)
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    x = x.to(device)
    y = x if is_reconstruction(config, data.info.task) else y.to(device)
    nodes = (graph or {}).get("nodes") or []
    inputs = [n.get("id") for n in nodes if isinstance(n, dict) and n.get("type") == "Input"]
    return autograd_graph(
        model,
        x,
        y,
        lambda output, target: loss_fn(output, loss_target(task, target, output)),
        input_ids=[str(i) for i in inputs],
        max_nodes=max_nodes,
        collapse_over=collapse_over,
    )


# ---- running the forward without side effects -----------------------------------------------------
@contextlib.contextmanager
def _untouched(model: nn.Module) -> Any:
    """Training mode for the pass; afterwards the mode, the buffers (BatchNorm's running stats)
    and the random generators (dropout) are as they were."""
    was_training = model.training
    buffers = {name: b.detach().clone() for name, b in model.named_buffers()}
    devices = [d for d in {p.device for p in model.parameters()} if d.type == "cuda"]
    with torch.random.fork_rng(devices=[d.index or 0 for d in devices]):
        model.train()
        try:
            yield
        finally:
            model.train(was_training)
            with torch.no_grad():
                for name, b in model.named_buffers():
                    if name in buffers:
                        b.copy_(buffers[name])


class _LayerOutputs:
    """Every layer's output tensors during one forward: forward hooks on the children, and the
    generated forward's locals for layers that have no module."""

    def __init__(self, model: nn.Module, input_ids: Sequence[str]):
        self.model = model
        self.values = forward_values(model, input_ids)
        self.capture = LocalsCapture(model, self.values)
        self.hooked: list[tuple[str, Any]] = []
        self.handles: list[Any] = []

    def __enter__(self) -> _LayerOutputs:
        for name, child in self.model.named_children():
            hook = self._hook(name)
            self.handles.append(child.register_forward_hook(hook))
        self.capture.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.capture.stop()
        for handle in self.handles:
            handle.remove()

    def _hook(self, name: str) -> Callable[[nn.Module, Any, Any], None]:
        def hook(module: nn.Module, args: Any, output: Any) -> None:
            self.hooked.append((name, output))

        return hook

    def owners(self) -> dict[Any, str]:
        """grad_fn -> the layer whose output carries it; the first layer wins (an Identity
        passes its input's grad_fn on unchanged, and that belongs to the layer that made it)."""
        order = {v.node: i for i, v in enumerate(self.values)}
        found: list[tuple[int, str, Any]] = []
        for node, outs in self.capture.by_node().items():
            found += [(order.get(node, 0), node, t) for t in outs]
        found += [(order.get(name, len(order)), name, out) for name, out in self.hooked]
        owners: dict[Any, str] = {}
        for _, node, value in sorted(found, key=lambda f: f[0]):
            for t in _tensors(value):
                if t.grad_fn is not None:
                    owners.setdefault(t.grad_fn, node)
        return owners


def _tensors(value: Any) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, tuple | list):
        return [t for v in value for t in _tensors(v)]
    return []


# ---- the walk ----------------------------------------------------------------------------------------
@dataclass
class _Walk:
    order: list[Any]  # grad_fns, breadth first from the loss
    edges: list[tuple[int, int]]
    cut: int  # grad_fns seen but not walked (past _WALK_LIMIT)


def _walk(root: Any) -> _Walk:
    index = {root: 0}
    order, edges, todo = [root], [], deque([root])
    cut = 0
    while todo:
        fn = todo.popleft()
        for nxt, _ in fn.next_functions:
            if nxt is None:
                continue
            if nxt not in index:
                if len(order) >= _WALK_LIMIT:
                    cut += 1
                    continue
                index[nxt] = len(order)
                order.append(nxt)
                todo.append(nxt)
            edges.append((index[fn], index[nxt]))
    return _Walk(order, list(dict.fromkeys(edges)), cut)


def _assign_layers(
    order: list[Any], owners: dict[Any, str], names: dict[int, str]
) -> dict[Any, str | None]:
    layers: dict[Any, str | None] = {}
    for fn in order:
        variable = getattr(fn, "variable", None)
        if variable is not None and id(variable) in names:
            layers[fn] = names[id(variable)].split(".", 1)[0]
    for fn, layer in owners.items():
        layers.setdefault(fn, layer)
    # a layer owns the grad_fns below its outputs until another layer's output is reached
    for start, layer in owners.items():
        todo = [nxt for nxt, _ in start.next_functions if nxt is not None]
        while todo:
            fn = todo.pop()
            if fn in layers:
                continue
            layers[fn] = layer
            todo += [nxt for nxt, _ in fn.next_functions if nxt is not None]
    return {fn: layers.get(fn) for fn in order}


# ---- from grad_fns to plain nodes, within bounds ---------------------------------------------------------
@dataclass
class _Built:
    nodes: tuple[GradNode, ...]
    edges: tuple[tuple[int, int], ...]
    omitted: int
    notes: tuple[str, ...]


def _build(
    walked: _Walk,
    layers: dict[Any, str | None],
    names: dict[int, str],
    max_nodes: int,
    collapse_over: int,
) -> _Built:
    plain = [_plain_node(i, fn, layers[fn], names) for i, fn in enumerate(walked.order)]
    sizes: dict[str, int] = {}
    for n in plain:
        if n.layer is not None:
            sizes[n.layer] = sizes.get(n.layer, 0) + 1
    collapsed = {layer for layer, size in sizes.items() if size > collapse_over}
    for layer in sorted(sizes, key=lambda lay: -sizes[lay]):
        total = len(plain) - sum(sizes[c] - 1 for c in collapsed)
        if total <= max_nodes:
            break
        if sizes[layer] > 1:
            collapsed.add(layer)
    notes = tuple(
        f"{layer}: {sizes[layer]} grad_fns shown as one node" for layer in sorted(collapsed)
    )
    # the collapsed layer's node stands where its first (nearest the loss) grad_fn was
    target: dict[int, int] = {}
    kept: list[GradNode] = []
    first_of: dict[str, int] = {}
    for n in plain:
        if n.layer in collapsed:
            if n.layer not in first_of:
                first_of[n.layer] = len(kept)
                kept.append(_collapsed(n.layer, [m for m in plain if m.layer == n.layer]))
            target[n.id] = first_of[n.layer]
        else:
            target[n.id] = len(kept)
            kept.append(n)
    edges = list(
        dict.fromkeys((target[a], target[b]) for a, b in walked.edges if target[a] != target[b])
    )
    omitted = 0
    if len(kept) > max_nodes:
        omitted = sum(m.count for m in kept[max_nodes:])
        kept = kept[:max_nodes]
        edges = [(a, b) for a, b in edges if a < max_nodes and b < max_nodes]
    nodes = tuple(_renumbered(n, i) for i, n in enumerate(kept))
    return _Built(nodes, tuple(edges), omitted, notes)


def _plain_node(i: int, fn: Any, layer: str | None, names: dict[int, str]) -> GradNode:
    variable = getattr(fn, "variable", None)
    if variable is not None:
        return GradNode(
            i,
            GradNodeKind.PARAMETER,
            "AccumulateGrad",
            layer,
            (tuple(variable.shape),),
            parameter=names.get(id(variable), "(a tensor outside the model)"),
        )
    return GradNode(i, GradNodeKind.OPERATION, fn.name(), layer, _shapes(fn), _saved(fn))


def _collapsed(layer: str, members: list[GradNode]) -> GradNode:
    ops = [m for m in members if m.kind is GradNodeKind.OPERATION]
    params = tuple(m.parameter for m in members if m.parameter is not None)
    shapes = ops[0].shapes if ops else ()
    return GradNode(
        0, GradNodeKind.COLLAPSED, layer, layer, shapes, count=len(ops), parameters=params
    )


def _renumbered(n: GradNode, i: int) -> GradNode:
    return GradNode(
        i, n.kind, n.name, n.layer, n.shapes, n.saved, n.parameter, n.count, n.parameters
    )


def _shapes(fn: Any) -> tuple[Shape, ...]:
    """The shapes of the gradients a grad_fn receives (its forward outputs); torch keeps them
    as input metadata, which is not public API, so a torch without it gives ()."""
    try:
        return tuple(tuple(m.shape) for m in fn._input_metadata)
    except (AttributeError, RuntimeError, TypeError):
        return ()


def _saved(fn: Any) -> tuple[tuple[str, Shape], ...]:
    out = []
    for attr in dir(fn):
        if not attr.startswith("_saved_") or attr.endswith(_SIZE_SUFFIXES):
            continue
        try:
            value = getattr(fn, attr)
        except RuntimeError:  # already freed by a backward pass
            continue
        if isinstance(value, torch.Tensor):
            out.append((attr[len("_saved_") :], tuple(value.shape)))
    return tuple(out)
