"""The main window: canvas in the middle, dockable panels around it, menus, files, clipboard and status bar."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

import nodeml

from ..core.compile import class_name, export_code
from ..core.errors import GraphEditError, GraphFormatError, InvalidGraphError
from ..core.fileio import atomic_write_text, remove_stale_temps
from ..core.serialize import load_graph
from . import blocks, import_export, recovery_dialog, theme, transfer_dialog
from .autograd import install as install_autograd
from .autograd import last_run_weights, shown_run_weights
from .block_navigation import BlockNavigation
from .block_scope import BlockDocument
from .code_view import CodeView
from .document import CLIPBOARD_MIME, Document
from .editor import EditorView
from .files import (
    Folder,
    add_recent_file,
    ask_open_path,
    ask_save_path,
    clear_recent_files,
    recent_files,
    sample_files,
    sample_title,
)
from .inspector import Inspector
from .language import LanguageMenu
from .node_stats import install as install_node_stats
from .palette import Palette
from .problems import ProblemsList
from .recovery import Recovery
from .shortcuts import shortcuts_html
from .summary import SummaryTable, totals_text
from .training import install as install_training

GRAPH_FILTER = "nodeml graphs (*.json);;All files (*)"
PASTE_STEP = 40.0


def create_editor(document: Document, parent: QWidget) -> EditorView:
    """The canvas. One place to build it, so the window does not care which view it gets."""
    return EditorView(document, parent)


class EmptyCanvasHint(QLabel):
    """Centred on an empty canvas: how to start. Mouse events pass through to the canvas."""

    TEXT = (
        "<div style='font-size:15px'>Drag layers from the palette or press <b>Tab</b></div>"
        "<div style='margin-top:6px'>Double-click a layer to add it; with a node selected, "
        "it is wired after it.<br>Or open a ready-made model: File → Open Sample.</div>"
    )

    def __init__(self, view: EditorView):
        super().__init__(self.TEXT, view.viewport())
        self.view = view
        self.setObjectName("emptyCanvasHint")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #8a8f98; background: transparent;")
        view.viewport().installEventFilter(self)
        self.follow()

    def follow(self) -> None:
        self.setVisible(len(self.view.document.graph) == 0)
        self.setGeometry(self.view.viewport().rect())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self.view.viewport().rect())
        return False


class MainWindow(BlockNavigation, QMainWindow):
    """One document per window. ``restore_layout=False`` gives the default layout (screenshots)."""

    def __init__(
        self,
        document: Document | None = None,
        restore_layout: bool = True,
        recovery: bool = True,
    ):
        super().__init__()
        self.document = document or Document()
        self.setObjectName("MainWindow")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.view = self.root_view = create_editor(self.document, self)
        self.scopes: list[BlockDocument] = []  # the blocks open, outermost first
        self.scope_views: list[EditorView] = []  # one canvas per open block
        self.breadcrumb = blocks.Breadcrumb(self.leave_to, self)
        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.breadcrumb)
        column.addWidget(self.view, 1)
        self.centre_column = column
        self.setCentralWidget(centre)
        self.empty_hint = EmptyCanvasHint(self.view)
        self.palette_panel = Palette(self)
        self.inspector = Inspector(self.document, self)
        self.summary = SummaryTable(self.document, self)
        self.code = CodeView(self.document, self)
        self.problems = ProblemsList(self.document, self)
        self.docks: dict[str, QDockWidget] = {}
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self.training = install_training(self)  # its dock, menu, banner and read-only freeze
        self.node_stats_ui = install_node_stats(self, self.view_menu, self.training.dock.runs)
        self.node_stats = self.node_stats_ui.store  # the session feeds it: feed, load_run, clear
        weights = shown_run_weights(self.node_stats, last_run_weights(self.training))
        self.autograd = install_autograd(self, self.model_menu, weights)
        self.docks["summary"].raise_()  # the default bottom tab: the numbers of the model
        self.totals_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.totals_label)
        self._paste_count = 0
        self.recovery = Recovery(self.document, parent=self)
        if recovery:
            self.recovery.start()

        doc = self.document
        doc.file_state_changed.connect(self._update_title)
        doc.inferred.connect(self._update_status)
        doc.inferred.connect(self.empty_hint.follow)
        doc.reloaded.connect(self.empty_hint.follow)
        doc.read_only_changed.connect(self._update_read_only)
        doc.reloaded.connect(lambda: self.leave_to(0))
        doc.graph_event.connect(self._on_model_event)
        self._hook_view(self.view)
        self.palette_panel.add_requested.connect(self.add_layer)
        self.palette_panel.library_block_requested.connect(self.add_library_block)
        self.refresh_block_palette(read_library=True)
        self.problems.node_clicked.connect(self.show_node)
        self.training.error_reported.connect(self.problems.set_run_error)
        self.training.state_changed.connect(
            lambda state: self.problems.set_run_error(None) if state == "running" else None
        )
        self.problems.count_changed.connect(self._on_problem_count)
        self.summary.node_clicked.connect(self.show_node)
        self.code.export_requested.connect(self.export_python)

        self.resize(1440, 900)
        self.remember_layout = restore_layout  # a screenshot must not overwrite the user's layout
        if restore_layout:
            self._restore_layout()
        self._update_title()
        self._update_status()
        self._on_problem_count(len(doc.inference.problems()))

    def make_view(self, document: Document) -> EditorView:
        """A canvas for ``document`` (the model, or a block opened in it)."""
        return create_editor(document, self)

    # ---- layout ----------------------------------------------------------------------------
    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.setCorner(Qt.Corner.BottomLeftCorner, left)
        self.setCorner(Qt.Corner.BottomRightCorner, right)
        self._dock("palette", "Layers", self.palette_panel, left)
        self._dock("inspector", "Inspector", self.inspector, right)
        summary = self._dock("summary", "Summary", self.summary, bottom)
        code = self._dock("code", "Code", self.code, bottom)
        problems = self._dock("problems", "Problems", self.problems, bottom)
        self.tabifyDockWidget(summary, code)
        self.tabifyDockWidget(code, problems)
        summary.raise_()
        self.resizeDocks(
            [self.docks["palette"], self.docks["inspector"]], [230, 320], Qt.Orientation.Horizontal
        )
        self.resizeDocks([summary], [250], Qt.Orientation.Vertical)

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray | bytes):
            self.restoreState(state)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    # ---- actions and menus --------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work while a panel has focus too
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        a = self._action
        self.new_action = a("&New", self.new_file, std.New, "Start an empty model")
        self.open_action = a("&Open…", self.open_file, std.Open, "Open a graph file")
        self.recover_action = a(
            "Recover Unsaved &Work…",
            self.offer_recovery,
            None,
            "Unsaved changes autosaved by nodeml sessions that did not close normally",
        )
        self.save_action = a("&Save", self.save, std.Save, "Save the graph")
        self.save_as_action = a("Save &As…", self.save_as, "Ctrl+Shift+S", "Save under a new name")
        self.export_action = a(
            "&Python code…",
            lambda: self.export_python("modules"),
            "Ctrl+E",
            "Write standalone PyTorch code (as `nodeml export` does)",
        )
        self.export_sequential_action = a(
            "Python Code as nn.&Sequential…",
            lambda: self.export_python("modules", sequential=True),
            None,
            "A straight chain of layers as nn.Sequential(OrderedDict(...)), same state_dict keys",
        )
        self.export_actions = {
            fmt: a(
                label,
                lambda f=fmt: import_export.export_format(self, f),
                None,
                tip,
            )
            for fmt, label, tip in import_export.EXPORT_ACTIONS
        }
        self.import_action = a(
            "&Import PyTorch Model…",
            lambda: import_export.import_model_dialog(self),
            "Ctrl+I",
            "Trace a PyTorch model (a .py file's class or a torchvision model) into a new graph",
        )
        self._build_block_actions(a)
        self.freeze_head_action = a(
            "&Freeze All but the Head",
            lambda: transfer_dialog.freeze_all_but_head(self),
            None,
            "Only the head (after the last backbone, or the last layers with weights) trains",
        )
        self.unfreeze_action = a(
            "&Unfreeze All",
            lambda: transfer_dialog.unfreeze_all(self),
            None,
            "Every layer with weights trains",
        )
        self.transfer_action = a(
            "&Transfer Learning…",
            lambda: transfer_dialog.show_transfer_dialog(self),
            None,
            "Freeze, fine-tune or start from scratch: the four usual situations, one click each",
        )
        self.quit_action = a("&Quit", self.close, std.Quit)
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(std.Undo)])
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.cut_action = a("Cu&t", self.cut, std.Cut)
        self.copy_action = a("&Copy", self.copy, std.Copy)
        self.paste_action = a("&Paste", self.paste, std.Paste)
        self.duplicate_action = a("D&uplicate", self.duplicate, "Ctrl+D")
        self.select_all_action = a("Select &All", self.select_all, std.SelectAll)
        self.delete_action = a(
            "&Delete",
            self.delete_selected,
            [QKeySequence(QKeySequence.StandardKey.Delete), "Backspace"],
        )
        self.quick_add_action = a("&Add Layer…", lambda: self.view.open_quick_add(), "Tab")
        self.fit_action = a("&Fit All", lambda: self.view.fit_all(), "F")
        self.layout_action = a(
            "Auto-&layout",
            self.auto_layout,
            "Ctrl+L",
            "Arrange the nodes left to right by data flow",
        )
        for act in (self.delete_action, self.quick_add_action, self.fit_action):
            # the canvas handles these keys itself; in a text field they type. The menus
            # still list them, and choosing the menu entry works anywhere.
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.theme_group = QActionGroup(self)
        self.theme_actions = {}
        for name in theme.THEMES:
            act = QAction(name.capitalize(), self, checkable=True)
            act.triggered.connect(lambda _c=False, n=name: self.set_theme(n))
            self.theme_group.addAction(act)
            self.theme_actions[name] = act
        self.theme_actions[theme.current_theme().name].setChecked(True)
        self.about_action = a("&About nodeml", self.show_about)
        self.shortcuts_action = a("&Keyboard Shortcuts", self.show_shortcuts, "F1")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.new_action)
        file.addAction(self.open_action)
        file.addAction(self.import_action)
        self.samples_menu = file.addMenu("Open &Sample")
        for path in sample_files():
            act = self.samples_menu.addAction(sample_title(path))
            act.setStatusTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p, as_template=True))
        self.samples_menu.setEnabled(bool(sample_files()))
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addAction(self.recover_action)
        file.addSeparator()
        file.addAction(self.save_action)
        file.addAction(self.save_as_action)
        export = file.addMenu("&Export")
        export.addAction(self.export_action)
        export.addAction(self.export_sequential_action)
        export.addSeparator()
        for act in self.export_actions.values():
            export.addAction(act)
        self.export_menu = export
        file.addSeparator()
        file.addAction(self.quit_action)

        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        for act in (self.cut_action, self.copy_action, self.paste_action, self.duplicate_action):
            edit.addAction(act)
        edit.addSeparator()
        edit.addAction(self.select_all_action)
        edit.addAction(self.delete_action)
        edit.addSeparator()
        edit.addAction(self.group_action)
        edit.addAction(self.ungroup_action)
        edit.addSeparator()
        edit.addAction(self.quick_add_action)

        model = bar.addMenu("&Model")
        model.addAction(self.open_block_action)
        model.addAction(self.leave_block_action)
        model.addAction(self.save_block_action)
        model.addSeparator()
        model.addAction(self.freeze_head_action)
        model.addAction(self.unfreeze_action)
        model.addAction(self.transfer_action)
        self.model_menu = model

        view = self.view_menu = bar.addMenu("&View")
        view.addAction(self.fit_action)
        view.addAction(self.layout_action)
        view.addSeparator()
        themes = view.addMenu("&Theme")
        for act in self.theme_actions.values():
            themes.addAction(act)
        self.language_menu = LanguageMenu(self, lambda text: self.statusBar().showMessage(text))
        view.addMenu(self.language_menu)
        view.addSeparator()
        panels = view.addMenu("&Panels")
        for key, shortcut in zip(
            self.docks, ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5"), strict=True
        ):
            toggle = self.docks[key].toggleViewAction()
            toggle.setShortcut(QKeySequence(shortcut))
            panels.addAction(toggle)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = recent_files()
        for path in files:
            act = self.recent_menu.addAction(path.name)
            act.setStatusTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if files:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Menu", clear_recent_files)
        else:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # ---- status ----------------------------------------------------------------------------
    def _update_title(self) -> None:
        doc = self.document
        name = doc.path.name if doc.path else doc.graph.name
        self.setWindowTitle(f"{name}[*] — nodeml")
        self.setWindowModified(doc.modified)

    def _update_status(self) -> None:
        text = totals_text(self.document)
        counts = transfer_dialog.param_counts(self.document)
        if counts.frozen:
            text = text.replace(" trainable)", f" trainable, {counts.frozen:,} frozen)", 1)
        self.totals_label.setText(text)
        self._update_title()

    def _on_problem_count(self, n: int) -> None:
        self.docks["problems"].setWindowTitle(f"Problems ({n})" if n else "Problems")

    def _update_read_only(self, read_only: bool) -> None:
        for act in (
            self.cut_action,
            self.paste_action,
            self.duplicate_action,
            self.delete_action,
            self.layout_action,
            self.quick_add_action,
            self.new_action,
            self.open_action,
            self.import_action,
            self.group_action,
            self.ungroup_action,
            self.freeze_head_action,
            self.unfreeze_action,
            self.transfer_action,
        ):
            act.setEnabled(not read_only)
        self.palette_panel.setEnabled(not read_only)
        self.inspector.setEnabled(not read_only)

    def show_node(self, node_id: str) -> None:
        """Select a node on the canvas and bring it into view (Problems, Summary)."""
        if node_id in self.document.graph:
            self.leave_to(0)
            self.view.select_node(node_id)
            self.view.center_on_node(node_id)
            self.inspector.set_nodes([node_id])

    def _on_node_activated(self, node_id: str) -> None:
        if self.scope.graph.node(node_id).type in self.scope.graph.blocks:
            self.open_block(node_id)
            return
        self.docks["inspector"].show()
        self.docks["inspector"].raise_()
        self.inspector.set_nodes([node_id])

    # ---- adding layers ---------------------------------------------------------------------
    def view_centre(self) -> QPointF:
        return self.view.mapToScene(self.view.viewport().rect().center())

    def add_layer(self, type_name: str) -> str | None:
        """Palette double-click / Enter: with one node selected, the new layer goes right of it
        and is wired from it, so a chain is built by double-clicking layers in order."""
        if self.scope.read_only:
            return None
        selected = self.view.selected_nodes()
        source = selected[0] if len(selected) == 1 else None
        graph = self.scope.graph
        if source is not None and graph.node(source).pos is not None:
            x, y = graph.node(source).pos
            pos = (x + 220.0, y)
            new_id = self.scope.add_after(type_name, pos, source)
        else:
            c = self.view_centre()
            pos = (c.x() - 80.0, c.y() - 40.0)
            taken = {tuple(n.pos) for n in graph.nodes if n.pos is not None}
            while pos in taken:  # stacked nodes would hide each other
                pos = (pos[0] + 30.0, pos[1] + 30.0)
            new_id = self.scope.add_node(type_name, pos)
        self.view.select_node(new_id)
        self.view.center_on_node(new_id)
        return new_id

    def auto_layout(self) -> None:
        self.view.auto_layout()

    # ---- clipboard -------------------------------------------------------------------------
    def copy(self) -> bool:
        ids = self.view.selected_nodes()
        if not ids:
            return False
        data = self.scope.copy_nodes(ids)
        text = json.dumps(data, indent=1)
        mime = QMimeData()
        mime.setData(CLIPBOARD_MIME, QByteArray(text.encode()))
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_count = 0
        self.statusBar().showMessage(f"Copied {len(ids)} node(s)", 3000)
        return True

    def cut(self) -> None:
        ids = self.view.selected_nodes()
        if self.copy():
            self.scope.remove_nodes(ids)

    def paste(self) -> list[str]:
        """Paste copied nodes; anything else on the clipboard is said to hold no nodes."""
        data = clipboard_nodes()
        if data is None:
            self.statusBar().showMessage("Nothing to paste: the clipboard holds no nodes", 6000)
            return []
        try:
            self._paste_count += 1
            step = PASTE_STEP * self._paste_count
            ids = self.scope.paste(data, (step, step))
        except (ValueError, GraphFormatError, GraphEditError) as exc:
            self.statusBar().showMessage(f"Cannot paste: {exc}", 6000)
            return []
        self._select(ids)
        return ids

    def duplicate(self) -> list[str]:
        ids = self.view.selected_nodes()
        if not ids:
            return []
        new = self.scope.duplicate(ids)
        self._select(new)
        return new

    def select_all(self) -> None:
        self._select(self.scope.graph.node_ids)

    def _select(self, ids: list[str]) -> None:
        scene = self.view.scene()
        scene.clearSelection()
        wanted = set(ids)
        for item in scene.items():
            if getattr(item, "node_id", None) in wanted:
                item.setSelected(True)

    def delete_selected(self) -> None:
        edges = (
            self.view.scene().selected_edges()
            if hasattr(self.view.scene(), "selected_edges")
            else []
        )
        self.scope.remove_nodes(self.view.selected_nodes(), edges)

    # ---- files -----------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask before unsaved changes are lost; False means the user cancelled."""
        if not self.document.modified:
            return True
        name = self.document.path.name if self.document.path else self.document.graph.name
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to “{name}” before closing it?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_file(self) -> None:
        if self.maybe_save():
            self.document.new()
            self.recovery.discard()

    def open_file(self) -> None:
        near = self.document.path.parent if self.document.path else None
        path = ask_open_path(self, Folder.GRAPHS, "Open graph", GRAPH_FILTER, near)
        if path:
            self.open_path(Path(path))

    def open_path(
        self, path: str | Path, as_template: bool = False, offer_recovery: bool = True
    ) -> bool:
        """Open a file; a sample opens as an untitled copy so Save does not overwrite it. Unsaved
        changes to it that a crashed session left are offered (unless ``offer_recovery`` is
        False: the app's start offers every copy at once).

        On failure a dialog says why and the open graph is left exactly as it was."""
        path = Path(path).absolute()  # a relative path would mean another file after a chdir
        try:
            graph = load_graph(path)
        except (GraphFormatError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.critical(self, "Cannot open file", f"Cannot open {path.name}:\n\n{reason}")
            return False
        if not self.maybe_save():
            return False
        self.document.open_graph(graph, path)
        if as_template:
            self.document.path = None
            self.document.file_state_changed.emit()
        else:
            add_recent_file(path)
            remove_stale_temps(path)  # what a save killed mid-write left beside it
        self.recovery.discard()
        QTimer.singleShot(0, self.view.frame_graph)
        if not as_template and self.recovery.edited_elsewhere(path):
            self.statusBar().showMessage(
                f"{path.name} has unsaved changes in another nodeml window: "
                "whichever saves last overwrites the other's changes",
                15000,
            )
        else:
            self.statusBar().showMessage(f"Opened {path}", 4000)
        if offer_recovery and not as_template:
            recovery_dialog.offer(self, about=path)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        doc = self.document
        stem = class_name(doc.graph.name).lower() or "model"
        name = doc.path.name if doc.path else f"{stem}.json"
        near = doc.path.parent if doc.path else None  # Save As of a saved file: its own folder
        path = ask_save_path(self, Folder.GRAPHS, "Save graph as", name, GRAPH_FILTER, near, True)
        if not path:
            return False
        if not Path(path).suffix:
            path += ".json"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except OSError as exc:
            QMessageBox.critical(
                self, "Cannot save", f"Cannot save {path}:\n\n{exc.strerror or exc}"
            )
            return False
        add_recent_file(path)
        self.recovery.discard()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def export_python(self, style: str = "modules", sequential: bool = False) -> bool:
        """Write what ``nodeml export`` writes: standalone PyTorch source; ``sequential`` writes a
        straight chain as nn.Sequential (``nodeml export --sequential``)."""
        doc = self.document
        try:
            source = export_code(
                doc.graph, style=style, inference=doc.inference, sequential=sequential
            )
        except InvalidGraphError as exc:
            lines = "\n".join(f"• {p}" for p in exc.problems[:12])
            QMessageBox.warning(self, "Cannot export yet", f"Fix these problems first:\n\n{lines}")
            return False
        stem = doc.path.stem if doc.path else (class_name(doc.graph.name).lower() or "model")
        near = doc.path.parent if doc.path else None
        path = ask_save_path(
            self, Folder.EXPORTS, "Export PyTorch code", f"{stem}.py", "Python (*.py)", near
        )
        if not path:
            return False
        try:
            atomic_write_text(path, source)
        except OSError as exc:
            QMessageBox.critical(
                self, "Cannot export", f"Cannot write {path}:\n\n{exc.strerror or exc}"
            )
            return False
        how = "nn.Sequential" if "(nn.Sequential):" in source else f"{style} style"
        if sequential and how != "nn.Sequential":
            how += "; not one straight chain, so a plain nn.Module"
        self.statusBar().showMessage(f"Exported {path} ({how})", 5000)
        return True

    def offer_recovery(self) -> bool:
        """Offer the unsaved copies that sessions which did not close normally left (a crash, a
        kill). True if one was restored into this window."""
        return recovery_dialog.offer(self)

    # ---- look ------------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        theme.apply_theme(app, name)
        QSettings().setValue("theme", name)
        self.theme_actions[name].setChecked(True)
        self.code.set_dark(theme.current_theme().dark)
        self.view.refresh_theme()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About nodeml",
            f"<h3>nodeml {nodeml.__version__}</h3>"
            "<p>Build PyTorch models visually. The graph compiles to plain <code>nn.Module</code> "
            "code that runs without nodeml.</p>"
            "<p>Every number shown comes from PyTorch itself, run on the meta device.</p>"
            "<p>MIT licence.</p>",
        )

    def show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_html(self))
        box.exec()

    # ---- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.maybe_save():
            event.ignore()
            return
        # only once the user has agreed to close: a cancelled close keeps the run going
        self.training.shutdown()
        self.autograd.shutdown()
        if self.remember_layout:
            self.save_layout()
        self.recovery.close()
        event.accept()


def clipboard_nodes() -> dict | None:
    """What Copy put on the clipboard (ours, or its JSON text from elsewhere), or None when the
    clipboard is empty or holds anything else."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return None
    if mime.hasFormat(CLIPBOARD_MIME):
        raw = bytes(mime.data(CLIPBOARD_MIME)).decode("utf-8", "replace")
    else:
        raw = mime.text()
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not data["nodes"]:
        return None
    return data
