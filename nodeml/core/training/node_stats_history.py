"""Per-node statistics over a run's steps, fed live or read from node_stats.csv, with each node's health.

``NodeStatsHistory`` is what the canvas tint, the sparklines and the Inspector's curves read. It
is filled either live, one :class:`NodeStatsSampled` at a time (``feed``), or from a past run's
folder (``load_run``: its ``node_stats.csv``, and its ``graph.json`` for the node types); both
give the same series and the same health.

Health is judged by the core's own rules (``node_health.health_warnings``) on the samples of the
epoch under way, padded with the samples just before it when it has fewer than ``MIN_SAMPLES``
-- what the recorder would conclude if the epoch ended now. Memory stays bounded on long runs:
each series keeps at most ``capacity`` samples; past that, every other sample of the older half
is dropped, so recent steps stay at full resolution and older ones thin out; the health rules
see at most ``epoch_window`` samples of one epoch (the recorder's own interval gives ~50).
"""

from __future__ import annotations

import csv
import math
import os
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from ..events import Signal
from .node_health import (
    MIN_SAMPLES,
    RELU_LIKE,
    STAT_NAMES,
    HealthKind,
    HealthWarning,
    NodeStats,
    NodeStatsSampled,
    health_warnings,
)
from .run_folder import read_manifest
from .run_registry import RunFolderError, read_json

CSV_NAME = "node_stats.csv"  # the recorder's file name (node_stats.py imports torch; this does not)
CSV_COLUMNS = ("epoch", "step", "node", *STAT_NAMES)
NAN = float("nan")


class NodeHealth(Enum):
    """What the canvas tints a node by: no data yet, healthy, or its most urgent warning."""

    NO_DATA = "no data"
    HEALTHY = "healthy"
    EXPLODING = "exploding gradient"
    VANISHING = "vanishing gradient"
    DEAD_UNITS = "dead units"
    UPDATE_RATIO = "update ratio"

    @classmethod
    def of_kind(cls, kind: HealthKind) -> NodeHealth:
        return cls[kind.name]


# a node with several warnings is tinted by the first of these it has
URGENCY = (
    NodeHealth.EXPLODING,
    NodeHealth.VANISHING,
    NodeHealth.DEAD_UNITS,
    NodeHealth.UPDATE_RATIO,
)


class NodeStatsFileError(RunFolderError):
    """node_stats.csv cannot be read; the message names the file, the line and the column."""


@dataclass(frozen=True)
class StatSeries:
    """One statistic of one node: the sampled steps and the values (nan where none was seen)."""

    steps: tuple[int, ...]
    values: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.steps)

    def known(self) -> list[tuple[int, float]]:
        """(step, value) where a value was seen."""
        return [(s, v) for s, v in zip(self.steps, self.values, strict=True) if not math.isnan(v)]


class _Held:
    """The samples held: one step axis shared by every node's series, and the health window."""

    def __init__(self, capacity: int, epoch_window: int):
        self.capacity = capacity
        self.steps = array("q")
        self.epochs = array("q")
        self.values: dict[str, dict[str, array]] = {}  # node -> stat -> values
        self.epoch_samples: deque[NodeStatsSampled] = deque(maxlen=epoch_window)
        self.recent: deque[NodeStatsSampled] = deque(maxlen=MIN_SAMPLES)
        self.seen = 0  # every sample added, thinned out or not

    def add(self, sample: NodeStatsSampled) -> None:
        n = len(self.steps)
        self.steps.append(sample.step)
        self.epochs.append(sample.epoch)
        for node, columns in self.values.items():
            stats = sample.nodes.get(node)
            for name, values in columns.items():
                values.append(_number(getattr(stats, name)) if stats is not None else NAN)
        for node, stats in sample.nodes.items():
            if node not in self.values:
                self.values[node] = {
                    name: array("d", [NAN] * n + [_number(getattr(stats, name))])
                    for name in STAT_NAMES
                }
        if self.epoch_samples and self.epoch_samples[-1].epoch != sample.epoch:
            self.epoch_samples.clear()
        self.epoch_samples.append(sample)
        self.recent.append(sample)
        self.seen += 1
        if len(self.steps) > self.capacity:
            self._thin()

    def _thin(self) -> None:
        """Drop every other sample of the older half (the first one stays)."""
        half = len(self.steps) // 2
        keep = [*range(0, half, 2), *range(half, len(self.steps))]

        def thinned(values: array) -> array:
            return array(values.typecode, (values[i] for i in keep))

        self.steps, self.epochs = thinned(self.steps), thinned(self.epochs)
        for columns in self.values.values():
            for name in columns:
                columns[name] = thinned(columns[name])

    def window(self) -> list[NodeStatsSampled]:
        """The samples the health rules judge: the epoch under way, or the last few."""
        if len(self.epoch_samples) >= MIN_SAMPLES:
            return list(self.epoch_samples)
        return list(self.recent)  # a new epoch: judged with the samples before it


