"""Follows a graph's run folders on disk, cheaply: a watcher on the runs folder for runs that come
and go, and, while a run trains, a once-a-second look at its run.json alone (its metrics.csv is
read again only when it grew: once an epoch)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ...core.training.run_folder import (
    RunManifest,
    RunStatus,
    effective_status,
    holds_run,
    is_run_folder_of,
    read_manifest,
)
from ...core.training.run_registry import RunFolderError, RunRecord, read_run

POLL_MS = 2000  # a training run's row follows its run.json this often (a read is ~7 ms of CPU)
PENDING_S = 30.0  # a new folder without run files yet is looked at again for this long


class RunFolderWatch(QObject):
    """Tell ``follow`` what was read; it says when to read the list again (``list_changed``) and
    hands over a training run read again when its files changed (``run_changed``)."""

    list_changed = Signal()
    run_changed = Signal(object)  # RunRecord

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._running: dict[Path, tuple[RunManifest, tuple[int, int] | None]] = {}
        self._pending: dict[Path, float] = {}  # new folders without run files -> first seen
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self._soon.start())
        self._soon = QTimer(self, singleShot=True, interval=150)  # one read for a burst
        self._soon.timeout.connect(self.list_changed)
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)

    def follow(self, root: Path, stem: str, records: list[RunRecord]) -> None:
        """The runs just read from ``root`` (those of graph ``stem``)."""
        self._running = {
            r.path: (r.manifest, _stat(r.path)) for r in records if r.status is RunStatus.RUNNING
        }
        listed = {r.path for r in records}
        # a folder waited for is listed now: reading the whole list again for it (the next poll)
        # cost a second read of every run just as a run starts
        self._pending = {p: t for p, t in self._pending.items() if p not in listed}
        self._find_pending(root, stem, listed)
        # the runs folder, or the graph's folder until the first run makes it
        wanted = [str(p) for p in (root if root.is_dir() else root.parent,) if p.is_dir()]
        old = self.watcher.directories()
        if old != wanted:
            if old:
                self.watcher.removePaths(old)
            if wanted:
                self.watcher.addPaths(wanted)
        self._sync_timer()

    def forget(self) -> None:
        self._running.clear()
        self._pending.clear()
        self._sync_timer()

    def poll(self) -> None:
        for path, (manifest, stat) in list(self._running.items()):
            now = read_manifest(path)
            if now is None:  # deleted, or being replaced: read the list again
                self.list_changed.emit()
                return
            new_stat = _stat(path)
            if now == manifest and new_stat == stat and effective_status(now) is RunStatus.RUNNING:
                continue
            try:
                record = read_run(path)
            except RunFolderError:
                continue
            if record.status is RunStatus.RUNNING:
                self._running[path] = (now, new_stat)
            else:
                del self._running[path]
            self.run_changed.emit(record)
        if any(holds_run(p) for p in self._pending):
            self._pending.clear()
            self.list_changed.emit()
            return
        clock = time.monotonic()
        self._pending = {p: t for p, t in self._pending.items() if clock - t < PENDING_S}
        self._sync_timer()

    def _find_pending(self, root: Path, stem: str, listed: set[Path]) -> None:
        """New folders named like this graph's runs that hold no run files yet (a run starting
        this instant): its run.json is written inside, which the watcher does not see."""
        try:
            folders = [p for p in root.iterdir() if p.is_dir() and p not in listed]
        except OSError:
            return
        clock = time.monotonic()
        for folder in folders:
            if is_run_folder_of(folder, stem) and not holds_run(folder):
                self._pending.setdefault(folder, clock)

    def _sync_timer(self) -> None:
        if self._running or self._pending:
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()


def _stat(folder: Path) -> tuple[int, int] | None:
    try:
        st = (folder / "metrics.csv").stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
