"""The main window: the canvas column in the middle, dockable panels around it, menus, status bar.

It composes its parts and wires them: the canvas and its blocks (block_navigation), files
(file_actions), the clipboard (clipboard), menus built from a table (menus), training (training).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QMenu

from . import help_menu, import_export, recovery_dialog, theme, transfer_dialog
from .autograd import install as install_autograd
from .autograd import shown_run_weights
from .block_navigation import BlockNavigation
from .catalog_text import catalog_text
from .clipboard import NodeClipboard
from .code_view import CodeView
from .document import Document
from .editor import EditorView
from .editor.node_item import NodeItem
from .file_actions import FileActions
from .files import sample_files, sample_title
from .inspector import Inspector
from .language import LanguageMenu
from .menus import SEPARATOR, Menu, fill, make_action
from .node_stats import install as install_node_stats
from .palette import Palette
from .problems import ProblemsList
from .recovery import Recovery
from .summary import SummaryTable, totals_text
from .training import SessionState
from .training import install as install_training


class MainWindow(QMainWindow):
    """One document per window. ``restore_layout=False`` gives the default layout (screenshots)."""

    def __init__(
        self,
        document: Document | None = None,
        restore_layout: bool = True,
        recovery: bool = True,
    ):
        super().__init__()
        self.document = doc = document or Document()
        self.setObjectName("MainWindow")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.palette_panel = Palette(self)
        self.inspector = Inspector(doc, self)
        self.navigation = BlockNavigation(
            self, doc, self.inspector, self.palette_panel, self.status
        )
        self.setCentralWidget(self.navigation.widget)
        self.empty_hint = self.navigation.empty_hint
        self.summary = SummaryTable(doc, self)
        self.code = CodeView(doc, self)
        self.problems = ProblemsList(doc, self)
        self.recovery = Recovery(doc, parent=self)
        self.clipboard = NodeClipboard(self.navigation, self.status)
        self.docks: dict[str, QDockWidget] = {}
        self._build_docks()
        # its dock and banner; its actions go in the menus built next
        self.training = install_training(
            self, show_node=self.show_node, open_graph=lambda g: self.files.open_checkpoint_graph(g)
        )
        self.files = FileActions(
            self, doc, self.recovery, self.training, self.status, self._frame_graph
        )
        self._build_actions()
        self._build_menus()
        self.node_stats_ui = install_node_stats(self, self.view_menu, self.training.dock.runs)
        self.node_stats = self.node_stats_ui.store  # fed by following the run's folder
        # a run's statistics are shown live from its folder as it trains (tints, curves, Problems),
        # once it has started: its run.json is written then, with the name the legend shows
        self.training.session.run_started.connect(
            lambda _event: self.node_stats_ui.follow_run(self.training.session.run_dir)
        )
        weights = shown_run_weights(self.node_stats, self.training.last_weights)
        self.autograd = install_autograd(self, self.model_menu, weights)
        self.docks["summary"].raise_()  # the default bottom tab: the numbers of the model
        self.totals_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.totals_label)
        if recovery:
            self.recovery.start()

        doc.file_state_changed.connect(self._update_title)
        doc.inferred.connect(self._update_status)
        doc.read_only_changed.connect(self._update_read_only)
        self.navigation.node_activated.connect(self._reveal_in_inspector)
        self.navigation.context_menu_requested.connect(self._canvas_menu)
        self.palette_panel.add_requested.connect(self.navigation.add_layer)
        self.problems.node_clicked.connect(self.show_node)
        self.training.error_reported.connect(self.problems.set_run_error)
        self.training.session.state_changed.connect(
            lambda s: self.problems.set_run_error(None) if s is SessionState.STARTING else None
        )
        self.problems.count_changed.connect(self._on_problem_count)
        self.summary.node_clicked.connect(self.show_node)
        self.code.export_requested.connect(self.files.export_python)

        self.resize(1440, 900)
        self.remember_layout = restore_layout  # a screenshot must not overwrite the user's layout
        if restore_layout:
            self._restore_layout()
        self._update_title()
        self._update_status()
        self._on_problem_count(len(doc.inference.problems()))

    def status(self, text: str, ms: int) -> None:
        """A line in the status bar for ``ms`` milliseconds."""
        self.statusBar().showMessage(text, ms)

    # ---- the canvas, as other parts and tests reach it --------------------------------------
    @property
    def view(self) -> EditorView:
        """The canvas shown now (the model's, or an open block's)."""
        return self.navigation.view

    def _frame_graph(self) -> None:
        self.view.frame_graph()

    # ---- layout ----------------------------------------------------------------------------
    def _dock(self, key: str, title: str, widget, area: Qt.DockWidgetArea) -> QDockWidget:
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
        self._dock("palette", self.tr("Layers"), self.palette_panel, left)
        self._dock("inspector", self.tr("Inspector"), self.inspector, right)
        summary = self._dock("summary", self.tr("Summary"), self.summary, bottom)
        code = self._dock("code", self.tr("Code"), self.code, bottom)
        problems = self._dock("problems", self.tr("Problems"), self.problems, bottom)
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
    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        files, clip, nav = self.files, self.clipboard, self.navigation

        def a(text: str, slot, shortcut=None, tip: str = "") -> QAction:
            return make_action(self, text, slot, shortcut, tip)

        self.new_action = a(
            self.tr("&New"), files.new_file, std.New, self.tr("Start an empty model")
        )
        self.open_action = a(
            self.tr("&Open…"), files.open_file, std.Open, self.tr("Open a graph file")
        )
        self.recover_action = a(
            self.tr("Recover Unsaved &Work…"),
            self.offer_recovery,
            None,
            self.tr("Unsaved changes autosaved by nodeml sessions that did not close normally"),
        )
        self.save_action = a(self.tr("&Save"), files.save, std.Save, self.tr("Save the graph"))
        self.save_as_action = a(
            self.tr("Save &As…"), files.save_as, "Ctrl+Shift+S", self.tr("Save under a new name")
        )
        self.export_action = a(
            self.tr("&Python code…"),
            lambda: files.export_python("modules"),
            "Ctrl+E",
            self.tr("Write standalone PyTorch code (as `nodeml export` does)"),
        )
        self.export_sequential_action = a(
            self.tr("Python Code as nn.&Sequential…"),
            lambda: files.export_python("modules", sequential=True),
            None,
            self.tr(
                "A straight chain of layers as nn.Sequential(OrderedDict(...)), same state_dict keys"
            ),
        )
        self.export_actions = {
            fmt: a(label, lambda f=fmt: import_export.export_format(self, f), None, tip)
            for fmt, (label, tip) in import_export.export_texts().items()
        }
        self.import_action = a(
            self.tr("&Import PyTorch Model…"),
            lambda: import_export.import_model_dialog(self),
            "Ctrl+I",
            self.tr(
                "Trace a PyTorch model (a .py file's class or a torchvision model) into a new graph"
            ),
        )
        self.group_action = a(
            self.tr("&Group into Block…"),
            nav.group_selection,
            "Ctrl+G",
            self.tr(
                "Replace the selected nodes by one block node (the crossing wires become its ports)"
            ),
        )
        self.ungroup_action = a(
            self.tr("U&ngroup Block"),
            nav.ungroup_selection,
            "Ctrl+Shift+G",
            self.tr("Put the selected block's nodes back in its place"),
        )
        self.open_block_action = a(
            self.tr("&Open Block"),
            nav.open_selected_block,
            None,
            self.tr("Edit the selected block's definition"),
        )
        self.leave_block_action = a(
            self.tr("&Back Out of Block"),
            nav.leave_block,
            "Alt+Up",
            self.tr("Return to the graph that uses this block"),
        )
        self.save_block_action = a(
            self.tr("Save Block to &Library…"),
            nav.save_block_to_library,
            None,
            self.tr("Keep the selected block in your block library, for any model"),
        )
        self.freeze_head_action = a(
            self.tr("&Freeze All but the Head"),
            lambda: transfer_dialog.freeze_all_but_head(self),
            None,
            self.tr(
                "Only the head (after the last backbone, or the last layers with weights) trains"
            ),
        )
        self.unfreeze_action = a(
            self.tr("&Unfreeze All"),
            lambda: transfer_dialog.unfreeze_all(self),
            None,
            self.tr("Every layer with weights trains"),
        )
        self.transfer_action = a(
            self.tr("&Transfer Learning…"),
            lambda: transfer_dialog.show_transfer_dialog(self),
            None,
            self.tr(
                "Freeze, fine-tune or start from scratch: the four usual situations, one click each"
            ),
        )
        self.quit_action = a(self.tr("&Quit"), self.close, std.Quit)
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts([QKeySequence(std.Undo)])
        self.redo_action = stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.cut_action = a(self.tr("Cu&t"), clip.cut, std.Cut)
        self.copy_action = a(self.tr("&Copy"), clip.copy, std.Copy)
        self.paste_action = a(self.tr("&Paste"), clip.paste, std.Paste)
        self.duplicate_action = a(self.tr("D&uplicate"), clip.duplicate, "Ctrl+D")
        self.select_all_action = a(self.tr("Select &All"), nav.select_all, std.SelectAll)
        self.delete_action = a(
            self.tr("&Delete"), nav.delete_selected, [QKeySequence(std.Delete), "Backspace"]
        )
        self.quick_add_action = a(self.tr("&Add Layer…"), lambda: self.view.open_quick_add(), "Tab")
        self.fit_action = a(self.tr("&Fit All"), lambda: self.view.fit_all(), "F")
        self.layout_action = a(
            self.tr("Auto-&layout"),
            lambda: self.view.auto_layout(),
            "Ctrl+L",
            self.tr("Arrange the nodes left to right by data flow"),
        )
        for act in (self.delete_action, self.quick_add_action, self.fit_action):
            # the canvas handles these keys itself; in a text field they type. The menus
            # still list them, and choosing the menu entry works anywhere.
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.theme_group = QActionGroup(self)
        self.theme_actions = {}
        for name in theme.THEMES:
            act = QAction(theme.theme_label(name), self, checkable=True)
            act.triggered.connect(lambda _c=False, n=name: self.set_theme(n))
            self.theme_group.addAction(act)
            self.theme_actions[name] = act
        self.theme_actions[theme.current_theme().name].setChecked(True)
        self.about_action = a(self.tr("&About nodeml"), lambda: help_menu.show_about(self))
        self.shortcuts_action = a(
            self.tr("&Keyboard Shortcuts"), lambda: help_menu.show_shortcuts(self), "F1"
        )

    def _build_menus(self) -> None:
        files = self.files
        self.samples_menu = QMenu(self.tr("Open &Sample"), self)
        for path in sample_files():
            act = self.samples_menu.addAction(catalog_text(sample_title(path)))
            act.setStatusTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: files.open_path(p, as_template=True))
        self.samples_menu.setEnabled(bool(sample_files()))
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(lambda: files.fill_recent(self.recent_menu))
        self.export_menu = QMenu(self.tr("&Export"), self)
        self.model_menu = QMenu(self.tr("&Model"), self)
        self.view_menu = QMenu(self.tr("&View"), self)
        self.language_menu = LanguageMenu(self, self.statusBar().showMessage)
        self.training_menu = QMenu(self.tr("&Training"), self)
        self.training.actions.fill_menu(self.training_menu, self.training.dock.toggleViewAction())
        panels = []
        for key, shortcut in zip(
            self.docks, ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5"), strict=True
        ):
            toggle = self.docks[key].toggleViewAction()
            toggle.setShortcut(QKeySequence(shortcut))
            panels.append(toggle)
        fill(self.menuBar(), self._menu_table(panels))

    def _menu_table(self, panels: list[QAction]) -> list[Menu]:
        """The menu bar, menu by menu, in order."""
        clipboard = (self.cut_action, self.copy_action, self.paste_action, self.duplicate_action)
        file = (self.new_action, self.open_action, self.import_action, self.samples_menu)
        export = (self.export_action, self.export_sequential_action, SEPARATOR)
        return [
            Menu(
                self.tr("&File"),
                (
                    *file,
                    *(self.recent_menu, self.recover_action, SEPARATOR),
                    *(self.save_action, self.save_as_action),
                    Menu(self.export_menu, (*export, *self.export_actions.values())),
                    *(SEPARATOR, *self.training.actions.checkpoint_actions),
                    *(SEPARATOR, self.quit_action),
                ),
            ),
            Menu(
                self.tr("&Edit"),
                (
                    *(self.undo_action, self.redo_action, SEPARATOR, *clipboard, SEPARATOR),
                    *(self.select_all_action, self.delete_action, SEPARATOR),
                    *(self.group_action, self.ungroup_action, SEPARATOR, self.quick_add_action),
                ),
            ),
            Menu(
                self.model_menu,
                (
                    *(self.open_block_action, self.leave_block_action, self.save_block_action),
                    *(SEPARATOR, self.freeze_head_action, self.unfreeze_action),
                    self.transfer_action,
                ),
            ),
            Menu(
                self.view_menu,
                (
                    *(self.fit_action, self.layout_action, SEPARATOR),
                    Menu(self.tr("&Theme"), tuple(self.theme_actions.values())),
                    *(self.language_menu, SEPARATOR, Menu(self.tr("&Panels"), tuple(panels))),
                ),
            ),
            self.training_menu,
            Menu(self.tr("&Help"), (self.shortcuts_action, self.about_action)),
        ]

    def _canvas_menu(self, point: QPoint) -> QMenu:
        """The canvas' right-click menu, for what is selected on it."""
        nav = self.navigation
        item = nav.view.itemAt(point)
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()  # a port or a label of the node
        if item is not None and not item.isSelected():
            nav.view.select_node(item.node_id, reveal=False)  # the menu is about the node clicked
        ids, use = nav.view.selected_nodes(), nav.selected_block()
        items: list = [self.open_block_action] if use is not None else []
        items += [self.group_action] if ids else []
        items += [self.ungroup_action, self.save_block_action] if use is not None else []
        menu = QMenu(self)
        if ids:
            graph = nav.scope.graph
            frozen = all(graph.node(n).extra.get("trainable", True) is False for n in ids)
            toggle = QAction(
                self.tr("Unfreeze") if frozen else self.tr("Freeze (not trainable)"), menu
            )
            toggle.triggered.connect(lambda: nav.scope.set_trainable(ids, frozen))
            items.append(toggle)
            if len(ids) == 1 and not nav.scopes:  # its grad_fns, in the whole backward graph
                autograd = QAction(self.tr("Show in Autograd Graph…"), menu)
                autograd.triggered.connect(lambda: self.autograd.show(focus=ids[0]))
                items.append(autograd)
            items += [SEPARATOR, self.cut_action, self.copy_action]
            items += [self.duplicate_action, self.delete_action]
        items += [self.paste_action, SEPARATOR, self.quick_add_action]
        fill(menu, items)
        menu.popup(nav.view.viewport().mapToGlobal(point))
        return menu

    # ---- status ----------------------------------------------------------------------------
    def _update_title(self) -> None:
        doc = self.document
        name = doc.path.name if doc.path else doc.graph.name
        self.setWindowTitle(f"{name}[*] — nodeml")  # i18n: the app's name
        self.setWindowModified(doc.modified)

    def _update_status(self) -> None:
        frozen = transfer_dialog.param_counts(self.document).frozen
        self.totals_label.setText(totals_text(self.document, frozen))
        self._update_title()

    def _on_problem_count(self, n: int) -> None:
        title = self.tr("Problems ({count})").format(count=n) if n else self.tr("Problems")
        self.docks["problems"].setWindowTitle(title)

    def _update_read_only(self, read_only: bool) -> None:
        for act in (
            *(self.cut_action, self.paste_action, self.duplicate_action, self.delete_action),
            *(self.layout_action, self.quick_add_action, self.import_action),
            *(self.group_action, self.ungroup_action),
            *(self.freeze_head_action, self.unfreeze_action, self.transfer_action),
        ):
            act.setEnabled(not read_only)
        self.palette_panel.setEnabled(not read_only)
        self.inspector.setEnabled(not read_only)

    # ---- nodes -----------------------------------------------------------------------------
    def show_node(self, node_id: str) -> None:
        """Select a node on the canvas and bring it into view (Problems, Summary)."""
        if node_id in self.document.graph:
            self.navigation.leave_to(0)
            self.view.select_node(node_id)
            self.view.center_on_node(node_id)
            self.inspector.set_nodes([node_id])

    def _reveal_in_inspector(self, node_id: str) -> None:
        self.docks["inspector"].show()
        self.docks["inspector"].raise_()
        self.inspector.set_nodes([node_id])

    # ---- files (FileActions does the work; other parts of the app call these) ---------------
    def maybe_save(self) -> bool:
        return self.files.maybe_save()

    def open_path(
        self, path: str | Path, as_template: bool = False, offer_recovery: bool = True
    ) -> bool:
        return self.files.open_path(path, as_template, offer_recovery)

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

    # ---- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        # both questions first: a cancelled close leaves the run and the document as they are
        if not self.training.confirm_stop("quit") or not self.maybe_save():
            event.ignore()
            return
        self.training.shutdown()  # the run stops after its batch and keeps what it trained
        self.autograd.shutdown()
        if self.remember_layout:
            self.save_layout()
        self.recovery.close()
        event.accept()
