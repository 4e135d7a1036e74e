"""Follows a run folder while it trains: the per-node samples of its live feed, into a history.

``node_stats.csv`` is written once per epoch; the live feed (``events.jsonl``) carries every
sample as it is taken, from the run's first step, whoever trains it (the app's worker process,
``nodeml train`` in a terminal, rank 0 of a torchrun job). So a run under way is shown from its
feed, and a finished one from its csv (``NodeStatsHistory.load_run``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from .events import Finished
from .live import EventReader, RunFailed
from .node_stats_history import NodeStatsHistory, run_node_types
from .run_folder import EVENTS_FILE, RunStatus, effective_status, read_manifest

STATUS_EVERY_S = 5.0  # how often a quiet feed's run is checked for a process that died


class RunStatsFollower:
    """Feeds ``history`` the samples ``run`` writes, each ``poll``; ``over`` once it ended.

    Making one starts the history afresh for ``run`` (``begin_live``), with the node types of
    the run's ``graph.json`` (or ``types`` while that is not written yet). The run has ended
    when its feed says Finished or RunFailed, or when its folder says its process is gone
    (killed: no last word); the history then keeps what was sampled (``end_live``).
    """

    def __init__(
        self,
        history: NodeStatsHistory,
        run: str | os.PathLike[str],
        types: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.history, self.run = history, Path(run)
        self.reader = EventReader(self.run / EVENTS_FILE)
        self.over = False
        self._clock = clock
        self._checked_at = clock()
        history.begin_live(self.run, run_node_types(self.run) or types)

    def poll(self) -> int:
        """Read what the run wrote since the last call; returns how many samples were fed."""
        if self.over:
            return 0
        events = self.reader.read()
        fed = self.history.feed_many(events)
        if any(isinstance(e, Finished | RunFailed) for e in events):
            self._end()
        elif not events and self._clock() - self._checked_at >= STATUS_EVERY_S:
            self._checked_at = self._clock()
            manifest = read_manifest(self.run)
            if manifest is not None and effective_status(manifest) is not RunStatus.RUNNING:
                self.history.feed_many(self.reader.read())  # its last lines, if any came
                self._end()
        return fed

    def _end(self) -> None:
        self.over = True
        if self.history.run == self.run:  # still the one shown
            self.history.end_live()
