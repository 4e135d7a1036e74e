"""The File menu's work on the window's one document: new, open, save, recent files, Python export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from ..core.compile import class_name, generate_source
from ..core.errors import GraphFormatError, InvalidGraphError
from ..core.fileio import atomic_write_text, remove_stale_temps
from ..core.graph import Graph
from ..core.serialize import load_graph
from . import recovery_dialog
from .document import Document
from .files import (
    Folder,
    add_recent_file,
    ask_open_path,
    ask_save_path,
    clear_recent_files,
    recent_files,
)
from .recovery import Recovery
from .training import TrainingPresenter

GRAPH_FILTER = QT_TRANSLATE_NOOP("FileActions", "nodeml graphs (*.json);;All files (*)")


def _graphs() -> str:
    """The file dialogs' filter for graph files, in the user's language."""
    return QCoreApplication.translate("FileActions", GRAPH_FILTER)  # i18n: a NOOP


class FileActions:
    """Opening and saving ``document`` in ``window`` (the parent of its dialogs; recovery
    offers restore into it); a run of ``training`` stops first, when the user agrees.
    ``status`` shows a line for some milliseconds; ``frame_graph`` frames the canvas on what
    was opened."""

    def __init__(
        self,
        window: QMainWindow,
        document: Document,
        recovery: Recovery,
        training: TrainingPresenter,
        status: Callable[[str, int], None],
        frame_graph: Callable[[], None],
    ):
        self.window, self.document, self.recovery = window, document, recovery
        self.training = training
        self._status, self._frame_graph = status, frame_graph

    def maybe_save(self) -> bool:
        """Ask before unsaved changes are lost; False means the user cancelled."""
        if not self.document.modified:
            return True
        name = self.document.path.name if self.document.path else self.document.graph.name
        answer = QMessageBox.question(
            self.window,
            QCoreApplication.translate("FileActions", "Unsaved changes"),
            QCoreApplication.translate(
                "FileActions", "Save the changes to “{name}” before closing it?"
            ).format(name=name),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_file(self) -> None:
        # during a run: both questions first, then the new document once the run has stopped
        if self.training.confirm_stop("start a new model") and self.maybe_save():
            self.training.stop_then(self._new_document)

    def _new_document(self) -> None:
        self.document.new()
        self.recovery.discard()

    def open_file(self) -> None:
        if not self.training.confirm_stop("open another graph"):
            return
        self.training.stop_then(self._ask_and_open)

    def _ask_and_open(self) -> None:
        near = self.document.path.parent if self.document.path else None
        path = ask_open_path(
            self.window,
            Folder.GRAPHS,
            QCoreApplication.translate("FileActions", "Open graph"),
            _graphs(),
            near,
        )
        if path:
            self.open_path(Path(path))

    def open_path(
        self, path: str | Path, as_template: bool = False, offer_recovery: bool = True
    ) -> bool:
        """Open a file; a sample opens as an untitled copy so Save does not overwrite it. Unsaved
        changes to it that a crashed session left are offered (unless ``offer_recovery`` is
        False: the app's start offers every copy at once).

        On failure a dialog says why and the open graph is left exactly as it was."""
        path = Path(path).absolute()  # a relative path would mean another file after a chdir
        try:
            graph = load_graph(path)
        except (GraphFormatError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            why = QCoreApplication.translate("FileActions", "Cannot open {name}:").format(
                name=path.name
            )
            QMessageBox.critical(
                self.window,
                QCoreApplication.translate("FileActions", "Cannot open file"),
                f"{why}\n\n{reason}",
            )
            return False
        if not self.training.confirm_stop(f"open {path.name}") or not self.maybe_save():
            return False
        # a run on stops first (after its batch): the graph opens once it has
        self.training.stop_then(lambda: self._show_opened(graph, path, as_template, offer_recovery))
        return True

    def _show_opened(
        self, graph: Graph, path: Path, as_template: bool, offer_recovery: bool
    ) -> None:
        self.document.open_graph(graph, path)
        if as_template:
            self.document.path = None
            self.document.file_state_changed.emit()
        else:
            add_recent_file(path)
            remove_stale_temps(path)  # what a save killed mid-write left beside it
        self.recovery.discard()
        QTimer.singleShot(0, self._frame_graph)
        kept = self.training.kept_note()  # where the previous document's trained weights are
        if not as_template and self.recovery.edited_elsewhere(path):
            elsewhere = QCoreApplication.translate(
                "FileActions",
                "{name} has unsaved changes in another nodeml window: whichever saves last "
                "overwrites the other's changes",
            )
            self._status(elsewhere.format(name=path.name), 15000)
        else:
            opened = QCoreApplication.translate("FileActions", "Opened {path}").format(path=path)
            self._status(opened + (f". {kept}" if kept else ""), 15000 if kept else 4000)
        if offer_recovery and not as_template:
            recovery_dialog.offer(self.window, about=path)

    def open_checkpoint_graph(self, graph: Graph) -> bool:
        """Open the graph a checkpoint was trained from, as a new untitled document."""
        if not self.maybe_save():
            return False
        self.document.open_graph(graph, None)
        self.recovery.discard()
        QTimer.singleShot(0, self._frame_graph)
        text = QCoreApplication.translate(
            "FileActions", "Opened “{name}”, the graph the checkpoint carries"
        )
        self._status(text.format(name=graph.name), 6000)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        doc = self.document
        stem = class_name(doc.graph.name).lower() or "model"
        name = doc.path.name if doc.path else f"{stem}.json"
        near = doc.path.parent if doc.path else None  # Save As of a saved file: its own folder
        path = ask_save_path(
            self.window,
            Folder.GRAPHS,
            QCoreApplication.translate("FileActions", "Save graph as"),
            name,
            _graphs(),
            near,
            True,
        )
        if not path:
            return False
        if not Path(path).suffix:
            path += ".json"
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except OSError as exc:
            why = QCoreApplication.translate("FileActions", "Cannot save {path}:").format(path=path)
            QMessageBox.critical(
                self.window,
                QCoreApplication.translate("FileActions", "Cannot save"),
                f"{why}\n\n{exc.strerror or exc}",
            )
            return False
        add_recent_file(path)
        self.recovery.discard()
        self._status(
            QCoreApplication.translate("FileActions", "Saved {path}").format(path=path), 4000
        )
        return True

    def fill_recent(self, menu: QMenu) -> None:
        """The Open Recent menu, as it is when it opens."""
        menu.clear()
        files = recent_files()
        for path in files:
            act = menu.addAction(path.name)
            act.setStatusTip(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if files:
            menu.addSeparator()
            menu.addAction(
                QCoreApplication.translate("FileActions", "Clear Menu"), clear_recent_files
            )
        else:
            menu.addAction(QCoreApplication.translate("FileActions", "No recent files")).setEnabled(
                False
            )

    def export_python(self, style: str = "modules", sequential: bool = False) -> bool:
        """Write what ``nodeml export`` writes: standalone PyTorch source; ``sequential`` writes a
        straight chain as nn.Sequential (``nodeml export --sequential``)."""
        doc = self.document
        try:
            source, generated, _ = generate_source(doc.graph, style, doc.inference, sequential)
        except InvalidGraphError as exc:
            lines = "\n".join(f"• {p}" for p in exc.problems[:12])
            first = QCoreApplication.translate("FileActions", "Fix these problems first:")
            QMessageBox.warning(
                self.window,
                QCoreApplication.translate("FileActions", "Cannot export yet"),
                f"{first}\n\n{lines}",
            )
            return False
        stem = doc.path.stem if doc.path else (class_name(doc.graph.name).lower() or "model")
        near = doc.path.parent if doc.path else None
        path = ask_save_path(
            self.window,
            Folder.EXPORTS,
            QCoreApplication.translate("FileActions", "Export PyTorch code"),
            f"{stem}.py",
            "Python (*.py)",
            near,
        )
        if not path:
            return False
        try:
            atomic_write_text(path, source)
        except OSError as exc:
            why = QCoreApplication.translate("FileActions", "Cannot write {path}:").format(
                path=path
            )
            QMessageBox.critical(
                self.window,
                QCoreApplication.translate("FileActions", "Cannot export"),
                f"{why}\n\n{exc.strerror or exc}",
            )
            return False
        if generated.sequential:
            done = QCoreApplication.translate("FileActions", "Exported {path} (nn.Sequential)")
        elif sequential:
            done = QCoreApplication.translate(
                "FileActions",
                "Exported {path} ({style} style; not one straight chain, so a plain nn.Module)",
            )
        else:
            done = QCoreApplication.translate("FileActions", "Exported {path} ({style} style)")
        self._status(done.format(path=path, style=style), 5000)
        return True
