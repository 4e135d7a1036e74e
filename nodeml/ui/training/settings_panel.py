"""The Training dock's settings form: dataset and its options, loss, optimizer, run settings.

The form shows the graph's ``training`` section (defaults when absent) and writes every change
back through an undoable command; it keeps no settings of its own beyond what is on screen.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import torch
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.training import ConfigError, TrainingConfig, dataset_names, dataset_spec
from ...core.training.config import LOSS_NAMES, OPTIMIZER_NAMES, SCHEDULER_NAMES, TASKS
from ...core.training.defaults import training_config
from ..document import Document
from .commands import SetTrainingSettingsCommand

LOSS_LABELS = {
    "mse": "MSE",
    "l1": "L1 (MAE)",
    "smooth_l1": "Smooth L1",
    "huber": "Huber",
    "cross_entropy": "Cross-entropy",
    "nll": "NLL",
    "bce": "BCE",
    "bce_with_logits": "BCE with logits",
}
OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
}
SCHEDULER_LABELS = {
    "none": "Constant",
    "step": "Step decay",
    "cosine": "Cosine annealing",
    "onecycle": "One-cycle",
    "plateau": "Reduce on plateau",
}


class ScientificSpinBox(QDoubleSpinBox):
    """A spin box for learning rates: shows 0.001 or 3e-05; the arrows double or halve it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(1e-9, 10.0)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt API
        return f"{value:g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt API
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        from PySide6.QtGui import QValidator

        try:
            float(text)
            return QValidator.State.Acceptable
        except ValueError:
            return QValidator.State.Intermediate

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt API
        self.setValue(self.value() * (2.0**steps))