class NodeStatsHistory:
    """The statistics of one run, node by node; ``changed`` is emitted after every change.

    Call ``begin_live`` when a run starts and ``feed`` with each of its live events (only
    NodeStatsSampled changes anything), ``end_live`` when it ends; ``load_run`` to show a past
    run, ``clear`` to show nothing. Not thread-safe: call from one thread.
    """

    def __init__(self, capacity: int = 1000, epoch_window: int = 100):
        if capacity < 4 * MIN_SAMPLES or epoch_window < MIN_SAMPLES:
            raise ValueError("capacity or epoch_window too small for the health rules")
        self.capacity, self.epoch_window = capacity, epoch_window
        self.changed: Signal[NodeStatsHistory] = Signal()
        self.relu_like: frozenset[str] = frozenset()
        self.run: Path | None = None  # the run folder shown (loaded or followed), if any
        self.live = False  # samples are still coming (a run trains); False once it ended
        self.run_name: str | None = None  # the run's name (run.json), for people
        self.version = 0  # grows with every change: a view compares it to skip work
        self._held = _Held(capacity, epoch_window)
        self._warnings: list[HealthWarning] | None = None

    # ---- filling ------------------------------------------------------------------------------
    def begin_live(
        self, run: str | os.PathLike[str] | None = None, types: Mapping[str, str] | None = None
    ) -> None:
        """A run starts: forget what was shown and take its samples as they come (``feed``).
        ``run`` is its folder when known (the legend names it); ``types`` (node id -> type)
        tell the dead-units rule which nodes are ReLU-like (else those set before stay)."""
        self._held = _Held(self.capacity, self.epoch_window)
        self.run, self.live = (Path(run) if run is not None else None), True
        self.run_name = run_name(self.run) if self.run is not None else None
        if types is not None:
            self.relu_like = _relu_like(types)
        self._changed()

    def end_live(self) -> None:
        """The run ended (finished, stopped or failed): what it sampled stays shown."""
        if self.live:
            self.live = False
            self._changed()

    def feed(self, event: Any) -> bool:
        """Take one live event; True when it changed the history (a NodeStatsSampled).

        Runs are never mixed: a sample that comes while no run is live (a loaded run or an
        ended one is shown), or whose step is not after the last one (another run started
        without ``begin_live``), starts the history afresh."""
        return self.feed_many((event,)) == 1

    def feed_many(self, events: Iterable[Any]) -> int:
        """Several events, one ``changed``; returns how many were samples."""
        n = 0
        for event in events:
            if not isinstance(event, NodeStatsSampled):
                continue
            steps = self._held.steps
            if not self.live or (steps and event.step <= steps[-1]):
                self._held = _Held(self.capacity, self.epoch_window)
                self.run, self.run_name, self.live = None, None, True
            self._held.add(event)
            n += 1
        if n:
            self._changed()
        return n

    def clear(self) -> None:
        """Forget everything (another graph is opened, the user cleared it)."""
        self.run, self.run_name, self.live = None, None, False
        self._held = _Held(self.capacity, self.epoch_window)
        self._changed()

    def set_node_types(self, types: Mapping[str, str]) -> None:
        """Node id -> type of the graph being trained: which nodes the dead-units rule judges."""
        relu_like = _relu_like(types)
        if relu_like != self.relu_like:
            self.relu_like = relu_like
            self._changed()

    def load_run(self, path: str | os.PathLike[str]) -> int:
        """Show a past run: its ``node_stats.csv``, the node types from its ``graph.json``.
        Returns the number of samples read; NodeStatsFileError says why the file cannot be read
        (what was shown before stays)."""
        folder = Path(path)
        held = _Held(self.capacity, self.epoch_window)
        for sample in read_node_stats(folder / CSV_NAME):
            held.add(sample)
        types = run_node_types(folder)
        self._held, self.run, self.relu_like = held, folder, _relu_like(types)
        self.run_name, self.live = run_name(folder), False
        self._changed()
        return held.seen

    def _changed(self) -> None:
        self._warnings = None
        self.version += 1
        self.changed.emit(self)

    # ---- reading ------------------------------------------------------------------------------
    @property
    def sample_count(self) -> int:
        """Samples held now (at most ``capacity``)."""
        return len(self._held.steps)

    @property
    def samples_seen(self) -> int:
        """Samples fed (or read) since the last clear, thinned out or not."""
        return self._held.seen

    @property
    def empty(self) -> bool:
        return not self._held.steps

    @property
    def last_step(self) -> int | None:
        return self._held.steps[-1] if self._held.steps else None

    @property
    def last_epoch(self) -> int | None:
        """0-based, as in the live events."""
        return self._held.epochs[-1] if self._held.epochs else None

    def nodes(self) -> list[str]:
        """Every node seen, in the order first seen (forward order)."""
        return list(self._held.values)

    def has(self, node: str) -> bool:
        return node in self._held.values

    def series(self, node: str, stat: str) -> StatSeries:
        """One statistic of one node over the samples held; empty for a node never seen."""
        if stat not in STAT_NAMES:
            raise KeyError(f"no statistic {stat!r} (the statistics: {', '.join(STAT_NAMES)})")
        columns = self._held.values.get(node)
        if columns is None:
            return StatSeries((), ())
        return StatSeries(tuple(self._held.steps), tuple(columns[stat]))

    def tail(self, node: str, stat: str, points: int) -> tuple[float, ...]:
        """The last ``points`` values of one statistic (nan where not seen)."""
        columns = self._held.values.get(node)
        if columns is None or points <= 0:
            return ()
        return tuple(columns[stat][-points:])

    def latest(self, node: str) -> NodeStats | None:
        """The node's statistics in the last sample that had it."""
        for sample in reversed(self._held.recent):
            if node in sample.nodes:
                return sample.nodes[node]
        columns = self._held.values.get(node)
        for i in range(len(self._held.steps) - 1, -1, -1) if columns else ():
            row = {name: columns[name][i] for name in STAT_NAMES}
            if any(not math.isnan(v) for v in row.values()):
                return NodeStats(**{k: None if math.isnan(v) else v for k, v in row.items()})
        return None

    def sparkline_stat(self, node: str) -> str | None:
        """What a node's sparkline draws: its gradient norm when it has one (a trained layer),
        else the fraction of zeros of its output; None when neither was seen."""
        columns = self._held.values.get(node)
        for stat in ("grad_norm", "act_zero_frac") if columns else ():
            if any(not math.isnan(v) for v in columns[stat]):
                return stat
        return None

    def warnings(self, node: str | None = None) -> list[HealthWarning]:
        """What the health rules say now, of every node or of one."""
        if self._warnings is None:
            self._warnings = health_warnings(self._held.window(), self.relu_like)
        if node is None:
            return list(self._warnings)
        return [w for w in self._warnings if w.node == node]

    def health(self, node: str) -> NodeHealth:
        if node not in self._held.values:
            return NodeHealth.NO_DATA
        found = {NodeHealth.of_kind(w.kind) for w in self.warnings(node)}
        return next((h for h in URGENCY if h in found), NodeHealth.HEALTHY)

    def health_by_node(self) -> dict[str, NodeHealth]:
        return {node: self.health(node) for node in self._held.values}


