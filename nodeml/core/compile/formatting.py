"""Generated source laid out as ``ruff format`` lays it out at its defaults (88 columns), so an
exported file passes ``ruff check`` and ``ruff format --check`` in the user's own project."""

from __future__ import annotations

import textwrap

WIDTH = 88


def docstring(text: str, indent: str = "", width: int = WIDTH) -> list[str]:
    """``text`` as a docstring at ``indent``: one line when it fits in ``width``, else wrapped
    with the closing quotes on a line of their own (so the file passes ruff at its defaults)."""
    one = f'{indent}"""{text}"""'
    if len(one) <= width:
        return [one]
    # room for the closing quotes on every line: ruff format joins them to a last line that is
    # the only one, and ruff check then finds that too long
    wrapped = textwrap.wrap(
        text, width - len(indent) - 3, initial_indent='"""', break_on_hyphens=False
    )
    return [f"{indent}{line}" for line in wrapped] + [f'{indent}"""']


def wrap_statement(line: str, width: int = WIDTH) -> list[str]:
    """A statement ending in a call, split as ruff format splits one that is too long: its
    arguments on one indented line when they fit, else one per line with a trailing comma."""
    if len(line) <= width or not line.endswith(")"):
        return [line]
    opening = {close: start for start, close in _bracket_pairs(line).items()}.get(len(line) - 1)
    if opening is None:
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    inner, args = indent + "    ", line[opening + 1 : -1]
    if len(inner) + len(args) <= width:
        return [line[: opening + 1], inner + args, indent + ")"]
    return [line[: opening + 1], *(f"{inner}{a}," for a in split_arguments(args)), indent + ")"]


def split_arguments(text: str) -> list[str]:
    """``a, f(b, c), d="x, y"`` -> ``["a", "f(b, c)", 'd="x, y"']``: commas outside brackets
    and string literals."""
    pairs = _bracket_pairs(text)
    parts, start, i = [], 0, 0
    while i < len(text):
        if i in pairs:
            i = pairs[i] + 1
            continue
        if text[i] in "\"'":
            i = _string_end(text, i) + 1
            continue
        if text[i] == ",":
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    last = text[start:].strip()
    return [*parts, last] if last else parts


def _bracket_pairs(text: str) -> dict[int, int]:
    """Opening index -> closing index of every bracket pair outside string literals."""
    pairs, stack, i = {}, [], 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _string_end(text, i)
        elif c in "([{":
            stack.append(i)
        elif c in ")]}" and stack:
            pairs[stack.pop()] = i
        i += 1
    return pairs


def _string_end(text: str, start: int) -> int:
    """The index of the quote closing the string literal that opens at ``start``."""
    quote, i = text[start], start + 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i
