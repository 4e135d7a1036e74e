"""File → Import (torch.fx) and the Export menu's model formats, with their dialogs."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.compile import class_name
from ..core.errors import InvalidGraphError, NodemlError, PretrainedWeightsError
from ..core.fileio import atomic_write_text
from ..core.importing import ModelImportError, import_model, load_target
from . import transfer_dialog
from .files import Folder, ask_open_path, ask_save_path
from .theme import TextRole, set_role

# (format, menu text, status tip); "training" is the --with-training script
EXPORT_ACTIONS = (
    ("onnx", "&ONNX…", "An .onnx file, checked by onnx.checker (and onnxruntime when installed)"),
    ("torchscript", "&TorchScript…", "A .pt file torch.jit.load reads without nodeml"),
    ("exported-program", "torch.e&xport Program…", "A .pt2 program file (torch.export.load)"),
    ("safetensors", "&Weights (safetensors)…", "The model's weights as a .safetensors file"),
    ("training", "Training &Script…", "A standalone train.py: model, train/evaluate, DDP"),
)
SUFFIX = {
    "onnx": ("onnx", "ONNX (*.onnx)"),
    "torchscript": ("pt", "TorchScript (*.pt)"),
    "exported-program": ("pt2", "torch.export program (*.pt2)"),
    "safetensors": ("safetensors", "safetensors (*.safetensors)"),
    "training": ("py", "Python (*.py)"),
}
TITLES = {fmt: text.replace("&", "").rstrip("…") for fmt, text, _tip in EXPORT_ACTIONS}


# ---- export ------------------------------------------------------------------------------------
def export_format(window, fmt: str) -> Path | None:
    """Ask where, write ``fmt`` through nodeml.core.exporting; errors in a dialog, success in the
    status bar. Returns the file written."""
    doc = window.document
    if doc.inference.problems():
        lines = "\n".join(f"• {p}" for p in doc.inference.problems()[:12])
        QMessageBox.warning(window, "Cannot export yet", f"Fix these problems first:\n\n{lines}")
        return None
    suffix, filter_ = SUFFIX[fmt]
    stem = doc.path.stem if doc.path else (class_name(doc.graph.name).lower() or "model")
    if fmt == "training":
        stem = f"train_{stem}"
    near = doc.path.parent if doc.path else None
    title, name = f"Export {TITLES[fmt]}", f"{stem}.{suffix}"
    path = ask_save_path(window, Folder.EXPORTS, title, name, filter_, near)
    if not path:
        return None
    if not Path(path).suffix:
        path += f".{suffix}"
    for _attempt in range(2):  # a second time after switching to random weights
        try:
            notes = _write(doc.graph, path, fmt, doc.path)
        except PretrainedWeightsError as exc:
            if not transfer_dialog.offer_random_weights(window, exc):
                return None
            continue
        except (NodemlError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.critical(window, f"Cannot export {TITLES[fmt]}", reason)
            return None
        extra = f" ({'; '.join(notes)})" if notes else ""
        window.statusBar().showMessage(f"Exported {TITLES[fmt]} to {path}{extra}", 8000)
        return Path(path)
    return None


def _write(graph, path: str, fmt: str, graph_file: Path | None = None) -> list[str]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        if fmt == "training":
            from ..core.exporting.training_script import training_script

            script = training_script(
                graph,
                filename=Path(path).name,
                graph_dir=graph_file.resolve().parent if graph_file is not None else None,
                script_dir=Path(path).resolve().parent,
            )
            atomic_write_text(path, script)
            return [f"run: python {Path(path).name}, or torchrun --nproc_per_node=N"]
        from ..core.exporting import export_graph

        try:
            report = export_graph(graph, path, fmt)
        except InvalidGraphError as exc:
            raise NodemlError("\n".join(str(p) for p in exc.problems[:12])) from None
        notes = list(report.notes)
        if report.max_abs_diff is not None:
            notes.insert(
                0, f"onnxruntime matches PyTorch, max difference {report.max_abs_diff:.2g}"
            )
        return notes
    finally:
        QGuiApplication.restoreOverrideCursor()


# ---- import ------------------------------------------------------------------------------------
def module_classes(path: str | Path) -> list[str]:
    """Class names a Python file defines at top level (read, never run), for the class list."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return []
    return [n.name for n in tree.body if isinstance(n, ast.ClassDef)]


def torchvision_models() -> list[str]:
    try:
        import torchvision
    except ImportError:
        return []
    return sorted(torchvision.models.list_models(module=torchvision.models))


def parse_shape(text: str) -> list[int] | None:
    """``"3, 224, 224"`` or ``"3x224x224"`` -> [3, 224, 224]; blank -> None (guessed)."""
    text = text.strip()
    if not text:
        return None
    try:
        dims = [int(d) for d in text.replace("x", ",").replace("×", ",").split(",") if d.strip()]
    except ValueError:
        dims = []
    if not dims or any(d < 1 for d in dims):
        raise ValueError(f"input shape {text!r}: write positive whole numbers, e.g. 3, 224, 224")
    return dims


