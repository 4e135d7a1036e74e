"""Copy, cut, paste and duplicate of canvas nodes, through the system clipboard (as JSON text)."""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData
from PySide6.QtGui import QGuiApplication

from ..core.errors import GraphEditError, GraphFormatError
from .block_navigation import BlockNavigation
from .document import CLIPBOARD_MIME
from .language import counted

PASTE_STEP = 40.0  # each paste of the same copy lands this much further down and right


class NodeClipboard:
    """The Edit menu's clipboard commands on the canvas ``navigation`` shows now; ``status``
    shows a line in the status bar for some milliseconds."""

    def __init__(self, navigation: BlockNavigation, status: Callable[[str, int], None]):
        self.navigation = navigation
        self._status = status
        self._paste_count = 0

    def copy(self) -> bool:
        nav = self.navigation
        ids = nav.view.selected_nodes()
        if not ids:
            return False
        text = json.dumps(nav.scope.copy_nodes(ids), indent=1)
        mime = QMimeData()
        mime.setData(CLIPBOARD_MIME, QByteArray(text.encode()))
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_count = 0
        self._status(
            counted(
                QCoreApplication.translate("NodeClipboard", "Copied {count} node(s)"), len(ids)
            ),
            3000,
        )
        return True

    def cut(self) -> None:
        ids = self.navigation.view.selected_nodes()
        if self.copy():
            self.navigation.scope.remove_nodes(ids)

    def paste(self) -> list[str]:
        """Paste copied nodes; anything else on the clipboard is said to hold no nodes."""
        data = clipboard_nodes()
        if data is None:
            self._status(
                QCoreApplication.translate(
                    "NodeClipboard", "Nothing to paste: the clipboard holds no nodes"
                ),
                6000,
            )
            return []
        try:
            self._paste_count += 1
            step = PASTE_STEP * self._paste_count
            ids = self.navigation.scope.paste(data, (step, step))
        except (ValueError, GraphFormatError, GraphEditError) as exc:
            self._status(
                QCoreApplication.translate("NodeClipboard", "Cannot paste: {reason}").format(
                    reason=exc
                ),
                6000,
            )
            return []
        self.navigation.select(ids)
        return ids

    def duplicate(self) -> list[str]:
        ids = self.navigation.view.selected_nodes()
        if not ids:
            return []
        new = self.navigation.scope.duplicate(ids)
        self.navigation.select(new)
        return new


def clipboard_nodes() -> dict | None:
    """What Copy put on the clipboard (ours, or its JSON text from elsewhere), or None when the
    clipboard is empty or holds anything else."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return None
    if mime.hasFormat(CLIPBOARD_MIME):
        raw = bytes(mime.data(CLIPBOARD_MIME)).decode("utf-8", "replace")
    else:
        raw = mime.text()
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not data["nodes"]:
        return None
    return data
