"""The Training dock's settings form, built from TrainingConfig's field descriptions.

Each setting's row comes from the SettingSpec beside its field in nodeml/core/training/config.py
(label, help, range, step, choices, the settings it depends on), so the form and
``TrainingConfig.validate`` agree by construction. The form shows the graph's ``training``
section (defaults when absent) and writes every change back through an undoable command; it
keeps no settings of its own beyond what is on screen. One setting is the app's, not the
graph's: how many processes train (a torchrun job for more than one).
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

import torch
from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.graph import GraphEvent, GraphEventKind
from ...core.training import ConfigError, TrainingConfig, dataset_names, dataset_spec
from ...core.training.defaults import training_config
from ...core.training.setting_spec import Group, Kind, setting_specs
from ..catalog_text import catalog_text, option_label
from ..document import Document
from ..theme import TextRole, set_role
from .commands import SetTrainingSettingsCommand
from .setting_row import SettingRow

PROCESSES_KEY = "training/processes"


def device_choices() -> list[tuple[str, str, bool]]:
    """(value, label, available) for the device list; CUDA shows the GPU's name."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    unavailable = QCoreApplication.translate("SettingsPanel", "{device} (not available)")
    cuda_label = (
        f"CUDA · {torch.cuda.get_device_name(0)}" if cuda else unavailable.format(device="CUDA")
    )
    auto = catalog_text("Auto") + " · " + ("CUDA" if cuda else "MPS" if mps else "CPU")
    return [
        ("auto", auto, True),
        ("cpu", "CPU", True),
        ("cuda", cuda_label, cuda),
        ("mps", "Apple MPS" if mps else unavailable.format(device="MPS"), mps),
    ]


def process_limit(device: str) -> int:
    """How many processes a run may take: the GPUs present when it trains on CUDA, else the
    CPU cores."""
    if device in ("auto", "cuda") and torch.cuda.is_available():
        return max(1, torch.cuda.device_count())
    return max(1, os.cpu_count() or 1)


