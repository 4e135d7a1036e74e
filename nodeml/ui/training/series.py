"""Growable x/y buffers for plotted curves, and the debiased EMA that smooths a loss curve."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class Series:
    """Points appended in chunks; ``x``/``y`` are views of the filled part (no copy per redraw).

    Capacity doubles when full, so appending 100k points costs ~17 reallocations in all.
    """

    def __init__(self, capacity: int = 1024):
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def extend(self, xs: Iterable[float], ys: Iterable[float]) -> None:
        x = np.asarray(list(xs) if not isinstance(xs, np.ndarray) else xs, dtype=np.float64)
        y = np.asarray(list(ys) if not isinstance(ys, np.ndarray) else ys, dtype=np.float64)
        need = self.n + len(x)
        if need > len(self._x):
            size = max(need, 2 * len(self._x))
            self._x = np.resize(self._x, size)
            self._y = np.resize(self._y, size)
        self._x[self.n : need] = x
        self._y[self.n : need] = y
        self.n = need

    def append(self, x: float, y: float) -> None:
        self.extend((x,), (y,))

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]

    def clear(self) -> None:
        self.n = 0


class EMA:
    """TensorBoard-style smoothing: an exponential moving average corrected for its zero start,
    so the first points are not dragged towards 0. Non-finite values are skipped."""

    def __init__(self, weight: float = 0.95):
        self.weight = weight
        self._num = 0.0
        self._den = 0.0

    def reset(self) -> None:
        self._num = self._den = 0.0

    def smooth(self, values: Iterable[float]) -> np.ndarray:
        """The smoothed value after each of ``values`` (continuing from earlier calls)."""
        w, num, den = self.weight, self._num, self._den
        out = []
        for v in values:
            if np.isfinite(v):
                num = w * num + (1.0 - w) * v
                den = w * den + (1.0 - w)
            out.append(num / den if den else np.nan)
        self._num, self._den = num, den
        return np.asarray(out, dtype=np.float64)
