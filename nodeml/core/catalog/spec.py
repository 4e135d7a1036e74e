"""What a node type is: ports, params, parametric flag, shape rule and code template, in one record."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from torch import nn

CATEGORIES = (
    "io",
    "linear",
    "conv",
    "norm",
    "recurrent",
    "attention",
    "activation",
    "pooling",
    "shape",
    "merge",
    "dropout",
    "backbone",
)


# Layers in these categories do matrix products or convolutions, the only ops FlopCounterMode
# counts; inference watches only them because the counter slows every op it sees.
MAC_CATEGORIES = frozenset({"linear", "conv", "recurrent", "attention", "backbone"})


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""Default of a param that the user (or inference) must supply."""

# Value kinds a param can hold. JSON literals only: numbers, booleans, strings, lists of numbers.
KINDS = ("int", "float", "bool", "str", "ints", "size", "floats")


@dataclass(frozen=True)
class TensorInfo:
    """A tensor as inference sees it: shape without the batch dim, and dtype name."""

    shape: tuple[int, ...]
    dtype: str = "float32"
    batch_dim: int = 0  # where N sits in the full tensor (1 for an LSTM's h_n)

    @property
    def is_float(self) -> bool:
        return self.dtype.startswith(("float", "bfloat"))

    def full_shape(self, batch: int) -> tuple[int, ...]:
        dims = list(self.shape)
        dims.insert(self.batch_dim, batch)
        return tuple(dims)

    def describe(self) -> str:
        """``(N, 6, 30, 30)``: the shape as PyTorch users write it, N for the batch."""
        dims = [str(d) for d in self.shape]
        dims.insert(self.batch_dim, "N")
        return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


InferRule = Callable[[Sequence[TensorInfo]], Any]


@dataclass(frozen=True)
class ParamSpec:
    """One constructor argument: its kind, default, range, and how it is inferred when absent.

    ``kind`` is one of KINDS: ``size`` is an int or a list of ints (``kernel_size``), ``ints`` a
    list of ints, ``floats`` a float or a list of floats (``scale_factor``). ``length``, for a
    ``size``, is how many numbers a list must hold (a 2-d layer's ``kernel_size`` takes 2: torch
    accepts a longer list at construction and fails only on the first batch).
    """

    name: str
    kind: str
    default: Any = REQUIRED
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] | None = None
    nullable: bool = False
    infer: InferRule | None = None
    suggested: Any = None
    doc: str = ""
    torch_default: Any = REQUIRED
    length: int | None = None

    @property
    def inferred(self) -> bool:
        return self.infer is not None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED and self.infer is None

    def initial_value(self) -> Any:
        """The value a freshly added node shows: the default, else the suggestion."""
        return self.suggested if self.default is REQUIRED else self.default

    def check(self, value: Any) -> str | None:
        """Return why ``value`` is not acceptable for this param, or None if it is."""
        if value is None:
            return None if self.nullable else f"{self.name} must not be null"
        kind = self.kind
        if kind == "bool":
            ok = isinstance(value, bool)
            want = "true or false"
        elif kind == "int":
            ok = _is_int(value)
            want = "a whole number"
        elif kind == "float":
            ok = _is_number(value)
            want = "a number"
        elif kind == "str":
            ok = isinstance(value, str)
            want = "a string"
        elif kind == "ints":
            ok = isinstance(value, list) and all(_is_int(v) for v in value)
            want = "a list of whole numbers"
        elif kind == "size":
            count = self.length
            ok = _is_int(value) or (
                isinstance(value, list)
                and len(value) > 0
                and (count is None or len(value) == count)
                and all(_is_int(v) for v in value)
            )
            listed = (
                "a list of whole numbers"
                if count is None
                else f"a list of {count} whole number{'' if count == 1 else 's'}"
            )
            want = f"a whole number or {listed}"
        elif kind == "floats":
            ok = _is_number(value) or (
                isinstance(value, list) and len(value) > 0 and all(_is_number(v) for v in value)
            )
            want = "a number or a list of numbers"
        else:  # pragma: no cover - catalog bug, caught by the catalog tests
            raise ValueError(f"unknown param kind {kind!r}")
        if not ok:
            return f"{self.name} must be {want}, got {_show(value)}"
        if self.choices is not None and value not in self.choices:
            options = ", ".join(_show(c) for c in self.choices)
            return f"{self.name} must be one of {options}, got {_show(value)}"
        numbers = value if isinstance(value, list) else [value]
        if kind != "bool" and not isinstance(value, str):
            for v in numbers:
                if isinstance(v, float) and not math.isfinite(v):
                    return f"{self.name} must be finite, got {_show(value)}"
                if self.minimum is not None and v < self.minimum:
                    return f"{self.name} must be at least {_show(self.minimum)}, got {_show(value)}"
                if self.maximum is not None and v > self.maximum:
                    return f"{self.name} must be at most {_show(self.maximum)}, got {_show(value)}"
        return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _show(value: Any) -> str:
    import json

    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


