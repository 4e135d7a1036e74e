"""File → Import (torch.fx) and the Export menu's model formats, with their dialogs."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
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
from .language import plain_action_text
from .theme import TextRole, set_role

# (format, menu text, status tip), translated when shown; "training" is the --with-training script
EXPORT_ACTIONS = (
    (
        "onnx",
        QT_TRANSLATE_NOOP("ImportExport", "&ONNX…"),
        QT_TRANSLATE_NOOP(
            "ImportExport",
            "An .onnx file, checked by onnx.checker (and onnxruntime when installed)",
        ),
    ),
    (
        "torchscript",
        QT_TRANSLATE_NOOP("ImportExport", "&TorchScript…"),
        QT_TRANSLATE_NOOP("ImportExport", "A .pt file torch.jit.load reads without nodeml"),
    ),
    (
        "exported-program",
        QT_TRANSLATE_NOOP("ImportExport", "torch.e&xport Program…"),
        QT_TRANSLATE_NOOP("ImportExport", "A .pt2 program file (torch.export.load)"),
    ),
    (
        "safetensors",
        QT_TRANSLATE_NOOP("ImportExport", "&Weights (safetensors)…"),
        QT_TRANSLATE_NOOP("ImportExport", "The model's weights as a .safetensors file"),
    ),
    (
        "training",
        QT_TRANSLATE_NOOP("ImportExport", "Training &Script…"),
        QT_TRANSLATE_NOOP("ImportExport", "A standalone train.py: model, train/evaluate, DDP"),
    ),
)
SUFFIX = {
    "onnx": ("onnx", "ONNX (*.onnx)"),
    "torchscript": ("pt", "TorchScript (*.pt)"),
    "exported-program": ("pt2", "torch.export program (*.pt2)"),
    "safetensors": ("safetensors", "safetensors (*.safetensors)"),
    "training": ("py", "Python (*.py)"),
}
LABELS = {fmt: text for fmt, text, _tip in EXPORT_ACTIONS}


def export_texts() -> dict[str, tuple[str, str]]:
    """Each export format's menu text and status tip, in the user's language."""
    translate = QCoreApplication.translate
    return {
        fmt: (translate("ImportExport", label), translate("ImportExport", tip))
        for fmt, label, tip in EXPORT_ACTIONS
    }  # i18n: the NOOPs above


def format_title(fmt: str) -> str:
    """``onnx`` -> ``ONNX``: the menu text of an export format without its mnemonic and dots."""
    label = QCoreApplication.translate("ImportExport", LABELS[fmt])  # i18n: NOOPs above
    return plain_action_text(label).rstrip("…").strip()


# ---- export ------------------------------------------------------------------------------------
def export_format(window, fmt: str) -> Path | None:
    """Ask where, write ``fmt`` through nodeml.core.exporting; errors in a dialog, success in the
    status bar. Returns the file written."""
    doc = window.document
    if doc.inference.problems():
        lines = "\n".join(f"• {p}" for p in doc.inference.problems()[:12])
        QMessageBox.warning(
            window,
            QCoreApplication.translate("ImportExport", "Cannot export yet"),
            QCoreApplication.translate("ImportExport", "Fix these problems first:")
            + f"\n\n{lines}",
        )
        return None
    suffix, filter_ = SUFFIX[fmt]
    stem = doc.path.stem if doc.path else (class_name(doc.graph.name).lower() or "model")
    if fmt == "training":
        stem = f"train_{stem}"
    near = doc.path.parent if doc.path else None
    title = QCoreApplication.translate("ImportExport", "Export {format}").format(
        format=format_title(fmt)
    )
    name = f"{stem}.{suffix}"
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
            QMessageBox.critical(
                window,
                QCoreApplication.translate("ImportExport", "Cannot export {format}").format(
                    format=format_title(fmt)
                ),
                reason,
            )
            return None
        extra = f" ({'; '.join(notes)})" if notes else ""
        done = QCoreApplication.translate("ImportExport", "Exported {format} to {path}").format(
            format=format_title(fmt), path=path
        )
        window.statusBar().showMessage(done + extra, 8000)
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
            same = QCoreApplication.translate(
                "ImportExport", "onnxruntime matches PyTorch, max difference {diff:.2g}"
            )
            notes.insert(0, same.format(diff=report.max_abs_diff))
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
        raise ValueError(
            QCoreApplication.translate(
                "ImportExport",
                "input shape {text!r}: write positive whole numbers, e.g. 3, 224, 224",
            ).format(text=text)
        )
    return dims


class ImportDialog(QDialog):
    """A .py file and its class, or a torchvision model; plus the input shape of one sample."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import PyTorch model"))
        self.from_file = QRadioButton(self.tr("A class in a Python file"))
        self.from_torchvision = QRadioButton(self.tr("A torchvision model"))
        self.from_file.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.from_file)
        group.addButton(self.from_torchvision)
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText("model.py")  # i18n: a file name
        self.browse = QPushButton(self.tr("Browse…"))
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
        self.shape.setPlaceholderText(self.tr("e.g. 3, 32, 32 (torchvision: 3, 224, 224)"))
        self.error = QLabel()
        set_role(self.error, TextRole.ERROR)
        self.error.setWordWrap(True)
        self.error.hide()
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.from_file)
        form.addRow(self.tr("File"), file_row)
        form.addRow(self.tr("Class"), self.class_name)
        form.addRow(self.from_torchvision)
        form.addRow(self.tr("Model"), self.models)
        form.addRow(self.tr("Input shape"), self.shape)
        note = QLabel(
            self.tr(
                "The file is run to build the model (your own code). torchvision models import "
                "with random weights, no download. The result opens as a new, unsaved graph."
            )
        )
        note.setWordWrap(True)
        set_role(note, TextRole.MUTED)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
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
            self, Folder.IMPORTS, self.tr("Python file with the model"), "Python (*.py)", current
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
            self.error.setText(self.tr("choose a .py file and the class to import"))
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
        QMessageBox.warning(
            window,
            QCoreApplication.translate("ImportExport", "Cannot import the model"),
            _import_text(exc),
        )
        return False
    except NodemlError as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(
            window, QCoreApplication.translate("ImportExport", "Cannot import the model"), str(exc)
        )
        return False
    QGuiApplication.restoreOverrideCursor()
    if not window.maybe_save():
        return False
    window.document.restore(result.graph, None)  # unsaved: closing asks where to keep it
    window.recovery.discard()
    window.view.frame_graph()
    notes = f" · {'; '.join(result.notes)}" if result.notes else ""
    done = QCoreApplication.translate("ImportExport", "Imported {name}: {count} nodes").format(
        name=result.graph.name, count=len(result.graph)
    )
    window.statusBar().showMessage(done + notes, 8000)
    return True


def _import_text(exc: ModelImportError) -> str:
    lines = "\n".join(f"• {line}" for line in exc.lines[:20])
    more = ""
    if len(exc.lines) > 20:
        more = "\n" + QCoreApplication.translate("ImportExport", "… and {count} more").format(
            count=len(exc.lines) - 20
        )
    missing = ""
    if exc.missing_types:
        lacks = QCoreApplication.translate(
            "ImportExport", "Layer types nodeml's catalog lacks: {types}"
        )
        missing = "\n\n" + lacks.format(types=", ".join(exc.missing_types))
    intro = QCoreApplication.translate(
        "ImportExport", "These parts of the model have no nodeml node:"
    )
    return f"{intro}\n\n{lines}{more}{missing}"
