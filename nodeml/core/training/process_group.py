"""The processes of one torchrun job as the Trainer sees them: which one this is, its device,
and the few collectives training needs besides DistributedDataParallel's gradient averaging."""

from __future__ import annotations

import copy
import math
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import torch
import torch.distributed as dist
from torch import nn

from ..checkpoint import rng_state
from ..errors import TrainingError
from .config import ConfigError
from .device import resolve_device
from .metrics import MetricTotals

BACKENDS = ("gloo", "nccl")
# torchrun sets these in every process it starts (so does any launcher following its contract)
TORCHRUN_VARS = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")
# a collective waiting this long means a process is gone or hung: fail rather than wait forever
COLLECTIVE_TIMEOUT_S = 600.0
# stop / pause are agreed every k steps, k chosen so agreeing costs about 1/AGREE_SHARE of the
# training time, and a request waits at most AGREE_LATENCY_S and AGREE_MAX_STEPS steps (when
# steps are slow, every step)
AGREE_SHARE = 100
AGREE_LATENCY_S = 0.25
AGREE_MAX_STEPS = 64


@dataclass(frozen=True)
class TorchrunEnv:
    """Where torchrun placed this process: ``rank`` of ``world_size`` in the job, ``local_rank``
    of ``local_world_size`` on its machine, which is node ``node_rank``."""

    rank: int
    world_size: int
    local_rank: int
    local_world_size: int
    node_rank: int


def torchrun_env(environ: Mapping[str, str] | None = None) -> TorchrunEnv | None:
    """This process's place in a torchrun job, or None when it was not started by torchrun."""
    env = os.environ if environ is None else environ
    if not all(name in env for name in TORCHRUN_VARS):
        return None
    try:
        rank, world = int(env["RANK"]), int(env["WORLD_SIZE"])
        local = int(env["LOCAL_RANK"])
        local_world = int(env.get("LOCAL_WORLD_SIZE", world))
        node = int(env.get("GROUP_RANK", env.get("NODE_RANK", "0")))
    except ValueError:
        raise TrainingError(
            "the torchrun variables RANK, WORLD_SIZE and LOCAL_RANK must be whole numbers"
        ) from None
    if not 0 <= rank < world:
        raise TrainingError(f"RANK {rank} is not within WORLD_SIZE {world}")
    return TorchrunEnv(rank, world, local, local_world, node)


class PeerLostError(TrainingError):
    """Another process of the run ended or stopped answering; this one cannot go on alone."""


# what gloo and NCCL say when the process at the other end is gone or a collective timed out
_PEER_GONE = (
    "Connection closed by peer",
    "Connection reset by peer",
    "Broken pipe",
    "imed out",
    "NCCL communicator was aborted",
)


def is_peer_failure(exc: BaseException) -> bool:
    """Does ``exc`` say a collective failed because another process is gone (or timed out)?"""
    if isinstance(exc, getattr(dist, "DistError", ())):
        return True
    return isinstance(exc, RuntimeError) and any(sign in str(exc) for sign in _PEER_GONE)


PEER_LOST = "another process of this run ended or stopped answering"


