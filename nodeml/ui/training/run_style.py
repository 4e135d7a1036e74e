"""How a run is drawn when compared: its key (the run folder), name and colour, shared by the
Runs panel (its swatch) and the curves (its overlay)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from ..theme import current_theme

# (dark theme, light theme) shades of one hue each; none is the live run's train blue, validation
# orange or learning-rate green, so a compared run never reads as the current one
RUN_COLORS: tuple[tuple[str, str], ...] = (
    ("#b39ddb", "#7e57c2"),  # purple
    ("#80cbc4", "#00897b"),  # teal
    ("#f48fb1", "#d81b60"),  # pink
    ("#dce775", "#9e9d24"),  # lime
    ("#ffe082", "#c79100"),  # amber
    ("#9fa8da", "#3949ab"),  # indigo
    ("#bcaaa4", "#6d4c41"),  # brown
    ("#ef9a9a", "#c62828"),  # red
)


@dataclass(frozen=True)
class RunStyle:
    """A run's legend name and curve colour (``#rrggbb``)."""

    name: str
    color: str


def run_color(index: int) -> str:
    """The colour of the ``index``-th run of a graph (oldest first), in the current theme's shade."""
    dark, light = RUN_COLORS[index % len(RUN_COLORS)]
    return dark if current_theme().dark else light


def run_key(path: str | os.PathLike[str]) -> str:
    """One spelling per run folder, so the panel, the curves and the session agree on a run."""
    text = os.fspath(path)
    return _resolved(text) if os.path.isabs(text) else os.path.normcase(str(Path(text).resolve()))


@functools.lru_cache(maxsize=4096)
def _resolved(path: str) -> str:
    # the Runs table asks for every cell it paints, and resolving walks the path on disk: a
    # live run's table repainted each second spent ~20 ms of the UI thread per second here
    return os.path.normcase(str(Path(path).resolve()))
