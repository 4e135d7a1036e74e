"""The Help → Keyboard Shortcuts page: every menu shortcut, read from the actions, plus canvas gestures."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

# Gestures the canvas handles itself (they are not menu actions).
CANVAS_GESTURES = (
    ("Tab / double-click empty canvas", "Quick-add a layer at the cursor"),
    ("Drag from a port", "Draw a wire; release on empty canvas to add a connected layer"),
    ("Drop a layer on a wire", "Insert it between the two nodes"),
    ("Wheel", "Zoom at the cursor"),
    ("Middle drag / Space + drag", "Pan"),
    ("Ctrl + click, rubber band", "Select several nodes"),
)


def _menu_rows(menu: QMenu, prefix: str) -> list[tuple[str, str]]:
    rows = []
    for action in menu.actions():
        if action.menu() is not None:
            rows.extend(_menu_rows(action.menu(), f"{prefix}{action.text().replace('&', '')} → "))
            continue
        keys = action.shortcuts()
        if keys and action.text():
            text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            rows.append((text, prefix + action.text().replace("&", "")))
    return rows


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(keys, what) for every menu action that has a shortcut, in menu order."""
    rows = []
    for top in window.menuBar().actions():
        if top.menu() is not None:
            rows.extend(_menu_rows(top.menu(), ""))
    return rows


def shortcuts_html(window: QMainWindow) -> str:
    def table(rows: list[tuple[str, str]]) -> str:
        cells = "".join(
            f"<tr><td style='padding-right:18px'><b>{escape(k)}</b></td><td>{escape(w)}</td></tr>"
            for k, w in rows
        )
        return f"<table>{cells}</table>"

    return (
        "<h3>Menus</h3>"
        + table(shortcut_rows(window))
        + "<h3>Canvas</h3>"
        + table(list(CANVAS_GESTURES))
    )
