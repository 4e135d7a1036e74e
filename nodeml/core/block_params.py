"""A block's parameters: their declarations, and the ``{"$param": name}`` values that use them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import REQUIRED, LayerSpec, ParamSpec, PortSpec
from .catalog.spec import KINDS
from .identifiers import param_name_problem

PARAM_REF = "$param"


@dataclass
class BlockParam:
    """A block parameter: a constructor argument of the block's class, set per use."""

    name: str
    kind: str
    default: Any = REQUIRED
    minimum: float | None = None
    maximum: float | None = None
    doc: str = ""

    def spec(self) -> ParamSpec:
        """The same checks a catalog param gets (kind, range)."""
        return ParamSpec(
            self.name,
            self.kind,
            default=self.default,
            minimum=self.minimum,
            maximum=self.maximum,
            doc=self.doc,
            torch_default=self.default,
        )

    def problem(self) -> str | None:
        """Why this declaration is unusable, or None."""
        bad = param_name_problem(self.name)
        if bad:
            return bad
        if self.kind not in KINDS:
            return f"block param {self.name!r}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}"
        for bound in (self.minimum, self.maximum):
            if bound is not None and (
                not isinstance(bound, int | float) or isinstance(bound, bool)
            ):
                return f"block param {self.name!r}: minimum and maximum must be numbers"
        if not isinstance(self.doc, str):
            return f"block param {self.name!r}: doc must be a string"
        if self.default is not REQUIRED:
            why = self.spec().check(self.default)
            if why:
                return f"block param {self.name!r}: default: {why}"
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.default is not REQUIRED:
            out["default"] = self.default
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.doc:
            out["doc"] = self.doc
        return out


def is_param_ref(value: Any) -> bool:
    """``{"$param": "channels"}``: an inner node param that takes a block parameter's value."""
    return isinstance(value, dict) and len(value) == 1 and PARAM_REF in value


def block_spec(
    name: str,
    doc: str,
    params: dict[str, BlockParam],
    inputs: list[str],
    outputs: list[str],
    parametric: bool,
) -> LayerSpec:
    """A block as a node type: ports named by its inner Input / Output ids, its params, and how
    a use unpacks its outputs; parametric when anything inside is."""
    n_out = len(outputs)
    return LayerSpec(
        type=name,
        category="block",
        description=doc or f"the block {name}",
        params=tuple(p.spec() for p in params.values()),
        inputs=tuple(PortSpec(i) for i in inputs),
        outputs=tuple(outputs),
        parametric=parametric,
        unpack=", ".join(f"{{{i}}}" for i in range(n_out)) if n_out > 1 else None,
        input_dtype="any",
    )
