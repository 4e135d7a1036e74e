"""Live per-node statistics of a training run, sampled every k steps, as events and node_stats.csv.

``NodeStatsRecorder(trainer, run_dir)`` watches a Trainer's model from outside; neither the
generated code nor the training loop changes:

* activations (mean, std, fraction of exact zeros of each node's first output) are read during
  the sampled step's forward: from the generated forward's locals (see node_outputs), which covers
  functional nodes and Input nodes too, or, for a model nodeml did not generate or while another
  profiler is installed, from forward hooks on the model's children (module nodes only). Output
  nodes are not reported: they are their source node's value;
* gradients and weights in an optimizer step pre-hook (the gradient as applied: after clipping,
  unscaled under AMP), the update ‖Δw‖ / ‖w‖ in the post-hook, against a copy of the node's
  trained parameters taken for that one step. A node's parameters are the model's parameters
  under ``<node id>.``; a frozen node reports its weight norm only.

Between samples only the optimizer's two hooks run (a timestamp); the forward hooks are
registered one step ahead of a sample and removed after it. The first step of every epoch is
sampled, then every k steps, k chosen from measurement so that sampling costs ~1 % of training
time (``overhead``), or fixed with ``every``.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.utils.hooks import RemovableHandle

from ..events import Signal
from ..node_outputs import LocalsCapture, first_tensor, forward_values
from .events import EpochEnded, Failed, Finished, RunStarted
from .node_health import (
    MIN_SAMPLES,
    RELU_LIKE,
    STAT_NAMES,
    HealthChecked,
    HealthWarning,
    NodeStats,
    NodeStatsSampled,
    health_warnings,
)
from .trainer import Trainer

CSV_NAME = "node_stats.csv"
COLUMNS = ("epoch", "step", "node", *STAT_NAMES)
_TIMED_STEPS = 5  # plain steps timed before the interval is chosen
_MIN_EVERY = 10
_SECOND_SAMPLE_BY = 50
_MAX_EVERY = 5000
_MAX_PER_EPOCH = 50  # keeps node_stats.csv bounded on long epochs
_ACT_VALUES = 1 << 16  # activation statistics read at least this many values per node
_RELU_MODULES = (nn.ReLU, nn.ReLU6)


class _Sample:
    """One sampled step under way: the tensors are read back in one transfer at the end."""

    def __init__(self, epoch: int, step: int):
        self.epoch, self.step = epoch, step
        self.keys: list[tuple[str, str]] = []  # (node, stat) per value below
        self.values: list[torch.Tensor] = []
        # node -> (its trained parameters, a copy of them before the step, their norm)
        self.before: dict[str, tuple[list[nn.Parameter], list[torch.Tensor], torch.Tensor]] = {}
        self.stepped = False

    def add(self, node: str, stat: str, value: torch.Tensor) -> None:
        self.keys.append((node, stat))
        self.values.append(value.detach().float())  # float64 is not on every device (MPS)

    def result(self, order: list[str]) -> NodeStatsSampled:
        numbers = torch.stack(self.values).tolist() if self.values else []
        per: dict[str, dict[str, float]] = {}
        for (node, stat), v in zip(self.keys, numbers, strict=True):
            if stat == "update_ratio" and not math.isfinite(v):
                continue  # a weight that was all zeros (or already nan) has no ratio
            per.setdefault(node, {})[stat] = v
        nodes = {n: NodeStats(**per[n]) for n in order if n in per}
        return NodeStatsSampled(self.epoch, self.step, nodes)


class NodeStatsRecorder:
    """Samples per-node statistics of ``trainer``'s model while it trains; appends them to
    ``<path>/node_stats.csv`` (buffered, written after each epoch and at the end) when ``path``
    is given, emits ``sampled`` per sample, ``health_checked`` after each epoch and ``warned``
    once for each warning that newly holds (see node_health)."""

    def __init__(
        self,
        trainer: Trainer,
        path: str | Path | None = None,
        *,
        every: int | None = None,
        overhead: float = 0.01,
    ):
        if every is not None and every < 1:
            raise ValueError("every must be at least 1")
        self.trainer, self.model = trainer, trainer.model
        self.file = Path(path) / CSV_NAME if path is not None else None
        self.every, self.overhead = every, overhead
        types = _node_types(trainer.graph)
        inputs = [nid for nid, t in types.items() if t == "Input"]
        values = forward_values(self.model, inputs)
        self._capture = LocalsCapture(self.model, values)
        self._modules = dict(self.model.named_children())
        self._params: dict[str, list[nn.Parameter]] = {}
        for name, p in self.model.named_parameters():
            self._params.setdefault(name.split(".", 1)[0], []).append(p)
        self.order = list(dict.fromkeys([*(v.node for v in values), *self._modules, *self._params]))
        self.relu_like = {
            n
            for n in self.order
            if types.get(n) in RELU_LIKE or isinstance(self._modules.get(n), _RELU_MODULES)
        }

        self.sampled: Signal[NodeStatsSampled] = Signal()
        self.health_checked: Signal[HealthChecked] = Signal()
        self.warned: Signal[HealthWarning] = Signal()
        self.epoch_samples: list[NodeStatsSampled] = []  # the epoch under way, for the rules
        self._recent: deque[NodeStatsSampled] = deque(maxlen=MIN_SAMPLES)
        self.warnings: tuple[HealthWarning, ...] = ()  # what the last check found

        self._rows: list[str] = []
        self._sample: _Sample | None = None
        self._outputs: dict[str, Any] = {}
        self._forward_handles: list[RemovableHandle] = []
        self._child_handles: list[RemovableHandle] = []
        # the step to sample next (1-based); None until enough steps are timed to choose it
        self._next_step: int | None = 0
        self._last_sampled = 0
        self._last_tick: float | None = None
        self._plain: deque[float] = deque(maxlen=25)  # seconds per unsampled step
        self._costs: deque[float] = deque(maxlen=5)  # seconds spent in the hooks per sample
        self._spent = 0.0
        self._k = every
        self.seconds = 0.0  # spent sampling in this recorder's hooks, in all
        optimizer = trainer.optimizer
        self._optimizer_handles = [
            optimizer.register_step_pre_hook(self._before_step),
            optimizer.register_step_post_hook(self._after_step),
        ]
        trainer.started.connect(self._on_started)
        trainer.epoch_ended.connect(self._on_epoch)
        trainer.finished.connect(self._on_end)
        trainer.failed.connect(self._on_end)

    @property
    def interval(self) -> int | None:
        """Steps between samples now (besides each epoch's first step); None until measured."""
        return self._k

    def detach(self) -> None:
        """Stop watching: removes every hook and subscription; writes what is buffered."""
        self._disarm()
        for handle in self._optimizer_handles:
            handle.remove()
        self._optimizer_handles = []
        t = self.trainer
        for signal, slot in (
            (t.started, self._on_started),
            (t.epoch_ended, self._on_epoch),
            (t.finished, self._on_end),
            (t.failed, self._on_end),
        ):
            signal.disconnect(slot)
        self.flush()

    # ---- trainer events -----------------------------------------------------------------------
    def _on_started(self, event: RunStarted) -> None:
        self.epoch_samples, self._sample, self._last_tick = [], None, None
        self._next_step = None  # the first step is sampled; the rest are scheduled from it
        self._recent.clear()
        self._arm()

    def _on_epoch(self, event: EpochEnded) -> None:
        self._check(event.epoch)
        self.flush()
        self._last_tick = None  # the evaluation in between is not a training step
        self._arm()  # every epoch's first step is sampled

    def _on_end(self, event: Finished | Failed) -> None:
        if self._sample is not None:
            self._finish()  # a forward was seen but its step never came (a non-finite loss)
        self._disarm()
        if self.epoch_samples:
            self._check(self.epoch_samples[-1].epoch)
        self.flush()

    def _check(self, epoch: int) -> None:
        if not self.epoch_samples:
            return  # nothing new was seen
        window = self.epoch_samples
        if len(window) < MIN_SAMPLES:  # a short epoch: judged with the samples before it
            window = list(self._recent)
        found = tuple(health_warnings(window, self.relu_like))
        before = {(w.kind, w.node) for w in self.warnings}
        self.warnings, self.epoch_samples = found, []
        self.health_checked.emit(HealthChecked(epoch, found))
        for w in found:
            if (w.kind, w.node) not in before:
                self.warned.emit(w)

    # ---- hooks --------------------------------------------------------------------------------
    def _arm(self) -> None:
        if not self._forward_handles:
            self._forward_handles = [
                self.model.register_forward_pre_hook(self._before_forward),
                self.model.register_forward_hook(self._after_forward, always_call=True),
            ]

    def _disarm(self) -> None:
        self._capture.stop()
        for handle in self._forward_handles + self._child_handles:
            handle.remove()
        self._forward_handles, self._child_handles = [], []

    def _before_forward(self, module: nn.Module, args: Any) -> None:
        if not (module.training and torch.is_grad_enabled()):
            return  # evaluation and the preflight pass are not training steps
        started = time.perf_counter()
        if self._sample is not None:
            # the last sampled step never reached the optimizer (AMP skipped it); this forward's
            # own hooks must stay on to sample it instead
            self._finish(disarm=False)
        self._sample = _Sample(self.trainer.epoch, self.trainer.step + 1)
        self._spent = 0.0
        self._outputs = {}
        if not self._capture.start():
            for name, child in self._modules.items():
                self._child_handles.append(child.register_forward_hook(self._child_hook(name)))
        self._spent += time.perf_counter() - started

    def _child_hook(self, name: str) -> Callable[[nn.Module, Any, Any], None]:
        def hook(module: nn.Module, args: Any, output: Any) -> None:
            self._outputs[name] = output

        return hook

    def _after_forward(self, module: nn.Module, args: Any, output: Any) -> None:
        sample = self._sample
        if sample is None or not (module.training and torch.is_grad_enabled()):
            return
        started = time.perf_counter()
        self._capture.stop()
        for handle in self._child_handles:
            handle.remove()
        self._child_handles = []
        outputs = {n: v[0] for n, v in self._capture.by_node().items()} or self._outputs
        self._capture.locals, self._outputs = {}, {}
        with torch.no_grad():
            for node in self.order:
                t = first_tensor(outputs.get(node))
                if t is None or not t.is_floating_point() or t.numel() == 0:
                    continue
                t = _batch_prefix(t.detach())
                if t.dtype in (torch.float16, torch.bfloat16):
                    t = t.float()  # a sum of squares overflows half precision (AMP)
                n = t.numel()
                # two passes of plain sums: std_mean's Welford loop is ~20x slower on a CPU
                mean = t.mean()
                sample.add(node, "act_mean", mean)
                sample.add(node, "act_std", torch.linalg.vector_norm(t - mean) / math.sqrt(n))
                sample.add(node, "act_zero_frac", 1.0 - t.bool().sum() / n)
        self._spent += time.perf_counter() - started

    def _before_step(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        sample = self._sample
        if sample is None or sample.step != self.trainer.step + 1:
            return
        started = time.perf_counter()
        with torch.no_grad():
            for node, params in self._params.items():
                trained = [p for p in params if p.grad is not None]
                frozen = [p for p in params if p.grad is None]
                weight = _norm(trained) if trained else None
                if weight is not None and frozen:
                    sample.add(node, "weight_norm", _norm([weight, *frozen]))
                else:
                    sample.add(node, "weight_norm", weight if weight is not None else _norm(frozen))
                if weight is not None:
                    sample.add(node, "grad_norm", _norm([p.grad for p in trained]))  # type: ignore[misc]
                    sample.before[node] = (trained, [p.detach().clone() for p in trained], weight)
        sample.stepped = True
        self._spent += time.perf_counter() - started

    def _after_step(self, optimizer: Any, args: Any, kwargs: Any) -> None:
        now = time.perf_counter()
        sample = self._sample
        if sample is None or not sample.stepped or sample.step != self.trainer.step + 1:
            if self._last_tick is not None:
                self._plain.append(now - self._last_tick)
        else:
            with torch.no_grad():
                for node, (params, before, weight) in sample.before.items():
                    for p, b in zip(params, before, strict=True):
                        b.sub_(p)  # the copy becomes the change: no second allocation
                    sample.add(node, "update_ratio", _norm(before) / weight)
            sample.before = {}
            self._spent += time.perf_counter() - now
            self._finish()
        if self._next_step is None:
            self._schedule()
        if self._next_step is not None and self.trainer.step + 2 >= self._next_step:
            self._arm()
        self._last_tick = time.perf_counter()

    # ---- a finished sample ----------------------------------------------------------------------
    def _finish(self, disarm: bool = True) -> None:
        sample, self._sample = self._sample, None
        if disarm:
            self._disarm()
        if sample is None:
            return
        if self.trainer.device.type == "cuda":
            torch.cuda.synchronize(self.trainer.device)  # the step's kernels are not our cost
        started = time.perf_counter()
        result = sample.result(self.order)
        self.epoch_samples.append(result)
        self._recent.append(result)
        if self.file is not None:
            self._rows.append(_csv_rows(result))
        self._spent += time.perf_counter() - started
        self.seconds += self._spent
        self._costs.append(self._spent)
        self._last_sampled, self._next_step = sample.step, None
        self._schedule()
        self.sampled.emit(result)

    def _schedule(self) -> None:
        """Choose the next sampled step once the plain steps have been timed."""
        if self.every is None:
            if len(self._plain) < _TIMED_STEPS:
                return
            # Lower quartiles of both, since on a shared machine a delay only ever adds time,
            # and one sample's warm-up (its ops' first calls) is no typical cost.
            step = sorted(self._plain)[len(self._plain) // 4]
            cost = sorted(self._costs)[len(self._costs) // 4]
            self._k = sampling_interval(cost, step, self.overhead, self.trainer.steps_per_epoch)
            if len(self._costs) < 2:  # a run's first sample pays its ops' warm-up: measure again
                self._k = min(self._k, _SECOND_SAMPLE_BY)
        self._next_step = self._last_sampled + (self._k or 1)

    def flush(self) -> None:
        """Append the buffered rows to node_stats.csv (the header first in a new file)."""
        if self.file is None or not self._rows:
            return
        new = not self.file.exists() or self.file.stat().st_size == 0
        with self.file.open("a", encoding="utf-8", newline="") as f:
            f.write(("" if not new else ",".join(COLUMNS) + "\n") + "".join(self._rows))
        self._rows = []


def sampling_interval(
    sample_cost: float, step_time: float, overhead: float, steps_per_epoch: int
) -> int:
    """Steps between samples so that a sample's extra seconds are ``overhead`` of the training
    time; at least 10 steps, and at most ~50 samples per epoch so node_stats.csv stays small."""
    k = math.ceil(sample_cost / max(overhead * step_time, 1e-12))
    floor = max(_MIN_EVERY, math.ceil(steps_per_epoch / _MAX_PER_EPOCH))
    return min(max(k, floor), _MAX_EVERY)


def _node_types(graph: dict[str, Any] | None) -> dict[str, str]:
    """Node id -> type from the graph JSON the Trainer keeps (empty without one)."""
    nodes = (graph or {}).get("nodes") or []
    return {
        str(n["id"]): str(n["type"])
        for n in nodes
        if isinstance(n, dict) and "id" in n and "type" in n
    }


def _batch_prefix(t: torch.Tensor) -> torch.Tensor:
    """The first samples of a batch, at least ``_ACT_VALUES`` values (or one whole sample): the
    batch is shuffled, so they estimate the statistics closely at a fraction of the cost."""
    if t.dim() == 0 or t.numel() <= _ACT_VALUES:
        return t
    per_sample = max(1, t[0].numel())
    return t[: max(1, math.ceil(_ACT_VALUES / per_sample))]


def _norm(tensors: list[torch.Tensor]) -> torch.Tensor:
    """The L2 norm of several tensors taken as one vector (sparse gradients included); half
    precision is summed in float32 so it cannot overflow."""
    parts = []
    for t in tensors:
        t = t.coalesce().values() if t.is_sparse else t
        wide = torch.float32 if t.dtype in (torch.float16, torch.bfloat16) else None
        parts.append(torch.linalg.vector_norm(t, dtype=wide))
    return torch.linalg.vector_norm(torch.stack(parts))


def _csv_rows(sample: NodeStatsSampled) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for node, stats in sample.nodes.items():
        cells = ["" if v is None else f"{v:.6g}" for v in stats.values()]
        writer.writerow([sample.epoch + 1, sample.step, node, *cells])
    return out.getvalue()
