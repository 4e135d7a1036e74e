"""The Help menu's boxes: the keyboard shortcuts and About nodeml."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

import nodeml

from .shortcuts import shortcuts_html


def show_about(window: QMainWindow) -> None:
    what = QCoreApplication.translate(
        "HelpMenu",
        "Build PyTorch models visually. The graph compiles to plain <code>nn.Module</code> code "
        "that runs without nodeml.",
    )
    numbers = QCoreApplication.translate(
        "HelpMenu", "Every number shown comes from PyTorch itself, run on the meta device."
    )
    licence = QCoreApplication.translate("HelpMenu", "MIT licence.")
    QMessageBox.about(
        window,
        QCoreApplication.translate("HelpMenu", "About nodeml"),
        f"<h3>nodeml {nodeml.__version__}</h3><p>{what}</p><p>{numbers}</p><p>{licence}</p>",  # i18n: parts translated above
    )


def show_shortcuts(window: QMainWindow) -> None:
    """Every shortcut of the window's menus and the canvas, in one box."""
    box = QMessageBox(window)
    box.setWindowTitle(QCoreApplication.translate("HelpMenu", "Keyboard shortcuts"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(shortcuts_html(window))
    box.exec()
