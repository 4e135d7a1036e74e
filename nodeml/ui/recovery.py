"""Autosave for crash recovery: each window keeps a copy of its unsaved changes, offered after a crash."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from ..core.recovery import RecoveredCopy, RecoverySlot, dead_copies, live_copies, tidy
from .document import Document

AUTOSAVE_MS = 5000
# A shorter interval for tests that kill the app and want its copy written soon.
AUTOSAVE_ENV = "NODEML_AUTOSAVE_MS"


def recovery_dir() -> Path:
    """A per-user folder that survives the app (the XDG data dir on Linux)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".nodeml") / "recovery"


def autosave_interval() -> int:
    """Milliseconds between autosaves: ``NODEML_AUTOSAVE_MS`` if set to a number, else 5 s."""
    raw = os.environ.get(AUTOSAVE_ENV, "")
    return max(int(raw), 10) if raw.strip().isdigit() else AUTOSAVE_MS


class Recovery(QObject):
    """Writes the window's graph to its own recovery copy every few seconds while it has unsaved
    changes, and removes the copy once there are none (saved, undone, discarded, closed).

    The copy is this window's alone (see nodeml.core.recovery): another window or another
    running nodeml never deletes it, and while this window lives nobody is offered it.
    """

    def __init__(
        self, document: Document, folder: Path | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.document = document
        self.folder = folder or recovery_dir()
        self.slot = RecoverySlot(self.folder)
        self._written_index: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(autosave_interval())
        self.timer.timeout.connect(self.save_now)
        document.file_state_changed.connect(self._on_file_state)

    @property
    def path(self) -> Path:
        """This window's recovery file (present only while there are unsaved changes)."""
        return self.slot.file

    def start(self) -> None:
        self.timer.start()

    def save_now(self) -> bool:
        """Write the recovery copy if there are unsaved changes not yet written; True if written."""
        doc = self.document
        if not doc.modified:
            self.discard()
            return False
        index = doc.undo_stack.index()
        if self._written_index == index and self.path.exists():
            return False
        try:
            self.slot.write(doc.graph, doc.path)
        except OSError:
            return False  # a full disk must not interrupt editing; the next tick tries again
        self._written_index = index
        return True

    def discard(self) -> None:
        """Remove this window's copy (never another's)."""
        self._written_index = None
        self.slot.discard()

    def close(self) -> None:
        """The window closes normally: nothing of it is left to recover."""
        self.timer.stop()
        self._written_index = None
        self.slot.close()

    def _on_file_state(self) -> None:
        if not self.document.modified:
            self.discard()

    # ---- copies left by other sessions -------------------------------------------------------
    def pending(self, path: Path | None = None) -> list[RecoveredCopy]:
        """Copies left by sessions that ended without saving (of ``path`` only, if given),
        newest first. What such sessions left that holds no work is removed on the way."""
        tidy(self.folder)
        return dead_copies(self.folder, path)

    def edited_elsewhere(self, path: Path) -> list[RecoveredCopy]:
        """Copies of ``path`` with unsaved changes in other windows that are still open."""
        return live_copies(self.folder, path, but=self.slot)

    def adopt(self, copy: RecoveredCopy) -> None:
        """Take over a dead session's copy as this window's (RecoveryTaken if another window
        was first), and write it again at once under this window's name."""
        self.slot.adopt(copy)
        self._written_index = None
