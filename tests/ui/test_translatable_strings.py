"""Every text nodeml/ui hands to a widget goes through Qt's translation system: a scan of the
sources for literals passed to setText / addAction / setToolTip / QMessageBox / QLabel(...) and
the like, and for tr() calls lupdate cannot read. (Whether each text has its Korean translation:
test_translations.py.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nodeml

UI = Path(nodeml.__file__).resolve().parent / "ui"
GENERATED = {"catalog_strings.py"}

# methods whose text arguments a person reads
SETTERS = {
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "setTitle",
    "setPlaceholderText", "addAction", "addMenu", "showMessage", "setHeaderLabels",
    "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "addTab", "insertTab", "setTabText",
    "setTabToolTip", "addItem", "addItems", "insertItem", "setItemText", "setLabelText",
    "setSuffix", "setPrefix", "setSpecialValueText", "setInformativeText", "setDetailedText",
    "addButton", "setButtonText", "addRow", "insertRow", "setHtml", "show_status",
    "setAccessibleName", "getText", "getItem", "getInt", "getDouble", "getOpenFileName",
    "getSaveFileName", "getExistingDirectory", "setLabel", "drawText", "setFormat",
}  # fmt: skip
# QMessageBox's static dialogs (other objects have .warning too: logging)
MESSAGE_BOX = {"critical", "warning", "information", "question", "about"}
# constructors that take a text
WIDGETS = {
    "QAction", "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QGroupBox",
    "QDockWidget", "QMenu", "QTreeWidgetItem", "QListWidgetItem", "QStandardItem",
    "QTableWidgetItem", "QMessageBox", "QProgressDialog", "QCommandLinkButton", "TextItem",
    "LabelItem",
}  # fmt: skip
# arguments that name things rather than say something: pyqtgraph's axis, drawText's rectangle
SKIP_FIRST = {"setLabel"}
TEXT_KEYWORDS = {"text", "title", "name", "toolTip", "statusTip", "label"}
MARK = "# i18n:"  # on a line whose text is deliberately left as it is, with the reason


def _says_something(node: ast.AST) -> bool:
    """A literal a person would read: a string with a word in it, also inside an f-string, a
    concatenation, a conditional or a list."""
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, str):
            return False
        words = re.sub(r"<[^>]*>|&\w+;", "", node.value)  # markup is not words: <br>, &nbsp;
        return re.search(r"[A-Za-z]{2}", words) is not None
    if isinstance(node, ast.JoinedStr):
        return any(_says_something(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _says_something(node.left) or _says_something(node.right)
    if isinstance(node, ast.IfExp):
        return _says_something(node.body) or _says_something(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return any(_says_something(e) for e in node.elts)
    return False


def _name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _is_translation(call: ast.Call) -> bool:
    name, func = _name(call.func), call.func
    if name == "translate" and isinstance(func, ast.Attribute):  # not QPainter.translate
        return _name(func.value) in ("QCoreApplication", "QApplication", "QGuiApplication")
    return name in ("tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP")


_COMPOUND = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
    ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match,
)  # fmt: skip


def _spans(tree: ast.AST) -> dict[ast.AST, tuple[int, int]]:
    """Each call's lines, widened to the simple statement it is in (where ruff puts a comment)."""
    spans: dict[ast.AST, tuple[int, int]] = {}
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.stmt) and not isinstance(stmt, _COMPOUND):
            for node in ast.walk(stmt):  # inner statements come later and win
                spans[node] = (stmt.lineno, stmt.end_lineno or stmt.lineno)
    return spans


def _marked(lines: list[str], node: ast.AST, spans: dict[ast.AST, tuple[int, int]]) -> bool:
    first, last = spans.get(node, (node.lineno, node.end_lineno or node.lineno))
    first, last = min(first, node.lineno), max(last, node.end_lineno or node.lineno)
    return any(MARK in lines[i - 1] for i in range(first, last + 1))


def _sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p.name not in GENERATED)


