"""The Runs panel: the current graph's run folders, to compare, reopen, evaluate, resume, export,
rename, annotate, reveal or delete.

Everything it shows is read from the run folders through the core registry; it keeps no run
state of its own. It reads them again when told (``set_graph_file``, ``refresh``), when a run
folder comes or goes (a watcher on the runs folder), and, while a run trains, once a second from
that run's run.json alone (its metrics.csv is read again only when it grew: once an epoch).
Renames, notes, deletion and revealing happen here, through the registry; evaluate, resume,
export and opening curves are signals, each with the run folder, for the session and the curves.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ...core.training.run_folder import (
    UNNAMED_GRAPH,
    RunStatus,
    default_run_name,
    run_stem,
    runs_root,
    user_runs_root,
)
from ...core.training.run_registry import (
    RunFolderError,
    RunRecord,
    delete_run,
    list_runs,
    set_note,
)
from ..theme import current_theme
from .elided import ElidedLabel
from .run_style import RunStyle, run_key
from .runs_model import Column, RunsModel
from .runs_views import CompactRuns, setup_table
from .runs_watch import RunFolderWatch

UNSAVED_GRAPH = UNNAMED_GRAPH  # the name runs of an unnamed, unsaved graph go under (as the
# training process names them: new_run_name must agree with it)


def reveal_folder(path: Path) -> None:
    """Show a folder in the system's file manager."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class RunsPanel(QWidget):
    """Signals carry the run folder (a Path)."""

    evaluate_requested = Signal(object)
    resume_requested = Signal(object)
    export_requested = Signal(object)
    open_curves_requested = Signal(object)
    node_stats_requested = Signal(object)  # show its node_stats.csv on the canvas
    overlay_toggled = Signal(object, bool)  # the user ticked (True) or unticked a run
    runs_changed = Signal()  # the list was read again: names, colours, statuses may differ
    run_updated = Signal(object)  # a training run wrote something (an epoch, its end)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.graph_file: Path | None = None
        self.graph_name = ""
        self.reveal = reveal_folder  # replaceable (tests)
        self._busy = False
        self._note_path: Path | None = None

        self.model = RunsModel(self)
        self.model.tick_toggled.connect(self.overlay_toggled)
        self.model.rename_failed.connect(self._say)
        self.model.dataChanged.connect(lambda *_: self._sync_actions())
        self.model.renamed.connect(self._renamed)
        self.table = QTableView()
        setup_table(self.table, self.model)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.customContextMenuRequested.connect(
            lambda pos: self._context_menu(self.table, pos)
        )
        self.table.doubleClicked.connect(self._double_clicked)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column in Column:
            if column not in (Column.SHOWN, Column.NAME):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.empty = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("muted")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)

        self._make_actions()
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("RunsBar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        t = current_theme()
        self.toolbar.setStyleSheet(  # buttons that look like buttons (toolbars draw them flat)
            f"QToolBar#RunsBar QToolButton {{ border: 1px solid {t.border.name()};"
            f" border-radius: 5px; padding: 3px 10px; margin-right: 2px; }}"
            f"QToolBar#RunsBar QToolButton:disabled {{ color: {t.muted.name()};"
            f" border-color: {t.border.name()}; }}"
        )
        heading = QLabel(self.tr("Runs"))
        heading.setStyleSheet("font-weight: 600; padding: 0 6px 0 2px;")
        self.toolbar.addWidget(heading)
        for action in (self.open_action, self.evaluate_action, self.resume_action,
                       self.export_action, self.node_stats_action, self.reveal_action,
                       self.delete_action):  # fmt: skip
            self.toolbar.addAction(action)

        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("A note on the selected run (Enter saves it)"))
        self.note.editingFinished.connect(self._save_note)
        self.details = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.details.setObjectName("muted")
        details = QHBoxLayout()
        details.setContentsMargins(2, 0, 2, 0)
        details.addWidget(QLabel(self.tr("Note")))
        details.addWidget(self.note, 2)
        details.addWidget(self.details, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        layout.addLayout(details)

        self.watch = RunFolderWatch(self)
        self.watch.list_changed.connect(self.refresh)
        self.watch.run_changed.connect(self._run_changed)
        self.set_graph_file(None, "")

    def _make_actions(self) -> None:
        def action(text: str, tip: str, slot: object, shortcut: str | None = None) -> QAction:
            a = QAction(text, self)
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(a)
            return a

        emit = self._emit_for_selected
        self.open_action = action(
            self.tr("Open curves"),
            self.tr("Draw this run's curves in full, from its metrics.csv"),
            lambda: emit(self.open_curves_requested),
        )
        self.evaluate_action = action(
            self.tr("Evaluate"),
            self.tr("Test this run's best weights (best.pt) on held-out data"),
            lambda: emit(self.evaluate_requested),
        )
        self.resume_action = action(
            self.tr("Resume"),
            self.tr("Continue this run from its last checkpoint (last.pt), into a new run folder"),
            lambda: emit(self.resume_requested),
        )
        self.export_action = action(
            self.tr("Export code"),
            self.tr("Write PyTorch code of the graph as this run trained it"),
            lambda: emit(self.export_requested),
        )
        self.node_stats_action = action(
            self.tr("Node statistics"),
            self.tr("Show this run's per-node statistics on the canvas and in the Inspector"),
            lambda: emit(self.node_stats_requested),
        )
        self.reveal_action = action(
            self.tr("Reveal folder"),
            self.tr("Show the run's folder in the file manager"),
            self._reveal,
        )
        self.delete_action = action(
            self.tr("Delete…"),
            self.tr("Delete the run's folder (asks first)"),
            self.delete_selected,
            "Delete",
        )
        self.rename_action = action(
            self.tr("Rename"), self.tr("Rename the run"), self._rename, "F2"
        )
        self.note_action = action(
            self.tr("Edit note"), self.tr("Write a note on the run"), self._focus_note
        )

    def _focus_note(self) -> None:
        self.note.setFocus()
        self.note.selectAll()

    # ---- what is listed -------------------------------------------------------------------------
    def set_graph_file(self, path: str | os.PathLike[str] | None, graph_name: str = "") -> None:
        """List the runs of a saved graph (its ``runs`` folder), or of an unsaved graph by name
        (the user data folder)."""
        self.graph_file = Path(path).resolve() if path is not None else None
        self.graph_name = graph_name
        self.watch.forget()
        self.refresh()

    def root(self) -> Path:
        """The folder this graph's runs go in."""
        return runs_root(self.graph_file) if self.graph_file is not None else user_runs_root()

    def refresh(self) -> None:
        """Read the runs again from their folders."""
        selected = self.selected()
        try:
            if self.graph_file is not None:
                records = list_runs(self.root(), self.graph_file)
            else:
                name = self.graph_name or UNSAVED_GRAPH
                records = list_runs(self.root(), None, graph_name=name)
        except OSError as exc:
            records = []
            self._say(
                self.tr("Could not read {folder}: {reason}").format(folder=self.root(), reason=exc)
            )
        grew = len(records) > self.model.rowCount()
        self.model.set_records(records)
        self.watch.follow(self.root(), self._stem(), records)
        self._show_empty_or_table()
        if selected is not None:
            self.select(selected.path)
        if grew:
            self.table.scrollToBottom()
        self._resize_name_column()
        self._sync_actions()
        self.runs_changed.emit()

    def poll(self) -> None:
        """Look at training runs now (the watch does this once a second by itself)."""
        self.watch.poll()

    def _run_changed(self, record: RunRecord) -> None:
        self.model.update_record(record)
        if record.path == self._note_path:
            self._show_details(record)
        self._sync_actions()
        self.run_updated.emit(record.path)

    def _renamed(self, _path: Path) -> None:
        """The column fits the new name; the curves and their legends take it at once."""
        self._resize_name_column()
        self.runs_changed.emit()

    def new_run_name(self, run_dir: Path) -> str:
        """The name a run starting in ``run_dir`` is given (its process names it by this rule)."""
        return default_run_name(run_dir, self.graph_file, self.graph_name or UNSAVED_GRAPH)

    def _stem(self) -> str:
        return run_stem(self.graph_file, self.graph_name or UNSAVED_GRAPH)

    def compact_view(self) -> CompactRuns:
        """Another view of these runs (tick, name, best) to sit beside the curves: the same
        model, the same selection, the same actions and menu."""
        view = QTableView()
        setup_table(view, self.model)
        view.setSelectionModel(self.table.selectionModel())
        view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        view.customContextMenuRequested.connect(lambda pos: self._context_menu(view, pos))
        view.doubleClicked.connect(  # names are edited in the full table; here a run opens
            lambda index: (
                index.column() != Column.SHOWN
                and self._emit_for_selected(self.open_curves_requested)
            )
        )
        for a in (self.open_action, self.rename_action, self.delete_action):
            view.addAction(a)
        return CompactRuns(view)

    # ---- selection and ticks --------------------------------------------------------------------
    def selected(self) -> RunRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0]) if rows else None

    def select(self, path: str | os.PathLike[str]) -> bool:
        row = self.model.row_of(Path(path))
        if row is None:
            return False
        self.table.selectionModel().select(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def set_ticks(
        self, ticked: set[str], locked: set[str] | None = None, in_full: str | None = None
    ) -> None:
        """Which runs the curves draw (run keys), the one that cannot be unticked (the live run),
        and the one drawn in full (its name is bold)."""
        self.model.set_ticks(set(ticked), set(locked or ()), in_full)

    def styles(self) -> dict[str, RunStyle]:
        """Each listed run's name and colour, by run key."""
        return self.model.styles()

    def record_of(self, path: str | os.PathLike[str]) -> RunRecord | None:
        row = self.model.row_of(Path(path))
        return self.model.records[row] if row is not None else None

    def set_session_busy(self, busy: bool) -> None:
        """While the app trains or evaluates, Evaluate and Resume are off (one job at a time)."""
        self._busy = busy
        self._sync_actions()

    # ---- actions --------------------------------------------------------------------------------
    def _emit_for_selected(self, signal: Signal) -> None:
        record = self.selected()
        if record is not None:
            signal.emit(record.path)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() not in (Column.NAME, Column.SHOWN):
            self._emit_for_selected(self.open_curves_requested)

    def _rename(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.table.edit(self.model.index(rows[0].row(), Column.NAME))

    def _reveal(self) -> None:
        record = self.selected()
        if record is not None:
            self.reveal(record.path)

    def delete_selected(self) -> bool:
        """Delete the selected run's folder after asking, naming the run; never a training run."""
        record = self.selected()
        if record is None:
            return False
        if record.status is RunStatus.RUNNING:
            self._say(
                self.tr("{run} is training: stop it before deleting it").format(run=record.name)
            )
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Delete run"),
            self.tr(
                "Delete the run “{run}”?\n\nIts folder {folder} is removed, with its checkpoints "
                "and metrics. This cannot be undone."
            ).format(run=record.name, folder=record.path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete_run(record.path)
        except (RunFolderError, OSError) as exc:
            why = self.tr("{run} was not deleted: {reason}").format(run=record.name, reason=exc)
            QMessageBox.warning(self, self.tr("Delete run"), why)
            self.refresh()
            return False
        if run_key(record.path) in self.model.ticked:
            self.overlay_toggled.emit(record.path, False)
        self.refresh()
        self._say(self.tr("Deleted {run}").format(run=record.name))
        return True

    def _save_note(self) -> None:
        path = self._note_path
        record = self.record_of(path) if path is not None else None
        text = self.note.text().strip()
        if record is None or text == record.manifest.note:
            return
        try:
            updated = set_note(record.path, text)
        except (RunFolderError, OSError) as exc:
            self._say(self.tr("Could not save the note: {reason}").format(reason=exc))
            return
        self.model.update_record(updated)

    def _context_menu(self, view: QTableView, pos: object) -> None:
        index = view.indexAt(pos)  # type: ignore[arg-type]
        if not index.isValid():
            return
        self.select(self.model.records[index.row()].path)
        menu = QMenu(self)
        for group in (
            (self.open_action, self.evaluate_action, self.resume_action, self.export_action),
            (self.node_stats_action,),
            (self.rename_action, self.note_action, self.reveal_action),
            (self.delete_action,),
        ):
            for a in group:
                menu.addAction(a)
            menu.addSeparator()
        menu.popup(view.viewport().mapToGlobal(pos))  # type: ignore[arg-type]
        self._menu = menu  # kept for tests, and alive while shown

    # ---- look -----------------------------------------------------------------------------------
    def _selection_changed(self, *_: object) -> None:
        record = self.selected()
        self._note_path = record.path if record is not None else None
        self.note.setText(record.manifest.note if record is not None else "")
        self.note.setEnabled(record is not None)
        self._show_details(record)
        self._sync_actions()

    def _show_details(self, record: RunRecord | None) -> None:
        if record is None:
            self.details.setText("")
            return
        text = str(record.path)
        if record.manifest.error:
            text = f"{record.manifest.error.splitlines()[0]} · {text}"
        self.details.setText(text)

    def _say(self, message: str) -> None:
        self.details.setText(message)

    def _sync_actions(self) -> None:
        r = self.selected()
        if r is not None and r.path.is_dir():
            training = r.status is RunStatus.RUNNING
            files = ("metrics.csv", "best.pt", "last.pt", "node_stats.csv", "events.jsonl")
            has = {n: (r.path / n).exists() for n in files}
            has["graph.json"] = (r.path / "graph.json").exists()
        else:
            training, has = False, {}
        self.open_action.setEnabled(has.get("metrics.csv", False))
        # a run under way writes node_stats.csv after its first epoch: until then its feed has them
        self.node_stats_action.setEnabled(
            has.get("node_stats.csv", False) or (training and has.get("events.jsonl", False))
        )
        self.evaluate_action.setEnabled(
            not training and not self._busy and (has.get("best.pt") or has.get("last.pt", False))
        )
        self.resume_action.setEnabled(not training and not self._busy and has.get("last.pt", False))
        self.export_action.setEnabled(has.get("graph.json", False))
        for a in (self.reveal_action, self.rename_action, self.note_action):
            a.setEnabled(r is not None)
        self.delete_action.setEnabled(r is not None and not training)
        self.delete_action.setToolTip(
            self.tr("Stop the run before deleting it")
            if training
            else self.tr("Delete the run's folder (asks first)")
        )

    def _show_empty_or_table(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
            return
        if self.graph_file is not None:
            text = self.tr(
                "No runs of {graph}: each run is kept in {folder}.\nTrain (F5) to make one."
            )
        else:
            text = self.tr(
                "No runs of this graph: until it is saved, its runs are kept in {folder}.\n"
                "Train (F5) to make one."
            )
        name = self.graph_file.name if self.graph_file is not None else ""
        self.empty.setText(text.format(graph=name, folder=self.root()))
        self.stack.setCurrentWidget(self.empty)

    def _resize_name_column(self) -> None:
        self.table.resizeColumnToContents(Column.NAME)
        width = self.table.columnWidth(Column.NAME)
        self.table.setColumnWidth(Column.NAME, max(110, min(width + 16, 260)))
