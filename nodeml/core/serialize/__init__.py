"""Graph files, format ``nodeml.graph``: read with full checking, written canonically and atomically.

``graph_file`` reads and writes whole files, ``rows`` the node and edge rows a graph and a block
definition share, ``blocks`` the block definitions, ``json_text`` the JSON underneath.
"""

from .blocks import block_to_dict, blocks_json, read_blocks
from .graph_file import (
    FORMAT,
    VERSION,
    graph_from_dict,
    graph_from_json,
    graph_to_dict,
    graph_to_json,
    load_graph,
    save_graph,
)
from .json_text import MAX_DEPTH, JsonDepthError, parse_json
from .rows import edge_to_dict, edges_in_order, fill_graph, node_to_dict, rows_json

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "VERSION",
    "JsonDepthError",
    "block_to_dict",
    "blocks_json",
    "edge_to_dict",
    "edges_in_order",
    "fill_graph",
    "graph_from_dict",
    "graph_from_json",
    "graph_to_dict",
    "graph_to_json",
    "load_graph",
    "node_to_dict",
    "parse_json",
    "read_blocks",
    "rows_json",
    "save_graph",
]
