"""The app's training process: ``nodeml train`` in a Python that has torch imported before it is asked.

The app keeps one worker started ahead (importing torch takes seconds) and hands it one job: a
JSON line on its stdin with the ``nodeml train`` arguments, the working directory and the
environment. The worker runs exactly what ``nodeml train`` runs, into the run folder the app
named with ``--out``, and the app follows that folder's live feed. The app keeps the pipe open
while the run lasts; when it closes — the app quit, crashed or was killed — the worker asks its
run to stop (the run folder's control file), so the run ends after its batch with its checkpoint
written, and the worker exits. One job per process: a run that crashes its process takes
nothing else with it.

    python -m nodeml.core.training.app_worker     # started by WorkerPool, not by hand
"""

from __future__ import annotations

import _thread
import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

# variables a process reads while it starts (threads, devices, the import path): a spare
# started under other values would not be the process the job asks for
_STARTUP_VARS = ("PATH", "PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH")
_STARTUP_PREFIXES = ("OMP_", "MKL_", "KMP_", "OPENBLAS_", "CUDA_", "NVIDIA_", "HIP_", "ROCR_")
_STARTUP_PREFIXES += ("PYTORCH_", "TORCH_", "NODEML_")
STOP_REPEAT_S = 1.0
READY = "nodeml-worker-ready"  # a stop written before the run's control watcher started is written again


# ---- the worker process ------------------------------------------------------------------------
def serve(stdin: IO[bytes] | None = None) -> int:
    """Import what training needs, wait for one job, run it; the exit status is the job's."""
    stdin = stdin if stdin is not None else sys.stdin.buffer
    from ... import gc_schedule

    # as the nodeml program does: no collections while torch is imported, then what the import
    # made is frozen. Unfrozen, every full collection during the run walked those ~200,000
    # objects (0.1 s each): a run trained ~0.7x as fast as `nodeml train` (benchmarks/README.md)
    gc_schedule.pause()
    import argparse

    import torch  # noqa: F401 - the point of starting ahead

    from .commands import add_commands

    gc_schedule.resume()

    # say so on stdout, then send what nodeml train prints (progress lines) nowhere: the app
    # follows the run folder, and a pipe nobody drains would block the run
    sys.stdout.write(f"{READY}\n")
    sys.stdout.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    line = stdin.readline()
    if not line.strip():
        return 0  # the app went (or closed an unused spare): nothing to do
    job = json.loads(line)
    if isinstance(job.get("env"), dict):
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in job["env"].items()})
    os.chdir(job.get("cwd") or os.getcwd())
    argv = [str(a) for a in job["argv"]]
    threading.Thread(
        target=_stop_when_parent_goes, args=(stdin, _out_of(argv)), daemon=True
    ).start()
    parser = argparse.ArgumentParser(prog="nodeml")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception:  # the live feed already says it (RunFailed); this is for the app's log
        traceback.print_exc()
        return 1


def _out_of(argv: Sequence[str]) -> Path | None:
    for i, arg in enumerate(argv):
        if arg == "--out" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--out="):
            return Path(arg.split("=", 1)[1])
    return None


def _stop_when_parent_goes(stdin: IO[bytes], run_dir: Path | None) -> None:
    """Read the job pipe until it closes, then stop the run (every rank obeys the control file)."""
    try:  # the raw descriptor: a buffered reader's lock would hold up the interpreter's exit
        while os.read(stdin.fileno(), 65536):
            pass
    except (OSError, ValueError):
        pass
    if run_dir is None:
        _thread.interrupt_main()  # no run folder to write to: stop like Ctrl-C does
        return
    from .live import Command, send_command

    stop = threading.Event()
    while not stop.wait(STOP_REPEAT_S if run_dir.exists() else 0.1):
        try:
            send_command(run_dir, Command.STOP)
        except OSError:
            return


# ---- the app's side ----------------------------------------------------------------------------
def startup_env(env: Mapping[str, str]) -> dict[str, str]:
    """The part of an environment a process reads as it starts."""
    return {k: v for k, v in env.items() if k in _STARTUP_VARS or k.startswith(_STARTUP_PREFIXES)}


