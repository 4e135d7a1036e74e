"""Per-node training statistics as data, and the health rules that turn them into warnings.

The rules, each judged per node over the samples of one epoch (``health_warnings``; the
recorder passes at least the last ``MIN_SAMPLES`` samples when an epoch had fewer):

* vanishing gradient: a trainable node's gradient norm is below 1e-7 at every sample;
* exploding gradient: its gradient norm grows 1,000-fold from one sample to a later one, or
  becomes inf / nan (this one needs no minimum of samples);
* dead units: a ReLU-like node (ReLU, ReLU6) outputs > 90 % exact zeros on average;
* update ratio: ‖Δw‖ / ‖w‖ of the optimizer step stays outside [1e-5, 1e-1] at every sample
  (the rule of thumb is ~1e-3; Adam at lr 1e-3 gives 1e-3..5e-2 on small layers, so the band is
  wide enough that a healthy run stays inside it and narrow enough to catch an lr off by 100x).

The rules that ask for "every sample" or an average wait for ``MIN_SAMPLES`` samples: one sample
is not an epoch, and Adam's very first step moves every weight by the full learning rate.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from enum import Enum

VANISHING_BELOW = 1e-7
EXPLODING_GROWTH = 1e3
DEAD_ABOVE = 0.9
UPDATE_RATIO_BAND = (1e-5, 1e-1)
MIN_SAMPLES = 3
RELU_LIKE = frozenset({"ReLU", "ReLU6"})  # outputs exact zeros for every negative input


@dataclass(frozen=True)
class NodeStats:
    """One node at one sampled step; None where a value does not apply (no parameters, an
    integer output, a frozen node) or was not seen."""

    act_mean: float | None = None  # of the node's output (its first output port)
    act_std: float | None = None  # population std (correction 0) over all its elements
    act_zero_frac: float | None = None  # fraction of exact zeros
    grad_norm: float | None = None  # L2 norm of all its parameters' gradients, as applied
    weight_norm: float | None = None  # L2 norm of all its parameters before the step
    update_ratio: float | None = None  # ‖w_after − w_before‖ / ‖w_before‖ of the trained ones

    def values(self) -> tuple[float | None, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))


STAT_NAMES = tuple(f.name for f in fields(NodeStats))


@dataclass(frozen=True)
class NodeStatsSampled:
    """The live feed: every node's statistics at one sampled training step."""

    epoch: int  # 0-based, as in the Trainer's events
    step: int  # the global optimizer step (1-based) whose forward, backward and update were seen
    nodes: dict[str, NodeStats]  # in forward order


class HealthKind(Enum):
    VANISHING = "vanishing gradient"
    EXPLODING = "exploding gradient"
    DEAD_UNITS = "dead units"
    UPDATE_RATIO = "update ratio"


@dataclass(frozen=True)
class HealthWarning:
    kind: HealthKind
    node: str
    epoch: int  # 0-based
    message: str  # what was seen and what to try; does not repeat the node id

    def __str__(self) -> str:
        return f"{self.node}: {self.kind.value}: {self.message}"


@dataclass(frozen=True)
class HealthChecked:
    """Emitted after each epoch (and when a run ends part-way): every warning that holds now,
    so a Problems panel can replace its list; empty when all is well."""

    epoch: int
    warnings: tuple[HealthWarning, ...]


def health_warnings(
    samples: Sequence[NodeStatsSampled], relu_like: Collection[str] = ()
) -> list[HealthWarning]:
    """The warnings the samples of one epoch raise, node by node in forward order."""
    if not samples:
        return []
    epoch = samples[-1].epoch
    span = f"{len(samples)} samples (steps {samples[0].step}-{samples[-1].step})"
    enough = len(samples) >= MIN_SAMPLES
    nodes = list(dict.fromkeys(n for s in samples for n in s.nodes))
    out: list[HealthWarning] = []
    for node in nodes:
        seen = [s.nodes[node] for s in samples if node in s.nodes]
        grads = [(s.step, s.nodes[node].grad_norm) for s in samples if node in s.nodes]
        grads = [(step, g) for step, g in grads if g is not None]
        found = [_exploding(grads)]
        if enough:
            vanishing = _vanishing([g for _, g in grads], span)
            found.append(vanishing)
            if node in relu_like:
                found.append(_dead([v.act_zero_frac for v in seen], span))
            if vanishing is None:  # with no gradient, a tiny update is the symptom, not the cause
                found.append(_update_ratio([v.update_ratio for v in seen], span))
        out += [HealthWarning(kind, node, epoch, msg) for kind, msg in filter(None, found)]
    return out


def _exploding(grads: list[tuple[int, float]]) -> tuple[HealthKind, str] | None:
    for step, g in grads:
        if not math.isfinite(g):
            return HealthKind.EXPLODING, (
                f"the gradient norm became {g} at step {step}; lower the learning rate or set "
                "training.grad_clip (e.g. 1.0)"
            )
    low = math.inf
    for step, g in grads:
        if g > 0 and low < math.inf and g / low >= EXPLODING_GROWTH:
            return HealthKind.EXPLODING, (
                f"the gradient norm grew {g / low:,.0f}-fold (from {low:.3g} to {g:.3g} at "
                f"step {step}); lower the learning rate or set "
                "training.grad_clip (e.g. 1.0)"
            )
        if g > 0:
            low = min(low, g)
    return None


def _vanishing(grads: list[float], span: str) -> tuple[HealthKind, str] | None:
    if grads and all(g < VANISHING_BELOW for g in grads):
        return HealthKind.VANISHING, (
            f"the gradient norm stayed below {VANISHING_BELOW:g} (at most {max(grads):.2g}) in "
            f"{span}, so its weights barely learn; look "
            "for saturating activations (stacked Sigmoid / Tanh), a poor initialisation, or add "
            "normalisation or a residual connection"
        )
    return None


def _dead(fracs: list[float | None], span: str) -> tuple[HealthKind, str] | None:
    known = [f for f in fracs if f is not None]
    if known and statistics.fmean(known) > DEAD_ABOVE:
        return HealthKind.DEAD_UNITS, (
            f"{statistics.fmean(known):.0%} of its outputs were exactly zero (mean of {span}), "
            "so most units pass no gradient; check the bias or "
            "initialisation of the layer before it, lower the learning rate, or try LeakyReLU"
        )
    return None


def _update_ratio(ratios: list[float | None], span: str) -> tuple[HealthKind, str] | None:
    known = [r for r in ratios if r is not None and math.isfinite(r)]
    low, high = UPDATE_RATIO_BAND
    if not known:
        return None
    middle = statistics.median(known)
    if all(r > high for r in known):
        return HealthKind.UPDATE_RATIO, (
            f"each step changed its weights by {middle:.2g} of their size (median of {span}; "
            f"healthy is ~1e-3, warned above "
            f"{high:g}); the learning rate is likely too high for it"
        )
    if all(r < low for r in known):
        return HealthKind.UPDATE_RATIO, (
            f"each step changed its weights by only {middle:.2g} of their size (median of "
            f"{span}; healthy is ~1e-3, warned below "
            f"{low:g}); the learning rate is likely too low for it, or its gradient too small"
        )
    return None
