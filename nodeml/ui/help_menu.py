"""The Help menu's boxes: the keyboard shortcuts and About nodeml."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

import nodeml

from .shortcuts import shortcuts_html


def show_about(window: QMainWindow) -> None:
    QMessageBox.about(
        window,
        "About nodeml",
        f"<h3>nodeml {nodeml.__version__}</h3>"
        "<p>Build PyTorch models visually. The graph compiles to plain <code>nn.Module</code> "
        "code that runs without nodeml.</p>"
        "<p>Every number shown comes from PyTorch itself, run on the meta device.</p>"
        "<p>MIT licence.</p>",
    )


def show_shortcuts(window: QMainWindow) -> None:
    """Every shortcut of the window's menus and the canvas, in one box."""
    box = QMessageBox(window)
    box.setWindowTitle("Keyboard shortcuts")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(shortcuts_html(window))
    box.exec()
