"""The Help → Keyboard Shortcuts page: every menu shortcut, read from the actions, plus canvas gestures."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from .language import plain_action_text

CONTEXT = "Shortcuts"
# Gestures the canvas handles itself (they are not menu actions); translated when shown.
CANVAS_GESTURES = (
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Tab / double-click empty canvas"),
        QT_TRANSLATE_NOOP("Shortcuts", "Quick-add a layer at the cursor"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Drag from a port"),
        QT_TRANSLATE_NOOP(
            "Shortcuts", "Draw a wire; release on empty canvas to add a connected layer"
        ),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Drop a layer on a wire"),
        QT_TRANSLATE_NOOP("Shortcuts", "Insert it between the two nodes"),
    ),
    (QT_TRANSLATE_NOOP("Shortcuts", "Wheel"), QT_TRANSLATE_NOOP("Shortcuts", "Zoom at the cursor")),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Middle drag / Space + drag"),
        QT_TRANSLATE_NOOP("Shortcuts", "Pan"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + click, rubber band"),
        QT_TRANSLATE_NOOP("Shortcuts", "Select several nodes"),
    ),
)


def _menu_rows(menu: QMenu, prefix: str) -> list[tuple[str, str]]:
    rows = []
    for action in menu.actions():
        if action.menu() is not None:
            rows.extend(_menu_rows(action.menu(), f"{prefix}{plain_action_text(action.text())} → "))
            continue
        keys = action.shortcuts()
        if keys and action.text():
            text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            rows.append((text, prefix + plain_action_text(action.text())))
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

    gestures = [
        (QCoreApplication.translate(CONTEXT, keys), QCoreApplication.translate(CONTEXT, what))
        for keys, what in CANVAS_GESTURES
    ]  # i18n: the QT_TRANSLATE_NOOPs above
    menus = QCoreApplication.translate("Shortcuts", "Menus")
    canvas = QCoreApplication.translate("Shortcuts", "Canvas")
    return (
        f"<h3>{menus}</h3>" + table(shortcut_rows(window)) + f"<h3>{canvas}</h3>" + table(gestures)
    )
