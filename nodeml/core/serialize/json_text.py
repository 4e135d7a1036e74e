"""JSON text as data, refusing NaN / Infinity and nesting too deep to walk safely."""

from __future__ import annotations

import json
from typing import Any

# a graph file nests about eight levels (blocks -> nodes -> params -> lists); far deeper is a
# malformed or hostile file, refused before code that walks it recursively can fail
MAX_DEPTH = 100


class JsonDepthError(ValueError):
    """JSON nested deeper than MAX_DEPTH."""


def parse_json(text: str, what: str) -> Any:
    """JSON text as data. Raises ValueError for invalid JSON or NaN / Infinity (``what``, e.g.
    "graph file", names the file kind in the message) and JsonDepthError for nesting deeper
    than MAX_DEPTH, which would otherwise end in a RecursionError somewhere later."""

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed in a {what}")

    too_deep = f"its JSON nests deeper than {MAX_DEPTH} levels; a {what} needs only a few"
    try:
        data = json.loads(text, parse_constant=refuse_constant)
    except RecursionError:
        raise JsonDepthError(too_deep) from None
    if _deeper_than(data, MAX_DEPTH):
        raise JsonDepthError(too_deep)
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether lists / objects nest more than ``limit`` levels (iterative: no recursion limit)."""
    if not isinstance(data, dict | list):
        return False
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        items = value.values() if isinstance(value, dict) else value
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in items if isinstance(item, dict | list))
    return False
