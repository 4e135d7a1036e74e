"""Atomic file writes: a crash mid-save never leaves a half-written graph or checkpoint."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

try:  # POSIX: a lock the kernel drops when its holder dies, even by SIGKILL
    import fcntl
except ImportError:  # Windows: a file open for writing cannot be deleted, which is enough here
    fcntl = None  # type: ignore[assignment]

# The temp file of a save in progress: ``.lenet.json.nodeml-k3j9x0ab.tmp`` beside ``lenet.json``.
# Older versions wrote ``.lenet.json.k3j9x0ab.tmp``; both are recognised as ours when cleaning up.
_TEMP_TAG = "nodeml-"


def _temp_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.(?:{_TEMP_TAG})?[a-z0-9_]{{8}}\.tmp")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path``, fsync it, then ``os.replace`` it in.

    The temp file stays locked until it has replaced ``path`` (or is removed), so a temp file
    left by a writer that was killed is told from one being written now; the first kind is
    removed here (see remove_stale_temps)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path)
    fd, tmp = _locked_temp(path)
    open_fd: int | None = fd
    try:
        with os.fdopen(fd, "wb", closefd=False) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if fcntl is None:  # Windows renames no file that is open
            os.close(fd)
            open_fd = None
        # mkstemp makes the file owner-only; keep the mode a plain open() would have given
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    finally:
        if open_fd is not None:
            os.close(open_fd)  # drops the lock after the replace: no cleaner saw it unlocked


def _locked_temp(path: Path) -> tuple[int, str]:
    """A new temp file beside ``path``, locked. A cleaner may lock and remove it in the instant
    between its creation and our lock; then it is gone from the folder and we make another."""
    while True:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.{_TEMP_TAG}", suffix=".tmp", dir=path.parent
        )
        if fcntl is None:
            return fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink > 0:
            return fd, tmp
        os.close(fd)


def remove_stale_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temp files that saves of ``path`` left behind when their process died (a
    ``kill -9`` mid-save); a save still running in another process keeps its own. Returns
    what was removed. Only files named as our saves name them are looked at."""
    path = Path(path)
    pattern = _temp_pattern(path.name)
    try:
        names = [e.name for e in os.scandir(path.parent) if pattern.fullmatch(e.name)]
    except OSError:  # no folder, or not readable: nothing of ours to clean
        return []
    removed = []
    for name in names:
        candidate = path.parent / name
        if _remove_if_abandoned(candidate):
            removed.append(candidate)
    return removed


def _remove_if_abandoned(tmp: Path) -> bool:
    if fcntl is None:
        try:
            tmp.unlink()  # refused while its writer has it open
        except OSError:
            return False
        return True
    try:
        fd = os.open(tmp, os.O_RDONLY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # its writer is alive and still saving
        # the name must still be this file: a finished save renamed it to the target
        if os.stat(tmp).st_ino != os.fstat(fd).st_ino:
            return False
        tmp.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
