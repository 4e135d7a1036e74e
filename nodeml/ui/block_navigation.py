"""The canvas column of the window: the model's canvas and one per open block, with a breadcrumb
back; grouping, ungrouping and the block library, on whichever canvas is shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from ..core.blocks import list_library, load_library_block, save_block
from ..core.errors import NodemlError
from ..core.graph import GraphEvent, GraphEventKind
from . import blocks
from .block_scope import BlockDocument
from .document import Document
from .editor import EditorView
from .editor.node_item import NodeItem
from .inspector import Inspector
from .palette import Palette
from .theme import TextRole, set_role


class EmptyCanvasHint(QLabel):
    """Centred on an empty canvas: how to start. Mouse events pass through to the canvas."""

    def __init__(self, view: EditorView):
        how = QCoreApplication.translate(
            "EmptyCanvasHint", "Drag layers from the palette or press <b>Tab</b>"
        )
        more = QCoreApplication.translate(
            "EmptyCanvasHint",
            "Double-click a layer to add it; with a node selected, it is wired after it.<br>"
            "Or open a ready-made model: File → Open Sample.",
        )
        text = f"<div style='font-size:15px'>{how}</div><div style='margin-top:6px'>{more}</div>"
        super().__init__(text, view.viewport())
        self.view = view
        self.setObjectName("emptyCanvasHint")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("background: transparent;")
        set_role(self, TextRole.MUTED)
        view.viewport().installEventFilter(self)
        self.follow()

    def follow(self) -> None:
        self.setVisible(len(self.view.document.graph) == 0)
        self.setGeometry(self.view.viewport().rect())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self.view.viewport().rect())
        return False


class BlockNavigation(QObject):
    """``widget`` holds the breadcrumb over the canvas shown now (``view``). ``scopes`` are the
    blocks open, outermost first; ``scope`` is the document the canvas edits now (the model, or
    the innermost open block). The inspector follows the canvas shown; the palette lists the
    model's blocks and the library's. ``status`` shows a line for some milliseconds.

    Signals: ``node_activated(str)`` (a double-click on a node that is no block: show it),
    ``context_menu_requested(QPoint)`` (a right-click on the canvas, in viewport coordinates).
    """

    node_activated = Signal(str)
    context_menu_requested = Signal(QPoint)

    def __init__(
        self,
        parent: QWidget,
        document: Document,
        inspector: Inspector,
        palette: Palette,
        status: Callable[[str, int], None],
    ):
        super().__init__(parent)
        self.parent_widget, self.document = parent, document
        self.inspector, self.palette = inspector, palette
        self._status = status
        self.view = self.root_view = EditorView(document, parent)
        self.scopes: list[BlockDocument] = []
        self.scope_views: list[EditorView] = []  # one canvas per open block
        self.breadcrumb = blocks.Breadcrumb(self.leave_to, parent)
        self.widget = QWidget(parent)
        self._column = QVBoxLayout(self.widget)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(self.breadcrumb)
        self._column.addWidget(self.view, 1)
        self.empty_hint = EmptyCanvasHint(self.view)
        self._library: list | None = None
        self._hook_view(self.view)
        document.inferred.connect(self.empty_hint.follow)
        document.reloaded.connect(self.empty_hint.follow)
        document.reloaded.connect(lambda: self.leave_to(0))
        document.graph_event.connect(self._on_model_event)
        palette.library_block_requested.connect(self.add_library_block)
        self.refresh_block_palette(read_library=True)

    @property
    def scope(self) -> Document:
        """The document the canvas edits now: the model, or the innermost open block."""
        return self.scopes[-1] if self.scopes else self.document

    # ---- the canvas shown ------------------------------------------------------------------
    def _hook_view(self, view: EditorView) -> None:
        view.selection_changed.connect(self.inspector.set_nodes)
        view.node_activated.connect(self._on_node_activated)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.context_menu_requested.emit)

    def _show_view(self, view: EditorView) -> None:
        if view is self.view:
            return
        self.view.hide()
        self._column.replaceWidget(self.view, view)
        self.view = view
        view.show()
        self.inspector.set_document(self.scope)
        self._show_levels(
            self.tr("edits here change every use of the block") if self.scopes else ""
        )
        view.setFocus()

    def _show_levels(self, note: str) -> None:
        self.breadcrumb.set_levels(
            [self.document.graph.name, *(s.block_name for s in self.scopes)], note
        )

    def view_centre(self) -> QPointF:
        return self.view.mapToScene(self.view.viewport().rect().center())

    def select(self, ids: list[str]) -> None:
        """Select exactly these nodes on the canvas shown."""
        scene = self.view.scene()
        scene.clearSelection()
        wanted = set(ids)
        for item in scene.items():
            if isinstance(item, NodeItem) and item.node_id in wanted:
                item.setSelected(True)

    def select_all(self) -> None:
        self.select(self.scope.graph.node_ids)

    def delete_selected(self) -> None:
        self.scope.remove_nodes(self.view.selected_nodes(), self.view.scene().selected_edges())

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

    def _on_node_activated(self, node_id: str) -> None:
        if self.scope.graph.node(node_id).type in self.scope.graph.blocks:
            self.open_block(node_id)
        else:
            self.node_activated.emit(node_id)

    # ---- into and out of blocks ------------------------------------------------------------
    def open_block(self, use_id: str) -> None:
        """Edit the definition of the block ``use_id`` uses, in the canvas (breadcrumb back)."""
        name = self.scope.graph.node(use_id).type
        uses = [*(self.scopes[-1].uses if self.scopes else []), use_id]
        scope = BlockDocument(self.document, name, uses, self.parent_widget)
        scope.vanished.connect(self._on_scope_vanished)
        self.scopes.append(scope)
        view = EditorView(scope, self.parent_widget)
        self._hook_view(view)
        self.scope_views.append(view)
        self._show_view(view)
        QTimer.singleShot(0, view.frame_graph)
        self._status(
            self.tr("Editing block {name}: changes apply to every use").format(name=name), 5000
        )

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

    def leave_block(self) -> None:
        self.leave_to(len(self.scopes) - 1)

    def _on_scope_vanished(self) -> None:
        """An undo removed the block being edited: go back out (after the event in flight)."""
        alive = 0
        for scope in self.scopes:
            if not scope.graph.exists():
                break
            alive += 1
        QTimer.singleShot(0, lambda: self.leave_to(alive))

    def _on_model_event(self, ev: GraphEvent) -> None:
        if ev.kind in (GraphEventKind.BLOCK_CHANGED, GraphEventKind.GRAPH_CHANGED):
            self.refresh_block_palette()
        if ev.kind is GraphEventKind.GRAPH_CHANGED and self.scopes:
            self._show_levels(self.tr("edits here change every use of the block"))

    # ---- grouping and the library ----------------------------------------------------------
    def refresh_block_palette(self, read_library: bool = False) -> None:
        if read_library or self._library is None:
            self._library, errors = list_library()
            for message in errors:
                self._status(message, 8000)
        graph = self.document.graph
        mine = [(name, graph.blocks[name].doc) for name in graph.blocks.names]
        self.palette.set_blocks(mine, self._library)

    def selected_block(self) -> str | None:
        """The one selected node, when it is a block use."""
        ids = self.view.selected_nodes()
        if len(ids) == 1 and self.scope.graph.node(ids[0]).type in self.scope.graph.blocks:
            return ids[0]
        return None

    def group_selection(self) -> str | None:
        """Ctrl+G: the selected nodes become one use of a new block (asks its name)."""
        ids = self.view.selected_nodes()
        if not ids or self.scope.read_only:
            self._status(self.tr("Select the nodes to group into a block first"), 4000)
            return None
        name = blocks.ask_block_name(self.parent_widget, self.scope.graph, len(ids))
        if not name:
            return None
        try:
            use = self.scope.group_into_block(ids, name)
        except NodemlError as exc:
            QMessageBox.warning(self.parent_widget, self.tr("Cannot group"), str(exc))
            return None
        self.view.select_node(use)
        text = self.tr("Grouped {count} nodes into {name}; double-click {use} to edit it")
        self._status(text.format(count=len(ids), name=name, use=use), 5000)
        return use

    def ungroup_selection(self) -> list[str]:
        use = self.selected_block()
        if use is None:
            self._status(self.tr("Select one block node to ungroup"), 4000)
            return []
        try:
            ids = self.scope.ungroup(use)
        except NodemlError as exc:
            QMessageBox.warning(self.parent_widget, self.tr("Cannot ungroup"), str(exc))
            return []
        self.select(ids)
        return ids

    def open_selected_block(self) -> None:
        use = self.selected_block()
        if use is not None:
            self.open_block(use)
        elif self.scopes:
            self._status(self.tr("Select a block node to open it"), 4000)

    def save_block_to_library(self, folder: str | Path | None = None) -> Path | None:
        """Write the selected block (or the open one) to the user's block library."""
        use = self.selected_block()
        name = self.scope.graph.node(use).type if use else self.scope.block_name
        if name is None:
            self._status(self.tr("Select a block node to save it to the library"), 4000)
            return None
        try:
            path = save_block(self.document.graph, name, folder)
        except NodemlError as exc:
            QMessageBox.warning(self.parent_widget, self.tr("Cannot save block"), str(exc))
            return None
        self.refresh_block_palette(read_library=True)
        self._status(self.tr("Saved block {name} to {path}").format(name=name, path=path), 5000)
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
            QMessageBox.warning(self.parent_widget, self.tr("Cannot add block"), str(exc))
            return None
        self.view.select_node(nid)
        return nid