@dataclass(frozen=True)
class PortSpec:
    """An input port. ``optional`` ports may stay unconnected (then ``default_from`` is used)."""

    name: str
    optional: bool = False
    default_from: int | None = None


class CodeArgs:
    """What a code template sees: input variable names and resolved, validated param values."""

    def __init__(self, spec: LayerSpec, inputs: Sequence[str], values: dict[str, Any]):
        self.spec = spec
        self.inputs = list(inputs)
        self.values = values

    @property
    def x(self) -> str:
        return self.inputs[0]

    def r(self, name: str) -> str:
        """The Python literal for a param's value (lists written as tuples, like hand-written code)."""
        return literal(self.values[name])

    def args(self, skip: Sequence[str] = ()) -> str:
        """Constructor-style arguments: torch-required params positionally, then changed defaults."""
        parts = []
        for p in self.spec.params:
            if p.name in skip or p.name not in self.values:
                continue
            value = self.values[p.name]
            if p.torch_default is REQUIRED:
                parts.append(literal(value))
            elif not same_value(value, p.torch_default):
                parts.append(f"{p.name}={literal(value)}")
        return ", ".join(parts)


def same_value(a: Any, b: Any, *, exact_numbers: bool = True) -> bool:
    """Equal as graph-file values: True is not 1, a list equals a tuple item by item, and with
    ``exact_numbers`` 1.0 is not 1 either (without it, 0 and 0.0 are the same number)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return (
            isinstance(a, list | tuple)
            and isinstance(b, list | tuple)
            and len(a) == len(b)
            and all(
                same_value(x, y, exact_numbers=exact_numbers) for x, y in zip(a, b, strict=True)
            )
        )
    if not exact_numbers and isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


@dataclass(frozen=True)
class CodeName:
    """A constructor argument written in place of a value: inside a block's class, a layer's
    param that takes the block's parameter (``nn.Conv2d(channels, channels, 3)``)."""

    name: str


def literal(value: Any) -> str:
    """Render a validated JSON value as Python source; lists become tuples."""
    if isinstance(value, CodeName):  # a name the code generator took from its Namespace
        return value.name
    if isinstance(value, list | tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, str):
        text = repr(value)
        # double quotes, as ruff format writes them, unless that needs more escapes
        return f'"{text[1:-1]}"' if text[0] == "'" and '"' not in value else text
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite value {value!r} cannot be written as code")
        return repr(value)
    raise TypeError(f"not a literal: {value!r}")


def call(fn: str, *parts: str) -> str:
    """``fn(part, part, ...)`` skipping empty parts."""
    return f"{fn}({', '.join(p for p in parts if p)})"


@dataclass(frozen=True)
class ModuleCode:
    """How generated code builds a node's module: one expression, then the attributes of it that
    are replaced (a backbone's classifier by ``nn.Identity()``), as (attribute path, expression)."""

    expr: str
    replaced: tuple[tuple[str, str], ...] = ()

    def statements(self, target: str) -> list[str]:
        """The ``__init__`` statements that build it as ``target`` (``self.backbone``)."""
        return [f"{target} = {self.expr}", *(f"{target}.{a} = {v}" for a, v in self.replaced)]


Template = Callable[[CodeArgs], str]
InitTemplate = Callable[[CodeArgs], ModuleCode]


