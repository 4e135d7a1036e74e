"""Where run folders live and what a run folder's ``run.json`` says (read and written by both sides)."""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import TrainingError
from ..fileio import atomic_write_text

RUN_FILE = "run.json"
FORMAT = "nodeml.run"
VERSION = 1
# files a run writes; a folder holding any of them is a run (older runs have no run.json)
RUN_FILES = ("run.json", "settings.json", "metrics.csv", "last.pt", "best.pt", "graph.json")
# the live feed (see live.py): written from the first moment, so a folder holding only these is
# still a new one
EVENTS_FILE = "events.jsonl"
CONTROL_FILE = "control"
LIVE_FILES = (EVENTS_FILE, CONTROL_FILE)
_STAMP = r"\d{8}-\d{6}(?:-\d+)?"


class RunStatus(StrEnum):
    """A run's state as its folder tells it. INTERRUPTED: it said RUNNING but its process is gone."""

    RUNNING = "running"
    FINISHED = "finished"
    STOPPED = "stopped"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass
class BestMetric:
    """The epoch ``best.pt`` holds: ``name`` is what chose it (``val_loss`` or ``train_loss``),
    ``metrics`` that epoch's whole row (e.g. ``val_accuracy``)."""

    name: str
    value: float
    epoch: int
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass
class RunManifest:
    """The contents of ``run.json``. Times are local ISO 8601 with their UTC offset."""

    name: str
    status: RunStatus = RunStatus.RUNNING
    note: str = ""
    started: str = ""
    ended: str | None = None
    epochs_done: int = 0
    epochs_asked: int = 0
    best: BestMetric | None = None
    world_size: int = 1
    error: str | None = None
    graph_file: str | None = None  # the graph file trained (absolute), None for an unsaved graph
    resumed_from: str | None = None  # the checkpoint this run continued, if any
    pid: int | None = None
    host: str | None = None
    process_start: str | None = None  # tells a reused pid from the run's own process

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return {"format": FORMAT, "version": VERSION, **data}

    @classmethod
    def from_dict(cls, data: Any) -> RunManifest:
        """Tolerant of missing keys (older or foreign writers); wrong types read as absent."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a nodeml run file")
        try:
            status = RunStatus(data.get("status"))
        except ValueError:
            status = RunStatus.FAILED
        best = data.get("best")
        best_metric = None
        if isinstance(best, dict) and _is_num(best.get("value")):
            metrics = best.get("metrics")
            best_metric = BestMetric(
                str(best.get("name", "loss")),
                float(best["value"]),
                _int(best.get("epoch")),
                {k: float(v) for k, v in metrics.items() if _is_num(v)}
                if isinstance(metrics, dict)
                else {},
            )
        return cls(
            name=_str(data.get("name")) or "run",
            status=status,
            note=_str(data.get("note")) or "",
            started=_str(data.get("started")) or "",
            ended=_str(data.get("ended")),
            epochs_done=_int(data.get("epochs_done")),
            epochs_asked=_int(data.get("epochs_asked")),
            best=best_metric,
            world_size=max(1, _int(data.get("world_size"), 1)),
            error=_str(data.get("error")),
            graph_file=_str(data.get("graph_file")),
            resumed_from=_str(data.get("resumed_from")),
            pid=_int(data.get("pid"), None),
            host=_str(data.get("host")),
            process_start=_str(data.get("process_start")),
        )


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _int(value: Any, default: Any = 0) -> Any:
    return int(value) if _is_num(value) else default


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def now_iso() -> str:
    """Local time with its UTC offset, e.g. 2026-12-01T15:31:42+01:00."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def parse_time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


# ---- run.json on disk ---------------------------------------------------------------------------
def read_manifest(folder: str | os.PathLike[str]) -> RunManifest | None:
    """``run.json`` of ``folder``, or None when it has none or it cannot be read."""
    try:
        text = (Path(folder) / RUN_FILE).read_text(encoding="utf-8")
        return RunManifest.from_dict(json.loads(text))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def write_manifest(folder: str | os.PathLike[str], manifest: RunManifest) -> None:
    atomic_write_text(Path(folder) / RUN_FILE, json.dumps(manifest.to_dict(), indent=2) + "\n")


def holds_run(folder: str | os.PathLike[str]) -> bool:
    """True for a folder nodeml wrote a run into (with or without ``run.json``)."""
    folder = Path(folder)
    return folder.is_dir() and any((folder / name).exists() for name in RUN_FILES)


