"""What a node type is: ports, params, parametric flag, shape rule and code template, in one record."""

from __future__ import annotations

import inspect
import math
import re
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
            elif not _same(value, p.torch_default):
                parts.append(f"{p.name}={literal(value)}")
        return ", ".join(parts)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list | tuple):
        return (
            list(a) == list(b)
            if isinstance(a, list | tuple) and isinstance(b, list | tuple)
            else False
        )
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


Template = Callable[[CodeArgs], str]
InitTemplate = Callable[[str, CodeArgs], list[str]]
"""``(target, args) -> statements`` that create the module as ``target`` (``self.backbone``)."""


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
      backbones): the statements the generated ``__init__`` writes, and the builder meta
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

    def param(self, name: str) -> ParamSpec:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def holds_module(self) -> bool:
        """Whether the node is an ``nn.Module`` attribute of the model (not a forward expression)."""
        return self.module is not None or self.build is not None

    def init_lines(self, target: str, args: CodeArgs) -> list[str]:
        """The ``__init__`` statements that create this node's module as ``target``."""
        if self.init is not None:
            return self.init(target, args)
        return [f"{target} = {call('nn.' + self.type, args.args())}"]

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


def _torch_defaults(module: type[nn.Module]) -> dict[str, Any]:
    sig = inspect.signature(module.__init__)
    out: dict[str, Any] = {}
    for name, p in sig.parameters.items():
        if name in ("self", "device", "dtype") or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out[name] = REQUIRED if p.default is inspect.Parameter.empty else p.default
    return out


def _kind_of(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return None


def nn_layer(
    module: type[nn.Module],
    category: str,
    *,
    params: Sequence[ParamSpec] = (),
    parametric: bool = False,
    functional: str | Template | None = None,
    skip: Sequence[str] = (),
    description: str | None = None,
    **kwargs: Any,
) -> LayerSpec:
    """A catalog entry for a ``torch.nn`` class: one line for most layers.

    Params come from the constructor's signature (kind from the default's type); ``params``
    overrides or adds specs (ranges, choices, inference, params whose torch default is None or
    absent). ``skip`` drops constructor args nodeml does not expose.
    """
    torch_defaults = _torch_defaults(module)
    given = {p.name: p for p in params}
    if not torch_defaults and given:
        # *args/**kwargs constructors (RNN, LSTM, GRU): the specs list every argument.
        torch_defaults = {p.name: p.torch_default for p in params}
    specs: list[ParamSpec] = []
    for name, tdefault in torch_defaults.items():
        if name in skip:
            continue
        if name in given:
            p = given.pop(name)
            specs.append(_with_torch_default(p, tdefault))
            continue
        kind = _kind_of(tdefault)
        if kind is None:
            raise ValueError(
                f"{module.__name__}.{name}: default {tdefault!r} needs an explicit ParamSpec"
            )
        specs.append(ParamSpec(name, kind, default=tdefault, torch_default=tdefault))
    if given:
        raise ValueError(f"{module.__name__}: {sorted(given)} are not constructor arguments")
    return LayerSpec(
        type=module.__name__,
        category=category,
        description=description or first_sentence(module.__doc__),
        params=tuple(specs),
        parametric=parametric,
        module=module,
        functional=functional,
        **kwargs,
    )


def _with_torch_default(p: ParamSpec, tdefault: Any) -> ParamSpec:
    from dataclasses import replace

    if p.torch_default is not REQUIRED:  # the spec knows better (e.g. a function default)
        tdefault = p.torch_default
    default = p.default
    if default is REQUIRED and tdefault is not REQUIRED and p.infer is None:
        default = tdefault
    return replace(p, default=default, torch_default=tdefault)


def first_sentence(doc: str | None) -> str:
    """The first sentence of a docstring, on one line, without reST or LaTeX markup."""
    if not doc:
        return ""
    text = " ".join(doc.strip().split("\n\n")[0].split())
    for mark in (":math:", ":class:", ":func:", ":attr:", ":meth:"):
        text = text.replace(mark, "")
    text = text.replace("`", "")
    # \log(\text{Softmax}(x)) -> log(Softmax(x))
    text = re.sub(r"\\(?:text|mathrm|operatorname)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]
