"""Each node's look while node health is shown, from the statistics history: a pure view-model."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from ...core.training.node_stats_history import NodeHealth, NodeStatsHistory
from ..editor.health_paint import HealthLook

SPARK_POINTS = 40  # samples a sparkline draws: the most recent

# the Theme field that colours each verdict
ROLES = {
    NodeHealth.NO_DATA: "health_none",
    NodeHealth.HEALTHY: "health_healthy",
    NodeHealth.VANISHING: "health_vanishing",
    NodeHealth.EXPLODING: "health_exploding",
    NodeHealth.DEAD_UNITS: "health_dead",
    NodeHealth.UPDATE_RATIO: "health_update",
}


def warning_word(health: NodeHealth) -> str:
    """The warning in a word or two, under a node's sparkline."""
    if health is NodeHealth.VANISHING:
        return QCoreApplication.translate("NodeStats", "vanishing")
    if health is NodeHealth.EXPLODING:
        return QCoreApplication.translate("NodeStats", "exploding")
    if health is NodeHealth.DEAD_UNITS:
        return QCoreApplication.translate("NodeStats", "dead units")
    if health is NodeHealth.UPDATE_RATIO:
        return QCoreApplication.translate("NodeStats", "update ratio")
    return ""


def health_look(store: NodeStatsHistory, node: str) -> HealthLook:
    """What the node shows: its health colour, the recent gradient norm (log scale) or zero
    fraction as a sparkline, and the latest value -- or the warning -- beside it."""
    health = store.health(node)
    if health is NodeHealth.NO_DATA:
        return HealthLook(ROLES[health], "", (), dashed=True)
    stat = store.sparkline_stat(node)
    values = store.tail(node, stat, SPARK_POINTS) if stat else ()
    known = [v for v in values if not math.isnan(v)]
    label = ""
    if stat == "grad_norm":
        points = _log_scaled(values)
        if known:
            template = QCoreApplication.translate("NodeStats", "grad {value:.1e}")
            label = template.format(value=known[-1])
    else:
        points = tuple(v if math.isnan(v) else min(max(v, 0.0), 1.0) for v in values)
        if known:
            template = QCoreApplication.translate("NodeStats", "{share:.0%} zero")
            label = template.format(share=known[-1])
    warning = health is not NodeHealth.HEALTHY
    if warning:
        label = warning_word(health)
    return HealthLook(ROLES[health], label, points, warning=warning)


def _log_scaled(values: tuple[float, ...]) -> tuple[float, ...]:
    """log10 of the positive finite values, spread over 0..1 (a flat line in the middle when
    they are all alike); anything else leaves a gap."""
    logs = [math.log10(v) if v > 0 and math.isfinite(v) else math.nan for v in values]
    known = [v for v in logs if not math.isnan(v)]
    if not known:
        return tuple(math.nan for _ in values)
    low, high = min(known), max(known)
    if high - low < 1e-9:
        return tuple(v if math.isnan(v) else 0.5 for v in logs)
    return tuple(v if math.isnan(v) else (v - low) / (high - low) for v in logs)