# ---- where runs go ------------------------------------------------------------------------------
def user_runs_root() -> Path:
    """Runs of a graph that was never saved: the user's data folder (XDG on Linux)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "nodeml" / "runs"


def runs_root(graph_file: str | os.PathLike[str] | None) -> Path:
    """``<graph folder>/runs``, whatever the working directory; the user data folder when unsaved."""
    if graph_file is None:
        return user_runs_root()
    return Path(graph_file).resolve().parent / "runs"


UNNAMED_GRAPH = "model"  # what runs of a graph without a name (or file) are named after


def run_stem(graph_file: str | os.PathLike[str] | None, graph_name: str) -> str:
    """The folder-name prefix of a graph's runs: the file's stem, else the graph's name."""
    raw = Path(graph_file).stem if graph_file is not None else graph_name
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", raw).strip("_.") or UNNAMED_GRAPH


def is_run_folder_of(folder: Path, stem: str) -> bool:
    """Does the folder's name say it is a run of graph ``stem`` (``<stem>-YYYYmmdd-HHMMSS[-N]``)?"""
    return re.fullmatch(re.escape(stem) + "-" + _STAMP, folder.name) is not None


def new_run_dir(base: str | os.PathLike[str], stem: str) -> Path:
    """Create ``base/<stem>-<YYYYmmdd-HHMMSS>``; a suffix keeps runs started in the same second
    apart (the folder is claimed with an exclusive mkdir, so two processes never share one)."""
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    slug = run_stem(None, stem)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path, n = base / f"{slug}-{stamp}", 2
    while True:
        try:
            path.mkdir()
            return path
        except FileExistsError:
            path = base / f"{slug}-{stamp}-{n}"
            n += 1


def check_new_run_folder(path: str | os.PathLike[str], resume_hint: str) -> Path:
    """Refuse a ``--out`` folder that already holds something: a run is never written over.

    ``resume_hint`` is the command that would continue the run found there, with ``{last}``
    standing for its ``last.pt``."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise TrainingError(f"{path} is a file; --out needs a new (or empty) folder for the run")
    if path.is_dir() and any(p.name not in LIVE_FILES for p in path.iterdir()):
        if holds_run(path):
            found = ", ".join(n for n in RUN_FILES if (path / n).exists())
            last = path / "last.pt"
            how = resume_hint.format(last=last) if last.exists() else ""
            raise TrainingError(
                f"{path} already holds a run ({found}); it is kept as it is. "
                + (f"To continue it: {how} (writes a new run folder). " if how else "")
                + "To start another run, give --out a new folder, or leave --out out "
                "(a new folder beside the graph)"
            )
        raise TrainingError(f"{path} is not empty; give --out a new (or empty) folder for the run")
    return path


def default_run_name(
    folder: Path, graph_file: str | os.PathLike[str] | None, graph_name: str
) -> str:
    """``<graph stem> #N``: one more than the highest number among the folder's sibling runs of
    the same graph, and than how many there are, so names stay distinct even after a run is
    deleted or renamed (a renamed #1 must not see a new run called #1)."""
    stem = run_stem(graph_file, graph_name)
    label = Path(graph_file).stem if graph_file is not None else graph_name
    highest, named, earlier_unnamed = 0, 0, 0
    parent = folder.parent
    siblings = (
        sorted(p for p in parent.iterdir() if p.is_dir() and p != folder) if parent.is_dir() else []
    )
    for sibling in siblings:
        if not is_run_folder_of(sibling, stem):
            continue
        manifest = read_manifest(sibling)
        if manifest is None:
            # a run being set up this instant (or an old one): still counts, earlier ones first
            earlier_unnamed += sibling.name < folder.name
            continue
        named += 1
        number = manifest.name.rpartition("#")[2]
        if manifest.name.startswith(f"{label} #") and number.isdigit():
            highest = max(highest, int(number))
    return f"{label} #{max(highest, named) + earlier_unnamed + 1}"


# ---- is the process that wrote "running" still there? ------------------------------------------
def this_process() -> tuple[int, str, str | None]:
    pid = os.getpid()
    return pid, socket.gethostname(), process_start_token(pid)


def process_start_token(pid: int) -> str | None:
    """When the process started, as the kernel counts it (Linux); None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            # the command name (field 2) may hold spaces; the fields after its ')' are fixed
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def process_alive(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes  # os.kill(pid, 0) would terminate the process on Windows

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFO
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def effective_status(manifest: RunManifest) -> RunStatus:
    """RUNNING only while the writing process lives (checked on this host; another host's run is
    taken at its word)."""
    if manifest.status is not RunStatus.RUNNING or manifest.pid is None:
        return manifest.status
    if manifest.host is not None and manifest.host != socket.gethostname():
        return manifest.status
    if not process_alive(manifest.pid):
        return RunStatus.INTERRUPTED
    token = process_start_token(manifest.pid)
    if manifest.process_start and token and token != manifest.process_start:
        return RunStatus.INTERRUPTED  # the pid now belongs to another process
    return RunStatus.RUNNING
