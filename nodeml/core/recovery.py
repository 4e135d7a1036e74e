"""Crash-recovery copies of unsaved graphs: one file per open document, told live or dead by a lock.

Each window that autosaves owns a :class:`RecoverySlot`: a token, a lock file ``TOKEN.lock`` it
keeps open and locked while it lives, and its copy ``TOKEN.json``. The kernel drops the lock
when the process ends, however it ends (``kill -9`` included), so a copy whose lock can be taken
was left by a session that died with unsaved changes; one whose lock is held belongs to a window
still open, here or in another running nodeml, and is never touched. A token is never reused
(pid plus random bits), so a recycled pid cannot make a dead copy look alive.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import GraphFormatError
from .fileio import atomic_write_text, remove_stale_temps
from .graph import Graph
from .serialize import graph_from_dict, graph_to_dict

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

RECOVERY_FORMAT = "nodeml.recovery"
RECOVERY_VERSION = 2  # 1: one shared recovery.json, path as typed
COPY_SUFFIX = ".json"
LOCK_SUFFIX = ".lock"
_NEW_LOCK = re.compile(r"\.(.+)\.lock\.new")
_TEMP = re.compile(r"\.(.+)\.(?:nodeml-)?[a-z0-9_]{8}\.tmp")

# Tokens whose locks this process holds: their copies are live without asking the kernel (and a
# POSIX record lock, which is what flock becomes on NFS, would be dropped by asking).
_HELD: set[str] = set()


class RecoveryTaken(Exception):
    """The copy was restored or discarded by another window first."""


@dataclass(frozen=True)
class RecoveredCopy:
    """A copy left by a session that did not close: what the offer lists."""

    file: Path  # the recovery file itself
    path: Path | None  # the graph file it is a copy of (absolute); None: never saved
    typed_name: str | None  # a version 1 copy's relative path, whose folder is unknown
    saved_at: datetime  # local time, with its offset
    graph: Graph | None  # None when the copy cannot be read
    problem: str | None = None  # why it cannot be read

    @property
    def title(self) -> str:
        """What the user calls it: the file name, else the model's name."""
        if self.path is not None:
            return self.path.name
        if self.typed_name:
            return Path(self.typed_name).name
        return self.graph.name if self.graph is not None else self.file.name

    def disk_changed(self) -> bool:
        """Whether the graph file was written after this copy was saved (by another program,
        or by nodeml after the copy)."""
        try:
            return self.path is not None and self.path.stat().st_mtime > self.saved_at.timestamp()
        except OSError:
            return False

    def discard(self) -> None:
        """Delete the copy; its dead lock file goes with it."""
        self.file.unlink(missing_ok=True)
        _remove_if_unlocked(self.file.with_suffix(LOCK_SUFFIX))


def same_file(a: Path, b: Path) -> bool:
    return os.path.normcase(Path(a).resolve()) == os.path.normcase(Path(b).resolve())


class RecoverySlot:
    """One window's recovery copy in ``folder``; the lock is taken on the first write."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.file = self.folder / f"{self.token}{COPY_SUFFIX}"
        self._lock_fd: int | None = None

    @property
    def held(self) -> bool:
        return self._lock_fd is not None

    def write(self, graph: Graph, path: Path | None) -> None:
        """Write (replace) the copy of ``graph``, an edited version of ``path``. Raises OSError."""
        self._acquire()
        data = {
            "format": RECOVERY_FORMAT,
            "version": RECOVERY_VERSION,
            "path": str(Path(path).absolute()) if path is not None else None,
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "graph": graph_to_dict(graph),
        }
        atomic_write_text(self.file, json.dumps(data, indent=1))

    def discard(self) -> None:
        """Delete this window's copy (the lock is kept: the window lives on)."""
        self.file.unlink(missing_ok=True)

    def adopt(self, copy: RecoveredCopy) -> None:
        """Make a dead session's copy this window's own, atomically: of two windows restoring
        it at once one wins, and the other gets RecoveryTaken. A crash from now on leaves it
        to be offered again, as this window's."""
        self._acquire()
        try:
            os.replace(copy.file, self.file)
        except FileNotFoundError:
            raise RecoveryTaken(copy.file.name) from None
        _remove_if_unlocked(copy.file.with_suffix(LOCK_SUFFIX))

    def close(self) -> None:
        """The window closed normally: its copy and lock go."""
        self.discard()
        if self._lock_fd is None:
            return
        lock = self.folder / f"{self.token}{LOCK_SUFFIX}"
        if fcntl is None:  # Windows deletes no open file
            os.close(self._lock_fd)
            lock.unlink(missing_ok=True)
        else:
            lock.unlink(missing_ok=True)  # while still locked: no one sees it unlocked first
            os.close(self._lock_fd)
        self._lock_fd = None
        _HELD.discard(self.token)

    def _acquire(self) -> None:
        if self._lock_fd is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = self.folder / f"{self.token}{LOCK_SUFFIX}"
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname()}).encode()
        if fcntl is None:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            os.write(fd, info)
        else:
            # locked under a temporary name, then renamed: under its real name it is never
            # seen unlocked (which would make a tidy-up delete it as dead)
            fresh = self.folder / f".{self.token}{LOCK_SUFFIX}.new"
            fd = os.open(fresh, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, info)
            os.replace(fresh, lock)
        self._lock_fd = fd
        _HELD.add(self.token)


