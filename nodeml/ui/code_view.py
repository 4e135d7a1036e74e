"""The Code panel: the live generated PyTorch source, Python-highlighted, read-only, with Copy and Export."""

from __future__ import annotations

import keyword
import re

from PySide6.QtCore import QRegularExpression, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.compile import STYLES, export_code
from ..core.errors import InvalidGraphError
from .document import Document
from .language import counted
from .theme import TextRole, current_theme, set_role

REFRESH_MS = 120  # generating code for a big graph takes a while; a burst of edits runs it once
_BUILTINS = ("self", "super", "print", "tuple", "range", "len", "int", "float", "list", "dict")


def _format(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


class PythonHighlighter(QSyntaxHighlighter):
    """Enough Python colouring for generated code: keywords, names, numbers, strings, comments."""

    def __init__(self, document: QTextDocument, dark: bool = True):
        super().__init__(document)
        self.set_palette(dark)

    def set_palette(self, dark: bool) -> None:
        c = (
            {
                "kw": "#c678dd",
                "def": "#61afef",
                "self": "#e5c07b",
                "num": "#d19a66",
                "str": "#98c379",
                "com": "#7f848e",
                "deco": "#56b6c2",
            }
            if dark
            else {
                "kw": "#a626a4",
                "def": "#4078f2",
                "self": "#986801",
                "num": "#b76b01",
                "str": "#50a14f",
                "com": "#a0a1a7",
                "deco": "#0184bc",
            }
        )
        kw = r"\b(" + "|".join(keyword.kwlist) + r")\b"
        # (pattern, format, capture group coloured)
        self.rules = [
            (QRegularExpression(kw), _format(c["kw"], bold=True), 0),
            (QRegularExpression(r"\b(" + "|".join(_BUILTINS) + r")\b"), _format(c["self"]), 0),
            (QRegularExpression(r"\b(?:def|class)\s+(\w+)"), _format(c["def"], bold=True), 1),
            (QRegularExpression(r"\b(nn|F|torch)\b"), _format(c["deco"]), 0),
            (QRegularExpression(r"\b\d+(\.\d*)?([eE][-+]?\d+)?\b"), _format(c["num"]), 0),
            (QRegularExpression(r"@\w+"), _format(c["deco"]), 0),
        ]
        self.string = _format(c["str"])
        self.comment = _format(c["com"], italic=True)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt API
        for pattern, fmt, group in self.rules:
            it = pattern.globalMatch(text)
            while it.hasNext():
                m = it.next()
                self.setFormat(m.capturedStart(group), m.capturedLength(group), fmt)
        # strings and comments last, so their contents are not coloured as code
        state = self.previousBlockState()
        start = 0
        if state == 1:  # inside a triple-quoted string (docstring)
            end = text.find('"""')
            if end < 0:
                self.setFormat(0, len(text), self.string)
                self.setCurrentBlockState(1)
                return
            self.setFormat(0, end + 3, self.string)
            start = end + 3
        self.setCurrentBlockState(0)
        for m in re.finditer(r'"""|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|#.*', text[start:]):
            s = start + m.start()
            token = m.group()
            if token == '"""':
                end = text.find('"""', s + 3)
                if end < 0:
                    self.setFormat(s, len(text) - s, self.string)
                    self.setCurrentBlockState(1)
                    return
                self.setFormat(s, end + 3 - s, self.string)
                return self._rest(text, end + 3)
            self.setFormat(s, len(token), self.comment if token.startswith("#") else self.string)

    def _rest(self, text: str, start: int) -> None:
        for m in re.finditer(r'"(?:[^"\\]|\\.)*"|#.*', text[start:]):
            fmt = self.comment if m.group().startswith("#") else self.string
            self.setFormat(start + m.start(), len(m.group()), fmt)


class CodeView(QWidget):
    """Shows ``export_code(graph, style)``; while the graph has problems, the last good code,
    greyed, with a note. ``export_requested(style)`` asks the window to save it to a file."""

    export_requested = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.good_code = ""
        self.stale = False
        self.style_box = QComboBox(self)
        names = {"modules": self.tr("Modules style"), "functional": self.tr("Functional style")}
        for style in STYLES:
            self.style_box.addItem(names.get(style, style), style)
        self.style_box.setToolTip(
            self.tr(
                "modules: layers as attributes of the module; functional: F.relu(...) calls for "
                "layers without weights"
            )
        )
        self.note = QLabel(self)
        set_role(self.note, TextRole.ERROR)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setToolTip(self.tr("Copy the code to the clipboard"))
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setToolTip(
            self.tr("Save as a standalone .py file (the same as `nodeml export`)")
        )
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 10))
        self.text.setFont(font)
        self.text.setTabStopDistance(4 * self.text.fontMetrics().horizontalAdvance(" "))
        self.highlighter = PythonHighlighter(self.text.document())
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.style_box)
        bar.addWidget(self.note, 1)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.text)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        document.inferred.connect(self._timer.start)
        document.reloaded.connect(self.refresh)  # a newly opened file shows at once
        self.style_box.currentIndexChanged.connect(self.refresh)
        self.copy_button.clicked.connect(self.copy)
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.style))
        self.refresh()

    @property
    def style(self) -> str:
        return self.style_box.currentData()

    def refresh(self) -> None:
        try:
            code = export_code(self.document.graph, self.style, inference=self.document.inference)
        except InvalidGraphError as exc:
            n = len(exc.problems)
            self.stale = True
            if self.good_code:
                note = self.tr("{count} problem(s): showing the last working code (see Problems)")
            else:
                note = self.tr("{count} problem(s): no code yet (see Problems)")
            self.note.setText(counted(note, n))
            self._show(self.good_code, greyed=True)
            return
        self.stale = False
        self.good_code = code
        self.note.setText("")
        self._show(code, greyed=False)

    def _show(self, code: str, greyed: bool) -> None:
        if code != self.text.toPlainText():
            scroll = self.text.verticalScrollBar().value()
            self.text.setPlainText(code)
            self.text.verticalScrollBar().setValue(scroll)
        self.highlighter.setDocument(None if greyed else self.text.document())
        self.text.setStyleSheet(f"color: {current_theme().muted.name()};" if greyed else "")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())

    def set_dark(self, dark: bool) -> None:
        self.highlighter.set_palette(dark)
