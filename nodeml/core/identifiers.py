"""What a node id, a block name and a block param may be: each becomes a name in generated code."""

from __future__ import annotations

import builtins
import keyword
import re
from typing import Any

from torch import nn

from .catalog import CATALOG

# Names a node id may not take: they would shadow nn.Module machinery once it is `self.<id>`.
# dir() of an instance, not the class: ``training`` and ``_modules`` are set in __init__.
_MODULE_ATTRS = frozenset(n for n in dir(nn.Module()) if not n.startswith("__"))
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9_]*\Z")
_PARAM_NAME = re.compile(r"[a-z_][A-Za-z0-9_]*\Z")
# Names the generated module uses at top level or in __init__; a block or param may not take them.
_TAKEN = {"self", "torch", "nn", "F", "OrderedDict", "super", *dir(builtins)}


def id_problem(node_id: Any) -> str | None:
    """Why ``node_id`` cannot name a node (and so a submodule), or None when it can."""
    if not isinstance(node_id, str) or not node_id.isidentifier() or not node_id.isascii():
        return f"id {node_id!r} is not a Python identifier (letters, digits and _, not starting with a digit)"
    if keyword.iskeyword(node_id) or keyword.issoftkeyword(node_id):
        return f"id {node_id!r} is a Python keyword"
    if node_id.startswith("__"):
        return f"id {node_id!r} may not start with two underscores"
    if node_id in _MODULE_ATTRS:
        return f"id {node_id!r} clashes with the nn.Module attribute of that name"
    if node_id.startswith("nodeml_"):  # the compiled class carries nodeml_source and friends
        return f"id {node_id!r} may not start with nodeml_ (reserved for nodeml)"
    return None


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
