"""One run in a worker process, followed from its run folder's live feed and turned into Qt signals."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from ...core.training import EpochEnded, Finished, RunStarted, StateChanged
from ...core.training.app_worker import Worker
from ...core.training.live import (
    Command,
    ErrorReport,
    EventReader,
    RunFailed,
    Steps,
    send_command,
)
from ...core.training.run_folder import EVENTS_FILE
from .jobs import JobError

# How often the feed is read. Each read wakes the UI, and on a machine whose cores all train,
# what the UI does is taken from the run (see plots.MAX_REDRAW_MS): twice a second while it
# trains, as often as the progress bar changes (run_display.PROGRESS_S); five times a second
# while what the user waits for is near (the run's start, the answer to Pause, Resume or Stop).
FOLLOW_MS = 500
PROMPT_MS = 200


class LiveRun(QObject):
    """Starts ``nodeml <argv>`` in ``worker`` and follows ``run_dir/events.jsonl``.

    Emits the feed's events as they are read, then ``ended`` once: after Finished or RunFailed,
    or when the process exits without either (a crash: ``failed`` then says so, with what the
    process wrote to stderr). The process is watched until it exits, also after ``ended``.
    """

    started = Signal(object)  # RunStarted
    steps = Signal(object)  # Steps
    epoch_ended = Signal(object)  # EpochEnded
    state_changed = Signal(object)  # the trainer's TrainerState
    finished = Signal(object)  # Finished
    failed = Signal(object)  # JobError
    ended = Signal()
    exited = Signal(int)  # the process's exit status, once it has gone

    def __init__(self, worker: Worker, run_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = worker
        self.run_dir = run_dir
        self.reader = EventReader(run_dir / EVENTS_FILE)
        self.over = False  # Finished or RunFailed was read (or the process died without them)
        self.exit_code: int | None = None
        self._internal: ErrorReport | None = None  # said when the process has exited
        self._timer = QTimer(self, interval=PROMPT_MS)
        self._timer.timeout.connect(self.follow)

    def start(self, argv: list[str], cwd: str | os.PathLike[str]) -> None:
        self.worker.start(argv, cwd, dict(os.environ))
        self._timer.start()

    def send(self, command: Command) -> None:
        """Pause, resume or stop the run (after its current batch)."""
        if not self.over:
            send_command(self.run_dir, command)
            self._timer.setInterval(PROMPT_MS)  # until the trainer says it did

    def close(self) -> None:
        """Let go of the worker: a run still going stops after its batch and writes its
        checkpoint (the worker sees its job pipe close), without this process waiting for it."""
        self.worker.close()

    # ---- following ------------------------------------------------------------------------------
    def follow(self) -> None:
        """Read what the run wrote since last time (the timer calls this every FOLLOW_MS)."""
        code = self.worker.poll()  # before reading: what a gone process wrote is all there is
        for event in self.reader.read():
            self._dispatch(event)
        if code is None:
            return
        self._timer.stop()
        self.exit_code = code
        self.worker.close()
        if self._internal is not None:
            self.failed.emit(JobError.from_report(self._internal, self.worker.stderr_tail()))
            self.ended.emit()
        elif not self.over:
            self.over = True
            self.failed.emit(_crash(code, self.worker.stderr_tail()))
            self.ended.emit()
        self.exited.emit(code)

    def _dispatch(self, event: object) -> None:
        if self.over:
            return
        if isinstance(event, Steps):
            self.steps.emit(event)
        elif isinstance(event, EpochEnded):
            self.epoch_ended.emit(event)
        elif isinstance(event, StateChanged):
            self._timer.setInterval(FOLLOW_MS)
            self.state_changed.emit(event.state)
        elif isinstance(event, RunStarted):
            self._timer.setInterval(FOLLOW_MS)
            self.started.emit(event)
        elif isinstance(event, Finished):
            self.over = True
            self.finished.emit(event)
            self.ended.emit()
        elif isinstance(event, RunFailed):
            self.over = True
            if event.error.internal:  # a bug of nodeml's: its traceback follows on stderr
                self._internal = event.error
                return
            self.failed.emit(JobError.from_report(event.error))
            self.ended.emit()


def _crash(code: int, stderr: str) -> JobError:
    if code < 0:
        text = QCoreApplication.translate(
            "Training", "the training process was killed by signal {signal} without saying why"
        )
    else:
        text = QCoreApplication.translate(
            "Training", "the training process exited with status {code} without saying why"
        )
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    last = f": {lines[-1].strip()}" if lines else ""
    return JobError(text.format(signal=-code, code=code) + last, details=stderr.strip())