@dataclass(frozen=True)
class LayerSpec:
    """Everything nodeml knows about one node type.

    * ``module``: the ``torch.nn`` class for nn layers (``None`` for built-ins); the module is
      built as ``module(**params)`` both on the meta device and in generated code.
    * ``expr``: for built-ins, the forward expression (also used by meta inference, so the
      generated code and the inferred shapes cannot disagree).
    * ``functional``: for non-parametric nn layers, the expression of the ``functional`` code
      style (``F.relu(x)``); a string ``"F.relu"`` means ``F.relu(x, <args>)``.
    * ``outputs``: output port names; more than one means the call returns a tuple, unpacked by
      ``unpack`` (e.g. ``"{0}, ({1}, {2})"`` for LSTM).
    * ``init`` and ``build``: for modules that are not one ``nn.<Type>(args)`` call (torchvision
      backbones): how the generated ``__init__`` builds it (ModuleCode), and the builder meta
      inference calls with the resolved params. Both come from one catalog entry.
    """

    type: str
    category: str
    description: str
    params: tuple[ParamSpec, ...] = ()
    inputs: tuple[PortSpec, ...] = (PortSpec("input"),)
    outputs: tuple[str, ...] = ("output",)
    parametric: bool = False
    module: type[nn.Module] | None = None
    expr: Template | None = None
    functional: str | Template | None = None
    unpack: str | None = None
    input_dtype: str = "float"  # "float", "int" or "any"
    variadic: bool = False  # merges: ports 0..n-1, at least ``min_inputs``
    min_inputs: int = 1
    output_batch_dims: tuple[int, ...] = ()  # per output port where N sits (default 0)
    extra: dict[str, Any] = field(default_factory=dict)
    init: InitTemplate | None = None
    build: Callable[[dict[str, Any]], nn.Module] | None = None
    # why the inputs do not fit (beyond dtype), said before torch's own message would be
    check_inputs: Callable[[Sequence[TensorInfo]], str | None] | None = None
    # Input and Output: their outputs follow from params or inputs, nothing runs on meta
    direct_outputs: Callable[[dict[str, Any], Sequence[TensorInfo]], list[TensorInfo]] | None = None
    # what it did to its input, for the message of a mismatch after it (Flatten says which
    # shape it flattened)
    input_note: Callable[[TensorInfo], str] | None = None
    # the param bounding the integer ids it takes (Embedding: num_embeddings)
    id_limit: str | None = None
    # names its code needs imported beyond torch and nn: written as a module (``init``), and
    # by a ``functional`` template (a ``"F.relu"`` string names its own)
    init_imports: tuple[str, ...] = ()
    functional_imports: tuple[str, ...] = ()
    # the one or two params that define it, short (``6 × 3×3``, ``→120``), read through a
    # name -> effective value function (see catalog.labels)
    label: Callable[[Callable[[str], Any]], str] | None = None

    def param(self, name: str) -> ParamSpec:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def holds_module(self) -> bool:
        """Whether the node is an ``nn.Module`` attribute of the model (not a forward expression)."""
        return self.module is not None or self.build is not None

    def module_code(self, args: CodeArgs) -> ModuleCode:
        """How the generated ``__init__`` builds this node's module."""
        if self.init is not None:
            return self.init(args)
        return ModuleCode(call("nn." + self.type, args.args()))

    def make_module(self, values: dict[str, Any]) -> nn.Module:
        """The module the generated code builds, made on the current (meta) device."""
        if self.build is not None:
            return self.build(values)
        # lists go in as tuples, exactly as the generated code writes them
        kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        return self.module(**kwargs)

    @property
    def counts_macs(self) -> bool:
        """Whether its forward can do multiply-accumulates (matmuls, convolutions)."""
        return self.category in MAC_CATEGORIES

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def imports(self, functional: bool) -> tuple[str, ...]:
        """The names its code needs imported beyond torch and nn (``F``, ``torchvision``),
        written in its functional form or as a module."""
        if not functional:
            return self.init_imports
        if isinstance(self.functional, str):
            head = self.functional.partition(".")[0]
            return () if head == "torch" else (head,)
        return self.functional_imports

    def functional_code(self, args: CodeArgs) -> str | None:
        if self.functional is None:
            return None
        if isinstance(self.functional, str):
            return call(self.functional, args.x, args.args())
        return self.functional(args)

    def initial_params(self) -> dict[str, Any]:
        """Params a new node gets from the palette: required ones with their suggestion."""
        return {
            p.name: p.suggested
            for p in self.params
            if p.default is REQUIRED and p.infer is None and p.suggested is not None
        }
