"""What a block is: a named inner graph with ordered ports and parameters its inner nodes reference."""

from __future__ import annotations

import builtins
import copy
import keyword
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..catalog import CATALOG, REQUIRED, LayerSpec, ParamSpec, PortSpec
from ..catalog.spec import KINDS

if TYPE_CHECKING:  # graph.py imports this package; the Graph class is only needed for hints
    from ..graph import Graph

PARAM_REF = "$param"
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9_]*\Z")
_PARAM_NAME = re.compile(r"[a-z_][A-Za-z0-9_]*\Z")
# Names the generated module uses at top level or in __init__; a block or param may not take them.
_TAKEN = {"self", "torch", "nn", "F", "OrderedDict", "super", *dir(builtins)}


def block_name_problem(name: Any) -> str | None:
    """Why ``name`` cannot name a block (it becomes ``class <name>(nn.Module)``), or None."""
    if not isinstance(name, str) or not name.isascii() or not _CLASS_NAME.match(name):
        return (
            f"block name {name!r} must be a class name: an ASCII letter A-Z, then letters, "
            "digits and _"
        )
    if keyword.iskeyword(name) or name in _TAKEN:
        return f"block name {name!r} is a Python name the generated code needs"
    if name in CATALOG:
        return f"block name {name!r} is a node type of the catalog; choose another name"
    return None


def param_name_problem(name: Any) -> str | None:
    """Why ``name`` cannot name a block parameter (it becomes a constructor argument), or None."""
    if not isinstance(name, str) or not name.isascii() or not _PARAM_NAME.match(name):
        return (
            f"block param {name!r} must start with a lowercase ASCII letter or _, "
            "then letters, digits and _"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _TAKEN:
        return f"block param {name!r} is a Python name the generated code needs"
    if name.startswith("__"):
        return f"block param {name!r} may not start with two underscores"
    return None


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


@dataclass
class Block:
    """A block definition. ``graph`` holds the inner nodes and edges; ``inputs`` / ``outputs``
    are the ids of its inner Input / Output nodes in port order; ``extra`` keeps unknown keys."""

    name: str
    graph: Graph
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    params: dict[str, BlockParam] = field(default_factory=dict)
    doc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Block:
        """A deep copy whose inner graph is not attached to any block table yet."""
        inner = type(self.graph)(self.graph.name)
        inner.replace_with(self.graph, with_blocks=False)
        return Block(
            self.name,
            inner,
            list(self.inputs),
            list(self.outputs),
            {k: copy.deepcopy(v) for k, v in self.params.items()},
            self.doc,
            copy.deepcopy(self.extra),
        )

    def used_blocks(self) -> set[str]:
        """Types of inner nodes that are not catalog types (the blocks it uses, if defined)."""
        return {n.type for n in self.graph.nodes if n.type not in CATALOG}

    def spec(self, parametric: bool = False) -> LayerSpec:
        """The block as a node type: its ports, its params, how a use unpacks its outputs."""
        n_out = len(self.outputs)
        return LayerSpec(
            type=self.name,
            category="block",
            description=self.doc or f"the block {self.name}",
            params=tuple(p.spec() for p in self.params.values()),
            inputs=tuple(PortSpec(i) for i in self.inputs),
            outputs=tuple(self.outputs),
            parametric=parametric,
            unpack=", ".join(f"{{{i}}}" for i in range(n_out)) if n_out > 1 else None,
            input_dtype="any",
        )


def is_param_ref(value: Any) -> bool:
    """``{"$param": "channels"}``: an inner node param that takes a block parameter's value."""
    return isinstance(value, dict) and len(value) == 1 and PARAM_REF in value


def ref_problem(value: Any, block: Block) -> str | None:
    """Why a ``{"$param": ...}`` value is not a usable reference in ``block``, or None."""
    if not is_param_ref(value):
        return 'an object value must be exactly {"$param": NAME}'
    name = value[PARAM_REF]
    if not isinstance(name, str) or name not in block.params:
        declared = ", ".join(block.params) or "none"
        return (
            f"refers to block param {name!r}, which {block.name} does not declare "
            f"(declared: {declared})"
        )
    return None
