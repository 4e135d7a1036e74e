"""Whether a model fits this machine's memory, judged from parameter counts before allocating.

Two bounds, both against the memory this process may use (physical RAM, or a smaller cgroup
limit in a container; a GPU's own memory when training there):

* building: the fp32 weights alone. A node or model past it cannot even be constructed, so
  inference reports it as an error and ``check``, ``summary``, the app and ``train`` all see it.
* training: weights + gradients + the optimizer's state (Adam keeps two tensors per weight),
  checked by the Trainer before its first step. Activations come on top and depend on the batch
  size, so passing this check is necessary, not sufficient.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .errors import Problem

BYTES_PER_PARAM = 4  # nodeml builds fp32 weights
# tensors of optimizer state per trainable weight (momentum-free SGD keeps none)
_STATE_PER_WEIGHT = {"sgd": 0, "adam": 2, "adamw": 2, "rmsprop": 1, "adagrad": 1}
_CGROUP_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),  # cgroup v2
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),  # cgroup v1
)


@functools.cache
def machine_memory() -> int | None:
    """Bytes of memory this process may use, or None where the system does not say (Windows:
    then no size is refused). Read once: inference asks on every edit."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
    for path in _CGROUP_LIMITS:
        try:
            limit = int(path.read_text().strip())  # "max" (no limit) fails here
        except (OSError, ValueError):
            continue
        total = min(total, limit)
    return total


def format_bytes(n: float) -> str:
    """``32 GB``, ``1.5 TB``, ``600 MB`` (decimal units, as disks and memory sticks are sold)."""
    for size, unit in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")):
        if n >= size:
            value = n / size
            text = f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    return f"{int(n)} bytes"


def node_size_problem(node_id: str, params: int) -> Problem | None:
    """An error when one node's weights alone exceed the machine's memory."""
    memory = machine_memory()
    need = params * BYTES_PER_PARAM
    if memory is None or need <= memory:
        return None
    return Problem(
        "size",
        f"needs {format_bytes(need)} of parameters; this machine has {format_bytes(memory)} of "
        "memory",
        node=node_id,
    )


def model_size_problem(params: int) -> Problem | None:
    """An error when the whole model's weights exceed the machine's memory."""
    memory = machine_memory()
    need = params * BYTES_PER_PARAM
    if memory is None or need <= memory:
        return None
    return Problem(
        "size",
        f"the model needs {format_bytes(need)} of parameters ({params:,} at {BYTES_PER_PARAM} "
        f"bytes); this machine has {format_bytes(memory)} of memory",
    )


def training_memory_problem(
    params: int, trainable: int, optimizer: str, momentum: float, memory: int | None
) -> str | None:
    """Why training cannot fit in ``memory`` bytes (weights, gradients, optimizer state)."""
    slots = _STATE_PER_WEIGHT.get(optimizer, 2)
    if optimizer in ("sgd", "rmsprop") and momentum > 0:
        slots += 1
    weights = params * BYTES_PER_PARAM
    extra = trainable * BYTES_PER_PARAM * (1 + slots)
    if memory is None or weights + extra <= memory:
        return None
    state = f" and {optimizer}'s state" if slots else ""
    return (
        f"training needs {format_bytes(weights + extra)} for the weights ({format_bytes(weights)}), "
        f"their gradients{state}, before any activations; this machine has "
        f"{format_bytes(memory)} of memory. Make the model smaller, freeze layers, or use an "
        "optimizer that keeps less state (sgd without momentum keeps none)"
    )
