"""The layer catalog: every node type nodeml knows, by type name."""

from __future__ import annotations

from . import backbones, builtin, layers
from .spec import CATEGORIES, REQUIRED, LayerSpec, ParamSpec, PortSpec, TensorInfo

CATALOG: dict[str, LayerSpec] = {
    spec.type: spec for spec in (*builtin.SPECS, *layers.SPECS, *backbones.SPECS)
}


def get_spec(type_name: str) -> LayerSpec | None:
    """The spec of a node type, or None when the type is unknown."""
    return CATALOG.get(type_name)


__all__ = [
    "CATALOG",
    "CATEGORIES",
    "REQUIRED",
    "LayerSpec",
    "ParamSpec",
    "PortSpec",
    "TensorInfo",
    "get_spec",
]
