"""Blocks (model in model): edits of a graph's block definitions, grouping, and the block library.

A block definition itself (Block, BlockTable) is part of the graph model (nodeml.core.graph); its
parameters are in nodeml.core.block_params, its file rows in nodeml.core.serialize.
"""

from __future__ import annotations

from ..block_params import PARAM_REF, BlockParam, is_param_ref
from ..graph import Block, BlockTable
from ..identifiers import block_name_problem, param_name_problem
from .edits import (
    block_uses,
    define_block,
    remove_block,
    rename_block,
    restore,
    set_block_doc,
    set_block_params,
    set_block_ports,
    snapshot,
    spec_for,
)
from .grouping import group_into_block, ungroup
from .library import (
    Inserted,
    LibraryBlock,
    block_file_text,
    insert_block,
    library_dir,
    list_library,
    load_library_block,
    save_block,
    shipped_dir,
)

__all__ = [
    "PARAM_REF",
    "Block",
    "BlockParam",
    "BlockTable",
    "Inserted",
    "LibraryBlock",
    "block_file_text",
    "block_name_problem",
    "block_uses",
    "define_block",
    "group_into_block",
    "insert_block",
    "is_param_ref",
    "library_dir",
    "list_library",
    "load_library_block",
    "param_name_problem",
    "remove_block",
    "rename_block",
    "restore",
    "save_block",
    "set_block_doc",
    "set_block_params",
    "set_block_ports",
    "shipped_dir",
    "snapshot",
    "spec_for",
    "ungroup",
]