def peer_lost(exc: BaseException) -> PeerLostError:
    """The error a process gives when a collective failed because another one is gone."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^\[[^\]]*\.(?:cc|cpp|h):\d+\] ", "", text)  # gloo's source location
    text = text.split(". ")[0][:160]
    return PeerLostError(f"{PEER_LOST} ({text}), so this one stopped too")


class SingleProcess:
    """A run in one process: nothing to share, every request is agreed at once."""

    rank = 0
    world_size = 1
    local_rank = 0
    is_main = True
    backend: str | None = None

    def __init__(self, device: torch.device | None = None):
        self.device = device

    def wrap(self, model: nn.Module, loss: Callable[[], torch.Tensor]) -> tuple[nn.Module, None]:
        return model, None

    def merged(self, totals: MetricTotals) -> MetricTotals:
        return totals

    def check_peers(self, exc: BaseException) -> None:
        pass

    def due(self, step: int) -> bool:
        return True

    def agree(self, step: int, stop: bool, pause: bool) -> tuple[bool, bool]:
        return stop, pause

    def share(self, tensors: tuple[torch.Tensor, ...] | None) -> None:
        pass

    def gather(self, value: Any) -> list[Any] | None:
        return [value]

    def close(self) -> None:
        pass


class ProcessGroup:
    """This process's place in a joined torchrun job (see join_process_group).

    ``control`` is a gloo group on the CPU for the run's bookkeeping (stop / pause, metric sums,
    RNG states), so that it never waits on a GPU stream; with the gloo backend it is the job's
    own group."""

    def __init__(self, env: TorchrunEnv, backend: str, device: torch.device):
        self.rank, self.world_size = env.rank, env.world_size
        self.local_rank, self.node_rank = env.local_rank, env.node_rank
        self.backend, self.device = backend, device
        self.is_main = env.rank == 0
        self.control: Any = dist.new_group(backend="gloo") if backend != "gloo" else None
        self._next = 1  # the first step after which stop / pause are agreed
        self._last: tuple[int, float] | None = None  # (step, time) of the last agreement
        self._cost = 0.0  # seconds the last agreement took

    # ---- training ------------------------------------------------------------------------------
    def wrap(
        self, model: nn.Module, loss: Callable[[], torch.Tensor]
    ) -> tuple[nn.Module, str | None]:
        """The model as DistributedDataParallel trains it, and a note when it must look for
        parameters without a gradient at every step: those ``loss`` (a loss computed with grad
        from a forward pass) does not reach. The module inside stays ``model``, so checkpoints
        hold its own state dict (no ``module.`` prefix)."""
        unused = unreached_nodes(model, loss)
        if unused is None:
            return model, None  # nothing to average
        ids = [self.device.index] if self.device.type == "cuda" else None
        net = nn.parallel.DistributedDataParallel(
            model, device_ids=ids, find_unused_parameters=bool(unused)
        )
        if not unused:
            return net, None
        return net, (
            f"{', '.join(unused)} get no gradient from the loss (what they compute does not reach "
            "the trained Output), so DistributedDataParallel looks for such parameters at every "
            "step, which costs some speed"
        )

    def check_peers(self, exc: BaseException) -> None:
        """Raise PeerLostError when ``exc`` says another process is gone."""
        if is_peer_failure(exc):
            raise peer_lost(exc) from exc

    def merged(self, totals: MetricTotals) -> MetricTotals:
        """The totals of every process summed: what one process would have counted over all
        their samples. Every process must call it at the same point."""
        state = totals.state_dict()
        values = torch.tensor([float(v) for v in state.values()], dtype=torch.float64)
        self._call(dist.all_reduce, values, group=self.control)
        merged = copy.copy(totals)
        merged.load_state_dict(dict(zip(state, values.tolist(), strict=True)))
        return merged

    # ---- stop and pause ------------------------------------------------------------------------------
    def due(self, step: int) -> bool:
        """Is ``step`` one after which the processes agree on stop / pause?"""
        return step >= self._next

    def agree(self, step: int, stop: bool, pause: bool) -> tuple[bool, bool]:
        """(stop, pause) for every process: asked by any of them. Every process must call it
        after the same step; the main process also sets how many steps pass until the next."""
        now = time.perf_counter()
        proposal = self._interval(step, now) if self.is_main else 0
        flags = torch.tensor([int(stop), int(pause), proposal], dtype=torch.int64)
        self._call(dist.all_reduce, flags, op=dist.ReduceOp.MAX, group=self.control)
        done = time.perf_counter()
        self._cost = done - now
        self._last = (step, done)
        self._next = step + max(1, int(flags[2]))
        return bool(flags[0]), bool(flags[1])

    def _interval(self, step: int, now: float) -> int:
        if self._last is None or step <= self._last[0]:
            return 1
        step_s = max((now - self._last[1]) / (step - self._last[0]), 1e-6)
        share = math.ceil(AGREE_SHARE * self._cost / step_s)
        return max(1, min(share, int(AGREE_LATENCY_S / step_s), AGREE_MAX_STEPS))

    def share(self, tensors: tuple[torch.Tensor, ...] | None) -> None:
        """Give every process the main process's values of ``tensors`` (in place)."""
        for tensor in tensors or ():
            held = tensor.detach().cpu()  # the control group is gloo, on the CPU
            self._call(dist.broadcast, held, src=0, group=self.control)
            tensor.data.copy_(held)

    # ---- checkpoints ---------------------------------------------------------------------------------
    def gather(self, value: Any) -> list[Any] | None:
        """Every process's ``value``, in rank order, on the main process (None elsewhere)."""
        out: list[Any] | None = [None] * self.world_size if self.is_main else None
        self._call(dist.gather_object, value, out, dst=0, group=self.control)
        return out

    def close(self) -> None:
        if dist.is_initialized():
            dist.destroy_process_group()

    def _call(self, collective: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return collective(*args, **kwargs)
        except Exception as exc:
            if is_peer_failure(exc):
                raise peer_lost(exc) from exc
            raise


def unreached_nodes(model: nn.Module, loss: Callable[[], torch.Tensor]) -> list[str] | None:
    """The nodes (first part of a parameter's name) with trainable parameters ``loss`` does not
    depend on; None when the model has no trainable parameter."""
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if not named:
        return None
    value = loss()
    if not value.requires_grad:
        grads: tuple[torch.Tensor | None, ...] = (None,) * len(named)
    else:
        grads = torch.autograd.grad(value, [p for _, p in named], allow_unused=True)
    unused = [name for (name, _), grad in zip(named, grads, strict=True) if grad is None]
    return sorted({name.split(".")[0] for name in unused})


class RankSnapshot:
    """What a checkpoint of a torchrun job needs from every process, gathered at a point where
    all of them are after the same step (an epoch's end, a stop, a pause): their RNG states and
    the epoch's metric totals so far, summed. A checkpoint taken at another step gets neither."""

    def __init__(self, ranks: ProcessGroup | SingleProcess):
        self.ranks = ranks
        self.step = -1
        self.rng_states: list[Any] | None = None
        self.totals: MetricTotals | None = None

    def take(self, step: int, samples_in_epoch: int, totals: MetricTotals) -> None:
        """Every process calls it at the same point (nothing to do in a single process)."""
        if self.ranks.world_size > 1:
            self.totals = self.ranks.merged(totals) if samples_in_epoch else None
            self.rng_states = self.ranks.gather(rng_state())
            self.step = step

    def partial(
        self, step: int, samples_in_epoch: int, totals: MetricTotals
    ) -> dict[str, float] | None:
        """The epoch's totals so far, for a checkpoint at ``step`` (None at an epoch's end)."""
        if not samples_in_epoch:
            return None
        if self.ranks.world_size == 1:
            return totals.state_dict()
        return self.totals.state_dict() if self.totals and self.step == step else None

    def rngs(self, step: int) -> list[Any] | None:
        return self.rng_states if self.step == step else None


def rank_rng(state: dict[str, Any], ranks: ProcessGroup | SingleProcess) -> dict[str, Any] | None:
    """The RNG state this process continues a checkpoint with: its own when as many processes
    took it, else the main process gets the one the checkpoint holds and the others none (they
    draw anew from the seed)."""
    saved = state.get("rng_ranks")
    if (
        isinstance(saved, list)
        and len(saved) == ranks.world_size
        and int(state.get("world_size", 1)) == ranks.world_size
    ):
        return saved[ranks.rank]
    return state.get("rng") if ranks.is_main else None


def training_device(env: TorchrunEnv, device: str) -> torch.device:
    """The device this process trains on: its own GPU (``cuda:LOCAL_RANK``) or the CPU."""
    resolved = resolve_device(device)
    if resolved.type == "mps":
        raise ConfigError(
            "device",
            "DistributedDataParallel does not run on Apple's MPS; use --device cpu with --nproc",
        )
    if resolved.type != "cuda":
        return torch.device("cpu")
    count = torch.cuda.device_count()
    if env.local_rank >= count:
        raise ConfigError(
            "device",
            f"process {env.local_rank} of this machine needs GPU {env.local_rank}, but it has "
            f"{count}; start at most {count} processes per machine (--nproc {count})",
        )
    return torch.device("cuda", env.local_rank)


def join_process_group(
    env: TorchrunEnv, *, backend: str | None, device: str
) -> ProcessGroup | SingleProcess:
    """Join the job torchrun started (one process alone needs no group). ``backend`` None picks
    nccl on CUDA, else gloo."""
    where = training_device(env, device)
    if backend is None:
        backend = "nccl" if where.type == "cuda" else "gloo"
    if backend not in BACKENDS:
        raise TrainingError(f"--backend must be gloo or nccl, got {backend!r}")
    if backend == "nccl" and where.type != "cuda":
        raise TrainingError("--backend nccl needs CUDA GPUs; on the CPU, use --backend gloo")
    if where.type == "cuda":
        torch.cuda.set_device(where)
    if env.world_size == 1:
        return SingleProcess(where)
    try:
        dist.init_process_group(
            backend,
            timeout=timedelta(seconds=COLLECTIVE_TIMEOUT_S),
            device_id=where if where.type == "cuda" else None,
        )
    except Exception as exc:  # rendezvous: a wrong address, a port in use, a node that never came
        raise TrainingError(
            f"could not join the other processes ({backend}, "
            f"{os.environ.get('MASTER_ADDR')}:{os.environ.get('MASTER_PORT')}): {exc}"
        ) from None
    return ProcessGroup(env, backend, where)
