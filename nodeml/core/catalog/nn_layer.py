"""A catalog entry made from a ``torch.nn`` class: params read from its constructor's signature."""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from torch import nn

from .spec import REQUIRED, LayerSpec, ParamSpec, Template


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