class Worker:
    """One worker process. ``start`` gives it its job; ``close`` ends it (an idle one exits, a
    busy one stops its run after the batch); ``poll`` is its exit status once it has ended."""

    def __init__(self, env: Mapping[str, str] | None = None):
        env = _with_source(os.environ if env is None else env)
        self.startup = startup_env(env)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - read after the process ends
        options: dict[str, Any] = {}
        if sys.platform == "win32":
            options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            options["start_new_session"] = True  # the terminal's Ctrl-C is for the app
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nodeml.core.training.app_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            **options,
        )
        self.busy = False
        self._ready = threading.Event()
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(
        self, argv: Sequence[str], cwd: str | os.PathLike[str], env: Mapping[str, str]
    ) -> None:
        """Run ``nodeml <argv>`` (``train ...``) in ``cwd`` with ``env``; returns at once."""
        if self.busy:
            raise RuntimeError("a worker runs one job")
        self.busy = True
        job = {"argv": list(argv), "cwd": str(cwd), "env": dict(env)}
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(job) + "\n").encode())
        self.process.stdin.flush()

    def poll(self) -> int | None:
        return self.process.poll()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the worker has imported what training needs (True), or ended or timed
        out (False). Only for callers that must not share the CPU with that import (a
        benchmark); a job given earlier simply waits for it."""
        if self._reader is None:  # a thread, as select() takes no pipes on Windows
            self._reader = threading.Thread(target=self._read_ready, daemon=True)
            self._reader.start()
        self._reader.join(timeout)
        return self._ready.is_set()

    def _read_ready(self) -> None:
        out = self.process.stdout
        assert out is not None
        if out.readline().decode(errors="replace").strip() == READY:
            self._ready.set()

    def stderr_tail(self, limit: int = 4000) -> str:
        """What the process wrote to stderr (its last ``limit`` characters): after it ended."""
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        return text[-limit:]

    def close(self) -> None:
        """Close the job pipe: an idle worker exits, a busy one stops its run and then exits."""
        stdin = self.process.stdin
        if stdin is not None and not stdin.closed:
            try:
                stdin.close()
            except OSError:
                pass

    def wait(self, timeout: float | None = None) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None


class WorkerPool:
    """Keeps one idle worker started ahead, so a run starts without waiting for torch's import."""

    def __init__(self) -> None:
        self._spare: Worker | None = None
        self._lock = threading.Lock()

    def prestart(self) -> Worker:
        """Start a spare now unless a usable one is waiting; returns the spare."""
        with self._lock:
            if not self._usable(self._spare):
                self._drop_spare()
                self._spare = Worker()
            return self._spare

    def take(self) -> Worker:
        """The spare when it is alive and started under this environment, else a new worker."""
        with self._lock:
            spare, self._spare = self._spare, None
        if self._usable(spare):
            assert spare is not None
            return spare
        if spare is not None:
            spare.close()
        return Worker()

    def _usable(self, worker: Worker | None) -> bool:
        return (
            worker is not None
            and worker.poll() is None
            and worker.startup == startup_env(_with_source(os.environ))
        )

    def _drop_spare(self) -> None:
        if self._spare is not None:
            self._spare.close()
            self._spare = None

    def close(self) -> None:
        with self._lock:
            self._drop_spare()


def _with_source(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with this nodeml's folder first on PYTHONPATH: the worker imports the very nodeml
    the app runs, wherever the app was started from."""
    out = dict(env)
    source = str(Path(__file__).resolve().parents[3])
    out["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    return out


_POOL: WorkerPool | None = None


def default_pool() -> WorkerPool:
    """The process's pool (every window of the app shares it); its spare is closed at exit."""
    global _POOL
    if _POOL is None:
        _POOL = WorkerPool()
        atexit.register(_POOL.close)
    return _POOL


if __name__ == "__main__":
    sys.exit(serve())
