"""``nodeml train --nproc P``: torchrun starts P processes of ``nodeml train`` on this machine
(of ``--nnodes`` machines), each the same trainer; their output comes back here, Ctrl-C stops them.

The processes run nodeml's own ``train`` command with this command's options (all of them: the
list is read from the parser, never kept by hand), and find themselves in torchrun's variables
(nodeml.core.training.process_group). Process 0 of the job, on node 0, writes the run folder,
which this launcher names before they start (``--out``, else a new folder beside the graph), so
its first Ctrl-C can ask for a stop through the folder's ``control`` file. Other nodes' launchers
give their processes a control file of their own (``NODEML_CONTROL``), so a Ctrl-C there stops
the job too.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from ..errors import TrainingError
from .live import Command, ErrorReport, EventLog, EventReader, RunFailed, send_command
from .process_group import BACKENDS, PEER_LOST
from .run_folder import (
    EVENTS_FILE,
    UNNAMED_GRAPH,
    RunStatus,
    check_new_run_folder,
    new_run_dir,
    now_iso,
    read_manifest,
    run_stem,
    runs_root,
    write_manifest,
)
from .worker import CONTROL_VAR, LIVE_VAR

# the options that say how to launch, not how to train: never passed on to the processes
LAUNCH_OPTIONS = ("nproc", "nnodes", "node_rank", "rdzv_endpoint")
# torchrun's own log lines (glog style: "W1201 17:22:28.608000 16610 file.py:1028] ...")
_TORCHRUN_LOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d")
_RANK_PREFIX = re.compile(r"\[rank \d+\] ")


@dataclass(frozen=True)
class Launch:
    """How many processes where: ``nproc`` on each of ``nnodes`` machines, this one being
    ``node_rank``; ``endpoint`` HOST:PORT of node 0 (None: this machine alone, any free port)."""

    nproc: int
    nnodes: int = 1
    node_rank: int = 0
    endpoint: str | None = None

    @property
    def world_size(self) -> int:
        return self.nproc * self.nnodes


def add_launch_options(train: argparse.ArgumentParser) -> None:
    """torchrun's options on ``nodeml train``, with torchrun's meanings."""
    group = train.add_argument_group(
        "several processes (torchrun, DistributedDataParallel)",
        "Every process trains its share of each epoch; process 0 of node 0 writes the run "
        "folder. --batch-size is per process.",
    )
    group.add_argument(
        "--nproc", type=int, metavar="P", help="processes on this machine (one per GPU, or CPU)"
    )
    group.add_argument("--nnodes", type=int, metavar="N", help="machines taking part (default 1)")
    group.add_argument(
        "--node-rank", type=int, metavar="R", help="this machine's place, 0 to N-1 (default 0)"
    )
    group.add_argument(
        "--rdzv-endpoint",
        metavar="HOST:PORT",
        help="node 0's address and a free port on it, the same on every node",
    )
    group.add_argument(
        "--backend",
        choices=BACKENDS,
        help="how the processes talk (default: nccl on CUDA GPUs, else gloo)",
    )


def launch_of(args: argparse.Namespace) -> Launch:
    """The launch the options ask for, checked before anything starts."""
    nproc = args.nproc if args.nproc is not None else 1
    nnodes = args.nnodes if args.nnodes is not None else 1
    node_rank = args.node_rank if args.node_rank is not None else 0
    if nproc < 1:
        raise TrainingError(f"--nproc must be at least 1, got {nproc}")
    if nnodes < 1:
        raise TrainingError(f"--nnodes must be at least 1, got {nnodes}")
    if not 0 <= node_rank < nnodes:
        raise TrainingError(
            f"--node-rank must be from 0 to {nnodes - 1} (--nnodes {nnodes}), got {node_rank}"
        )
    endpoint = args.rdzv_endpoint
    if nnodes > 1 and not endpoint:
        raise TrainingError(
            "--nnodes above 1 needs --rdzv-endpoint HOST:PORT: node 0's address and a free port "
            "there, the same on every node"
        )
    if endpoint:
        host, _, port = endpoint.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise TrainingError(
                f"--rdzv-endpoint must be HOST:PORT, e.g. 10.0.0.1:29500, got {endpoint!r}"
            )
    backend = getattr(args, "backend", None)
    if backend == "nccl" and not _has_cuda():
        raise TrainingError("--backend nccl needs CUDA GPUs; on the CPU, use --backend gloo")
    return Launch(nproc, nnodes, node_rank, endpoint)


def _has_cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def torchrun_command(launch: Launch, worker_args: Sequence[str]) -> list[str]:
    """torchrun (as a module of this Python) starting ``python -m nodeml train WORKER_ARGS``."""
    command = [sys.executable, "-m", "torch.distributed.run", f"--nproc-per-node={launch.nproc}"]
    if launch.endpoint is None:
        command.append("--standalone")
    else:  # torchrun's static rendezvous: node ranks as given, global rank 0 on node 0
        command += [
            f"--nnodes={launch.nnodes}",
            f"--node-rank={launch.node_rank}",
            "--rdzv-backend=static",
            f"--rdzv-endpoint={launch.endpoint}",
        ]
    return [*command, "--module", "nodeml", "train", *worker_args]


def worker_args(args: argparse.Namespace, actions: Sequence[argparse.Action]) -> list[str]:
    """``args`` written back as ``nodeml train`` arguments: every option of the train parser
    (``actions``) that differs from its default, except the launch options."""
    out: list[str] = []
    positional: list[str] = []
    for action in actions:
        dest = action.dest
        if dest in LAUNCH_OPTIONS or isinstance(action, argparse._HelpAction):
            continue
        if not hasattr(args, dest):
            continue
        value = getattr(args, dest)
        if not action.option_strings:
            positional += [str(v) for v in value] if isinstance(value, list) else [str(value)]
            continue
        if value == action.default or value is None:
            continue
        flag = next(
            (o for o in action.option_strings if o.startswith("--")), action.option_strings[0]
        )
        if isinstance(action, argparse.BooleanOptionalAction):
            out.append(flag if value else "--no-" + flag.removeprefix("--"))
        elif action.nargs == 0:  # store_true / store_false / store_const
            out.append(flag)
        elif isinstance(value, list):
            for item in value:
                out += [flag, str(item)]
        else:
            out += [flag, str(value)]
    return positional + out


def launch(args: argparse.Namespace, out: TextIO, actions: Sequence[argparse.Action]) -> int:
    """Start the job and relay its output; 0 when every process ended well (finished or
    stopped), else a TrainingError saying what failed."""
    plan = launch_of(args)
    forwarded = worker_args(args, actions)
    run_dir: Path | None = None
    made = False
    if plan.node_rank == 0:  # the run folder is node 0's
        if args.out:
            run_dir = check_new_run_folder(args.out, f"nodeml train {args.graph} --resume {{last}}")
            made = not run_dir.exists()
            run_dir.mkdir(parents=True, exist_ok=True)
        else:
            run_dir = new_run_dir(runs_root(args.graph), run_stem(args.graph, UNNAMED_GRAPH))
            made = True
            forwarded += ["--out", str(run_dir)]
    where = "this machine" if plan.nnodes == 1 else f"node {plan.node_rank} of {plan.nnodes}"
    processes = f"{plan.nproc} process{'es' if plan.nproc > 1 else ''}"
    print(f"torchrun: {processes} on {where}", file=out, flush=True)
    if plan.nnodes > 1 and plan.node_rank == 0:
        print(f"waiting for the other nodes at {plan.endpoint}", file=out, flush=True)
    with _control_file(run_dir) as control:
        env = _environment(plan, None if run_dir is not None else control)
        if hasattr(out, "isatty") and out.isatty():  # process 0 draws its live bar through us
            env[LIVE_VAR] = str(shutil.get_terminal_size().columns)
        job = _Job(torchrun_command(plan, forwarded), env, out)
        with _interrupts(job, control, run_dir, out):
            code = job.wait()
    if code == 0:
        return 0
    reason, said = job.failure()
    if run_dir is not None:
        _close_run_folder(run_dir, made, reason, aborted=job.aborted)
    if job.aborted:  # as a second Ctrl-C ends one process: "interrupted", status 130
        raise KeyboardInterrupt
    if said:  # the process's own line is above
        raise TrainingError("the run failed (see above); every process of it was ended")
    raise TrainingError(f"the run failed: {reason}; every process of it was ended")


def _environment(plan: Launch, control: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    # the processes import this very nodeml, wherever it was imported from
    package_root = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    env["PYTHONUNBUFFERED"] = "1"  # process 0's lines reach the terminal as they are printed
    if "OMP_NUM_THREADS" not in env:  # torchrun would set 1 (and say so): share the cores out
        env["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // plan.nproc))
    if control is not None:
        env[CONTROL_VAR] = str(control)
    return env


@contextlib.contextmanager
def _control_file(run_dir: Path | None) -> Iterator[Path]:
    """The control file this launcher's Ctrl-C writes: the run folder's on node 0, a temporary
    one on other nodes."""
    if run_dir is not None:
        yield run_dir / "control"
        return
    with tempfile.TemporaryDirectory(prefix="nodeml-control-") as folder:
        yield Path(folder) / "control"


class _Job:
    """torchrun in a session of its own (a terminal's Ctrl-C reaches only this launcher), its
    standard output copied to ``out`` as it comes, its error lines sorted: the processes' own
    (each said once, whichever process said it) are shown; torchrun's log is kept for a failure
    that has no other explanation."""

    def __init__(self, command: list[str], env: dict[str, str], out: TextIO):
        self.out = out
        self.aborted = False
        self.errors: list[str] = []  # the processes' "nodeml train: ..." lines, once each
        self.log: list[str] = []  # torchrun's
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._debug = bool(os.environ.get("NODEML_DEBUG"))
        kwargs: dict[str, Any] = {"env": env, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True
        self.proc = subprocess.Popen(command, **kwargs)
        self._threads = [
            threading.Thread(target=self._copy, args=(self.proc.stdout,), daemon=True),
            threading.Thread(target=self._sort, args=(self.proc.stderr,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _copy(self, stream: IO[bytes]) -> None:
        decode = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := stream.read1(65536):  # type: ignore[attr-defined]
            with self._lock:
                self.out.write(decode.decode(chunk))
                self.out.flush()

    def _sort(self, stream: IO[bytes]) -> None:
        torchrun_trace = False
        for raw in stream:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            if self._debug:
                self._say(line, once=False)
                continue
            if line.startswith("Traceback (most recent call last):"):
                torchrun_trace = True  # nodeml's processes print no tracebacks; torchrun does
            if torchrun_trace or _TORCHRUN_LOG.match(line) or not line.strip():
                self.log.append(line)
                continue
            if line.startswith("nodeml "):
                self.errors.append(_RANK_PREFIX.sub("", line, count=1))
            self._say(line, once=True)

    def _say(self, line: str, *, once: bool) -> None:
        key = _RANK_PREFIX.sub("", line, count=1)
        if once and key in self._seen:
            return
        self._seen.add(key)
        with self._lock:
            print(line, file=sys.stderr, flush=True)

    def wait(self) -> int:
        code = self.proc.wait()
        for thread in self._threads:
            thread.join()
        return code

    def terminate(self) -> None:
        """Abort: torchrun passes SIGTERM to every process (SIGKILL after its grace period)."""
        self.aborted = True
        with contextlib.suppress(ProcessLookupError):
            self.proc.terminate()

    def failure(self) -> tuple[str, bool]:
        """Why the job failed, in one line, and whether a process already said it: the error
        of the process that failed first, not of those it took along; else torchrun's account
        of the first process that ended (one killed says nothing)."""
        said = [line.split(":", 1)[1].strip() for line in self.errors if ":" in line]
        own = [text for text in said if not text.startswith(PEER_LOST)]
        if own:
            return own[0], True
        cause = _root_cause(self.log)
        if cause is not None:
            return cause, False
        if said:
            return said[0], True
        return f"torchrun exited with status {self.proc.returncode}", False


def _root_cause(log: list[str]) -> str | None:
    """torchrun's "Root Cause (first observed failure)" as a sentence."""
    start = next((i for i, line in enumerate(log) if line.startswith("Root Cause")), None)
    if start is None:
        return None
    block = "\n".join(log[start : start + 12])
    rank = re.search(r"rank\s*:\s*(\d+)", block)
    code = re.search(r"exitcode\s*:\s*(-?\d+)", block)
    if rank is None or code is None:
        return None
    status = int(code.group(1))
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"process {rank.group(1)} was ended by {name} before it could say why"
    return f"process {rank.group(1)} ended with exit status {status}"


@contextlib.contextmanager
def _interrupts(job: _Job, control: Path, run_dir: Path | None, out: TextIO) -> Iterator[None]:
    """Ctrl-C once: stop every process after the same step (through the control file); twice,
    or before process 0 has started its live feed: abort. SIGTERM / SIGHUP abort."""
    presses = 0

    def on_interrupt(signum: int, frame: Any) -> None:
        nonlocal presses
        presses += 1
        starting = run_dir is not None and not (run_dir / EVENTS_FILE).exists()
        if presses == 1 and not starting:
            send_command(control.parent, Command.STOP)
            print("\nstopping every process after this batch (Ctrl-C again to abort)", file=out)
        else:
            job.terminate()

    def on_terminate(signum: int, frame: Any) -> None:
        job.terminate()

    handlers = {signal.SIGINT: on_interrupt, signal.SIGTERM: on_terminate}
    if hasattr(signal, "SIGHUP"):
        handlers[signal.SIGHUP] = on_terminate
    previous: dict[int, Any] = {}
    try:
        for sig, handler in handlers.items():
            previous[sig] = signal.signal(sig, handler)
    except ValueError:  # not the main thread: the caller handles signals
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _close_run_folder(run_dir: Path, made: bool, reason: str, *, aborted: bool) -> None:
    """After a failed job, the launcher has the last word: a folder it made that no process
    wrote into goes; run.json says stopped (aborted) or failed with the first process's error
    (process 0 may only know that another one went, or have been killed), and so does the end
    of the live feed."""
    if made and run_dir.is_dir() and not any(run_dir.iterdir()):
        run_dir.rmdir()
        return
    manifest = read_manifest(run_dir)
    if manifest is not None:
        manifest.status = RunStatus.STOPPED if aborted else RunStatus.FAILED
        manifest.error = None if aborted else reason
        manifest.ended = manifest.ended or now_iso()
        write_manifest(run_dir, manifest)
    events = run_dir / EVENTS_FILE
    if aborted or not events.exists():
        return
    failures = [e for e in EventReader(events).read() if isinstance(e, RunFailed)]
    if not failures or failures[-1].error.message != reason:
        log = EventLog(events)
        log.write(RunFailed(ErrorReport(message=reason, kind="TrainingError")))
        log.close()
