"""One row of the Training panel: the editor a training setting's SettingSpec describes.

Ranges, steps, decimals and choices come from the spec (next to the field in TrainingConfig),
so the editor refuses exactly what ``TrainingConfig.validate`` refuses; a nullable setting gets
a check box saying what null means ("random", "off").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QSpinBox,
    QWidget,
)

from ...core.training.setting_spec import Kind, SettingSpec
from ..catalog_text import catalog_text


class NumberBox(QDoubleSpinBox):
    """A float spin box that shows ``0.001`` and ``3e-05`` as Python would, not ``0.001000000``;
    on a log scale the arrows double or halve the value (learning rates)."""

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.log_scale = spec.log_scale
        self.setDecimals(spec.decimals)
        self.setRange(*spec.editor_range())
        self.setSingleStep(spec.step)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt API
        return (
            f"{value:g}"
            if self.log_scale
            else f"{value:.{self.decimals()}f}".rstrip("0").rstrip(".") or "0"
        )

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt API
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        try:
            value = float(text)
        except ValueError:
            return QValidator.State.Intermediate
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt API
        if self.log_scale and self.value() > 0:
            self.setValue(self.value() * (2.0**steps))
        else:
            super().stepBy(steps)


class SettingRow(QWidget):
    """The editor of one setting; ``edited`` when the user changed it."""

    edited = Signal()

    def __init__(self, name: str, spec: SettingSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.name, self.spec = name, spec
        self.editors: list[QWidget] = []
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        count = 2 if spec.kind is Kind.PAIR else 1
        for _ in range(count):
            editor = self._make_editor()
            editor.setToolTip(self.tooltip())
            line.addWidget(editor, 1)
            self.editors.append(editor)
        self.none_box: QCheckBox | None = None
        if spec.nullable and spec.kind in (Kind.NUMBER, Kind.WHOLE):
            none = catalog_text(spec.none_label or "")
            self.none_box = QCheckBox(none)
            self.none_box.setToolTip(f"{catalog_text(spec.label)}: {none}")
            self.none_box.toggled.connect(self._none_toggled)
            line.addWidget(self.none_box)

    @property
    def editor(self) -> QWidget:
        return self.editors[0]

    def tooltip(self) -> str:
        text = catalog_text(self.spec.help)
        if self.spec.kind in (Kind.NUMBER, Kind.WHOLE, Kind.PAIR) and self.spec.range_text():
            valid = self.tr("Valid: {range}").format(range=self.spec.range_text())
            text += f"\n{valid}"
        return text

    def _make_editor(self) -> QWidget:
        spec = self.spec
        if spec.kind in (Kind.NUMBER, Kind.PAIR):
            box: QAbstractSpinBox = NumberBox(spec)
        elif spec.kind is Kind.WHOLE:
            box = QSpinBox()
            low, high = spec.editor_range()
            box.setRange(int(low), int(high))
            box.setSingleStep(int(spec.step))
        elif spec.kind is Kind.BOOL:
            check = QCheckBox(catalog_text(spec.label))
            check.toggled.connect(self._changed)
            return check
        elif spec.kind is Kind.CHOICE:
            combo = QComboBox()
            for value, label in spec.choices:
                combo.addItem(catalog_text(label), value)
            combo.currentIndexChanged.connect(self._changed)
            return combo
        elif spec.kind is Kind.OUTPUT:  # the graph's Output nodes: set_choices lists them
            combo = QComboBox()
            combo.addItem(catalog_text(spec.none_label or ""), None)
            combo.currentIndexChanged.connect(self._changed)
            return combo
        else:
            raise ValueError(f"{self.name}: a {spec.kind.value} setting has no plain editor")
        # typing commits on Enter or leaving the field; arrows and the wheel at once
        box.setKeyboardTracking(False)
        box.valueChanged.connect(self._changed)
        return box

    # ---- values ------------------------------------------------------------------------------------
    def value(self) -> Any:
        if self.none_box is not None and self.none_box.isChecked():
            return None
        values = [self._editor_value(e) for e in self.editors]
        return tuple(values) if self.spec.kind is Kind.PAIR else values[0]

    def _editor_value(self, editor: QWidget) -> Any:
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        assert isinstance(editor, QDoubleSpinBox)
        return float(editor.value())

    def set_value(self, value: Any) -> None:
        """Show ``value`` (a setting's own, already valid); emits nothing."""
        values = list(value) if self.spec.kind is Kind.PAIR else [value]
        for editor, v in zip(self.editors, values, strict=True):
            editor.blockSignals(True)
            try:
                if isinstance(editor, QComboBox):
                    index = editor.findData(v)
                    if index < 0 and self.spec.kind is Kind.OUTPUT:  # shown, so it is not lost
                        editor.addItem(str(v), v)
                        index = editor.count() - 1
                    editor.setCurrentIndex(max(index, 0))
                elif isinstance(editor, QCheckBox):
                    editor.setChecked(bool(v))
                elif v is not None:
                    editor.setValue(v)  # type: ignore[attr-defined]
            finally:
                editor.blockSignals(False)
        if self.none_box is not None:
            self.none_box.blockSignals(True)
            self.none_box.setChecked(value is None)
            self.none_box.blockSignals(False)
            self.editor.setEnabled(value is not None)

    def set_choices(self, values: list[Any]) -> None:
        """List ``values`` after the null entry (an OUTPUT setting's Output node ids), keeping
        the value shown: one no longer in the graph stays listed, so it is not lost unseen."""
        combo = self.editor
        assert isinstance(combo, QComboBox)
        current = combo.currentData()
        shown = list(values) + ([current] if current is not None and current not in values else [])
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for value in shown:
                combo.addItem(str(value), value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
        finally:
            combo.blockSignals(False)

    def limits(self) -> tuple[float, float] | None:
        """The lowest and highest value the number editor takes (None for other kinds)."""
        editor = self.editor
        if isinstance(editor, QSpinBox | QDoubleSpinBox):
            return editor.minimum(), editor.maximum()
        return None

    # ---- user edits -----------------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        self.edited.emit()

    def _none_toggled(self, checked: bool) -> None:
        self.editor.setEnabled(not checked)
        self.edited.emit()
