"""One inspector row: the typed editor for one ParamSpec, built from the catalog and never holding state of its own.

Edits apply as the user types, after a short pause (TYPING_PAUSE_MS); what is typed between
entering a field and leaving it (or pressing Enter) is one undo step, and text that is not a value
turns the field red and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.catalog import REQUIRED, ParamSpec
from .catalog_text import catalog_text
from .theme import TextRole, set_role

INT_LIMIT = 2**31 - 1
FLOAT_LIMIT = 1e12
FLOAT_DECIMALS = 8
TYPING_PAUSE_MS = 350  # long enough not to apply "1" of "128", short enough to feel live


def parse_tuple(text: str, spec: ParamSpec) -> Any:
    """``"3"``, ``"3, 3"``, ``"3x3"`` or ``"(3, 3)"`` -> the value ``spec.kind`` wants.

    Raises ValueError with a message for the user when the text is not numbers."""
    # "3x3" reads as two numbers, but a lone x is a typo to report, not a separator
    parts = [p for p in re.split(r"[\s,()\[\]]+|(?<=\d)[x×](?=\d)", text.strip()) if p]
    if not parts:
        example = format_value(spec.suggested or 3)
        raise ValueError(
            QCoreApplication.translate("ParamRow", "{name} needs a value, e.g. {example}").format(
                name=spec.name, example=example
            )
        )
    as_float = spec.kind == "floats"
    try:
        numbers = [float(p) if as_float else int(p) for p in parts]
    except ValueError:
        if as_float:
            why = QCoreApplication.translate(
                "ParamRow", "{name} must be numbers separated by commas, got {text!r}"
            )
        else:
            why = QCoreApplication.translate(
                "ParamRow", "{name} must be whole numbers separated by commas, got {text!r}"
            )
        raise ValueError(why.format(name=spec.name, text=text)) from None
    if spec.kind in ("size", "floats") and len(numbers) == 1:
        return numbers[0]
    return numbers


def format_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class FloatSpinBox(QDoubleSpinBox):
    """Shows ``0.1`` and ``1e-05`` the way PyTorch prints them, not ``0.10000000``."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt API
        text = f"{value:.{FLOAT_DECIMALS}f}".rstrip("0").rstrip(".")
        return text or "0"