def device_choices() -> list[tuple[str, str, bool]]:
    """(value, label, available) for the device combo; CUDA shows the GPU's name."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    cuda_label = f"CUDA · {torch.cuda.get_device_name(0)}" if cuda else "CUDA (not available)"
    auto = "Auto · " + ("CUDA" if cuda else "MPS" if mps else "CPU")
    return [
        ("auto", auto, True),
        ("cpu", "CPU", True),
        ("cuda", cuda_label, cuda),
        ("mps", "Apple MPS" if mps else "MPS (not available)", mps),
    ]


def _combo(items: list[tuple[Any, str]]) -> QComboBox:
    box = QComboBox()
    for value, label in items:
        box.addItem(label, value)
    return box


def _select(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    box.setCurrentIndex(max(index, 0))


class SettingsPanel(QWidget):
    """Emits ``dataset_changed(name, options)`` when the preview should be redrawn."""

    dataset_changed = Signal(str, dict)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._loading = False
        self._written: dict[str, Any] | None = None
        self._base = TrainingConfig()  # settings with no widget are kept from the section
        self._option_widgets: dict[str, QWidget] = {}

        self.dataset = QComboBox()
        for name in dataset_names():
            self.dataset.addItem(name, name)
            self.dataset.setItemData(
                self.dataset.count() - 1,
                dataset_spec(name).description,
                Qt.ItemDataRole.ToolTipRole,
            )
        self.dataset_help = QLabel(wordWrap=True)
        self.dataset_help.setObjectName("muted")
        self.options_form = QFormLayout()
        self.val_split = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=0.9, singleStep=0.05)
        self.batch_size = QSpinBox(minimum=1, maximum=1_000_000)
        self.shuffle = QCheckBox("Shuffle each epoch")

        self.task = _combo([(None, "Auto (from dataset)"), *[(t, t.capitalize()) for t in TASKS]])
        self.loss = _combo([(None, "Auto (from task)"), *[(k, LOSS_LABELS[k]) for k in LOSS_NAMES]])
        self.label_smoothing = QDoubleSpinBox(
            decimals=2, minimum=0.0, maximum=0.99, singleStep=0.05
        )
        self.optimizer = _combo([(k, OPTIMIZER_LABELS[k]) for k in OPTIMIZER_NAMES])
        self.lr = ScientificSpinBox()
        self.momentum = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=0.999, singleStep=0.05)
        self.weight_decay = QDoubleSpinBox(decimals=6, minimum=0.0, maximum=1.0, singleStep=1e-4)
        self.scheduler = _combo([(k, SCHEDULER_LABELS[k]) for k in SCHEDULER_NAMES])

        self.epochs = QSpinBox(minimum=1, maximum=100_000)
        self.device = QComboBox()
        for value, label, ok in device_choices():
            self.device.addItem(label, value)
            if not ok:
                self.device.model().item(self.device.count() - 1).setEnabled(False)
        self.amp = QCheckBox("Mixed precision (CUDA)")
        self.grad_clip = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=1e6, singleStep=0.5)
        self.grad_clip.setSpecialValueText("off")
        self.seed = QSpinBox(minimum=-1, maximum=2**31 - 1)
        self.seed.setSpecialValueText("random")
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #ff6b6b;")
        self.error.hide()

        data = QGroupBox("Data")
        form = QFormLayout(data)
        form.addRow("Dataset", self.dataset)
        form.addRow(self.dataset_help)
        form.addRow(self.options_form)
        form.addRow("Validation split", self.val_split)
        form.addRow("Batch size", self.batch_size)
        form.addRow("", self.shuffle)
        model = QGroupBox("Loss and optimizer")
        form = QFormLayout(model)
        form.addRow("Task", self.task)
        form.addRow("Loss", self.loss)
        form.addRow("Label smoothing", self.label_smoothing)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.lr)
        form.addRow("Momentum", self.momentum)
        form.addRow("Weight decay", self.weight_decay)
        form.addRow("LR schedule", self.scheduler)
        run = QGroupBox("Run")
        form = QFormLayout(run)
        form.addRow("Epochs", self.epochs)
        form.addRow("Device", self.device)
        form.addRow("", self.amp)
        form.addRow("Gradient clip", self.grad_clip)
        form.addRow("Seed", self.seed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (data, model, run):
            layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.dataset.currentIndexChanged.connect(self._dataset_picked)
        for box in (self.task, self.loss, self.optimizer, self.scheduler, self.device):
            box.currentIndexChanged.connect(self._edited)
        for spin in (
            self.val_split,
            self.batch_size,
            self.label_smoothing,
            self.lr,
            self.momentum,
            self.weight_decay,
            self.epochs,
            self.grad_clip,
            self.seed,
        ):
            spin.editingFinished.connect(self._edited)
            spin.valueChanged.connect(self._edited_by_step)
        for check in (self.shuffle, self.amp):
            check.toggled.connect(self._edited)
        document.graph_event.connect(self._graph_event)
        document.reloaded.connect(self.refresh)
        self.refresh()

    # ---- graph -> widgets ----------------------------------------------------------------------
    def section(self) -> dict[str, Any] | None:
        return self.document.graph.extras.get("training")

    def _graph_event(self, event: Any) -> None:
        kind = getattr(event, "kind", None)
        if kind in ("graph_changed", "section_changed") and self.section() != self._written:
            self.refresh()
        elif kind in ("node_added", "node_changed") and self.section() is None:
            node = self.document.graph.node(event.node) if event.node else None
            if node is not None and node.type == "Input":  # the default dataset follows it
                self.refresh()

    def refresh(self) -> None:
        """Show the graph's training section; a bad section shows its error over the defaults."""
        section = self.section()
        self._written = section
        try:
            config = training_config(self.document.graph, self.document.inference)
            self._show_error("")
        except ConfigError as exc:
            config = TrainingConfig()
            self._show_error(f"The graph's training section has an error: {exc}")
        self._base = config
        self._loading = True
        try:
            _select(self.dataset, config.dataset)
            if self.dataset.currentData() != config.dataset:  # a dataset this build does not know
                self.dataset.addItem(config.dataset, config.dataset)
                _select(self.dataset, config.dataset)
            self._build_options(config.dataset, config.dataset_options)
            self.val_split.setValue(config.val_split)
            self.batch_size.setValue(config.batch_size)
            self.shuffle.setChecked(config.shuffle)
            _select(self.task, config.task)
            _select(self.loss, config.loss)
            self.label_smoothing.setValue(config.label_smoothing)
            _select(self.optimizer, config.optimizer)
            self.lr.setValue(config.lr)
            self.momentum.setValue(config.momentum)
            self.weight_decay.setValue(config.weight_decay)
            _select(self.scheduler, config.scheduler)
            self.epochs.setValue(config.epochs)
            _select(self.device, config.device)
            self.amp.setChecked(config.amp)
            self.grad_clip.setValue(config.grad_clip or 0.0)
            self.seed.setValue(-1 if config.seed is None else config.seed)
        finally:
            self._loading = False
        self._sync_enabled()
        self.dataset_changed.emit(config.dataset, dict(config.dataset_options))

    def _build_options(self, name: str, values: dict[str, Any]) -> None:
        """One editor per dataset option, typed from the option's default."""
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self._option_widgets = {}
        try:
            spec = dataset_spec(name)
        except Exception:
            self.dataset_help.setText(f"unknown dataset {name!r}")
            return
        self.dataset_help.setText(spec.description)
        for key, default in spec.options.items():
            value = values.get(key, default)
            widget = _option_editor(default, value)
            _connect_option(widget, self._edited)
            self._option_widgets[key] = widget
            self.options_form.addRow(key.replace("_", " ").capitalize(), widget)
        unknown = [k for k in values if k not in spec.options]
        if unknown:
            self._show_error(
                f"dataset {name} has no option {', '.join(unknown)} (its options: "
                f"{', '.join(spec.options) or 'none'}); it will be dropped when you change a setting"
            )

    # ---- widgets -> graph ----------------------------------------------------------------------
    def config(self) -> TrainingConfig:
        """The settings on screen (raises ConfigError when one is out of range)."""
        name = self.dataset.currentData()
        options = {}
        try:
            defaults = dataset_spec(name).options
        except Exception:
            defaults = {}
        for key, widget in self._option_widgets.items():
            value = _option_value(widget, defaults.get(key))
            if value != defaults.get(key):
                options[key] = value
        seed = self.seed.value()
        values = dict(
            dataset=name,
            dataset_options=options,
            val_split=self.val_split.value(),
            batch_size=self.batch_size.value(),
            shuffle=self.shuffle.isChecked(),
            task=self.task.currentData(),
            loss=self.loss.currentData(),
            label_smoothing=self.label_smoothing.value(),
            optimizer=self.optimizer.currentData(),
            lr=self.lr.value(),
            momentum=self.momentum.value(),
            weight_decay=self.weight_decay.value(),
            scheduler=self.scheduler.currentData(),
            epochs=self.epochs.value(),
            device=self.device.currentData(),
            amp=self.amp.isChecked(),
            grad_clip=self.grad_clip.value() or None,
            seed=None if seed < 0 else seed,
        )
        if values["optimizer"] != "sgd":
            values["nesterov"] = False
        return dataclasses.replace(self._base, **values)

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

    def _edited_by_step(self) -> None:
        # arrows and wheel change the value without editingFinished; typing waits for it
        spin = self.sender()
        if spin is not None and not spin.hasFocus():
            self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        self._sync_enabled()
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

    def _sync_enabled(self) -> None:
        loss = self.loss.currentData()
        self.label_smoothing.setEnabled(loss in (None, "cross_entropy"))
        self.momentum.setEnabled(self.optimizer.currentData() in ("sgd", "rmsprop"))
        self.amp.setEnabled(
            self.device.currentData() in ("auto", "cuda") and torch.cuda.is_available()
        )

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


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
        w.setPlaceholderText("comma-separated, empty for all")
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
