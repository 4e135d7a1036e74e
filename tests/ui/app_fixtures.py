"""Helpers shared by the app tests (the fixtures themselves are in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from nodeml.core.serialize import graph_to_json

ROOT = Path(__file__).resolve().parents[2]
LENET = ROOT / "sample_graphs" / "lenet.json"


def snapshot(window) -> dict:
    """The whole graph as its file data: equal data, equal graph.

    Positions compare as floats: a file's ``[220, 0]`` and ``[220.0, 0.0]`` after a move and its
    undo are the same place (core keeps the file's ints until a node is moved)."""
    data = json.loads(graph_to_json(window.document.graph))
    for node in data["nodes"]:
        if "pos" in node:
            node["pos"] = [float(v) for v in node["pos"]]
    return data


def type_into(qtbot, editor, text: str) -> None:
    """Select what the field shows, type ``text`` and press Enter, as a user does."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractSpinBox

    editor.setFocus()
    line = editor.lineEdit() if isinstance(editor, QAbstractSpinBox) else editor
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