class SettingsPanel(QWidget):
    """Emits ``dataset_changed(name, options)`` when the preview should be redrawn and
    ``processes_changed(n)`` when the number of training processes changes."""

    dataset_changed = Signal(str, dict)
    processes_changed = Signal(int)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._loading = False
        self._written: dict[str, Any] | None = None
        self._base = TrainingConfig()
        self._option_widgets: dict[str, QWidget] = {}
        self._outputs_matter = False  # the graph has several Outputs to choose from
        self.specs = setting_specs(TrainingConfig)
        self.rows: dict[str, QWidget] = {}  # every setting's editor: a SettingRow, or the two below
        self.forms: dict[Group, QFormLayout] = {}

        self.dataset = QComboBox()
        for name in dataset_names():
            self.dataset.addItem(name, name)
            self.dataset.setItemData(
                self.dataset.count() - 1,
                dataset_spec(name).description,
                Qt.ItemDataRole.ToolTipRole,
            )
        self.dataset.setToolTip(self.specs["dataset"].help)
        self.dataset_help = QLabel(wordWrap=True)
        self.dataset_help.setObjectName("muted")
        self.options = QWidget()
        self.options.setToolTip(catalog_text(self.specs["dataset_options"].help))
        self.options_form = QFormLayout(self.options)
        self.options_form.setContentsMargins(0, 0, 0, 0)
        self.rows["dataset"], self.rows["dataset_options"] = self.dataset, self.options

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in Group:
            box = QGroupBox(catalog_text(group.value))
            form = QFormLayout(box)
            self.forms[group] = form
            if group is Group.ADVANCED:
                self.advanced_toggle = QToolButton(
                    text=self.tr("Advanced settings"), checkable=True
                )
                self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
                self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
                self.advanced_toggle.toggled.connect(self._show_advanced)
                layout.addWidget(self.advanced_toggle)
                box.hide()
                self.advanced_box = box
            layout.addWidget(box)
        for name, spec in self.specs.items():
            form = self.forms[spec.group]
            if spec.kind is Kind.DATASET:
                form.addRow(catalog_text(spec.label), self.dataset)
                form.addRow(self.dataset_help)
                continue
            if spec.kind is Kind.OPTIONS:
                form.addRow(self.options)
                continue
            row = SettingRow(name, spec)
            row.edited.connect(self._edited)
            self.rows[name] = row
            label = QLabel("" if spec.kind is Kind.BOOL else catalog_text(spec.label))
            label.setToolTip(row.tooltip())
            form.addRow(label, row)
        self._fit_device_choices()
        self.processes = QSpinBox(minimum=1, maximum=process_limit("auto"))
        self.processes.setToolTip(
            self.tr(
                "How many processes train: 2 or more run the training as a torchrun job "
                "(DistributedDataParallel), one per GPU on CUDA, else on the CPU cores. "
                "This is the app's setting, not the graph's."
            )
        )
        self.processes.setValue(min(self.processes.maximum(), _saved_processes()))
        self.processes.valueChanged.connect(self._processes_edited)
        self.forms[Group.RUN].addRow(self.tr("Processes"), self.processes)
        self.error = QLabel(wordWrap=True)
        set_role(self.error, TextRole.ERROR)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.dataset.currentIndexChanged.connect(self._dataset_picked)
        document.graph_event.connect(self._graph_event)
        document.reloaded.connect(self.refresh)
        self.refresh()

    # ---- look-ups the dock and tests use ---------------------------------------------------------
    def row(self, name: str) -> SettingRow:
        row = self.rows[name]
        assert isinstance(row, SettingRow)
        return row

    def editor(self, name: str) -> QWidget:
        """The widget that edits setting ``name`` (its first one, for Adam's two betas)."""
        row = self.rows[name]
        return row.editor if isinstance(row, SettingRow) else row

    @property
    def epochs(self) -> QSpinBox:
        editor = self.editor("epochs")
        assert isinstance(editor, QSpinBox)
        return editor

    # ---- graph -> widgets --------------------------------------------------------------------------
    def section(self) -> dict[str, Any] | None:
        return self.document.graph.extras.get("training")

    def _graph_event(self, event: GraphEvent) -> None:
        kind, K = event.kind, GraphEventKind
        if kind in (K.GRAPH_CHANGED, K.SECTION_CHANGED) and self.section() != self._written:
            self.refresh()
        elif kind in (K.NODE_ADDED, K.NODE_CHANGED) and self.section() is None:
            node = self.document.graph.node(event.node) if event.node else None
            if node is not None and node.type == "Input":  # the default dataset follows it
                self.refresh()
                return
        if kind in (K.NODE_ADDED, K.NODE_REMOVED, K.NODE_RENAMED, K.GRAPH_CHANGED):
            self._list_outputs()

    def _list_outputs(self) -> None:
        """The trained-output choice lists the graph's Output nodes; it is shown only when
        there is a choice to make (several Outputs, or one named that is gone)."""
        row = self.row("output")
        ids = [n.id for n in self.document.graph.nodes if n.type == "Output"]
        row.set_choices(ids)
        self._outputs_matter = len(ids) > 1 or row.value() not in (None, *ids)
        if not self._loading:
            self._sync_visible()

    def refresh(self) -> None:
        """Show the graph's training section; a bad section shows its error over the defaults."""
        section = self.section()
        self._written = section
        try:
            config = training_config(self.document.graph, self.document.inference)
            self._show_error("")
        except ConfigError as exc:
            config = TrainingConfig()
            self._show_error(
                self.tr("The graph's training section has an error: {error}").format(error=exc)
            )
        self._base = config
        self._loading = True
        try:
            index = self.dataset.findData(config.dataset)
            if index < 0:  # a dataset this build does not know: shown, so it is not lost
                self.dataset.addItem(config.dataset, config.dataset)
                index = self.dataset.count() - 1
            self.dataset.setCurrentIndex(index)
            self._build_options(config.dataset, config.dataset_options)
            for name, row in self.rows.items():
                if isinstance(row, SettingRow):
                    row.set_value(getattr(config, name))
            self._list_outputs()
        finally:
            self._loading = False
        self._sync_visible()
        self.dataset_changed.emit(config.dataset, dict(config.dataset_options))

    def _build_options(self, name: str, values: dict[str, Any]) -> None:
        """One editor per dataset option, typed from the option's default."""
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self._option_widgets = {}
        try:
            spec = dataset_spec(name)
        except Exception:
            self.dataset_help.setText(self.tr("unknown dataset {name!r}").format(name=name))
            return
        self.dataset_help.setText(catalog_text(spec.description))
        for key, default in spec.options.items():
            widget = _option_editor(default, values.get(key, default))
            _connect_option(widget, self._edited)
            self._option_widgets[key] = widget
            self.options_form.addRow(option_label(key), widget)
        unknown = [k for k in values if k not in spec.options]
        if unknown:
            text = self.tr(
                "dataset {name} has no option {unknown} (its options: {options}); it will be "
                "dropped when you change a setting"
            )
            options = ", ".join(spec.options) or self.tr("none")
            self._show_error(text.format(name=name, unknown=", ".join(unknown), options=options))

    # ---- widgets -> graph --------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Every setting as on screen (not yet checked)."""
        name = self.dataset.currentData()
        try:
            defaults = dataset_spec(name).options
        except Exception:
            defaults = {}
        options = {}
        for key, widget in self._option_widgets.items():
            value = _option_value(widget, defaults.get(key))
            if value != defaults.get(key):
                options[key] = value
        values: dict[str, Any] = {"dataset": name, "dataset_options": options}
        for key, row in self.rows.items():
            if isinstance(row, SettingRow):
                values[key] = row.value()
        if values["optimizer"] != "sgd":
            values["nesterov"] = False  # only SGD has it; a hidden tick must not refuse Adam
        return values

    def config(self) -> TrainingConfig:
        """The settings on screen (raises ConfigError when they do not go together)."""
        return dataclasses.replace(self._base, **self.values())

    def config_options_or_empty(self) -> dict[str, Any]:
        """The dataset options on screen, for the preview (empty when a setting is invalid)."""
        try:
            return dict(self.config().dataset_options)
        except ConfigError:
            return {}

    def _dataset_picked(self) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self._build_options(self.dataset.currentData(), {})
        finally:
            self._loading = False
        self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        self._sync_visible()
        try:
            config = self.config()
        except ConfigError as exc:
            self._show_error(str(exc))
            return
        self._show_error("")
        section = config.to_dict()
        if section != self.section():
            self._written = section
            self.document.push(SetTrainingSettingsCommand(self.document.graph, section))
        self.dataset_changed.emit(config.dataset, dict(config.dataset_options))

    def _sync_visible(self) -> None:
        """Show only the settings that matter with the others (momentum for SGD, ...)."""
        values = self.values()
        for name, spec in self.specs.items():
            row = self.rows[name]
            shown = spec.applies(values) and (spec.kind is not Kind.OUTPUT or self._outputs_matter)
            self.forms[spec.group].setRowVisible(row, shown)
        amp = self.row("amp")
        amp.setEnabled(torch.cuda.is_available())
        self.processes.setMaximum(process_limit(values["device"]))

    def _fit_device_choices(self) -> None:
        combo = self.editor("device")
        assert isinstance(combo, QComboBox)
        for value, label, available in device_choices():
            index = combo.findData(value)
            combo.setItemText(index, label)
            combo.model().item(index).setEnabled(available)  # type: ignore[attr-defined]

    def _show_advanced(self, shown: bool) -> None:
        self.advanced_box.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def _processes_edited(self, value: int) -> None:
        QSettings().setValue(PROCESSES_KEY, value)
        self.processes_changed.emit(value)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


