"""Menus as data: what each menu holds (actions, submenus, separators), built by one function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

SEPARATOR = None


@dataclass(frozen=True)
class Menu:
    """A menu: its title, or the QMenu itself when the window keeps a hold of it (it is filled
    here all the same), and what it holds in order."""

    title: str | QMenu
    items: Sequence[MenuItem] = ()


MenuItem = QAction | QMenu | Menu | None


def fill(target: QMenu | QMenuBar, items: Sequence[MenuItem]) -> None:
    """Add ``items`` to a menu or the menu bar: an action, a ready menu, a Menu (filled as a
    submenu), or SEPARATOR."""
    for item in items:
        if item is SEPARATOR:
            target.addSeparator()
        elif isinstance(item, QAction):
            target.addAction(item)
        elif isinstance(item, QMenu):
            target.addMenu(item)
        else:
            menu = item.title if isinstance(item.title, QMenu) else QMenu(item.title, target)
            fill(menu, item.items)
            target.addMenu(menu)


def make_action(
    parent: QWidget,
    text: str,
    slot: Callable[[], Any],
    shortcut: Any = None,
    tip: str = "",
) -> QAction:
    """An action of ``parent`` (its shortcut works while a panel of it has focus too) that
    calls ``slot``; ``shortcut`` is a key sequence or a list of them."""
    action = QAction(text, parent)
    if shortcut is not None:
        keys = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(k) for k in keys])
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    parent.addAction(action)
    return action
