"""The inspector: the selected node's id, params, trainable flag, output shapes and weight tensors."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.blocks import PARAM_REF, BlockParam, is_param_ref, spec_for
from ..core.catalog import REQUIRED
from ..core.display import format_count
from ..core.errors import GraphEditError
from ..core.graph import GraphEvent, GraphEventKind
from .blocks import ask_block_param
from .catalog_text import catalog_text, category_label
from .document import Document
from .language import counted
from .param_editor import ParamRow, param_label
from .theme import CATEGORY_COLORS, TextRole, current_theme, set_role
from .transfer_dialog import pretrained_hint


def _muted(text: str) -> str:
    """Rich text in the theme's muted colour (as it is when the text is made)."""
    return f"<span style='color: {current_theme().muted.name()}'>{text}</span>"


def section_label(title: str) -> QLabel:
    label = QLabel(title.upper())
    set_role(label, TextRole.SECTION)
    label.setContentsMargins(0, 10, 0, 2)
    return label


class Inspector(QScrollArea):
    """Edits one node through the Document; shows what inference knows about it.

    ``set_nodes(ids)`` follows the canvas selection. The widgets are rebuilt only when another
    node (or type) is shown; after each edit the rows are refreshed in place, so focus and the
    Tab order survive typing.
    """

    node_shown = Signal(object)  # the one node shown now (its id), or None

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.node_id: str | None = None
        self.selection: list[str] = []
        self._built_for: tuple[str, str] | None = None
        self.rows: dict[str, ParamRow] = {}
        self.bindings: dict[str, tuple[QLabel, QToolButton]] = {}  # inside a block
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._follow(document)
        self._build()

    def set_document(self, document: Document) -> None:
        """Show nodes of another document (the canvas opened a block, or went back)."""
        if document is self.document:
            return
        for signal, slot in self._links:
            signal.disconnect(slot)
        self.document = document
        self._follow(document)
        self.set_nodes([])

    def _follow(self, document: Document) -> None:
        self._links = [
            (document.inferred, self.refresh),
            (document.graph_event, self._on_graph_event),
            (document.reloaded, self._on_reloaded),
        ]
        for signal, slot in self._links:
            signal.connect(slot)

    def _on_reloaded(self) -> None:
        self.set_nodes([])

    @property
    def in_block(self) -> str | None:
        """The block whose definition is shown, or None for the model itself."""
        return self.document.block_name

    # ---- following the selection ---------------------------------------------------------
    def set_nodes(self, ids: list[str]) -> None:
        self.selection = [i for i in ids if i in self.document.graph]
        self.node_id = self.selection[0] if len(self.selection) == 1 else None
        self._build()

    def _on_graph_event(self, ev: GraphEvent) -> None:
        if ev.kind is GraphEventKind.NODE_RENAMED:
            self.selection = [ev.node if i == ev.old_id else i for i in self.selection]
            if self.node_id == ev.old_id:
                self.node_id = ev.node
                self._built_for = (ev.node, self._built_for[1]) if self._built_for else None
        elif ev.kind is GraphEventKind.NODE_REMOVED and ev.node in self.selection:
            self.selection.remove(ev.node)
            if self.node_id == ev.node:
                self.node_id = None

    def refresh(self) -> None:
        graph = self.document.graph
        if self.node_id is not None and self.node_id not in graph:
            self.node_id = None
        key = (self.node_id, graph.node(self.node_id).type) if self.node_id else None
        if key != self._built_for:
            self._build()
        elif self.node_id is not None:
            self._update()
        else:
            self._update_empty()

    # ---- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.rows = {}
        page = QWidget()
        page.setObjectName("inspectorPage")
        self.box = QVBoxLayout(page)
        self.box.setContentsMargins(10, 8, 10, 10)
        self.box.setSpacing(2)
        if self.node_id is None:
            self._built_for = None
            self._build_empty()
        else:
            node = self.document.graph.node(self.node_id)
            self._built_for = (node.id, node.type)
            self._build_node(node.type)
        self.box.addStretch(1)
        self.setWidget(page)
        self.refresh()
        self.node_shown.emit(self.node_id)

    def _build_empty(self) -> None:
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        set_role(self.subtitle, TextRole.MUTED)
        self.box.addWidget(self.title)
        self.box.addWidget(self.subtitle)
        self.box.addWidget(section_label(self.tr("Block") if self.in_block else self.tr("Model")))
        form = QFormLayout()
        self.model_name = QLineEdit()
        self.model_name.setObjectName("modelName")
        if self.in_block:  # its class name; set when grouping
            self.model_name.setReadOnly(True)
        else:
            self.model_name.editingFinished.connect(self._rename_model)
        form.addRow(self.tr("Name"), self.model_name)
        self.box.addLayout(form)
        self.block_params = QVBoxLayout()
        self._shown_block_params: tuple | None = None
        if self.in_block:
            self.box.addWidget(section_label(self.tr("Block parameters")))
            self.box.addLayout(self.block_params)
        self.totals = QLabel()
        set_role(self.totals, TextRole.MUTED)
        self.totals.setWordWrap(True)
        self.box.addWidget(self.totals)

    def _build_node(self, type_name: str) -> None:
        self.bindings = {}
        spec = spec_for(self.document.graph, type_name)
        self.title = QLabel(type_name)
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.box.addWidget(self.title)
        weights = self.tr("has weights") if spec and spec.parametric else self.tr("no weights")
        if spec is not None and spec.category == "block":
            block = self.document.graph.blocks[type_name]
            head = self.tr("Block · {count} nodes inside · {weights}")
            head = head.format(count=len(block.graph), weights=weights)
            doc = catalog_text(block.doc) or self.tr("A graph used as one node.")
            how = self.tr("Double-click it on the canvas to open and edit its definition.")
            self.subtitle = QLabel(f"{head}<br>{doc}<br>{how}")
        elif spec is not None:
            category, description = category_label(spec.category), catalog_text(spec.description)
            self.subtitle = QLabel(f"{category} · {weights}<br>{description}")
        else:
            self.subtitle = QLabel(
                self.tr("This type is not in the catalog; see the Problems panel.")
            )
        self.subtitle.setWordWrap(True)
        set_role(self.subtitle, TextRole.MUTED)
        self.box.addWidget(self.subtitle)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("nodeId")
        self.id_edit.setToolTip(
            self.tr("The node's id: its attribute name in the generated module")
        )
        self.id_edit.editingFinished.connect(self._rename)
        self.id_error = QLabel()
        set_role(self.id_error, TextRole.ERROR)
        self.id_error.setWordWrap(True)
        self.id_error.hide()
        form.addRow(self.tr("Id"), self.id_edit)
        form.addRow("", self.id_error)
        self.box.addLayout(form)

        if spec is not None and spec.params:
            self.box.addWidget(section_label(self.tr("Parameters")))
            params = QFormLayout()
            params.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            for p in spec.params:
                row = ParamRow(p, self._set_param, self._unset_param)
                self.rows[p.name] = row
                params.addRow(param_label(p), self._with_binding(p.name, row))
            self.box.addLayout(params)

        self.weights_hint = QLabel()
        self.weights_hint.setObjectName("weightsHint")
        self.weights_hint.setWordWrap(True)
        set_role(self.weights_hint, TextRole.MUTED)
        self.weights_hint.hide()
        self.box.addWidget(self.weights_hint)
        self.trainable = None
        if spec is not None and spec.parametric:
            self.trainable = QCheckBox(self.tr("Trainable"))
            self.trainable.setToolTip(
                self.tr("Unticked: the weights are frozen (requires_grad=False)")
            )
            self.trainable.clicked.connect(self._set_trainable)
            self.box.addWidget(self.trainable, 0, Qt.AlignmentFlag.AlignLeft)

        self.box.addWidget(section_label(self.tr("Output")))
        self.outputs = QLabel()
        self.outputs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box.addWidget(self.outputs)
        self.box.addWidget(section_label(self.tr("Weights")))
        self.weights = QLabel()
        self.weights.setObjectName("weights")
        self.weights.setTextFormat(Qt.TextFormat.RichText)
        self.weights.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box.addWidget(self.weights)
        self.node_problems = QLabel()
        self.node_problems.setWordWrap(True)
        set_role(self.node_problems, TextRole.ERROR)
        self.box.addWidget(self.node_problems)

    def _with_binding(self, name: str, row: ParamRow) -> QWidget:
        """Inside a block, a param can take a block parameter's value instead of its own."""
        if self.in_block is None:
            return row
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        bound = QLabel()
        bound.setObjectName(f"bound_{name}")
        bound.setStyleSheet(f"color: {CATEGORY_COLORS['block'].name()}; font-weight: 600;")
        bound.hide()
        button = QToolButton()
        button.setObjectName(f"bind_{name}")
        button.setAutoRaise(True)
        button.clicked.connect(lambda _c=False, n=name: self._toggle_binding(n))
        line.addWidget(row, 1)
        line.addWidget(bound, 1)
        line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.bindings[name] = (bound, button)
        return holder

    def _show_binding(self, name: str, value: Any) -> bool:
        """Show ``name`` as bound or free; True when bound (the row's editor is hidden)."""
        if name not in self.bindings:
            return False
        bound, button = self.bindings[name]
        is_bound = is_param_ref(value)
        self.rows[name].setVisible(not is_bound)
        bound.setVisible(is_bound)
        if is_bound:
            bound.setText(self.tr("= block param {name}").format(name=value[PARAM_REF]))
            button.setText(self.tr("Unbind"))
            button.setToolTip(self.tr("Give this node its own value again"))
        else:
            button.setText("⇠")  # narrow: the dock is often under 300 px wide
            button.setToolTip(
                self.tr(
                    "Take {name} from a parameter of {block}, set on each use of the block"
                ).format(name=name, block=self.in_block)
            )
        return is_bound

    def _toggle_binding(self, name: str) -> None:
        if self.node_id is None:
            return
        node = self.document.graph.node(self.node_id)
        value = node.params.get(name)
        if is_param_ref(value):
            info = self.document.inference.info(node.id)
            fixed = info.values.get(name, self.rows[name].spec.default)
            if fixed is REQUIRED or is_param_ref(fixed):
                self.document.unset_param(node.id, name)
            else:
                self.document.set_param(node.id, name, fixed)
            return
        chosen = ask_block_param(self, self.document.graph.blocks[self.in_block], name)
        if chosen is None:
            return
        spec = self.rows[name].spec
        current = (
            value if name in node.params else self.document.inference.info(node.id).values.get(name)
        )
        default = current if current is not None and spec.check(current) is None else REQUIRED
        try:
            self.document.bind_param(node.id, name, BlockParam(chosen, spec.kind, default=default))
        except GraphEditError as exc:
            self.node_problems.setText(str(exc))
            self.node_problems.show()

    # ---- showing -------------------------------------------------------------------------
    def _update_empty(self) -> None:
        graph = self.document.graph
        if self.selection:
            self.title.setText(self.tr("{count} nodes selected").format(count=len(self.selection)))
            infos = [self.document.inference.info(i) for i in self.selection]
            params = sum(i.params for i in infos)
            together = self.tr("{params} params together. Select one to edit it.")
            self.subtitle.setText(together.format(params=format_count(params)))
        else:
            self.title.setText(self.tr("Nothing selected"))
            self.subtitle.setText(
                self.tr(
                    "Select a node on the canvas to edit its parameters. Add layers by dragging "
                    "them from the palette, double-clicking them, or pressing Tab."
                )
            )
        if not self.model_name.hasFocus():
            self.model_name.setText(self.in_block or graph.name)
        if self.in_block:
            self._show_block_params()
        totals = self.document.inference.totals()
        text = self.tr("{count} node(s) · {params:,} params · {macs}")
        macs = self.tr("{macs} MACs").format(macs=format_count(totals.macs))
        self.totals.setText(counted(text, len(graph), params=totals.params, macs=macs))

    def _show_block_params(self) -> None:
        """Each declared block param, its kind and default, and Remove while nothing uses it."""
        block = self.document.graph.blocks.get(self.in_block)
        if block is None:
            return
        used = {
            v[PARAM_REF] for n in block.graph.nodes for v in n.params.values() if is_param_ref(v)
        }
        key = tuple(
            (p.name, p.kind, repr(p.default), p.name in used) for p in block.params.values()
        )
        if key == self._shown_block_params:
            return
        self._shown_block_params = key
        while self.block_params.count():
            item = self.block_params.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if not block.params:
            none = QLabel(
                self.tr(
                    "None yet. Select an inner node and press ⇠ beside a parameter to set it per use."
                )
            )
            none.setWordWrap(True)
            set_role(none, TextRole.MUTED)
            self.block_params.addWidget(none)
        for p in block.params.values():
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            default = "" if p.default is REQUIRED else f" = {p.default}"
            line.addWidget(QLabel(f"<b>{p.name}</b> {_muted(f'{p.kind}{default}')}"), 1)
            remove = QToolButton()
            remove.setText(self.tr("Remove"))
            remove.setObjectName(f"removeBlockParam_{p.name}")
            remove.setAutoRaise(True)
            remove.setEnabled(p.name not in used)
            remove.setToolTip(
                self.tr("Used by an inner node: unbind it first")
                if p.name in used
                else self.tr("Remove this parameter")
            )
            remove.clicked.connect(lambda _c=False, n=p.name: self.document.remove_block_param(n))
            line.addWidget(remove)
            self.block_params.addWidget(row)

    def _update(self) -> None:
        node = self.document.graph.node(self.node_id)
        info = self.document.inference.info(node.id)
        if not self.id_edit.hasFocus() or not self.id_error.isVisible():
            self.id_edit.setText(node.id)
        by_field: dict[str, str] = {}
        loose = []
        for problem in info.problems:
            if problem.field in self.rows and problem.field not in by_field:
                by_field[problem.field] = problem.message
            else:
                loose.append(problem.message)
        for name, row in self.rows.items():
            if self._show_binding(name, node.params.get(name)):
                continue
            explicit = name in node.params
            value = node.params[name] if explicit else info.values.get(name)
            if not explicit and name not in info.values and row.spec.default is not REQUIRED:
                value = row.spec.default
            row.show_state(value, explicit, by_field.get(name))
        hint = pretrained_hint(node, self.rows)
        self.weights_hint.setText(hint)
        self.weights_hint.setVisible(bool(hint))
        if self.trainable is not None:
            self.trainable.setChecked(node.extra.get("trainable", True) is not False)
        if info.outputs:
            self.outputs.setText("\n".join(t.describe() for t in info.outputs))
        else:
            self.outputs.setText(
                self.tr("unknown until the problems below are fixed")
                if info.problems
                else self.tr("unknown: an input is not ready yet (see Problems)")
            )
        self.weights.setText(self._weights_text(node.id, info))
        self.node_problems.setText("\n".join(loose))
        self.node_problems.setVisible(bool(loose))

    @staticmethod
    def _weights_text(node_id: str, info: Any) -> str:
        if not info.param_shapes:
            return _muted(QCoreApplication.translate("Inspector", "none"))
        rows = "".join(
            f"<tr><td><code>{node_id}.{name}</code></td>"
            f"<td style='padding-left:12px'><code>[{', '.join(str(d) for d in shape)}]</code></td></tr>"
            for name, shape in info.param_shapes
        )
        if info.trainable == info.params:
            text = QCoreApplication.translate("Inspector", "{params:,} params · {macs}")
        else:
            text = QCoreApplication.translate(
                "Inspector", "{params:,} params, {trainable:,} trainable · {macs}"
            )
        macs = QCoreApplication.translate("Inspector", "{macs} MACs").format(
            macs=format_count(info.macs)
        )
        text = text.format(params=info.params, trainable=info.trainable, macs=macs)
        return f"<table cellspacing=0>{rows}</table>" + _muted(text)

    # ---- edits ---------------------------------------------------------------------------
    def _set_param(self, name: str, value: Any, merge: Any = None) -> None:
        if self.node_id is not None:
            self.document.set_param(self.node_id, name, value, merge=merge)

    def _unset_param(self, name: str) -> None:
        if self.node_id is not None:
            self.document.unset_param(self.node_id, name)

    def _set_trainable(self, on: bool) -> None:
        if self.node_id is not None:
            self.document.set_trainable([self.node_id], on)

    def _rename(self) -> None:
        new = self.id_edit.text().strip()
        if self.node_id is None or new == self.node_id:
            self.id_error.hide()
            return
        try:
            self.document.rename(self.node_id, new)
        except GraphEditError as exc:
            self.id_error.setText(str(exc))
            self.id_error.show()
            return
        self.id_error.hide()

    def _rename_model(self) -> None:
        name = self.model_name.text().strip()
        if name:
            self.document.set_graph_name(name)
