"""Per-node statistics in the main window: one history (``store``), the canvas toggle with its
legend and corner button, the curves under the Inspector, the health warnings in the Problems
panel, and the menu entries that load a run.

The training session shows a run live with one call, on the UI thread, once the run's folder
is known (before its first event or after, it reads the feed from the start)::

    window.node_stats_ui.follow_run(run_dir)

It follows ``run_dir/events.jsonl`` until the run says it ended (or its process is gone) and
needs nothing else. A session that reads the feed itself may instead call
``store.begin_live(run_dir)`` once, ``store.feed(event)`` with every event it reads (only
NodeStatsSampled is taken) and ``store.end_live()`` at the end -- not both ways at once.
``open_run(path)`` shows a past run (its ``node_stats.csv``), or follows it if it still trains.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QSplitter

from ...core.training.node_stats_follow import RunStatsFollower
from ...core.training.node_stats_history import NodeStatsFileError, NodeStatsHistory
from ...core.training.run_folder import RunStatus, effective_status, read_manifest, runs_root
from ..document import Document
from ..editor import EditorView
from ..inspector import Inspector
from ..problems import ProblemsList
from .curves import NodeCurves
from .overlay import HealthOverlay

# a followed run's statistics are read twice a second (a sample comes every k steps): more
# often would take CPU from the run on a machine whose cores all train (training.live_run)
FOLLOW_MS = 500
PROBLEMS_S = 0.5  # the Problems panel takes the health rules' verdicts at most twice a second


class NodeStatsFeature(QObject):
    """``store`` is the history; ``toggle_action`` shows node health on ``view``."""

    def __init__(
        self,
        window: QMainWindow,
        document: Document,
        view: EditorView,
        inspector: Inspector,
        problems: ProblemsList | None = None,
    ):
        super().__init__(window)
        self.window, self.document, self.view = window, document, view
        self.problems = problems
        self.store = NodeStatsHistory()
        self.follower: RunStatsFollower | None = None  # the run followed live, if any
        self._follow_timer = QTimer(self, interval=FOLLOW_MS)
        self._follow_timer.timeout.connect(self._poll)
        self.toggle_action = QAction(
            QCoreApplication.translate("NodeStats", "Show Node &Health"), window, checkable=True
        )
        self.toggle_action.setShortcut(QKeySequence("Ctrl+H"))
        self.toggle_action.setStatusTip(
            QCoreApplication.translate(
                "NodeStats",
                "Tint each node by how its gradients behave in training, with a sparkline of the "
                "gradient norm, and a legend",
            )
        )
        self.toggle_action.setToolTip(
            QCoreApplication.translate(
                "NodeStats", "Node health (Ctrl+H): tint nodes by their gradients"
            )
        )
        self.load_action = QAction(
            QCoreApplication.translate("NodeStats", "Load Statistics from &Run…"), window
        )
        self.load_action.setStatusTip(
            QCoreApplication.translate(
                "NodeStats", "Show the node statistics a past run recorded (node_stats.csv)"
            )
        )
        self.load_action.triggered.connect(lambda _checked=False: self.ask_run())
        self.clear_action = QAction(
            QCoreApplication.translate("NodeStats", "&Clear Statistics"), window
        )
        self.clear_action.setStatusTip(
            QCoreApplication.translate("NodeStats", "Forget the node statistics shown")
        )
        self.clear_action.triggered.connect(lambda _checked=False: self.clear())
        window.addAction(self.toggle_action)  # the shortcut works while a panel has focus

        self.overlay = HealthOverlay(view, self.store, self.toggle_action)
        self.curves = NodeCurves(self.store)
        self.inspector = inspector
        inspector.node_shown.connect(self._follow_inspector)
        document.reloaded.connect(self.clear)  # another graph: its own runs
        document.graph_event.connect(lambda _event: self._take_node_types())
        self._problems_timer = QTimer(self, singleShot=True)
        self._problems_timer.timeout.connect(self._tell_problems)
        self._told_at = -1e9
        self.store.changed.connect(lambda _store: self._store_changed())
        self._take_node_types()
        self._sync_actions()

    def add_menu(self, view_menu: QMenu) -> QMenu:
        """A "Node Health" submenu in the View menu: the toggle, load, clear."""
        menu = view_menu.addMenu(QCoreApplication.translate("NodeStats", "Node &Health"))
        menu.addAction(self.toggle_action)
        menu.addSeparator()
        menu.addAction(self.load_action)
        menu.addAction(self.clear_action)
        self.menu = menu
        return menu

    # ---- loading a run ------------------------------------------------------------------------
    def ask_run(self) -> bool:
        """Load → pick a run folder; its statistics are shown and the toggle turned on."""
        start = runs_root(self.document.path)
        if not start.is_dir():
            start = start.parent if start.parent.is_dir() else Path.home()
        chosen = QFileDialog.getExistingDirectory(
            self.window,
            QCoreApplication.translate("NodeStats", "Load node statistics from a run folder"),
            str(start),
        )
        return bool(chosen) and self.open_run(Path(chosen))

    def follow_run(self, run_dir: str | Path) -> None:
        """Show the run training in ``run_dir`` live: what it sampled so far, then each sample as
        it comes (from its ``events.jsonl``), on the canvas, in the Inspector's curves and in the
        Problems panel, until it ends; then what it sampled stays shown. Call on the UI thread;
        calling again (the next run) or ``open_run`` / ``clear`` lets go of the one before."""
        self._stop_following()
        types = {n.id: n.type for n in self.document.graph.nodes}  # until its graph.json is
        self.follower = RunStatsFollower(self.store, run_dir, types)
        self._poll()  # a run that has already ended is read whole and let go of here
        if self.follower is not None:
            self._follow_timer.start()

    def clear(self) -> None:
        """Show no statistics (another graph was opened, or the user asked)."""
        self._stop_following()
        self.store.clear()

    def _poll(self) -> None:
        follower = self.follower
        if follower is None:
            return
        follower.poll()
        if follower.over:
            self._stop_following()

    def _stop_following(self) -> None:
        self._follow_timer.stop()
        self.follower = None

    def open_run(self, path: str | Path) -> bool:
        """Show a run's node statistics on the canvas and in the Inspector: followed live while
        it trains, else read from its node_stats.csv; a dialog says why when that cannot be
        read (what was shown stays)."""
        manifest = read_manifest(path)
        if manifest is not None and effective_status(manifest) is RunStatus.RUNNING:
            self.follow_run(path)
            self.toggle_action.setChecked(True)
            text = QCoreApplication.translate(
                "NodeStats", "Following the node statistics of run “{run}” while it trains"
            )
            self.window.statusBar().showMessage(text.format(run=manifest.name), 5000)
            return True
        try:
            count = self.store.load_run(path)
        except NodeStatsFileError as exc:
            QMessageBox.warning(
                self.window,
                QCoreApplication.translate("NodeStats", "Cannot load node statistics"),
                str(exc),
            )
            return False
        if count == 0:
            text = QCoreApplication.translate(
                "NodeStats",
                "{run} recorded no statistics yet: its first sample comes with the first "
                "training step.",
            )
            QMessageBox.information(
                self.window,
                QCoreApplication.translate("NodeStats", "No node statistics"),
                text.format(run=Path(path).name),
            )
        self._stop_following()
        self.toggle_action.setChecked(True)
        text = QCoreApplication.translate(
            "NodeStats", "Node statistics of run “{run}”: {count} samples"
        )
        self.window.statusBar().showMessage(text.format(run=self.store.run_name, count=count), 5000)
        return True

    # ---- following the window -----------------------------------------------------------------
    def _follow_inspector(self, node: str | None) -> None:
        # inside a block the ids are the block's own: the statistics are of the model's nodes
        self.curves.set_node(None if self.inspector.in_block else node)

    def _take_node_types(self) -> None:
        """Fed live, the dead-units rule needs the trained graph's node types (the graph is
        read-only while it trains); a loaded run brought its own."""
        if self.store.run is None:
            self.store.set_node_types({n.id: n.type for n in self.document.graph.nodes})

    def _store_changed(self) -> None:
        self.clear_action.setEnabled(not self.store.empty)
        if self.problems is None or self._problems_timer.isActive():
            return
        wait = PROBLEMS_S - (time.monotonic() - self._told_at)
        self._problems_timer.start(max(0, int(wait * 1000)))

    def _tell_problems(self) -> None:
        """The health rules' verdicts, each naming its node, to the Problems panel."""
        self._told_at = time.monotonic()
        store = self.store
        if store.run is not None:
            text = (
                QCoreApplication.translate("NodeStats", "run “{run}”, training")
                if store.live
                else QCoreApplication.translate("NodeStats", "run “{run}”")
            )
            source = text.format(run=store.run_name)
        else:
            source = QCoreApplication.translate("NodeStats", "this training run")
        self.problems.set_health_warnings(store.warnings(), source)

    def _sync_actions(self) -> None:
        self.clear_action.setEnabled(not self.store.empty)


def install(
    window: QMainWindow, view_menu: QMenu, runs_panel: QObject | None = None
) -> NodeStatsFeature:
    """Wire node statistics into the main window: the View → Node Health menu, the curves under
    the Inspector (in one splitter with it), health warnings in the Problems panel, the Runs
    panel's "Node statistics" entry."""
    feature = NodeStatsFeature(
        window, window.document, window.navigation.root_view, window.inspector, window.problems
    )
    feature.add_menu(view_menu)
    dock = window.docks["inspector"]
    holder = QSplitter(Qt.Orientation.Vertical)
    holder.setObjectName("inspectorSplit")
    holder.setChildrenCollapsible(False)
    holder.addWidget(window.inspector)
    holder.addWidget(feature.curves)
    holder.setSizes([55, 45])  # shares of the dock's height; the user can drag the handle
    dock.setWidget(holder)
    if runs_panel is not None:
        runs_panel.node_stats_requested.connect(feature.open_run)
    return feature
