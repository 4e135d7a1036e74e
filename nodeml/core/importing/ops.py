"""How torch.fx function and method calls map onto nodeml's built-in and non-parametric node types."""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch.fx.operator_schemas import normalize_function


class Unmappable(Exception):
    """One fx op has no nodeml equivalent; the message says why, in a user's words."""


class DependsOnUnmapped(Unmappable):
    """The op failed only because a value it reads was itself unmappable (reported already)."""


@dataclass(frozen=True)
class Port:
    """A tensor in the graph being built: output ``port`` of node ``node``."""

    node: str
    port: int = 0


@dataclass(frozen=True)
class ShapeOf:
    """``x.shape`` / ``x.size()``: only its batch entry (index 0) can be expressed."""

    tensor: Port


class BatchSize:
    """``x.size(0)``: the batch size, which reshapes in nodeml always keep."""

    def __repr__(self) -> str:
        return "x.size(0)"


BATCH = BatchSize()
UNMAPPED = Port("<unmapped>")  # stands in for the value of an op that could not be mapped
ANY = object()  # an ignored argument: any value means the same to the nodeml node
_NOT_ALLOWED = object()


@dataclass
class Planned:
    """A node to add: catalog type, params (JSON values) and the tensors wired into it."""

    type: str
    inputs: list[Port]
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FunctionMap:
    """A functional call that is a catalog layer: ``params`` carry over by name; ``allowed``
    lists the other arguments and the only value each may have (ANY: ignored)."""

    type: str
    params: tuple[str, ...] = ()
    allowed: dict[str, Any] = field(default_factory=dict)


_SOFTMAX = ("dim",)
_SOFTMAX_ALLOWED = {"_stacklevel": ANY, "dtype": None}
_INPLACE = ("inplace",)
_POOL = ("kernel_size", "stride", "padding", "dilation", "ceil_mode")
_AVG = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override")

FUNCTIONS: dict[Callable[..., Any], FunctionMap] = {
    F.relu: FunctionMap("ReLU", _INPLACE),
    torch.relu: FunctionMap("ReLU"),
    F.leaky_relu: FunctionMap("LeakyReLU", ("negative_slope", "inplace")),
    F.elu: FunctionMap("ELU", ("alpha", "inplace")),
    F.gelu: FunctionMap("GELU", ("approximate",)),
    F.silu: FunctionMap("SiLU", _INPLACE),
    F.mish: FunctionMap("Mish", _INPLACE),
    F.hardswish: FunctionMap("Hardswish", _INPLACE),
    torch.sigmoid: FunctionMap("Sigmoid"),
    F.sigmoid: FunctionMap("Sigmoid"),
    torch.tanh: FunctionMap("Tanh"),
    F.tanh: FunctionMap("Tanh"),
    F.softmax: FunctionMap("Softmax", _SOFTMAX, _SOFTMAX_ALLOWED),
    torch.softmax: FunctionMap("Softmax", _SOFTMAX, _SOFTMAX_ALLOWED),
    F.log_softmax: FunctionMap("LogSoftmax", _SOFTMAX, _SOFTMAX_ALLOWED),
    torch.log_softmax: FunctionMap("LogSoftmax", _SOFTMAX, _SOFTMAX_ALLOWED),
    # the generated Dropout follows model.training, as F.dropout(x, p, self.training) does
    F.dropout: FunctionMap("Dropout", ("p", "inplace"), {"training": ANY}),
    F.dropout2d: FunctionMap("Dropout2d", ("p", "inplace"), {"training": ANY}),
    F.max_pool1d: FunctionMap("MaxPool1d", _POOL, {"return_indices": False}),
    F.max_pool2d: FunctionMap("MaxPool2d", _POOL, {"return_indices": False}),
    F.avg_pool1d: FunctionMap("AvgPool1d", _AVG[:-1]),
    F.avg_pool2d: FunctionMap("AvgPool2d", _AVG),
    F.adaptive_avg_pool1d: FunctionMap("AdaptiveAvgPool1d", ("output_size",)),
    F.adaptive_avg_pool2d: FunctionMap("AdaptiveAvgPool2d", ("output_size",)),
    F.adaptive_max_pool2d: FunctionMap(
        "AdaptiveMaxPool2d", ("output_size",), {"return_indices": False}
    ),
    F.interpolate: FunctionMap(
        "Upsample",
        ("size", "scale_factor", "mode", "align_corners"),
        {"recompute_scale_factor": None, "antialias": False},
    ),
    torch.flatten: FunctionMap("Flatten", ("start_dim", "end_dim")),
}
# tensor methods that take the same arguments as the torch function of that name
_METHOD_FUNCTIONS = {
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": torch.softmax,
    "log_softmax": torch.log_softmax,
    "flatten": torch.flatten,
}
_ADD = (operator.add, operator.iadd, torch.add, "add", "add_")
_MUL = (operator.mul, operator.imul, torch.mul, "mul", "mul_")
_CAT = (torch.cat, torch.concat, torch.concatenate)
_RESHAPE = (torch.reshape, "reshape", "view")
_SHAPE_OPS = {  # built-in shape nodes: positional argument names after the tensor
    "squeeze": ("Squeeze", ("dim",)),
    "unsqueeze": ("Unsqueeze", ("dim",)),
    "transpose": ("Transpose", ("dim0", "dim1")),
}
# params whose value 0 would reach across samples: nodeml keeps the batch dim apart
BATCH_DIM_PARAMS = {
    "Flatten": ("start_dim",),
    "Concat": ("dim",),
    "Softmax": ("dim",),
    "LogSoftmax": ("dim",),
    "Select": ("dim",),
    "Squeeze": ("dim",),
    "Unsqueeze": ("dim",),
    "Transpose": ("dim0", "dim1"),
}