def dead_copies(folder: Path, path: Path | None = None) -> list[RecoveredCopy]:
    """The copies in ``folder`` left by sessions that ended without saving, newest first; with
    ``path``, only copies of that graph file."""
    found = []
    for file in _copy_files(folder):
        if _is_live(file):
            continue
        copy = read_copy(file)
        if path is not None and (copy.path is None or not same_file(copy.path, path)):
            continue
        found.append(copy)
    return sorted(found, key=lambda c: c.saved_at, reverse=True)


def live_copies(folder: Path, path: Path, but: RecoverySlot | None = None) -> list[RecoveredCopy]:
    """Copies of ``path`` that windows still open (here or in another nodeml) are writing: the
    file has unsaved changes elsewhere."""
    found = []
    for file in _copy_files(folder):
        if (but is not None and file == but.file) or not _is_live(file):
            continue
        copy = read_copy(file)
        if copy.path is not None and same_file(copy.path, path):
            found.append(copy)
    return found


def read_copy(file: Path) -> RecoveredCopy:
    """Read one recovery file; a damaged one comes back with ``problem`` set, never raises."""
    try:
        mtime = datetime.fromtimestamp(file.stat().st_mtime).astimezone()
    except OSError:
        mtime = datetime.now().astimezone()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != RECOVERY_FORMAT:
            raise GraphFormatError("not a nodeml recovery file")
        graph = graph_from_dict(data.get("graph"), source=file.name)
    except (OSError, ValueError, TypeError, GraphFormatError) as exc:
        return RecoveredCopy(file, None, None, mtime, None, str(exc))
    raw = data.get("path")
    path = typed = None
    if isinstance(raw, str) and raw:
        if os.path.isabs(raw):
            path = Path(raw)
        else:
            typed = raw  # saved by version 1 as typed: the folder it meant is not known
    return RecoveredCopy(file, path, typed, _saved_at(data.get("saved_at"), mtime), graph)


def tidy(folder: Path) -> None:
    """Remove what dead sessions left that holds no work: lock files without a copy, locks
    half-made, and temp files of interrupted writes."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    copies = {n for n in names if n.endswith(COPY_SUFFIX)}
    for name in names:
        if name.endswith(LOCK_SUFFIX) and name[: -len(LOCK_SUFFIX)] not in _HELD:
            if name[: -len(LOCK_SUFFIX)] + COPY_SUFFIX not in copies:
                _remove_if_unlocked(folder / name)
        elif (m := _NEW_LOCK.fullmatch(name)) and m.group(1) not in _HELD:
            _remove_if_unlocked(folder / name)
        elif m := _TEMP.fullmatch(name):
            remove_stale_temps(folder / m.group(1))


def _copy_files(folder: Path) -> list[Path]:
    try:
        return [
            Path(e.path)
            for e in os.scandir(folder)
            if e.name.endswith(COPY_SUFFIX) and not e.name.startswith(".") and e.is_file()
        ]
    except OSError:
        return []


def _is_live(copy_file: Path) -> bool:
    token = copy_file.name[: -len(COPY_SUFFIX)]
    if token in _HELD:
        return True
    return _lock_held(copy_file.with_name(token + LOCK_SUFFIX))


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` without waiting; False when another holder has it."""
    try:
        if fcntl is None:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _lock_held(lock: Path) -> bool:
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False  # no lock file: its session is gone (or is version 1's recovery.json)
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)


def _remove_if_unlocked(lock: Path) -> None:
    """Delete a dead session's lock file, holding its lock while doing so."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return
    try:
        dead = _try_lock(fd) and os.stat(lock).st_ino == os.fstat(fd).st_ino
        if dead and fcntl is not None:
            lock.unlink()  # while holding its lock
    except OSError:
        dead = False
    finally:
        os.close(fd)
    if dead and fcntl is None:  # Windows deletes no open file
        lock.unlink(missing_ok=True)


def _saved_at(raw: Any, fallback: datetime) -> datetime:
    if isinstance(raw, str):
        try:
            when = datetime.fromisoformat(raw)
        except ValueError:
            return fallback
        return when if when.tzinfo is not None else when.astimezone()
    return fallback
