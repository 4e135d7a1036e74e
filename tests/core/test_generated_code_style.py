"""Generated code is clean where users put it: ruff check (E, F, W, I, UP, B) and ruff format
pass on it at ruff's defaults, for every sample and for random single-layer graphs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nodeml
from nodeml.core.catalog import CATALOG
from nodeml.core.compile import export_code
from nodeml.core.errors import InvalidGraphError

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_graphs").glob("*.json"))
LAYERS = sorted(t for t in CATALOG if t not in ("Input", "Output"))
RULES = "E,F,W,I,UP,B"


def ruff_complaints(source: str) -> list[str]:
    """What ``ruff check`` and ``ruff format --check`` say of ``source`` (no project config)."""
    run = [sys.executable, "-m", "ruff"]
    check = subprocess.run(
        [*run, "check", "--isolated", "--select", RULES, "--output-format", "concise", "-"],
        input=source,
        capture_output=True,
        text=True,
    )
    formatted = subprocess.run(
        [*run, "format", "--isolated", "-"], input=source, capture_output=True, text=True
    )
    found = [line for line in check.stdout.splitlines() if line.startswith("-:")]
    if formatted.stdout != source:
        found.append("ruff format would change it")
    return found


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", ["modules", "functional"])
def test_every_sample_exports_clean_code(path, style):
    graph = nodeml.load_graph(path)
    for sequential in (False, True):
        source = export_code(graph, style=style, sequential=sequential)
        assert ruff_complaints(source) == [], source


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_layer_exports_clean_code(kit, data):
    type_name = data.draw(st.sampled_from(LAYERS))
    graph = kit.single_node_graph(type_name, kit.draw_case(data, type_name))
    graph.extras["training"] = {"dataset": data.draw(st.sampled_from(["shapes", "csv"]))}
    try:
        source = export_code(graph, style=data.draw(st.sampled_from(["modules", "functional"])))
    except InvalidGraphError:
        return
    assert ruff_complaints(source) == [], source