def describe_target(op: str, target: Any) -> str:
    """``torch.nn.functional.relu``, ``Tensor.view`` or ``operator.add``: how the user wrote it."""
    if op == "call_method":
        return f"Tensor.{target}"
    if isinstance(target, str):
        return target
    module = getattr(target, "__module__", None) or ""
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", repr(target))
    if module in ("_operator", "operator"):
        module = "operator"
    elif module.startswith("torch._C") or not module:
        module = "torch"
    return f"{module}.{name}"


def map_call(target: Any, args: Sequence[Any], kwargs: dict[str, Any], *, method: bool) -> Any:
    """The nodeml meaning of one function / method call: a Planned node, or a value (alias)."""
    if method and target == "contiguous":
        return _tensor(args[0], "input")
    if method and target == "size":
        return _size(args, kwargs)
    if target is builtins.getattr:
        if args[1] == "shape":
            return ShapeOf(_tensor(args[0], "input"))
        raise Unmappable(f"reads attribute {args[1]!r} of a tensor")
    if target is operator.getitem:
        return _getitem(args[0], args[1])
    if target in _ADD:
        return _merge("Add", args, kwargs, "adds")
    if target in _MUL:
        return _merge("Multiply", args, kwargs, "multiplies by")
    if target in _CAT:
        return _concat(args, kwargs)
    if target in _RESHAPE:
        return _reshape(args, kwargs, is_method=method)
    if target == "permute" or target is torch.permute:
        dims = args[1] if len(args) == 2 and isinstance(args[1], list | tuple) else args[1:]
        dims = kwargs.get("dims", dims)
        return Planned(
            "Permute", [_tensor(args[0], "input")], {"dims": [_int(d, "dims") for d in dims]}
        )
    name = target if method else getattr(target, "__name__", None)
    if name in _SHAPE_OPS and (method or getattr(torch, name, None) is target):
        return _shape_op(name, args, kwargs)
    function = _METHOD_FUNCTIONS.get(target) if method else target
    fmap = FUNCTIONS.get(function) if function is not None else None
    if fmap is None:
        raise Unmappable("no nodeml node type does this")
    return _mapped_function(function, fmap, args, kwargs)


def _mapped_function(
    fn: Callable[..., Any], fmap: FunctionMap, args: Sequence[Any], kwargs: dict[str, Any]
) -> Planned:
    def kind(v: Any) -> type:
        return torch.Tensor if isinstance(v, Port) else type(v)

    try:  # types pick the tensor overload of ops like torch.tanh, which also take numbers
        normalized = normalize_function(
            fn,
            tuple(args),
            dict(kwargs),
            arg_types=tuple(kind(a) for a in args),
            kwarg_types={k: kind(v) for k, v in kwargs.items()},
            normalize_to_only_use_kwargs=True,
        )
    except (RuntimeError, TypeError, ValueError):
        normalized = None
    if normalized is None:
        raise Unmappable("its arguments could not be matched to a signature")
    values = dict(normalized.kwargs)
    tensor = _tensor(values.pop("input"), "input")
    params: dict[str, Any] = {}
    for name in fmap.params:
        if name in values:
            params[name] = values.pop(name)
    for name, value in values.items():
        allowed = fmap.allowed.get(name, _NOT_ALLOWED)
        if allowed is _NOT_ALLOWED or (allowed is not ANY and value != allowed):
            raise Unmappable(f"argument {name}={value!r} has no equivalent on the {fmap.type} node")
    return Planned(fmap.type, [tensor], params)