def _saved_processes() -> int:
    try:
        return max(1, int(QSettings().value(PROCESSES_KEY, 1)))
    except (TypeError, ValueError):
        return 1


def _option_editor(default: Any, value: Any) -> QWidget:
    if isinstance(default, bool):
        w = QCheckBox()
        w.setChecked(bool(value))
        return w
    if isinstance(default, int):
        w = QSpinBox(minimum=0, maximum=10_000_000)
        w.setValue(int(value) if isinstance(value, int | float) else default)
        return w
    if isinstance(default, float):
        w = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=1e6, singleStep=0.05)
        w.setValue(float(value) if isinstance(value, int | float) else default)
        return w
    w = QLineEdit()
    if isinstance(default, list):
        w.setText(", ".join(map(str, value)) if isinstance(value, list) else str(value))
        w.setPlaceholderText(
            QCoreApplication.translate("SettingsPanel", "comma-separated, empty for all")
        )
    else:
        w.setText(str(value))
    return w


def _connect_option(widget: QWidget, slot: Any) -> None:
    if isinstance(widget, QCheckBox):
        widget.toggled.connect(slot)
    else:
        widget.editingFinished.connect(slot)


def _option_value(widget: QWidget, default: Any) -> Any:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    text = widget.text().strip()  # type: ignore[attr-defined]
    if isinstance(default, list):
        return [part.strip() for part in text.split(",") if part.strip()]
    return text
