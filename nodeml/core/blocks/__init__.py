"""Blocks (model in model): definitions in a graph file, their inference, grouping and library.

The graph model imports :mod:`.table` while it loads, so this package imports nothing eagerly;
the public names below load their module on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Block": "definition",
    "BlockParam": "definition",
    "BlockTable": "table",
    "block_name_problem": "definition",
    "param_name_problem": "definition",
    "is_param_ref": "definition",
    "spec_for": "edits",
    "define_block": "edits",
    "remove_block": "edits",
    "rename_block": "edits",
    "set_block_params": "edits",
    "set_block_ports": "edits",
    "block_uses": "edits",
    "set_block_doc": "edits",
    "snapshot": "edits",
    "restore": "edits",
    "group_into_block": "grouping",
    "ungroup": "grouping",
    "GroupResult": "grouping",
    "library_dir": "library",
    "shipped_dir": "library",
    "save_block": "library",
    "list_library": "library",
    "load_library_block": "library",
    "insert_block": "library",
    "LibraryBlock": "library",
    "Inserted": "library",
    "block_file_text": "library",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
