"""Runs a function in N processes joined as torchrun joins them (gloo, on this machine), so DDP
training can be tested in-process without torchrun's start-up; and a free TCP port."""

from __future__ import annotations

import multiprocessing
import os
import queue
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_PRELOAD = ["torch", "nodeml.core.training.trainer", "nodeml.core.training.process_group"]


@dataclass(frozen=True)
class RankFailed:
    """What a process of the job raised (its traceback as text)."""

    text: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torchrun_vars(rank: int, world: int, port: int) -> dict[str, str]:
    """The variables torchrun sets for one process of a one-machine job."""
    return {
        "RANK": str(rank),
        "WORLD_SIZE": str(world),
        "LOCAL_RANK": str(rank),
        "LOCAL_WORLD_SIZE": str(world),
        "GROUP_RANK": "0",
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": str(port),
    }


def _rank_main(fn: Callable[..., Any], rank: int, world: int, port: int, out: Any, args: tuple):
    os.environ.update(torchrun_vars(rank, world, port))
    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    try:
        out.put((rank, True, fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the test
        out.put((rank, False, "".join(traceback.format_exception(exc))))
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def run_ranks(fn: Callable[..., Any], world: int, *args: Any, timeout: float = 600) -> list[Any]:
    """``fn(*args)`` in ``world`` fresh processes (torchrun's variables set, threads 1), the
    results in rank order; a process that raised gives a RankFailed, one that died without a
    result None. A job still running after ``timeout`` seconds is killed and fails the test."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    port = free_port()
    results: Any = ctx.Queue()
    procs = [
        ctx.Process(target=_rank_main, args=(fn, r, world, port, results, args))
        for r in range(world)
    ]
    for p in procs:
        p.start()
    got: dict[int, Any] = {}
    deadline = time.monotonic() + timeout
    while len(got) < world and time.monotonic() < deadline:
        try:
            rank, ok, value = results.get(timeout=0.5)
        except queue.Empty:
            if all(not p.is_alive() for p in procs) and results.empty():
                break  # the rest died without a word
            continue
        got[rank] = value if ok else RankFailed(value)
    for p in procs:
        p.join(timeout=max(1.0, deadline - time.monotonic()))
    hung = [r for r, p in enumerate(procs) if p.is_alive()]
    for r in hung:
        procs[r].kill()
    if hung:
        raise AssertionError(f"processes {hung} of the job were still running after {timeout} s")
    return [got.get(r) for r in range(world)]
