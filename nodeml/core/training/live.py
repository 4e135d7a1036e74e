"""A run's live feed on disk: ``events.jsonl`` says what the trainer did, ``control`` what to do next.

Every run folder gets both, whoever trains it (``nodeml train``, the app's worker process, rank
0 of a torchrun job), so any program can follow any run the same way: read the new lines of
``events.jsonl`` now and then (:class:`EventReader`), and write ``pause`` / ``resume`` / ``stop``
into ``control`` (:func:`send_command`), which a watcher thread in the training process applies
between batches. Plain JSON lines, one event each; per-batch events are gathered into one
``Steps`` line at most every ``flush_s`` seconds, so following a fast run costs little on both
sides.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from ..errors import NodemlError, Problem, Severity
from ..fileio import atomic_write_text
from .datasets import DatasetInfo
from .events import EpochEnded, Failed, Finished, RunStarted, StateChanged, StepEnded
from .node_health import HealthKind, HealthWarning, NodeStats, NodeStatsSampled
from .run_folder import CONTROL_FILE, EVENTS_FILE


class Command(StrEnum):
    """What the ``control`` file can ask of a running trainer."""

    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


# ---- events as JSON ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Steps:
    """The per-batch events since the last line: step numbers, losses and learning rates as
    parallel lists, and the last StepEnded in full (progress, rate, ETA)."""

    steps: list[int]
    losses: list[float]
    lrs: list[float]
    last: StepEnded


@dataclass(frozen=True)
class ErrorReport:
    """A failure as data, so that a process that did not raise it can say it and point at it:
    ``node`` / ``field`` locate it in the graph, ``problems`` are a graph's or an Input's
    problems, ``nodes`` the backbones whose pretrained weights are missing, ``info`` the dataset
    when the Input node does not fit it."""

    message: str
    kind: str  # the exception's class name, e.g. "ForwardError", "PretrainedWeightsError"
    node: str | None = None
    field: str | None = None
    problems: list[Problem] = dataclasses.field(default_factory=list)
    nodes: list[str] = dataclasses.field(default_factory=list)
    info: DatasetInfo | None = None
    internal: bool = False  # not the user's doing: a bug in nodeml (the message says what)

    @classmethod
    def of(cls, exc: BaseException) -> ErrorReport:
        problems = getattr(exc, "problems", None)
        info = getattr(exc, "info", None)
        return cls(
            message=str(exc) or type(exc).__name__,
            kind=type(exc).__name__,
            node=_str_or_none(getattr(exc, "node", None)),
            field=_str_or_none(getattr(exc, "field", None)),
            problems=list(problems) if isinstance(problems, list) else [],
            nodes=[str(n) for n in getattr(exc, "nodes", None) or []],
            info=info if isinstance(info, DatasetInfo) else None,
            internal=not isinstance(exc, NodemlError),
        )


@dataclass(frozen=True)
class RunFailed:
    """``Failed`` as it travels: the error as an :class:`ErrorReport`, raised or not."""

    error: ErrorReport


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


Event = (
    RunStarted
    | Steps
    | EpochEnded
    | StateChanged
    | Finished
    | RunFailed
    | NodeStatsSampled
    | HealthWarning
)
_TYPES: dict[str, type] = {
    t.__name__: t
    for t in (
        RunStarted,
        Steps,
        EpochEnded,
        StateChanged,
        Finished,
        RunFailed,
        NodeStatsSampled,
        HealthWarning,
    )
}


def encode(event: Event) -> dict[str, Any]:
    """``{"type": "EpochEnded", ...its fields...}``; nested records become plain JSON too."""
    if type(event).__name__ not in _TYPES:
        raise TypeError(f"not a live event: {type(event).__name__}")
    return {"type": type(event).__name__, **_plain(event)}


def _plain(value: Any) -> Any:
    if isinstance(value, NodeStats):  # inf and nan are what a diverging run's health is read from
        return {f.name: _stat(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, HealthKind | Severity):
        return value.name
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN: JSON has none
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    return value


def _stat(value: float | None) -> float | str | None:
    """A statistic as JSON: "inf", "-inf" or "nan" as strings (JSON has no such numbers)."""
    if value is None or math.isfinite(value):
        return value
    return str(float(value))


def _stat_value(value: Any) -> float | None:
    if isinstance(value, str):
        if value not in ("inf", "-inf", "nan"):
            raise TypeError(f"{value!r} is not a statistic")
        return float(value)
    return value


def decode(data: dict[str, Any]) -> Event:
    """The event ``encode`` wrote; ValueError for anything else."""
    try:
        kind = data["type"]
        fields = {k: v for k, v in data.items() if k != "type"}
        if kind == "RunStarted":
            fields["info"] = _info(fields["info"])
            fields["notes"] = tuple(fields.get("notes", ()))
        elif kind == "Steps":
            fields["last"] = StepEnded(**fields["last"])
        elif kind == "RunFailed":
            fields["error"] = _report(fields["error"])
        elif kind == "NodeStatsSampled":
            fields["nodes"] = {
                k: NodeStats(**{n: _stat_value(x) for n, x in v.items()})
                for k, v in fields["nodes"].items()
            }
        elif kind == "HealthWarning":
            fields["kind"] = HealthKind[fields["kind"]]
        return _TYPES[kind](**fields)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a nodeml live event: {exc}") from None


def _info(data: dict[str, Any]) -> DatasetInfo:
    values = dict(data)
    for name in ("sample_shape", "target_shape", "classes", "notes"):
        if name in values and values[name] is not None:
            values[name] = tuple(values[name])
    known = {f.name for f in dataclasses.fields(DatasetInfo)}
    return DatasetInfo(**{k: v for k, v in values.items() if k in known})


def _report(data: dict[str, Any]) -> ErrorReport:
    values = dict(data)
    values["problems"] = [
        Problem(**{**p, "severity": Severity[p.get("severity", "ERROR")]})
        for p in values.get("problems", [])
    ]
    if values.get("info") is not None:
        values["info"] = _info(values["info"])
    return ErrorReport(**values)


# ---- writing --------------------------------------------------------------------------------------------
class EventLog:
    """Appends a trainer's events to ``events.jsonl`` (no fsync: a follower, not a record).

    ``attach`` subscribes to a Trainer (and a NodeStatsRecorder); ``fail`` writes a failure that
    happened before there was a trainer to report it (a dataset that cannot be read)."""

    def __init__(self, path: str | os.PathLike[str], *, flush_s: float = 0.1):
        self.path = Path(path)
        self.flush_s = flush_s
        self._file: TextIO | None = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        self._steps: list[StepEnded] = []
        self._flushed_at = time.monotonic()
        self._lock = threading.Lock()
        self.failed = False

    def attach(self, trainer: Any, stats: Any = None) -> None:
        trainer.started.connect(self.write)
        trainer.step_ended.connect(self._on_step)
        trainer.epoch_ended.connect(self.write)
        trainer.state_changed.connect(self.write)
        trainer.finished.connect(self.write)
        trainer.failed.connect(lambda e: self.fail(e.error))
        if stats is not None:
            stats.sampled.connect(self.write)
            stats.warned.connect(self.write)

    def _on_step(self, event: StepEnded) -> None:
        self._steps.append(event)
        if time.monotonic() - self._flushed_at >= self.flush_s:
            self.flush()

    def fail(self, exc: BaseException) -> None:
        """Write the failure once (the trainer's ``failed`` and the caller may both report it)."""
        if not self.failed:
            self.failed = True
            self.write(RunFailed(ErrorReport.of(exc)))

    def write(self, event: Event | Failed) -> None:
        if isinstance(event, Failed):
            self.fail(event.error)
            return
        with self._lock:
            lines = self._pending_steps()
            lines.append(json.dumps(encode(event)))
            self._write(lines)

    def flush(self) -> None:
        with self._lock:
            self._write(self._pending_steps())

    def _pending_steps(self) -> list[str]:
        if not self._steps:
            return []
        steps, self._steps = self._steps, []
        record = Steps(
            [s.step for s in steps], [s.loss for s in steps], [s.lr for s in steps], steps[-1]
        )
        return [json.dumps(encode(record))]

    def _write(self, lines: list[str]) -> None:
        self._flushed_at = time.monotonic()
        if lines and self._file is not None:
            self._file.write("".join(line + "\n" for line in lines))
            self._file.flush()

    def close(self) -> None:
        self.flush()
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


# ---- following ----------------------------------------------------------------------------------------
@dataclass
class EventReader:
    """Reads the events written since the last call; a line still being written waits."""

    path: Path
    offset: int = 0
    _partial: bytes = field(default=b"", repr=False)

    def read(self) -> list[Event]:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return []
        self.offset += len(chunk)
        data = self._partial + chunk
        *lines, self._partial = data.split(b"\n")
        events = []
        for line in lines:
            if not line.strip():
                continue
            try:
                events.append(decode(json.loads(line)))
            except ValueError:  # also json's own errors: a line we cannot read is skipped
                continue
        return events


# ---- control --------------------------------------------------------------------------------------------
def send_command(run_dir: str | os.PathLike[str], command: Command) -> None:
    """Ask the process training ``run_dir`` to pause, resume or stop (after the current batch)."""
    atomic_write_text(Path(run_dir) / CONTROL_FILE, f"{command.value}\n")


def read_command(path: Path) -> Command | None:
    try:
        text = path.read_text(encoding="utf-8").strip().lower()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        return Command(text)
    except ValueError:
        return None


class ControlWatcher:
    """A daemon thread that applies the ``control`` file's command to ``apply`` when it changes.

    ``apply`` takes a Command; by default the trainer's own pause / resume / stop, which are
    safe from any thread and take effect between batches. A command left over from before the
    watcher started is ignored, so a stale ``stop`` never ends a new run; unless ``fresh``: the
    file is this run's own (a torchrun launcher's), so a command already there is applied."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        apply: Callable[[Command], None],
        *,
        poll_s: float = 0.1,
        fresh: bool = False,
    ):
        self.path = Path(path)
        self.apply = apply
        self.poll_s = poll_s
        self._seen = None if fresh else self._stamp()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="nodeml-control", daemon=True)

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ino)

    def start(self) -> ControlWatcher:
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._done.wait(self.poll_s):
            self.check()

    def check(self) -> None:
        """Apply the command if the file changed since last seen (the thread calls this)."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return
        self._seen = stamp
        command = read_command(self.path)
        if command is not None:
            self.apply(command)

    def close(self) -> None:
        self._done.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=1.0)


class LiveFeed:
    """Both halves for one run folder, from the moment the folder is known: commands that arrive
    before there is a trainer (Stop while the data loads) wait and are applied when it comes."""

    def __init__(self, run_dir: str | os.PathLike[str]):
        run_dir = Path(run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        self.log = EventLog(run_dir / EVENTS_FILE)
        self._lock = threading.Lock()
        self._pending: list[Command] = []
        self._route: Callable[[Command], None] | None = None
        self.watcher = ControlWatcher(run_dir / CONTROL_FILE, self._apply).start()

    def _apply(self, command: Command) -> None:
        with self._lock:
            route = self._route
            if route is None:
                self._pending.append(command)
                return
        route(command)

    def attach(self, trainer: Any, stats: Any = None) -> None:
        self.log.attach(trainer, stats)
        actions = {
            Command.PAUSE: trainer.pause,
            Command.RESUME: trainer.resume,
            Command.STOP: trainer.stop,
        }
        with self._lock:
            self._route = lambda c: actions[c]()
            pending, self._pending = self._pending, []
        for command in pending:
            actions[command]()

    def fail(self, exc: BaseException) -> None:
        self.log.fail(exc)

    def close(self) -> None:
        self.watcher.close()
        self.log.close()
