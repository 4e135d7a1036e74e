"""Dialogs the training UI shows: failures with their fix, checkpoints that do not fit, a run to stop."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ..document import Document
from .checkpoint_fit import CheckpointFit
from .jobs import JobError


def format_eta(seconds: float) -> str:
    """``42 s``, ``3:05``, ``1:02:03``."""
    if seconds != seconds or seconds == float("inf"):
        return "—"
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def input_fix(err: JobError) -> tuple[str, object] | None:
    """(param, value) that makes the Input node fit the dataset, when that is the problem."""
    if err.info is None or err.node is None:
        return None
    if err.field == "shape":
        return "shape", list(err.info.sample_shape)
    if err.field == "dtype":
        return "dtype", "long" if not err.info.dtype.startswith(("float", "bfloat")) else "float32"
    return None


def show_job_error(parent: QWidget, err: JobError, document: Document) -> None:
    """A dialog saying what failed and where; offers to fix the Input node when that is the cause."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Training", "Training"))
    where = ""
    if err.node and f"node {err.node}" not in err.message:
        where = " " + QCoreApplication.translate("Training", "(node {node})").format(node=err.node)
    box.setText(f"{err.message}{where}")
    if len(err.problems) > 1:
        box.setInformativeText("\n".join(str(p) for p in err.problems[1:8]))
    if err.details:
        box.setDetailedText(err.details)
    fix = input_fix(err)
    fix_button = None
    if fix is not None:
        name, value = fix
        text = QCoreApplication.translate("Training", "Set {node}.{param} to {value}").format(
            node=err.node, param=name, value=value
        )
        fix_button = box.addButton(text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if fix is not None and box.clickedButton() is fix_button and err.node in document.graph:
        document.set_param(err.node, fix[0], fix[1])


class CheckpointChoice(Enum):
    OPEN_GRAPH = "open the checkpoint's graph"
    LOAD_FITTING = "load the weights that fit"
    CANCEL = "cancel"


def ask_checkpoint_choice(parent: QWidget, fit: CheckpointFit, resuming: bool) -> CheckpointChoice:
    """The checkpoint does not fit the open graph: say what differs; offer its own graph, and
    (for weights, not a resume, which needs them all) the weights that fit."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("Training", "Checkpoint does not fit the graph"))
    name = fit.carried_name()
    if name:
        trained = QCoreApplication.translate("Training", "{file} was trained on “{graph}”").format(
            file=fit.path.name, graph=name
        )
    else:
        trained = fit.path.name
    if fit.diff is None:
        text = QCoreApplication.translate("Training", "{trained}, and {why_not}.").format(
            trained=trained, why_not=fit.why_not
        )
    else:
        parts = []
        if fit.diff.missing:
            parts.append(
                QCoreApplication.translate("Training", "{count} missing").format(
                    count=len(fit.diff.missing)
                )
            )
        if fit.diff.unexpected:
            parts.append(
                QCoreApplication.translate("Training", "{count} unexpected").format(
                    count=len(fit.diff.unexpected)
                )
            )
        if fit.diff.mismatched:
            parts.append(
                QCoreApplication.translate("Training", "{count} with another shape").format(
                    count=len(fit.diff.mismatched)
                )
            )
        text = QCoreApplication.translate(
            "Training",
            "{trained}; its weights do not all fit the open graph ({parts}). {fitting} of the "
            "model's {total} tensors fit.",
        ).format(trained=trained, parts=", ".join(parts), fitting=fit.fitting, total=fit.total)
    if fit.changes:
        shown = "; ".join(fit.changes[:4]) + (" …" if len(fit.changes) > 4 else "")
        text += "\n\n" + QCoreApplication.translate(
            "Training", "The open graph differs from it: {changes}"
        ).format(changes=shown)
    box.setText(text)
    details = "\n".join(fit.changes)
    if fit.diff is not None:
        details = "\n".join(p for p in (details, fit.diff.describe()) if p)
    if details:
        box.setDetailedText(details)
    buttons = {}
    if fit.carried is not None:
        label = (
            QCoreApplication.translate("Training", "Open “{graph}”").format(graph=name)
            if name
            else QCoreApplication.translate("Training", "Open Its Graph")
        )
        buttons[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = (
            CheckpointChoice.OPEN_GRAPH
        )
    if fit.diff is not None and fit.fitting and not resuming:
        buttons[
            box.addButton(
                QCoreApplication.translate("Training", "Load the {count} That Fit").format(
                    count=fit.fitting
                ),
                QMessageBox.ButtonRole.ApplyRole,
            )
        ] = CheckpointChoice.LOAD_FITTING
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return buttons.get(box.clickedButton(), CheckpointChoice.CANCEL)


# what the window wants to do while a run is on (as its callers say it) -> the question's end and
# the button, translated whole (a language words "stop it and quit" its own way)
STOP_AND = {
    "quit": (
        QT_TRANSLATE_NOOP("Training", "Stop it and quit?"),
        QT_TRANSLATE_NOOP("Training", "Stop and Quit"),
    ),
    "start a new model": (
        QT_TRANSLATE_NOOP("Training", "Stop it and start a new model?"),
        QT_TRANSLATE_NOOP("Training", "Stop and Start a New Model"),
    ),
    "open another graph": (
        QT_TRANSLATE_NOOP("Training", "Stop it and open another graph?"),
        QT_TRANSLATE_NOOP("Training", "Stop and Open"),
    ),
}


def ask_stop_run(parent: QWidget, action: str, run_dir: Path | None, progress: str) -> bool:
    """A run is on and the user wants to ``action`` ("quit", "open x.json"): True to stop the
    run and go on."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("Training", "Training is running"))
    if action in STOP_AND:
        question, button = (
            QCoreApplication.translate("Training", t) for t in STOP_AND[action]
        )  # i18n: NOOPs
    else:  # "open x.json"
        question = QCoreApplication.translate("Training", "Stop it and open {name}?").format(
            name=action.removeprefix("open ")
        )
        button = QCoreApplication.translate("Training", "Stop and Open")
    if progress:
        text = QCoreApplication.translate("Training", "A run is training ({progress}).").format(
            progress=progress
        )
    else:
        text = QCoreApplication.translate("Training", "A run is training.")
    box.setText(f"{text} {question}")
    if run_dir is not None:
        keeps = QCoreApplication.translate(
            "Training",
            "It stops after the current batch and keeps what it trained in {folder} "
            "(last.pt, best.pt): resume it later from there.",
        ).format(folder=run_dir)
    else:
        keeps = QCoreApplication.translate(
            "Training",
            "It stops after the current batch and keeps what it trained (last.pt, best.pt): "
            "resume it later from there.",
        )
    box.setInformativeText(keeps)
    stop = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is stop