class ParamRow(QWidget):
    """Label + editor + None toggle + Override/Infer/Reset button + inline error for one param.

    ``commit(name, value, merge)`` sets a value (``merge``: a key shared by the commits of one
    field edit, which the undo stack folds into one step; None for a click), ``clear(name)``
    removes it so the default or inferred value applies; ``show_state`` puts the graph's current
    value in the editor.
    """

    def __init__(
        self,
        spec: ParamSpec,
        commit: Callable[[str, Any], None],
        clear: Callable[[str], None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.spec = spec
        self._commit, self._clear = commit, clear
        self._shown: Any = None
        self._explicit = False
        self._edit = 0  # which field edit the typing belongs to: one undo step each
        self._typed_error: str | None = None  # the text typed is not a value
        self._graph_error: str | None = None  # what inference says of the value in the graph
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._apply_typed)
        self.editor = self._make_editor()
        self.editor.setObjectName(f"param_{spec.name}")
        # a spin box sizes itself for its widest value (2147483647); the dock decides instead
        self.editor.setMinimumWidth(60)
        self.none_box = QCheckBox("None", self) if spec.nullable else None  # i18n: Python's None
        self.button = QToolButton(self)
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self._on_button)
        self.error = QLabel(self)
        self.error.setObjectName("inlineError")
        self.error.setWordWrap(True)
        set_role(self.error, TextRole.ERROR)
        self.error.hide()
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        line.addWidget(self.editor, 1)
        if self.none_box is not None:
            self.none_box.clicked.connect(self._on_none)
            line.addWidget(self.none_box)
        line.addWidget(self.button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(line)
        box.addWidget(self.error)

    # ---- building --------------------------------------------------------------------------
    def _make_editor(self) -> QWidget:
        spec = self.spec
        if spec.choices is not None:
            combo = QComboBox(self)
            for choice in spec.choices:
                combo.addItem(format_value(choice), choice)
            combo.activated.connect(lambda i: self._send(combo.itemData(i)))
            return combo
        if spec.kind == "bool":
            check = QCheckBox(self)
            check.clicked.connect(lambda on: self._send(bool(on)))
            return check
        if spec.kind == "int":
            spin = QSpinBox(self)
            low = -INT_LIMIT if spec.minimum is None else max(int(spec.minimum), -INT_LIMIT)
            high = INT_LIMIT if spec.maximum is None else min(int(spec.maximum), INT_LIMIT)
            spin.setRange(low, high)
            spin.setAccelerated(True)
            self._live(spin, spin.valueChanged, spin.editingFinished)
            return spin
        if spec.kind == "float":
            spin = FloatSpinBox(self)
            spin.setDecimals(FLOAT_DECIMALS)
            low = -FLOAT_LIMIT if spec.minimum is None else spec.minimum
            high = FLOAT_LIMIT if spec.maximum is None else spec.maximum
            spin.setRange(low, high)
            spin.setSingleStep(0.1 if high - low > 1 else 0.05)
            self._live(spin, spin.valueChanged, spin.editingFinished)
            return spin
        edit = QLineEdit(self)
        if spec.kind != "str":
            if spec.kind == "size":
                edit.setPlaceholderText(self.tr("e.g. 3 or 3, 3"))
            else:
                edit.setPlaceholderText(self.tr("e.g. 1, 28, 28"))
        self._live(edit, edit.textEdited, edit.editingFinished)
        return edit

    def _live(self, editor: QWidget, typed, finished) -> None:
        """Typing (or a spin box's arrows) applies after a pause; Enter or leaving the field
        applies at once and ends the field edit."""
        typed.connect(lambda *_: self._pause.start())
        finished.connect(self._finish_edit)

    # ---- user edits ------------------------------------------------------------------------
    def _send(self, value: Any, merge: Any = None) -> None:
        if self._explicit and value == self._shown and type(value) is type(self._shown):
            return
        if not self._explicit and value == self._shown:
            return  # focus left an untouched default: not an edit
        why = self.spec.check(value)
        if why:
            self._mark_invalid(why)
            return
        self._commit(self.spec.name, value, merge)

    def _apply_typed(self) -> None:
        """Apply what the field holds now, as part of the current field edit."""
        self._pause.stop()
        try:
            value = self._typed_value()
        except ValueError as exc:
            self._mark_invalid(str(exc))
            return
        self._mark_invalid(None)
        self._send(value, merge=(id(self), self._edit))

    def _finish_edit(self) -> None:
        self._apply_typed()
        self._edit += 1  # the next keystroke starts a new undo step

    def _typed_value(self) -> Any:
        """The value the editor's text means; ValueError says why it means none."""
        e = self.editor
        if isinstance(e, QSpinBox):
            return e.value()
        if isinstance(e, QDoubleSpinBox):
            return float(e.value())
        if self.spec.kind == "str":
            return e.text()
        return parse_tuple(e.text(), self.spec)

    def _mark_invalid(self, why: str | None) -> None:
        """Red field and the reason under it; the graph keeps its value meanwhile."""
        self._typed_error = why
        if bool(self.editor.property("invalid")) != bool(why):
            self.editor.setProperty("invalid", bool(why))
            self.editor.style().unpolish(self.editor)
            self.editor.style().polish(self.editor)
        self.show_error(why or self._graph_error)

    def _on_none(self, checked: bool) -> None:
        if checked:
            self._commit(self.spec.name, None)
        else:
            value = self.editor_value()
            self._commit(self.spec.name, value if value is not None else self.spec.suggested)

    def _on_button(self) -> None:
        if self._explicit:
            self._clear(self.spec.name)
        else:  # Override: start from the inferred value so nothing changes until edited
            value = self._shown if self._shown is not None else self.spec.suggested
            self._commit(self.spec.name, value)

    def editor_value(self) -> Any:
        e = self.editor
        if isinstance(e, QComboBox):
            return e.currentData()
        if isinstance(e, QCheckBox):
            return e.isChecked()
        if isinstance(e, QSpinBox):
            return e.value()
        if isinstance(e, QDoubleSpinBox):
            return float(e.value())
        if self.spec.kind == "str":
            return e.text()
        try:
            return parse_tuple(e.text(), self.spec)
        except ValueError:
            return None

    # ---- showing the graph's state ------------------------------------------------------------
    def show_state(self, value: Any, explicit: bool, error: str | None) -> None:
        """``value``: the node's own value when ``explicit``, else the default / inferred one
        (None when not known yet)."""
        self._shown, self._explicit = value, explicit
        spec = self.spec
        if not self._typing(value):
            self._put(value)
            self._mark_invalid(None)
        is_none = value is None and spec.nullable and (explicit or spec.default is None)
        if self.none_box is not None:
            self.none_box.blockSignals(True)
            self.none_box.setChecked(is_none)
            self.none_box.blockSignals(False)
        locked = spec.inferred and not explicit
        self.editor.setEnabled(not locked and not is_none)
        self.editor.setToolTip(
            self.tr("inferred from the input; press Override to set it") if locked else ""
        )
        if spec.inferred:
            self.button.setText(self.tr("Infer") if explicit else self.tr("Override"))
            if explicit:
                tip = self.tr("Remove the value so {name} follows the input again")
            else:
                tip = self.tr("Set {name} by hand instead of inferring it")
            self.button.setToolTip(tip.format(name=spec.name))
            self.button.setEnabled(explicit or value is not None)
            self.button.show()
        elif explicit and spec.default is not REQUIRED and value != spec.default:
            self.button.setText(self.tr("Reset"))
            default = format_value(spec.default) or "None"
            self.button.setToolTip(self.tr("Back to the default, {value}").format(value=default))
            self.button.setEnabled(True)
            self.button.show()
        else:
            self.button.hide()
        self._graph_error = error
        self.show_error(self._typed_error or error)

    def _typing(self, value: Any) -> bool:
        """Whether the user is mid-edit in this field: then the graph's value must not overwrite
        the text (it would move the cursor, or undo what is typed but not applied yet)."""
        if not self.editor.hasFocus() or isinstance(self.editor, QComboBox | QCheckBox):
            return False
        if self._pause.isActive() or self._typed_error:
            return True
        try:
            return self._typed_value() == value
        except ValueError:
            return True

    def _put(self, value: Any) -> None:
        e = self.editor
        e.blockSignals(True)
        try:
            if isinstance(e, QComboBox):
                index = e.findData(value)
                e.setCurrentIndex(index)
            elif isinstance(e, QCheckBox):
                e.setChecked(bool(value))
            elif isinstance(e, QSpinBox | QDoubleSpinBox):
                known = isinstance(value, int | float) and not isinstance(value, bool)
                e.setSpecialValueText("" if known else "?")
                e.setValue(value if known else e.minimum())
            else:
                e.setText(format_value(value))
        finally:
            e.blockSignals(False)

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))


def param_label(spec: ParamSpec) -> QLabel:
    label = QLabel(spec.name)
    tips = [catalog_text(spec.doc)] if spec.doc else []
    if spec.inferred:
        tips.append(
            QCoreApplication.translate(
                "ParamRow", "Inferred from the input shape unless you override it."
            )
        )
        font = label.font()
        font.setItalic(True)
        label.setFont(font)
    if spec.minimum is not None or spec.maximum is not None:
        low = "" if spec.minimum is None else format_value(spec.minimum)
        high = "" if spec.maximum is None else format_value(spec.maximum)
        tips.append(
            QCoreApplication.translate("ParamRow", "Range: {low} … {high}").format(
                low=low, high=high
            )
        )
    label.setToolTip("<br>".join(tips))
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return label