class ImportDialog(QDialog):
    """A .py file and its class, or a torchvision model; plus the input shape of one sample."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import PyTorch model")
        self.from_file = QRadioButton("A class in a Python file")
        self.from_torchvision = QRadioButton("A torchvision model")
        self.from_file.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.from_file)
        group.addButton(self.from_torchvision)
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText("model.py")
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self.choose_file)
        self.class_name = QComboBox()
        self.class_name.setObjectName("importClass")
        self.class_name.setEditable(True)
        self.models = QComboBox()
        self.models.setObjectName("importTorchvision")
        self.models.addItems(torchvision_models())
        index = self.models.findText("resnet18")
        self.models.setCurrentIndex(max(index, 0))
        self.shape = QLineEdit()
        self.shape.setObjectName("importShape")
        self.shape.setPlaceholderText("e.g. 3, 32, 32 (torchvision: 3, 224, 224)")
        self.error = QLabel()
        set_role(self.error, TextRole.ERROR)
        self.error.setWordWrap(True)
        self.error.hide()
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.from_file)
        form.addRow("File", file_row)
        form.addRow("Class", self.class_name)
        form.addRow(self.from_torchvision)
        form.addRow("Model", self.models)
        form.addRow("Input shape", self.shape)
        note = QLabel(
            "The file is run to build the model (your own code). torchvision models import "
            "with random weights, no download. The result opens as a new, unsaved graph."
        )
        note.setWordWrap(True)
        set_role(note, TextRole.MUTED)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.from_file.toggled.connect(self._sync)
        self._sync()
        self.resize(520, self.sizeHint().height())

    def _sync(self) -> None:
        on_file = self.from_file.isChecked()
        for w in (self.path, self.browse, self.class_name):
            w.setEnabled(on_file)
        self.models.setEnabled(not on_file)

    def choose_file(self) -> None:
        current = Path(self.path.text()).parent if self.path.text() else None
        path = ask_open_path(
            self, Folder.IMPORTS, "Python file with the model", "Python (*.py)", current
        )
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> None:
        self.from_file.setChecked(True)
        self.path.setText(path)
        self.class_name.clear()
        self.class_name.addItems(module_classes(path))

    def target(self) -> str:
        """What ``nodeml import`` would take: ``FILE.py:Class`` or ``torchvision:name``."""
        if self.from_torchvision.isChecked():
            return f"torchvision:{self.models.currentText()}"
        return f"{self.path.text().strip()}:{self.class_name.currentText().strip()}"

    def _accept(self) -> None:
        try:
            parse_shape(self.shape.text())
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        if self.from_file.isChecked() and not (
            self.path.text().strip() and self.class_name.currentText().strip()
        ):
            self.error.setText("choose a .py file and the class to import")
            self.error.show()
            return
        self.accept()


def import_model_dialog(window) -> ImportDialog:
    """File → Import…: the dialog; on Import the model opens as a new unsaved graph."""
    dialog = ImportDialog(window)
    dialog.accepted.connect(
        lambda: import_target(window, dialog.target(), parse_shape(dialog.shape.text()))
    )
    dialog.open()
    return dialog


def import_target(window, target: str, shape: list[int] | None = None) -> bool:
    """Trace ``target`` into a graph and show it as a new, unsaved document; unmappable ops are
    listed in a dialog and the open graph stays as it was."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        loaded = load_target(target)
        shapes = [shape] if shape else ([list(loaded.input_shape)] if loaded.input_shape else None)
        result = import_model(loaded.module, shapes)
    except ModelImportError as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(window, "Cannot import the model", _import_text(exc))
        return False
    except NodemlError as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(window, "Cannot import the model", str(exc))
        return False
    QGuiApplication.restoreOverrideCursor()
    if not window.maybe_save():
        return False
    window.document.restore(result.graph, None)  # unsaved: closing asks where to keep it
    window.recovery.discard()
    window.view.frame_graph()
    notes = f" · {'; '.join(result.notes)}" if result.notes else ""
    window.statusBar().showMessage(
        f"Imported {result.graph.name}: {len(result.graph)} nodes{notes}", 8000
    )
    return True


def _import_text(exc: ModelImportError) -> str:
    lines = "\n".join(f"• {line}" for line in exc.lines[:20])
    more = f"\n… and {len(exc.lines) - 20} more" if len(exc.lines) > 20 else ""
    missing = (
        f"\n\nLayer types nodeml's catalog lacks: {', '.join(exc.missing_types)}"
        if exc.missing_types
        else ""
    )
    return f"These parts of the model have no nodeml node:\n\n{lines}{more}{missing}"