def _tensor(value: Any, what: str) -> Port:
    if isinstance(value, Port):
        return value
    if isinstance(value, ShapeOf | BatchSize):
        raise Unmappable(f"uses a tensor size as {what}; nodeml graphs have fixed sample shapes")
    raise Unmappable(f"takes the constant {value!r} as {what}; nodeml nodes take tensors there")


def _int(value: Any, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if value == UNMAPPED:
        raise DependsOnUnmapped(what)
    raise Unmappable(f"{what} is {value!r}, not a fixed whole number")


def _merge(type_name: str, args: Sequence[Any], kwargs: dict[str, Any], verb: str) -> Planned:
    if kwargs.get("alpha", 1) != 1:
        raise Unmappable("add with alpha has no nodeml equivalent")
    if len(args) != 2:
        raise Unmappable(f"{type_name} needs exactly two tensors here")
    for a in args:
        if not isinstance(a, Port):
            raise Unmappable(f"{verb} the constant {a!r}; nodeml's {type_name} takes tensors only")
    return Planned(type_name, list(args))


def _concat(args: Sequence[Any], kwargs: dict[str, Any]) -> Planned:
    tensors = kwargs.get("tensors", args[0] if args else None)
    dim = kwargs.get("dim", kwargs.get("axis", args[1] if len(args) > 1 else 0))
    if isinstance(tensors, list | tuple) and len(tensors) == 1:
        return _tensor(tensors[0], "input")  # torch.cat([x]) is x
    if not isinstance(tensors, list | tuple) or not tensors:
        raise Unmappable("concatenates no tensors")
    return Planned(
        "Concat", [_tensor(t, "a concatenated tensor") for t in tensors], {"dim": _int(dim, "dim")}
    )


def _size(args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
    tensor = _tensor(args[0], "input")
    dim = kwargs.get("dim", args[1] if len(args) > 1 else None)
    if dim is None:
        return ShapeOf(tensor)
    if dim == 0:
        return BATCH
    raise Unmappable(
        f"reads size({dim!r}); nodeml graphs have fixed sample shapes, so write the number"
    )


def _getitem(base: Any, index: Any) -> Any:
    if isinstance(base, tuple | list) and isinstance(index, int | slice):
        return base[index]
    if isinstance(base, ShapeOf):
        if index == 0:
            return BATCH
        raise Unmappable(
            f"reads shape[{index!r}]; nodeml graphs have fixed sample shapes, so write the number"
        )
    tensor = _tensor(base, "indexed value")
    items = index if isinstance(index, tuple) else (index,)
    leading = 0
    while leading < len(items) and items[leading] == slice(None):
        leading += 1
    rest = items[leading:]
    if len(rest) == 1 and isinstance(rest[0], int) and not isinstance(rest[0], bool):
        if leading == 0:
            raise Unmappable("indexes the batch dim (x[i]); nodeml nodes work on every sample")
        return Planned("Select", [tensor], {"dim": leading, "index": rest[0]})
    raise Unmappable(
        f"indexing [{_show_index(items)}] has no nodeml node (only x[:, i] style picks)"
    )


def _show_index(items: Sequence[Any]) -> str:
    def one(i: Any) -> str:
        if isinstance(i, slice):
            parts = ["" if v is None else repr(v) for v in (i.start, i.stop)]
            return ":".join(parts) + ("" if i.step is None else f":{i.step!r}")
        return repr(i)

    return ", ".join(one(i) for i in items)


def _reshape(args: Sequence[Any], kwargs: dict[str, Any], *, is_method: bool) -> Planned:
    tensor = _tensor(args[0], "input")
    shape: Any = kwargs.get("shape", kwargs.get("size", args[1:] if is_method else args[1]))
    if len(shape) == 1 and isinstance(shape[0], list | tuple):
        shape = shape[0]
    shape = list(shape)
    if not shape or not (shape[0] is BATCH or shape[0] == -1):
        raise Unmappable(
            f"reshapes to {shape!r}; the first dim must be the batch (x.size(0) or -1)"
        )
    rest = [_int(d, "a reshape dim") for d in shape[1:]]
    if shape[0] == -1 and -1 in rest:
        raise Unmappable("reshapes with two -1 dims")
    if rest == [-1]:
        return Planned("Flatten", [tensor])
    return Planned("Reshape", [tensor], {"shape": rest})


def _shape_op(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> Planned:
    type_name, names = _SHAPE_OPS[name]
    tensor = _tensor(kwargs.get("input", args[0]), "input")
    params = {}
    for i, pname in enumerate(names):
        value = kwargs.get(pname, args[i + 1] if i + 1 < len(args) else None)
        if value is None:
            raise Unmappable(f"{name} without {pname} has no nodeml node")
        params[pname] = _int(value, pname)
    return Planned(type_name, [tensor], params)
