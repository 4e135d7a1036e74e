"""The canvas inside blocks: open a block's definition with a breadcrumb back, group and ungroup,
the block library; a part of the main window (it uses its view, palette and status bar)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QMenu, QMessageBox

from ..core.blocks import list_library, load_library_block, save_block
from ..core.errors import NodemlError
from . import blocks
from .block_scope import BlockDocument
from .document import Document
from .editor import EditorView
from .editor.node_item import NodeItem


class BlockNavigation:
    """Mixed into MainWindow: ``scope`` is the document the canvas edits now (the model, or the
    innermost open block), ``scopes`` the blocks open, outermost first."""

    def _build_block_actions(self, a) -> None:
        self.group_action = a(
            QCoreApplication.translate("BlockNavigation", "&Group into Block…"),
            self.group_selection,
            "Ctrl+G",
            QCoreApplication.translate(
                "BlockNavigation",
                "Replace the selected nodes by one block node (the crossing wires become its ports)",
            ),
        )
        self.ungroup_action = a(
            QCoreApplication.translate("BlockNavigation", "U&ngroup Block"),
            self.ungroup_selection,
            "Ctrl+Shift+G",
            QCoreApplication.translate(
                "BlockNavigation", "Put the selected block's nodes back in its place"
            ),
        )
        self.open_block_action = a(
            QCoreApplication.translate("BlockNavigation", "&Open Block"),
            self.open_selected_block,
            None,
            QCoreApplication.translate("BlockNavigation", "Edit the selected block's definition"),
        )
        self.leave_block_action = a(
            QCoreApplication.translate("BlockNavigation", "&Back Out of Block"),
            lambda: self.leave_to(len(self.scopes) - 1),
            "Alt+Up",
            QCoreApplication.translate(
                "BlockNavigation", "Return to the graph that uses this block"
            ),
        )
        self.save_block_action = a(
            QCoreApplication.translate("BlockNavigation", "Save Block to &Library…"),
            self.save_block_to_library,
            None,
            QCoreApplication.translate(
                "BlockNavigation", "Keep the selected block in your block library, for any model"
            ),
        )

    @property
    def scope(self) -> Document:
        """The document the canvas edits now: the model, or the innermost open block."""
        return self.scopes[-1] if self.scopes else self.document

    def _hook_view(self, view: EditorView) -> None:
        view.selection_changed.connect(self.inspector.set_nodes)
        view.node_activated.connect(self._on_node_activated)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._canvas_menu)

    def _show_view(self, view: EditorView) -> None:
        if view is self.view:
            return
        self.view.hide()
        self.centre_column.replaceWidget(self.view, view)
        self.view = view
        view.show()
        self.inspector.set_document(self.scope)
        self.breadcrumb.set_levels(
            [self.document.graph.name, *(s.block_name for s in self.scopes)],
            QCoreApplication.translate(
                "BlockNavigation", "edits here change every use of the block"
            )
            if self.scopes
            else "",
        )
        view.setFocus()

    def open_block(self, use_id: str) -> None:
        """Edit the definition of the block ``use_id`` uses, in the canvas (breadcrumb back)."""
        name = self.scope.graph.node(use_id).type
        uses = [*(self.scopes[-1].uses if self.scopes else []), use_id]
        scope = BlockDocument(self.document, name, uses, self)
        scope.vanished.connect(self._on_scope_vanished)
        self.scopes.append(scope)
        view = self.make_view(scope)
        self._hook_view(view)
        self.scope_views.append(view)
        self._show_view(view)
        QTimer.singleShot(0, view.frame_graph)
        text = QCoreApplication.translate(
            "BlockNavigation", "Editing block {name}: changes apply to every use"
        )
        self.statusBar().showMessage(text.format(name=name), 5000)

    def leave_to(self, level: int) -> None:
        """Go back to breadcrumb level ``level`` (0: the model)."""
        level = max(level, 0)
        if level >= len(self.scopes):
            return
        dropped = list(zip(self.scopes[level:], self.scope_views[level:], strict=True))
        del self.scopes[level:]
        del self.scope_views[level:]
        self._show_view(self.scope_views[-1] if self.scope_views else self.root_view)
        for scope, view in dropped:
            view.deleteLater()
            scope.close()
            scope.deleteLater()

    def _on_scope_vanished(self) -> None:
        """An undo removed the block being edited: go back out (after the event in flight)."""
        alive = 0
        for scope in self.scopes:
            if not scope.graph.exists():
                break
            alive += 1
        QTimer.singleShot(0, lambda: self.leave_to(alive))

    def _on_model_event(self, ev) -> None:
        if ev.kind in ("block_changed", "graph_changed"):
            self.refresh_block_palette()
        if ev.kind == "graph_changed" and self.scopes:
            self.breadcrumb.set_levels(
                [self.document.graph.name, *(s.block_name for s in self.scopes)],
                QCoreApplication.translate(
                    "BlockNavigation", "edits here change every use of the block"
                ),
            )

    def refresh_block_palette(self, read_library: bool = False) -> None:
        if read_library or not hasattr(self, "_library"):
            self._library, errors = list_library()
            for message in errors:
                self.statusBar().showMessage(message, 8000)
        graph = self.document.graph
        mine = [(name, graph.blocks[name].doc) for name in graph.blocks.names]
        self.palette_panel.set_blocks(mine, self._library)

    def _selected_block(self) -> str | None:
        ids = self.view.selected_nodes()
        if len(ids) == 1 and self.scope.graph.node(ids[0]).type in self.scope.graph.blocks:
            return ids[0]
        return None

    def group_selection(self) -> str | None:
        """Ctrl+G: the selected nodes become one use of a new block (asks its name)."""
        ids = self.view.selected_nodes()
        if not ids or self.scope.read_only:
            self.statusBar().showMessage(
                QCoreApplication.translate(
                    "BlockNavigation", "Select the nodes to group into a block first"
                ),
                4000,
            )
            return None
        name = blocks.ask_block_name(self, self.scope.graph, len(ids))
        if not name:
            return None
        try:
            use = self.scope.group_into_block(ids, name)
        except NodemlError as exc:
            QMessageBox.warning(
                self, QCoreApplication.translate("BlockNavigation", "Cannot group"), str(exc)
            )
            return None
        self.view.select_node(use)
        text = QCoreApplication.translate(
            "BlockNavigation", "Grouped {count} nodes into {name}; double-click {use} to edit it"
        )
        self.statusBar().showMessage(text.format(count=len(ids), name=name, use=use), 5000)
        return use

    def ungroup_selection(self) -> list[str]:
        use = self._selected_block()
        if use is None:
            self.statusBar().showMessage(
                QCoreApplication.translate("BlockNavigation", "Select one block node to ungroup"),
                4000,
            )
            return []
        try:
            ids = self.scope.ungroup(use)
        except NodemlError as exc:
            QMessageBox.warning(
                self, QCoreApplication.translate("BlockNavigation", "Cannot ungroup"), str(exc)
            )
            return []
        self._select(ids)
        return ids

    def open_selected_block(self) -> None:
        use = self._selected_block()
        if use is not None:
            self.open_block(use)
        elif self.scopes:
            self.statusBar().showMessage(
                QCoreApplication.translate("BlockNavigation", "Select a block node to open it"),
                4000,
            )

    def save_block_to_library(self, folder: str | Path | None = None) -> Path | None:
        """Write the selected block (or the open one) to the user's block library."""
        use = self._selected_block()
        name = self.scope.graph.node(use).type if use else getattr(self.scope, "block_name", None)
        if name is None:
            self.statusBar().showMessage(
                QCoreApplication.translate(
                    "BlockNavigation", "Select a block node to save it to the library"
                ),
                4000,
            )
            return None
        try:
            path = save_block(self.document.graph, name, folder)
        except NodemlError as exc:
            QMessageBox.warning(
                self, QCoreApplication.translate("BlockNavigation", "Cannot save block"), str(exc)
            )
            return None
        self.refresh_block_palette(read_library=True)
        text = QCoreApplication.translate("BlockNavigation", "Saved block {name} to {path}")
        self.statusBar().showMessage(text.format(name=name, path=path), 5000)
        return path

    def add_library_block(self, path: str, pos: tuple[float, float] | None = None) -> str | None:
        """Palette double-click on a library block: define it here and add a use."""
        if self.scope.read_only:
            return None
        if pos is None:
            c = self.view_centre()
            pos = (c.x() - 90.0, c.y() - 40.0)
        try:
            nid = self.scope.add_library_block(load_library_block(path), pos)
        except NodemlError as exc:
            QMessageBox.warning(
                self, QCoreApplication.translate("BlockNavigation", "Cannot add block"), str(exc)
            )
            return None
        self.view.select_node(nid)
        return nid

    def _canvas_menu(self, point) -> QMenu:
        view = self.view
        item = view.itemAt(point)
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()  # a port or a label of the node
        if item is not None and not item.isSelected():
            view.select_node(item.node_id, reveal=False)  # the menu is about the node clicked
        item_ids = view.selected_nodes()
        menu = QMenu(self)
        use = self._selected_block()
        if use is not None:
            menu.addAction(self.open_block_action)
        if len(item_ids) > 0:
            menu.addAction(self.group_action)
        if use is not None:
            menu.addAction(self.ungroup_action)
            menu.addAction(self.save_block_action)
        if item_ids:
            frozen = all(
                self.scope.graph.node(n).extra.get("trainable", True) is False for n in item_ids
            )
            if frozen:
                toggle = menu.addAction(QCoreApplication.translate("BlockNavigation", "Unfreeze"))
            else:
                toggle = menu.addAction(
                    QCoreApplication.translate("BlockNavigation", "Freeze (not trainable)")
                )
            toggle.triggered.connect(lambda: self.scope.set_trainable(item_ids, frozen))
            if len(item_ids) == 1 and not self.scopes:  # its grad_fns, in the whole backward graph
                autograd = menu.addAction(
                    QCoreApplication.translate("BlockNavigation", "Show in Autograd Graph…")
                )
                autograd.triggered.connect(lambda: self.autograd.show(focus=item_ids[0]))
            menu.addSeparator()
            for act in (
                self.cut_action,
                self.copy_action,
                self.duplicate_action,
                self.delete_action,
            ):
                menu.addAction(act)
        menu.addAction(self.paste_action)
        menu.addSeparator()
        menu.addAction(self.quick_add_action)
        menu.popup(view.viewport().mapToGlobal(point))
        return menu
