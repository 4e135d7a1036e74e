"""Helpers shared by the app tests (the fixtures themselves are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from nodeml.core.serialize import graph_to_json

ROOT = Path(__file__).resolve().parents[2]
LENET = ROOT / "sample_graphs" / "lenet.json"


def snapshot(window) -> str:
    """The whole graph as its file text: equal text, equal graph."""
    return graph_to_json(window.document.graph)
