"""What ``nodeml train`` does differently as one process of a torchrun job: process 0 alone
writes the run folder and speaks, every process ends on SIGTERM, and each machine's first
process obeys the control file its launcher hands it (``NODEML_CONTROL``)."""

from __future__ import annotations

import contextlib
import io
import os
import signal
from collections.abc import Iterator
from typing import Any, TextIO

from .live import Command, ControlWatcher
from .process_group import TorchrunEnv

CONTROL_VAR = "NODEML_CONTROL"  # set by nodeml.core.training.launcher on nodes other than 0
LIVE_VAR = "NODEML_LIVE_COLUMNS"  # the launcher's terminal width, when it has a terminal


class Terminated(BaseException):
    """torchrun ended this process (SIGTERM): another process failed, or the launcher aborts.
    A BaseException, like KeyboardInterrupt, so no step error wraps it."""


def rank_prefix(env: TorchrunEnv | None) -> str:
    """``"[rank 3] "`` before an error line of a process other than 0 (the launcher shows each
    error once, whichever process says it)."""
    return f"[rank {env.rank}] " if env is not None and env.rank != 0 else ""


def speaking(env: TorchrunEnv | None, out: TextIO) -> TextIO:
    """Where a process prints its progress: process 0 (or a lone process) to ``out``, the rest
    nowhere (their errors still go to stderr)."""
    return out if env is None or env.rank == 0 else io.StringIO()


def live_progress(env: TorchrunEnv | None) -> bool | None:
    """Whether process 0 draws a live progress bar: its output is the launcher's pipe, so the
    launcher says when a terminal is at the other end (None: decide from the stream)."""
    columns = os.environ.get(LIVE_VAR)
    if env is None or env.rank != 0 or not columns:
        return None
    os.environ.setdefault("COLUMNS", columns)  # tqdm's width, where the pipe has none
    os.environ.setdefault("LINES", "24")  # (tqdm reads the two together)
    return True


@contextlib.contextmanager
def ended_by_sigterm(env: TorchrunEnv | None) -> Iterator[None]:
    """Under torchrun, SIGTERM raises Terminated, so process 0 still writes the last finished
    epoch's checkpoint and says how the run ended."""
    if env is None:
        yield
        return

    def on_term(signum: int, frame: Any) -> None:
        raise Terminated("torchrun ended this process (another process failed, or an abort)")

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def node_control(env: TorchrunEnv | None, trainer: Any) -> ControlWatcher | None:
    """On a machine other than node 0, its first process applies the commands of the control
    file the launcher there writes (its Ctrl-C); every process then agrees on them."""
    path = os.environ.get(CONTROL_VAR)
    if env is None or env.rank == 0 or env.local_rank != 0 or not path:
        return None
    actions = {
        Command.PAUSE: trainer.pause,
        Command.RESUME: trainer.resume,
        Command.STOP: trainer.stop,
    }
    return ControlWatcher(path, lambda c: actions[c](), fresh=True).start()