def run_name(folder: Path) -> str:
    """What a run is called (its run.json's name), or its folder's name."""
    manifest = read_manifest(folder)
    return manifest.name if manifest is not None and manifest.name else folder.name


def run_node_types(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Node id -> type of the graph a run trained (its ``graph.json``); empty when unreadable."""
    graph = read_json(folder, "graph.json") or {}
    nodes = graph.get("nodes")
    return {
        str(n["id"]): str(n["type"])
        for n in (nodes if isinstance(nodes, list) else [])
        if isinstance(n, dict) and "id" in n and "type" in n
    }


def read_node_stats(path: str | os.PathLike[str]) -> Iterator[NodeStatsSampled]:
    """node_stats.csv as the samples the recorder emitted, one at a time (epochs 0-based again,
    as in the live events; the rows of one step are one sample). NodeStatsFileError names the
    line at fault."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            yield from _samples(path, csv.reader(f))
    except FileNotFoundError:
        raise NodeStatsFileError(
            f"{path.parent.name} has no {CSV_NAME}: the run was trained without node "
            "statistics (--no-node-stats) or before nodeml recorded them"
        ) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise NodeStatsFileError(f"cannot read {path}: {exc}") from None


def _samples(path: Path, rows: Iterator[list[str]]) -> Iterator[NodeStatsSampled]:
    header = next(rows, None)
    if header is None:
        return
    header = [h.strip() for h in header]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise NodeStatsFileError(
            f"{path}, line 1: no column {', '.join(missing)} (a node_stats.csv has the columns "
            f"{', '.join(CSV_COLUMNS)})"
        )
    where = {c: header.index(c) for c in CSV_COLUMNS}
    key: tuple[int, int] | None = None
    nodes: dict[str, NodeStats] = {}
    for line, row in enumerate(rows, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise NodeStatsFileError(
                f"{path}, line {line}: {len(row)} cells where the header has {len(header)}"
            )
        epoch = _whole(path, line, "epoch", row[where["epoch"]])
        step = _whole(path, line, "step", row[where["step"]])
        if key is not None and (epoch - 1, step) != key:
            yield NodeStatsSampled(key[0], key[1], nodes)
            nodes = {}
        key = (epoch - 1, step)
        values = {c: _cell(path, line, c, row[where[c]]) for c in STAT_NAMES}
        nodes[row[where["node"]]] = NodeStats(**values)
    if key is not None:
        yield NodeStatsSampled(key[0], key[1], nodes)


def _whole(path: Path, line: int, column: str, text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise NodeStatsFileError(
            f"{path}, line {line}, column {column}: {text!r} is not a whole number"
        ) from None
    if value < 1:
        raise NodeStatsFileError(f"{path}, line {line}, column {column}: {value} is below 1")
    return value


def _cell(path: Path, line: int, column: str, text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)  # "nan" and "inf" are numbers a diverging run really writes
    except ValueError:
        raise NodeStatsFileError(
            f"{path}, line {line}, column {column}: {text!r} is not a number"
        ) from None


def _number(value: float | None) -> float:
    return NAN if value is None else float(value)


def _relu_like(types: Mapping[str, str]) -> frozenset[str]:
    return frozenset(n for n, t in types.items() if t in RELU_LIKE)
