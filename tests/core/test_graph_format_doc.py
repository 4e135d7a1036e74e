"""docs/graph-format.md stays true: its node-type table is the catalog's, its example is valid.

Run this file as a script to regenerate the table after a catalog change:
``.venv/bin/python tests/core/test_graph_format_doc.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from nodeml.core.catalog import CATALOG, CATEGORIES, REQUIRED, LayerSpec, ParamSpec
from nodeml.core.serialize import graph_from_json, graph_to_json
from nodeml.core.shapes import Inference

DOC = Path(__file__).resolve().parents[2] / "docs" / "graph-format.md"
BEGIN, END = "<!-- node-types:begin -->", "<!-- node-types:end -->"


def _value(v) -> str:
    return json.dumps(v)


def _param(p: ParamSpec) -> str:
    if p.inferred:
        return f"`{p.name}` (inferred)"
    if p.default is REQUIRED:
        return f"`{p.name}` (required)"
    text = f"`{p.name}`={_value(p.default)}"
    if p.torch_default is not REQUIRED and p.default != p.torch_default:
        text += f" (torch: {_value(p.torch_default)})"
    return text


def _ports(spec: LayerSpec) -> str:
    if spec.variadic:
        return f"0…n-1 (at least {spec.min_inputs})"
    if not spec.inputs:
        return "–"
    parts = []
    for i, port in enumerate(spec.inputs):
        part = f"{i} {port.name}"
        if port.optional:
            default = spec.inputs[port.default_from].name if port.default_from is not None else None
            part += f" (optional{', defaults to ' + default if default else ''})"
        parts.append(part)
    return ", ".join(parts)


def _outputs(spec: LayerSpec) -> str:
    if not spec.outputs:
        return "–"
    if len(spec.outputs) == 1:
        return "0"
    return ", ".join(f"{i} {name}" for i, name in enumerate(spec.outputs))


def node_type_table() -> str:
    """The markdown table of every catalog type, grouped by category."""
    lines = [
        "| type | category | parametric | inputs | outputs | params (default) |",
        "|---|---|---|---|---|---|",
    ]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    for spec in sorted(CATALOG.values(), key=lambda s: order[s.category]):
        params = ", ".join(_param(p) for p in spec.params) or "–"
        parametric = "yes" if spec.parametric else "no"
        cells = [f"`{spec.type}`", spec.category, parametric, _ports(spec), _outputs(spec), params]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def _doc_block(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n")


def regenerate() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + node_type_table() + "\n" + text[end:], encoding="utf-8")


def test_doc_node_type_table_is_the_catalog():
    assert _doc_block(DOC.read_text(encoding="utf-8")) == node_type_table(), (
        "docs/graph-format.md is out of date: run .venv/bin/python tests/core/test_graph_format_doc.py"
    )


def test_doc_names_every_catalog_type():
    table = _doc_block(DOC.read_text(encoding="utf-8"))
    listed = set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M))
    assert listed == set(CATALOG)


def test_doc_full_example_is_a_valid_canonical_graph():
    text = DOC.read_text(encoding="utf-8")
    example = text.split("<!-- example:begin -->")[1].split("<!-- example:end -->")[0]
    source = example.split("```json\n")[1].split("```")[0]
    graph = graph_from_json(source)
    assert Inference(graph).problems() == []
    assert graph_to_json(graph) == source  # written exactly as nodeml writes it


def test_doc_states_the_current_format_and_version():
    from nodeml.core.serialize import FORMAT, VERSION

    text = DOC.read_text(encoding="utf-8")
    assert f'"format": "{FORMAT}"' in text
    assert f'"version": {VERSION}' in text


if __name__ == "__main__":
    regenerate()
    print(f"updated {DOC}", file=sys.stderr)
