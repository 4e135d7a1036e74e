"""Per-node statistics in the main window: one history (``store``), the canvas toggle with its
legend and corner button, the curves under the Inspector, and the menu entries that load a run.

What feeds it (the training session) calls, on the UI thread:

* ``store.clear()`` when a run starts, so the canvas shows that run only;
* ``store.feed(event)`` with every live event (NodeStatsSampled is taken, the rest ignored);
* ``open_run(path)`` (or ``store.load_run(path)``, which raises instead of saying why) to show
  a past run's ``node_stats.csv``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QSplitter

from ...core.training.node_stats_history import NodeStatsFileError, NodeStatsHistory
from ...core.training.run_folder import runs_root
from ..document import Document
from ..editor import EditorView
from ..inspector import Inspector
from .curves import NodeCurves
from .overlay import HealthOverlay


class NodeStatsFeature(QObject):
    """``store`` is the history; ``toggle_action`` shows node health on ``view``."""

    def __init__(
        self,
        window: QMainWindow,
        document: Document,
        view: EditorView,
        inspector: Inspector,
    ):
        super().__init__(window)
        self.window, self.document, self.view = window, document, view
        self.store = NodeStatsHistory()
        self.toggle_action = QAction("Show Node &Health", window, checkable=True)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+H"))
        self.toggle_action.setStatusTip(
            "Tint each node by how its gradients behave in training, with a sparkline of the "
            "gradient norm, and a legend"
        )
        self.toggle_action.setToolTip("Node health (Ctrl+H): tint nodes by their gradients")
        self.load_action = QAction("Load Statistics from &Run…", window)
        self.load_action.setStatusTip(
            "Show the node statistics a past run recorded (node_stats.csv)"
        )
        self.load_action.triggered.connect(lambda _checked=False: self.ask_run())
        self.clear_action = QAction("&Clear Statistics", window)
        self.clear_action.setStatusTip("Forget the node statistics shown")
        self.clear_action.triggered.connect(lambda _checked=False: self.store.clear())
        window.addAction(self.toggle_action)  # the shortcut works while a panel has focus

        self.overlay = HealthOverlay(view, self.store, self.toggle_action)
        self.curves = NodeCurves(self.store)
        self.inspector = inspector
        inspector.node_shown.connect(self._follow_inspector)
        document.reloaded.connect(self.store.clear)  # another graph: its own runs
        document.graph_event.connect(lambda _event: self._take_node_types())
        self.store.changed.connect(lambda _store: self._sync_actions())
        self._take_node_types()
        self._sync_actions()

    def add_menu(self, view_menu: QMenu) -> QMenu:
        """A "Node Health" submenu in the View menu: the toggle, load, clear."""
        menu = view_menu.addMenu("Node &Health")
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
            self.window, "Load node statistics from a run folder", str(start)
        )
        return bool(chosen) and self.open_run(Path(chosen))

    def open_run(self, path: str | Path) -> bool:
        """Show a past run's node statistics on the canvas and in the Inspector; a dialog says
        why when its node_stats.csv cannot be read (what was shown stays)."""
        try:
            count = self.store.load_run(path)
        except NodeStatsFileError as exc:
            QMessageBox.warning(self.window, "Cannot load node statistics", str(exc))
            return False
        if count == 0:
            text = (
                "{run} recorded no statistics yet: its first sample comes with the first "
                "training step."
            )
            QMessageBox.information(
                self.window,
                "No node statistics",
                text.format(run=Path(path).name),
            )
        self.toggle_action.setChecked(True)
        text = "Node statistics of {run}: {count} samples"
        self.window.statusBar().showMessage(text.format(run=Path(path).name, count=count), 5000)
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

    def _sync_actions(self) -> None:
        self.clear_action.setEnabled(not self.store.empty)


def install(
    window: QMainWindow, view_menu: QMenu, runs_panel: QObject | None = None
) -> NodeStatsFeature:
    """Wire node statistics into the main window: the View → Node Health menu, the curves under
    the Inspector (in one splitter with it), the Runs panel's "Node statistics" entry."""
    feature = NodeStatsFeature(window, window.document, window.root_view, window.inspector)
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