def untranslated_texts(path: Path) -> list[str]:
    """``file:line: code`` for each literal text handed to a widget outside tr()."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    spans = _spans(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        in_box = (
            name in MESSAGE_BOX
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "QMessageBox"
        )
        if not (name in SETTERS or name in WIDGETS or in_box):
            continue
        args = list(node.args[1:] if name in SKIP_FIRST else node.args)
        args += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        if any(_says_something(a) for a in args) and not _marked(lines, node, spans):
            where = path.relative_to(UI.parent.parent)
            found.append(f"{where}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def unreadable_translations(path: Path) -> list[str]:
    """tr() / translate() calls lupdate cannot read: the text must be one plain literal (values go
    in afterwards with .format), the context of translate() too."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    spans = _spans(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_translation(node)):
            continue
        name = _name(node.func)
        if name == "tr" and isinstance(node.func, ast.Name):  # tr = QCoreApplication.translate
            where = path.relative_to(UI.parent.parent)
            found.append(
                f"{where}:{node.lineno}: a bare tr(): lupdate reads tr('ctx', 'text') as"
                " text 'ctx' with the comment 'text'"
            )
            continue
        literal = 2 if name in ("translate", "QT_TRANSLATE_NOOP") else 1
        texts = node.args[:literal]
        if _marked(lines, node, spans):
            continue
        if len(texts) < literal or not all(
            isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts
        ):
            where = path.relative_to(UI.parent.parent)
            found.append(f"{where}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def _classes() -> dict[str, tuple[Path, ast.ClassDef]]:
    out = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                out[node.name] = (path, node)
    return out


def self_tr_in_base_classes() -> list[str]:
    """Classes that call ``self.tr`` and are subclassed (or mixed in) within nodeml: PySide6
    looks a tr() text up under the name of the object's own class, lupdate files it under the
    class that calls it, so a subclass's window would show it untranslated."""
    classes = _classes()
    bases = {
        _name(base)
        for _path, node in classes.values()
        for base in node.bases
        if _name(base) in classes
    }
    found = []
    for name in sorted(bases):
        path, node = classes[name]
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "tr"
                and _name(call.func.value) == "self"
            ):
                found.append(f"{path.name}:{call.lineno}: {name} is a base class; use translate()")
                break
    return found


def test_every_text_handed_to_a_widget_is_translated():
    found = [line for path in _sources() for line in untranslated_texts(path)]
    assert found == [], (
        "wrap these in self.tr() / QCoreApplication.translate() (or mark a deliberate one "
        f"'{MARK} why'):\n" + "\n".join(found)
    )


def test_every_translation_call_is_readable_by_lupdate():
    found = [line for path in _sources() for line in unreadable_translations(path)]
    assert found == [], "use one literal, then .format(...):\n" + "\n".join(found)


def test_self_tr_only_in_classes_nothing_derives_from():
    assert self_tr_in_base_classes() == []


def _scan(tmp_path: Path, code: str) -> tuple[list[str], list[str]]:
    path = UI / "_scan_probe.py"
    try:
        path.write_text(code, encoding="utf-8")
        return untranslated_texts(path), unreadable_translations(path)
    finally:
        path.unlink()


def test_the_scan_finds_what_it_is_meant_to(tmp_path):
    code = (
        "label.setText('Training finished')\n"
        "label.setText(self.tr('Training finished'))\n"
        "QMessageBox.warning(self, 'Cannot save', text)\n"
        "log.warning('cannot save %s', path)\n"
        "menu.addAction(f'Open {name}')\n"
        "QLabel('›')\n"
        "self.tr(f'Saved {path}')\n"
        "QCoreApplication.translate(CONTEXT, 'Saved')\n"
        "plot.setLabel('left', 'loss')\n"
        "plot.setLabel('left', self.tr('loss'))\n"
        "box.setText('Adam')  # i18n: an optimizer's name\n"
        "painter.translate(x, y)\n"
        "tr('Palette', 'no weights')\n"
        "QLabel(f'{pick}<br>{what}')\n"
        "QLabel(self.tr(text))  # i18n: NOOPs above\n"
        "box = QLabel(\n    self.tr(text)\n)  # i18n: NOOPs above\n"
        "pg.LabelItem('', justify='left')\n"
    )
    texts, calls = _scan(tmp_path, code)
    assert [t.split(":")[1] for t in texts] == ["1", "3", "5", "9"]
    assert [c.split(":")[1] for c in calls] == ["7", "8", "13"]
